"""The summary template parsed once per process into a render plan, at the XML level (no openpyxl, no jinja2).

The plan keeps each worksheet's XML as it was written (by openpyxl, Excel or LibreOffice) and cuts out what
rendering changes: the cells of <sheetData>, merged cells, conditional formats, data validations, row breaks,
the comments that carry cached-value expressions, and the workbook's defined names. Everything else (styles,
theme, column widths, page setup, header and footer, sheet views) is written back byte for byte.

`Unsupported` is raised for anything the XML renderer does not handle; the caller then renders through
openpyxl (scoring/excel/template.py), whose behaviour is the reference. What it does not handle: a package
whose parts use a namespace prefix for the spreadsheet elements; shared, array or data-table formulas;
date cells (t="d"); text cells starting with "=" (openpyxl's path would read them as formulas); frozen or
split panes; drawings, images, tables, hyperlinks, controls, header/footer pictures, threaded comments (any
sheet relationship other than comments, their VML and printer settings); conditional formats
or validations kept in an extension list; sheet-scoped defined names other than print titles (rows only)
and print areas; comments other than a `{{ expression }}` on a formula cell
(openpyxl's path keeps those only on formula cells); cells without a reference.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any
from xml.parsers import expat

from scoring.excel.cellref import column_index, coordinate_to_tuple, range_boundaries
from scoring.excel.lean import _text, _xml

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN = "{" + MAIN_NS + "}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
COMMENTS = R_NS + "/comments"
VML = R_NS + "/vmlDrawing"
PRINTER = R_NS + "/printerSettings"

# worksheet children the renderer rewrites or keeps; any other child means Unsupported
_KEPT = {"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
         "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "printOptions", "pageMargins",
         "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "legacyDrawing", "extLst", "ignoredErrors"}


class Unsupported(Exception):
    """The template holds something the XML renderer leaves to openpyxl (the message says what)."""


@dataclass
class TemplateCell:
    """One template cell: its column, style index (None: none), and what it holds.

    kind: "blank", "number" (raw <v>), "bool", "error", "shared" (index into the shared strings, text kept),
    "text" (inline text), "formula" (text with "=", `comment` its cached-value expression or "")."""

    column: int
    style: str | None
    kind: str
    value: Any = None
    text: str | None = None
    comment: str = ""


@dataclass
class TemplateRow:
    """A template row: its number, attributes other than r and spans (as XML text), its cells."""

    number: int
    attrs: str
    cells: list[TemplateCell]


@dataclass
class SheetPlan:
    """One worksheet of the template: its children as (local name, raw XML), the parsed rows, merged cells,
    the texts of its comments by cell, and its part name."""

    title: str
    part: str
    head: bytes  # the XML declaration and the <worksheet ...> start tag
    children: list[tuple[str, bytes]]
    rows: list[TemplateRow]
    merges: list[str]
    comments: dict[str, str]
    max_row: int
    rels: bytes | None  # the sheet's relationships without the comments and their drawing
    dropped: list[str] = field(default_factory=list)  # package parts only the dropped comments used


@dataclass
class TemplatePackage:
    """The parsed template: its parts (bytes), sheets in order, workbook children, defined names."""

    parts: dict[str, bytes]
    order: list[str]
    sheets: list[SheetPlan]
    workbook_head: bytes
    workbook_children: list[tuple[str, bytes]]
    names: list[tuple[dict[str, str], str]]  # (attributes, text) of every defined name
    shared: list[str]


def children(data: bytes) -> tuple[bytes, list[tuple[str, bytes]], str]:
    """(bytes up to the root's first child, [(local name, raw bytes)] of the root's children, the root's
    qualified name). A child's bytes run to the next child's start (whitespace between them included)."""
    parser = expat.ParserCreate()

    def refuse(*_):
        raise Unsupported("DTD or entity declarations")

    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.ExternalEntityRefHandler = refuse
    depth = 0
    starts: list[tuple[str, int]] = []
    root: list[str] = []
    end_at: list[int] = []

    def start(name, attrs):
        nonlocal depth
        if depth == 0:
            root.append(name)
        elif depth == 1:
            starts.append((name, parser.CurrentByteIndex))
        depth += 1

    def end(name):
        nonlocal depth
        depth -= 1
        if depth == 0:
            end_at.append(parser.CurrentByteIndex)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise Unsupported(f"XML: {exc}") from None
    if not starts:
        raise Unsupported("an empty part")
    if ":" in root[0]:
        raise Unsupported("a namespace prefix on the root element")
    bounds = [s for _, s in starts] + end_at
    return (data[:starts[0][1]], [(name, data[bounds[k]:bounds[k + 1]]) for k, (name, _) in enumerate(starts)],
            root[0])


def _relationships(data: bytes) -> list[dict[str, str]]:
    return [dict(r.attrib) for r in _xml(data).iter(f"{PKG}Relationship")]


def _target(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


@lru_cache(maxsize=4)
def parse_template(digest: str, data: bytes) -> TemplatePackage:
    """The render plan of the template whose bytes are `data` (SHA-256 `digest`: the cache key); Unsupported."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unsupported(f"package: {exc}") from None
    head, book_children, root = children(parts["xl/workbook.xml"])
    book = _xml(parts["xl/workbook.xml"])
    targets = {r["Id"]: _target("xl/workbook.xml", r["Target"])
               for r in _relationships(parts["xl/_rels/workbook.xml.rels"])}
    shared = ([_text(si).replace("x005F_", "") for si in _xml(parts["xl/sharedStrings.xml"]).iter(f"{MAIN}si")]
              if "xl/sharedStrings.xml" in parts else [])
    sheets = []
    for sheet in book.iter(f"{MAIN}sheet"):
        if sheet.get("state", "visible") != "visible":
            raise Unsupported("a hidden sheet")
        part = targets[sheet.get(f"{{{R_NS}}}id")]
        sheets.append(_sheet_plan(sheet.get("name"), part, parts, shared))
    names = [(dict(n.attrib), n.text or "") for n in book.iter(f"{MAIN}definedName")]
    for attrs, text in names:
        if "localSheetId" in attrs and attrs.get("name") not in ("_xlnm.Print_Titles", "_xlnm.Print_Area"):
            raise Unsupported(f"sheet-scoped name {attrs.get('name')}")
        if attrs.get("name") == "_xlnm.Print_Titles" and re.search(r"!\$?[A-Z]+(?::|,|$)", text):
            raise Unsupported("print title columns")
    return TemplatePackage(parts, list(parts), sheets, head, book_children, names, shared)


