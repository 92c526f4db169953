"""Dissent as data: the expert sheet's `dissent` / `dissent_reason`, on the signature sheet and in --json (§4)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from scoring.cli import main
from scoring.excel import names
from scoring.excel.libreoffice import find_soffice
from tests.conftest import write_expert_workbook
from tests.libreoffice_entry import enter

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def signature_rows(path: Path) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(path)["签字"]
    return {row[0].value: tuple(c.value for c in row) for row in ws.iter_rows() if row[0].value}


def test_a_dissent_entered_in_libreoffice_reaches_the_signature_sheet_and_json(tmp_path, capsys):
    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    panel = tmp_path / "p"
    panel.mkdir()
    write_expert_workbook(panel, "甲", {})
    write_expert_workbook(panel, "乙", {})
    blank = write_expert_workbook(tmp_path, "丙", {"report": 6})
    # 丙 types the dissent in LibreOffice Calc itself (a Basic macro sets the named cells and saves as .xlsx)
    enter(blank, {"dissent": "是", "dissent_reason": "+运行报告的扣分依据不足"}, panel / blank.name)
    out = tmp_path / "s.xlsx"
    code, text, err = run(capsys, "summarize", panel, "--out", out, "--json")
    assert code == 0, err
    assert json.loads(text)["dissents"] == [{"expert": "丙", "reason": "+运行报告的扣分依据不足"}]
    rows = signature_rows(out)
    assert rows["丙"][3] == "□ 同意　■ 有异议（评分表中已声明）" and rows["丙"][4] == "+运行报告的扣分依据不足"
    assert rows["甲"][3] == "□ 同意　□ 有异议" and rows["甲"][4] is None
    ws = openpyxl.load_workbook(out)["签字"]
    [cell] = [row[4] for row in ws.iter_rows() if row[0].value == "丙"]
    assert cell.data_type == "s" and cell.quotePrefix  # the expert's text stays text, never a formula
    code, text, err = run(capsys, "summarize", panel, "--out", out)
    assert code == 0 and "专家异议（已写入汇总表“签字”页）：\n  丙：+运行报告的扣分依据不足" in text  # on screen too


def test_a_dissent_without_a_reason_is_refused_with_the_cell(tmp_path, capsys):
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    bad = write_expert_workbook(tmp_path, "丙", {}, dissent="是", dissent_reason="  ")
    wb = openpyxl.load_workbook(bad)
    sheet, ref = names.locate(wb, "dissent_reason")
    code, _, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx")
    assert code == 2 and f"{bad}!{sheet}!{ref}: 专家“丙”声明对考核结果有异议，但未填写异议理由" in err
    assert not (tmp_path / "s.xlsx").exists()
    write_expert_workbook(tmp_path, "丙", {}, dissent="也许")
    code, _, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "“有无异议”应填“是”或“否”，现为“也许”" in err
    write_expert_workbook(tmp_path, "丙", {}, dissent="是", dissent_reason="=HYPERLINK(\"http://x\")")
    code, _, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx")
    assert code == 2 and f"{bad}!{sheet}!{ref}: 专家“丙”的异议理由是公式，只能是文字" in err


@pytest.mark.parametrize("choice", ["否", None])
def test_a_reason_written_under_no_dissent_is_refused_not_dropped(tmp_path, capsys, choice):
    """An expert who writes a reason but leaves 有无异议 at 否 (or blank): the signed summary would drop what
    they wrote, so the sheet goes back to them like a dissent without a reason; 无 is no reason."""
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    bad = write_expert_workbook(tmp_path, "丙", {}, dissent=choice, dissent_reason="运行报告扣分依据不足")
    wb = openpyxl.load_workbook(bad)
    sheet, ref = names.locate(wb, "dissent_reason")
    code, _, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx")
    assert code == 2 and (f"{bad}!{sheet}!{ref}: 专家“丙”填写了异议理由“运行报告扣分依据不足”，但“有无异议”为“否”："
                          "如有异议请改选“是”，如无异议请清空异议理由") in err
    assert not (tmp_path / "s.xlsx").exists()
    write_expert_workbook(tmp_path, "丙", {}, dissent=choice, dissent_reason="无")
    code, text, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert json.loads(text)["dissents"] == []


def test_sheets_made_before_the_dissent_names_still_load(tmp_path, capsys):
    legacy = Path(__file__).resolve().parent / "data" / "legacy" / "2026H2"  # the sample as written before §4
    wb = openpyxl.load_workbook(legacy / "2026H2_张三.xlsx")
    assert "dissent" not in wb.defined_names  # these sheets predate the names
    code, text, err = run(capsys, "summarize", legacy, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err and json.loads(text)["dissents"] == []
    assert json.loads(text)["dissents"] == []
