"""scorecard for xlwings Lite (Excel 365, Excel on the web, Mac; no local Python).

Paste this file into the xlwings Lite editor's main.py and requirements.txt beside it into the
editor's requirements.txt (see addin/README.md). The functions are the same as addin/udfs.py.
"""

from xlwings import arg, func, ret

from scoring import functions as F
from scoring.functions import safe

# --- the definitions below are shared with addin/udfs.py ---


@func
def sc_grade(score, bounds="lower-bound-inclusive"):
    """考核等级（R3）：总分 >= 90 优秀，>= 80 良好，>= 60 合格，否则不合格。"""
    return safe(F.sc_grade, score, bounds)


@func
def sc_deduction_rate(score):
    """扣款比例（R4）：总分 80 及以上为 0；60 至 80 为 (80-总分)/100；60 以下为 0.5。"""
    return safe(F.sc_deduction_rate, score)


@func
def sc_deduction(score, fee, crypto_failed_at_year_end=None):
    """扣款金额（元，R4、R5）：服务费 x 扣款比例，四舍五入到分；年终考核密评未通过另加 20,000 元。"""
    return safe(F.sc_deduction, score, fee, crypto_failed_at_year_end)


@func
@arg("scores_range", ndim=2)
@ret(expand="table")
def sc_panel(scores_range, policy="item-median"):
    """小组得分（R2.3）：区域每行一个分项、每列一位专家；返回每行的小组得分（一列）。"""
    return safe(F.sc_panel, scores_range, policy)


@func
@arg("holidays_range", ndim=2)
def sc_workdays(start, end, holidays_range=None):
    """工作日数（R7，同 NETWORKDAYS 含首尾）：按法定节假日和调休，可另给节假日调整表。"""
    return safe(F.sc_workdays, start, end, holidays_range)


@func
@arg("holidays_range", ndim=2)
def sc_deadline(received, working_days, holidays_range=None):
    """期限（R7）：收到之日后第 N 个工作日（收到当天不计），如答复 3、整改 5、付款 60。"""
    return safe(F.sc_deadline, received, working_days, holidays_range)


@func
@arg("outage_starts", ndim=2)
@arg("outage_ends", ndim=2)
def sc_availability(period_start, period_end, outage_starts, outage_ends):
    """系统可用性（R6）：正常服务时间 / 总服务时间，重叠中断合并、截取到考核期。"""
    return safe(F.sc_availability, period_start, period_end, outage_starts, outage_ends)


@func
def sc_availability_band(availability):
    """可用性对应的允许得分（R6）：>99.98% 为 7–8，>99.86% 为 3–6，其余 0–3。"""
    return safe(F.sc_availability_band, availability)


@func
@arg("received_range", ndim=2)
@arg("replied_range", ndim=2)
@arg("holidays_range", ndim=2)
def sc_late_replies(received_range, replied_range, holidays_range=None):
    """逾期答复件数（R7）：收到后 3 个工作日内未答复的需求函（未答复计为逾期）。"""
    return safe(F.sc_late_replies, received_range, replied_range, holidays_range)


@func
def sc_incident_level(systems, recovery_hours, data_lost=None, leaked=None):
    """故障等级（R8）：一般、严重、特大。"""
    return safe(F.sc_incident_level, systems, recovery_hours, data_lost, leaked)


@func
def sc_check(item, score, evidence1=None, evidence2=None):
    """得分是否允许及原因（R1.2、R5–R9），如 SC_CHECK("availability", 7.5, 0.9998)。"""
    return safe(F.sc_check, item, score, evidence1, evidence2)


@func
def sc_late_payment(amount, due_date, paid_date):
    """逾期付款违约金（元，R10）：应付金额 x 0.05% x 逾期天数，四舍五入到分。"""
    return safe(F.sc_late_payment, amount, due_date, paid_date)
