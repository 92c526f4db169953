"""Cell references (A1, $B$12, A1:C3, 'Sheet'!A1) without importing openpyxl.

Any `from openpyxl.utils import ...` runs openpyxl's package __init__, which imports the whole workbook
model (about 80 ms); the commands that only read plain workbooks (scoring/excel/lean.py) or write the
summary at the XML level need nothing of it but these few conversions. They give what openpyxl.utils.cell
gives for the same text (tests/test_cellref.py compares them on random references).
"""

from __future__ import annotations

import re
from functools import lru_cache

RANGE_EXPR = r"""
[$]?(?P<min_col>[A-Za-z]{1,3})?
[$]?(?P<min_row>\d+)?
(:[$]?(?P<max_col>[A-Za-z]{1,3})?
[$]?(?P<max_row>\d+)?)?
"""
ABSOLUTE_RE = re.compile("^" + RANGE_EXPR + "$", re.VERBOSE)
SHEET_TITLE = r"""
(('(?P<quoted>([^']|'')*)')|(?P<notquoted>[^'^ ^!]*))!"""
SHEETRANGE_RE = re.compile(f"{SHEET_TITLE}(?P<cells>{RANGE_EXPR})(?=,?)", re.VERBOSE)
MAX_COLUMN = 18278  # XFD is 16,384; openpyxl accepts up to ZZZ


@lru_cache(maxsize=None)
def column_index(letters: str) -> int:
    """1-based index of a column's letters (A -> 1, AA -> 27); ValueError outside A..ZZZ."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"'{letters}' is not a valid column name. Column names are from A to ZZZ")
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


@lru_cache(maxsize=None)
def column_letter(index: int) -> str:
    """The letters of a 1-based column index (1 -> A, 27 -> AA); ValueError outside 1..18278."""
    if not 1 <= index <= MAX_COLUMN:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def coordinate_to_tuple(coordinate: str) -> tuple[int, int]:
    """(row, column) of a plain coordinate such as B12."""
    for k, char in enumerate(coordinate):
        if char.isdigit():
            break
    return int(coordinate[k:]), column_index(coordinate[:k])


def range_boundaries(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """(min_col, min_row, max_col, max_row) of A1, A1:C3, A:C or 1:3 (None for an open side)."""
    message = f"{text} is not a valid coordinate or range"
    m = ABSOLUTE_RE.match(text)
    if not m:
        raise ValueError(message)
    min_col, min_row, sep, max_col, max_row = m.groups()
    if sep:
        cols, rows = (min_col, max_col), (min_row, max_row)
        if not (all(cols + rows) or all(cols) and not any(rows) or all(rows) and not any(cols)):
            raise ValueError(message)
    first_col = column_index(min_col) if min_col is not None else None
    first_row = int(min_row) if min_row is not None else None
    last_col = column_index(max_col) if max_col is not None else first_col
    last_row = int(max_row) if max_row is not None else first_row
    return first_col, first_row, last_col, last_row


def absolute_coordinate(text: str) -> str:
    """B12 -> $B$12, A1:C3 -> $A$1:$C$3."""
    m = ABSOLUTE_RE.match(text)
    if not m:
        raise ValueError(f"{text} is not a valid coordinate range")
    parts = {k: f"${v}" if v else "" for k, v in m.groupdict("").items()}
    if parts["max_col"] or parts["max_row"]:
        return "{min_col}{min_row}:{max_col}{max_row}".format(**parts)
    return "{min_col}{min_row}".format(**parts)


def quote_sheetname(title: str) -> str:
    """A sheet title as a formula writes it: in single quotes, inner quotes doubled."""
    return "'" + title.replace("'", "''") + "'"
