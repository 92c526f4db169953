"""A lean read-only view of an expert workbook: its defined names and cell values, parsed in one pass.

openpyxl's read-only mode still builds the whole style sheet and workbook model, about 13 ms per expert
workbook, so a panel of 301 experts spent seconds before the first score was read. This reads the four
small parts a scoring workbook needs (workbook, its relationships, styles' number formats, shared strings)
and the worksheet once, refusing entities as defusedxml does (scoring/excel/safe_xml.py), and gives every
cell the value and data type openpyxl's read-only parser gives it (the same casting, shared strings, inline and rich text, dates by number format).

Anything outside that plain case returns None and the reader opens the file with openpyxl as before:
shared, array or data-table formulas, a missing dimension, a defined name that is not one simple
reference, repeated names, any XML it cannot parse. So the messages for odd or hostile files stay the
ones openpyxl's path gives. tests/test_lean.py compares both readers cell by cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from scoring.excel.cellref import SHEETRANGE_RE, column_index, range_boundaries
from scoring.excel.serials import (MAC_EPOCH, WINDOWS_EPOCH, builtin_format_code, from_excel, from_iso8601,
                                   is_date_format, is_timedelta_format)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_F, _V, _IS = f"{MAIN}f", f"{MAIN}v", f"{MAIN}is"
_column = lru_cache(maxsize=None)(column_index)  # the few columns of a sheet, asked for thousands of times
_CELLS = re.compile(r"(?:[A-Z]{1,3}[0-9]+ )*")  # every stored cell's reference, checked in one pass


class NotPlain(Exception):
    """The workbook needs openpyxl's full reader."""


class LeanCell:
    __slots__ = ("coordinate", "row", "column", "value", "data_type", "percent")

    def __init__(self, coordinate: str, row: int, column: int, value: Any, data_type: str, percent: bool = False):
        self.coordinate, self.row, self.column, self.value, self.data_type = coordinate, row, column, value, data_type
        self.percent = percent  # its number format shows a percentage: 11 typed there is stored as 0.11


def is_percent_format(code: str | None) -> bool:
    """A number format that shows the value as a percentage (a % outside quotes and escapes: 0%, 0.00%)."""
    text = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code or "")
    return "%" in text


def percent_number(c: Any) -> bool:
    """A number other than 0 in a cell whose format shows it as a percentage: 11 typed there is stored as 0.11,
    never a score as typed (R1.2). The lean view knows the format; openpyxl's cell carries it."""
    if not isinstance(c.value, (int, float)) or isinstance(c.value, bool) or c.value == 0:
        return False
    known = getattr(c, "percent", None)
    return known if known is not None else is_percent_format(getattr(c, "number_format", None))


class LeanName:
    """A workbook-level defined name with one destination, as openpyxl's DefinedName.destinations gives it."""

    def __init__(self, sheet: str, ref: str):
        self.destinations = [(sheet, ref)]


class LeanSheet:
    """One worksheet's stored cells, converted to values only when asked for: a reader wants the thirty
    named cells of an expert sheet, not the criteria text around them."""

    def __init__(self, title: str, max_row: int, max_column: int, cells: dict[str, Any],
                 context: tuple[list[str], frozenset[int], frozenset[int], Any, frozenset[int]]):
        self.title, self.max_row, self.max_column, self._cells = title, max_row, max_column, cells
        self._context = context
        self._converted: dict[str, LeanCell] = {}

    def _cell(self, coordinate: str, element: Any) -> LeanCell:
        cell = self._converted.get(coordinate)
        if cell is None:
            try:
                cell = self._converted[coordinate] = _convert(coordinate, element, *self._context)
            except Exception as exc:  # a value openpyxl may cast differently or refuse: its reader decides
                raise NotPlain(coordinate) from exc
        return cell

    def cell_at(self, coordinate: str) -> LeanCell | None:
        """The stored cell at a plain coordinate (B12), None when the sheet does not store it."""
        element = self._cells.get(coordinate)
        return None if element is None else self._cell(coordinate, element)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None
                  ) -> Iterator[tuple[LeanCell, ...]]:
        """The stored cells of each row from min_row to max_row, up to column max_col."""
        rows: dict[int, list[LeanCell]] = {}
        for coordinate, element in self._cells.items():
            cell = self._cell(coordinate, element)
            rows.setdefault(cell.row, []).append(cell)
        for r in range(min_row, (max_row or self.max_row) + 1):
            yield tuple(c for c in rows.get(r, ()) if max_col is None or c.column <= max_col)


