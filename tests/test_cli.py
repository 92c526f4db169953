"""The scorecard command end to end: new-panel -> filled sheets -> summarize (interfaces.md §1)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scoring.assess import assess, to_json
from scoring.cli import main
from scoring.excel import names
from scoring.period import parse_period
from scoring.policies import make_policies
from tests.conftest import CONTRACT, RUBRIC, write_expert_workbook

SCORES = {  # 3 experts, two-decimal scores, a total below 80
    "张三": {"report": 10, "platform": 5, "onsite": 11, "policies": 5, "availability": 7, "incidents": 4,
             "response": 6, "drills": 7, "mlps": 4, "crypto": 0, "data_security": 10, "satisfaction": 6,
             "training": 5.25},
    "李四": {"report": 9.5, "platform": 4, "onsite": 10, "policies": 4.5, "availability": 7.5, "incidents": 3,
             "response": 6, "drills": 6, "mlps": 4, "crypto": 1, "data_security": 10, "satisfaction": 5,
             "training": 4},
    "王五": {"report": 11, "platform": 6, "onsite": 12, "policies": 6, "availability": 8, "incidents": 6,
             "response": 6, "drills": 2, "mlps": 3, "crypto": 2, "data_security": 10, "satisfaction": 7,
             "training": 6.75},
}


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def fill(path: Path, scores: dict[str, object]) -> None:
    """Type scores into a generated workbook through its defined names, as an expert would."""
    wb = openpyxl.load_workbook(path)
    for item_id, value in scores.items():
        sheet, cell = names.locate(wb, f"score_{item_id}")
        wb[sheet][cell].value = value
    wb.save(path)


def test_round_trip_new_panel_fill_summarize_json_equals_the_core(tmp_path, capsys):
    code, out, err = run(capsys, "new-panel", "--period", "2026H2", "--experts", "张三,李四，王五", "--out", tmp_path / "p")
    assert code == 0 and err.startswith("※ 未提供证据材料：评分表中各分项只按 0 到分值限制"), err
    code, _, err = run(capsys, "new-panel", "--period", "2027H1", "--experts", "甲,乙,丙", "--out", tmp_path / "年终")
    assert code == 0 and "2027H1 为服务期年终考核，汇总时须用 --evidence 提供证据材料（R5）" in err  # said now, not at summarize
    files = sorted((tmp_path / "p").glob("*.xlsx"))
    assert [f.name for f in files] == sorted(f"2026H2_{e}.xlsx" for e in SCORES)
    for expert, scores in SCORES.items():
        fill(tmp_path / "p" / f"2026H2_{expert}.xlsx", scores)

    code, out, err = run(capsys, "summarize", tmp_path / "p", "--out", tmp_path / "summary.xlsx", "--json")
    assert code == 0, err
    result = json.loads(out)

    # the same numbers from the core, computed from values (no workbook involved)
    from tests.conftest import sheet
    sheets = [sheet(e, {k: Decimal(str(v)) for k, v in s.items()}, source=e) for e, s in SCORES.items()]
    expected = to_json(assess(sheets, RUBRIC, CONTRACT, parse_period("2026H2"), make_policies(CONTRACT.policies),
                              CONTRACT.period_fee), str(tmp_path / "summary.xlsx"), [str(tmp_path / "p")])
    assert result["items"] == {k: v for k, v in expected["items"].items()}
    assert result == {**expected, "experts": result["experts"]} and sorted(result["experts"]) == sorted(SCORES)

    # hand check: medians report 10, platform 5, onsite 11, policies 5, availability 7.5, incidents 4, response 6,
    # drills 6, mlps 4, crypto 1, data_security 10, satisfaction 6, training 5.25 -> 80.75
    assert result["total"] == "80.75" and result["grade"] == "良好"
    assert result["items"]["drills"] == {"panel": "6", "scores": {"张三": "7", "李四": "6", "王五": "2"},
                                         "min": "0", "max": "10", "spread": "5", "flagged": ["王五"]}
    assert result["deduction"]["total"] == "0.00" and result["payable"] == "582000.00"
    assert set(result) == {"contract", "period", "year_end", "evidence_applied", "policies", "experts", "items",
                           "categories", "total", "grade", "fee", "deduction", "payable", "dissents", "review_hints",
                           "fractions"}
    assert result["evidence_applied"] is False  # no --evidence: R5-R9 not applied, said in the JSON too
    assert set(result["items"]) == {i.id for i in RUBRIC.items}


def test_summarize_json_with_fee_and_policy_below_80(tmp_path, capsys):
    for expert, scores in SCORES.items():
        write_expert_workbook(tmp_path, expert, {**scores, "onsite": 6})
    code, out, err = run(capsys, "summarize", *sorted(tmp_path.glob("*.xlsx")), "--out", tmp_path / "s.xlsx",
                         "--json", "--fee", "600,000", "--policy", "aggregation=mean")
    assert code == 0, err
    result = json.loads(out)
    assert result["policies"]["aggregation"] == "mean"
    # means: 10.1666.. + 5 + 6 + 5.1666.. + 7.5 + 4.3333.. + 6 + 5 + 3.6666.. + 1 + 10 + 6 + 5.3333.. = 75.1666..
    # rate (80 - 451/6) / 100 = 29/600 ; 600,000 x 29/600 = 29,000.00
    # non-terminating: 28 significant digits, and the exact fraction under "fractions" (interfaces.md §1)
    assert result["total"] == "75.16666666666666666666666667" and result["fractions"]["total"] == "451/6"
    assert result["deduction"]["rate"] == "0.04833333333333333333333333333"
    assert result["fractions"]["deduction.rate"] == "29/600"
    assert result["deduction"]["assessment"] == "29000.00"
    # shares 1993.127.., 19532.646.., 7474.226.. round to 1993.13 + 19532.65 + 7474.23 = 29000.01:
    # the extra cent comes off the largest line (R10)
    assert [l["amount"] for l in result["deduction"]["lines"]] == ["1993.13", "19532.64", "7474.23"]
    assert result["fee"] == "600000.00" and result["payable"] == "571000.00"


def test_summary_workbook_carries_the_named_cells_with_values(tmp_path, capsys):
    for expert, scores in SCORES.items():
        write_expert_workbook(tmp_path, expert, {**scores, "onsite": 6})
    out = tmp_path / "out" / "summary.xlsx"
    out.parent.mkdir()
    code, text, err = run(capsys, "summarize", tmp_path, "--out", out)
    assert code == 0, err
    # no --evidence: said on the screen too (only the summary's first page said it, and it went unnoticed)
    assert text.splitlines()[2].startswith("※ 未提供证据材料：未应用证据规则（R5–R9）")
    wb = openpyxl.load_workbook(out, data_only=True)

    def value(name):
        sheet, cell = names.locate(wb, name)
        return wb[sheet][cell].value

    # item medians with onsite 6 for all: 80.75 - 11 + 6 = 75.75 -> rate 4.25 % -> 24,735.00
    assert value("total_score") == pytest.approx(75.75) and value("grade") == "合格"
    assert Decimal(str(value("fee"))) == Decimal("582000")
    assert Decimal(str(value("deduction_assessment"))) == Decimal("24735")
    assert Decimal(str(value("deduction_crypto"))) == 0
    assert Decimal(str(value("deduction_total"))) == Decimal("24735")
    assert Decimal(str(value("payable"))) == Decimal("557265")
    assert value("deduction_rate") == pytest.approx(0.0425)
    assert value("panel_onsite") == 6 and value("panel_training") == pytest.approx(5.25)
    assert value("category_capability") == 21 and value("category_security") == 21


def invalid(tmp_path, capsys, *extra) -> tuple[int, list[str]]:
    out = tmp_path / "summary.xlsx"
    code, stdout, err = run(capsys, "summarize", *extra, "--out", out)
    assert not out.exists(), "nothing may be written on invalid input"
    assert stdout == ""
    return code, err.strip().splitlines()


def panel_with_an_edited_sheet(tmp_path, edit, scores: dict | None = None) -> Path:
    """甲's sheet changed through `edit(workbook)` as another program would save it, beside two good sheets."""
    path = write_expert_workbook(tmp_path, "甲", scores or {})
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    write_expert_workbook(tmp_path, "乙", {})
    write_expert_workbook(tmp_path, "丙", {})
    return path


