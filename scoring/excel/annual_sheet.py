"""Writes the year's settlement workbook (年度结算): live formulas with the engine's values cached (R10).

Named cells `annual_fee`, `annual_deduction`, `annual_payable` (interfaces.md §4), plus
`annual_crypto`. A half-year's fee or deduction changed in Excel, WPS or LibreOffice recomputes the
totals, the per-line split and the late payment; the program's values agree with them to the cent.
"""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import scoring.excel.openpyxl_without_numpy  # noqa: F401  (first: openpyxl without numpy)
from openpyxl import Workbook
from openpyxl.styles import Font

from scoring.annual import AnnualSettlement
from scoring.excel import names, style
from scoring.excel.cached import with_cached_values
from scoring.excel.text import write_text
from scoring.numbers import format_number, fraction_to_decimal, is_terminating

SHEET = "年度结算"
MONEY, SCORE, DATE, RATE = "#,##0.00", "0.00", "yyyy-mm-dd", "0.00####%"  # RATE: 0.59375 % as it is
RED = Font(name=style.BODY_FONT, size=12, color="C00000", bold=True)
NAMES = ("annual_fee", "annual_deduction", "annual_payable", "annual_crypto")


def _cell_number(value: Fraction) -> Decimal | float:
    """An exact score or rate as a cell value: the Decimal when it terminates, else the closest float."""
    return fraction_to_decimal(value) if is_terminating(value) else float(value)


