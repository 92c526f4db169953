"""Build templates/summary.xlsx, the jinja2-templated summary workbook (rendered by scoring.excel.template).

Run from the repository root: python scripts/make_template.py
The secretary may restyle the result in Excel (fonts, widths, colours, texts, moving blocks);
`{{ ... }}` cells, `{% row for ... %}` rows, cell comments of formula cells (their values as the
Python engine computes them) and the defined names must stay.
"""

import unicodedata
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from openpyxl.worksheet.pagebreak import Break

from scoring.capitals import rmb_capitals, rmb_capitals_formula
from scoring.excel import style

OUT = Path(__file__).resolve().parent.parent / "templates" / "summary.xlsx"
# a rate shows the digits a per-point tier gives it (0.125 % a point x 4.75 points = 0.59375 %), at least two
MONEY, SCORE, PERCENT, DATE, DATETIME = "#,##0.00", "0.00", "0.00####%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
HOURS, MINUTES, AVAILABILITY = "0.00", "0.00", "0.00000%"  # availability: the digits of the evidence text (R6)
# The longest values a money column must print (issue 11): a fee of 99,999,999.99 and its 大写, negative too.
LONGEST_MONEY = "-99,999,999.99"
LONGEST_CAPITALS = rmb_capitals(Decimal("-99999999.99"))


def width(*texts: str, padding: float = 2) -> float:
    """Column width (in Excel's character units) that prints the longest text: CJK characters count twice."""
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text) for text in texts) + padding


def capitals(ws, ref, amount_ref, engine, **kw):
    """大写 of the amount in `amount_ref` as a formula (it follows the amount), the engine's text as cached value."""
    return formula(ws, ref, "=" + rmb_capitals_formula(amount_ref), engine, fmt=None, **kw)

RED = Font(name=style.BODY_FONT, size=10, color="C00000", bold=True)


def put(ws, ref, value, font=style.BODY, fmt=None, fill=None, border=True, align=None):
    cell = ws[ref]
    cell.value = value
    cell.font = font
    if fmt:
        cell.number_format = fmt
    if fill:
        cell.fill = fill
    if border:
        cell.border = style.GRID
    cell.alignment = align or style.WRAP
    return cell


def formula(ws, ref, text, engine, fmt=MONEY, **kw):
    """A formula cell with the engine's value as its comment (the renderer stores it as the cached value)."""
    cell = put(ws, ref, text, fmt=fmt, **kw)
    cell.comment = Comment(engine, "scorecard")
    return cell


def header(ws, row, labels, start=1):
    for i, label in enumerate(labels):
        put(ws, f"{get_column_letter(start + i)}{row}", label, style.HEADER, fill=style.HEADER_FILL, align=style.CENTER)


def title(ws, text, last, row=1):
    ws.merge_cells(f"A{row}:{last}{row}")
    put(ws, f"A{row}", text, style.TITLE, border=False, align=style.CENTER)
    ws.row_dimensions[row].height = 30


def label_row(ws, row, label, text, last):
    put(ws, f"A{row}", label, style.BOLD)
    ws.merge_cells(f"B{row}:{last}{row}")
    put(ws, f"B{row}", text)


def widths(ws, values):
    for i, w in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def name(wb, key, sheet, ref):
    absolute = ":".join(f"${r[0]}${r[1:]}" for r in ref.split(":"))
    wb.defined_names[key] = DefinedName(key, attr_text=f"'{sheet}'!{absolute}")