def test_even_panel_is_refused(tmp_path, capsys):
    for expert in ("甲", "乙", "丙", "丁"):
        write_expert_workbook(tmp_path, expert, {})
    code, lines = invalid(tmp_path, capsys, tmp_path)
    # R2.1: the place is the folder read, the message lists every expert read with the file
    assert code == 2 and lines == [f"{tmp_path}: 评审专家为 4 名，须为单数（合同规定：3名以上（含3名）单数）；已读取：丁（2026H2_丁.xlsx）、"
                                   "丙（2026H2_丙.xlsx）、乙（2026H2_乙.xlsx）、甲（2026H2_甲.xlsx）"]  # in file-name order


def test_fewer_than_3_is_refused(tmp_path, capsys):
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and lines == [f"{tmp_path}: 评审专家只有 2 名，至少需要 3 名（合同规定：3名以上（含3名）单数）；"
                                   "已读取：乙（2026H2_乙.xlsx）、甲（2026H2_甲.xlsx）"]


def test_same_expert_twice_is_refused(tmp_path, capsys):
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    copy = tmp_path / "copy"
    copy.mkdir()
    write_expert_workbook(copy, "甲", {"report": 3})
    code, lines = invalid(tmp_path, capsys, tmp_path, copy)
    assert code == 2
    assert lines == [
        f"{tmp_path}: 评审专家只有 2 名，至少需要 3 名（合同规定：3名以上（含3名）单数）；已读取：乙（2026H2_乙.xlsx）、"
        "甲（2026H2_甲.xlsx）、甲（copy/2026H2_甲.xlsx）",  # R2.1 counts experts, not files
        f"{tmp_path / '2026H2_甲.xlsx'}!评分表!B5: 专家“甲”重复：同一专家只能提交一份评分表（另见 {copy / '2026H2_甲.xlsx'}）",
        f"{copy / '2026H2_甲.xlsx'}!评分表!B5: 专家“甲”重复：同一专家只能提交一份评分表（另见 {tmp_path / '2026H2_甲.xlsx'}）",
    ]


