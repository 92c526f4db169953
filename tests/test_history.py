"""History that can be trusted: `summarize --history` and the trend flag (合同十三.3; R4)."""

from __future__ import annotations

import openpyxl
import pytest

from scoring.cli import main
from tests.conftest import pdf_text
from tests.edit import named_cell, patch
from tests.year_data import copy, service_year


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    return service_year(tmp_path_factory.mktemp("history"))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def current(year, tmp_path, capsys, *history):
    """Summarize the 2027H1 panel again with `history`; (exit status, stderr, output path)."""
    out = tmp_path / "now.xlsx"
    args = ["summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", out]
    for h in history:
        args += ["--history", h]
    code, _, err = run(capsys, *args)
    return code, err, out


def test_two_consecutive_periods_below_80_are_flagged(year, tmp_path, capsys):
    # 2026H2 76.5 and 2027H1 62.25: both below 80 and adjacent
    code, err, out = current(year, tmp_path, capsys, year["2026H2"])
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["图表"]
    rows = [[c.value for c in r[:4]] for r in ws.iter_rows(min_row=8, max_row=10)]
    assert rows[1][0] == "2026H2" and rows[1][3] in (None, "")
    assert rows[2][0] == "2027H1" and rows[2][3] == "连续两期低于 80 分"
    summary = openpyxl.load_workbook(out)["汇总"]
    assert any("连续两期（2026H2、2027H1）总分低于 80 分" in str(c.value) for r in summary.iter_rows() for c in r)


def test_the_same_summary_twice_is_refused(year, tmp_path, capsys):
    code, err, out = current(year, tmp_path, capsys, year["2026H2"], copy(year["2026H2"], tmp_path / "again.xlsx"))
    assert code == 2 and "考核期 2026H2 重复" in err and not out.exists()


def test_the_current_or_a_later_period_is_refused(year, tmp_path, capsys):
    code, err, out = current(year, tmp_path, capsys, year["2027H1"])
    assert code == 2 and "考核期 2027H1 不早于本期 2027H1" in err and not out.exists()


def test_an_edited_summary_is_refused_naming_the_cell(year, tmp_path, capsys):
    sheet, ref = named_cell(year["2026H2"], "deduction_total")
    edited = patch(year["2026H2"], (sheet, ref), "0", tmp_path / "edited.xlsx")
    code, err, out = current(year, tmp_path, capsys, edited)
    assert code == 2 and f"{edited}!{sheet}!{ref}: deduction_total 为“0”" in err and not out.exists()


def test_a_summary_of_another_rubric_version_is_refused(year, tmp_path, capsys):
    # version pinned: a summary made under version 2025.9 is never recomputed under 2026.1
    import io
    import re
    import zipfile

    from scoring.excel.cached import _sheet_parts

    source = zipfile.ZipFile(year["2026H2"])
    audit = _sheet_parts(source)["审计"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == audit:  # inline strings
                data = re.sub(rb"\xe7\x89\x88\xe6\x9c\xac 2026\.1", "版本 2025.9".encode(), data)
            if info.filename == "docProps/custom.xml":  # the version recorded beside the seal
                data = data.replace(b">2026.1<", b">2025.9<")
            target.writestr(info, data)
    old = tmp_path / "old.xlsx"
    old.write_bytes(buffer.getvalue())
    code, err, out = current(year, tmp_path, capsys, old)
    assert code == 2 and "考核办法版本“2025.9”" in err and not out.exists()


def test_the_history_charts_each_print_on_a_page_of_their_own(year, tmp_path, capsys):
    """What people see: the 图表 page cut the trend of the total in two across pages (its title on one page,
    its axis on the next); each history chart now starts a page, and scores print with two decimals."""
    from scoring.excel.libreoffice import convert, find_soffice

    code, err, out = current(year, tmp_path, capsys, year["2026H2"])
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["图表"]
    table_end = max(c.row for c in ws["A"] if c.value is not None)
    breaks = [b.id for b in ws.row_breaks.brk]
    assert table_end < breaks[0] and breaks[1] - breaks[0] >= 16  # below the table; a page for each chart
    assert {ws.cell(r, c).number_format for r in (2, 3) for c in (2, 3)} == {"0.00"}
    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    pdf = convert(out, "pdf", tmp_path / "pdf")
    pages = pdf_text(pdf).split("\f")
    first = next(k for k, p in enumerate(pages) if "各考核项目得分" in p)
    for page, title in zip(pages[first + 1:first + 3], ("历次考核总分", "历次扣款合计")):
        assert title in page and "2026H2" in page.split(title, 1)[1]  # the title and its axis on one page


def test_the_history_charts_stay_below_a_long_history_table():
    """A fixed break at row 21 cut a history of 13 periods or more in two; the breaks follow the table."""
    from scoring.excel.xml_charts import CHART_ROWS, history_breaks

    assert history_breaks(10) == (21, 21 + CHART_ROWS)  # the usual table: the charts on pages of their own
    assert history_breaks(30) == (31, 31 + CHART_ROWS)  # a long table: never cut by a break
