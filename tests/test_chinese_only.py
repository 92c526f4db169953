"""No English reaches the secretary (issue 12): argparse's messages and help, library warnings, exception texts."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from scoring.cli import main

# What may stay Latin: option and command names (interfaces.md §1), product and format names, policy keys.
ALLOWED = {"scorecard", "demo", "evidence", "template", "new", "panel", "summarize", "verify", "batch", "help",
           "version", "period", "experts", "year", "end", "policy", "contract", "force", "out", "dir", "fee",
           "history", "payment", "pdf", "json", "xlsx", "toml", "libreoffice", "excel", "wps", "aggregation", "mean",
           "yyyy", "dd", "refresh", "addin", "install", "windows", "jobs",
           # the service year's commands and options (interfaces.md §4) and Art. 64's reason keys
           "annual", "correct", "rectify", "invoice", "date", "paid", "expert", "item", "score", "reason", "after",
           "signing", "items", "received", "rectification", "sum", "error", "range", "objective", "inconsistent",
           "outlier", "report"}


def english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in ALLOWED}


@pytest.mark.parametrize("args", [["--help"], ["demo", "--help"], ["evidence-template", "--help"], ["new-panel", "--help"],
                                  ["summarize", "--help"], ["batch", "--help"], ["verify", "--help"], ["refresh", "--help"],
                                  ["annual", "--help"], ["correct", "--help"], ["rectify", "--help"]])
def test_help_is_chinese(args, capsys):
    with pytest.raises(SystemExit) as done:
        main(args)
    out = capsys.readouterr().out
    assert done.value.code == 0 and out.startswith("用法：scorecard") and "显示本帮助并退出" in out
    assert english_words(out) == set(), out


@pytest.mark.parametrize("args, expected", [
    (["summarize"], "命令行参数错误：缺少必需的参数：评分表, --out"),
    (["frob"], "命令行参数错误：参数 命令：无效的选择：'frob'（可选："),
    (["summarize", "x", "--out"], "命令行参数错误：参数 --out：需要一个值"),
    (["verify", "s.xlsx", "--bogus"], "命令行参数错误：无法识别的参数：--bogus"),
    (["new-panel", "--period", "2026H2"], "缺少必需的参数：--experts, --out"),
])
def test_argparse_errors_are_chinese_and_exit_2(args, expected, capsys):
    with pytest.raises(SystemExit) as done:
        main(args)
    err = capsys.readouterr().err
    assert done.value.code == 2 and expected in err and err.startswith("用法：")
    assert english_words(err) - {"frob", "bogus"} == set(), err  # what the user typed is echoed as typed


WARNING_RUN = """
import sys, warnings
import scoring.excel.reader as reader
real = reader.read_expert_workbook
def noisy(*args, **kwargs):  # what openpyxl says of a workbook Excel saved with extensions it does not know
    warnings.warn("Data Validation extension is not supported and will be removed", UserWarning)
    return real(*args, **kwargs)
reader.read_expert_workbook = noisy
from scoring.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_library_warnings_do_not_reach_the_terminal(tmp_path):
    from tests.conftest import write_expert_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("甲", "乙", "丙"):
        write_expert_workbook(folder, name, {})
    done = subprocess.run([sys.executable, "-c", WARNING_RUN, "summarize", str(folder), "--out", str(tmp_path / "s.xlsx")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and english_words(done.stderr) == set(), done.stderr


def test_an_unexpected_failure_is_one_chinese_line(monkeypatch, capsys):
    import scoring.cli as cli

    monkeypatch.delenv("SCORECARD_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_verify", lambda args: 1 / 0)
    assert main(["verify", "s.xlsx"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("程序内部错误，未完成本次操作") and "Traceback" not in err and "ZeroDivision" not in err


def test_an_os_error_is_told_in_chinese(tmp_path, capsys, monkeypatch):
    import errno
    from pathlib import Path

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    code = main(["new-panel", "--period", "2026H2", "--experts", "甲,乙,丙", "--out", str(tmp_path / "sub")])
    err = capsys.readouterr().err
    assert code == 2 and "无法创建输出文件夹：没有权限" in err and "Permission" not in err


def test_a_broken_contract_file_is_told_in_chinese(tmp_path, capsys):
    bad = tmp_path / "合同.toml"
    bad.write_text('id = "x"\nname = \n', encoding="utf-8")
    code = main(["evidence-template", "--period", "2026H2", "--contract", str(bad), "--out", str(tmp_path / "e.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and f"{bad}: 无法读取合同文件：TOML 格式错误（第 2 行第 8 列）" in err and "Invalid" not in err
