"""Fast paths of the spreadsheet functions over ranges: whole columns at once with numpy (R2.3, R6, R7).

Each function takes the cells as xlwings hands them over and returns the same value as the exact
path of scoring.functions, or None when the cells are not the plain case it handles (text, error
values, booleans, blanks in a score table, a number that is not a 2-decimal score, a year no calendar
covers); the caller then takes the exact path, which also words any error. Exactness: scores become
integer hundredths and are divided once, so every float returned is the correctly rounded value of the
exact Fraction, as float(Fraction) is; times are integer microseconds. tests/test_vectorized.py compares
both paths on random ranges.
"""

from __future__ import annotations

import operator
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any, Callable, Sequence

_NUMBERS: set[type] = {float, int}
_DATES: set[type] = {date, datetime}
_MOMENTS: set[type] = {datetime}
_EPOCH = datetime(1970, 1, 1)  # where numpy counts days from
_US = timedelta(microseconds=1)
_TZINFO = operator.attrgetter("tzinfo")
LARGEST = 10 ** 9  # beyond this a score is not a score; hundredths stay far below 2^53


def panel(table: list[list[Any]], policy: str) -> list[list[float]] | None:
    """SC_PANEL: each row's median, mean or trimmed mean (R2.3) of a table with every cell a number."""
    from scoring.policies import ITEM_MEDIAN, MEAN, TRIMMED_MEAN

    np = _numpy()
    if np is None or not table or not table[0] or policy not in (ITEM_MEDIAN, "median", MEAN, TRIMMED_MEAN):
        return None
    width = len(table[0])
    flat = list(chain.from_iterable(table))  # one flat list: numpy converts it several times faster than rows
    if set(map(len, table)) != {width} or not set(map(type, flat)) <= _NUMBERS:
        return None
    values = np.array(flat, dtype=np.float64).reshape(len(table), width)
    if not np.isfinite(values).all() or np.abs(values).max() > LARGEST:
        return None
    hundredths = np.rint(values * 100)
    if not (hundredths / 100 == values).all():  # not the float of a 2-decimal number: the exact path decides
        return None
    k = np.sort(hundredths.astype(np.int64), axis=1)
    if policy == MEAN:
        result = k.sum(axis=1) / (100 * width)
    elif policy == TRIMMED_MEAN:
        if width < 3:
            return None
        result = (k.sum(axis=1) - k[:, 0] - k[:, -1]) / (100 * (width - 2))
    else:
        mid = width // 2
        twice = 2 * k[:, mid] if width % 2 else k[:, mid - 1] + k[:, mid]
        result = twice / 200
    return [[x] for x in result.tolist()]  # a column; a 1-d tolist is many times faster than a 2-d one


def _plain(values: Sequence[Any], kinds: set[type], blanks: bool) -> bool:
    """Every value of one of `kinds` (or blank: None or "" when `blanks`)."""
    found = set(map(type, values))
    if blanks:
        found.discard(type(None))
        if str in found:
            if any(v != "" for v in values if type(v) is str):
                return False
            found.discard(str)
    return found <= kinds


def plain_dates(values: Sequence[Any]) -> bool:
    """Every value a date, a date and time, or blank (the cells SC_LATE_REPLIES takes without conversion)."""
    return _plain(values, _DATES, True)


def late_replies(received: list[Any], replied: list[Any], calendar: Any, working_days: int) -> int | None:
    """SC_LATE_REPLIES: requests not answered by their deadline (R7), one deadline per receipt day."""
    from scoring.calendar import CalendarYearMissing

    if not _plain(received, _DATES, True) or not _plain(replied, _DATES, True):
        return None
    if len(replied) < len(received):
        replied = replied + [None] * (len(received) - len(replied))
    deadlines: dict[date, date] = {}
    late = 0
    try:
        for got, answered in zip(received, replied):
            if got is None or got == "":
                continue
            day = got.date() if type(got) is datetime else got
            deadline = deadlines.get(day)
            if deadline is None:
                deadline = deadlines[day] = calendar.deadline(day, working_days)
            if answered is None or answered == "":
                late += 1
            elif (answered.date() if type(answered) is datetime else answered) > deadline:
                late += 1
    except CalendarYearMissing:  # the exact path names the year of the first such request
        return None
    return late


