"""Cached values for formula cells: openpyxl writes formulas without them, so readers that do not
calculate (pandas, openpyxl with data_only=True, python-calamine, LibreOffice by default) would see nothing.

The saved package is post-processed as XML, not as text: expat parses each sheet that has formula
cells to fill (refusing DTDs and entities, as defusedxml does) and reports where each listed <c>
element begins and ends; those elements are written again with the engine's value in <v> and a
matching type attribute, in the prefix they were written with, and every other byte is kept.
This does not depend on how the XML was written: openpyxl writes `<v />` with the standard library
and `<v></v>` with lxml (issue 11: a regular expression that expected one of them crashed with lxml).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.parsers import expat

from defusedxml import ElementTree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS = {"m": MAIN,
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
EPOCH = datetime(1899, 12, 30)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> part name inside the package."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return parts


def value_xml(value) -> tuple[str | None, str]:
    """(type attribute or None, <v> text) of a cached value; dates become Excel serial numbers."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if isinstance(value, datetime):
        delta = value - EPOCH
        return None, repr(delta.days + delta.seconds / 86400)
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, Decimal):
        return None, format(value, "f")
    if isinstance(value, (int, float)):
        return None, repr(value)
    return "str", str(value)


class _Refused(ValueError):
    """A sheet with a DTD or entity declarations: never expanded (what defusedxml refuses)."""


def _refuse(*_):
    raise _Refused("unsafe XML (DTD or entity declaration) in a sheet")


def _patch_sheet(data: bytes, cells: dict[str, object], part: str) -> bytes:
    """The sheet XML `data` with `cells` ({coordinate: value}) stored as its formula cells' cached values.

    expat finds each listed <c> element (its byte span, attributes and formula, with the prefix it was
    written with); only those spans are rewritten, every other byte is kept as it was.
    """
    parser = expat.ParserCreate()  # no namespace processing: names keep the prefix they were written with
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.ExternalEntityRefHandler = _refuse
    spans: list[tuple[int, int, str]] = []
    found: set[str] = set()
    cell: dict = {}

    def start(name, attrs):
        local = name.rpartition(":")[2]
        if local == "c" and not cell and attrs.get("r") in cells:
            cell.update(name=name, attrs=attrs, start=parser.CurrentByteIndex, f=None)
        elif cell and local == "f":
            cell.update(f_name=name, f_attrs=attrs, f="", in_f=True)

    def text(content):
        if cell.get("in_f"):
            cell["f"] += content

    def end(name):
        if not cell:
            return
        if name == cell.get("f_name"):
            cell["in_f"] = False
        elif name == cell["name"]:
            end_at = parser.CurrentByteIndex + len(f"</{name}>".encode())
            if cell["f"] is not None:
                found.add(cell["attrs"]["r"])
                spans.append((cell["start"], end_at, _cell_xml(cell, cells[cell["attrs"]["r"]])))
            cell.clear()

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(data, True)
    if set(cells) - found:
        raise ValueError(f"formula cells {sorted(set(cells) - found)} not found in {part}")
    out, at = [], 0
    for start_at, end_at, xml in spans:
        out += [data[at:start_at], xml.encode("utf-8")]
        at = end_at
    out.append(data[at:])
    return b"".join(out)


def _cell_xml(cell: dict, value) -> str:
    """<c> with its attributes (t set for the value), its formula and the cached value, in the cell's prefix."""
    from xml.sax.saxutils import escape, quoteattr  # here: it imports urllib, which the XML writer never needs

    prefix = cell["name"][: -1]  # "" or "x:"
    kind, v = value_xml(value)
    attrs = {k: a for k, a in cell["attrs"].items() if k != "t"}
    if kind is not None:
        attrs["t"] = kind
    head = "".join(f" {k}={quoteattr(a)}" for k, a in attrs.items())
    f_head = "".join(f" {k}={quoteattr(a)}" for k, a in cell["f_attrs"].items())
    return (f"<{cell['name']}{head}><{prefix}f{f_head}>{escape(cell['f'])}</{prefix}f>"
            f"<{prefix}v>{escape(v)}</{prefix}v></{cell['name']}>")


def with_cached_values(package: bytes, values: dict[str, dict[str, object]]) -> bytes:
    """The xlsx `package` with `values` ({sheet title: {cell: value}}) stored as the formulas' cached values."""
    source = zipfile.ZipFile(io.BytesIO(package))
    parts = _sheet_parts(source)
    wanted = {parts[title]: cells for title, cells in values.items() if cells and title in parts}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            cells = wanted.get(info.filename)
            if cells:
                data = _patch_sheet(data, cells, info.filename)
            target.writestr(info, data)
    return out.getvalue()
