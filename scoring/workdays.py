"""R7: a working-day table built once per calendar: cumulative counts of working days, day by day.

`WorkCalendar.deadline` and `working_days_between` (and so SC_WORKDAYS, SC_DEADLINE, the reply deadlines
of R7, the notice days of R6 and the payment deadlines of R10) read it instead of walking the calendar a
day at a time: a count is two list look-ups, a deadline one binary search. The table is built from the
calendar's own `is_workday`; wherever that refuses a day (a year no calendar covers names the year), the
day-by-day walk (`scoring.calendar.scan_deadline`, `scan_working_days`) runs instead and raises what it
raises. tests/test_workdays.py compares both on random dates and user tables.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.calendar import WorkCalendar


class WorkdayTable:
    """Working days counted once over every day from 1 January of the first covered year to 31 December of the last.

    cumulative[i] counts the working days before day `first + i`; refused[i] counts the days before it on
    which the calendar's own `is_workday` raises (a year no calendar covers, or any other refusal R7 makes).
    A count or deadline whose walk would meet such a day, or leave the table, is left to the walk itself
    (scoring.calendar.scan_*), so it raises exactly what the definition raises.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        from scoring.calendar import CalendarYearMissing

        self.calendar = calendar
        low, high = min(calendar.years), max(calendar.years)
        self.first = date(low, 1, 1)
        self.base = self.first.toordinal()
        self.days = date(high, 12, 31).toordinal() - self.base + 1
        cumulative, refused = [0] * (self.days + 1), [0] * (self.days + 1)
        count = bad = 0
        day, one = self.first, timedelta(days=1)
        for k in range(self.days):
            try:
                count += calendar.is_workday(day)
            except CalendarYearMissing:  # and any refusal derived from it: the walk must meet it itself
                bad += 1
            cumulative[k + 1], refused[k + 1] = count, bad
            day += one
        self.cumulative, self.refused = cumulative, refused

    def between(self, start: date, end: date) -> int:
        """Working days from `start` to `end`, both included (NETWORKDAYS; negative if end < start)."""
        if end < start:
            return -self.between(end, start)
        s, e = start.toordinal() - self.base, end.toordinal() - self.base + 1
        if s < 0 or e > self.days or self.refused[e] != self.refused[s]:
            from scoring.calendar import scan_working_days

            return scan_working_days(self.calendar, start, end)
        return self.cumulative[e] - self.cumulative[s]

    def deadline(self, received: date, working_days: int) -> date:
        """The last of `working_days` working days after `received`, the day of receipt not counted (R7)."""
        s = received.toordinal() + 1 - self.base  # the walk's first day
        if 0 <= s < self.days:
            # the first day with `working_days` more working days up to and including it
            k = bisect_left(self.cumulative, self.cumulative[s] + working_days)
            if k <= self.days and self.refused[k] == self.refused[s]:
                return date.fromordinal(self.base + k - 1)
        from scoring.calendar import scan_deadline

        return scan_deadline(self.calendar, received, working_days)
