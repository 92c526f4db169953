"""The height a rendered row needs to print its wrapped text: neither Excel nor LibreOffice fits a row to its
text when the file is opened (rows keep the height the template gave them), so another contract's long item
names were cut to the lines the embedded contract's names need, on the paper people sign.

Both summary writers (xml_render.py, template.py) raise a row's height to what its wrapped cells need, never
lower it, from the text's characters, the cell's font size and the column widths (merged cells: the columns
they span).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Iterable

PADDING_POINTS = 2.0
DEFAULT_POINTS = 15.0  # a row without a height of its own
MAX_POINTS = 409.0  # Excel's highest row; a longer text is cut there (a note of thousands of characters)
LINE = 1.45  # a printed line's height as a multiple of the font size: LibreOffice's CJK lines, 1.35-1.45
WIDE, NARROW = 0.145, 0.075  # Excel width units a character takes per point of font size (CJK, others), as
# LibreOffice prints the summary: a 44-wide column holds 19 CJK and 21 other characters of 10 pt text on a line


def units(text: str, size: float = 10.0) -> float:
    """The width of `text` at font `size` in Excel's character units."""
    return size * sum(WIDE if unicodedata.east_asian_width(ch) in "WF" else NARROW for ch in text)


def printed_lines(text: str, width: float, size: float = 10.0) -> int:
    """How many lines `text` wraps to at font `size` in a column `width` units wide (a line break starts one)."""
    room = max(1.0, width - 0.7)  # the cell's own margins
    return sum(max(1, math.ceil(units(part, size) / room)) for part in text.split("\n"))


def fitted_height(height: float | None, cells: Iterable[tuple[str, float, float]]) -> float | None:
    """The height (points) a row of wrapped (text, width, font size) cells needs, when its `height` (None: the
    default row height) holds fewer lines than one of them wraps to; None when it has room. The lines a height
    holds are rounded: the template's 28 pt rows print two lines of 10 and 11 pt text. At most MAX_POINTS."""
    current = height or DEFAULT_POINTS
    needed = 0.0
    for text, width, size in cells:
        lines = printed_lines(text, width, size) if text else 0
        if lines > max(1, round((current - PADDING_POINTS) / (size * LINE))):
            needed = max(needed, lines * size * LINE + PADDING_POINTS)
    return min(needed, MAX_POINTS) if needed > current else None
