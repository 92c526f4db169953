"""Amounts in Chinese capitals (大写金额) as written on Chinese payment documents."""

from __future__ import annotations

from decimal import Decimal

from scoring.money import CENT

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_BIG = ("", "万", "亿", "万亿")


def _group(n: int) -> str:
    """0 < n < 10000 written with 拾佰仟 and 零 for skipped places inside the group."""
    text, zero = "", False
    for place in (3, 2, 1, 0):
        digit = n // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + _SMALL[place]
    return text


def _integer(n: int) -> str:
    """n > 0 in groups of four (万, 亿); 零 where a group is short or a whole group is skipped."""
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    text = ""
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            continue
        if text and (g < 1000 or groups[i + 1] == 0):
            text += "零"
        text += _group(g) + _BIG[i]
    return text


def rmb_capitals(amount: Decimal) -> str:
    """'人民币贰万零叁佰柒拾元整' for 20370.00: yuan, 角 and 分 in capitals, 整 when there is no 分."""
    amount = Decimal(amount).quantize(CENT)
    sign = "负" if amount < 0 else ""
    cents = int(abs(amount) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "人民币零元整"
    text = _integer(yuan) + "元" if yuan else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan and fen:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return f"人民币{sign}{text}"