def summary_sheet(wb):
    """汇总: the result on one page: categories, total and grade (live formulas over 评分明细, R2.3, R3), then
    the robustness checks; the items have their own sheet so that no table prints under another's header."""
    ws = wb.active
    ws.title = "汇总"
    title(ws, "{{ contract.name }} 绩效考核汇总表", "J")
    ws.merge_cells("A2:J2")
    put(ws, "A2", "考核期 {{ period.code }}（{{ period.start }} 至 {{ period.end }}），{{ period.kind }}", style.BODY,
        border=False, align=style.CENTER)
    for row, label, text in ((3, "合同", "{{ contract.id }}　{{ contract.name }}（{{ contract.buyer }}）"),
                             (4, "评审专家", "{{ experts_text }}"), (5, "规则选项", "{{ policies_text }}"),
                             (6, "证据材料", "{{ evidence_text }}")):
        label_row(ws, row, label, text, "J")
    ws.row_dimensions[5].height = 30
    header(ws, 8, ["考核项目", "", "分值", "", "", "", "", "得分"])
    for row in (8, 9, 10, 11, 12):
        ws.merge_cells(f"C{row}:G{row}")
    for row in (8, 9):
        ws.merge_cells(f"A{row}:B{row}")
    put(ws, "A9", "{% row for c in categories %}{{ c.name }}", style.BOLD)
    put(ws, "C9", "{{ c.points }}", fmt=SCORE, align=style.CENTER)
    put(ws, "H9", "{{ c.live | named('category_' ~ c.id) }}", style.BOLD, fmt=SCORE, align=style.CENTER)
    for row, label, text, fmt in ((10, "总分", "{{ live.total | named('total_score') }}", SCORE),
                                  (11, "考核等级", "{{ live.grade | named('grade') }}", None)):
        ws.merge_cells(f"A{row}:B{row}")
        put(ws, f"A{row}", label, style.HEADER, fill=style.TOTAL_FILL)
        put(ws, f"H{row}", text, style.HEADER, fmt=fmt, fill=style.TOTAL_FILL, align=style.CENTER)
    put(ws, "C10", "{{ points_total }}", style.HEADER, fmt=SCORE, fill=style.TOTAL_FILL, align=style.CENTER)
    ws.merge_cells("A12:B12")
    put(ws, "A12", "专家总分中位数", style.BOLD)
    put(ws, "H12", "{{ live.median_of_totals }}", fmt=SCORE, align=style.CENTER)
    ws.merge_cells("I12:J12")
    put(ws, "I12", "供参考（R2.3）", style.SMALL)
    ws.merge_cells("A13:J13")
    put(ws, "A13", "小组得分、考核项目得分、总分和等级是“评分明细”中专家得分（输入）的公式：更正某位专家的得分后随之重算。",
        style.SMALL, border=False)
    ws.merge_cells("A15:D15")
    header(ws, 15, ["稳健性检查：其他汇总方式、逐一去掉一位专家"])
    header(ws, 15, ["总分", "等级", "考核扣款（元）", "提示（总分、等级按生成时的评分）"], start=5)
    ws.merge_cells("H15:J15")
    ws.merge_cells("A16:D16")
    put(ws, "A16", "{% row for s in scenarios %}{{ s.label }}")
    put(ws, "E16", "{{ s.total }}", fmt=SCORE, align=style.CENTER)
    put(ws, "F16", "{{ s.grade }}", align=style.CENTER)
    put(ws, "G16", "{{ s.live_deduction }}", fmt=MONEY)
    ws.merge_cells("H16:J16")
    put(ws, "H16", "{{ s.note }}", RED)
    ws.merge_cells("A17:J17")
    put(ws, "A17", "{% row for w in warnings %}⚠ {{ w }}", RED, border=False)
    ws.merge_cells("A18:J18")
    put(ws, "A18", "{{ panel_note }}", style.SMALL, border=False)
    widths(ws, [10, 14, 7, 9, 7, 7, 7, 10, 12, 44])
    ws.column_dimensions["G"].width = width(LONGEST_MONEY, "考核扣款（元）")
    style.a4(ws, landscape=True, title_rows="15:15")  # a long robustness table (many experts) keeps its header


