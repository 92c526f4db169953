"""Rendering the summary template at the XML level: the template language of scoring/excel/template.py (its
docstring is the specification) applied to the render plan of scoring/excel/xml_package.py, with formulas'
cached values written in place (<f> and <v> together) and the template's own XML kept for everything
rendering does not change. Nothing here imports openpyxl; jinja2 only for an expression that is not a
simple path (scoring/excel/template_logic.py).

`render_xml` raises xml_package.Unsupported for what it leaves to openpyxl's path; scoring/excel/summary.py
then renders through openpyxl. tests/test_xml_render.py compares both paths cell by cell.
"""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime, time, timezone
from decimal import Decimal
from io import BytesIO
from typing import Any

from scoring.errors import InputError, Problem
from scoring.excel.cached import value_xml
from scoring.excel.cellref import column_letter
from scoring.excel.serials import WINDOWS_EPOCH
from scoring.excel.template_logic import (Across, Evaluator, Formula, Plan, check_text, evaluate, is_template_text,
                                          is_undefined, make_plan, render_text, resolve, spilled_columns,
                                          strip_row_tag, whole_path)
from scoring.excel.template_refs import is_empty_area, map_area, map_areas, map_formula, map_row, widen
from scoring.excel.text import clean_text
from scoring.excel.xml_charts import SHEET
from scoring.excel.xml_package import R_NS, SheetPlan, TemplatePackage, Unsupported, _attr
from scoring.excel.xml_styles import Styles
from scoring.excel.xml_workbook import content_types, custom_xml, defined_names, rels, workbook_xml

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_KINDS = ("text", "shared")
_CT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value) -> str:
    """A number's <v> text as openpyxl writes it (compat.safe_string)."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    if isinstance(value, Decimal) and not value.is_finite():
        return ""
    return "%.16g" % value


def _serial(value) -> float:
    """An Excel serial of a date or datetime (openpyxl's to_excel, 1900 epoch)."""
    moment = value if isinstance(value, datetime) else datetime.combine(value, time())
    days = (moment - WINDOWS_EPOCH).days
    if 0 < days <= 60:
        days -= 1
    return days + (moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 10 ** 6) / 86400


class _Sheet:
    """The writer of one output sheet's cells: {row: [(column, xml)]}."""

    def __init__(self, styles: Styles):
        self.styles = styles
        self.rows: dict[int, list[tuple[int, str]]] = {}
        self.texts: dict[int, list[tuple[int, str, str | None]]] = {}  # text rendered into rows that fit (row_fit)
        self.fit: set[int] = set()  # rows of repeated or spilled cells: their height follows their text

    def put(self, row: int, column: int, style: str | None, result: Any) -> None:
        """A rendered value into its cell: a Formula with its cached value, text always as text (template.py _put_value)."""
        self.rows.setdefault(row, []).append((column, value_cell(self.styles, f"{column_letter(column)}{row}", style, result)))
        self.text(row, column, style, result)

    def text(self, row: int, column: int, style: str | None, result: Any) -> None:
        """Note text rendered into a row whose height follows its text."""
        if row in self.fit and isinstance(result, str) and result:
            self.texts.setdefault(row, []).append((column, result, style))


def _c(ref: str, style: str | None, kind: str | None = None, body: str = "") -> str:
    head = f'<c r="{ref}"' + (f' s="{style}"' if style is not None else "") + (f' t="{kind}"' if kind else "")
    return head + (f">{body}</c>" if body else "/>")


def _inline(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{_esc(text)}</t></is>"


def value_cell(styles: Styles, ref: str, style: str | None, result: Any) -> str:
    """One cell's XML for a rendered value, with openpyxl's typing: numbers as numbers, dates as serials in a
    date format, text as inline text (quote-prefixed when it could be read as a formula), Formula with <v>."""
    if isinstance(result, Formula):
        kind, v = value_xml(result.value)
        return _c(ref, style, kind, f"<f>{_esc(result.text)}</f><v>{_esc(v)}</v>")
    if isinstance(result, str):
        text = clean_text(result)
        if not text:  # as openpyxl writes an empty string
            return _c(ref, style, "inlineStr")
        if text.startswith(_DANGEROUS_START):
            style = styles.quoted(style)
        return _c(ref, style, "inlineStr", _inline(text))
    if result is None:
        return _c(ref, style)
    if isinstance(result, bool):
        return _c(ref, style, "b", f"<v>{int(result)}</v>")
    if isinstance(result, (int, float, Decimal)):
        return _c(ref, style, "n", f"<v>{_number(result)}</v>")
    if isinstance(result, (datetime, date)) and not isinstance(result, time):
        if isinstance(result, datetime) and result.tzinfo is not None:
            raise Unsupported("a datetime with a time zone")
        if not styles.is_date(style):
            style = styles.with_format(style, "yyyy-mm-dd h:mm:ss" if isinstance(result, datetime) else "yyyy-mm-dd")
        return _c(ref, style, "n", f"<v>{_number(_serial(result))}</v>")
    raise Unsupported(f"a value of type {type(result).__name__}")


def check(pkg: TemplatePackage, context: dict, source: str) -> list[Problem]:
    """Every variable the template uses is in `context`: template.py's check_template on the render plan."""
    evaluator = Evaluator()
    problems: list[Problem] = []
    for sheet in pkg.sheets:
        loop_vars: dict[int, str] = {}
        for row in sheet.rows:
            for cell in row.cells:
                ref = f"{column_letter(cell.column)}{row.number}"
                value = cell.text if cell.kind in _TEXT_KINDS + ("formula",) else None
                for text in (value, cell.comment or sheet.comments.get(ref)):
                    if is_template_text(text):
                        problems += check_text(evaluator, sheet.title, row.number, cell.column, ref, text, context,
                                               loop_vars, source)
    return problems


def plans_of(pkg: TemplatePackage, context: dict, evaluator: Evaluator, source: str) -> dict[str, Plan]:
    """Every sheet's row plan."""
    plans = {}
    for sheet in pkg.sheets:
        rows = [(row.number, {c.column: c.text for c in row.cells if c.kind in _TEXT_KINDS + ("formula",)})
                for row in sheet.rows]
        plans[sheet.title] = make_plan(rows, sheet.max_row, sheet.title, evaluator, context, source)
    return plans


def render_sheet(sheet: SheetPlan, plans: dict[str, Plan], evaluator: Evaluator, context: dict,
                 names: dict[str, tuple[str, str]], source: str, styles: Styles) -> bytes:
    """One worksheet's XML: rows rendered, areas moved, the template's other XML kept."""
    plan = plans[sheet.title]
    out = _Sheet(styles)
    heights: dict[int, str] = {}
    current: dict[str, str] = {}

    def named(value, name):
        names[str(name)] = (sheet.title, current["coordinate"])
        return value

    evaluator.filters["named"] = named
    for trow in sheet.rows:
        p = plan.get(trow.number)
        if p is None:  # a row below the last cell (a height, a style): kept where it would be
            heights[map_row(plan, trow.number, False, None)] = trow.attrs
            continue
        texts = {c.column: c.text for c in trow.cells if c.kind in _TEXT_KINDS}
        spilled = spilled_columns(plan, texts)
        # what does not change from one repeated row to the next, worked out once per template row
        prepared = [_Prepared(cell, trow.number) for cell in trow.cells
                    if cell.column not in spilled]  # spilled: filled by `across` to its left
        for k in range(p.count):
            row = p.start + k
            local = dict(context)
            if p.var is not None:
                local[p.var] = p.items[k]
            heights[row] = trow.attrs
            if p.var is not None or spilled:
                out.fit.add(row)
            cells = out.rows.setdefault(row, [])
            for prep in prepared:
                ref = f"{prep.letter}{row}"
                current["coordinate"] = ref
                _put(out, cells, sheet, prep, row, ref, local, evaluator, plans, k, source)
            if not cells:  # nothing written (an empty `across`): the row stays out of the dimension, as before
                del out.rows[row]
    return _sheet_xml(sheet, plan, plans, out, heights)


class _Prepared:
    """One template cell as every repeated row renders it: its text without a row tag, where it is in the
    template, whether it holds template syntax, and the parsed path of a whole-cell simple placeholder."""

    __slots__ = ("cell", "letter", "value", "template_row", "template_ref", "templated", "path")

    def __init__(self, cell, template_row: int):
        self.cell = cell
        self.letter = column_letter(cell.column)
        self.value = strip_row_tag(cell.text, cell.column) if cell.kind not in ("blank", "number", "bool", "error") else ""
        self.template_row = template_row
        self.template_ref = f"{self.letter}{template_row}"
        self.templated = is_template_text(self.value)
        self.path = whole_path(self.value) if self.templated and cell.kind != "formula" else None


def _put(out: _Sheet, cells: list[tuple[int, str]], sheet: SheetPlan, prep: _Prepared, row: int, ref: str, context,
         evaluator, plans, k: int, source) -> None:
    """One template cell rendered into its output row's `cells` (template.py _put); `k` counts the rows
    repeated from its template row."""
    cell, value = prep.cell, prep.value
    column, style = cell.column, cell.style
    if prep.path is not None:  # most cells: `{{ e.total }}`, resolved without evaluate()'s parsing
        try:
            result = resolve(prep.path, context)
            if is_undefined(result, evaluator):
                raise LookupError
        except Exception:  # evaluate words the problem, naming the template cell
            result = evaluate(value, context, evaluator, sheet.title, prep.template_ref, source)
        cells.append((column, value_cell(out.styles, ref, style, result)))
        out.text(row, column, style, result)
        return
    if cell.kind == "blank":
        cells.append((column, _c(ref, style)))
        return
    if cell.kind in ("number", "bool", "error"):
        kind = {"number": "n", "bool": "b", "error": "e"}[cell.kind]
        cells.append((column, _c(ref, style, kind, f"<v>{_esc(cell.value)}</v>")))
        return
    template_ref = prep.template_ref
    if cell.kind == "formula" or value.startswith("="):
        if cell.kind != "formula":
            raise Unsupported(f"{sheet.title}!{template_ref}: a row tag before a formula")
        if prep.templated:
            value = render_text(value, context, evaluator)
        formula = map_formula(value, sheet.title, plans, (prep.template_row, k))[1:]
        if is_template_text(cell.comment):
            cached = evaluate(cell.comment, context, evaluator, sheet.title, template_ref, source)
            kind, v = value_xml(cached)
            body = f"<f>{_esc(formula)}</f><v>{_esc(v)}</v>"
        else:
            kind, body = None, f"<f>{_esc(formula)}</f><v></v>"
        cells.append((column, _c(ref, style, kind, body)))
        return
    if not prep.templated:
        if cell.kind == "shared" and value == cell.text:
            cells.append((column, _c(ref, style, "s", f"<v>{cell.value}</v>")))
        elif value:
            cells.append((column, _c(ref, style, "inlineStr", _inline(value))))
        else:
            cells.append((column, _c(ref, style, "inlineStr")))
        return
    result = evaluate(value, context, evaluator, sheet.title, template_ref, source)
    if isinstance(result, Across):
        for n, element in enumerate(result):
            out.put(row, column + n, style, element)
        return
    cells.append((column, value_cell(out.styles, ref, style, result)))
    out.text(row, column, style, result)


_SQREF = re.compile(r'(\ssqref=")([^"]*)(")')
_FORMULA = re.compile(r"(<formula>)(.*?)(</formula>)", re.S)
_BRK = re.compile(r'(<brk\b[^>]*?\sid=")(\d+)(")')
_COL = re.compile(r"<col\b([^>]*?)/?>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def _unesc(text: str) -> str:
    """XML text unescaped (the five predefined entities and character references)."""
    return re.sub(r"&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);", _entity, text)


def _entity(m) -> str:
    name = m.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}[name]


def _sheet_xml(sheet: SheetPlan, plan: Plan, plans, out: _Sheet, heights: dict[int, str]) -> bytes:
    title = sheet.title
    parts = [sheet.head.decode("utf-8")]
    merges = _merges(sheet, plan)
    widths: dict[int, float] = {}
    default_width = _default_width(sheet)
    for name, raw in sheet.children:
        xml = raw.decode("utf-8")
        if name == "dimension":
            xml = _dimension(out)
        elif name == "cols" and plan.across:
            xml = _cols(xml, plan)
        if name == "cols":
            widths = _widths(xml)
        if name == "sheetData":
            _fit_rows(out, heights, merges, widths, default_width)
            rows = sorted(set(out.rows) | set(heights))
            xml = "<sheetData>" + "".join(
                f'<row r="{r}"{heights.get(r, "")}>' + "".join(x for _, x in sorted(out.rows.get(r, []), key=lambda t: t[0]))
                + "</row>" for r in rows) + "</sheetData>"
        elif name == "mergeCells":
            xml = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                   + "</mergeCells>") if merges else ""
        elif name == "conditionalFormatting":
            sqref = _SQREF.search(xml)
            if sqref and not map_areas(sqref.group(2).split(), plan):
                xml = ""  # over rows repeated zero times only
            else:
                xml = _SQREF.sub(lambda m: m.group(1) + map_areas(m.group(2).split(), plan) + m.group(3), xml, count=1)
                xml = _FORMULA.sub(lambda m: m.group(1) + _esc(map_formula("=" + _unesc(m.group(2)), title, plans,
                                                                           None)[1:]) + m.group(3), xml)
        elif name == "dataValidations":
            xml = _validations(xml, plan)
        elif name == "rowBreaks":
            xml = _BRK.sub(lambda m: m.group(1) + str(map_row(plan, int(m.group(2)), True, None)) + m.group(3), xml)
        elif name == "legacyDrawing":
            xml = ""  # the comments that carried cached values are not written
        parts.append(xml)
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


_VALIDATION = re.compile(r"<dataValidation\b[^>]*?(?:/>|>.*?</dataValidation>)", re.S)


def _validations(xml: str, plan: Plan) -> str:
    """<dataValidations> with each validation's areas moved; one over rows repeated zero times only is left out."""
    kept = []
    for m in _VALIDATION.finditer(xml):
        sqref = _SQREF.search(m.group(0))
        areas = map_areas(sqref.group(2).split(), plan) if sqref else ""
        if areas:
            kept.append(_SQREF.sub(lambda s: s.group(1) + areas + s.group(3), m.group(0), count=1))
    if not kept:
        return ""
    head = re.match(r"<dataValidations\b[^>]*>", xml).group(0)
    head = re.sub(r'\scount="\d*"', "", head).replace("<dataValidations", f'<dataValidations count="{len(kept)}"', 1)
    return head + "".join(kept) + "</dataValidations>"


def _dimension(out: _Sheet) -> str:
    if not out.rows:
        return '<dimension ref="A1"/>'
    columns = [c for cells in out.rows.values() for c, _ in cells]
    return (f'<dimension ref="{column_letter(min(columns))}{min(out.rows)}:'
            f'{column_letter(max(columns))}{max(out.rows)}"/>')


def _columns(xml: str) -> dict[int, dict[str, str]]:
    """Each column's attributes in a <cols> element (a <col min max> range gives every column of it)."""
    columns: dict[int, dict[str, str]] = {}
    for m in _COL.finditer(xml):
        attrs = dict(_ATTR.findall(m.group(1)))
        for c in range(int(attrs["min"]), int(attrs["max"]) + 1):
            columns[c] = attrs
    return columns


def _cols(xml: str, plan: Plan) -> str:
    """<cols> with the spilled columns as wide as the column they spill from."""
    columns = _columns(xml)
    for column, width in plan.across.items():
        source = columns.get(column)
        for k in range(1, width if source is not None else 0):
            columns[column + k] = {**columns.get(column + k, {}), "width": source.get("width", ""), "customWidth": "1"}
    body = "".join("<col" + "".join(f' {k}="{v}"' for k, v in {**a, "min": str(c), "max": str(c)}.items()) + "/>"
                   for c, a in sorted(columns.items()))
    return f"<cols>{body}</cols>"


_HT = re.compile(r'\s(?:ht|customHeight)="[^"]*"')


def _default_width(sheet: SheetPlan) -> float:
    """The sheet's default column width (sheetFormatPr), Excel's own when it has none."""
    for name, raw in sheet.children:
        if name == "sheetFormatPr":
            found = re.search(rb'defaultColWidth="([\d.]+)"', raw)
            if found:
                return float(found.group(1))
    return 8.43


def _widths(cols: str) -> dict[int, float]:
    """Each column's width from a <cols> element."""
    return {c: float(a["width"]) for c, a in _columns(cols).items() if a.get("width")}


def _fit_rows(out: _Sheet, heights: dict[int, str], merges: list[str], widths: dict[int, float],
              default_width: float) -> None:
    """Raise the height of each row of repeated or spilled cells to what its wrapped text needs (row_fit)."""
    from scoring.excel.cellref import range_boundaries
    from scoring.excel.row_fit import fitted_height

    spans: dict[tuple[int, int], int | None] = {}  # (row, first column) -> last column; None: spans rows
    for ref in merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row is not None and min_col is not None:
            spans[(min_row, min_col)] = max_col if min_row == max_row else None
    for row, texts in out.texts.items():
        cells = []
        for column, text, style in texts:
            size = out.styles.wrapped_size(style)
            if size is None or (row, column) in spans and spans[(row, column)] is None:
                continue
            last = spans.get((row, column)) or column
            cells.append((text, sum(widths.get(c, default_width) for c in range(column, last + 1)), size))
        attrs = heights.get(row, "")
        current = re.search(r'\sht="([\d.]+)"', attrs)
        height = fitted_height(float(current.group(1)) if current else None, cells)
        if height is not None:
            heights[row] = _HT.sub("", attrs) + f' ht="{height:g}" customHeight="1"'


def _merges(sheet: SheetPlan, plan: Plan) -> list[str]:
    from scoring.excel.cellref import range_boundaries

    merges = []
    for ref in sheet.merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        p = plan.get(min_row)
        if p and p.var is not None and min_row == max_row:
            for k in range(p.count):  # a merge within a repeated row is repeated with it
                row = p.start + k
                merges.append(f"{column_letter(min_col)}{row}:{widen(f'{column_letter(max_col)}{row}', plan)}")
        elif not is_empty_area(map_area(ref, plan)):  # rows repeated zero times: no merge left
            merges.append(map_area(ref, plan))
    return merges


def render_xml(pkg: TemplatePackage, context: dict, source: str, chart=None, properties=()) -> bytes:
    """The rendered package as xlsx bytes; `chart(context, put, styles)` adds the 图表 sheet (xml_charts),
    `properties` ((name, text), ...) become custom document properties. InputError for template problems;
    Unsupported for what openpyxl's path must do."""
    problems = check(pkg, context, source)
    if problems:
        raise InputError(problems)
    evaluator = Evaluator()
    plans = plans_of(pkg, context, evaluator, source)
    styles = Styles(pkg.parts.get("xl/styles.xml", b""))
    names: dict[str, tuple[str, str]] = {}
    parts = dict(pkg.parts)
    dropped = {"xl/calcChain.xml"}
    for sheet in pkg.sheets:
        parts[sheet.part] = render_sheet(sheet, plans, evaluator, context, names, source, styles)
        dropped.update(sheet.dropped)
        rels = sheet.part.rsplit("/", 1)
        rels_part = f"{rels[0]}/_rels/{rels[1]}.rels"
        if sheet.rels is None:
            dropped.add(rels_part)
        else:
            parts[rels_part] = sheet.rels
    added: list[tuple[str, str]] = []  # (part, content type)
    sheets_xml = ""
    rels_xml = ""
    if chart is not None:
        sheets_xml, rels_xml = _add_chart_sheet(pkg, parts, added, chart, context, styles)
    if properties and "docProps/custom.xml" in parts:  # the template's own properties first (LibreOffice writes the part)
        parts["docProps/custom.xml"] = custom_xml(properties, parts["docProps/custom.xml"])
    elif properties:
        parts["docProps/custom.xml"] = custom_xml(properties)
        added.append(("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml"))
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(
            b"</Relationships>", f'<Relationship Type="{_CT}/custom-properties" Target="docProps/custom.xml" '
            'Id="rIdScCustom"/></Relationships>'.encode())
    parts["xl/styles.xml"] = styles.xml()
    parts["xl/workbook.xml"] = workbook_xml(pkg, defined_names(pkg, plans, names), sheets_xml)
    book_rels = re.sub(rb'<Relationship\b[^>]*Target="[^"]*calcChain\.xml"[^>]*/>', b"",  # rows moved: Excel rebuilds it
                       parts["xl/_rels/workbook.xml.rels"])
    parts["xl/_rels/workbook.xml.rels"] = book_rels.replace(b"</Relationships>", rels_xml.encode() + b"</Relationships>")
    parts["[Content_Types].xml"] = content_types(parts["[Content_Types].xml"], dropped, added)
    if "docProps/core.xml" in parts:
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts["docProps/core.xml"] = re.sub(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)",
                                            lambda m: m.group(1) + now.encode() + m.group(2), parts["docProps/core.xml"])
    buffer = BytesIO()
    # not compressed: outputs.stamp writes the package again and compresses it then, once
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in pkg.order + [p for p in parts if p not in pkg.order]:
            if name in parts and name not in dropped:
                archive.writestr(name, parts[name])
    return buffer.getvalue()


