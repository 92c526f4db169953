"""Renders the summary workbook (汇总表) from templates/summary.xlsx, adds its charts and the cached values.

Two writers give the same workbook: the XML renderer (scoring/excel/xml_render.py: the template's parts kept,
cells written with their cached values, no openpyxl) whenever it handles the template and the extra sheets,
else openpyxl (scoring/excel/template.py, then the cached values spliced in: scoring/excel/cached.py).
tests/test_xml_render.py compares the two cell by cell."""

from __future__ import annotations

import io
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from scoring.excel import formulas
from scoring.excel.template_logic import Formula
from scoring.policies import MEAN, TRIMMED_MEAN


def _total_divisor(policy: str, experts: int) -> int:
    """What the panel total is a whole number of hundredths divided by (R1.2, R2.3): the medians' total is a sum of
    scores; a mean divides the sum of the experts' scores by their number, a trimmed mean by two fewer."""
    return {MEAN: experts, TRIMMED_MEAN: experts - 2}.get(policy, 1)

TEMPLATE = "summary.xlsx"


def default_template() -> Path:
    """The shipped template (templates/summary.xlsx, installed as scoring.templates)."""
    return Path(str(resources.files("scoring.templates").joinpath(TEMPLATE)))


def build_summary(context: dict, template: str | Path | None = None, extra_sheets=()) -> bytes:
    """The summary workbook as xlsx bytes: the template rendered with `context`, charts added, and the
    engine's values stored as the formulas' cached values. `extra_sheets` are callables that add a sheet
    of their own to the rendered workbook (e.g. 复核, scoring/excel/correction_sheet.py)."""
    live = with_live_formulas(context)
    path = Path(template or default_template())
    data = _build_xml(path, live, extra_sheets)
    if data is not None:
        return data
    return build_with_openpyxl(live, path, extra_sheets)


def _build_xml(path: Path, live: dict, extra_sheets) -> bytes | None:
    """The summary from the XML renderer, or None where it leaves the work to openpyxl: extra sheets other
    than custom properties (复核, 整改情况, dissents), a template the pre-flight check refuses (openpyxl's
    path words the problem), or anything xml_package.Unsupported names."""
    from scoring.excel.preflight import preflight
    from scoring.excel.properties import CustomProperties
    from scoring.excel.xml_charts import chart_sheet
    from scoring.excel.xml_package import Unsupported, load
    from scoring.excel.xml_render import render_xml

    if not all(isinstance(extra, CustomProperties) for extra in extra_sheets) or preflight(path) is not None:
        return None
    properties = tuple(item for extra in extra_sheets for item in extra.items)
    try:
        return render_xml(load(path), live, str(path), chart_sheet, properties)
    except Unsupported:
        return None


def build_with_openpyxl(live: dict, template: Path, extra_sheets=()) -> bytes:
    """The summary through openpyxl: `live` (with_live_formulas) rendered into the template, charts and
    `extra_sheets` added, cached values spliced into the saved package."""
    from scoring.excel.cached import with_cached_values
    from scoring.excel.template import render_template

    context = live
    rendered = render_template(template, live)
    _charts(rendered.workbook, context)
    for add_sheet in extra_sheets:
        add_sheet(rendered.workbook)
    buffer = io.BytesIO()
    rendered.workbook.save(buffer)
    return with_cached_values(buffer.getvalue(), rendered.cached)