def items_sheet(wb):
    """分项得分: every item of the rubric in use, one row each, its header repeated on every printed page."""
    ws = wb.create_sheet("分项得分")
    title(ws, "各分项得分（{{ period.code }}）", "J")
    ws.merge_cells("A2:J2")
    put(ws, "A2", "最低分、最高分、分差和小组得分是“评分明细”中专家得分（输入）的公式（{{ policies_text }}）；偏离提示和证据按生成时的评分。",
        style.SMALL, border=False)
    ws.row_dimensions[2].height = 48  # the policies in words: up to four printed lines of small type
    header(ws, 3, ["考核项目", "分项指标", "分值", "允许范围", "最低分", "最高分", "分差", "小组得分", "偏离提示", "证据与提示"])
    cells = ["{% row for r in items %}{{ r.category }}", "{{ r.name }}", "{{ r.points }}", "{{ r.range }}",
             "{{ r.live.min }}", "{{ r.live.max }}", "{{ r.live.spread }}", "{{ r.live.panel | named('panel_' ~ r.id) }}",
             "{{ r.flags }}", "{{ r.evidence }}"]
    for i, text in enumerate(cells):
        col = get_column_letter(i + 1)
        put(ws, f"{col}4", text, fmt=SCORE if col in "CEFGH" else None,
            align=style.CENTER if col in "ABCDEFGH" else None)
    ws["H4"].font = style.BOLD
    ws.conditional_formatting.add("I4", FormulaRule(formula=['LEN(I4)>0'], fill=style.ERROR_FILL))
    ws.row_dimensions[4].height = 28
    widths(ws, [10, 14, 7, 9, 7, 7, 7, 10, 12, 44])
    style.a4(ws, landscape=True, title_rows="3:3")


def detail_sheet(wb):
    """评分明细: one row per expert, one column per item of the rubric in use (spilled across), the experts'
    scores as the inputs every live formula starts from."""
    ws = wb.create_sheet("评分明细")
    title(ws, "专家评分明细（{{ period.code }}）", "C")
    put(ws, "A2", "专家", style.HEADER, fill=style.HEADER_FILL, align=style.CENTER)
    put(ws, "B2", "合计", style.HEADER, fill=style.HEADER_FILL, align=style.CENTER)
    put(ws, "C2", "{{ item_names | across }}", style.HEADER, fill=style.HEADER_FILL, align=style.CENTER)
    put(ws, "A3", "分值", style.BOLD, fill=style.TOTAL_FILL)
    put(ws, "B3", "{{ points_total }}", fmt="General", fill=style.TOTAL_FILL, align=style.CENTER)  # 7.5 is not 8
    put(ws, "C3", "{{ item_points | across }}", fmt="General", fill=style.TOTAL_FILL, align=style.CENTER)
    put(ws, "A4", "{% row for e in expert_rows %}{{ e.name }}", style.BOLD)
    put(ws, "B4", "{{ e.live_total }}", style.BOLD, fmt=SCORE, align=style.CENTER)
    put(ws, "C4", "{{ e.scores | across }}", fmt=SCORE, fill=style.INPUT_FILL, align=style.CENTER)
    put(ws, "A5", "中位数", style.BOLD, fill=style.TOTAL_FILL)
    put(ws, "B5", None, fill=style.TOTAL_FILL)
    put(ws, "C5", "{{ live.medians | across }}", style.BOLD, fmt=SCORE, fill=style.TOTAL_FILL, align=style.CENTER)
    name(wb, "expert_scores", "评分明细", "C4:C4")
    name(wb, "expert_totals", "评分明细", "B4:B4")
    put(ws, "A6", "偏离阈值", style.SMALL, border=False)
    put(ws, "B6", "{{ outlier_share | named('outlier_share') }}", style.SMALL, fmt="0%", border=False)
    ws.merge_cells("A7:C7")
    put(ws, "A7", "黄色单元格为专家的得分（输入）；红色：与中位数相差超过该项分值的这一比例，请专家组讨论（R2.4）。"
                  "更正得分后，合计、中位数和“汇总”“扣款”“通知书”中的得分、等级和金额随之重算；更正须按规定记录（复核）。",
        style.SMALL, border=False)
    ws.row_dimensions[7].height = 30
    ws.conditional_formatting.add("C4", FormulaRule(formula=["ABS(C4-MEDIAN(C$4:C$4))>outlier_share*C$3"],
                                                    fill=style.ERROR_FILL))
    put(ws, "A9", "专家：分项指标", style.HEADER, fill=style.HEADER_FILL, align=style.CENTER)
    ws.merge_cells("B9:C9")
    put(ws, "B9", "备注（扣分理由）", style.HEADER, fill=style.HEADER_FILL, align=style.CENTER)
    put(ws, "A10", "{% row for m in notes %}{{ m.expert }}：{{ m.item }}")
    ws.merge_cells("B10:C10")
    put(ws, "B10", "{{ m.text }}")
    widths(ws, [18, 8, 9])
    ws.row_dimensions[2].height = 30
    style.a4(ws, landscape=True, title_rows="2:3")


