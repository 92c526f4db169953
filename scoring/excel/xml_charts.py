"""The 图表 sheet of the summary written as XML parts: its cells, one drawing and its charts, the same parts
openpyxl writes for scoring/excel/summary.py `_charts` (a bar chart of the categories; with history, a line
chart of the total and a bar chart of the deductions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from scoring.excel.cellref import column_letter, quote_sheetname

SHEET = "图表"
HEADER_FONT = '<font><b val="1"/><sz val="11"/><name val="黑体"/></font>'.encode()  # style.HEADER
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CM = 360000  # EMU per centimetre


@dataclass
class ChartSheet:
    """The 图表 sheet's XML, its drawing and charts (parts named relative to nothing: the caller places them)."""

    sheet: str
    drawing: str
    charts: list[str]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _title(text: str) -> str:
    return (f"<title><tx><rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:t>{_esc(text)}</a:t></a:r></a:p>"
            "</rich></tx></title>")


def _ref(column: int, first: int, last: int) -> str:
    cells = f"${column_letter(column)}${first}" + (f":${column_letter(column)}${last}" if last != first else "")
    return f"{_esc(quote_sheetname(SHEET))}!{cells}"


def _chart(kind: str, title: str, columns: tuple[int, int], header: int, last: int, axis_title: str | None) -> str:
    """A chart part as openpyxl writes it: one series per column (title from row `header`), categories in column A."""
    series = []
    for n, column in enumerate(range(columns[0], columns[1] + 1)):
        marker = ('<marker><symbol val="none"/><spPr><a:ln><a:prstDash val="solid"/></a:ln></spPr></marker>'
                  if kind == "line" else "")
        series.append(f'<ser><idx val="{n}"/><order val="{n}"/><tx><strRef><f>{_esc(quote_sheetname(SHEET))}!'
                      f'{column_letter(column)}{header}</f></strRef></tx><spPr><a:ln><a:prstDash val="solid"/></a:ln>'
                      f'</spPr>{marker}<cat><numRef><f>{_ref(1, header + 1, last)}</f></numRef></cat><val><numRef>'
                      f'<f>{_ref(column, header + 1, last)}</f></numRef></val></ser>')
    if kind == "line":
        plot = f'<lineChart><grouping val="standard"/>{"".join(series)}<axId val="10"/><axId val="100"/></lineChart>'
    else:
        plot = (f'<barChart><barDir val="col"/><grouping val="clustered"/>{"".join(series)}<gapWidth val="150"/>'
                '<axId val="10"/><axId val="100"/></barChart>')
    axis = _title(axis_title) if axis_title else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<chartSpace xmlns:a="{_A}" xmlns="{_C}"><chart>'
            f'{_title(title)}<plotArea>{plot}<catAx><axId val="10"/><scaling><orientation val="minMax"/></scaling>'
            '<axPos val="l"/><majorTickMark val="none"/><minorTickMark val="none"/><crossAx val="100"/>'
            '<lblOffset val="100"/></catAx><valAx><axId val="100"/><scaling><orientation val="minMax"/><min val="0"/></scaling>'
            f'<axPos val="l"/><majorGridlines/>{axis}<majorTickMark val="none"/><minorTickMark val="none"/>'
            '<crossAx val="10"/></valAx></plotArea><legend><legendPos val="r"/></legend><plotVisOnly val="1"/>'
            '<dispBlanksAs val="gap"/></chart></chartSpace>')


CHART_ROWS = 28  # rows a history chart of 14 cm takes (15 pt each), with a row to spare
HISTORY_WIDTH_CM = 27  # columns A-D (about 10 cm) and the 18 cm chart beside them: the width the sheet prints at
HISTORY_HEIGHT_CM = 14  # most of a landscape page, which each history chart has to itself


def history_breaks(table_end: int) -> tuple[int, int]:
    """Page breaks (rows, 1-based, the break below each) above the two history charts, each chart anchored a
    row below its break: below the history table however long it is, so that no chart and no table is cut
    across pages (the printed 图表 showed the total's trend split)."""
    first = max(21, table_end + 1)
    return first, first + CHART_ROWS


def _row_breaks(breaks: tuple[int, ...]) -> str:
    """The sheet's manual page breaks below the given rows."""
    if not breaks:
        return ""
    marks = "".join(f'<brk id="{row}" max="16383" man="1"/>' for row in breaks)
    return f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">{marks}</rowBreaks>'


