"""Reading a large panel's expert sheets on the cores this process may use (issue 15).

Reading one sheet takes about a millisecond (zip, XML, the named cells), but a panel of 301 experts spent
more than half of its `summarize` there, on one core. Where processes fork (Linux), a panel of PARALLEL_FROM
sheets or more is split into contiguous ranges, one per core: this process reads the first and forked
children the others, each child starting with every module loaded and its range given by the fork itself
(nothing pickled on the way in), and sending its results back through a pipe. The results are put together
in the order of the files: the same values and problems as reading them one by one (tests/test_sheet_pool.py).

Plain forks and pipes, not a process pool: on the 2-core development machine the pool's manager thread,
queues and idle parent made 301 sheets take 290-300 ms against 350-390 read here; a child beside this
process reading its own half takes 200-245 ms.

The sheets are read in this process, one by one, everywhere else:
- below PARALLEL_FROM sheets (forking costs more than it saves), or with one core to use;
- where processes do not fork: Windows and macOS (a new process imports everything again, about 0.2 s),
  and Pyodide (xlwings Lite) has no processes;
- inside a worker process (`batch` already uses every core), and while this process runs other threads
  (the add-in's server): forking a process that has threads can deadlock the child;
- when no child can be forked; and a child that fails (dies, is killed, sends nothing) has its range read
  here.

Each child also tells, for a file found in a folder, what the workbook is (reader.read_candidate), so every
file is opened once: discovery no longer opens each one first to see whether it is our evidence workbook.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.errors import Problem
    from scoring.panel import ExpertSheet
    from scoring.rubric import Rubric

PARALLEL_FROM = 64  # sheets

Read = tuple[str, "ExpertSheet | None", "list[Problem]"]  # (kind, sheet, problems) of reader.read_candidate
Files = list[tuple[Path, bool, bool]]  # (path, skip_others, pending) as read_candidate takes them

_job: tuple[Files, Rubric] | None = None  # the files and rubric a child is forked with (_on_workers)


def reading_workers(sheets: int) -> int:
    """How many processes should read `sheets` expert sheets: 1 (this one) unless the panel is large and
    this process may fork workers safely (see the module's docstring)."""
    from scoring.cores import forks_safely, usable_cores

    if sheets < PARALLEL_FROM or not forks_safely():
        return 1
    import multiprocessing  # only here: Pyodide (xlwings Lite) need not have it

    if multiprocessing.parent_process() is not None or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(usable_cores(), sheets // (PARALLEL_FROM // 2)))


def read_sheets(files: Files, rubric: Rubric) -> list[Read]:
    """reader.read_candidate(path, rubric, skip_others, pending) for each of `files`, in order; on this
    process and forked children when reading_workers says so."""
    count = reading_workers(len(files))
    if count > 1:
        try:
            return _on_workers(files, rubric, count)
        except Exception:  # no child could be forked, anything unforeseen:
            pass  # reading here gives the result, or raises what went wrong where it can be seen
    return _read(files, rubric)


def _read(files: Files, rubric: Rubric) -> list[Read]:
    from scoring.excel.reader import read_candidate

    return [read_candidate(path, rubric, skip, pending) for path, skip, pending in files]


def _read_range(bounds: tuple[int, int]) -> list[Read]:
    """A child's range of the job it was forked with (_on_workers)."""
    assert _job is not None, "a reading child is forked with its job"
    files, rubric = _job
    return _read(files[bounds[0]:bounds[1]], rubric)


class _Child:
    """A forked reader until it is reaped: its pid, the read end of its pipe (-1 once closed) and its range."""

    def __init__(self, pid: int, pipe: int, bounds: tuple[int, int]):
        self.pid, self.pipe, self.bounds = pid, pipe, bounds

    def close(self) -> None:
        """Close the read end (once)."""
        pipe, self.pipe = self.pipe, -1
        if pipe >= 0:
            os.close(pipe)

    def end(self) -> None:
        """Kill and reap a child that was not waited for (interrupted, or this process failed)."""
        try:
            self.close()
        except OSError:
            pass
        for step in (lambda: os.kill(self.pid, signal.SIGKILL), lambda: os.waitpid(self.pid, 0)):
            try:
                step()
            except OSError:  # already gone, already reaped
                pass


def _fork(bounds: tuple[int, int], children: list[_Child]) -> None:
    """Fork a child reading `bounds`, tracked in `children` before anything can interrupt this process.

    Ctrl-C, SIGTERM and SIGHUP (which the command turns into an interrupt too) are held back from the fork
    until the child is in `children`, so an interrupt never leaves one untracked; the child takes SIGINT's
    default action (it ends at once, printing and running nothing) and never returns from here."""
    from scoring.stopping import held

    with held() as previous:  # from the pipe on: an interrupt between making it and tracking it leaked it
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
            if pid == 0:
                try:
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    if previous is not None:
                        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                    os.close(read_end)
                    for other in children:
                        os.close(other.pipe)
                    _child(bounds, write_end)
                finally:
                    os._exit(1)
            children.append(_Child(pid, read_end, bounds))
        except BaseException:
            if not children or children[-1].pipe != read_end:  # the fork failed: its pipe goes with it
                os.close(read_end)
            raise
        finally:
            os.close(write_end)


def _child(bounds: tuple[int, int], pipe: int) -> None:
    """A forked child's whole life: read its range, send the results, exit without running anything of the
    parent's (atexit handlers, buffered output). No cyclic garbage collection: a collection walks every
    object the fork shares and so copies their pages; reading makes no reference cycles."""
    import gc
    import pickle

    code = 1
    try:
        gc.disable()
        data = pickle.dumps(_read_range(bounds), protocol=pickle.HIGHEST_PROTOCOL)
        with open(pipe, "wb", closefd=True) as out:
            out.write(data)
        code = 0
    except BaseException:  # anything: the parent reads this range itself
        pass
    finally:
        os._exit(code)


def _on_workers(files: Files, rubric: Rubric, count: int) -> list[Read]:
    """read_sheets on `count` processes: this one and count - 1 forked children (see the module's docstring).
    A child stays in `children` until it is reaped; whatever interrupts this process, each one still there is
    killed and reaped, its pipe closed."""
    import pickle

    global _job
    size = -(-len(files) // count)
    ranges = [(start, min(start + size, len(files))) for start in range(0, len(files), size)]
    children: list[_Child] = []
    _job = (files, rubric)
    try:
        for bounds in ranges[1:]:
            _fork(bounds, children)
        parts = [_read(files[ranges[0][0]:ranges[0][1]], rubric)]
        while children:
            child = children[0]
            with open(child.pipe, "rb", closefd=False) as pipe:
                data = pipe.read()
            child.close()
            _, status = os.waitpid(child.pid, 0)
            children.pop(0)  # reaped
            start, stop = child.bounds
            parts.append(pickle.loads(data) if status == 0 and data else _read(files[start:stop], rubric))
        return [read for part in parts for read in part]
    finally:
        _job = None
        for child in children:  # interrupted (Ctrl-C) or failed: no child left behind
            child.end()
