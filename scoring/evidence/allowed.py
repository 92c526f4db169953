"""R5-R9 together: from a period's evidence to each item's allowed range and what the experts are told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from scoring.calendar import WorkCalendar, make_calendar
from scoring.contract import Contract
from scoring.evidence.availability import Availability, availability, band
from scoring.evidence.incidents import IncidentCheck, check_incident
from scoring.evidence.model import Evidence
from scoring.evidence.others import (COMPLAINT, MIN_DRILLS_PER_YEAR, MIN_TRAINING_PER_YEAR, MISSED_CALL, ReportCheck,
                                     check_reports, satisfaction_cap)
from scoring.evidence.requests import RequestCheck, check_requests, response_score
from scoring.money import format_money
from scoring.numbers import format_number
from scoring.period import Period
from scoring.policies import Policies
from scoring.rubric import Rubric


@dataclass(frozen=True)
class Allowed:
    """The allowed score range of one item after the evidence rules, and the lines shown to experts."""

    low: Decimal
    high: Decimal
    text: str
    rule: str = ""
    flags: tuple[str, ...] = ()

    @property
    def fixed(self) -> bool:
        """Determined by the evidence: a single allowed value, pre-filled and locked."""
        return self.low == self.high


@dataclass(frozen=True)
class Findings:
    """What the evidence rules concluded for a period: allowed ranges plus every computation behind them."""

    allowed: dict[str, Allowed]
    availability: Availability
    requests: tuple[RequestCheck, ...]
    incidents: tuple[IncidentCheck, ...]
    reports: tuple[ReportCheck, ...]
    complaints: int
    missed_calls: int
    drills_period: int
    drills_year: int
    training_period: int
    training_year: int
    crypto_penalty: bool


def percent(value) -> str:
    """An exact ratio as a percentage cut (not rounded) to 5 decimals, so it never shows a higher band: 99.98037%."""
    exact = Decimal(value.numerator) / Decimal(value.denominator) * 100
    return f"{exact.quantize(Decimal('0.00001'), rounding=ROUND_DOWN)}%"


def _range(low: Decimal, high: Decimal) -> str:
    if low == high:
        return f"得 {format_number(low)} 分（已确定）"
    return f"允许 {format_number(low)}–{format_number(high)} 分"


def _in(day: date, first: date, last: date) -> bool:
    return first <= day <= last


def evaluate(
    evidence: Evidence,
    rubric: Rubric,
    contract: Contract,
    period: Period,
    year_end: bool,
    policies: Policies,
    calendar: WorkCalendar | None = None,
) -> Findings:
    """Apply R5-R9 to a period's evidence: each item's allowed range with its explanation.

    Raises CalendarYearMissing (R7) when a deadline falls in a year no calendar covers.
    """
    calendar = calendar or make_calendar(evidence.holidays)
    first, last = period.start, period.end
    year_first = contract.service_start
    points = {item.id: item.points for item in rubric.items}
    allowed: dict[str, Allowed] = {}

    def full(item_id: str, text: str, rule: str = "", flags: tuple[str, ...] = ()) -> None:
        allowed[item_id] = Allowed(Decimal(0), points[item_id], f"{text}；{_range(Decimal(0), points[item_id])}",
                                   rule, flags)

    # R6 availability
    span_first = year_first if policies.availability_period == "service-year" else first
    avail = availability(evidence.outages, span_first, last, policies.exclude_announced_maintenance, calendar)
    low, high = band(avail.value)
    high = min(high, points["availability"])
    span = "服务年度累计" if policies.availability_period == "service-year" else "本期"
    allowed["availability"] = Allowed(
        low, high, f"{span}可用性 {percent(avail.value)}（停机 {format_number(avail.outage_minutes)} 分钟），{_range(low, high)}",
        "R6")

    # R7 requests
    requests = tuple(check_requests([r for r in evidence.requests if _in(r.received, first, last)], calendar))
    late = [c for c in requests if c.late]
    score = min(response_score(len(late), points["response"]), points["response"])
    late_ids = "、".join(c.request.id or str(c.request.received) for c in late)
    allowed["response"] = Allowed(
        score, score, f"需求函 {len(requests)} 件，逾期 {len(late)} 件{f'（{late_ids}）' if late else ''}；{_range(score, score)}",
        "R7")

    # R8 incidents and leaks
    incidents = tuple(check_incident(i) for i in evidence.incidents if _in(i.occurred.date(), first, last))
    concealed = [c.incident.id for c in incidents if c.incident.concealed]
    levels = {lvl: sum(1 for c in incidents if c.level == lvl) for lvl in ("一般", "严重", "特大")}
    summary = f"故障 {len(incidents)} 起" + (
        "（" + "，".join(f"{k} {v}" for k, v in levels.items() if v) + "）" if incidents else "")
    missed = sum(1 for c in incidents for ok in (c.responded_in_time, c.on_site_in_time, c.fixed_in_time) if ok is False)
    if missed:
        summary += f"，超时 {missed} 项"
    undiscovered = [c.incident.id for c in incidents if c.from_occurrence]
    if undiscovered:
        summary += f"（{'、'.join(undiscovered)} 未填发现时间，时限按发生时间计算）"
    if concealed:
        zero = Decimal(0)
        allowed["incidents"] = Allowed(zero, zero, f"{summary}；存在瞒报、漏报（{'、'.join(concealed)}），{_range(zero, zero)}", "R8")
    else:
        full("incidents", summary, "R8")
    leaks = [c.incident.id for c in incidents if c.incident.leaked]
    ds = Decimal(0) if leaks else points["data_security"]
    allowed["data_security"] = Allowed(
        ds, ds, (f"发生数据泄密 {len(leaks)} 次（{'、'.join(leaks)}）" if leaks else "未发生数据泄密") + f"；{_range(ds, ds)}", "R8")

    # R9 reports, drills, trainings, satisfaction
    reports = tuple(check_reports(evidence.reports, first, last, policies.report_due_day))
    bad = [r for r in reports if r.status != "按时" or not r.complete]
    detail = "、".join(f"{r.month:%Y-%m}{r.status if r.status != '按时' else ''}{'' if r.complete or r.status == '未提交' else '不完整'}"
                      for r in bad)
    full("report", f"月报 {len(reports)} 个月：按时 {len(reports) - len(bad)}" + (f"，有问题 {len(bad)}（{detail}）" if bad else ""), "R9")

    drills_period = sum(1 for d in evidence.drills if _in(d.day, first, last))
    drills_year = sum(1 for d in evidence.drills if _in(d.day, year_first, last))
    flags = (f"服务年度演练 {drills_year} 次，少于 {MIN_DRILLS_PER_YEAR} 次",) if year_end and drills_year < MIN_DRILLS_PER_YEAR else ()
    full("drills", f"本期演练 {drills_period} 次，服务年度累计 {drills_year} 次" + (f"（{flags[0]}）" if flags else ""), "R9", flags)

    training_period = sum(t.persons for t in evidence.trainings if _in(t.day, first, last))
    training_year = sum(t.persons for t in evidence.trainings if _in(t.day, year_first, last))
    flags = (f"服务年度培训 {training_year} 人次，少于 {MIN_TRAINING_PER_YEAR} 人次",) if year_end and training_year < MIN_TRAINING_PER_YEAR else ()
    full("training", f"本期培训 {training_period} 人次，服务年度累计 {training_year} 人次" + (f"（{flags[0]}）" if flags else ""), "R9", flags)

    in_period = [c for c in evidence.complaints if _in(c.day, first, last)]
    complaints = sum(1 for c in in_period if c.kind == COMPLAINT)
    missed_calls = sum(1 for c in in_period if c.kind == MISSED_CALL)
    cap = satisfaction_cap(in_period, points["satisfaction"])
    allowed["satisfaction"] = Allowed(Decimal(0), cap, f"投诉 {complaints} 次、未接电话 {missed_calls} 次，最高 {format_number(cap)} 分；"
                                                       f"{_range(Decimal(0), cap)}", "R9")

    # MLPS and R5 crypto
    full("mlps", "三级等保证书：" + ("已取得" if evidence.mlps_certified else "未取得"))
    penalty = year_end and not evidence.crypto_passed
    if penalty:
        zero = Decimal(0)
        allowed["crypto"] = Allowed(zero, zero, f"年终考核时密评仍未通过：{_range(zero, zero)}，另扣服务费 {format_money(contract.crypto_penalty)} 元",
                                    "R5")
    else:
        full("crypto", "密评：" + ("已通过" if evidence.crypto_passed else "尚未通过（年中考核，酌情打分）"), "R5")

    for item in rubric.items:
        if item.id not in allowed:
            full(item.id, "无可自动核对的证据，请查阅材料")
    return Findings(allowed, avail, requests, incidents, reports, complaints, missed_calls,
                    drills_period, drills_year, training_period, training_year, penalty)
