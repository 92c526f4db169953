"""R7: replies to requests (需求函) within 3 working days, and the determined `response` score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from scoring.calendar import WorkCalendar
from scoring.evidence.model import Request

REPLY_WORKING_DAYS = 3


@dataclass(frozen=True)
class RequestCheck:
    """One request with its deadline and whether the reply was late (an unanswered one counts as late)."""

    request: Request
    deadline: date
    late: bool


def check_requests(requests: Sequence[Request], calendar: WorkCalendar) -> list[RequestCheck]:
    """Deadline (end of the 3rd working day after receipt) and lateness of every request (R7)."""
    result = []
    deadlines: dict = {}  # thousands of requests share a few hundred receipt days
    for r in requests:
        if r.received not in deadlines:
            deadlines[r.received] = calendar.deadline(r.received, REPLY_WORKING_DAYS)
        deadline = deadlines[r.received]
        result.append(RequestCheck(r, deadline, r.replied is None or r.replied > deadline))
    return result


def response_score(late: int, points: Decimal = Decimal(8)) -> Decimal:
    """`response`: the item's points minus one per late reply, never below 0 (R7)."""
    return max(Decimal(0), points - late)
