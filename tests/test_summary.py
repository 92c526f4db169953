"""The summary workbook: named finance cells, formulas recomputed by LibreOffice to the cent, golden file, verify."""

from __future__ import annotations

import shutil
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from scoring.excel import names
from scoring.excel.libreoffice import convert
from scoring.settlement import assessment_deduction, settle
from scoring.jobs.summarize import summarize
from tests.compare import differences
from tests.conftest import CONTRACT, RUBRIC, needs_libreoffice
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"
GOLDEN = Path(__file__).resolve().parent / "data" / "golden" / "summary_demo.xlsx"
FINANCE = ("fee", "deduction_rate", "deduction_assessment", "deduction_crypto", "deduction_total", "payable")


def named_values(path) -> dict[str, object]:
    wb = openpyxl.load_workbook(path, data_only=True)
    values = {}
    for name in wb.defined_names:
        place = names.locate(wb, name)
        if place:
            values[name] = wb[place[0]][place[1]].value
    return values


def cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary")
    path = folder / "summary.xlsx"
    assessment = summarize([SAMPLE], path, evidence=EVIDENCE)
    return path, assessment


def test_every_named_cell_of_interfaces_md_holds_the_engines_value(demo):
    path, a = demo
    values = named_values(path)
    s = a.settlement
    assert values["total_score"] == 79.5 and values["grade"] == "合格"
    assert cents(values["fee"]) == s.fee == Decimal("582000.00")
    assert values["deduction_rate"] == pytest.approx(0.005)
    assert cents(values["deduction_assessment"]) == s.assessment == Decimal("2910.00")
    assert cents(values["deduction_crypto"]) == s.crypto_penalty == Decimal("0.00")
    assert cents(values["deduction_total"]) == s.total
    assert cents(values["payable"]) == s.payable == Decimal("579090.00")
    for r in a.panel.items:
        assert Decimal(str(values[f"panel_{r.item.id}"])) == r.panel
    for cat, value in a.panel.categories.items():
        assert Decimal(str(values[f"category_{cat}"])) == value


def test_r11_the_secretary_signs_and_dates_on_lines_of_their_own(demo):
    """签字: "考核组织人（秘书）签字：" and "日期：" sat side by side with no room to sign between them."""
    path, _ = demo
    ws = openpyxl.load_workbook(path)["签字"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "考核组织人（秘书）签字：")
    line = [ws.cell(row, c) for c in range(2, 7)]
    assert [c.value for c in line] == [None, None, None, "日期：", None]
    assert [c.coordinate for c in line if c.border.bottom.style] == [f"C{row}", f"D{row}", f"E{row}", f"F{row}"]
    assert {f"A{row}:B{row}", f"C{row}:D{row}", f"E{row}:F{row}"} <= {str(m) for m in ws.merged_cells.ranges}


def test_finance_cells_are_formulas_over_the_named_inputs(demo):
    path, _ = demo
    wb = openpyxl.load_workbook(path)
    formulas = {}
    for name in FINANCE[1:]:
        sheet, cell = names.locate(wb, name)
        formulas[name] = wb[sheet][cell].value
    assert formulas == {
        # R4; the medians' total has two decimals: 80 - total rounded to them before it makes the share
        "deduction_rate": "=IF(total_score>=80-1E-9,0,IF(total_score>=60-1E-9,ROUND(80-total_score,2)/100,0.5))",
        "deduction_assessment": "=ROUND(ROUND(fee*deduction_rate,8),2)",
        "deduction_crypto": 0,
        "deduction_total": "=deduction_assessment+deduction_crypto",
        "payable": "=fee-deduction_total",
    }
    ws = wb["扣款"]
    lines = [[ws.cell(r, c).value for c in (1, 4, 6, 7, 8)] for r in range(15, 18)]
    assert lines[0] == ["平台扩容升级", "=ROUND(ROUND(deduction_total*B15/SUM(B15:B17),8),2)",
                        "=ROUND(D15+E15*(deduction_total-SUM(D15:D17)),2)", "=ROUND(ROUND(F15/(1+C15),8),2)",
                        "=ROUND(F15-G15,2)"]
    assert ws["F18"].value == "=SUM(F15:F17)"


def test_scores_total_and_grade_are_live_formulas_down_to_the_experts_cells(demo):
    """issue 11: panel (R2.3 median), category, total and grade (R3) chain from 评分明细 through names."""
    path, a = demo
    wb = openpyxl.load_workbook(path)

    def formula(name):
        sheet, cell = names.locate(wb, name)
        return wb[sheet][cell].value
    assert list(wb.defined_names["expert_scores"].destinations) == [("评分明细", "$C$4:$O$8")]
    assert list(wb.defined_names["expert_totals"].destinations) == [("评分明细", "$B$4:$B$8")]
    assert formula("panel_report") == "=MEDIAN(INDEX(expert_scores,0,1))"
    assert formula("panel_training") == "=MEDIAN(INDEX(expert_scores,0,13))"
    assert formula("category_capability") == "=SUM(panel_report,panel_platform,panel_onsite)"
    assert formula("total_score") == "=SUM(category_capability,category_quality,category_security,category_other)"
    assert formula("grade") == ('=IF(total_score>=90-1E-9,"优秀",IF(total_score>=80-1E-9,"良好",'
                                'IF(total_score>=60-1E-9,"合格","不合格")))')
    detail = wb["评分明细"]
    assert [detail.cell(2, c).value for c in (1, 2, 3, 15)] == ["专家", "合计", "运行报告", "培训服务"]
    assert [detail.cell(4, c).value for c in (1, 2, 3)] == ["张三", "=SUM(INDEX(expert_scores,1,0))", 9.5]
    assert detail["C4"].fill.fgColor.rgb.endswith("FFF2CC")  # an input: yellow


