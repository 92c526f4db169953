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

from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scoring.excel.openpyxl_without_numpy  # noqa: F401  (first: openpyxl without numpy)
from openpyxl.utils.cell import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break

from scoring.errors import InputError, Problem
from scoring.excel.template_cache import load_template
from scoring.excel.template_logic import (Across, Evaluator, Formula, check_text, evaluate, is_template_text, make_plan,
                                          render_text, spilled_columns, strip_row_tag)
from scoring.excel.template_refs import (is_empty_area, map_area, map_areas, map_cell, map_formula, map_range, map_row,
                                         widen)
from scoring.excel.text import write_text

__all__ = ["Formula", "Rendered", "check_template", "render_template"]


def _rows(ws) -> list[tuple[int, dict[int, Any]]]:
    """{column: value} of every template row (the plan's view of a sheet)."""
    return [(row[0].row, {c.column: c.value for c in row if c.value is not None}) for row in ws.iter_rows() if row]


def check_template(wb, context: dict[str, Any], source: str = "") -> list[Problem]:
    """Every variable a template uses is in `context` (row-loop variables aside); problems name sheet!cell."""
    evaluator = Evaluator()
    problems = []
    for ws in wb.worksheets:
        loop_vars: dict[int, str] = {}
        for row in ws.iter_rows():
            for cell in row:
                texts = [t for t in (cell.value, cell.comment.text.strip() if cell.comment else None)
                         if is_template_text(t)]
                for text in texts:
                    problems += check_text(evaluator, ws.title, cell.row, cell.column, cell.coordinate, text,
                                           context, loop_vars, source)
    return problems


@dataclass
class Rendered:
    """A rendered workbook and the engine's values of its formula cells: {sheet title: {cell: value}}."""

    workbook: Any
    cached: dict[str, dict[str, Any]]


