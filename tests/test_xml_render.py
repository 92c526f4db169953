"""The summary's two writers agree (issue 15): the XML renderer (scoring/excel/xml_render.py) and openpyxl's
path (scoring/excel/template.py + cached.py), read back with openpyxl cell by cell (value, formula, type,
number format, font, fill, border, alignment), with every area, name and print setting, and with
python-calamine for the cached values. Built on the rules' worked examples: the demo (R2-R4, 79.5 points,
2,910.00 yuan), every aggregation policy (R2.3), history (R11), a sub-60 panel and the largest fee (R4)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring.excel import summary
from scoring.excel.libreoffice import convert, find_soffice
from scoring.jobs.summarize import summarize
from tests.conftest import write_expert_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"
HOSTING = ROOT / "workbooks" / "hosting"
HOSTING_CONTRACT = HOSTING / "contract-hosting-2026.toml"


def both(tmp_path: Path, *args, **kwargs) -> tuple[Path, Path, bool]:
    """Run summarize; write what each writer makes of the same context to files (fast, openpyxl) and whether
    the XML renderer took the run."""
    seen = {}
    original = summary.build_summary

    def capture(context, template=None, extra_sheets=()):
        seen.update(context=context, template=template, extra=extra_sheets)
        return original(context, template, extra_sheets)

    summary.build_summary = capture
    try:
        summarize(*args, **kwargs)
    finally:
        summary.build_summary = original
    live = summary.with_live_formulas(seen["context"])
    template = Path(seen["template"] or summary.default_template())
    fast = summary._build_xml(template, live, seen["extra"])
    slow = summary.build_with_openpyxl(live, template, seen["extra"])
    paths = tmp_path / "fast.xlsx", tmp_path / "openpyxl.xlsx"
    paths[0].write_bytes(fast if fast is not None else slow)
    paths[1].write_bytes(slow)
    return paths[0], paths[1], fast is not None


def _color(color) -> object:
    return None if color is None else (color.type, color.rgb if color.type == "rgb" else color.value, color.tint)


def _style(cell) -> tuple:
    """What a cell's format shows, with unset and false attributes alike (writers differ in spelling defaults)."""
    f, a, b, p = cell.font, cell.alignment, cell.border, cell.protection
    fill = cell.fill
    edges = [getattr(b, side) for side in ("left", "right", "top", "bottom")]  # None: a side left out of the XML
    sides = tuple((e.style, _color(e.color) if e.style else None) if e is not None else (None, None) for e in edges)
    return (cell.number_format, (f.name, f.sz, bool(f.b), bool(f.i), f.u, bool(f.strike), _color(f.color)),
            (fill.fill_type, _color(fill.fgColor) if fill.fill_type else None), sides,
            (a.horizontal or "general", a.vertical or "bottom", a.textRotation or 0, bool(a.wrap_text),
             bool(a.shrink_to_fit), a.indent or 0),
            (p.locked is not False, bool(p.hidden)), bool(cell.quotePrefix))


def describe(path: Path, widths: bool = True) -> dict:
    """What a reader of the workbook sees, as plain data."""
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                merged = type(cell).__name__ == "MergedCell"
                cells[cell.coordinate] = (cell.value, cell.data_type, merged, _style(cell))
        cf = sorted((str(c.sqref), tuple((r.type, tuple(r.formula or ()), r.dxf) for r in c.rules))
                    for c in ws.conditional_formatting)
        sheets[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "conditional": repr(cf),
            "validations": sorted((str(d.sqref), d.type, d.formula1, d.formula2, d.allow_blank)
                                  for d in ws.data_validations.dataValidation),
            "print": (ws.print_title_rows, ws.print_area, ws.print_options.horizontalCentered,
                      ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                      ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
                      ws.oddFooter.center.text, ws.page_margins.left, ws.page_margins.top),
            "breaks": [b.id for b in ws.row_breaks.brk],
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
            "widths": ({get_column_letter(c): d.width for d in ws.column_dimensions.values() if d.width  # a range
                        for c in range(d.min or 1, (d.max or d.min or 1) + 1)} if widths else None),  # <col min max>
        }
    return {"sheets": sheets, "order": wb.sheetnames,
            "names": {n: d.attr_text for n, d in wb.defined_names.items()},
            "properties": sorted((p.name, p.value) for p in wb.custom_doc_props)}


