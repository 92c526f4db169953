"""R7: a working-day table built once per calendar: cumulative counts of working days, day by day.

`WorkCalendar.deadline` and `working_days_between` (and so SC_WORKDAYS, SC_DEADLINE, the reply deadlines
of R7, the notice days of R6 and the payment deadlines of R10) read it instead of walking the calendar a
day at a time: a count is two list look-ups, a deadline one binary search. A year neither the official
calendar nor the user's table covers is still an error naming that year, the same year the day-by-day
walk (`scoring.calendar.scan_deadline`, `scan_working_days`) would meet first; tests/test_workdays.py
compares both on random dates and calendars.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.calendar import WorkCalendar


class WorkdayTable:
    """cumulative[i]: working days before day `first + i`, over every day of the first to the last covered year."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.years = calendar.years
        low, high = min(calendar.years), max(calendar.years)
        self.first = date(low, 1, 1)
        self.base = self.first.toordinal()
        days = date(high, 12, 31).toordinal() - self.base + 1
        rest, work = calendar.rest_days, calendar.work_days
        cumulative = [0] * (days + 1)
        count, day, weekday = 0, self.first, self.first.weekday()
        one = timedelta(days=1)
        for k in range(days):  # uncovered years between covered ones count Monday to Friday: never used
            if day in work or (weekday < 5 and day not in rest):
                count += 1
            cumulative[k + 1] = count
            day += one
            weekday = (weekday + 1) % 7
        self.cumulative = cumulative

    def _covered(self, low: int, high: int) -> None:
        """CalendarYearMissing for the first year from `low` to `high` that no calendar covers."""
        years = self.years
        if low in years and high in years and (high - low < 2 or all(y in years for y in range(low + 1, high))):
            return
        from scoring.calendar import CalendarYearMissing

        raise CalendarYearMissing(next(y for y in range(low, high + 1) if y not in years))

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day (R7)."""
        self._covered(day.year, day.year)
        k = day.toordinal() - self.base
        return self.cumulative[k + 1] > self.cumulative[k]

    def between(self, start: date, end: date) -> int:
        """Working days from `start` to `end`, both included (NETWORKDAYS; negative if end < start)."""
        if end < start:
            return -self.between(end, start)
        self._covered(start.year, end.year)
        return self.cumulative[end.toordinal() - self.base + 1] - self.cumulative[start.toordinal() - self.base]

    def deadline(self, received: date, working_days: int) -> date:
        """The last of `working_days` working days after `received`, the day of receipt not counted (R7)."""
        first_year = received.year + (received.month == 12 and received.day == 31)  # of the walk's first day
        self._covered(first_year, first_year)
        start = received.toordinal() + 1 - self.base
        # the first day with `working_days` more working days up to and including it; past the table:
        # 1 January after the last covered year, which _covered refuses
        k = bisect_left(self.cumulative, self.cumulative[start] + working_days)
        day = date.fromordinal(self.base + k - 1)
        self._covered(first_year, day.year)
        return day