def _sheet_plan(title: str, part: str, parts: dict[str, bytes], shared: list[str]) -> SheetPlan:
    data = parts[part]
    head, kids, _ = children(data)
    for name, raw in kids:
        if name not in _KEPT:
            raise Unsupported(f"{title}: <{name}>")
        if name == "sheetViews" and b"<pane" in raw:
            raise Unsupported(f"{title}: a frozen or split pane")
        if name == "extLst" and (b"conditionalFormatting" in raw or b"dataValidation" in raw):
            raise Unsupported(f"{title}: formats or validations in an extension list")
    rels_part = _rels_name(part)
    comments: dict[str, str] = {}
    rels = parts.get(rels_part)
    dropped: list[str] = []
    if rels is not None:
        kept = []
        for r in _relationships(rels):
            target = _target(part, r["Target"]) if r.get("TargetMode") != "External" else r["Target"]
            if r["Type"] == COMMENTS:
                for c in _xml(parts[target]).iter(f"{MAIN}comment"):
                    comments[c.get("ref")] = _text(c.find(f"{MAIN}text")).strip()
                dropped.append(target)
            elif r["Type"] == VML:
                dropped.append(target)
            elif r["Type"] == PRINTER:
                kept.append(r)
            else:  # e.g. Excel's threaded comments: they would outlive the comments dropped here
                raise Unsupported(f"{title}: a part of type {r['Type'].rsplit('/', 1)[-1]}")
        rels = _rels_xml(kept) if kept else None
    root = _xml(data)
    merges = [m.get("ref") for m in root.iter(f"{MAIN}mergeCell")]
    inner = set()
    for ref in merges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        inner |= {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)} - {(min_row, min_col)}
    rows = []
    max_row = 0
    for row in root.iter(f"{MAIN}row"):
        if row.get("r") is None:
            raise Unsupported(f"{title}: a row without its number")
        number = int(row.get("r"))
        cells = []
        for c in row.iter(f"{MAIN}c"):
            if c.get("r") is None:
                raise Unsupported(f"{title}: a cell without its reference")
            r, column = coordinate_to_tuple(c.get("r"))
            cell = _cell(c, column, shared, title, comments.get(c.get("r"), ""), (r, column) in inner)
            cells.append(cell)
        # namespaced attributes (Excel's x14ac:dyDescent) are optional and left out
        attrs = "".join(f' {k}="{_attr(v)}"' for k, v in row.attrib.items() if k not in ("r", "spans") and "{" not in k)
        rows.append(TemplateRow(number, attrs, cells))
        if cells:
            max_row = max(max_row, number)
    for ref, text in comments.items():
        r, column = coordinate_to_tuple(ref)
        cell = next((c for row in rows if row.number == r for c in row.cells if c.column == column), None)
        if cell is None or cell.kind != "formula" or not ("{{" in text or "{%" in text):
            raise Unsupported(f"{title}!{ref}: a comment that is not a formula's cached value")
    max_row = max([max_row] + [range_boundaries(m)[3] for m in merges])
    return SheetPlan(title, part, head, kids, rows, merges, comments, max_row, rels, dropped)


