"""How robust a panel result is: the other aggregation policies and each expert left out (R2.3, R2.4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from scoring.grading import grade
from scoring.numbers import format_number
from scoring.panel import ExpertSheet, median, panel_total
from scoring.policies import AGGREGATION_LABELS, AGGREGATIONS, Policies
from scoring.rubric import Rubric
from scoring.settlement import assessment_deduction
from scoring.terms import Grades, Schedule


@dataclass(frozen=True)
class Scenario:
    """The total, grade and deduction under one alternative."""

    label: str
    total: Fraction
    grade: str
    deduction: Decimal
    changes_grade: bool
    changes_tier: bool


def _default_schedule() -> Schedule:
    from scoring.contract import default_contract

    return default_contract().schedule


def tier(total: Fraction, schedule: Schedule | None = None) -> str:
    """The deduction tier of R4 a total falls in (embedded contract: 不扣款 from 80, 按比例扣款 from 60, 扣50% below)."""
    return (schedule or _default_schedule()).tier(total).label


def sensitivity(sheets: Sequence[ExpertSheet], rubric: Rubric, policies: Policies, total: Fraction,
                fee: Decimal, schedule: Schedule | None = None,
                grades: Grades | None = None) -> tuple[Fraction, list[Scenario], list[str]]:
    """(median of the experts' totals, alternatives, warnings).

    A warning is given when an alternative changes the grade or the deduction tier, or when the total
    is within 1 point of a tier boundary of the schedule (80 or 60 in the embedded contract).
    """
    schedule = schedule or _default_schedule()
    base_grade, base_tier = grade(total, policies.grade_bounds, grades), tier(total, schedule)
    scenarios = []

    def add(label: str, value: Fraction | None) -> None:
        if value is None:
            return
        g = grade(value, policies.grade_bounds, grades)
        scenarios.append(Scenario(label, value, g, assessment_deduction(value, fee, schedule), g != base_grade,
                                  tier(value, schedule) != base_tier))

    for policy in AGGREGATIONS:
        if policy != policies.aggregation:
            add(f"按{AGGREGATION_LABELS[policy]}", panel_total(sheets, rubric, policy))
    for left in sheets:
        add(f"去掉专家“{left.expert}”", panel_total([s for s in sheets if s is not left], rubric, policies.aggregation))
    warnings = []
    for s in scenarios:
        changes = ([f"等级变为“{s.grade}”"] if s.changes_grade else []) + (
            [f"扣款档次变为“{tier(s.total, schedule)}”"] if s.changes_tier else [])
        if changes:
            warnings.append(f"{s.label}：总分 {format_number(s.total)}，{'，'.join(changes)}")
    for bound in schedule.bounds:
        if abs(total - bound) <= 1:
            warnings.append(f"总分 {format_number(total)} 与 {format_number(bound)} 分相差不超过 1 分，请专家组复核")
    return median([s.total for s in sheets]), scenarios, warnings
