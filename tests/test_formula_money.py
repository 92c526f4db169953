"""R4: the summary's deduction formula, recalculated by LibreOffice, equals the engine to the cent at exact half
cents (and one step beside them), for fees up to a billion yuan, under every aggregation policy (R2.3)."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from math import gcd

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from scoring.excel import formulas
from scoring.excel.libreoffice import convert
from scoring.excel.summary import _total_divisor
from scoring.panel import mean, median, trimmed_mean
from scoring.settlement import assessment_deduction
from tests.conftest import CONTRACT, RUBRIC, needs_libreoffice

# policy: (the engine's aggregation of one item, the spreadsheet's over a row range)
POLICIES = {"item-median": (median, "MEDIAN({0})"), "mean": (mean, "AVERAGE({0})"),
            "trimmed-mean": (trimmed_mean, "(SUM({0})-MAX({0})-MIN({0}))/(COUNT({0})-2)")}


def half_cent_fee(total: Fraction, magnitude: int, rnd: random.Random) -> Decimal | None:
    """A fee (2 decimals, below `magnitude` yuan) whose deduction at `total` is an exact half cent, or one
    step of the exact value beside it (R4: 1 % of the fee per point below 80)."""
    rate = (80 - total) / 100  # deduction in cents = fee in cents x rate
    step = rnd.choice([0, 0, 1, -1])
    want, modulus = (rate.denominator + 2 * step) % (2 * rate.denominator), 2 * rate.denominator
    g = gcd(2 * rate.numerator, modulus)
    if want % g:
        return None
    a, m = 2 * rate.numerator // g, modulus // g
    cents = (want // g) * pow(a, -1, m) % m + m * rnd.randint(0, magnitude * 100 // m)
    return Decimal(cents) / 100 if cents else None


@needs_libreoffice
@pytest.mark.parametrize("policy, experts", [("item-median", 3), ("mean", 3), ("mean", 7), ("trimmed-mean", 5)])
def test_r4_half_cents_round_up_in_libreoffice_as_in_the_engine(tmp_path, policy, experts):
    rnd = random.Random(f"{policy}{experts}")
    engine, sheet = POLICIES[policy]
    points = [int(i.points) for i in RUBRIC.items]
    wb = openpyxl.Workbook()
    ws = wb.active
    rate = formulas.deduction_rate(CONTRACT.schedule, "TOTAL", divisor=_total_divisor(policy, experts))
    expected = []
    while len(expected) < 150:
        scores = [[Fraction(rnd.randint(p * 45, p * 100), 100) for _ in range(experts)] for p in points]
        total = sum(engine(s) for s in scores)
        fee = half_cent_fee(total, rnd.choice([10**6, 10**8, 10**9]), rnd) if 60 <= total < 80 else None
        if fee is None:
            continue
        row = len(expected) + 1
        panels = []
        for k, item in enumerate(scores):
            first = 1 + k * (experts + 1)
            for j, score in enumerate(item):
                ws.cell(row, first + j, float(score))
            span = f"{get_column_letter(first)}{row}:{get_column_letter(first + experts - 1)}{row}"
            ws.cell(row, first + experts, "=" + sheet.format(span))
            panels.append(f"{get_column_letter(first + experts)}{row}")
        ws.cell(row, 200, f"=SUM({','.join(panels)})")  # total_score: the sum of the panel cells, as 汇总 has it
        ws.cell(row, 201, float(fee))
        ws.cell(row, 202, "=ROUND(ROUND(GS{0}*{1},8),2)".format(row, rate.replace("TOTAL", f"GR{row}")))
        expected.append(assessment_deduction(total, fee, CONTRACT.schedule))
    wb.save(tmp_path / "cases.xlsx")
    (tmp_path / "lo").mkdir()
    got = openpyxl.load_workbook(convert(tmp_path / "cases.xlsx", "xlsx", tmp_path / "lo"), data_only=True).active
    wrong = [(row, got.cell(row, 201).value, got.cell(row, 200).value, got.cell(row, 202).value, want)
             for row, want in enumerate(expected, start=1)
             if Decimal(repr(got.cell(row, 202).value)).quantize(Decimal("0.01")) != want]
    assert wrong == []


def test_r4_a_tier_top_with_more_decimals_keeps_them_in_the_rounding():
    """A contract's tier may start at 79.995 (§5 accepts any decimal): rounding 79.995 - total to 2 decimals would
    move every share by 0.005 points."""
    from scoring.terms import Schedule, Tier

    schedule = Schedule((Tier(Fraction(79995, 1000), "不扣", None, rate=Fraction(0)),
                         Tier(Fraction(60), "按比例", Fraction(79995, 1000), per_point=Fraction(1, 100)),
                         Tier(Fraction(0), "扣一半", Fraction(60), rate=Fraction(1, 2))))
    assert formulas.deduction_rate(schedule, divisor=1) == \
        "IF(total_score>=79.995-1E-9,0,IF(total_score>=60-1E-9,ROUND(79.995-total_score,3)/100,0.5))"
    assert formulas.deduction_rate(schedule, divisor=3) == \
        "IF(total_score>=79.995-1E-9,0,IF(total_score>=60-1E-9,ROUND((79.995-total_score)*3,3)/3/100,0.5))"
