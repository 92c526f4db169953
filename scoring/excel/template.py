"""A small jinja2 renderer for xlsx templates that people restyle in Excel (issue: summary workbook).

- A cell holding only ``{{ expression }}`` gets the expression's typed value (numbers stay numbers);
  other text with ``{{ }}`` is rendered as text. Rendered text is always written as text.
- ``{% row for x in xs %}`` at the start of a row's first cell repeats that row once per element of
  ``xs`` (none: the row is removed); the rest of that cell is its content.
- ``{{ value | named('total_score') }}`` gives the output cell a workbook-level defined name.
- Rows below a repeated row move down; formulas, merged cells, defined names, conditional formats,
  data validations, print titles, page breaks and row heights move with them. A range reaching a repeated row
  grows to cover all its copies; a range over rows repeated zero times becomes 0.
- ``{{ xs | across }}`` spills a list rightwards from its cell: one cell per element, each with the
  cell's style and width (the spilled block must end its row). Defined names, merged cells,
  conditional formats and validations that end at such a cell widen to the whole block; formulas
  address the block through a defined name (e.g. ``INDEX(expert_scores, 0, 3)``).
- A whole-cell expression whose value is a `Formula` (made by the program, never from text) becomes
  a formula cell with the Formula's value as its cached value. Text never becomes a formula.
- Variables are checked before rendering; an undefined one is an error naming the template's
  sheet!cell.
"""

from __future__ import annotations

import re
from copy import copy
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, Undefined, meta
from jinja2.sandbox import SandboxedEnvironment
import scoring.excel.openpyxl_without_numpy  # noqa: F401  (first: openpyxl without numpy)
from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import absolute_coordinate, column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break

from scoring.errors import InputError, Problem
from scoring.excel.template_cache import load_template
from scoring.excel.text import write_text

_ROW_TAG = re.compile(r"^\s*\{%-?\s*row\s+for\s+([A-Za-z_]\w*)\s+in\s+(.+?)\s*-?%\}")
_WHOLE = re.compile(r"^\s*\{\{(.+)\}\}\s*$", re.S)
_REF = re.compile(r"^(?P<sheet>(?:'[^']+'|[^'!]+)!)?(?P<a>\$?[A-Z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Z]{1,3}\$?\d+))?$")
_CELL = re.compile(r"^(\$?)([A-Z]{1,3})(\$?)(\d+)$")


@dataclass(frozen=True)
class Formula:
    """A formula the program composed (from names and numbers, never from people's text) and its value
    as the engine computes it; rendered as a formula cell whose cached value is `value`."""

    text: str  # without the leading "="
    value: Any


class _Across(list):
    """A list to spill rightwards from its cell (the `across` filter)."""


_ACROSS = re.compile(r"\|\s*across\b")


class _Environment(SandboxedEnvironment):
    """jinja2, sandboxed (a template is a file someone may hand us), with every expression and text
    compiled once per template, however many rows repeat it."""

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self.filters["named"] = lambda value, name: value  # replaced per sheet while rendering
        self.filters["across"] = _Across
        self._expressions: dict[str, Any] = {}
        self._texts: dict[str, Any] = {}

    def expression(self, source: str):
        if source not in self._expressions:
            self._expressions[source] = self.compile_expression(source, undefined_to_none=False)
        return self._expressions[source]

    def text(self, source: str):
        if source not in self._texts:
            self._texts[source] = self.from_string(source)
        return self._texts[source]


def _environment() -> _Environment:
    return _Environment()


class _Plan(dict):
    """Template row -> _RowPlan of one sheet, with `across`: template column -> width of the block spilled there."""

    across: dict[int, int]


@dataclass
class _RowPlan:
    """Where one template row goes: `count` output rows starting at `start`, bound to `items`."""

    start: int
    count: int
    var: str | None = None
    items: list | None = None