def test_every_bad_score_is_named_with_its_cell_in_one_run(tmp_path, capsys):
    bad = write_expert_workbook(tmp_path, "甲", {"report": 13, "platform": -1, "onsite": None, "policies": "五",
                                                 "availability": 7.125, "incidents": "=6", "response": True})
    write_expert_workbook(tmp_path, "乙", {})
    write_expert_workbook(tmp_path, "丙", {"training": 8.5})
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2
    c = f"{bad}!评分表"
    other = tmp_path / "2026H2_丙.xlsx"
    assert lines == [  # files in name order: 丙 (U+4E19) before 甲 (U+7532)
        f"{other}!评分表!F21: 专家“丙”的“培训服务”得分 8.5 超过该项分值 8 分",
        f"{c}!F9: 专家“甲”的“运行报告”得分 13 超过该项分值 12 分",
        f"{c}!F10: 专家“甲”的“平台功能”得分 -1 不能为负数",
        f"{c}!F11: 专家“甲”的“驻场服务”未填写得分",
        f"{c}!F12: 专家“甲”的“制度建设”得分“五”是文字，请填写数字",
        f"{c}!F13: 专家“甲”的“系统可用性”得分 7.125 超过两位小数",
        f"{c}!F14: 专家“甲”的“故障响应与处理”得分是公式（=6），请直接填写数字",
        f"{c}!F15: 专家“甲”的“服务响应”得分是逻辑值（TRUE/FALSE），请填写数字",
    ]


@pytest.mark.parametrize("fee", ["1000000000", "99999999999.99", "1000000000000"])
def test_a_fee_beyond_what_the_summary_prints_and_recomputes_exactly_is_refused(tmp_path, capsys, fee):
    """R4: at 99,999,999,999.99 the printed payable was ###, from 1,000,000,000,000 the recalculated 大写 read
    人民币亿元整, and near ten billion LibreOffice's deduction missed half cents: refused before anything is read."""
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {})
    code, lines = invalid(tmp_path, capsys, tmp_path, "--fee", fee)
    assert code == 2 and lines == [f"--fee：金额“{fee}”超过 999,999,999.99 元：汇总表的公式和金额栏只为此以内的当次服务费设计"]


def test_experts_told_apart_by_a_number_in_brackets_are_summarized_from_the_files_new_panel_made(tmp_path, capsys):
    """R2.2: 张伟(1) and 张伟(2), two experts of one name: their own untouched sheets were refused as renamed
    copies of 张伟's (the file name's "(1)" read as a copy suffix)."""
    for expert in ("张伟(1)", "张伟（2）", "王五"):
        write_expert_workbook(tmp_path, expert, {})
    code, out, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx")
    assert code == 0 and "副本" not in err, err


def test_r1_2_a_bad_note_is_listed_beside_a_bad_score_of_the_same_item(tmp_path, capsys):
    """§1 lists every problem in one run: a formula note on an item whose score is also wrong was found only
    after the score had been fixed."""
    bad = write_expert_workbook(tmp_path, "甲", {"report": "=5+5", "platform": 7}, notes={"report": "=1+1",
                                                                                        "platform": "=2+2"})
    write_expert_workbook(tmp_path, "乙", {})
    write_expert_workbook(tmp_path, "丙", {})
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and lines == [
        f"{bad}!评分表!F9: 专家“甲”的“运行报告”得分是公式（=5+5），请直接填写数字",
        f"{bad}!评分表!G9: 专家“甲”的“运行报告”备注是公式（=1+1），备注只能是文字",
        f"{bad}!评分表!F10: 专家“甲”的“平台功能”得分 7 超过该项分值 6 分",
        f"{bad}!评分表!G10: 专家“甲”的“平台功能”备注是公式（=2+2），备注只能是文字",
    ]


