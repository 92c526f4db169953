"""R4: the summary's deduction formula, recalculated by LibreOffice, equals the engine to the cent at exact half
cents, for the fees a province pays (up to a billion yuan) and every total a median panel can reach."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from math import gcd

import openpyxl
from openpyxl.utils import get_column_letter

from scoring.excel import formulas
from scoring.excel.libreoffice import convert
from scoring.settlement import assessment_deduction
from tests.conftest import CONTRACT, RUBRIC, needs_libreoffice


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
def test_r4_half_cents_round_up_in_libreoffice_as_in_the_engine(tmp_path):
    rnd = random.Random(4)
    points = [int(i.points) for i in RUBRIC.items]
    wb = openpyxl.Workbook()
    ws = wb.active
    rate = formulas.deduction_rate(CONTRACT.schedule, "TOTAL", hundredths=True)
    expected = []
    while len(expected) < 400:
        scores = [Fraction(rnd.randint(p * 45, p * 100), 100) for p in points]  # each item's median
        total = sum(scores)
        fee = half_cent_fee(total, rnd.choice([10**6, 10**7, 10**8, 10**9]), rnd) if 60 <= total < 80 else None
        if fee is None:
            continue
        row = len(expected) + 1
        for column, score in enumerate(scores, start=1):
            ws.cell(row, column, float(score))
        last = get_column_letter(len(scores))
        ws.cell(row, 14, f"=SUM(A{row}:{last}{row})")  # total_score: the sum of the panel cells, as 汇总 has it
        ws.cell(row, 15, float(fee))
        ws.cell(row, 16, "=ROUND(ROUND(O{0}*{1},8),2)".format(row, rate.replace("TOTAL", f"N{row}")))
        expected.append(assessment_deduction(total, fee, CONTRACT.schedule))
    wb.save(tmp_path / "cases.xlsx")
    (tmp_path / "lo").mkdir()
    got = openpyxl.load_workbook(convert(tmp_path / "cases.xlsx", "xlsx", tmp_path / "lo"), data_only=True).active
    wrong = [(row, got.cell(row, 15).value, got.cell(row, 14).value, got.cell(row, 16).value, want)
             for row, want in enumerate(expected, start=1)
             if Decimal(repr(got.cell(row, 16).value)).quantize(Decimal("0.01")) != want]
    assert wrong == []
