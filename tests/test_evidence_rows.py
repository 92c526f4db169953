"""R6, §2: an evidence table longer than the reader's limit is refused, never cut silently."""

from __future__ import annotations

from datetime import datetime

import pytest

from scoring.excel import evidence_reader
from tests.conftest import write_evidence_workbook


@pytest.fixture(autouse=True, params=["columnar", "openpyxl"])
def reader(request, monkeypatch):
    """Every test here runs through both readers: python-calamine and the openpyxl fallback."""
    if request.param == "openpyxl":
        monkeypatch.setattr(evidence_reader, "open_columnar", lambda path: None)
    return request.param


def test_rows_beyond_the_limit_are_a_problem_not_a_silent_cut(tmp_path, monkeypatch):
    outages = [(datetime(2026, 8, k, 10), datetime(2026, 8, k, 11), "中断") for k in range(1, 6)]
    path = write_evidence_workbook(tmp_path / "e.xlsx", rows={"服务中断": outages})
    assert evidence_reader.read_evidence(path)[1] == []
    monkeypatch.setattr(evidence_reader, "MAX_ROWS", 3)  # five outages typed (and six months of reports)
    evidence, problems = evidence_reader.read_evidence(path)
    cut = [p for p in problems if p.sheet == "服务中断"]
    assert evidence is None and [(p.code, p.cell) for p in cut] == [("E-EVIDENCE-CELL", "A6")]
    assert "超过 3 行" in cut[0].message
    monkeypatch.setattr(evidence_reader, "MAX_ROWS", 6)  # every table within the limit: nothing left out
    assert evidence_reader.read_evidence(path)[1] == []


def test_a_row_typed_below_a_blank_row_under_the_table_is_a_problem_not_ignored(tmp_path):
    """R7: a 需求函 typed under the table after a blank row (LibreOffice does not extend the table) was left out
    silently, and the panel was scored without it; a row right under the table is read."""
    import openpyxl

    path = write_evidence_workbook(tmp_path / "e.xlsx", rows={})
    wb = openpyxl.load_workbook(path)
    ws = wb["需求函"]
    end = int(ws.tables["requests"].ref.split(":")[1][1:])
    ws.cell(end + 1, 1).value, ws.cell(end + 1, 2).value = "XQ-1", datetime(2026, 9, 1)
    ws.cell(end + 1, 3).value = datetime(2026, 9, 3)
    wb.save(path)
    evidence, problems = evidence_reader.read_evidence(path)
    assert problems == [] and [r.id for r in evidence.requests] == ["XQ-1"]
    ws.cell(end + 3, 1).value, ws.cell(end + 3, 2).value = "XQ-2", datetime(2026, 12, 1)
    ws.cell(end + 3, 3).value = datetime(2026, 12, 20)
    wb.save(path)
    evidence, problems = evidence_reader.read_evidence(path)
    assert evidence is None
    assert [(p.sheet, p.cell, p.code) for p in problems] == [("需求函", f"A{end + 3}", "E-EVIDENCE-CELL")]
    assert f"下方第 {end + 3} 行有记录，但与表格之间隔着空行" in problems[0].message


def test_an_excel_totals_row_is_not_a_record(tmp_path):
    """R6, §2: Excel's 汇总行 (table design → total row) holds a label and a count, not an outage; it was read as
    a record and refused the file ("汇总" is no date). Rows typed under it are named, not read."""
    import openpyxl

    outages = [(datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 11), "中断"),
               (datetime(2026, 8, 3, 9), datetime(2026, 8, 3, 9, 30), "中断")]
    path = write_evidence_workbook(tmp_path / "e.xlsx", rows={"服务中断": outages})
    wb = openpyxl.load_workbook(path)
    ws = wb["服务中断"]
    table = ws.tables["outages"]
    first, last = table.ref.split(":")
    end = int(last[1:]) + 1
    table.ref, table.totalsRowCount = f"{first}:{last[0]}{end}", 1
    ws.cell(end, 1).value, ws.cell(end, 2).value = "汇总", 2
    wb.save(path)
    evidence, problems = evidence_reader.read_evidence(path)
    assert problems == [] and len(evidence.outages) == 2
    ws.cell(end + 1, 1).value, ws.cell(end + 1, 2).value = datetime(2026, 9, 1, 8), datetime(2026, 9, 1, 9)
    wb.save(path)
    evidence, problems = evidence_reader.read_evidence(path)
    assert evidence is None and [(p.sheet, p.cell) for p in problems] == [("服务中断", f"A{end + 1}")]
    assert "汇总行下方" in problems[0].message
