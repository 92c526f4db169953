"""Atomic output: write to a temporary file in the target folder, fsync, then os.replace.

The file keeps the permissions of the file it replaces, or gets those any program's new file gets
(0666 less the umask): a temporary file is private (0600), and a summary left private would be
unreadable to the colleague who shares the folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, BinaryIO


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write(file)` on a temporary file beside `path` and move it into place only when it succeeded.

    A failed or interrupted run leaves an earlier file at `path` intact and no partial file. A file someone has
    open (an Office lock beside it) is not replaced: OpenElsewhere, a PermissionError.
    """
    from scoring.excel.locks import refuse_if_open

    path = Path(path)
    refuse_if_open(path)  # LibreOffice (and any program off Windows) leaves an open file writable
    fd, tmp = temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        fix_mode(Path(tmp), path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def temporary_beside(path: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """A new temporary file beside `path`, hidden and named after it (`.NAME.xxxxxxxx.tmp`): what every output
    is written through before it is moved into place (remove_temporaries finds them)."""
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)


def remove_temporaries(path: Path) -> None:
    """Remove the temporary files of `path` (temporary_beside) a killed writer left behind."""
    import re

    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}(?:\.tmp|{re.escape(path.suffix)})")
    try:
        for left in path.parent.iterdir():
            if pattern.fullmatch(left.name) and left.is_file():
                left.unlink(missing_ok=True)
    except OSError:
        pass


def fix_mode(made: Path, target: Path) -> None:
    """Give `made` the mode of the existing `target`, or that of a new file in its folder (0666 less the umask)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        os.chmod(made, mode)
    except OSError:  # a file system without modes (FAT on a USB stick): nothing to fix
        pass


def save_workbook(wb, path: str | Path) -> None:
    """Save an openpyxl workbook atomically."""
    write_atomic(path, wb.save)
