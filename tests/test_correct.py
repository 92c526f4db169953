"""`scorecard correct`: corrections (复核) under 财政部令第87号 Art. 64 (R2.3, R4; interfaces.md §4)."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest

from scoring.cli import main
from tests.conftest import needs_libreoffice
from tests.year_data import panel

# 2026H2, no evidence. Medians: report 10/8/6 -> 8 (-4), platform 3/2/1 -> 2 (-4), policies 4/3/2 -> 3 (-3),
# response 8/7/7 -> 7 (-1), availability 8/3/3 -> 3 (-5), onsite 12/6/6 -> 6 (-6): total 77, R4 3 % = 17,460.00.
SCORES = {"甲": {"report": 10, "platform": 3, "policies": 4, "response": 8, "availability": 8, "onsite": 12},
          "乙": {"report": 8, "platform": 2, "policies": 3, "response": 7, "availability": 3, "onsite": 6},
          "丙": {"report": 6, "platform": 1, "policies": 2, "response": 7, "availability": 3, "onsite": 6}}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("correct")
    folder, evidence = panel(root / "p", "2026H2", {}, **SCORES)
    evidence.unlink()  # without evidence: every item 0 to its points
    summary = root / "p" / "2026H2_汇总.xlsx"
    assert main(["summarize", str(folder), "--out", str(summary)]) == 0
    return summary


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("expert, item, score, reason, total, deduction", [
    ("乙", "report", "11", "sum-error", "79", "5820.00"),  # 10/11/6 -> 10: 79, 1 % = 5,820.00
    ("乙", "availability", "7", "out-of-range", "81", "0.00"),  # 8/7/3 -> 7: 81, no deduction
    ("乙", "response", "8", "客观评审因素评分不一致", "78", "11640.00"),  # 8/8/7 -> 8: 78, 2 % = 11,640.00
    ("丙", "policies", "5", "outlier", "78", "11640.00"),  # 4/3/5 -> 4: 78
])
def test_each_of_the_four_reasons_gives_the_recomputed_total(base, tmp_path, capsys, expert, item, score, reason,
                                                              total, deduction):
    before = hashlib.sha256(base.read_bytes()).hexdigest()
    out = tmp_path / "复核.xlsx"
    code, text, err = run(capsys, "correct", base, "--expert", expert, "--item", item, "--score", score,
                          "--reason", reason, "--by", "王秘书", "--out", out, "--json")
    assert code == 0, err
    result = json.loads(text)
    assert (result["total"], result["deduction"]["total"]) == (total, deduction)
    [c] = result["corrections"]
    old = str(SCORES[expert][item])
    assert {k: c[k] for k in ("expert", "item", "old", "new", "by")} == \
        {"expert": expert, "item": item, "old": old, "new": score, "by": "王秘书"}
    assert c["reason"] in ("sum-error", "out-of-range", "objective-inconsistent", "outlier") and c["at"]
    assert hashlib.sha256(base.read_bytes()).hexdigest() == before  # the original is never written
    ws = openpyxl.load_workbook(out)["复核"]
    assert [c.value for c in ws[4]][:5] == [expert, ws.cell(4, 2).value, item, int(old), int(score)]
    assert ws.cell(4, 10).value == "签字前"


def test_a_fifth_reason_is_refused_and_nothing_is_written(base, tmp_path, capsys):
    before = base.read_bytes()
    out = tmp_path / "x.xlsx"
    code, _, err = run(capsys, "correct", base, "--expert", "乙", "--item", "report", "--score", "11",
                       "--reason", "专家要求", "--by", "王秘书", "--out", out)
    assert code == 2 and "--reason “专家要求”不是财政部令第87号第六十四条允许的情形" in err
    assert not out.exists() and base.read_bytes() == before
    code, text, _ = run(capsys, "correct", base, "--expert", "乙", "--item", "report", "--score", "11",
                        "--reason", "专家要求", "--by", "王秘书", "--out", out, "--json")
    assert code == 2 and [e["code"] for e in json.loads(text)["errors"]] == ["E-CORRECTION"]
    code, _, err = run(capsys, "correct", base, "--expert", "丁", "--item", "report", "--score", "13",
                       "--reason", "sum-error", "--by", "王秘书", "--out", base)
    assert code == 2 and "“丁”不是本汇总表的评审专家" in err and "不能覆盖原汇总表" in err
    assert base.read_bytes() == before


def test_corrections_chain_and_verify_recomputes_from_inputs_plus_corrections(base, tmp_path, capsys):
    first, second = tmp_path / "c1.xlsx", tmp_path / "c2.xlsx"
    folder = base.parent
    assert run(capsys, "correct", base, "--expert", "乙", "--item", "report", "--score", "11", "--reason",
               "分值汇总计算错误", "--by", "王秘书", "--out", first)[0] == 0
    code, text, err = run(capsys, "correct", first, folder, "--expert", "丙", "--item", "制度建设", "--score", "5",
                          "--reason", "outlier", "--by", "李组长", "--after-signing", "--out", second, "--json")
    assert code == 0, err
    result = json.loads(text)
    # 79 + 1 (policies 4/3/5 -> 4) = 80: no deduction
    assert (result["total"], result["deduction"]["total"]) == ("80", "0.00")
    assert [(c["expert"], c["item"], c["reason"], c["stage"]) for c in result["corrections"]] == \
        [("乙", "report", "sum-error", "签字前"), ("丙", "policies", "outlier", "签字后")]
    front = " ".join(str(c.value) for r in openpyxl.load_workbook(second)["汇总"].iter_rows() for c in r if c.value)
    assert "本汇总表经复核更正 2 处评分（财政部令第87号第六十四条，见“复核”表）；专家签字后复核的，须由评审专家重新签字确认" in front
    # the page the supplier and finance are sent says so too (blank on a summary never corrected)
    assert openpyxl.load_workbook(second)["通知书"]["A17"].value == (
        "上述考核结果经评审小组复核更正 2 处评分后确定（财政部令第87号第六十四条，更正记录见本工作簿“复核”表）。")
    assert openpyxl.load_workbook(first)["通知书"]["A17"].value.startswith("上述考核结果经评审小组复核更正 1 处评分后确定")
    assert openpyxl.load_workbook(base)["通知书"]["A17"].value in (None, "")
    code, out, _ = run(capsys, "verify", second, folder)
    assert code == 0 and out.startswith("一致")
    # the corrected summary still recomputes from its own recorded scores (annual / --history trust it)
    code, out, err = run(capsys, "annual", second, "--out", tmp_path / "a.xlsx", "--json")
    assert code == 0 and json.loads(out)["periods"][0]["total"] == "80", err


def test_summarize_points_to_correct_where_art_64_shows_in_the_data(base, capsys):
    code, out, _ = run(capsys, "summarize", base.parent, "--out", base.parent / "again.xlsx")
    assert code == 0
    assert "“服务响应”为客观评审因素，专家评分不一致（7、8）" in out
    assert "--item response --reason objective-inconsistent" in out
    assert "专家“甲”的“系统可用性”评分 8 偏离中位数较大" in out and "--reason outlier" in out
    again = base.parent / "again.xlsx"  # the whole command, to fill and paste (the hints gave only options)
    assert (f"完整命令（按上列提示填写 <…> 处）：scorecard correct {again} {base.parent} --expert <专家> --item <分项> "
            "--reason <情形> --score <更正后的得分> --by <复核人> --out <新汇总表.xlsx>") in out
    (base.parent / "again.xlsx").unlink()


def test_a_summary_with_a_signature_date_filled_in_is_corrected_after_signing(base, tmp_path, capsys):
    import shutil

    signed = tmp_path / "signed" / base.name
    signed.parent.mkdir()
    shutil.copyfile(base, signed)
    wb = openpyxl.load_workbook(signed)
    ws = wb["签字"]
    [row] = [r for r in ws.iter_rows() if r[0].value == "甲"]
    row[2].value = "2027-01-10"  # 日期 written beside 甲's name on the printed-and-scanned copy
    wb.save(signed)
    code, text, err = run(capsys, "correct", signed, base.parent, "--expert", "乙", "--item", "report", "--score",
                          "11", "--reason", "sum-error", "--by", "王秘书", "--out", tmp_path / "c.xlsx", "--json")
    assert code == 0, err
    assert json.loads(text)["corrections"][0]["stage"] == "签字后"
    code, text, err = run(capsys, "correct", signed, base.parent, "--expert", "乙", "--item", "report", "--score",
                          "11", "--reason", "sum-error", "--by", "王秘书", "--out", tmp_path / "c.xlsx")
    assert code == 0 and "※ 本次复核在专家签字后进行：新汇总表的“签字”页须由评审专家重新签字确认" in text, err


def test_a_summary_edited_by_hand_is_not_corrected(base, tmp_path, capsys):
    from tests.edit import patch, score_cell

    edited = patch(base, score_cell(base, "甲", "report"), "9", tmp_path / "edited.xlsx")
    code, text, _ = run(capsys, "correct", edited, base.parent, "--expert", "乙", "--item", "report", "--score", "11",
                        "--reason", "sum-error", "--by", "王秘书", "--out", tmp_path / "c.xlsx", "--json")
    assert code == 2 and "E-SUMMARY-EDITED" in {e["code"] for e in json.loads(text)["errors"]}
    assert not (tmp_path / "c.xlsx").exists()


def test_finance_s_fee_typed_into_the_summary_is_not_dropped_by_a_correction(base, tmp_path, capsys):
    """R4, §4: finance typed the actual fee into the fee cell; a correction recomputed from the fee recorded at
    summarize time wrote 582,000.00 back without a word. It is refused, with what to do, and nothing written."""
    from tests.edit import named_cell, patch

    edited = patch(base, named_cell(base, "fee"), "500000", tmp_path / "fee.xlsx")
    code, _, err = run(capsys, "correct", edited, base.parent, "--expert", "乙", "--item", "report", "--score", "11",
                       "--reason", "sum-error", "--by", "王秘书", "--out", tmp_path / "c.xlsx")
    assert code == 2 and "当次服务费（fee）汇总时为 582,000.00 元，汇总表中已改为 500,000.00 元" in err
    assert "--fee 500000.00 --out <新汇总表.xlsx>" in err and "再对新汇总表复核或结算" in err
    assert not (tmp_path / "c.xlsx").exists()


def test_a_correction_record_edited_by_hand_is_refused_not_carried_on(base, tmp_path, capsys):
    """R2.3: 乙's report was corrected 8 -> 11; someone typed 12 over the 复核 row's new score. The next correction
    carried 8 -> 12 into the new summary (and annual trusted it); both now name the 复核 cell."""
    from tests.edit import patch

    first = tmp_path / "c1.xlsx"
    assert run(capsys, "correct", base, "--expert", "乙", "--item", "report", "--score", "11", "--reason", "sum-error",
               "--by", "王秘书", "--out", first)[0] == 0
    assert openpyxl.load_workbook(first)["复核"]["E4"].value == 11
    edited = patch(first, ("复核", "E4"), "12", tmp_path / "edited.xlsx")
    code, _, err = run(capsys, "correct", edited, base.parent, "--expert", "丙", "--item", "policies", "--score", "5",
                       "--reason", "outlier", "--by", "王秘书", "--out", tmp_path / "c2.xlsx")
    assert code == 2 and f"{edited}!复核!E4" in err and "新分为 12，“评分明细”中为 11：复核记录被改动" in err
    assert not (tmp_path / "c2.xlsx").exists()
    code, _, err = run(capsys, "annual", edited, "--out", tmp_path / "a.xlsx")
    assert code == 2 and "复核记录被改动" in err and not (tmp_path / "a.xlsx").exists()
    code, out, _ = run(capsys, "verify", edited, base.parent)
    assert code == 1 and "复核!E4：复核记录中专家“乙”“report”的新分为 12，“评分明细”中为 11：复核记录被改动" in out
    assert "评分表为 12" not in out  # 12 is the edited record's, not the expert sheet's


def test_the_inputs_are_found_by_content_when_an_older_copy_has_the_same_name(tmp_path, capsys):
    """README's workflow keeps 评分表/ and, after `refresh`, 评分表_更新/ with the same file names beside the
    summary. `correct` without a folder searches the summary's folder: it took the first file of each name
    (评分表/, the old copy) and refused "文件已修改"; the recorded SHA-256 decides which copy was summarized."""
    old, _ = panel(tmp_path / "评分表", "2026H2", {}, **SCORES)
    new, _ = panel(tmp_path / "评分表_更新", "2026H2", {}, **{**SCORES, "乙": {**SCORES["乙"], "report": 9}})
    summary = tmp_path / "2026H2_汇总.xlsx"
    assert main(["summarize", str(new), "--out", str(summary)]) == 0
    capsys.readouterr()
    out = tmp_path / "复核.xlsx"
    code, text, err = run(capsys, "correct", summary, "--expert", "乙", "--item", "report", "--score", "11",
                          "--reason", "sum-error", "--by", "王秘书", "--out", out, "--json")
    assert code == 0, err
    # 10/11/6 -> 10 (+2 on the 8 of the base panel): 79, 1 % = 5,820.00 (R2.3, R4)
    assert (json.loads(text)["total"], json.loads(text)["corrections"][0]["old"]) == ("79", "9")


@pytest.fixture()
def sample_panel(tmp_path):
    """The demo panel with its evidence in tmp/p, an unchanged backup in tmp/备份, the summary in tmp."""
    import shutil
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "workbooks"
    for folder in ("p", "备份"):
        shutil.copytree(sample, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "examples", "hosting"))
    summary = tmp_path / "汇总.xlsx"
    assert main(["summarize", str(tmp_path / "p"), "--evidence", str(tmp_path / "p" / "evidence" / "2026H2_证据材料.xlsx"),
                 "--out", str(summary)]) == 0
    return summary


def test_a_corrected_score_outside_the_evidence_range_is_the_score_given(sample_panel, tmp_path, capsys):
    """R6, §4: 系统可用性 may be 7-8 under the evidence; --score 2 was reported against 钱七's sheet (which holds
    8) with advice to refresh the sheets."""
    capsys.readouterr()
    code, _, err = run(capsys, "correct", sample_panel, "--expert", "钱七", "--item", "availability", "--score", "2",
                       "--reason", "outlier", "--by", "王秘书", "--out", tmp_path / "复核.xlsx")
    assert code == 2 and not (tmp_path / "复核.xlsx").exists()
    assert err.strip() == "--score 2：“系统可用性”得分 2 超出允许范围 7–8 分（证据规则允许的范围；专家原分 8）"


def test_correct_checks_the_sheet_where_the_audit_recorded_it(sample_panel, tmp_path, capsys):
    """An unchanged backup of the panel under the summary's folder hid a changed sheet (§4: inputs unchanged)."""
    from scoring.excel import names

    sheet = tmp_path / "p" / "2026H2_赵六.xlsx"
    wb = openpyxl.load_workbook(sheet)
    sn, cell = names.locate(wb, "score_report")
    wb[sn][cell].value = 12
    wb.save(sheet)
    capsys.readouterr()
    code, _, err = run(capsys, "correct", sample_panel, "--expert", "钱七", "--item", "incidents", "--score", "4",
                       "--reason", "outlier", "--by", "王秘书", "--out", tmp_path / "复核.xlsx")
    assert code == 2 and f"{sheet}: 文件已修改（专家评分表" in err


