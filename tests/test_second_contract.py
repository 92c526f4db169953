"""A second, differently shaped contract (workbooks/hosting/, hypothetical): 14 items in 5 categories,
trimmed-mean aggregation, deduction tiers at 85/70/60, other availability bands and deadlines. It runs
new-panel -> fill -> summarize -> verify through the same paths as the embedded contract (R1-R10 as data)."""

from __future__ import annotations

import importlib.util
from datetime import datetime
import json
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from scoring.cli import main
from scoring.errors import ContractError
from scoring.excel import names
from scoring.jobs.common import load_contract

ROOT = Path(__file__).resolve().parents[1]
HOSTING = ROOT / "workbooks" / "hosting"
CONTRACT = HOSTING / "contract-hosting-2026.toml"
EVIDENCE = HOSTING / "panel" / "evidence" / "2026H1_证据材料.xlsx"


def sample_scores() -> dict[str, tuple[str, ...]]:
    spec = importlib.util.spec_from_file_location("make_hosting_sample", ROOT / "scripts" / "make_hosting_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SCORES


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def rubric():
    return load_contract(CONTRACT)[1]


def test_the_second_contract_is_differently_shaped(rubric):
    contract, _, _ = load_contract(CONTRACT)
    assert (len(rubric.items), len(rubric.categories)) == (14, 5)
    assert contract.schedule.bounds == (85, 70, 60) and contract.grades.bands[-1].min == 70
    assert contract.period_fee == 1200000


def test_new_panel_fill_summarize_verify_end_to_end(tmp_path, capsys, rubric):
    code, out, err = run(capsys, "new-panel", "--period", "2026H1", "--experts", ",".join(sample_scores()),
                         "--evidence", EVIDENCE, "--contract", CONTRACT, "--out", tmp_path / "p")
    assert code == 0, err
    for expert, scores in sample_scores().items():
        path = tmp_path / "p" / f"2026H1_{expert}.xlsx"
        wb = openpyxl.load_workbook(path)
        assert wb["评分表"][names.locate(wb, "contract_id")[1]].value == "demo-hosting-2026"
        for item, text in zip(rubric.items, scores, strict=True):
            sheet, cell = names.locate(wb, names.score_name(item.id))
            if wb[sheet][cell].value is None:  # fixed items (R7, R8 leaks) are pre-filled
                wb[sheet][cell].value = float(text)
        wb.save(path)
    shutil.copyfile(EVIDENCE, tmp_path / "evidence.xlsx")
    code, out, err = run(capsys, "summarize", tmp_path / "p", "--evidence", tmp_path / "evidence.xlsx",
                         "--contract", CONTRACT, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["contract"] == "demo-hosting-2026" and r["policies"]["aggregation"] == "trimmed-mean"
    assert list(r["items"]) == [i.id for i in rubric.items]
    # hand-derived: each item the mean of its middle three scores (trimmed-mean, R2.3)
    assert r["items"]["compute"]["panel"] == "6.833333333333333333333333333"  # 5 6 [7 7.5 8] -> (6 + 7 + 7.5) / 3
    assert (r["items"]["uptime"]["min"], r["items"]["uptime"]["max"]) == ("9", "10")  # 99.96163 % > 99.95 % (R6)
    assert (r["items"]["tickets"]["min"], r["items"]["tickets"]["max"]) == ("4", "4")  # 6 - 2 x 1 late (R7)
    assert r["items"]["rating"]["max"] == "12"  # 15 - 3 x 1 complaint (R9)
    assert r["categories"] == {"capacity": "20.5", "operations": "20.5", "protection": "17.66666666666666666666666667",
                               "management": "11.66666666666666666666666667", "users": "11"}
    assert r["fractions"]["categories.protection"] == "53/3" and r["fractions"]["total"] == "244/3"
    assert r["total"] == "81.33333333333333333333333333" and r["grade"] == "良好"  # 244/3, >= 80 (R3 bands of this contract)
    # R4 of this contract: (85 - 244/3) x 0.5 % = 11/600 of 1,200,000.00 = 22,000.00
    assert r["deduction"]["rate"] == "0.01833333333333333333333333333" and r["fractions"]["deduction.rate"] == "11/600"
    assert r["deduction"]["assessment"] == "22000.00"
    assert r["payable"] == "1178000.00"
    assert [(l["name"], l["amount"]) for l in r["deduction"]["lines"]] == [
        ("云主机资源", "13750.00"), ("云存储", "5500.00"), ("专线", "2750.00")]  # R10 split in proportion

    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    texts = [c.value for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("90、80、70 分计入较高等级" in t for t in texts)  # R3 boundary policy in this contract's bands
    assert {f"panel_{i.id}" for i in rubric.items} | {f"category_{c.id}" for c in rubric.categories} \
        <= set(wb.defined_names)

    code, out, err = run(capsys, "verify", tmp_path / "s.xlsx", tmp_path, "--contract", CONTRACT)
    assert code == 0, out + err
    code, out, err = run(capsys, "verify", tmp_path / "s.xlsx", tmp_path)  # the embedded contract: refused
    assert code == 2 and not out  # a usage error (exit 2), not a summary that disagrees with its inputs (exit 1)
    assert f"{tmp_path / 's.xlsx'}: 汇总表属于合同“demo-hosting-2026”" in err and "--contract" in err


def test_a_threshold_in_the_contract_file_changes_the_result(tmp_path, capsys):
    """Moving the no-deduction threshold from 85 to 80 in the data file: 81.33 is no longer deducted (R4)."""
    text = CONTRACT.read_text(encoding="utf-8")
    old = '{ min = 85, label = "不扣款", rate = "0" },\n  { min = 70, label = "按比例扣款", per_point = "0.005" }'
    assert old in text
    changed = tmp_path / "contract.toml"
    changed.write_text(text.replace(old, old.replace("85", "80")), encoding="utf-8")
    shutil.copyfile(HOSTING / "rubric-hosting-2026.toml", tmp_path / "rubric-hosting-2026.toml")
    results = {}
    for name, contract in (("shipped", CONTRACT), ("changed", changed)):
        code, out, err = run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", contract,
                             "--out", tmp_path / f"{name}.xlsx", "--json")
        assert code == 0, err
        results[name] = json.loads(out)
    assert results["shipped"]["total"] == results["changed"]["total"] == "81.33333333333333333333333333"
    assert results["shipped"]["deduction"]["assessment"] == "22000.00"
    assert results["changed"]["deduction"]["assessment"] == "0.00" and results["changed"]["payable"] == "1200000.00"


def test_verify_names_a_contract_file_changed_since_the_summary(tmp_path, capsys):
    """§5: the audit sheet records the contract's and rubric's SHA-256 (they were in the template's data but
    never written), so a contract edited after the summary is named, not only seen as different amounts."""
    for name in ("contract-hosting-2026.toml", "rubric-hosting-2026.toml"):
        shutil.copyfile(HOSTING / name, tmp_path / name)
    contract = tmp_path / "contract-hosting-2026.toml"
    code, _, err = run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", contract,
                       "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    rows = [r[:2] for r in openpyxl.load_workbook(tmp_path / "s.xlsx")["审计"].iter_rows(values_only=True)]
    assert ("合同", contract.name) in rows and ("考核办法", "rubric-hosting-2026.toml") in rows
    assert run(capsys, "verify", tmp_path / "s.xlsx", HOSTING / "panel", "--contract", contract)[0] == 0
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace('{ min = 85, label = "不扣款"', '{ min = 80, label = "不扣款"'), encoding="utf-8")
    code, out, err = run(capsys, "verify", tmp_path / "s.xlsx", HOSTING / "panel", "--contract", contract)
    assert code == 1 and f"合同文件与汇总表记录的不同：{contract.name}" in out, out + err
    assert "扣款合计：汇总表为 22,000.00 元，按当前输入重新计算为 0.00 元" in out


def without_terms_digest(summary: Path, target: Path) -> Path:
    """`summary` as a summary made before the audit recorded its terms' digest (its option row renamed)."""
    import zipfile

    with zipfile.ZipFile(summary) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml" or info.filename.startswith("xl/worksheets/"):
                data = data.replace(b">terms_digest<", b">terms_digesx<")
            out.writestr(info, data)
    return target


def test_a_contract_edited_after_the_summary_stops_correct_and_annual_naming_it(tmp_path, capsys):
    """§5, 87号令 Art. 64: a correction recomputed the period on the edited terms (a threshold moved: 22,000.00
    became 0.00 under the name of a score correction) and annual called the summary hand-edited; a line's tax
    rate changed passed annual in silence (the invoice split at 13 %, the summaries at 6 %). The summary records
    its terms' digest: changed terms stop correct, annual, rectify and --history, naming the contract file; the
    same terms written otherwise (a comment, Notepad's BOM and CRLF) stop nothing, and verify agrees."""
    for name in ("contract-hosting-2026.toml", "rubric-hosting-2026.toml"):
        shutil.copyfile(HOSTING / name, tmp_path / name)
    contract = tmp_path / "contract-hosting-2026.toml"
    summary = tmp_path / "s.xlsx"
    assert run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", contract,
               "--out", summary)[0] == 0
    text = contract.read_text(encoding="utf-8")
    fix = ("correct", summary, HOSTING / "panel", "--evidence", EVIDENCE, "--expert", "孙一", "--item", "compute",
           "--score", "6.5", "--reason", "outlier", "--by", "王科长", "--contract", contract)
    contract.write_bytes(("\ufeff# 合同文本校对：措辞修改\r\n" + text.replace("\n", "\r\n")).encode("utf-8"))
    assert run(capsys, "verify", summary, HOSTING / "panel", "--evidence", EVIDENCE, "--contract", contract)[0] == 0
    code, _, err = run(capsys, *fix, "--out", tmp_path / "c1.xlsx")
    assert code == 0 and (tmp_path / "c1.xlsx").exists(), err
    for old, new in (('{ min = 85, label = "不扣款"', '{ min = 80, label = "不扣款"'),  # moves the deduction
                     ('tax_rate = "0.06"', 'tax_rate = "0.13"')):  # moves no figure of the period: only the lines
        assert old in text
        contract.write_text(text.replace(old, new, 1), encoding="utf-8")
        code, out, err = run(capsys, *fix, "--out", tmp_path / "c2.xlsx", "--json")
        assert code == 2 and not (tmp_path / "c2.xlsx").exists()
        errors = json.loads(out)["errors"]
        assert [e["code"] for e in errors] == ["E-FILE-CHANGED"], errors
        assert errors[0]["message"].startswith(f"合同文件 {contract.name} 的条款在汇总后被改动"), errors
        code, out, err = run(capsys, "annual", summary, "--contract", contract, "--out", tmp_path / "a.xlsx", "--json")
        assert code == 2 and not (tmp_path / "a.xlsx").exists()
        assert [e["code"] for e in json.loads(out)["errors"]] == ["E-FILE-CHANGED"] and "可能被手工修改" not in err
        assert "请用 --contract 指定汇总时的合同文件" in err

    # a summary made before the digest was recorded: its files' bytes, then the figures the terms decide
    old_summary = without_terms_digest(summary, tmp_path / "old.xlsx")
    contract.write_text(text.replace('{ min = 85, label = "不扣款"', '{ min = 80, label = "不扣款"'), encoding="utf-8")
    code, out, err = run(capsys, "annual", old_summary, "--contract", contract, "--out", tmp_path / "a.xlsx", "--json")
    [error] = json.loads(out)["errors"]
    assert code == 2 and error["code"] == "E-FILE-CHANGED" and "可能被手工修改" not in err
    assert error["message"].startswith(f"合同文件 {contract.name} 在汇总后被改动") and "扣款合计 22,000.00 元 → 0.00 元" in error["message"]


