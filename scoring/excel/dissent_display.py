"""Dissents on the signature sheet (签字): beside each dissenting expert's block, the opinion and the reason
from the expert's own sheet (interfaces.md §4). Applied to the rendered summary; with no dissent it changes
nothing, so the template keeps only what a secretary restyles."""

from __future__ import annotations

SHEET = "签字"
OPINION, REASON = "意见", "异议及理由"


def show_dissents(wb, dissents: dict[str, str]) -> None:
    """Write 有异议 and the reason in the 意见 / 异议及理由 columns of each dissenting expert's row; a template
    without those columns gets the dissents listed below its last row instead."""
    from scoring.excel.text import write_text

    if not dissents:
        return
    if SHEET not in wb.sheetnames:
        ws = wb.create_sheet(SHEET)
    else:
        ws = wb[SHEET]
    header = next(((r, {c.value: c.column for c in row if c.value}) for r, row in enumerate(ws.iter_rows(), start=1)
                   if any(c.value == REASON for c in row)), None)
    done = set()
    if header:
        top, columns = header
        for row in ws.iter_rows(min_row=top + 1):
            expert = row[0].value
            if expert in dissents and expert not in done:
                if OPINION in columns:
                    write_text(ws.cell(row[0].row, columns[OPINION]), "□ 同意　■ 有异议（评分表中已声明）")
                write_text(ws.cell(row[0].row, columns[REASON]), dissents[expert])
                done.add(expert)
    last = ws.max_row + 2
    for k, (expert, reason) in enumerate((e, r) for e, r in dissents.items() if e not in done):
        write_text(ws.cell(last + k, 1), expert)
        write_text(ws.cell(last + k, 2), f"有异议：{reason}")
