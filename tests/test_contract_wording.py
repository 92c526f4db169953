"""Every generated text cites the clauses of the contract in use ([clauses] of the contract data), never the
embedded contract's: the expert sheet and the notices cite where the assessment method is (附件 2 in Hebi's
contract, R1), the rectification notice its quality-evaluation clause (第五条, contract 五), the trend warning
its termination clause (第十三条第 3 款, R4), the 密评 question its own penalty (R5)."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from scoring.contract import Clauses, contract_from_dict, default_contract
from scoring.errors import ContractError
from scoring.jobs.common import load_contract
from scoring.period import parse_period
from scoring.tomlfile import packaged_toml

ROOT = Path(__file__).resolve().parents[1]
HOSTING = ROOT / "workbooks" / "hosting"
HOSTING_CONTRACT = HOSTING / "contract-hosting-2026.toml"
HEBI_PANEL = ROOT / "workbooks"
HEBI_EVIDENCE = ROOT / "workbooks" / "evidence" / "2026H2_证据材料.xlsx"
HOSTING_EVIDENCE = HOSTING / "panel" / "evidence" / "2026H1_证据材料.xlsx"

# (contract file or None for the embedded one, assessment, evaluation, termination, a period of its year)
CASES = {
    "hebi": (None, "附件 2", "第五条", "第十三条第 3 款", ("2026H2", "2027H1")),
    "hosting": (HOSTING_CONTRACT, "附件 3", "第七条", "第十二条第 2 款", ("2026H1", "2026H2")),
}
OTHER = {"hebi": "hosting", "hosting": "hebi"}


def contract_of(case: str):
    return load_contract(CASES[case][0])


def test_the_clauses_are_contract_data_with_the_embedded_contracts_as_defaults():
    """§5: [clauses] is optional; a contract without it cites the embedded contract's clause numbers."""
    assert default_contract().clauses == Clauses("附件 2", "第五条", "第十三条第 3 款")
    assert load_contract(HOSTING_CONTRACT)[0].clauses == Clauses("附件 3", "第七条", "第十二条第 2 款")
    data = packaged_toml("contract-hebi-backup-2026.toml")
    without = {k: v for k, v in data.items() if k != "clauses"}
    assert contract_from_dict(without).clauses == Clauses("附件 2", "第五条", "第十三条第 3 款")
    partial = {**without, "clauses": {"termination": "第九条"}}
    assert contract_from_dict(partial).clauses == Clauses("附件 2", "第五条", "第九条")


def test_a_mistyped_clause_key_names_the_nearest_one():
    data = {**packaged_toml("contract-hebi-backup-2026.toml"), "clauses": {"terminaton": "第九条"}}
    with pytest.raises(ContractError) as caught:
        contract_from_dict(data, source="c.toml")
    assert [(p.code, p.place) for p in caught.value.problems] == [("E-DATA-KEY", "c.toml:clauses.terminaton")]
    assert "termination" in caught.value.problems[0].message


def test_the_contract_data_documentation_lists_the_clauses():
    text = (ROOT / "docs" / "contract-data.md").read_text(encoding="utf-8")
    for key in ("clauses.assessment", "clauses.evaluation", "clauses.termination"):
        assert f"`{key}`" in text


@pytest.mark.parametrize("case", CASES)
def test_the_expert_sheet_cites_its_contracts_assessment_annex(case):
    from scoring.excel.expert_sheet import build_expert_workbook

    contract, rubric, _ = contract_of(case)
    wb = build_expert_workbook(rubric, contract, parse_period(CASES[case][4][0]), "张三")
    text = wb["评分表"]["A2"].value
    assert text == f"依据：合同{CASES[case][1]}《{rubric.title}》，百分制"
    assert CASES[OTHER[case]][1] not in text


@pytest.mark.parametrize("case", CASES)
def test_the_rectification_notice_cites_its_contracts_clauses(case):
    from scoring.excel.rectification_sheet import build_notice_workbook
    from scoring.rectification import Notice, RectificationItem

    contract, rubric, _ = contract_of(case)
    item = rubric.items[0]
    notice = Notice(contract.id, CASES[case][4][0], (RectificationItem(item.id, item.name, Fraction(1), item.points),),
                    contract.deadlines.rectification_working_days)
    wb = openpyxl.load_workbook(io.BytesIO(build_notice_workbook(notice, contract, rubric, Decimal("0.6"))))
    text = wb["整改通知书"]["A4"].value
    _, annex, clause, _, _ = CASES[case]
    assert text.startswith(f"根据合同{clause}及{annex}《{rubric.title}》")
    other = CASES[OTHER[case]]
    assert other[1] not in text and other[2] not in text