def _is_template_text(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def check_template(wb, context: dict[str, Any], source: str = "") -> list[Problem]:
    """Every variable a template uses is in `context` (row-loop variables aside); problems name sheet!cell."""
    env = _environment()
    problems = []
    for ws in wb.worksheets:
        loop_vars: dict[int, str] = {}
        for row in ws.iter_rows():
            for cell in row:
                texts = [t for t in (cell.value, cell.comment.text.strip() if cell.comment else None)
                         if _is_template_text(t)]
                for text in texts:
                    problems += _check_text(env, ws.title, cell, text, context, loop_vars, source)
    return problems


def _check_text(env, sheet, cell, text, context, loop_vars, source) -> list[Problem]:
    local = set()
    match = _ROW_TAG.match(text) if cell.column == 1 else None
    if match:
        local.add(match.group(1))
        loop_vars[cell.row] = match.group(1)
        text = "{{ " + match.group(2) + " }}" + text[match.end():]
    local |= {loop_vars.get(cell.row)} - {None}
    paths = [_PATH.match(p) for p in _PLACEHOLDER.findall(text)] if "{%" not in text else [None]
    if paths and all(paths):  # only simple paths: their first names are the variables
        names = {m.group(1) for m in paths}
    else:
        try:
            names = meta.find_undeclared_variables(env.parse(text))
        except TemplateError as exc:
            return [Problem(f"模板语法错误：{exc.message}", file=source, sheet=sheet, cell=cell.coordinate)]
    return [Problem(f"模板使用了未提供的变量“{name}”", file=source, sheet=sheet, cell=cell.coordinate)
            for name in sorted(names - local - set(context))]


@dataclass
class Rendered:
    """A rendered workbook and the engine's values of its formula cells: {sheet title: {cell: value}}."""

    workbook: Any
    cached: dict[str, dict[str, Any]]


def render_template(path: str | Path, context: dict[str, Any]) -> Rendered:
    """Render an xlsx template with `context`. InputError on template problems.

    A formula cell whose comment is ``{{ expression }}`` gets that value as its cached value (the
    comment itself is dropped), so readers that do not calculate still see the engine's numbers.
    """
    source = str(path)
    problems: list[Problem] = []
    wb = load_template(Path(path), problems)  # a template is a file someone may hand us: pre-flight too
    if wb is None:
        raise InputError(problems)
    problems = check_template(wb, context, source)
    if problems:
        raise InputError(problems)
    env = _environment()
    plans = {ws.title: _plan(ws, env, context, source) for ws in wb.worksheets}
    names: dict[str, tuple[str, str]] = {}
    cached: dict[str, dict[str, Any]] = {}
    for index, ws in enumerate(list(wb.worksheets)):
        cached[ws.title] = {}
        _render_sheet(wb, ws, index, plans, env, context, names, source, cached[ws.title])
    _remap_defined_names(wb, plans)
    for name, (title, coordinate) in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(title)}!{absolute_coordinate(coordinate)}")
    return Rendered(wb, cached)


