"""The columnar evidence reader (python-calamine) against the openpyxl reader: the same Evidence and the same
problems (codes, places, messages) on the sample, on LibreOffice re-saves and on random workbooks (interfaces.md §2;
R6-R9 read their rows from here)."""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.excel import evidence_columnar, evidence_reader, names
from scoring.excel.atomic import save_workbook
from scoring.excel.evidence_tables import CHOICE, COUNT, DATE, DATETIME, MONTH, TABLES, TEXT, YESNO
from scoring.excel.libreoffice import convert
from tests.conftest import needs_libreoffice, write_evidence_workbook

SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "evidence" / "2026H2_证据材料.xlsx"


def openpyxl_read(path: Path, monkeypatch: pytest.MonkeyPatch):
    """read_evidence through the openpyxl path only (the reader before python-calamine)."""
    with monkeypatch.context() as m:
        m.setattr(evidence_reader, "open_columnar", lambda p: None)
        return evidence_reader.read_evidence(path)


def columnar_read(path: Path):
    """The columnar path's own result, or None when it hands the file to openpyxl (not plain, or NotPlain)."""
    book = evidence_columnar.open_columnar(Path(path))
    if book is None:
        return None
    try:
        return evidence_reader._read_book(book, str(path), None, None, columnar=True)
    except evidence_columnar.NotPlain:
        return None
    finally:
        book.close()


def compare_tables(path: Path) -> int:
    """Each table's rows (every cell's value, even where other rows are refused) and problems read both ways
    are equal; the number of tables the columnar path read itself (a table it hands over is not counted)."""
    from scoring.excel.preflight import EVIDENCE_LIMITS, open_workbook

    wb = open_workbook(path, [], EVIDENCE_LIMITS)
    book = evidence_columnar.open_columnar(Path(path))
    if wb is None or book is None:
        return 0
    compared = 0
    try:
        for table in TABLES:
            mine: list = []
            try:
                rows = evidence_reader._rows(book, table, "f", mine, True)
            except evidence_columnar.NotPlain:
                continue
            theirs: list = []
            assert rows == evidence_reader._rows(evidence_reader._OpenpyxlBook(wb), table, "f", theirs, False)
            assert mine == theirs
            compared += 1
    finally:
        book.close()
        wb.close()
    return compared


def assert_same(path: Path, monkeypatch: pytest.MonkeyPatch, columnar: bool | None = None) -> tuple:
    """Both readers give the same result; `columnar`: whether the columnar path must (not) have taken it."""
    expected = openpyxl_read(path, monkeypatch)
    assert evidence_reader.read_evidence(path) == expected
    own = columnar_read(path)
    if own is not None:
        assert own == expected
    if columnar is not None:
        assert (own is not None) == columnar
    compare_tables(path)
    return expected


def test_sample_is_read_by_the_columnar_path_with_the_same_evidence(monkeypatch):
    evidence, problems = assert_same(SAMPLE, monkeypatch, columnar=True)
    assert problems == [] and len(evidence.outages) == 2 and evidence.period == "2026H2"


def test_without_python_calamine_the_openpyxl_path_reads_the_same(monkeypatch):
    expected = evidence_reader.read_evidence(SAMPLE)
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # `import python_calamine` raises ImportError
    assert evidence_columnar.open_columnar(SAMPLE) is None
    assert evidence_reader.read_evidence(SAMPLE) == expected


def _moved_table(tmp_path: Path) -> Path:
    """The outages table moved 3 rows down and 2 columns right, extended below, one bad cell and rows typed under it."""
    path = write_evidence_workbook(tmp_path / "plain.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["服务中断"]
    ws.move_range("A1:D102", rows=3, cols=2)
    rows = [(datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 11), "中断"), ("2026年8月3日 9:30", "２０２６－０８－０３ １０：００", ""),
            (datetime(2026, 8, 5, 10), "不是日期", "坏的一行")]
    for r, values in enumerate(rows, start=6):
        for c, value in enumerate(values, start=3):
            ws.cell(r, c, value)
    ws.cell(115, 3, datetime(2026, 9, 1, 8))  # typed under the table (rows 6..105), after blank rows: a problem
    ws.cell(106, 3, datetime(2026, 9, 2, 8))  # typed right under the table: read
    ws.cell(106, 4, datetime(2026, 9, 2, 9))
    ws.tables["outages"].ref = "C5:F105"
    save_workbook(wb, tmp_path / "moved.xlsx")
    return tmp_path / "moved.xlsx"