def finance_sheet(wb):
    """扣款: fee (the input), rate, deductions and payable with their 大写 as formulas (R4, R5), the split over
    the annex-1 lines (R10) and late payment."""
    ws = wb.create_sheet("扣款")
    title(ws, "服务费扣款计算（{{ period.code }}）", "I")
    ws.merge_cells("A2:I2")
    put(ws, "A2", "{{ contract.name }}；{{ period.kind }}。黄色单元格为输入（当次服务费、付款日期；专家得分在“评分明细”表），"
                  "其余得分、金额和大写均为公式，随之重算。", style.SMALL, border=False, align=style.CENTER)
    put(ws, "A4", "当次服务费（元）", style.BOLD)
    put(ws, "B4", "{{ fee | named('fee') }}", style.BOLD, fmt=MONEY, fill=style.INPUT_FILL)
    rows = [
        (5, "考核总分", "=total_score", "{{ total }}", SCORE, "“汇总”表的小组总分"),
        (6, "考核等级", "=grade", "{{ grade }}", None, None),
        (8, "考核扣款（元）", "=ROUND(ROUND(fee*deduction_rate,8),2)", "{{ assessment }}", MONEY, None),
        (10, "扣款合计（元）", "=deduction_assessment+deduction_crypto", "{{ deduction }}", MONEY, None),
        (11, "应付服务费（元）", "=fee-deduction_total", "{{ payable }}", MONEY, None),
    ]
    for row, label, text, engine, fmt, remark in rows:
        put(ws, f"A{row}", label, style.BOLD)
        formula(ws, f"B{row}", text, engine, fmt=fmt)
        ws.merge_cells(f"C{row}:I{row}")
        if remark:
            put(ws, f"C{row}", remark, style.SMALL)
    put(ws, "C6", "{{ live.tier }}", style.SMALL)
    put(ws, "A7", "扣款比例", style.BOLD)
    put(ws, "B7", "{{ live.rate | named('deduction_rate') }}", fmt=PERCENT)
    ws.merge_cells("C7:I7")
    put(ws, "C7", "{{ schedule_text }}", style.SMALL)
    ws.merge_cells("C4:I4")
    for row, key, engine in ((4, "fee", "fee"), (8, "deduction_assessment", "assessment"),
                             (10, "deduction_total", "deduction"), (11, "payable", "payable")):
        capitals(ws, f"C{row}", key, f"{{{{ capitals.{engine} }}}}", font=style.SMALL)
    put(ws, "A9", "{{ crypto_label }}", style.BOLD)
    put(ws, "B9", "{{ crypto_penalty | named('deduction_crypto') }}", fmt=MONEY)
    ws.merge_cells("C9:I9")
    put(ws, "C9", "{{ crypto_text }}；{{ capitals.crypto_penalty }}", style.SMALL)
    for row, key in ((8, "deduction_assessment"), (10, "deduction_total"), (11, "payable")):
        name(wb, key, "扣款", f"B{row}")
    ws["B11"].font = style.HEADER
    ws.merge_cells("A12:I12")
    put(ws, "A12", "{{ overdue_text }}",
        style.SMALL, border=False)
    ws.merge_cells("A13:I13")
    put(ws, "A13", "扣款在服务清单各行的拆分：按含税价格比例，各行四舍五入到分，尾差计入金额最大的一行；每行再拆分为不含税金额和税额（R10）",
        style.BOLD, border=False)
    header(ws, 14, ["服务清单行", "含税价格（元）", "税率", "按比例（元）", "尾差行", "扣款金额（元）", "不含税金额（元）", "税额（元）",
                    "扣款金额大写"])
    put(ws, "A15", "{% row for l in lines %}{{ l.name }}")
    put(ws, "B15", "{{ l.price }}", fmt=MONEY)
    put(ws, "C15", "{{ l.tax_rate }}", fmt="0%", align=style.CENTER)
    formula(ws, "D15", "=ROUND(ROUND(deduction_total*B15/SUM(B15:B15),8),2)", "{{ l.share }}")
    put(ws, "E15", "{{ l.largest }}", fmt="0", align=style.CENTER)
    formula(ws, "F15", "=ROUND(D15+E15*(deduction_total-SUM(D15:D15)),2)", "{{ l.amount }}")
    formula(ws, "G15", "=ROUND(ROUND(F15/(1+C15),8),2)", "{{ l.before_tax }}")
    formula(ws, "H15", "=ROUND(F15-G15,2)", "{{ l.tax }}")
    capitals(ws, "I15", "F15", "{{ l.capitals }}", font=style.SMALL)
    put(ws, "A16", "合计", style.BOLD, fill=style.TOTAL_FILL)
    for col, engine in (("B", "{{ price_total }}"), ("D", "{{ lines_total.share }}"), ("F", "{{ deduction }}"),
                        ("G", "{{ lines_total.before_tax }}"), ("H", "{{ lines_total.tax }}")):
        formula(ws, f"{col}16", f"=SUM({col}15:{col}15)", engine, fill=style.TOTAL_FILL)
    for col in "CEI":
        put(ws, f"{col}16", None, fill=style.TOTAL_FILL)
    ws.merge_cells("A18:I18")
    put(ws, "A18", "逾期付款违约金：{{ payment_text }}。填写两个日期后自动计算。", style.BOLD, border=False)
    put(ws, "A19", "付款到期日", style.BOLD)
    put(ws, "B19", "{{ late.due }}", fmt=DATE, fill=style.INPUT_FILL)
    put(ws, "A20", "实际付款日", style.BOLD)
    put(ws, "B20", "{{ late.paid }}", fmt=DATE, fill=style.INPUT_FILL)
    put(ws, "A21", "逾期天数", style.BOLD)
    formula(ws, "B21", '=IF(OR(payment_due="",payment_date=""),0,MAX(0,payment_date-payment_due))', "{{ late.days }}",
            fmt="0")
    put(ws, "A22", "违约金（元）", style.BOLD)
    put(ws, "B22", "{{ live.late_interest | named('late_interest') }}", fmt=MONEY)
    put(ws, "A23", "乙方可解除合同", style.BOLD)
    put(ws, "B23", "{{ live.terminate }}")
    for row, key in ((19, "payment_due"), (20, "payment_date"), (21, "late_days")):
        name(wb, key, "扣款", f"B{row}")
    money = width(LONGEST_MONEY)  # the headers wrap (style.CENTER): the columns fit the amounts, so the page
    small = width(LONGEST_CAPITALS) * style.SMALL.size / style.BODY.size  # prints near full size (it was ~75 %)
    widths(ws, [width("密评未通过扣款（元）"), money, 6, money, 6, money, money, money, small])
    style.a4(ws, landscape=True)


