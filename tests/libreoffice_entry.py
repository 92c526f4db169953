"""Typing into a workbook with LibreOffice itself: a Basic macro in a private profile sets named cells and
saves the workbook as .xlsx, as a person using LibreOffice Calc would (no openpyxl involved)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from scoring.excel.libreoffice import find_soffice

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
"""
BODY = """Sub Main
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL("{source}"), "_blank", 0, args())
{cells}
  Dim s(0) As New com.sun.star.beans.PropertyValue
  s(0).Name = "FilterName"
  s(0).Value = "Calc MS Excel 2007 XML"
  doc.storeToURL(ConvertToURL("{target}"), s())
  doc.close(True)
End Sub
"""


def _basic(text: str) -> str:
    return str(text).replace('"', '""')


def enter(source: Path, values: dict[str, str], target: Path, timeout: float = 120) -> Path:
    """Open `source` in LibreOffice, type each text into the cell of each defined name, save as `target` (.xlsx)."""
    soffice = find_soffice()
    assert soffice, "LibreOffice not installed"
    with tempfile.TemporaryDirectory(prefix="scorecard-lo-entry-") as folder:
        profile = Path(folder).resolve().as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=timeout, check=False)
        cells = "\n".join(f'  doc.NamedRanges.getByName("{_basic(name)}").getReferredCells().setString("{_basic(text)}")'
                          for name, text in values.items())
        body = BODY.format(source=_basic(str(source.resolve())), target=_basic(str(target.resolve())), cells=cells)
        module = HEAD + escape(body, {'"': "&quot;"}) + "</script:module>\n"
        (Path(folder) / "user" / "basic" / "Standard" / "Module1.xba").write_text(module, encoding="utf-8")
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "macro:///Standard.Module1.Main"], capture_output=True, timeout=timeout, check=False)
    assert target.exists(), "LibreOffice did not save the workbook"
    return target