def _plan(ws, env, context, source) -> _Plan:
    plan, out = _Plan(), 1
    plan.across = {}
    for r in range(1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        match = _ROW_TAG.match(first) if isinstance(first, str) else None
        if match:
            try:
                items = list(_value(match.group(2), context, env))
            except Exception as exc:
                raise InputError(Problem(f"无法展开行：{exc}", file=source, sheet=ws.title, cell=f"A{r}")) from None
            plan[r] = _RowPlan(out, len(items), match.group(1), items)
            out += len(items)
        else:
            plan[r] = _RowPlan(out, 1)
            out += 1
        _plan_across(ws, r, plan, env, context, source)
    return plan


def _plan_across(ws, r, plan, env, context, source) -> None:
    """The width of every `across` block of template row r (the same for every copy and every row of a column)."""
    p = plan[r]
    local = dict(context)
    if p.var is not None:
        if not p.items:
            return
        local[p.var] = p.items[0]
    for cell in ws[r]:
        if not (isinstance(cell.value, str) and _ACROSS.search(cell.value)):
            continue
        values = _evaluate(cell.value, local, env, ws.title, cell.coordinate, source)
        width = len(values) if isinstance(values, _Across) else 1
        if plan.across.setdefault(cell.column, width) != width:
            raise InputError(Problem(f"本列横向展开的个数不一致（{plan.across[cell.column]} 与 {width}）",
                                     file=source, sheet=ws.title, cell=cell.coordinate))


def _map_row(plan: dict[int, _RowPlan], row: int, end: bool, here: tuple[int, int] | None) -> int:
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


def _map_cell(ref: str, plan, end: bool, here) -> str:
    m = _CELL.match(ref)
    if not m:
        return ref
    return f"{m.group(1)}{m.group(2)}{m.group(3)}{_map_row(plan, int(m.group(4)), end, here)}"


def _map_range(ref: str, plan, here=None) -> str:
    """Map a reference: a single cell in the repeated row a formula sits in means that copy; a range
    reaching a repeated row covers all its copies."""
    if ":" in ref:
        a, b = ref.split(":")
        return f"{_map_cell(a, plan, False, None)}:{_map_cell(b, plan, True, None)}"
    return _map_cell(ref, plan, False, here)


def _map_area(ref: str, plan) -> str:
    """Map an area (conditional format, validation, print area, merged cells, defined name): repeated
    rows' copies are all inside, and an area ending at an `across` cell covers the spilled block."""
    a, _, b = ref.partition(":")
    return f"{_map_cell(a, plan, False, None)}:{_widen(_map_cell(b or a, plan, True, None), plan)}"


def _widen(ref: str, plan) -> str:
    """A range's end cell moved to the last column of the `across` block that starts in its column."""
    m = _CELL.match(ref)
    across = getattr(plan, "across", None)
    if not m or not across:
        return ref
    width = across.get(column_index_from_string(m.group(2)), 1)
    if width <= 1:
        return ref
    return f"{m.group(1)}{get_column_letter(column_index_from_string(m.group(2)) + width - 1)}{m.group(3)}{m.group(4)}"


_REFERENCE = re.compile(r"(?<![A-Za-z_\d.])\$?[A-Z]{1,3}\$?\d+(?![\w(])")


@lru_cache(maxsize=2048)
def _tokens(formula: str) -> tuple[tuple[str, str, str], ...]:
    """(type, subtype, text) of a formula's tokens; tokenized once per text (a repeated row repeats its formulas)."""
    return tuple((t.type, t.subtype, t.value) for t in Tokenizer(formula).items)


def _map_formula(formula: str, sheet: str, plans, here) -> str:
    if not _REFERENCE.search(formula):  # names, numbers and text only (e.g. the 大写 formulas): nothing moves
        return formula
    parts = ["="]
    for kind, subtype, value in _tokens(formula):
        if kind == Token.OPERAND and subtype == Token.RANGE:
            m = _REF.match(value)
            if m:
                target = m.group("sheet")[:-1].strip("'") if m.group("sheet") else sheet
                plan = plans.get(target)
                if plan is not None:
                    inside = here if target == sheet else None
                    ref = m.group("a") + (":" + m.group("b") if m.group("b") else "")
                    mapped = _map_range(ref, plan, inside)
                    a, _, b = mapped.partition(":")
                    if b and int(_CELL.match(b).group(4)) < int(_CELL.match(a).group(4)):
                        value = "0"  # a range over rows repeated zero times is empty
                    else:
                        value = (m.group("sheet") or "") + mapped
        parts.append(value)
    return "".join(parts)


def _render_sheet(wb, ws, index, plans, env, context, names, source, cached) -> None:
    plan = plans[ws.title]
    out = wb.create_sheet(f"{ws.title}\u200b", index)  # renamed below, once the template sheet is gone
    for letter, dim in ws.column_dimensions.items():
        out.column_dimensions[letter].width = dim.width
        out.column_dimensions[letter].hidden = dim.hidden
    for column, width in plan.across.items():  # spilled columns as wide as the column they spill from
        dim = ws.column_dimensions.get(get_column_letter(column))
        for k in range(1, width if dim is not None else 0):
            out.column_dimensions[get_column_letter(column + k)].width = dim.width
    current: dict[str, str] = {}

    def named(value, name):
        names[str(name)] = (ws.title, current["coordinate"])
        return value

    env.filters["named"] = named
    for r, p in plan.items():
        spilled = {c + j for c, w in plan.across.items() for j in range(1, w)
                   if isinstance(ws.cell(r, c).value, str) and _ACROSS.search(ws.cell(r, c).value)}
        for k in range(p.count):
            target_row = p.start + k
            local = dict(context)
            if p.var is not None:
                local[p.var] = p.items[k]
            if r in ws.row_dimensions and ws.row_dimensions[r].height is not None:
                out.row_dimensions[target_row].height = ws.row_dimensions[r].height
            for cell in ws[r]:
                if cell.column in spilled:  # filled by the `across` block to its left
                    continue
                target = out.cell(target_row, cell.column)
                if cell.has_style:
                    target._style = copy(cell._style)  # merged cells keep the borders the template gave them
                if type(cell).__name__ == "MergedCell":
                    continue
                current["coordinate"] = target.coordinate
                _put(target, cell, local, env, ws.title, plans, (r, k), source, cached)
    for merged in ws.merged_cells.ranges:
        p = plan.get(merged.min_row)
        if p and p.var is not None and merged.min_row == merged.max_row:
            for k in range(p.count):  # a merge within a repeated row is repeated with it
                row = p.start + k
                end = _widen(f"{get_column_letter(merged.max_col)}{row}", plan)
                _merge(out, CellRange(f"{get_column_letter(merged.min_col)}{row}:{end}"))
        else:
            _merge(out, CellRange(_map_area(merged.coord, plan)))
    for cf in ws.conditional_formatting:
        ranges = " ".join(_map_area(str(r), plan) for r in cf.sqref.ranges)
        for rule in cf.rules:
            rule = copy(rule)
            rule.formula = [_map_formula("=" + f, ws.title, plans, None)[1:] for f in (rule.formula or [])]
            out.conditional_formatting.add(ranges, rule)
    for dv in ws.data_validations.dataValidation:
        new = copy(dv)
        new.sqref = " ".join(_map_area(str(r), plan) for r in dv.sqref.ranges)
        out.add_data_validation(new)
    out.sheet_format = copy(ws.sheet_format)
    out.sheet_properties = copy(ws.sheet_properties)
    out.page_setup = copy(ws.page_setup)
    out.page_margins = copy(ws.page_margins)
    out.print_options = copy(ws.print_options)
    out.oddHeader, out.oddFooter = copy(ws.oddHeader), copy(ws.oddFooter)
    for brk in ws.row_breaks.brk:  # a break below a repeated row goes below its last copy
        out.row_breaks.append(Break(id=_map_row(plan, brk.id, True, None)))
    if ws.print_title_rows:
        first, last = (int(x.replace("$", "")) for x in ws.print_title_rows.split(":"))
        out.print_title_rows = f"{_map_row(plan, first, False, None)}:{_map_row(plan, last, True, None)}"
    if ws.print_area:
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        out.print_area = _map_area(area.split("!")[-1].replace("$", ""), plan)
    if ws.freeze_panes:
        out.freeze_panes = _map_cell(ws.freeze_panes, plan, False, None)
    out.sheet_view.showGridLines = ws.sheet_view.showGridLines
    out.protection = copy(ws.protection)
    title = ws.title
    wb.remove(ws)
    out.title = title


_PATH = re.compile(r"^\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*|\[\d+\])*)\s*$")
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)


