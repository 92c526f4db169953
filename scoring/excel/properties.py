"""Custom document properties as data, so either summary writer can add them: openpyxl's (called on the
workbook, like the other extra-sheet writers) or the XML renderer (scoring/excel/xml_render.py, which
writes docProps/custom.xml itself)."""

from __future__ import annotations

from dataclasses import dataclass
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
