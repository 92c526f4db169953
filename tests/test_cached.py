"""Cached values of formula cells (issue 11): stored by an XML-aware step, whatever wrote the XML."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from scoring.excel.cached import with_cached_values

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def package(sheet_xml: str) -> bytes:
    """A one-sheet workbook made by openpyxl whose sheet XML is replaced by `sheet_xml`."""
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = sheet_xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info, data)
    return out.getvalue()


# The same cells as openpyxl writes them without lxml, with lxml, and as another writer might (prefixed, no <v>).
SERIALISATIONS = {
    "etree": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><f>1+1</f><v /></c>'
             '<c r="B1"><f>"a"&amp;"b"</f><v /></c><c r="C1" t="inlineStr"><is><t>文字</t></is></c></row></sheetData></worksheet>',
    "lxml": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><f>1+1</f><v></v></c>'
            '<c r="B1"><f>"a"&amp;"b"</f><v></v></c><c r="C1" t="inlineStr"><is><t>&#25991;&#23383;</t></is></c></row></sheetData></worksheet>',
    "prefixed": f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="n"><x:f>1+1</x:f></x:c>'
                '<x:c r="B1" t="str"><x:f>"a"&amp;"b"</x:f><x:v>old</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>文字</x:t></x:is></x:c>'
                '</x:row></x:sheetData></x:worksheet>',
}


@pytest.mark.parametrize("kind", SERIALISATIONS)
def test_cached_values_do_not_depend_on_how_the_xml_was_serialised(kind, tmp_path):
    data = with_cached_values(package(SERIALISATIONS[kind]), {"表": {"A1": Decimal("2.50"), "B1": "ab & <c>"}})
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    values = openpyxl.load_workbook(path, data_only=True)["表"]
    formulas = openpyxl.load_workbook(path)["表"]
    assert (values["A1"].value, values["B1"].value, values["C1"].value) == (2.5, "ab & <c>", "文字")
    assert (formulas["A1"].value, formulas["B1"].value) == ("=1+1", '="a"&"b"')


def test_a_listed_cell_that_is_not_a_formula_is_an_error():
    with pytest.raises(ValueError, match="C1"):
        with_cached_values(package(SERIALISATIONS["etree"]), {"表": {"C1": 1}})


def test_the_summary_is_written_with_defusedxml_patching_the_standard_library(tmp_path):
    """defusedxml.defuse_stdlib() replaces the standard library's parsers; the summary still gets its values."""
    code = ("import defusedxml; defusedxml.defuse_stdlib()\n"
            "import sys, openpyxl\n"
            "from scoring.workflow import summarize\n"
            "summarize(['workbooks'], sys.argv[1], evidence='workbooks/evidence/2026H2_证据材料.xlsx')\n"
            "from scoring.excel.names import locate\n"
            "wb = openpyxl.load_workbook(sys.argv[1], data_only=True)\n"
            "s, c = locate(wb, 'payable'); print(wb[s][c].value)\n")
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.xlsx")], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "579090.0"


def test_a_sheet_with_an_entity_declaration_is_refused():
    bomb = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet xmlns="{MAIN}"><sheetData>'
            '<row r="1"><c r="A1"><f>1+1</f><v>&a;</v></c></row></sheetData></worksheet>')
    with pytest.raises(ValueError, match="unsafe XML"):
        with_cached_values(package(bomb), {"表": {"A1": 2}})


def test_a_reader_that_does_not_calculate_sees_every_named_value(tmp_path):
    """python-calamine (used by pandas) reads the cached values: numbers, grade and 大写 (CI installs it in the
    second XML environment)."""
    calamine = pytest.importorskip("python_calamine")
    from scoring.capitals import rmb_capitals
    from scoring.excel import names
    from scoring.workflow import summarize
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    path = tmp_path / "s.xlsx"
    a = summarize([root / "workbooks"], path, evidence=root / "workbooks" / "evidence" / "2026H2_证据材料.xlsx")
    wb = openpyxl.load_workbook(path)
    book = calamine.CalamineWorkbook.from_path(str(path))

    def value(name):
        sheet, cell = names.locate(wb, name)
        column, row = openpyxl.utils.cell.coordinate_from_string(cell)
        return book.get_sheet_by_name(sheet).to_python()[row - 1][openpyxl.utils.column_index_from_string(column) - 1]
    assert (value("total_score"), value("grade"), value("payable"), value("panel_report")) == (79.5, "合格", 579090.0, 9.5)
    notice = book.get_sheet_by_name("通知书").to_python()
    assert [r[0] for r in notice if r and r[2] == rmb_capitals(a.settlement.payable)] == ["应付服务费（元）"]


@pytest.mark.parametrize("core", [
    # openpyxl with lxml declares only the prefixes it uses: no dc here
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
    '<cp:keywords>old</cp:keywords></cp:coreProperties>',
    '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>x</dc:creator>'
    '<dc:identifier>old</dc:identifier></cp:coreProperties>',
])
def test_the_run_mark_is_written_into_core_properties_as_xml(core):
    """issue 11's lesson for docProps/core.xml: a text edit left the dc prefix undeclared under lxml."""
    from defusedxml import ElementTree

    from scoring.excel.outputs import _stamped_core
    root = ElementTree.fromstring(_stamped_core(core.encode(), "scorecard-run-1", "scorecard-content-2"))
    cp, dc = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}", "{http://purl.org/dc/elements/1.1/}"
    assert [e.text for e in root.iter(f"{cp}keywords")] == ["scorecard-run-1"]
    assert [e.text for e in root.iter(f"{dc}identifier")] == ["scorecard-content-2"]
