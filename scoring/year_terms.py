"""The numbers of the service year, gathered from the contract and rubric data (no number lives in code):
payment (R10, contract [payment]), rectification (合同五, [deadlines] and [rectification]) and the year
minimums of drills and training (R9, the rubric's drill-count / training-count parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.evidence.params import CRYPTO_RULE


@dataclass(frozen=True)
class YearTerms:
    """What annual, rectify and the rectification check need to know."""

    due_working_days: int
    late_daily_rate: Fraction
    termination_days: int
    rectification_working_days: int
    rectification_below_share: Decimal
    min_drills: int | None  # None: the rubric binds no drill-count rule
    min_training: int | None
    crypto: bool = True  # an item binds crypto-assessment (R5): the 密评 penalty is a column of the year's settlement


def _minimum(rubric: Any, rule: str) -> int | None:
    for item in rubric.items:
        if item.evidence == rule and item.params is not None:
            return item.params.min_per_year
    return None


def year_terms(contract: Any, rubric: Any) -> YearTerms:
    """The service-year numbers of a contract and its rubric."""
    return YearTerms(
        due_working_days=contract.payment.due_working_days, late_daily_rate=contract.payment.late_daily_rate,
        termination_days=contract.payment.termination_days_late,
        rectification_working_days=contract.deadlines.rectification_working_days,
        rectification_below_share=contract.rectification_below_share,
        min_drills=_minimum(rubric, "drill-count"), min_training=_minimum(rubric, "training-count"),
        crypto=bool(rubric.bound(CRYPTO_RULE)),
    )
