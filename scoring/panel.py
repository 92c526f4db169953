"""R2: the panel: checks (R2.1, R2.2), aggregation policies (R2.3) and disagreement (R2.4).

Expert scores arrive already parsed and range-checked (R1.2) by the readers; this module
works on values only and never opens a file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Sequence

from scoring.errors import Problem
from scoring.policies import ITEM_MEDIAN, MEAN, TOTAL_MEDIAN, TRIMMED_MEAN
from scoring.rubric import Item, Rubric

if TYPE_CHECKING:  # scoring.columns imports this module
    from scoring.columns import Columns

MIN_PANEL = 3


@dataclass(frozen=True)
class ExpertSheet:
    """One expert's filled scoring workbook, as values."""

    expert: str
    scores: dict[str, Decimal]
    notes: dict[str, str] = field(default_factory=dict)
    period: str = ""
    contract_id: str = ""
    rubric_version: str = ""
    source: str = ""
    sheet: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # defined name -> cell, for messages
    dissent: bool = False  # the expert disagrees with the result (named cell `dissent`, interfaces.md §4)
    dissent_reason: str = ""
    # SHA-256 of the file's bytes as read (the audit sheet records it); not part of the values compared
    sha256: str = field(default="", compare=False)
    # each item's points the sheet was made with ("id=points;...", properties.RUBRIC_PROPERTY), "" if not recorded
    rubric_points: str = field(default="", compare=False)

    def place(self, name: str) -> dict[str, str]:
        """Problem place (file, sheet, cell) of a defined name of this workbook."""
        return {"file": self.source, "sheet": self.sheet, "cell": self.cells.get(name, name)}

    @property
    def total(self) -> Decimal:
        """The sum of this expert's scores."""
        return sum(self.scores.values(), Decimal(0))


@dataclass(frozen=True)
class ItemResult:
    """One item's panel score with every expert's score and the disagreement (R2.3, R2.4)."""

    item: Item
    panel: Fraction
    median: Fraction
    scores: dict[str, Decimal]
    low: Decimal
    high: Decimal
    spread: Decimal
    flagged: tuple[str, ...]

    @cached_property  # derived from the scores and the panel value; computed when asked for (R2.4)
    def deviations(self) -> dict[str, Fraction]:
        """Each expert's score minus the panel's, exactly."""
        return {expert: Fraction(score) - self.panel for expert, score in self.scores.items()}


@dataclass(frozen=True)
class PanelResult:
    """The panel's result: items, categories and total under one aggregation policy."""

    policy: str
    experts: tuple[str, ...]
    items: tuple[ItemResult, ...]
    categories: dict[str, Fraction]
    total: Fraction
    expert_totals: dict[str, Decimal]
    note: str = ""

    def item(self, item_id: str) -> ItemResult:
        """The result of one item (KeyError if none)."""
        for result in self.items:
            if result.item.id == item_id:
                return result
        raise KeyError(item_id)


def median(values: Sequence[Fraction | Decimal]) -> Fraction:
    """The median; with an odd count it is one of the values, with an even count the mean of the middle two."""
    ordered = sorted(Fraction(v) for v in values)
    n = len(ordered)
    if n == 0:
        raise ValueError("median of nothing")
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def mean(values: Sequence[Fraction | Decimal]) -> Fraction:
    """The exact arithmetic mean."""
    return sum((Fraction(v) for v in values), Fraction(0)) / len(values)


def trimmed_mean(values: Sequence[Fraction | Decimal]) -> Fraction:
    """Drop one highest and one lowest, average the rest (去掉一个最高分和一个最低分); needs 3 or more values."""
    if len(values) < 3:
        raise ValueError("trimmed mean needs at least 3 values")
    ordered = sorted(Fraction(v) for v in values)
    return mean(ordered[1:-1])


SHOWN_READ = 10  # sheets named in an R2.1 problem; more are counted


def experts_read(sheets: Sequence[ExpertSheet]) -> tuple[str, str]:
    """(the folder the sheets were read from, '张三（2026H2_张三.xlsx）、…'): the place and the list an R2.1
    problem names, each file relative to that folder ('' for sheets that came from no file), the first
    SHOWN_READ of a larger panel and their count."""
    import os

    folders = {os.path.dirname(s.source) or "." for s in sheets if s.source}
    if len(folders) == 1:  # the folder as the user wrote it
        folder = folders.pop()
    else:  # sheets from several folders: their common folder
        folder = os.path.commonpath([os.path.abspath(f) for f in folders]) if folders else ""
    shown = [f"{s.expert}（{os.path.relpath(s.source, folder)}）" if s.source else s.expert for s in sheets]
    if len(shown) > SHOWN_READ:  # a large panel: the count says it, a line of a hundred names does not
        return folder, "、".join(shown[:SHOWN_READ]) + f"等共 {len(shown)} 份"
    return folder, "、".join(shown)


