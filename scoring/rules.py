"""The registry of rules R1-R11 (rules.md): each rule number names the pure functions that implement it.

``rule("R4")`` gives the Rule with its functions; a rule's numbers come from the contract data
(scoring.contract, scoring.terms) or the rubric's evidence parameters (scoring.evidence.params),
never from the code. Functions are resolved lazily so that importing the registry stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable


@dataclass(frozen=True)
class Rule:
    """One rule of rules.md: its number, what it decides, where its data lives and its functions."""

    number: str
    title: str
    data: str  # where its parameters live
    functions: tuple[str, ...]  # "module:function", pure

    def resolve(self) -> tuple[Callable[..., Any], ...]:
        """The rule's functions themselves."""
        found = []
        for ref in self.functions:
            module, _, name = ref.partition(":")
            found.append(getattr(import_module(module), name))
        return tuple(found)


RULES = {r.number: r for r in (
    Rule("R1", "考核办法：分项、分值、评分标准；加载时校验（R1.1）", "rubric TOML", (
        "scoring.rubric:rubric_from_dict",)),
    Rule("R1.2", "有效得分：0 至分值，最多两位小数", "rubric TOML: items[].points", (
        "scoring.scores:score_from_cell", "scoring.scores:check_score")),
    Rule("R2", "考核组：人数、重复、汇总方式、分歧", "contract TOML: [policies] aggregation, outlier_share", (
        "scoring.panel:check_panel", "scoring.panel:aggregate", "scoring.panel:panel_total")),
    Rule("R3", "考核等级", "contract TOML: [grades]; [policies] grade_bounds", ("scoring.grading:grade",)),
    Rule("R4", "扣除服务费（含 60 分处的跳变）", "contract TOML: [deduction] tiers", (
        "scoring.settlement:deduction_rate", "scoring.settlement:assessment_deduction", "scoring.settlement:settle")),
    Rule("R5", "密评：年终考核仍未通过 0 分并另扣", "contract TOML: crypto_penalty; rubric: evidence = crypto-assessment", (
        "scoring.evidence.registry:_crypto",)),
    Rule("R6", "系统可用性及其得分档次", "rubric: evidence = uptime-bands, params.bands", (
        "scoring.evidence.availability:availability", "scoring.evidence.availability:band")),
    Rule("R7", "工作日与答复期限", "rubric: evidence = reply-deadline; contract TOML: [deadlines]", (
        "scoring.calendar:make_calendar", "scoring.holidays:statutory_holidays",
        "scoring.evidence.requests:check_requests", "scoring.evidence.requests:response_score")),
    Rule("R8", "故障等级、时限、瞒报漏报、数据泄密", "rubric: evidence = incident-log, data-leaks", (
        "scoring.evidence.incidents:incident_level", "scoring.evidence.incidents:check_incident")),
    Rule("R9", "月报、演练、培训、客户满意度", "rubric: evidence = monthly-reports, drill-count, training-count, "
         "complaint-cap; [policies] report_due_day", (
             "scoring.evidence.others:check_reports", "scoring.evidence.others:complaint_cap",
             "scoring.annual:year_checks")),
    Rule("R10", "服务清单拆分、逾期付款", "contract TOML: [[lines]], [payment], annual_fee, settlements_per_year", (
        "scoring.settlement:split_deduction", "scoring.settlement:late_payment", "scoring.settlement:payment_due",
        "scoring.annual:settle_year", "scoring.annual:payment")),
    Rule("R11", "专家、秘书、财务的工作", "—", (
        "scoring.jobs.prepare:new_panel", "scoring.jobs.summarize:summarize", "scoring.jobs.verify:verify",
        "scoring.jobs.annual:annual", "scoring.jobs.correct:correct", "scoring.jobs.rectify:rectify")),
)}


def rule(number: str) -> Rule:
    """The rule with this number (R1 ... R11, R1.2); KeyError for an unknown number."""
    return RULES[number]
