"""The contract's terms as typed values: grade bands (R3), the deduction schedule (R4), payment terms (R10).

Each term is built from checked contract data (scoring.contract) and validated for consistency here:
bands in strictly falling order, a schedule that covers every score down to 0 with one rate per tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scoring.errors import Problem
from scoring.schema import Key

FULL_MARKS = Fraction(100)  # R1.1: every rubric's categories add up to 100

GRADE_KEYS = (
    Key("bands", "tables", "R3", "等级及其最低分，从高到低；总分不低于 min 即为该等级（边界按 grade_bounds 规则选项）",
        "{ min = 90, grade = \"优秀\" }", children=(
            Key("min", "decimal", "R3", "该等级的最低分", "90"),
            Key("grade", "text", "R3", "等级名称", "\"优秀\""),
        )),
    Key("below", "text", "R3", "低于所有等级最低分时的等级", "\"不合格\""),
)

TIER_KEYS = (
    Key("min", "decimal", "R4", "本档的最低总分（含），从高到低；最后一档须为 0", "60"),
    Key("label", "text", "R4", "档次名称，显示在稳健性检查中", "\"按比例扣款\""),
    Key("rate", "decimal", "R4", "固定扣款比例（与 per_point 二选一）", "\"0.5\"", required=False),
    Key("per_point", "decimal", "R4", "比上一档最低分每低 1 分扣当次服务费的比例（与 rate 二选一，按比例计分数）",
        "\"0.01\"", required=False),
)

PAYMENT_KEYS = (
    Key("due_working_days", "int", "R10, R7", "收到合格发票后付款期限（工作日）", "60"),
    Key("late_daily_rate", "decimal", "R10", "逾期付款违约金：每日按应付金额的比例", "\"0.0005\""),
    Key("termination_days_late", "int", "R10", "逾期达到该天数（含）时供应商有权解除合同（“以上”含本数）", "30"),
)

DEADLINE_KEYS = (
    Key("rectification_working_days", "int", "R7", "整改期限（工作日）", "5"),
    Key("delivery_working_days", "int", "R7", "接到通知后交付期限（工作日）", "3"),
)


@dataclass(frozen=True)
class GradeBand:
    """A grade and its lowest total (R3)."""

    min: Fraction
    grade: str


@dataclass(frozen=True)
class Grades:
    """The grade bands, highest first, and the grade below all of them (R3)."""

    bands: tuple[GradeBand, ...]
    below: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every grade, best first."""
        return tuple(b.grade for b in self.bands) + (self.below,)


@dataclass(frozen=True)
class Tier:
    """One tier of the deduction schedule (R4): totals from `min` up to `top` (exclusive; None: no top)."""

    min: Fraction
    label: str
    top: Fraction | None
    rate: Fraction | None = None  # a flat share of the fee
    per_point: Fraction | None = None  # a share of the fee per point below `top`

    def share(self, total: Fraction) -> Fraction:
        """The share of the fee deducted for a total inside this tier."""
        if self.rate is not None:
            return self.rate
        assert self.per_point is not None and self.top is not None
        return self.per_point * (self.top - total)


@dataclass(frozen=True)
class Schedule:
    """The deduction schedule, highest tier first, its last tier starting at 0 (R4)."""

    tiers: tuple[Tier, ...]

    def tier(self, total: Fraction | Decimal | int) -> Tier:
        """The tier a total falls in."""
        value = Fraction(total)
        for tier in self.tiers:
            if value >= tier.min:
                return tier
        return self.tiers[-1]

    @property
    def bounds(self) -> tuple[Fraction, ...]:
        """The totals where the deduction changes tier (80 and 60 in the embedded contract)."""
        return tuple(t.min for t in self.tiers if t.min > 0)


@dataclass(frozen=True)
class PaymentTerms:
    """When the buyer pays and what paying late costs (R10)."""

    due_working_days: int
    late_daily_rate: Fraction
    termination_days_late: int


@dataclass(frozen=True)
class Deadlines:
    """Other deadlines of the contract in working days (R7)."""

    rectification_working_days: int
    delivery_working_days: int


def build_grades(data: dict[str, Any], source: str, problems: list[Problem]) -> Grades:
    """Grade bands from checked data: strictly falling minimums above 0, distinct names (R3)."""
    bands = [GradeBand(Fraction(b["min"]), b["grade"]) for b in data.get("bands", []) if {"min", "grade"} <= set(b)]
    for i, (a, b) in enumerate(zip(bands, bands[1:]), start=1):
        if b.min >= a.min:
            problems.append(Problem(f"等级最低分须从高到低排列：{b.grade} 的 {b.min} 不低于 {a.grade} 的 {a.min}",
                                    file=source, key=f"grades.bands[{i}].min", code="E-DATA-VALUE"))
    if any(b.min <= 0 for b in bands):
        problems.append(Problem("等级最低分须大于 0（0 分以下为 below 等级）", file=source, key="grades.bands",
                                code="E-DATA-VALUE"))
    for i, b in enumerate(bands):
        if b.min > FULL_MARKS:
            problems.append(Problem(f"等级“{b.grade}”的最低分 {b.min} 超过满分 {FULL_MARKS} 分（R1.1）：任何总分都达不到这一等级",
                                    file=source, key=f"grades.bands[{i}].min", code="E-DATA-VALUE"))
    names = [b.grade for b in bands] + [data.get("below", "")]
    if len(set(names)) != len(names):
        problems.append(Problem("等级名称重复", file=source, key="grades", code="E-DATA-VALUE"))
    if not bands:
        problems.append(Problem("至少需要一个等级", file=source, key="grades.bands", code="E-DATA-VALUE"))
    return Grades(tuple(bands), str(data.get("below", "")))


