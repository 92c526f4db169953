"""Rectification notices (整改通知书, contract 五 and 六.1; R7 working days) and the next period's check."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest

from scoring.cli import main
from scoring.excel import names
from tests.year_data import service_year


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    return service_year(tmp_path_factory.mktemp("rectify"))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_items_are_those_below_the_contract_share_and_the_deadline_counts_working_days(year, tmp_path, capsys):
    # 2026H2: 运行报告 0.5 of 12 and 驻场服务 0 of 12 are below 60 %; every other item is full.
    # Received Friday 2027-01-29: 02-01..02-04 are 4 working days, 02-05..02-11 春节 (the user's table), so the
    # 5th working day is Friday 2027-02-12 (R7: the day of receipt not counted).
    notice = tmp_path / "整改通知书.xlsx"
    before = (year["2026H2"].read_bytes(), year["evidence_h1"].read_bytes())
    code, out, err = run(capsys, "rectify", year["2026H2"], "--received", "2027-01-29", "--evidence",
                         year["evidence_h1"], "--out", notice, "--json")
    assert code == 0, err
    assert (year["2026H2"].read_bytes(), year["evidence_h1"].read_bytes()) == before  # inputs are only read
    result = json.loads(out)
    assert [(i["item"], i["score"], i["points"]) for i in result["items"]] == [("report", "0.5", "12"),
                                                                                ("onsite", "0", "12")]
    assert (result["working_days"], result["received"], result["deadline"]) == (5, "2027-01-29", "2027-02-12")
    wb = openpyxl.load_workbook(notice)
    ws = wb["整改通知书"]
    text = " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
    assert "5 个工作日内整改完成" in text and "2027年02月12日" in text and "运行报告" in text
    assert "得分低于分值的 60%" in text  # the contract's share, since no item was named
    assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1  # one page


def test_the_deadline_needs_the_calendar_of_its_year(year, tmp_path, capsys):
    # the 2026H2 evidence found beside the summary has no 2027 table (R7: never Monday-to-Friday)
    code, _, err = run(capsys, "rectify", year["2026H2"], "--received", "2027-01-29", "--out", tmp_path / "n.xlsx")
    assert code == 2 and "2027 年的节假日安排" in err and not (tmp_path / "n.xlsx").exists()
    # the evidence it read is named (found through the summary's audit record, not given)
    assert err.startswith(f"{year['evidence_h2']}!节假日调整: 计算整改期限：") and "已读取的证据材料中没有" in err


def fill(notice, completed: dict[str, datetime]):
    wb = openpyxl.load_workbook(notice)
    ws = wb["整改记录"]
    for row in ws.iter_rows(min_row=9):
        if row[0].value in completed:
            row[4].value = completed[row[0].value]
    wb.save(notice)


def test_the_next_summary_shows_whether_each_item_was_rectified_in_time(year, tmp_path, capsys):
    notice = tmp_path / "整改通知书.xlsx"
    assert run(capsys, "rectify", year["2026H2"], "--items", "report,驻场服务,platform", "--out", notice)[0] == 0
    wb = openpyxl.load_workbook(notice)
    sheet, cell = names.locate(wb, "rectification_received")
    wb[sheet][cell].value = datetime(2027, 1, 29)  # the secretary records the day the vendor signed for it
    wb.save(notice)
    # report done on the deadline, onsite the next working day (Monday 02-15), platform not reported
    fill(notice, {"report": datetime(2027, 2, 12), "onsite": datetime(2027, 2, 15)})
    out = tmp_path / "2027H1.xlsx"
    code, _, err = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", out,
                       "--rectification", notice)
    assert code == 0, err
    rows = {r[0]: r for r in openpyxl.load_workbook(out)["整改情况"].iter_rows(min_row=4, values_only=True)}
    assert rows["运行报告"][2].date().isoformat() == "2027-02-12" and rows["运行报告"][4] == "按时整改"
    assert rows["驻场服务"][4] == "逾期整改（超过期限 1 个工作日）"
    assert rows["平台功能"][4] == "未整改（未填写完成日期）"
    summary = " ".join(str(c.value) for r in openpyxl.load_workbook(out)["汇总"].iter_rows() for c in r if c.value)
    assert "2026H2 整改通知的“驻场服务”：逾期整改" in summary


def test_an_unknown_item_lists_the_items_there_are(year, tmp_path, capsys):
    """§4: "--items 中的“foo”不是考核办法的分项" left the secretary guessing the ids."""
    code, _, err = run(capsys, "rectify", year["2026H2"], "--items", "foo,运行报告", "--out", tmp_path / "n.xlsx")
    assert code == 2 and not (tmp_path / "n.xlsx").exists()
    assert "“foo”不是考核办法的分项，可用编号或名称：report（运行报告）、platform（平台功能）" in err


def test_a_notice_of_the_current_period_is_refused(year, tmp_path, capsys):
    notice = tmp_path / "本期.xlsx"
    assert run(capsys, "rectify", year["2027H1"], "--out", notice)[0] == 0
    code, text, _ = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out",
                        tmp_path / "s.xlsx", "--rectification", notice, "--json")
    assert code == 2 and [e["code"] for e in json.loads(text)["errors"]] == ["E-RECTIFICATION"]
    assert not (tmp_path / "s.xlsx").exists()


def test_the_outcome_sheet_states_the_contracts_own_rectification_period():
    """The hosting contract gives 10 working days ([deadlines]); the 整改情况 title said 5 for every contract."""
    from scoring.excel.rectification_sheet import add_outcome_sheet

    wb = openpyxl.Workbook()
    add_outcome_sheet(wb, [], 10)
    title = wb["整改情况"]["A1"].value
    assert "10 个工作日" in title and "5 个工作日" not in title


def test_a_correction_keeps_the_outcome_sheet_and_the_trend_of_the_summary_it_corrects(year, tmp_path, capsys):
    """§4, R2.3: correct recomputed the panel without the --history and --rectification the summary was made
    with, so the re-signed year-end record lost 整改情况, the trend and the 逾期整改 finding. They are recorded
    in 审计 now, given again, and a summary is never written over one of them."""
    notice = tmp_path / "整改通知书.xlsx"
    assert run(capsys, "rectify", year["2026H2"], "--items", "report", "--out", notice)[0] == 0
    wb = openpyxl.load_workbook(notice)
    sheet, cell = names.locate(wb, "rectification_received")
    wb[sheet][cell].value = datetime(2027, 1, 29)
    wb.save(notice)
    fill(notice, {"report": datetime(2027, 2, 15)})  # a working day late
    out = tmp_path / "2027H1.xlsx"
    code, _, err = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", out,
                       "--rectification", notice, "--history", year["2026H2"])
    assert code == 0, err
    audit = [r[:2] for r in openpyxl.load_workbook(out)["审计"].iter_rows(values_only=True)]
    assert ("历史汇总表", "2026H2_汇总.xlsx") in audit and ("整改通知书", "整改通知书.xlsx") in audit
    corrected = tmp_path / "2027H1_复核.xlsx"
    code, _, err = run(capsys, "correct", out, year["h1"], "--expert", "乙", "--item", "platform", "--score", "5",
                       "--reason", "sum-error", "--by", "王秘书", "--out", corrected)
    assert code == 0, err
    wb = openpyxl.load_workbook(corrected)
    assert {"整改情况", "复核"} <= set(wb.sheetnames)
    rows = {r[0]: r for r in wb["整改情况"].iter_rows(min_row=4, values_only=True)}
    assert rows["运行报告"][4] == "逾期整改（超过期限 1 个工作日）"
    text = " ".join(str(c.value) for r in wb["汇总"].iter_rows() for c in r if c.value)
    assert "2026H2 整改通知的“运行报告”：逾期整改" in text
    trend = [str(c.value) for c in wb["图表"]["A"] if c.value]
    assert "2026H2" in trend and "2027H1" in trend  # the history rows of the trend charts
    assert trend == [str(c.value) for c in openpyxl.load_workbook(out)["图表"]["A"] if c.value]
    code, out_text, _ = run(capsys, "verify", corrected, year["h1"])
    assert code == 0 and out_text.startswith("一致")
    # the earlier summary is an input: never the output
    before = year["2026H2"].read_bytes()
    code, _, err = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", year["2026H2"],
                       "--history", year["2026H2"])
    assert code == 2 and f"{year['2026H2']}: 输出文件不能是输入的历史汇总表" in err
    assert year["2026H2"].read_bytes() == before


def test_a_blank_receipt_date_is_named_and_dates_typed_as_text_are_read(year, tmp_path, capsys):
    """R7: 整改记录 refused "2027年2月12日" typed as text (the evidence takes it), and with the receipt date blank
    every item said 无法判断 without naming the cell to fill."""
    notice = tmp_path / "整改通知书.xlsx"
    assert run(capsys, "rectify", year["2026H2"], "--items", "report", "--out", notice)[0] == 0
    fill(notice, {"report": "2027年2月12日"})
    out = tmp_path / "2027H1.xlsx"
    code, text, err = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", out,
                          "--rectification", notice)
    assert code == 0, err
    wb = openpyxl.load_workbook(notice)
    sheet, cell = names.locate(wb, "rectification_received")
    assert f"整改通知书 {notice} 未填写送达日期（{sheet}!{cell}）：无法判断各项是否按时整改" in text
    wb[sheet][cell].value = "2027年1月29日"
    wb.save(notice)
    code, _, err = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", out,
                       "--rectification", notice)
    assert code == 0, err
    rows = {r[0]: r for r in openpyxl.load_workbook(out)["整改情况"].iter_rows(min_row=4, values_only=True)}
    assert rows["运行报告"][4] == "按时整改"
    wb[sheet][cell].value = "下周一"
    wb.save(notice)
    code, _, err = run(capsys, "summarize", year["h1"], "--evidence", year["evidence_h1"], "--out", out,
                       "--rectification", notice)
    assert code == 2 and f"{notice}!{sheet}!{cell}: 应填日期（如 2027-01-14、2027/1/14、2027年1月14日），现为“下周一”" in err