def build_annual_workbook(a: AnnualSettlement, contract, sources: dict[str, str], terms) -> bytes:
    """The settlement workbook as xlsx bytes. `sources` maps a period to its summary's file name."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    cached: dict[str, object] = {}

    def put(ref: str, value, font=style.BODY, fmt: str | None = None, fill=None, engine=None):
        cell = ws[ref]
        if isinstance(value, str) and not value.startswith("="):
            write_text(cell, value)
        else:
            cell.value = value
        cell.font, cell.border, cell.alignment = font, style.GRID, style.WRAP
        if fmt:
            cell.number_format = fmt
        if fill:
            cell.fill = fill
        if engine is not None:
            cached[ref] = engine
        return cell

    def header(row: int, labels: list[str]) -> None:
        for k, label in enumerate(labels):
            put(f"{chr(65 + k)}{row}", label, style.HEADER, fill=style.HEADER_FILL)

    ws.merge_cells("A1:J1")
    ws["A1"] = f"{contract.name} 年度结算（服务年度 {a.service_start} 至 {a.service_end}）"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells("A2:J2")
    if a.partial:
        ws["A2"] = f"部分年度：缺少 {'、'.join(a.missing)} 的汇总表，本表不是全年结算"
        ws["A2"].font = RED
    else:
        ws["A2"] = f"全年：{len(a.periods)} 个半年度考核均已汇总；合同 {a.contract_id}；服务费按半年度结算"
        ws["A2"].font = style.BOLD
    ws["A2"].alignment = style.CENTER

    header(4, ["考核期", "服务费（元）", "总分", "等级", "扣款比例", "考核扣款（元）",
               "密评扣款（元）" if terms.crypto else "其他扣款（元）", "扣款合计（元）",
               "应付（元）", "汇总表"])
    row = 5
    payable_at: dict[str, str] = {}  # a period's payable cell, which its payment below follows
    for h in a.periods:
        payable_at[h.period] = f"I{row}"
        put(f"A{row}", h.period, style.BOLD)
        put(f"B{row}", h.fee, fmt=MONEY, fill=style.INPUT_FILL)
        put(f"C{row}", _cell_number(h.total), fmt=SCORE)
        put(f"D{row}", h.grade)
        put(f"E{row}", _cell_number(h.rate), fmt=RATE)
        put(f"F{row}", f"=ROUND(ROUND(B{row}*E{row},8),2)", fmt=MONEY, engine=h.assessment)
        put(f"G{row}", h.crypto_penalty, fmt=MONEY)
        put(f"H{row}", f"=F{row}+G{row}", fmt=MONEY, engine=h.deduction_total)
        put(f"I{row}", f"=B{row}-H{row}", fmt=MONEY, engine=h.payable)
        put(f"J{row}", sources.get(h.period, ""), style.SMALL)
        row += 1
    first, last = 5, row - 1
    put(f"A{row}", "全年合计", style.BOLD, fill=style.TOTAL_FILL)
    put(f"B{row}", f"=SUM(B{first}:B{last})", style.BOLD, MONEY, style.TOTAL_FILL, a.fee)
    put(f"F{row}", f"=SUM(F{first}:F{last})", style.BOLD, MONEY, style.TOTAL_FILL, a.deduction_total - a.crypto_penalty)
    put(f"G{row}", f"=SUM(G{first}:G{last})", style.BOLD, MONEY, style.TOTAL_FILL, a.crypto_penalty)
    put(f"H{row}", f"=SUM(H{first}:H{last})", style.BOLD, MONEY, style.TOTAL_FILL, a.deduction_total)
    put(f"I{row}", "=annual_fee-annual_deduction", style.HEADER, MONEY, style.TOTAL_FILL, a.payable)
    for col in "CDEJ":
        put(f"{col}{row}", None, fill=style.TOTAL_FILL)
    for key, col in zip(NAMES, "BHIG"):
        names.define(wb, key, ws, f"{col}{row}")
    row += 1
    ws.merge_cells(f"A{row}:J{row}")
    put(f"A{row}", ("扣款合计含密评扣款（仅在服务期年终考核时仍未通过密评时一次性扣除，R5）；" if terms.crypto else "")
        + "应付 = 服务费 − 扣款合计。黄色单元格（各半年度服务费、实际付款日）可修改，其余金额随之重算。", style.SMALL)

    row += 2
    ws.merge_cells(f"A{row}:J{row}")
    put(f"A{row}", "全年应付在服务清单各行的拆分（按含税价格比例，各行四舍五入到分，尾差计入金额最大的一行；"
        "每行再拆分为不含税金额和税额，R10），供乙方按行开票", style.BOLD)
    row += 1
    header(row, ["服务清单行", "含税价格（元）", "税率", "按比例（元）", "尾差行", "应付金额（元）", "不含税金额（元）", "税额（元）"])
    top = row + 1
    bottom = top + len(a.lines) - 1
    for k, (line, price) in enumerate(zip(a.lines, contract.lines)):
        r = top + k
        put(f"A{r}", line.name)
        put(f"B{r}", price.amount, fmt=MONEY)
        put(f"C{r}", line.tax_rate, fmt="0%")
        put(f"D{r}", f"=ROUND(ROUND(annual_payable*B{r}/SUM(B{top}:B{bottom}),8),2)", fmt=MONEY, engine=line.share)
        put(f"E{r}", 1 if line.takes_rounding else 0, fmt="0")
        put(f"F{r}", f"=ROUND(D{r}+E{r}*(annual_payable-SUM(D{top}:D{bottom})),2)", fmt=MONEY, engine=line.amount)
        put(f"G{r}", f"=ROUND(ROUND(F{r}/(1+C{r}),8),2)", fmt=MONEY, engine=line.before_tax)
        put(f"H{r}", f"=ROUND(F{r}-G{r},2)", fmt=MONEY, engine=line.tax)
    r = bottom + 1
    put(f"A{r}", "合计", style.BOLD, fill=style.TOTAL_FILL)
    for col, engine in (("B", sum(p.amount for p in contract.lines)), ("F", a.payable),
                        ("G", sum(line.before_tax for line in a.lines)), ("H", sum(line.tax for line in a.lines))):
        put(f"{col}{r}", f"=SUM({col}{top}:{col}{bottom})", style.BOLD, MONEY, style.TOTAL_FILL, engine)

    row = r + 2
    ws.merge_cells(f"A{row}:J{row}")
    put(f"A{row}", f"付款：开具发票后 {terms.due_working_days} 个工作日内支付（按法定节假日和调休，开票当天不计）；"
        f"逾期按应付款的日 {format_number(terms.late_daily_rate * 100)}% 计违约金；逾期 {terms.termination_days} 日以上"
        f"（含 {terms.termination_days} 日）乙方有权解除合同（R10）", style.BOLD)
    row += 1
    header(row, ["项目", "应付金额（元）", "开票日期", "付款到期日", "实际付款日", "逾期天数", "违约金（元）", "乙方可解除合同"])
    if not a.payments:
        row += 1
        ws.merge_cells(f"A{row}:J{row}")
        put(f"A{row}", "未给出开票日期（--invoice-date），未计算付款到期日", style.SMALL)
    for p in a.payments:
        row += 1
        put(f"A{row}", p.label)
        # the amount invoiced follows the payable above: a half year's fee edited in its yellow cell moves it,
        # and its late-payment interest with it
        put(f"B{row}", f"={payable_at.get(p.label, 'annual_payable')}", fmt=MONEY, engine=p.amount)
        put(f"C{row}", p.invoiced, fmt=DATE)
        put(f"D{row}", p.due, fmt=DATE)
        put(f"E{row}", p.paid, fmt=DATE, fill=style.INPUT_FILL)
        days = p.late.days_late if p.late else 0
        put(f"F{row}", f'=IF(E{row}="",0,MAX(0,E{row}-D{row}))', fmt="0", engine=days)
        put(f"G{row}", f"=ROUND(ROUND(B{row}*{format_number(terms.late_daily_rate)}*F{row},8),2)", fmt=MONEY,
            engine=p.late.interest if p.late else 0)
        put(f"H{row}", f'=IF(F{row}>={terms.termination_days},"是","否")',
            engine="是" if p.late and p.late.may_terminate else "否")

    if a.unchecked or a.checks:  # a rubric without yearly minimums (drills, training) has no such heading to fill
        row += 2
        ws.merge_cells(f"A{row}:J{row}")
        put(f"A{row}", "服务年度要求（R9，按各半年度证据材料合计）", style.BOLD)
    if a.unchecked:
        row += 1
        ws.merge_cells(f"A{row}:J{row}")
        put(f"A{row}", "⚠ 未找到证据材料，未核对应急演练次数和培训人次（用 --evidence 给出两个半年度的证据材料）", RED)
    for c in a.checks:
        row += 1
        ws.merge_cells(f"A{row}:J{row}")
        put(f"A{row}", ("⚠ " if c.short else "") + c.text, RED if c.short else style.BODY)

    # money columns (B, D, F-I) hold up to -99,999,999.99 in bold (全年合计): 17 characters, never ###
    for col, width in zip("ABCDEFGHIJ", (14, 17, 12, 17, 14, 17, 17, 17, 17, 26)):
        ws.column_dimensions[col].width = width
    style.a4(ws, landscape=True)
    ws.print_area = f"A1:J{row}"
    wb.properties.title = f"{contract.name} 年度结算"
    wb.properties.creator = "scorecard"
    buffer = io.BytesIO()
    wb.save(buffer)
    return with_cached_values(buffer.getvalue(), {SHEET: cached})
