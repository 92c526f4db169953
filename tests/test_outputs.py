"""Nothing a person filled is lost; outputs that belong together are written together (issue 12; interfaces.md §1)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest

from scoring.cli import main
from scoring.excel.outputs import pdf_run, workbook_run
from tests.conftest import needs_libreoffice

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"
EVIDENCE = SAMPLE / "evidence" / "2026H2_证据材料.xlsx"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_evidence_template_never_replaces_a_filled_workbook_without_force(tmp_path, capsys):
    out = tmp_path / "证据.xlsx"
    assert run(capsys, "evidence-template", "--period", "2026H2", "--out", out)[0] == 0
    wb = openpyxl.load_workbook(out)
    wb["应急演练"]["A3"] = "2026-09-09"
    wb.save(out)
    filled = out.read_bytes()
    code, _, err = run(capsys, "evidence-template", "--period", "2026H2", "--out", out)
    assert code == 2 and f"{out}: 文件已存在（可能是已填写的证据材料）" in err and "--force" in err
    assert out.read_bytes() == filled
    assert run(capsys, "evidence-template", "--period", "2026H2", "--out", out, "--force")[0] == 0
    assert openpyxl.load_workbook(out)["应急演练"]["A3"].value is None


def test_summarize_does_not_overwrite_a_workbook_that_is_not_a_summary(tmp_path, capsys):
    other = tmp_path / "预算.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别人的表"
    wb.save(other)
    before = other.read_bytes()
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", other)
    assert code == 2 and f"{other}: 输出文件已存在且不是本程序生成的汇总表" in err and other.read_bytes() == before
    # an earlier summary of ours is replaced (README step 3 runs summarize twice to the same --out)
    summary = tmp_path / "s.xlsx"
    assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)[0] == 0
    first = workbook_run(summary)
    assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)[0] == 0
    assert first and workbook_run(summary) not in (None, first)


def test_outputs_get_the_permissions_any_program_gives_a_new_file(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        summary = tmp_path / "s.xlsx"
        assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)[0] == 0
        assert stat.S_IMODE(summary.stat().st_mode) == 0o644  # not the 0600 of a temporary file
        os.chmod(summary, 0o664)  # a shared folder's setting is kept when the summary is replaced
        assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)[0] == 0
        assert stat.S_IMODE(summary.stat().st_mode) == 0o664
        ev = tmp_path / "证据.xlsx"
        assert run(capsys, "evidence-template", "--period", "2026H2", "--out", ev)[0] == 0
        assert stat.S_IMODE(ev.stat().st_mode) == 0o644
    finally:
        os.umask(old)


@needs_libreoffice
def test_readme_step_3_leaves_no_pdf_that_disagrees_with_its_workbook(tmp_path, capsys):
    summary = tmp_path / "汇总.xlsx"
    pdf = summary.with_suffix(".pdf")
    code, out, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary, "--pdf")
    assert code == 0, err
    assert pdf_run(pdf) == workbook_run(summary) is not None  # printed from exactly this workbook
    code, out, _ = run(capsys, "verify", summary, SAMPLE)
    assert code == 0 and out.strip().endswith("旁边的 PDF 打印自这份汇总表。")
    signed = tmp_path / "signed.pdf"
    shutil.copyfile(pdf, signed)

    # the README's second run: another policy, no --pdf -> the old PDF no longer belongs to the workbook
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary,
                       "--policy", "aggregation=trimmed-mean", "--json")
    assert code == 0 and not pdf.exists()
    assert f"已删除旧的 PDF（{pdf}）" in err
    code, out, _ = run(capsys, "verify", summary, SAMPLE)
    assert code == 0, out

    # a PDF from another run put back beside the workbook is caught by verify
    shutil.copyfile(signed, pdf)
    code, out, _ = run(capsys, "verify", summary, SAMPLE)
    assert code == 1 and f"{pdf} 与汇总表不一致（打印自另一次汇总），请勿用于签字" in out


def test_a_pdf_that_is_not_ours_is_never_deleted_but_flagged(tmp_path, capsys):
    summary = tmp_path / "汇总.xlsx"
    pdf = summary.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.4 scanned signatures\n")
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)
    assert code == 0 and pdf.exists() and f"注意：{pdf} 不是本程序从新汇总表打印的" in err
    code, out, _ = run(capsys, "verify", summary, SAMPLE)
    assert code == 1 and "不是本程序从该汇总表打印的 PDF" in out


@needs_libreoffice
def test_a_summary_saved_by_libreoffice_after_we_wrote_it_is_not_replaced_without_force(tmp_path, capsys):
    from scoring.excel.libreoffice import convert

    summary = tmp_path / "汇总.xlsx"
    assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)[0] == 0
    resaved = convert(summary, "xlsx", tmp_path / "lo")  # the secretary typed the opinions in LibreOffice and saved
    shutil.move(resaved, summary)
    before = summary.read_bytes()
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)
    assert code == 2 and f"{summary}: 汇总表生成后被 Excel、WPS 或 LibreOffice 保存过" in err
    assert summary.read_bytes() == before
    assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary, "--force")[0] == 0
    assert workbook_run(summary) is not None and summary.read_bytes() != before


def test_demo_does_not_replace_a_sample_sheet_someone_changed(tmp_path, capsys, monkeypatch):
    import scoring.excel.libreoffice as lo

    monkeypatch.setattr(lo, "find_soffice", lambda: None)  # the PDF is not what this test is about
    out = tmp_path / "demo"
    assert run(capsys, "demo", "--out", out)[0] == 0
    changed = out / "sample" / "2026H2_张三.xlsx"
    wb = openpyxl.load_workbook(changed)
    wb.active["H3"] = "练习时改过"
    wb.save(changed)
    before = changed.read_bytes()
    code, _, err = run(capsys, "demo", "--out", out)
    assert code == 2 and f"{changed}: 示例文件已被改动，未覆盖；确需恢复示例请加 --force" in err
    assert changed.read_bytes() == before
    assert run(capsys, "demo", "--out", out, "--force")[0] == 0 and changed.read_bytes() != before


@pytest.mark.parametrize("lock", [".~lock.2026H2_汇总.xlsx#", "~$26H2_汇总.xlsx", "~$2026H2_汇总.xlsx"])
def test_a_summary_someone_has_open_is_not_replaced(tmp_path, capsys, lock):
    """§1: the summary open in LibreOffice (or Excel off Windows) was replaced without a word; saving that window
    then wrote the old figures over the new ones. Excel's lock of a long name drops its first two characters."""
    summary = tmp_path / "2026H2_汇总.xlsx"
    assert run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary)[0] == 0
    before = summary.read_bytes()
    (tmp_path / lock).write_text("王秘书,host,01.12.2026 09:00;", encoding="utf-8")
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", summary, "--fee", "500000")
    assert code == 2 and f"{summary}: 文件正被打开（旁边的锁文件 {lock} 表明有人在 Excel、WPS 或 LibreOffice 中打开了它）" in err
    assert "可删除该锁文件后重试" in err and summary.read_bytes() == before
    code, _, err = run(capsys, "annual", summary, "--out", tmp_path / "年度.xlsx")
    assert code == 0, err  # another file's lock is not this one's
    (tmp_path / ".~lock.年度2.xlsx#").write_text("x", encoding="utf-8")  # every writer looks (write_atomic)
    code, _, err = run(capsys, "annual", summary, "--out", tmp_path / "年度2.xlsx")
    assert code == 2 and "文件正被打开" in err and not (tmp_path / "年度2.xlsx").exists()


