"""R3: the grade (考核等级) of a panel total, under the named boundary policy."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

EXCELLENT, GOOD, PASS, FAIL = "优秀", "良好", "合格", "不合格"
_BANDS = ((90, EXCELLENT), (80, GOOD), (60, PASS))


def grade(total: Fraction | Decimal | int, bounds: str = "lower-bound-inclusive") -> str:
    """The grade of a total score (R3).

    ``lower-bound-inclusive`` (default): >= 90 优秀, >= 80 良好, >= 60 合格, else 不合格,
    agreeing with the deduction rule R4. ``upper-bound-inclusive``: > 90 优秀, > 80 良好,
    > 60 合格, else 不合格 (90 itself is 良好).
    """
    value = Fraction(total)
    for bound, name in _BANDS:
        if bounds == "lower-bound-inclusive" and value >= bound:
            return name
        if bounds == "upper-bound-inclusive" and value > bound:
            return name
    if bounds not in ("lower-bound-inclusive", "upper-bound-inclusive"):
        raise ValueError(f"unknown grade_bounds policy {bounds!r}")
    return FAIL
