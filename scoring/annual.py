"""The service year's settlement (年度结算): the half-years side by side, the year's totals, the payable per
annex-1 line, due dates and late payment (R4, R5, R9, R10). Pure: values in, values out; no file is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

from scoring.errors import Problem
from scoring.money import format_money
from scoring.numbers import format_number, json_number
from scoring.period import Period, parse_period
from scoring.settlement import LatePayment, SplitLine, late_payment, split_deduction

if TYPE_CHECKING:
    from scoring.calendar import WorkCalendar
    from scoring.contract import Contract
    from scoring.terms import PaymentTerms
    from scoring.year_terms import YearTerms

ZERO = Decimal("0.00")
YEAR = "全年"


@dataclass(frozen=True)
class HalfYear:
    """One settled half-year, as its (recomputed) summary shows it."""

    period: str
    fee: Decimal
    total: Fraction
    grade: str
    assessment: Decimal
    crypto_penalty: Decimal
    deduction_total: Decimal
    payable: Decimal
    source: str = ""
    rate: Fraction = Fraction(0)  # the R4 deduction rate behind `assessment`


@dataclass(frozen=True)
class Payment:
    """One payment: the amount invoiced, the due date 60 working days later, and late payment if paid late (R10)."""

    label: str  # a period code, or 全年 for one invoice of the whole year
    amount: Decimal
    invoiced: date
    due: date
    paid: date | None = None
    late: LatePayment | None = None


@dataclass(frozen=True)
class YearCheck:
    """A minimum per service year (R9): drills and training, counted over the year's evidence."""

    name: str
    count: int
    minimum: int
    unit: str
    absent: tuple[str, ...] = ()  # the halves whose evidence was not found (their drills are not counted)

    @property
    def complete(self) -> bool:
        """Whether the evidence of every half was counted."""
        return not self.absent

    @property
    def short(self) -> bool:
        """Below the contract's minimum."""
        return self.count < self.minimum

    @property
    def text(self) -> str:
        """The conclusion in words."""
        verdict = f"少于合同要求的 {self.minimum} {self.unit}" if self.short else f"达到合同要求的 {self.minimum} {self.unit}"
        note = f"（缺少 {'、'.join(self.absent)} 的证据材料，仅为已提供部分的合计；可用 --evidence 补充）" if self.absent else ""
        return f"{self.name}：服务年度共 {self.count} {self.unit}，{verdict}{note}"


@dataclass(frozen=True)
class AnnualSettlement:
    """The year's settlement of one contract."""

    contract_id: str
    service_start: date
    service_end: date
    periods: tuple[HalfYear, ...]
    missing: tuple[str, ...]  # periods of the service year without a summary: a partial year
    fee: Decimal
    crypto_penalty: Decimal
    deduction_total: Decimal
    payable: Decimal
    lines: tuple[SplitLine, ...]  # the payable split over annex-1 lines (amount = the line's payable)
    payments: tuple[Payment, ...] = ()
    checks: tuple[YearCheck, ...] = ()
    unchecked: bool = False  # the rubric sets yearly minimums (R9) but no evidence was found to count them

    @property
    def partial(self) -> bool:
        """Whether a half of the service year is missing (shown as 部分年度)."""
        return bool(self.missing)

    @property
    def service_year(self) -> str:
        """'2026-07-01/2027-06-30'."""
        return f"{self.service_start.isoformat()}/{self.service_end.isoformat()}"


def service_periods(contract: Contract) -> list[Period]:
    """The half-year periods of the contract's service year, in order."""
    periods: list[Period] = []
    year, half = contract.service_start.year, 1 if contract.service_start.month <= 6 else 2
    while True:
        period = parse_period(f"{year}H{half}")
        if period.start > contract.service_end:
            return periods
        if contract.covers(period):
            periods.append(period)
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def year_problems(halves: Sequence[HalfYear], contract: Contract) -> list[Problem]:
    """What stops a year's settlement beyond each summary's own checks: the 密评 penalty more than once (R5)."""
    penalised = [h for h in halves if h.crypto_penalty]
    if len({h.period for h in penalised}) > 1:  # one period twice (a summary and its 复核) is check_series's problem
        return [Problem(f"{h.period} 的汇总表也扣了密评扣款 {h.crypto_penalty:,.2f} 元：密评扣款只在服务期年终考核时一次性扣除（R5）",
                        file=h.source, code="E-SUMMARY-SERIES") for h in penalised]
    return []


