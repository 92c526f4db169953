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
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error(Problem(f"无法读取{what}文件：{exc}", file=str(path), code="E-DATA-READ")) from None


def packaged_toml(name: str) -> dict:
    """A TOML file shipped in scoring/data."""
    return tomllib.loads(resources.files("scoring.data").joinpath(name).read_text(encoding="utf-8"))
