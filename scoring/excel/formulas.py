"""The rules as spreadsheet formulas over the summary's defined names, so that a corrected score or fee
recomputes the panel, categories, total, grade and money in Excel, WPS and LibreOffice (issue 11).

Names the formulas use: `expert_scores` (the experts-by-items block of 评分明细, items in rubric
order), `expert_totals` (each expert's total), `panel_<item>`, `category_<category>`, `total_score`.
Scores are binary floating point in a spreadsheet: a threshold is compared with a margin of 1E-9,
far below the smallest step of an exact score (1/100 divided by the number of experts), so a sum
such as 79.99999999999999 for an exact 80 lands in the band the engine chose.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Iterable

from scoring.numbers import fraction_to_decimal, is_terminating
from scoring.policies import LOWER_INCLUSIVE, MEAN, TOTAL_MEDIAN, TRIMMED_MEAN, ITEM_MEDIAN
from scoring.terms import Grades, PaymentTerms, Schedule

MARGIN = "1E-9"


@lru_cache(maxsize=1024)  # equal numbers give equal text: a tier's bounds, and a panel's few distinct totals
def literal(value) -> str:
    """An exact number as formula text: its decimal digits, or (p/q) when they do not terminate."""
    value = Fraction(value)
    if is_terminating(value):
        return format(fraction_to_decimal(value).normalize(), "f")
    return f"({value.numerator}/{value.denominator})"


def text(value: str) -> str:
    """A formula's text literal: in double quotes, a quote inside doubled."""
    return '"' + str(value).replace('"', '""') + '"'


def _column(item: int) -> str:
    return f"INDEX(expert_scores,0,{item})"


def panel(policy: str, item: int) -> str:
    """The panel score of the item in column `item` (1-based) under an aggregation policy (R2.3)."""
    x = _column(item)
    if policy == ITEM_MEDIAN:
        return f"MEDIAN({x})"
    if policy == MEAN:
        return f"AVERAGE({x})"
    if policy == TRIMMED_MEAN:  # drop one highest and one lowest
        return f"(SUM({x})-MAX({x})-MIN({x}))/(COUNT({x})-2)"
    if policy == TOTAL_MEDIAN:  # the first expert, in panel order, whose total is the median total
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


def grade(grades: Grades, bounds: str) -> str:
    """The grade of total_score from the contract's bands under the R3 boundary policy."""
    compare = f">={{}}-{MARGIN}" if bounds == LOWER_INCLUSIVE else f">{{}}+{MARGIN}"
    formula = text(grades.below)
    for band in reversed(grades.bands):
        formula = f"IF(total_score{compare.format(literal(band.min))},{text(band.grade)},{formula})"
    return formula


def deduction_rate(schedule: Schedule, total: str = "total_score", divisor: int | None = None) -> str:
    """R4 from the contract's schedule: the first tier whose minimum the total (total_score, or another
    total's formula text) reaches gives the share (a flat rate, or a rate per point below the tier's top).

    `divisor`: the total is a whole number of hundredths divided by it (1 for the medians, whose total is a
    sum of scores with two decimals; the number of experts for the mean, that less two for the trimmed mean,
    R2.3), so the points below the tier's top times the divisor are rounded to the decimals they have before
    they make the share. In binary 80 - 68.4 is 11.599999999999994: at a fee of 84,051,641.25 the deduction
    came out 9,749,990.384999994 and rounded to .38 where R4 gives 9,749,990.39; rounded first, the share is
    the binary number nearest to the exact one and half cents round as the engine's (tests/test_formula_money.py:
    constructed half cents at fees up to a billion under every policy). None: the plain difference."""
    def points_below(tier) -> str:
        below = f"{literal(tier.top)}-{total}"
        if divisor is None or not is_terminating(Fraction(tier.top)):
            return f"({below})"
        places = max(2, -fraction_to_decimal(Fraction(tier.top)).normalize().as_tuple().exponent)
        return f"ROUND({below},{places})" if divisor == 1 else f"ROUND(({below})*{divisor},{places})/{divisor}"

    def share(tier) -> str:
        if tier.rate is not None:
            return literal(tier.rate)
        per = 1 / Fraction(tier.per_point)
        if per.denominator == 1:  # 1 % per point: divide by 100, exact for the points a score can be
            return f"{points_below(tier)}/{per.numerator}"
        return f"{literal(tier.per_point)}*{points_below(tier)}"
    tiers = list(schedule.tiers)
    formula = share(tiers[-1])
    for tier in reversed(tiers[:-1]):
        formula = f"IF({total}>={literal(tier.min)}-{MARGIN},{share(tier)},{formula})"
    return formula


@lru_cache(maxsize=256)  # a panel's leave-one-out totals take few values: each formula composed once
def assessment_at(schedule: Schedule, total) -> str:
    """R4: the assessment deduction of `fee` for an exact total other than total_score (a robustness
    scenario on 汇总): the total is fixed, so the share is the engine's exact one as a literal (0.015 for a
    total of 78.5: the difference 80 - 78.5 worked out in binary could land below a half cent at large fees);
    the fee is the live input."""
    from scoring.settlement import deduction_rate as share

    return f"ROUND(ROUND(fee*{literal(share(Fraction(total), schedule))},8),2)"


def tier_label(schedule: Schedule) -> str:
    """The name of the schedule's tier total_score falls in (R4), e.g. 按比例扣款."""
    tiers = list(schedule.tiers)
    formula = text(tiers[-1].label)
    for tier in reversed(tiers[:-1]):
        formula = f"IF(total_score>={literal(tier.min)}-{MARGIN},{text(tier.label)},{formula})"
    return formula


def late_interest(terms: PaymentTerms) -> str:
    """R10: the daily rate of the payable amount per day late."""
    return f"ROUND(ROUND(payable*{literal(terms.late_daily_rate)}*late_days,8),2)"


def may_terminate(terms: PaymentTerms) -> str:
    """R10: late the termination days or more (以上 includes the number) gives the right to terminate."""
    return f'IF(late_days>={terms.termination_days_late},"是","否")'
