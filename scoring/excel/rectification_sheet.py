"""The rectification notice (整改通知书, one A4 page) and its record (整改记录), written and read back.

The record sheet carries named cells (`rectification_contract`, `rectification_period`,
`rectification_received`, `rectification_deadline`) and a table with one row per item whose 完成日期 the
secretary fills in; the next period's `summarize --rectification FILE` reads it.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from scoring.errors import InputError, Problem
from scoring.rectification import Notice, RectificationItem

NOTICE, RECORD = "整改通知书", "整改记录"
HEADER = ("分项编号", "分项指标", "得分", "分值", "完成日期", "说明")
NAMES = ("rectification_contract", "rectification_period", "rectification_received", "rectification_deadline")


def build_notice_workbook(notice: Notice, contract, rubric, share, chosen: bool = False) -> bytes:
    """The notice and its record as xlsx bytes; `chosen`: the items were named by the buyer, not found by `share`."""
    import scoring.excel.openpyxl_without_numpy  # noqa: F401
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from scoring.excel import names, style
    from scoring.excel.text import write_text
    from scoring.numbers import format_number

    wb = Workbook()
    ws = wb.active
    ws.title = NOTICE
    ws.merge_cells("A1:E1")
    ws["A1"], ws["A1"].font, ws["A1"].alignment = "整改通知书", style.TITLE, style.CENTER
    ws.row_dimensions[1].height = 36
    ws.merge_cells("A3:E3")
    ws["A3"], ws["A3"].font = f"致：{contract.name}服务商（乙方）", style.BOLD
    ws.merge_cells("A4:E4")
    criteria = {i.id: i.criteria for i in rubric.items}
    why = "由甲方指定" if chosen else f"得分低于分值的 {format_number(share * 100)}%"
    ws["A4"] = (f"根据合同{contract.clauses.evaluation}及{contract.clauses.assessment}《{rubric.title}》，{notice.period} 考核中下列分项未达到要求"
                f"（{why}）。请于收到本通知之日起 "
                f"{notice.working_days} 个工作日内整改完成，并书面报告整改情况；拒不整改或无法整改的，甲方有权终止合同。")
    ws["A4"].font, ws["A4"].alignment = style.BODY, style.WRAP
    ws.row_dimensions[4].height = 60
    for k, label in enumerate(("序号", "分项指标", "得分 / 分值", "评分标准（整改依据）"), start=1):
        cell = ws.cell(6, k if k < 4 else 4, label)
        cell.font, cell.fill, cell.border, cell.alignment = style.HEADER, style.HEADER_FILL, style.GRID, style.CENTER
    ws.merge_cells("D6:E6")
    row = 7
    for n, item in enumerate(notice.items, start=1):
        ws.cell(row, 1, n)
        ws.cell(row, 2, item.name)
        ws.cell(row, 3, f"{format_number(item.score)} / {format_number(item.points)}")
        ws.merge_cells(f"D{row}:E{row}")
        write_text(ws.cell(row, 4), criteria.get(item.item, ""))
        for col in range(1, 6):
            c = ws.cell(row, col)
            c.font, c.border, c.alignment = style.BODY, style.GRID, style.WRAP
        ws.row_dimensions[row].height = 45
        row += 1
    row += 1
    received = f"{notice.received:%Y年%m月%d日}" if notice.received else "　　年　　月　　日"
    due = f"{notice.deadline:%Y年%m月%d日}" if notice.deadline else \
        f"收到本通知之日起 {notice.working_days} 个工作日内（收到当天不计，按法定节假日和调休）"
    for label, text in (("送达日期", received), ("整改期限", due)):
        ws.cell(row, 1, label).font = style.BOLD
        ws.merge_cells(f"B{row}:E{row}")
        ws.cell(row, 2, text).font = style.BODY
        row += 1
    row += 2
    ws.cell(row, 4, contract.buyer).font = style.BOLD
    ws.cell(row + 1, 4, "（盖章）　　年　　月　　日").font = style.BODY
    ws.cell(row + 3, 1, "乙方签收：").font = style.BOLD
    ws.cell(row + 3, 4, "签收日期：").font = style.BOLD
    for col, width in zip("ABCDE", (8, 16, 14, 30, 26)):
        ws.column_dimensions[col].width = width
    style.a4(ws)
    ws.page_setup.fitToHeight = 1  # one page
    ws.print_area = f"A1:E{row + 3}"

    rec = wb.create_sheet(RECORD)
    rec["A1"], rec["A1"].font = "整改记录（下一考核期汇总时用 --rectification 读取）", style.TITLE
    values = (notice.contract_id, notice.period, notice.received, notice.deadline)
    for r, (label, key, value) in enumerate(zip(("合同编号", "考核期", "送达日期", "整改期限"), NAMES, values), start=2):
        rec.cell(r, 1, label).font = style.BOLD
        cell = rec.cell(r, 2)
        if isinstance(value, str):
            write_text(cell, value)
        else:
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        if key == "rectification_received":
            cell.fill = style.INPUT_FILL
        names.define(wb, key, rec, cell.coordinate)
    rec.cell(6, 1, "送达日期由秘书填写（乙方签收日）；整改期限为空时按送达日期和节假日安排计算").font = style.SMALL
    top = 8
    for k, label in enumerate(HEADER, start=1):
        cell = rec.cell(top, k, label)
        cell.font, cell.fill, cell.border = style.HEADER, style.HEADER_FILL, style.GRID
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True, showErrorMessage=True,
                           errorTitle="日期", error="请填写日期，如 2027-01-15")
    rec.add_data_validation(dates)
    dates.add(rec["B4"].coordinate)
    for r, item in enumerate(notice.items, start=top + 1):
        for k, value in enumerate((item.item, item.name, float(item.score), float(item.points)), start=1):
            cell = rec.cell(r, k)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
        rec.cell(r, 5).fill, rec.cell(r, 5).number_format = style.INPUT_FILL, "yyyy-mm-dd"
        rec.cell(r, 6).fill = style.INPUT_FILL
        dates.add(rec.cell(r, 5).coordinate)
    for col, width in zip("ABCDEF", (16, 16, 8, 8, 14, 30)):
        rec.column_dimensions[col].width = width
    wb.properties.creator = "scorecard"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _date(value) -> date | None:
    """A date cell, or a day typed as text (2027年1月14日, 2027/1/14: as the evidence takes them)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        from scoring.excel.evidence_reader import date_from_text

        return date_from_text(value)
    return value if isinstance(value, date) else None


