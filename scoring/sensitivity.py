"""How robust a panel result is: the other aggregation policies and each expert left out (R2.3, R2.4).

The alternatives are read from the panel's sorted integer columns (scoring.columns), built once, so the
check grows linearly with the number of experts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from scoring.columns import Columns, columns, leave_one_out, median2, panel_total
from scoring.grading import grade
from scoring.numbers import format_number
from scoring.panel import ExpertSheet
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
                grades: Grades | None = None, cols: Columns | None = None
                ) -> tuple[Fraction, list[Scenario], list[str]]:
    """(median of the experts' totals, alternatives, warnings); `cols` the panel's scoring.columns when
    the caller has them already.

    A warning is given when an alternative changes the grade or the deduction tier, or when the total
    is within 1 point of a tier boundary of the schedule (80 or 60 in the embedded contract).
    """
    schedule = schedule or _default_schedule()
    base_grade, base_tier = grade(total, policies.grade_bounds, grades), tier(total, schedule)
    scenarios = []
    outcomes: dict[Fraction, tuple[str, Decimal, str]] = {}  # a panel's many leave-one-out totals take few values

    def add(label: str, value: Fraction | None) -> None:
        if value is None:
            return
        if value not in outcomes:
            outcomes[value] = (grade(value, policies.grade_bounds, grades), assessment_deduction(value, fee, schedule),
                               tier(value, schedule))
        g, deduction, t = outcomes[value]
        scenarios.append(Scenario(label, value, g, deduction, g != base_grade, t != base_tier))

    cols = cols or columns(sheets, rubric)
    for policy in AGGREGATIONS:
        if policy != policies.aggregation:
            add(f"按{AGGREGATION_LABELS[policy]}", panel_total(cols, policy))
    for left, value in zip(sheets, leave_one_out(cols, policies.aggregation)):
        add(f"去掉专家“{left.expert}”", value)
    warnings = []
    for s in scenarios:
        changes = ([f"等级变为“{s.grade}”"] if s.changes_grade else []) + (
            [f"扣款档次变为“{tier(s.total, schedule)}”"] if s.changes_tier else [])
        if changes:
            warnings.append(f"{s.label}：总分 {format_number(s.total)}，{'，'.join(changes)}")
    for bound in schedule.bounds:
        if abs(total - bound) <= 1:
            warnings.append(f"总分 {format_number(total)} 与 {format_number(bound)} 分相差不超过 1 分，请专家组复核")
    return Fraction(median2(cols.ordered_totals), 2 * cols.scale), scenarios, warnings
