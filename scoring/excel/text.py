"""Writing people's text into cells safely: always as text, never as a formula."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

MAX_CELL_TEXT = 32767
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: object) -> str:
    """Text with control characters removed (tab and newlines kept); ValueError if longer than Excel's cell limit."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    if len(text) > MAX_CELL_TEXT // 2 and excel_length(text) > MAX_CELL_TEXT:
        raise ValueError(f"文字长度 {excel_length(text)} 超过 Excel 单元格上限 {MAX_CELL_TEXT}（表情符号等按 2 个字计）")
    return text


def as_shown(value: object) -> object:
    """A non-text value typed in a text cell (a note) as the expert saw it: 2026-10-08 for a date, TRUE for a
    boolean, 12 for 12.0; text and blanks as they are. str() gave "2026-10-08 00:00:00" and "True"."""
    import datetime

    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second or value.microsecond else "minutes")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float):
        return format(value, ".15g")
    return value


def excel_length(text: str) -> int:
    """The length Excel counts against its cell limit: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def write_text(cell: Cell, value: object) -> None:
    """Put text in a cell as a string, quote-prefixed when it could be read as a formula (=, +, -, @)."""
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store a leading "=" as a formula
    if text.startswith(_DANGEROUS_START):
        cell.quotePrefix = True
