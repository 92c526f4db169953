"""Exact numbers: scores as Decimal (input) and Fraction (aggregates), their text form.

Scores keep their exact value (R1.2, R2.3): an expert's score is a Decimal with at
most two decimals; a panel score may be a mean and is kept as a Fraction so that
nothing is rounded before the money is (R4).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

# Full-width digits and signs, as typed with a Chinese input method.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")

DISPLAY_PLACES = 6


def parse_decimal(text: str) -> Decimal:
    """Parse a decimal number written as text (full-width digits and thousands commas allowed).

    Raises ValueError for anything that is not a finite decimal number.
    """
    cleaned = text.strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValueError("empty")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(cleaned) from exc
    if not value.is_finite():
        raise ValueError(cleaned)
    return value


EXCEL_DIGITS = 15  # Excel and WPS show and compute with 15 significant digits


def decimal_from_float(value: float) -> Decimal:
    """The Decimal a person sees for a float read from a workbook: 15 significant digits, as Excel shows it
    (0.30000000000000004 is the 0.3 that was typed or computed), never Decimal(float). R1.2's two-decimal
    rule applies after this."""
    if not math.isfinite(value):
        raise ValueError(repr(value))
    if value == 0:
        return Decimal(0)
    return Decimal(format(value, f".{EXCEL_DIGITS}g"))


def decimal_places(value: Decimal) -> int:
    """How many decimals the value needs (trailing zeros do not count): 7.50 -> 1."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def is_terminating(value: Fraction) -> bool:
    """Whether the fraction has a finite decimal expansion (denominator of 2s and 5s only)."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def fraction_to_decimal(value: Fraction, places: int = DISPLAY_PLACES) -> Decimal:
    """Exact Decimal of a terminating fraction; otherwise rounded half up to `places` decimals."""
    if is_terminating(value):
        # Enough precision for any denominator 2^a 5^b we meet (scores, rates).
        n, d = value.numerator, value.denominator
        k = 0
        while d != 1:
            n *= 10
            k += 1
            g = math.gcd(n, d)
            n //= g
            d //= g
        return Decimal(n).scaleb(-k)
    scaled = value * 10**places
    sign = -1 if scaled < 0 else 1
    rounded = sign * math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(rounded).scaleb(-places)


def format_number(value: Fraction | Decimal | int) -> str:
    """Plain decimal text without exponent or trailing zeros: 92, 11.5, 0.035 (scores, rates)."""
    if isinstance(value, Fraction):
        value = fraction_to_decimal(value)
    value = Decimal(value)
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


JSON_DIGITS = 28  # significant digits of a --json value that has no finite decimal expansion (Python's Decimal)


def json_number(value: Fraction | Decimal | int, path: str, inexact: dict[str, str]) -> str:
    """The JSON text of a score or rate (interfaces.md §1): its exact decimal, however long, when it terminates;
    otherwise rounded half up to 28 significant digits, with the exact "numerator/denominator" recorded under
    `path` in `inexact` (the --json key "fractions"), so a reader knows the text is rounded and has the value."""
    if isinstance(value, (Decimal, int)) or is_terminating(Fraction(value)):
        return format_number(fraction_to_decimal(Fraction(value)) if isinstance(value, Fraction) else value)
    value = Fraction(value)
    inexact[path] = f"{value.numerator}/{value.denominator}"
    magnitude = abs(value)
    exponent = len(str(magnitude.numerator // magnitude.denominator)) if magnitude >= 1 else \
        -(len(str(magnitude.denominator // magnitude.numerator)) - 1)
    # 10**(exponent-1) <= |value| < 10**exponent, nearly: correct it exactly
    while magnitude >= Fraction(10) ** exponent:
        exponent += 1
    while magnitude < Fraction(10) ** (exponent - 1):
        exponent -= 1
    return format_number(fraction_to_decimal(value, max(0, JSON_DIGITS - exponent)))
