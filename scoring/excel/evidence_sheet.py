"""Writes a blank evidence workbook (证据材料) for a period: one Excel table per kind of evidence (interfaces.md §2)."""

from __future__ import annotations

import scoring.excel.openpyxl_without_numpy  # noqa: F401  (first: openpyxl without numpy)
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from scoring.contract import Contract
from scoring.evidence.others import months
from scoring.excel import names, style
from scoring.excel.evidence_tables import (CHOICE, COUNT, DATE, DATETIME, MONTH, NO, SETTINGS_SHEET, TABLES,
                                           TEMPLATE_ROWS, YES, YESNO, TableSpec)
from scoring.excel.text import write_text
from scoring.period import Period
from scoring.rubric import Rubric

FORMATS = {DATETIME: "yyyy-mm-dd hh:mm", DATE: "yyyy-mm-dd", MONTH: "yyyy-mm"}
HEADER_ROW = 2
VALIDATED_ROWS = 2000


def build_evidence_workbook(contract: Contract, period: Period, rubric: Rubric | None = None) -> Workbook:
    """A blank evidence workbook: settings sheet with 密评/等保 cells, then one sheet and table per kind of evidence,
    each with guidance in the terms of `contract` and its `rubric` (default: the embedded rubric)."""
    from scoring.excel.evidence_hints import table_hints
    from scoring.policies import make_policies
    from scoring.rubric import default_rubric

    from scoring.evidence.params import CRYPTO_RULE

    rubric = rubric or default_rubric()
    hints = table_hints(rubric, make_policies(contract.policies))
    crypto, mlps = bool(rubric.bound(CRYPTO_RULE)), bool(rubric.bound("mlps-certificate"))
    unused = "本合同的考核办法没有分项按此评分，可不填。"  # a contract without 密评 or 等保 is not asked about them
    wb = Workbook()
    ws = wb.active
    ws.title = SETTINGS_SHEET
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 80
    ws.merge_cells("A1:C1")
    ws["A1"] = f"{contract.name} 考核证据材料（{period.code}）"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    rows = (
        ("合同编号", names.CONTRACT_ID, contract.id, contract.name),
        ("考核期", names.PERIOD, period.code, f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}"),
        ("密评已通过", "crypto_passed", NO, "已取得密码安全评估测评报告和证书填“是”。年终考核时仍未通过：密评不得分"
         + (f"，另扣服务费 {contract.crypto_penalty:,.2f} 元。" if contract.crypto_penalty else "。")
         if crypto else unused),  # R5
        ("三级等保证书已取得", "mlps_certified", NO, "已通过三级等保测评并取得测评报告和证书填“是”。"
         if mlps else unused),
    )
    for offset, (label, name, value, remark) in enumerate(rows, start=3):
        ws.cell(offset, 1, label).font = style.BOLD
        cell = ws.cell(offset, 2)
        write_text(cell, value)
        cell.font, cell.border = style.BOLD, style.GRID
        ws.cell(offset, 3, remark).font = style.SMALL
        names.define(wb, name, ws, cell.coordinate)
        if name in ("crypto_passed", "mlps_certified"):
            cell.fill = style.INPUT_FILL
            _list_validation(ws, cell.coordinate, (YES, NO))
    row = 3 + len(rows) + 1
    ws.cell(row, 1, "填写说明").font = style.HEADER
    notes = ("每类证据在单独的工作表中，以表格形式逐行填写；表格不够时直接在下方接着填写。",
             "日期、时间请填写为日期格式（如 2026-08-01 或 2026-08-01 10:30；2026/8/1、2026.8.1、2026年8月1日 也可），"
             "“是/否”列从下拉列表选择。影响结果的空白不按默认处理：故障的恢复时间、影响系统数和三个“是/否”列、"
             "已提交月报的“完整无误”未填写时程序指出单元格，请补填。",
             "空白的证据材料表示：本期无服务中断、无需求函、无故障、无投诉，节假日按内置安排"
             + ("，密评与等保均未通过。" if crypto or mlps else "。"))
    for text in notes + tuple(f"“{spec.sheet}”：{hints[spec.name]}" for spec in TABLES):
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.cell(row, 1, text).font, ws.cell(row, 1).alignment = style.BODY, style.WRAP
        ws.row_dimensions[row].height = 30
    style.a4(ws)
    for spec in TABLES:
        _table_sheet(wb, spec, period, hints[spec.name])
    wb.properties.title = f"{contract.name} {period.code} 考核证据材料"
    wb.properties.creator = "scorecard"
    return wb


def _list_validation(ws, ref: str, choices: tuple[str, ...]) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="无效的值", error=f"请从下拉列表选择：{'、'.join(choices)}")
    dv.add(ref)
    ws.add_data_validation(dv)


def _table_sheet(wb: Workbook, spec: TableSpec, period: Period, hint: str) -> None:
    ws = wb.create_sheet(spec.sheet)
    last_col = get_column_letter(len(spec.columns))
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = hint
    ws["A1"].font, ws["A1"].alignment = style.SMALL, style.WRAP
    ws.row_dimensions[1].height = 45
    for col, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(column.width, len(column.header) * 2 + 2)
        header = ws.cell(HEADER_ROW, col, column.header)
        header.font, header.fill, header.border = style.HEADER, style.HEADER_FILL, style.GRID
        span = f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + VALIDATED_ROWS}"
        if column.kind in FORMATS:
            for r in range(HEADER_ROW + 1, HEADER_ROW + TEMPLATE_ROWS + 1):
                ws.cell(r, col).number_format = FORMATS[column.kind]
            dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                showErrorMessage=True, errorTitle="不是日期",
                                error="请填写日期（如 2026-08-01）或日期时间（如 2026-08-01 10:30）。")
            dv.add(span)
            ws.add_data_validation(dv)
        elif column.kind == YESNO:
            _list_validation(ws, span, (YES, NO))
        elif column.kind == CHOICE:
            _list_validation(ws, span, column.choices)
        elif column.kind == COUNT:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                showErrorMessage=True, errorTitle="不是整数", error="请填写 0 或正整数。")
            dv.add(span)
            ws.add_data_validation(dv)
    if spec.name == "reports":
        for offset, month in enumerate(months(period.start, period.end), start=HEADER_ROW + 1):
            ws.cell(offset, 1, month)
    ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + TEMPLATE_ROWS}"
    table = Table(displayName=spec.name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    style.a4(ws, landscape=len(spec.columns) > 5, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