def _anchor(n: int, column: int, row: int, height_cm: float, width_cm: float = 18) -> str:
    return (f'<oneCellAnchor><from><col>{column}</col><colOff>0</colOff><row>{row}</row><rowOff>0</rowOff></from>'
            f'<ext cx="{int(width_cm * _CM)}" cy="{int(height_cm * _CM)}"/><graphicFrame><nvGraphicFramePr>'
            f'<cNvPr id="{n}" name="Chart {n}"/><cNvGraphicFramePr/></nvGraphicFramePr><xfrm/><a:graphic>'
            f'<a:graphicData uri="{_C}"><c:chart r:id="rId{n}"/></a:graphicData></a:graphic></graphicFrame>'
            '<clientData/></oneCellAnchor>')


def chart_sheet(context: dict, put: Callable[[list, int, int, str | None, Any], None], styles: Any) -> ChartSheet:
    """图表: panel score against the maximum per category; with history, the trend of total and deduction.

    `put(cells, row, column, style, value)` writes one value as the summary's cells are written."""
    header = styles.with_font("header", HEADER_FONT)
    rows: dict[int, list] = {}

    def cell(row: int, column: int, value: Any, style: str | None = None) -> None:
        put(rows.setdefault(row, []), row, column, style, value)

    for column, label in enumerate(("考核项目", "满分", "小组得分"), start=1):
        cell(1, column, label, header)
    score = styles.with_format(None, "0.00")  # scores as every other sheet prints them: 25.50, not 25.5
    for row, cat in enumerate(context["categories"], start=2):
        cell(row, 1, cat["name"])
        cell(row, 2, cat["points"], score)
        cell(row, 3, cat["value"], score)
    last = 1 + len(context["categories"])
    charts = [_chart("bar", f"各考核项目得分（{context['period']['code']}）", (2, 3), 1, last, "分")]
    anchors = [_anchor(1, 4, 1, 9)]
    history = context.get("history") or []
    breaks: tuple[int, ...] = ()
    if history:
        top = last + 3
        for column, label in enumerate(("考核期", "总分", "扣款合计（元）", "提示"), start=1):
            cell(top, column, label, header)
        amount = styles.with_format(None, "#,##0.00")
        for k, h in enumerate(history, start=1):
            cell(top + k, 1, h["period"])
            cell(top + k, 2, h["total"], score)
            cell(top + k, 3, h["deduction"], amount)
            cell(top + k, 4, h.get("flag", ""))  # two consecutive periods below 80 (scoring/history.py)
        end = top + len(history)
        charts += [_chart("line", "历次考核总分", (2, 2), top, end, None),
                   _chart("bar", "历次扣款合计（元）", (3, 3), top, end, None)]
        breaks = history_breaks(end)
        # each on a page of its own: from column A across the width the first page prints (its table and chart),
        # not beside an empty table's columns (the left half of those pages printed blank)
        anchors += [_anchor(2, 0, breaks[0] + 1, HISTORY_HEIGHT_CM, HISTORY_WIDTH_CM),
                    _anchor(3, 0, breaks[1] + 1, HISTORY_HEIGHT_CM, HISTORY_WIDTH_CM)]
    data = "".join(f'<row r="{r}">{"".join(x for _, x in sorted(rows[r]))}</row>' for r in sorted(rows))
    max_row = max(rows)
    max_col = max(c for r in rows.values() for c, _ in r)
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr fitToPage="1"/></sheetPr>'
             f'<dimension ref="A1:{column_letter(max_col)}{max_row}"/><sheetViews><sheetView workbookViewId="0">'
             '<selection activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr baseColWidth="8" '
             'defaultRowHeight="15"/><cols><col width="12" customWidth="1" min="1" max="1"/><col width="14" '
             f'customWidth="1" min="3" max="3"/><col width="20" customWidth="1" min="4" max="4"/></cols><sheetData>{data}</sheetData><printOptions horizontalCentered="1"/>'
             '<pageMargins left="0.5" right="0.5" top="0.7" bottom="0.7" header="0.3" footer="0.3"/>'
             '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"/><headerFooter>'
             '<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>'
             f'{_row_breaks(breaks)}<drawing xmlns:r="{_R}" r:id="rId1"/></worksheet>')
    drawing = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<wsDr xmlns:a="{_A}" xmlns:c="{_C}" xmlns:r="{_R}" '
               f'xmlns="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">{"".join(anchors)}</wsDr>')
    return ChartSheet(sheet, drawing, charts)
