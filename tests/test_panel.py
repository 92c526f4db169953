"""R2: panel checks, aggregation policies and disagreement."""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from scoring.panel import aggregate, check_panel, median, trimmed_mean
from tests.conftest import RUBRIC, sheet


def panel_of(n: int, report_scores: list[str] | None = None):
    experts = [f"专家{i}" for i in range(1, n + 1)]
    report_scores = report_scores or ["12"] * n
    return [sheet(e, {"report": s}) for e, s in zip(experts, report_scores)]


@pytest.mark.parametrize("n", [3, 5, 7, 9])
def test_r2_1_odd_panels_of_3_or_more_are_accepted(n):
    assert check_panel(panel_of(n), RUBRIC) == []


@pytest.mark.parametrize("n, text", [(0, "只有 0 名"), (1, "只有 1 名"), (2, "只有 2 名"), (4, "4 名，须为单数"),
                                      (6, "6 名，须为单数")])
def test_r2_1_even_or_too_small_panel_is_an_error(n, text):
    problems = check_panel(panel_of(n), RUBRIC)
    assert len(problems) == 1 and text in problems[0].message


def test_r2_1_the_panel_size_problem_names_the_folder_and_every_expert_read():
    """E-PANEL-SIZE had no place and did not say which sheets were read: a missing or extra file is found from it."""
    sheets = [sheet("张三", source="评分/2026H2_张三.xlsx"), sheet("李四", source="评分/2026H2_李四.xlsx")]
    (problem,) = check_panel(sheets, RUBRIC)
    assert (problem.code, problem.place) == ("E-PANEL-SIZE", "评分")
    assert problem.message == ("评审专家只有 2 名，至少需要 3 名（合同规定：3名以上（含3名）单数）；"
                               "已读取：张三（2026H2_张三.xlsx）、李四（2026H2_李四.xlsx）")
    sheets.append(sheet("王五", source="评分/补交/王五.xlsx"))
    sheets.append(sheet("赵六", source="评分/2026H2_赵六.xlsx"))
    (problem,) = check_panel(sheets, RUBRIC)
    assert problem.file == os.path.abspath("评分")  # sheets from two folders: the folder holding both
    assert problem.message.startswith("评审专家为 4 名，须为单数")
    assert problem.message.endswith("王五（补交/王五.xlsx）、赵六（2026H2_赵六.xlsx）")


def test_r2_1_a_large_even_panel_names_ten_sheets_and_counts_them_all():
    """104 sheets read of a panel meant to be 105 (one file could not be read): one line that fits a screen."""
    sheets = [sheet(f"专家{k:03d}", source=f"评分/2026H2_专家{k:03d}.xlsx") for k in range(104)]
    (problem,) = check_panel(sheets, RUBRIC)
    assert problem.message.startswith("评审专家为 104 名，须为单数")
    assert problem.message.endswith("专家009（2026H2_专家009.xlsx）等共 104 份") and "专家010" not in problem.message


def test_r2_2_same_expert_twice_is_an_error_naming_both_files():
    sheets = [sheet("张三"), sheet("李四"), sheet("王五"), sheet("张三", source="张三-copy.xlsx")]
    problems = check_panel(sheets, RUBRIC)
    assert len(problems) == 2  # R2.1 counts 3 experts: the duplicate is not also "4 must be odd"
    assert {p.file for p in problems} == {"张三.xlsx", "张三-copy.xlsx"}
    assert all("张三" in p.message and "重复" in p.message for p in problems)


def test_r2_2_mixed_periods_contracts_and_rubric_versions_are_errors_at_the_odd_sheet():
    sheets = [sheet("甲"), sheet("乙"), sheet("丙", period="2027H1", rubric_version="0.9"), sheet("丁"), sheet("戊")]
    sheets[3] = sheet("丁", contract_id="other")
    problems = check_panel(sheets, RUBRIC)
    messages = {(p.file, p.message) for p in problems}
    assert ("丙.xlsx", "考核期为“2027H1”，与其他评分表的“2026H2”不一致：这份评分表不属于本期，请把它移出评分表文件夹（或换成本期的评分表）") in messages
    assert any(f == "丙.xlsx" and "考核办法版本" in m for f, m in messages)
    assert any(f == "丁.xlsx" and "合同" in m for f, m in messages)
    assert len(problems) == 3


def test_r2_2_every_item_must_be_scored():
    incomplete = sheet("乙")
    del incomplete.scores["mlps"]
    problems = check_panel([sheet("甲"), incomplete, sheet("丙")], RUBRIC)
    assert [p.message for p in problems] == ["缺少“等保”的得分"]


# A 5-expert panel on which the four policies differ (hand-computed):
#   report: 12, 11, 10, 6, 9  -> median 10, mean 9.6, trimmed (11+10+9)/3 = 10
#   drills: 10, 10, 9, 2, 3   -> median 9, mean 6.8, trimmed (10+9+3)/3 = 22/3
# other items full marks (78 points).
# expert totals: 100, 99, 97, 86, 90 -> total-median 97 (expert 丙)
DIFFERING = [
    sheet("甲", {"report": 12, "drills": 10}),
    sheet("乙", {"report": 11, "drills": 10}),
    sheet("丙", {"report": 10, "drills": 9}),
    sheet("丁", {"report": 6, "drills": 2}),
    sheet("戊", {"report": 9, "drills": 3}),
]


