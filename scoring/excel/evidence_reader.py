"""Reads an evidence workbook (interfaces.md §2) into an Evidence value, naming the cell of every bad value.

The cells come through evidence_columnar (python-calamine) when the file is the plain case, else through
openpyxl as before; both feed the same rules below, so a file gives the same Evidence and the same problems
either way (tests/test_evidence_columnar.py). A bad number, date or time cell in the columnar read is read
again by openpyxl: its message shows the value as openpyxl gives it (a date-formatted 3000000 is #VALUE!).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.errors import Problem
from scoring.evidence.model import Complaint, Drill, Evidence, Incident, Outage, Report, Request, Training
from scoring.excel.discovery import conversion_needed
from scoring.excel import names
from scoring.excel.cellref import column_letter, range_boundaries
from scoring.excel.evidence_columnar import NotPlain, blank, open_columnar
from scoring.excel.evidence_tables import (CHOICE, COUNT, DATE, DATETIME, MAX_ROWS, MONTH, NO, TABLES, YES,
                                           YESNO, Column, TableSpec)
from scoring.excel.preflight import EVIDENCE_LIMITS, open_workbook, preflight
from scoring.numbers import decimal_from_float
from scoring.excel.text import clean_text

# Dates as people write them in China: 2026-10-08, 2026/10/8, 2026.10.8, 2026年10月8日, with an optional
# time 9:30, 9:30:15 or 9时30分; a month column also takes 2026-10, 2026年10月.
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月\s*)?(?:[-/.]?\s*(\d{1,2})\s*日?)?"
                        r"(?:\s*[T ]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*(\d{1,2})\s*秒?)?)?$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９：－／．", "0123456789:-/.")
PLAUSIBLE_YEARS = (1990, 2100)
EXCEL_SERIALS = (32874, 73051)  # 1990-01-01 .. 2100-01-01 as Excel date serial numbers; a smaller number is no date
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


FLAG_LABELS = {"crypto_passed": "密评已通过", "mlps_certified": "三级等保证书已取得"}


def flag_why(name: str, crypto_penalty: Decimal | None = None) -> str:
    """Why a blank yes/no flag matters (R5): for 密评, the contract's one-time penalty (`crypto_penalty`, None when
    the caller has no contract at hand)."""
    if name != "crypto_passed":
        return ""
    if crypto_penalty is None:
        return "（年终考核仍未通过：密评 0 分，并按合同另扣服务费，R5）"
    if not crypto_penalty:
        return "（年终考核仍未通过：密评 0 分，R5）"
    return f"（年终考核仍未通过：密评 0 分，另扣服务费 {crypto_penalty:,.2f} 元，R5）"


class _Bad(ValueError):
    pass


def _value(raw: object, column: Column):
    """A typed value of one cell, None when blank; _Bad with a Chinese reason otherwise."""
    kind = column.kind
    if type(raw) is datetime and kind == DATETIME and PLAUSIBLE_YEARS[0] <= raw.year < PLAUSIBLE_YEARS[1]:
        return raw  # the common case of a monitoring log, first (the steps below give the same)
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raw = None
    if raw is None:
        return None
    if isinstance(raw, _Uncomputed):
        raise _Bad(f"“{column.header}”{UNCOMPUTED}（{raw.formula[:40]}）")
    if kind in (DATETIME, DATE, MONTH):
        raw = _date_value(raw, column)
        if isinstance(raw, time) or not isinstance(raw, (date, datetime)):
            raise _Bad(f"“{column.header}”应为日期，现为“{str(raw)[:30]}”")
        if not PLAUSIBLE_YEARS[0] <= raw.year < PLAUSIBLE_YEARS[1]:  # a small number in a date-formatted cell
            raise _Bad(f"“{column.header}”日期“{raw:%Y-%m-%d}”不合理，请填写实际日期")
        if kind == DATETIME:
            return raw if isinstance(raw, datetime) else datetime.combine(raw, time())
        day = raw.date() if isinstance(raw, datetime) else raw
        return day.replace(day=1) if kind == MONTH else day
    if kind == YESNO:
        if raw in (YES, True):
            return True
        if raw in (NO, False):
            return False
        raise _Bad(f"“{column.header}”应填“是”或“否”，现为“{str(raw)[:20]}”")
    if kind == COUNT:
        if isinstance(raw, str) and raw.translate(_FULL_WIDTH).isascii() and raw.translate(_FULL_WIDTH).isdigit():
            raw = int(raw.translate(_FULL_WIDTH))  # a count exported as text ("1", "２"): the same whole number
        if isinstance(raw, str):
            raise _Bad(f"“{column.header}”应为 0 或正整数，现为文字“{raw[:20]}”")
        if isinstance(raw, float) and math.isfinite(raw):
            raw = float(decimal_from_float(raw))  # 15 significant digits, as Excel shows: 2.9999999999999996 is 3
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != int(raw) or raw < 0:
            raise _Bad(f"“{column.header}”应为 0 或正整数，现为“{str(raw)[:20]}”")
        return int(raw)
    if kind == CHOICE:
        if raw not in column.choices:
            raise _Bad(f"“{column.header}”应为{'或'.join(f'“{c}”' for c in column.choices)}，现为“{str(raw)[:20]}”")
        return raw
    try:
        return clean_text(raw)
    except ValueError as exc:
        raise _Bad(f"“{column.header}”{exc}") from None


def date_from_text(text: str) -> date | None:
    """A day written as text as people write it in China (2026-10-08, 2026/10/8, 2026.10.8, 2026年10月8日, full-width
    digits too), or None."""
    match = _DATE_TEXT.match(text.translate(_FULL_WIDTH).strip())
    if not match or match.group(3) is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _date_value(raw: object, column: Column) -> object:
    """A date cell as is; a date written as text (Chinese forms too) or an Excel serial number as a datetime."""
    if isinstance(raw, str):
        match = _DATE_TEXT.match(raw.translate(_FULL_WIDTH).strip())
        if not match or (column.kind != MONTH and match.group(3) is None):
            raise _Bad(f"“{column.header}”应为日期（如 2026-10-08、2026/10/8、2026年10月8日），现为“{raw[:30]}”")
        y, m, d, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
        try:
            return datetime(y, m, d or 1, hh, mm, ss)
        except ValueError:
            raise _Bad(f"“{column.header}”日期“{raw}”不存在") from None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if not EXCEL_SERIALS[0] <= raw <= EXCEL_SERIALS[1]:
            raise _Bad(f"“{column.header}”应为日期，现为数字“{raw}”")
        from scoring.excel.serials import from_excel

        value = from_excel(raw)
        return value.replace(microsecond=0) if isinstance(value, datetime) else value
    return raw


class _Uncomputed:
    """A formula cell whose file holds no computed value (the program that wrote it does not calculate)."""

    def __init__(self, formula: object):
        self.formula = str(getattr(formula, "text", formula))


NO_TABLES = ("不是本系统生成的证据材料：其中没有证据表格（Excel 的“表”；由 .xls 或 .ods 另存、或把内容复制到新工作簿时，"
             "表格不会随之保留）。请把记录复制到 scorecard evidence-template 生成的证据材料（.xlsx）中后重试")
UNCOMPUTED = ("是公式，但文件中没有它的计算结果（生成文件的程序不计算公式）：请在 Excel、WPS 或 LibreOffice 中"
              "打开并保存一次，或把公式“选择性粘贴”为数值")


_FULL_CALC = re.compile(rb'<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad="(?:1|true)"')


def _recalculated_on_opening(path: Path) -> bool:
    """Whether the workbook asks to be recalculated when opened (calcPr fullCalcOnLoad): its stored formula
    values are placeholders then. openpyxl cannot tell (it reads the attribute as true when absent)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return bool(_FULL_CALC.search(archive.read("xl/workbook.xml")))
    except (OSError, KeyError, zipfile.BadZipFile):
        return True


