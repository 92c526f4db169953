"""`scorecard annual`: the service year's settlement (R4, R5, R9, R10; interfaces.md §4)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from scoring.annual import HalfYear, settle_year
from scoring.cli import main
from scoring.excel import names
from tests.conftest import CONTRACT, pdf_text
from tests.edit import named_cell, patch, score_cell
from tests.year_data import copy, service_year


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    return service_year(tmp_path_factory.mktemp("year"))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_annual_json_equals_the_hand_computation_to_the_cent(year, tmp_path, capsys):
    # R4: 2026H2 76.5 -> 3.5 % of 582,000.00 = 20,370.00; 2027H1 62.25 -> 17.75 % = 103,305.00,
    # R5: 密评 not passed at the year end -> 20,000.00 once. Year: 1,164,000.00 - 143,675.00 = 1,020,325.00.
    # R10 split 80:784:300 of 1,020,325.00: 70,125.4295 -> 70,125.43; 687,229.2096 -> 687,229.21;
    # 262,970.3608 -> 262,970.36 (sum 1,020,325.00, no rounding cent left). Before tax: 70,125.43 / 1.06 =
    # 66,156.066 -> 66,156.07 (tax 3,969.36); 687,229.21 / 1.06 = 648,329.443 -> 648,329.44 (tax 38,899.77);
    # 262,970.36 / 1.09 = 241,257.211 -> 241,257.21 (tax 21,713.15).
    before = {p: digest(year[p]) for p in ("2026H2", "2027H1")}
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", tmp_path / "年度结算.xlsx", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert {k: result[k] for k in ("contract", "service_year", "partial", "periods", "fee", "deduction_total",
                                   "crypto_penalty", "payable", "lines")} == {
        "contract": "hebi-backup-2026", "service_year": "2026-07-01/2027-06-30", "partial": False,
        "periods": [
            {"period": "2026H2", "fee": "582000.00", "total": "76.5", "grade": "合格", "deduction_total": "20370.00",
             "payable": "561630.00"},
            {"period": "2027H1", "fee": "582000.00", "total": "62.25", "grade": "合格", "deduction_total": "123305.00",
             "payable": "458695.00"}],
        "fee": "1164000.00", "deduction_total": "143675.00", "crypto_penalty": "20000.00", "payable": "1020325.00",
        "lines": [
            {"name": "平台扩容升级", "tax_rate": "0.06", "payable": "70125.43", "before_tax": "66156.07", "tax": "3969.36"},
            {"name": "备份资源", "tax_rate": "0.06", "payable": "687229.21", "before_tax": "648329.44", "tax": "38899.77"},
            {"name": "线路", "tax_rate": "0.09", "payable": "262970.36", "before_tax": "241257.21", "tax": "21713.15"}],
    }
    assert {p: digest(year[p]) for p in ("2026H2", "2027H1")} == before  # inputs never written


def test_due_date_60_working_days_late_interest_and_the_30_day_flag(year, tmp_path, capsys):
    # R10, R7: invoice Monday 2027-07-05; working days from 07-06 with the user's 2027 table (中秋 09-15 off):
    # July 19, August 22 (41), September 1-14 10 (51), 16-28 9 (60) -> due 2027-09-28.
    # Paid 2027-10-20: 22 days late, 1,020,325.00 x 0.0005 x 22 = 11,223.575 -> 11,223.58 (half up).
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", tmp_path / "a.xlsx", "--json",
                         "--invoice-date", "2027-07-05", "--paid", "2027-10-20")
    assert code == 0, err
    assert json.loads(out)["payments"] == [{"label": "全年", "amount": "1020325.00", "invoiced": "2027-07-05",
                                           "due": "2027-09-28", "paid": "2027-10-20", "days_late": 22,
                                           "interest": "11223.58", "may_terminate": False}]
    # 逾期三十日以上 includes 30 (R10): paid 2027-10-28 is 30 days late; per half-year invoices
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", tmp_path / "b.xlsx", "--json",
                         "--invoice-date", "2027H1=2027-07-05", "--paid", "2027H1=2027-10-28",
                         "--invoice-date", "2026H2=2027-01-04", "--paid", "2026H2=2027-04-06")
    assert code == 0, err
    payments = {p["label"]: p for p in json.loads(out)["payments"]}
    late = payments["2027H1"]
    # 458,695.00 x 0.0005 x 30 = 6,880.425 -> 6,880.43
    assert (late["days_late"], late["interest"], late["may_terminate"]) == (30, "6880.43", True)
    # 2026H2 invoiced 2027-01-04: 60 working days, 春节 02-05..02-11 off -> due 2027-04-06 (清明 04-05 off), paid on time
    assert (payments["2026H2"]["due"], payments["2026H2"]["days_late"], payments["2026H2"]["interest"]) == \
        ("2027-04-06", 0, "0.00")


def test_year_wide_drill_and_training_minimums_over_both_halves(year, tmp_path, capsys):
    # R9: one drill in each half = 2 (enough); training 2 + 1 = 3 person-times, fewer than 4
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", tmp_path / "a.xlsx", "--json")
    checks = {c["name"]: c for c in json.loads(out)["year_checks"]}
    assert (checks["应急演练"]["count"], checks["应急演练"]["short"]) == (2, False)
    assert (checks["厂家培训"]["count"], checks["厂家培训"]["short"], checks["厂家培训"]["complete"]) == (3, True, True)


def test_year_wide_checks_name_the_half_without_evidence_or_say_none_were_made(year, tmp_path, capsys):
    """R9: with only 2027H1's evidence the counts were marked "未提供全部半年度的证据材料"; without any evidence
    the terminal said nothing at all (only the workbook noted it)."""
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--evidence", year["evidence_h1"],
                         "--out", tmp_path / "b.xlsx")
    assert code == 0, err
    assert "※ 应急演练：服务年度共 1 次，少于合同要求的 2 次（缺少 2026H2 的证据材料，仅为已提供部分的合计；可用 --evidence 补充）" in out
    alone = [copy(year[p], tmp_path / f"{p}_汇总.xlsx") for p in ("2026H2", "2027H1")]  # the evidence left behind
    code, out, err = run(capsys, "annual", *alone, "--out", tmp_path / "a.xlsx", "--json")
    assert code == 0 and json.loads(out)["year_checks"] == [] and json.loads(out)["year_checks_unchecked"] is True
    code, out, err = run(capsys, "annual", *alone, "--out", tmp_path / "c.xlsx")
    assert "※ 未找到证据材料：未核对服务年度的应急演练次数和培训人次" in out
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert any("未找到证据材料" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_a_year_end_evidence_holding_the_whole_year_is_no_missing_half(year, tmp_path, capsys):
    """R9: the year-end evidence may list the whole service year's drills, as its template asks; counted from it
    alone, the year was flagged "※ …（缺少 2026H2 的证据材料…）" though nothing was missing."""
    from tests.conftest import write_evidence_workbook
    from tests.year_data import HOLIDAYS_2027

    whole = write_evidence_workbook(tmp_path / "全年证据.xlsx", "2027H1", {
        "应急演练": [(date(2026, 9, 10), "备份还原演练"), (date(2027, 3, 18), "数据恢复演练")],
        "培训服务": [(date(2026, 10, 20), 2, "备份平台培训"), (date(2027, 4, 8), 2, "运维培训")],
        "节假日调整": [(d, "休息日", "法定节假日") for d in HOLIDAYS_2027]})
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--evidence", whole,
                         "--out", tmp_path / "a.xlsx", "--json")
    assert code == 0, err
    checks = json.loads(out)["year_checks"]
    assert [(c["name"], c["count"], c["short"], c["complete"], c["absent"]) for c in checks] == [
        ("应急演练", 2, False, True, []), ("厂家培训", 4, False, True, [])]


def test_the_earlier_half_typed_again_in_the_year_end_evidence_is_counted_once(year, tmp_path, capsys):
    """R9: the year-end evidence repeats 2026H2's drill and training in other words ("9月备份还原演练", "平台培训");
    with 2026H2's own evidence beside it, annual counted 3 drills and 5 person-times ("达到合同要求") where the
    year-end summary said 3 person-times, short of 4. A half with its own evidence is counted from it alone."""
    from tests.conftest import write_evidence_workbook
    from tests.year_data import HOLIDAYS_2027

    whole = write_evidence_workbook(tmp_path / "全年证据.xlsx", "2027H1", {
        "应急演练": [(date(2026, 9, 10), "9月备份还原演练"), (date(2027, 3, 18), "数据恢复演练")],
        "培训服务": [(date(2026, 10, 20), 2, "平台培训"), (date(2027, 4, 8), 1, "运维培训")],
        "节假日调整": [(d, "休息日", "法定节假日") for d in HOLIDAYS_2027]})
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--evidence", year["evidence_h2"], "--evidence", whole,
                         "--out", tmp_path / "a.xlsx", "--json")
    assert code == 0, err
    checks = json.loads(out)["year_checks"]
    assert [(c["name"], c["count"], c["short"]) for c in checks] == [("应急演练", 2, False), ("厂家培训", 3, True)]


def test_workbook_named_cells_hold_values_and_formulas(year, tmp_path, capsys):
    out = tmp_path / "年度结算.xlsx"
    assert run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", out, "--invoice-date", "2027-07-05",
               "--paid", "2027-10-20")[0] == 0
    values = openpyxl.load_workbook(out, data_only=True)
    formulas = openpyxl.load_workbook(out)

    def cell(wb, name):
        sheet, ref = names.locate(wb, name)
        return wb[sheet][ref].value

    assert cell(values, "annual_fee") == 1164000
    assert cell(values, "annual_deduction") == 143675
    assert cell(values, "annual_payable") == 1020325
    assert cell(values, "annual_crypto") == 20000
    assert cell(formulas, "annual_payable") == "=annual_fee-annual_deduction"
    assert str(cell(formulas, "annual_fee")).startswith("=SUM(")
    ws = values["年度结算"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["线路"][5:8] == (262970.36, 241257.21, 21713.15)
    assert rows["全年"][5:8] == (22, 11223.58, "否")
    assert "部分年度" not in str(ws["A2"].value)


def test_libreoffice_recomputes_the_settlement_equal_to_the_engine(year, tmp_path, capsys):
    from scoring.excel.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    out = tmp_path / "年度结算.xlsx"
    assert run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", out, "--invoice-date", "2027-07-05",
               "--paid", "2027-10-20")[0] == 0
    engine = openpyxl.load_workbook(out, data_only=True)["年度结算"]
    (tmp_path / "lo").mkdir()
    office = openpyxl.load_workbook(convert(out, "xlsx", tmp_path / "lo"), data_only=True)["年度结算"]
    compared = 0
    for row in engine.iter_rows():
        for c in row:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                got = office[c.coordinate].value
                assert round(Decimal(str(got)), 2) == round(Decimal(str(c.value)), 2), c.coordinate
                compared += 1
    assert compared > 30


def test_the_largest_year_prints_every_amount_without_hashes(year, tmp_path, capsys):
    """What finance pays from: 全年合计 in bold overflowed the 14-character 应付 column at 1,020,325.00; at the
    largest year (two halves of 49,999,999.99) every amount must print, none as ###."""
    from scoring.excel.libreoffice import convert, find_soffice
    from tests.year_data import summarize

    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    big = [summarize(year[h], year[e], tmp_path / f"{h}.xlsx", "--fee", "49999999.99")
           for h, e in (("h2", "evidence_h2"), ("h1", "evidence_h1"))]
    out = tmp_path / "年度结算.xlsx"
    capsys.readouterr()
    code, text, err = run(capsys, "annual", *big, "--out", out, "--json")
    assert code == 0, err
    result = json.loads(text)
    pdf = convert(out, "pdf", tmp_path / "pdf")
    printed = pdf_text(pdf)
    assert "###" not in printed and printed.count("\f") == 1  # one page
    for amount in (result["fee"], result["deduction_total"], result["payable"]):
        assert f"{Decimal(amount):,.2f}" in printed