def test_a_moved_table_names_its_cells_where_they_are(tmp_path, monkeypatch):
    evidence, problems = assert_same(_moved_table(tmp_path), monkeypatch, columnar=True)
    assert [(p.sheet, p.cell, p.code) for p in problems] == [("服务中断", "D8", "E-EVIDENCE-CELL"),
                                                             ("服务中断", "C115", "E-EVIDENCE-CELL")]
    assert evidence is None


def test_rows_beyond_the_limit_are_named_alike(tmp_path, monkeypatch):
    outages = [(datetime(2026, 8, k, 10), datetime(2026, 8, k, 11), "中断") for k in range(1, 6)]
    path = write_evidence_workbook(tmp_path / "e.xlsx", rows={"服务中断": outages})
    monkeypatch.setattr(evidence_reader, "MAX_ROWS", 3)
    _, problems = assert_same(path, monkeypatch, columnar=True)
    assert ("服务中断", "A6") in [(p.sheet, p.cell) for p in problems]


def _with_part_edited(source: Path, target: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, edit(data) if info.filename == part else data)
    return target


def test_an_entity_declaration_is_left_to_defusedxml(tmp_path, monkeypatch):
    """Hostile XML: the columnar path does not parse it; openpyxl's defusedxml refuses it with its message."""
    path = _with_part_edited(SAMPLE, tmp_path / "dtd.xlsx", "xl/worksheets/sheet2.xml",
                             lambda d: d.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1))
    _, problems = assert_same(path, monkeypatch, columnar=False)
    assert problems and "不安全的 XML" in problems[0].message


NOT_PLAIN_PIECES = [b"<f>", b"<f ", b"<f/", b"<fill", b"<!DOCTYPE", b"<!ENTITY", b"<rPh", b"<rPr", b' t="e"',
                    b"\tt='d'", b'xt="e"', b' t="s"', b"\nt=\"d'", b"_x005F_", b"_x005f_", b"\xe5\xbc\xa0", b'<c r="A1"']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NOT_PLAIN_PIECES), max_size=6))
def test_what_goes_to_openpyxl_is_the_one_pattern_it_was(pieces):
    """_not_plain (literal searches, the cell types only where their bytes occur) is the single alternation
    it replaced (issue 15: that alternation scanned every byte of every part)."""
    text = b"".join(pieces)
    one = re.compile(rb'<(?:f[\s>/]|!DOCTYPE|!ENTITY|rPh)|\st=["\'][ed]["\']|_x005F_')
    assert evidence_columnar._not_plain(text) == (one.search(text) is not None)


def test_error_values_and_formulas_are_read_as_openpyxl_reads_them(tmp_path, monkeypatch):
    """calamine turns #N/A into a blank and a formula into its cached value: such files go to openpyxl."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["需求函"]
    ws["C3"].value, ws["C3"].data_type = "#N/A", "e"  # an answered date that is an error value is no blank
    path = tmp_path / "error.xlsx"
    save_workbook(wb, path)
    _, problems = assert_same(path, monkeypatch, columnar=False)
    assert [(p.sheet, p.cell) for p in problems] == [("需求函", "C3")] and "#N/A" in problems[0].message
    ws["C3"] = "=B3+1"
    save_workbook(wb, path)
    _, problems = assert_same(path, monkeypatch, columnar=False)
    assert [(p.sheet, p.cell) for p in problems] == [("需求函", "C3")]


def test_a_bad_date_formatted_number_is_worded_as_openpyxl_gives_it(tmp_path, monkeypatch):
    """A date-formatted 3,000,000 is #VALUE! in openpyxl and a number in calamine: openpyxl words it."""
    path = write_evidence_workbook(tmp_path / "e.xlsx", rows={"应急演练": [(3_000_000, "演练")]})
    wb = openpyxl.load_workbook(path)
    wb["应急演练"]["A3"].number_format = "yyyy-mm-dd"
    save_workbook(wb, path)
    _, problems = assert_same(path, monkeypatch)
    assert [(p.cell, "#VALUE!" in p.message) for p in problems] == [("A3", True)]


@needs_libreoffice
@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_libreoffice_saves_are_read_alike(tmp_path, monkeypatch, kind):
    """The sample re-saved by LibreOffice (xlsx) and saved as .ods (read through the conversion)."""
    moved = _moved_table(tmp_path)
    for source in (SAMPLE, moved):
        folder = tmp_path / f"{source.stem}-{kind}"
        folder.mkdir()
        shutil.copy(source, folder / "in.xlsx")
        made = convert(folder / "in.xlsx", kind, folder / "out")
        result = assert_same(made, monkeypatch, columnar=True if kind == "xlsx" else None)
        assert result == assert_same(made, monkeypatch) and (result[0] is None) == (source == moved)