class _OpenpyxlBook:
    """An openpyxl workbook seen as evidence_columnar.ColumnarBook: the reader's fallback for odd files.

    A formula cell reads as the value its file holds for it, as Excel, WPS and LibreOffice show it (a log's
    结束时间 = 开始时间 + 时长); one without a value reads as _Uncomputed, a problem naming the cell."""

    def __init__(self, wb: Any, path: Path | None = None):
        self.wb, self._path = wb, path
        self._trusted: bool | None = None  # whether stored values may be used: decided at the first formula
        self._computed: Any = None  # the data-only, read-only openpyxl reading, opened on first need
        self._calamine: dict[str, dict[tuple[int, int], tuple[Any, str]]] = {}  # sheet -> (row, col) -> stored
        self._openpyxl: dict[str, dict[tuple[int, int], tuple[Any, str]]] = {}

    def computed(self, title: str, row: int, col: int, formula: object) -> object:
        """The value the file holds for the formula cell, or _Uncomputed. The stored values come from
        python-calamine (a second openpyxl load doubled the time of a formula log), and from one read-only,
        data-only openpyxl pass where calamine cannot tell (an empty result: empty text, or no value at all).
        A file that asks to be recalculated on opening (XlsxWriter, pandas: every formula stored as 0) holds
        no value to trust."""
        if self._trusted is None:
            self._trusted = self._path is not None and not _recalculated_on_opening(self._path)
        if not self._trusted:
            return _Uncomputed(formula)
        if title not in self._calamine:
            self._calamine[title] = self._calamine_values(title)
        found = self._calamine[title].get((row, col))
        if found is None:  # calamine read it as empty (or could not read the sheet): openpyxl tells which
            if title not in self._openpyxl:
                self._openpyxl[title] = self._stored_values(title)
            found = self._openpyxl[title].get((row, col), (None, "n"))
        value, kind = found
        if value is None and kind == "str":
            return ""  # a text result, empty: =IF(A5="","",A5+1/24) filled down a column reads as blank
        return _Uncomputed(formula) if value is None else value

    def _calamine_values(self, title: str) -> dict[tuple[int, int], tuple[Any, str]]:
        """The sheet's non-empty stored values as openpyxl would give them, through python-calamine; {} where
        calamine reads a value differently (a time: openpyxl decides) or cannot read the sheet."""
        try:
            from python_calamine import CalamineWorkbook

            from scoring.excel.evidence_columnar import plain_value

            rows = CalamineWorkbook.from_path(str(self._path)).get_sheet_by_name(title).to_python(
                skip_empty_area=False)
            return {(r, c): (plain_value(raw), "n") for r, cells in enumerate(rows, start=1)
                    for c, raw in enumerate(cells, start=1) if raw != ""}
        except Exception:  # NotPlain, no calamine, a sheet it cannot read: openpyxl's pass decides every cell
            return {}

    def _stored_values(self, title: str) -> dict[tuple[int, int], tuple[Any, str]]:
        """Every stored value of one sheet (and every empty text result), by (row, column)."""
        if self._computed is None:
            self._computed = open_workbook(self._path, [], EVIDENCE_LIMITS, read_only=True, data_only=True) or False
        if not self._computed or title not in self._computed.sheetnames:
            return {}
        return {(cell.row, cell.column): (cell.value, cell.data_type)
                for cells in self._computed[title].iter_rows() for cell in cells
                if cell.value is not None or cell.data_type == "str"}

    def close(self) -> None:
        """Release the data-only reading, if one was opened."""
        if self._computed:
            self._computed.close()

    def table(self, name: str) -> tuple[str, str, int] | None:
        """(sheet, ref, totals rows) of the first table whose name is `name` ignoring case, in sheet order."""
        for ws in self.wb.worksheets:
            for table, ref in ws.tables.items():
                if table.lower() == name:
                    return ws.title, ref, int(ws.tables[table].totalsRowCount or 0)
        return None

    def bounds(self, ref: str) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row) of a table's ref."""
        return range_boundaries(ref)

    def sheet(self, title: str) -> "_OpenpyxlSheet":
        """The worksheet's values."""
        return _OpenpyxlSheet(self.wb[title], self)

    def locate(self, name: str) -> tuple[str, str] | None:
        """(sheet, cell) of a single-cell defined name (names.locate)."""
        return names.locate(self.wb, name)

    def cell(self, title: str, coordinate: str) -> Any:
        """The value of one cell (a formula's computed value)."""
        cell = self.wb[title][coordinate]
        return self.computed(title, cell.row, cell.column, cell.value) if cell.data_type == "f" else cell.value