def test_a_missing_half_is_a_visible_partial_year(year, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    code, text, err = run(capsys, "annual", year["2026H2"], "--out", out, "--json")
    assert code == 0, err
    result = json.loads(text)
    assert (result["partial"], result["missing"], result["payable"]) == (True, ["2027H1"], "561630.00")
    assert "部分年度：缺少 2027H1" in openpyxl.load_workbook(out)["年度结算"]["A2"].value
    # an existing settlement (finance may have typed into it) is replaced only with --force
    code, _, err = run(capsys, "annual", year["2026H2"], "--out", out)
    assert code == 2 and "输出文件已存在" in err
    assert "部分年度" in run(capsys, "annual", year["2026H2"], "--out", out, "--force")[1]


def test_the_same_summary_twice_or_a_copy_of_a_period_is_refused(year, tmp_path, capsys):
    twin = copy(year["2026H2"], tmp_path / "copy" / "2026H2_副本.xlsx")
    out = tmp_path / "a.xlsx"
    code, _, err = run(capsys, "annual", year["2026H2"], twin, year["2027H1"], "--out", out)
    assert code == 2
    assert "考核期 2026H2 重复" in err and "2026H2_副本.xlsx" in err
    assert not out.exists()
    code, text, _ = run(capsys, "annual", year["2026H2"], twin, "--out", out, "--json")
    assert code == 2 and {e["code"] for e in json.loads(text)["errors"]} == {"E-SUMMARY-SERIES"}
    # the year-end summary given twice: the duplicate is the problem, not "密评扣款 twice" (R5) besides it
    end_twin = copy(year["2027H1"], tmp_path / "copy" / "2027H1_复核.xlsx")
    code, _, err = run(capsys, "annual", year["2026H2"], year["2027H1"], end_twin, "--out", out)
    assert code == 2 and "考核期 2027H1 重复" in err and "也扣了密评扣款" not in err


def test_a_summary_edited_by_hand_is_refused_naming_the_cell(year, tmp_path, capsys):
    # someone typed 581,630.00 over the payable 561,630.00
    sheet, ref = named_cell(year["2026H2"], "payable")
    edited = patch(year["2026H2"], (sheet, ref), "581630", tmp_path / "2026H2_改.xlsx")
    code, _, err = run(capsys, "annual", edited, year["2027H1"], "--out", tmp_path / "a.xlsx")
    assert code == 2
    assert f"2026H2_改.xlsx!{sheet}!{ref}: payable 为“581630”" in err and "561630.00" in err
    # two experts' 运行报告 on 评分明细 raised to 12: the median, the total and the money no longer follow
    edited = patch(year["2026H2"], score_cell(year["2026H2"], "甲", "report"), "12", tmp_path / "2026H2_改分.xlsx")
    edited = patch(edited, score_cell(year["2026H2"], "乙", "report"), "12", edited)
    code, _, err = run(capsys, "annual", edited, "--out", tmp_path / "a.xlsx")
    assert code == 2 and "panel_report" in err and "total_score" in err
    code, text, _ = run(capsys, "annual", edited, "--out", tmp_path / "a.xlsx", "--json")
    assert code == 2 and {e["code"] for e in json.loads(text)["errors"]} == {"E-SUMMARY-EDITED"}


def test_a_score_edited_by_hand_is_refused_even_when_no_figure_changes(year, tmp_path, capsys):
    # 甲's 运行报告 0.5 -> 0.75 leaves the median (0.5) and every figure as they were; the seal of the summarized
    # scores (a custom property, kept by Excel and LibreOffice on save) tells the edit
    edited = patch(year["2026H2"], score_cell(year["2026H2"], "甲", "report"), "0.75", tmp_path / "2026H2_改.xlsx")
    code, text, err = run(capsys, "annual", edited, "--out", tmp_path / "a.xlsx", "--json")
    assert code == 2
    [error] = json.loads(text)["errors"]
    assert error["code"] == "E-SUMMARY-EDITED" and error["place"].endswith("2026H2_改.xlsx!评分明细")
    assert "“评分明细”中的专家评分与汇总时的评分不同" in error["message"]


def test_a_summary_of_another_contract_is_refused(year, tmp_path, capsys):
    from importlib import resources

    data = resources.files("scoring.data")
    text = data.joinpath("contract-hebi-backup-2026.toml").read_text(encoding="utf-8")
    (tmp_path / "other.toml").write_text(text.replace('id = "hebi-backup-2026"', 'id = "other-2026"'), encoding="utf-8")
    (tmp_path / "rubric-hebi-backup-2026.toml").write_text(
        data.joinpath("rubric-hebi-backup-2026.toml").read_text(encoding="utf-8"), encoding="utf-8")
    from tests.year_data import H2_SCORES, panel

    folder, evidence = panel(tmp_path / "other", "2026H2", H2_SCORES)
    for sheet in folder.glob("*.xlsx"):
        wb = openpyxl.load_workbook(sheet)
        s, c = names.locate(wb, "contract_id")
        wb[s][c].value = "other-2026"
        wb.save(sheet)
    other = tmp_path / "other_汇总.xlsx"
    assert main(["summarize", str(folder), "--contract", str(tmp_path / "other.toml"), "--out", str(other)]) == 0
    capsys.readouterr()
    code, _, err = run(capsys, "annual", other, year["2027H1"], "--out", tmp_path / "a.xlsx")
    assert code == 2 and "other_汇总.xlsx!审计!" in err and "不是合同“hebi-backup-2026”" in err


def test_payment_dates_need_the_calendar_of_their_year(year, tmp_path, capsys):
    # R7: 2027 is not packaged; the 2026H2 evidence has no 2027 table -> refused naming the year
    code, _, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", tmp_path / "a.xlsx",
                       "--evidence", year["evidence_h2"], "--invoice-date", "2027-07-05")
    assert code == 2 and "2027 年的节假日安排" in err
    code, _, err = run(capsys, "annual", year["2026H2"], "--out", tmp_path / "a.xlsx", "--invoice-date", "2027H1=2027-07-05",
                       "--paid", "2027-13-01")
    assert code == 2 and "没有 2027H1 的汇总表" in err and "2027-13-01" in err


