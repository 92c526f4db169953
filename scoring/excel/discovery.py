"""Every file a person drops into a sheets folder is accounted for (issue 12, interfaces.md §1).

Each file of a folder is either read as an expert sheet, skipped with a one-line notice saying what it
is, or refused with what to do. The kinds:

| file | what happens |
|---|---|
| `*.xlsx` expert sheet | read |
| `*.xlsx` our evidence workbook | skipped with a notice; a hint when `--evidence` was not given |
| `*.xlsx` our summary (last period's) | skipped with a notice |
| `*.xlsx` saved as "Strict Open XML" | converted through LibreOffice where installed, else refused (另存为) |
| `*.xls`, `*.ods`, `*.et` (old Excel, LibreOffice, WPS) | converted through LibreOffice where installed, else refused |
| `*.xlsm` and anything else `.xls*` | read through the pre-flight check, which refuses it with what to do |
| `*.xlsb`, `*.numbers`, `*.gnumeric`, `*.fods`, `*.wps`-style spreadsheets we cannot read | refused with what to do (另存为 .xlsx): an expert's sheet saved so must not silently leave the panel short |
| `~$*` (Excel/WPS lock file), `.~lock.*#` (LibreOffice lock file) | skipped with a notice (someone has it open) |
| `._*` (a Mac's AppleDouble file), `.DS_Store`, `Thumbs.db`, `desktop.ini`, other hidden files | skipped with a notice |
| any other file (PDF, Word, CSV, pictures ...) | skipped with a notice |
| a browser or Explorer copy `张三(1).xlsx`, `张三 - 副本.xlsx` | read; the name inside decides the expert, and the notice says so |
| the same file given twice | read once, with a notice |

Sub-folders are not searched, and each is named in a notice (except evidence/, where the batch
layout keeps the evidence, and hidden ones).
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from scoring.errors import Problem
from scoring.excel.locks import is_lock, locked_name
from scoring.shell import argument
from scoring.excel.preflight import OLE2, ZIP

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
CONVERTIBLE = {".xls": "旧版 Excel 文件（.xls）", ".ods": "LibreOffice 文件（.ods）", ".et": "WPS 表格文件（.et）"}
READABLE = SHEET_SUFFIXES + tuple(CONVERTIBLE)  # every file a sheet may be read from: verify and correct look for these
STRICT = "“Strict Open XML 电子表格”格式的 .xlsx"
# Spreadsheets this program cannot read: in a sheets folder almost surely an expert's sheet saved in another
# format; skipping one left the panel an expert short (5 became 3, summarized without a word but a notice).
UNREADABLE = {".xlsb": "Excel 二进制工作簿（.xlsb）", ".numbers": "Apple Numbers 文件（.numbers）",
              ".gnumeric": "Gnumeric 文件（.gnumeric）", ".fods": "LibreOffice 单文件表格（.fods）",
              ".ett": "WPS 表格模板（.ett）", ".xlt": "旧版 Excel 模板（.xlt）", ".ots": "LibreOffice 表格模板（.ots）"}
SYSTEM_FILES = {".ds_store": "Mac 的文件夹设置文件", "thumbs.db": "Windows 的缩略图文件", "desktop.ini": "Windows 的文件夹设置文件"}

# 张三(1).xlsx, 张三 (2).xlsx, 张三（1）.xlsx, 张三 - 副本.xlsx, 张三 - 副本 (2).xlsx, 张三 - Copy.xlsx, 张三 copy.xlsx
COPY_SUFFIX = re.compile(r"(?:\s*[\(（]\d{1,3}[\)）]|\s*-\s*(?:副本|复制|拷贝|Copy)(?:\s*[\(（]\d{1,3}[\)）])?|\s+copy(?:\s+\d{1,3})?)+$",
                         re.IGNORECASE)


def strip_copy_suffix(stem: str) -> str:
    """The file-name stem without a browser's or Explorer's copy suffix: '2026H2_张三(1)' -> '2026H2_张三'."""
    return COPY_SUFFIX.sub("", stem).strip()


@dataclass(frozen=True)
class Candidate:
    """A file to read as an expert sheet: `path` as found; `convert` says why it must go through LibreOffice first."""

    path: Path
    explicit: bool
    convert: str = ""
    pending: bool = False  # what the workbook is (evidence, summary, Strict) is found when it is read: settle()
    folder: Path | None = None  # the folder it was found in


def workbook_kind(path: Path) -> str:
    """'evidence', 'summary', 'strict', 'expert' or '' (unknown or unreadable) from the package, without openpyxl."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive_kind(archive)
    except Exception:  # any damage: not ours to judge here, the pre-flight check names it
        return ""


