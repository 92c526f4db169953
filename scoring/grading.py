"""R3: the grade (考核等级) of a panel total, from the contract's grade bands and the boundary policy."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from scoring.policies import GRADE_BOUNDS, LOWER_INCLUSIVE
from scoring.terms import Grades


def grade(total: Fraction | Decimal | int, bounds: str = LOWER_INCLUSIVE, grades: Grades | None = None) -> str:
    """The grade of a total score (R3) under the contract's bands (default: the embedded contract's).

    ``lower-bound-inclusive`` (default): a total equal to a band's minimum is in that band (>= 90 优秀,
    >= 80 良好, >= 60 合格, else 不合格 in the embedded contract), agreeing with the deduction rule R4.
    ``upper-bound-inclusive``: only a total above the minimum is in the band (90 itself is 良好).
    """
    if bounds not in GRADE_BOUNDS:
        raise ValueError(f"unknown grade_bounds policy {bounds!r}")
    if grades is None:
        from scoring.contract import default_contract

        grades = default_contract().grades
    value = Fraction(total)
    for band in grades.bands:
        if value > band.min or (bounds == LOWER_INCLUSIVE and value == band.min):
            return band.grade
    return grades.below