def test_correct_takes_renamed_evidence_with_its_option(sample_panel, tmp_path, capsys):
    """§4: evidence renamed after the summary was not found (matched by name only) and correct had no --evidence."""
    evidence = tmp_path / "p" / "evidence" / "2026H2_证据材料.xlsx"
    renamed = evidence.rename(tmp_path / "证据.xlsx")
    (tmp_path / "备份" / "evidence" / evidence.name).unlink()
    args = ["correct", sample_panel, tmp_path / "p", "--expert", "钱七", "--item", "incidents", "--score", "4",
            "--reason", "outlier", "--by", "王秘书", "--out", tmp_path / "复核.xlsx"]
    capsys.readouterr()
    code, _, err = run(capsys, *args)
    assert code == 2 and "找不到汇总表记录的输入文件 2026H2_证据材料.xlsx（证据材料）：用 --evidence 指定" in err
    code, out, err = run(capsys, *args, "--evidence", renamed)
    assert code == 0, err


def test_correct_takes_force_for_an_output_of_another_program(sample_panel, tmp_path, capsys):
    other = tmp_path / "复核.xlsx"
    openpyxl.Workbook().save(other)
    args = ["correct", sample_panel, "--expert", "钱七", "--item", "incidents", "--score", "4", "--reason", "outlier",
            "--by", "王秘书", "--out", other]
    capsys.readouterr()
    code, _, err = run(capsys, *args)
    assert code == 2 and "请加 --force" in err
    code, out, err = run(capsys, *args, "--force")
    assert code == 0 and "新汇总表" in out, err