def _attr(value: str) -> str:
    """Text for a double-quoted XML attribute."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _cell(c: Any, column: int, shared: list[str], title: str, comment: str, merged: bool) -> TemplateCell:
    style = c.get("s")
    kind = c.get("t", "n")
    if merged:  # openpyxl reads only the style of a merged range's other cells
        return TemplateCell(column, style, "blank")
    f = c.find(f"{MAIN}f")
    v = c.find(f"{MAIN}v")
    if f is not None:
        if set(f.attrib) - {"aca", "ca"}:
            raise Unsupported(f"{title}!{c.get('r')}: a shared, array or data-table formula")
        return TemplateCell(column, style, "formula", text="=" + (f.text or ""), comment=comment)
    if kind == "d":
        raise Unsupported(f"{title}!{c.get('r')}: a date cell")
    if kind == "inlineStr":
        node = c.find(f"{MAIN}is")
        text = _text(node) if node is not None else ""
        return _text_cell(column, style, "text", text, None, title, c.get("r"))
    if v is None or v.text is None:
        return TemplateCell(column, style, "blank")
    if kind == "s":
        return _text_cell(column, style, "shared", shared[int(v.text)], v.text, title, c.get("r"))
    if kind == "str":
        return _text_cell(column, style, "text", v.text, None, title, c.get("r"))
    if kind == "b":
        return TemplateCell(column, style, "bool", v.text)
    if kind == "e":
        return TemplateCell(column, style, "error", v.text)
    return TemplateCell(column, style, "number", v.text)


def _text_cell(column, style, kind, text, index, title, ref) -> TemplateCell:
    if text.startswith("=") and len(text) > 1:
        raise Unsupported(f"{title}!{ref}: text starting with '='")
    return TemplateCell(column, style, kind, index, text)


def _rels_xml(relationships: list[dict[str, str]]) -> bytes:
    body = "".join("<Relationship" + "".join(f' {k}="{_attr(v)}"' for k, v in r.items()) + "/>" for r in relationships)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>').encode()


def load(path) -> TemplatePackage:
    """The render plan of the template file at `path` (cached by the SHA-256 of its bytes); Unsupported."""
    data = open(path, "rb").read()
    return parse_template(hashlib.sha256(data).hexdigest(), data)


__all__ = ["Unsupported", "TemplatePackage", "SheetPlan", "TemplateRow", "TemplateCell", "load", "children",
           "column_index"]
