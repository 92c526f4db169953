"""Where a rendered template's rows, areas and formula references go (the row plans of template_logic.py),
without openpyxl: cell references are found by a small scanner (`formula_pieces`) that gives the operands
openpyxl's Tokenizer gives (compared on the template's formulas and on random ones in
tests/test_template_logic.py)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from scoring.excel.cellref import column_index, column_letter

REF = re.compile(r"^(?P<sheet>(?:'[^']+'|[^'!]+)!)?(?P<a>\$?[A-Z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Z]{1,3}\$?\d+))?$")
CELL = re.compile(r"^(\$?)([A-Z]{1,3})(\$?)(\d+)$")
_REFERENCE = re.compile(r"(?<![A-Za-z_\d.])\$?[A-Z]{1,3}\$?\d+(?![\w(])")


def map_row(plan: dict[int, Any], row: int, end: bool, here: tuple[int, int] | None) -> int:
    """Output row of template row `row`: a repeated row maps to the current copy when inside it, else to
    its first (or, for a range end, last) copy; a removed row maps to where it would have been."""
    p = plan.get(row)
    if p is None:  # below the used area
        last = max(plan) if plan else 0
        tail = plan[last].start + plan[last].count if plan else 1
        return tail + (row - last - 1)
    if here and here[0] == row and p.var is not None:
        return p.start + here[1]
    if p.count == 0:
        return p.start - 1 if end else p.start
    return p.start + (p.count - 1 if end else 0)


def map_cell(ref: str, plan, end: bool, here) -> str:
    """A cell reference ($ kept) moved to its output row."""
    m = CELL.match(ref)
    if not m:
        return ref
    return f"{m.group(1)}{m.group(2)}{m.group(3)}{map_row(plan, int(m.group(4)), end, here)}"


def map_range(ref: str, plan, here=None) -> str:
    """Map a reference: a single cell in the repeated row a formula sits in means that copy; a range
    reaching a repeated row covers all its copies."""
    if ":" in ref:
        a, b = ref.split(":")
        return f"{map_cell(a, plan, False, None)}:{map_cell(b, plan, True, None)}"
    return map_cell(ref, plan, False, here)


def map_area(ref: str, plan) -> str:
    """Map an area (conditional format, validation, print area, merged cells, defined name): repeated
    rows' copies are all inside, and an area ending at an `across` cell covers the spilled block."""
    a, _, b = ref.partition(":")
    return f"{map_cell(a, plan, False, None)}:{widen(map_cell(b or a, plan, True, None), plan)}"


def is_empty_area(area: str) -> bool:
    """Whether a mapped area ends above its start (it lay in rows repeated zero times)."""
    a, _, b = area.partition(":")
    first, last = CELL.match(a), CELL.match(b or a)
    return bool(first and last and int(last.group(4)) < int(first.group(4)))


def map_areas(areas: Iterable[str], plan) -> str:
    """A space-separated list of areas (sqref) mapped, single cells written as one cell, empty ones left out."""
    out = []
    for area in areas:
        mapped = map_area(area, plan)
        if not is_empty_area(mapped):
            a, _, b = mapped.partition(":")
            out.append(a if a == b else mapped)
    return " ".join(out)


def widen(ref: str, plan) -> str:
    """A range's end cell moved to the last column of the `across` block that starts in its column."""
    m = CELL.match(ref)
    across = getattr(plan, "across", None)
    if not m or not across:
        return ref
    width = across.get(column_index(m.group(2)), 1)
    if width <= 1:
        return ref
    return f"{m.group(1)}{column_letter(column_index(m.group(2)) + width - 1)}{m.group(3)}{m.group(4)}"


_SEPARATORS = frozenset("+-*/^&=<>%,;(){} \n\r\t")


def _closing(text: str, start: int) -> int:
    """Index of the quote closing the one at `start` (a doubled quote is part of the text), or the last index."""
    quote, j = text[start], start + 1
    while j < len(text):
        if text[j] == quote:
            if j + 1 < len(text) and text[j + 1] == quote:
                j += 2
                continue
            return j
        j += 1
    return len(text) - 1


@lru_cache(maxsize=2048)
def formula_pieces(formula: str) -> tuple[tuple[bool, str], ...]:
    """A formula (with its leading "=") cut into (is_range_operand, text) pieces whose texts join to it again.

    Range operands are what openpyxl's Tokenizer calls OPERAND/RANGE: runs between operators, spaces,
    parentheses, commas and braces, not followed by "(" (a function), with "string literals" as their own
    pieces and 'quoted sheet'! names kept inside the operand they begin. Numbers, TRUE and errors come out
    as range operands too; callers match them against REF, which they never satisfy.
    """
    pieces: list[tuple[bool, str]] = []
    text = formula[1:] if formula.startswith("=") else formula
    if formula.startswith("="):
        pieces.append((False, "="))
    i, n, token = 0, len(text), ""

    def flush(next_char: str) -> None:
        nonlocal token
        if token:
            pieces.append((next_char != "(" and not token.startswith("#"), token))
            token = ""

    while i < n:
        ch = text[i]
        if ch == '"':  # a string literal: "" inside is a quote
            flush(ch)
            j = _closing(text, i)
            pieces.append((False, text[i:j + 1]))
            i = j + 1
        elif ch == "'":  # a quoted sheet name ('' inside is a quote), part of the operand it starts
            j = _closing(text, i)
            token += text[i:j + 1]
            i = j + 1
        elif ch == "[":  # a structured or external reference: opaque up to its bracket
            j = text.find("]", i)
            j = n - 1 if j < 0 else j
            token += text[i:j + 1]
            i = j + 1
        elif ch in _SEPARATORS:
            if ch in "+-" and token and re.fullmatch(r"[1-9](\.[0-9]+)?[Ee]", token):
                token += ch  # scientific notation: 1E+3 is one number
                i += 1
                continue
            flush(ch)
            pieces.append((False, ch))
            i += 1
        else:
            token += ch
            i += 1
    flush("")
    return tuple(pieces)


def map_formula(formula: str, sheet: str, plans, here) -> str:
    """A template formula (with "=") with its cell references moved where the rendered rows put them."""
    if not _REFERENCE.search(formula):  # names, numbers and text only (e.g. the 大写 formulas): nothing moves
        return formula
    parts = []
    for is_range, value in formula_pieces(formula):
        if is_range:
            m = REF.match(value)
            if m:
                target = m.group("sheet")[:-1].strip("'") if m.group("sheet") else sheet
                plan = plans.get(target)
                if plan is not None:
                    inside = here if target == sheet else None
                    ref = m.group("a") + (":" + m.group("b") if m.group("b") else "")
                    mapped = map_range(ref, plan, inside)
                    a, _, b = mapped.partition(":")
                    if b and int(CELL.match(b).group(4)) < int(CELL.match(a).group(4)):
                        value = "0"  # a range over rows repeated zero times is empty
                    else:
                        value = (m.group("sheet") or "") + mapped
        parts.append(value)
    if parts and parts[0] != "=":
        parts.insert(0, "=")
    return "".join(parts)
