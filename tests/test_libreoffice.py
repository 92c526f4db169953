"""Real LibreOffice: formulas recomputed headless equal the Python engine; the expert sheet renders."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scoring.excel import names
from scoring.excel.libreoffice import convert, find_soffice
from scoring.excel.reader import read_expert_workbook
from tests.conftest import RUBRIC, pdf_text

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"

if find_soffice() is None:
    # The README's test command installs LibreOffice; CI must not silently skip these.
    pytestmark = pytest.mark.skipif(not os.environ.get("CI"), reason="LibreOffice not installed")


def test_libreoffice_recalculates_subtotals_equal_to_python(tmp_path):
    source = SAMPLE / "2026H2_王五.xlsx"
    sheet, problems = read_expert_workbook(source, RUBRIC)
    assert problems == []
    recalculated = convert(source, "xlsx", tmp_path)
    wb = openpyxl.load_workbook(recalculated, data_only=True)

    def value(name):
        s, c = names.locate(wb, name)
        return wb[s][c].value

    for cat in RUBRIC.categories:
        expected = sum(sheet.scores[i.id] for i in cat.items)
        assert Decimal(str(value(f"subtotal_{cat.id}"))) == expected, cat.id
    assert Decimal(str(value("expert_total"))) == sheet.total == Decimal("81")


def test_expert_sheet_renders_to_a4_pdf_with_every_item(tmp_path):
    pdf = convert(SAMPLE / "2026H2_张三.xlsx", "pdf", tmp_path)
    text = pdf_text(pdf)
    for item in RUBRIC.items:
        assert item.name in text, item.name
    assert "张三" in text and "专家签字" in text and "第 1 页" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert "(A4)" in size and size.split()[2] > size.split()[4]  # A4, landscape (width > height)
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages <= 2
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                       check=True)
        assert (tmp_path / "page-1.png").stat().st_size > 10_000


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_a_conversion_that_hangs_ends_with_everything_libreoffice_started(tmp_path, monkeypatch):
    """soffice starts soffice.bin; a timeout (or Ctrl-C, SIGTERM) ended only the first and left the second running
    (it then wrote into a folder already removed). The whole process group goes, and the timeout is a
    RuntimeError the callers word ("LibreOffice 转换超时"), not a crash."""
    import time

    from scoring.excel import libreoffice

    marker = tmp_path / "grandchild.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {marker}\nwait\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="LibreOffice 转换超时"):
        libreoffice.convert(tmp_path / "x.xlsx", "pdf", tmp_path, timeout=1)
    assert time.monotonic() - started < 15
    grandchild = int(marker.read_text())
    time.sleep(0.2)
    state = Path(f"/proc/{grandchild}/stat")
    assert not state.exists() or state.read_text().split()[2] == "Z"  # gone (or only waiting to be reaped by init)
