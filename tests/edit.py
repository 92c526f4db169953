"""Hand edits of a summary, as a calculating program (Excel, WPS, LibreOffice) would save them: the stored value
of a cell changed in the package, everything else untouched. Cells are found by defined name, or by expert and
item on 评分明细, so the tests follow the template's layout."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl

from scoring.excel import names
from scoring.excel.cached import _sheet_parts
from tests.conftest import RUBRIC


def named_cell(path: Path, name: str) -> tuple[str, str]:
    """(sheet, cell) of a defined name of the summary."""
    place = names.locate(openpyxl.load_workbook(path), name)
    assert place, name
    return place


def score_cell(path: Path, expert: str, item: str) -> tuple[str, str]:
    """(sheet, cell) of an expert's score of an item on 评分明细."""
    from scoring.recorded import read_summary

    return read_summary(path, RUBRIC).detail_places[(expert, item)]


def patch(path: Path, place: tuple[str, str], value: str, target: Path) -> Path:
    """`target`: `path` with the stored number of the cell at `place` replaced by `value`."""
    sheet, ref = place
    source = zipfile.ZipFile(path)
    part = _sheet_parts(source)[sheet]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                text, n = re.subn(rf'(<c r="{ref}"[^>]*>(?:<f>.*?</f>)?<v>)[^<]*(</v>)', rf"\g<1>{value}\g<2>",
                                  data.decode("utf-8"))
                assert n == 1, (sheet, ref)
                data = text.encode("utf-8")
            out.writestr(info, data)
    target.write_bytes(buffer.getvalue())
    return target
