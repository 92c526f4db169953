"""Money: exact Decimal yuan, rounded once, half up, to the cent (R4)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from scoring.numbers import parse_decimal

CENT = Decimal("0.01")


def round_money(amount: Fraction | Decimal | int) -> Decimal:
    """Round an exact amount of yuan half up (四舍五入) to the cent (R4); the one rounding step."""
    exact = Fraction(amount)
    cents = exact * 100
    sign = -1 if cents < 0 else 1
    whole = sign * math.floor(abs(cents) + Fraction(1, 2))
    return (Decimal(whole) / 100).quantize(CENT)


MAX_FEE = Decimal("999999999.99")  # a period's fee: the summary's formulas agree with R4 to the cent up to here
# (tests/test_formula_money.py: half cents at fees near ten billion came out a cent apart in LibreOffice), and
# its amount columns and 大写 print it whole


def parse_money(text: str) -> Decimal:
    """Parse an amount of yuan written by a person ('582,000.00', '582000'); at most 2 decimals.

    Raises ValueError with a Chinese reason.
    """
    try:
        value = parse_decimal(text)
    except ValueError:
        raise ValueError(f"金额“{text}”不是数字") from None
    if value < 0:
        raise ValueError(f"金额“{text}”不能为负数")
    if value != value.quantize(CENT):
        raise ValueError(f"金额“{text}”最多两位小数（精确到分）")
    if value > MAX_FEE:
        raise ValueError(f"金额“{text}”超过 {MAX_FEE:,} 元：汇总表的公式和金额栏只为此以内的当次服务费设计")
    return value.quantize(CENT)


def format_money(amount: Decimal) -> str:
    """Amount with two decimals and no thousands separator, the JSON form: 582000.00."""
    return f"{amount.quantize(CENT):f}"
