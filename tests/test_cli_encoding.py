"""The command's output on a code page (interfaces.md §1): Windows writes a redirected `scorecard … > 结果.txt` or a
pipe in the ANSI code page (cp936 on a Chinese Windows), not UTF-8. The work must not fail at its last print, and
--json must still carry every character of an expert's name. Run here with PYTHONIOENCODING=gbk, as Python
does there."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import write_expert_workbook

RARE = "𠮷野"  # a name with a character outside GBK (a CJK extension B character)


def scorecard(*args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONUTF8": "0"}
    return subprocess.run([sys.executable, "-c", "import sys; from scoring.cli import main; sys.exit(main())", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True)


def test_the_demo_prints_in_gbk_with_markers_gbk_has(tmp_path):
    done = scorecard("demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("gbk")  # strict: every byte is GBK
    assert "总分" in text and "※ 总分 79.5 与 80 分相差不超过 1 分" in text


def test_json_keeps_a_name_gbk_cannot_write_and_lines_replace_it(tmp_path):
    for expert in (RARE, "乙", "丙"):
        write_expert_workbook(tmp_path, expert, {})
    done = scorecard("summarize", tmp_path, "--out", tmp_path / "s.xlsx", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert set(json.loads(done.stdout.decode("ascii"))["experts"]) == {RARE, "乙", "丙"}  # escaped, not lost
    write_expert_workbook(tmp_path, "丁", {"availability": "很好"})  # an invalid panel: the problems are printed
    done = scorecard("summarize", tmp_path, "--out", tmp_path / "t.xlsx", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "t.xlsx").exists()
    err = done.stderr.decode("gbk")
    assert "丁.xlsx" in err and "Traceback" not in err
    done = scorecard("summarize", tmp_path / f"2026H2_{RARE}.xlsx", tmp_path / "2026H2_乙.xlsx",
                     "--out", tmp_path / "u.xlsx", cwd=tmp_path)
    assert done.returncode == 2 and "\\U00020bb7野" in done.stderr.decode("gbk")  # stderr escapes, as Python does
    out = tmp_path / f"{RARE}.xlsx"
    done = scorecard("summarize", *(tmp_path / f"2026H2_{e}.xlsx" for e in (RARE, "乙", "丙")), "--out", out,
                     cwd=tmp_path)
    assert done.returncode == 0 and out.exists()  # the summary's path printed last, with "?" for what GBK lacks
    assert f"{tmp_path}/?野.xlsx" in done.stdout.decode("gbk")