def test_r1_2_a_score_dragged_onto_another_items_cell_is_refused_not_read_twice(tmp_path, capsys):
    """LibreOffice and Excel move a defined name with its cell: a 5 typed in 运行报告's row and dragged down onto
    平台功能 leaves score_report and score_platform both on F10; the panel read 5 for both items, silently."""
    def drag(wb):
        wb.defined_names["score_report"].attr_text = "评分表!$F$10"
    moved = panel_with_an_edited_sheet(tmp_path, drag, {"report": 5, "platform": 5})
    out = tmp_path / "s.xlsx"
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and f"{moved}!评分表!F10: “运行报告”得分、“平台功能”得分指向同一个单元格（定义名称 score_report、" \
        "score_platform）：评分表中的单元格被拖动或剪切粘贴过，无法分清各项的得分；请在原来的位置重新填写（可用 scorecard " \
        "new-panel 重新生成评分表）" in lines
    assert len(lines) == 2 and "评审专家只有 2 名" in " ".join(lines)  # the sheet is not counted as read
    assert not out.exists()


def test_r2_2_a_copy_of_the_score_sheet_inside_the_workbook_is_refused(tmp_path, capsys):
    """A 评分表 copied within the workbook (LibreOffice gives the copy sheet-scoped copies of the names) and
    scored differently: the copy's scores were ignored, silently."""
    from openpyxl.workbook.defined_name import DefinedName

    def copy_sheet(wb):
        copy = wb.copy_worksheet(wb["评分表"])
        copy.title = "评分表2"
        copy["F9"] = 3
        copy.defined_names["score_report"] = DefinedName("score_report", attr_text="'评分表2'!$F$9")
    two = panel_with_an_edited_sheet(tmp_path, copy_sheet)
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and f"{two}!评分表2: 工作簿中另有一张带得分的评分表“评分表2”（复制出的工作表）：无法确定哪一张是专家的评分，" \
        "请删除多余的工作表后重新提交" in lines


def test_r2_2_a_pasted_copy_with_other_scores_is_refused_and_an_identical_one_passes(tmp_path, capsys):
    """Select all, copy, paste into a new sheet: no defined names come along. The expert scored the copy (运行报告 3
    there, 9.5 left in 评分表) and the named cells were read, silently."""
    def paste(changed):
        def edit(wb):
            copy = wb.copy_worksheet(wb["评分表"])
            copy.title = "Sheet1"
            wb.move_sheet(copy, -1)  # moved first, as an expert tidying up would
            if changed:
                copy["F9"] = 3
        return edit

    two = panel_with_an_edited_sheet(tmp_path, paste(True), {"report": 9.5})
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and f"{two}!Sheet1!F9: 工作表“Sheet1”是评分表的副本，其中的得分与“评分表”不同（如“运行报告”：副本 3，" \
        "评分表 9.5）：只有原评分表中的得分会被汇总；请把得分填在原评分表中，删除副本（如只是参考，也请删除或移到其他文件）后" \
        "重新提交" in lines
    for f in tmp_path.glob("*.xlsx"):
        f.unlink()

    def only_the_copy(wb):  # the expert scored the copy alone: the original's blanks come with the copy named
        paste(False)(wb)
        wb["评分表"]["F9"] = None
    one = panel_with_an_edited_sheet(tmp_path, only_the_copy)
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and any(line.startswith(f"{one}!Sheet1!F9: ") and "副本 12，评分表 空或无效" in line for line in lines), lines
    for f in tmp_path.glob("*.xlsx"):
        f.unlink()
    panel_with_an_edited_sheet(tmp_path, paste(False))
    assert run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx")[0] == 0


def test_an_experts_own_table_of_numbers_is_no_copy(tmp_path, capsys):
    """A sheet of monitoring data whose numbers happen to lie where the scores lie was called a copy of the score
    sheet; a copy carries the expert's name where the score sheet has it."""
    def data(wb):
        ws = wb.create_sheet("监控数据")
        for row in range(1, 32):
            for col in range(1, 10):
                ws.cell(row, col).value = round(row * 0.7 + col * 0.1, 1)
    panel_with_an_edited_sheet(tmp_path, data)
    code, out, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err


def test_a_chart_sheet_beside_the_score_sheet_reads_as_before(tmp_path, capsys):
    """The pasted-copy check walked every sheet: a chart sheet (no cells) made the sheet "damaged"."""
    from openpyxl.chart import BarChart, Reference

    def chart(wb):
        sheet = wb.create_chartsheet("图表")
        bar = BarChart()
        bar.add_data(Reference(wb["评分表"], min_col=6, min_row=9, max_row=12))
        sheet.add_chart(bar)
    panel_with_an_edited_sheet(tmp_path, chart)
    code, out, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert len(json.loads(out)["experts"]) == 3


