"""The 复核 sheet of a corrected summary: one row per correction (87号令 Art. 64), written and read back."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from scoring.correction import AFTER, BEFORE, REASONS, Correction
from scoring.errors import Problem

SHEET = "复核"
HEADER_ROW = 3
COLUMNS = ("专家", "分项指标", "分项编号", "原分", "新分", "理由", "理由编号", "复核人", "时间", "签字前后")


def add_correction_sheet(wb, corrections, rubric) -> None:
    """Append the 复核 sheet to a rendered summary workbook; people's text is always written as text."""
    from scoring.excel import style
    from scoring.excel.text import write_text

    ws = wb.create_sheet(SHEET)
    ws.merge_cells("A1:J1")
    ws["A1"] = "复核记录（财政部令第 87 号第六十四条：仅限四种情形，逐条记录）"
    ws["A1"].font, ws["A1"].alignment = style.TITLE, style.CENTER
    for k, label in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, k, label)
        cell.font, cell.fill, cell.border = style.HEADER, style.HEADER_FILL, style.GRID
    names = {i.id: i.name for i in rubric.items}
    for row, c in enumerate(corrections, start=HEADER_ROW + 1):
        values = (c.expert, names.get(c.item, c.item), c.item, c.old, c.new, REASONS[c.reason], c.reason, c.by, c.at,
                  c.stage)
        for k, value in enumerate(values, start=1):
            cell = ws.cell(row, k)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
            cell.font, cell.border = style.BODY, style.GRID
        ws.cell(row, 9).number_format = "yyyy-mm-dd hh:mm:ss"
    for col, width in zip("ABCDEFGHIJ", (10, 14, 14, 8, 8, 34, 22, 10, 20, 10)):
        ws.column_dimensions[col].width = width
    style.a4(ws, landscape=True)


def read_corrections(ws, source: str, problems: list[Problem]) -> tuple[Correction, ...]:
    """The corrections recorded on a 复核 sheet; a row that is not a valid record is a problem with its cell."""
    result = []
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=min(ws.max_row, 1000), max_col=len(COLUMNS)):
        values = [c.value for c in row]
        if all(v is None for v in values):
            break
        expert, _, item, old, new, _, reason, by, at, stage = values
        try:
            old_value, new_value = (Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v)) for v in (old, new))
        except (InvalidOperation, TypeError):
            old_value = new_value = None
        if (old_value is None or reason not in REASONS or not isinstance(at, datetime) or not expert or not item
                or stage not in (BEFORE, AFTER)):
            problems.append(Problem("复核记录不完整或被改动", file=source, sheet=ws.title, cell=row[0].coordinate, code="E-SUMMARY-EDITED"))
            continue
        result.append(Correction(str(expert), str(item), old_value, new_value, reason, str(by or ""), at, stage))
    return tuple(result)


def corrections_of(summary) -> tuple[Correction, ...]:
    """The corrections recorded in a summary workbook (none when it has no 复核 sheet); InputError if unreadable."""
    from pathlib import Path

    from scoring.errors import InputError
    from scoring.excel.preflight import open_workbook

    problems: list[Problem] = []
    wb = open_workbook(Path(summary), problems, data_only=True)
    if wb is None:
        raise InputError(problems)
    if SHEET not in wb.sheetnames:
        return ()
    found = read_corrections(wb[SHEET], str(summary), problems)
    if problems:
        raise InputError(problems)
    return found