class _NotSimple(Exception):
    pass


def _lookup(expression: str, context):
    """`name.attr[0].key` resolved as jinja2 does (attribute, then item), without compiling anything;
    _NotSimple for anything else. Most template cells are such paths, and compiling each costs more
    than rendering the whole workbook."""
    match = _PATH.match(expression)
    if not match or "._" in match.group(2) or match.group(1).startswith("_"):
        raise _NotSimple  # private attributes are the sandbox's to refuse
    name = match.group(1)
    if name not in context:
        raise KeyError(f"'{name}' is undefined")
    value = context[name]
    for attribute, index in _STEP.findall(match.group(2)):
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


def _render_text(text: str, context, env):
    """Text with placeholders: simple paths substituted directly, anything else through jinja2."""
    if "{%" not in text:
        try:
            return _PLACEHOLDER.sub(lambda m: str(_lookup(m.group(1), context)), text)
        except _NotSimple:
            pass
    return env.text(text).render(**context)


_FILTERED = re.compile(r"^\s*(?P<path>[A-Za-z_][\w.\[\]]*)\s*\|\s*(?:(?P<across>across)|named\(\s*'(?P<name>[^'{}]*)'"
                       r"\s*(?:~\s*(?P<suffix>[A-Za-z_][\w.\[\]]*)\s*)?\))\s*$")