@pytest.mark.parametrize("policy, text", [
    ("mean", "=AVERAGE(INDEX(expert_scores,0,1))"),
    ("trimmed-mean", "=(SUM(INDEX(expert_scores,0,1))-MAX(INDEX(expert_scores,0,1))-MIN(INDEX(expert_scores,0,1)))"
                     "/(COUNT(INDEX(expert_scores,0,1))-2)"),
    ("total-median", "=INDEX(INDEX(expert_scores,0,1),MATCH(MEDIAN(expert_totals),expert_totals,0))"),
])
def test_the_panel_formula_follows_the_aggregation_policy(tmp_path, policy, text):
    path = tmp_path / "s.xlsx"
    summarize([SAMPLE], path, evidence=EVIDENCE, policy=[f"aggregation={policy}"])
    wb = openpyxl.load_workbook(path)
    sheet, cell = names.locate(wb, "panel_report")
    assert wb[sheet][cell].value == text


def engine_values(a) -> dict[str, object]:
    """Every named result of an Assessment, exact: what each named cell must show after recalculation."""
    s = a.settlement
    values = {"total_score": a.panel.total, "grade": a.grade, "fee": s.fee, "deduction_rate": s.rate,
              "deduction_assessment": s.assessment, "deduction_crypto": s.crypto_penalty,
              "deduction_total": s.total, "payable": s.payable}
    values.update({f"panel_{r.item.id}": r.panel for r in a.panel.items})
    values.update({f"category_{k}": v for k, v in a.panel.categories.items()})
    return values


def notice_capitals(a) -> dict[str, str]:
    """The notice's amount rows (label -> named cell); a contract without 密评 labels its row 其他扣款 (R5)."""
    crypto = "密评未通过扣款（元）" if a.rubric.bound("crypto-assessment") else "其他扣款（元）"
    return {"当次服务费（元）": "fee", "考核扣款（元）": "deduction_assessment", crypto: "deduction_crypto",
            "扣款合计（元）": "deduction_total", "应付服务费（元）": "payable"}


def assert_recalculated_like_the_engine(recalculated: Path, a) -> None:
    """Every named cell equals the engine (scores exactly, money to the cent), and so does every 大写 on the
    notice and on the finance sheet's lines (issue 11)."""
    from fractions import Fraction

    from scoring.capitals import rmb_capitals
    values = named_values(recalculated)
    expected = engine_values(a)
    wrong = {}
    for name, want in expected.items():
        got = values[name]
        if isinstance(want, str):
            ok = got == want
        elif isinstance(want, Decimal):
            ok = cents(got) == want
        else:
            ok = abs(Fraction(got) - Fraction(want)) < Fraction(1, 10**9)
        if not ok:
            wrong[name] = (got, want)
    assert wrong == {}
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    notice = {row[0].value: row[2].value for row in wb["通知书"].iter_rows(min_col=1, max_col=3)}
    labels = notice_capitals(a)
    assert {label: notice[label] for label in labels} == {label: rmb_capitals(expected[name]) for label, name in labels.items()}
    ws = wb["扣款"]
    rows = range(15, 15 + len(a.settlement.lines))
    split = [[cents(ws.cell(r, c).value) for c in (6, 7, 8)] + [ws.cell(r, 9).value] for r in rows]
    assert split == [[l.amount, l.before_tax, l.tax, rmb_capitals(l.amount)] for l in a.settlement.lines]
    assert ws["C6"].value == a.contract.schedule.tier(a.panel.total).label  # the deduction tier follows too


def edit_and_recalculate(path: Path, tmp_path: Path, edit) -> Path:
    """`edit(workbook)` applied as a person would in a spreadsheet, then LibreOffice recalculates on load."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(edited)
    out = tmp_path / "out"
    out.mkdir()
    return convert(edited, "xlsx", out)


@needs_libreoffice
@pytest.mark.parametrize("fee", ["600000.00", "1.00", "123456.78", "582000.01", "99999999.99"])
def test_changing_fee_in_the_workbook_recomputes_every_amount_like_the_engine(demo, tmp_path, fee):
    from dataclasses import replace
    path, a = demo

    def edit(wb):
        sheet, cell = names.locate(wb, "fee")
        wb[sheet][cell].value = float(fee)
    recalculated = edit_and_recalculate(path, tmp_path, edit)
    expected = replace(a, settlement=settle(a.panel.total, Decimal(fee), CONTRACT.lines, a.settlement.crypto_penalty))
    assert_recalculated_like_the_engine(recalculated, expected)
    # 汇总's robustness rows: each scenario's total as generated, its deduction at the new fee (R4)
    ws = openpyxl.load_workbook(recalculated, data_only=True)["汇总"]
    shown = {row[0]: row[6] for row in ws.iter_rows(values_only=True) if row[0] in {sc.label for sc in a.scenarios}}
    assert {label: cents(value) for label, value in shown.items()} == \
        {sc.label: assessment_deduction(sc.total, Decimal(fee), CONTRACT.schedule) for sc in a.scenarios}


@needs_libreoffice
def test_correcting_one_experts_score_recomputes_panel_total_grade_and_money_like_the_engine(demo, tmp_path):
    """赵六's 运行报告 from 7 to 12 in 评分明细: the median becomes 11, the total 80.5, 良好, no deduction (R2.3-R4)."""
    from dataclasses import replace

    from scoring.assess import assess
    path, a = demo
    experts = [s.expert for s in a.sheets]
    item = [i.id for i in a.rubric.items].index("report")

    def edit(wb):
        wb["评分明细"].cell(4 + experts.index("赵六"), 3 + item).value = 12
    recalculated = edit_and_recalculate(path, tmp_path, edit)
    sheets = [replace(s, scores={**s.scores, "report": Decimal(12)}) if s.expert == "赵六" else s for s in a.sheets]
    b = assess(sheets, a.rubric, a.contract, a.period, a.policies, a.settlement.fee)
    assert (b.panel.total, b.grade, b.settlement.payable) == (Decimal("80.5"), "良好", Decimal("582000.00"))
    assert_recalculated_like_the_engine(recalculated, b)


