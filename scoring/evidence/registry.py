"""The evidence rules (R5-R9), registered by name: each is bound to an item by the rubric's data
(``evidence = NAME`` with its ``params``), never by item id.

A rule has two faces over the same pure functions: ``apply`` (the period's evidence -> the item's
allowed range, used by new-panel and summarize) and ``quick`` (counts typed into a cell -> the
allowed range, used by SC_CHECK). ``apply`` records what it computed in `facts` for the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Sequence

from scoring.evidence.allowed import Allowed, Context, full, percent, range_text
from scoring.evidence.availability import availability, band
from scoring.evidence.incidents import check_incident
from scoring.evidence.others import COMPLAINT, MISSED_CALL, check_reports, complaint_cap
from scoring.evidence.requests import check_requests, response_score
from scoring.numbers import format_number
from scoring.policies import SERVICE_YEAR_SPAN
from scoring.rubric import Item

Quick = Callable[[Item, Any, Sequence[Any]], tuple[Decimal, Decimal, str]]


@dataclass(frozen=True)
class EvidenceRule:
    """One evidence rule: its name (as written in the rubric) and its two faces; its rule number is declared
    once, with its parameters, in evidence/params.py (``rule`` below reads it there)."""

    name: str
    apply: Callable[[Item, Any, Context, dict[str, Any]], Allowed]
    quick: Quick | None = None  # for SC_CHECK: the evidence as values typed into cells
    quick_args: tuple[str, ...] = ("number",)  # how SC_CHECK reads those cells: number or flag (是/否)

    @property
    def rule(self) -> str:
        """The rule number of rules.md this evidence rule implements (R5-R9, R1 for 等保)."""
        from scoring.evidence.params import SPECS

        return SPECS[self.name].rule


def _in(day: date, first: date, last: date) -> bool:
    return first <= day <= last


def _fixed(value: Decimal, text: str, rule: str) -> Allowed:
    return Allowed(value, value, f"{text}；{range_text(value, value)}", rule)


# R6 ---------------------------------------------------------------------------------------------

def _availability(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    service_year = ctx.policies.availability_period == SERVICE_YEAR_SPAN
    first = ctx.contract.service_start if service_year else ctx.period.start
    avail = availability(ctx.evidence.outages, first, ctx.period.end, ctx.policies.exclude_announced_maintenance,
                         ctx.calendar, params.notice_working_days)
    low, high = band(avail.value, params)
    high = min(high, item.points)
    span = "服务年度累计" if service_year else "本期"
    text = f"{span}可用性 {percent(avail.value)}（停机 {format_number(avail.outage_minutes)} 分钟），{range_text(low, high)}"
    facts.update(availability=avail, availability_text=text)
    return Allowed(low, high, text, "R6")


def _availability_quick(item: Item, params: Any, given: Sequence[Any]) -> tuple[Decimal, Decimal, str]:
    value = Decimal(given[0])
    value = value / 100 if value > 1 else value  # typed as a percentage number
    low, high = band(Fraction(value), params)
    return low, min(high, item.points), f"可用性 {value * 100}%"


# R7 ---------------------------------------------------------------------------------------------

def _requests(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    requests = tuple(check_requests([r for r in ctx.evidence.requests if _in(r.received, ctx.period.start, ctx.period.end)],
                                    ctx.calendar, params))
    late = [c for c in requests if c.late]
    score = min(response_score(len(late), item.points, params), item.points)
    late_ids = "、".join(c.request.id or str(c.request.received) for c in late)
    facts["requests"] = requests
    return _fixed(score, f"需求函 {len(requests)} 件，逾期 {len(late)} 件{f'（{late_ids}）' if late else ''}", "R7")


def _requests_quick(item: Item, params: Any, given: Sequence[Any]) -> tuple[Decimal, Decimal, str]:
    n = Decimal(given[0])
    score = response_score(n, item.points, params)
    return score, score, f"逾期 {format_number(n)} 件"


# R8 ---------------------------------------------------------------------------------------------

def _incidents(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    incidents = tuple(check_incident(i, params) for i in ctx.evidence.incidents
                      if _in(i.occurred.date(), ctx.period.start, ctx.period.end))
    facts["incidents"] = incidents
    concealed = [c.incident.id for c in incidents if c.incident.concealed]
    levels = {lvl: sum(1 for c in incidents if c.level == lvl) for lvl in ("一般", "严重", "特大")}
    summary = f"故障 {len(incidents)} 起" + (
        "（" + "，".join(f"{k} {v}" for k, v in levels.items() if v) + "）" if incidents else "")
    missed = sum(1 for c in incidents for ok in (c.responded_in_time, c.on_site_in_time, c.fixed_in_time) if ok is False)
    if missed:
        summary += f"，超时 {missed} 项"
    undiscovered = [c.incident.id for c in incidents if c.from_occurrence]
    if undiscovered:  # R8: the evidence says where the occurrence time stood in for the discovery time
        summary += f"（{'、'.join(undiscovered)} 未填发现时间，时限按发生时间计算）"
    if concealed:
        zero = Decimal(0)
        return Allowed(zero, zero, f"{summary}；存在瞒报、漏报（{'、'.join(concealed)}），{range_text(zero, zero)}", "R8")
    return full(item.points, summary, "R8")


def _incidents_quick(item: Item, params: Any, given: Sequence[Any]) -> tuple[Decimal, Decimal, str]:
    n = Decimal(given[0])
    return Decimal(0), item.points if n == 0 else Decimal(0), "无瞒报漏报" if n == 0 else "存在瞒报漏报"


def _leaks(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    leaks = [i.id for i in ctx.evidence.incidents
             if i.leaked and _in(i.occurred.date(), ctx.period.start, ctx.period.end)]
    score = Decimal(0) if leaks else item.points
    return _fixed(score, f"发生数据泄密 {len(leaks)} 次（{'、'.join(leaks)}）" if leaks else "未发生数据泄密", "R8")


def _leaks_quick(item: Item, params: Any, given: Sequence[Any]) -> tuple[Decimal, Decimal, str]:
    n = Decimal(given[0])
    score = item.points if n == 0 else Decimal(0)
    return score, score, "未泄密" if n == 0 else f"泄密 {format_number(n)} 次"


# R9 ---------------------------------------------------------------------------------------------

def _reports(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    reports = tuple(check_reports(ctx.evidence.reports, ctx.period.start, ctx.period.end, ctx.policies.report_due_day))
    facts["reports"] = reports
    bad = [r for r in reports if r.status != "按时" or not r.complete]
    detail = "、".join(f"{r.month:%Y-%m}{r.status if r.status != '按时' else ''}"
                      f"{'' if r.complete or r.status == '未提交' else '不完整'}" for r in bad)
    return full(item.points, f"月报 {len(reports)} 个月：按时 {len(reports) - len(bad)}"
                + (f"，有问题 {len(bad)}（{detail}）" if bad else ""), "R9")


def _yearly(label: str, unit: str, rows: Callable[[Any], Sequence[Any]], count: Callable[[Any], int],
            keys: tuple[str, str]) -> Callable[[Item, Any, Context, dict[str, Any]], Allowed]:
    """A yearly minimum (drills, training person-times): listed, and flagged at the year-end assessment (R9).
    `keys` name the facts (period and service-year counts) kept for the summary."""

    def apply(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
        start = ctx.contract.service_start
        period = sum(count(r) for r in rows(ctx.evidence) if _in(r.day, ctx.period.start, ctx.period.end))
        year = sum(count(r) for r in rows(ctx.evidence) if _in(r.day, start, ctx.period.end))
        facts[keys[0]], facts[keys[1]] = period, year
        # a year-end evidence file holding only this half: the earlier half's rows were not typed in (the
        # template asks for the whole year); say so instead of flagging a shortfall that may not be one
        earlier = ctx.period.start > start and not any(_in(r.day, start, ctx.period.start - timedelta(days=1))
                                                       for r in rows(ctx.evidence))
        gap = (f"本证据材料中没有 {start:%Y-%m-%d} 至 {ctx.period.start - timedelta(days=1):%Y-%m-%d} 的{label}记录，"
               f"年终考核须填写整个服务年度的{label}" if ctx.year_end and earlier else "")
        short = ctx.year_end and year < params.min_per_year
        flags = (f"服务年度{label} {year} {unit}，少于 {params.min_per_year} {unit}"
                 + (f"（仅含本期记录：{gap}，如有请补录后重新汇总）" if gap else ""),) if short else ()
        note = flags[0] if flags else gap
        return full(item.points, f"本期{label} {period} {unit}，服务年度累计 {year} {unit}"
                    + (f"（{note}）" if note else ""), "R9", flags)
    return apply


def _complaints(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    in_period = [c for c in ctx.evidence.complaints if _in(c.day, ctx.period.start, ctx.period.end)]
    complaints = sum(1 for c in in_period if c.kind == COMPLAINT)
    missed = sum(1 for c in in_period if c.kind == MISSED_CALL)
    cap = complaint_cap(len(in_period), item.points, params)
    facts.update(complaints=complaints, missed_calls=missed)
    return Allowed(Decimal(0), cap, f"投诉 {complaints} 次、未接电话 {missed} 次，最高 {format_number(cap)} 分；"
                                    f"{range_text(Decimal(0), cap)}", "R9")


def _complaints_quick(item: Item, params: Any, given: Sequence[Any]) -> tuple[Decimal, Decimal, str]:
    n = Decimal(given[0])
    return Decimal(0), complaint_cap(n, item.points, params), f"投诉和未接电话 {format_number(n)} 次"


def _mlps(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    return full(item.points, "三级等保证书：" + ("已取得" if ctx.evidence.mlps_certified else "未取得"))


# R5 ---------------------------------------------------------------------------------------------

def _crypto(item: Item, params: Any, ctx: Context, facts: dict[str, Any]) -> Allowed:
    penalty = ctx.year_end and not ctx.evidence.crypto_passed
    facts["crypto_penalty"] = penalty
    if penalty:
        zero = Decimal(0)
        return Allowed(zero, zero, f"年终考核时密评仍未通过：{range_text(zero, zero)}，另扣服务费 "
                                   f"{ctx.contract.crypto_penalty:,.2f} 元", "R5")
    return full(item.points, "密评：" + ("已通过" if ctx.evidence.crypto_passed else "尚未通过（年中考核，酌情打分）"), "R5")


def _crypto_quick(item: Item, params: Any, given: Sequence[Any]) -> tuple[Decimal, Decimal, str]:
    if len(given) >= 2 and given[1] and not given[0]:
        return Decimal(0), Decimal(0), "年终考核密评未通过"
    return Decimal(0), item.points, "无证据限制"


RULES: dict[str, EvidenceRule] = {rule.name: rule for rule in (
    EvidenceRule("uptime-bands", _availability, _availability_quick),
    EvidenceRule("reply-deadline", _requests, _requests_quick),
    EvidenceRule("incident-log", _incidents, _incidents_quick),
    EvidenceRule("data-leaks", _leaks, _leaks_quick),
    EvidenceRule("monthly-reports", _reports),
    EvidenceRule("drill-count", _yearly("演练", "次", lambda e: e.drills, lambda r: 1,
                                          ("drills_period", "drills_year"))),
    EvidenceRule("training-count", _yearly("培训", "人次", lambda e: e.trainings, lambda r: r.persons,
                                             ("training_period", "training_year"))),
    EvidenceRule("complaint-cap", _complaints, _complaints_quick),
    EvidenceRule("mlps-certificate", _mlps),
    EvidenceRule("crypto-assessment", _crypto, _crypto_quick, ("flag", "flag")),
)}