def _value(expression: str, context, env):
    """A whole-cell expression's value: simple paths, and `path | across`, `path | named('x')` and
    `path | named('x_' ~ path)`, resolved directly; anything else compiled by jinja2 (once per text)."""
    try:
        return _lookup(expression, context)
    except _NotSimple:
        pass
    match = _FILTERED.match(expression)
    if match:
        try:
            value = _lookup(match.group("path"), context)
            if match.group("across"):
                return _Across(value)
            suffix = match.group("suffix")
            return env.filters["named"](value, match.group("name") + (str(_lookup(suffix, context)) if suffix else ""))
        except _NotSimple:
            pass
    return env.expression(expression)(**context)


def _evaluate(text: str, context, env, sheet, coordinate, source):
    try:
        whole = _WHOLE.match(text)
        if whole and "{{" not in whole.group(1) and "{%" not in whole.group(1):
            result = _value(whole.group(1), context, env)
        else:
            result = _render_text(text, context, env)
        if isinstance(result, Undefined):
            result._fail_with_undefined_error()
    except Exception as exc:
        raise InputError(Problem(f"模板求值出错：{exc}", file=source, sheet=sheet, cell=coordinate)) from None
    return result


def _merge(ws, cells: CellRange) -> None:
    """Record a merged range; its cells were already styled from the template (openpyxl's merge_cells
    would rebuild every cell of the range and its borders, which costs more than all the rest)."""
    ws.merged_cells.add(MergedCellRange(ws, cells.coord))


def _put(target, cell, context, env, sheet, plans, here, source, cached) -> None:
    value = cell.value
    if not isinstance(value, str):
        target.value = value
        return
    if cell.column == 1:
        match = _ROW_TAG.match(value)
        if match:
            value = value[match.end():]
    if value.startswith("="):  # a formula of the template: rows moved, its references follow
        if _is_template_text(value):
            value = _render_text(value, context, env)
        target.value = _map_formula(value, sheet, plans, here)
        note = cell.comment.text.strip() if cell.comment else ""
        if _is_template_text(note):
            cached[target.coordinate] = _evaluate(note, context, env, sheet, cell.coordinate, source)
        elif cell.comment:
            target.comment = copy(cell.comment)
        return
    if not _is_template_text(value):
        target.value = value
        if cell.data_type == "s":
            target.data_type = "s"
        return
    result = _evaluate(value, context, env, sheet, cell.coordinate, source)
    if isinstance(result, _Across):
        ws = target.parent
        for k, element in enumerate(result):
            spilled = ws.cell(target.row, target.column + k)
            if k:
                spilled._style = copy(target._style)
            _put_value(spilled, element, cached)
        return
    _put_value(target, result, cached)


def _put_value(target, result, cached) -> None:
    """A rendered value into its cell: a Formula as a formula with its cached value, text always as text."""
    if isinstance(result, Formula):
        target.value = "=" + result.text
        cached[target.coordinate] = result.value
    elif isinstance(result, str):
        write_text(target, result)
    else:
        target.value = result


def _remap_defined_names(wb, plans) -> None:
    for name, defined in list(wb.defined_names.items()):
        try:
            destinations = list(defined.destinations)
        except Exception:
            continue
        parts = []
        for title, ref in destinations:
            plan = plans.get(title)
            if plan is None:
                break
            parts.append(f"{quote_sheetname(title)}!{_map_area(ref, plan) if ':' in ref else _map_range(ref, plan)}")
        else:
            if parts:
                defined.attr_text = ",".join(parts)
