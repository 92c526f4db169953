"""The Excel edge: workbook writers and readers. The rules never import from here.

Importing this package imports nothing else: modules that use openpyxl import it through
scoring/excel/openpyxl_without_numpy.py; the readers of plain workbooks and the summary writer do without it.
"""
