"""The template language's pure logic, shared by both renderers (scoring/excel/template.py through openpyxl,
scoring/excel/xml_render.py at the XML level): row plans, reference mapping, expression evaluation.

Imports neither openpyxl nor jinja2: simple paths (`a.b[0]`) and the `named`/`across` filters are resolved
directly; jinja2 (sandboxed) is imported on the first expression that needs it. Formula references are
found by a small scanner (`formula_pieces`) that gives the same operands as openpyxl's Tokenizer (compared
on the template's formulas and on random ones in tests/test_template_logic.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

from scoring.errors import InputError, Problem
from scoring.excel.cellref import column_index, column_letter

ROW_TAG = re.compile(r"^\s*\{%-?\s*row\s+for\s+([A-Za-z_]\w*)\s+in\s+(.+?)\s*-?%\}")
WHOLE = re.compile(r"^\s*\{\{(.+)\}\}\s*$", re.S)
REF = re.compile(r"^(?P<sheet>(?:'[^']+'|[^'!]+)!)?(?P<a>\$?[A-Z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Z]{1,3}\$?\d+))?$")
CELL = re.compile(r"^(\$?)([A-Z]{1,3})(\$?)(\d+)$")
ACROSS = re.compile(r"\|\s*across\b")
_REFERENCE = re.compile(r"(?<![A-Za-z_\d.])\$?[A-Z]{1,3}\$?\d+(?![\w(])")


@dataclass(frozen=True)
class Formula:
    """A formula the program composed (from names and numbers, never from people's text) and its value
    as the engine computes it; rendered as a formula cell whose cached value is `value`."""

    text: str  # without the leading "="
    value: Any


class Across(list):
    """A list to spill rightwards from its cell (the `across` filter)."""


class Plan(dict):
    """Template row -> RowPlan of one sheet, with `across`: template column -> width of the block spilled there."""

    across: dict[int, int]


@dataclass
class RowPlan:
    """Where one template row goes: `count` output rows starting at `start`, bound to `items`."""

    start: int
    count: int
    var: str | None = None
    items: list | None = None


def is_template_text(value: Any) -> bool:
    """Whether a cell or comment text holds template syntax ({{ }} or {% %})."""
    return isinstance(value, str) and ("{{" in value or "{%" in value)


class Evaluator:
    """The `named` and `across` filters, and jinja2 (sandboxed: a template is a file someone may hand us)
    created on first need, with every expression and text compiled once per template."""

    def __init__(self):
        self.filters: dict[str, Callable] = {"named": lambda value, name: value, "across": Across}
        self._env: Any = None
        self._expressions: dict[str, Any] = {}
        self._texts: dict[str, Any] = {}

    @property
    def env(self):
        if self._env is None:
            from jinja2 import StrictUndefined
            from jinja2.sandbox import SandboxedEnvironment

            env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
            env.filters["named"] = lambda value, name: self.filters["named"](value, name)
            env.filters["across"] = Across
            self._env = env
        return self._env

    def expression(self, source: str):
        if source not in self._expressions:
            self._expressions[source] = self.env.compile_expression(source, undefined_to_none=False)
        return self._expressions[source]

    def text(self, source: str):
        if source not in self._texts:
            self._texts[source] = self.env.from_string(source)
        return self._texts[source]

    def undeclared(self, text: str) -> set[str]:
        """The variables a template text uses (jinja2's own analysis); jinja2.TemplateError if it does not parse."""
        from jinja2 import meta

        return meta.find_undeclared_variables(self.env.parse(text))


def check_text(evaluator: Evaluator, sheet: str, row: int, column: int, coordinate: str, text: str, context,
               loop_vars: dict[int, str], source: str) -> list[Problem]:
    """Problems of one template text: variables missing from `context` (row-loop variables aside), syntax errors."""
    local = set()
    match = ROW_TAG.match(text) if column == 1 else None
    if match:
        local.add(match.group(1))
        loop_vars[row] = match.group(1)
        text = "{{ " + match.group(2) + " }}" + text[match.end():]
    local |= {loop_vars.get(row)} - {None}
    names = _simple_names(text)
    if names is None:
        from jinja2 import TemplateError

        try:
            names = evaluator.undeclared(text)
        except TemplateError as exc:
            return [Problem(f"模板语法错误：{exc.message}", file=source, sheet=sheet, cell=coordinate)]
    return [Problem(f"模板使用了未提供的变量“{name}”", file=source, sheet=sheet, cell=coordinate)
            for name in sorted(names - local - set(context))]


def _simple_names(text: str) -> set[str] | None:
    """The variables of a text whose placeholders are all simple paths or `path | named('x' ~ path)` /
    `path | across` (their first names); None for anything else (jinja2 analyses those)."""
    if "{%" in text:
        return None
    names: set[str] = set()
    placeholders = _PLACEHOLDER.findall(text)
    for placeholder in placeholders:
        path = _PATH.match(placeholder)
        if path:
            names.add(path.group(1))
            continue
        filtered = _FILTERED.match(placeholder)
        if not filtered or not _PATH.match(filtered.group("path")):
            return None
        names.add(_PATH.match(filtered.group("path")).group(1))
        if filtered.group("suffix"):
            suffix = _PATH.match(filtered.group("suffix"))
            if not suffix:
                return None
            names.add(suffix.group(1))
    return names if placeholders else None


def make_plan(rows: Iterable[tuple[int, dict[int, Any]]], max_row: int, title: str, evaluator: Evaluator, context,
              source: str) -> Plan:
    """The row plan of a sheet from its rows ({row: {column: value}}, rows 1..max_row, missing ones empty)."""
    values = dict(rows)
    plan, out = Plan(), 1
    plan.across = {}
    for r in range(1, max_row + 1):
        cells = values.get(r, {})
        first = cells.get(1)
        match = ROW_TAG.match(first) if isinstance(first, str) else None
        if match:
            try:
                items = list(value_of(match.group(2), context, evaluator))
            except Exception as exc:
                raise InputError(Problem(f"无法展开行：{exc}", file=source, sheet=title, cell=f"A{r}")) from None
            plan[r] = RowPlan(out, len(items), match.group(1), items)
            out += len(items)
        else:
            plan[r] = RowPlan(out, 1)
            out += 1
        _plan_across(cells, r, plan, evaluator, context, title, source)
    return plan


def _plan_across(cells: dict[int, Any], r: int, plan: Plan, evaluator, context, title, source) -> None:
    """The width of every `across` block of template row r (the same for every copy and every row of a column)."""
    p = plan[r]
    local = dict(context)
    if p.var is not None:
        if not p.items:
            return
        local[p.var] = p.items[0]
    for column, value in sorted(cells.items()):
        if not (isinstance(value, str) and ACROSS.search(value)):
            continue
        coordinate = f"{column_letter(column)}{r}"
        values = evaluate(value, local, evaluator, title, coordinate, source)
        width = len(values) if isinstance(values, Across) else 1
        if plan.across.setdefault(column, width) != width:
            raise InputError(Problem(f"本列横向展开的个数不一致（{plan.across[column]} 与 {width}）",
                                     file=source, sheet=title, cell=coordinate))


def spilled_columns(plan: Plan, cells: dict[int, Any]) -> set[int]:
    """Columns of a template row filled by an `across` block to their left (their own cells are skipped)."""
    return {c + j for c, w in plan.across.items() for j in range(1, w)
            if isinstance(cells.get(c), str) and ACROSS.search(cells[c])}


def map_row(plan: dict[int, RowPlan], row: int, end: bool, here: tuple[int, int] | None) -> int:
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
            j = i + 1
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            pieces.append((False, text[i:j + 1]))
            i = j + 1
        elif ch == "'":  # a quoted sheet name, part of the operand it starts
            j = i + 1
            while j < n:
                if text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
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


_PATH = re.compile(r"^\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*|\[\d+\])*)\s*$")
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)


class _NotSimple(Exception):
    pass


@lru_cache(maxsize=4096)
def _path(expression: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """(first name, steps) of a simple path, parsed once per text; None for anything else."""
    match = _PATH.match(expression)
    if not match or "._" in match.group(2) or match.group(1).startswith("_"):
        return None  # private attributes are the sandbox's to refuse
    return match.group(1), tuple(_STEP.findall(match.group(2)))


def lookup(expression: str, context):
    """`name.attr[0].key` resolved as jinja2 does (attribute, then item), without compiling anything;
    _NotSimple for anything else. Most template cells are such paths, and compiling each costs more
    than rendering the whole workbook."""
    path = _path(expression)
    if path is None:
        raise _NotSimple
    name, steps = path
    if name not in context:
        raise KeyError(f"'{name}' is undefined")
    value = context[name]
    for attribute, index in steps:
        if index:
            value = value[int(index)]
        else:
            try:
                value = getattr(value, attribute)
            except AttributeError:
                try:
                    value = value[attribute]
                except (KeyError, TypeError):
                    raise KeyError(f"'{attribute}' is undefined") from None
    return value


def render_text(text: str, context, evaluator: Evaluator) -> str:
    """Text with placeholders: simple paths substituted directly, anything else through jinja2."""
    if "{%" not in text:
        try:
            return _PLACEHOLDER.sub(lambda m: str(lookup(m.group(1), context)), text)
        except _NotSimple:
            pass
    return evaluator.text(text).render(**context)


_FILTERED = re.compile(r"^\s*(?P<path>[A-Za-z_][\w.\[\]]*)\s*\|\s*(?:(?P<across>across)|named\(\s*'(?P<name>[^'{}]*)'"
                       r"\s*(?:~\s*(?P<suffix>[A-Za-z_][\w.\[\]]*)\s*)?\))\s*$")


def value_of(expression: str, context, evaluator: Evaluator):
    """A whole-cell expression's value: simple paths, and `path | across`, `path | named('x')` and
    `path | named('x_' ~ path)`, resolved directly; anything else compiled by jinja2 (once per text)."""
    try:
        return lookup(expression, context)
    except _NotSimple:
        pass
    match = _FILTERED.match(expression)
    if match:
        try:
            value = lookup(match.group("path"), context)
            if match.group("across"):
                return Across(value)
            suffix = match.group("suffix")
            return evaluator.filters["named"](value, match.group("name") + (str(lookup(suffix, context)) if suffix else ""))
        except _NotSimple:
            pass
    return evaluator.expression(expression)(**context)


def evaluate(text: str, context, evaluator: Evaluator, sheet: str, coordinate: str, source: str):
    """A template cell's value: typed for a whole-cell expression, else text. InputError naming sheet!cell."""
    try:
        whole = WHOLE.match(text)
        if whole and "{{" not in whole.group(1) and "{%" not in whole.group(1):
            result = value_of(whole.group(1), context, evaluator)
        else:
            result = render_text(text, context, evaluator)
        if evaluator._env is not None:
            from jinja2 import Undefined

            if isinstance(result, Undefined):
                result._fail_with_undefined_error()
    except Exception as exc:
        raise InputError(Problem(f"模板求值出错：{exc}", file=source, sheet=sheet, cell=coordinate)) from None
    return result


def strip_row_tag(value: str, column: int) -> str:
    """A first-column cell's content without its `{% row for %}` tag."""
    if column == 1:
        match = ROW_TAG.match(value)
        if match:
            return value[match.end():]
    return value