@needs_libreoffice
def test_evidence_saved_as_xls_is_one_clear_problem(tmp_path):
    """§2: .xls keeps no tables; the secretary got eight "缺少表格" lines pointing at evidence-template."""
    shutil.copy(SAMPLE, tmp_path / "in.xlsx")
    made = convert(tmp_path / "in.xlsx", "xls", tmp_path / "out")
    evidence, problems = evidence_reader.read_evidence(made)
    assert evidence is None and [(p.file, p.code) for p in problems] == [(str(made), "E-FILE-FOREIGN")]
    assert "旧版 Excel 文件（.xls）" in problems[0].message and "保存为 .xlsx" in problems[0].message
    wb = openpyxl.load_workbook(SAMPLE)  # an .ods keeps its tables: one really missing is named as such
    del wb["节假日调整"]
    save_workbook(wb, tmp_path / "partial.xlsx")
    made = convert(tmp_path / "partial.xlsx", "ods", tmp_path / "ods")
    evidence, problems = evidence_reader.read_evidence(made)
    assert evidence is None and [p.message[:14] for p in problems] == ["缺少表格“holidays”"]


@needs_libreoffice
def test_formulas_are_read_as_the_values_the_file_holds(tmp_path, monkeypatch):
    """§2: a monitoring log computes 结束时间 = 开始时间 + 时长; Excel shows the value and so is it read (it was
    refused as "应为日期，现为“=A5+1/24”"). A formula whose file holds no value (written by a program that does
    not calculate) is a problem naming its cell and what to do, never a blank or a guess."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["服务中断"]
    start = ws["A3"].value
    ws["A5"], ws["B5"], ws["C5"] = "=A3+1", "=A5+1/24", '="x"&"y"'
    save_workbook(wb, tmp_path / "f.xlsx")
    evidence, problems = assert_same(tmp_path / "f.xlsx", monkeypatch, columnar=False)
    assert evidence is None and [p.cell for p in problems] == ["A5", "B5", "C5"]
    assert all("没有它的计算结果" in p.message and "选择性粘贴" in p.message for p in problems)
    made = convert(tmp_path / "f.xlsx", "xlsx", tmp_path / "out")
    evidence, problems = assert_same(made, monkeypatch, columnar=False)
    assert problems == []
    added = [o for o in evidence.outages if o.note == "xy"]
    assert [(o.start, o.end) for o in added] == [(start + timedelta(days=1), start + timedelta(days=1, hours=1))]


# --- random evidence workbooks ---------------------------------------------------------------------------

TEXTS = ["是", "否", "投诉", "未接电话", "休息日", "工作日", "中断", "2026-08-01", "2026/8/1 9:30", "2026年8月1日",
         "2026年8月", "２０２６－０８－０１", "2026-13-01", "#N/A", "=1+1", "１２", " 是 ", "  ", "", "abc", "-0"]
NUMBERS = [0, 1, 3, -1, 2.5, 2.9999999999999996, 46235, 46235.5, 46235.41666666666, 0.5, 1e20, 32873, 73052,
           3_000_000, -2.5, 12.0]
FORMATS = ["General", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy/m/d h:mm:ss", "0.00", "@", "h:mm", "[h]:mm",
           'yyyy"年"m"月"d"日"', "yyyy-mm"]
ERRORS = ["#N/A", "#VALUE!", "#DIV/0!", "#REF!"]

cell_values = st.one_of(
    st.none(), st.sampled_from(TEXTS), st.sampled_from(NUMBERS), st.booleans(),
    st.datetimes(datetime(2025, 1, 1), datetime(2028, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.dates(date(1995, 1, 1), date(2030, 1, 1)),
    st.integers(0, 86399).map(lambda s: datetime(2026, 8, 1) + timedelta(seconds=s)),
)
specials = st.sampled_from([None] * 12 + ["error", "formula"])
moments = st.integers(0, 180 * 86400).map(lambda s: datetime(2026, 7, 1) + timedelta(seconds=s))
VALID = {  # values each kind of column accepts, in the forms people and programs write them
    DATETIME: st.one_of(moments, moments.map(lambda d: d.strftime("%Y年%m月%d日 %H:%M")),
                        moments.map(lambda d: (d - datetime(1899, 12, 30)) / timedelta(days=1))),
    DATE: st.one_of(moments.map(lambda d: d.date()), moments.map(lambda d: d.strftime("%Y/%m/%d")),
                    moments.map(lambda d: d.strftime("%Y-%m-%d").translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))),
                    st.integers(46204, 46387)),
    MONTH: moments.map(lambda d: d.replace(day=1, hour=0, minute=0, second=0)),
    TEXT: st.one_of(st.sampled_from(TEXTS), st.sampled_from(NUMBERS), moments, st.booleans()),
    YESNO: st.sampled_from(["是", "否", True, False]),
    COUNT: st.sampled_from([0, 1, 3, 12.0, 2.9999999999999996, 7, "2", "１２"]),  # text from an export too
}
tables = st.dictionaries(st.sampled_from([t.sheet for t in TABLES]), st.integers(1, 4), max_size=4)
flags = st.sampled_from(["是", "否", None, "maybe", True, 1])


def _cell(draw, column, odd: bool) -> tuple:
    """(value, number format, special) for one cell of a column: mostly valid, sometimes anything at all;
    in an `odd` workbook sometimes an error value or a formula (such a file goes to openpyxl as a whole)."""
    special = draw(specials) if odd else None
    if draw(st.integers(0, 4)) == 0:
        value = draw(cell_values)
    elif column.kind == CHOICE:
        value = draw(st.sampled_from(column.choices))
    else:
        value = draw(VALID[column.kind])
    return value, draw(st.sampled_from(FORMATS)), special


def _random_workbook(path: Path, content: dict, crypto, draw) -> tuple[Path, bool]:
    """The evidence template with random cells typed in its tables; whether any cell is an error or a formula."""
    from scoring.excel.evidence_sheet import HEADER_ROW

    path = write_evidence_workbook(path)
    wb = openpyxl.load_workbook(path)
    odd, may_be_odd = False, draw(st.integers(0, 3)) == 0
    specs = {t.sheet: t for t in TABLES}
    for sheet, count in content.items():
        ws = wb[sheet]
        for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + count):
            for c, column in enumerate(specs[sheet].columns, start=1):
                value, number_format, special = _cell(draw, column, may_be_odd)
                cell = ws.cell(r, c)
                if special == "error":
                    cell.value, cell.data_type, odd = ERRORS[c % len(ERRORS)], "e", True
                elif special == "formula":
                    cell.value, odd = f"=ROW()+{c}", True
                else:
                    cell.value = value
                    if isinstance(value, str) and value.startswith(("=", "#")):
                        cell.data_type = "s"  # typed text, not a formula or an error
                cell.number_format = number_format
    sheet, coordinate = names.locate(wb, "crypto_passed")
    wb[sheet][coordinate].value = crypto
    save_workbook(wb, path)
    return path, odd


def test_random_evidence_workbooks_read_alike(tmp_path_factory, monkeypatch):
    """Random valid and invalid cells in every table (blanks, text dates, full-width, numbers under date formats,
    error cells, formulas): the same Evidence and problems; plain ones go the columnar way."""
    taken = []

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(content=tables, crypto=flags, data=st.data())
    def check(content, crypto, data):
        path, odd = _random_workbook(tmp_path_factory.mktemp("random") / "e.xlsx", content, crypto, data.draw)
        assert_same(path, monkeypatch, columnar=False if odd else None)
        taken.append(compare_tables(path))

    check()
    assert sum(taken) >= 20  # the columnar path really read tables, not only handed them over


def test_the_plain_path_needs_no_openpyxl():
    """Heavy imports stay off the path: a plain evidence workbook is read with openpyxl unimportable."""
    import subprocess

    code = ("import sys; sys.modules['openpyxl'] = None\n"
            "from scoring.excel.evidence_reader import read_evidence\n"
            f"evidence, problems = read_evidence({str(SAMPLE)!r})\n"
            "assert problems == [] and len(evidence.outages) == 2, problems\n"
            "print(sorted(m for m in sys.modules if m.startswith(('openpyxl.', 'pandas', 'numpy'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16"])
def test_a_utf16_sheet_declaring_an_entity_is_refused_as_openpyxl_refuses_it(tmp_path, monkeypatch, encoding):
    """UTF-16 without a byte-order mark begins with b"<" and hides <!DOCTYPE from the bytes scan: the columnar
    path took it and said the table was missing; it is not plain, so openpyxl's defusedxml words the refusal."""
    def edit(data: bytes) -> bytes:
        text = re.sub(r"^<\?xml[^>]*\?>", "", data.decode("utf-8"))
        text = text.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet', 1)
        return ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode(encoding)

    path = _with_part_edited(SAMPLE, tmp_path / "utf16.xlsx", "xl/worksheets/sheet2.xml", edit)
    _, problems = assert_same(path, monkeypatch, columnar=False)
    assert problems and "不安全的 XML" in problems[0].message


