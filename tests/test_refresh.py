"""`refresh`: sheets already handed out follow changed evidence without losing what experts entered (R7, R9, R11)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl

from scoring.cli import main
from scoring.excel import names

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def add_row(path: Path, sheet: str, values: tuple) -> None:
    """Type one more row under a table of the evidence workbook, as the secretary would."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = 3
    while any(ws.cell(row, c + 1).value not in (None, "") for c in range(len(values))):
        row += 1
    for c, value in enumerate(values, start=1):
        ws.cell(row, c).value = value
    wb.save(path)


def fill(path: Path, scores: dict[str, object], notes: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(path)
    for item, value in scores.items():
        sheet, cell = names.locate(wb, names.score_name(item))
        wb[sheet][cell].value = value
    for item, text in notes.items():
        sheet, cell = names.locate(wb, names.note_name(item))
        wb[sheet][cell].value = text
    sheet, cell = names.locate(wb, "sign_date")
    wb[sheet][cell].value = date(2027, 1, 8)
    wb.save(path)


def value(path: Path, name: str):
    wb = openpyxl.load_workbook(path)
    sheet, cell = names.locate(wb, name)
    return wb[sheet][cell].value


SCORES = {"report": 10, "platform": 5, "onsite": 11, "policies": 5, "availability": 7, "incidents": 5, "drills": 9,
          "mlps": 3, "crypto": 1, "satisfaction": 6, "training": 7}


def test_a_late_request_after_handing_out_is_refreshed_keeping_every_score_and_note(tmp_path, capsys):
    evidence = tmp_path / "证据 材料.xlsx"  # paths with spaces: the printed command must run as pasted
    shutil.copyfile(EVIDENCE, evidence)
    sheets = tmp_path / "评分 表"
    assert run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", evidence,
               "--out", sheets)[0] == 0
    for name in ("甲", "乙", "丙"):
        fill(sheets / f"2026H2_{name}.xlsx", {**SCORES, "satisfaction": 6 if name == "甲" else 3},
             {"report": f"{name}：月报齐全"})
    assert run(capsys, "summarize", sheets, "--evidence", evidence, "--out", tmp_path / "s.xlsx")[0] == 0

    # the secretary learns of a late 需求函 and a complaint after the sheets came back (R7, R9)
    add_row(evidence, "需求函", ("XQ-99", date(2026, 11, 2), date(2026, 11, 20), "补登"))
    add_row(evidence, "投诉与未接电话", (date(2026, 11, 3), "投诉", "补登"))
    code, _, err = run(capsys, "summarize", sheets, "--evidence", evidence, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "的“服务响应”得分 6，按证据材料应为 5 分" in err
    assert f'请用 scorecard refresh "{sheets}" --evidence "{evidence}" --out 新文件夹 更新评分表' in err
    import shlex

    printed = err.split("请用 scorecard ")[1].split(" 更新评分表")[0].replace("新文件夹", str(tmp_path / "试"))
    assert run(capsys, *shlex.split(printed))[0] == 0  # pasted into a shell, it runs

    before = {p.name: p.read_bytes() for p in sheets.iterdir()}
    new = tmp_path / "评分表_更新"
    lock = evidence.parent / f".~lock.{evidence.name}#"  # still open in LibreOffice: rows not yet saved are not read
    lock.write_text(",王秘书,pc,01.12.2026 09:00,file:///home/w;", encoding="utf-8")
    code, out, err = run(capsys, "refresh", sheets, "--evidence", evidence, "--out", new)
    lock.unlink()
    assert code == 0, err
    assert f"注意：证据材料 {evidence} 正被打开（锁文件 {lock.name}）" in err
    assert {p.name: p.read_bytes() for p in sheets.iterdir()} == before  # the handed-out sheets are not written
    assert "甲：“服务响应”由证据确定，由 6 分改为 5 分（R7）" in out
    assert "甲：“客户满意度”得分 6 超出新的允许范围 0–4 分（R9），请专家重新评分" in out
    assert "乙：“客户满意度”" not in out  # 3 is still inside 0-4
    refreshed = new / "2026H2_甲.xlsx"
    assert value(refreshed, "score_report") == 10 and value(refreshed, "note_report") == "甲：月报齐全"
    assert value(refreshed, "score_response") == 5 and value(refreshed, "sign_date").date() == date(2027, 1, 8)

    # summarized before 甲 re-scores: the refreshed sheets record the evidence they follow, so the advice is
    # to ask the expert, not to refresh again (it pointed at refresh of the refreshed folder)
    code, _, err = run(capsys, "summarize", new, "--evidence", evidence, "--out", tmp_path / "s.xlsx")
    assert code == 2 and "专家“甲”的“客户满意度”得分 6，超出允许范围 0–4 分" in err
    assert "refresh" not in err.replace("无需再次 refresh", "")
    assert "这些评分表已按当前证据材料" in err and "请相关专家在评分表中重新填写这些得分后再汇总" in err

    # the expert corrects the one score: the panel summarizes with the new evidence
    fill(refreshed, {"satisfaction": 4}, {})
    code, out, err = run(capsys, "summarize", new, "--evidence", evidence, "--out", tmp_path / "s.xlsx", "--json")
    assert code == 0, err
    assert '"response": {\n      "panel": "5"' in out


def test_refresh_refuses_to_write_over_the_handed_out_sheets(tmp_path, capsys):
    sheets = tmp_path / "评分表"
    assert run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", EVIDENCE,
               "--out", sheets)[0] == 0
    code, _, err = run(capsys, "refresh", sheets, "--evidence", EVIDENCE, "--out", sheets)
    assert code == 2 and "输出文件夹不能是原评分表所在的文件夹" in err