def test_the_crypto_penalty_counts_once_only(tmp_path):
    # R5: a second half carrying the penalty is refused rather than deducted twice
    from scoring.annual import year_problems

    half = HalfYear("2026H2", Decimal("582000.00"), Fraction(90), "优秀", Decimal("0.00"), Decimal("20000.00"),
                    Decimal("20000.00"), Decimal("562000.00"), "a.xlsx")
    other = HalfYear("2027H1", Decimal("582000.00"), Fraction(90), "优秀", Decimal("0.00"), Decimal("20000.00"),
                     Decimal("20000.00"), Decimal("562000.00"), "b.xlsx")
    assert len(year_problems([half, other], CONTRACT)) == 2
    assert year_problems([other], CONTRACT) == []


money = st.decimals(min_value=0, max_value=10 ** 7, places=2)


@given(fees=st.tuples(money, money), deductions=st.tuples(money, money))
def test_lines_add_up_to_the_payable_and_each_line_to_before_tax_plus_tax(fees, deductions):
    # R10: the year's payable split over the lines adds up exactly; each line's before-tax + tax = its payable
    halves = [HalfYear(p, f, Fraction(80), "良好", d, Decimal("0.00"), d, f - d)
              for p, f, d in zip(("2026H2", "2027H1"), fees, deductions)]
    a = settle_year(halves, CONTRACT)
    assert a.payable == a.fee - a.deduction_total == sum(h.payable for h in halves)
    assert sum(line.amount for line in a.lines) == a.payable
    assert all(line.before_tax + line.tax == line.amount for line in a.lines)
    assert a.periods[0].period == "2026H2" and not a.partial


