"""Amounts in Chinese capitals (大写金额) as written on Chinese payment documents."""

from __future__ import annotations

from decimal import Decimal

from scoring.money import round_money

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
    amount = round_money(Decimal(amount))  # half up, as the formula's ROUND (R4)
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


_UNITS = ("元", "拾", "佰", "仟", "万", "拾", "佰", "仟", "亿", "拾", "佰", "仟")  # place p = 0 .. 11
# The zero rules as text replacements, applied in order to "digit + unit" for every place from the
# leading digit down: the same result as rmb_capitals for every amount below one trillion yuan.
_REPLACEMENTS = (("零仟", "零"), ("零佰", "零"), ("零拾", "零"), ("零零", "零"), ("零零", "零"),
                 ("零亿", "亿"), ("零万", "万"), ("亿万", "亿零"), ("零零", "零"), ("零元", "元"))


def _spelled(yuan: int) -> str:
    """The yuan part by the replacement rules (what the formula does), '' for 0."""
    text = "".join(_DIGITS[yuan // 10**p % 10] + _UNITS[p] for p in reversed(range(len(_UNITS))) if yuan >= 10**p)
    for old, new in _REPLACEMENTS:
        text = text.replace(old, new)
    return text


def rmb_capitals_formula(ref: str) -> str:
    """An Excel formula (no leading "=") giving rmb_capitals of the amount in `ref` (a cell or a name).

    Only ROUND, ABS, INT, IF, AND, MID and SUBSTITUTE on literal text: no [DBNum2] number format, so
    Excel, WPS and LibreOffice give the same text in every locale (issue 11). Amounts up to
    999,999,999,999.99 yuan.
    """
    cents = f"ROUND(ABS({ref})*100,0)"
    yuan = f"INT({cents}/100)"

    def digit(number: str, p: int) -> str:
        return f"MID(\"{_DIGITS}\",INT({number}/{10**p})-10*INT({number}/{10**(p + 1)})+1,1)"

    places = "&".join(f'IF({yuan}>={10**p},{digit(yuan, p)}&"{_UNITS[p]}","")' for p in reversed(range(len(_UNITS))))
    text = places
    for old, new in _REPLACEMENTS:
        text = f'SUBSTITUTE({text},"{old}","{new}")'
    jiao, fen = f"(INT({cents}/10)-10*INT({cents}/100))", f"({cents}-10*INT({cents}/10))"
    decimals = (f'IF({jiao}>0,{digit(cents, 1)}&"角",IF(AND({yuan}>0,{fen}>0),"零",""))'
                f'&IF({fen}>0,{digit(cents, 0)}&"分","整")')
    return f'IF({cents}=0,"人民币零元整","人民币"&IF({ref}<0,"负","")&{text}&{decimals})'
