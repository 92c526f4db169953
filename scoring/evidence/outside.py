"""Evidence rows dated outside what the rules count (R5-R9): told, never dropped in silence.

The rules count the outages, requests, faults and complaints of the period (outages of the service year under
availability_period = service-year) and the drills and training of the service year. A row outside is left out
of every range; a year typed wrong (2025 for 2026) would hide a leak or an outage without a word, so the
secretary is told which rows were left out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

SHOWN = 8  # rows named in the notice; the rest are counted


def outside_rows(evidence: Any, first: date, last: date, year_first: date, outage_first: date) -> list[str]:
    """The rows the rules leave out, each as "kind id (date)": outages ending before `outage_first` or starting
    after `last`; requests, faults and complaints outside `first`..`last`; drills and training outside
    `year_first`..`last` (R6-R9)."""

    def day(value: date | datetime) -> date:
        return value.date() if isinstance(value, datetime) else value

    def out(value: date | datetime, start: date) -> bool:
        return not start <= day(value) <= last

    rows = [f"服务中断 {o.start:%Y-%m-%d %H:%M} 起" for o in evidence.outages
            if day(o.end) < outage_first or day(o.start) > last]
    rows += [f"需求函 {r.id}（收到 {r.received:%Y-%m-%d}）" for r in evidence.requests if out(r.received, first)]
    rows += [f"故障 {i.id}（发生 {i.occurred:%Y-%m-%d %H:%M}）" for i in evidence.incidents if out(i.occurred, first)]
    rows += [f"{c.kind} {c.day:%Y-%m-%d}" for c in evidence.complaints if out(c.day, first)]
    rows += [f"应急演练 {d.day:%Y-%m-%d}" for d in evidence.drills if out(d.day, year_first)]
    rows += [f"培训 {t.day:%Y-%m-%d}" for t in evidence.trainings if out(t.day, year_first)]
    return rows


def outside_notice(rows: list[str], period_code: str, first: date, last: date, year_first: date) -> str | None:
    """The one notice for the rows outside_rows() found, or None."""
    if not rows:
        return None
    more = f"等 {len(rows)} 条记录" if len(rows) > SHOWN else ""
    return (f"注意：证据材料中 {'；'.join(rows[:SHOWN])}{more}的日期不在考核期 {period_code}（{first:%Y-%m-%d} 至 "
            f"{last:%Y-%m-%d}；演练和培训自服务年度开始 {year_first:%Y-%m-%d} 起）内，未计入评分范围；"
            "如是日期填错，请改正后重新运行")