class LeanWorkbook:
    """The workbook's defined names and sheets; `located` is names.locate's memo, shared by every workbook
    read from the same workbook part (a panel's sheets, made by one writer: scoring/excel/names.py)."""

    def __init__(self, names: dict[str, LeanName], sheets: dict[str, LeanSheet],
                 located: dict[str, tuple[str, str] | None] | None = None):
        self.defined_names, self._sheets = names, sheets
        self.sheetnames = list(sheets)
        self.located = {} if located is None else located

    def __getitem__(self, title: str) -> LeanSheet:
        return self._sheets[title]

    def close(self) -> None:
        """Nothing stays open."""


def read_checked(path: Path) -> bytes | None:
    """The file's bytes when it passes the pre-flight check's first part (preflight.check_file: a regular file,
    not empty, within the size limit, a zip by its first bytes), else None (open_workbook then words the
    refusal). One stat and one read: the lean view, openpyxl's fallback and the audit sheet's SHA-256 all use
    these bytes."""
    import os
    import stat

    from scoring.excel.preflight import EXPERT_LIMITS, ZIP

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= EXPERT_LIMITS.file_bytes:
            return None  # never opened: a pipe would block, a device never end
        with open(path, "rb") as handle:
            data = handle.read(EXPERT_LIMITS.file_bytes + 1)
    except OSError:
        return None
    return data if data.startswith(ZIP) and len(data) <= EXPERT_LIMITS.file_bytes else None


def open_lean(path: Path) -> LeanWorkbook | None:
    """The workbook's names and cells when the file passes the whole pre-flight check and is the plain case;
    else None, and openpyxl's path (open_workbook) checks it again and words the refusal."""
    data = read_checked(path)
    if data is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return lean_view(archive)
    except Exception:  # a damaged zip: openpyxl's path words it
        return None


def lean_view(archive: zipfile.ZipFile) -> LeanWorkbook | None:
    """open_lean of an opened zip (one zip opened for the pre-flight check's members, the kind and the read)."""
    from scoring.excel.preflight import check_members

    try:
        return _read(archive) if check_members(archive.infolist()) is None else None
    except Exception:  # NotPlain, XML refused by defusedxml, anything unexpected: openpyxl decides
        return None


def _xml(data: bytes) -> Any:
    from scoring.excel.safe_xml import parse

    return parse(data)


