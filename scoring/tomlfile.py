"""Reading the TOML data files (rubrics, contracts): a user's file or one shipped in scoring/data."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from scoring.errors import InputError, Problem


def read_toml(path: str | Path, error: type[InputError], what: str) -> dict:
    """The parsed TOML file at `path`; `error` naming the file (a Chinese `what`, e.g. 合同) when unreadable."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Windows Notepad's byte order mark: not an error
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error(Problem(f"无法读取{what}文件：{_reason(exc)}", file=str(path), code="E-DATA-READ")) from None


def _reason(exc: Exception) -> str:
    """Why a data file cannot be read, in Chinese (Python's own texts are English)."""
    import re

    if isinstance(exc, OSError):
        from scoring.cli_text import os_reason

        return os_reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本，请用 UTF-8 保存"
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    where = f"第 {found.group(1)} 行第 {found.group(2)} 列" if found else ""
    return f"TOML 格式错误{('（' + where + '）') if where else ''}，请检查该处的引号、等号和括号"


def packaged_toml(name: str) -> dict:
    """A TOML file shipped in scoring/data."""
    return tomllib.loads(resources.files("scoring.data").joinpath(name).read_text(encoding="utf-8"))