class _OpenpyxlSheet:
    def __init__(self, ws: Any, book: _OpenpyxlBook):
        self.title, self._ws, self._book = ws.title, ws, book

    @property
    def last_row(self) -> int:
        """The last row of the used range."""
        return self._ws.max_row or 0

    def first_filled(self, start: int, end: int, cols: list[int]) -> tuple[int, int] | None:
        """(row, column) of the first non-blank cell among `cols` in rows start..end, looking only at the cells
        the sheet holds (asking openpyxl for each cell would create it: slow under 60,000 formatted rows)."""
        wanted = set(cols)
        found = [(r, c) for (r, c), cell in self._ws._cells.items()
                 if start <= r <= end and c in wanted and not blank(self._value(cell))]
        return min(found) if found else None

    def _value(self, cell: Any) -> Any:
        """A cell's value: a formula's as its file holds it (a formula filled down below a table shows "")."""
        return self._book.computed(self.title, cell.row, cell.column, cell.value) if cell.data_type == "f" else cell.value

    def values(self, row: int, cols: list[int]) -> list[Any]:
        """The values of one row at the given 1-based columns."""
        return [self._value(self._ws.cell(row, col)) for col in cols]


def _rows(book: Any, spec: TableSpec, source: str, problems: list[Problem], columnar: bool) -> list[dict]:
    """The table's non-blank rows as {header: value, '_cells': {header: coordinate}}, with problems added.
    `columnar`: a bad non-text cell raises NotPlain (openpyxl words its value; module docstring)."""
    place = book.table(spec.name)
    if place is None:
        problems.append(Problem(f"缺少表格“{spec.name}”（{spec.sheet}），请使用 scorecard evidence-template 生成的证据材料",
                                file=source, code="E-FILE-FOREIGN"))
        return []
    ws = book.sheet(place[0])
    min_col, header_row, max_col, last_row = book.bounds(place[1])
    totals = place[2]  # Excel's 汇总行 (table design → total row): a sum or a label, never a record
    last_row -= totals
    headers = [str(v or "").strip() for v in ws.values(header_row, list(range(min_col, max_col + 1)))]
    wanted = [c.header for c in spec.columns]
    required = [c for c in spec.columns if not c.optional]
    if headers[:len(required)] != [c.header for c in required]:
        problems.append(Problem(f"表格“{spec.name}”的列应为：{'、'.join(c.header for c in required)}（顺序一致）",
                                file=source, sheet=ws.title, cell=f"{column_letter(min_col)}{header_row}",
                                code="E-FILE-FOREIGN"))
        return []
    columns = {h: min_col + i for i, h in enumerate(headers) if h in wanted}
    present = [c for c in spec.columns if c.header in columns]
    cols = [columns[c.header] for c in present]
    letters = [column_letter(col) for col in cols]
    result = []
    row = header_row + 1
    limit = header_row + MAX_ROWS
    while row <= limit:
        raw = ws.values(row, cols)
        empty = all(blank(v) for v in raw)
        if (empty or totals) and row > last_row:
            break  # rows typed below the table (LibreOffice does not extend it) are read up to the first blank row
        if not empty:
            values, cells, ok = {}, {}, True
            for column, letter, value in zip(present, letters, raw):
                coord = f"{letter}{row}"
                cells[column.header] = coord
                try:
                    values[column.header] = _value(value, column)
                except _Bad as exc:
                    if columnar and not isinstance(value, str):
                        raise NotPlain(coord) from None
                    problems.append(Problem(str(exc), file=source, sheet=ws.title, cell=coord, code="E-EVIDENCE-CELL"))
                    ok = False
                    continue
                if values[column.header] is None and (column.required or column.ask):
                    reason = f"“{column.header}”未填写：{column.ask}" if column.ask else f"“{column.header}”必须填写"
                    problems.append(Problem(reason, file=source, sheet=ws.title, cell=coord,
                                            code="E-EVIDENCE-BLANK" if column.ask else "E-EVIDENCE-CELL"))
                    ok = False
            if ok and spec.name == "reports" and values.get("提交日期") is not None and values.get("完整无误") is None:
                problems.append(Problem("“完整无误”未填写：已提交的月报请填“是”或“否”（不完整的月报在运行报告中列出，R9）",
                                        file=source, sheet=ws.title, cell=cells["完整无误"], code="E-EVIDENCE-BLANK"))
                ok = False
            if ok:
                values["_cells"] = cells
                values["_sheet"] = ws.title
                result.append(values)
        row += 1
    first = ws.first_filled(row + (totals or 1), min(ws.last_row, limit), cols) if row <= limit else None
    if first is not None:  # stopped at a blank row (or the totals) below the table: nothing may follow it, unread
        below = first[0]
        where = (f"汇总行下方第 {below} 行有记录，没有读取：请在汇总行之上插入行，把记录移入表格" if totals else
                 f"下方第 {below} 行有记录，但与表格之间隔着空行，没有读取：请删除中间的空行，"
                 "使记录紧接表格最后一行（或把它移入表格）；如是备注，请写在表格右侧的列或另一工作表中")
        problems.append(Problem(f"表格“{spec.name}”（{spec.sheet}）{where}", file=source, sheet=ws.title,
                                cell=f"{column_letter(first[1])}{below}", code="E-EVIDENCE-CELL"))
    if row > limit and any(v not in (None, "") for r in range(limit + 1, max(last_row, limit + 1) + 1)
                           for v in ws.values(r, cols)):
        # never a silent cut: an outage below the limit would otherwise raise the availability (R6)
        problems.append(Problem(f"表格“{spec.name}”（{spec.sheet}）超过 {MAX_ROWS} 行：第 {limit + 1} 行起的记录未读取，"
                                "结果会不完整。请删除多余的行，或把记录合并后重新填写",
                                file=source, sheet=ws.title, cell=f"{column_letter(min_col)}{limit + 1}",
                                code="E-EVIDENCE-CELL"))
    return result