@needs_libreoffice
def test_a_formula_whose_result_is_empty_text_is_a_blank_cell(tmp_path, monkeypatch):
    """§2: =IF(A5="","",A5+1/24) filled down 结束时间 was refused for every empty row ("没有它的计算结果"),
    though Excel and LibreOffice store its empty text result; an openpyxl-written one has no result at all.
    Filled down past the table's last row (102), the empty results below it are no rows typed under the table."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["服务中断"]
    for row in range(5, 151):
        ws[f"B{row}"] = f'=IF(A{row}="","",A{row}+1/24)'
    save_workbook(wb, tmp_path / "f.xlsx")
    made = convert(tmp_path / "f.xlsx", "xlsx", tmp_path / "out")
    evidence, problems = assert_same(made, monkeypatch, columnar=False)
    assert problems == [] and evidence.outages == evidence_reader.read_evidence(SAMPLE)[0].outages


@needs_libreoffice
def test_values_of_a_file_that_asks_to_be_recalculated_are_not_trusted(tmp_path, monkeypatch):
    """§2: XlsxWriter and pandas store every formula's value as 0 and set fullCalcOnLoad; 人次 =2+3 read as 0
    persons. Such a file's formulas are named as having no value; the same file saved by LibreOffice is read."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["培训服务"]
    ws["A5"], ws["B5"], ws["C5"] = datetime(2026, 11, 20), "=2+3", "公式人次"
    save_workbook(wb, tmp_path / "f.xlsx")
    saved = convert(tmp_path / "f.xlsx", "xlsx", tmp_path / "out")
    evidence, problems = assert_same(saved, monkeypatch, columnar=False)
    assert problems == [] and [t.persons for t in evidence.trainings if t.content == "公式人次"] == [5]
    flagged = _with_part_edited(saved, tmp_path / "flagged.xlsx", "xl/workbook.xml",
                                lambda d: d.replace(b"<calcPr ", b'<calcPr fullCalcOnLoad="1" ', 1))
    evidence, problems = assert_same(flagged, monkeypatch, columnar=False)
    assert evidence is None and [(p.sheet, p.cell) for p in problems] == [("培训服务", "B5")]
    assert "没有它的计算结果" in problems[0].message