def evidence_sheet(wb):
    ws = wb.create_sheet("证据")
    title(ws, "证据材料与规则结论（{{ period.code }}）：{{ evidence.given }}", "H")
    blocks = [
        (3, "各项允许范围（R5–R9）", ["分项指标", "允许范围", "依据", "", "", "", "", "提示"],
         "items", "r", ["{{ r.name }}", "{{ r.range }}", "{{ r.evidence }}", None, None, None, None, "{{ r.evidence_flags }}"]),
        (6, "系统可用性（R6）", ["起", "止（不含）", "总分钟", "停机分钟（合并后）", "可用性", "结论"],
         "evidence.uptime", "a", ["{{ a.start }}", "{{ a.end }}", "{{ a.total }}", "{{ a.down }}", "{{ a.value }}",
                                        "{{ a.text }}"]),
        (9, "服务中断（重叠、重复已合并，已截取到考核期）", ["开始", "结束", "分钟"],
         "evidence.outages", "o", ["{{ o.start }}", "{{ o.end }}", "{{ o.minutes }}"]),
        (12, "{{ captions.requests }}", ["编号", "收到日期", "答复期限", "答复日期", "逾期"],
         "evidence.requests", "q", ["{{ q.id }}", "{{ q.received }}", "{{ q.deadline }}", "{{ q.replied }}", "{{ q.late }}"]),
        (15, "{{ captions.incident_log }}", ["编号", "发生时间", "等级", "恢复用时（小时）", "按时响应", "按时到场",
                                                    "按时排除", "瞒报漏报/泄密"],
         "evidence.incident_log", "i", ["{{ i.id }}", "{{ i.occurred }}", "{{ i.level }}", "{{ i.hours }}", "{{ i.responded }}",
                                     "{{ i.on_site }}", "{{ i.fixed }}", "{{ i.concealed }}/{{ i.leaked }}"]),
        (18, "{{ captions.reports }}", ["月份", "截止日期", "提交日期", "状态", "完整无误"],
         "evidence.reports", "m", ["{{ m.month }}", "{{ m.due }}", "{{ m.submitted }}", "{{ m.status }}", "{{ m.complete }}"]),
        (21, "投诉、演练、培训（R9）", ["项目", "本期", "服务年度累计"],
         "evidence.counts", "c", ["{{ c.name }}", "{{ c.period }}", "{{ c.year }}"]),
    ]
    formats = {"start": DATETIME, "end": DATETIME, "occurred": DATETIME, "received": DATE, "deadline": DATE,
               "replied": DATE, "due": DATE, "submitted": DATE, "value": AVAILABILITY, "total": "0",
               "down": MINUTES, "minutes": MINUTES, "hours": HOURS}
    for row, caption, labels, source, var, cells in blocks:
        ws.merge_cells(f"A{row}:H{row}")
        put(ws, f"A{row}", caption, style.HEADER, border=False)
        header(ws, row + 1, labels)
        for k, text in enumerate(cells):
            if text is None:
                continue
            if k == 0:
                text = f"{{% row for {var} in {source} %}}" + text
            key = text.split(".")[-1].rstrip(" }")
            put(ws, f"{get_column_letter(k + 1)}{row + 2}", text, fmt=formats.get(key))
        if source == "items":
            ws.merge_cells(f"C{row + 2}:G{row + 2}")
            ws.merge_cells(f"C{row + 1}:G{row + 1}")
        if source == "evidence.uptime":  # the conclusion in words (99.98037%（停机 52 分钟），允许 7–8 分) on one line
            ws.merge_cells(f"F{row + 2}:H{row + 2}")
            ws.merge_cells(f"F{row + 1}:H{row + 1}")
    for row in (11, 17):  # the requests and the monthly reports start a page (issue 11: no table split under another)
        ws.row_breaks.append(Break(id=row))
    widths(ws, [18, 18, 16, 16, 14, 14, 12, 30])
    style.a4(ws, landscape=True)


