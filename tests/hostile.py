"""The catalogue of bad and hostile inputs (issue: hardening). Each builder writes one file into a folder and
returns its path; CATALOGUE pairs it with the words the user must see. README.md shows the same table."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from tests.conftest import write_expert_workbook

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>"""


def valid(folder: Path, expert: str = "丙", **kw) -> Path:
    return write_expert_workbook(folder, expert, kw.pop("scores", {}), **kw)


def rewrite(path: Path, replace: dict[str, bytes | None] = None, add: dict[str, bytes] = None) -> Path:
    """Rewrite a workbook's zip with members replaced (None: removed) or added."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in (replace or {}):
                if replace[info.filename] is not None:
                    target.writestr(info.filename, replace[info.filename])
                continue
            target.writestr(info, source.read(info.filename))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def sheet_xml(path: Path) -> str:
    return zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()


def random_bytes(folder):
    path = folder / "2026H2_丙.xlsx"
    path.write_bytes(random.Random(7).randbytes(5000))
    return path


def empty(folder):
    path = folder / "2026H2_丙.xlsx"
    path.write_bytes(b"")
    return path


def truncated(folder):
    path = valid(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zip_without_workbook(folder):
    path = folder / "2026H2_丙.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    return path


def csv_renamed(folder):
    path = folder / "2026H2_丙.xlsx"
    path.write_text("分项指标,得分\n运行报告,12\n", encoding="utf-8-sig")
    return path


def legacy_xls(folder):
    path = folder / "2026H2_丙.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    return path


def password_protected(folder):
    path = folder / "2026H2_丙.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512))
    return path


def with_shared_strings(path: Path, xml: str) -> Path:
    """Add a sharedStrings part (our workbooks write inline strings) holding `xml`, registered for readers."""
    types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return rewrite(path, {"[Content_Types].xml": types.encode()}, add={"xl/sharedStrings.xml": xml.encode()})


def billion_laughs(folder):
    return with_shared_strings(valid(folder), BILLION_LAUGHS)


def external_entity(folder):
    return with_shared_strings(valid(folder), XXE)


def zip_bomb(folder):
    """300 MB of highly compressible sheet XML (about 300 KB on disk)."""
    path = valid(folder)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as handle:
                    block = b"<row/>" * (1 << 17)
                    for _ in range(300 * 2**20 // len(block)):
                        handle.write(block)
            else:
                target.writestr(info, source.read(info.filename))
    return path


def ratio_bomb(folder):
    """2 MB of one repeated byte in a member: under the size cap, over the 100:1 ratio."""
    return rewrite(valid(folder), add={"xl/media/pad.bin": bytes(2 * 2**20)})


def huge_dimension(folder):
    path = valid(folder)
    xml = sheet_xml(path)
    start, end = xml.index("<dimension"), xml.index("/>", xml.index("<dimension")) + 2
    xml = xml[:start] + '<dimension ref="A1:XFD1048576"/>' + xml[end:]
    xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')
    return rewrite(path, {"xl/worksheets/sheet1.xml": xml.encode()})


def xlsm_macros(folder):
    return rewrite(valid(folder), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(100)})


def external_link(folder):
    return rewrite(valid(folder), add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})


def broken_sheet_xml(folder):
    return rewrite(valid(folder), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c"})


def garbage_workbook_xml(folder):
    return rewrite(valid(folder), {"xl/workbook.xml": b"\x00\x01 not xml"})


def not_ours(folder):
    import openpyxl
    path = folder / "2026H2_丙.xlsx"
    openpyxl.Workbook().save(path)
    return path


def formula_in_note(folder):
    return valid(folder, notes={"report": "=HYPERLINK(\"http://example.invalid\",\"点击\")"})


def dde_in_note(folder):
    return valid(folder, notes={"drills": "=cmd|' /C calc'!A0"})


def set_cell_xml(path: Path, ref: str, xml: str) -> Path:
    """Replace one cell element of the scoring sheet's XML with `xml` (a value no writer would produce)."""
    import re
    text = re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, sheet_xml(path), count=1)
    return rewrite(path, {"xl/worksheets/sheet1.xml": text.encode()})


def error_value_score(folder):
    return set_cell_xml(valid(folder), "F9", '<c r="F9" s="12" t="e"><v>#DIV/0!</v></c>')


def formula_score(folder):
    return valid(folder, scores={"report": "=12"})


def boolean_score(folder):
    return valid(folder, scores={"platform": True})


def date_score(folder):
    from datetime import date
    return valid(folder, scores={"onsite": date(2026, 12, 1)})


def full_width_score(folder):
    return valid(folder, scores={"policies": "５"})


def infinite_score(folder):
    return set_cell_xml(valid(folder), "F13", '<c r="F13" s="12" t="n"><v>1E+999</v></c>')


def huge_text_score(folder):
    return valid(folder, scores={"training": "很" * 40000})


def huge_note(folder):
    return set_cell_xml(valid(folder), "G9", '<c r="G9" s="13" t="inlineStr"><is><t>' + "长" * 33000 + "</t></is></c>")


def other_period(folder):
    return valid(folder, period="2027H1")


def other_contract(folder):
    return valid(folder, contract_id="other-2026")


def other_rubric(folder):
    return valid(folder, rubric_version="1999.1")


def renamed_expert(folder):
    return valid(folder, expert_name="乙")


def missing_file(folder):
    return folder / "2026H2_不存在.xlsx"


def folder_without_workbooks(folder):
    path = folder / "空文件夹"
    path.mkdir()
    (path / "说明.txt").write_text("无", encoding="utf-8")
    return path


CATALOGUE = [  # (builder, what the user sees, also in README.md)
    (random_bytes, "不是 Excel 工作簿"),
    (empty, "文件为空"),
    (truncated, "zip 结构不完整"),
    (zip_without_workbook, "没有 Excel 工作簿的内容"),
    (csv_renamed, "文本文件（如 CSV）"),
    (legacy_xls, "另存为” Excel 工作簿（.xlsx）"),
    (password_protected, "取消密码"),
    (billion_laughs, "不安全的 XML"),
    (external_entity, "不安全的 XML"),
    (zip_bomb, "解压后过大"),
    (ratio_bomb, "压缩比异常"),
    (huge_dimension, "工作表声明的范围异常"),
    (xlsm_macros, "含有宏"),
    (external_link, "外部链接"),
    (broken_sheet_xml, "内容损坏"),
    (garbage_workbook_xml, "内容损坏"),
    (not_ours, "不是本系统生成的评分表"),
    (formula_in_note, "备注是公式"),
    (dde_in_note, "备注是公式"),
    (error_value_score, "错误值 #DIV/0!"),
    (formula_score, "得分是公式"),
    (boolean_score, "逻辑值"),
    (date_score, "日期"),
    (full_width_score, "文本格式的数字"),
    (infinite_score, "不是有限的数字"),
    (huge_text_score, "是文字"),
    (huge_note, "超过 Excel 单元格上限"),
    (other_period, "考核期为“2027H1”"),
    (other_contract, "不是本次考核的合同"),
    (other_rubric, "考核办法版本"),
    (renamed_expert, "评分表可能被改名或复制"),
    (missing_file, "文件不存在"),
    (folder_without_workbooks, "文件夹中没有评分表（.xlsx）"),
]
