"""LibreOffice headless at the edge: recalculate formulas and print to PDF with a private profile.

The private profile sets OOXMLRecalcMode to 0 (always recalculate on load); by default
LibreOffice keeps the cached values stored in the file, which openpyxl leaves empty.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeMissing(RuntimeError):
    """soffice is not installed or not on PATH."""


def find_soffice() -> str | None:
    """Path of the soffice program, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe", "/usr/lib/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


def _profile(folder: Path) -> str:
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return folder.resolve().as_uri()


def convert(source: str | Path, target_format: str, outdir: str | Path, timeout: float = 180) -> Path:
    """Convert `source` with LibreOffice headless ('pdf', 'xlsx', ...) into `outdir`; returns the new file.

    Formulas are recalculated on load. Raises LibreOfficeMissing or RuntimeError.
    """
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing("未找到 LibreOffice（soffice），请先安装 LibreOffice")
    source, outdir = Path(source), Path(outdir)
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export"}
    with tempfile.TemporaryDirectory(prefix="scorecard-lo-") as profile:
        # its own process group: soffice starts soffice.bin, which a kill of soffice alone would leave running
        process = subprocess.Popen(
            [soffice, f"-env:UserInstallation={_profile(Path(profile))}", "--headless", "--norestore",
             "--convert-to", filters.get(target_format, target_format), "--outdir", str(outdir), str(source)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=os.name != "nt")
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(process)
            raise RuntimeError(f"LibreOffice 转换超时（超过 {timeout:.0f} 秒）") from None
        except BaseException:  # Ctrl-C, SIGTERM: LibreOffice stops with us, writing nothing more
            _end(process)
            raise
    result = outdir / f"{source.stem}.{target_format}"
    if process.returncode != 0 or not result.exists():
        raise RuntimeError(f"LibreOffice 转换失败：{err.strip() or out.strip()}")
    return result


def _end(process: subprocess.Popen) -> None:
    """Kill a LibreOffice run and everything it started (its process group), and reap it."""
    import signal

    try:
        if os.name != "nt":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:  # already gone
        pass
    try:
        process.communicate(timeout=10)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass
