"""Checks a workbook file before any parser sees it: size, kind of file, zip structure, bombs, macros, links;
and opens it safely (open_workbook), the one way every reader opens a workbook.

preflight returns a Chinese reason for a file that must not be parsed, else None.
The limits follow Apache POI's (a 100:1 ratio above 100 KiB) with hard caps per member and in total.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scoring.errors import Problem, ScorecardError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """Bounds for one kind of workbook."""

    file_bytes: int = 20 * 2**20
    member_bytes: int = 20 * 2**20
    total_bytes: int = 60 * 2**20
    members: int = 500
    ratio: int = 100
    ratio_from: int = 100 * 2**10


EXPERT_LIMITS = Limits()
EVIDENCE_LIMITS = Limits(file_bytes=50 * 2**20, member_bytes=40 * 2**20, total_bytes=120 * 2**20)


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def preflight(path: str | Path, limits: Limits = EXPERT_LIMITS) -> str | None:
    """Why the file at `path` must not be opened as an .xlsx workbook, or None when it may be."""
    reason = check_file(path, limits)
    return reason if reason is not None else _check_zip(Path(path), limits)


def check_file(path: str | Path, limits: Limits = EXPERT_LIMITS) -> str | None:
    """The checks of preflight before the zip is opened: there, a file, its size, and a zip by its first bytes."""
    path = Path(path)
    try:
        if not path.exists():
            return "文件不存在"
        if not path.is_file():
            return "不是文件"
        size = path.stat().st_size
        if size == 0:
            return "文件为空（0 字节），请重新保存或重新发送"
        if size > limits.file_bytes:
            return f"文件过大（{_mib(size)}，上限 {_mib(limits.file_bytes)}），不是正常的评分表或证据材料"
        with open(path, "rb") as handle:
            head = handle.read(512)  # the signatures below, and enough text to tell a CSV
            if head.startswith(OLE2):
                rest = handle.read(min(size, 4 * 2**20))
                if "EncryptedPackage".encode("utf-16-le") in rest:
                    return "工作簿设置了打开密码，程序无法读取：请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空）后另存为 .xlsx"
                return "这是旧版 Excel 文件（.xls），请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后重试"
    except OSError as exc:
        from scoring.cli_text import os_reason

        return f"无法读取文件：{os_reason(exc)}"
    if not head.startswith(ZIP):
        if _text(head):
            return "这是文本文件（如 CSV），不是 Excel 工作簿；请使用程序生成的 .xlsx 文件"
        return "不是 Excel 工作簿（.xlsx）文件"
    return None


def _text(head: bytes) -> bool:
    """Whether a file's first bytes are text: a UTF-8 or UTF-16 BOM (Excel's "Unicode 文本" is UTF-16), or printable
    characters in UTF-8 or GB18030 (a CSV that Chinese Excel or WPS saved), a character cut at the end aside."""
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if head.startswith((b"%PDF", b"{\\rtf")):  # text-like headers of documents that are not text
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:
                continue
            text = head[:exc.start].decode(encoding)
        if encoding == "gb18030" and not any("\u4e00" <= ch <= "\u9fff" for ch in text):
            continue  # GB18030 reads almost any pair of high bytes: only Chinese text counts
        if text and all(ch.isprintable() or ch in "\t\r\n" for ch in text):
            return True
    return False


def _check_zip(path: Path, limits: Limits) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "文件已损坏（zip 结构不完整，可能没有传完），请让对方重新发送"
    return check_members(infos, limits)


def check_members(infos: list[zipfile.ZipInfo], limits: Limits = EXPERT_LIMITS) -> str | None:
    """The checks of preflight on an opened zip's members: count, kind of package, bombs, macros, links."""
    if len(infos) > limits.members:
        return f"文件包含的部件过多（{len(infos)} 个，上限 {limits.members}），不是正常的工作簿"
    names = {info.filename for info in infos}
    if "mimetype" in names and "content.xml" in names:
        return ("这是 OpenDocument 表格（.ods，LibreOffice 或 WPS 保存），请“另存为” Excel 工作簿（*.xlsx）后重试"
                "（安装了 LibreOffice 时评分表文件夹中的 .ods 会自动转换）")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return "zip 文件中没有 Excel 工作簿的内容，不是 .xlsx 工作簿"
    total = 0
    for info in infos:
        if info.file_size > limits.member_bytes:
            return f"文件中的“{info.filename}”解压后过大（{_mib(info.file_size)}），拒绝读取"
        if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
            return f"文件中的“{info.filename}”压缩比异常（超过 {limits.ratio}:1），可能是压缩炸弹，拒绝读取"
        total += info.file_size
    if total > limits.total_bytes:
        return f"文件解压后总大小过大（{_mib(total)}），拒绝读取"
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "文件含有宏（VBA）。评分表和证据材料不应含宏：请另存为不含宏的 .xlsx 后重试"
    if any(name.startswith("xl/externalLinks/") for name in names):
        return "文件含有指向其他工作簿的外部链接，拒绝读取：请删除链接（数据→编辑链接→断开链接）后另存"
    return None


def defused() -> bool:
    """Whether openpyxl parses XML through defusedxml (it silently goes without it): openpyxl.DEFUSEDXML,
    computed as openpyxl/xml/__init__.py computes it, so that the lean readers need not import openpyxl."""
    if os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
        return False
    try:
        import defusedxml  # noqa: F401
    except ImportError:
        return False
    return True


def open_workbook(path: Path, problems: list[Problem], limits: Limits = EXPERT_LIMITS, read_only: bool = False,
                  data_only: bool = False):
    """Load a workbook for reading after the pre-flight check (formulas kept as formulas unless `data_only`,
    no external links, no macros), or add one problem naming the file and return None. Every reader opens
    workbooks through here."""
    import scoring.excel.openpyxl_without_numpy  # noqa: F401
    from openpyxl import load_workbook

    if not defused():
        raise ScorecardError("defusedxml 未启用（环境变量 OPENPYXL_DEFUSEDXML 关闭了它或未安装）：为安全起见拒绝读取工作簿")
    reason = preflight(path, limits)
    if reason:
        missing = not Path(path).exists()  # a wrong path is E-FILE-MISSING (docs/contract-data.md), not a bad format
        problems.append(Problem(reason, file=str(path), code="E-FILE-MISSING" if missing else "E-FILE-FORMAT"))
        return None
    try:
        return load_workbook(path, read_only=read_only, data_only=data_only, keep_links=False, keep_vba=False)
    except Exception as exc:  # any parser failure is a bad input, never a traceback
        problems.append(Problem(parser_message(exc), file=str(path), code="E-FILE-FORMAT"))
    return None


def parser_message(exc: BaseException) -> str:
    """One clear message for any parser failure; defusedxml's refusals may be wrapped by openpyxl."""
    chain, seen = exc, set()
    while chain is not None and id(chain) not in seen:
        seen.add(id(chain))
        if type(chain).__name__ in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden",
                                    "NotSupportedError"):
            return "工作簿含有不安全的 XML（实体定义或外部引用），拒绝读取"
        if type(chain).__name__ == "InvalidFileException":  # openpyxl goes by the extension (x.ods, x.xlsx.bak)
            return "文件扩展名不是 .xlsx（或与内容不符），无法读取：请确认这是 Excel 工作簿，文件名以 .xlsx 结尾"
        chain = chain.__cause__ or chain.__context__
    return "工作簿内容损坏，无法读取，请在 Excel 中打开后另存为 .xlsx 再试"