@needs_libreoffice
@pytest.mark.parametrize("policy", ["item-median", "mean", "trimmed-mean", "total-median"])
def test_every_policy_recalculates_in_libreoffice_like_the_engine(tmp_path, policy):
    path = tmp_path / "s.xlsx"
    a = summarize([SAMPLE], path, evidence=EVIDENCE, policy=[f"aggregation={policy}"], fee="99999999.99")
    (tmp_path / "lo").mkdir()
    assert_recalculated_like_the_engine(convert(path, "xlsx", tmp_path / "lo"), a)


def formula_cells_unlike_their_recalculation(path: Path, recalculated: Path) -> dict[str, tuple]:
    """Every formula cell whose stored value differs from LibreOffice's recalculation of it: what a reader that
    does not calculate (pandas, openpyxl data_only, python-calamine) sees must be what the formula gives."""
    formulas = openpyxl.load_workbook(path)
    stored = openpyxl.load_workbook(path, data_only=True)
    again = openpyxl.load_workbook(recalculated, data_only=True)
    unlike = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                a, b = stored[ws.title][cell.coordinate].value, again[ws.title][cell.coordinate].value
                numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
                if not (a == b or (numbers and abs(Fraction(a) - Fraction(b)) < Fraction(1, 10**6))
                        or (a in (None, "") and b in (None, ""))):
                    unlike[f"{ws.title}!{cell.coordinate}"] = (a, b, cell.value[:60])
    return unlike


@needs_libreoffice
@pytest.mark.parametrize("fee, policy", [("600000.00", "item-median"), ("123456.78", "trimmed-mean"),
                                         ("123456.78", "total-median")])
def test_every_stored_formula_value_is_what_libreoffice_computes(tmp_path, fee, policy):
    """R4, R10: at fees whose proportional parts do not round to the whole (600,000.00: 206.19 + 2,020.62 +
    773.20 = 3,000.01), 扣款's 按比例 total stored 3,000.00 while its formula gives 3,000.01."""
    path = tmp_path / "s.xlsx"
    summarize([SAMPLE], path, evidence=EVIDENCE, policy=[f"aggregation={policy}"], fee=fee)
    (tmp_path / "lo").mkdir()
    assert formula_cells_unlike_their_recalculation(path, convert(path, "xlsx", tmp_path / "lo")) == {}


@needs_libreoffice
def test_a_half_cent_at_a_fee_of_tens_of_millions_rounds_up_in_libreoffice_as_in_the_engine(tmp_path):
    """R4: 84,051,641.25 x (80 - 68.4) / 100 = 9,749,990.385 -> 9,749,990.39. In binary 80 - 68.4 is
    11.599999999999994, which made the sheet's deduction 9,749,990.384999994 and LibreOffice printed .38 on
    the paper people sign while the engine, the JSON and verify said .39."""
    from tests.conftest import write_expert_workbook

    scores = {"report": 0.4, "drills": 0, "data_security": 0}  # 100 - 11.6 - 10 - 10 = 68.4 for each expert
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, scores)
    path = tmp_path / "s.xlsx"
    a = summarize([tmp_path], path, fee="84051641.25")
    assert (a.panel.total, a.settlement.assessment) == (Decimal("68.4"), Decimal("9749990.39"))
    (tmp_path / "lo").mkdir()
    assert_recalculated_like_the_engine(convert(path, "xlsx", tmp_path / "lo"), a)


@needs_libreoffice
def test_year_end_penalty_and_mean_policy_recompute_to_the_cent(tmp_path):
    from tests.conftest import write_evidence_workbook, write_expert_workbook
    # means: report 10/3, onsite 8.25, drills 2; crypto forced 0 (R5) -> total 77.583333...
    scores = [{"report": 2, "onsite": 8.25, "drills": 1, "crypto": 0}, {"report": 3, "onsite": 9, "drills": 2, "crypto": 0},
              {"report": 5, "onsite": 7.5, "drills": 3, "crypto": 0}]
    for expert, s in zip(("甲", "乙", "丙"), scores):
        write_expert_workbook(tmp_path, expert, s, period="2027H1")
    (tmp_path / "ev").mkdir()
    ev = write_evidence_workbook(tmp_path / "ev" / "ev.xlsx", period="2027H1")
    path = tmp_path / "s.xlsx"
    a = summarize([tmp_path], path, evidence=ev, fee="581999.99", policy=["aggregation=mean"])
    assert a.settlement.crypto_penalty == Decimal("20000.00")
    # 80 - 931/12 = 29/12 points; 581,999.99 x 29/1200 = 14,064.99975... -> 14,065.00
    assert a.settlement.assessment == Decimal("14065.00")
    values = named_values(convert(path, "xlsx", tmp_path / "ev"))
    s = a.settlement
    assert [cents(values[n]) for n in ("deduction_assessment", "deduction_crypto", "deduction_total", "payable")] \
        == [s.assessment, s.crypto_penalty, s.total, s.payable]


def test_golden_summary_matches_semantically(tmp_path):
    """Regenerate with `python -m tests.test_summary` after an intended change, and review the diff."""
    assert differences(make_golden(tmp_path / "summary.xlsx"), GOLDEN) == []


