"""The template language's pure logic, shared by both renderers (scoring/excel/template.py through openpyxl,
scoring/excel/xml_render.py at the XML level): row plans, reference mapping, expression evaluation.

Imports neither openpyxl nor jinja2: simple paths (`a.b[0]`) and the `named`/`across` filters are resolved
directly; jinja2 (sandboxed) is imported on the first expression that needs it. Where rows and references
move is scoring/excel/template_refs.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable

from scoring.errors import InputError, Problem
from scoring.excel.cellref import column_letter

ROW_TAG = re.compile(r"^\s*\{%-?\s*row\s+for\s+([A-Za-z_]\w*)\s+in\s+(.+?)\s*-?%\}")
WHOLE = re.compile(r"^\s*\{\{(.+)\}\}\s*$", re.S)
ACROSS = re.compile(r"\|\s*across\b")


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


_PATH = re.compile(r"^\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*|\[\d+\])*)\s*$")
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_DICT_ATTRIBUTES = frozenset(dir(dict))  # a plain dict's attributes: `d.items` is the method, as in jinja2


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
    return resolve(path, context)


def whole_path(text: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The parsed path of a cell whose whole text is one simple placeholder (`{{ e.total }}`), else None:
    what evaluate() resolves by lookup(), parsed once per template cell so that each repeated row only
    resolves it (resolve)."""
    whole = WHOLE.match(text)
    if not whole or "{{" in whole.group(1) or "{%" in whole.group(1):
        return None
    return _path(whole.group(1))


def resolve(path: tuple[str, tuple[tuple[str, str], ...]], context):
    """A parsed simple path (_path, whole_path) resolved in `context` as lookup() does; KeyError when undefined."""
    name, steps = path
    if name not in context:
        raise KeyError(f"'{name}' is undefined")
    value = context[name]
    for attribute, index in steps:
        if index:
            value = value[int(index)]
        elif type(value) is dict and attribute not in _DICT_ATTRIBUTES:  # what getattr would fail on, without raising
            try:
                value = value[attribute]
            except KeyError:
                raise KeyError(f"'{attribute}' is undefined") from None
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
        if is_undefined(result, evaluator):
            result._fail_with_undefined_error()
    except Exception as exc:
        raise InputError(Problem(f"模板求值出错：{exc}", file=source, sheet=sheet, cell=coordinate)) from None
    return result


def is_undefined(result, evaluator: Evaluator) -> bool:
    """Whether a value is jinja2's Undefined (possible only once jinja2 has been used)."""
    if evaluator._env is None:
        return False
    from jinja2 import Undefined

    return isinstance(result, Undefined)


def strip_row_tag(value: str, column: int) -> str:
    """A first-column cell's content without its `{% row for %}` tag."""
    if column == 1:
        match = ROW_TAG.match(value)
        if match:
            return value[match.end():]
    return value