def test_r1_2_a_zero_in_a_percent_cell_is_zero(tmp_path, capsys):
    """0 is 0 whatever the format: no refusal for it."""
    def percent(wb):
        wb["评分表"]["F9"].number_format = "0%"
        wb["评分表"]["F9"].value = 0
    panel_with_an_edited_sheet(tmp_path, percent)
    code, out, err = run(capsys, "summarize", tmp_path, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0 and json.loads(out)["items"]["report"]["scores"]["甲"] == "0", err


@pytest.mark.parametrize("fmt", ["0%", "0.00%"])
def test_r1_2_a_score_in_a_percent_formatted_cell_is_refused(tmp_path, capsys, fmt):
    """A macro or a pasted format set 0% on a score cell: the expert typed 11, Excel stored 0.11, and 0.11 was
    read as the score (total 78.5 instead of 79.5), flagged only as an outlier."""
    def percent(wb):
        wb["评分表"]["F9"].number_format = fmt
        wb["评分表"]["F9"].value = 0.11
    one = panel_with_an_edited_sheet(tmp_path, percent)
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and f"{one}!评分表!F9: 专家“甲”的“运行报告”得分单元格被设成了百分比格式（显示为 11%，实际值是 0.11）：" \
        "请把单元格格式改回“常规”或“数值”，再填写得分" in lines


def test_r2_2_a_copied_score_sheet_whose_original_was_deleted_says_so(tmp_path, capsys):
    """LibreOffice: copy 评分表 (the copy gets sheet-scoped names), delete the original (its workbook names go):
    the advice was to delete the extra sheet, of which there was none."""
    from openpyxl.workbook.defined_name import DefinedName

    def copy_and_delete(wb):
        copy = wb.copy_worksheet(wb["评分表"])
        copy.title = "评分表 (2)"
        for name in list(wb.defined_names):
            if name.startswith("score_"):
                place = wb.defined_names[name].attr_text.split("!")[1]
                copy.defined_names[name] = DefinedName(name, attr_text=f"'评分表 (2)'!{place}")
                del wb.defined_names[name]
        for name in list(wb.defined_names):  # the cover's names go with the original sheet too
            if "'评分表'!" in wb.defined_names[name].attr_text or "评分表!" in wb.defined_names[name].attr_text:
                del wb.defined_names[name]
        del wb["评分表"]
    one = panel_with_an_edited_sheet(tmp_path, copy_and_delete)
    assert openpyxl.load_workbook(one).sheetnames == ["评分表 (2)"]
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and f"{one}!评分表 (2): 工作表“评分表 (2)”是复制出的评分表，原来的评分表工作表已被删除" in " ".join(lines)


def test_workbooks_of_two_periods_are_refused_at_the_odd_one(tmp_path, capsys):
    write_expert_workbook(tmp_path, "甲", {})
    write_expert_workbook(tmp_path, "乙", {})
    odd = write_expert_workbook(tmp_path, "丙", {}, period="2027H1")
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and lines == [f"{odd}!评分表!B4: 考核期为“2027H1”，与其他评分表的“2026H2”不一致：这份评分表不属于本期，请把它移出评分表文件夹（或换成本期的评分表）"]


def test_last_periods_sheet_left_in_the_folder_is_named_alone(tmp_path, capsys):
    """R2.2: last half's sheet among this half's, with evidence: its scores were checked against this period's
    evidence ("超出允许范围") and the advice was to refresh, which then blamed the right evidence; the sheet to
    remove was named only among them."""
    import shutil

    sample = Path(__file__).resolve().parent.parent / "workbooks"
    for f in sample.glob("*.xlsx"):
        shutil.copy(f, tmp_path)
    odd = write_expert_workbook(tmp_path, "孙八", {"crypto": 2, "response": 8}, period="2026H1")
    code, lines = invalid(tmp_path, capsys, tmp_path, "--evidence", sample / "evidence" / "2026H2_证据材料.xlsx")
    assert code == 2 and [line for line in lines if line.startswith(str(odd))] == \
        [f"{odd}!评分表!B4: 考核期为“2026H1”，与其他评分表的“2026H2”不一致：这份评分表不属于本期，请把它移出评分表文件夹（或换成本期的评分表）"]
    assert not any("超出允许范围" in line or "refresh" in line for line in lines), lines


def test_foreign_contract_and_rubric_version_and_missing_name(tmp_path, capsys):
    a = write_expert_workbook(tmp_path, "甲", {}, contract_id="other-2026", rubric_version="0.1")
    b = write_expert_workbook(tmp_path, "乙", {}, expert_name=None)
    write_expert_workbook(tmp_path, "丙", {})
    foreign = tmp_path / "not-ours.xlsx"
    openpyxl.Workbook().save(foreign)
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2
    assert f"{a}!评分表!B3: 评分表属于合同“other-2026”，不是本次考核的合同“hebi-backup-2026”" in lines
    assert f"{a}!评分表!E5: 评分表的考核办法版本为“0.1”，与当前版本“{RUBRIC.version}”不一致" in lines
    assert f"{b}!评分表!B5: 未填写评分专家姓名" in lines
    assert any(line.startswith(f"{foreign}: 不是本系统生成的评分表") for line in lines)


def test_output_equal_to_an_input_is_refused_and_left_untouched(tmp_path, capsys):
    paths = [write_expert_workbook(tmp_path, e, {}) for e in ("甲", "乙", "丙")]
    before = paths[0].read_bytes()
    code, _, err = run(capsys, "summarize", tmp_path, "--out", paths[0])
    assert code == 2 and "输出文件不能是输入的评分表之一" in err
    assert paths[0].read_bytes() == before


@pytest.mark.parametrize("spelling", ["dotted", "symlink", "hardlink"])
def test_output_that_is_an_input_by_another_spelling_or_a_link_is_refused(tmp_path, capsys, spelling):
    """An output given as ./x/../name, or as a link to an expert sheet, is still that input (it would be
    overwritten): the same file by its identity, not its name."""
    import os

    paths = [write_expert_workbook(tmp_path, e, {}) for e in ("甲", "乙", "丙")]
    before = paths[1].read_bytes()
    if spelling == "dotted":
        out = tmp_path / "x" / ".." / paths[1].name
        (tmp_path / "x").mkdir()
    else:
        out = tmp_path.parent / f"{tmp_path.name}-link.xlsx"
        (os.symlink if spelling == "symlink" else os.link)(paths[1], out)
    code, _, err = run(capsys, "summarize", tmp_path, "--out", out)
    assert code == 2 and "输出文件不能是输入的评分表之一" in err
    assert paths[1].read_bytes() == before


def test_invalid_run_keeps_an_earlier_summary(tmp_path, capsys):
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    out = tmp_path / "summary.xlsx"
    out.write_bytes(b"earlier summary")
    code, _, _ = run(capsys, "summarize", tmp_path / "2026H2_甲.xlsx", tmp_path / "2026H2_乙.xlsx", "--out", out)
    assert code == 2 and out.read_bytes() == b"earlier summary"


@pytest.mark.parametrize("args, text", [
    (["--fee", "abc"], "--fee：金额“abc”不是数字"),
    (["--fee", "1.001"], "最多两位小数"),
    (["--policy", "aggregation=vote"], "汇总方式“vote”无效"),
    (["--policy", "colour=red"], "未知的规则选项“colour”"),
])
def test_bad_options_are_reported_with_the_panel_problems(tmp_path, capsys, args, text):
    for expert in ("甲", "乙", "丙", "丁"):
        write_expert_workbook(tmp_path, expert, {})
    code, lines = invalid(tmp_path, capsys, tmp_path, *args)
    assert code == 2 and any(text in line for line in lines)
    assert any("须为单数" in line for line in lines)


def test_year_end_without_evidence_is_refused(tmp_path, capsys):
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {}, period="2027H1")
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and any("年终考核" in line and "R5" in line for line in lines)