def make_golden(path: Path) -> Path:
    """The demo's summary with a fixed generation time and input places (the values that change between runs:
    the places are relative to where the summary is written)."""
    from unittest import mock

    import scoring.jobs.summarize as job
    import scoring.report as report

    original = report.summary_context
    fixed = lambda *args, **kwargs: original(*args, **{**kwargs, "generated": datetime(2027, 1, 10, 9, 30)})  # noqa: E731
    with mock.patch.object(report, "summary_context", fixed), \
            mock.patch.object(job, "places", lambda sources, out: [f"workbooks/{Path(s).name}" for s in sources]):
        summarize([SAMPLE], path, evidence=EVIDENCE)
    return path


def test_verify_agrees_then_catches_a_changed_score_and_a_changed_file(tmp_path, capsys):
    folder = tmp_path / "p"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", folder / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    code, out, _ = run(capsys, "verify", summary, folder)
    assert code == 0 and out.startswith("一致")

    sheet = folder / "2026H2_赵六.xlsx"
    wb = openpyxl.load_workbook(sheet)
    sn, cell = names.locate(wb, "score_report")
    wb[sn][cell].value = 12
    wb.save(sheet)
    code, out, _ = run(capsys, "verify", summary, folder)
    assert code == 1
    assert f"文件已修改：{sheet}（专家评分表" in out
    # what a secretary reads: labels, yuan with separators, a rate in per cent (was "payable：… 579090.0")
    assert "总分：汇总表为 79.5，按当前输入重新计算为 80.5\n" in out
    assert "应付服务费：汇总表为 579,090.00 元，按当前输入重新计算为 582,000.00 元\n" in out
    assert "扣款比例：汇总表为 0.5%，按当前输入重新计算为 0%" in out
    assert "“运行报告”小组得分：" in out and "None" not in out

    (folder / "2026H2_钱七.xlsx").unlink()
    code, out, _ = run(capsys, "verify", summary, folder)
    assert code == 1 and "缺少输入文件：2026H2_钱七.xlsx（专家评分表）（汇总时位于 p/2026H2_钱七.xlsx）" in out


def test_verify_says_when_a_changed_file_changes_no_result(tmp_path, capsys):
    """§5: evidence saved again by another program (bytes changed, content not) gave only "文件已修改", and the
    secretary could not tell whether the money was affected."""
    folder = tmp_path / "p"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    evidence = folder / "evidence" / "2026H2_证据材料.xlsx"
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", evidence, "--out", summary)[0] == 0
    openpyxl.load_workbook(evidence).save(evidence)  # the same tables, other bytes
    code, out, _ = run(capsys, "verify", summary, folder)
    assert code == 1 and f"文件已修改：{evidence}（证据材料" in out
    assert "SHA-256 与汇总表的记录不同）；按修改后的文件重新计算，各项得分和金额与汇总表相同" in out
    assert "共 1 处不一致" in out  # one change, one line


def test_verify_without_the_evidence_still_compares_every_score(tmp_path, capsys):
    """§5: the summary and the sheets moved, the evidence left behind: verify reported only the missing evidence,
    and a score typed over in 评分明细 showed up only once --evidence was given."""
    from tests.edit import patch, score_cell

    folder = tmp_path / "p"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", folder / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    moved = tmp_path / "归档"
    moved.mkdir()
    edited = patch(summary, score_cell(summary, "赵六", "report"), "3", moved / "summary.xlsx")
    (moved / "评分表").mkdir()
    for sheet in folder.glob("*.xlsx"):
        shutil.move(sheet, moved / "评分表" / sheet.name)
    shutil.rmtree(folder)  # the evidence with it
    code, out, _ = run(capsys, "verify", edited, moved / "评分表")
    assert code == 1 and "缺少输入文件：2026H2_证据材料.xlsx（证据材料）" in out
    place = "!".join(score_cell(summary, "赵六", "report"))
    assert f"{place}（赵六，运行报告）：评分表为 " in out and "汇总表中已改为 3" in out


def test_verify_names_a_changed_score_that_moves_no_median(tmp_path, capsys):
    """§5: a score lowered below the median leaves every figure as it was; verify said the file had "only been
    saved again", though 评分明细 no longer shows the expert's score."""
    from scoring.excel.reader import read_expert_workbook

    folder = tmp_path / "p"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", folder / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    sheets = {p: read_expert_workbook(p, RUBRIC)[0] for p in sorted(folder.glob("*.xlsx"))}
    item = next(i for i in RUBRIC.items if len({s.scores[i.id] for s in sheets.values()}) > 1)
    low = sorted(s.scores[item.id] for s in sheets.values())[0]
    path, sheet = next((p, s) for p, s in sheets.items() if s.scores[item.id] == low and low > 0)
    wb = openpyxl.load_workbook(path)
    where, cell = names.locate(wb, f"score_{item.id}")
    wb[where][cell].value = 0  # the lowest of five: the median stays
    wb.save(path)
    code, out, _ = run(capsys, "verify", summary, folder)
    assert code == 1 and f"（{sheet.expert}，{item.name}）：汇总表为 {low}，评分表现为 0" in out
    assert "可能只是被另存过" not in out


@needs_libreoffice
def test_verify_says_the_pdf_beside_an_edited_summary_lacks_the_edit(tmp_path, capsys):
    """§5: finance typed another fee into the summary; verify named the cell but not the PDF beside it, which
    still prints 582,000.00 for signing."""
    from tests.edit import named_cell, patch

    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary, "--pdf")[0] == 0
    edited = patch(summary, named_cell(summary, "fee"), "600000", tmp_path / "edited.xlsx")
    edited.replace(summary)  # typed into the summary itself, the PDF beside it printed before
    code, out, _ = run(capsys, "verify", summary, SAMPLE)
    assert code == 1 and "（fee，当次服务费）：生成时为 582,000.00 元，汇总表中已改为 600,000.00 元" in out
    assert f"{summary.with_suffix('.pdf')} 打印自修改前的汇总表，不含上列修改：请勿用于签字" in out


