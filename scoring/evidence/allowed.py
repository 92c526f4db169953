"""R5-R9 together: from a period's evidence to each item's allowed range and what the experts are told.

Which rule applies to which item is data: each rubric item names its evidence rule (``evidence = NAME``)
with its parameters; the rules are looked up in scoring.evidence.registry. Items without a rule
allow 0 to their points.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from scoring.calendar import WorkCalendar, make_calendar
from scoring.evidence.availability import Availability
from scoring.evidence.incidents import IncidentCheck
from scoring.evidence.model import Evidence
from scoring.evidence.others import ReportCheck
from scoring.evidence.requests import RequestCheck
from scoring.numbers import format_number
from scoring.period import Period
from scoring.policies import Policies

if TYPE_CHECKING:
    from scoring.contract import Contract
    from scoring.rubric import Rubric


@dataclass(frozen=True)
class Allowed:
    """The allowed score range of one item after the evidence rules, and the lines shown to experts."""

    low: Decimal
    high: Decimal
    text: str
    rule: str = ""
    flags: tuple[str, ...] = ()

    @property
    def fixed(self) -> bool:
        """Determined by the evidence: a single allowed value, pre-filled and locked."""
        return self.low == self.high


@dataclass(frozen=True)
class Findings:
    """What the evidence rules concluded for a period: allowed ranges plus every computation behind them
    (a computation is empty when no item of the rubric binds its rule)."""

    allowed: dict[str, Allowed]
    availability: Availability | None
    requests: tuple[RequestCheck, ...]
    incidents: tuple[IncidentCheck, ...]
    reports: tuple[ReportCheck, ...]
    complaints: int
    missed_calls: int
    drills_period: int
    drills_year: int
    training_period: int
    training_year: int
    crypto_penalty: bool
    availability_text: str = ""


@dataclass(frozen=True)
class Context:
    """What every evidence rule sees: the evidence, the period, the service year and the policies."""

    evidence: Evidence
    contract: Contract
    period: Period
    year_end: bool
    policies: Policies
    calendar: WorkCalendar


def percent(value: Fraction) -> str:
    """An exact ratio as a percentage cut (not rounded) to 5 decimals, so it never shows a higher band: 99.98037%."""
    exact = Decimal(value.numerator) / Decimal(value.denominator) * 100
    return f"{exact.quantize(Decimal('0.00001'), rounding=ROUND_DOWN)}%"


def range_text(low: Decimal, high: Decimal) -> str:
    """'允许 0–8 分' or, for a single allowed value, '得 8 分（已确定）'."""
    if low == high:
        return f"得 {format_number(low)} 分（已确定）"
    return f"允许 {format_number(low)}–{format_number(high)} 分"


def full(points: Decimal, text: str, rule: str = "", flags: tuple[str, ...] = ()) -> Allowed:
    """0 to the item's points, with the evidence text shown to the experts."""
    return Allowed(Decimal(0), points, f"{text}；{range_text(Decimal(0), points)}", rule, flags)


def evaluate(
    evidence: Evidence,
    rubric: Rubric,
    contract: Contract,
    period: Period,
    year_end: bool,
    policies: Policies,
    calendar: WorkCalendar | None = None,
) -> Findings:
    """Apply R5-R9 to a period's evidence: each item's allowed range with its explanation, by the rule
    each item binds in the rubric.

    Raises CalendarYearMissing (R7) when a deadline falls in a year no calendar covers.
    """
    from scoring.evidence.registry import RULES

    ctx = Context(evidence, contract, period, year_end, policies, calendar or make_calendar(evidence.holidays))
    facts: dict[str, Any] = {}
    allowed: dict[str, Allowed] = {}
    for item in rubric.items:
        if item.evidence:
            allowed[item.id] = RULES[item.evidence].apply(item, item.params, ctx, facts)
        else:
            allowed[item.id] = full(item.points, "无可自动核对的证据，请查阅材料")
    availability = facts.get("availability")
    return Findings(
        allowed, availability, facts.get("requests", ()), facts.get("incidents", ()), facts.get("reports", ()),
        facts.get("complaints", 0), facts.get("missed_calls", 0), facts.get("drills_period", 0),
        facts.get("drills_year", 0), facts.get("training_period", 0), facts.get("training_year", 0),
        facts.get("crypto_penalty", False), facts.get("availability_text", ""))
