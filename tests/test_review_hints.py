"""87号令 Art. 64 review hints (objective items scored differently, outlying scores flagged by R2.4) were printed
on the terminal only: `--json` now carries them as "review_hints" and the summary lists them on the 复核提示
sheet, which the 签字 sheet points to, so the review group sees them before it signs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from scoring.assess import assess, to_json
from scoring.cli import main
from scoring.jobs.summarize import summarize
from scoring.period import parse_period
from scoring.policies import make_policies
from tests.conftest import CONTRACT, RUBRIC, sheet, write_expert_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"
# The demo panel, hand-checked (R2.4, outlier share 0.25 of the points, from the item median):
#   故障响应与处理 (6 points): 3.5 5 4 3 6, median 4 -> 钱七's 6 is 2 > 1.5 away; 赵六's 3 is 1, not flagged
#   应急演练 (10): 7 6 7 4 9, median 7 -> 赵六's 4 is 3 > 2.5 away; 钱七's 9 is 2, not flagged
#   密评 (2): 0 0 0 0 1, median 0 -> 钱七's 1 is 1 > 0.5 away
DEMO_HINTS = [("钱七", "incidents", "6"), ("赵六", "drills", "4"), ("钱七", "crypto", "1")]


def hint_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["复核提示"]
    rows = [tuple(c.value for c in r[:5]) for r in ws.iter_rows()]
    top = next(k for k, r in enumerate(rows) if r[0] == "分项指标")
    return [r for r in rows[top + 1:] if any(v not in (None, "") for v in r)]


def test_summarize_json_lists_the_demo_panels_outliers_with_the_command_to_correct_them(tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    code = main(["summarize", str(SAMPLE), "--evidence", str(EVIDENCE), "--out", str(out), "--json"])
    stdout = capsys.readouterr().out
    assert code == 0
    hints = json.loads(stdout)["review_hints"]
    assert [(h["expert"], h["item"], h["score"], h["reason"]) for h in hints] == [e + ("outlier",) for e in DEMO_HINTS]
    first = hints[0]
    assert first["scores"] == {"张三": "3.5", "李四": "5", "王五": "4", "赵六": "3", "钱七": "6"}
    assert first["reason_text"] == "经评审小组认定评分畸高、畸低" and first["item_name"] == "故障响应与处理"
    assert first["command"] == (f"scorecard correct {out} {SAMPLE} {EVIDENCE} --expert 钱七 --item incidents --reason outlier "
                                "--score <更正后的得分> --by <复核人> --out <新汇总表.xlsx>")
    assert "偏离中位数较大" in first["message"]


def test_an_objective_item_scored_differently_is_one_hint_for_the_group_to_decide():
    """服务响应 is determined by the evidence (R1); without evidence three experts gave 8, 8 and 7."""
    sheets = [sheet("甲"), sheet("乙"), sheet("丙", {"response": 7})]
    a = assess(sheets, RUBRIC, CONTRACT, parse_period("2026H2"), make_policies(CONTRACT.policies), Decimal("582000"))
    (hint,) = to_json(a)["review_hints"]
    assert (hint["expert"], hint["item"], hint["score"], hint["reason"]) == (None, "response", None,
                                                                             "objective-inconsistent")
    assert hint["scores"] == {"甲": "8", "乙": "8", "丙": "7"}
    assert hint["command"].startswith("scorecard correct <汇总表.xlsx> --expert <专家> --item response ")


def test_the_hints_sheet_lists_the_hints_and_the_signature_sheet_points_to_it(tmp_path):
    path = tmp_path / "s.xlsx"
    summarize([SAMPLE], path, evidence=EVIDENCE)
    assert hint_rows(path) == [
        ("故障响应与处理", "钱七", "6", "经评审小组认定评分畸高、畸低", "--expert 钱七 --item incidents --reason outlier"),
        ("应急演练", "赵六", "4", "经评审小组认定评分畸高、畸低", "--expert 赵六 --item drills --reason outlier"),
        ("密评", "钱七", "1", "经评审小组认定评分畸高、畸低", "--expert 钱七 --item crypto --reason outlier"),
    ]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames.index("复核提示") == wb.sheetnames.index("签字") + 1
    assert any("“复核提示”表" in str(c.value) for row in wb["签字"].iter_rows() for c in row if c.value)


def test_a_panel_without_any_hint_says_so_on_the_hints_sheet(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(folder, expert, {})
    path = tmp_path / "s.xlsx"
    summarize([folder], path)
    assert hint_rows(path) == [("无", None, None, "数据中未见客观评审因素评分不一致或评分偏离较大", None)]


HOSTING = ROOT / "workbooks" / "hosting"


def test_the_json_command_runs_as_printed_for_another_contract_and_a_panel_kept_elsewhere(tmp_path, capsys):
    """The "command" of a review hint is the whole `scorecard correct` command (README): with the panel's folder,
    the evidence and --contract of the run, so that filling in the placeholders is all the secretary does.
    It once named only the summary: for the hosting contract it failed (wrong contract, E-...); for a panel
    folder outside the summary's folder it failed (inputs not found)."""
    import shlex

    contract = HOSTING / "contract-hosting-2026.toml"
    evidence = HOSTING / "panel" / "evidence" / "2026H1_证据材料.xlsx"
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    code = main(["summarize", str(HOSTING / "panel"), "--evidence", str(evidence), "--contract", str(contract),
                 "--out", str(out), "--json"])
    assert code == 0
    (hint,) = json.loads(capsys.readouterr().out)["review_hints"]  # 郑四's 故障处理, flagged by R2.4
    command = (hint["command"].replace("<更正后的得分>", "4").replace("<复核人>", "王秘书")
               .replace("<新汇总表.xlsx>", str(tmp_path / "复核.xlsx")))
    argv = shlex.split(command)
    assert argv[:2] == ["scorecard", "correct"] and "--contract" in argv
    code = main(argv[1:])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "复核.xlsx").is_file()


def test_the_screen_hint_quotes_an_expert_name_with_a_space():
    """`--expert 欧阳 修` pasted from the screen gave "无法识别的参数：修": the name is one argument as printed."""
    from scoring.correction import review_hints

    sheets = [sheet("欧阳 修", {"report": 2}), sheet("乙"), sheet("丙")]  # 2 of 12, far below the median 12
    a = assess(sheets, RUBRIC, CONTRACT, parse_period("2026H2"), make_policies(CONTRACT.policies), Decimal("582000"))
    [hint] = [h for h in review_hints(a) if h.expert == "欧阳 修"]
    assert "--expert \"欧阳 修\" --item report --reason outlier" in hint.text
