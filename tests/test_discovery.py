"""Every file a person drops into the sheets folder is accounted for (issue 12; R2.1, R2.2; interfaces.md §1).

Files come from the programs that make them: LibreOffice's .ods and .xls saves, a Mac's AppleDouble
`._` files, Office lock files, browser copies, our own evidence workbook and summary.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.excel.libreoffice import convert, find_soffice
from tests.conftest import needs_libreoffice, write_expert_workbook
from tests.strict import make_strict

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"

# A Mac's AppleDouble header (magic 0x00051607, version 2) and an Excel owner file (~$): their real first bytes.
APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02" + b"\x00" * 60
EXCEL_LOCK = b"\x08" + "张三".encode("utf-16-le").ljust(53, b"\x00") + b"\x20" * 110


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def panel(folder: Path, scores: dict[str, dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("甲", "乙", "丙"):
        write_expert_workbook(folder, name, (scores or {}).get(name, {}))
    return folder


def test_what_people_leave_in_the_folder_is_skipped_with_one_line_each(tmp_path, capsys):
    fits = {"response": 6, "satisfaction": 6}  # inside the sample evidence's ranges (R7, R9)
    folder = panel(tmp_path / "评分表", {"甲": fits, "乙": fits, "丙": fits})
    (folder / "~$2026H2_甲.xlsx").write_bytes(EXCEL_LOCK)
    (folder / ".~lock.2026H2_乙.xlsx#").write_text(",张三,pc,30.11.2026 10:00,file:///C:/Users/zs;", encoding="utf-8")
    (folder / "._2026H2_乙.xlsx").write_bytes(APPLEDOUBLE)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4\n")
    shutil.copyfile(EVIDENCE, folder / "2026H2_证据材料.xlsx")
    assert run(capsys, "summarize", panel(tmp_path / "上期"), "--out", folder / "上期汇总.xlsx")[0] == 0
    (folder / "作废").mkdir()
    write_expert_workbook(folder / "作废", "丁", {})  # an old sheet put aside in a sub-folder

    code, out, err = run(capsys, "summarize", folder, "--evidence", EVIDENCE, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert sorted(json.loads(out)["experts"]) == sorted(["甲", "乙", "丙"])
    lines = err.strip().splitlines()
    expected = {
        "~$2026H2_甲.xlsx": "Office 锁文件（有人正打开“2026H2_甲.xlsx”",
        ".~lock.2026H2_乙.xlsx#": "Office 锁文件（有人正打开“2026H2_乙.xlsx”",
        "._2026H2_乙.xlsx": "Mac 生成的隐藏文件（不是评分表，可删除）",
        ".DS_Store": "Mac 的文件夹设置文件", "Thumbs.db": "Windows 的缩略图文件",
        "说明.pdf": "不是 Excel 评分表（.pdf）",
        "2026H2_证据材料.xlsx": "证据材料（不是评分表）", "上期汇总.xlsx": "以前生成的汇总表（不是评分表）",
    }
    for name, text in expected.items():
        assert sum(1 for line in lines if line.startswith(f"跳过 {folder / name}：") and text in line) == 1, (name, lines)
    assert f"跳过子文件夹 {folder / '作废'}（子文件夹中的文件不读取" in err
    assert len(lines) == len(expected) + 1


@pytest.mark.parametrize("suffix", [".xlsb", ".numbers"])
def test_a_sheet_saved_as_a_spreadsheet_we_cannot_read_is_refused_not_skipped(tmp_path, capsys, suffix):
    """R2.1, R2.2: two of five experts saved as .xlsb were skipped with a notice and the other three summarized:
    79.5 became 82.5 and the fee was paid whole. A spreadsheet in the folder is refused with what to do."""
    folder = tmp_path / "评分表"
    folder.mkdir()
    for name in ("甲", "乙", "丙", "丁", "戊"):
        write_expert_workbook(folder, name, {"report": 3} if name in "丁戊" else {})
    for name in ("丁", "戊"):
        (folder / f"2026H2_{name}.xlsx").rename(folder / f"2026H2_{name}{suffix}")
    code, out, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 2 and not (tmp_path / "s.xlsx").exists()
    errors = json.loads(out)["errors"]
    assert [(e["code"], e["place"]) for e in errors] == [
        ("E-FILE-FORMAT", str(folder / f"2026H2_丁{suffix}")), ("E-FILE-FORMAT", str(folder / f"2026H2_戊{suffix}"))]
    assert "另存为“Excel 工作簿（*.xlsx）”" in errors[0]["message"]


def test_an_evidence_workbook_in_the_folder_without_evidence_is_a_hint(tmp_path, capsys):
    folder = panel(tmp_path / "评分表")
    shutil.copyfile(EVIDENCE, folder / "2026H2_证据材料.xlsx")
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx")
    assert code == 0
    assert (f"提示：{folder / '2026H2_证据材料.xlsx'} 是证据材料，但本次没有用 --evidence 给出，汇总不应用证据规则（R5–R9）；"
            f"如需应用，请加 --evidence {folder / '2026H2_证据材料.xlsx'}") in err


@pytest.mark.parametrize("kept", ["evidence", "summary"])
def test_a_folder_holding_only_our_other_workbooks_has_no_sheet_to_read(tmp_path, capsys, kept):
    """What a workbook is is found when it is read (issue 15: each file opened once); a folder left with
    nothing but our evidence or last period's summary is still named as having no sheet, with the notice."""
    folder = tmp_path / "评分表"
    folder.mkdir()
    if kept == "evidence":
        shutil.copyfile(EVIDENCE, folder / "2026H2_证据材料.xlsx")
    else:
        sheets = panel(tmp_path / "上期")
        assert run(capsys, "summarize", sheets, "--out", folder / "上期汇总.xlsx")[0] == 0
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx")
    assert code == 2 and not (tmp_path / "s.xlsx").exists()
    assert f"{folder}: 文件夹中没有评分表（.xlsx）" in err
    assert ("是证据材料" if kept == "evidence" else "以前生成的汇总表") in err


