"""The rules as spreadsheet formulas over the summary's defined names, so that a corrected score or fee
recomputes the panel, categories, total, grade and money in Excel, WPS and LibreOffice (issue 11).

Names the formulas use: `expert_scores` (the experts-by-items block of 评分明细, items in rubric
order), `expert_totals` (each expert's total), `panel_<item>`, `category_<category>`, `total_score`.
Scores are binary floating point in a spreadsheet: a threshold is compared with a margin of 1E-9,
far below the smallest step of an exact score (1/100 divided by the number of experts), so a sum
such as 79.99999999999999 for an exact 80 lands in the band the engine chose.
"""

from __future__ import annotations

from typing import Iterable

from scoring.grading import _BANDS
from scoring.settlement import HALF_BELOW, NO_DEDUCTION_FROM

MARGIN = "1E-9"


def _column(item: int) -> str:
    return f"INDEX(expert_scores,0,{item})"


def panel(policy: str, item: int) -> str:
    """The panel score of the item in column `item` (1-based) under an aggregation policy (R2.3)."""
    x = _column(item)
    if policy == "item-median":
        return f"MEDIAN({x})"
    if policy == "mean":
        return f"AVERAGE({x})"
    if policy == "trimmed-mean":  # drop one highest and one lowest
        return f"(SUM({x})-MAX({x})-MIN({x}))/(COUNT({x})-2)"
    if policy == "total-median":  # the first expert, in panel order, whose total is the median total
        return f"INDEX({x},MATCH(MEDIAN(expert_totals),expert_totals,0))"
    raise ValueError(f"unknown aggregation policy {policy!r}")


def item_statistic(function: str, item: int) -> str:
    """MIN, MAX or MEDIAN of the experts' scores of one item (R2.4)."""
    return f"{function}({_column(item)})"


def expert_total(expert: int) -> str:
    """The total of the expert in row `expert` (1-based) of the block."""
    return f"SUM(INDEX(expert_scores,{expert},0))"


def total_of(names: Iterable[str]) -> str:
    """The sum of named cells (a category of its items' panel cells)."""
    return f"SUM({','.join(names)})"


def grade(bounds: str) -> str:
    """The grade of total_score under the R3 boundary policy."""
    if bounds not in ("lower-bound-inclusive", "upper-bound-inclusive"):
        raise ValueError(f"unknown grade_bounds policy {bounds!r}")
    compare = ">=" if bounds == "lower-bound-inclusive" else ">"
    margin = f"-{MARGIN}" if compare == ">=" else f"+{MARGIN}"
    text = '"不合格"'
    for bound, name in reversed(_BANDS):
        text = f'IF(total_score{compare}{bound}{margin},"{name}",{text})'
    return text


def deduction_rate() -> str:
    """R4: 0 from 80, 1 % of the fee per point below 80 from 60, 50 % below 60."""
    return (f"IF(total_score>={NO_DEDUCTION_FROM}-{MARGIN},0,IF(total_score>={HALF_BELOW}-{MARGIN},"
            f"({NO_DEDUCTION_FROM}-total_score)/100,0.5))")
