"""The command line with evidence: evidence-template, new-panel --evidence, summarize --evidence (R5-R9)."""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl

from scoring.excel import names
from tests.conftest import write_evidence_workbook, write_expert_workbook
from tests.test_cli import fill, run

EVIDENCE_ROWS = {
    "服务中断": [(datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 10, 53), "")],  # 99.97999 % -> 3 to 6
    "需求函": [("XQ-1", date(2026, 9, 30), date(2026, 10, 12), "")],  # late -> response 7
    "投诉与未接电话": [(date(2026, 9, 1), "投诉", "")],  # satisfaction at most 6
}
FIT = {"availability": 5, "response": 7, "satisfaction": 6}  # scores inside the allowed ranges


def test_evidence_template_command(tmp_path, capsys):
    code, out, err = run(capsys, "evidence-template", "--period", "2027H1", "--out", tmp_path / "ev.xlsx")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "ev.xlsx")
    sheet, cell = names.locate(wb, "period")
    assert wb[sheet][cell].value == "2027H1"
    code, _, err = run(capsys, "evidence-template", "--period", "2028H1", "--out", tmp_path / "x.xlsx")
    assert code == 2 and "不在合同服务期" in err and not (tmp_path / "x.xlsx").exists()


def test_new_panel_with_evidence_writes_ranges_text_and_fixes_determined_items(tmp_path, capsys):
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", rows=EVIDENCE_ROWS)
    code, _, err = run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", ev,
                       "--out", tmp_path / "p")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "p" / "2026H2_甲.xlsx")
    ws = wb["评分表"]

    def cell(name):
        s, c = names.locate(wb, name)
        return wb[s][c]

    avail = cell("score_availability")
    assert ws.cell(avail.row, 5).value == "本期可用性 99.97999%（停机 53 分钟），允许 3–6 分"
    dv = {str(d.sqref): d for d in ws.data_validations.dataValidation}[avail.coordinate]
    assert (dv.formula1, dv.formula2) == ("3", "6")
    response = cell("score_response")
    assert response.value == 7 and response.protection.locked is True
    assert response.coordinate not in {str(d.sqref) for d in ws.data_validations.dataValidation}
    assert cell("score_data_security").value == 10
    sat = {str(d.sqref): d for d in ws.data_validations.dataValidation}[cell("score_satisfaction").coordinate]
    assert (sat.formula1, sat.formula2) == ("0", "6")


def test_summarize_with_evidence_applies_the_ranges_again(tmp_path, capsys):
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", rows=EVIDENCE_ROWS)
    a = write_expert_workbook(tmp_path, "甲", {**FIT, "availability": 8})  # edited by hand: over the band
    write_expert_workbook(tmp_path, "乙", {**FIT, "response": 8})  # the determined score changed
    write_expert_workbook(tmp_path, "丙", FIT)
    out = tmp_path / "s.xlsx"
    code, stdout, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", out)
    assert code == 2 and not out.exists()
    assert err.splitlines() == [  # files in name order: 丙, 乙, 甲
        f"{tmp_path / '2026H2_乙.xlsx'}!评分表!F15: 专家“乙”的“服务响应”得分 8，按证据材料应为 7 分",
        f"{a}!评分表!F13: 专家“甲”的“系统可用性”得分 8，超出允许范围 3–6 分",
        f"如果证据材料在发出评分表后有改动，请用 scorecard refresh {tmp_path} --evidence {ev} --out 新文件夹 更新评分表："
        "保留专家已填写的得分和备注，并列出超出新范围的得分",
    ]
    # --json: the two scores are the errors; what to do about them is advice, not a third error without a place
    code, stdout, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", out, "--json")
    result = json.loads(stdout)
    assert code == 2 and [(e["code"], e["place"]) for e in result["errors"]] == [
        ("E-SCORE-RANGE", f"{tmp_path / '2026H2_乙.xlsx'}!评分表!F15"), ("E-SCORE-RANGE", f"{a}!评分表!F13")]
    assert result["advice"] == [err.splitlines()[-1]] and "scorecard refresh" in result["advice"][0]


def test_summarize_json_carries_min_max_from_the_evidence(tmp_path, capsys):
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", rows=EVIDENCE_ROWS)
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, FIT)
    code, out, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["items"]["availability"]["min"], result["items"]["availability"]["max"]) == ("3", "6")
    assert (result["items"]["response"]["min"], result["items"]["response"]["max"]) == ("7", "7")
    assert result["items"]["satisfaction"]["max"] == "6" and result["items"]["report"]["max"] == "12"
    assert result["total"] == str(100 - 3 - 1 - 2) and result["year_end"] is False
    assert result["deduction"]["crypto_penalty"] == "0.00"


