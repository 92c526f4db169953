"""History that can be trusted: earlier summaries for the trend (`summarize --history`).

Each earlier summary must recompute from its own recorded scores under the rubric version it records
(scoring.recorded), belong to the same contract, appear once, and come before the period being
summarized. Two consecutive periods below 80 are flagged: the kind of result that lets the buyer
terminate (合同十三.3); 80 is the contract's first deduction bound (R4: below it the fee is cut).
"""

from __future__ import annotations

from typing import Sequence

from scoring.errors import Problem

def read_history(paths: Sequence, contract, rubric):
    """(recomputed earlier summaries, problems): each must recompute, one contract and version, each period once."""
    from scoring.recorded import check_series, read_and_check

    results, problems = read_and_check(paths, contract, rubric)
    return results, problems + check_series(results, contract)


def trend(results, contract, period: str, total, deduction) -> tuple[list[dict], list[Problem], list[str]]:
    """(rows oldest first with the current period last, problems, warnings) for the trend chart.

    Problems: an earlier summary of this period or a later one. Warnings: two consecutive periods below 80.
    """
    from scoring.numbers import format_number
    from scoring.period import parse_period
    from scoring.recorded import check_series
    from scoring.report import number

    problems = check_series(results, contract, current=period)
    rows = sorted(({"period": r.record.period, "total": number(r.total), "deduction": r.deduction_total}
                   for r in results), key=lambda row: parse_period(row["period"]).start)
    rows.append({"period": period, "total": number(total), "deduction": deduction})
    warnings = []
    low = max(contract.schedule.bounds) if contract.schedule.bounds else None  # 80: below it the fee is cut (R4)
    for before, after in zip(rows if low is not None else [], rows[1:]):
        adjacent = (parse_period(after["period"]).start - parse_period(before["period"]).end).days == 1
        if adjacent and before["total"] < low and after["total"] < low:
            after["flag"] = f"连续两期低于 {format_number(low)} 分"
            warnings.append(f"连续两期（{before['period']}、{after['period']}）总分低于 {format_number(low)} 分："
                            "请对照合同第十三条第 3 款（甲方解除合同的条件）")
    for row in rows:
        row.setdefault("flag", "")
    return rows, problems, warnings
