"""R7: the statutory holidays of any year, computed (never typed) from the rule and the calendars.

全国年节及纪念日放假办法 (as amended 2024, in force 2025): 元旦 1 day (1 January), 春节 4 days
(除夕 and 正月初一 to 初三), 清明节 1 day (the day of the solar term 清明), 劳动节 2 days (1 and 2 May),
端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1 to 3 October).

The lunar dates come from ``lunardate``, the solar term from ``chinese_calendar``'s solar-term
table; both cover 1900 to 2099. The State Council's yearly arrangement (调休) adds bridging days
and make-up working days around these; only the statutory days themselves are known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache


@dataclass(frozen=True)
class Holiday:
    """One statutory holiday of one year: its name and its statutory days (first to last, both included)."""

    name: str
    first: date
    last: date

    def days(self) -> list[date]:
        """Every statutory day of the holiday."""
        return [self.first + timedelta(days=k) for k in range((self.last - self.first).days + 1)]

    def describe(self) -> str:
        """'春节（2027-02-05 至 2027-02-08）' or '清明节（2027-04-05）'."""
        if self.first == self.last:
            return f"{self.name}（{self.first:%Y-%m-%d}）"
        return f"{self.name}（{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}）"


def _lunar(year: int, month: int, day: int) -> date:
    from lunardate import LunarDate

    return LunarDate(year, month, day).to_solar_date()


def _qingming(year: int) -> date:
    from chinese_calendar import get_solar_terms

    for day, name in get_solar_terms(date(year, 4, 1), date(year, 4, 10)):
        if name == "清明":
            return day
    raise ValueError(f"{year} 年的清明日期无法计算")


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> tuple[Holiday, ...]:
    """The seven statutory holidays of `year` in calendar order (R7); ValueError outside 1901-2099."""
    if not 1901 <= year <= 2099:
        raise ValueError(f"{year} 年的法定节假日无法计算（只支持 1901 至 2099 年）")
    spring = _lunar(year, 1, 1)
    return (
        Holiday("元旦", date(year, 1, 1), date(year, 1, 1)),
        Holiday("春节", spring - timedelta(days=1), spring + timedelta(days=2)),
        Holiday("清明节", _qingming(year), _qingming(year)),
        Holiday("劳动节", date(year, 5, 1), date(year, 5, 2)),
        Holiday("端午节", _lunar(year, 5, 5), _lunar(year, 5, 5)),
        Holiday("中秋节", _lunar(year, 8, 15), _lunar(year, 8, 15)),
        Holiday("国庆节", date(year, 10, 1), date(year, 10, 3)),
    )
