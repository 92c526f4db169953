"""The evidence workbook's cells read column-wise by python-calamine, with the values openpyxl gives them.

Why calamine (measured on this machine, the sample evidence with 100,000 more outage rows, a 19 MB sheet):
python-calamine reads the whole outage sheet in about 85 ms; a bare expat pass over the same XML in the style
of lean.py, doing nothing with the cells, takes 840 ms before any value is converted; openpyxl's load takes
about 5 s and 190 MB. Calamine also imports in 2 ms, against about 100 ms for openpyxl.

Calamine gives values, not cells: it drops error values to blanks, gives formulas' cached values, a date
where openpyxl gives a datetime, and 3.0 for 3. So this reader takes only the plain case and leaves every
other file to openpyxl (open_columnar returns None; evidence_reader then reads it as before), so the
messages for odd or hostile files stay the ones openpyxl's path gives:

- any formula, error value, ISO date cell (t="d"), phonetic run or doubly escaped text (_x005F_) in a sheet
  or the shared strings; any DOCTYPE/ENTITY or non-UTF-8 XML part (defusedxml refuses those there);
- a 1904 date system, a defined name that is not one simple reference or is repeated, a table without a
  name or a repeated one (openpyxl refuses the file), a table ref that is not one plain range;
- any exception at all.

Values are made what openpyxl gives (plain_value): "" is None, an integral float is an int (Excel, LibreOffice
and openpyxl write 3, which openpyxl reads as int), a date is a datetime at midnight; a value whose meaning
depends on a number format calamine does not report (a time, a negative or huge number) is NotPlain.
tests/test_evidence_columnar.py compares both readers on the sample, LibreOffice re-saves and random workbooks.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from scoring.excel.cellref import column_index, range_boundaries
from scoring.excel.safe_xml import is_utf8

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NOT_PLAIN_TAG = re.compile(rb"<(?:f[\s>/]|!DOCTYPE|!ENTITY|rPh)")  # a literal first byte: scanned fast
_ERROR_OR_DATE = re.compile(rb"""\st=["'][ed]["']""")  # no literal first byte: only where the bytes hold one
_ERROR_OR_DATE_BYTES = tuple(b"t=" + a + kind + b for a in (b'"', b"'") for kind in (b"e", b"d") for b in (b'"', b"'"))
_PREFIXED_ROOT = re.compile(rb"\s*(?:<\?[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<[\w.-]+:", re.S)
_TABLE_PART = re.compile(rb"<tablePart\s[^>]*?:id=[\"']([^\"']+)")
_OVERLAP = 512
_CALAMINE_PARTS = re.compile(r"^xl/(?:workbook\.xml|styles\.xml|sharedStrings\.xml|worksheets/[^/]+\.xml|tables/[^/]+\.xml)$")
_NAME = re.compile(r"^(?:'((?:[^']|'')+)'|([^'! ]+))!\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_CHUNK = 1 << 20
_LAST_SERIAL = 2958466  # 10000-01-01: openpyxl's date-formatted cells past it are #VALUE!
_FIRST_PLAIN_DAY = {date: date(1900, 3, 1), datetime: datetime(1900, 3, 1)}


class NotPlain(Exception):
    """The workbook needs openpyxl's reader."""


def plain_value(raw: Any) -> Any:
    """A calamine value as openpyxl gives the same cell: blank None, integral float int, date a datetime.
    NotPlain where the number format decides what openpyxl gives and calamine does not tell it: a time or
    duration (a negative date-formatted number is a time to calamine), a negative number or one past
    openpyxl's last date (a date-formatted one is #VALUE! there), a date before 1900-03-01 (the 1900 leap bug)."""
    if raw == "":
        return None
    kind = type(raw)
    if kind is float or kind is int:
        if raw < 0 or raw >= _LAST_SERIAL:
            raise NotPlain(raw)
        return int(raw) if kind is float and raw.is_integer() else raw
    if kind is datetime or kind is date:
        if raw < _FIRST_PLAIN_DAY[kind]:
            raise NotPlain(raw)
        return datetime.combine(raw, time()) if kind is date else raw
    if kind is str or kind is bool:
        return raw
    raise NotPlain(raw)  # time, timedelta


def blank(value: Any) -> bool:
    """An empty cell, or one holding only spaces: no record there."""
    return value is None or (isinstance(value, str) and not value.strip())


class ColumnarSheet:
    """One worksheet's values, row by row from A1 (calamine fills the used range), read once."""

    def __init__(self, title: str, rows: list[list[Any]]):
        self.title, self._rows = title, rows

    def value(self, row: int, col: int) -> Any:
        """The value of the cell at 1-based (row, col), as openpyxl gives it; None outside the used range."""
        if row > len(self._rows):
            return None
        cells = self._rows[row - 1]
        return plain_value(cells[col - 1]) if col <= len(cells) else None

    @property
    def last_row(self) -> int:
        """The last row of the used range."""
        return len(self._rows)

    def first_filled(self, start: int, end: int, cols: list[int]) -> tuple[int, int] | None:
        """(row, column) of the first non-blank cell among `cols` in rows start..end (1-based)."""
        for row in range(start, min(end, len(self._rows)) + 1):
            for col in cols:
                if not blank(self.value(row, col)):
                    return row, col
        return None

    def values(self, row: int, cols: list[int]) -> list[Any]:
        """The values of one row at the given 1-based columns."""
        if row > len(self._rows):
            return [None] * len(cols)
        cells = self._rows[row - 1]
        width = len(cells)
        return [plain_value(cells[c - 1]) if c <= width else None for c in cols]


class ColumnarBook:
    """The plain evidence workbook: sheet order, defined names, tables, and the sheets' values on demand."""

    def __init__(self, path: Path, sheets: list[str], names: dict[str, tuple[str, str] | None],
                 tables: list[tuple[str, str, str, int]]):
        from python_calamine import CalamineWorkbook

        self._book = CalamineWorkbook.from_path(str(path))
        self.sheetnames, self._names, self._tables = sheets, names, tables
        self._sheets: dict[str, ColumnarSheet] = {}

    def sheet(self, title: str) -> ColumnarSheet:
        """The sheet's values, read on first use; NotPlain when calamine cannot give them (a date-formatted
        1e20 overflows its conversion, say)."""
        if title not in self._sheets:
            try:
                rows = self._book.get_sheet_by_name(title).to_python(skip_empty_area=False)
            except Exception as exc:
                raise NotPlain(title) from exc
            self._sheets[title] = ColumnarSheet(title, rows)
        return self._sheets[title]

    def locate(self, name: str) -> tuple[str, str] | None:
        """(sheet, cell) of a workbook-level single-cell defined name, None when missing (as names.locate);
        NotPlain when it is repeated or not one plain cell of a worksheet (openpyxl decides those)."""
        if name not in self._names:
            return None
        place = self._names[name]
        if place is None:
            raise NotPlain(name)
        return place

    def table(self, name: str) -> tuple[str, str, int] | None:
        """(sheet, ref, totals rows) of the first table whose name is `name` ignoring case, in sheet order."""
        for table, sheet, ref, totals in self._tables:
            if table.lower() == name:
                return sheet, ref, totals
        return None

    def bounds(self, ref: str) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row) of a table's ref (a plain range: checked on opening)."""
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        return min_col or 0, min_row or 0, max_col or 0, max_row or 0

    def cell(self, title: str, coordinate: str) -> Any:
        """The value of one cell such as B5 (defined names are checked to be plain on opening)."""
        match = _CELL.match(coordinate)
        if match is None:
            raise NotPlain(coordinate)
        return self.sheet(title).value(int(match.group(2)), column_index(match.group(1)))

    def close(self) -> None:
        """Release the file."""
        self._book.close()


def open_columnar(path: Path) -> ColumnarBook | None:
    """The workbook for the columnar reader, or None when python-calamine is missing or the file is not
    the plain case (then openpyxl reads it). The file has passed the pre-flight check."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            sheets, names, tables = _structure(archive)
        return ColumnarBook(path, sheets, names, tables)
    except Exception:  # NotPlain, a calamine or XML error, anything unexpected: openpyxl decides
        return None


def _xml(data: bytes) -> Any:
    from scoring.excel.safe_xml import parse

    return parse(data)


def _scan(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """NotPlain when any part holds what calamine reads differently from openpyxl (module docstring);
    else each part's tablePart relationship ids, in order. Every part but pictures, whatever its name says
    (a sheet may be stored under any name). In chunks: the outage sheet may be 20 MB of XML."""
    parts: dict[str, list[str]] = {}
    for info in archive.infolist():
        xml = info.filename.endswith((".xml", ".rels"))
        if info.filename.startswith(("xl/media/", "docProps/thumbnail")) or info.is_dir():
            continue
        ids: list[str] = []
        with archive.open(info) as member:
            tail, first = b"", True
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    break
                head = chunk.lstrip() if first else b""
                if first and xml and (not head.startswith(b"<") or not is_utf8(head) or (
                        _CALAMINE_PARTS.match(info.filename) and _PREFIXED_ROOT.match(chunk))):
                    raise NotPlain(info.filename)  # a byte-order mark, UTF-16 (even without one) or a prefixed namespace
                first = False
                text = tail + chunk
                if _not_plain(text):
                    raise NotPlain(info.filename)
                ids += [m.group(1).decode() for m in _TABLE_PART.finditer(text) if m.end() > len(tail)]
                tail = chunk[-_OVERLAP:]
        parts[info.filename] = ids
    return parts


def _not_plain(text: bytes) -> bool:
    """Whether XML text holds a formula, a DTD or entity, a phonetic run, an error or date cell, or an escaped
    underscore (module docstring). One alternation of all of these scanned every byte (1.5 ms of the sample's
    2.4 ms scan); each literal is found by the bytes' own search, and the cell types only where one occurs."""
    return (_NOT_PLAIN_TAG.search(text) is not None or b"_x005F_" in text
            or (any(b in text for b in _ERROR_OR_DATE_BYTES) and _ERROR_OR_DATE.search(text) is not None))


def _part(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, part name) of a part's relationships."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels not in archive.namelist():
        return {}
    return {r.get("Id"): (r.get("Type") or "", _part(part, r.get("Target") or ""))
            for r in _xml(archive.read(rels)).iter(f"{PKG}Relationship") if r.get("TargetMode") != "External"}


def _structure(archive: zipfile.ZipFile
               ) -> tuple[list[str], dict[str, tuple[str, str] | None], list[tuple[str, str, str, int]]]:
    """(worksheet titles in order, workbook-level names, (table name, sheet, ref, totals rows) in sheet order)."""
    table_parts = _scan(archive)
    book = _xml(archive.read("xl/workbook.xml"))
    pr = book.find(f"{MAIN}workbookPr")
    if pr is not None and pr.get("date1904") in ("1", "true"):
        raise NotPlain("date1904")
    rels = _relationships(archive, "xl/workbook.xml")
    sheets: list[str] = []
    tables: list[tuple[str, str, str, int]] = []
    for sheet in book.iter(f"{MAIN}sheet"):
        kind, part = rels[sheet.get(f"{REL}id")]
        if not kind.endswith("/worksheet"):
            continue
        title = sheet.get("name")
        sheets.append(title)
        parts = _relationships(archive, part)
        for rid in table_parts[part]:
            table = _xml(archive.read(parts[rid][1]))
            name, ref = table.get("name"), table.get("ref") or ""
            if not name or not _RANGE.match(ref):
                raise NotPlain(name)
            totals = table.get("totalsRowCount") or "0"
            if not totals.isdigit():
                raise NotPlain(name)
            tables.append((name, title, ref, int(totals)))
    names: dict[str, tuple[str, str] | None] = {}
    for defined in book.iter(f"{MAIN}definedName"):
        if defined.get("localSheetId") is not None:
            continue  # sheet-scoped: openpyxl keeps them on the sheet
        name = defined.get("name") or ""
        match = _NAME.match((defined.text or "").strip())
        sheet = (match.group(1) or match.group(2)).replace("''", "'") if match else ""
        names[name] = None if name in names or match is None or sheet not in sheets else (
            sheet, match.group(3) + match.group(4))
    lowered = [t[0].lower() for t in tables]
    if len(set(lowered)) != len(lowered) or any(t in names for t in lowered):
        raise NotPlain("table names")  # openpyxl refuses the whole file
    return sheets, names, tables