@pytest.mark.parametrize("experts, text", [
    ("甲,乙", "至少需要 3 名"), ("甲,乙,丙,丁", "须为单数"), ("甲,乙,甲", "重复"), ("甲,乙/丙,丁,戊", "文件名"),
])
def test_new_panel_refuses_bad_expert_lists_and_writes_nothing(tmp_path, capsys, experts, text):
    code, _, err = run(capsys, "new-panel", "--period", "2026H2", "--experts", experts, "--out", tmp_path / "p")
    assert code == 2 and text in err
    assert not (tmp_path / "p").exists()
    # the option is the place, as FILE!SHEET!CELL is for a workbook (interfaces.md §5)
    assert any(line.startswith("--experts: ") and text in line for line in err.splitlines())


@pytest.mark.parametrize("period, text", [("2026H3", "格式不对"), ("2025H2", "不在合同服务期"), ("2027H2", "不在合同服务期")])
def test_new_panel_refuses_periods_outside_the_contract(tmp_path, capsys, period, text):
    code, _, err = run(capsys, "new-panel", "--period", period, "--experts", "甲,乙,丙", "--out", tmp_path / "p")
    assert code == 2 and text in err


def test_new_panel_never_overwrites_a_filled_sheet_without_force(tmp_path, capsys):
    args = ["new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--out", tmp_path]
    assert run(capsys, *args)[0] == 0
    fill(tmp_path / "2026H2_甲.xlsx", {"report": 7})
    before = (tmp_path / "2026H2_甲.xlsx").read_bytes()
    code, _, err = run(capsys, *args)
    assert code == 2 and "已存在" in err and (tmp_path / "2026H2_甲.xlsx").read_bytes() == before
    assert run(capsys, *args, "--force")[0] == 0
    assert (tmp_path / "2026H2_甲.xlsx").read_bytes() != before