def test_periods_outside_the_service_year_are_refused():
    # interfaces.md §4: summaries of one service year only (2026-07-01 to 2027-06-30: 2026H2 and 2027H1)
    from scoring.annual import service_periods
    from scoring.recorded import Recomputed, RecordedSummary, check_series

    assert [p.code for p in service_periods(CONTRACT)] == ["2026H2", "2027H1"]

    def result(period: str) -> Recomputed:
        record = RecordedSummary(f"{period}.xlsx", CONTRACT.id, period, "2026.1", False, {}, {}, {}, {},
                                 {"period": ("审计", "B27")})
        return Recomputed(record, Fraction(90), "优秀", Decimal("582000.00"), Fraction(0), Decimal("0.00"),
                          Decimal("0.00"), Decimal("0.00"), Decimal("582000.00"), None)

    [problem] = check_series([result("2026H2"), result("2027H2")], CONTRACT)
    assert (problem.place, problem.code) == ("2027H2.xlsx!审计!B27", "E-SUMMARY-SERIES")
    assert "不在合同服务期" in problem.message


def test_files_that_are_not_summaries_are_refused_with_the_file(year, tmp_path, capsys):
    csv = tmp_path / "汇总.xlsx"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    sheet = next(year["h2"].glob("*.xlsx"))
    code, text, _ = run(capsys, "annual", csv, sheet, tmp_path / "没有.xlsx", "--out", tmp_path / "a.xlsx", "--json")
    assert code == 2
    errors = {e["place"]: e["code"] for e in json.loads(text)["errors"]}
    assert errors == {str(csv): "E-FILE-FORMAT", str(sheet): "E-FILE-FOREIGN", str(tmp_path / "没有.xlsx"): "E-FILE-MISSING"}
    assert not (tmp_path / "a.xlsx").exists()