def test_evidence_of_another_period_is_refused(tmp_path, capsys):
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", period="2027H1")
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {})
    code, _, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "证据材料的考核期为“2027H1”，不是 2026H2" in err
    import openpyxl

    from scoring.excel import names
    sheet, cell = names.locate(openpyxl.load_workbook(ev), "period")  # §1: FILE!SHEET!CELL, the cell to look at
    assert f"{ev}!{sheet}!{cell}: 证据材料的考核期为“2027H1”" in err


def year_end_panel(tmp_path, crypto: int = 0):
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {"crypto": crypto}, period="2027H1")


def test_year_end_2027_refused_naming_2027_without_the_users_calendar(tmp_path, capsys):
    year_end_panel(tmp_path)
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", period="2027H1",
                                 rows={"需求函": [("XQ-9", date(2027, 3, 1), date(2027, 3, 3), "")]})
    code, _, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "2027 年的法定节假日安排未知" in err and "节假日调整" in err


def test_year_end_2027_with_the_users_calendar_and_crypto_not_passed(tmp_path, capsys):
    year_end_panel(tmp_path)
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", period="2027H1", rows={
        "需求函": [("XQ-9", date(2027, 2, 5), date(2027, 2, 18), "春节前收到")],
        "节假日调整": [(date(2027, 2, d), "休息日", "春节") for d in range(8, 15)] + [(date(2027, 2, 6), "工作日", "调休")],
    })
    # 2027-02-05 (Fri): 02-06 make-up Sat (1), 02-08..14 rest, 02-15 (2), 02-16 (3) -> 02-18 is late
    code, out, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx", "--json",
                         "--policy", "aggregation=mean")
    assert code == 2 and "专家“乙”的“服务响应”得分 8，按证据材料应为 7 分" in err
    for expert in ("甲", "乙", "丙"):
        fill(tmp_path / f"2027H1_{expert}.xlsx", {"response": 7})
    code, out, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["year_end"] is True
    assert (result["items"]["crypto"]["min"], result["items"]["crypto"]["max"]) == ("0", "0")
    assert result["total"] == "97"  # 100 - 2 (crypto forced 0) - 1 (one late reply)
    assert result["deduction"] == {**result["deduction"], "assessment": "0.00", "crypto_penalty": "20000.00",
                                   "total": "20000.00"}
    assert sum(float(line["amount"]) for line in result["deduction"]["lines"]) == 20000
    assert result["payable"] == "562000.00"


def test_year_end_with_crypto_passed_has_no_penalty(tmp_path, capsys):
    year_end_panel(tmp_path, crypto=2)
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", period="2027H1", crypto_passed="是")
    code, out, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["items"]["crypto"]["max"] == "2" and result["deduction"]["crypto_penalty"] == "0.00"
    assert result["total"] == "100"


def test_bad_evidence_cells_are_reported_with_the_panels_problems(tmp_path, capsys):
    for expert in ("甲", "乙"):
        write_expert_workbook(tmp_path, expert, {})
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", rows={"需求函": [("XQ-1", "下周", None, "")]})
    code, _, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx")
    assert code == 2
    assert f"{ev}!需求函!B3: “收到日期”应为日期（如 2026-10-08、2026/10/8、2026年10月8日），现为“下周”" in err and "只有 2 名" in err


def test_evidence_and_an_earlier_summary_in_the_panels_folder_are_passed_over(tmp_path, capsys):
    ev = write_evidence_workbook(tmp_path / "证据材料.xlsx", rows=EVIDENCE_ROWS)
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, FIT)
    out = tmp_path / "汇总.xlsx"
    for _ in range(2):  # the second run finds the first run's summary in the folder
        code, stdout, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", out, "--json")
        assert code == 0, err
        assert json.loads(stdout)["experts"] == ["丙", "乙", "甲"]


def test_r7_a_holiday_table_without_spring_festival_is_refused_for_a_request_across_it(tmp_path, capsys):
    # rules.md R7's example end to end: only 2027 元旦 listed, a request received 2027-02-04
    from datetime import date

    ev = write_evidence_workbook(tmp_path / "ev.xlsx", period="2027H1", rows={
        "节假日调整": [(date(2027, 1, 1), "休息日", "元旦")],
        "需求函": [("XQ-1", date(2027, 2, 4), date(2027, 2, 9), "")],
    })
    code, _, err = run(capsys, "new-panel", "--period", "2027H1", "--experts", "甲,乙,丙", "--evidence", ev,
                       "--out", tmp_path / "sheets")
    assert code == 2 and not (tmp_path / "sheets").exists()
    assert f"{ev}!节假日调整: 2027 年春节（2027-02-05 至 2027-02-08）未在“节假日调整”表中填写" in err