def signature_sheet(wb):
    """签字: the result as cells that follow the summary (never a sentence with numbers frozen in it)."""
    ws = wb.create_sheet("签字")
    title(ws, "考核专家签字（{{ period.code }}）", "F")
    ws.merge_cells("A2:F2")
    put(ws, "A2", "{{ contract.name }}", border=False, align=style.CENTER)
    for col, label in zip("ACE", ("考核总分", "考核等级", "扣款合计（元）")):
        put(ws, f"{col}3", label, style.BOLD, align=style.CENTER)
    formula(ws, "B3", "=total_score", "{{ total }}", fmt=SCORE, align=style.CENTER)
    formula(ws, "D3", "=grade", "{{ grade }}", fmt=None, align=style.CENTER)
    formula(ws, "F3", "=deduction_total", "{{ deduction }}", align=style.CENTER)
    header(ws, 5, ["专家", "签字", "日期", "意见", "异议及理由", ""])
    ws.merge_cells("E5:F5")
    put(ws, "A6", "{% row for e in experts %}{{ e }}", style.BOLD, align=style.CENTER)
    for col in "BCD":
        put(ws, f"{col}6", None)
    ws["D6"].value = "□ 同意　□ 有异议"
    ws.merge_cells("E6:F6")
    put(ws, "E6", None)
    ws.row_dimensions[6].height = 48
    # the secretary signs on a line of her own, C:D, and dates on E:F (the labels used to sit side by side with
    # no room between them on the paper people sign)
    on_line = {side: Alignment(horizontal=side, vertical="bottom") for side in ("left", "right")}
    put(ws, "A8", "考核组织人（秘书）签字：", style.BOLD, border=False, align=on_line["right"])
    ws.merge_cells("A8:B8")
    for ref in ("C8", "D8", "F8"):
        put(ws, ref, None, border=False).border = style.SIGN_LINE
    ws.merge_cells("C8:D8")
    put(ws, "E8", "日期：", style.BOLD, border=False, align=on_line["left"]).border = style.SIGN_LINE
    ws.merge_cells("E8:F8")
    ws.row_dimensions[8].height = 36
    ws.merge_cells("A10:F10")
    put(ws, "A10", "签字前请评审小组复核“复核提示”表所列情形（财政部令第87号第六十四条）", border=False)
    widths(ws, [14, 18, 14, 20, 30, width(LONGEST_MONEY)])
    style.a4(ws, title_rows="5:5")