def test_sheets_of_one_name_in_several_folders_are_each_found_at_their_place(tmp_path, capsys):
    """§4: 张三/评分表.xlsx, 李四/评分表.xlsx, 王五/评分表.xlsx: the places were kept by file name, so every sheet
    was looked for at the last one's place and reported changed."""
    from tests.conftest import write_expert_workbook

    folders = []
    for expert, score in (("张三", 10), ("李四", 8), ("王五", 6)):
        folder = tmp_path / expert
        folder.mkdir()
        write_expert_workbook(folder, expert, {"report": score}).rename(folder / "评分表.xlsx")
        folders.append(folder)
    summary = tmp_path / "汇总.xlsx"
    assert main(["summarize", *map(str, folders), "--out", str(summary)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "correct", summary, "--expert", "李四", "--item", "report", "--score", "9",
                         "--reason", "outlier", "--by", "王秘书", "--out", tmp_path / "复核.xlsx")
    assert code == 0, err
    code, out, err = run(capsys, "correct", summary, "--expert", "李四", "--item", "report", "--score", "9",
                         "--reason", "outlier", "--by", "王秘书", "--out", tmp_path / "复核2.xlsx",
                         "--evidence", tmp_path / "复核.xlsx")
    assert code == 2 and "生成时没有使用证据材料" in err  # --evidence for a summary made without: refused


def test_recorded_places_follow_linked_folders_and_keep_a_linked_file_s_own_name(tmp_path, monkeypatch):
    """§5: the audit sheet's places (summarize.places) resolve each folder once; a linked folder gives the real
    place, "link/.." is resolved as the system opens it, and a file that is itself a link keeps its name and
    place (verify and correct look for the recorded name there; its target's name never matched it)."""
    import os

    from scoring.jobs.summarize import places
    from scoring.recorded import recorded_path

    real = tmp_path / "真实"
    (real / "评分表").mkdir(parents=True)
    (real / "甲.xlsx").write_bytes(b"")
    for k in "甲乙":
        (real / "评分表" / f"{k}.xlsx").write_bytes(b"")
    os.symlink(real / "评分表", tmp_path / "链接")
    other = tmp_path / "别处" / "原件.xlsx"
    other.parent.mkdir()
    other.write_bytes(b"")
    os.symlink(other, real / "评分表" / "丙.xlsx")  # a file that is itself a link
    out = tmp_path / "汇总" / "汇总.xlsx"
    out.parent.mkdir()
    given = [tmp_path / "链接" / "甲.xlsx", tmp_path / "链接" / "乙.xlsx", tmp_path / "链接" / "丙.xlsx", "链接/甲.xlsx",
             tmp_path / "链接" / ".." / "甲.xlsx"]
    monkeypatch.chdir(tmp_path)
    found = places(given, out)
    assert found == ["../真实/评分表/甲.xlsx", "../真实/评分表/乙.xlsx", "../真实/评分表/丙.xlsx",
                     "../真实/评分表/甲.xlsx", "../真实/甲.xlsx"]
    assert recorded_path(out, found[2], "丙.xlsx").resolve() == other  # found again at its place


def test_verify_never_agrees_when_the_audit_names_no_expert_sheet(base, tmp_path, capsys):
    """§4: with the 审计 rows of the expert sheets cleared, verify compared nothing and printed 一致 (exit 0)."""
    wb = openpyxl.load_workbook(base)
    ws = wb["审计"]
    for row in ws.iter_rows():
        if row[0].value == "专家评分表":
            row[0].value = None
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    code, out, _ = run(capsys, "verify", edited, base.parent)
    assert code == 1 and "“审计”表中没有专家评分表的记录" in out and not out.startswith("一致")


@needs_libreoffice
def test_correct_finds_a_sheet_summarized_from_an_ods_file(tmp_path, capsys):
    """§4: summarize reads .ods (and .xls) sheets, converted; correct looked only for .xlsx files and reported
    the expert's sheet missing."""
    from scoring.excel.libreoffice import convert
    from tests.conftest import write_expert_workbook

    folder = tmp_path / "评分表"
    folder.mkdir()
    for expert, score in (("甲", 10), ("乙", 8)):
        write_expert_workbook(folder, expert, {"report": score})
    made = convert(write_expert_workbook(tmp_path, "丙", {"report": 6}), "ods", tmp_path / "ods")
    made.replace(folder / made.name)
    summary = tmp_path / "汇总.xlsx"
    assert main(["summarize", str(folder), "--out", str(summary)]) == 0
    capsys.readouterr()
    moved = folder.rename(tmp_path / "已归档")  # not at the recorded place: looked for in the folder given
    code, _, err = run(capsys, "correct", summary, moved, "--expert", "丙", "--item", "report", "--score", "7",
                       "--reason", "sum-error", "--by", "王秘书", "--out", tmp_path / "复核.xlsx")
    assert code == 0, err


def test_a_summary_made_with_an_earlier_shipped_template_corrects_and_verifies(base, tmp_path, capsys, monkeypatch):
    """An upgrade changes the program's own template (layout, not figures): correct refused every summary made
    before it ("文件已修改（模板…）") and verify counted it as a difference."""
    import shutil
    import zipfile

    from scoring.excel import summary as summary_module

    shipped = summary_module.default_template()
    upgraded = tmp_path / shipped.name
    shutil.copyfile(shipped, upgraded)
    with zipfile.ZipFile(upgraded, "a") as archive:  # other bytes, the same template
        archive.comment = b"upgraded"
    monkeypatch.setattr(summary_module, "default_template", lambda: upgraded)
    code, out, _ = run(capsys, "verify", base, base.parent)
    assert code == 0, out
    code, _, err = run(capsys, "correct", base, base.parent, "--expert", "乙", "--item", "report", "--score", "11",
                       "--reason", "sum-error", "--by", "王科长", "--out", tmp_path / "c.xlsx")
    assert code == 0 and (tmp_path / "c.xlsx").exists(), err
