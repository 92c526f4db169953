"""Cached values for formula cells: openpyxl writes formulas without them, so readers that do not
calculate (pandas, openpyxl with data_only=True, python-calamine, LibreOffice by default) would see nothing.

The saved package is post-processed as XML, not as text: each sheet that has formula cells to fill is
streamed through a SAX filter (defusedxml's parser, namespaces on): the listed formula cells get the
engine's value in their <v> element and a matching type attribute; everything else, namespace
prefixes included, is written back as it was read.
This does not depend on how the XML was written: openpyxl writes `<v />` with the standard library
and `<v></v>` with lxml (issue 11: a regular expression that expected one of them crashed with lxml).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.sax import handler
from xml.sax.saxutils import XMLFilterBase, XMLGenerator
from xml.sax.xmlreader import AttributesNSImpl

from defusedxml import ElementTree, sax

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


class _CachedValues(XMLFilterBase):
    """A SAX filter that stores values in the <v> of listed formula cells and passes everything else through."""

    def __init__(self, parent, cells: dict[str, object]):
        super().__init__(parent)
        self.todo = dict(cells)
        self.current = None  # (type, text) of the listed cell being read
        self.has_formula = self.in_v = False

    def startElementNS(self, name, qname, attrs):
        if name == (MAIN, "c") and attrs.get((None, "r")) in self.todo:
            self.current = value_xml(self.todo[attrs.get((None, "r"))])
            self.coordinate = attrs.get((None, "r"))
            self.has_formula = False
            values = {k: v for k, v in attrs.items() if k != (None, "t")}
            names = {k: attrs.getQNameByName(k) for k in values}
            if self.current[0] is not None:
                values[(None, "t")], names[(None, "t")] = self.current[0], "t"
            attrs = AttributesNSImpl(values, names)
        elif self.current and name == (MAIN, "f"):
            self.has_formula = True
        elif self.current and name == (MAIN, "v"):
            self.in_v = True
            super().startElementNS(name, qname, attrs)
            super().characters(self.current[1])
            return
        super().startElementNS(name, qname, attrs)

    def characters(self, content):
        if not self.in_v:
            super().characters(content)

    def endElementNS(self, name, qname):
        if self.current and name == (MAIN, "v"):
            self.in_v = False
            self._done()
        elif self.current and name == (MAIN, "c"):  # a formula cell without <v>: add one
            if self.has_formula:
                super().startElementNS((MAIN, "v"), None, AttributesNSImpl({}, {}))  # the writer knows the prefix
                super().characters(self.current[1])
                super().endElementNS((MAIN, "v"), None)
                self._done()
            self.current = None
        super().endElementNS(name, qname)

    def _done(self):
        if self.has_formula:
            del self.todo[self.coordinate]
        self.current = None


def _patch_sheet(data: bytes, cells: dict[str, object], part: str) -> bytes:
    """The sheet XML `data` with `cells` ({coordinate: value}) stored as its formula cells' cached values."""
    out = io.BytesIO()
    parser = sax.make_parser()
    parser.setFeature(handler.feature_namespaces, True)
    patch = _CachedValues(parser, cells)
    patch.setContentHandler(XMLGenerator(out, encoding="utf-8", short_empty_elements=True))
    patch.parse(io.BytesIO(data))
    if patch.todo:
        raise ValueError(f"formula cells {sorted(patch.todo)} not found in {part}")
    return out.getvalue()


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
