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
RUBRIC_PROPERTY = "scorecard_rubric_points"  # on a scoring workbook: each item's points it was made with


def rubric_points(rubric: Any) -> str:
    """Each item's points as RUBRIC_PROPERTY records them: "id=points;..." in rubric order."""
    return ";".join(f"{item.id}={item.points}" for item in rubric.items)


def property_in(archive: Any, name: str) -> str | None:
    """The text of custom document property `name` of an opened xlsx zip, None when there is none. Found by
    its markup, without an XML parser (every expert sheet of a panel is asked): a property written otherwise
    than Excel, LibreOffice and openpyxl write it reads as none."""
    import re

    try:
        data = archive.read("docProps/custom.xml")
    except KeyError:
        return None
    found = re.search(rb'name="' + re.escape(name.encode()) + rb'"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', data)
    return found.group(1).decode("utf-8", "replace").strip() or None if found else None


def evidence_of_sheet(path: str | Path) -> str | None:
    """The SHA-256 of the evidence a scoring workbook was made or refreshed from (its EVIDENCE_PROPERTY),
    None when it records none or cannot be read (an old sheet, a converted .xls, a program that drops it)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return property_in(archive, EVIDENCE_PROPERTY)
    except Exception:  # not a zip, unreadable: nothing recorded
        return None