def test_command_line_errors_exit_2_in_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summarize"])
    assert exc.value.code == 2 and "命令行参数错误" in capsys.readouterr().err


def test_demo_summarizes_the_shipped_sample(tmp_path, capsys):
    code, out, err = run(capsys, "demo", "--out", tmp_path / "demo")
    assert code == 0, err
    assert "总分 79.5　等级 合格" in out and "考核扣款    2,910.00    元" in out
    assert "※ 总分 79.5 与 80 分相差不超过 1 分，请专家组复核" in out
    assert (tmp_path / "demo" / "summary.xlsx").exists()


def test_python_dash_m_scoring_runs_as_a_separate_process(tmp_path):
    sample = Path(__file__).resolve().parent.parent / "workbooks"
    done = subprocess.run([sys.executable, "-m", "scoring", "summarize", str(sample), "--out",
                           str(tmp_path / "s.xlsx"), "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["total"] == "79.5" and result["deduction"]["assessment"] == "2910.00"
    assert result["items"]["drills"]["flagged"] == ["赵六"]


def test_batch_summarizes_each_panel_and_reports_the_bad_one(tmp_path, capsys):
    import shutil
    sample = Path(__file__).resolve().parent.parent / "workbooks"
    for name in ("组一", "组二"):
        (tmp_path / name / "evidence").mkdir(parents=True)
        for f in sample.glob("*.xlsx"):
            shutil.copy(f, tmp_path / name)
    shutil.copy(sample / "evidence" / "2026H2_证据材料.xlsx", tmp_path / "组一" / "evidence")  # 组二 has none
    (tmp_path / "组三").mkdir()
    write_expert_workbook(tmp_path / "组三", "甲", {})
    (tmp_path / "out").mkdir()
    code, out, err = run(capsys, "batch", tmp_path / "组一", tmp_path / "组三", tmp_path / "组二",
                         "--out-dir", tmp_path / "out")
    assert code == 2
    assert out.splitlines() == [f"{tmp_path / '组一'}\t总分 79.5\t合格\t扣款 2,910.00\t应付 579,090.00",
                                f"{tmp_path / '组二'}\t总分 79.5\t合格\t扣款 2,910.00\t应付 579,090.00"
                                "\t未应用证据规则（没有 evidence 子文件夹中的证据材料）",  # said: it went unnoticed
                                "共 3 个考核组，2 个已汇总，1 个有问题。"]
    assert "评审专家只有 1 名" in err and f"{tmp_path / '组三'}：未汇总，问题如下：" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["组一.xlsx", "组二.xlsx"]


def test_a_year_end_panel_of_a_batch_without_evidence_is_told_where_to_put_it(tmp_path, capsys):
    """R5, R11: batch has no --evidence; the year-end panel's message named that option and no folder."""
    (tmp_path / "年终组").mkdir()
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path / "年终组", expert, {}, period="2027H1")
    code, out, err = run(capsys, "batch", tmp_path / "年终组", "--out-dir", tmp_path / "out")
    assert code == 2 and "--evidence" not in err
    assert err.index(f"{tmp_path / '年终组'}：未汇总，问题如下：") < err.index("须在")
    assert f"须在 {tmp_path / '年终组' / 'evidence'} 文件夹中放入该考核组的证据材料" in err


def test_batch_says_where_evidence_left_beside_the_sheets_belongs(tmp_path, capsys):
    """R11: evidence put beside a panel's sheets was skipped with advice to add --evidence, which batch refuses."""
    import shutil
    sample = Path(__file__).resolve().parent.parent / "workbooks"
    (tmp_path / "组").mkdir()
    for f in sample.glob("*.xlsx"):
        shutil.copy(f, tmp_path / "组")
    shutil.copy(sample / "evidence" / "2026H2_证据材料.xlsx", tmp_path / "组")
    code, out, err = run(capsys, "batch", tmp_path / "组", "--out-dir", tmp_path / "out")
    assert code == 0 and "--evidence" not in err
    assert f"请把它移到 {tmp_path / '组' / 'evidence'} 中" in err


def test_an_even_panel_on_the_command_line_lists_the_names_read(tmp_path, capsys):
    """R2.1: 甲，乙、丙,丁 (Chinese and ASCII separators) is four experts, named back to the secretary."""
    code, _, err = run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲，乙、丙,丁", "--out", tmp_path / "p")
    assert code == 2 and "--experts: 专家为 4 名，须为单数（合同规定：3名以上（含3名）单数）；已列出：甲、乙、丙、丁" in err


def test_output_piped_into_head_ends_quietly(tmp_path):
    """`scorecard summarize … | head -1` printed "错误：系统错误（错误号 32）" and exit 1 after the summary was written."""
    import subprocess
    import sys as _sys

    sample = Path(__file__).resolve().parent.parent / "workbooks"
    out = tmp_path / "s.xlsx"
    command = (f'"{_sys.executable}" -m scoring summarize "{sample}" --evidence "{sample / "evidence" / "2026H2_证据材料.xlsx"}"'
               f' --out "{out}" | true; exit ${{PIPESTATUS[0]}}')  # a reader gone before the first line
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert done.returncode == 0 and "错误" not in done.stderr and out.exists(), done.stderr


def test_invalid_input_piped_into_head_ends_quietly_with_status_2(tmp_path):
    """`summarize … --json | head -1` on invalid sheets printed an English BrokenPipeError traceback, exit 1."""
    import subprocess
    import sys as _sys

    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {"report": 13})
    command = (f'"{_sys.executable}" -m scoring summarize "{tmp_path}" --json --out "{tmp_path / "s.xlsx"}"'
               f' | true; exit ${{PIPESTATUS[0]}}')
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
    assert "超过该项分值 12 分" in done.stderr and not (tmp_path / "s.xlsx").exists()