def test_a_contract_without_the_crypto_penalty_prints_no_line_for_it(tmp_path, capsys):
    """R5 as data: the hosting contract has no 密评 penalty (crypto_penalty = "0.00"); the terminal showed a
    密评扣款 0.00 line that finance asked about. The embedded contract keeps its line."""
    code, out, err = run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", CONTRACT,
                         "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    assert "密评扣款" not in out and "扣款合计    22,000.00" in out
    sample = ROOT / "workbooks"
    code, out, err = run(capsys, "summarize", sample, "--evidence", sample / "evidence" / "2026H2_证据材料.xlsx",
                         "--out", tmp_path / "d.xlsx")
    assert code == 0 and "密评扣款    0.00" in out, err


def test_the_shipped_sample_panel_is_current(tmp_path, capsys, rubric):
    """workbooks/hosting/panel was made by scripts/make_hosting_sample.py from the scores above."""
    code, out, err = run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", CONTRACT,
                         "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    r = json.loads(out)
    for k, item in enumerate(rubric.items):
        assert {e: Fraction(v) for e, v in r["items"][item.id]["scores"].items()} == {
            e: Fraction(s[k]) for e, s in sample_scores().items()}


def test_batch_takes_the_contract_too(tmp_path, capsys):
    shutil.copytree(HOSTING / "panel", tmp_path / "组1")
    (tmp_path / "out").mkdir()
    code, out, err = run(capsys, "batch", tmp_path / "组1", "--contract", CONTRACT, "--out-dir", tmp_path / "out")
    assert code == 0, err
    assert "81.333333" in out and (tmp_path / "out" / "组1.xlsx").exists()