def _read(archive: zipfile.ZipFile) -> LeanWorkbook:
    members = set(archive.namelist())
    epoch, targets, names, located = _book(archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels"))
    dates, durations, percents = _date_styles(archive.read("xl/styles.xml") if "xl/styles.xml" in members else b"")
    strings = _shared_strings(archive) if "xl/sharedStrings.xml" in members else []
    sheets = {title: _sheet(archive, title, target, strings, dates, durations, epoch, percents)
              for title, target in targets.items()}
    return LeanWorkbook(names, sheets, located)


# The workbook part, its relationships and the styles are the same bytes in every sheet of a panel (one
# writer made them): each is parsed once per process, as a pure function of its bytes.

@lru_cache(maxsize=16)
def _book(workbook: bytes, relationships: bytes
          ) -> tuple[Any, dict[str, str], dict[str, LeanName], dict[str, tuple[str, str] | None]]:
    """(date epoch, sheet title -> part name, workbook-level defined names, an empty memo of where each name
    points: LeanWorkbook.located). Neither dict is changed by the readers but the memo, which is a function of
    these bytes."""
    book = _xml(workbook)
    pr = book.find(f"{MAIN}workbookPr")
    epoch = MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") else WINDOWS_EPOCH
    rels = {r.get("Id"): r.get("Target") for r in _xml(relationships).iter(f"{PKG}Relationship")}
    targets: dict[str, str] = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = rels[sheet.get(f"{REL}id")]
        targets[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    names: dict[str, LeanName] = {}
    for defined in book.iter(f"{MAIN}definedName"):
        if defined.get("localSheetId") is not None:
            if (defined.get("name") or "").startswith("score_"):  # a copy of the score sheet, its names with it:
                raise NotPlain("localSheetId")                  # the reader's openpyxl path names the copy
            continue  # sheet-scoped: openpyxl keeps them on the sheet, not in wb.defined_names
        name, text = defined.get("name"), (defined.text or "").strip()
        match = SHEETRANGE_RE.fullmatch(text)
        if name in names or match is None:
            raise NotPlain(name)
        sheet = (match.group("notquoted") or match.group("quoted")).replace("''", "'")
        names[name] = LeanName(sheet, match.group("cells"))
    return epoch, targets, names, {}


@lru_cache(maxsize=16)
def _date_styles(data: bytes) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """The cell style indices whose number format is a date, those that are a duration (as openpyxl), and those
    that show a percentage."""
    if not data:
        return frozenset(), frozenset(), frozenset()
    styles = _xml(data)
    custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{MAIN}numFmt")}
    xfs = styles.find(f"{MAIN}cellXfs")
    dates, durations, percents = set(), set(), set()
    for index, xf in enumerate(xfs.iter(f"{MAIN}xf") if xfs is not None else ()):
        number = int(xf.get("numFmtId", 0))
        code = custom[number] if number in custom else builtin_format_code(number)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
        if is_percent_format(code):
            percents.add(index)
    return frozenset(dates), frozenset(durations), frozenset(percents)


def _text(node: Any) -> str:
    """The text of a shared or inline string: its plain part and its runs, not phonetic hints (Text.content)."""
    plain = node.find(f"{MAIN}t")
    parts = [plain.text or ""] if plain is not None else []
    parts += [t.text or "" for r in node.findall(f"{MAIN}r") for t in r.findall(f"{MAIN}t")]
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    return [_text(si).replace("x005F_", "") for si in _xml(archive.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")]


# The worksheet's start tag (no prefix, attributes quoted either way) after an optional XML declaration or
# processing instructions, and nothing else before it: the plain layout every spreadsheet program writes.
_PROLOGUE = re.compile(rb"""(?:\xef\xbb\xbf)?\s*(?:<\?[^?]*\?>\s*)*<worksheet(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*\s*>""")


def cell_data(data: bytes) -> bytes:
    """The worksheet part up to the end of its cell data, with the root closed: all a reader of cells needs.

    What follows sheetData (merged cells, conditional formats, validations with their prompts, page setup) is
    about half of an expert sheet's XML and half its parse; openpyxl's read-only reader stops at the last row
    asked for too. The part is returned whole unless the cut is certain: one sheetData start and end tag, no
    comment, CDATA or DTD before the end, and a prologue of the plain form (_PROLOGUE).
    """
    end = data.find(b"</sheetData>")
    if end < 0 or data.count(b"</sheetData>") != 1 or data.count(b"<sheetData") != 1 or data.find(b"<sheetData") > end:
        return data
    head = data[:end]
    if b"<!--" in head or b"<![CDATA[" in head or b"<!DOCTYPE" in head or _PROLOGUE.match(head) is None:
        return data
    return head + b"</sheetData></worksheet>"


def _sheet(archive: zipfile.ZipFile, title: str, target: str, strings: list[str], dates: frozenset[int],
           durations: frozenset[int], epoch: Any, percents: frozenset[int]) -> LeanSheet:
    root = _xml(cell_data(archive.read(target)))
    dimension = root.find(f"{MAIN}dimension")
    if dimension is None:
        raise NotPlain("dimension")
    _, _, max_column, max_row = range_boundaries(dimension.get("ref"))
    if max_row is None or max_column is None:
        raise NotPlain("dimension")
    data = root.find(f"{MAIN}sheetData")
    cells = {c.get("r"): c for c in data.iter(f"{MAIN}c")} if data is not None else {}
    if None in cells or not _CELLS.fullmatch(" ".join(cells) + " "):  # type: ignore[arg-type]
        raise NotPlain("r")  # cells without their plain reference: openpyxl counts or reads them otherwise
    return LeanSheet(title, max_row, max_column, cells, (strings, dates, durations, epoch, percents))


def _convert(coordinate: str, c: Any, strings: list[str], dates: frozenset[int], durations: frozenset[int],
             epoch: Any, percents: frozenset[int] = frozenset()) -> LeanCell:
    """One stored cell's value and data type, cast as openpyxl's read-only parser casts it."""
    formula = c.find(_F)
    if formula is not None and formula.get("t") not in (None, "normal"):
        raise NotPlain(coordinate)  # shared/array/data-table formulas: openpyxl translates them
    match = _CELL.match(coordinate)
    r, col = int(match.group(2)), _column(match.group(1))  # type: ignore[union-attr]
    kind, style = c.get("t", "n"), int(c.get("s", 0) or 0)
    if formula is not None:
        value: Any = "=" + (formula.text or "")
        kind = "f"
    elif kind == "inlineStr":
        node = c.find(_IS)
        value = None
        if node is not None:
            kind, value = "s", _text(node)
    else:
        value = c.findtext(_V, None) or None
        if value is not None:
            if kind == "n":
                value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                if style in dates:
                    kind = "d"
                    try:
                        value = from_excel(value, epoch, timedelta=style in durations)
                    except (OverflowError, ValueError):
                        kind, value = "e", "#VALUE!"
            elif kind == "s":
                value = strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "str":
                kind = "s"
            elif kind == "d":
                value = from_iso8601(value)
    return LeanCell(coordinate, r, col, value, kind, style in percents)
