"""Build addin/scorecard.xlam, the ribbon add-in, from sources in the repository (issue 10).

Nothing in the add-in is a binary edited by hand:

- addin/vba/xlwings.bas is xlwings' own custom add-in module (`xlwings_custom_addin.bas` of the pinned
  xlwings wheel) with PROJECT_NAME = "scorecard", so its config sheet is `scorecard.conf` and its
  user config file `%USERPROFILE%\\.scorecard\\scorecard.conf` (scorecard addin install writes it);
- addin/vba/xlwings_udfs.bas is the wrapper module xlwings' own "Import Functions" code writes for
  addin/udfs.py (scripts/xlwings_vba.py), so the SC_* functions work without importing them in Excel;
- addin/vba/ScorecardRibbon.bas holds the buttons' macros, addin/vba/*.cls the document modules;
- vbaProject.bin is built from these with ms-ovba (module and dir streams compressed with
  scripts/ovba_compress.py, because ms-ovba-compression 1.0.1 writes streams nothing can read back),
  source only: no p-code or performance cache that could disagree with the source, Excel compiles
  the source when it opens the add-in;
- the workbook parts (config sheet, ribbon XML) are written below.

    python scripts/make_addin.py            # regenerate the .bas files and build the add-in
    python scripts/make_addin.py --check    # exit 1 if a generated source or the add-in is stale
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
VBA = ROOT / "addin" / "vba"
XLAM = ROOT / "addin" / "scorecard.xlam"
PROJECT_NAME = "scorecard"
XLWINGS_VERSION = "0.37.8"  # the add-in's VBA loads this version's DLL: setup.cfg pins xlwings to it
SHEET_CONFIG = [("UDF Modules", "udfs"), ("Show Console", "False")]  # interpreter and paths: user file
STAMP = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same sources give the same bytes

RIBBON = [  # (id, macro, label, image, screen tip): the secretary's actions, then the functions
    ("preparePeriod", "PreparePeriod", "准备考核期", "FileNew", "生成本期的空白证据材料表（sc_period、sc_evidence）"),
    ("handOut", "HandOutSheets", "分发评分表", "MailMergeStartLetters", "为每位专家生成评分表（sc_experts、sc_panel_folder）"),
    ("summarize", "SummarizePanel", "汇总", "CalculateNow", "校验收回的评分表并生成汇总表（sc_out、sc_fee）"),
    ("openSummary", "OpenLastSummary", "打开最近的汇总表", "FileOpen", "打开 sc_out 或汇总文件夹中最新的汇总表"),
]


def xlwings_bas() -> str:
    """xlwings' custom add-in module of the installed wheel, renamed to this project."""
    import xlwings

    if xlwings.__version__ != XLWINGS_VERSION:
        raise SystemExit(f"xlwings {xlwings.__version__} is installed; the add-in is built from {XLWINGS_VERSION}")
    text = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="ascii")
    renamed, count = re.subn(r'(Public Const PROJECT_NAME As String = )"myaddin"', rf'\1"{PROJECT_NAME}"', text)
    if count != 1:
        raise SystemExit("PROJECT_NAME not found in xlwings_custom_addin.bas")
    return renamed.replace("\r\n", "\n")


