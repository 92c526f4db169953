"""Printed commands (the review hints' `scorecard correct`, refresh hints, evidence hints) give each path back
as one argument when pasted into the shell: checked by a real POSIX shell reading them."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from scoring.shell import argument, arguments

PATHS = ["plain/2026H2_张三.xlsx", "数据备份 考核/2026H2", "a$HOME/b", "price `date`.xlsx", "it's here/x.xlsx",
         'say "hi"/x.xlsx', "back\\slash dir", "wow!/x", "50% (final)/x.xlsx", "a&b|c;d", "", "tab\there",
         "/tmp/x\\y.xlsx", "#2026/评分表", "~root/x", "a{b,c}", "[ab].xlsx", "评分表（第一组）/x", "-x", "a=b"]


@pytest.mark.skipif(os.name == "nt" or shutil.which("sh") is None, reason="needs a POSIX shell")
def test_a_posix_shell_reads_every_printed_path_back_unchanged():
    command = "for a in " + arguments(PATHS) + '; do printf "%s\\0" "$a"; done'
    done = subprocess.run(["sh", "-c", command], capture_output=True, check=True)
    assert done.stdout.decode("utf-8").split("\0")[:-1] == PATHS


def test_plain_arguments_stay_unquoted_and_spaces_take_double_quotes():
    assert argument("2026H2_张三.xlsx") == "2026H2_张三.xlsx"
    assert argument("数据备份 考核/2026H2") == '"数据备份 考核/2026H2"'  # as cmd.exe reads it too


def test_on_windows_double_quotes_stay(monkeypatch):
    monkeypatch.setattr(os, "name", "nt")
    assert argument("a$b c") == '"a$b c"'  # cmd.exe does not expand $ and knows no single quotes
