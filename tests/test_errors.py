"""The one error model (interfaces.md §5): stable codes, places, every problem of a run reported together,
in the three faces (CLI lines, --json, add-in cells). Tests assert codes and places, not Chinese text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring import functions
from scoring.cli import main
from scoring.errors import CODES, BadArgument, InputError, Problem, json_errors, unique
from tests.conftest import write_expert_workbook

ROOT = Path(__file__).resolve().parents[1]


def test_places_are_file_sheet_cell_or_file_key():
    assert Problem("m", file="a.xlsx", sheet="评分表", cell="D7").place == "a.xlsx!评分表!D7"
    assert Problem("m", file="c.toml", key="deduction.tiers[1].rate").place == "c.toml:deduction.tiers[1].rate"
    assert Problem("m").place == "" and str(Problem("m")) == "m"
    assert Problem("m", file="a.xlsx", code="E-SCORE-RANGE").as_dict() == {
        "code": "E-SCORE-RANGE", "place": "a.xlsx", "message": "m"}


def test_every_code_raised_in_the_package_is_published():
    used = set()
    for path in (ROOT / "scoring").rglob("*.py"):
        used |= set(re.findall(r'"(E-[A-Z-]+)"', path.read_text(encoding="utf-8")))
    assert used and used <= set(CODES), used - set(CODES)
    assert all(re.fullmatch(r"E-[A-Z]+(-[A-Z]+)*", code) for code in CODES)


def test_advice_travels_beside_the_problems_and_comes_back_from_a_batch_worker():
    import pickle

    exc = InputError([Problem("m", file="f", cell="A1", code="E-SCORE-RANGE")], advice=["请刷新评分表"])
    assert str(exc) == "f!A1: m\n请刷新评分表" and exc.codes == ["E-SCORE-RANGE"]
    back = pickle.loads(pickle.dumps(exc))  # a batch worker's outcome crosses a pipe
    assert (back.problems, back.advice) == (exc.problems, ["请刷新评分表"])
    assert json_errors(exc.problems, exc.advice) == {"errors": [exc.problems[0].as_dict()], "advice": ["请刷新评分表"]}
    assert list(json_errors(exc.problems)) == ["errors"]  # no advice: the shape of interfaces.md §5 exactly


def test_json_errors_keep_one_problem_per_cell():
    same = Problem("a", file="f", sheet="s", cell="A1", code="E-SCORE-RANGE")
    again = Problem("b", file="f", sheet="s", cell="A1", code="E-SCORE-TYPE")
    assert unique([same, again]) == [same]
    assert json_errors([same, again]) == {"errors": [same.as_dict()]}


def test_input_error_collects_and_exposes_codes():
    exc = InputError([Problem("x", code="E-FEE"), Problem("y", code="E-POLICY")])
    assert exc.codes == ["E-FEE", "E-POLICY"]
    assert InputError("plain").codes == ["E-INPUT"]
    assert isinstance(BadArgument("bad"), ValueError) and BadArgument("bad").codes == ["E-ARGUMENT"]


def test_cli_json_exit_2_prints_every_problem_with_code_and_place(tmp_path, capsys):
    """R1.2 out of range and R2.1 even panel in one run, plus a bad --fee and --policy: all reported at once."""
    write_expert_workbook(tmp_path, "甲", {"report": 13})
    write_expert_workbook(tmp_path, "乙", {"training": 1.005})
    for expert in ("丙", "丁"):
        write_expert_workbook(tmp_path, expert, {})
    code = main(["summarize", str(tmp_path), "--out", str(tmp_path / "s.xlsx"), "--json", "--fee", "x",
                 "--policy", "aggregation=vote"])
    out, err = capsys.readouterr()
    assert code == 2 and not (tmp_path / "s.xlsx").exists()
    errors = json.loads(out)["errors"]
    got = {(e["code"], e["place"]) for e in errors}
    sheet_a, sheet_b = str(tmp_path / "2026H2_甲.xlsx"), str(tmp_path / "2026H2_乙.xlsx")
    assert any(c == "E-SCORE-RANGE" and p.startswith(sheet_a + "!") for c, p in got)
    assert any(c == "E-SCORE-DECIMALS" and p.startswith(sheet_b + "!") for c, p in got)
    assert {"E-FEE", "E-POLICY", "E-PANEL-SIZE"} <= {c for c, _ in got}
    assert all(set(e) == {"code", "place", "message"} and e["message"] for e in errors)
    # stderr carries the same problems as `place: message` lines
    assert err.strip().splitlines() == [f"{e['place']}: {e['message']}" if e["place"] else e["message"] for e in errors]


def test_cli_without_json_prints_nothing_on_stdout(tmp_path, capsys):
    code = main(["summarize", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "s.xlsx")])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and str(tmp_path / "none.xlsx") in err


def test_missing_input_has_its_code(tmp_path, capsys):
    code = main(["summarize", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "s.xlsx"), "--json"])
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert code == 2 and ("E-FILE-MISSING", str(tmp_path / "none.xlsx")) in {(e["code"], e["place"]) for e in errors}


def test_a_missing_evidence_file_is_e_file_missing_not_a_bad_format(tmp_path, capsys):
    """A mistyped --evidence path went through the pre-flight check and came back as E-FILE-FORMAT."""
    panel = Path(__file__).resolve().parents[1] / "workbooks"
    code = main(["summarize", str(panel), "--evidence", str(tmp_path / "没有.xlsx"), "--out", str(tmp_path / "s.xlsx"),
                 "--json"])
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert code == 2 and ("E-FILE-MISSING", str(tmp_path / "没有.xlsx")) in {(e["code"], e["place"]) for e in errors}


@pytest.mark.parametrize("call, code", [
    ((functions.sc_grade, "abc"), "E-ARGUMENT"),
    ((functions.sc_deadline, "2026-12-30", 30), "E-CALENDAR-YEAR"),  # R7: 2027 not packaged
    ((functions.sc_check, "nothing", 1), "E-ARGUMENT"),
])
def test_addin_cells_come_from_the_same_model(call, code):
    function, *args = call
    problem = functions.evaluate(function, *args)
    assert isinstance(problem, Problem) and problem.code == code
    assert functions.safe(function, *args) == f"错误：{problem.message}"


def test_a_restyled_template_with_an_unknown_variable_is_e_template(tmp_path, capsys):
    import openpyxl

    from scoring.excel.summary import default_template

    wb = openpyxl.load_workbook(default_template())
    wb.worksheets[0]["Z1"] = "{{ nothing_here }}"
    wb.save(tmp_path / "mine.xlsx")
    for expert in ("甲", "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {})
    code = main(["summarize", str(tmp_path / "2026H2_甲.xlsx"), str(tmp_path / "2026H2_乙.xlsx"),
                 str(tmp_path / "2026H2_丙.xlsx"), "--template", str(tmp_path / "mine.xlsx"),
                 "--out", str(tmp_path / "s.xlsx"), "--json"])
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert code == 2 and [(e["code"], e["place"]) for e in errors] == [
        ("E-TEMPLATE", f"{tmp_path / 'mine.xlsx'}!{wb.worksheets[0].title}!Z1")]


def test_a_command_line_error_with_json_is_json_too(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["summarize", "--json"])  # INPUT and --out missing
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and [e["code"] for e in json.loads(out)["errors"]] == ["E-ARGUMENT"]
    with pytest.raises(SystemExit):
        main(["summarize"])
    assert capsys.readouterr().out == ""