def cached(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def assert_same(fast: Path, slow: Path, widths: bool = True) -> None:
    a, b = describe(fast, widths), describe(slow, widths)
    assert a["order"] == b["order"]
    for title in a["sheets"]:
        for key in a["sheets"][title]:
            assert a["sheets"][title][key] == b["sheets"][title][key], (title, key)
    assert a["names"] == b["names"] and a["properties"] == b["properties"]
    assert cached(fast) == cached(slow)


def test_the_demo_agrees_with_openpyxls_path_cell_by_cell(tmp_path):
    """R2-R4 worked example (79.5 points, 2,910.00 yuan): the same workbook from both writers."""
    fast, slow, taken = both(tmp_path, [SAMPLE], tmp_path / "s.xlsx", evidence=EVIDENCE)
    assert taken
    assert_same(fast, slow)
    wb = openpyxl.load_workbook(fast, data_only=True)
    assert wb["汇总"]["H13"].value == 79.5  # total_score's cached value, written with its formula


@pytest.mark.parametrize("policy", ["item-median", "mean", "trimmed-mean", "total-median"])
def test_every_aggregation_policy_agrees(tmp_path, policy):
    """R2.3: each policy's panel formulas and cached values, from both writers."""
    fast, slow, taken = both(tmp_path, [SAMPLE], tmp_path / "s.xlsx", evidence=EVIDENCE, policy=[f"aggregation={policy}"])
    assert taken
    assert_same(fast, slow)


def test_the_hosting_contract_with_the_largest_fee_agrees(tmp_path):
    """A second contract (14 items, 5 categories; across blocks of another width) and fee 99,999,999.99 (R4)."""
    fast, slow, taken = both(tmp_path, [HOSTING / "panel"], tmp_path / "s.xlsx", contract_path=HOSTING_CONTRACT,
                             fee="99999999.99")
    assert taken
    assert_same(fast, slow)


def test_a_panel_below_60_agrees(tmp_path):
    """R4: below 60 the deduction is half the fee; every expert gives low marks."""
    folder = tmp_path / "panel"
    folder.mkdir()
    low = {item.id: 0 for item in _rubric().items}
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(folder, expert, low)
    fast, slow, taken = both(tmp_path, [folder], tmp_path / "s.xlsx", fee="99999999.99")
    assert taken
    assert_same(fast, slow)
    values = openpyxl.load_workbook(fast, data_only=True)
    assert values["汇总"]["H14"].value == "不合格"


def test_history_agrees_and_the_trend_charts_are_written(tmp_path):
    """R11 trend: the 图表 sheet's data block and three charts (bar, line, bar)."""
    from tests.year_data import H1_SCORES, panel

    first = tmp_path / "first.xlsx"
    summarize([SAMPLE], first, evidence=EVIDENCE)
    folder, evidence = panel(tmp_path / "h1", "2027H1", H1_SCORES)
    fast, slow, taken = both(tmp_path, [folder], tmp_path / "s.xlsx", evidence=evidence, history=[first])
    assert taken
    assert_same(fast, slow)
    import zipfile

    names = zipfile.ZipFile(fast).namelist()
    assert sorted(n for n in names if n.startswith("xl/charts/")) == [f"xl/charts/chart{k}.xml" for k in (1, 2, 3)]


def _rubric():
    from scoring.jobs.common import load_contract

    return load_contract(None)[1]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_panels_agree(tmp_path_factory, data):
    """Random panels of 3, 5 or 7 experts with scores in half points within each item's range (R1.2)."""
    tmp_path = tmp_path_factory.mktemp("random")
    folder = tmp_path / "panel"
    folder.mkdir()
    rubric = _rubric()
    experts = data.draw(st.sampled_from([3, 5, 7]))  # an odd panel (R1.2)
    for k in range(experts):
        scores = {item.id: data.draw(st.integers(0, int(item.points * 2))) / 2 for item in rubric.items}
        write_expert_workbook(folder, f"专家{k}", scores)
    fee = data.draw(st.sampled_from([None, "1.00", "123456.78", "99999999.99"]))
    fast, slow, taken = both(tmp_path, [folder], tmp_path / "s.xlsx", fee=fee)
    assert taken
    assert_same(fast, slow)


def test_extra_sheets_other_than_properties_go_through_openpyxl(tmp_path):
    """复核 and 整改情况 sheets are written by openpyxl: the XML renderer declines them."""
    assert summary._build_xml(summary.default_template(), {}, [lambda wb: None]) is None


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_a_template_resaved_by_libreoffice_is_rendered_at_the_xml_level_and_agrees(tmp_path):
    """The secretary's copy saved by LibreOffice: shared strings, its own style indices and XML."""
    template = convert(summary.default_template(), "xlsx", tmp_path)
    fast, slow, taken = both(tmp_path, [SAMPLE], tmp_path / "s.xlsx", evidence=EVIDENCE, template=template)
    assert taken
    assert_same(fast, slow)
    widths = describe(fast)["sheets"]["评分明细"]["widths"]
    source = openpyxl.load_workbook(template)["评分明细"].column_dimensions
    assert widths["A"] == source["A"].width
    assert "xl/sharedStrings.xml" in __import__("zipfile").ZipFile(template).namelist()  # LibreOffice's own form


def _template_of_every_feature(path: Path) -> Path:
    """A template using every part of the language (template.py's docstring) and the areas that move."""
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.pagebreak import Break

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws.merge_cells("A1:E1")
    ws["A1"] = "{{ title }}"
    ws["A2"], ws["B2"], ws["C2"] = "专家", "合计", "{{ names | across }}"
    ws["A3"] = "{% row for e in rows %}{{ e.name }}"
    ws["B3"] = "{{ e.total | named('total_' ~ e.id) }}"
    ws["C3"] = "{{ e.scores | across }}"
    ws["C3"].font = Font(bold=True)
    ws.column_dimensions["C"].width = 11
    ws.row_dimensions[3].height = 24
    ws.merge_cells("A4:B4")
    ws["A4"] = "{% row for n in notes %}{{ n }}"
    ws["A5"] = "合计"
    ws["B5"] = "=SUM(B3:B3)+B6"
    ws["B5"].comment = Comment("{{ sum }}", "t")
    ws["B6"] = 7
    ws["A7"], ws["B7"], ws["C7"], ws["D7"] = "{{ day }}", "{{ moment }}", "{{ amount }}", "{{ note }}"
    ws["A8"] = "{{ items[0].x if flag else 'no' }}"  # not a simple path: jinja2 evaluates it
    ws["B8"] = "{{ fee_formula }}"
    wb.defined_names["block"] = DefinedName("block", attr_text="'表'!$C$3:$C$3")
    ws.conditional_formatting.add("C3", FormulaRule(formula=["C3>MEDIAN(C$3:C$3)"], fill=PatternFill("solid", fgColor="FF0000")))
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="9")
    dv.add("B3")
    ws.add_data_validation(dv)
    ws.print_title_rows = "2:3"
    ws.print_area = "A1:E8"
    ws.row_breaks.append(Break(id=5))
    wb.save(path)
    return path