def hints_sheet(wb):
    """复核提示: 87号令 Art. 64, what the data shows for the review group before signing, on a sheet of its own so
    that a long list repeats its own header on every printed page (the signature table repeats another one)."""
    ws = wb.create_sheet("复核提示")
    title(ws, "复核提示（财政部令第87号第六十四条）", "F")
    ws.merge_cells("A2:F2")
    put(ws, "A2", "{{ contract.name }}　{{ period.code }}：签字前请评审小组复核下列情形；更正用 scorecard correct 记录，"
                  "生成新的汇总表，本表不变", border=False)
    ws.row_dimensions[2].height = 30
    header(ws, 3, ["分项指标", "专家", "得分", "情形", "scorecard correct 的参数", ""])
    ws.merge_cells("E3:F3")
    put(ws, "A4", "{% row for h in review_hints %}{{ h.item }}")
    put(ws, "B4", "{{ h.expert }}", align=style.CENTER)
    put(ws, "C4", "{{ h.score }}", align=style.CENTER)
    put(ws, "D4", "{{ h.reason }}")
    ws.merge_cells("E4:F4")
    put(ws, "E4", "{{ h.command }}", style.SMALL)
    ws.row_dimensions[4].height = 30
    widths(ws, [14, 18, 14, 20, 30, 16])
    style.a4(ws, title_rows="3:3")


def audit_sheet(wb):
    ws = wb.create_sheet("审计")
    title(ws, "审计信息", "D")
    header(ws, 3, ["类别", "文件", "SHA-256", "位置（相对汇总表所在文件夹）"])
    put(ws, "A4", "{% row for f in inputs %}{{ f.role }}")
    put(ws, "B4", "{{ f.name }}")
    put(ws, "C4", "{{ f.sha256 }}", style.SMALL)
    put(ws, "D4", "{{ f.place }}", style.SMALL)
    header(ws, 6, ["参数", "值"])
    put(ws, "A7", "{% row for o in options %}{{ o.key }}")
    put(ws, "B7", "{{ o.value }}")
    for row, label, text in ((9, "考核办法", "{{ rubric.title }}（{{ rubric.id }}，版本 {{ rubric.version }}）"),
                             (10, "合同", "{{ contract.id }}"), (11, "程序", "{{ program }}"),
                             (12, "生成时间", "{{ generated }}"),
                             (13, "考核期", "{{ period.code | named('period') }}"),
                             (14, "合同编号", "{{ contract.id | named('contract_id') }}")):
        put(ws, f"A{row}", label, style.BOLD)
        put(ws, f"B{row}", text)
    ws["B12"].number_format = DATETIME
    widths(ws, [width("exclude_announced_maintenance"), 44, 70, 40])
    style.a4(ws, landscape=True)


