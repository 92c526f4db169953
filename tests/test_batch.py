"""R11 `batch` on a process pool: same results as one process, in the order given; a bad panel stops nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.assess import to_json
from scoring.errors import InputError
from scoring.jobs.batch import batch, workers
from tests.conftest import write_expert_workbook

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks"


def panels(root: Path) -> list[Path]:
    """Four panels: two with evidence, one of a single expert (R2.1: invalid), one with a changed score."""
    folders = []
    for name in ("组一", "组二", "组三", "组四"):
        folder = root / name
        folder.mkdir()
        folders.append(folder)
        if name == "组三":
            write_expert_workbook(folder, "甲", {})
            continue
        for f in SAMPLE.glob("*.xlsx"):
            shutil.copy(f, folder)
        if name != "组四":
            (folder / "evidence").mkdir()
            shutil.copy(SAMPLE / "evidence" / "2026H2_证据材料.xlsx", folder / "evidence")
    return folders


def outcome(results) -> list[tuple[str, object]]:
    return [(folder.name, r.codes if isinstance(r, InputError) else to_json(r)) for folder, r in results]


def test_r11_pool_gives_the_serial_results_in_the_given_order(tmp_path):
    folders = panels(tmp_path)
    (tmp_path / "serial").mkdir()
    (tmp_path / "pool").mkdir()
    serial = outcome(batch(folders, tmp_path / "serial", jobs=1))
    pooled = outcome(batch(folders, tmp_path / "pool", jobs=2))
    assert [name for name, _ in pooled] == ["组一", "组二", "组三", "组四"]
    assert pooled == serial
    assert pooled[2][1] == ["E-PANEL-SIZE"]  # R2.1: one expert only; the panels after it are summarized
    assert pooled[0][1]["total"] == "79.5" and pooled[0][1] == pooled[1][1]
    assert sorted(p.name for p in (tmp_path / "pool").iterdir()) == ["组一.xlsx", "组二.xlsx", "组四.xlsx"]


def test_r11_more_panels_than_the_pool_holds_keep_their_order(tmp_path):
    source = panels(tmp_path)[3]
    folders = [source]
    for k in range(2, 7):
        copy = tmp_path / f"copy{k}"
        shutil.copytree(source, copy)
        folders.append(copy)
    (tmp_path / "out").mkdir()
    results = list(batch(folders, tmp_path / "out", jobs=2))  # 6 panels, at most 4 in flight
    assert [f for f, _ in results] == folders
    assert all(not isinstance(r, InputError) and to_json(r)["total"] == "79.5" for _, r in results)


def test_r11_a_bad_fee_is_refused_once_for_the_batch_not_once_per_panel(tmp_path):
    folders = panels(tmp_path)
    with pytest.raises(InputError) as refused:
        list(batch(folders, tmp_path / "out", fee="1000000000", jobs=1))
    assert [p.message for p in refused.value.problems] == [
        "--fee：金额“1000000000”超过 999,999,999.99 元：汇总表的公式和金额栏只为此以内的当次服务费设计"]
    assert not (tmp_path / "out").exists()


def test_r11_batch_checks_its_arguments_before_starting_workers(tmp_path):
    with pytest.raises(InputError) as caught:
        list(batch([tmp_path / "a", tmp_path / "x" / "a"], tmp_path, jobs=2))
    assert caught.value.codes == ["E-OUTPUT"]


@pytest.mark.parametrize("jobs, panels_, expected", [(None, 1, 1), (1, 60, 1), (2, 60, 2), (8, 3, 3), (0, 5, 1)])
def test_workers_are_bounded_by_jobs_and_panels(jobs, panels_, expected):
    assert workers(jobs, panels_) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_r11_each_panels_notices_reach_the_caller_before_its_result(tmp_path, jobs):
    folders = panels(tmp_path)
    (folders[1] / "说明.txt").write_text("不是评分表", encoding="utf-8")  # skipped, with a notice
    (tmp_path / "out").mkdir()
    notices: list[str] = []
    seen = []
    for folder, _ in batch(folders, tmp_path / "out", jobs=jobs, notices=notices):
        seen.append((folder.name, [n for n in notices if "说明.txt" in n]))
        notices.clear()
    assert [name for name, _ in seen] == ["组一", "组二", "组三", "组四"]
    assert [bool(found) for _, found in seen] == [False, True, False, False]


def test_r11_a_panel_that_cannot_be_written_stops_no_other(tmp_path, monkeypatch):
    """R11: an OSError in one panel (a full disk, a folder without access) stopped the whole batch, and the
    panels already summarized were never reported."""
    import errno

    import scoring.jobs.batch as job

    folders = panels(tmp_path)
    real = job.summarize

    def full_disk(inputs, out, **options):
        if Path(out).stem == "组二":
            raise OSError(errno.ENOSPC, "No space left on device", str(out))
        return real(inputs, out, **options)

    monkeypatch.setattr(job, "summarize", full_disk)
    (tmp_path / "out").mkdir()
    results = outcome(batch(folders, tmp_path / "out", jobs=1))
    assert [(name, r if isinstance(r, list) else r["total"]) for name, r in results] == \
        [("组一", "79.5"), ("组二", ["E-OUTPUT"]), ("组三", ["E-PANEL-SIZE"]), ("组四", "79.5")]
    [problem] = next(r for f, r in batch([folders[1]], tmp_path / "out", jobs=1)).problems
    assert problem.message.startswith("无法读写文件：") and problem.file.endswith("组二.xlsx")


def test_r11_a_mistyped_folder_is_one_line_and_the_others_run(tmp_path):
    """R11: a folder that does not exist gave "文件不存在" and "评审专家只有 0 名"."""
    folders = panels(tmp_path)
    (tmp_path / "out").mkdir()
    results = list(batch([tmp_path / "组五", folders[0]], tmp_path / "out", jobs=1))
    [problem] = results[0][1].problems
    assert (problem.message, problem.file) == ("考核组文件夹不存在", str(tmp_path / "组五"))
    assert to_json(results[1][1])["total"] == "79.5"


# A batch whose panels each hang while their summary is half written (a stalled share): run as the command,
# in its own process group, as a terminal runs it.
HANGING_BATCH = r"""
import sys, time
import scoring.jobs.batch as job
from scoring.excel.atomic import write_atomic

