"""R1.2, R2.2: a large panel read on forked workers gives what reading it here gives, in the files' order
(scoring/excel/sheet_pool.py, issue 15), and falls back to reading here whenever workers are unsafe or fail."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import openpyxl
import pytest

from scoring.cli import main
from scoring.excel import sheet_pool
from tests.conftest import RUBRIC, write_evidence_workbook, write_expert_workbook

forks = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="processes do not fork here")


def mixed_panel(folder: Path) -> list[tuple[Path, bool, bool]]:
    """Valid sheets with varied scores and every kind of trouble a folder holds, as (path, skip_others, pending)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(9):
        scores = {item.id: (k * 7 + j) % (int(item.points) + 1) for j, item in enumerate(RUBRIC.items)}
        files.append(write_expert_workbook(folder, f"专家{k}", scores, notes={"report": f"备注{k}"}))
    files.append(write_expert_workbook(folder, "坏分", {"report": "九分", "platform": 99}))  # text, out of range
    foreign = folder / "foreign.xlsx"
    openpyxl.Workbook().save(foreign)
    broken = folder / "broken.xlsx"
    broken.write_bytes(files[0].read_bytes()[:500])  # a download cut short
    evidence = write_evidence_workbook(folder / "evidence.xlsx")
    return [(p, True, True) for p in files] + [(foreign, True, True), (broken, True, False), (evidence, False, False),
                                               (evidence, True, False), (evidence, True, True)]


@forks
def test_workers_read_what_this_process_reads_in_the_same_order(tmp_path):
    files = mixed_panel(tmp_path / "p")
    here = sheet_pool._read(files, RUBRIC)
    for count in (2, 3):
        assert sheet_pool._on_workers(files, RUBRIC, count) == here
    assert [s.expert if s else None for _, s, _ in here][:10] == [f"专家{k}" for k in range(9)] + ["坏分"]
    assert [s.sha256 for _, s, _ in here if s] == [s.sha256 for _, s, _ in sheet_pool._on_workers(files, RUBRIC, 2) if s]
    assert any("九分" in p.message for p in here[9][2]) and here[11][1] is None and here[11][2]  # refused with a reason
    assert [kind for kind, _, _ in here[-3:]] == ["", "", "evidence"]  # read as asked; pending: said what it is
    assert here[-3][1] is None and here[-2] == ("", None, [])  # our evidence workbook: not a sheet, skipped if asked


@forks
def test_a_worker_that_dies_leaves_the_reading_to_this_process(tmp_path, monkeypatch):
    files = mixed_panel(tmp_path / "p")
    monkeypatch.setattr(sheet_pool, "PARALLEL_FROM", 2)
    monkeypatch.setattr("scoring.cores.usable_cores", lambda: 2)
    assert sheet_pool.reading_workers(len(files)) == 2
    monkeypatch.setattr(sheet_pool, "_read_range", _die)  # inherited by the forked workers
    assert sheet_pool.read_sheets(files, RUBRIC) == sheet_pool._read(files, RUBRIC)


def _die(bounds):
    os._exit(3)


def test_small_panels_threads_workers_and_other_systems_read_here(monkeypatch):
    monkeypatch.setattr("scoring.cores.usable_cores", lambda: 8)
    assert sheet_pool.reading_workers(sheet_pool.PARALLEL_FROM - 1) == 1
    if not sys_is_linux_with_fork():
        assert sheet_pool.reading_workers(1000) == 1
        return
    assert sheet_pool.reading_workers(sheet_pool.PARALLEL_FROM) == 2  # never fewer than 32 sheets a worker
    assert sheet_pool.reading_workers(1000) == 8
    monkeypatch.setattr("scoring.cores.usable_cores", lambda: 1)
    assert sheet_pool.reading_workers(1000) == 1
    monkeypatch.setattr("scoring.cores.usable_cores", lambda: 8)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert sheet_pool.reading_workers(1000) == 1  # forking a process with threads can deadlock the child
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())  # inside a batch worker
    assert sheet_pool.reading_workers(1000) == 1
    monkeypatch.setattr("sys.platform", "darwin")
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: None)
    assert sheet_pool.reading_workers(1000) == 1


def sys_is_linux_with_fork() -> bool:
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


@forks
def test_a_summary_read_on_workers_is_the_summary_read_here(tmp_path, capsys, monkeypatch):
    """The whole command: figures, notices and problems the same whichever way the sheets were read."""
    folder = tmp_path / "评分表"
    for path, _, _ in mixed_panel(tmp_path / "all")[:9]:
        folder.mkdir(exist_ok=True)
        shutil.copy(path, folder / path.name)
    shutil.copy(tmp_path / "all" / "evidence.xlsx", folder / "evidence.xlsx")  # skipped with a hint, both ways
    outputs, pools = {}, []
    on_workers = sheet_pool._on_workers
    monkeypatch.setattr(sheet_pool, "_on_workers", lambda *a: pools.append(a[2]) or on_workers(*a))
    for parallel in (False, True):
        monkeypatch.setattr(sheet_pool, "PARALLEL_FROM", 2 if parallel else 10_000)
        monkeypatch.setattr("scoring.cores.usable_cores", lambda: 2)
        assert (sheet_pool.reading_workers(9) > 1) == (parallel and sys_is_linux_with_fork())
        code = main(["summarize", str(folder), "--out", str(tmp_path / f"{parallel}.xlsx"), "--json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        outputs[parallel] = (json.loads(out.replace(f"{parallel}.xlsx", "X")), err.replace(f"{parallel}.xlsx", "X"))
    assert outputs[True] == outputs[False]
    assert "证据材料" in outputs[True][1]
    assert pools == [2]  # the second run was read on two workers


def _hang(bounds):
    import time

    time.sleep(30)
    return []


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@forks
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_an_interrupted_read_ends_its_children_at_once_even_a_hung_one(tmp_path, monkeypatch):
    """Ctrl-C while a child is stuck (a file on a stalled share): the interrupt comes through at once, and no
    child is left running or unreaped, no pipe left open."""
    import signal
    import time

    files = mixed_panel(tmp_path / "p")
    monkeypatch.setattr(sheet_pool, "_read_range", _hang)  # what the forked children run
    monkeypatch.setattr(sheet_pool, "_read", lambda files, rubric: [])  # this process's own third: at once, so the
    # interrupt comes while it waits for a child (a loaded machine read it past the alarm, and an interrupted
    # openpyxl load keeps its file open in the traceback)

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = _open_fds()
    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt):
            sheet_pool._on_workers(files * 30, RUBRIC, 3)  # this process reads its third, then waits for a child
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child reaped
    assert _open_fds() == before


@forks
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_fork_that_fails_leaves_no_pipe_and_the_sheets_are_read_here(tmp_path, monkeypatch):
    files = mixed_panel(tmp_path / "p")
    real_fork, forks_made = os.fork, []

    def fork_once():
        if forks_made:
            raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN: too many processes
        forks_made.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork_once)
    monkeypatch.setattr(sheet_pool, "reading_workers", lambda n: 3)
    before = _open_fds()
    assert sheet_pool.read_sheets(files, RUBRIC) == sheet_pool._read(files, RUBRIC)
    assert _open_fds() == before
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
