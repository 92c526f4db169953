"""R6: system availability from the outage log, and its score band."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Sequence

from scoring.calendar import WorkCalendar
from scoring.evidence.model import Outage
from scoring.evidence.params import AvailabilityParams, default_params


def _params(params: AvailabilityParams | None) -> AvailabilityParams:
    return params or default_params("uptime-bands")


@dataclass(frozen=True)
class Availability:
    """The measured availability of a span of time."""

    start: datetime
    end: datetime  # exclusive
    total_minutes: Fraction
    outage_minutes: Fraction
    value: Fraction  # exact ratio, never rounded
    intervals: tuple[tuple[datetime, datetime], ...]  # merged, clipped outages


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Merge overlapping, touching and repeated intervals into disjoint ones, in order (R6)."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


MICROSECOND = timedelta(microseconds=1)


def _minutes(delta: timedelta) -> Fraction:
    return Fraction(delta // MICROSECOND, 60_000_000)


def announced_in_time(outage: Outage, calendar: WorkCalendar, notice_working_days: int | None = None) -> bool:
    """Whether planned maintenance was announced the rule's working days ahead (7 in the embedded rubric, 四.(三).4)."""
    if outage.announced is None:
        return False
    days = notice_working_days or _params(None).notice_working_days
    return calendar.deadline(outage.announced, days) <= outage.start.date()


def availability(
    outages: Sequence[Outage],
    first_day: date,
    last_day: date,
    exclude_announced: bool = False,
    calendar: WorkCalendar | None = None,
    notice_working_days: int | None = None,
) -> Availability:
    """A = normal service time / total service time over first_day 00:00 to the end of last_day (R6).

    Outages are clipped to the span and merged, so overlaps and repeats count once. With
    `exclude_announced`, maintenance announced 7 working days ahead does not count (needs `calendar`).
    """
    start = datetime.combine(first_day, time())
    end = datetime.combine(last_day + timedelta(days=1), time())
    kept = [o for o in outages if not (exclude_announced and calendar and announced_in_time(o, calendar, notice_working_days))]
    clipped = [(max(o.start, start), min(o.end, end)) for o in kept]
    intervals = merge((a, b) for a, b in clipped if a < b)
    total = _minutes(end - start)
    down = Fraction(sum((b - a) // MICROSECOND for a, b in intervals), 60_000_000)  # exact, summed as integers
    return Availability(start, end, total, down, (total - down) / total, tuple(intervals))


def band(value: Fraction, params: AvailabilityParams | None = None) -> tuple[Decimal, Decimal]:
    """The allowed score range for an availability, compared on the exact value, from the rule's bands (R6;
    embedded rubric: > 99.98 % 7-8, > 99.86 % 3-6, else 0-3)."""
    for b in _params(params).bands:
        if b.above is None or value > b.above:
            return b.low, b.high
    raise AssertionError("the last band has no lower bound (checked when the rubric is loaded)")
