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