def _add_chart_sheet(pkg, parts, added, chart, context, styles) -> tuple[str, str]:
    def put(cells: list, row: int, column: int, style, value) -> None:
        cells.append((column, value_cell(styles, f"{column_letter(column)}{row}", style, value)))

    made = chart(context, put, styles)
    k = 1
    while f"xl/worksheets/sheet{k}.xml" in parts:
        k += 1
    sheet_part = f"xl/worksheets/sheet{k}.xml"
    d = 1
    while f"xl/drawings/drawing{d}.xml" in parts:
        d += 1
    drawing_part = f"xl/drawings/drawing{d}.xml"
    parts[sheet_part] = made.sheet.encode()
    parts[f"xl/worksheets/_rels/sheet{k}.xml.rels"] = rels([(f"{_CT}/drawing", "/" + drawing_part)])
    parts[drawing_part] = made.drawing.encode()
    added += [(sheet_part, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
              (drawing_part, "application/vnd.openxmlformats-officedocument.drawing+xml")]
    charts = []
    c = 1
    for xml in made.charts:
        while f"xl/charts/chart{c}.xml" in parts:
            c += 1
        parts[f"xl/charts/chart{c}.xml"] = xml.encode()
        added.append((f"xl/charts/chart{c}.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"))
        charts.append((f"{_CT}/chart", f"/xl/charts/chart{c}.xml"))
    parts[f"xl/drawings/_rels/drawing{d}.xml.rels"] = rels(charts)
    ids = [int(x) for x in re.findall(rb'sheetId="(\d+)"', pkg.parts["xl/workbook.xml"])]
    sheet = (f'<sheet name="{_attr(SHEET)}" sheetId="{max(ids, default=0) + 1}" state="visible" '
             f'xmlns:r="{R_NS}" r:id="rIdScChart"/>')
    return sheet, f'<Relationship Type="{_CT}/worksheet" Target="/{sheet_part}" Id="rIdScChart"/>'