def with_live_formulas(context: dict) -> dict:
    """The context with `live` formulas beside the engine's values (issue 11): the panel score of each item
    under the chosen policy (R2.3), its lowest, highest and spread, each expert's total, the categories,
    total_score and grade (R3), the deduction rate (R4) and late payment (R10) from the contract's terms,
    all chained from the experts' cells in 评分明细 and `fee` through defined names. Each Formula carries the
    engine's value as its cached value."""
    policy = context["aggregation"]
    items = []
    for n, r in enumerate(context["items"], start=1):
        cells = {"panel": Formula(formulas.panel(policy, n), r["panel"]),
                 "min": Formula(formulas.item_statistic("MIN", n), r["min"]),
                 "max": Formula(formulas.item_statistic("MAX", n), r["max"]),
                 "spread": Formula(f"{formulas.item_statistic('MAX', n)}-{formulas.item_statistic('MIN', n)}", r["spread"]),
                 "median": Formula(formulas.item_statistic("MEDIAN", n), r["median"])}
        items.append({**r, "live": cells})
    categories = [{**c, "live": Formula(formulas.total_of(f"panel_{i}" for i in c["items"]), c["value"])}
                  for c in context["categories"]]
    experts = [{**e, "live_total": Formula(formulas.expert_total(n), e["total"])}
               for n, e in enumerate(context["expert_rows"], start=1)]
    terms = context["contract_terms"]  # the objects; context["terms"] holds them as cell values
    # a scenario's total and grade are the generated scores'; its deduction follows `fee` like 扣款's
    scenarios = [{**s, "live_deduction": Formula(formulas.assessment_at(terms["schedule"], s["exact_total"]),
                                                 s["deduction"])} for s in context["scenarios"]]
    live: dict[str, object] = {
            "total": Formula(formulas.total_of(f"category_{c['id']}" for c in categories), context["total"]),
            "grade": Formula(formulas.grade(terms["grades"], context["grade_bounds"]), context["grade"]),
            "rate": Formula(formulas.deduction_rate(terms["schedule"], divisor=_total_divisor(policy, len(experts))),
                            context["rate"]),
            "tier": Formula(formulas.tier_label(terms["schedule"]), context["tier"]),
            "median_of_totals": Formula("MEDIAN(expert_totals)", context["median_of_totals"]),
            "late_interest": Formula(formulas.late_interest(terms["payment"]), context["late"]["interest"]),
            "terminate": Formula(formulas.may_terminate(terms["payment"]), context["late"]["terminate"]),
            "medians": [r["live"]["median"] for r in items]}
    return {**context, "items": items, "categories": categories, "expert_rows": experts, "scenarios": scenarios,
            "live": live}


def _charts(wb, context: dict) -> None:
    """图表: panel score against the maximum per category; with history, the trend of total and deduction."""
    from scoring.excel import style  # first: openpyxl without numpy
    from openpyxl.chart import BarChart, LineChart
    ws = wb.create_sheet("图表")
    ws["A1"], ws["B1"], ws["C1"] = "考核项目", "满分", "小组得分"
    for cell in ws[1]:
        cell.font = style.HEADER
    for row, cat in enumerate(context["categories"], start=2):
        ws.cell(row, 1, cat["name"])
        ws.cell(row, 2, cat["points"]).number_format = "0.00"
        ws.cell(row, 3, cat["value"]).number_format = "0.00"
    last = 1 + len(context["categories"])
    categories = BarChart()
    categories.y_axis.title = "分"
    _add_chart(ws, categories, f"各考核项目得分（{context['period']['code']}）", (2, 3), 1, last, "E2", 9)
    history = context.get("history") or []
    if history:
        top = last + 3
        ws.cell(top, 1, "考核期").font = style.HEADER
        ws.cell(top, 2, "总分").font = style.HEADER
        ws.cell(top, 3, "扣款合计（元）").font = style.HEADER
        ws.cell(top, 4, "提示").font = style.HEADER
        for k, h in enumerate(history, start=1):
            ws.cell(top + k, 4, h.get("flag", ""))  # two consecutive periods below 80 (scoring/history.py)
            ws.cell(top + k, 1, h["period"])
            ws.cell(top + k, 2, h["total"]).number_format = "0.00"
            ws.cell(top + k, 3, h["deduction"])
            ws.cell(top + k, 3).number_format = "#,##0.00"
        end = top + len(history)
        from openpyxl.worksheet.pagebreak import Break

        from scoring.excel.xml_charts import HISTORY_HEIGHT_CM, HISTORY_WIDTH_CM, history_breaks

        breaks = history_breaks(end)  # each on a page of its own, from column A across the page (xml_charts)
        _add_chart(ws, LineChart(), "历次考核总分", (2, 2), top, end, f"A{breaks[0] + 2}", HISTORY_HEIGHT_CM,
                   HISTORY_WIDTH_CM)
        _add_chart(ws, BarChart(), "历次扣款合计（元）", (3, 3), top, end, f"A{breaks[1] + 2}", HISTORY_HEIGHT_CM,
                   HISTORY_WIDTH_CM)
        for row in breaks:  # each history chart on a page of its own, never cut in two
            ws.row_breaks.append(Break(id=row))
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 20  # the trend flag (连续两期低于 80 分) beside the charts, not under them
    style.a4(ws, landscape=True)


