"""R7: working days on the official calendar with 调休, and the user's table for years not packaged."""

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from scoring.calendar import CalendarYearMissing, make_calendar, official_years

CAL = make_calendar()


def test_r7_worked_example_received_before_national_day():
    # received 2026-09-30; 10-01..10-07 holidays; Saturday 10-10 is a make-up working day
    assert CAL.is_workday(date(2026, 10, 10)) is True
    assert CAL.is_workday(date(2026, 10, 5)) is False
    assert CAL.deadline(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_r7_receipt_day_not_counted_and_weekends_skipped():
    assert CAL.deadline(date(2026, 11, 2), 3) == date(2026, 11, 5)  # Monday -> Thursday
    assert CAL.deadline(date(2026, 11, 6), 3) == date(2026, 11, 11)  # Friday -> Wednesday
    assert CAL.deadline(date(2026, 11, 7), 1) == date(2026, 11, 9)  # received on a Saturday


def test_working_days_between_counts_both_ends_like_networkdays():
    assert CAL.working_days_between(date(2026, 11, 2), date(2026, 11, 6)) == 5
    assert CAL.working_days_between(date(2026, 11, 6), date(2026, 11, 2)) == -5
    assert CAL.working_days_between(date(2026, 10, 1), date(2026, 10, 10)) == 3  # 10-08, 10-09, make-up 10-10
    assert CAL.working_days_between(date(2026, 11, 7), date(2026, 11, 7)) == 0


def test_r7_a_year_not_packaged_is_an_error_naming_the_year():
    assert 2026 in official_years() and 2027 not in official_years()
    with pytest.raises(CalendarYearMissing) as err:
        CAL.deadline(date(2026, 12, 30), 3)
    assert err.value.year == 2027 and "2027 年" in str(err.value)
    with pytest.raises(CalendarYearMissing):
        CAL.is_workday(date(2027, 3, 1))  # never a silent Monday-to-Friday


def test_r7_user_table_covers_a_year_and_overrides_the_official_one():
    cal = make_calendar([(date(2027, 1, 1), "休息日"), (date(2027, 2, 6), "工作日"), (date(2026, 11, 9), "休息日")])
    assert cal.deadline(date(2026, 12, 30), 3) == date(2027, 1, 5)  # 12-31, (1-1 rest), 1-4, 1-5
    assert cal.is_workday(date(2027, 2, 6)) is True  # a Saturday made a working day
    assert cal.is_workday(date(2026, 11, 9)) is False  # the user's row wins
    with pytest.raises(ValueError):
        make_calendar([(date(2027, 1, 1), "假日")])


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 11, 30)), st.integers(min_value=1, max_value=20))
def test_property_a_deadline_never_falls_on_a_rest_day(received, n):
    deadline = CAL.deadline(received, n)
    assert CAL.is_workday(deadline)
    assert CAL.working_days_between(received + timedelta(days=1), deadline) == n


# R7 (corrected): a user's table is trusted only for the statutory holidays it lists.

def test_r7_statutory_holidays_are_computed_from_the_lunar_calendar_and_solar_terms():
    from scoring.holidays import statutory_holidays

    found = {h.name: (h.first, h.last) for h in statutory_holidays(2027)}
    assert found["春节"] == (date(2027, 2, 5), date(2027, 2, 8))  # 除夕 2027-02-05, 初一 2027-02-06 (rules.md R7)
    assert found["清明节"] == (date(2027, 4, 5),) * 2
    assert found["端午节"] == (date(2027, 6, 9),) * 2 and found["中秋节"] == (date(2027, 9, 15),) * 2
    assert found["元旦"] == (date(2027, 1, 1),) * 2 and found["劳动节"] == (date(2027, 5, 1), date(2027, 5, 2))
    assert found["国庆节"] == (date(2027, 10, 1), date(2027, 10, 3))
    # the computation agrees with the official calendar where both exist: 春节 2026 began on 2026-02-17
    assert {h.name: h.first for h in statutory_holidays(2026)}["春节"] == date(2026, 2, 16)


def test_r7_rules_example_table_with_only_new_year_serves_early_january():
    cal = make_calendar([(date(2027, 1, 1), "休息日")])
    assert cal.deadline(date(2026, 12, 31), 3) == date(2027, 1, 6)  # rules.md R7 example


def test_r7_rules_example_table_with_only_new_year_is_refused_across_spring_festival():
    from scoring.calendar import HolidayNotListed

    cal = make_calendar([(date(2027, 1, 1), "休息日")])
    with pytest.raises(HolidayNotListed) as err:
        cal.deadline(date(2027, 2, 4), 3)  # rules.md R7 example: 除夕 2027-02-05
    message = str(err.value)
    assert "春节" in message and "2027-02-05 至 2027-02-08" in message and "节假日调整" in message
    assert isinstance(err.value, CalendarYearMissing) and err.value.year == 2027
    with pytest.raises(HolidayNotListed, match="清明节（2027-04-05）"):
        cal.working_days_between(date(2027, 4, 1), date(2027, 4, 9))
    assert cal.deadline(date(2027, 3, 8), 3) == date(2027, 3, 11)  # far from any holiday: Monday to Friday is right


def test_r7_a_listed_spring_festival_is_trusted():
    rows = [(date(2027, 1, 1), "休息日")] + [(date(2027, 2, d), "休息日") for d in range(5, 13)]
    cal = make_calendar(rows + [(date(2027, 2, 20), "工作日")])
    assert cal.deadline(date(2027, 2, 4), 3) == date(2027, 2, 17)
