"""Shared look of the workbooks: fonts, fills, borders, print setup (A4)."""

from __future__ import annotations

import scoring.excel.openpyxl_without_numpy  # noqa: F401  (first: openpyxl without numpy)
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

BODY_FONT = "宋体"
TITLE = Font(name="黑体", size=16, bold=True)
HEADER = Font(name="黑体", size=11, bold=True)
BODY = Font(name=BODY_FONT, size=10)
BOLD = Font(name=BODY_FONT, size=10, bold=True)
SMALL = Font(name=BODY_FONT, size=9, color="555555")

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells a person fills in
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")

_THIN = Side(style="thin", color="808080")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SIGN_LINE = Border(bottom=Side(style="thin", color="000000"))

WRAP = Alignment(wrap_text=True, vertical="center")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def a4(ws: Worksheet, landscape: bool = False, title_rows: str | None = None) -> None:
    """A4 paper, fit to one page wide, margins for binding; repeat `title_rows` ('8:8') on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
