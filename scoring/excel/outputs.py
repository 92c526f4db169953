"""Outputs that belong together are written together: the summary workbook and its PDF for signing.

Each summary carries a run mark (``scorecard-run-<hex>``) in its document keywords; LibreOffice
copies the keywords into the PDF it prints, so a PDF can be matched to the workbook it was printed
from without any extra program (``verify`` does). A PDF beside a summary that another run wrote is
stale: it is removed when it carries our mark, otherwise reported. Files are written with the
permissions any other program would give them in that folder (atomic.py).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path

from scoring.excel.atomic import fix_mode, temporary_beside

RUN_PREFIX = "scorecard-run-"
_RUN = re.compile(RUN_PREFIX + r"([0-9a-f]{32})")
CONTENT_PREFIX = "scorecard-content-"  # dc:identifier: the digest of every other part as we wrote them
_CONTENT = re.compile(CONTENT_PREFIX + r"([0-9a-f]{64})")
_PDF_KEYWORDS = re.compile(rb"/Keywords\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))")


def new_run() -> str:
    """A fresh run mark."""
    return uuid.uuid4().hex


def stamp(data: bytes, run: str) -> bytes:
    """The workbook `data` with `run` as its document keywords and the digest of its other parts as its
    identifier (docProps/core.xml): a later save by any other program changes those parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    digest = _content_digest(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = _stamped_core(member, f"{RUN_PREFIX}{run}", f"{CONTENT_PREFIX}{digest}")
            target.writestr(info, member, compress_type=zipfile.ZIP_DEFLATED)  # the renderer's parts come stored
    return out.getvalue()


_CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
            "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


def _stamped_core(xml: bytes, keywords: str, identifier: str) -> bytes:
    """core.xml with `keywords` and `identifier` set, edited as XML: openpyxl declares the dc prefix only
    when it uses it, and differently with lxml (issue 11), so a text edit could leave it undeclared."""
    from xml.etree import ElementTree as StdElementTree

    from defusedxml import ElementTree

    root = ElementTree.fromstring(xml)
    for tag in (f"{{{_CORE_NS['cp']}}}keywords", f"{{{_CORE_NS['dc']}}}identifier"):
        for element in root.findall(tag):
            root.remove(element)
    StdElementTree.SubElement(root, f"{{{_CORE_NS['cp']}}}keywords").text = keywords
    StdElementTree.SubElement(root, f"{{{_CORE_NS['dc']}}}identifier").text = identifier
    for prefix, uri in _CORE_NS.items():
        StdElementTree.register_namespace(prefix, uri)
    return StdElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)


def _core(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            with archive.open("docProps/core.xml") as member:  # bounded: the file may be anyone's
                return member.read(100_000).decode("utf-8", "replace")
    except Exception:  # any damage: not ours to judge here, the pre-flight check names it
        return ""


def workbook_run(path: Path) -> str | None:
    """The run mark of a summary workbook, or None (not ours, unreadable)."""
    found = _RUN.search(_core(path))
    return found.group(1) if found else None


def _content_digest(archive: zipfile.ZipFile) -> str:
    import hashlib

    digest = hashlib.sha256()
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.filename != "docProps/core.xml":
            digest.update(info.filename.encode("utf-8") + b"\0")
            with archive.open(info) as member:
                for block in iter(lambda: member.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def saved_by_others(path: Path) -> bool:
    """Whether a summary of ours was saved since by Excel, WPS or LibreOffice (where people type the
    signatures, opinions and payment dates): its parts are no longer those we wrote."""
    text = _core(path)
    if not _RUN.search(text):
        return False  # not marked (an older version's summary): nothing to compare with
    found = _CONTENT.search(text)
    try:
        with zipfile.ZipFile(path) as archive:
            return found is None or _content_digest(archive) != found.group(1)
    except Exception:  # damaged: certainly not as we wrote it
        return True


def is_summary(path: Path) -> bool:
    """Whether the file is a summary workbook this program wrote (run mark, or an 审计 sheet for older ones)."""
    if workbook_run(path):
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            with archive.open("xl/workbook.xml") as member:
                return "审计".encode("utf-8") in member.read(200_000)
    except Exception:  # any damage: not ours to judge here, the pre-flight check names it
        return False


def pdf_run(path: Path) -> str | None:
    """The run mark in a PDF's Keywords (plain or UTF-16 hex string), or None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    for match in _PDF_KEYWORDS.finditer(data):
        raw = match.group(1)
        if raw.startswith(b"<"):
            try:
                raw = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode("ascii"))
            except ValueError:
                continue
            text = raw[2:].decode("utf-16-be", "replace") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
        else:
            text = raw[1:-1].decode("latin-1")
        found = _RUN.search(text)
        if found:
            return found.group(1)
    return None


def pdf_beside(workbook: Path) -> Path:
    """Where the PDF of a summary goes: beside it, same name."""
    return workbook.with_suffix(".pdf")


def pdf_mismatch(workbook: Path) -> str | None:
    """Why the PDF beside a summary does not belong to it (Chinese), or None (matches, or no PDF)."""
    pdf = pdf_beside(workbook)
    if not pdf.exists():
        return None
    mine, its = workbook_run(workbook), pdf_run(pdf)
    if its is None:
        return f"{pdf} 不是本程序从该汇总表打印的 PDF（没有运行标记），请勿用于签字；请重新运行 summarize --pdf"
    if its != mine:
        return f"{pdf} 与汇总表不一致（打印自另一次汇总），请勿用于签字；请重新运行 summarize --pdf"
    return None


def retire_stale_pdf(workbook: Path) -> str | None:
    """After a new summary was written without --pdf: remove an older PDF of ours beside it; the notice, or None."""
    pdf = pdf_beside(workbook)
    if not pdf.exists() or pdf_run(pdf) == workbook_run(workbook):
        return None
    if pdf_run(pdf) is not None:
        pdf.unlink()
        return f"已删除旧的 PDF（{pdf}）：它打印自以前的汇总结果，与新的汇总表不一致；需要签字用的 PDF 请加 --pdf 重新运行"
    return f"注意：{pdf} 不是本程序从新汇总表打印的，与汇总表不一致，请勿用于签字"


def write_summary(out: Path, data: bytes, pdf: bool, convert) -> tuple[list[str], str | None]:
    """Write the summary workbook and, with `pdf`, its PDF printed from exactly these bytes, together.

    The workbook is stamped with a new run mark; both files are made in a temporary folder beside `out`
    and moved into place one right after the other. `convert(path, folder)` prints to PDF (LibreOffice)
    and raises on failure: then the workbook is still written, any stale PDF removed, and the reason
    returned. Returns (notices, PDF failure or None).
    """
    from scoring.excel.locks import refuse_if_open

    refuse_if_open(out)  # someone has it open: saving that window would overwrite the new summary
    data = stamp(data, new_run())
    notices: list[str] = []
    failure = None
    fd, name = temporary_beside(out, out.suffix)
    book, folder = Path(name), None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        printed = None
        if pdf:
            folder = Path(tempfile.mkdtemp(prefix=".scorecard-pdf-", dir=out.parent))
            try:
                printed = convert(book, folder)
            except Exception as exc:  # the workbook is still worth writing; the caller reports this
                failure = str(exc)
        fix_mode(book, out)
        os.replace(book, out)
        if printed is not None:
            fix_mode(printed, pdf_beside(out))
            os.replace(printed, pdf_beside(out))
    finally:
        book.unlink(missing_ok=True)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    notice = retire_stale_pdf(out)
    if notice:
        notices.append(notice)
    return notices, failure