def test_text_stays_text_formulas_are_not_carried_and_invalid_scores_are_named(tmp_path, capsys):
    """People's text is never written as a formula (a note "=cmd|…" typed as text stays text); a formula the
    expert entered is not carried as one; a score that is no number needs the expert again (R1.2, §2)."""
    sheets = tmp_path / "评分表"
    assert run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", EVIDENCE,
               "--out", sheets)[0] == 0
    path = sheets / "2026H2_甲.xlsx"
    fill(path, {**SCORES, "platform": "９"}, {})
    wb = openpyxl.load_workbook(path)
    for name, text, as_text in (("note_report", "=cmd|'/c calc'!A0", True),
                                ("dissent_reason", '=HYPERLINK("http://x","y")', True),
                                ("note_onsite", "=1+1", False), ("score_policies", "=2+3", False)):
        sheet, cell = names.locate(wb, name)
        wb[sheet][cell].value = text
        if as_text:
            wb[sheet][cell].data_type = "s"  # typed as text ('=… in Excel), not a formula
    wb.save(path)
    new = tmp_path / "更新"
    code, out, err = run(capsys, "refresh", sheets, "--evidence", EVIDENCE, "--out", new)
    assert code == 0, err
    assert "甲：“平台功能”得分“９”是文本格式的数字，请删除后重新输入数字（半角）（需专家重新填写）" in out
    assert "甲：“驻场服务”的“备注”是公式（=1+1），已作为文字保留，请专家核对" in out
    assert "甲：“制度建设”得分是公式（=2+3），未保留，请专家填写数字" in out
    refreshed = openpyxl.load_workbook(new / "2026H2_甲.xlsx")
    for name, text in (("note_report", "=cmd|'/c calc'!A0"), ("dissent_reason", '=HYPERLINK("http://x","y")'),
                       ("note_onsite", "=1+1")):
        sheet, cell = names.locate(refreshed, name)
        assert (refreshed[sheet][cell].value, refreshed[sheet][cell].data_type) == (text, "s"), name
    sheet, cell = names.locate(refreshed, "score_policies")
    assert refreshed[sheet][cell].value is None


def test_a_score_in_a_percent_cell_is_not_carried_into_the_refreshed_sheet(tmp_path, capsys):
    """R1.2: summarize refuses 0.11 in a percent cell (11 typed); refresh copied 0.11 into the new sheet's plain
    cell, where it then passed as the score."""
    sheets = tmp_path / "评分表"
    assert run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", EVIDENCE,
               "--out", sheets)[0] == 0
    path = sheets / "2026H2_甲.xlsx"
    fill(path, SCORES, {})
    wb = openpyxl.load_workbook(path)
    sheet, cell = names.locate(wb, "score_report")
    wb[sheet][cell].number_format, wb[sheet][cell].value = "0%", 0.11
    wb.save(path)
    new = tmp_path / "更新"
    code, out, err = run(capsys, "refresh", sheets, "--evidence", EVIDENCE, "--out", new)
    assert code == 0, err
    assert "甲：“运行报告”得分单元格是百分比格式（实际值 0.11），未保留，请专家重新填写" in out
    refreshed = openpyxl.load_workbook(new / "2026H2_甲.xlsx")
    assert refreshed[sheet][cell].value is None


def test_two_sheets_of_one_expert_are_each_named_with_the_other(tmp_path, capsys):
    """Both would be written as 2026H2_甲.xlsx: each is named at its place with the other, not only the target."""
    evidence = tmp_path / "ev.xlsx"
    assert run(capsys, "evidence-template", "--period", "2026H2", "--out", evidence)[0] == 0
    sheets = tmp_path / "评分表"
    assert run(capsys, "new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--evidence", evidence,
               "--out", sheets)[0] == 0
    first, second = sheets / "2026H2_甲.xlsx", sheets / "2026H2_甲(1).xlsx"
    shutil.copy(first, second)
    fill(second, {}, {"report": "另一份"})
    code, _, err = run(capsys, "refresh", sheets, "--evidence", evidence, "--out", tmp_path / "新")
    assert code == 2 and not (tmp_path / "新").exists()
    assert err.strip().splitlines() == [
        f"{second}: 多份评分表属于同一专家，更新后都会写成 2026H2_甲.xlsx、互相覆盖（另见 {first}）：请只保留一份",
        f"{first}: 多份评分表属于同一专家，更新后都会写成 2026H2_甲.xlsx、互相覆盖（另见 {second}）：请只保留一份"]