def render_template(path: str | Path, context: dict[str, Any]) -> Rendered:
    """Render an xlsx template with `context` through openpyxl. InputError on template problems.

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
    env = Evaluator()
    plans = {ws.title: make_plan(_rows(ws), ws.max_row, ws.title, env, context, source) for ws in wb.worksheets}
    names: dict[str, tuple[str, str]] = {}
    cached: dict[str, dict[str, Any]] = {}
    for index, ws in enumerate(list(wb.worksheets)):
        cached[ws.title] = {}
        _render_sheet(wb, ws, index, plans, env, context, names, source, cached[ws.title])
    _remap_defined_names(wb, plans)
    for name, (title, coordinate) in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(title)}!{absolute_coordinate(coordinate)}")
    return Rendered(wb, cached)


def _fit_rows(out, rows: list[int]) -> None:
    """Raise each of `rows` to the height its wrapped text needs (row_fit; xml_render._fit_rows alike)."""
    from scoring.excel.row_fit import fitted_height

    spans: dict[tuple[int, int], int | None] = {}  # (row, first column) -> last column; None: spans rows
    for merged in out.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = merged.max_col if merged.min_row == merged.max_row else None

    def width(column: int) -> float:
        dim = out.column_dimensions.get(get_column_letter(column))
        return dim.width if dim is not None and dim.width else 8.43

    for row in rows:
        cells = []
        for cell in out[row]:
            if (not isinstance(cell.value, str) or cell.data_type == "f" or not cell.alignment.wrap_text
                    or spans.get((row, cell.column), 0) is None):
                continue
            last = spans.get((row, cell.column)) or cell.column
            cells.append((cell.value, sum(width(c) for c in range(cell.column, last + 1)), float(cell.font.sz or 11)))
        height = fitted_height(out.row_dimensions[row].height, cells)
        if height is not None:
            out.row_dimensions[row].height = height


def _render_sheet(wb, ws, index, plans, env, context, names, source, cached) -> None:
    plan = plans[ws.title]
    out = wb.create_sheet(f"{ws.title}\u200b", index)  # renamed below, once the template sheet is gone
    for dim in list(ws.column_dimensions.values()):  # a <col min max> range (LibreOffice and Excel save equal
        for c in range(dim.min or 1, (dim.max or dim.min or 1) + 1):  # neighbours as one): every column of it
            out.column_dimensions[get_column_letter(c)].width = dim.width
            out.column_dimensions[get_column_letter(c)].hidden = dim.hidden
    for column, width in plan.across.items():  # spilled columns as wide as the column they spill from
        dim = out.column_dimensions.get(get_column_letter(column))
        for k in range(1, width if dim is not None else 0):
            out.column_dimensions[get_column_letter(column + k)].width = dim.width
    current: dict[str, str] = {}

    def named(value, name):
        names[str(name)] = (ws.title, current["coordinate"])
        return value

    env.filters["named"] = named
    fit: list[int] = []  # rows of repeated or spilled cells: their height follows their text (row_fit)
    for r, p in plan.items():
        spilled = spilled_columns(plan, {c: ws.cell(r, c).value for c in plan.across})
        for k in range(p.count):
            target_row = p.start + k
            if p.var is not None or spilled:
                fit.append(target_row)
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
                end = widen(f"{get_column_letter(merged.max_col)}{row}", plan)
                _merge(out, CellRange(f"{get_column_letter(merged.min_col)}{row}:{end}"))
        elif not is_empty_area(map_area(merged.coord, plan)):  # rows repeated zero times: no merge left
            _merge(out, CellRange(map_area(merged.coord, plan)))
    _fit_rows(out, fit)
    for cf in ws.conditional_formatting:
        ranges = map_areas((str(r) for r in cf.sqref.ranges), plan)
        for rule in cf.rules if ranges else ():
            rule = copy(rule)
            rule.formula = [map_formula("=" + f, ws.title, plans, None)[1:] for f in (rule.formula or [])]
            out.conditional_formatting.add(ranges, rule)
    for dv in ws.data_validations.dataValidation:
        new = copy(dv)
        new.sqref = map_areas((str(r) for r in dv.sqref.ranges), plan)
        if new.sqref:
            out.add_data_validation(new)
    out.sheet_format = copy(ws.sheet_format)
    out.sheet_properties = copy(ws.sheet_properties)
    out.page_setup = copy(ws.page_setup)
    out.page_margins = copy(ws.page_margins)
    out.print_options = copy(ws.print_options)
    out.oddHeader, out.oddFooter = copy(ws.oddHeader), copy(ws.oddFooter)
    for brk in ws.row_breaks.brk:  # a break below a repeated row goes below its last copy
        out.row_breaks.append(Break(id=map_row(plan, brk.id, True, None)))
    if ws.print_title_rows:
        first, last = (int(x.replace("$", "")) for x in ws.print_title_rows.split(":"))
        out.print_title_rows = f"{map_row(plan, first, False, None)}:{map_row(plan, last, True, None)}"
    if ws.print_area:
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        out.print_area = map_area(area.split("!")[-1].replace("$", ""), plan)
    if ws.freeze_panes:
        out.freeze_panes = map_cell(ws.freeze_panes, plan, False, None)
    out.sheet_view.showGridLines = ws.sheet_view.showGridLines
    out.protection = copy(ws.protection)
    title = ws.title
    wb.remove(ws)
    out.title = title


def _merge(ws, cells: CellRange) -> None:
    """Record a merged range; its cells were already styled from the template (openpyxl's merge_cells
    would rebuild every cell of the range and its borders, which costs more than all the rest)."""
    ws.merged_cells.add(MergedCellRange(ws, cells.coord))


def _put(target, cell, context, env, sheet, plans, here, source, cached) -> None:
    value = cell.value
    if not isinstance(value, str):
        target.value = value
        return
    value = strip_row_tag(value, cell.column)
    if value.startswith("="):  # a formula of the template: rows moved, its references follow
        if is_template_text(value):
            value = render_text(value, context, env)
        target.value = map_formula(value, sheet, plans, here)
        note = cell.comment.text.strip() if cell.comment else ""
        if is_template_text(note):
            cached[target.coordinate] = evaluate(note, context, env, sheet, cell.coordinate, source)
        elif cell.comment:
            target.comment = copy(cell.comment)
        return
    if not is_template_text(value):
        target.value = value
        if cell.data_type == "s":
            target.data_type = "s"
        return
    result = evaluate(value, context, env, sheet, cell.coordinate, source)
    if isinstance(result, Across):
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
            parts.append(f"{quote_sheetname(title)}!{map_area(ref, plan) if ':' in ref else map_range(ref, plan)}")
        else:
            if parts:
                defined.attr_text = ",".join(parts)
