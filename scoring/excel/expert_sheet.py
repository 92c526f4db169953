"""Writes one expert's scoring workbook (评分表): cover, one row per item, live subtotals (R1, R11)."""

from __future__ import annotations

from decimal import Decimal

import scoring.excel.openpyxl_without_numpy  # noqa: F401  (first: openpyxl without numpy)
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.contract import Contract
from scoring.evidence.allowed import Allowed
from scoring.excel import names, style
from scoring.excel.text import write_text
from scoring.numbers import format_number
from scoring.period import Period
from scoring.rubric import Rubric

SHEET = "评分表"
HEADER_ROW = 8
FIRST_ITEM_ROW = 9
COLUMNS = (  # letter, header, width
    ("A", "考核项目", 9),
    ("B", "分项指标", 11),
    ("C", "分值", 6),
    ("D", "评分标准", 48),
    ("E", "证据与允许范围", 32),
    ("F", "得分", 9),
    ("G", "备注（扣分理由）", 26),
)
SCORE_COL, NOTE_COL = "F", "G"


def default_guide(points: Decimal) -> Allowed:
    """No evidence given: any score from 0 to the item's points (interfaces.md §1)."""
    return Allowed(Decimal(0), points, f"未提供证据材料。允许 0–{format_number(points)} 分")