def test_a_lock_file_names_the_workbook_it_stands_for():
    """Excel's lock of 2026H2_王五.xlsx is ~$26H2_王五.xlsx: the notice named a file that does not exist."""
    import tempfile

    from scoring.excel.locks import locked_name

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "2026H2_王五.xlsx").write_bytes(b"")
        assert locked_name(Path(folder) / "~$26H2_王五.xlsx") == "2026H2_王五.xlsx"
        assert locked_name(Path(folder) / "~$短.xlsx") == "短.xlsx"
        assert locked_name(Path(folder) / ".~lock.2026H2_王五.xlsx#") == "2026H2_王五.xlsx"


def test_an_output_named_without_xlsx_is_refused(tmp_path, capsys):
    """§1: --out 汇总结果 wrote a file without extension, which Excel and WPS do not open by a double click."""
    code, _, err = run(capsys, "summarize", SAMPLE, "--evidence", EVIDENCE, "--out", tmp_path / "汇总结果")
    assert code == 2 and f"{tmp_path / '汇总结果'}: 输出文件名应以 .xlsx 结尾，如 汇总结果.xlsx" in err
    code, _, err = run(capsys, "evidence-template", "--period", "2026H2", "--out", tmp_path / "证据.xls")
    assert code == 2 and "输出文件名应以 .xlsx 结尾，如 证据.xlsx" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_every_part_of_a_summary_is_compressed_once_at_the_usual_level(tmp_path, capsys):
    """The XML renderer leaves its parts stored and the run mark's rewrite (outputs.stamp) compresses them,
    once: the file is the size any deflating writer gives, and no part is left uncompressed."""
    import zipfile
    import zlib

    out = tmp_path / "s.xlsx"
    assert main(["summarize", str(SAMPLE), "--evidence", str(SAMPLE / "evidence" / "2026H2_证据材料.xlsx"),
                 "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        sheet = next(i for i in infos if i.filename == "xl/worksheets/sheet1.xml")
        usual = len(zlib.compress(archive.read(sheet), 6)) - 6  # zlib's header and checksum are not in a zip
    assert sheet.compress_size <= usual * 1.01


HANGING_SUMMARIZE = r"""
import sys, time
import scoring.excel.outputs as outputs

real = outputs.fix_mode
def slow(made, target):  # the summary is in its temporary file, not yet moved into place
    print("writing", flush=True)
    time.sleep(60)
    real(made, target)

outputs.fix_mode = slow
from scoring.cli import main
sys.exit(main())  # as the console script calls it
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("name, times", [("SIGTERM", 1), ("SIGHUP", 1), ("SIGINT", 2)])
def test_a_terminated_summarize_leaves_no_temporary_file(tmp_path, name, times):
    """Closing the terminal (SIGHUP), `kill` (SIGTERM) or Ctrl-C pressed twice while the summary is written: the
    temporary file beside it is removed and the message says nothing was written, in Chinese only (the first two
    left `.s.xxxx.xlsx` behind; a second Ctrl-C printed an English traceback)."""
    import time
    import signal
    import subprocess
    import sys

    out = tmp_path / "s.xlsx"
    process = subprocess.Popen([sys.executable, "-c", HANGING_SUMMARIZE, "summarize", str(SAMPLE), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent)
    assert process.stdout.readline().strip() == "writing"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".s.")]  # the temporary file, being written
    for _ in range(times):
        process.send_signal(getattr(signal, name))
        time.sleep(0.05)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1 and "已中断，未写入任何文件" in err and "Traceback" not in err, err
    assert "Exception ignored" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_a_second_ctrl_c_while_the_interrupted_command_exits_is_ignored(tmp_path):
    """The first Ctrl-C ends the command with status 1; one more as it says so and exits (Python's own handler
    was put back by then) killed it: status -2, 130 in a shell."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "s.xlsx"
    process = subprocess.Popen([sys.executable, "-c", HANGING_SUMMARIZE, "summarize", str(SAMPLE), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent)
    assert process.stdout.readline().strip() == "writing"
    process.send_signal(signal.SIGINT)
    said = process.stderr.readline()  # the message: the command is on its way out
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:  # Ctrl-C pressed again and again as it exits
        process.send_signal(signal.SIGINT)
        time.sleep(0.002)
    process.communicate(timeout=30)
    assert "已中断" in said and process.returncode == 1


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_a_summarize_run_under_nohup_keeps_its_hangup_ignored(tmp_path):
    """`nohup scorecard summarize …`: the terminal closing (SIGHUP) must not stop it; the command's own
    clean-up handlers are for signals nobody chose to ignore."""
    import signal
    import subprocess
    import sys

    out = tmp_path / "s.xlsx"
    process = subprocess.Popen([sys.executable, "-c", HANGING_SUMMARIZE.replace("time.sleep(60)", "time.sleep(1)"),
                                "summarize", str(SAMPLE), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent,
                               preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    assert process.stdout.readline().strip() == "writing"
    process.send_signal(signal.SIGHUP)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0 and out.is_file(), err


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_an_interrupted_run_in_process_gives_the_caller_its_signal_handlers_back(tmp_path, monkeypatch, capsys):
    """main([...]) called by a program (a test, a notebook): after a Ctrl-C it left SIGINT and SIGTERM ignored,
    and its next call took that for nohup and could not be stopped at all."""
    import signal
    import time

    from scoring import cli

    def stopped(args):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
        return 0
    monkeypatch.setattr(cli, "_summarize", stopped)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    assert cli.main(["summarize", str(tmp_path), "--out", str(tmp_path / "s.xlsx")]) == 1
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    assert "已中断" in capsys.readouterr().err
