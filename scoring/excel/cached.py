"""Cached values for formula cells: openpyxl writes formulas without them, so readers that do not
calculate (pandas, openpyxl with data_only=True, LibreOffice by default) would see nothing.

The saved package is patched: each listed formula cell gets the engine's value in its <v> element.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from defusedxml import ElementTree

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


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


EPOCH = datetime(1899, 12, 30)


def _value_xml(value) -> tuple[str, str]:
    """(type attribute, <v> text) of a cached value; dates become Excel serial numbers."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if isinstance(value, datetime):
        delta = value - EPOCH
        return "", repr(delta.days + delta.seconds / 86400)
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        return "", format(value, "f") if isinstance(value, Decimal) else repr(value)
    return ' t="str"', escape(str(value))


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
                text = data.decode("utf-8")
                for coordinate, value in cells.items():
                    kind, v = _value_xml(value)
                    pattern = re.compile(rf'<c r="{coordinate}"((?: (?!t=)[a-zA-Z]+="[^"]*")*)( t="[a-z]+")?><f>(.*?)</f><v ?/>(?:</v>)?</c>')
                    text, count = pattern.subn(lambda m: f'<c r="{coordinate}"{m.group(1)}{kind}><f>{m.group(3)}</f><v>{v}</v></c>', text)
                    if count != 1:
                        raise ValueError(f"formula cell {coordinate} not found once in {info.filename}")
                data = text.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()