def _order(problems, row, first: str, second: str, source: str) -> bool:
    a, b = row.get(first), row.get(second)
    if a is not None and b is not None and b < a:
        problems.append(Problem(f"“{second}”早于“{first}”", file=source, sheet=row["_sheet"], cell=row["_cells"][second],
                                code="E-EVIDENCE-CELL"))
        return False
    return True


def read_evidence(path: str | Path, crypto_penalty: Decimal | None = None, contract_id: str | None = None
                  ) -> tuple[Evidence | None, list[Problem]]:
    """The evidence of a period from its workbook, or (None, problems); every bad cell is named.

    `crypto_penalty` is the contract's R5 penalty, quoted when the 密评 cell is blank. `contract_id`, when
    given, is the contract assessed: a workbook whose 合同编号 (named cell contract_id) names another is
    refused (§2, §5: another contract's evidence has other rules, deadlines and item names).

    An evidence workbook saved as .xls, .ods or Strict Open XML is converted through LibreOffice first
    (scoring.excel.convert); its problems still name the file the secretary gave."""
    path = Path(path)
    what = conversion_needed(path)
    if what:
        import tempfile

        from scoring.excel.convert import convert_to_xlsx, this_is

        with tempfile.TemporaryDirectory(prefix="scorecard-evidence-") as tmp:
            made, problem = convert_to_xlsx(path, what, Path(tmp))
            if problem is not None:
                return None, [problem]
            evidence, problems = _read_evidence(made, str(path), crypto_penalty, contract_id)
            if [p.message for p in problems] == [NO_TABLES]:  # none of the tables came through the conversion
                return None, [Problem(f"{this_is(what)}，转换后其中没有证据表格（Excel 的“表”；.xls 不保存表格），无法读取：请在 "
                                      "Excel 或 WPS 中把记录复制到 scorecard evidence-template 生成的证据材料（.xlsx）里，"
                                      "保存为 .xlsx 后重试", file=str(path), code="E-FILE-FOREIGN")]
            return evidence, problems
    return _read_evidence(path, str(path), crypto_penalty, contract_id)