def test_a_fee_changed_in_libreoffice_recomputes_the_year(year, tmp_path, capsys):
    # R10: 2026H2 settled on 500,000.00 instead: 3.5 % = 17,500.00, payable 482,500.00; the year: 1,082,000.00 -
    # (17,500.00 + 123,305.00) = 941,195.00; split 80:784:300: 941,195 x 80 / 1,164 = 64,686.9416 -> 64,686.94;
    # x 784 / 1,164 = 633,932.0275 -> 633,932.03; x 300 / 1,164 = 242,576.0309 -> 242,576.03 (sum 941,195.00)
    from scoring.excel.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    out = tmp_path / "年度结算.xlsx"
    assert run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", out,
               "--invoice-date", "2026H2=2027-01-04", "--paid", "2026H2=2027-04-16")[0] == 0
    wb = openpyxl.load_workbook(out)
    wb["年度结算"]["B5"].value = 500000
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    (tmp_path / "lo").mkdir()
    office = openpyxl.load_workbook(convert(edited, "xlsx", tmp_path / "lo"), data_only=True)

    def cents(name):
        sheet, ref = names.locate(office, name)
        return round(Decimal(str(office[sheet][ref].value)), 2)

    assert (cents("annual_fee"), cents("annual_deduction"), cents("annual_payable")) == \
        (Decimal("1082000.00"), Decimal("140805.00"), Decimal("941195.00"))
    lines = {r[0]: r for r in office["年度结算"].iter_rows(values_only=True) if r[0] in ("平台扩容升级", "备份资源", "线路")}
    assert [round(Decimal(str(lines[n][5])), 2) for n in ("平台扩容升级", "备份资源", "线路")] == \
        [Decimal("64686.94"), Decimal("633932.03"), Decimal("242576.03")]
    # the 2026H2 invoice follows its payable: due 2027-04-06, paid 04-16, 10 days late on 482,500.00 (not the
    # 579,090.00 generated): 482,500.00 x 0.0005 x 10 = 2,412.50
    payment = [r for r in office["年度结算"].iter_rows(values_only=True) if r[0] == "2026H2"][-1]  # below the periods
    assert (round(Decimal(str(payment[1])), 2), payment[5], round(Decimal(str(payment[6])), 2)) == \
        (Decimal("482500.00"), 10, Decimal("2412.50"))


