"""The line of guidance above each table of a blank evidence workbook, in the words of the contract in use.

The limits it quotes (reply deadline, incident time limits, report due day, minimum drills and training,
points per complaint, the maintenance notice) and the names of the items they bear on come from the rubric's
evidence rules (R6-R9) and the contract's policies, so another contract's workbook does not tell the vendor's
staff the embedded contract's numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring.numbers import format_number

if TYPE_CHECKING:
    from scoring.policies import Policies
    from scoring.rubric import Rubric

NOT_SCORED = "本合同的考核办法不按此表评分，可不填写。"
HOLIDAYS = ("程序内置国务院公布的节假日安排（含调休）。尚未内置的年份（如 2027 年）请在此逐日填写法定节假日（休息日）"
            "和调休上班的周末（工作日）；填写的日期优先于内置安排。只填部分节日时，期限跨越未填写的法定节日"
            "（元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）会报错，请把用到的节日都填上。")


def duration(minutes: int) -> str:
    """A time limit as people say it: 10 分钟, 1 小时, 90 分钟, 1 天."""
    if minutes and minutes % 1440 == 0:
        return f"{minutes // 1440} 天"
    if minutes and minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def table_hints(rubric: Rubric, policies: Policies) -> dict[str, str]:
    """Each evidence table's guidance (by table name, evidence_tables.TABLES) for `rubric` and `policies`."""
    def bound(rule: str):
        items = rubric.bound(rule)
        return items[0] if items else None

    hints = {}
    uptime = bound("uptime-bands")
    hints["outages"] = ("每次服务中断一行。" + (
        f"计划检修若提前 {uptime.params.notice_working_days} 个工作日通知，可填“通知日期”（仅在规则选项 "
        "exclude_announced_maintenance=on 时扣除）。规则选项 availability_period=service-year 时，请填写整个服务年度的中断。"
        if uptime else NOT_SCORED))
    reply = bound("reply-deadline")
    hints["requests"] = ("每份需求函一行。" + (
        f"收到后 {reply.params.reply_working_days} 个工作日内答复为按时（收到当天不计）；未答复的按逾期计，"
        f"每逾期一件“{reply.name}”扣 {format_number(reply.params.points_per_late)} 分。" if reply else NOT_SCORED))
    reports = bound("monthly-reports")
    hints["reports"] = ("每月一行。" + (
        f"月报应在次月 {policies.report_due_day} 日（含）前提交；未填提交日期视为未提交。" if reports else NOT_SCORED))
    incidents, leaks = bound("incident-log"), bound("data-leaks")
    if incidents:
        p = incidents.params
        text = (f"每起故障一行。要求发现故障后 {duration(p.response_minutes)}内响应、{duration(p.on_site_minutes)}内到场、"
                f"{duration(p.fix_minutes)}内排除（从“发现时间”起算，未填发现时间的按发生时间计算）；"
                f"存在瞒报漏报的“{incidents.name}”不得分")
        hints["incidents"] = text + (f"，数据泄密的“{leaks.name}”不得分。" if leaks else "。")
    else:
        hints["incidents"] = "每起故障一行。" + (f"数据泄密的“{leaks.name}”不得分。" if leaks else NOT_SCORED)
    complaints = bound("complaint-cap")
    hints["complaints"] = ("每次投诉或未及时接听的服务电话一行" + (
        f"；每次使“{complaints.name}”最高分降低 {format_number(complaints.params.points_per_complaint)} 分。"
        if complaints else "。" + NOT_SCORED))
    drills = bound("drill-count")
    hints["drills"] = ("每次数据恢复应急演练一行" + (
        f"（每年不少于 {drills.params.min_per_year} 次）。年终考核请填写整个服务年度的演练。" if drills else "。" + NOT_SCORED))
    training = bound("training-count")
    hints["trainings"] = ("每次厂家培训一行" + (
        f"（每年不少于 {training.params.min_per_year} 人次）。年终考核请填写整个服务年度的培训。"
        if training else "。" + NOT_SCORED))
    hints["holidays"] = HOLIDAYS
    return hints