@pytest.mark.parametrize("case", CASES)
def test_the_trend_warning_cites_its_contracts_termination_clause(case):
    """Two adjacent periods below the first deduction bound (80 in Hebi's contract, 85 in the hosting one)."""
    from scoring.history import trend

    contract, _, _ = contract_of(case)
    before, current = CASES[case][4]
    record = SimpleNamespace(period=before, rubric_version="v", source="old.xlsx", place=lambda name: {})
    earlier = SimpleNamespace(record=record, total=Fraction(70), deduction_total=Decimal("1.00"))
    _, problems, warnings = trend([earlier], contract, current, Fraction(69), Decimal("2.00"))
    assert problems == [] and len(warnings) == 1
    assert warnings[0].endswith(f"请对照合同{CASES[case][3]}（甲方解除合同的条件）")
    assert CASES[OTHER[case]][3] not in warnings[0]


@pytest.mark.parametrize("case", CASES)
def test_the_deduction_notice_cites_its_contracts_assessment_annex(case, tmp_path):
    from scoring.jobs.summarize import summarize

    contract, rubric, _ = contract_of(case)
    panel, evidence = (HEBI_PANEL, HEBI_EVIDENCE) if case == "hebi" else (HOSTING / "panel", HOSTING_EVIDENCE)
    out = tmp_path / "s.xlsx"
    summarize([panel], out, evidence=evidence, contract_path=CASES[case][0])
    text = openpyxl.load_workbook(out)["通知书"]["A4"].value
    assert text.startswith(f"根据合同{CASES[case][1]}《{rubric.title}》，经专家组考核")
    assert CASES[OTHER[case]][1] not in text


@pytest.mark.parametrize(("penalty", "expected"), [
    (Decimal("20000.00"), "另扣服务费 20,000.00 元，R5）"),
    (Decimal("1234567.50"), "另扣服务费 1,234,567.50 元，R5）"),
    (Decimal("0.00"), "（年终考核仍未通过：密评 0 分，R5）"),
    (None, "并按合同另扣服务费，R5）"),
])
def test_the_blank_crypto_question_quotes_the_contracts_own_penalty(penalty, expected):
    """R5: the penalty is contract data (crypto_penalty); the hosting contract has none."""
    from scoring.excel.evidence_reader import flag_why

    assert flag_why("crypto_passed", penalty).endswith(expected)
    assert flag_why("mlps_certified", penalty) == ""


def test_a_blank_crypto_cell_read_under_the_hosting_contract_quotes_no_hebi_amount(tmp_path):
    from scoring.excel import names
    from scoring.excel.evidence_reader import read_evidence

    path = tmp_path / "ev.xlsx"
    wb = openpyxl.load_workbook(HOSTING_EVIDENCE)
    sheet, cell = names.locate(wb, "crypto_passed")
    wb[sheet][cell].value = None
    wb.save(path)
    contract = load_contract(HOSTING_CONTRACT)[0]
    _, problems = read_evidence(path, contract.crypto_penalty)
    blank = [p for p in problems if p.code == "E-EVIDENCE-BLANK"]
    assert len(blank) == 1 and blank[0].cell == cell
    assert "20,000" not in blank[0].message and blank[0].message.endswith("密评 0 分，R5）")
    _, problems = read_evidence(path, default_contract().crypto_penalty)
    assert "另扣服务费 20,000.00 元" in [p for p in problems if p.code == "E-EVIDENCE-BLANK"][0].message


def test_the_excel_function_descriptions_are_contract_neutral():
    """xlwings' @arg docs are static: they cannot quote one contract's penalty or item count."""
    text = (ROOT / "addin" / "udfs.py").read_text(encoding="utf-8")
    assert "20,000" not in text and "20000" not in text and "13 行" not in text
    assert "按合同另加密评扣款" in text and "每个分项一行" in text


@pytest.mark.parametrize("case", CASES)
def test_the_rectification_outcome_sheet_cites_its_contracts_clause_and_period(case):
    from scoring.excel.rectification_sheet import add_outcome_sheet

    contract, _, _ = contract_of(case)
    wb = openpyxl.Workbook()
    add_outcome_sheet(wb, [], contract.deadlines.rectification_working_days, contract.clauses.evaluation)
    days = contract.deadlines.rectification_working_days
    assert wb["整改情况"]["A1"].value == f"上期整改通知的整改情况（合同{CASES[case][2]}：接到通知后 {days} 个工作日内整改完成）"


@pytest.mark.parametrize(("case", "tail"), [("hebi", "密评不得分，另扣服务费 20,000.00 元。"), ("hosting", "密评不得分。")])
def test_the_evidence_workbook_states_its_contracts_crypto_penalty(case, tail):
    """R5: the hosting contract has no 密评 penalty; the evidence template said 2 万元 for every contract."""
    from scoring.excel.evidence_sheet import build_evidence_workbook

    contract, _, _ = contract_of(case)
    wb = build_evidence_workbook(contract, parse_period(CASES[case][4][0]))
    remarks = [c.value for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    (remark,) = [r for r in remarks if r.startswith("已取得密码安全评估")]
    assert remark.endswith(tail) and ("万元" not in remark)