def test_verify_checks_the_file_where_the_audit_recorded_it(tmp_path, capsys):
    """§5: an unchanged copy of a sheet elsewhere under the summary's folder (a backup, another panel) hid the
    changed sheet of the panel: the audit records each input's place and verify checks that file first."""
    folder, backup = tmp_path / "p", tmp_path / "备份"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    shutil.copytree(folder, backup)
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", folder / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    audit = {r[1]: r[3] for r in openpyxl.load_workbook(summary)["审计"].iter_rows(values_only=True) if r[0]}
    assert audit["2026H2_赵六.xlsx"] == "p/2026H2_赵六.xlsx" and audit["2026H2_证据材料.xlsx"] == "p/evidence/2026H2_证据材料.xlsx"
    assert audit["contract-hebi-backup-2026.toml"] == "（程序内置）"  # the contract and rubric rows (§5)
    sheet = folder / "2026H2_赵六.xlsx"
    wb = openpyxl.load_workbook(sheet)
    sn, cell = names.locate(wb, "score_report")
    wb[sn][cell].value = 12
    wb.save(sheet)
    for given in ([], [folder, backup], [tmp_path]):  # however the folders are given, the backup hides nothing
        code, out, _ = run(capsys, "verify", summary, *given)
        assert code == 1 and f"文件已修改：{sheet}（专家评分表" in out, given


def test_verify_finds_inputs_at_their_places_whatever_folder_is_given(tmp_path, capsys):
    """Panel, evidence and summary in three folders: `verify 汇总/… 评分表/` reported the evidence missing; a
    summary named summary.xlsx in the panel folder was taken for the built-in template."""
    panel, evidence, out = tmp_path / "评分表", tmp_path / "证据", tmp_path / "汇总"
    shutil.copytree(SAMPLE, panel, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting",
                                                                   "evidence"))
    evidence.mkdir()
    out.mkdir()
    shutil.copy(EVIDENCE, evidence)
    assert run(capsys, "summarize", panel, "--evidence", evidence / EVIDENCE.name, "--out", out / "s.xlsx")[0] == 0
    code, text, err = run(capsys, "verify", out / "s.xlsx", panel)
    assert code == 0 and text.startswith("一致"), text + err
    assert run(capsys, "summarize", panel, "--evidence", evidence / EVIDENCE.name, "--out", panel / "summary.xlsx")[0] == 0
    code, text, err = run(capsys, "verify", panel / "summary.xlsx", panel)
    assert code == 0 and text.startswith("一致"), text + err


def test_verify_refuses_evidence_for_a_summary_made_without(tmp_path, capsys):
    summary = tmp_path / "s.xlsx"
    summarize([SAMPLE], summary)
    code, out, err = run(capsys, "verify", summary, SAMPLE, "--evidence", EVIDENCE)
    assert code == 2 and not out and "生成时没有使用证据材料" in err


def test_verify_shows_repeating_decimals_to_six_places():
    """A float of 244/3 is what the workbook stores; finance read 81.33333333333333 and 1.8333333333333333%."""
    from scoring.recorded import shown as _shown

    assert _shown("total_score", 81.33333333333333) == "81.333333"
    assert _shown("deduction_rate", 0.018333333333333333) == "1.833333%"
    assert _shown("deduction_rate", 0.005) == "0.5%" and _shown("payable", 579090.0) == "579,090.00 元"
    assert _shown("grade", None) == "（空）" and _shown("panel_report", 9.5) == "9.5"


def test_verify_takes_moved_evidence_with_its_option(tmp_path, capsys):
    """Evidence moved after the summary: the finding says where it was and how to give it (--evidence)."""
    folder = tmp_path / "p"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", folder / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    moved = tmp_path.parent / f"{tmp_path.name}-证据.xlsx"
    (folder / "evidence" / "2026H2_证据材料.xlsx").rename(moved)
    code, out, _ = run(capsys, "verify", summary)
    assert code == 1 and "缺少输入文件：2026H2_证据材料.xlsx（证据材料）（汇总时位于 p/evidence/2026H2_证据材料.xlsx）" in out
    assert "--evidence 证据材料.xlsx" in out
    code, out, err = run(capsys, "verify", summary, "--evidence", moved)
    assert code == 0 and out.startswith("一致"), out + err


