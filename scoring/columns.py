"""Linear aggregation (R2.3) and each-expert-left-out totals (R2.4) from sorted integer columns.

The exact engine (`scoring.panel`) sorts Fractions again for every item of every scenario, which grows
as experts^2 log experts over a panel's leave-one-out checks. Here every expert's score becomes an
integer count of the panel's smallest decimal unit (hundredths for valid scores, R1.2), each item's
column is sorted once, and a median, mean or trimmed mean with one expert left out is read from the
sorted column in constant time. Results are the same exact Fractions as `scoring.panel` (compared on
random panels in tests/test_columns.py); nothing here is ever a float.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Callable, Sequence

from scoring.panel import MIN_PANEL, ExpertSheet
from scoring.policies import ITEM_MEDIAN, MEAN, TOTAL_MEDIAN, TRIMMED_MEAN
from scoring.rubric import Rubric


def scale_of(values: Sequence[Decimal]) -> int:
    """10^d for the most decimals d among `values` (100 for valid scores): every value times it is an integer."""
    places = 0
    for value in values:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            places = -exponent
    return 10 ** places


def to_units(value: Decimal, scale: int) -> int:
    """`value` as an exact integer number of 1/scale units."""
    units = value * scale
    if units != units.to_integral_value():
        raise ValueError(f"{value} has more decimals than the scale {scale}")
    return int(units)


@dataclass(frozen=True)
class Columns:
    """A panel's scores as integers of 1/scale, one column per item, each also sorted once."""

    scale: int
    raw: tuple[tuple[int, ...], ...]  # raw[item][expert], panel order
    ordered: tuple[tuple[int, ...], ...]  # each item's column sorted
    sums: tuple[int, ...]  # each item's column summed
    totals: tuple[int, ...]  # each expert's total, panel order
    ordered_totals: tuple[int, ...]

    @property
    def experts(self) -> int:
        """How many experts (columns' length)."""
        return len(self.totals)


def columns(sheets: Sequence[ExpertSheet], rubric: Rubric) -> Columns:
    """The panel's scores as sorted integer columns (every item scored by every expert, R2.2)."""
    by_item = [[s.scores[item.id] for s in sheets] for item in rubric.items]

    def in_units(scale: int) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
        return (tuple(tuple(to_units(v, scale) for v in column) for column in by_item),
                tuple(to_units(s.total, scale) for s in sheets))  # ExpertSheet.total: every score of the sheet

    try:  # hundredths: valid scores have at most two decimals (R1.2); any common scale gives the same results
        scale = 100
        raw, totals = in_units(scale)
    except ValueError:
        scale = scale_of([v for s in sheets for v in s.scores.values()])
        raw, totals = in_units(scale)
    return Columns(scale, raw, tuple(tuple(sorted(c)) for c in raw), tuple(sum(c) for c in raw), totals,
                   tuple(sorted(totals)))


def _without(ordered: Sequence[int], skip: int | None) -> Callable[[int], int]:
    """Element j of `ordered` with the element at index `skip` removed (None: nothing removed)."""
    if skip is None:
        return ordered.__getitem__
    return lambda j: ordered[j] if j < skip else ordered[j + 1]


def median2(ordered: Sequence[int], skip: int | None = None) -> int:
    """Twice the median of a sorted column, one index left out (an integer: no halves lost)."""
    n = len(ordered) - (skip is not None)
    if n <= 0:
        raise ValueError("median of nothing")
    at = _without(ordered, skip)
    mid = n // 2
    return 2 * at(mid) if n % 2 else at(mid - 1) + at(mid)


def _item_numerator(policy: str, ordered: Sequence[int], total: int, skip: int | None) -> tuple[int, int]:
    """(numerator, divisor) of one item's panel value in 1/scale units under `policy` (R2.3)."""
    n = len(ordered) - (skip is not None)
    left = 0 if skip is None else ordered[skip]
    if policy in (ITEM_MEDIAN, TOTAL_MEDIAN):
        return median2(ordered, skip), 2
    if policy == MEAN:
        return total - left, n
    if policy == TRIMMED_MEAN:
        at = _without(ordered, skip)
        return total - left - at(0) - at(n - 1), n - 2
    raise ValueError(f"unknown aggregation policy {policy!r}")