def test_a_whole_year_invoice_is_the_annual_payable(year, tmp_path, capsys):
    """R10: one invoice for the year is for annual_payable, so an edited half-year fee moves it too."""
    out = tmp_path / "a.xlsx"
    assert run(capsys, "annual", year["2026H2"], year["2027H1"], "--out", out, "--invoice-date", "2027-07-05")[0] == 0
    ws = openpyxl.load_workbook(out)["年度结算"]
    row = next(r for r in ws.iter_rows() if r[0].value == "全年")
    assert row[1].value == "=annual_payable"
    assert openpyxl.load_workbook(out, data_only=True)["年度结算"][row[1].coordinate].value == 1020325


def test_a_fee_changed_in_the_summary_is_refused_with_the_summarize_fee_to_run(year, tmp_path, capsys):
    """Finance may type the actual fee into `fee` (a yellow input); annual then said only that the summary
    may have been edited by hand and to re-summarize, not that the fee changed nor how to carry it over."""
    sheet, ref = named_cell(year["2026H2"], "fee")
    edited = patch(year["2026H2"], (sheet, ref), "600000", tmp_path / "2026H2_改费.xlsx")
    code, _, err = run(capsys, "annual", edited, year["2027H1"], "--out", tmp_path / "a.xlsx")
    assert code == 2 and not (tmp_path / "a.xlsx").exists()
    assert f"2026H2_改费.xlsx!{sheet}!{ref}: 当次服务费" in err and "--fee 600000.00" in err


