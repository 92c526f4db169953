"""R7: replies to requests (需求函) within 3 working days, and the determined `response` score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from scoring.calendar import WorkCalendar
from scoring.evidence.model import Request
from scoring.evidence.params import RequestParams, default_params


def _params(params: RequestParams | None) -> RequestParams:
    return params or default_params("reply-deadline")


@dataclass(frozen=True)
class RequestCheck:
    """One request with its deadline and whether the reply was late (an unanswered one counts as late)."""

    request: Request
    deadline: date
    late: bool


def check_requests(requests: Sequence[Request], calendar: WorkCalendar,
                   params: RequestParams | None = None) -> list[RequestCheck]:
    """Deadline (end of the rule's 3rd working day after receipt) and lateness of every request (R7)."""
    days = _params(params).reply_working_days
    result = []
    deadlines: dict = {}  # thousands of requests share a few hundred receipt days
    for r in requests:
        if r.received not in deadlines:
            deadlines[r.received] = calendar.deadline(r.received, days)
        deadline = deadlines[r.received]
        result.append(RequestCheck(r, deadline, r.replied is None or r.replied > deadline))
    return result


def response_score(late: int | Decimal, points: Decimal, params: RequestParams | None = None) -> Decimal:
    """The determined score: the item's points minus the rule's points per late reply (1), never below 0 (R7)."""
    return max(Decimal(0), points - _params(params).points_per_late * late)
