"""大写金额 for the finance sheet and the deduction notice."""

from decimal import Decimal

import pytest

from scoring.capitals import rmb_capitals


@pytest.mark.parametrize("amount, text", [
    ("20370.00", "人民币贰万零叁佰柒拾元整"),
    ("2910.00", "人民币贰仟玖佰壹拾元整"),
    ("582000.00", "人民币伍拾捌万贰仟元整"),
    ("579090.00", "人民币伍拾柒万玖仟零玖拾元整"),
    ("100000", "人民币壹拾万元整"),
    ("1005", "人民币壹仟零伍元整"),
    ("10.05", "人民币壹拾元零伍分"),
    ("1320.75", "人民币壹仟叁佰贰拾元柒角伍分"),
    ("1.20", "人民币壹元贰角整"),
    ("0.5", "人民币伍角整"),
    ("0.05", "人民币伍分"),
    ("0", "人民币零元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("100001000", "人民币壹亿零壹仟元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("1164000", "人民币壹佰壹拾陆万肆仟元整"),
])
def test_capitals(amount, text):
    assert rmb_capitals(Decimal(amount)) == text


def test_the_replacement_rules_of_the_formula_spell_every_amount_like_rmb_capitals():
    """The formula's zero rules (text replacements) against the reference spelling: every yuan amount
    below 100,000, every amount of 12 digits that are 0 or 1, and random amounts below one trillion."""
    import itertools
    import random

    from scoring.capitals import _integer, _spelled
    rng = random.Random(11)
    amounts = set(range(100000)) | {int("".join(b)) for b in itertools.product("01", repeat=12)}
    amounts |= {rng.randrange(10 ** rng.randint(1, 12)) for _ in range(20000)}
    assert [n for n in amounts if _spelled(n) != (_integer(n) + "元" if n else "")] == []


AMOUNTS = ["0", "0.05", "0.5", "10.00", "10.05", "1005", "100010.01", "1000000.00", "99999999.99", "-2910.00",
           "100000001", "1320.75", "20370.00", "582000.00", "0.004", "0.005"]


def test_the_capitals_formula_gives_the_same_text_in_libreoffice(tmp_path):
    """大写 that follows the amount (issue 11): the formula recalculated by LibreOffice equals rmb_capitals."""
    import os
    import random

    import openpyxl

    from scoring.capitals import rmb_capitals_formula
    from scoring.excel.libreoffice import convert, find_soffice
    if find_soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice not installed")
    rng = random.Random(3)
    amounts = [Decimal(a) for a in AMOUNTS] + [Decimal(rng.randrange(10 ** rng.randint(1, 10))) / 100 for _ in range(150)]
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, amount in enumerate(amounts, start=1):
        ws.cell(row, 1, amount)
        ws.cell(row, 2, "=" + rmb_capitals_formula(f"A{row}"))
    wb.save(tmp_path / "caps.xlsx")
    (tmp_path / "lo").mkdir()
    values = openpyxl.load_workbook(convert(tmp_path / "caps.xlsx", "xlsx", tmp_path / "lo"), data_only=True).active
    got = {str(a): values.cell(row, 2).value for row, a in enumerate(amounts, start=1)}
    assert got == {str(a): rmb_capitals(a) for a in amounts}
