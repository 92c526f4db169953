"""SC_SCORECARD and SC_CATEGORY (issue 10): the whole scorecard from the experts' score block equals what
`scorecard summarize --json` prints (R2.3, R3, R4, R5); Excel-shaped arguments (whole columns, float
artefacts, dates, text and full-width numbers, error values)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from scoring import functions as F
from scoring.assess import assess, to_json
from scoring.numbers import json_number
from scoring.panel import ExpertSheet
from scoring.period import parse_period
from scoring.policies import make_policies
from tests.conftest import CONTRACT, RUBRIC

ROOT = Path(__file__).resolve().parent.parent
ITEMS = RUBRIC.items


def block(sheets: list[ExpertSheet]) -> list[list[float]]:
    """The experts' scores as Excel passes the block: items by experts, floats."""
    return [[float(s.scores[i.id]) for s in sheets] for i in ITEMS]


def expected_rows(result: dict) -> dict[str, str]:
    """The summarize --json values under the labels SC_SCORECARD uses."""
    rows = {i.name: result["items"][i.id]["panel"] for i in ITEMS}
    rows |= {f"{c.name}（小计）": result["categories"][c.id] for c in RUBRIC.categories}
    d = result["deduction"]
    rows |= {"总分": result["total"], "等级": result["grade"], "扣款比例": d["rate"], "服务费": result["fee"],
             "考核扣款": d["assessment"], "密评扣款": d["crypto_penalty"], "扣款合计": d["total"],
             "应付服务费": result["payable"]}
    return rows


def exact_rows(scores, *args) -> dict[str, str]:
    out = {}
    for label, value in F.scorecard(scores, *args):
        out[label] = value if isinstance(value, str) else (
            f"{value:.2f}" if label in ("服务费", "考核扣款", "密评扣款", "扣款合计", "应付服务费") else json_number(value, label, {}))
    return out


