"""Assessment periods: '2026H2' is 2026-07-01 to 2026-12-31, '2027H1' is 2027-01-01 to 2027-06-30."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"^(\d{4})[Hh]([12])$")


@dataclass(frozen=True)
class Period:
    """A half-year assessment period."""

    code: str
    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of calendar days, both ends included."""
        return (self.end - self.start).days + 1


def parse_period(text: str) -> Period:
    """Parse '2026H2' style text; raises ValueError with a Chinese reason."""
    match = _PERIOD.match(str(text).strip())
    if not match:
        raise ValueError(f"考核期“{text}”格式不对，应写成 2026H2（下半年）或 2027H1（上半年）")
    year, half = int(match.group(1)), int(match.group(2))
    if half == 1:
        return Period(f"{year}H1", date(year, 1, 1), date(year, 6, 30))
    return Period(f"{year}H2", date(year, 7, 1), date(year, 12, 31))
