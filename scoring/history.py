"""History that can be trusted: earlier summaries for the trend (`summarize --history`).

Each earlier summary must recompute from its own recorded scores under the rubric version it records
(scoring.recorded), belong to the same contract, appear once, and come before the period being
summarized. Two consecutive periods below 80 are flagged: the kind of result that lets the buyer
terminate (the contract's [clauses] termination, 十三.3 of the embedded one); 80 is the contract's first deduction bound (R4: below it the fee is cut).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

from scoring.errors import Problem

if TYPE_CHECKING:
    from scoring.contract import Contract
    from scoring.recorded import Recomputed
    from scoring.rubric import Rubric

def read_history(paths: Sequence[Any], contract: Contract, rubric: Rubric, data: Sequence[tuple[str, str, str]] = ()
                 ) -> tuple[list[Recomputed], list[Problem]]:
    """(recomputed earlier summaries, problems): each must recompute, one contract and version, each period once;
    `data`: the contract and rubric files in use (recorded.recompute)."""
    from scoring.recorded import check_series, read_and_check

    results, problems = read_and_check(paths, contract, rubric, advice=f"--history 只能给出本合同（{contract.id}）"
                                       "以前各期的汇总表", data=data)  # not --contract: this panel is of this contract
    return results, problems + check_series(results, contract)


def trend(results: Sequence[Recomputed], contract: Contract, period: str, total: Any,
          deduction: Any) -> tuple[list[dict[str, Any]], list[Problem], list[str]]:
    """(rows oldest first with the current period last, problems, warnings) for the trend chart.

    Problems: an earlier summary of this period or a later one. Warnings: two consecutive periods below 80.
    """
    from scoring.numbers import format_number
    from scoring.period import parse_period
    from scoring.recorded import check_series
    from scoring.report import number

    problems = check_series(list(results), contract, current=period)
    series = sorted(((r.record.period, Fraction(r.total), r.deduction_total) for r in results),
                    key=lambda p: parse_period(p[0]).start) + [(period, Fraction(total), deduction)]
    flags = [""] * len(series)
    warnings = []
    low = max(contract.schedule.bounds) if contract.schedule.bounds else None  # 80: below it the fee is cut (R4)
    for k in range(1, len(series) if low is not None else 0):
        (before, low_before, _), (after, low_after, _) = series[k - 1], series[k]
        adjacent = (parse_period(after).start - parse_period(before).end).days == 1
        if adjacent and low is not None and low_before < low and low_after < low:
            flags[k] = f"连续两期低于 {format_number(low)} 分"
            warnings.append(f"连续两期（{before}、{after}）总分低于 {format_number(low)} 分："
                            f"请对照合同{contract.clauses.termination}（甲方解除合同的条件）")
    rows = [{"period": p, "total": number(t), "deduction": d, "flag": f} for (p, t, d), f in zip(series, flags)]
    return rows, problems, warnings