def test_demo_panel_equals_summarize_json(tmp_path):
    """R2.3-R4 on the shipped sample: total 79.5, 合格, deduction 2,910.00 (README)."""
    from scoring.excel.reader import read_panel

    files = sorted((ROOT / "workbooks").glob("2026H2_*.xlsx"))
    done = subprocess.run([sys.executable, "-m", "scoring", "summarize", *map(str, files), "--out",
                           str(tmp_path / "s.xlsx"), "--json", "--fee", "582000"], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    sheets, problems = read_panel(files, RUBRIC, CONTRACT.id)
    assert not problems
    scores = block(sheets)
    assert exact_rows(scores, 582000) == expected_rows(result)
    spilled = F.sc_scorecard(scores, 582000)
    assert [r[0] for r in spilled] == list(expected_rows(result))
    for label, value in spilled:
        want = expected_rows(result)[label]
        assert value == (want if label == "等级" else float(want)), label
    assert dict(map(tuple, spilled))["总分"] == 79.5 and dict(map(tuple, spilled))["扣款合计"] == 2910.0
    for c in RUBRIC.categories:
        assert F.sc_category(scores, c.id) == float(result["categories"][c.id])
        assert F.sc_category(scores, c.name) == float(result["categories"][c.id])


def score_of(points: Decimal):
    return st.integers(0, int(points * 2)).map(lambda k: Decimal(k) / 2)  # half points, as experts score


panel_strategy = st.integers(1, 3).flatmap(lambda half: st.lists(
    st.fixed_dictionaries({i.id: score_of(i.points) for i in ITEMS}), min_size=2 * half + 1, max_size=2 * half + 1))


@settings(max_examples=40, deadline=None)
@given(panel=panel_strategy,
       aggregation=st.sampled_from(["item-median", "total-median", "mean", "trimmed-mean"]),
       bounds=st.sampled_from(["lower-bound-inclusive", "upper-bound-inclusive"]),
       fee=st.integers(0, 200_000_000).map(lambda c: Decimal(c) / 100),
       crypto=st.booleans())
def test_random_panels_equal_the_core_that_summarize_json_prints(panel, aggregation, bounds, fee, crypto):
    """R2.3 (each policy), R3, R4 (rounded once, half up), R5: SC_SCORECARD is assess() -> to_json()."""
    sheets = [ExpertSheet(expert=f"专家{k}", scores=s, period="2026H2", contract_id=CONTRACT.id)
              for k, s in enumerate(panel, start=1)]
    policies = make_policies(CONTRACT.policies, [f"aggregation={aggregation}", f"grade_bounds={bounds}"])
    result = to_json(assess(sheets, RUBRIC, CONTRACT, parse_period("2026H2"), policies, fee,
                            crypto_penalty=crypto))
    assert exact_rows(block(sheets), float(fee), aggregation, bounds, "是" if crypto else "否") == expected_rows(result)
    # the first column may name the items (ids or Chinese names), in any order
    named = [[i.name] + row for i, row in zip(ITEMS, block(sheets))][::-1]
    assert exact_rows(named, str(fee), aggregation, bounds, crypto) == expected_rows(result)


@pytest.mark.parametrize("scores, message", [
    ([[1, 2, 3]] * 3, "应有 13 行"),
    ([[1, 2]] * 13, "单数"),
    ([[99, 1, 1]] + [[1, 1, 1]] * 12, "超过"),
    ([["#N/A", 1, 1]] + [[1, 1, 1]] * 12, "第 1 位专家的“运行报告”得分是错误值 #N/A"),
    ([["x", 1, 1, 1]] + [[i.id, 1, 1, 1] for i in ITEMS[1:]], "第 1 行的分项“x”不存在"),
    ([[i.id, 1, 1, 1] for i in ITEMS[1:]] * 2, "每个分项一行"),
])
def test_bad_score_blocks_give_a_chinese_message(scores, message):
    out = F.safe(F.sc_scorecard, scores)
    assert isinstance(out, str) and out.startswith("错误：") and message in out


def test_category_names_an_unknown_category():
    assert "不存在" in F.safe(F.sc_category, [[1, 1, 1]] * 13, "服务态度")


# Excel-shaped inputs (issue 10 item 5) ------------------------------------------------------------

WHOLE_COLUMN = 1_048_576


def whole_column(values: list, blank=None) -> list[list]:
    """A column as xlwings sends A:A. The blank rows share one list object: a million distinct ones would
    grow this test process by ~100 MB, which forked subprocesses of later tests report as their own peak."""
    return [[v] for v in values] + [[blank]] * (WHOLE_COLUMN - len(values))


def test_a_whole_column_holiday_range_is_trimmed_and_counts_the_same():
    """R7: a rest day in the user's table; A:A sends a million rows."""
    short = [[date(2026, 11, 4)]]
    assert F.sc_workdays(date(2026, 11, 2), date(2026, 11, 6), whole_column([date(2026, 11, 4)])) == 4
    assert F.sc_workdays(date(2026, 11, 2), date(2026, 11, 6), short) == 4
    office_js = whole_column([46330.0], "")  # xlwings Lite: serials, blanks as ""
    assert F.sc_workdays(date(2026, 11, 2), date(2026, 11, 6), office_js) == 4 and len(F.trim(office_js)) == 1
    # data below a gap is not dropped
    gap = whole_column([date(2026, 11, 4)])
    gap[500_000] = [date(2026, 11, 5)]
    assert F.sc_workdays(date(2026, 11, 2), date(2026, 11, 6), gap) == 3
    # a whole row (16,384 columns)
    row = [[date(2026, 11, 4), "休息日"] + [None] * 16_382]
    assert F.sc_workdays(date(2026, 11, 2), date(2026, 11, 6), row) == 4
    assert len(F.trim(row)[0]) == 2


def test_trim_keeps_everything_up_to_the_last_non_blank_row():
    table = [[1], [None], [""], [2], [None], [None]]
    assert F.trim(table) == [[1], [None], [""], [2]]
    assert F.trim([[None]] * 5) == [] and F.trim([]) == []


@pytest.mark.parametrize("value, expected", [
    (0.1 + 0.2, "0.3"), (79.49999999999999, "79.5"), (80.00000000000001, "80"), (1e-7, "1E-7"),
    ("７９．５", "79.5"), ("79.5", "79.5"), (79, "79"), (1234567.891, "1234567.891"),
])
def test_numbers_are_read_as_excel_shows_them(value, expected):
    assert F.to_number(value, "x") == Decimal(expected)


def test_float_artefacts_do_not_move_a_grade_or_a_deduction():
    """R3/R4 at the boundary: 79.99999999999999 shows as 80 in Excel and is graded 良好 with no deduction."""
    assert F.sc_grade(79.99999999999999) == "良好" and F.sc_deduction(79.99999999999999, 582000) == 0.0
    assert F.sc_deduction(0.1 + 0.2 + 59.4, 582000) == F.sc_deduction(59.7, 582000) == 291000.0  # below 60: half


@pytest.mark.parametrize("received", [datetime(2026, 9, 30), date(2026, 9, 30), 46295, 46295.0, "2026-09-30",
                                      "2026/09/30", [[46295]]])
def test_dates_as_datetimes_serials_or_text(received):
    assert F.sc_deadline(received, 3) == datetime(2026, 10, 10)  # R7 worked example


def test_serial_times_keep_the_second():
    assert F.to_datetime(46235.5 + 1 / 86400, "t") == datetime(2026, 8, 1, 12, 0, 1)


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"])
def test_error_values_name_the_argument(error):
    assert F.safe(F.sc_grade, error) == f"错误：总分是错误值 {error}，请先修正引用的单元格"
    assert "服务费是错误值" in F.safe(F.sc_deduction, 70, error)
    assert "开始日期是错误值" in F.safe(F.sc_workdays, error, 46300)
    assert "节假日表中的日期是错误值" in F.safe(F.sc_workdays, 46296, 46300, [[error]])


cell_values = st.one_of(st.none(), st.just(""), st.integers(-5, 5), st.sampled_from(["x", "休息日"]))


@settings(max_examples=200, deadline=None)
@given(width=st.integers(1, 3), data=st.data())
def test_trim_never_loses_a_non_blank_cell(width, data):
    """Trimming is invisible to the functions: the non-blank cells, in order, are those of the whole range."""
    table = data.draw(st.lists(st.lists(cell_values, min_size=width, max_size=width), max_size=12))
    pad = data.draw(st.lists(st.sampled_from([[None] * width, [""] * width]), max_size=30))
    whole = table + pad
    kept = F.trim(whole)

    def non_blank(t):
        return [v for r in t for v in r if v is not None and v != ""]

    assert non_blank(kept) == non_blank(whole)
    assert kept == whole[:len(kept)]  # a prefix: rows are never reordered or changed
    assert not kept or any(v is not None and v != "" for v in kept[-1]) or all(
        all(v is None or v == "" for v in r) for r in whole)


@pytest.mark.parametrize("args, message", [((None, "vote"), "汇总方式“vote”无效"), ((None, None, "up"), "等级边界“up”无效"),
                                           ((None, "#N/A"), "汇总方式是错误值 #N/A")])
def test_policies_are_checked_as_the_command_line_checks_them(args, message):
    """R2.3/R3 policy names: the core's own check (policies.make_policies), worded for a cell."""
    out = F.safe(F.sc_scorecard, [[1, 1, 1]] * 13, *args)
    assert out.startswith("错误：") and message in out and "--policy" not in out


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: v == 0 or 1e-307 < abs(v) < 1e308))
def test_every_float_is_read_as_its_15_significant_digits(value):
    """The fast path (short repr) and the rounding path agree: a cell's number is what Excel shows.
    Excel's numbers are normal doubles (about 2.2E-308 to 9.99E+307); subnormals have too few bits for this."""
    assert F.to_number(value, "x") == Decimal(format(value, ".15g"))
