"""Shared fixtures: the embedded rubric and contract, expert sheets as values, workbooks on disk."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.contract import default_contract
from scoring.excel import names
from scoring.excel.atomic import save_workbook
from scoring.excel.expert_sheet import build_expert_workbook
from scoring.panel import ExpertSheet
from scoring.period import parse_period
from scoring.rubric import default_rubric

RUBRIC = default_rubric()
CONTRACT = default_contract()
ITEM_IDS = [item.id for item in RUBRIC.items]


def full_marks() -> dict[str, Decimal]:
    """Every item at its maximum (total 100)."""
    return {item.id: item.points for item in RUBRIC.items}


def sheet(expert: str, scores: dict[str, Decimal | str | int] | None = None, **overrides) -> ExpertSheet:
    """An ExpertSheet with full marks, changed by `scores` (item id -> value)."""
    values = full_marks()
    for key, value in (scores or {}).items():
        values[key] = Decimal(str(value))
    fields = dict(period="2026H2", contract_id=CONTRACT.id, rubric_version=RUBRIC.version,
                  source=f"{expert}.xlsx", sheet="评分表")
    fields.update(overrides)
    return ExpertSheet(expert=expert, scores=values, **fields)


def write_expert_workbook(folder: Path, expert: str, scores: dict[str, object], period: str = "2026H2",
                          notes: dict[str, str] | None = None, **cover) -> Path:
    """Write an expert workbook made by the real writer, filled through its defined names.

    `scores` maps item id -> raw cell value (anything a person could type); items not given
    get full marks. `cover` overrides cover cells by defined name (e.g. contract_id="x").
    """
    wb = build_expert_workbook(RUBRIC, CONTRACT, parse_period(period), expert)
    values = {item.id: int(item.points) for item in RUBRIC.items}
    values.update(scores)
    for item_id, value in values.items():
        sheet_name, cell = names.locate(wb, names.score_name(item_id))
        wb[sheet_name][cell].value = value
    for item_id, text in (notes or {}).items():
        sheet_name, cell = names.locate(wb, names.note_name(item_id))
        wb[sheet_name][cell].value = text
    for name, value in cover.items():
        sheet_name, cell = names.locate(wb, name)
        wb[sheet_name][cell].value = value
    path = folder / f"{period}_{expert}.xlsx"
    save_workbook(wb, path)
    return path


@pytest.fixture
def rubric():
    return RUBRIC


@pytest.fixture
def contract():
    return CONTRACT


def write_evidence_workbook(path: Path, period: str = "2026H2", rows: dict[str, list[tuple]] | None = None,
                            **named) -> Path:
    """An evidence workbook made by the real writer, with `rows` typed under each sheet's table header."""
    from scoring.excel.evidence_sheet import HEADER_ROW, build_evidence_workbook

    wb = build_evidence_workbook(CONTRACT, parse_period(period))
    for sheet_name, table_rows in (rows or {}).items():
        ws = wb[sheet_name]
        for r, values in enumerate(table_rows, start=HEADER_ROW + 1):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c).value = value
    for name, value in named.items():
        sheet_name, cell = names.locate(wb, name)
        wb[sheet_name][cell].value = value
    save_workbook(wb, path)
    return path


def _missing_soffice() -> bool:
    from scoring.excel.libreoffice import find_soffice

    return find_soffice() is None


# Tests that run LibreOffice: skipped where it is missing, except on CI, where the README's test command
# installs it and a missing LibreOffice must fail rather than skip silently.
needs_libreoffice = pytest.mark.skipif(_missing_soffice() and not os.environ.get("CI"),
                                       reason="LibreOffice not installed")


def pdf_text(pdf: Path) -> str:
    """The printed text of a PDF, page by page separated by form feeds (pdftotext -layout); the test is
    skipped where poppler's pdftotext is missing (outside CI, where every tool must be there)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None and not os.environ.get("CI"):
        pytest.skip("pdftotext (poppler) not installed")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