def _read_evidence(path: Path, source: str, crypto_penalty: Decimal | None, contract_id: str | None
                   ) -> tuple[Evidence | None, list[Problem]]:
    if preflight(path, EVIDENCE_LIMITS) is None:
        book = open_columnar(path)
        if book is not None:
            try:
                return _read_book(book, source, crypto_penalty, contract_id, columnar=True)
            except Exception:  # NotPlain or any surprise: openpyxl reads the file as before and words its problems
                pass
            finally:
                book.close()
    problems: list[Problem] = []
    wb = open_workbook(path, problems, EVIDENCE_LIMITS)
    if wb is None:
        return None, [replace(p, file=source) if p.file == str(path) else p for p in problems]
    book = _OpenpyxlBook(wb, path)
    try:
        return _read_book(book, source, crypto_penalty, contract_id, columnar=False)
    finally:
        book.close()
        wb.close()


def _other_contract(book: Any, source: str, contract_id: str | None) -> Problem | None:
    """The problem of a workbook made for a contract other than `contract_id` (its named cell contract_id), or
    None: the same contract, no contract to compare with, or a workbook without the cell (made by hand)."""
    place = book.locate(names.CONTRACT_ID) if contract_id is not None else None
    if place is None:
        return None
    value = book.cell(place[0], place[1])
    found = "" if value is None else str(value).strip()
    if found in ("", contract_id):
        return None
    from scoring.contract import contract_option

    return Problem(f"证据材料属于合同“{found}”，不是本次考核的合同“{contract_id}”：另一份合同的考核规则、时限和分项不同。"
                   f"请{contract_option(found)}，或换用 scorecard evidence-template 为本合同生成的证据材料",
                   file=source, sheet=place[0], cell=place[1], code="E-EVIDENCE-CONTRACT")