def check_panel(sheets: Sequence[ExpertSheet], rubric: Rubric) -> list[Problem]:
    """R2.1 and R2.2: panel size odd and at least 3, no repeated expert, one contract, period and rubric, every item scored."""
    problems: list[Problem] = []
    n = len({s.expert for s in sheets})  # one expert's two sheets are one duplicate (below), not also an even panel
    if n < MIN_PANEL or n % 2 == 0:
        folder, read = experts_read(sheets)
        size = f"评审专家只有 {n} 名，至少需要 3 名" if n < MIN_PANEL else f"评审专家为 {n} 名，须为单数"
        problems.append(Problem(f"{size}（合同规定：3名以上（含3名）单数）" + (f"；已读取：{read}" if read else ""),
                                file=folder, code="E-PANEL-SIZE"))
    periods = Counter(s.period for s in sheets)
    common = periods.most_common(1)[0][0] if periods else None
    # last half's sheet of an expert beside this half's is named by its period (below), not also as a duplicate
    current = [s for s in sheets if not s.period or s.period == common]
    counts = Counter(s.expert for s in current)
    for sheet in current:
        if counts[sheet.expert] > 1:
            others = [s.source for s in current if s.expert == sheet.expert and s is not sheet]
            problems.append(Problem(
                f"专家“{sheet.expert}”重复：同一专家只能提交一份评分表（另见 {'、'.join(others)}）",
                code="E-PANEL-DUPLICATE", **sheet.place("expert_name")))
    for key, label in (("contract_id", "合同"), ("period", "考核期"), ("rubric_version", "考核办法版本")):
        values = Counter(getattr(s, key) for s in sheets)
        if len(values) > 1:
            common = values.most_common(1)[0][0]
            for sheet in sheets:
                value = getattr(sheet, key)
                if value != common:
                    remedy = "：这份评分表不属于本期，请把它移出评分表文件夹（或换成本期的评分表）" if key == "period" else ""
                    problems.append(Problem(
                        f"{label}为“{value}”，与其他评分表的“{common}”不一致{remedy}", code="E-PANEL-MISMATCH",
                        **sheet.place(key)))
    for sheet in sheets:
        for item in rubric.items:
            if item.id not in sheet.scores:
                problems.append(Problem(f"缺少“{item.name}”的得分", code="E-SCORE-MISSING",
                                        **sheet.place(f"score_{item.id}")))
    return problems


# R2.3: the one definition of how each policy turns the experts' scores of an item into the panel's.
# total-median adopts the scores of the expert whose total is the median (see aggregate).
ITEM_AGGREGATORS = {ITEM_MEDIAN: median, TOTAL_MEDIAN: median, MEAN: mean, TRIMMED_MEAN: trimmed_mean}


def _item_value(policy: str, values: list[Decimal]) -> Fraction:
    if policy not in ITEM_AGGREGATORS:
        raise ValueError(f"unknown aggregation policy {policy!r}")
    return ITEM_AGGREGATORS[policy](values)


def panel_total(sheets: Sequence[ExpertSheet], rubric: Rubric, policy: str) -> Fraction | None:
    """The panel total under a policy for any panel size (R2.3; None where the policy needs more experts)."""
    if not sheets:
        return None
    if policy == TOTAL_MEDIAN:
        return median([s.total for s in sheets])
    if policy == TRIMMED_MEAN and len(sheets) < MIN_PANEL:
        return None
    return sum((_item_value(policy, [s.scores[i.id] for s in sheets]) for i in rubric.items), Fraction(0))


def aggregate(
    sheets: Sequence[ExpertSheet],
    rubric: Rubric,
    policy: str = ITEM_MEDIAN,
    outlier_share: Decimal = Decimal("0.25"),
    ranges: dict[str, tuple[Decimal, Decimal]] | None = None,
    cols: Columns | None = None,
) -> PanelResult:
    """The panel result under an aggregation policy (R2.3) with the disagreement of every item (R2.4).

    - ``item-median``: each item's median; categories and total are sums.
    - ``mean``: each item's mean; ``trimmed-mean``: each item's mean without one highest and one lowest.
    - ``total-median``: the total is the median of the experts' totals; items and categories are
      those of the expert whose total it is (the first such expert in panel order), so they add up.

    Every expert whose score is more than `outlier_share` x the item's points away from the
    item's median is flagged. `ranges` gives each item's allowed (low, high); default 0 to points.
    Medians and item values come from the sorted integer columns of scoring.columns (linear in the
    number of experts; equal to median/mean/trimmed_mean above, tests/test_columns.py); `cols` are those
    columns when the caller has them already. The panel has passed check_panel (R2.2): every expert once,
    every item scored.
    """
    from scoring.columns import columns, item_median, item_value

    if policy not in ITEM_AGGREGATORS:
        raise ValueError(f"unknown aggregation policy {policy!r}")
    experts = tuple(s.expert for s in sheets)
    totals = {s.expert: s.total for s in sheets}
    cols = cols or columns(sheets, rubric)  # each item's scores sorted once: medians and spreads without re-sorting
    adopted = None
    if policy == TOTAL_MEDIAN:
        target = median(list(totals.values()))
        adopted = next(s for s in sheets if Fraction(s.total) == target)
    items = []
    for index, item in enumerate(rubric.items):
        scores = {s.expert: s.scores[item.id] for s in sheets}
        units = cols.raw[index]  # each expert's score in 1/scale units: the comparisons below are of integers
        med = item_median(cols, index)
        panel = Fraction(adopted.scores[item.id]) if adopted else item_value(cols, index, policy)
        low, high = (ranges or {}).get(item.id, (Decimal(0), item.points))
        limit = Fraction(outlier_share) * Fraction(item.points)
        # |u/scale - med| > limit  <=>  |u*med.den - med.num*scale| * limit.den > limit.num * scale * med.den
        centre, bound = med.numerator * cols.scale, limit.numerator * cols.scale * med.denominator
        items.append(ItemResult(
            item=item, panel=panel, median=med, scores=scores, low=low, high=high,
            spread=max(scores.values()) - min(scores.values()),
            flagged=tuple(e for e, u in zip(scores, units)
                          if abs(u * med.denominator - centre) * limit.denominator > bound),
        ))
    categories = {
        cat.id: sum((r.panel for r in items if r.item.category == cat.id), Fraction(0))
        for cat in rubric.categories
    }
    note = f"采用总分居中专家“{adopted.expert}”的评分" if adopted else ""
    return PanelResult(policy, experts, tuple(items), categories, sum(categories.values(), Fraction(0)), totals, note)