def _feature_context(rows: int, notes: int) -> dict:
    from datetime import date, datetime
    from decimal import Decimal

    from scoring.excel.template_logic import Formula

    return {"title": "考核 2026H2", "names": ["x", "y", "z"],
            "rows": [{"id": f"e{k}", "name": f"专家{k}", "total": Decimal(k) + Decimal("0.5"), "scores": [k, k + 1, k + 2]}
                     for k in range(rows)],
            "notes": [f"说明{k}" for k in range(notes)], "sum": Decimal("12.5"), "day": date(2027, 1, 8),
            "moment": datetime(2027, 1, 8, 9, 30), "amount": Decimal("99999999.99"), "note": "=cmd|' /C calc'!A0",
            "items": [{"x": 1}], "flag": True, "fee_formula": Formula("ROUND(B6*2,2)", Decimal("14.00"))}


@pytest.mark.parametrize("rows, notes", [(2, 1), (3, 0), (0, 2), (1, 3)])
def test_every_feature_of_the_template_language_agrees(tmp_path, rows, notes):
    """Repeated rows (none, one, several), across blocks, names, merges, areas, breaks, typed values, dates in a
    General cell, text that looks like a formula (quote-prefixed, never a formula), jinja2 expressions, a
    comment's cached value and a program Formula: the XML renderer and openpyxl's path write the same."""
    import io

    from scoring.excel.cached import with_cached_values
    from scoring.excel.template import render_template
    from scoring.excel.xml_package import load
    from scoring.excel.xml_render import render_xml

    template = _template_of_every_feature(tmp_path / "t.xlsx")
    context = _feature_context(rows, notes)
    fast = tmp_path / "fast.xlsx"
    fast.write_bytes(render_xml(load(template), context, str(template)))
    rendered = render_template(template, context)
    buffer = io.BytesIO()
    rendered.workbook.save(buffer)
    slow = tmp_path / "openpyxl.xlsx"
    slow.write_bytes(with_cached_values(buffer.getvalue(), rendered.cached))
    assert_same(fast, slow)
    ws = openpyxl.load_workbook(fast)["表"]
    note = ws.cell(7 + rows + notes - 2, 4)
    assert note.value == "=cmd|' /C calc'!A0" and note.data_type == "s" and note.quotePrefix
    if rows == 0:  # the format and validation of the removed row went with it
        assert not list(ws.conditional_formatting) and not ws.data_validations.dataValidation


