"""R1.2: what a score cell may hold."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from scoring.numbers import fraction_to_decimal, format_number
from scoring.scores import check_score, score_from_cell


@pytest.mark.parametrize("raw, value", [(12, "12"), (0, "0"), (11.5, "11.5"), (7.3, "7.3"), (0.1, "0.1"),
                                        (9.99, "9.99"), (Decimal("3.25"), "3.25")])
def test_numbers_are_taken_exactly(raw, value):
    assert score_from_cell(raw) == Decimal(value)
    assert str(score_from_cell(raw)) == value  # shortest repr: 7.3 is not 7.29999...


@pytest.mark.parametrize("raw, value", [(0.1 + 0.2, "0.3"), (7.000000000000001, "7"), (11.549999999999999, "11.55"),
                                        (3 * 1.15, "3.45"), (0.305, "0.305")])
def test_r1_2_excel_floats_are_read_at_the_15_significant_digits_excel_shows(raw, value):
    # 0.1 + 0.2 is stored as 0.30000000000000004; Excel and WPS show 0.3, and R1.2 applies to what they show
    assert str(score_from_cell(raw)) == value


def test_r1_2_an_excel_float_in_a_real_workbook_is_accepted(tmp_path):
    from tests.conftest import RUBRIC, write_expert_workbook
    from scoring.excel.reader import read_expert_workbook

    path = write_expert_workbook(tmp_path, "甲", {"crypto": 0.1 + 0.2, "report": 3 * 3.7})  # 11.100000000000001
    sheet, problems = read_expert_workbook(path, RUBRIC)
    assert problems == [] and sheet.scores["crypto"] == Decimal("0.3") and sheet.scores["report"] == Decimal("11.1")


@pytest.mark.parametrize("raw, text", [
    (None, "未填写"), ("", "未填写"), ("  ", "未填写"), ("好", "是文字"), ("１１", "文本格式的数字"), ("11", "文本格式的数字"),
    (True, "逻辑值"), (datetime(2026, 1, 1), "日期"), (date(2026, 1, 1), "日期"),
    (float("inf"), "有限"), (float("nan"), "有限"),
])
def test_non_numbers_are_refused_with_a_chinese_reason(raw, text):
    with pytest.raises(ValueError, match=text):
        score_from_cell(raw)


@pytest.mark.parametrize("value, reason", [
    ("12", None), ("0", None), ("11.99", None), ("11.50", None), ("-1", "负数"), ("12.01", "超过该项分值 12"),
    ("11.555", "两位小数"), ("-0.001", "负数"),
])
def test_r1_2_range_and_decimals(value, reason):
    result = check_score(Decimal(value), Decimal(12))
    assert result is None if reason is None else reason in result


def test_exact_text_of_numbers():
    from fractions import Fraction
    assert format_number(Decimal("92.00")) == "92"
    assert format_number(Decimal("0.035")) == "0.035"
    assert format_number(Fraction(7, 200)) == "0.035"
    assert format_number(Fraction(0)) == "0"
    assert format_number(Decimal("1E+2")) == "100"
    assert fraction_to_decimal(Fraction(2, 3)) == Decimal("0.666667")
    assert fraction_to_decimal(Fraction(1, 8)) == Decimal("0.125")