def test_the_audit_data_records_the_contract_and_rubric_hashes():
    """§5: the summary's audit data carries the SHA-256 of the contract and rubric files in use."""
    import hashlib

    from scoring.jobs.summarize import data_files

    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in HOSTING.glob("*.toml")}
    assert data_files(CONTRACT) == [("合同", CONTRACT.name, digest[CONTRACT.name]),
                                    ("考核办法", "rubric-hosting-2026.toml", digest["rubric-hosting-2026.toml"])]
    assert [role for role, _, _ in data_files(None)] == ["合同", "考核办法"]


def test_the_spreadsheet_functions_follow_the_contract_named_in_the_environment(monkeypatch):
    """SCORECARD_CONTRACT selects the contract of the SC_* functions (R3, R4, R6, R7 as that contract's data)."""
    from scoring import functions as F

    assert (F.sc_grade(75), F.sc_deduction(76.5, 1200000), F.sc_availability_band(0.9996)) == ("合格", 42000.0, "3–6")  # embedded: 3.5 % of the fee; 99.96 % <= 99.98 %
    monkeypatch.setenv(F.CONTRACT_ENV, str(CONTRACT))
    assert F.sc_grade(75) == "合格" and F.sc_grade(69.99) == "不合格"  # bands 90/80/70
    assert F.sc_deduction(76.5, 1200000) == 51000.0  # (85 - 76.5) x 0.5 % of 1,200,000.00
    assert F.sc_deduction(65, 1200000) == 180000.0  # the flat 15 % tier
    assert F.sc_availability_band(0.9996) == "9–10"
    assert F.sc_check("uptime", 9, 0.9996).startswith("允许") and F.sc_check("tickets", 6, 1).startswith("不允许")
    assert F.sc_late_payment(1000, "2026-01-01", "2026-01-11") == 3.0  # 0.03 % a day
    # R7: the contract's 2 working days on the fast path (date cells) and the exact one (serials) alike: received
    # Monday 2026-03-02, answered Thursday 03-05, due Wednesday 03-04 (the embedded 3 days: due 03-05, on time)
    received, answered = [[datetime(2026, 3, 2)], [datetime(2026, 3, 2)]], [[datetime(2026, 3, 5)], [datetime(2026, 3, 4)]]
    assert F.sc_late_replies(received, answered) == F.sc_late_replies([[46083], [46083]], [[46086], [46085]]) == 1
    # R2.3, R3: an omitted aggregation or bound is the contract's (trimmed mean; lower-bound-inclusive)
    assert F.sc_panel([[6, 6, 6.5, 8, 9]]) == [[20.5 / 3]]  # (6 + 6.5 + 8) / 3, not the median 6.5
    assert F.sc_panel([[6, 6, 6.5, 8, 9]], "item-median") == [[6.5]]
    monkeypatch.setenv(F.CONTRACT_ENV, str(HOSTING / "missing.toml"))
    problem = F.evaluate(F.sc_grade, 75)
    assert problem.code == "E-DATA-READ" and problem.place == str(HOSTING / "missing.toml")