def _flags(book: Any, source: str, problems: list[Problem], crypto_penalty: Decimal | None, columnar: bool
           ) -> dict[str, Any]:
    """The named cells: period, crypto_passed and mlps_certified (是/否, a blank is a question)."""
    flags: dict[str, Any] = {}
    for name in ("crypto_passed", "mlps_certified", names.PERIOD):
        place = book.locate(name)
        if place is None:
            problems.append(Problem(f"不是本系统生成的证据材料：缺少定义名称 {name}", file=source, code="E-FILE-FOREIGN"))
            flags[name] = None
            continue
        value = book.cell(place[0], place[1])
        if name == names.PERIOD:
            flags[name] = "" if value is None else str(value).strip()
            flags["period_cell"] = tuple(place)
            continue
        try:
            flags[name] = _value(value, Column(name, YESNO))
        except _Bad:
            if columnar and not isinstance(value, str):
                raise NotPlain(name) from None
            label = FLAG_LABELS.get(name, name)
            problems.append(Problem(f"“{label}”{UNCOMPUTED}（{value.formula[:40]}）" if isinstance(value, _Uncomputed)
                                    else f"“{label}”应填“是”或“否”，现为“{value}”",
                                    file=source, sheet=place[0], cell=place[1],
                                    code="E-EVIDENCE-CELL"))
            continue
        if flags[name] is None:  # the template fills 否; a cleared cell is a question, not a default
            problems.append(Problem(f"“{FLAG_LABELS[name]}”未填写：请填“是”或“否”{flag_why(name, crypto_penalty)}",
                                    file=source, sheet=place[0], cell=place[1], code="E-EVIDENCE-BLANK"))
    return flags