DATE_FORMS = "（如 2027-01-14、2027/1/14、2027年1月14日）"


def read_notice(path: str | Path) -> Notice:
    """The record of a rectification notice (working_days left 0: the current contract states it); InputError
    naming the file and cell of anything unusable."""
    from fractions import Fraction

    from scoring.excel import names
    from scoring.excel.preflight import open_workbook

    source = str(path)
    problems: list[Problem] = []
    if not Path(path).is_file():
        raise InputError(Problem("文件不存在", file=source, code="E-FILE-MISSING"))
    wb = open_workbook(Path(path), problems, data_only=True)
    if wb is None:
        raise InputError(problems)
    places = {key: names.locate(wb, key) for key in NAMES}
    if None in places.values() or RECORD not in wb.sheetnames:
        raise InputError(Problem("不是本系统生成的整改通知书（缺少“整改记录”或其定义名称）", file=source,
                                 code="E-FILE-FOREIGN"))
    values = {key: wb[s][c].value for key, (s, c) in places.items()}
    for key in ("rectification_received", "rectification_deadline"):
        if values[key] not in (None, "") and _date(values[key]) is None:
            s, c = places[key]
            problems.append(Problem(f"应填日期{DATE_FORMS}，现为“{values[key]}”", file=source, sheet=s, cell=c,
                                    code="E-RECTIFICATION"))
    ws = wb[RECORD]
    items, started = [], False
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 500), max_col=len(HEADER)):
        first = row[0].value
        if not started:
            started = first == HEADER[0]
            continue
        if first in (None, ""):
            break
        completed = row[4].value
        if completed not in (None, "") and _date(completed) is None:
            problems.append(Problem(f"完成日期应填日期{DATE_FORMS}，现为“{completed}”", file=source, sheet=RECORD,
                                    cell=row[4].coordinate, code="E-RECTIFICATION"))
            continue
        try:
            score, points = Fraction(str(row[2].value)), row[3].value
        except (ValueError, TypeError):
            problems.append(Problem("得分不是数字", file=source, sheet=RECORD, cell=row[2].coordinate,
                                    code="E-RECTIFICATION"))
            continue
        items.append(RectificationItem(str(first), str(row[1].value or ""), score, points, _date(completed)))
    if problems:
        raise InputError(problems)
    return Notice(str(values["rectification_contract"] or ""), str(values["rectification_period"] or ""),
                  tuple(items), 0, _date(values["rectification_received"]), _date(values["rectification_deadline"]),
                  "!".join(places["rectification_received"]))


def add_outcome_sheet(wb, found, working_days: int, clause: str = "第五条") -> None:
    """整改情况: each item of the earlier notice, its deadline and whether it was rectified in time;
    `working_days` is the rectification period of the contract in use ([deadlines], not always 5) and `clause`
    the contract's clause that orders it ([clauses] evaluation)."""
    from scoring.excel import style
    from scoring.excel.text import write_text

    ws = wb.create_sheet("整改情况")
    ws["A1"], ws["A1"].font = f"上期整改通知的整改情况（合同{clause}：接到通知后 {working_days} 个工作日内整改完成）", style.TITLE
    for k, label in enumerate(("分项指标", "上期得分", "整改期限", "完成日期", "结论"), start=1):
        cell = ws.cell(3, k, label)
        cell.font, cell.fill, cell.border = style.HEADER, style.HEADER_FILL, style.GRID
    for r, o in enumerate(found, start=4):
        for k, value in enumerate((o.item.name, float(o.item.score), o.deadline, o.item.completed, o.status), start=1):
            cell = ws.cell(r, k)
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
            cell.border = style.GRID
            cell.font = style.BODY if o.in_time or k != 5 else style.BOLD
        for k in (3, 4):
            ws.cell(r, k).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDE", (16, 10, 14, 14, 40)):
        ws.column_dimensions[col].width = width
    style.a4(ws)