def build_expert_workbook(
    rubric: Rubric,
    contract: Contract,
    period: Period,
    expert: str,
    year_end: bool = False,
    guides: dict[str, Allowed] | None = None,
    evidence_sha256: str | None = None,
) -> Workbook:
    """The scoring workbook of one expert: named input cells, data validation, protection, A4 print setup.

    `guides` gives each item's evidence text and allowed range (R5-R9); an item with a single
    allowed value is pre-filled and locked. `evidence_sha256`, the evidence they come from, is recorded as
    a document property (properties.EVIDENCE_PROPERTY): summarize then knows the sheet is up to date with it.
    """
    guides = guides or {}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for letter, _, width in COLUMNS:
        ws.column_dimensions[letter].width = width
    unlocked = Protection(locked=False)

    ws.merge_cells("A1:G1")
    ws["A1"] = f"{contract.name} 绩效考核评分表"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells("A2:G2")
    scale = "百分制" if rubric.total == 100 else f"满分 {format_number(rubric.total)} 分"  # a rubric of another total
    ws["A2"] = f"依据：合同{contract.clauses.assessment}《{rubric.title}》，{scale}"
    ws["A2"].font, ws["A2"].alignment = style.SMALL, style.CENTER

    kind = "服务期年终考核" if year_end else "半年度考核"
    cover = (
        (3, "合同编号", names.CONTRACT_ID, contract.id, f"{contract.name}（{contract.buyer}）"),
        (4, "考核期", names.PERIOD, period.code, f"{period.start:%Y年%m月%d日} 至 {period.end:%Y年%m月%d日}，{kind}"),
        (5, "评分专家", names.EXPERT_NAME, expert, None),
    )
    for row, label, name, value, remark in cover:
        ws.cell(row, 1, label).font = style.BOLD
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        write_text(ws.cell(row, 2), value)
        ws.cell(row, 2).font = style.BOLD
        names.define(wb, name, ws, f"B{row}")
        if remark:
            ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=7)
            ws.cell(row, 4, remark).font = style.BODY
    ws["D5"], ws["E5"] = "考核办法版本", rubric.version
    ws["E5"].data_type = "s"
    ws["D5"].font, ws["D5"].alignment, ws["E5"].font = style.BOLD, style.RIGHT, style.BODY
    names.define(wb, names.RUBRIC_VERSION, ws, "E5")
    ws.merge_cells("A6:G7")
    ws["A6"] = ("请在黄色单元格内填写得分（0 至允许的最高分，最多两位小数）和备注；"
                "其他单元格已锁定。评分请独立完成，核对表末的合计后在其下方签字。")
    ws["A6"].font, ws["A6"].alignment = style.SMALL, style.WRAP

    for letter, header, _ in COLUMNS:
        cell = ws[f"{letter}{HEADER_ROW}"]
        cell.value, cell.font, cell.fill, cell.alignment, cell.border = (
            header, style.HEADER, style.HEADER_FILL, style.CENTER, style.GRID)

    row = FIRST_ITEM_ROW
    subtotal_rows = []
    for cat in rubric.categories:
        first = row
        for item in cat.items:
            guide = guides.get(item.id) or default_guide(item.points)
            values = (cat.name, item.name, int(item.points) if item.points == int(item.points) else item.points,
                      item.criteria, guide.text, None, None)
            for (letter, _, _), value in zip(COLUMNS, values):
                cell = ws[f"{letter}{row}"]
                if value is not None:
                    cell.value = value
                cell.font, cell.border = style.BODY, style.GRID
                cell.alignment = style.CENTER if letter in "ABCF" else style.WRAP
            score = ws[f"{SCORE_COL}{row}"]
            score.number_format = "0.00"
            if guide.fixed:
                score.value = int(guide.low) if guide.low == int(guide.low) else guide.low
                score.fill = style.TOTAL_FILL
            else:
                score.fill, score.protection = style.INPUT_FILL, unlocked
                _add_validation(ws, score.coordinate, item.name, guide.low, guide.high)
            note = ws[f"{NOTE_COL}{row}"]
            note.fill, note.protection = style.INPUT_FILL, unlocked
            names.define(wb, names.score_name(item.id), ws, score.coordinate)
            names.define(wb, names.note_name(item.id), ws, note.coordinate)
            lines = max(-(-len(item.criteria) // 21), -(-len(guide.text) // 14),  # printed lines, with room
                        -(-len(item.name) // 5))  # another contract's long item names (width 11: 5 characters)
            ws.row_dimensions[row].height = max(30, 14 * lines + 6)
            row += 1
        if row - first > 1:
            ws.merge_cells(f"A{first}:A{row - 1}")
        subtotal_rows.append((cat, first, row - 1))
    _mark_invalid_scores(ws, FIRST_ITEM_ROW, row - 1, rubric)

    for cat, first, last in subtotal_rows:
        _total_row(ws, row, f"{cat.name} 小计", cat.points, f"=SUM({SCORE_COL}{first}:{SCORE_COL}{last})")
        names.define(wb, f"subtotal_{cat.id}", ws, f"{SCORE_COL}{row}")
        row += 1
    first_sub = row - len(subtotal_rows)
    _total_row(ws, row, "合计", rubric.total, f"=SUM({SCORE_COL}{first_sub}:{SCORE_COL}{row - 1})")
    names.define(wb, "expert_total", ws, f"{SCORE_COL}{row}")
    row = _dissent_rows(wb, ws, row + 2, unlocked) + 2  # declare a dissent, then sign
    _signature(wb, ws, row, unlocked)

    ws.freeze_panes = f"A{FIRST_ITEM_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let experts widen a column
    ws.protection.formatRows = False
    style.a4(ws, landscape=True)
    ws.page_setup.fitToHeight = 1  # one A4 page: the expert sees the total above the signature (issue 11)
    ws.print_area = f"A1:G{row}"
    wb.properties.title = f"{contract.name} {period.code} 评分表 {expert}"
    wb.properties.creator = "scorecard"
    from scoring.excel.properties import EVIDENCE_PROPERTY, RUBRIC_PROPERTY, CustomProperties, rubric_points

    recorded = ((RUBRIC_PROPERTY, rubric_points(rubric)),) + (((EVIDENCE_PROPERTY, evidence_sha256),)
                                                              if evidence_sha256 else ())
    CustomProperties(recorded)(wb)  # the points: summarize tells a rubric changed under the same version
    return wb


def _dissent_rows(wb, ws, row: int, unlocked: Protection) -> int:
    """有无异议 (是/否) and 异议理由, the named cells `dissent` and `dissent_reason` (interfaces.md §4); the last row."""
    ws.merge_cells(f"A{row}:C{row}")
    ws[f"A{row}"] = "对考核结果有无异议（是/否）"
    ws.merge_cells(f"A{row + 1}:C{row + 1}")
    ws[f"A{row + 1}"] = "异议理由（有异议时必填）"
    for r in (row, row + 1):
        ws[f"A{r}"].font, ws[f"A{r}"].alignment = style.BOLD, style.RIGHT
    choice = ws[f"D{row}"]
    choice.value, choice.fill, choice.protection, choice.border = "否", style.INPUT_FILL, unlocked, style.GRID
    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True, errorStyle="stop",
                        errorTitle="请选择", error="请选择“是”或“否”。")
    dv.add(choice.coordinate)
    ws.add_data_validation(dv)
    ws.merge_cells(f"D{row + 1}:G{row + 1}")
    reason = ws[f"D{row + 1}"]
    reason.fill, reason.protection, reason.alignment, reason.border = style.INPUT_FILL, unlocked, style.WRAP, style.GRID
    ws.row_dimensions[row + 1].height = 40
    names.define(wb, names.DISSENT, ws, choice.coordinate)
    names.define(wb, names.DISSENT_REASON, ws, reason.coordinate)
    return row + 1


def _signature(wb, ws, row: int, unlocked: Protection) -> None:
    """评分日期 and 专家签字 below the total, so the expert signs after seeing it."""
    ws[f"A{row}"] = "评分日期"
    ws[f"A{row}"].font = style.BOLD
    ws.merge_cells(f"B{row}:C{row}")
    date = ws[f"B{row}"]
    date.fill, date.protection, date.number_format, date.border = style.INPUT_FILL, unlocked, "yyyy-mm-dd", style.GRID
    names.define(wb, "sign_date", ws, date.coordinate)
    ws[f"D{row}"] = "专家签字"
    ws[f"D{row}"].font, ws[f"D{row}"].alignment = style.BOLD, style.RIGHT
    ws.merge_cells(f"E{row}:G{row}")
    for col in "EFG":
        ws[f"{col}{row}"].border = style.SIGN_LINE
    ws.row_dimensions[row].height = 30


def _add_validation(ws, coordinate: str, item_name: str, low: Decimal, high: Decimal) -> None:
    lo, hi = format_number(low), format_number(high)
    dv = DataValidation(
        type="decimal", operator="between", formula1=lo, formula2=hi, allow_blank=True,
        showInputMessage=True, showErrorMessage=True, errorStyle="stop",
        promptTitle=f"{item_name}"[:32], prompt=f"请输入 {lo} 到 {hi} 之间的分数，最多两位小数。",
        errorTitle="得分无效", error=f"“{item_name}”的得分必须是 {lo} 到 {hi} 之间的数字，最多两位小数。",
    )
    dv.add(coordinate)
    ws.add_data_validation(dv)


def _mark_invalid_scores(ws, first: int, last: int, rubric: Rubric) -> None:
    """Colour a score red when it is text, out of range or has more than two decimals (e.g. pasted in)."""
    for offset, item in enumerate(rubric.items):
        ref = f"{SCORE_COL}{first + offset}"
        formula = (f'AND({ref}<>"",OR(NOT(ISNUMBER({ref})),{ref}<0,{ref}>{format_number(item.points)},'
                   f"ROUND({ref},2)<>{ref}))")
        ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], fill=style.ERROR_FILL))


def _total_row(ws, row: int, label: str, points: Decimal, formula: str) -> None:
    ws.merge_cells(f"A{row}:B{row}")
    ws[f"A{row}"] = label
    ws[f"C{row}"] = int(points) if points == int(points) else points
    ws[f"{SCORE_COL}{row}"] = formula
    ws[f"{SCORE_COL}{row}"].number_format = "0.00"
    for letter, _, _ in COLUMNS:
        cell = ws[f"{letter}{row}"]
        cell.font, cell.fill, cell.border, cell.alignment = style.BOLD, style.TOTAL_FILL, style.GRID, style.CENTER