def test_batch_piped_into_a_reader_that_goes_still_summarizes_every_panel(tmp_path):
    """R11: `batch … | head` stopped after the first panels and exited 0 once the reader had gone."""
    import shutil
    import subprocess
    import sys as _sys

    sample = Path(__file__).resolve().parent.parent / "workbooks"
    (tmp_path / "坏组").mkdir()
    write_expert_workbook(tmp_path / "坏组", "甲", {})
    folders = [tmp_path / "坏组"]
    for name in ("组一", "组二", "组三"):
        (tmp_path / name).mkdir()
        for f in sample.glob("*.xlsx"):
            shutil.copy(f, tmp_path / name)
        folders.append(tmp_path / name)
    listed = " ".join(f'"{f}"' for f in folders)
    command = (f'"{_sys.executable}" -m scoring batch {listed} --out-dir "{tmp_path / "out"}" --jobs 1 2>/dev/null'
               f' | true; exit ${{PIPESTATUS[0]}}')
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert done.returncode == 2  # a panel had problems, whoever stopped reading
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["组一.xlsx", "组三.xlsx", "组二.xlsx"]


def test_a_dissent_dragged_onto_a_score_cell_is_refused(tmp_path, capsys):
    """The shared-cell check covers the dissent names too (interfaces.md §4)."""
    def drag(wb):
        wb.defined_names["dissent"].attr_text = wb.defined_names["score_report"].attr_text
    panel_with_an_edited_sheet(tmp_path, drag)
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and any("“运行报告”得分、“有无异议”指向同一个单元格（定义名称 score_report、dissent）" in line for line in lines), lines


def test_a_sheet_with_a_deleted_row_is_called_damaged_not_foreign(tmp_path, capsys):
    """A row deleted in LibreOffice or Excel leaves its names pointing nowhere (#REF!): the sheet was called
    "不是本系统生成的评分表", which sent the secretary looking for the wrong file."""
    def delete_row(wb):
        wb.defined_names["score_platform"].attr_text = "#REF!"  # as LibreOffice writes it
    damaged = panel_with_an_edited_sheet(tmp_path, delete_row)
    code, lines = invalid(tmp_path, capsys, tmp_path)
    assert code == 2 and f"{damaged}!评分表: 评分表缺少定义名称 score_platform（分项的单元格或其名称被删除，多因删除了行）：" \
        "请在 scorecard new-panel 生成的评分表中填写，不要删除行" in lines


def test_a_note_typed_as_a_date_a_boolean_or_a_number_reads_as_the_expert_saw_it(tmp_path):
    """A note cell that Excel took for a date or a number reached 评分明细 as "2026-10-08 00:00:00" and "True"."""
    from datetime import datetime

    from scoring.excel.reader import read_expert_workbook

    path = write_expert_workbook(tmp_path, "甲", {}, notes={"report": datetime(2026, 10, 8), "platform": True,
                                                             "onsite": 12.0, "policies": datetime(2026, 10, 8, 9, 30),
                                                             "availability": 0.1 + 0.2})
    sheet, problems = read_expert_workbook(path, RUBRIC)
    assert problems == [] and {k: v for k, v in sheet.notes.items() if v} == {
        "report": "2026-10-08", "platform": "TRUE", "onsite": "12", "policies": "2026-10-08 09:30",
        "availability": "0.3"}
