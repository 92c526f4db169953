"""R4 deduction, R5 penalty line, R10 split and late payment; money exact to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from scoring.money import parse_money, round_money
from scoring.settlement import (assessment_deduction, deduction_rate, late_payment, settle, settlement_warnings,
                                split_deduction)
from tests.conftest import CONTRACT

F = Decimal("582000.00")


@pytest.mark.parametrize("score, rate, deduction", [
    # rules.md R4 worked examples, F = 582,000.00
    ("92", Fraction(0), "0.00"),
    ("80", Fraction(0), "0.00"),
    ("79.5", Fraction(5, 1000), "2910.00"),
    ("76.5", Fraction(35, 1000), "20370.00"),
    ("60", Fraction(20, 100), "116400.00"),
    ("59.99", Fraction(1, 2), "291000.00"),
    # hand-derived boundaries
    ("90", Fraction(0), "0.00"),
    ("89.99", Fraction(0), "0.00"),
    ("79.99", Fraction(1, 10000), "58.20"),
    ("60.01", Fraction(1999, 10000), "116341.80"),
    ("0", Fraction(1, 2), "291000.00"),
    ("100", Fraction(0), "0.00"),
])
def test_r4_worked_examples_and_boundaries(score, rate, deduction):
    assert deduction_rate(Decimal(score)) == rate
    assert assessment_deduction(Decimal(score), F) == Decimal(deduction)


def test_r4_step_at_60_is_20_percent_then_50_percent():
    assert assessment_deduction(Decimal(60), F) == Decimal("116400.00")
    assert assessment_deduction(Fraction(5999, 100), F) == Decimal("291000.00")


def test_r4_fraction_of_a_point_is_pro_rata_and_rounded_once_half_up():
    # 1,000.01 x 0.5 % = 5.00005 -> 5.00 ; 1,000.10 x 0.5 % = 5.0005 -> 5.00 ; 1 x 0.5 % = 0.005 -> 0.01 (half up)
    assert assessment_deduction(Decimal("79.5"), Decimal("1000.01")) == Decimal("5.00")
    assert assessment_deduction(Decimal("79.5"), Decimal("1.00")) == Decimal("0.01")
    # an unrounded mean score: 239/3 = 79.666..., rate 1/300, on 582,000 -> 1,940.00
    assert assessment_deduction(Fraction(239, 3), F) == Decimal("1940.00")
    # 80 - 235/3 = 5/3 points; 582,000 x 5/300 = 9,700.00
    assert assessment_deduction(Fraction(235, 3), F) == Decimal("9700.00")


def test_money_rounding_is_half_up_not_bankers():
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("0.015")) == Decimal("0.02")
    assert round_money(Decimal("0.025")) == Decimal("0.03")
    assert round_money(Fraction(1, 3)) == Decimal("0.33")
    assert round_money(Decimal("2.675")) == Decimal("2.68")  # float would give 2.67


def test_r10_worked_example_split_20370():
    lines = split_deduction(Decimal("20370.00"), CONTRACT.lines)
    assert [(l.name, l.amount) for l in lines] == [
        ("平台扩容升级", Decimal("1400.00")), ("备份资源", Decimal("13720.00")), ("线路", Decimal("5250.00"))]
    # before tax and tax, by hand: 1400 / 1.06 = 1320.754.. -> 1320.75, tax 79.25
    assert [(l.before_tax, l.tax) for l in lines] == [
        (Decimal("1320.75"), Decimal("79.25")), (Decimal("12943.40"), Decimal("776.60")),
        (Decimal("4816.51"), Decimal("433.49"))]


def test_r10_rounding_cent_goes_to_the_largest_line():
    # 0.01 split 80:784:300 rounds to 0.00 + 0.01 + 0.00
    lines = split_deduction(Decimal("0.01"), CONTRACT.lines)
    assert [l.amount for l in lines] == [Decimal("0.00"), Decimal("0.01"), Decimal("0.00")]
    # 100.00: exact shares 6.8729.., 67.3539.., 25.7731.. -> 6.87 + 67.35 + 25.77 = 99.99, +0.01 to 备份资源
    lines = split_deduction(Decimal("100.00"), CONTRACT.lines)
    assert [l.amount for l in lines] == [Decimal("6.87"), Decimal("67.36"), Decimal("25.77")]


def test_r5_penalty_is_its_own_line_on_top_of_r4():
    s = settle(Decimal("76.5"), F, CONTRACT.lines, crypto_penalty=Decimal("20000.00"))
    assert s.assessment == Decimal("20370.00")
    assert s.crypto_penalty == Decimal("20000.00")
    assert s.total == Decimal("40370.00")
    assert s.payable == Decimal("541630.00")
    assert sum(l.amount for l in s.lines) == s.total


def test_no_deduction_settlement_pays_the_whole_fee():
    s = settle(Decimal("92"), F, CONTRACT.lines)
    assert (s.rate, s.total, s.payable) == (0, Decimal("0.00"), F)
    assert all(l.amount == l.before_tax == l.tax == 0 for l in s.lines)


def test_r10_late_payment_half_per_mille_a_day_and_termination_flag():
    late = late_payment(Decimal("579090.00"), date(2027, 4, 1), date(2027, 4, 11))
    assert (late.days_late, late.interest, late.may_terminate) == (10, Decimal("2895.45"), False)
    # R10: 逾期三十日以上 -- 以上 includes the number itself (Civil Code Art. 1259): 30 days late may terminate
    assert late_payment(Decimal("1000.00"), date(2027, 4, 1), date(2027, 4, 30)).may_terminate is False  # 29 days
    assert late_payment(Decimal("1000.00"), date(2027, 4, 1), date(2027, 5, 1)).may_terminate is True  # 30 days
    assert late_payment(Decimal("1000.00"), date(2027, 4, 1), date(2027, 3, 1)).interest == 0


@pytest.mark.parametrize("text, value", [("582000", "582000.00"), ("582,000.00", "582000.00"), ("１２３．４", "123.40")])
def test_parse_money_accepts_what_people_type(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "-1", "1.234", "", "NaN", "Infinity"])
def test_parse_money_refuses_with_chinese_reason(text):
    with pytest.raises(ValueError, match="金额"):
        parse_money(text)


scores = st.decimals(min_value=0, max_value=100, places=2)
fees = st.decimals(min_value=0, max_value=10_000_000, places=2)


@given(scores, scores, fees)
def test_property_deduction_never_rises_as_the_score_rises(a, b, fee):
    low, high = sorted((a, b))
    assert assessment_deduction(high, fee) <= assessment_deduction(low, fee)


@given(fees, st.booleans())
def test_property_split_lines_add_up_to_the_deduction(amount, penalty):
    lines = split_deduction(amount, CONTRACT.lines)
    assert sum(l.amount for l in lines) == amount
    assert all(l.before_tax + l.tax == l.amount for l in lines)
    assert all(l.amount >= 0 and l.tax >= 0 for l in lines)


@given(scores, fees)
def test_property_payable_plus_deduction_is_the_fee(score, fee):
    s = settle(score, fee, CONTRACT.lines)
    assert s.payable + s.total == fee
    assert s.total == s.total.quantize(Decimal("0.01"))


def test_a_deduction_above_the_fee_is_flagged_for_finance():
    # R5 penalty on a small fee: 10,000.00 x 50 % + 20,000.00 = 25,000.00 > 10,000.00
    s = settle(Decimal("50"), Decimal("10000.00"), CONTRACT.lines, crypto_penalty=Decimal("20000.00"))
    assert s.payable == Decimal("-15000.00")
    assert settlement_warnings(s) == ["扣款合计 25,000.00 元超过当次服务费 10,000.00 元，应付为负数（-15,000.00 元），请财务核实"]
    assert settlement_warnings(settle(Decimal("50"), F, CONTRACT.lines)) == []


def test_r10_each_line_records_its_proportional_share_and_which_line_takes_the_rounding_cents():
    lines = split_deduction(Decimal("100.00"), CONTRACT.lines)
    assert [(l.share, l.takes_rounding) for l in lines] == [
        (Decimal("6.87"), False), (Decimal("67.35"), True), (Decimal("25.77"), False)]
