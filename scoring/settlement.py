"""R4 deduction, R5 crypto penalty, R10 split over annex-1 lines and late payment. Decimal money only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from scoring.calendar import WorkCalendar
from scoring.contract import PricedLine
from scoring.money import round_money
from scoring.terms import PaymentTerms, Schedule


def _schedule(schedule: Schedule | None) -> Schedule:
    from scoring.contract import default_contract

    return schedule or default_contract().schedule


@dataclass(frozen=True)
class SplitLine:
    """The part of a deduction that falls on one annex-1 line, with its VAT split (R10)."""

    name: str
    tax_rate: Decimal
    amount: Decimal
    before_tax: Decimal
    tax: Decimal
    share: Decimal = Decimal("0.00")  # the proportional part rounded to the cent, before the rounding cents
    takes_rounding: bool = False  # the largest line, which takes the rounding cents


@dataclass(frozen=True)
class Settlement:
    """What the panel total means for the period's fee."""

    fee: Decimal
    rate: Fraction
    assessment: Decimal
    crypto_penalty: Decimal
    total: Decimal
    lines: tuple[SplitLine, ...]
    payable: Decimal


def deduction_rate(total: Fraction | Decimal | int, schedule: Schedule | None = None) -> Fraction:
    """The share of the fee deducted for a panel total S (R4), from the contract's schedule (default: the
    embedded one: 0 from 80, (80 - S) / 100 from 60, 1/2 below 60)."""
    return _schedule(schedule).tier(total).share(Fraction(total))


def assessment_deduction(total: Fraction | Decimal | int, fee: Decimal, schedule: Schedule | None = None) -> Decimal:
    """The R4 deduction in yuan: fee x rate, exact, rounded once half up to the cent."""
    return round_money(Fraction(fee) * deduction_rate(total, schedule))


def split_deduction(amount: Decimal, lines: Sequence[PricedLine]) -> tuple[SplitLine, ...]:
    """Split a deduction over the priced lines in proportion to their price (R10).

    Each part is rounded to the cent and the rounding cents go to the largest line, so the
    parts add up exactly to `amount`; each part is then split into before-tax amount
    (part / (1 + rate), rounded) and tax (the rest), which add up exactly to the part.
    """
    price_total = sum(Fraction(line.amount) for line in lines)
    shares = [round_money(Fraction(amount) * Fraction(line.amount) / price_total) for line in lines]
    largest = max(range(len(lines)), key=lambda i: lines[i].amount)
    parts = list(shares)
    parts[largest] += amount - sum(shares, Decimal("0.00"))
    result = []
    for i, (line, part) in enumerate(zip(lines, parts)):
        before_tax = round_money(Fraction(part) / (1 + Fraction(line.tax_rate)))
        result.append(SplitLine(line.name, line.tax_rate, part, before_tax, part - before_tax, shares[i], i == largest))
    return tuple(result)


def settle(
    total: Fraction | Decimal | int,
    fee: Decimal,
    lines: Sequence[PricedLine],
    crypto_penalty: Decimal = Decimal("0.00"),
    schedule: Schedule | None = None,
) -> Settlement:
    """The settlement of a period (R4, R5, R10): rate, deduction, penalty on its own line, split, payable.

    `crypto_penalty` is the R5 amount when it applies (year-end and 密评 not passed), else 0.
    """
    rate = deduction_rate(total, schedule)
    assessment = round_money(Fraction(fee) * rate)
    deduction = assessment + crypto_penalty
    return Settlement(
        fee=fee,
        rate=rate,
        assessment=assessment,
        crypto_penalty=crypto_penalty,
        total=deduction,
        lines=split_deduction(deduction, lines),
        payable=fee - deduction,
    )


@dataclass(frozen=True)
class LatePayment:
    """Late-payment damages owed by the buyer (R10)."""

    days_late: int
    interest: Decimal
    may_terminate: bool


def late_payment(amount: Decimal, due: date, paid: date, terms: PaymentTerms | None = None) -> LatePayment:
    """Damages of the contract's daily rate (0.05 %) of the period's payable amount per calendar day after
    `due` (R10). Being late the contract's termination days or more (逾期三十日以上: 以上 includes the number
    itself) gives the vendor the right to terminate, which is flagged."""
    if terms is None:
        from scoring.contract import default_contract

        terms = default_contract().payment
    days = max(0, (paid - due).days)
    return LatePayment(days, round_money(Fraction(amount) * terms.late_daily_rate * days),
                       days >= terms.termination_days_late)


def payment_due(invoice: date, terms: PaymentTerms, calendar: WorkCalendar) -> date:
    """The payment due date: the contract's working days (60) after a valid invoice (R10, R7)."""
    return calendar.deadline(invoice, terms.due_working_days)


def settlement_warnings(s: Settlement) -> list[str]:
    """What finance must look at before paying: a deduction larger than the fee (payable below zero)."""
    if s.payable < 0:
        return [f"扣款合计 {s.total:,.2f} 元超过当次服务费 {s.fee:,.2f} 元，应付为负数（{s.payable:,.2f} 元），请财务核实"]
    return []
