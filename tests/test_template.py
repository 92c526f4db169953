"""The xlsx template renderer: typed values, repeated rows, formulas and names that follow, checked variables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from scoring.errors import InputError
from scoring.excel.template import render_template


def make(tmp_path, build) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    build(wb, ws)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    return path


def render(tmp_path, build, context):
    wb = render_template(make(tmp_path, build), context).workbook
    out = tmp_path / "out.xlsx"
    wb.save(out)
    return openpyxl.load_workbook(out)


def test_whole_cell_expressions_keep_their_type_and_text_is_text(tmp_path):
    def build(wb, ws):
        ws["A1"] = "{{ amount }}"
        ws["A2"] = "{{ day }}"
        ws["A3"] = "合计 {{ amount }} 元"
        ws["A4"] = "{{ note }}"
        ws["A5"] = "plain"
        ws["A6"] = "{{ n + 1 }}"
    wb = render(tmp_path, build, {"amount": Decimal("2910.00"), "day": date(2027, 1, 8), "note": "=cmd|' /C calc'!A0",
                                  "n": 4})
    ws = wb["表"]
    assert ws["A1"].value == 2910 and ws["A1"].data_type == "n"
    assert ws["A2"].value.date() == date(2027, 1, 8)
    assert ws["A3"].value == "合计 2910.00 元"
    assert ws["A4"].value == "=cmd|' /C calc'!A0" and ws["A4"].data_type == "s"  # text, never a formula
    assert ws["A5"].value == "plain" and ws["A6"].value == 5


def test_repeated_rows_move_what_is_below_and_fix_formulas(tmp_path):
    def build(wb, ws):
        ws["A1"] = "标题"
        ws["A2"] = "{% row for r in rows %}{{ r.name }}"
        ws["B2"] = "{{ r.value }}"
        ws["C2"] = "=B2*2"
        ws["A3"] = "合计"
        ws["B3"] = "=SUM(B2:B2)"
        ws["B4"] = "=B3+'表'!B3"
        ws["A2"].font = Font(bold=True)
        ws.row_dimensions[2].height = 30
        ws.merge_cells("A5:C5")
        ws["A5"] = "落款"
        wb.defined_names["total"] = DefinedName("total", attr_text="'表'!$B$3")
        ws.conditional_formatting.add("B2", FormulaRule(formula=["B2>5"], fill=PatternFill("solid", fgColor="FF0000")))
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="9")
        dv.add("B2")
        ws.add_data_validation(dv)
        ws.print_title_rows = "2:2"
    wb = render(tmp_path, build, {"rows": [{"name": "甲", "value": 3}, {"name": "乙", "value": 4},
                                           {"name": "丙", "value": 5}]})
    ws = wb["表"]
    assert [ws.cell(r, 1).value for r in range(1, 6)] == ["标题", "甲", "乙", "丙", "合计"]
    assert [ws.cell(r, 2).value for r in range(2, 5)] == [3, 4, 5]
    assert [ws.cell(r, 3).value for r in range(2, 5)] == ["=B2*2", "=B3*2", "=B4*2"]
    assert ws["B5"].value == "=SUM(B2:B4)"
    assert ws["B6"].value == "=B5+'表'!B5"
    assert ws["A3"].font.bold and ws.row_dimensions[4].height == 30
    assert "A7:C7" in {str(r) for r in ws.merged_cells.ranges} and ws["A7"].value == "落款"
    assert list(wb.defined_names["total"].destinations) == [("表", "$B$5")]
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == ["B2:B4"]
    assert str(ws.data_validations.dataValidation[0].sqref) == "B2:B4"
    assert ws.print_title_rows == "$2:$4"


def test_an_empty_list_removes_the_row(tmp_path):
    def build(wb, ws):
        ws["A1"] = "{% row for r in rows %}{{ r }}"
        ws["A2"] = "合计"
        ws["B2"] = "=SUM(B1:B1)+B3"
        ws["B3"] = 7
    ws = render(tmp_path, build, {"rows": []})["表"]
    assert ws["A1"].value == "合计" and ws["B2"].value == 7
    assert ws["B1"].value == "=SUM(0)+B2"


def test_named_filter_gives_the_output_cell_a_defined_name(tmp_path):
    def build(wb, ws):
        ws["A1"] = "{% row for r in rows %}{{ r.id }}"
        ws["B1"] = "{{ r.value | named('panel_' ~ r.id) }}"
        ws["B2"] = "{{ total | named('total_score') }}"
    wb = render(tmp_path, build, {"rows": [{"id": "a", "value": 1}, {"id": "b", "value": 2}], "total": 3})
    assert list(wb.defined_names["panel_a"].destinations) == [("表", "$B$1")]
    assert list(wb.defined_names["panel_b"].destinations) == [("表", "$B$2")]
    assert list(wb.defined_names["total_score"].destinations) == [("表", "$B$3")]


def test_undefined_variables_are_reported_with_their_cells_before_rendering(tmp_path):
    def build(wb, ws):
        ws["A1"] = "{{ known }}"
        ws["B2"] = "{{ missing }}"
        ws["C3"] = "考核期 {{ period.code }} {{ other }}"
        ws["A4"] = "{% row for r in rows %}{{ r.x }}"
        ws["B4"] = "{{ r.y }}"
    with pytest.raises(InputError) as err:
        render_template(make(tmp_path, build), {"known": 1, "period": {"code": "2026H2"}, "rows": []})
    assert [(p.sheet, p.cell, p.message) for p in err.value.problems] == [
        ("表", "B2", "模板使用了未提供的变量“missing”"), ("表", "C3", "模板使用了未提供的变量“other”")]


def test_an_attribute_missing_at_render_time_names_the_cell(tmp_path):
    def build(wb, ws):
        ws["D7"] = "{{ period.nothing }}"
    with pytest.raises(InputError) as err:
        render_template(make(tmp_path, build), {"period": {"code": "2026H2"}})
    assert err.value.problems[0].cell == "D7" and "模板求值出错" in err.value.problems[0].message


def test_a_template_cannot_reach_python_internals(tmp_path):
    def build(wb, ws):
        ws["A1"] = "{{ x.__class__.__mro__ }}"
        ws["A2"] = "text {{ x.__class__ }}"
    with pytest.raises(InputError) as err:
        render_template(make(tmp_path, build), {"x": 1})
    assert err.value.problems[0].cell == "A1" and "模板求值出错" in err.value.problems[0].message


def test_across_spills_a_list_rightwards_and_names_and_areas_widen_to_the_block(tmp_path):
    def build(wb, ws):
        ws.merge_cells("A1:C1")
        ws["A1"] = "标题"
        ws["A2"], ws["B2"], ws["C2"] = "专家", "合计", "{{ names | across }}"
        ws["A3"] = "{% row for e in rows %}{{ e.name }}"
        ws["C3"] = "{{ e.scores | across }}"
        ws["C3"].font = Font(bold=True)
        ws.column_dimensions["C"].width = 11
        wb.defined_names["block"] = DefinedName("block", attr_text="'表'!$C$3:$C$3")
        ws.conditional_formatting.add("C3", FormulaRule(formula=["C3>MEDIAN(C$3:C$3)"], fill=PatternFill("solid", fgColor="FF0000")))
        ws["A4"] = "合计"
    rows = [{"name": "甲", "scores": [1, 2, 3]}, {"name": "乙", "scores": [4, 5, 6]}]
    wb = render(tmp_path, build, {"names": ["x", "y", "z"], "rows": rows})
    ws = wb["表"]
    assert [[ws.cell(r, c).value for c in range(1, 6)] for r in range(2, 6)] == [
        ["专家", "合计", "x", "y", "z"], ["甲", None, 1, 2, 3], ["乙", None, 4, 5, 6], ["合计", None, None, None, None]]
    assert ws["E4"].font.bold and ws.column_dimensions["E"].width == 11
    assert list(wb.defined_names["block"].destinations) == [("表", "$C$3:$E$4")]
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    cf = list(ws.conditional_formatting)[0]
    assert str(cf.sqref) == "C3:E4" and cf.rules[0].formula == ["C3>MEDIAN(C$3:C$4)"]


def test_blocks_of_one_column_must_be_equally_wide(tmp_path):
    def build(wb, ws):
        ws["C1"] = "{{ a | across }}"
        ws["C2"] = "{{ b | across }}"
    with pytest.raises(InputError) as err:
        render_template(make(tmp_path, build), {"a": [1, 2], "b": [1, 2, 3]})
    assert err.value.problems[0].cell == "C2"


def test_a_program_formula_becomes_a_formula_with_its_cached_value_and_text_never_does(tmp_path):
    from scoring.excel.template import Formula

    def build(wb, ws):
        ws["A1"] = "{{ f | named('panel_x') }}"
        ws["A2"] = "{{ text }}"
    rendered = render_template(make(tmp_path, build), {"f": Formula("MEDIAN(1,2,3)", Decimal("2")), "text": "=1+1"})
    ws = rendered.workbook["表"]
    assert ws["A1"].value == "=MEDIAN(1,2,3)" and rendered.cached["表"] == {"A1": Decimal("2")}
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert list(rendered.workbook.defined_names["panel_x"].destinations) == [("表", "$A$1")]


def test_neither_the_template_nor_its_renderer_names_an_item_of_the_default_rubric():
    """issue 13 part 3: the summary is built from the method in use, so no item id is written into it."""
    import re
    from pathlib import Path

    from scoring.excel.summary import default_template
    from scoring.rubric import default_rubric
    ids = [i.id for i in default_rubric().items] + [c.id for c in default_rubric().categories]
    wb = openpyxl.load_workbook(default_template())
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    texts += [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    texts += [f"{k} {v.attr_text}" for k, v in wb.defined_names.items()]
    root = Path(__file__).resolve().parent.parent
    sources = [(root / p).read_text(encoding="utf-8") for p in (
        "scoring/excel/template.py", "scoring/excel/summary.py", "scoring/excel/formulas.py", "scoring/report.py",
        "scripts/make_template.py")]
    # evidence.incidents is the evidence workbook's table (interfaces.md §2), not the item
    pattern = re.compile(r"(?<![A-Za-z_.])(" + "|".join(ids) + r")(?![A-Za-z_])")
    assert [m.group(0) for t in texts for m in pattern.finditer(t)] == []
    assert [m.group(0) for t in sources for m in re.finditer(r"[\"'](" + "|".join(ids) + r")[\"']", t)] == []

