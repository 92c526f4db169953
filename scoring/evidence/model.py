"""The evidence of one period as plain values (one dataclass per table of interfaces.md §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Outage:
    """服务中断: one interruption of the backup service."""

    start: datetime
    end: datetime
    note: str = ""
    announced: date | None = None  # 通知日期, optional column: when the vendor announced planned maintenance


@dataclass(frozen=True)
class Request:
    """需求函: a request from the buyer and the vendor's reply (答复函)."""

    id: str
    received: date
    replied: date | None
    note: str = ""


@dataclass(frozen=True)
class Report:
    """运行月报: the monthly report of `month` (any day of that month)."""

    month: date
    submitted: date | None
    complete: bool


@dataclass(frozen=True)
class Incident:
    """故障: one fault with its times and consequences."""

    id: str
    occurred: datetime
    responded: datetime | None
    on_site: datetime | None
    recovered: datetime | None
    systems: int
    data_lost: bool
    leaked: bool
    concealed: bool
    note: str = ""
    discovered: datetime | None = None  # 发现时间 (R8): the deadlines run from it; None: the occurrence time is used


@dataclass(frozen=True)
class Complaint:
    """投诉与未接电话: a complaint (投诉) or a missed service call (未接电话)."""

    day: date
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Drill:
    """应急演练: a data-recovery drill."""

    day: date
    content: str = ""


@dataclass(frozen=True)
class Training:
    """培训服务: vendor training, in person-times (人次)."""

    day: date
    persons: int
    content: str = ""


@dataclass(frozen=True)
class Evidence:
    """All evidence of a period; a blank workbook means no events and neither 密评 nor 等保 passed."""

    period: str = ""
    outages: tuple[Outage, ...] = ()
    requests: tuple[Request, ...] = ()
    reports: tuple[Report, ...] = ()
    incidents: tuple[Incident, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    drills: tuple[Drill, ...] = ()
    trainings: tuple[Training, ...] = ()
    holidays: tuple[tuple[date, str], ...] = ()
    crypto_passed: bool = False
    mlps_certified: bool = False
    source: str = field(default="", compare=False)
    period_cell: tuple[str, str] = field(default=("", ""), compare=False)  # (sheet, cell) of its 考核期
