"""An expert's .xls, .ods, .et or Strict Open XML file, converted to a plain .xlsx through LibreOffice.

The converted copy lives in a temporary folder and keeps the original's name stem, so the
file-name check of the reader still applies; problems and the sheet's source name the original.
Without LibreOffice the file is refused with what to do (另存为 .xlsx).
"""

from __future__ import annotations

from pathlib import Path

from scoring.errors import Problem
from scoring.excel.preflight import EXPERT_LIMITS

CONVERT_TIMEOUT = 90  # seconds for one file; a hostile file must not hang the run


def this_is(what: str) -> str:
    """"这是" + a kind of file, spaced before a Latin word: 这是 LibreOffice 文件（.ods）, 这是旧版 Excel 文件."""
    return f"这是 {what}" if what[:1].isascii() else f"这是{what}"


def save_as_hint(what: str) -> str:
    """What to do with a file that must be saved as a plain .xlsx."""
    return (f"{this_is(what)}，请在 Excel 或 WPS 中打开后“另存为” Excel 工作簿（*.xlsx），"
            "保存类型不要选“Strict Open XML 电子表格”")


def convert_to_xlsx(path: Path, what: str, folder: Path) -> tuple[Path | None, Problem | None]:
    """(the converted .xlsx, None), or (None, a problem naming the original file and what to do)."""
    from scoring.excel.libreoffice import convert, find_soffice

    if find_soffice() is None:
        return None, Problem(f"{save_as_hint(what)}（本机未安装 LibreOffice，无法自动转换）", file=str(path),
                             code="E-FILE-CONVERT")
    try:
        if path.stat().st_size > EXPERT_LIMITS.file_bytes:
            return None, Problem("文件过大，不是正常的评分表", file=str(path), code="E-FILE-FORMAT")
    except OSError:
        return None, Problem("无法读取文件", file=str(path), code="E-FILE-MISSING")
    import shutil

    (folder / "in").mkdir(parents=True, exist_ok=True)
    copy = folder / "in" / path.name  # LibreOffice works on a copy: nothing (not even a lock file) lands beside the input
    shutil.copyfile(path, copy)
    try:
        made = convert(copy, "xlsx", folder, timeout=CONVERT_TIMEOUT)
    except Exception:  # LibreOffice failed, timed out, or asked for a password
        return None, Problem(f"LibreOffice 无法转换该文件（可能已损坏或设置了密码）。{save_as_hint(what)}", file=str(path),
                             code="E-FILE-CONVERT")
    return made, None
