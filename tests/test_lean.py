"""R1.2, §2: the lean expert-workbook reader gives what openpyxl's read-only reader gives, or steps aside."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring.excel import lean, names, reader
from scoring.excel.reader import read_expert_workbook
from tests import hostile
from tests.conftest import RUBRIC, write_expert_workbook

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"


def both(path: Path, monkeypatch):
    """read_expert_workbook through the lean view and through openpyxl alone."""
    fast = read_expert_workbook(path, RUBRIC)
    asked: list[object] = []
    with monkeypatch.context() as m:
        m.setattr(reader, "lean_view", asked.append)  # the reader's one way to the lean view, refused: openpyxl
        slow = read_expert_workbook(path, RUBRIC)
    assert len(asked) <= 1 and (asked or slow[0] is None)  # the seam was on the path (unless refused before it)
    return fast, slow


def cells(wb, title: str) -> dict[str, tuple]:
    ws = wb[title]
    return {c.coordinate: (c.value, c.data_type) for row in ws.iter_rows(min_row=1, max_row=ws.max_row)
            for c in row if getattr(c, "coordinate", None) and (c.value is not None or c.data_type != "n")}


def same_view(path: Path) -> None:
    """Every cell, the sheet sizes and every defined name's place agree with openpyxl's read-only workbook."""
    view = lean.open_lean(path)
    assert view is not None
    wb = openpyxl.load_workbook(path, read_only=True)
    assert view.sheetnames == wb.sheetnames
    for title in wb.sheetnames:
        assert (view[title].max_row, view[title].max_column) == (wb[title].max_row, wb[title].max_column)
        assert cells(view, title) == cells(wb, title)
    assert {n: names.locate(view, n) for n in wb.defined_names} == {n: names.locate(wb, n) for n in wb.defined_names}
    wb.close()


@pytest.mark.parametrize("path", sorted(SAMPLE.glob("*.xlsx")), ids=lambda p: p.name)
def test_sample_sheets_read_alike(path, monkeypatch):
    same_view(path)
    fast, slow = both(path, monkeypatch)
    assert fast == slow and fast[0] is not None


values = st.one_of(st.none(), st.integers(-5, 20), st.floats(allow_nan=False, allow_infinity=False, width=32),
                   st.text(max_size=8), st.booleans(), st.dates(min_value=date(1901, 1, 1)),
                   st.datetimes(min_value=datetime(1901, 1, 1)), st.just("=1+1"), st.just("=SUM(F9:F10)"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([i.id for i in RUBRIC.items]), values, max_size=5),
       st.dictionaries(st.sampled_from([i.id for i in RUBRIC.items]), values, max_size=3))
def test_r1_2_any_typed_value_reads_alike(tmp_path_factory, monkeypatch, scores, notes):
    folder = tmp_path_factory.mktemp("w")
    try:
        path = write_expert_workbook(folder, "甲", scores, notes={k: v for k, v in notes.items()})
    except Exception:  # a value openpyxl cannot write (illegal characters): nothing to read
        return
    fast, slow = both(path, monkeypatch)
    assert fast == slow
    if lean.open_lean(path) is not None:
        same_view(path)


def test_excel_style_shared_strings_and_rich_text_read_alike(tmp_path, monkeypatch):
    path = hostile.with_shared_strings(write_expert_workbook(tmp_path, "甲", {}), """<?xml version="1.0"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