def _add_chart(ws, chart, title: str, columns: tuple[int, int], header: int, last: int, anchor: str,
               height: float, width: float = 18) -> None:
    """A chart of columns[0]..columns[1] (titles in row `header`) against the labels in column A below it."""
    from openpyxl.chart import Reference

    chart.title = title
    chart.add_data(Reference(ws, min_col=columns[0], max_col=columns[1], min_row=header, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    chart.width, chart.height = width, height
    chart.y_axis.scaling.min = 0  # from zero: an axis from 35,000 drew 37,460 as half of 40,740
    ws.add_chart(chart, anchor)


def edited_inputs(path: Path, a, scores: bool = True) -> tuple[list[str], Decimal, list]:
    """The inputs of a summary as it is now (`fee`, the experts' scores in 评分明细) against the Assessment
    `a` it was generated from: (one line per edited cell, naming it; the fee now; the expert sheets now).

    Finance may change `fee` and a secretary may correct a score in the workbook (issue 11); `verify`
    reports each such edit by its cell and checks every other number against the edited inputs.
    `scores=False` leaves the scores alone (an expert's file changed: the summary is compared with it).
    """
    from scoring.excel.preflight import open_workbook

    wb = open_workbook(Path(path), [], data_only=True)
    if wb is None:
        return [], a.settlement.fee, list(a.sheets)
    edits: list[str] = []
    fee = _edited_fee(wb, a.settlement.fee, edits)
    sheets = _edited_scores(wb, a, edits) if scores else list(a.sheets)
    return edits, fee, sheets


def _number(value) -> Decimal | None:
    """A number cell's exact value (a float as its shortest repr), None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _edited_fee(wb, fee: Decimal, edits: list[str]) -> Decimal:
    from scoring.excel import names

    place = names.locate(wb, "fee")
    if place is None:
        return fee
    from scoring.money import round_money

    typed = _number(wb[place[0]][place[1]].value)
    now = None if typed is None else round_money(typed)  # R4: half up, as every amount (500,000.005: .01)
    if now is None or now == fee:
        return fee
    edits.append(f"{place[0]}!{place[1]}（fee，当次服务费）：生成时为 {fee:,.2f} 元，汇总表中已改为 {now:,.2f} 元；"
                 "其余金额按修改后的服务费核对")
    return now


def _edited_scores(wb, a, edits: list[str]) -> list:
    """The expert sheets with the scores now in the `expert_scores` block (rows: experts in panel order,
    columns: items in rubric order)."""
    from dataclasses import replace

    values = {s.expert: dict(s.scores) for s in a.sheets}
    for sheet, item, place, now in _block_differences(wb, a.sheets, a.rubric):
        edits.append(f"{place}（{sheet.expert}，{item.name}）：评分表为 {sheet.scores[item.id]}，汇总表中已改为 {now}")
        values[sheet.expert][item.id] = now
    return [replace(s, scores=values[s.expert]) for s in a.sheets]


def score_differences(path: Path, sheets: Sequence[Any], rubric: Any, sheets_changed: bool = True) -> list[str]:
    """Each score the summary's 评分明细 records that the expert's sheet (`sheets`, in panel order) does not hold,
    by cell, expert and item (`verify`): worded as the sheet changed since, or (`sheets_changed` False, the sheets'
    bytes as recorded) as 评分明细 typed over. A changed score that moves no median is still one."""
    from scoring.excel.preflight import open_workbook

    wb = open_workbook(Path(path), [], data_only=True)
    if wb is None:
        return []
    if sheets_changed:
        return [f"{place}（{sheet.expert}，{item.name}）：汇总表为 {recorded}，评分表现为 {sheet.scores[item.id]}"
                for sheet, item, place, recorded in _block_differences(wb, sheets, rubric)]
    return [f"{place}（{sheet.expert}，{item.name}）：评分表为 {sheet.scores[item.id]}，汇总表中已改为 {recorded}"
            for sheet, item, place, recorded in _block_differences(wb, sheets, rubric)]


def _block_differences(wb, sheets: Sequence[Any], rubric: Any) -> list:
    """(sheet, item, 'sheet!cell', score in the block) where the summary's `expert_scores` block (rows: experts in
    panel order, columns: items in rubric order) differs from `sheets`."""
    block = wb.defined_names.get("expert_scores")
    destinations = list(block.destinations) if block is not None else []
    if len(destinations) != 1 or destinations[0][0] not in wb.sheetnames:
        return []
    title, ref = destinations[0]
    found = []
    for sheet, cells in zip(sheets, wb[title][ref.replace("$", "")]):
        for item, cell in zip(rubric.items, cells):
            now = _number(cell.value)
            if now is not None and now != sheet.scores.get(item.id):
                found.append((sheet, item, f"{title}!{cell.coordinate}", now))
    return found
