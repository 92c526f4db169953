"""How robust a panel result is: the other aggregation policies and each expert left out (R2.3, R2.4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from scoring.grading import grade
from scoring.numbers import format_number
from scoring.panel import ExpertSheet, mean, median, trimmed_mean
from scoring.policies import AGGREGATIONS, Policies
from scoring.rubric import Rubric
from scoring.settlement import HALF_BELOW, NO_DEDUCTION_FROM, assessment_deduction

POLICY_LABELS = {"item-median": "各项中位数", "total-median": "总分中位数", "mean": "平均分",
                 "trimmed-mean": "去掉最高最低分后平均"}


@dataclass(frozen=True)
class Scenario:
    """The total, grade and deduction under one alternative."""

    label: str
    total: Fraction
    grade: str
    deduction: Decimal
    changes_grade: bool
    changes_tier: bool


def tier(total: Fraction) -> str:
    """The deduction tier of R4: 不扣款 from 80, 按比例 from 60, 扣50% below."""
    if total >= NO_DEDUCTION_FROM:
        return "不扣款"
    return "按比例扣款" if total >= HALF_BELOW else "扣50%"


def panel_total(sheets: Sequence[ExpertSheet], rubric: Rubric, policy: str) -> Fraction | None:
    """The panel total under a policy for any panel size (None where the policy needs more experts)."""
    if not sheets:
        return None
    if policy == "total-median":
        return median([s.total for s in sheets])
    if policy == "trimmed-mean" and len(sheets) < 3:
        return None
    pick = {"item-median": median, "mean": mean, "trimmed-mean": trimmed_mean}[policy]
    return sum((pick([s.scores[i.id] for s in sheets]) for i in rubric.items), Fraction(0))


def sensitivity(sheets: Sequence[ExpertSheet], rubric: Rubric, policies: Policies, total: Fraction,
                fee: Decimal) -> tuple[Fraction, list[Scenario], list[str]]:
    """(median of the experts' totals, alternatives, warnings).

    A warning is given when an alternative changes the grade or the deduction tier, or when the
    total is within 1 point of 80 or 60.
    """
    base_grade, base_tier = grade(total, policies.grade_bounds), tier(total)
    scenarios = []

    def add(label: str, value: Fraction | None) -> None:
        if value is None:
            return
        g = grade(value, policies.grade_bounds)
        scenarios.append(Scenario(label, value, g, assessment_deduction(value, fee), g != base_grade,
                                  tier(value) != base_tier))

    for policy in AGGREGATIONS:
        if policy != policies.aggregation:
            add(f"按{POLICY_LABELS[policy]}", panel_total(sheets, rubric, policy))
    for left in sheets:
        add(f"去掉专家“{left.expert}”", panel_total([s for s in sheets if s is not left], rubric, policies.aggregation))
    warnings = []
    for s in scenarios:
        changes = ([f"等级变为“{s.grade}”"] if s.changes_grade else []) + (
            [f"扣款档次变为“{tier(s.total)}”"] if s.changes_tier else [])
        if changes:
            warnings.append(f"{s.label}：总分 {format_number(s.total)}，{'，'.join(changes)}")
    for bound in (NO_DEDUCTION_FROM, HALF_BELOW):
        if abs(total - bound) <= 1:
            warnings.append(f"总分 {format_number(total)} 与 {bound} 分相差不超过 1 分，请专家组复核")
    return median([s.total for s in sheets]), scenarios, warnings
