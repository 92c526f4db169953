"""R3: grades, with the boundary policy named."""

from decimal import Decimal
from fractions import Fraction

import pytest

from scoring.grading import grade


@pytest.mark.parametrize("total, expected", [
    ("100", "优秀"), ("90", "优秀"), ("89.99", "良好"), ("80", "良好"), ("79.99", "合格"),
    ("79.5", "合格"), ("60", "合格"), ("59.99", "不合格"), ("0", "不合格"),
])
def test_r3_lower_bound_inclusive_default(total, expected):
    assert grade(Decimal(total)) == expected


@pytest.mark.parametrize("total, expected", [
    ("90.01", "优秀"), ("90", "良好"), ("80", "合格"), ("60", "不合格"), ("60.01", "合格"),
])
def test_r3_upper_bound_inclusive_policy(total, expected):
    assert grade(Decimal(total), "upper-bound-inclusive") == expected


def test_r3_grade_uses_the_exact_value_not_a_rounded_one():
    assert grade(Fraction(269, 3)) == "良好"  # 89.666..., would round to 89.67 or 90
    assert grade(Fraction(179999, 2000)) == "良好"  # 89.9995 rounds to 90.00


def test_r3_unknown_policy_is_an_error():
    with pytest.raises(ValueError):
        grade(Decimal(50), "strict")
