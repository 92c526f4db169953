"""R2.3, R6, R7: the spreadsheet functions' fast paths (scoring.vectorized) equal the exact core on random ranges."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from scoring import vectorized as fast
from scoring.calendar import make_calendar
from scoring.evidence.availability import availability
from scoring.evidence.model import Outage, Request
from scoring.evidence.requests import check_requests
from scoring.panel import mean, median, trimmed_mean

EXACT = {"item-median": median, "median": median, "mean": mean, "trimmed-mean": trimmed_mean}
score = st.one_of(st.integers(0, 1200).map(lambda k: k / 100), st.integers(0, 12))


def exact_panel(table, policy):
    return [[float(EXACT[policy]([Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in row]))]
            for row in table]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 11).flatmap(lambda w: st.lists(st.lists(score, min_size=w, max_size=w), min_size=1, max_size=25)),
       st.sampled_from(sorted(EXACT)))
def test_r2_3_sc_panel_fast_path_equals_the_exact_aggregators(table, policy):
    got = fast.panel(table, policy)
    if policy == "trimmed-mean" and len(table[0]) < 3:
        assert got is None  # the exact path words the refusal
        return
    assert got is not None and got == exact_panel(table, policy)


@given(st.sampled_from([[[1.5, None, 2.0]], [[1.5, "2", 3.0]], [[True, 1.0, 2.0]], [[0.1 + 0.2, 1.0, 2.0]],
                        [[float("nan"), 1.0, 2.0]], [[1.0, 2.0], [3.0]], [[1.005, 1.0, 2.0]]]))
def test_sc_panel_leaves_anything_but_plain_2_decimal_numbers_to_the_exact_path(table):
    assert fast.panel(table, "item-median") is None


moments = st.datetimes(min_value=datetime(2026, 6, 20), max_value=datetime(2027, 1, 10))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(moments, st.integers(0, 3 * 86400 * 10**6)), max_size=60))
def test_r6_sc_availability_fast_path_equals_the_exact_merge(outages):
    starts = [s for s, _ in outages]
    ends = [s + timedelta(microseconds=d) for s, d in outages]
    exact = float(availability([Outage(s, e) for s, e in zip(starts, ends)], date(2026, 7, 1), date(2026, 12, 31)).value)
    assert fast.availability(starts, ends, lambda: (date(2026, 7, 1), date(2026, 12, 31))) == exact


def test_r6_sc_availability_reversed_outage_goes_to_the_exact_path():
    assert fast.availability([datetime(2026, 8, 1, 10)], [datetime(2026, 8, 1, 9)], lambda: 1 / 0) is None


days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 20))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(days, st.booleans(), st.one_of(st.none(), st.just(""), st.integers(0, 12)), st.booleans()),
                max_size=80))
def test_r7_sc_late_replies_fast_path_equals_check_requests(rows):
    cal = make_calendar()
    received, replied, requests = [], [], []
    for k, (day, as_datetime, after, reply_as_datetime) in enumerate(rows):
        got = datetime.combine(day, datetime.min.time()) + timedelta(hours=9) if as_datetime else day
        answer = after if after in (None, "") else day + timedelta(days=after)
        if isinstance(answer, date) and reply_as_datetime:
            answer = datetime.combine(answer, datetime.min.time()) + timedelta(hours=17)
        received.append(got)
        replied.append(answer)
        answered = None if answer in (None, "") else (answer.date() if isinstance(answer, datetime) else answer)
        requests.append(Request(str(k), day, answered))
    exact = sum(1 for c in check_requests(requests, cal) if c.late)
    assert fast.late_replies(received, replied, cal, 3) == exact


def test_r7_sc_late_replies_a_year_no_calendar_covers_goes_to_the_exact_path():
    assert fast.late_replies([date(2027, 3, 1)], [None], make_calendar(), 3) is None
    assert fast.late_replies(["#N/A"], [None], make_calendar(), 3) is None


def test_without_numpy_every_range_function_takes_the_exact_path(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "numpy", None)
    assert fast.panel([[1.0, 2.0, 3.0]], "mean") is None
    assert fast.availability([datetime(2026, 8, 1)], [datetime(2026, 8, 2)], lambda: (date(2026, 7, 1),
                                                                                     date(2026, 12, 31))) is None


def both(function, *args):
    """A function of scoring.functions for a cell, with its fast path and with the exact path only."""
    from scoring import functions

    quick = functions.safe(function, *args)
    with pytest.MonkeyPatch.context() as m:
        for name in ("panel", "availability", "late_replies"):
            m.setattr(fast, name, lambda *a, **k: None)
        exact = functions.safe(function, *args)
    return quick, exact


cell = st.one_of(score, st.none(), st.just(""), st.just("#N/A"), st.just("7.5"), st.booleans())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=6),
       st.sampled_from(["item-median", "mean", "trimmed-mean", "median", "bogus", None]))
def test_sc_panel_cells_read_alike_with_and_without_the_fast_path(table, policy):
    from scoring import functions

    quick, exact = both(functions.sc_panel, table, policy)
    assert quick == exact


moment = st.one_of(moments, st.none(), st.just(""), st.just("#VALUE!"), st.dates(min_value=date(2026, 1, 1),
                                                                                max_value=date(2026, 12, 31)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(moment, moment), max_size=8), st.sampled_from([date(2026, 7, 1), "x", None]),
       st.sampled_from([date(2026, 12, 31), date(2026, 6, 1)]))
def test_sc_availability_cells_read_alike_with_and_without_the_fast_path(rows, first, last):
    from scoring import functions

    quick, exact = both(functions.sc_availability, first, last, [[a] for a, _ in rows],
                        [[b] for _, b in rows])
    assert quick == exact


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(moment, moment), max_size=8), st.sampled_from([None, [[date(2026, 10, 9), "工作日"]],
                                                                          [["x", "休息日"]]]))
def test_sc_late_replies_cells_read_alike_with_and_without_the_fast_path(rows, holidays):
    from scoring import functions

    quick, exact = both(functions.sc_late_replies, [[a] for a, _ in rows], [[b] for _, b in rows],
                        holidays)
    assert quick == exact


@settings(max_examples=300, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999)),
                min_size=1, max_size=20))
def test_r6_outage_times_become_the_exact_microseconds_from_year_1_to_9999(moments):
    epoch = datetime(1970, 1, 1)
    moments = moments + [moments[0].replace(fold=1)]  # fold (the later of two equal wall times) changes nothing
    got = fast._microseconds(moments).tolist()
    assert got == [(m - epoch) // timedelta(microseconds=1) for m in moments]


def test_r6_an_aware_outage_time_goes_to_the_exact_path_which_words_the_error():
    from datetime import timezone

    aware = [datetime(2026, 8, 1, 9), datetime(2026, 8, 1, 10, tzinfo=timezone.utc)]
    assert fast.availability(aware, [datetime(2026, 8, 1, 11)] * 2, lambda: (date(2026, 7, 1), date(2026, 12, 31))) \
        is None