def test_verify_takes_the_recorded_copy_of_sheets_found_twice(tmp_path, capsys):
    """README step 2a leaves 评分表/ and 评分表_更新/ side by side with the same file names: verify with no folder
    looks under the summary's folder and takes, of each name, the file with the SHA-256 the audit recorded."""
    old, new = tmp_path / "a_评分表", tmp_path / "b_评分表_更新"
    shutil.copytree(SAMPLE, new, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    shutil.copytree(new, old)
    wb = openpyxl.load_workbook(old / "2026H2_赵六.xlsx")  # the sheet as first sent: another score
    sheet, cell = names.locate(wb, "score_report")
    wb[sheet][cell].value = 3
    wb.save(old / "2026H2_赵六.xlsx")
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", new, "--evidence", new / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    code, out, err = run(capsys, "verify", summary)
    assert code == 0 and out.startswith("一致"), out + err


def test_verify_reports_a_sheet_changed_to_an_invalid_score_as_changed(tmp_path, capsys):
    """A sheet edited after the summary to a score out of range is a finding (exit 1, 文件已修改), with the reason
    it cannot be recomputed; not a refusal of the input (exit 2) that hides the change."""
    folder = tmp_path / "p"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    summary = tmp_path / "summary.xlsx"
    assert run(capsys, "summarize", folder, "--evidence", folder / "evidence" / "2026H2_证据材料.xlsx",
               "--out", summary)[0] == 0
    sheet = folder / "2026H2_赵六.xlsx"
    wb = openpyxl.load_workbook(sheet)
    sn, cell = names.locate(wb, "score_report")
    wb[sn][cell].value = 99
    wb.save(sheet)
    code, out, _ = run(capsys, "verify", summary, folder)
    assert code == 1
    assert f"文件已修改：{sheet}（专家评分表" in out
    assert f"修改后的输入无法重新计算：{sheet}!评分表!{cell}: " in out and "99" in out


def test_verify_catches_a_number_changed_in_the_summary(tmp_path, capsys):
    summary = tmp_path / "summary.xlsx"
    summarize([SAMPLE], summary, evidence=EVIDENCE)
    wb = openpyxl.load_workbook(summary)
    sheet, cell = names.locate(wb, "panel_onsite")
    wb[sheet][cell].value = 12
    wb.save(summary)
    code, out, _ = run(capsys, "verify", summary, SAMPLE)
    assert code == 1 and "“驻场服务”小组得分：汇总表为 12，按当前输入重新计算为 11" in out


@needs_libreoffice
def test_pdf_is_written_beside_the_summary(tmp_path, capsys):
    code, out, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx", "--pdf")
    assert code == 0, err
    pdf = tmp_path / "s.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_pdf_without_libreoffice_says_so_and_keeps_the_workbook(tmp_path, capsys, monkeypatch):
    import scoring.excel.libreoffice as lo
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    code, out, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx", "--pdf")
    assert code == 1 and "未安装 LibreOffice" in err
    assert (tmp_path / "s.xlsx").exists() and not (tmp_path / "s.pdf").exists()


def test_a_restyled_template_is_rendered(tmp_path, capsys):
    from scoring.excel.summary import default_template
    template = tmp_path / "mine.xlsx"
    wb = openpyxl.load_workbook(default_template())
    wb["汇总"]["A1"].value = "数据备份服务考核结果 {{ period.code }}"  # restyled: new title, font, width
    wb["汇总"]["A1"].font = openpyxl.styles.Font(name="仿宋", size=20)
    wb["汇总"].column_dimensions["J"].width = 60
    wb.save(template)
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx",
                       "--template", template)
    assert code == 0, err
    out = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert out["汇总"]["A1"].value == "数据备份服务考核结果 2026H2"
    assert out["汇总"]["A1"].font.name == "仿宋" and out["汇总"].column_dimensions["J"].width == 60
    assert named_values(tmp_path / "s.xlsx")["payable"] == 579090


def test_a_template_with_an_unknown_variable_is_refused_naming_the_cell(tmp_path, capsys):
    from scoring.excel.summary import default_template
    template = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(default_template())
    wb["签字"]["A2"].value = "{{ chairman }}"
    wb.save(template)
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx",
                       "--template", template)
    assert code == 2 and f"{template}!签字!A2: 模板使用了未提供的变量“chairman”" in err
    assert not (tmp_path / "s.xlsx").exists()


def test_history_adds_a_trend_chart(tmp_path, capsys):
    # the history must come before the current period (scoring/history.py): 2026H2 before a 2027H1 panel
    from tests.year_data import H1_SCORES, panel

    first = tmp_path / "first.xlsx"
    summarize([SAMPLE], first, evidence=EVIDENCE)
    folder, evidence = panel(tmp_path / "h1", "2027H1", H1_SCORES)
    code, _, err = run(capsys, "summarize", folder, "--evidence", evidence, "--out", tmp_path / "s.xlsx",
                       "--history", first)
    assert code == 0, err
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["图表"]
    # openpyxl does not read charts back: check the chart's data block
    assert [ws.cell(r, 1).value for r in range(8, 11)] == ["考核期", "2026H2", "2027H1"]


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    make_golden(GOLDEN)
    print(f"wrote {GOLDEN}")


@needs_libreoffice
def test_late_payment_lines_from_the_command_line_recompute_like_the_engine(tmp_path, capsys):
    # payable 579,090.00; paid 35 days late: 579,090.00 x 0.05 % x 35 = 10,134.075 -> 10,134.08; over 30 days
    code, out, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx",
                         "--payment", "2027-04-01", "2027-05-06")
    assert code == 0, err
    assert ("付款：到期日 2027-04-01，付款日 2027-05-06，逾期 35 天，逾期付款违约金 10,134.08 元；"
            "逾期 30 日及以上，乙方有权解除合同") in out  # on screen too, not only on 扣款
    values = named_values(tmp_path / "s.xlsx")
    assert values["late_days"] == 35 and cents(values["late_interest"]) == Decimal("10134.08")
    (tmp_path / "lo").mkdir()
    recalculated = named_values(convert(tmp_path / "s.xlsx", "xlsx", tmp_path / "lo"))
    assert recalculated["late_days"] == 35 and cents(recalculated["late_interest"]) == Decimal("10134.08")


def test_r10_late_payment_in_json_and_thirty_days_give_the_right_to_terminate(tmp_path, capsys):
    import json

    # R10: paid exactly 30 days late (2027-04-01 -> 2027-05-01): 逾期三十日以上 includes 30 (Civil Code Art. 1259)
    code, out, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx",
                         "--payment", "2027-04-01", "2027-05-01", "--json")
    assert code == 0, err
    late = json.loads(out)["late_payment"]
    # 579,090.00 x 0.05 % x 30 = 8,686.35
    assert late == {"due": "2027-04-01", "paid": "2027-05-01", "days": 30, "interest": "8686.35",
                    "may_terminate": True}
    assert named_values(tmp_path / "s.xlsx")["late_days"] == 30


