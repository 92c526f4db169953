"""The Excel edge: workbook writers and readers. The rules never import from here."""
