"""One assessment, composed from the pure rules: panel (R2), grade (R3), settlement (R4, R5, R10)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from scoring.columns import columns
from scoring.contract import Contract
from scoring.errors import InputError, Problem
from scoring.grading import grade
from scoring.money import format_money
from scoring.numbers import format_number, json_number
from scoring.panel import ExpertSheet, PanelResult, aggregate, check_panel
from scoring.period import Period
from scoring.policies import Policies
from scoring.rubric import Rubric
from scoring.sensitivity import sensitivity
from scoring.settlement import LatePayment, Settlement, late_payment, settle, settlement_warnings


@dataclass(frozen=True)
class Assessment:
    """Everything the summary, the JSON and the finance cells show of one period."""

    contract: Contract
    rubric: Rubric
    period: Period
    year_end: bool
    policies: Policies
    panel: PanelResult
    grade: str
    settlement: Settlement
    findings: object = None  # scoring.evidence.allowed.Findings when evidence was given
    sheets: tuple[ExpertSheet, ...] = ()
    median_of_totals: Fraction = Fraction(0)
    scenarios: tuple = ()  # scoring.sensitivity.Scenario: other policies, each expert left out
    warnings: tuple[str, ...] = field(default_factory=tuple)  # for the panel and finance to look at
    late: LatePayment | None = None  # R10 late-payment damages when the due and paid dates are given
    payment: tuple[date, date] | None = None  # (due, paid) behind `late`

    @property
    def evidence_given(self) -> bool:
        """Whether the evidence rules R5-R9 were applied."""
        return self.findings is not None


def of_period(sheets: Sequence[ExpertSheet], code: str) -> list[ExpertSheet]:
    """The sheets of period `code` (or stating none): a sheet of another period, left in the folder, is named by
    check_panel (R2.2); its scores against this period's evidence ranges would only lead away from it."""
    return [s for s in sheets if not s.period or s.period == code]


def check_ranges(sheets: Sequence[ExpertSheet], rubric: Rubric,
                 ranges: dict[str, tuple[Decimal, Decimal]]) -> list[Problem]:
    """Every score inside its item's allowed range (R1.2, narrowed by evidence rules R5-R9)."""
    problems = []
    for sheet in sheets:
        for item in rubric.items:
            low, high = ranges.get(item.id, (Decimal(0), item.points))
            value = sheet.scores.get(item.id)
            if value is not None and not (low <= value <= high):
                allowed = (f"按证据材料应为 {format_number(low)} 分" if low == high
                           else f"超出允许范围 {format_number(low)}–{format_number(high)} 分")
                problems.append(Problem(f"专家“{sheet.expert}”的“{item.name}”得分 {format_number(value)}，{allowed}",
                                        code="E-SCORE-RANGE", **sheet.place(f"score_{item.id}")))
    return problems


def assess(
    sheets: Sequence[ExpertSheet],
    rubric: Rubric,
    contract: Contract,
    period: Period,
    policies: Policies,
    fee: Decimal,
    year_end: bool = False,
    crypto_penalty: bool = False,
    ranges: dict[str, tuple[Decimal, Decimal]] | None = None,
    findings: object = None,
    payment: tuple[date, date] | None = None,
) -> Assessment:
    """Check the panel (R2.1, R2.2, ranges) and compute result, grade and settlement.

    Raises InputError listing every problem. The robustness checks (R2.3 alternatives, each
    expert left out) and the warnings are computed here once for every output. `crypto_penalty` is True when R5 applies
    (year-end assessment and 密评 not passed); `ranges` are the allowed ranges of R5-R9 and
    `findings` the evidence computations behind them, kept for the summary; `payment` is (due, paid)
    for the late-payment damages of R10 under the contract's payment terms.
    """
    problems = check_panel(sheets, rubric)
    problems += check_ranges(of_period(sheets, period.code), rubric, ranges or {})
    if problems:
        raise InputError(problems)
    cols = columns(sheets, rubric)  # sorted once for the result and every robustness scenario
    panel = aggregate(sheets, rubric, policies.aggregation, policies.outlier_share, ranges, cols)
    penalty = contract.crypto_penalty if crypto_penalty else Decimal("0.00")
    settlement = settle(panel.total, fee, contract.lines, penalty, contract.schedule)
    median_total, scenarios, warnings = sensitivity(sheets, rubric, policies, panel.total, fee, contract.schedule,
                                                    contract.grades, cols)
    late = late_payment(settlement.payable, *payment, contract.payment) if payment else None
    return Assessment(
        contract=contract, rubric=rubric, period=period, year_end=year_end, policies=policies,
        panel=panel, grade=grade(panel.total, policies.grade_bounds, contract.grades), settlement=settlement,
        findings=findings, sheets=tuple(sheets), median_of_totals=median_total, scenarios=tuple(scenarios),
        warnings=tuple(settlement_warnings(settlement) + warnings), late=late, payment=payment,
    )


