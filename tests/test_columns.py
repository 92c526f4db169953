"""R2.3, R2.4: the linear aggregation of scoring.columns equals the exact engine of scoring.panel on random panels."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from scoring import columns as fast
from scoring.panel import ITEM_AGGREGATORS, aggregate, median, panel_total
from scoring.policies import AGGREGATIONS, ITEM_MEDIAN, Policies, TOTAL_MEDIAN, TRIMMED_MEAN
from scoring.sensitivity import sensitivity
from tests.conftest import CONTRACT, RUBRIC, sheet


def score(points: Decimal, places: int = 2):
    """A valid score of an item worth `points` with up to `places` decimals, written in various ways."""
    unit = 10 ** places
    return st.builds(lambda k, pad: Decimal(k).scaleb(-places) if pad else Decimal(k).scaleb(-places).normalize(),
                     st.integers(0, int(points) * unit), st.booleans())


def panels(min_size: int = 1, max_size: int = 13, places: int = 2):
    one = st.fixed_dictionaries({item.id: score(item.points, places) for item in RUBRIC.items})
    return st.lists(one, min_size=min_size, max_size=max_size).map(
        lambda rows: [sheet(f"专家{k}", scores) for k, scores in enumerate(rows)])


@settings(max_examples=150, deadline=None)
@given(panels())
def test_r2_3_totals_and_each_expert_left_out_equal_the_exact_engine(sheets):
    cols = fast.columns(sheets, RUBRIC)
    for policy in AGGREGATIONS:
        assert fast.panel_total(cols, policy) == panel_total(sheets, RUBRIC, policy)
        expected = [panel_total([s for s in sheets if s is not left], RUBRIC, policy) for left in sheets]
        assert fast.leave_one_out(cols, policy) == expected


@settings(max_examples=100, deadline=None)
@given(panels(min_size=3))
def test_r2_3_item_values_and_medians_equal_the_exact_aggregators(sheets):
    cols = fast.columns(sheets, RUBRIC)
    for index, item in enumerate(RUBRIC.items):
        values = [s.scores[item.id] for s in sheets]
        assert fast.item_median(cols, index) == median(values)
        for policy in AGGREGATIONS:
            if policy != TOTAL_MEDIAN:
                assert fast.item_value(cols, index, policy) == ITEM_AGGREGATORS[policy](values)


@settings(max_examples=40, deadline=None)
@given(panels(min_size=1, max_size=7, places=3))
def test_r2_3_more_decimals_than_a_valid_score_still_exact(sheets):
    cols = fast.columns(sheets, RUBRIC)
    assert cols.scale in (1, 10, 100, 1000)
    for policy in AGGREGATIONS:
        assert fast.leave_one_out(cols, policy) == [
            panel_total([s for s in sheets if s is not left], RUBRIC, policy) for left in sheets]


@settings(max_examples=60, deadline=None)
@given(panels(min_size=3, max_size=9), st.sampled_from(AGGREGATIONS))
def test_r2_4_sensitivity_scenarios_are_the_exact_totals(sheets, policy):
    total = panel_total(sheets, RUBRIC, policy)
    assert total is not None
    med, scenarios, _ = sensitivity(sheets, RUBRIC, Policies(aggregation=policy), total, Decimal("582000.00"),
                                    CONTRACT.schedule, CONTRACT.grades)
    assert med == median([s.total for s in sheets])
    expected = [panel_total(sheets, RUBRIC, p) for p in AGGREGATIONS if p != policy]
    expected += [panel_total([s for s in sheets if s is not left], RUBRIC, policy) for left in sheets]
    assert [s.total for s in scenarios] == [v for v in expected if v is not None]
    assert all(isinstance(s.total, Fraction) for s in scenarios)


def test_r2_3_left_out_expert_is_found_among_equal_scores():
    """Ties: leaving out any of several equal scores leaves the same multiset (hand-computed)."""
    sheets = [sheet(e, {"report": v}) for e, v in zip("甲乙丙丁戊", ["6", "6", "6", "12", "9"])]
    cols = fast.columns(sheets, RUBRIC)
    rest = Fraction(sum(item.points for item in RUBRIC.items) - 12)
    # leaving out a 6 leaves 6, 6, 12, 9: median (6 + 9) / 2 = 7.5; leaving out the 12: 6, 6, 6, 9 -> 6
    assert fast.leave_one_out(cols, ITEM_MEDIAN) == [rest + Fraction(15, 2)] * 3 + [rest + 6, rest + 6]
    # trimmed mean of 6, 6, 12, 9 without 6 and 12: 7.5
    assert fast.leave_one_out(cols, TRIMMED_MEAN)[0] == rest + Fraction(15, 2)


def test_r2_3_trimmed_mean_needs_three_experts_left():
    cols = fast.columns([sheet("甲"), sheet("乙"), sheet("丙")], RUBRIC)
    assert fast.leave_one_out(cols, TRIMMED_MEAN) == [None, None, None]
    assert fast.panel_total(cols, TRIMMED_MEAN) == 100


def test_a_score_finer_than_the_scale_is_refused():
    with pytest.raises(ValueError):
        fast.to_units(Decimal("1.005"), 100)


@settings(max_examples=60, deadline=None)
@given(panels(min_size=3, max_size=11).filter(lambda s: len(s) % 2), st.sampled_from(AGGREGATIONS),
       st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.25"), Decimal("1")]))
def test_r2_4_aggregate_items_equal_the_exact_definitions(sheets, policy, share):
    """Valid panels (R2.1: an odd number of experts, so total-median is one expert's total)."""
    result = aggregate(sheets, RUBRIC, policy, share)
    adopted = None
    if policy == TOTAL_MEDIAN:
        adopted = next(s for s in sheets if Fraction(s.total) == median([s.total for s in sheets]))
    for item in RUBRIC.items:
        r = result.item(item.id)
        values = [s.scores[item.id] for s in sheets]
        med = median(values)
        panel = Fraction(adopted.scores[item.id]) if adopted else ITEM_AGGREGATORS[policy](values)
        assert (r.median, r.panel, r.spread) == (med, panel, max(values) - min(values))
        assert r.deviations == {s.expert: Fraction(v) - panel for s, v in zip(sheets, values)}
        limit = Fraction(share) * Fraction(item.points)
        assert r.flagged == tuple(s.expert for s, v in zip(sheets, values) if abs(Fraction(v) - med) > limit)
    assert result.total == sum((result.item(i.id).panel for i in RUBRIC.items), Fraction(0))