def build_schedule(raw: list[dict[str, Any]], source: str, problems: list[Problem], stated: bool = True) -> Schedule:
    """The deduction schedule from checked tiers: falling minimums, the last at 0, one rate each (R4).
    `stated`: the tiers were given (else their table or key was missing or refused, and named already)."""
    tiers: list[Tier] = []
    top: Fraction | None = None
    reported = [p.key for p in problems if p.key]  # one mistake, one problem: no follow-on of a refused key
    flawed = set()  # tiers with a problem: no consistency check builds on them
    for i, t in enumerate(raw):
        place = f"deduction.tiers[{i}]"
        if any(k.startswith(f"{place}.") for k in reported):
            flawed.add(i)
        if "min" not in t or "label" not in t:
            flawed.add(i)
            continue
        low = Fraction(t["min"])
        if top is not None and low >= top:
            problems.append(Problem(f"扣款档次的最低分须从高到低排列：{t['min']} 不低于上一档的 {top}",
                                    file=source, key=f"{place}.min", code="E-DATA-VALUE"))
            flawed.add(i)
        if low < 0:
            problems.append(Problem("最低分不能为负", file=source, key=f"{place}.min", code="E-DATA-VALUE"))
        if low > FULL_MARKS:  # above full marks: a perfect 100 would fall into the next tier and be deducted
            problems.append(Problem(f"扣款档次的最低分 {t['min']} 超过满分 {FULL_MARKS} 分（R1.1）：满分也达不到本档",
                                    file=source, key=f"{place}.min", code="E-DATA-VALUE"))
            flawed.add(i)
        rate = Fraction(t["rate"]) if "rate" in t else None
        per_point = Fraction(t["per_point"]) if "per_point" in t else None
        before = len(problems)
        if (rate is None) == (per_point is None):
            if i not in flawed:  # a mistyped or refused rate was named already
                problems.append(Problem("每档须给出 rate（固定比例）或 per_point（每分比例）之一", file=source, key=place,
                                        code="E-DATA-VALUE"))
        elif rate is not None and not 0 <= rate <= 1:
            problems.append(Problem(f"扣款比例 {t['rate']} 须在 0 到 1 之间", file=source, key=f"{place}.rate",
                                    code="E-DATA-VALUE"))
        elif per_point is not None and top is None:
            problems.append(Problem("第一档没有上一档，不能按每分比例扣款", file=source, key=f"{place}.per_point",
                                    code="E-DATA-VALUE"))
        elif per_point is not None and top is not None and i not in flawed and not 0 <= per_point * (top - low) <= 1:
            problems.append(Problem(f"每分比例 {t['per_point']} 使本档扣款比例超出 0 到 1", file=source,
                                    key=f"{place}.per_point", code="E-DATA-VALUE"))
        if len(problems) > before:
            flawed.add(i)
        tiers.append(Tier(low, t["label"], top, rate, per_point))
        top = low
    for i, (upper, lower) in enumerate(zip(tiers, tiers[1:]) if not flawed else (), start=1):  # own problems first
        # just below a tier's minimum the next tier begins (its top is that minimum): it may not deduct less
        deepest, next_rate = upper.share(upper.min), lower.share(upper.min)
        if next_rate < deepest:  # a lower total deducted less: the schedule must never reward a lower score
            problems.append(Problem(
                f"扣款档次“{lower.label}”的扣款比例 {_percent(next_rate)} 低于上一档“{upper.label}”在 {upper.min} 分时的 "
                f"{_percent(deepest)}：总分越低，扣款不能越少", file=source, key=f"deduction.tiers[{i}]", code="E-DATA-VALUE"))
    if not tiers:
        if stated and not raw:
            problems.append(Problem("扣款档次为空", file=source, key="deduction.tiers", code="E-DATA-VALUE"))
    elif tiers[-1].min != 0:
        problems.append(Problem(f"最后一档的最低分须为 0，否则低于 {tiers[-1].min} 分的总分没有扣款档次",
                                file=source, key=f"deduction.tiers[{len(tiers) - 1}].min", code="E-DATA-VALUE"))
    return Schedule(tuple(tiers))


def _percent(share: Fraction) -> str:
    """A share of the fee in per cent, for a message (not money): 15%, 7.5%."""
    return f"{float(share * 100):.10g}%"


def build_payment(data: dict[str, Any], source: str, problems: list[Problem]) -> PaymentTerms:
    """Payment terms from checked data (R10)."""
    for name in ("due_working_days", "termination_days_late"):
        if name in data and data[name] < 1:
            problems.append(Problem(f"{name} 须为正整数", file=source, key=f"payment.{name}", code="E-DATA-VALUE"))
    rate = Fraction(data.get("late_daily_rate", 0))
    if not 0 <= rate < 1:
        problems.append(Problem("late_daily_rate 须在 0 到 1 之间", file=source, key="payment.late_daily_rate",
                                code="E-DATA-VALUE"))
    return PaymentTerms(int(data.get("due_working_days", 1)), rate, int(data.get("termination_days_late", 1)))


def build_deadlines(data: dict[str, Any], source: str, problems: list[Problem]) -> Deadlines:
    """Working-day deadlines from checked data (R7)."""
    for name, value in data.items():
        if value < 1:
            problems.append(Problem(f"{name} 须为正整数", file=source, key=f"deadlines.{name}", code="E-DATA-VALUE"))
    return Deadlines(int(data.get("rectification_working_days", 1)), int(data.get("delivery_working_days", 1)))