def panel_total(cols: Columns, policy: str, leave_out: int | None = None) -> Fraction | None:
    """The panel total under `policy`, optionally with expert `leave_out` (panel index) left out;
    the same value as `scoring.panel.panel_total` on the remaining sheets (None where a policy needs more experts)."""
    n = cols.experts - (leave_out is not None)
    if n <= 0:
        return None
    if policy == TOTAL_MEDIAN:
        skip = None if leave_out is None else bisect_left(cols.ordered_totals, cols.totals[leave_out])
        return Fraction(median2(cols.ordered_totals, skip), 2 * cols.scale)
    if policy == TRIMMED_MEAN and n < MIN_PANEL:
        return None
    numerator, divisor = 0, 1
    for raw, ordered, total in zip(cols.raw, cols.ordered, cols.sums):
        skip = None if leave_out is None else bisect_left(ordered, raw[leave_out])
        part, divisor = _item_numerator(policy, ordered, total, skip)  # the divisor depends on n only
        numerator += part
    return Fraction(numerator, divisor * cols.scale)


def item_value(cols: Columns, index: int, policy: str) -> Fraction:
    """One item's panel value (item index in rubric order) under an item policy (R2.3), no one left out."""
    numerator, divisor = _item_numerator(policy, cols.ordered[index], cols.sums[index], None)
    return Fraction(numerator, divisor * cols.scale)


def item_median(cols: Columns, index: int) -> Fraction:
    """One item's median over the whole panel (R2.4's reference point)."""
    return Fraction(median2(cols.ordered[index]), 2 * cols.scale)


def leave_one_out(cols: Columns, policy: str) -> list[Fraction | None]:
    """The panel total with each expert left out in turn, in panel order (R2.4): panel_total(cols, policy, k)
    for every k, with each item's value for a left-out position worked out once per item, not per expert."""
    n = cols.experts - 1  # experts left
    if policy not in (ITEM_MEDIAN, MEAN, TRIMMED_MEAN) or n < (MIN_PANEL if policy == TRIMMED_MEAN else 1):
        return [panel_total(cols, policy, k) for k in range(cols.experts)]
    if policy == MEAN:  # each item's sum without the expert's score
        whole = sum(cols.sums)
        return [Fraction(whole - sum(raw[k] for raw in cols.raw), n * cols.scale) for k in range(cols.experts)]
    if policy == TRIMMED_MEAN:  # without the expert, one lowest and one highest
        numerators = [0] * cols.experts
        for raw, ordered, total in zip(cols.raw, cols.ordered, cols.sums):
            first, second, last, before_last = ordered[0], ordered[1], ordered[n], ordered[n - 1]
            lowest, highest = ordered[0], ordered[n]
            for k, value in enumerate(raw):
                low = second if value == lowest else first  # the expert was (one of) the lowest
                high = before_last if value == highest else last
                numerators[k] += total - value - low - high
        return [Fraction(numerator, (n - 2) * cols.scale) for numerator in numerators]
    # item median: with skip = the expert's position in the sorted column, the median reads the middle one or
    # two of the rest, so it takes at most three values: skip before, between or after the positions it reads
    mid = n // 2
    first, last = (mid, mid) if n % 2 else (mid - 1, mid)
    numerators = [0] * cols.experts
    for raw, ordered in zip(cols.raw, cols.ordered):
        values = [median2(ordered, skip) for skip in range(first, last + 2)]
        read = ordered[first:last + 1]  # skip = bisect_left(ordered, score): past position j when ordered[j] < score
        for k, score in enumerate(raw):
            numerators[k] += values[bisect_left(read, score)]
    return [Fraction(numerator, 2 * cols.scale) for numerator in numerators]