def test_the_same_problems_are_reported_by_both_writers(tmp_path):
    from scoring.errors import InputError
    from scoring.excel.template import render_template
    from scoring.excel.xml_package import load
    from scoring.excel.xml_render import render_xml

    template = _template_of_every_feature(tmp_path / "t.xlsx")
    context = {k: v for k, v in _feature_context(2, 1).items() if k not in ("sum", "day")}
    with pytest.raises(InputError) as fast:
        render_xml(load(template), context, str(template))
    with pytest.raises(InputError) as slow:
        render_template(template, context)
    assert [(p.sheet, p.cell, p.message) for p in fast.value.problems] == \
        [(p.sheet, p.cell, p.message) for p in slow.value.problems] != []


def test_a_template_with_a_frozen_pane_goes_through_openpyxl_and_still_agrees(tmp_path):
    """Panes are left to openpyxl (xml_package.Unsupported): the run falls back, the summary is the same."""
    template = tmp_path / "frozen.xlsx"
    wb = openpyxl.load_workbook(summary.default_template())
    wb["评分明细"].freeze_panes = "C4"
    wb.save(template)
    fast, slow, taken = both(tmp_path, [SAMPLE], tmp_path / "s.xlsx", evidence=EVIDENCE, template=template)
    assert not taken
    assert openpyxl.load_workbook(fast)["评分明细"].freeze_panes == "C4"


def test_an_ordinary_comment_sends_the_template_to_openpyxl(tmp_path):
    """A comment that is not a formula's cached value: openpyxl's path decides what becomes of it (it keeps
    comments on formula cells only), the XML renderer declines (xml_package.Unsupported)."""
    from openpyxl.comments import Comment

    from scoring.excel.xml_package import Unsupported, load

    template = tmp_path / "commented.xlsx"
    wb = openpyxl.load_workbook(summary.default_template())
    wb["汇总"]["A3"].comment = Comment("请核对合同编号", "秘书")
    wb.save(template)
    with pytest.raises(Unsupported, match="汇总!A3"):
        load(template)
    fast, slow, taken = both(tmp_path, [SAMPLE], tmp_path / "s.xlsx", evidence=EVIDENCE, template=template)
    assert not taken


LONG_NAME = "政务外网及互联网双线路带宽保障与链路冗余切换能力"


def test_a_long_item_name_gets_the_lines_it_needs_from_both_writers(tmp_path):
    """Another contract's 24-character item name printed one line of three on 分项得分 and ran over the rows
    below on 证据: rows kept the template's height, which neither Excel nor LibreOffice fits to the text on
    opening. Both writers now raise a row of repeated cells to its wrapped text (scoring/excel/row_fit.py)."""
    for name in ("contract-hosting-2026.toml", "rubric-hosting-2026.toml"):
        text = (HOSTING / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace('name = "网络带宽"', f'name = "{LONG_NAME}"'), encoding="utf-8")
    fast, slow, taken = both(tmp_path, [HOSTING / "panel"], tmp_path / "s.xlsx",
                             contract_path=tmp_path / "contract-hosting-2026.toml")
    assert taken
    assert_same(fast, slow)  # heights included
    wb = openpyxl.load_workbook(fast)
    for title, column in (("分项得分", "B"), ("证据", "A")):
        ws = wb[title]
        [row] = [c.row for c in ws[column] if c.value == LONG_NAME]
        assert ws.row_dimensions[row].height >= 3 * 12, (title, ws.row_dimensions[row].height)  # three lines
