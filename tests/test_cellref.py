"""scoring/excel/cellref.py and serials.py give what openpyxl gives for the same input (issue 15: the lean
reader and the summary writer work without importing openpyxl, and must not read a cell differently)."""

import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl.styles import numbers as opx_numbers
from openpyxl.utils import cell as opx_cell
from openpyxl.utils import datetime as opx_datetime

from scoring.excel import cellref, serials

columns = st.integers(1, cellref.MAX_COLUMN)
rows = st.integers(1, 1_048_576)


@given(columns)
def test_column_letters_round_trip_as_openpyxl(index):
    letters = cellref.column_letter(index)
    assert letters == opx_cell.get_column_letter(index)
    assert cellref.column_index(letters) == index == opx_cell.column_index_from_string(letters)
    assert cellref.column_index(letters.lower()) == index


@pytest.mark.parametrize("bad", ["", "AAAA", "A1", "É", "ZZZZ", "-"])
def test_bad_column_letters_are_refused(bad):
    with pytest.raises(ValueError):
        cellref.column_index(bad)
    with pytest.raises(ValueError):
        opx_cell.column_index_from_string(bad)


@pytest.mark.parametrize("bad", [0, -1, cellref.MAX_COLUMN + 1])
def test_bad_column_indices_are_refused(bad):
    with pytest.raises(ValueError):
        cellref.column_letter(bad)


references = st.builds(lambda c1, r1, c2, r2, d1, d2, d3, d4, shape: {
    "cell": f"{d1}{opx_cell.get_column_letter(c1)}{d2}{r1}",
    "range": f"{d1}{opx_cell.get_column_letter(c1)}{d2}{r1}:{d3}{opx_cell.get_column_letter(c2)}{d4}{r2}",
    "columns": f"{opx_cell.get_column_letter(c1)}:{opx_cell.get_column_letter(c2)}",
    "rows": f"{r1}:{r2}"}[shape], columns, rows, columns, rows,
    *[st.sampled_from(["", "$"])] * 4, st.sampled_from(["cell", "range", "columns", "rows"]))


@given(references)
@settings(max_examples=300)
def test_references_parse_as_openpyxl(ref):
    assert cellref.range_boundaries(ref) == opx_cell.range_boundaries(ref)
    if ":" not in ref:
        plain = ref.replace("$", "")
        assert cellref.coordinate_to_tuple(plain) == opx_cell.coordinate_to_tuple(plain)
    if ref[0] != ":" and not ref.replace("$", "").split(":")[0].isdigit() or ":" not in ref:
        assert cellref.absolute_coordinate(ref) == opx_cell.absolute_coordinate(ref)


def _outcome(parse, text):
    try:
        return parse(text)
    except ValueError:
        return ValueError


@pytest.mark.parametrize("text", ["A", "7", "A1:", ":B2", "A1:B", "1A", "A0B", "汇总!A1", "A:7", "$A$1:$B", "a1:b2"])
def test_odd_ranges_are_read_or_refused_alike(text):
    assert _outcome(cellref.range_boundaries, text) == _outcome(opx_cell.range_boundaries, text)


@given(st.text(min_size=1, max_size=12))
def test_sheet_names_are_quoted_as_openpyxl(title):
    assert cellref.quote_sheetname(title) == opx_cell.quote_sheetname(title)
    text = f"{cellref.quote_sheetname(title)}!$B$4:$C$9"
    ours, theirs = cellref.SHEETRANGE_RE.fullmatch(text), opx_cell.SHEETRANGE_RE.fullmatch(text)
    assert (ours and ours.groupdict()) == (theirs and theirs.groupdict())


format_codes = st.one_of(st.sampled_from(sorted(set(opx_numbers.BUILTIN_FORMATS.values())) + [
    "yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "[h]:mm:ss", "[mm]:ss", "0.00\"d\"", "[Red]0.00", "[$-804]aaaa",
    "#,##0.00;[Red]-#,##0.00", "@", "0%", "hh:mm;@", "\"h\"0", "[DBNum2]G/通用格式", "_d0"]),
    st.text(alphabet="dmhysDMHYS0#.,;:[]\"\\_@ -/年月日", max_size=14))


@given(format_codes)
@settings(max_examples=300)
def test_date_formats_are_recognised_as_openpyxl(code):
    assert serials.is_date_format(code) == opx_numbers.is_date_format(code)
    assert serials.is_timedelta_format(code) == opx_numbers.is_timedelta_format(code)


def test_builtin_codes_are_openpyxl_s():
    for number in range(0, 200):
        assert serials.builtin_format_code(number) == opx_numbers.builtin_format_code(number)


serial_values = st.one_of(st.integers(0, 2_958_465), st.floats(0, 2_958_465, allow_nan=False),
                          st.sampled_from([0, 0.5, 0.999999, 1, 59, 60, 61, 46296.4166666667, 46296.99999999]))


@given(serial_values, st.booleans(), st.booleans())
@settings(max_examples=400)
def test_serials_become_the_dates_openpyxl_gives(value, mac, duration):
    ours_epoch, theirs_epoch = ((serials.MAC_EPOCH, opx_datetime.MAC_EPOCH) if mac
                                else (serials.WINDOWS_EPOCH, opx_datetime.WINDOWS_EPOCH))
    try:
        theirs = opx_datetime.from_excel(value, theirs_epoch, timedelta=duration)
    except (OverflowError, ValueError) as exc:
        with pytest.raises(type(exc)):
            serials.from_excel(value, ours_epoch, timedelta=duration)
        return
    assert serials.from_excel(value, ours_epoch, timedelta=duration) == theirs


@pytest.mark.parametrize("text", ["2026-10-08", "2026-10-08T09:30:00", "2026-10-08T09:30:15.250Z", "09:30",
                                  "T09:30:00", "PT1H30M", "PT90.5S"])
def test_iso_dates_read_as_openpyxl(text):
    assert serials.from_iso8601(text) == opx_datetime.from_ISO8601(text)


def test_a_bad_iso_date_is_refused():
    with pytest.raises(ValueError):
        serials.from_iso8601("yesterday")


def test_neither_module_imports_openpyxl():
    code = ("import sys, scoring.excel.cellref, scoring.excel.serials, scoring.excel.lean; "
            "print('openpyxl' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


@pytest.mark.parametrize("module", ["scoring.excel.evidence_sheet", "scoring.excel.annual_sheet", "scoring.excel.summary",
                                    "scoring.excel.expert_sheet", "scoring.excel.evidence_reader",
                                    "scoring.excel.template"])
def test_modules_using_openpyxl_load_it_without_numpy(module):
    """openpyxl would import numpy (a tenth of a second) only to accept numpy scalars we never write."""
    code = f"import sys, {module}; print('openpyxl' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[1] == "False"


@pytest.mark.parametrize("setting", [None, "True", "False", "false", "0", "1"])
def test_defused_is_openpyxl_s_own_switch(setting, monkeypatch):
    """preflight.defused() decides as openpyxl.DEFUSEDXML does, without importing openpyxl."""
    env = {k: v for k, v in __import__("os").environ.items() if k != "OPENPYXL_DEFUSEDXML"}
    if setting is not None:
        env["OPENPYXL_DEFUSEDXML"] = setting
    code = ("import sys; from scoring.excel.preflight import defused; ours = defused(); "
            "assert 'openpyxl' not in sys.modules; import openpyxl; print(ours, bool(openpyxl.DEFUSEDXML))")
    ours, theirs = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  env=env).stdout.split()
    assert ours == theirs == ("True" if setting in (None, "True") else "False")