def test_an_omitted_grade_bound_is_the_contracts(monkeypatch, tmp_path):
    """R3: SC_GRADE without bounds grades as summarize does under the contract's grade_bounds (it graded an 80
    on the bound as the lower band's upper end only when asked; the contract's upper-bound-inclusive was ignored)."""
    from scoring import functions as F

    for path in HOSTING.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(text.replace('grade_bounds = "lower-bound-inclusive"',
                                                       'grade_bounds = "upper-bound-inclusive"'), encoding="utf-8")
    monkeypatch.setenv(F.CONTRACT_ENV, str(tmp_path / CONTRACT.name))
    assert F.sc_grade(80) == F.sc_grade(80, "upper-bound-inclusive") == "合格"  # bands 90/80/70: 80 ends 合格
    assert F.sc_grade(80, "lower-bound-inclusive") == "良好" and F.sc_grade(80.01) == "良好"


def test_the_summary_context_carries_the_contract_terms():
    """For the summary template (owned by the template work): R3 bands, R4 tiers and R10 terms as cell values."""
    from decimal import Decimal

    from scoring.jobs.summarize import terms_context

    t = terms_context(load_contract(CONTRACT)[0])
    assert [(g["min"], g["grade"]) for g in t["grades"]] == [(90, "优秀"), (80, "良好"), (70, "合格"), (0, "不合格")]
    assert [(x["min"], x["rate"], x["per_point"]) for x in t["tiers"]] == [
        (85, 0, None), (70, None, Decimal("0.005")), (60, Decimal("0.15"), None), (0, Decimal("0.3"), None)]
    assert (t["late_daily_rate"], t["termination_days_late"], t["due_working_days"]) == (Decimal("0.0003"), 60, 30)


