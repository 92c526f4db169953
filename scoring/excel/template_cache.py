"""The summary template loaded once per process (and so once per `batch` worker, once per Excel session).

Parsing the template is about a tenth of a summarize; unpickling the workbook openpyxl built from it
takes a fifteenth of that and gives an independent copy to render into. The cache is keyed by the
template's bytes (SHA-256), so an edited template is loaded again; only workbooks this process built
itself are ever unpickled, never data from disk. A refused template is not cached: the pre-flight
check words its problems on every call.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from scoring.errors import Problem
from scoring.excel.preflight import open_workbook


def load_template(path: Path, problems: list[Problem]) -> Any:
    """A fresh copy of the template at `path` (as open_workbook gives it), or None with the problems added."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return open_workbook(path, problems)
    data = _pickled(str(path), digest)
    if data is None:
        return open_workbook(path, problems)
    return pickle.loads(data)


@lru_cache(maxsize=4)
def _pickled(path: str, digest: str) -> bytes | None:
    """The loaded template, pickled; None when the pre-flight check or the parser refuses it."""
    found: list[Problem] = []
    wb = open_workbook(Path(path), found)
    if wb is None:
        return None
    try:
        return pickle.dumps(wb, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an object openpyxl cannot pickle: load every time instead
        return None
