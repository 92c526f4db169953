"""The expert scoring workbook, read back cell by cell (R1, R11, interfaces.md §2)."""

from __future__ import annotations

import openpyxl
import pytest

from scoring.excel import names
from scoring.excel.atomic import save_workbook
from scoring.excel.expert_sheet import SHEET, build_expert_workbook
from scoring.period import parse_period
from tests.conftest import CONTRACT, RUBRIC


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("expert") / "2026H2_张三.xlsx"
    save_workbook(build_expert_workbook(RUBRIC, CONTRACT, parse_period("2026H2"), "张三"), path)
    return openpyxl.load_workbook(path)


def cell(wb, name):
    sheet, coord = names.locate(wb, name)
    return wb[sheet][coord]


def test_cover_cells_are_named_and_filled(book):
    assert cell(book, "expert_name").value == "张三"
    assert cell(book, "period").value == "2026H2"
    assert cell(book, "contract_id").value == "hebi-backup-2026"
    assert cell(book, "rubric_version").value == RUBRIC.version
    assert book[SHEET]["A1"].value == "鹤壁市数据备份云服务采购项目 绩效考核评分表"
    assert "2026年07月01日 至 2026年12月31日" in book[SHEET]["D4"].value


def test_one_row_per_item_with_category_points_criteria_and_named_inputs(book):
    ws = book[SHEET]
    rows = []
    for item in RUBRIC.items:
        score = cell(book, f"score_{item.id}")
        note = cell(book, f"note_{item.id}")
        assert score.row == note.row and score.column_letter == "F" and note.column_letter == "G"
        r = score.row
        rows.append(r)
        assert ws[f"B{r}"].value == item.name
        assert ws[f"C{r}"].value == item.points
        assert ws[f"D{r}"].value == item.criteria
        assert ws[f"E{r}"].value == f"未提供证据材料。允许 0–{item.points} 分"
        assert score.value is None and note.value is None
        assert score.protection.locked is False and note.protection.locked is False
    assert rows == list(range(9, 22))
    assert ws["A9"].value == "服务能力" and ws["A12"].value == "服务质量" and ws["A16"].value == "安全保障"
    assert ws["A20"].value == "其他"
    assert "A9:A11" in {str(r) for r in ws.merged_cells.ranges}


def test_subtotals_and_total_are_live_formulas(book):
    ws = book[SHEET]
    assert cell(book, "subtotal_capability").value == "=SUM(F9:F11)"
    assert cell(book, "subtotal_quality").value == "=SUM(F12:F15)"
    assert cell(book, "subtotal_security").value == "=SUM(F16:F19)"
    assert cell(book, "subtotal_other").value == "=SUM(F20:F21)"
    assert cell(book, "expert_total").value == "=SUM(F22:F25)"
    assert ws["C26"].value == 100


def test_score_cells_validate_decimal_0_to_points_with_chinese_messages(book):
    ws = book[SHEET]
    by_cell = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for item in RUBRIC.items:
        dv = by_cell[cell(book, f"score_{item.id}").coordinate]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", str(item.points))
        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.showInputMessage
        assert item.name in dv.error and "两位小数" in dv.error
        assert dv.prompt == f"请输入 0 到 {item.points} 之间的分数，最多两位小数。"
    dissent = by_cell[cell(book, "dissent").coordinate]  # interfaces.md §4: 是/否
    assert (dissent.type, dissent.formula1) == ("list", '"是,否"')
    assert len(by_cell) == 14


def test_sheet_is_protected_without_password_and_only_inputs_unlocked(book):
    ws = book[SHEET]
    assert ws.protection.sheet is True and not ws.protection.password
    unlocked = {c.coordinate for row in ws.iter_rows(min_row=1, max_row=40, max_col=7) for c in row
                if c.protection.locked is False and type(c).__name__ != "MergedCell"}
    expected = {cell(book, "sign_date").coordinate} | {cell(book, f"{k}_{i.id}").coordinate for i in RUBRIC.items for k in ("score", "note")}
    expected |= {cell(book, "dissent").coordinate, cell(book, "dissent_reason").coordinate}  # interfaces.md §4
    assert unlocked == expected


def test_print_setup_is_one_a4_landscape_page_with_the_signature_below_the_total(book):
    ws = book[SHEET]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1  # one page (issue 11)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    total, signed = cell(book, "expert_total").row, cell(book, "sign_date").row
    assert total < signed and ws.print_area.endswith(f"$G${signed}")


def test_every_defined_name_of_interfaces_md_exists(book):
    expected = {"expert_name", "period", "contract_id", "rubric_version"}
    expected |= {f"{k}_{i.id}" for i in RUBRIC.items for k in ("score", "note")}
    assert expected <= set(book.defined_names.keys())


def test_expert_name_that_looks_like_a_formula_is_stored_as_text(tmp_path):
    path = tmp_path / "x.xlsx"
    save_workbook(build_expert_workbook(RUBRIC, CONTRACT, parse_period("2026H2"), "=HYPERLINK(\"x\")"), path)
    wb = openpyxl.load_workbook(path)
    c = cell(wb, "expert_name")
    assert c.data_type == "s" and c.value == "=HYPERLINK(\"x\")" and c.quotePrefix


def test_atomic_save_leaves_the_earlier_file_when_writing_fails(tmp_path):
    path = tmp_path / "keep.xlsx"
    path.write_bytes(b"earlier")

    class Broken:
        def save(self, handle):
            handle.write(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        save_workbook(Broken(), path)
    assert path.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_a_long_item_name_gets_the_rows_it_needs_on_paper(tmp_path):
    """Another contract's item names run longer than the embedded ones: 政务外网及互联网双线路带宽保障与链路冗余切换能力
    (24 characters) in the 11-wide 分项指标 column needs five printed lines; its row was sized for the criteria
    only, and the expert could not read which item the score was for."""
    from dataclasses import replace

    long_name = "政务外网及互联网双线路带宽保障与链路冗余切换能力"
    first = RUBRIC.categories[0]
    renamed = replace(first, items=(replace(first.items[0], name=long_name),) + first.items[1:])
    rubric = replace(RUBRIC, categories=(renamed,) + RUBRIC.categories[1:])
    wb = build_expert_workbook(rubric, CONTRACT, parse_period("2026H2"), "甲")
    sheet, ref = names.locate(wb, names.score_name(first.items[0].id))
    row = wb[sheet][ref].row
    assert wb[sheet][f"B{row}"].value == long_name
    assert wb[sheet].row_dimensions[row].height >= 5 * 14


def test_a_rubric_of_another_total_is_not_called_out_of_a_hundred():
    """R1.1 as data: a rubric of 110 points was introduced to the expert as 百分制."""
    from dataclasses import replace
    from decimal import Decimal

    wb = build_expert_workbook(replace(RUBRIC, total=Decimal(110)), CONTRACT, parse_period("2026H2"), "甲")
    assert wb[SHEET]["A2"].value.endswith("，满分 110 分")
    assert build_expert_workbook(RUBRIC, CONTRACT, parse_period("2026H2"), "甲")[SHEET]["A2"].value.endswith("，百分制")