def test_batch_also_hints_at_an_evidence_workbook_outside_evidence_folder(tmp_path, capsys):
    group = panel(tmp_path / "考核组1")
    shutil.copyfile(EVIDENCE, group / "2026H2_证据材料.xlsx")  # not in evidence/ as the README asks
    (tmp_path / "out").mkdir()
    code, out, err = run(capsys, "batch", group, "--out-dir", tmp_path / "out")
    assert code == 0 and f"提示：{group / '2026H2_证据材料.xlsx'} 是证据材料" in err


def test_a_browser_copy_is_the_expert_inside_and_an_identical_copy_counts_once(tmp_path, capsys):
    folder = panel(tmp_path / "评分表")
    shutil.copyfile(folder / "2026H2_丙.xlsx", folder / "2026H2_丙(1).xlsx")  # downloaded twice from the mail
    (folder / "2026H2_乙.xlsx").rename(folder / "2026H2_乙 - 副本.xlsx")  # Explorer's copy, original deleted
    code, out, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert sorted(json.loads(out)["experts"]) == sorted(["甲", "乙", "丙"])
    assert f"{folder / '2026H2_乙 - 副本.xlsx'}：文件名带有副本后缀，按表内专家姓名“乙”计" in err
    assert f"{folder / '2026H2_丙(1).xlsx'} 与 {folder / '2026H2_丙.xlsx'} 内容完全相同（同一份评分表的副本），只计一次" in err


def test_a_different_copy_of_one_expert_is_one_duplicate_not_also_an_even_panel(tmp_path, capsys):
    folder = panel(tmp_path / "评分表")
    write_expert_workbook(tmp_path, "甲", {"report": 3})
    shutil.copyfile(tmp_path / "2026H2_甲.xlsx", folder / "2026H2_甲(1).xlsx")  # changed her mind, sent again
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "须为单数" not in err and "评审专家" not in err  # R2.1: 3 experts
    assert err.count("专家“甲”重复") == 2 and "2026H2_甲(1).xlsx" in err