def test_a_fee_typed_beyond_the_bound_is_refused_as_such(year, tmp_path, capsys):
    """R4: a period's fee has the bound --fee has (999,999,999.99): from there the summary's formulas and amount
    columns are not designed for it, so a fee typed in beyond it is said so, not offered as a --fee to re-run."""
    sheet, ref = named_cell(year["2026H2"], "fee")
    edited = patch(year["2026H2"], (sheet, ref), "1000000000", tmp_path / "2026H2_改费.xlsx")
    code, _, err = run(capsys, "annual", edited, year["2027H1"], "--out", tmp_path / "a.xlsx")
    assert code == 2 and not (tmp_path / "a.xlsx").exists()
    assert f"2026H2_改费.xlsx!{sheet}!{ref}: 服务费 1,000,000,000.00 元超过 999,999,999.99 元" in err
    assert "--fee 1000000000.00" not in err


def test_a_summary_saved_without_formula_results_says_how_to_recover(year, tmp_path, capsys):
    """§4: a summary re-saved by openpyxl keeps its formulas without results, and Gnumeric cannot evaluate
    INDEX(range, 0, k) (#REF!): annual and verify called it hand-edited and asked to re-summarize, figure by figure;
    one line now says what happened and to open and save it once in a spreadsheet program."""
    import re
    import zipfile

    plain = tmp_path / "2026H2_openpyxl.xlsx"
    openpyxl.load_workbook(year["2026H2"]).save(plain)
    code, _, err = run(capsys, "annual", plain, year["2027H1"], "--out", tmp_path / "a.xlsx")
    assert code == 2 and not (tmp_path / "a.xlsx").exists()
    assert [line.split(": ", 1)[1] for line in err.splitlines()] == [
        "汇总表中的公式没有保存计算结果（文件被不计算公式的程序保存过）：请在 Excel、WPS 或 LibreOffice 中打开并保存一次后重试"]
    code, out, _ = run(capsys, "verify", plain, year["h2"], "--evidence", year["evidence_h2"])
    assert code == 1 and out.splitlines()[0].startswith("汇总表中的公式没有保存计算结果") and "（空）" not in out

    sheet, ref = named_cell(year["2026H2"], "payable")
    broken = tmp_path / "2026H2_gnumeric.xlsx"
    with zipfile.ZipFile(year["2026H2"]) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        part = f"xl/worksheets/sheet{openpyxl.load_workbook(year['2026H2'], read_only=True).sheetnames.index(sheet) + 1}.xml"
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = re.sub(rf'<c r="{ref}"([^>]*)>(<f>.*?</f>)?<v>[^<]*</v>', rf'<c r="{ref}"\1 t="e">\2<v>#REF!</v>',
                              data.decode("utf-8"), count=1).encode("utf-8")
            target.writestr(info, data)
    code, _, err = run(capsys, "annual", broken, year["2027H1"], "--out", tmp_path / "a.xlsx")
    assert code == 2 and "汇总表中的公式算出了错误值（payable 为 #REF!）" in err and "可能被手工修改" not in err