def archive_kind(archive: zipfile.ZipFile) -> str:
    """workbook_kind of an opened package."""
    try:
        with archive.open("xl/workbook.xml") as member:  # never the whole member: it may be a bomb
            workbook = member.read(500_000)
    except Exception:  # any damage: not ours to judge here, the pre-flight check names it
        return ""
    if b"purl.oclc.org/ooxml" in workbook:
        return "strict"
    for name, kind in ((b"expert_name", "expert"), (b"crypto_passed", "evidence"), (b"total_score", "summary")):
        if re.search(rb'name="' + name + rb'"', workbook):
            return kind
    return ""


def _head(path: Path) -> bytes:
    """A regular file's first bytes (b"" for anything else: a named pipe would wait for a writer forever)."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""
        with open(path, "rb") as handle:
            return handle.read(8)
    except OSError:
        return b""


def conversion_needed(path: Path) -> str:
    """What an .xls, .ods, .et or Strict Open XML file is (it must go through LibreOffice), or ''."""
    head = _head(path)
    if path.suffix.lower() in CONVERTIBLE and (head.startswith(OLE2) or head.startswith(ZIP)):
        return CONVERTIBLE[path.suffix.lower()]
    if path.suffix.lower() in SHEET_SUFFIXES and head.startswith(ZIP) and workbook_kind(path) == "strict":
        return STRICT
    return ""


def classify(path: Path, explicit: bool, evidence_given: bool, notices: list[str],
             problems: list[Problem], evidence: Path | None = None, defer: bool = False,
             out: Path | None = None, evidence_folder: Path | None = None) -> Candidate | None:
    """What to do with one file (see the module's table): a Candidate to read, or None (noticed or refused).
    With `defer`, a zip-based workbook is not opened here to see what it is: its Candidate is `pending`, and
    settle() applies the rules once the reader has looked (read_panel: the file is opened once, on a worker).
    `out` is the summary to be written, whose lock among the sheets is told as what it is; `evidence_folder`
    where this run takes its evidence from (batch: a panel's evidence folder; None: the --evidence option)."""
    name, lower = path.name, path.name.lower()
    suffix = path.suffix.lower()
    if is_lock(name):
        notice = lock_notice(path, evidence, out)
        if notice:
            notices.append(notice)
        return None
    if name.startswith("._"):
        notices.append(f"跳过 {path}：Mac 生成的隐藏文件（不是评分表，可删除）")
        return None
    if lower in SYSTEM_FILES:
        notices.append(f"跳过 {path}：{SYSTEM_FILES[lower]}（不是评分表）")
        return None
    if name.startswith(".") and not explicit:
        notices.append(f"跳过 {path}：隐藏文件（不是评分表）")
        return None
    if suffix in CONVERTIBLE:
        head = _head(path)
        if head.startswith(OLE2) or head.startswith(ZIP):
            return Candidate(path, explicit, CONVERTIBLE[suffix])
        return Candidate(path, explicit)  # not what its name says: the pre-flight check tells what it is
    if suffix in UNREADABLE:
        problems.append(Problem(f"{UNREADABLE[suffix]}不能读取：如是专家的评分表，请用 Excel、WPS 或 LibreOffice 打开，"
                                "另存为“Excel 工作簿（*.xlsx）”；如不是，请移出文件夹", file=str(path), code="E-FILE-FORMAT"))
        return None
    if suffix not in SHEET_SUFFIXES:
        if explicit:
            return Candidate(path, explicit)  # named on the command line: the pre-flight check says what it is
        notices.append(f"跳过 {path}：不是 Excel 评分表（{suffix or '无扩展名'}）")
        return None
    if not _head(path).startswith(ZIP):
        return Candidate(path, explicit)
    if defer:
        return Candidate(path, explicit, pending=True)
    return settle(Candidate(path, explicit), workbook_kind(path), evidence_given, notices, evidence, evidence_folder)


def lock_notice(lock: Path, evidence: Path | None = None, out: Path | None = None) -> str | None:
    """The notice for an Office lock file among the sheets, saying whose it is: an expert sheet's (close it, or
    its unsaved scores are not read), the summary's about to be written (which cannot be replaced while it is
    open: the refusal follows), an earlier summary's, or a lock left behind by a program that did not close.
    None for the evidence's: discover tells that one wherever the evidence is (evidence_lock_notice)."""
    locked = lock.parent / locked_name(lock)
    if out is not None and locked.resolve() == out.resolve():
        return f"跳过 {lock}：Office 锁文件（输出文件“{locked.name}”正被打开，关闭后才能写入新的汇总表）"
    if evidence is not None and locked.resolve() == evidence.resolve():
        return None
    if not locked.exists():
        return (f"跳过 {lock}：Office 锁文件（它所指的“{locked.name}”不在此文件夹中：若它正在别处打开，请保存后放入此文件夹；"
                "否则是程序未正常关闭时留下的，可删除）")
    kind = workbook_kind(locked) if _head(locked).startswith(ZIP) else ""
    if kind == "summary":
        return f"跳过 {lock}：Office 锁文件（以前生成的汇总表“{locked.name}”正被打开，不影响本次汇总）"
    if kind == "evidence":
        return f"跳过 {lock}：Office 锁文件（证据材料“{locked.name}”正被打开）"
    return f"跳过 {lock}：Office 锁文件（有人正打开“{locked.name}”，请关闭后再汇总，以免用到未保存的评分）"


def evidence_lock_notice(evidence: Path) -> str | None:
    """A notice when the evidence workbook is open in Excel, WPS or LibreOffice (its lock file beside it): rows
    typed in and not yet saved are not read."""
    from scoring.excel.locks import lock_of

    lock = lock_of(evidence)
    if lock is None:
        return None
    return (f"注意：证据材料 {evidence} 正被打开（锁文件 {lock.name}）：未保存的内容不会被读取，"
            "请保存并关闭后再汇总")


def evidence_wanted(evidence_folder: Path | None = None) -> str:
    """How this run takes the evidence workbook, for a message that asks for it: the --evidence option, or
    (batch) the panel's evidence folder."""
    if evidence_folder is None:
        return "须用 --evidence 提供证据材料"
    return f"须在 {evidence_folder} 文件夹中放入该考核组的证据材料"


def settle(candidate: Candidate, kind: str, evidence_given: bool, notices: list[str],
           evidence: Path | None = None, evidence_folder: Path | None = None) -> Candidate | None:
    """The rules of the module's table that depend on what a zip-based workbook is (`kind`, workbook_kind):
    Strict Open XML is converted, our evidence workbook and our summaries found in a folder are skipped with a
    notice (saying how this run takes the evidence: `evidence_folder`, see classify); anything else is read."""
    path, explicit = candidate.path, candidate.explicit
    if kind == "strict":
        return Candidate(path, explicit, STRICT, folder=candidate.folder)
    if kind == "evidence" and not explicit:
        if evidence is not None and path.resolve() == evidence.resolve():
            return None  # the --evidence itself, kept beside the sheets: nothing to tell
        if evidence_given:
            notices.append(f"跳过 {path}：证据材料（不是评分表）")
        else:
            notices.append(f"提示：{path} 是证据材料，但本次没有用 --evidence 给出，汇总不应用证据规则（R5–R9）；"
                           f"如需应用，请加 --evidence {argument(str(path))}" if evidence_folder is None else
                           f"提示：{path} 是证据材料，但 batch 只读取考核组 evidence 子文件夹中的证据材料，"
                           f"本组汇总不应用证据规则（R5–R9）；如需应用，请把它移到 {evidence_folder} 中")
        return None
    if kind == "summary" and not explicit:
        notices.append(f"跳过 {path}：以前生成的汇总表（不是评分表）")
        return None
    return Candidate(path, explicit, folder=candidate.folder)


def settle_all(candidates: list[Candidate], kinds: dict[Path, str], evidence_given: bool, notices: list[str],
               problems: list[Problem], evidence: str | Path | None = None,
               evidence_folder: Path | None = None) -> list[Candidate]:
    """discover(defer=True)'s candidates with each pending one settled by the kind its reading found
    (`kinds`, by path), in order; a folder left without a sheet to read is a problem, as discover says it."""
    settled: list[Candidate] = []
    for candidate in candidates:
        if candidate.pending:
            found = settle(candidate, kinds.get(candidate.path, ""), evidence_given, notices,
                           Path(evidence) if evidence is not None else None, evidence_folder)
            if found is not None:
                settled.append(found)
        else:
            settled.append(candidate)
    for folder in dict.fromkeys(c.folder for c in candidates if c.folder is not None):
        if not any(c.folder == folder for c in settled):
            problems.append(_empty(folder))
    return settled


def _empty(folder: Path) -> Problem:
    return Problem("文件夹中没有评分表（.xlsx）", file=str(folder), code="E-FILE-MISSING")


def discover(inputs: list[str | Path], evidence_given: bool = True, evidence: str | Path | None = None,
             defer: bool = False, out: Path | None = None, evidence_folder: Path | None = None
             ) -> tuple[list[Candidate], list[str], list[Problem]]:
    """(files to read, notices, problems) for the inputs: files as given, each folder's files classified.
    With `defer`, what each zip-based workbook is is left to settle_all after it is read (see classify);
    `out` is the summary to be written (its lock file is named as such). An open `evidence` is noticed too."""
    candidates: list[Candidate] = []
    notices: list[str] = []
    problems: list[Problem] = []
    given_folders = {Path(g).resolve() for g in inputs if Path(g).is_dir()}
    keys: list[Path] = []  # each candidate's resolved path, to count a file given twice once
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            before = len(candidates)
            folder = path.resolve()
            with os.scandir(path) as entries:  # the entry's type without a stat per file (a panel of 301 sheets)
                children = sorted((path / entry.name, entry) for entry in entries)
            for child, entry in children:
                if entry.is_dir() and child.name != "evidence" and not child.name.startswith((".", "__")) \
                        and child.resolve() not in given_folders:  # a sub-folder given too is read in its turn
                    notices.append(f"跳过子文件夹 {child}（子文件夹中的文件不读取；要汇总的评分表请放在 {path} 中）")
                elif entry.is_file():
                    found = classify(child, False, evidence_given, notices, problems,
                                     Path(evidence) if evidence is not None else None, defer, out, evidence_folder)
                    if found:
                        candidates.append(replace(found, folder=path))
                        keys.append(child.resolve() if entry.is_symlink() else folder / child.name)
            if len(candidates) == before:
                problems.append(_empty(path))
        elif path.exists():
            found = classify(path, True, evidence_given, notices, problems,
                             Path(evidence) if evidence is not None else None, defer, out, evidence_folder)
            if found:
                candidates.append(found)
                keys.append(path.resolve())
        else:
            problems.append(Problem("文件不存在", file=str(path), code="E-FILE-MISSING"))
    unique: dict[Path, Candidate] = {}
    for key, candidate in zip(keys, candidates):
        if key in unique:
            notices.append(f"{candidate.path} 被重复给出，只计一次")
            continue
        unique[key] = candidate
    if evidence is not None:  # wherever it lies (lock_notice leaves its lock among the sheets to this)
        notices += [n for n in [evidence_lock_notice(Path(evidence))] if n]
    return list(unique.values()), notices, problems
