"""--json numbers (interfaces.md §1: every decimal a JSON string of exact decimal text). A score or rate that
terminates is printed exactly, however long; one that does not (a mean over 3 experts, R2.3) was cut to 6 places
("rate": "0.018333"): it is now rounded half up to 28 significant digits and listed exactly as
"numerator/denominator" under "fractions", keyed by its path. Money stays in cents (R4)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, strategies as st

from scoring.assess import assess, to_json
from scoring.numbers import JSON_DIGITS, json_number
from scoring.period import parse_period
from scoring.policies import make_policies
from tests.conftest import CONTRACT, RUBRIC, sheet


def test_a_terminating_value_is_exact_however_long():
    found: dict[str, str] = {}
    assert json_number(Fraction(123456789, 1024), "x", found) == "120563.2705078125"
    assert json_number(Fraction(1, 2**20), "y", found) == "0.00000095367431640625"
    assert json_number(Decimal("79.50"), "z", found) == "79.5" and json_number(0, "w", found) == "0"
    assert found == {}


def test_a_non_terminating_value_is_rounded_to_28_digits_and_recorded_exactly():
    found: dict[str, str] = {}
    assert json_number(Fraction(229, 3), "total", found) == "76." + "3" * 26
    assert json_number(Fraction(11, 300), "rate", found) == "0.03" + "6" * 26 + "7"  # half up in the 28th digit
    assert json_number(Fraction(-2, 3), "d", found) == "-0." + "6" * 27 + "7"
    assert found == {"total": "229/3", "rate": "11/300", "d": "-2/3"}


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6))
def test_the_text_is_exact_or_within_half_a_unit_of_its_28th_digit(value):
    found: dict[str, str] = {}
    text = json_number(value, "v", found)
    written = Fraction(Decimal(text))
    if value.denominator in (1, 2, 4, 5, 8) or not found:
        assert written == value and found == {}
    else:
        assert Fraction(found["v"]) == value
        digits = Decimal(text).as_tuple().digits
        assert len(digits) <= JSON_DIGITS
        unit = Fraction(10) ** (Decimal(text).adjusted() - JSON_DIGITS + 1)
        assert abs(written - value) <= unit / 2


def test_a_mean_over_three_experts_is_printed_with_its_exact_fraction():
    """Hand-derived (R2.3 mean, R4): 运行报告 scored 0, 0, 1 of 12 -> 1/3; 驻场服务 0 by all; every other item full.
    Total = 100 - 12 + 1/3 - 12 = 229/3 = 76.333...; 能力 = 1/3 + 6 + 0 = 19/3; rate = (80 - 229/3) / 100 = 11/300;
    deduction = 582,000.00 x 11/300 = 21,340.00 exactly, payable 560,660.00."""
    sheets = [sheet("张三", {"report": 0, "onsite": 0}), sheet("李四", {"report": 0, "onsite": 0}),
              sheet("王五", {"report": 1, "onsite": 0})]
    policies = make_policies({**CONTRACT.policies, "aggregation": "mean"})
    result = json.loads(json.dumps(to_json(assess(sheets, RUBRIC, CONTRACT, parse_period("2026H2"), policies,
                                                  Decimal("582000.00")))))
    assert result["total"] == "76." + "3" * 26
    assert result["items"]["report"]["panel"] == "0." + "3" * 28
    assert result["categories"]["capability"] == "6." + "3" * 27
    assert result["deduction"]["rate"] == "0.03" + "6" * 26 + "7"
    assert result["fractions"] == {"items.report.panel": "1/3", "categories.capability": "19/3",
                                   "total": "229/3", "deduction.rate": "11/300"}
    assert (result["deduction"]["assessment"], result["payable"]) == ("21340.00", "560660.00")
    assert result["items"]["onsite"]["panel"] == "0" and result["items"]["report"]["scores"]["王五"] == "1"


def test_a_panel_whose_values_all_terminate_has_no_fractions():
    sheets = [sheet("张三", {"report": 11}), sheet("李四", {"report": 10}), sheet("王五", {"report": "10.5"})]
    result = to_json(assess(sheets, RUBRIC, CONTRACT, parse_period("2026H2"), make_policies(CONTRACT.policies),
                            Decimal("582000.00")))
    assert result["total"] == "98.5" and result["fractions"] == {}