def _numpy() -> Any:
    """numpy, or None where it is not installed (xlwings Lite lists no wheel for it): the exact path then."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


# A naive datetime's pickled state: year (2 bytes, big-endian), month (+128 when `fold` is set), day, hour,
# minute, second, microsecond (3 bytes, big-endian), the format pickle has read since Python 2.3.
_STATE = [("year", ">u2"), ("month", "u1"), ("day", "u1"), ("hour", "u1"), ("minute", "u1"), ("second", "u1"),
          ("us_high", "u1"), ("us_low", ">u2")]
_DAYS_BEFORE_MONTH = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)  # in a common year, by month 1-12
_DAYS_BEFORE_1970 = 719162  # proleptic Gregorian days from 0001-01-01


def _microseconds(values: list[datetime]) -> Any:
    """Each naive datetime as integer microseconds since 1970-01-01 00:00, exactly; None if any has a tzinfo.

    Read from the 10 bytes each datetime pickles itself as (`_STATE`; CPython's C module and the
    pure-Python one write the same), joined into one buffer, so a value costs one method call where a
    subtraction and a division of timedeltas cost twice the time; the calendar arithmetic (days before the
    year and the month, leap days) is then done for the whole column by numpy. tests/test_vectorized.py
    compares it with timedelta arithmetic from year 1 to 9999."""
    import numpy as np

    if any(map(_TZINFO, values)):  # an aware time cannot be compared with the period's naive bounds
        return None
    states = b"".join([v.__reduce__()[1][0] for v in values])  # type: ignore[misc]  # typeshed: str | tuple
    t = np.frombuffer(states, dtype=np.dtype(_STATE))
    year, month = t["year"].astype(np.int64), (t["month"] & 127).astype(np.int64)
    before = year - 1
    leap_day = (month > 2) & (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = (before * 365 + before // 4 - before // 100 + before // 400 + np.array(_DAYS_BEFORE_MONTH)[month]
            + leap_day + t["day"] - 1 - _DAYS_BEFORE_1970)
    seconds = ((days * 24 + t["hour"]) * 60 + t["minute"]) * 60 + t["second"]
    return seconds * 1_000_000 + t["us_high"].astype(np.int64) * 65536 + t["us_low"]


def availability(starts: list[Any], ends: list[Any], period: Callable[[], tuple[date, date]]) -> float | None:
    """SC_AVAILABILITY: 1 - merged outage time / the span from the first day 00:00 to the end of the last (R6).

    `period()` gives (first day, last day); it is called once the outages are known to be plain, so an
    argument error is raised in the same order as on the exact path."""
    np = _numpy()
    if np is None or len(starts) != len(ends) or not _plain(starts, _MOMENTS, False) or not _plain(ends, _MOMENTS, False):
        return None
    a, b = _microseconds(starts), _microseconds(ends)
    if a is None or b is None or (b < a).any():  # the exact path names the first such outage
        return None
    first, last = period()
    start, end = datetime.combine(first, datetime.min.time()), datetime.combine(last + timedelta(days=1),
                                                                                  datetime.min.time())
    total = (end - start) // _US
    if not starts:
        return (total - 0) / total
    low, high = (start - _EPOCH) // _US, (end - _EPOCH) // _US
    a, b = np.maximum(a, low), np.minimum(b, high)
    keep = a < b
    a, b = a[keep], b[keep]
    if a.size == 0:
        return (total - 0) / total
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    reach = np.maximum.accumulate(b)  # the furthest end so far: a new merged interval starts beyond it
    new = np.empty(a.size, dtype=bool)
    new[0] = True
    new[1:] = a[1:] > reach[:-1]
    group_end = np.append(np.flatnonzero(new)[1:] - 1, a.size - 1)
    down = int((reach[group_end] - a[new]).sum())
    return (total - down) / total
