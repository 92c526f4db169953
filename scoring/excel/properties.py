"""Custom document properties as data, so either summary writer can add them: openpyxl's (called on the
workbook, like the other extra-sheet writers) or the XML renderer (scoring/excel/xml_render.py, which
writes docProps/custom.xml itself)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CustomProperties:
    """Text properties (name, value) to record in a workbook's custom document properties."""

    items: tuple[tuple[str, str], ...]

    def __call__(self, wb: Any) -> None:
        """Append the properties to an openpyxl workbook."""
        import scoring.excel.openpyxl_without_numpy  # noqa: F401
        from openpyxl.packaging.custom import StringProperty

        for name, value in self.items:
            wb.custom_doc_props.append(StringProperty(name=name, value=value))


EVIDENCE_PROPERTY = "scorecard_evidence_sha256"  # on a scoring workbook: the evidence it was made from


def evidence_of_sheet(path: str | Path) -> str | None:
    """The SHA-256 of the evidence a scoring workbook was made or refreshed from (its EVIDENCE_PROPERTY),
    None when it records none or cannot be read (an old sheet, a converted .xls, a program that drops it)."""
    import zipfile

    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(path) as archive:
            root = fromstring(archive.read("docProps/custom.xml"))
    except Exception:  # no such part, not a zip, hostile XML: nothing recorded
        return None
    for prop in root:
        if prop.get("name") == EVIDENCE_PROPERTY:
            return "".join(prop.itertext()).strip() or None
    return None