def settle_year(halves: Sequence[HalfYear], contract: Contract, payments: Sequence[Payment] = (),
                checks: Sequence[YearCheck] = ()) -> AnnualSettlement:
    """The year's totals: fee and deductions summed (the 密评 penalty is in the year-end half, once), payable =
    fee - deductions, and the payable split over the priced annex-1 lines in proportion to their price, each
    line rounded to the cent with the rounding cents on the largest line and split into before-tax amount and
    VAT at the line's rate (R10), so that the vendor can invoice line by line."""
    ordered = tuple(sorted(halves, key=lambda h: parse_period(h.period).start))
    fee = sum((h.fee for h in ordered), ZERO)
    deduction = sum((h.deduction_total for h in ordered), ZERO)
    payable = fee - deduction
    present = {h.period for h in ordered}
    return AnnualSettlement(
        contract_id=contract.id, service_start=contract.service_start, service_end=contract.service_end,
        periods=ordered, missing=tuple(p.code for p in service_periods(contract) if p.code not in present),
        fee=fee, crypto_penalty=sum((h.crypto_penalty for h in ordered), ZERO), deduction_total=deduction,
        payable=payable, lines=split_deduction(payable, contract.lines), payments=tuple(payments), checks=tuple(checks),
    )


def payment(label: str, amount: Decimal, invoiced: date, paid: date | None, calendar: WorkCalendar,
            terms: PaymentTerms) -> Payment:
    """Due 60 working days after the invoice (the invoice day not counted, R7, R10; a later invoice moves the
    due date by the same delay); late payment 0.05 % a day of the amount, 30 days or more flagged. `terms` are
    the contract's PaymentTerms."""
    from scoring.settlement import payment_due

    due = payment_due(invoiced, terms, calendar)
    late = late_payment(amount, due, paid, terms) if paid else None
    return Payment(label, amount, invoiced, due, paid, late)


def year_checks(drill_days: Sequence[tuple[date, str]], trainings: Sequence[tuple[date, int, str]],
                terms: YearTerms, absent: Sequence[str] = ()) -> tuple[YearCheck, ...]:
    """R9 minimums over the service year (the rubric's drill-count / training-count parameters; a rubric
    without such a rule has no check): distinct drills (day, content) and training person-times."""
    checks = []
    if terms.min_drills is not None:
        checks.append(YearCheck("应急演练", len(set(drill_days)), terms.min_drills, "次", tuple(absent)))
    if terms.min_training is not None:
        checks.append(YearCheck("厂家培训", sum(t[1] for t in set(trainings)), terms.min_training, "人次", tuple(absent)))
    return tuple(checks)


def to_json(a: AnnualSettlement) -> dict[str, Any]:
    """interfaces.md §4: every decimal a string (as assess.to_json: a non-terminating total is rounded to 28
    significant digits and listed exactly under "fractions"); `deduction_total` includes `crypto_penalty`."""
    inexact: dict[str, str] = {}
    result = {
        "contract": a.contract_id, "service_year": a.service_year, "partial": a.partial,
        "periods": [{"period": h.period, "fee": format_money(h.fee),
                     "total": json_number(h.total, f"periods[{k}].total", inexact), "grade": h.grade,
                     "deduction_total": format_money(h.deduction_total), "payable": format_money(h.payable)}
                    for k, h in enumerate(a.periods)],
        "fee": format_money(a.fee), "deduction_total": format_money(a.deduction_total),
        "crypto_penalty": format_money(a.crypto_penalty), "payable": format_money(a.payable),
        "lines": [{"name": line.name, "tax_rate": format_number(line.tax_rate), "payable": format_money(line.amount),
                   "before_tax": format_money(line.before_tax), "tax": format_money(line.tax)} for line in a.lines],
        "missing": list(a.missing),
        "year_checks_unchecked": a.unchecked,
        "payments": [{"label": p.label, "amount": format_money(p.amount), "invoiced": p.invoiced.isoformat(),
                      "due": p.due.isoformat(), "paid": p.paid.isoformat() if p.paid else None,
                      "days_late": p.late.days_late if p.late else 0,
                      "interest": format_money(p.late.interest if p.late else ZERO),
                      "may_terminate": bool(p.late and p.late.may_terminate)} for p in a.payments],
        "year_checks": [{"name": c.name, "count": c.count, "minimum": c.minimum, "short": c.short,
                         "complete": c.complete, "absent": list(c.absent)} for c in a.checks],
        "fractions": inexact,
    }
    return result
