"""R1.2: what a valid expert score is, and how a cell's raw value becomes one."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from scoring.numbers import decimal_from_float, decimal_places, format_number, parse_decimal

MAX_DECIMALS = 2


def score_from_cell(raw: object) -> Decimal:
    """The exact Decimal an expert entered in a score cell, or ValueError with a Chinese reason (R1.2).

    Numbers are taken (floats through their shortest repr); blanks, text (also text that
    looks like a number), booleans, dates and non-finite numbers are refused.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError("未填写得分")
    if isinstance(raw, bool):
        raise ValueError("得分是逻辑值（TRUE/FALSE），请填写数字")
    if isinstance(raw, (datetime, date, time)):
        raise ValueError("得分是日期或时间，请填写数字")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        try:
            return decimal_from_float(raw)
        except ValueError:
            raise ValueError("得分不是有限的数字") from None
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError("得分不是有限的数字")
        return raw
    if isinstance(raw, str):
        try:
            parse_decimal(raw)
        except ValueError:
            raise ValueError(f"得分“{raw[:20]}”是文字，请填写数字") from None
        raise ValueError(f"得分“{raw[:20]}”是文本格式的数字，请删除后重新输入数字（半角）")
    raise ValueError("得分不是数字")


def blank_or_type(raw: object) -> str:
    """The error code of a score cell refused by score_from_cell: blank or of the wrong type (R1.2)."""
    return "E-SCORE-MISSING" if raw is None or (isinstance(raw, str) and not raw.strip()) else "E-SCORE-TYPE"


def score_code(value: Decimal, points: Decimal) -> str:
    """The error code of a score refused by check_score: out of 0..points, or too many decimals (R1.2)."""
    return "E-SCORE-RANGE" if value < 0 or value > points else "E-SCORE-DECIMALS"


def check_score(value: Decimal, points: Decimal) -> str | None:
    """Why a score is not allowed for an item worth `points` (R1.2), or None: 0 to points, at most 2 decimals."""
    if value < 0:
        return f"得分 {format_number(value)} 不能为负数"
    if value > points:
        return f"得分 {format_number(value)} 超过该项分值 {format_number(points)} 分"
    if decimal_places(value) > MAX_DECIMALS:
        return f"得分 {value} 超过两位小数"
    return None
