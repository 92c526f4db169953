"""The scorecard Excel functions (interfaces.md §3) for the xlwings add-in: SC_GRADE, SC_DEDUCTION, ...

Each function's Python name is its Excel name in lower case. They are thin: the work and the
conversion of Excel-shaped arguments happen in scoring.functions, and a bad argument gives a short
Chinese message in the cell.

Argument names become VBA parameter names when xlwings writes the wrapper module ("Import
Functions"): they must not be VBA reserved words (`end`, `date`, `type`, ...) nor look like cells
(`a1`, `fy2027`, `r1c1`); tests/test_addin_hosts.py parses the generated module and checks every name.
`err_to_str=True` makes desktop xlwings pass error cells as "#N/A" (not as blanks), so the message
names the argument. addin/lite/main.py is generated from this file's definitions and the core by
scripts/make_lite.py.
"""

from xlwings import arg, func, ret

from scoring import functions as F
from scoring.functions import safe

# --- the definitions below are shared with addin/lite/main.py ---


@func
@arg("score", doc="总分（0 到 100）", err_to_str=True)
@arg("bounds", doc="等级边界：lower-bound-inclusive 或 upper-bound-inclusive（默认按合同）", err_to_str=True)
def sc_grade(score, bounds=None):
    """考核等级（R3，按合同；内置合同：总分 >= 90 优秀，>= 80 良好，>= 60 合格，否则不合格）。"""
    return safe(F.sc_grade, score, bounds)


@func
@arg("score", doc="总分（0 到 100）", err_to_str=True)
def sc_deduction_rate(score):
    """扣款比例（R4，按合同的扣款档次；内置合同：80 分及以上为 0，60 至 80 为 (80-总分)/100，60 以下为 0.5）。"""
    return safe(F.sc_deduction_rate, score)


@func
@arg("score", doc="总分（0 到 100）", err_to_str=True)
@arg("fee", doc="当次服务费（元）", err_to_str=True)
@arg("crypto_failed_at_year_end", doc="年终考核密评未通过：是/否（默认否）", err_to_str=True)
def sc_deduction(score, fee, crypto_failed_at_year_end=None):
    """扣款金额（元，R4、R5）：服务费 x 扣款比例，四舍五入到分；年终考核密评未通过按合同另加密评扣款。"""
    return safe(F.sc_deduction, score, fee, crypto_failed_at_year_end)


@func
@arg("scores_range", ndim=2, doc="评分区域：每行一个分项，每列一位专家", err_to_str=True)
@arg("policy", doc="汇总方式：item-median、mean、trimmed-mean（默认按合同）", err_to_str=True)
@ret(expand="table")
def sc_panel(scores_range, policy=None):
    """小组得分（R2.3）：区域每行一个分项、每列一位专家；返回每行的小组得分（一列）。"""
    return safe(F.sc_panel, scores_range, policy)


@func
@arg("scores_range", ndim=2, doc="评分区域：每个分项一行（按考核办法的分项顺序，可在首列写分项），每列一位专家", err_to_str=True)
@arg("fee", doc="当次服务费（元），默认为年服务费的一半", err_to_str=True)
@arg("aggregation", doc="汇总方式：item-median、total-median、mean、trimmed-mean（默认按合同）", err_to_str=True)
@arg("bounds", doc="等级边界：lower-bound-inclusive 或 upper-bound-inclusive（默认按合同）", err_to_str=True)
@arg("crypto_failed_at_year_end", doc="年终考核密评未通过：是/否（默认否）", err_to_str=True)
def sc_scorecard(scores_range, fee=None, aggregation=None, bounds=None, crypto_failed_at_year_end=None):
    """整张考核表（R2.3、R3–R5）：返回两列（溢出）：各分项小组得分、各考核项目、总分、等级、扣款比例、扣款和应付服务费。"""
    return safe(F.sc_scorecard, scores_range, fee, aggregation, bounds, crypto_failed_at_year_end)


@func
@arg("scores_range", ndim=2, doc="评分区域：同 SC_SCORECARD", err_to_str=True)
@arg("category", doc="考核项目：合同中的 id 或中文名（内置合同：capability/quality/security/other）", err_to_str=True)
@arg("aggregation", doc="汇总方式：item-median、total-median、mean、trimmed-mean（默认按合同）", err_to_str=True)
def sc_category(scores_range, category, aggregation=None):
    """一个考核项目的小组得分（R2.3），如 SC_CATEGORY(B2:F14, "服务质量")。"""
    return safe(F.sc_category, scores_range, category, aggregation)