<si><t>甲</t><rPh sb="0" eb="1"><t>ジャ</t></rPh></si><si><r><t>ab</t></r><r><t xml:space="preserve"> c</t></r></si></sst>""")
    text = hostile.sheet_xml(path)
    text = text.replace('<c r="B5"', '<c r="B5" t="s"><v>0</v></c><c r="X99"', 1)
    hostile.rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})
    same_view(path)
    fast, slow = both(path, monkeypatch)
    assert fast == slow and fast[0].expert == "甲"


HOSTILE = [b for b, _ in hostile.CATALOGUE  # the heavy ones are refused before either reader (test_hostile.py)
           if b.__name__ not in ("zip_bomb", "ratio_bomb", "huge_dimension", "billion_laughs")]


@pytest.mark.parametrize("builder", HOSTILE, ids=[b.__name__ for b in HOSTILE])
def test_hostile_files_give_the_same_problems(tmp_path, monkeypatch, builder):
    path = builder(tmp_path)
    fast, slow = both(path, monkeypatch)
    assert fast == slow


def test_shared_formulas_and_unsized_sheets_go_to_openpyxl(tmp_path, monkeypatch):
    """A shared formula is looked at only where a named cell is read (issue 15): in the total row it changes
    nothing; in a score cell the file goes to openpyxl, which translates it. A sheet without its dimension
    goes to openpyxl whole."""
    path = write_expert_workbook(tmp_path, "甲", {i.id: 1 for i in RUBRIC.items})
    text = hostile.sheet_xml(path)
    shutil.copy(path, tmp_path / "copy.xlsx")
    shutil.copy(path, tmp_path / "score.xlsx")
    total = text.replace("<f>SUM(F9:F11)</f>", '<f t="shared" ref="F22" si="0">SUM(F9:F11)</f>')
    assert total != text
    hostile.rewrite(path, {"xl/worksheets/sheet1.xml": total.encode()})
    assert lean.open_lean(path) is not None
    fast, slow = both(path, monkeypatch)
    assert fast == slow and fast[0] is not None

    score = tmp_path / "score.xlsx"
    coordinate = _score_cell(score, RUBRIC.items[0].id)
    cell = re.search(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)', text).group(0)
    shared = f'<c r="{coordinate}"><f t="shared" ref="{coordinate}" si="0">1+1</f><v>2</v></c>'
    hostile.rewrite(score, {"xl/worksheets/sheet1.xml": text.replace(cell, shared).encode()})
    view = lean.open_lean(score)
    with pytest.raises(lean.NotPlain):
        view["评分表"].cell_at(coordinate)
    fast, slow = both(score, monkeypatch)
    assert fast == slow and any("公式" in p.message and p.cell == coordinate for p in fast[1])

    other = tmp_path / "copy.xlsx"
    unsized = re.sub(r"<dimension [^>]*/>", "", text)
    assert unsized != text
    hostile.rewrite(other, {"xl/worksheets/sheet1.xml": unsized.encode()})
    assert lean.open_lean(other) is None


EXCEL_ROOT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
              'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">')


@pytest.mark.parametrize("change", ["excel", "comment", "cdata", "prefixed", "two", "bad tail", "lowercase"])
def test_the_cut_after_sheetdata_reads_alike(tmp_path, monkeypatch, change):
    """Only the worksheet up to </sheetData> is parsed (lean.cell_data) when the cut is certain; Excel's root with
    its prefixed attributes on rows, comments, CDATA, a prefixed root, a second sheetData and a damaged tail
    read as openpyxl reads them."""
    path = write_expert_workbook(tmp_path, "甲", {i.id: i.points // 2 for i in RUBRIC.items}, notes={"report": "好"})
    text = hostile.sheet_xml(path)
    start = re.match(r"(<\?xml[^>]*\?>\s*)?<worksheet[^>]*>", text)
    if change == "excel":
        text = EXCEL_ROOT + text[start.end():].replace("<row ", '<row x14ac:dyDescent="0.25" ')
    elif change == "comment":
        text = text.replace("<sheetData>", "<!-- </sheetData> --><sheetData>")
    elif change == "cdata":
        text = re.sub(r"<t>好</t>", "<t><![CDATA[好</sheetData>]]></t>", text)
    elif change == "prefixed":
        text = re.sub(r"<(/?)([A-Za-z]+)", r"<\1x:\2", text).replace('xmlns="', 'xmlns:x="')
    elif change == "two":
        text = text.replace("</worksheet>", "<extLst><ext uri='x'><sheetData/></ext></extLst></worksheet>")
    elif change == "bad tail":
        text = text.replace("</worksheet>", "<mergeCells></worksheet>")
    elif change == "lowercase":
        text = text.replace('<c r="B5"', '<c r="b5"', 1)
    assert text != hostile.sheet_xml(path)
    hostile.rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})
    cut = lean.cell_data(text.encode())
    assert (cut != text.encode()) == (change in ("excel", "bad tail", "lowercase"))
    fast, slow = both(path, monkeypatch)
    if change == "bad tail":  # past the cell data, as openpyxl's read-only reader: it stops at the last row asked for
        assert fast[0] is not None and fast[0].scores == slow[0].scores
        return
    assert fast == slow
    if change in ("excel", "comment", "cdata", "two"):
        assert fast[0] is not None and fast[0].notes["report"] == ("好</sheetData>" if change == "cdata" else "好")
        same_view(path)


def _score_cell(path: Path, item_id: str) -> str:
    wb = openpyxl.load_workbook(path)
    sheet, cell = names.locate(wb, names.score_name(item_id))
    return cell


@pytest.mark.parametrize("stored", ['t="n"><v>abc</v>', 't="s"><v>999</v>', 't="d"><v>gestern</v>', 't="b"><v>x</v>'])
def test_a_named_cell_the_lean_view_cannot_cast_goes_to_openpyxl(tmp_path, monkeypatch, stored):
    """Cells are cast only when read (issue 15: a panel of 301 sheets); a cast that fails then hands the file
    to openpyxl's reader, so the result and its messages are openpyxl's, as when the lean view refused it whole."""
    path = write_expert_workbook(tmp_path, "甲", {i.id: 1 for i in RUBRIC.items})
    coordinate = _score_cell(path, RUBRIC.items[0].id)
    text = hostile.sheet_xml(path)
    cell = re.search(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)', text).group(0)
    style = re.search(r'\ss="\d+"', cell)
    bad = f'<c r="{coordinate}"{style.group(0) if style else ""} {stored}</c>'
    hostile.rewrite(path, {"xl/worksheets/sheet1.xml": text.replace(cell, bad).encode()})
    assert lean.open_lean(path) is not None  # the sheet itself is plain: the bad cell shows when read
    fast, slow = both(path, monkeypatch)
    assert fast == slow


def test_an_unread_cell_the_lean_view_cannot_cast_does_not_matter(tmp_path, monkeypatch):
    path = write_expert_workbook(tmp_path, "甲", {i.id: 1 for i in RUBRIC.items})
    text = hostile.sheet_xml(path)
    text = text.replace("</sheetData>", '<row r="300"><c r="Z300" t="n"><v>abc</v></c></row></sheetData>')
    hostile.rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})
    fast, slow = both(path, monkeypatch)
    assert fast[0] is not None and fast[0].scores == slow[0].scores == {i.id: 1 for i in RUBRIC.items}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_a_utf16_sheet_declaring_entities_is_refused_like_openpyxl_refuses_it(tmp_path, monkeypatch, encoding):
    """UTF-16 without a byte-order mark begins with b"<" but hides "<!DOCTYPE" from a bytes scan: the lean
    reader once parsed it with the C parser and read the scores. defusedxml refuses it, so must we."""
    import zipfile

    source = write_expert_workbook(tmp_path, "甲", {})
    path = tmp_path / "utf16.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r"^<\?xml[^>]*\?>", "", data.decode("utf-8"))
                text = text.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "甲">]><worksheet', 1)
                data = ('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>' + text).encode(encoding)
            zout.writestr(info, data)
    fast, slow = both(path, monkeypatch)
    assert fast == slow and fast[0] is None
    assert [p.message for p in fast[1]] == ["工作簿含有不安全的 XML（实体定义或外部引用），拒绝读取"]


def test_a_file_openpyxl_then_refuses_is_its_problem_not_a_crash(tmp_path, monkeypatch):
    """The lean view took the file, a named cell sent it to openpyxl, and openpyxl's pre-flight refused it:
    the refusal is the result (closing the workbook that was never opened raised AttributeError)."""
    from scoring.errors import Problem
    from scoring.excel import reader

    path = write_expert_workbook(tmp_path, "甲", {i.id: 1 for i in RUBRIC.items})
    coordinate = _score_cell(path, RUBRIC.items[0].id)
    text = hostile.sheet_xml(path)
    cell = re.search(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)', text).group(0)
    hostile.rewrite(path, {"xl/worksheets/sheet1.xml": text.replace(cell, f'<c r="{coordinate}" t="n"><v>abc</v></c>').encode()})
    refusal = Problem("refused", file=str(path), code="E-FILE-FORMAT")
    monkeypatch.setattr(reader, "open_workbook", lambda p, problems, **k: problems.append(refusal))
    assert read_expert_workbook(path, RUBRIC) == (None, [refusal])


def test_the_sheet_carries_the_sha256_of_the_bytes_it_was_read_from(tmp_path, monkeypatch):
    """The audit sheet records each expert sheet's SHA-256 (interfaces.md §5): it is taken from the bytes the
    scores were read from (read once, issue 15), on the lean path and on openpyxl's, and is no part of the values
    compared."""
    import hashlib

    path = write_expert_workbook(tmp_path, "甲", {i.id: 1 for i in RUBRIC.items})
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    fast, slow = both(path, monkeypatch)
    assert fast[0].sha256 == slow[0].sha256 == expected
    (tmp_path / "b").mkdir()
    other = write_expert_workbook(tmp_path / "b", "甲", {i.id: 2 for i in RUBRIC.items})
    assert read_expert_workbook(other, RUBRIC)[0].sha256 != expected


def test_read_checked_takes_exactly_what_the_pre_flight_check_passes(tmp_path, monkeypatch):
    """One stat and one read (issue 15) decide as preflight.check_file does: a regular, non-empty zip within the
    size limit is read; anything else is left to open_workbook, which words the refusal. A named pipe among the
    sheets is never opened (opening it would wait for a writer)."""
    import os

    from scoring.excel import preflight

    sheet = write_expert_workbook(tmp_path, "甲", {i.id: 1 for i in RUBRIC.items})
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "text.xlsx").write_text("专家,得分\n", encoding="utf-8")
    (tmp_path / "old.xlsx").write_bytes(preflight.OLE2 + b"\0" * 600)
    (tmp_path / "folder.xlsx").mkdir()
    os.mkfifo(tmp_path / "pipe.xlsx")
    cases = [sheet, tmp_path / "empty.xlsx", tmp_path / "text.xlsx", tmp_path / "old.xlsx", tmp_path / "folder.xlsx",
             tmp_path / "pipe.xlsx", tmp_path / "missing.xlsx"]
    for path in cases:
        assert (lean.read_checked(path) is not None) == (preflight.check_file(path) is None), path
    assert lean.read_checked(sheet) == sheet.read_bytes()
    small = preflight.Limits(file_bytes=sheet.stat().st_size - 1)
    monkeypatch.setattr(preflight, "EXPERT_LIMITS", small)  # as read_checked finds it
    assert preflight.check_file(sheet, small) is not None and lean.read_checked(sheet) is None
