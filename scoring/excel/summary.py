"""Writes the summary workbook (汇总表) of an assessment, with the named cells of interfaces.md §2."""

from __future__ import annotations

from datetime import timedelta

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from scoring.assess import Assessment
from scoring.excel import names, style
from scoring.excel.text import write_text
from scoring.numbers import fraction_to_decimal

MONEY = "#,##0.00"
SCORE = "0.00"


def _number(value):
    from fractions import Fraction
    return fraction_to_decimal(value) if isinstance(value, Fraction) else value


def build_summary_workbook(a: Assessment) -> Workbook:
    """The summary: every expert's scores, the panel result, grade and the finance cells, all named."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    experts = list(a.panel.experts)
    ncols = 3 + len(experts) + 4
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{a.contract.name} 绩效考核汇总表（{a.period.code}）"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    info = [
        ("合同", f"{a.contract.id}  {a.contract.name}"),
        ("考核期", f"{a.period.code}（{a.period.start} 至 {a.period.end}），{'服务期年终考核' if a.year_end else '半年度考核'}"),
        ("评审专家", f"{len(experts)} 名：{'、'.join(experts)}"),
        ("规则选项", "；".join(f"{k}={v}" for k, v in a.policies.as_dict().items()) + "；金额四舍五入到分"),
        ("证据材料", "已应用证据规则（R5–R9）" if a.evidence_given else "未提供证据材料：未应用证据规则，各项允许 0 至满分"),
    ]
    row = 2
    for label, value in info:
        ws.cell(row, 1, label).font = style.BOLD
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=ncols)
        write_text(ws.cell(row, 2), value)
        ws.cell(row, 2).font = style.BODY
        row += 1
    if a.panel.note:
        write_text(ws.cell(row, 2), a.panel.note)
        row += 1

    row += 1
    header_row = row
    headers = ["考核项目", "分项指标", "分值", *experts, "小组得分", "允许范围", "分差", "偏离提示"]
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row, col)
        write_text(cell, text)
        cell.font, cell.fill, cell.alignment, cell.border = style.HEADER, style.HEADER_FILL, style.CENTER, style.GRID
    panel_col = 4 + len(experts)
    for result in a.panel.items:
        row += 1
        item = result.item
        cat = a.rubric.category(item.category)
        values = [cat.name, item.name, item.points, *(result.scores[e] for e in experts),
                  _number(result.panel), f"{result.low}–{result.high}", result.spread,
                  "、".join(result.flagged)]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
                cell.number_format = SCORE
            cell.font, cell.border, cell.alignment = style.BODY, style.GRID, style.CENTER
        if result.flagged:
            ws.cell(row, ncols).fill = style.ERROR_FILL
        names.define(wb, f"panel_{item.id}", ws, ws.cell(row, panel_col).coordinate)
    row += 1
    for cat in a.rubric.categories:
        row += 1
        ws.cell(row, 2, f"{cat.name} 小计").font = style.BOLD
        ws.cell(row, 3, cat.points)
        cell = ws.cell(row, panel_col, _number(a.panel.categories[cat.id]))
        cell.number_format, cell.font = SCORE, style.BOLD
        names.define(wb, f"category_{cat.id}", ws, cell.coordinate)
    row += 1
    ws.cell(row, 2, "总分").font = style.HEADER
    ws.cell(row, 3, a.rubric.total)
    cell = ws.cell(row, panel_col, _number(a.panel.total))
    cell.number_format, cell.font, cell.fill = SCORE, style.HEADER, style.TOTAL_FILL
    names.define(wb, "total_score", ws, cell.coordinate)
    row += 1
    ws.cell(row, 2, "考核等级").font = style.HEADER
    cell = ws.cell(row, panel_col, a.grade)
    cell.font, cell.fill = style.HEADER, style.TOTAL_FILL
    names.define(wb, "grade", ws, cell.coordinate)

    for col, width in enumerate([10, 14, 6] + [9] * len(experts) + [10, 10, 7, 16], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    style.a4(ws, landscape=True, title_rows=f"{header_row}:{header_row}")
    _finance_sheet(wb, a)
    if a.findings is not None:
        _evidence_sheet(wb, a)
    wb.properties.creator = "scorecard"
    return wb


def _finance_sheet(wb: Workbook, a: Assessment) -> None:
    s = a.settlement
    ws = wb.create_sheet("扣款")
    ws.merge_cells("A1:E1")
    ws["A1"] = f"服务费扣款计算（{a.period.code}）"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    rows = [
        ("fee", "当次服务费（元）", s.fee, MONEY),
        ("deduction_rate", "考核扣款比例", _number(s.rate), "0.00%"),
        ("deduction_assessment", "考核扣款（元）", s.assessment, MONEY),
        ("deduction_crypto", "密评未通过扣款（元）", s.crypto_penalty, MONEY),
        ("deduction_total", "扣款合计（元）", s.total, MONEY),
        ("payable", "应付服务费（元）", s.payable, MONEY),
    ]
    for offset, (name, label, value, fmt) in enumerate(rows, start=3):
        ws.cell(offset, 1, label).font = style.BOLD
        cell = ws.cell(offset, 2, value)
        cell.number_format, cell.font, cell.border = fmt, style.BODY, style.GRID
        names.define(wb, name, ws, cell.coordinate)
    row = 3 + len(rows) + 1
    for col, text in enumerate(["服务清单行", "税率", "扣款金额（元）", "不含税金额（元）", "税额（元）"], start=1):
        cell = ws.cell(row, col, text)
        cell.font, cell.fill, cell.border, cell.alignment = style.HEADER, style.HEADER_FILL, style.GRID, style.CENTER
    for line in s.lines:
        row += 1
        for col, (value, fmt) in enumerate(
                [(line.name, None), (line.tax_rate, "0%"), (line.amount, MONEY),
                 (line.before_tax, MONEY), (line.tax, MONEY)], start=1):
            cell = ws.cell(row, col, value)
            cell.border, cell.font = style.GRID, style.BODY
            if fmt:
                cell.number_format = fmt
    for col, width in zip("ABCDE", (22, 16, 16, 16, 14)):
        ws.column_dimensions[col].width = width
    style.a4(ws)


def _table(ws, row: int, title: str, headers: list[str], rows: list[list]) -> int:
    """A titled block of rows; returns the next free row."""
    ws.cell(row, 1, title).font = style.HEADER
    row += 1
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row, col, text)
        cell.font, cell.fill, cell.border, cell.alignment = style.HEADER, style.HEADER_FILL, style.GRID, style.CENTER
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
            cell.font, cell.border = style.BODY, style.GRID
    return row + 2


def _yes(value) -> str:
    return "—" if value is None else ("是" if value else "否")


def _evidence_sheet(wb: Workbook, a: Assessment) -> None:
    """证据: what each evidence rule concluded (R5-R9), with the rows behind it."""
    f = a.findings
    ws = wb.create_sheet("证据")
    ws.merge_cells("A1:G1")
    ws["A1"] = f"证据材料与规则结论（{a.period.code}）"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    row = _table(ws, 3, "各项允许范围", ["分项指标", "允许范围", "依据", "提示"], [
        [item.name, f"{f.allowed[item.id].low}–{f.allowed[item.id].high}", f.allowed[item.id].text,
         "；".join(f.allowed[item.id].flags)] for item in a.rubric.items])
    av = f.availability
    row = _table(ws, row, "系统可用性（R6）", ["起", "止（含）", "总分钟", "停机分钟（合并后）", "可用性"], [
        [av.start.date(), (av.end - timedelta(days=1)).date(), fraction_to_decimal(av.total_minutes), fraction_to_decimal(av.outage_minutes),
         fraction_to_decimal(av.value, 10)]])
    row = _table(ws, row, "需求函（R7，3 个工作日）", ["编号", "收到日期", "答复期限", "答复日期", "逾期"], [
        [c.request.id, c.request.received, c.deadline, c.request.replied or "未答复", _yes(c.late)] for c in f.requests])
    row = _table(ws, row, "故障（R8）", ["编号", "发生时间", "等级", "恢复用时（小时）", "10 分钟内响应", "1 小时内到场", "6 小时内排除"], [
        [c.incident.id, c.incident.occurred, c.level,
         "未恢复" if c.recovery_hours is None else fraction_to_decimal(c.recovery_hours, 2),
         _yes(c.responded_in_time), _yes(c.on_site_in_time), _yes(c.fixed_in_time)] for c in f.incidents])
    row = _table(ws, row, "运行月报（R9）", ["月份", "截止日期", "提交日期", "状态", "完整无误"], [
        [f"{r.month:%Y-%m}", r.due, r.submitted or "", r.status, _yes(r.complete)] for r in f.reports])
    _table(ws, row, "其他（R9）", ["项目", "本期", "服务年度累计"], [
        ["投诉（次）", f.complaints, ""], ["未接电话（次）", f.missed_calls, ""],
        ["应急演练（次）", f.drills_period, f.drills_year], ["厂家培训（人次）", f.training_period, f.training_year]])
    for r in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=7):
        for cell in r:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd hh:mm" if getattr(cell.value, "hour", 0) else "yyyy-mm-dd"
    for col, width in zip("ABCDEFG", (16, 18, 72, 20, 14, 14, 14)):
        ws.column_dimensions[col].width = width
    style.a4(ws, landscape=True)
