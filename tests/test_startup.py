"""`scorecard --help` starts fast (issue 15): it loads what argparse needs to print help and nothing more."""

from __future__ import annotations

import subprocess
import sys

from scoring.cli_text import terminal_columns

# The modules a bare argparse program loads to print its help at a given width: the floor of `--help`.
FLOOR = """
import argparse, sys
argparse.ArgumentParser(formatter_class=lambda prog: argparse.HelpFormatter(prog, width=78)).print_help()
print(sorted(sys.modules), file=sys.stderr)
"""
OURS = """
import sys
from scoring.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(sorted(sys.modules), file=sys.stderr)
"""


def loaded(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(eval(done.stderr.strip().splitlines()[-1]))


def test_help_loads_nothing_but_argparse_and_its_own_modules():
    extra = loaded(OURS) - loaded(FLOOR)
    assert {m for m in extra if m.split(".")[0] != "scoring"} <= {"errno", "pathlib"}, extra  # Path in the grammar
    # measured against the floor (not all of sys.modules): a site's .pth files may load typing or shutil before
    # any program runs (CI's python does); the line above leaves no room for numpy, pandas, openpyxl or xlwings


def test_help_is_as_wide_as_the_terminal_says(monkeypatch):
    import shutil

    for columns in ("120", "40", "", "x"):
        monkeypatch.setenv("COLUMNS", columns)
        assert terminal_columns() == shutil.get_terminal_size().columns