def hanging(inputs, out, **options):
    write_atomic(out, lambda handle: (handle.write(b"half"), handle.flush(), time.sleep(60)))

job.summarize = hanging
from scoring.cli import main
print("started", flush=True)
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "killpg"), reason="needs POSIX process groups")
@pytest.mark.parametrize("stop, presses", [("SIGINT", 1), ("SIGINT", 2), ("SIGHUP", 1), ("worker killed", 1)])
def test_r11_ctrl_c_stops_a_batch_at_once_and_leaves_no_file_or_process(tmp_path, stop, presses):
    """Ctrl-C (once, or twice as an impatient user does), a closed terminal (SIGHUP to every process) or a
    worker killed by the system (out of memory) during a batch: the command ends within seconds with its
    Chinese message, no English traceback, no half-written summary, no worker left running. A second Ctrl-C
    used to hang it for good (a worker interrupted in its queue, the pool's shutdown interrupted); SIGHUP made
    the workers go on with the next panel; a killed worker left its temporary file."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folders = panels(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-c", HANGING_BATCH, "batch", *map(str, folders), "--out-dir", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, cwd=Path(__file__).resolve().parent.parent)
    assert process.stdout.readline().strip() == "started"
    time.sleep(2)  # the workers are inside their first panels, writing
    if stop == "worker killed":
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        os.kill(int(workers[0]), signal.SIGKILL)
    for _ in range(presses if stop != "worker killed" else 0):
        os.killpg(process.pid, getattr(signal, stop))  # what a terminal does: every process of the command
        time.sleep(0.2)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError(f"batch hung after {stop}")
    said = "工作进程意外退出" if stop == "worker killed" else "已中断"
    assert process.returncode == 1 and said in err and "Traceback" not in err, err
    assert list(out.iterdir()) == []  # neither a summary nor a temporary file
    leftover = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == []


def test_r11_evidence_left_beside_the_sheets_is_pointed_to_the_evidence_folder(tmp_path, capsys):
    """batch takes no --evidence: evidence lying among a panel's sheets is named with where batch reads it from
    (the panel's evidence folder), never with an option batch does not have."""
    from scoring.cli import main

    folder = panels(tmp_path)[3]  # 组四: the sample sheets, no evidence folder
    shutil.copy(SAMPLE / "evidence" / "2026H2_证据材料.xlsx", folder)
    assert main(["batch", str(folder), "--out-dir", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert (f"提示：{folder / '2026H2_证据材料.xlsx'} 是证据材料，但 batch 只读取考核组 evidence 子文件夹中的证据材料，"
            f"本组汇总不应用证据规则（R5–R9）；如需应用，请把它移到 {folder / 'evidence'} 中") in err
    assert "--evidence" not in err


SPAWNED_BATCH = r"""
import json, sys
import scoring.jobs.batch as job
from scoring.assess import to_json

import multiprocessing
job.start_method = lambda: "spawn"
contexts, get_context = [], multiprocessing.get_context
multiprocessing.get_context = lambda method=None: contexts.append(method) or get_context(method)
out, folders = sys.argv[1], sys.argv[2:]
print(json.dumps([[f.name, r.codes if isinstance(r, job.InputError) else to_json(r)]
                  for f, r in job.batch(folders, out, jobs=2)], ensure_ascii=False))
print(contexts, file=sys.stderr)
"""


def test_r11_spawned_workers_give_the_serial_results(tmp_path):
    """Where processes do not fork (Windows, macOS, or a process running threads: the add-in's server), the
    workers are spawned, import everything themselves and are given the panels by number all the same. (In a
    process of its own: spawning starts multiprocessing's resource tracker, a child that outlives the test.)"""
    import json
    import subprocess
    import sys

    folders = panels(tmp_path)
    serial = outcome(batch(folders, tmp_path / "serial", jobs=1))
    spawned = subprocess.run([sys.executable, "-c", SPAWNED_BATCH, str(tmp_path / "pool"), *map(str, folders)],
                             capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    assert spawned.stderr.strip() == "['spawn']"
    assert json.loads(spawned.stdout) == json.loads(json.dumps(serial))  # tuples as lists, both sides
    assert sorted(p.name for p in (tmp_path / "pool").iterdir()) == ["组一.xlsx", "组二.xlsx", "组四.xlsx"]


def test_start_method_forks_only_a_process_without_threads():
    import sys
    import threading

    from scoring.jobs.batch import start_method

    assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        other.join()


def test_a_defect_in_a_worker_is_raised_with_its_traceback_and_ends_the_batch(tmp_path, monkeypatch):
    """Not an InputError (the secretary's problem) but a defect: raised in the caller with the worker's
    traceback attached, the batch stopped, no worker left."""
    import multiprocessing

    import scoring.jobs.batch as job

    folders = panels(tmp_path)

    def defect(inputs, out, **options):
        raise ZeroDivisionError("a defect")

    monkeypatch.setattr(job, "summarize", defect)  # the forked workers inherit it
    (tmp_path / "out").mkdir()
    with pytest.raises(ZeroDivisionError) as caught:
        list(batch(folders, tmp_path / "out", jobs=2))
    assert "in defect" in "".join(caught.value.__notes__)  # where it happened, in the worker
    assert multiprocessing.active_children() == []
    assert list((tmp_path / "out").iterdir()) == []


ORPHANED_BATCH = r"""
import sys, time
import scoring.jobs.batch as job

def slow(inputs, out, **options):
    time.sleep(1.0)
    raise job.InputError(job.Problem("slow", code="E-INPUT"))

job.summarize = slow
from scoring.cli import main
print("started", flush=True)
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "killpg"), reason="needs POSIX process groups")
def test_workers_end_when_the_batch_command_is_killed(tmp_path):
    """`kill -9` of the command (or its crash) leaves no worker waiting for panels forever: a forked worker
    held the parent's ends of every connection, so none of them ever saw the parent go."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folders = panels(tmp_path)
    command = [sys.executable, "-c", ORPHANED_BATCH, "batch", *map(str, folders), "--out-dir",
               str(tmp_path / "out"), "--jobs", "2"]
    errors = (tmp_path / "stderr.txt").open("w")  # the workers' too: they outlive the command
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True,
                               start_new_session=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        assert process.stdout.readline().strip() == "started"
        time.sleep(1.6)  # the workers are in their second panels (each takes a second)
        assert subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
        process.kill()
        process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
            if not left:
                break
            time.sleep(0.2)
        assert left == [], "workers left running after the command was killed"
        errors.close()  # a worker finishing its panel found no one to answer: it ends quietly (a BrokenPipeError
        assert "Traceback" not in (tmp_path / "stderr.txt").read_text(encoding="utf-8")  # traceback before)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left, so that a failure leaves nothing running
        except ProcessLookupError:
            pass


def _pid_of_worker(folder, out_dir, fee, policy, contract_path, force=False):
    import os

    return InputError("不汇总"), [str(os.getpid())]


def test_r11_every_worker_gets_a_panel_before_any_gets_a_second(tmp_path, monkeypatch):
    """Two panels with --jobs 2 ran one after the other on one worker (each worker was given two panels in
    turn), the other worker idle: the pool was no faster than one process for small batches."""
    import scoring.jobs.batch as job

    monkeypatch.setattr(job, "summarize_folder", _pid_of_worker)  # what the forked workers run
    for panels_, jobs in ((2, 2), (3, 3), (4, 4)):
        notices: list[str] = []
        folders = [tmp_path / f"组{k}" for k in range(panels_)]
        pids = []
        for _ in batch(folders, tmp_path / "out", jobs=jobs, notices=notices):
            pids.append(notices.pop())
        assert len(set(pids)) == jobs, (panels_, pids)


class _TwoArgumentError(Exception):
    def __init__(self, what, where):
        super().__init__(f"{what} at {where}")


def _raises_two_argument_error(inputs, out, **options):
    raise _TwoArgumentError("a defect", "here")


def test_a_defect_whose_exception_cannot_come_back_is_raised_with_its_words(tmp_path, monkeypatch):
    """An exception whose __init__ takes other arguments pickles but does not unpickle: the parent raised
    "__init__() missing 1 required positional argument" and the worker's traceback was lost."""
    import scoring.jobs.batch as job

    monkeypatch.setattr(job, "summarize", _raises_two_argument_error)
    folders = panels(tmp_path)
    (tmp_path / "out").mkdir()
    with pytest.raises(RuntimeError) as caught:
        list(batch(folders, tmp_path / "out", jobs=2))
    assert "_TwoArgumentError: a defect at here" in str(caught.value)
    assert "_raises_two_argument_error" in str(caught.value)  # where it happened, in the worker


SPAWN_MASKS = r"""
import signal, sys
import multiprocessing.context as mc
import scoring.jobs.batch as job

job.start_method = lambda: "spawn"
masks, start = [], mc.SpawnProcess.start

def recording(self):
    masks.append(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))
    return start(self)

mc.SpawnProcess.start = recording
list(job.batch(sys.argv[2:], sys.argv[1], jobs=2))
print(masks)
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="needs signal masks")
def test_spawned_workers_start_with_ctrl_c_held(tmp_path):
    """Spawning the first worker starts multiprocessing's resource tracker, which unblocked SIGINT in this
    process (Python 3.11): the second worker was spawned open to a Ctrl-C before its handlers were set (a
    KeyboardInterrupt traceback, or a batch reported as a dead worker)."""
    import subprocess
    import sys

    folders = panels(tmp_path)[:2]
    done = subprocess.run([sys.executable, "-c", SPAWN_MASKS, str(tmp_path / "out"), *map(str, folders)],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "[True, True]", done.stderr