def test_a_hosting_summary_read_without_its_contract_says_which_contract_to_give(tmp_path, capsys):
    """annual/rectify/correct read a summary under the current contract; given a hosting summary without
    --contract they listed the embedded contract's 13 items as missing and never named the hosting contract."""
    out = tmp_path / "托管_汇总.xlsx"
    code, _, err = run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", CONTRACT,
                       "--out", out)
    assert code == 0, err
    code, stdout, err = run(capsys, "annual", out, "--out", tmp_path / "年度.xlsx")
    assert code == 2 and not (tmp_path / "年度.xlsx").exists()
    assert "demo-hosting-2026" in err and "--contract" in err
    for args in (["correct", out, HOSTING / "panel", "--expert", "冯五", "--item", "uptime", "--reason", "outlier",
                  "--score", "9", "--by", "王", "--out", tmp_path / "复核.xlsx"],
                 ["rectify", out, "--out", tmp_path / "整改.xlsx"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and not (tmp_path / "复核.xlsx").exists() and not (tmp_path / "整改.xlsx").exists()
        # one line naming both contracts and the option, not the embedded contract's 13 items "missing"
        assert err.strip().endswith("汇总表属于合同“demo-hosting-2026”，不是合同“hebi-backup-2026”：请用 --contract 指定合同"
                                    "“demo-hosting-2026”的文件"), err
        assert "缺少分项" not in err
    # as --history of an embedded-contract panel: giving --contract would refuse the panel; the advice is the history
    code, _, err = run(capsys, "summarize", ROOT / "workbooks", "--history", out, "--out", tmp_path / "本期.xlsx")
    assert code == 2 and not (tmp_path / "本期.xlsx").exists()
    assert "--history 只能给出本合同（hebi-backup-2026）以前各期的汇总表" in err and "--contract" not in err, err


def test_a_contract_saved_by_windows_notepad_with_a_byte_order_mark_loads(tmp_path):
    """§5: Notepad saves UTF-8 with a byte order mark; it was refused as "TOML 格式错误（第 1 行第 1 列）",
    where the secretary sees nothing wrong. Same contract, same rubric, with or without the mark."""
    for name in (CONTRACT.name, "rubric-hosting-2026.toml"):
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + (HOSTING / name).read_bytes())
    marked, plain = load_contract(tmp_path / CONTRACT.name), load_contract(CONTRACT)
    assert (marked[0], marked[1]) == (plain[0], plain[1])


@pytest.mark.parametrize("command", ["summarize", "new-panel", "annual"])
def test_evidence_made_for_another_contract_is_refused_with_both_contracts_named(tmp_path, capsys, command):
    """§2, §5: the embedded contract's evidence given with the hosting contract (and the other way round) was
    applied under the wrong rules, and the experts were blamed (“得分 3.5 超出允许范围 9.5–10 分”). Now one
    problem names the evidence's 合同编号 cell and both contracts; exit 2, nothing written."""
    default_evidence = ROOT / "workbooks" / "evidence" / "2026H2_证据材料.xlsx"
    if command == "summarize":
        args = ["summarize", HOSTING / "panel", "--evidence", default_evidence, "--contract", CONTRACT,
                "--out", tmp_path / "s.xlsx"]
    elif command == "new-panel":
        args = ["new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", EVIDENCE,
                "--out", tmp_path / "s"]  # the hosting evidence, the embedded contract
    else:
        code, _, err = run(capsys, "summarize", ROOT / "workbooks", "--evidence", default_evidence,
                           "--out", tmp_path / "H2.xlsx")
        assert code == 0, err
        args = ["annual", tmp_path / "H2.xlsx", "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx"]
    code, out, err = run(capsys, *args)
    assert code == 2
    theirs, ours = ("hebi-backup-2026", "demo-hosting-2026") if command == "summarize" else (
        "demo-hosting-2026", "hebi-backup-2026")
    evidence = default_evidence if command == "summarize" else EVIDENCE
    assert f"{evidence}!说明!B3: 证据材料属于合同“{theirs}”，不是本次考核的合同“{ours}”" in err, err
    assert "超出允许范围" not in err
    assert not (tmp_path / "s.xlsx").exists() and not (tmp_path / "s").exists()


def test_the_blank_evidence_workbook_quotes_the_contracts_own_limits_and_item_names(tmp_path, capsys):
    """§2, §5: the hosting contract's blank evidence workbook told the vendor's staff the embedded contract's
    limits (3 working days, the 5th, 10 min / 1 h / 6 h, “客户满意度” 2 points, 2 drills, 4 trainees)."""
    out = tmp_path / "证据.xlsx"
    code, _, err = run(capsys, "evidence-template", "--period", "2026H2", "--contract", CONTRACT, "--out", out)
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    above = {ws.title: ws["A1"].value for ws in wb.worksheets[1:]}
    assert "收到后 2 个工作日内答复为按时" in above["需求函"] and "“工单响应”扣 2 分" in above["需求函"]
    assert "次月 10 日（含）前提交" in above["运行月报"]
    assert "15 分钟内响应、2 小时内到场、8 小时内排除" in above["故障"] and "“数据保密”不得分" in above["故障"]
    assert "“用户满意度”最高分降低 3 分" in above["投诉与未接电话"]
    assert "不按此表评分" in above["应急演练"] and "不按此表评分" in above["培训服务"]  # no drill rule in this rubric
    assert "提前 5 个工作日通知" in above["服务中断"]
    notes = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "3 个工作日" not in notes and "次月 5 日" not in notes and "客户满意度" not in notes
    # no item of this rubric is scored on 密评 or 等保: the two questions say so instead of asking for them
    assert wb["说明"]["C5"].value == wb["说明"]["C6"].value == "本合同的考核办法没有分项按此评分，可不填。"
    assert "密评不得分" not in notes and "密评与等保均未通过" not in notes


def test_a_contract_whose_rubric_file_is_missing_names_its_rubric_key(tmp_path, capsys):
    """§5: the message named only the missing rubric file, not the contract key that points at it."""
    shutil.copyfile(CONTRACT, tmp_path / CONTRACT.name)
    code, _, err = run(capsys, "summarize", HOSTING / "panel", "--contract", tmp_path / CONTRACT.name,
                       "--out", tmp_path / "s.xlsx")
    assert code == 2 and not (tmp_path / "s.xlsx").exists()
    assert err.strip() == (f"{tmp_path / CONTRACT.name}:rubric: rubric 键指向的考核办法文件不存在："
                           f"{tmp_path / 'rubric-hosting-2026.toml'}（应与合同文件在同一文件夹）")


def test_a_rubric_whose_points_changed_under_the_same_version_is_named(tmp_path, capsys):
    """R1.1: the rubric's points edited after the sheets went out (运行报告 12 -> 11, 平台功能 6 -> 7, the
    category still 30) but its version left as it was: summarize took the sheets under the new points without
    a word, though the experts scored against the old ones. The sheets record the points they were made with."""
    from importlib import resources

    from tests.conftest import write_expert_workbook

    data = resources.files("scoring.data")
    (tmp_path / "contract.toml").write_text(data.joinpath("contract-hebi-backup-2026.toml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    rubric = data.joinpath("rubric-hebi-backup-2026.toml").read_text(encoding="utf-8")
    for old, new in (('name = "运行报告"\npoints = 12', 'name = "运行报告"\npoints = 11'),
                     ('name = "平台功能"\npoints = 6', 'name = "平台功能"\npoints = 7')):
        assert old in rubric
        rubric = rubric.replace(old, new)
    (tmp_path / "rubric-hebi-backup-2026.toml").write_text(rubric, encoding="utf-8")
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    for name in ("甲", "乙", "丙"):
        write_expert_workbook(sheets, name, {"report": 10, "platform": 5})  # valid under either rubric
    assert run(capsys, "summarize", sheets, "--out", tmp_path / "ok.xlsx")[0] == 0  # the rubric they were made with
    code, _, err = run(capsys, "summarize", sheets, "--contract", tmp_path / "contract.toml", "--out", tmp_path / "s.xlsx")
    assert code == 2 and not (tmp_path / "s.xlsx").exists()
    lines = [line for line in err.splitlines() if "评分表生成时的考核办法分值与现行考核办法不同" in line]
    assert len(lines) == 3 and "“运行报告”12 分，现为 11 分；“平台功能”6 分，现为 7 分" in lines[0], err
    assert "请修改其 version" in lines[0]


@pytest.mark.parametrize("xml", [
    # openpyxl's order of attributes, and LibreOffice's after it saved the sheet again
    b'<Properties xmlns:vt="v"><property name="scorecard_rubric_points" fmtid="{F}" pid="2"><vt:lpwstr>a=1;b=2.5'
    b'</vt:lpwstr></property></Properties>',
    b'<Properties xmlns:vt="v"><property fmtid="{F}" pid="2" name="scorecard_rubric_points">\n <vt:lpwstr>a=1;b=2.5'
    b'</vt:lpwstr></property></Properties>'])
def test_the_recorded_points_are_found_as_excel_openpyxl_and_libreoffice_write_them(xml):
    import io
    import zipfile

    from scoring.excel.properties import RUBRIC_PROPERTY, property_in

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docProps/custom.xml", xml)
    with zipfile.ZipFile(buffer) as archive:
        assert property_in(archive, RUBRIC_PROPERTY) == "a=1;b=2.5"
        assert property_in(archive, "scorecard_evidence_sha256") is None


def test_a_crypto_penalty_needs_an_item_that_binds_the_crypto_rule(tmp_path, capsys):
    """R5 as data: the penalty is charged when the item bound to crypto-assessment finds 密评 not passed at the
    year end; a contract with a penalty and no such item was accepted and never charged it (5,000.00 lost).
    A contract without 密评 may leave the key out."""
    shutil.copyfile(HOSTING / "rubric-hosting-2026.toml", tmp_path / "rubric-hosting-2026.toml")
    contract = tmp_path / "contract.toml"
    text = CONTRACT.read_text(encoding="utf-8")
    contract.write_text(text.replace('crypto_penalty = "0.00"', 'crypto_penalty = "5000.00"'), encoding="utf-8")
    code, out, err = run(capsys, "new-panel", "--period", "2026H1", "--experts", "甲,乙,丙", "--contract", contract,
                         "--out", tmp_path / "p")
    assert code == 2 and not (tmp_path / "p").exists()
    assert err.startswith(f"{contract}:crypto_penalty: 合同规定了密评扣款 5,000.00 元") and len(err.splitlines()) == 1
    assert "没有分项绑定 crypto-assessment" in err
    code, out, err = run(capsys, "summarize", HOSTING / "panel", "--contract", contract, "--out", tmp_path / "s.xlsx",
                         "--json")
    assert code == 2 and [(e["code"], e["place"]) for e in json.loads(out)["errors"]] == [
        ("E-DATA-VALUE", f"{contract}:crypto_penalty")]
    contract.write_text(text.replace('crypto_penalty = "0.00"\n', ""), encoding="utf-8")
    assert load_contract(contract)[0].crypto_penalty == 0
    # the mirror case: a rubric that binds crypto-assessment, the key left out: a silent 0 (the embedded contract)
    from importlib import resources

    data = resources.files("scoring.data")
    for name in ("contract-hebi-backup-2026.toml", "rubric-hebi-backup-2026.toml"):
        (tmp_path / name).write_text(data.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    embedded = tmp_path / "contract-hebi-backup-2026.toml"
    embedded.write_text(embedded.read_text(encoding="utf-8").replace('crypto_penalty = "20000.00"\n', ""), encoding="utf-8")
    with pytest.raises(ContractError) as err:
        load_contract(embedded)
    assert [(p.code, p.key) for p in err.value.problems] == [("E-DATA-MISSING", "crypto_penalty")]


def test_a_contract_without_the_crypto_rule_prints_no_crypto_on_the_notice(tmp_path, capsys):
    """R5 as data: the hosting contract has no 密评 item; its 扣款 sheet and 通知书 said 密评未通过扣款 0.00."""
    code, _, err = run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", CONTRACT,
                       "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert (wb["扣款"]["A9"].value, wb["通知书"]["A12"].value) == ("其他扣款（元）", "其他扣款（元）")
    assert wb["扣款"]["C9"].value.startswith("本合同未约定密评扣款")
    texts = [c.value for ws in (wb["扣款"], wb["通知书"]) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "密评" in t and "未约定" not in t]
    code, _, err = run(capsys, "summarize", ROOT / "workbooks", "--out", tmp_path / "d.xlsx")  # the built-in contract
    assert code == 0, err
    assert openpyxl.load_workbook(tmp_path / "d.xlsx")["通知书"]["A12"].value == "密评未通过扣款（元）"


def test_the_annual_settlement_of_a_contract_without_crypto_or_yearly_minimums(tmp_path, capsys):
    """R5, R9 as data: the hosting contract's year had a 密评扣款 column, a 密评 note and an empty heading
    服务年度要求 (its rubric counts no drills or training)."""
    summary = tmp_path / "s.xlsx"
    assert run(capsys, "summarize", HOSTING / "panel", "--evidence", EVIDENCE, "--contract", CONTRACT,
               "--out", summary)[0] == 0
    code, _, err = run(capsys, "annual", summary, "--contract", CONTRACT, "--out", tmp_path / "a.xlsx")
    assert code == 0, err
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert ws["G4"].value == "其他扣款（元）"
    assert not [t for t in texts if "密评" in t or "服务年度要求" in t], texts


def test_evidence_tables_of_rules_no_item_binds_say_so_in_the_summary():
    """R7-R9 as data: a rubric without the reply, incident or monthly-report rules printed those tables' captions
    with the built-in terms above empty tables, as if the evidence were missing."""
    from types import SimpleNamespace

    from scoring.report import evidence_captions

    uptime_only = SimpleNamespace(rubric=SimpleNamespace(items=[SimpleNamespace(evidence="uptime-bands", params=None)]),
                                  policies=SimpleNamespace(report_due_day=5))
    assert evidence_captions(uptime_only) == {"requests": "需求函（本合同的考核办法不按此评分）",
                                              "incident_log": "故障（本合同的考核办法不按此评分）",
                                              "reports": "运行月报（本合同的考核办法不按此评分）"}