def test_one_file_given_twice_counts_once(tmp_path, capsys):
    folder = panel(tmp_path / "评分表")
    code, out, err = run(capsys, "summarize", folder, folder / "2026H2_甲.xlsx", "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0 and sorted(json.loads(out)["experts"]) == sorted(["甲", "乙", "丙"])
    assert f"{folder / '2026H2_甲.xlsx'} 被重复给出，只计一次" in err and "单数" not in err


@needs_libreoffice
@pytest.mark.parametrize("kind, what", [("ods", "LibreOffice 文件（.ods）"), ("xls", "旧版 Excel 文件（.xls）")])
def test_ods_and_xls_saves_are_converted_through_libreoffice_and_read(tmp_path, capsys, kind, what):
    folder = panel(tmp_path / "评分表", {"丙": {"report": 7.5}})
    saved = convert(folder / "2026H2_丙.xlsx", kind, tmp_path / "lo")  # the expert saved in LibreOffice's format
    (folder / "2026H2_丙.xlsx").unlink()
    shutil.move(saved, folder / saved.name)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, out, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no lock file, nothing converted in place
    result = json.loads(out)
    assert result["items"]["report"]["scores"]["丙"] == "7.5"
    assert f"{folder / saved.name}：{what}，已用 LibreOffice 转换后读取" in err
    # verify finds the .ods/.xls again and recomputes the same result
    code, out, _ = run(capsys, "verify", tmp_path / "s.xlsx", folder)
    assert code == 0, out


@needs_libreoffice
def test_an_ods_evidence_workbook_among_the_sheets_is_said_skipped_not_read(tmp_path, capsys):
    """The notice said "已用 LibreOffice 转换后读取" of a file that was then passed over as no sheet."""
    folder = panel(tmp_path / "评分表")
    saved = convert(EVIDENCE, "ods", tmp_path / "lo")
    shutil.move(saved, folder / saved.name)
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    assert f"跳过 {folder / saved.name}：LibreOffice 文件（.ods），转换后看到的不是评分表" in err
    assert "已用 LibreOffice 转换后读取" not in err


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_without_libreoffice_an_ods_or_xls_is_refused_with_what_to_do(tmp_path, capsys, monkeypatch, kind):
    import scoring.excel.libreoffice as lo

    folder = panel(tmp_path / "评分表")
    fake = folder / f"2026H2_丁.{kind}"
    fake.write_bytes((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" if kind == "xls" else b"PK\x03\x04") + b"\x00" * 600)
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx")
    assert code == 2 and f"{fake}: 这是" in err and "“另存为” Excel 工作簿（*.xlsx）" in err and "本机未安装 LibreOffice" in err


def test_a_strict_open_xml_save_is_converted_or_refused(tmp_path, capsys, monkeypatch):
    folder = panel(tmp_path / "评分表", {"乙": {"report": 9}})
    original = folder / "2026H2_乙.xlsx"
    strict = make_strict(original, tmp_path / original.name)
    shutil.move(strict, original)
    if find_soffice() is not None:
        code, out, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx", "--json")
        assert code == 0, err
        assert json.loads(out)["items"]["report"]["scores"]["乙"] == "9"
        assert f"{original}：“Strict Open XML 电子表格”格式的 .xlsx，已用 LibreOffice 转换后读取" in err
    import scoring.excel.libreoffice as lo

    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "t.xlsx")
    assert code == 2 and f"{original}: 这是“Strict Open XML 电子表格”格式的 .xlsx" in err and "保存类型不要选" in err


def test_a_mac_file_beside_the_batch_evidence_is_not_a_second_evidence(tmp_path, capsys):
    group = panel(tmp_path / "考核组1", {n: {"response": 6, "satisfaction": 6} for n in ("甲", "乙", "丙")})
    (group / "evidence").mkdir()
    shutil.copyfile(EVIDENCE, group / "evidence" / "2026H2_证据材料.xlsx")
    (group / "evidence" / "._2026H2_证据材料.xlsx").write_bytes(APPLEDOUBLE)  # copied from a Mac's USB stick
    (tmp_path / "out").mkdir()
    code, out, err = run(capsys, "batch", group, "--out-dir", tmp_path / "out")
    assert code == 0, err
    assert "只能有一份证据材料" not in err and (tmp_path / "out" / "考核组1.xlsx").is_file()


def test_notices_are_shown_when_the_panel_is_refused_too(tmp_path, capsys):
    folder = panel(tmp_path / "评分表")
    (folder / "2026H2_丙.xlsx").unlink()
    (folder / "~$2026H2_丙.xlsx").write_bytes(EXCEL_LOCK)  # she still has it open: only the lock file arrived
    code, _, err = run(capsys, "summarize", folder, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "评审专家只有 2 名" in err
    assert f"跳过 {folder / '~$2026H2_丙.xlsx'}：Office 锁文件（它所指的“2026H2_丙.xlsx”不在此文件夹中：若它正在别处打开，请保存后放入此文件夹" in err


@needs_libreoffice
def test_an_evidence_workbook_saved_as_ods_is_converted_and_its_problems_name_the_ods(tmp_path, capsys):
    from scoring.excel.evidence_reader import read_evidence
    from tests.conftest import write_evidence_workbook

    good = convert(EVIDENCE, "ods", tmp_path / "lo")  # the secretary kept the evidence in LibreOffice's format
    evidence, problems = read_evidence(good)
    assert problems == [] and evidence.source == str(good) and len(evidence.requests) > 0
    bad = write_evidence_workbook(tmp_path / "坏证据.xlsx", rows={"需求函": [("XQ-1", "下周", None, "")]})
    bad_ods = convert(bad, "ods", tmp_path / "lo")
    evidence, problems = read_evidence(bad_ods)
    assert evidence is None and [(p.file, p.sheet, p.cell) for p in problems] == [(str(bad_ods), "需求函", "B3")]


def test_an_ods_given_where_libreoffice_is_missing_says_what_it_is(tmp_path, monkeypatch):
    import zipfile

    import scoring.excel.libreoffice as lo
    from scoring.excel.evidence_reader import read_evidence

    ods = tmp_path / "证据.ods"
    with zipfile.ZipFile(ods, "w") as z:  # the first parts of every OpenDocument spreadsheet
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    evidence, problems = read_evidence(ods)
    assert evidence is None and problems[0].file == str(ods) and "本机未安装 LibreOffice" in problems[0].message
    renamed = tmp_path / "证据.xlsx"
    ods.rename(renamed)  # the same file with an .xlsx name: the pre-flight check tells what it is
    evidence, problems = read_evidence(renamed)
    assert evidence is None and problems[0].message.startswith("这是 OpenDocument 表格（.ods")


def test_the_summarys_and_the_evidences_own_locks_among_the_sheets_are_told_as_theirs(tmp_path, capsys):
    """The secretary keeps the summary and the evidence in the sheets folder and has both open: each lock file
    is named for what it is (the summary cannot be written while open; the evidence's unsaved rows are not
    read), not as an expert's open sheet."""
    folder = panel(tmp_path / "评分表")
    out = folder / "2026H2_汇总.xlsx"
    shutil.copyfile(EVIDENCE, folder / "证据.xlsx")
    (folder / ".~lock.2026H2_汇总.xlsx#").write_text(",王秘书,pc,01.12.2026 09:00,file:///home/w;", encoding="utf-8")
    (folder / "~$证据.xlsx").write_bytes(EXCEL_LOCK)
    code, _, err = run(capsys, "summarize", folder, "--evidence", folder / "证据.xlsx", "--out", out)
    assert code == 2 and not out.exists()
    assert f"跳过 {folder / '.~lock.2026H2_汇总.xlsx#'}：Office 锁文件（输出文件“2026H2_汇总.xlsx”正被打开" in err
    assert f"注意：证据材料 {folder / '证据.xlsx'} 正被打开（锁文件 ~$证据.xlsx）：未保存的内容不会被读取" in err
    assert "未保存的评分" not in err and err.count("~$证据.xlsx") == 1


def test_every_other_lock_file_is_told_as_what_it_is(tmp_path, capsys):
    """An earlier summary open while another is written, a lock left behind by a program that crashed, and the
    evidence open outside the sheets folder: each said as such, and the panel is summarized."""
    folder = panel(tmp_path / "评分表")
    earlier = folder / "2026H1_汇总.xlsx"
    assert run(capsys, "summarize", folder, "--out", earlier)[0] == 0
    (folder / "~$2026H1_汇总.xlsx").write_bytes(EXCEL_LOCK)
    (folder / ".~lock.2026H2_戊.xlsx#").write_text(",戊,pc,01.12.2026 09:00,file:///home/w;", encoding="utf-8")
    outside = tmp_path / "证据" / "2026H2_证据材料.xlsx"
    outside.parent.mkdir()
    shutil.copyfile(EVIDENCE, outside)
    (outside.parent / ".~lock.2026H2_证据材料.xlsx#").write_text(",王,pc,01.12.2026 09:00,file:///home/w;",
                                                                encoding="utf-8")
    code, _, err = run(capsys, "summarize", folder, "--evidence", outside, "--out", tmp_path / "s.xlsx")
    assert code == 2  # these made-up scores lie outside the sample evidence's ranges; the notices are said all the same
    assert f"跳过 {folder / '~$2026H1_汇总.xlsx'}：Office 锁文件（以前生成的汇总表“2026H1_汇总.xlsx”正被打开，不影响本次汇总）" in err
    assert f"跳过 {folder / '.~lock.2026H2_戊.xlsx#'}：Office 锁文件（它所指的“2026H2_戊.xlsx”不在此文件夹中" in err
    assert f"注意：证据材料 {outside} 正被打开" in err
    assert "未保存的评分" not in err


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_given_as_a_sheet_is_refused_not_waited_on(tmp_path, capsys):
    """Opening a named pipe waits for a writer: it is refused by its kind, never opened (it hung summarize)."""
    import os
    import signal

    folder = panel(tmp_path / "评分表")
    pipe = tmp_path / "2026H2_丁.xlsx"
    os.mkfifo(pipe)

    def stuck(signum, frame):
        raise TimeoutError("summarize waited on the named pipe")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(20)
    try:
        code, _, err = run(capsys, "summarize", folder, pipe, "--out", tmp_path / "s.xlsx")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert code == 2 and f"{pipe}" in err and "不是文件" in err
