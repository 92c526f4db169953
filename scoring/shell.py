"""Commands printed for the secretary to copy and run: each argument written so that cmd.exe and a POSIX shell
both read it back as one (paths with spaces: 数据备份 考核/2026H2)."""

from __future__ import annotations

import re
from typing import Iterable

_PLAIN = re.compile(r"[^\s\"'&|<>^;$`()*?!%]+")


def argument(text: str) -> str:
    """A command-line argument as typed in cmd.exe and in a POSIX shell alike: double quotes only when needed."""
    return text if _PLAIN.fullmatch(text) else '"' + text.replace('"', '\\"') + '"'


def arguments(texts: Iterable[object]) -> str:
    """Several arguments, each as argument() writes it, separated by spaces."""
    return " ".join(argument(str(t)) for t in texts)