@needs_libreoffice
def test_stored_formula_values_read_through_calamine_equal_openpyxls(tmp_path):
    """The fast read of stored values (python-calamine) gives every formula cell what openpyxl's data-only
    reading gives it: dates, numbers, text, yes/no; an empty result is left to openpyxl (it alone tells empty
    text from no value)."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["服务中断"]
    formulas = {"A5": "=A3+1", "B5": "=A5+1/24", "C5": '="x"&"y"', "A6": "=A3+2", "B6": "=A6+0.5", "C6": '=IF(1,"","z")',
                "D5": "=DATE(2026,9,1)"}
    for ref, text in formulas.items():
        ws[ref] = text
    training = wb["培训服务"]
    training["A5"], training["B5"], training["C5"] = datetime(2026, 11, 20), "=2+3", "=UPPER(\"ok\")"
    save_workbook(wb, tmp_path / "f.xlsx")
    made = convert(tmp_path / "f.xlsx", "xlsx", tmp_path / "out")
    book = evidence_reader._OpenpyxlBook(openpyxl.load_workbook(made), made)
    try:
        for title, refs in (("服务中断", formulas), ("培训服务", {"B5": 0, "C5": 0})):
            fast, slow = book._calamine_values(title), book._stored_values(title)
            for ref in refs:
                cell = openpyxl.utils.cell.coordinate_to_tuple(ref)
                if cell in fast:
                    assert fast[cell][0] == slow[cell][0], (title, ref)
                else:
                    assert slow.get(cell, (None, "n"))[0] in (None, ""), (title, ref)
        assert book._calamine_values("培训服务")[(5, 2)][0] == 5
    finally:
        book.close()
