"""Office lock files: a workbook someone has open (Excel and WPS write `~$name`, LibreOffice `.~lock.name#`).

Excel shortens the name of a long file's lock: `~$26H2_王五.xlsx` is the lock of `2026H2_王五.xlsx` (its first
two characters replaced). On Windows, Excel also locks the file itself, so replacing it fails; LibreOffice, and
every program on Linux and macOS, leave it writable: a summary replaced under an open window is overwritten
with the old figures when the window is saved. Writers therefore look for a lock before they replace a file.
"""

from __future__ import annotations

from pathlib import Path

EXCEL, LIBREOFFICE = "~$", ".~lock."


def is_lock(name: str) -> bool:
    """Whether a file name is an Office lock file's."""
    return name.startswith(EXCEL) or (name.startswith(LIBREOFFICE) and name.endswith("#"))


def lock_of(path: Path) -> Path | None:
    """The lock file beside `path` saying that a program has it open, if there is one."""
    name = path.name
    candidates = [path.parent / f"{LIBREOFFICE}{name}#", path.parent / f"{EXCEL}{name}"]
    if len(name) > 2:
        candidates.append(path.parent / f"{EXCEL}{name[2:]}")
    return next((lock for lock in candidates if lock.is_file()), None)


def locked_name(lock: Path) -> str:
    """The name of the workbook a lock file stands for: the file beside it that the lock names (Excel's
    shortened form resolved when one file fits), else the name the lock spells."""
    name = lock.name
    if name.startswith(LIBREOFFICE):
        return name[len(LIBREOFFICE):].removesuffix("#")
    rest = name[len(EXCEL):]
    if (lock.parent / rest).exists():
        return rest
    try:
        fits = [p.name for p in lock.parent.iterdir() if p.name[2:] == rest and not is_lock(p.name)]
    except OSError:
        fits = []
    return fits[0] if len(fits) == 1 else rest


class OpenElsewhere(PermissionError):
    """The output has an Office lock beside it: someone has it open in Excel, WPS or LibreOffice."""

    def __init__(self, path: Path, lock: Path):
        super().__init__(f"{path} is open elsewhere ({lock.name})")
        self.path, self.lock = path, lock

    def chinese(self) -> str:
        """What the secretary reads (the file itself is named by the Problem that carries this)."""
        return (f"文件正被打开（旁边的锁文件 {self.lock.name} 表明有人在 Excel、WPS 或 LibreOffice 中打开了它），未写入："
                "请先关闭后再运行，否则关闭窗口时保存会用旧内容覆盖新文件；如确实没有打开，可删除该锁文件后重试")


def refuse_if_open(path: Path) -> None:
    """Raise OpenElsewhere when `path` has a lock file beside it."""
    lock = lock_of(path)
    if lock is not None:
        raise OpenElsewhere(path, lock)
