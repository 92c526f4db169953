"""R7: the working-day table equals the day-by-day walk, also across years no calendar covers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from scoring.calendar import (REST, WORK, CalendarYearMissing, make_calendar, scan_deadline, scan_working_days)

# user tables covering some years after the packaged ones (2004-2026), with gaps (2028 in [2027, 2029])
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))
tables = st.lists(st.tuples(days, st.sampled_from([REST, WORK])), max_size=12)
anywhere = st.dates(min_value=date(2002, 6, 1), max_value=date(2033, 6, 30))


def outcome(fn, *args):
    """The result, or the year a CalendarYearMissing names."""
    try:
        return fn(*args)
    except CalendarYearMissing as exc:
        return ("missing", exc.year)


@settings(max_examples=300, deadline=None)
@given(tables, anywhere, st.integers(1, 1000))
def test_r7_table_deadline_equals_the_walk(table, received, n):
    cal = make_calendar(table)
    assert outcome(cal.deadline, received, n) == outcome(scan_deadline, cal, received, n)


@settings(max_examples=300, deadline=None)
@given(tables, anywhere, st.integers(-800, 800))
def test_r7_table_count_equals_the_walk(table, start, length):
    cal = make_calendar(table)
    end = start + timedelta(days=length)
    assert outcome(cal.working_days_between, start, end) == outcome(scan_working_days, cal, start, end)


def test_r7_the_same_user_table_gives_one_calendar_and_one_table():
    rows = [(date(2027, 1, 1), REST), (date(2027, 2, 6), WORK)]
    assert make_calendar(rows) is make_calendar(list(rows))
    assert make_calendar(rows).table is make_calendar(rows).table
    assert make_calendar(rows) is not make_calendar(rows[:1])


def test_r7_deadline_running_past_the_last_covered_year_names_the_next_year():
    from scoring.holidays import statutory_holidays

    cal = make_calendar([(d, REST) for h in statutory_holidays(2027) for d in h.days()])  # 2027 listed; 2028 not
    with pytest.raises(CalendarYearMissing) as err:
        cal.deadline(date(2027, 12, 28), 5)
    assert err.value.year == 2028
    assert cal.deadline(date(2027, 12, 10), 4) == date(2027, 12, 16)  # Fri -> Mon 13 .. Thu 16
    with pytest.raises(CalendarYearMissing) as err:
        cal.deadline(date(2026, 12, 30), 1000)  # 2026 official, 2027 user, 2028 none
    assert err.value.year == 2028


class Refusing(type(make_calendar())):  # type: ignore[misc]
    """A calendar that refuses one day of a covered year, as R7 refuses an unlisted statutory holiday."""

    def is_workday(self, day):
        if day == date(2025, 10, 3):
            raise CalendarYearMissing(2025)
        return super().is_workday(day)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2025, 9, 1), max_value=date(2025, 11, 30)), st.integers(-60, 60), st.integers(1, 40))
def test_r7_a_day_the_calendar_refuses_is_met_by_the_walk_itself(start, length, n):
    base = make_calendar()
    cal = Refusing(base.rest_days, base.work_days, base.years)
    end = start + timedelta(days=length)
    assert outcome(cal.working_days_between, start, end) == outcome(scan_working_days, cal, start, end)
    assert outcome(cal.deadline, start, n) == outcome(scan_deadline, cal, start, n)
    if start <= date(2025, 10, 3) <= end:
        assert outcome(cal.working_days_between, start, end) == ("missing", 2025)


@pytest.mark.parametrize("n", [1, 3, 3.0, 1000, 1000.0, 2.5, 0, 0.0, 1001, -3, True, "3", "３", float("nan"), None])
def test_r7_sc_deadline_whole_numbers_take_the_short_way_to_the_same_answer(monkeypatch, n):
    from decimal import Decimal

    from scoring import functions

    quick = functions.safe(functions.sc_deadline, date(2026, 9, 30), n)
    monkeypatch.setattr(functions, "_WORKING_DAYS", frozenset())  # every number through to_number
    assert quick == functions.safe(functions.sc_deadline, date(2026, 9, 30), n)
    assert functions.safe(functions.sc_deadline, date(2026, 9, 30), Decimal(3)) == datetime(2026, 10, 10)