def test_every_problem_of_a_panel_is_listed_in_one_round(tmp_path, capsys):
    """README: every problem at once. A score typed as text (R1.2) stopped the check of the evidence's ranges
    (R6-R9), so the sheets went back to the experts twice: once for the text, once for the range."""
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", rows=EVIDENCE_ROWS)
    write_expert_workbook(tmp_path, "甲", {**FIT, "availability": 8})  # over the R6 band
    write_expert_workbook(tmp_path, "乙", {**FIT, "report": "九"})  # not a number
    write_expert_workbook(tmp_path, "丙", FIT)
    out = tmp_path / "s.xlsx"
    code, _, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", out)
    assert code == 2 and not out.exists()
    assert "专家“乙”的“运行报告”得分" in err and "专家“甲”的“系统可用性”得分 8，超出允许范围 3–6 分" in err, err


def test_sheets_of_another_contract_name_it_and_the_option_to_give(tmp_path, capsys):
    """§5: the embedded contract's sheets summarized with the hosting contract (or a hosting panel without
    --contract) said "不是本系统生成的评分表：缺少定义名称", then "评审专家只有 0 名": secretaries took the
    experts' sheets for broken. Now each sheet names its contract and what to do; exit 2."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "workbooks"
    code, _, err = run(capsys, "summarize", sample, "--contract", sample / "hosting" / "contract-hosting-2026.toml",
                       "--out", tmp_path / "s.xlsx")
    assert code == 2 and not (tmp_path / "s.xlsx").exists()
    lines = [line for line in err.splitlines() if "评分表!" in line]
    assert len(lines) == 5 and all(
        "评分表属于合同“hebi-backup-2026”" in line and line.endswith("请不加 --contract（它属于内置合同）")
        for line in lines), err  # the embedded contract's sheets: the secretary has no file to give
    assert "不是本系统生成" not in err and "评审专家只有 0 名" not in err
    code, _, err = run(capsys, "summarize", sample / "hosting" / "panel", "--out", tmp_path / "s.xlsx")
    assert code == 2 and "请用 --contract 指定合同“demo-hosting-2026”的文件" in err


def test_a_sheet_of_this_contract_missing_a_name_says_which(tmp_path, capsys):
    """A score's defined name deleted by hand in a sheet of this very contract and version: the missing name is
    what to tell (the other-contract wording told the secretary to give the contract already in use)."""
    import openpyxl

    path = write_expert_workbook(tmp_path, "甲", FIT)
    wb = openpyxl.load_workbook(path)
    del wb.defined_names["score_report"]
    wb.save(path)
    code, _, err = run(capsys, "summarize", path, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "缺少定义名称 score_report" in err and "另一份合同" not in err, err


def test_r5_a_penalty_above_the_period_fee_is_told_to_the_secretary(tmp_path, capsys):
    """R4, R5: a fee of 0.03 at a year-end with 密评 not passed leaves -19,999.97 to pay; the summary was
    written with no word about it."""
    year_end_panel(tmp_path)
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", period="2027H1")
    code, out, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx", "--fee", "0.03",
                         "--json")
    assert code == 0 and json.loads(out)["payable"] == "-19999.97"
    assert "扣款合计 20,000.00 元超过当次服务费 0.03 元，应付服务费为负数（-19,999.97 元）：请核对服务费；超出部分须另行向乙方收取" in err


def test_rows_dated_outside_the_period_are_told_not_dropped_in_silence(tmp_path, capsys):
    """R6, R7: an outage and a request typed with the year 2025 were left out of every range without a word (a
    leak so dated would hide 10 points); the ranges stay the period's, and the secretary is told which rows."""
    rows = {**EVIDENCE_ROWS,
            "服务中断": EVIDENCE_ROWS["服务中断"] + [(datetime(2025, 8, 2, 9), datetime(2025, 8, 2, 12), "")],
            "需求函": EVIDENCE_ROWS["需求函"] + [("XQ-2", date(2025, 10, 9), None, "")]}
    ev = write_evidence_workbook(tmp_path / "ev.xlsx", rows=rows)
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, FIT)
    code, out, err = run(capsys, "summarize", tmp_path, "--evidence", ev, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert json.loads(out)["items"]["availability"]["max"] == "6"  # the 2026 outage alone: 99.97999 %
    assert [n[:33] for n in json.loads(out)["notices"]] == ["注意：证据材料中 服务中断 2025-08-02 09:00 起；"]
    assert "注意：证据材料中 服务中断 2025-08-02 09:00 起；需求函 XQ-2（收到 2025-10-09）的日期不在考核期 2026H2" \
           "（2026-07-01 至 2026-12-31；" in err
    code, _, err = run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", ev,
                       "--out", tmp_path / "p")
    assert code == 0 and "需求函 XQ-2（收到 2025-10-09）" in err
    code, _, err = run(capsys, "summarize", tmp_path, "--evidence", write_evidence_workbook(tmp_path / "ok.xlsx",
                       rows=EVIDENCE_ROWS), "--out", tmp_path / "t.xlsx")
    assert code == 0 and "不在考核期" not in err