@pytest.mark.parametrize("policy, report, drills, total", [
    ("item-median", Fraction(10), Fraction(9), Fraction(97)),
    ("mean", Fraction(48, 5), Fraction(34, 5), Fraction(78) + Fraction(48, 5) + Fraction(34, 5)),
    ("trimmed-mean", Fraction(10), Fraction(22, 3), Fraction(78) + 10 + Fraction(22, 3)),
    ("total-median", Fraction(10), Fraction(9), Fraction(97)),
])
def test_r2_3_each_aggregation_policy(policy, report, drills, total):
    result = aggregate(DIFFERING, RUBRIC, policy)
    assert result.item("report").panel == report
    assert result.item("drills").panel == drills
    assert result.total == total
    assert sum(result.categories.values()) == result.total


def test_r2_3_policies_differ_on_this_panel():
    totals = {p: aggregate(DIFFERING, RUBRIC, p).total for p in ("item-median", "mean", "trimmed-mean")}
    assert totals == {"item-median": 97, "mean": Fraction(472, 5), "trimmed-mean": Fraction(286, 3)}


def test_r2_3_total_median_differs_from_item_median():
    # 甲 weak on report, 乙 weak on drills, 丙 average: item medians are high, the median total is not.
    sheets = [sheet("甲", {"report": 2}), sheet("乙", {"drills": 1}), sheet("丙", {"report": 8, "drills": 6})]
    assert aggregate(sheets, RUBRIC, "item-median").total == 100 - 4 - 4
    result = aggregate(sheets, RUBRIC, "total-median")
    assert result.total == 91  # totals 90, 91, 92 -> 91, the sheet of 乙
    assert result.item("report").panel == 12 and result.item("drills").panel == 1 and "乙" in result.note
    assert sum(result.categories.values()) == result.total


def test_r2_4_spread_deviation_and_flag_beyond_25_percent_of_points():
    result = aggregate(DIFFERING, RUBRIC)
    report = result.item("report")
    assert report.spread == 6
    assert report.deviations == {"甲": 2, "乙": 1, "丙": 0, "丁": -4, "戊": -1}
    assert report.flagged == ("丁",)  # |6 - 10| = 4 > 3 = 25 % of 12
    drills = result.item("drills")
    assert drills.flagged == ("丁", "戊")  # |2 - 9| = 7 and |3 - 9| = 6 > 2.5
    assert result.item("mlps").flagged == () and result.item("mlps").spread == 0


def test_r2_4_a_deviation_of_exactly_the_share_is_not_flagged():
    sheets = [sheet("甲", {"report": 12}), sheet("乙", {"report": 9}), sheet("丙", {"report": "5.5"})]
    assert aggregate(sheets, RUBRIC).item("report").flagged == ("丙",)  # 3.5 > 3; 甲's 3 is not
    sheets = [sheet("甲", {"report": 12}), sheet("乙", {"report": 9}), sheet("丙", {"report": 9})]
    assert aggregate(sheets, RUBRIC).item("report").flagged == ()  # 3 is not more than 3
    assert aggregate(sheets, RUBRIC, outlier_share=Decimal("0.2")).item("report").flagged == ("甲",)


def test_two_decimal_scores_stay_exact():
    sheets = [sheet("甲", {"report": "11.25"}), sheet("乙", {"report": "11.75"}), sheet("丙", {"report": "10.01"})]
    result = aggregate(sheets, RUBRIC, "mean")
    assert result.item("report").panel == Fraction(3301, 300)  # 33.01 / 3, not rounded
    assert aggregate(sheets, RUBRIC).item("report").panel == Fraction("11.25")


def test_median_and_trimmed_mean_helpers():
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == 2
    assert median([Decimal(1), Decimal(2)]) == Fraction(3, 2)
    assert trimmed_mean([Decimal(1), Decimal(5), Decimal(9)]) == 5
    with pytest.raises(ValueError):
        trimmed_mean([Decimal(1), Decimal(2)])


odd_panel = st.integers(min_value=1, max_value=6).map(lambda k: 2 * k + 1)
two_places = st.decimals(min_value=0, max_value=12, places=2)


@given(odd_panel.flatmap(lambda n: st.lists(two_places, min_size=n, max_size=n)))
def test_property_item_median_of_odd_panel_is_an_actual_score(values):
    sheets = [sheet(f"e{i}", {"report": v}) for i, v in enumerate(values)]
    panel = aggregate(sheets, RUBRIC).item("report").panel
    assert panel in [Fraction(v) for v in values]


def test_r2_2_last_halfs_sheet_of_an_expert_is_named_by_its_period_not_as_a_duplicate():
    """R2.2: 乙's 2026H1 sheet left beside 乙's 2026H2 one gave two 专家“乙”重复 lines besides its period, one of
    them pointing at the valid sheet."""
    stray = sheet("乙", period="2026H1", source="旧/乙.xlsx")
    problems = check_panel([sheet("甲"), sheet("乙"), sheet("丙"), stray], RUBRIC)
    assert [(p.file, p.code) for p in problems] == [("旧/乙.xlsx", "E-PANEL-MISMATCH")]
    assert problems[0].message.startswith("考核期为“2026H1”，与其他评分表的“2026H2”不一致")
