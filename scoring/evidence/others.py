"""R9: monthly reports, drills, trainings (flags, not caps) and the satisfaction cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from scoring.evidence.model import Complaint, Report
from scoring.evidence.params import ComplaintParams, default_params

COMPLAINT, MISSED_CALL = "投诉", "未接电话"


@dataclass(frozen=True)
class ReportCheck:
    """The monthly report of one month: due date, and whether it was on time, late or missing."""

    month: date  # first day of the month
    due: date
    submitted: date | None
    complete: bool
    status: str  # 按时 / 逾期 / 未提交


def months(first_day: date, last_day: date) -> list[date]:
    """The first day of every month from first_day to last_day."""
    result, day = [], first_day.replace(day=1)
    while day <= last_day:
        result.append(day)
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return result


def report_due(month: date, due_day: int = 5) -> date:
    """The due date of a month's report: the `due_day` of the next month (R9; the 5th itself is on time)."""
    return date(month.year + month.month // 12, month.month % 12 + 1, due_day)


def check_reports(reports: Sequence[Report], first_day: date, last_day: date, due_day: int = 5) -> list[ReportCheck]:
    """Every month of the span with its report's status; the last submission of a month counts (R9)."""
    by_month: dict[date, Report] = {}
    for r in reports:
        key = r.month.replace(day=1)
        if key not in by_month or (r.submitted or date.min) > (by_month[key].submitted or date.min):
            by_month[key] = r
    result = []
    for month in months(first_day, last_day):
        due = report_due(month, due_day)
        found = by_month.get(month)
        if found is None or found.submitted is None:
            result.append(ReportCheck(month, due, None, False, "未提交"))
        else:
            result.append(ReportCheck(month, due, found.submitted, found.complete,
                                      "按时" if found.submitted <= due else "逾期"))
    return result


def complaint_cap(count: int | Decimal, points: Decimal, params: ComplaintParams | None = None) -> Decimal:
    """The capped item may score at most points - 2 x (complaints + missed calls), never below 0 (R9; the
    step is the rule's points_per_complaint)."""
    step = (params or default_params("complaint-cap")).points_per_complaint
    return max(Decimal(0), points - step * count)


def satisfaction_cap(complaints: Sequence[Complaint], points: Decimal, params: ComplaintParams | None = None) -> Decimal:
    """complaint_cap of a list of complaints and missed calls (R9)."""
    return complaint_cap(len(complaints), points, params)
