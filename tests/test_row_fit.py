"""scoring/excel/row_fit.py: the height a summary row needs for its wrapped text (cases derived by hand)."""

from __future__ import annotations

from scoring.excel.row_fit import MAX_POINTS, fitted_height, printed_lines


def test_lines_follow_the_column_width_and_the_line_breaks():
    assert printed_lines("运行报告", 14) == 1
    assert printed_lines("政务外网及互联网双线路带宽保障与链路冗余切换能力", 9) == 5  # 24 characters, 5 a line
    assert printed_lines("第一行\n第二行", 40) == 2


def test_a_row_is_only_ever_raised():
    assert fitted_height(28, [("运行报告", 14, 10)]) is None  # one line: the template's height stays
    assert fitted_height(28, [("故障 2 起（一般 1，严重 1）；允许 0–6 分", 20, 10)]) is None  # two lines fit in 28 pt
    assert fitted_height(28, [("故障 2 起（一般 1，严重 1）；允许 0–6 分", 14, 10)]) == 3 * 10 * 1.45 + 2  # three
    assert fitted_height(None, [("短", 10, 10)]) is None


def test_a_dissent_reason_of_four_lines_grows_the_signature_row():
    """签字: a 114-character reason in the 46-unit 异议 cell stayed in the template's 48 pt row, cut top and bottom."""
    reason = "对系统可用性一项的评分有异议：" * 8  # 120 characters
    assert printed_lines(reason, 46, 10) == 4
    assert fitted_height(48, [(reason, 46, 10)]) >= 4 * 10 * 1.35


def test_a_text_of_thousands_of_characters_stops_at_excels_highest_row():
    assert fitted_height(15, [("备注" * 5000, 40, 10)]) == MAX_POINTS == 409