@func
@arg("start_date", doc="开始日期", err_to_str=True)
@arg("end_date", doc="结束日期", err_to_str=True)
@arg("holidays_range", ndim=2, doc="节假日表（可选）：一列休息日，或“日期、休息日/工作日”两列", err_to_str=True)
def sc_workdays(start_date, end_date, holidays_range=None):
    """工作日数（R7，同 NETWORKDAYS 含首尾）：按法定节假日和调休，可另给节假日调整表。"""
    return safe(F.sc_workdays, start_date, end_date, holidays_range)


@func
@arg("received", doc="收到日期", err_to_str=True)
@arg("working_days", doc="工作日数 N，如答复 3、整改 5", err_to_str=True)
@arg("holidays_range", ndim=2, doc="节假日表（可选）：一列休息日，或“日期、休息日/工作日”两列", err_to_str=True)
def sc_deadline(received, working_days, holidays_range=None):
    """期限（R7）：收到之日后第 N 个工作日（收到当天不计），如答复 3、整改 5、付款 60。"""
    return safe(F.sc_deadline, received, working_days, holidays_range)


@func
@arg("period_start", doc="考核期开始日期", err_to_str=True)
@arg("period_end", doc="考核期结束日期", err_to_str=True)
@arg("outage_starts", ndim=2, doc="各次中断的开始时间", err_to_str=True)
@arg("outage_ends", ndim=2, doc="各次中断的结束时间", err_to_str=True)
def sc_availability(period_start, period_end, outage_starts, outage_ends):
    """系统可用性（R6）：正常服务时间 / 总服务时间，重叠中断合并、截取到考核期。"""
    return safe(F.sc_availability, period_start, period_end, outage_starts, outage_ends)


@func
@arg("availability", doc="可用性，如 0.9995 或 99.95", err_to_str=True)
def sc_availability_band(availability):
    """可用性对应的允许得分（R6，按合同；内置合同：>99.98% 为 7–8，>99.86% 为 3–6，其余 0–3）。"""
    return safe(F.sc_availability_band, availability)


@func
@arg("received_range", ndim=2, doc="各需求函的收到日期", err_to_str=True)
@arg("replied_range", ndim=2, doc="各需求函的答复日期（未答复留空）", err_to_str=True)
@arg("holidays_range", ndim=2, doc="节假日表（可选）", err_to_str=True)
def sc_late_replies(received_range, replied_range, holidays_range=None):
    """逾期答复件数（R7）：收到后合同规定的工作日内（内置合同为 3 个）未答复的需求函，未答复计为逾期。"""
    return safe(F.sc_late_replies, received_range, replied_range, holidays_range)


@func
@arg("systems", doc="影响的系统数", err_to_str=True)
@arg("recovery_hours", doc="恢复用时（小时，未恢复留空）", err_to_str=True)
@arg("data_lost", doc="数据丢失：是/否", err_to_str=True)
@arg("leaked", doc="数据泄密：是/否", err_to_str=True)
def sc_incident_level(systems, recovery_hours, data_lost=None, leaked=None):
    """故障等级（R8）：一般、严重、特大。"""
    return safe(F.sc_incident_level, systems, recovery_hours, data_lost, leaked)


@func
@arg("item", doc="分项，如 availability、response", err_to_str=True)
@arg("score", doc="得分", err_to_str=True)
@arg("evidence1", doc="证据：可用性、逾期件数、投诉次数、泄密次数、瞒报次数或密评是否通过", err_to_str=True)
@arg("evidence2", doc="证据（密评）：是否年终考核", err_to_str=True)
def sc_check(item, score, evidence1=None, evidence2=None):
    """得分是否允许及原因（R1.2、R5–R9），如 SC_CHECK("availability", 7.5, 0.9998)。"""
    return safe(F.sc_check, item, score, evidence1, evidence2)


@func
@arg("amount", doc="应付金额（元）", err_to_str=True)
@arg("due_date", doc="到期日", err_to_str=True)
@arg("paid_date", doc="实际付款日", err_to_str=True)
def sc_late_payment(amount, due_date, paid_date):
    """逾期付款违约金（元，R10）：应付金额 x 合同的日违约金比例（内置合同 0.05%）x 逾期天数，四舍五入到分。"""
    return safe(F.sc_late_payment, amount, due_date, paid_date)
