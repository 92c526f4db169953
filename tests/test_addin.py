"""The xlwings add-in and xlwings Lite: every function of interfaces.md §3, Excel-shaped inputs, Chinese
messages for bad ones, the secretary's actions, and the installation files (interfaces.md §3, R11)."""

from __future__ import annotations

import importlib.util
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scoring.settlement import assessment_deduction, late_payment

ROOT = Path(__file__).resolve().parent.parent
INTERFACE = ["sc_grade", "sc_deduction", "sc_deduction_rate", "sc_panel", "sc_workdays", "sc_deadline",
             "sc_availability", "sc_availability_band", "sc_late_replies", "sc_incident_level", "sc_check",
             "sc_late_payment", "sc_scorecard", "sc_category"]


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


udfs = load(ROOT / "addin" / "udfs.py", "udfs")
# xlwings Lite's main.py replaces the `scoring` package on import: it is loaded in Pyodide (test_addin_hosts.py).


@pytest.mark.parametrize("module", [udfs], ids=["udfs"])
def test_every_function_of_interfaces_md_exists_with_a_docstring(module):
    for name in INTERFACE:
        fn = getattr(module, name)
        assert fn.__name__ == name and len((fn.__doc__ or "").strip()) > 10, name


def test_lite_main_py_is_generated_from_the_core_and_udfs_and_not_stale():
    """addin/lite/main.py is scripts/make_lite.py's output: edit the core or udfs.py and forget to run it, this fails."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_lite.py"), "--check"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    desktop = (ROOT / "addin" / "udfs.py").read_text(encoding="utf-8").split("# --- the definitions below")[1]
    web = (ROOT / "addin" / "lite" / "main.py").read_text(encoding="utf-8").split("# --- the definitions below")[1]
    assert desktop.split("\n", 1)[1] == web.split("\n", 1)[1]


# Excel-shaped inputs: the same value as datetime, date, serial number and text.
SEPT_30 = [datetime(2026, 9, 30), date(2026, 9, 30), 46295, 46295.0, "2026-09-30", "2026/09/30"]


@pytest.mark.parametrize("received", SEPT_30)
def test_deadline_accepts_every_shape_of_a_date(received):
    assert udfs.sc_deadline(received, 3) == datetime(2026, 10, 10)  # R7 example
    assert udfs.sc_deadline([[received]], [[3.0]]) == datetime(2026, 10, 10)  # 1x1 ranges


@pytest.mark.parametrize("score, expected", [(79.5, "合格"), ("79.5", "合格"), ("７９．５", "合格"), (90, "优秀"),
                                             (89.99, "良好"), ([[60]], "合格"), (59.99, "不合格")])
def test_grade_with_numbers_text_and_full_width_digits(score, expected):
    assert udfs.sc_grade(score) == expected


@pytest.mark.parametrize("score, fee, flag, expected", [
    (76.5, 582000, None, "20370.00"), ("79.5", "582,000.00", "否", "2910.00"), (59.99, 582000.0, False, "291000.00"),
    (76.5, 582000, "是", "40370.00"), (76.5, 582000, True, "40370.00"), (100, 582000, None, "0.00"),
])
def test_deduction_is_the_cores_amount(score, fee, flag, expected):
    assert udfs.sc_deduction(score, fee, flag) == float(Decimal(expected))
    assert Decimal(str(udfs.sc_deduction(score, fee, None))) == assessment_deduction(
        Decimal(str(score)), Decimal(str(fee).replace(",", "")))


def test_deduction_rate():
    assert udfs.sc_deduction_rate(76.5) == pytest.approx(0.035)
    assert udfs.sc_deduction_rate(80) == 0 and udfs.sc_deduction_rate(59.99) == 0.5


@pytest.mark.parametrize("scores, policy, expected", [
    ([[9.5, 9, 10.5, 8, 11], [5, 5, 5.5, 4, 6]], "item-median", [[9.5], [5.0]]),
    ([[9.5, 9, 10.5, 8, 11]], "mean", [[9.6]]),
    ([9.5, 9, 10.5, 8, 11], "trimmed-mean", [[9.666666666666666]]),  # a 1xN range arrives as a flat list
    ([[12], [6]], "item-median", [[12.0], [6.0]]),  # Nx1: one expert
    ([[10, None, 12, 11, None]], "item-median", [[11.0]]),  # blanks are skipped
])
def test_panel_of_each_row(scores, policy, expected):
    assert udfs.sc_panel(scores, policy) == expected


def test_workdays_like_networkdays_with_the_official_calendar_and_a_users_table():
    assert udfs.sc_workdays(datetime(2026, 10, 1), datetime(2026, 10, 12)) == 4
    assert udfs.sc_workdays("2026-11-02", "2026-11-06") == 5
    assert udfs.sc_workdays(date(2026, 11, 2), date(2026, 11, 6), [[date(2026, 11, 4)]]) == 4  # one-column rest days
    table = [[datetime(2027, 1, 1), "休息日"], [datetime(2027, 2, 6), "工作日"]]
    assert udfs.sc_deadline(date(2026, 12, 30), 3, table) == datetime(2027, 1, 5)
    assert udfs.sc_workdays(date(2027, 2, 6), date(2027, 2, 6), table) == 1


def test_a_year_without_calendar_is_a_message_naming_it():
    assert udfs.sc_deadline(date(2026, 12, 30), 3) == (
        "错误：2027 年的法定节假日安排未知：请在证据材料的“节假日调整”表中填写 2027 年的节假日和调休工作日")


def test_availability_and_band():
    start, end = datetime(2026, 8, 1, 10), datetime(2026, 8, 1, 10, 52)
    a = udfs.sc_availability(date(2026, 7, 1), date(2026, 12, 31), [[start]], [[end]])
    assert a == pytest.approx(1 - 52 / 264960)
    overlapping = udfs.sc_availability("2026-07-01", "2026-12-31", [start, start], [end, datetime(2026, 8, 1, 10, 30)])
    assert overlapping == a  # merged: counted once
    assert udfs.sc_availability(46204, 46387, [], []) == 1.0  # empty ranges: no outage
    assert udfs.sc_availability_band(a) == "7–8" and udfs.sc_availability_band(99.97) == "3–6"
    assert udfs.sc_availability_band("0.9986") == "0–3"


def test_late_replies():
    received = [[date(2026, 9, 30)], [date(2026, 11, 2)], [date(2026, 8, 20)], [None]]
    replied = [[date(2026, 10, 12)], [None], [date(2026, 8, 25)], [None]]
    assert udfs.sc_late_replies(received, replied) == 2
    assert udfs.sc_late_replies([], []) == 0


@pytest.mark.parametrize("args, level", [((1, 1.5, "否", "否"), "一般"), ((3, 1, None, None), "严重"),
                                         ((1, 13, False, False), "特大"), ((1, 1, "是", "否"), "特大"),
                                         (("５", 1, None, None), "特大"), ((1, None, None, None), "特大")])
def test_incident_level(args, level):
    assert udfs.sc_incident_level(*args) == level


def test_check_explains_why():
    assert udfs.sc_check("availability", 7.5, 0.99981) == "允许：系统可用性（可用性 99.98100%）允许 7–8 分"
    assert udfs.sc_check("response", 8, 2).startswith("不允许：服务响应（逾期 2 件）只允许 6–6 分")
    assert udfs.sc_check("satisfaction", 5, 2) == "不允许：客户满意度（投诉和未接电话 2 次）只允许 0–4 分"
    assert udfs.sc_check("crypto", 1, "否", "是").startswith("不允许")
    assert udfs.sc_check("report", 12.5).startswith("不允许：得分 12.5 超过该项分值 12 分")
    assert udfs.sc_check("nothing", 1).startswith("错误：分项“nothing”不存在")


def test_late_payment():
    assert udfs.sc_late_payment(579090, date(2027, 4, 1), date(2027, 5, 6)) == 10134.08
    assert Decimal("10134.08") == late_payment(Decimal("579090"), date(2027, 4, 1), date(2027, 5, 6)).interest
    assert udfs.sc_late_payment(1000, 46478, 46468) == 0.0  # paid early


@pytest.mark.parametrize("call", [
    lambda: udfs.sc_grade(None), lambda: udfs.sc_grade("好"), lambda: udfs.sc_grade(True), lambda: udfs.sc_grade(101),
    lambda: udfs.sc_deduction(70, -5), lambda: udfs.sc_deduction(70, "1.001"), lambda: udfs.sc_deduction(70, 100, "也许"),
    lambda: udfs.sc_panel([], "item-median"), lambda: udfs.sc_panel([[1, "x"]]), lambda: udfs.sc_panel([[1]], "vote"),
    lambda: udfs.sc_panel([[1, 2]], "trimmed-mean"), lambda: udfs.sc_deadline("明天", 3),
    lambda: udfs.sc_deadline(date(2026, 1, 5), 2.5), lambda: udfs.sc_workdays(None, date(2026, 1, 1)),
    lambda: udfs.sc_workdays(date(2026, 1, 1), date(2026, 1, 9), [[date(2026, 1, 2), "假"]]),
    lambda: udfs.sc_availability(date(2026, 7, 1), date(2026, 12, 31), [[datetime(2026, 8, 1)]], []),
    lambda: udfs.sc_availability(date(2026, 7, 1), date(2026, 12, 31), [datetime(2026, 8, 2)], [datetime(2026, 8, 1)]),
    lambda: udfs.sc_availability_band(-1), lambda: udfs.sc_incident_level(-1, 1), lambda: udfs.sc_incident_level(1.5, 1),
    lambda: udfs.sc_late_payment("x", date(2026, 1, 1), date(2026, 1, 2)), lambda: udfs.sc_check("report", float("inf")),
    lambda: udfs.sc_late_replies([[date(2026, 9, 30)]], [["昨天"]]),
])
def test_bad_input_gives_a_chinese_message_never_an_exception(call):
    result = call()
    assert isinstance(result, str) and result.startswith("错误：")
    assert "Traceback" not in result and any("\u4e00" <= ch <= "\u9fff" for ch in result)


def test_secretary_actions_run_the_same_jobs_as_the_command_line(tmp_path):
    actions = load(ROOT / "addin" / "scorecard_addin.py", "scorecard_addin")
    status = actions.run_action({"sc_action": "生成评分表", "sc_period": "2026H2", "sc_experts": "甲,乙,丙",
                                 "sc_panel_folder": str(tmp_path / "p")})
    assert status.startswith("已生成 3 份评分表")
    status = actions.run_action({"sc_action": "汇总", "sc_panel_folder": str(tmp_path / "p"),
                                 "sc_out": str(tmp_path / "s.xlsx"), "sc_fee": 582000.0})
    assert status.startswith("未完成") and "未填写得分" in status  # blank sheets: every problem listed
    sample = ROOT / "workbooks"
    status = actions.run_action({"sc_action": "汇总", "sc_panel_folder": str(sample), "sc_out": str(tmp_path / "s.xlsx"),
                                 "sc_evidence": str(sample / "evidence" / "2026H2_证据材料.xlsx"), "sc_fee": None})
    assert status.startswith("已汇总：总分 79.5，等级 合格，扣款合计 2,910.00 元，应付 579,090.00 元")
    assert "注意" not in status
    assert actions.run_action({"sc_action": ""}).startswith("请在 sc_action")


def test_the_buttons_tell_what_the_command_line_tells_on_stderr(tmp_path):
    """A fault typed with the year 2025 in the evidence: the command line names it, the 汇总 button said nothing."""
    import shutil

    actions = load(ROOT / "addin" / "scorecard_addin.py", "scorecard_addin")
    sample = ROOT / "workbooks"
    evidence = tmp_path / "证据.xlsx"
    shutil.copyfile(sample / "evidence" / "2026H2_证据材料.xlsx", evidence)
    wb = openpyxl.load_workbook(evidence)
    ws = wb["服务中断"]
    row = next(r for r in range(3, 200) if ws.cell(r, 1).value is None)
    ws.cell(row, 1).value, ws.cell(row, 2).value = datetime(2025, 8, 2, 9), datetime(2025, 8, 2, 12)
    wb.save(evidence)
    status = actions.run_action({"sc_action": "汇总", "sc_panel_folder": str(sample), "sc_out": str(tmp_path / "s.xlsx"),
                                 "sc_evidence": str(evidence), "sc_fee": None})
    assert status.startswith("已汇总：总分 79.5") and "注意：证据材料中 服务中断 2025-08-02 09:00 起" in status


def test_addin_readme_matches_what_the_addin_reads():
    """addin/README.md: the install command and the config path its VBA reads (tests/test_addin_xlam.py), in Chinese,
    at most five steps for desktop Excel."""
    readme = (ROOT / "addin" / "README.md").read_text(encoding="utf-8")
    for word in ("scorecard addin install", r"%USERPROFILE%\.scorecard\scorecard.conf", "INTERPRETER_WIN", "PYTHONPATH",
                 "UDF MODULES", "scorecard.conf", "仅限 Windows", "xlwings Lite", "WPS", "内网"):
        assert word in readme, word
    desktop = readme.split("## 1.")[1].split("## 2.")[0]
    steps = [line for line in desktop.splitlines() if line[:2].rstrip(".").isdigit() and line[1:3] == ". "]
    assert 1 <= len(steps) <= 5
    assert "http" not in (ROOT / "addin" / "lite" / "requirements.txt").read_text(encoding="utf-8")


def test_example_workbook_shows_functions_beside_native_formulas():
    path = ROOT / "workbooks" / "examples" / "函数示例.xlsx"
    formulas = openpyxl.load_workbook(path)["函数示例"]
    values = openpyxl.load_workbook(path, data_only=True)["函数示例"]
    used = {str(formulas.cell(r, 8).value).split("(")[0].lstrip("=") for r in range(3, 20) if formulas.cell(r, 8).value}
    assert {"sc_grade", "sc_deduction", "sc_deadline", "sc_workdays", "sc_panel", "sc_late_payment"} <= used
    assert values["H7"].value == datetime(2026, 10, 10) and values["G7"].value == datetime(2026, 10, 5)
    assert values["H5"].value == values["G5"].value == 20370


def test_libreoffice_computes_the_native_column_as_the_workbook_says(tmp_path):
    """WPS and LibreOffice users rely on the native formulas: LibreOffice must agree with the stored values."""
    import os
    from scoring.excel.libreoffice import convert, find_soffice
    if find_soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice not installed")
    path = ROOT / "workbooks" / "examples" / "函数示例.xlsx"
    stored = openpyxl.load_workbook(path, data_only=True)["函数示例"]
    computed = openpyxl.load_workbook(convert(path, "xlsx", tmp_path), data_only=True)["函数示例"]
    natives = [r for r in range(3, 13) if stored.cell(r, 7).value is not None]
    assert len(natives) == 9
    for r in natives:
        assert computed.cell(r, 7).value == stored.cell(r, 7).value, stored.cell(r, 1).value
    assert [computed.cell(r, 9).value for r in (15, 16, 17)] == [9.5, 5, 11]
    # the whole scorecard: LibreOffice's native formulas equal SC_SCORECARD on the same cells (R2.3, R3, R4)
    sheet = openpyxl.load_workbook(convert(path, "xlsx", tmp_path / "again"), data_only=True)["整张考核表"]
    block = [[sheet.cell(r, c).value for c in range(2, 7)] for r in range(3, 16)]
    fee = next(sheet.cell(r, 7).value for r in range(3, 28) if sheet.cell(r, 1).value == "服务费")
    results = udfs.sc_scorecard(block, fee)
    assert len(results) == 25
    for r, (label, value) in enumerate(results, start=3):
        assert sheet.cell(r, 1).value == label
        assert sheet.cell(r, 7).value == value, label
    assert dict(map(tuple, results))["扣款合计"] == 2910.0


def test_the_example_scorecard_block_is_the_sample_panel():
    from scoring.excel.reader import read_panel
    from scoring.rubric import default_rubric

    rubric = default_rubric()
    sheets, problems = read_panel(sorted((ROOT / "workbooks").glob("2026H2_*.xlsx")), rubric, "hebi-backup-2026")
    assert not problems
    sheet = openpyxl.load_workbook(ROOT / "workbooks" / "examples" / "函数示例.xlsx")["整张考核表"]
    block = [[sheet.cell(r, c).value for c in range(2, 7)] for r in range(3, 16)]
    assert block == [[float(s.scores[i.id]) for s in sheets] for i in rubric.items]


def test_prepare_period_and_open_last_summary_buttons(tmp_path):
    actions = load(ROOT / "addin" / "scorecard_addin.py", "scorecard_addin")
    evidence = tmp_path / "2026H2_证据材料.xlsx"
    status = actions.run_action({"sc_action": "准备考核期", "sc_period": "2026H2", "sc_evidence": str(evidence)})
    assert status.startswith("已生成空白证据材料表") and evidence.is_file()
    before = evidence.read_bytes()
    again = actions.run_action({"sc_action": "准备考核期", "sc_period": "2026H2", "sc_evidence": str(evidence)})
    assert again.startswith("证据材料表已存在，未覆盖") and evidence.read_bytes() == before  # a filled table is kept
    assert actions.run_action({"sc_action": "打开汇总表", "sc_out": str(tmp_path / "2026H2_汇总.xlsx")}).startswith("还没有汇总表")
    (tmp_path / "2026H1_汇总.xlsx").write_bytes(b"x")
    assert actions.run_action({"sc_action": "打开汇总表", "sc_out": str(tmp_path / "2026H2_汇总.xlsx")}) == \
        f"已打开：{tmp_path / '2026H1_汇总.xlsx'}"