def _read_book(book: Any, source: str, crypto_penalty: Decimal | None, contract_id: str | None, columnar: bool
               ) -> tuple[Evidence | None, list[Problem]]:
    """The Evidence of an opened workbook (columnar or openpyxl), or (None, problems)."""
    problems: list[Problem] = []
    try:
        if all(book.table(spec.name) is None for spec in TABLES):  # one reason, not a line per table and name
            return None, [Problem(NO_TABLES, file=source, code="E-FILE-FOREIGN")]
        other = _other_contract(book, source, contract_id)
        if other is not None:  # its rows would be judged by rules they were not written for: this one reason
            return None, [other]
        flags = _flags(book, source, problems, crypto_penalty, columnar)
        tables = {spec.name: _rows(book, spec, source, problems, columnar) for spec in TABLES}
    except Exception:  # a parser failure while reading cells is a bad input, never a traceback
        if columnar:
            raise
        return None, problems + [Problem("证据材料内容损坏，无法读取，请在 Excel 中打开后另存为 .xlsx 再试", file=source, code="E-FILE-FORMAT")]
    return _evidence(flags, tables, problems, source)


def _evidence(flags: dict[str, Any], tables: dict[str, list[dict]], problems: list[Problem], source: str
              ) -> tuple[Evidence | None, list[Problem]]:
    """The Evidence value of the tables' rows, checking each row's order of times."""
    outages = []
    for r in tables["outages"]:
        if r["开始时间"] == r["结束时间"] or not _order(problems, r, "开始时间", "结束时间", source):
            if r["开始时间"] == r["结束时间"]:
                problems.append(Problem("“结束时间”与“开始时间”相同", file=source, sheet=r["_sheet"], cell=r["_cells"]["结束时间"],
                                        code="E-EVIDENCE-CELL"))
            continue
        outages.append(Outage(r["开始时间"], r["结束时间"], r.get("说明") or "", r.get("通知日期")))
    requests = []
    for r in tables["requests"]:
        if _order(problems, r, "收到日期", "答复日期", source):
            requests.append(Request(r.get("编号") or "", r["收到日期"], r.get("答复日期"), r.get("说明") or ""))
    reports = [Report(r["月份"], r.get("提交日期"), bool(r.get("完整无误"))) for r in tables["reports"]
               if r.get("提交日期") is not None or r.get("完整无误")]
    incidents = []
    for r in tables["incidents"]:
        if all([_order(problems, r, "发生时间", later, source) for later in ("发现时间", "响应时间", "到场时间", "恢复时间")]):
            incidents.append(Incident(
                r.get("编号") or f"第{r['_cells']['发生时间'][1:]}行", r["发生时间"], r.get("响应时间"), r.get("到场时间"),
                r.get("恢复时间"), r["影响系统数"], r["数据丢失无法恢复"], r["数据泄密"], r["瞒报漏报"],
                r.get("说明") or "", r.get("发现时间")))
    evidence = Evidence(
        period=flags.get(names.PERIOD) or "",
        outages=tuple(outages), requests=tuple(requests), reports=tuple(reports), incidents=tuple(incidents),
        complaints=tuple(Complaint(r["日期"], r["类型"], r.get("说明") or "") for r in tables["complaints"]),
        drills=tuple(Drill(r["日期"], r.get("内容") or "") for r in tables["drills"]),
        trainings=tuple(Training(r["日期"], r["人次"], r.get("内容") or "") for r in tables["trainings"]),
        holidays=tuple((r["日期"], r["类型"]) for r in tables["holidays"]),
        crypto_passed=bool(flags.get("crypto_passed")), mlps_certified=bool(flags.get("mlps_certified")),
        source=source, period_cell=flags.get("period_cell") or ("", ""),
    )
    return (None if problems else evidence), problems