def test_history_reads_the_earlier_values_not_their_formulas(tmp_path):
    from scoring.history import read_history
    first = tmp_path / "first.xlsx"
    summarize([SAMPLE], first, evidence=EVIDENCE)
    results, problems = read_history([first], CONTRACT, RUBRIC)
    assert problems == [] and [(r.record.period, r.total, r.deduction_total) for r in results] == \
        [("2026H2", Fraction(159, 2), Decimal("2910.00"))]


@pytest.mark.parametrize("data", ["专家,得分\n张三,10\n".encode("utf-8"), "专家,得分\n张三,10\n".encode("gb18030"),
                                  ("说明," * 200).encode("utf-8"),  # a character cut at the end of the sample
                                  "专家\t得分\n张三\t10\n".encode("utf-16")])  # Excel's "Unicode 文本" (UTF-16, BOM)
def test_a_chinese_csv_renamed_xlsx_is_called_text(tmp_path, data):
    """A CSV that Chinese Excel or WPS saved (GB18030, or UTF-8 without a BOM) was "不是 Excel 工作簿" only."""
    from scoring.excel.preflight import check_file

    bad = tmp_path / "2026H2_张三.xlsx"
    bad.write_bytes(data)
    assert check_file(bad).startswith("这是文本文件（如 CSV）")
    (tmp_path / "b.xlsx").write_bytes(bytes(range(256)))
    assert check_file(tmp_path / "b.xlsx") == "不是 Excel 工作簿（.xlsx）文件"
    # a PDF whose header and first objects are plain text (GB18030 reads its binary comment as two characters)
    (tmp_path / "c.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert check_file(tmp_path / "c.xlsx") == "不是 Excel 工作簿（.xlsx）文件"


def test_verify_and_templates_go_through_the_pre_flight_check(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "verify", bad)
    assert code == 2 and f"{bad}: 这是文本文件（如 CSV）" in err
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx",
                       "--template", bad)
    assert code == 2 and f"{bad}: 这是文本文件（如 CSV）" in err and not (tmp_path / "s.xlsx").exists()
    summary = tmp_path / "s2.xlsx"  # a good summary renamed .ods was "工作簿内容损坏"
    summarize([SAMPLE], summary, evidence=EVIDENCE)
    renamed = summary.rename(tmp_path / "汇总.ods")
    code, _, err = run(capsys, "verify", renamed)
    assert code == 2 and f"{renamed}: 文件扩展名不是 .xlsx" in err


# A method of another shape (issue 13 part 3): the second contract shipped under workbooks/hosting, 14 items in
# 5 categories with ids the embedded rubric does not use.
HOSTING = ROOT / "workbooks" / "hosting"
HOSTING_CONTRACT = HOSTING / "contract-hosting-2026.toml"


