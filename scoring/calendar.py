"""R7: working days on the official Chinese calendar (with 调休), extended by the user's own table.

A year that neither the packaged official calendar nor the user's table covers is an error
naming that year: there is never a silent fall-back to Monday-to-Friday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from scoring.workdays import WorkdayTable

REST, WORK = "休息日", "工作日"
MAX_WORKING_DAYS = 1000


class CalendarYearMissing(ValueError):
    """The calendar of a year is not known: no official data packaged and no user table."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year} 年的法定节假日安排未知：请在证据材料的“节假日调整”表中填写 {year} 年的节假日和调休工作日")


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: weekends and listed rest days off, listed make-up days on."""

    rest_days: frozenset[date]
    work_days: frozenset[date]
    years: frozenset[int]

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day (R7); CalendarYearMissing when its year is not covered."""
        if day.year not in self.years:
            raise CalendarYearMissing(day.year)
        if day in self.work_days:
            return True
        if day in self.rest_days:
            return False
        return day.weekday() < 5

    @cached_property
    def table(self) -> WorkdayTable:
        """The cumulative working-day table of this calendar, built on first use (scoring.workdays)."""
        from scoring.workdays import WorkdayTable

        return WorkdayTable(self)

    def deadline(self, received: date, working_days: int) -> date:
        """The last day of `working_days` working days after `received`, the day of receipt not counted (R7)."""
        if not 0 < working_days <= MAX_WORKING_DAYS:
            raise ValueError(f"工作日数 {working_days} 须在 1 到 {MAX_WORKING_DAYS} 之间")
        return self.table.deadline(received, working_days)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from `start` to `end`, both included, like Excel's NETWORKDAYS (negative if end < start)."""
        return self.table.between(start, end)


# The definitions of R7, walking a day at a time: the working-day table must give the same answers
# (tests/test_workdays.py). CalendarYearMissing names the first uncovered year the walk meets.

def scan_deadline(calendar: WorkCalendar, received: date, working_days: int) -> date:
    """The last day of `working_days` working days after `received`, the day of receipt not counted (R7)."""
    day, counted = received, 0
    while counted < working_days:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


def scan_working_days(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days from `start` to `end`, both included (negative if end < start)."""
    if end < start:
        return -scan_working_days(calendar, end, start)
    return sum(1 for k in range((end - start).days + 1) if calendar.is_workday(start + timedelta(days=k)))


@lru_cache(maxsize=1)
def _official() -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    import chinese_calendar

    holidays = frozenset(chinese_calendar.holidays)
    workdays = frozenset(chinese_calendar.workdays)
    years = frozenset(range(min(d.year for d in holidays), max(d.year for d in holidays) + 1))
    return holidays, workdays, years


def official_years() -> frozenset[int]:
    """The years the packaged official calendar (chinesecalendar) covers."""
    return _official()[2]


def make_calendar(adjustments: Iterable[tuple[date, str]] = ()) -> WorkCalendar:
    """The official calendar overridden and extended by the user's (date, 休息日|工作日) rows (R7).

    A year gets covered by the user's table as soon as the table lists a day of it; the user's
    row wins over the official one for the same day. The same rows give the same calendar object,
    so its working-day table is built once (a sheet's SC_WORKDAYS cells share one holiday range).
    """
    return _make_calendar(tuple((day, kind) for day, kind in adjustments))


@lru_cache(maxsize=32)
def _make_calendar(adjustments: tuple[tuple[date, str], ...]) -> WorkCalendar:
    holidays, workdays, years = _official()
    rest, work, covered = set(holidays), set(workdays), set(years)
    for day, kind in adjustments:
        if kind == REST:
            rest.add(day)
            work.discard(day)
        elif kind == WORK:
            work.add(day)
            rest.discard(day)
        else:
            raise ValueError(f"类型“{kind}”应为“{REST}”或“{WORK}”")
        covered.add(day.year)
    return WorkCalendar(frozenset(rest), frozenset(work), frozenset(covered))
