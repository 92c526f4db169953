"""Commands printed for the secretary to copy and run: each argument written so that the shell of this system
reads it back as one (paths with spaces: 数据备份 考核/2026H2).

Double quotes where they are enough, as both cmd.exe and a POSIX shell read them; on a POSIX system an
argument holding what a POSIX shell still expands inside double quotes ($, `, \\, ", !) is put in single
quotes instead, which it takes literally (cmd.exe does not know single quotes: on Windows double quotes stay).
"""

from __future__ import annotations

import os
import re
from typing import Iterable

_PLAIN = re.compile(r"[^\s\"'&|<>^;$`()*?!%]+")  # what cmd.exe takes bare
_POSIX_PLAIN = re.compile(r"[\w@%+=:,./-]+")  # what a POSIX shell takes bare (\w: Chinese names too)
_EXPANDED_IN_DOUBLE_QUOTES = re.compile(r"[$`\\\"!]")


def argument(text: str) -> str:
    """A command-line argument as typed in this system's shell: quoted only when needed."""
    if os.name == "nt":
        return text if _PLAIN.fullmatch(text) else '"' + text.replace('"', '\\"') + '"'
    if _POSIX_PLAIN.fullmatch(text):
        return text
    if _EXPANDED_IN_DOUBLE_QUOTES.search(text):
        return "'" + text.replace("'", "'\"'\"'") + "'"
    return '"' + text + '"'  # spaces, a leading ~ or #, globs, braces: double quotes are enough


def arguments(texts: Iterable[object]) -> str:
    """Several arguments, each as argument() writes it, separated by spaces."""
    return " ".join(argument(str(t)) for t in texts)
