"""The evidence workbook: tables and names of interfaces.md §2, read back, bad cells named."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest

from scoring.excel import names
from scoring.excel.evidence_reader import read_evidence
from scoring.excel import evidence_reader
from tests.conftest import write_evidence_workbook


@pytest.fixture(autouse=True, params=["columnar", "openpyxl"])
def reader(request, monkeypatch):
    """Every test here runs through both readers: python-calamine and the openpyxl fallback."""
    if request.param == "openpyxl":
        monkeypatch.setattr(evidence_reader, "open_columnar", lambda path: None)
    return request.param

EXPECTED = {  # interfaces.md §2, in order
    "outages": ["开始时间", "结束时间", "说明"],
    "requests": ["编号", "收到日期", "答复日期", "说明"],
    "reports": ["月份", "提交日期", "完整无误"],
    "incidents": ["编号", "发生时间", "响应时间", "到场时间", "恢复时间", "影响系统数", "数据丢失无法恢复", "数据泄密",
                  "瞒报漏报", "说明"],
    "complaints": ["日期", "类型", "说明"],
    "drills": ["日期", "内容"],
    "trainings": ["日期", "人次", "内容"],
    "holidays": ["日期", "类型", "说明"],
}


@pytest.fixture
def blank(tmp_path):
    return write_evidence_workbook(tmp_path / "ev.xlsx")


def test_template_has_every_table_with_its_columns_in_order(blank):
    wb = openpyxl.load_workbook(blank)
    found = {}
    for ws in wb.worksheets:
        for name in ws.tables:
            table = ws.tables[name]
            found[name] = [c.name for c in table.tableColumns]
    assert set(found) == set(EXPECTED)
    for name, headers in EXPECTED.items():
        assert found[name][:len(headers)] == headers, name


def test_template_named_cells_and_validations(blank):
    wb = openpyxl.load_workbook(blank)
    for name, value in (("crypto_passed", "否"), ("mlps_certified", "否"), ("period", "2026H2"),
                        ("contract_id", "hebi-backup-2026")):
        sheet, cell = names.locate(wb, name)
        assert wb[sheet][cell].value == value
    ws = wb["故障"]
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"date", "whole", "list"}
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(f == '"是,否"' for f in lists)
    months = [wb["运行月报"].cell(r, 1).value for r in range(3, 9)]
    assert months == [datetime(2026, m, 1) for m in range(7, 13)]  # pre-filled months of the period


def test_blank_template_reads_as_no_events_and_nothing_passed(blank):
    evidence, problems = read_evidence(blank)
    assert problems == []
    assert (evidence.outages, evidence.requests, evidence.incidents, evidence.complaints) == ((), (), (), ())
    assert evidence.reports == ()  # months without a submission date are not reports
    assert evidence.crypto_passed is False and evidence.mlps_certified is False and evidence.period == "2026H2"


def test_filled_rows_are_read_with_types(tmp_path):
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={
        "服务中断": [(datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 10, 52), "网关")],
        "需求函": [("XQ-1", date(2026, 9, 30), "2026-10-12", "文本日期也可")],
        "故障": [("G1", datetime(2026, 8, 1, 10), None, None, datetime(2026, 8, 1, 11), 3, "否", "是", "否", "")],
        "投诉与未接电话": [(date(2026, 9, 1), "投诉", "")],
        "培训服务": [(date(2026, 9, 1), 2, "培训")],
        "节假日调整": [(date(2027, 1, 1), "休息日", "元旦")],
    }, crypto_passed="是")
    evidence, problems = read_evidence(path)
    assert problems == []
    assert evidence.outages[0].end == datetime(2026, 8, 1, 10, 52)
    assert evidence.requests[0].replied == date(2026, 10, 12)
    i = evidence.incidents[0]
    assert (i.systems, i.leaked, i.concealed, i.responded) == (3, True, False, None)
    assert evidence.trainings[0].persons == 2 and evidence.holidays == ((date(2027, 1, 1), "休息日"),)
    assert evidence.crypto_passed is True


def test_rows_typed_below_the_table_are_read(tmp_path):
    path = write_evidence_workbook(tmp_path / "ev.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["应急演练"].cell(103, 1).value = date(2026, 9, 9)  # table ends at row 102
    wb["应急演练"].cell(104, 1).value = date(2026, 10, 9)
    wb.save(path)
    evidence, problems = read_evidence(path)
    assert problems == [] and [d.day for d in evidence.drills] == [date(2026, 9, 9), date(2026, 10, 9)]


def test_every_bad_cell_is_named(tmp_path):
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={
        "服务中断": [(datetime(2026, 8, 1, 11), datetime(2026, 8, 1, 10), "倒置"), ("昨天", None, "")],
        "需求函": [("XQ-1", None, date(2026, 10, 12), "")],
        "故障": [("G1", datetime(2026, 8, 1, 10), None, None, None, -1, "可能", "否", "否", "")],
        "投诉与未接电话": [(date(2026, 9, 1), "表扬", "")],
    }, crypto_passed="也许")
    evidence, problems = read_evidence(path)
    assert evidence is None
    got = {(p.sheet, p.cell): p.message for p in problems}
    assert got == {
        ("说明", "B5"): "“密评已通过”应填“是”或“否”，现为“也许”",  # the question named
        ("服务中断", "A4"): "“开始时间”应为日期（如 2026-10-08、2026/10/8、2026年10月8日），现为“昨天”",
        ("故障", "E3"): "“恢复时间”未填写：故障等级取决于恢复用时（R8），请填写恢复时间",
        ("服务中断", "B4"): "“结束时间”必须填写",
        ("需求函", "B3"): "“收到日期”必须填写",
        ("故障", "F3"): "“影响系统数”应为 0 或正整数，现为“-1”",
        ("故障", "G3"): "“数据丢失无法恢复”应填“是”或“否”，现为“可能”",
        ("投诉与未接电话", "B3"): "“类型”应为“投诉”或“未接电话”，现为“表扬”",
        ("服务中断", "B3"): "“结束时间”早于“开始时间”",
    }
    assert all(p.file == str(path) for p in problems)


def test_a_count_exported_as_text_is_the_same_number_and_words_are_called_text(tmp_path):
    """§2: a monitoring export stores 影响系统数 as text ("1", full-width "２"): the same whole number (R8); "一"
    was refused as "现为“1”"-like wording that did not say the cell holds text."""
    row = ("G1", datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 10, 5), datetime(2026, 8, 1, 10, 20),
           datetime(2026, 8, 1, 11), "1", "否", "否", "否", "")
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={"故障": [row, ("G2",) + row[1:5] + ("２",) + row[6:]]})
    evidence, problems = read_evidence(path)
    assert problems == [] and [i.systems for i in evidence.incidents] == [1, 2]
    path = write_evidence_workbook(tmp_path / "bad.xlsx", rows={"故障": [row[:5] + ("一",) + row[6:]]})
    evidence, problems = read_evidence(path)
    assert [(p.sheet, p.cell, p.message) for p in problems] == [("故障", "F3", "“影响系统数”应为 0 或正整数，现为文字“一”")]


def test_a_workbook_without_our_tables_is_refused(tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    evidence, problems = read_evidence(path)
    assert evidence is None
    # one clear reason (an .xls saved back as .xlsx keeps no tables): not eight 缺少表格 and three missing names
    assert [(p.code, p.file) for p in problems] == [("E-FILE-FOREIGN", str(path))]
    assert "其中没有证据表格" in problems[0].message and "evidence-template" in problems[0].message


def test_dates_as_people_write_them_in_china_are_read(tmp_path):
    # interfaces.md §2 dates; R7 needs the receipt and reply days whatever way they were typed
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={"需求函": [
        ("A", "2026年10月8日", "2026.10.9", ""), ("B", "2026/10/8", 46304, "Excel 日期序号"),
        ("C", "２０２６年１０月８日", "2026-10-09", "全角数字"), ("D", 46303.0, "2026年10月9日 9:30", "")]})
    evidence, problems = read_evidence(path)
    assert problems == []
    assert [(r.received, r.replied) for r in evidence.requests] == [(date(2026, 10, 8), date(2026, 10, 9))] * 4


def test_a_date_in_no_known_form_is_refused_with_its_cell(tmp_path):
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={"需求函": [
        ("A", "10/8/2026", None, ""), ("B", "2026年13月1日", None, ""), ("C", 8, None, "")]})
    evidence, problems = read_evidence(path)
    got = {(p.sheet, p.cell): p.message for p in problems}
    assert evidence is None and got == {
        ("需求函", "B3"): "“收到日期”应为日期（如 2026-10-08、2026/10/8、2026年10月8日），现为“10/8/2026”",
        ("需求函", "B4"): "“收到日期”日期“2026年13月1日”不存在",
        ("需求函", "B5"): "“收到日期”日期“1900-01-08”不合理，请填写实际日期",  # 8 in a date-formatted cell
    }


def test_blanks_that_change_a_result_are_questions_not_defaults(tmp_path):
    # R8: no recovery time is not silently 特大; R9: a submitted report with 完整无误 blank is not silently 不完整
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={
        "故障": [("G1", datetime(2026, 8, 1, 10), None, None, None, None, None, None, None, "")],
        "运行月报": [(date(2026, 7, 1), date(2026, 8, 3), None)],
    })
    evidence, problems = read_evidence(path)
    got = {(p.sheet, p.cell): p.message for p in problems}
    assert evidence is None
    assert got[("故障", "E3")].startswith("“恢复时间”未填写：故障等级取决于恢复用时")
    assert got[("故障", "F3")].startswith("“影响系统数”未填写")
    for cell, header in (("G3", "数据丢失无法恢复"), ("H3", "数据泄密"), ("I3", "瞒报漏报")):
        assert got[("故障", cell)].startswith(f"“{header}”未填写：") and got[("故障", cell)].endswith("请填“是”或“否”")
    assert got[("运行月报", "C3")].startswith("“完整无误”未填写：已提交的月报请填“是”或“否”")


def test_a_cleared_crypto_cell_is_a_question(tmp_path):
    path = write_evidence_workbook(tmp_path / "ev.xlsx", crypto_passed=None)
    evidence, problems = read_evidence(path)
    assert evidence is None and [(p.sheet, p.cell) for p in problems] == [("说明", "B5")]
    assert problems[0].message.startswith("“密评已通过”未填写：请填“是”或“否”")


def test_r8_discovery_time_column_drives_the_deadlines(tmp_path):
    occurred, found = datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 11)
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={"故障": [
        ("G1", occurred, found + timedelta(minutes=8), found + timedelta(minutes=50), found + timedelta(hours=5), 1,
         "否", "否", "否", "夜间发生，次日发现", found),
        ("G2", occurred, occurred + timedelta(minutes=8), None, occurred + timedelta(hours=1), 1, "否", "否", "否", "", None),
    ]})
    evidence, problems = read_evidence(path)
    assert problems == []
    from scoring.evidence.incidents import check_incident
    g1, g2 = (check_incident(i) for i in evidence.incidents)
    # R8: counted from discovery, G1 is on time (it would be 68 minutes late from the occurrence)
    assert (g1.responded_in_time, g1.on_site_in_time, g1.fixed_in_time, g1.from_occurrence) == (True, True, True, False)
    assert g2.from_occurrence is True and g2.responded_in_time is True


def test_r8_old_evidence_workbooks_without_the_discovery_column_still_load(tmp_path):
    # the sample evidence workbook as made before 发现时间 existed (interfaces.md §2: it may be absent)
    from pathlib import Path

    from scoring.evidence.allowed import evaluate
    from scoring.period import parse_period
    from scoring.policies import make_policies
    from tests.conftest import CONTRACT, RUBRIC

    sample = Path(__file__).resolve().parent / "data" / "legacy" / "2026H2_证据材料_无发现时间.xlsx"
    headers = [c.value for c in openpyxl.load_workbook(sample)["故障"][2] if c.value]
    assert "发现时间" not in headers
    evidence, problems = read_evidence(sample)
    assert problems == [] and evidence.incidents and all(i.discovered is None for i in evidence.incidents)
    findings = evaluate(evidence, RUBRIC, CONTRACT, parse_period("2026H2"), False, make_policies(CONTRACT.policies, []))
    assert "未填发现时间，时限按发生时间计算" in findings.allowed["incidents"].text


def test_an_excel_float_person_count_is_read_at_15_significant_digits(tmp_path):
    # 0.1*3*10 in a cell is 3.0000000000000004: Excel shows 3 (R9 counts person-times)
    path = write_evidence_workbook(tmp_path / "ev.xlsx", rows={"培训服务": [(date(2026, 9, 1), 0.1 * 3 * 10, "培训")]})
    evidence, problems = read_evidence(path)
    assert problems == [] and evidence.trainings[0].persons == 3