def notice_sheet(wb):
    """通知书: one A4 page; every amount and its 大写 are formulas over the named cells, so they agree after any edit."""
    ws = wb.create_sheet("通知书")
    title(ws, "扣款通知书", "D")
    ws.merge_cells("A3:D3")
    put(ws, "A3", "致：{{ contract.name }}服务商（乙方）", style.BOLD, border=False)
    ws.merge_cells("A4:D4")
    put(ws, "A4", "根据合同{{ clauses.assessment }}《{{ rubric.title }}》，经专家组考核，{{ period.code }}（{{ period.start }} 至 {{ period.end }}，"
                  "{{ period.kind }}）考核结果及服务费扣款如下：", border=False)
    ws.row_dimensions[4].height = 36
    header(ws, 6, ["项目", "金额或结果", "大写", ""])
    ws.merge_cells("C6:D6")
    rows = [(7, "考核总分", "=total_score", "{{ total }}", SCORE, None, None),
            (8, "考核等级", "=grade", "{{ grade }}", None, None, None),
            (9, "当次服务费（元）", "=fee", "{{ fee }}", MONEY, "fee", "fee"),
            (10, "扣款比例", "=deduction_rate", "{{ rate }}", PERCENT, None, None),
            (11, "考核扣款（元）", "=deduction_assessment", "{{ assessment }}", MONEY, "deduction_assessment", "assessment"),
            (12, "{{ crypto_label }}", "=deduction_crypto", "{{ crypto_penalty }}", MONEY, "deduction_crypto", "crypto_penalty"),
            (13, "扣款合计（元）", "=deduction_total", "{{ deduction }}", MONEY, "deduction_total", "deduction"),
            (14, "应付服务费（元）", "=payable", "{{ payable }}", MONEY, "payable", "payable")]
    for row, label, text, engine, fmt, amount, key in rows:
        put(ws, f"A{row}", label, style.BOLD)
        formula(ws, f"B{row}", text, engine, fmt=fmt)
        ws.merge_cells(f"C{row}:D{row}")
        if amount:
            capitals(ws, f"C{row}", amount, f"{{{{ capitals.{key} }}}}")
        else:
            put(ws, f"C{row}", None)
        ws.row_dimensions[row].height = 22
    ws.merge_cells("A16:D16")
    put(ws, "A16", "扣款在服务清单各行的拆分及计算过程见本工作簿“扣款”表。特此通知。", border=False)
    ws.merge_cells("A17:D17")  # a corrected result says so where it is paid from (blank otherwise)
    put(ws, "A17", "{{ notice_correction }}", border=False)
    ws.row_dimensions[17].height = 36
    ws.merge_cells("C19:D19")
    put(ws, "C19", "{{ contract.buyer }}", style.BOLD, border=False)
    ws.merge_cells("C20:D20")
    put(ws, "C20", "（盖章）　　年　　月　　日", border=False)
    widths(ws, [width("密评未通过扣款（元）"), width(LONGEST_MONEY), width(LONGEST_CAPITALS) / 2 + 1,
                width(LONGEST_CAPITALS) / 2 + 1])
    style.a4(ws)
    ws.page_setup.fitToHeight = 1  # the notice is one page (issue 11), a document of its own: no page number
    ws.oddFooter.center.text = None
    ws.print_area = "A1:D20"


def border_merged(ws):
    """A bordered merged cell keeps its grid on every side: Excel and LibreOffice draw a merged range's right
    edge from its last cell, which had none (the 签字 and 通知书 tables printed open on the right)."""
    for merged in ws.merged_cells.ranges:
        first = ws.cell(merged.min_row, merged.min_col)
        if first.border != style.GRID:
            continue
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                ws.cell(row, col).border = style.GRID


def main() -> None:
    wb = Workbook()
    summary_sheet(wb)
    items_sheet(wb)
    detail_sheet(wb)
    finance_sheet(wb)
    evidence_sheet(wb)
    signature_sheet(wb)
    hints_sheet(wb)
    audit_sheet(wb)
    notice_sheet(wb)
    for ws in wb.worksheets:
        border_merged(ws)
    wb.properties.creator = "scorecard"
    OUT.parent.mkdir(exist_ok=True)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