def to_json(a: Assessment, summary: str | None = None, inputs: Sequence[str] = (), contract: str | None = None) -> dict:
    """The result as interfaces.md §1 prints it with --json: every decimal a string, exact when it terminates;
    a score or rate that does not (a mean over 3 experts) is rounded to 28 significant digits and listed with
    its exact fraction under "fractions" (key path -> "numerator/denominator"; numbers.json_number).
    "review_hints" lists where the data shows an Art. 64 reason (87号令), with the `scorecard correct` command
    for `summary` (the summary written, a placeholder when not given), naming the run's `inputs` and `contract`
    file so that it runs as printed."""
    from scoring.correction import review_hints

    s = a.settlement
    inexact: dict[str, str] = {}

    def number(value, path: str) -> str:
        return json_number(value, path, inexact)

    result = {
        "contract": a.contract.id,
        "period": a.period.code,
        "year_end": a.year_end,
        "evidence_applied": a.evidence_given,  # False: no evidence given, R5-R9 not applied (every item 0 to points)
        "policies": a.policies.as_dict(),
        "experts": list(a.panel.experts),
        "items": {
            r.item.id: {
                "panel": number(r.panel, f"items.{r.item.id}.panel"),
                "scores": {e: number(v, f"items.{r.item.id}.scores.{e}") for e, v in r.scores.items()},
                "min": number(r.low, f"items.{r.item.id}.min"),
                "max": number(r.high, f"items.{r.item.id}.max"),
                "spread": number(r.spread, f"items.{r.item.id}.spread"),
                "flagged": list(r.flagged),
            }
            for r in a.panel.items
        },
        "categories": {cid: number(v, f"categories.{cid}") for cid, v in a.panel.categories.items()},
        "total": number(a.panel.total, "total"),
        "grade": a.grade,
        "fee": format_money(s.fee),
        "deduction": {
            "rate": number(s.rate, "deduction.rate"),
            "assessment": format_money(s.assessment),
            "crypto_penalty": format_money(s.crypto_penalty),
            "total": format_money(s.total),
            "lines": [
                {"name": line.name, "tax_rate": number(line.tax_rate, f"deduction.lines[{k}].tax_rate"),
                 "amount": format_money(line.amount), "before_tax": format_money(line.before_tax), "tax": format_money(line.tax)}
                for k, line in enumerate(s.lines)
            ],
        },
        "payable": format_money(s.payable),
        "dissents": [{"expert": sh.expert, "reason": sh.dissent_reason} for sh in a.sheets if sh.dissent],  # §4
    }
    result["review_hints"] = [h.as_json(summary, inputs, contract) for h in review_hints(a)]  # 87号令 Art. 64
    result["fractions"] = inexact  # every value above that is rounded, by key path, exactly
    if a.late is not None and a.payment is not None:  # R10: days late, damages and the right to terminate
        result["late_payment"] = {"due": a.payment[0].isoformat(), "paid": a.payment[1].isoformat(),
                                  "days": a.late.days_late, "interest": format_money(a.late.interest),
                                  "may_terminate": a.late.may_terminate}
    return result