def test_a_method_of_another_shape_gets_a_named_cell_for_every_item_and_category(tmp_path):
    from scoring.rubric import load_rubric
    rubric, _ = load_rubric(HOSTING / "rubric-hosting-2026.toml")
    assert (len(rubric.items), len(rubric.categories)) == (14, 5)
    path = tmp_path / "s.xlsx"
    a = summarize([HOSTING / "panel"], path, contract_path=HOSTING_CONTRACT)
    values = named_values(path)
    assert {k for k in values if k.startswith(("panel_", "category_"))} == \
        {f"panel_{i.id}" for i in rubric.items} | {f"category_{c.id}" for c in rubric.categories}
    from fractions import Fraction
    assert a.panel.total == sum(a.panel.categories.values())
    assert abs(Fraction(values["total_score"]) - a.panel.total) < Fraction(1, 10**9)
    detail = openpyxl.load_workbook(path)["评分明细"]
    assert [detail.cell(2, c).value for c in range(3, 17)] == [i.name for i in rubric.items]
    assert detail.cell(2, 17).value is None
    evidence = {c.value for row in openpyxl.load_workbook(path)["证据"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {"需求函（R7：收到后 2 个工作日内答复，收到当天不计，按法定节假日和调休）", "故障（R8：15 分钟响应、2 小时到场、8 小时排除）",
            "运行月报（R9：次月 10 日前提交）"} <= evidence  # the hosting method's limits, not the embedded ones


@needs_libreoffice
def test_a_restyled_template_resaved_by_libreoffice_renders_another_shape_that_recalculates_like_the_engine(tmp_path):
    """The secretary restyles the template and saves it with LibreOffice; it still works for any rubric."""
    from scoring.excel.summary import default_template
    restyled = tmp_path / "mine.xlsx"
    wb = openpyxl.load_workbook(default_template())
    wb["汇总"]["A1"].font = openpyxl.styles.Font(name="仿宋", size=20)
    wb["评分明细"].column_dimensions["C"].width = 12
    wb.save(restyled)
    (tmp_path / "lo").mkdir()
    resaved = convert(restyled, "xlsx", tmp_path / "lo")
    path = tmp_path / "s.xlsx"
    a = summarize([HOSTING / "panel"], path, contract_path=HOSTING_CONTRACT, template=resaved, fee="99999999.99")
    assert openpyxl.load_workbook(path)["评分明细"].column_dimensions["P"].width == 12
    (tmp_path / "lo2").mkdir()
    assert_recalculated_like_the_engine(convert(path, "xlsx", tmp_path / "lo2"), a)


@needs_libreoffice
@pytest.mark.parametrize("fee", [None, "123456.78"])
def test_the_second_contracts_schedule_and_grades_recalculate_like_the_engine(tmp_path, fee):
    """workbooks/hosting: 14 items in 5 categories, tiers 85 / 70 / 60 with flat 15 % and 30 %, other grade bands."""
    from dataclasses import replace

    from scoring.contract import load_contract
    contract = HOSTING_CONTRACT
    evidence = next((HOSTING / "panel" / "evidence").glob("*.xlsx"))
    path = tmp_path / "s.xlsx"
    a = summarize([HOSTING / "panel"], path, evidence=evidence, contract_path=contract)
    wb = openpyxl.load_workbook(path)
    sheet, cell = names.locate(wb, "deduction_rate")
    assert "85-1E-9" in wb[sheet][cell].value  # the contract's schedule, not the embedded one
    if fee:
        def edit(book):
            s, c = names.locate(book, "fee")
            book[s][c].value = float(fee)
        recalculated = edit_and_recalculate(path, tmp_path / "fee", edit)
        terms = load_contract(contract)
        a = replace(a, settlement=settle(a.panel.total, Decimal(fee), terms.lines, a.settlement.crypto_penalty,
                                         terms.schedule))
    else:
        (tmp_path / "lo").mkdir()
        recalculated = convert(path, "xlsx", tmp_path / "lo")
    assert_recalculated_like_the_engine(recalculated, a)


@needs_libreoffice
@pytest.mark.parametrize("bounds, grade", [("lower-bound-inclusive", "良好"), ("upper-bound-inclusive", "合格")])
def test_a_total_of_exactly_80_from_decimal_scores_is_graded_like_the_engine_after_recalculation(tmp_path, bounds, grade):
    """R3, R4 at the boundary: 80.00 summed from two-decimal scores is 79.99999999999999 in binary floating
    point. LibreOffice compares approximately; the formulas' 1E-9 margin gives the same band where a
    comparison is exact. Either way the grade is the engine's and there is no deduction."""
    from tests.conftest import write_expert_workbook
    scores = {"report": 11.93, "platform": 4.51, "onsite": 11.57, "policies": 3.25, "availability": 5.21,
              "incidents": 5.43, "response": 7.09, "drills": 8.71, "mlps": 3.54, "crypto": 1.51, "data_security": 7.73,
              "satisfaction": 1.75, "training": 7.77}
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, scores)
    path = tmp_path / "s.xlsx"
    a = summarize([tmp_path], path, policy=[f"grade_bounds={bounds}"])
    assert (a.panel.total, a.grade, a.settlement.total) == (80, grade, Decimal("0.00"))
    def spreadsheet_sum(values):  # left to right, as SUM does (Python 3.12's sum() compensates: 80.0)
        total = 0.0
        for value in values:
            total += value
        return total

    categories = [spreadsheet_sum(float(scores[i.id]) for i in c.items) for c in a.rubric.categories]
    assert spreadsheet_sum(categories) == 79.99999999999999  # what SUM(category_...) gives in binary floating point
    (tmp_path / "lo").mkdir()
    assert_recalculated_like_the_engine(convert(path, "xlsx", tmp_path / "lo"), a)


def right_edges(path: Path, sheet: str) -> dict[str, str | None]:
    """The right border style of every cell as stored in the sheet's XML (openpyxl cannot tell: on loading it
    copies a merged range's border onto the range's other cells)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get(rel) for s in book.iter(f"{main}sheet") if s.get("name") == sheet)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        part = re.sub(r"^/?(xl/)?", "xl/", target)
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        borders = [b.find(f"{main}right") for b in styles.find(f"{main}borders")]
        xfs = [int(x.get("borderId") or 0) for x in styles.find(f"{main}cellXfs")]
        cells = ElementTree.fromstring(z.read(part)).iter(f"{main}c")
        edges = {c.get("r"): borders[xfs[int(c.get("s") or 0)]] for c in cells}
        return {ref: None if edge is None else edge.get("style") for ref, edge in edges.items()}  # None: no <right>


def test_bordered_merged_cells_are_closed_on_every_side(tmp_path):
    """What people sign: 签字's 异议及理由 (E:F) and 通知书's 大写 (C:D) printed open on the right, since a merged
    range's right edge is drawn from its last cell, which had no border."""
    path = tmp_path / "s.xlsx"
    summarize([SAMPLE], path, evidence=EVIDENCE)
    sign, notice = right_edges(path, "签字"), right_edges(path, "通知书")
    assert [sign.get(f"F{row}") for row in range(5, 11) if f"F{row}" in sign][:6] == ["thin"] * 6  # header, 5 experts
    assert [notice.get(f"D{row}") for row in range(6, 15)] == ["thin"] * 9


def test_verify_finds_a_custom_template_at_its_place_and_never_takes_a_file_for_the_built_in(tmp_path, capsys):
    """§5: a restyled template in another folder was "缺少输入文件"; an older summary named summary.xlsx beside
    the panel was taken for the built-in template ("文件已修改…（模板"). """
    from scoring.excel.summary import default_template

    panel, styles = tmp_path / "评分表", tmp_path / "模板"
    shutil.copytree(SAMPLE, panel, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    styles.mkdir()
    shutil.copy(default_template(), styles / "我的模板.xlsx")
    evidence = panel / "evidence" / "2026H2_证据材料.xlsx"
    assert run(capsys, "summarize", panel, "--evidence", evidence, "--out", tmp_path / "s.xlsx",
               "--template", styles / "我的模板.xlsx")[0] == 0
    code, out, err = run(capsys, "verify", tmp_path / "s.xlsx")
    assert code == 0 and out.startswith("一致"), out + err
    assert run(capsys, "summarize", panel, "--evidence", evidence, "--out", panel / "summary.xlsx")[0] == 0
    assert run(capsys, "summarize", panel, "--evidence", evidence, "--out", panel / "汇总v2.xlsx")[0] == 0
    code, out, err = run(capsys, "verify", panel / "汇总v2.xlsx", panel)
    assert code == 0 and out.startswith("一致"), out + err
