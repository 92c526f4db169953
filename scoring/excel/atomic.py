"""Atomic output: write to a temporary file in the target folder, fsync, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, BinaryIO


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write(file)` on a temporary file beside `path` and move it into place only when it succeeded.

    A failed or interrupted run leaves an earlier file at `path` intact and no partial file.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_workbook(wb, path: str | Path) -> None:
    """Save an openpyxl workbook atomically."""
    write_atomic(path, wb.save)
