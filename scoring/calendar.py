"""R7: working days on the official Chinese calendar (with 调休), extended by the user's own table.

A year that neither the packaged official calendar nor the user's table covers is an error
naming that year: there is never a silent fall-back to Monday-to-Friday. A year covered only by
the user's table is trusted only for the statutory holidays it lists (scoring.holidays computes
them): a count that reaches a statutory day of a holiday the table does not list, or a weekend
within a week of it (where the yearly arrangement puts its make-up working days), is an error
naming the holiday and its dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from scoring.holidays import Holiday

REST, WORK = "休息日", "工作日"
MAX_WORKING_DAYS = 1000


class CalendarYearMissing(ValueError):
    """The calendar of a year is not known: no official data packaged and no user table."""

    def __init__(self, year: int, message: str | None = None):
        self.year = year
        super().__init__(message or f"{year} 年的法定节假日安排未知：请在证据材料的“节假日调整”表中填写 {year} 年的节假日和调休工作日")


class HolidayNotListed(CalendarYearMissing):
    """A count spans a statutory holiday of a year known only from the user's table, which does not list it (R7)."""

    def __init__(self, holiday: Holiday):
        self.holiday = holiday
        super().__init__(holiday.first.year, (
            f"{holiday.first.year} 年{holiday.describe()}未在“节假日调整”表中填写，而计算跨越了它（或其前后一周内可能调休的周末）："
            f"请按国务院公布的 {holiday.first.year} 年{holiday.name}放假安排逐日填写休息日和调休工作日"))


UNLISTED_MARGIN = timedelta(days=7)  # the yearly arrangement puts make-up working days within a week of a holiday


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: weekends and listed rest days off, listed make-up days on."""

    rest_days: frozenset[date]
    work_days: frozenset[date]
    years: frozenset[int]
    user_years: frozenset[int] = frozenset()  # years known only from the user's table
    user_days: frozenset[date] = frozenset()  # every day the user's table lists

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day (R7); CalendarYearMissing when its year is not covered,
        HolidayNotListed when it belongs to an unlisted statutory holiday of a user-covered year."""
        if day.year not in self.years:
            raise CalendarYearMissing(day.year)
        if day.year in self.user_years and day not in self.user_days:
            _check_listed(day, self.user_days)
        if day in self.work_days:
            return True
        if day in self.rest_days:
            return False
        return day.weekday() < 5

    def deadline(self, received: date, working_days: int) -> date:
        """The last day of `working_days` working days after `received`, the day of receipt not counted (R7)."""
        if not 0 < working_days <= MAX_WORKING_DAYS:
            raise ValueError(f"工作日数 {working_days} 须在 1 到 {MAX_WORKING_DAYS} 之间")
        day, counted = received, 0
        while counted < working_days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from `start` to `end`, both included, like Excel's NETWORKDAYS (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for k in range((end - start).days + 1) if self.is_workday(start + timedelta(days=k)))


@lru_cache(maxsize=1)
def _official() -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    import chinese_calendar

    holidays = frozenset(chinese_calendar.holidays)
    workdays = frozenset(chinese_calendar.workdays)
    years = frozenset(range(min(d.year for d in holidays), max(d.year for d in holidays) + 1))
    return holidays, workdays, years


def _check_listed(day: date, listed: frozenset[date]) -> None:
    """HolidayNotListed when `day` is a statutory day of a holiday none of whose days the table lists,
    or a weekend within a week of one (R7)."""
    from scoring.holidays import statutory_holidays

    for year in {day.year - 1, day.year, day.year + 1}:
        try:
            holidays = statutory_holidays(year)
        except ValueError:
            continue
        for holiday in holidays:
            near = holiday.first - UNLISTED_MARGIN <= day <= holiday.last + UNLISTED_MARGIN
            if not near or (not holiday.first <= day <= holiday.last and day.weekday() < 5):
                continue
            if not any(d in listed for d in holiday.days()):
                raise HolidayNotListed(holiday)


def official_years() -> frozenset[int]:
    """The years the packaged official calendar (chinesecalendar) covers."""
    return _official()[2]


def make_calendar(adjustments: Iterable[tuple[date, str]] = ()) -> WorkCalendar:
    """The official calendar overridden and extended by the user's (date, 休息日|工作日) rows (R7).

    A year gets covered by the user's table as soon as the table lists a day of it; the user's
    row wins over the official one for the same day.
    """
    holidays, workdays, years = _official()
    rest, work, covered, listed = set(holidays), set(workdays), set(years), set()
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
        listed.add(day)
    return WorkCalendar(frozenset(rest), frozenset(work), frozenset(covered), frozenset(covered - years),
                        frozenset(listed))