def udfs_bas() -> str:
    """The VBA wrappers xlwings' import_udfs writes for addin/udfs.py into an add-in."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "xlwings_vba.py"), str(ROOT / "addin"), "udfs",
                           XLAM.name], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(done.stderr)
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])["vba"]


def generated_sources() -> dict[str, str]:
    return {"xlwings.bas": xlwings_bas(), "xlwings_udfs.bas": udfs_bas()}


def vba_project(folder: Path) -> bytes:
    """vbaProject.bin from the sources in addin/vba (ms-ovba writes its files into the working folder)."""
    from ms_ovba_compression.ms_ovba import MsOvba

    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    sys.path.insert(0, str(ROOT / "scripts"))
    from ovba_compress import compress

    MsOvba.compress = lambda self, data: compress(bytes(data))  # its own encoder is broken (ovba_compress.py)
    project = VbaProject()
    project.project_id = "{5C4D7E2A-0B1F-4E53-9A57-53434F524543}"
    for name, guid in (("ThisWorkbook", "0002081900000000C000000000000046"),
                       ("Sheet1", "0002082000000000C000000000000046")):
        module = DocModule(name)
        (folder / name).write_bytes((VBA / f"{name}.cls").read_bytes())
        module.add_file(str(folder / name))
        module.add_guid(uuid.UUID(guid))
        module.normalize_file()
        project.add_module(module)
    for name in ("xlwings", "xlwings_udfs", "ScorecardRibbon"):
        text = (VBA / f"{name}.bas").read_text(encoding="ascii")  # code page 1252: ASCII keeps it exact
        (folder / name).write_text(text, encoding="ascii", newline="\n")
        module = StdModule(name)
        module.add_file(str(folder / name))
        module.normalize_file()
        project.add_module(module)
    for libid, version, path, description, name in (
            ("0002043000000000C000000000000046", "2.0", r"C:\Windows\System32\stdole2.tlb", "OLE Automation", "stdole"),
            ("2DF8D04C5BFA101BBDE500AA0044DE52", "2.0",
             r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
             "Microsoft Office 16.0 Object Library", "Office")):
        project.add_reference(Reference(ReferenceRegistered(LibidReference(uuid.UUID(libid), version, "0", path,
                                                                           description)), name))
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        ProjectOleFile.write_file(project)
    finally:
        os.chdir(cwd)
    return (folder / "vbaProject.bin").read_bytes()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def parts(vba: bytes) -> dict[str, bytes]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rows = "".join(f'<row r="{i}">{_cell(f"A{i}", k)}{_cell(f"B{i}", v)}</row>'
                   for i, (k, v) in enumerate(SHEET_CONFIG, start=1))
    buttons = "\n".join(
        f'          <button id="{i}" label="{escape(label)}" size="large" onAction="{macro}" imageMso="{image}" '
        f'screentip="{escape(tip)}" />' for i, macro, label, image, tip in RIBBON)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '</Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/ui/extensibility" '
            'Target="customUI/customUI.xml"/>'
            '</Relationships>'),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>scorecard 数据备份服务考核</dc:title>'
            '<dc:creator>scorecard</dc:creator></cp:coreProperties>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr codeName="ThisWorkbook"/>'
            '<bookViews><workbookView visibility="hidden"/></bookViews>'
            f'<sheets><sheet name="{PROJECT_NAME}.conf" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
            'Target="vbaProject.bin"/>'
            '</Relationships>'),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{main}" xmlns:r="{rel}"><sheetPr codeName="Sheet1"/>'
            f'<sheetData>{rows}</sheetData></worksheet>'),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
        "customUI/customUI.xml": (
            '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">\n'
            '  <ribbon>\n    <tabs>\n      <tab id="scorecardTab" label="数据备份考核">\n'
            '        <group id="secretaryGroup" label="秘书">\n'
            f'{buttons}\n'
            '        </group>\n'
            '        <group id="functionsGroup" label="函数">\n'
            '          <button id="importFunctions" label="重新导入函数" size="large" onAction="ImportFunctions" '
            'imageMso="Refresh" screentip="修改 addin\\udfs.py 后，把 SC_* 函数重新导入本插件" />\n'
            '        </group>\n      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n'),
    }
    out = {name: text.encode("utf-8") for name, text in files.items()}
    out["xl/vbaProject.bin"] = vba
    return out


def build() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        # ms-cfb lays out the streams in set order: a fixed hash seed makes the bytes reproducible.
        done = subprocess.run([sys.executable, __file__, "--vba-project", folder], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        if done.returncode:
            raise SystemExit(done.stderr)
        vba = (Path(folder) / "vbaProject.bin").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts(vba).items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--vba-project"]:
        import random

        random.seed(0)  # MS-OVBA 2.4.3 data encryption (CMG, DPB, GC) draws a random seed: fix it
        vba_project(Path(argv[1]))
        return 0
    generated = generated_sources()
    if "--check" in argv:
        stale = [name for name, text in generated.items()
                 if (VBA / name).read_text(encoding="ascii").replace("\r\n", "\n") != text]
        if not stale and (not XLAM.exists() or XLAM.read_bytes() != build()):
            stale.append(XLAM.name)
        if stale:
            print(f"stale: {', '.join(stale)}; run python scripts/make_addin.py", file=sys.stderr)
            return 1
        return 0
    for name, text in generated.items():
        (VBA / name).write_text(text, encoding="ascii", newline="\n")
    XLAM.write_bytes(build())
    print(f"wrote {XLAM.relative_to(ROOT)} from addin/vba/*.bas, *.cls")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