def test_a_changed_crypto_penalty_is_named_as_a_contract_change(year, tmp_path, capsys):
    """R5, §5: the 密评 penalty edited in the contract file (20,000.00 -> 30,000.00) after the year-end summary was
    called a hand edit of 扣款!B9 by annual, and correct charged the new amount under the name of a correction."""
    import shutil
    from importlib import resources

    data = resources.files("scoring.data")
    for name in ("contract-hebi-backup-2026.toml", "rubric-hebi-backup-2026.toml"):
        shutil.copyfile(data.joinpath(name), tmp_path / name)
    contract = tmp_path / "contract-hebi-backup-2026.toml"
    text = contract.read_text(encoding="utf-8")
    assert 'crypto_penalty = "20000.00"' in text
    contract.write_text(text.replace('crypto_penalty = "20000.00"', 'crypto_penalty = "30000.00"'), encoding="utf-8")
    code, out, err = run(capsys, "annual", year["2026H2"], year["2027H1"], "--contract", contract,
                         "--out", tmp_path / "a.xlsx", "--json")
    assert code == 2 and not (tmp_path / "a.xlsx").exists()
    errors = json.loads(out)["errors"]  # a term of the contract: both halves were summarized under the old one
    assert [(e["code"], e["place"]) for e in errors] == [("E-FILE-CHANGED", f"{year[p]}!审计") for p in ("2026H2", "2027H1")]
    assert all("的条款在汇总后被改动" in e["message"] for e in errors) and "可能被手工修改" not in err
    from tests.test_second_contract import without_terms_digest  # a summary older than the terms' digest

    old = without_terms_digest(year["2027H1"], tmp_path / "2027H1_old.xlsx")
    code, out, err = run(capsys, "annual", old, "--contract", contract, "--out", tmp_path / "a.xlsx", "--json")
    [error] = json.loads(out)["errors"]
    assert code == 2 and error["code"] == "E-FILE-CHANGED" and "密评扣款 20,000.00 元 → 30,000.00 元" in error["message"]
    code, _, err = run(capsys, "correct", year["2027H1"], year["h1"], "--evidence", year["evidence_h1"], "--expert",
                       "甲", "--item", "report", "--score", "3", "--reason", "outlier", "--by", "王科长",
                       "--contract", contract, "--out", tmp_path / "c.xlsx")
    assert code == 2 and not (tmp_path / "c.xlsx").exists() and "在汇总后被改动" in err
