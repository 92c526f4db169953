"""Rectification (整改, contract 五 and 六.1): which items a notice lists, their deadline, and whether the
next period finds them rectified in time. Pure: values in, values out (R7 working days via a WorkCalendar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Sequence


@dataclass(frozen=True)
class RectificationItem:
    """One item a notice asks the vendor to rectify."""

    item: str  # item id
    name: str
    score: Fraction
    points: Decimal
    completed: date | None = None  # filled in by the secretary when the vendor reports it done


@dataclass(frozen=True)
class Notice:
    """A rectification notice: the period it follows, its items, when the vendor received it and the deadline."""

    contract_id: str
    period: str
    items: tuple[RectificationItem, ...]
    working_days: int
    received: date | None = None
    deadline: date | None = None
    received_at: str = ""  # sheet!cell of the receipt date in the notice workbook, for the message when it is blank


@dataclass(frozen=True)
class Outcome:
    """Whether one item was rectified in time (shown on the next period's summary)."""

    item: RectificationItem
    status: str  # 按时整改 / 逾期整改 / 未整改 / 未填写送达日期
    deadline: date | None
    in_time: bool


def items_below(results: Sequence[Any], share: Decimal) -> list[RectificationItem]:
    """Items whose panel score is below `share` of their points (the contract's threshold), rubric order."""
    return [RectificationItem(r.item.id, r.item.name, r.panel, r.item.points) for r in results
            if r.panel < Fraction(share) * Fraction(r.item.points)]


def deadline(received: date, working_days: int, calendar: Any) -> date:
    """整改期限: the end of the `working_days`-th working day after receipt, the day of receipt not counted (R7)."""
    return calendar.deadline(received, working_days)


def outcomes(notice: Notice, calendar: Any) -> list[Outcome]:
    """Each item's rectification judged against the deadline (received + working days, R7)."""
    due = notice.deadline or (deadline(notice.received, notice.working_days, calendar) if notice.received else None)
    result = []
    for item in notice.items:
        if due is None:
            result.append(Outcome(item, "未填写送达日期，无法判断", None, False))
        elif item.completed is None:
            result.append(Outcome(item, "未整改（未填写完成日期）", due, False))
        elif item.completed <= due:
            result.append(Outcome(item, "按时整改", due, True))
        else:
            late = calendar.working_days_between(due, item.completed) - 1
            result.append(Outcome(item, f"逾期整改（超过期限 {late} 个工作日）", due, False))
    return result


def outcome_warnings(notice: Notice, results: Sequence[Outcome]) -> list[str]:
    """One line per item not rectified in time, for the summary's warnings (合同五：拒不整改的，甲方有权终止合同)."""
    return [f"{notice.period} 整改通知的“{o.item.name}”：{o.status}" + (f"，期限 {o.deadline}" if o.deadline else "")
            for o in results if not o.in_time]
