"""Reading a large panel's expert sheets on the cores this process may use (issue 15).

Reading one sheet takes under a millisecond (zip, XML, the named cells), but a panel of 301 experts spent
more than half of its `summarize` there, on one core. Where processes fork (Linux), a panel of PARALLEL_FROM
sheets or more is read by forked workers: they start with every module loaded and are handed the file list
and the rubric by the fork itself (nothing pickled), each reads contiguous ranges of the list, and the
results come back in the order of the files, the same values and problems as reading them one by one
(tests/test_sheet_pool.py). On the 2-core development machine 301 sheets take 140-270 ms instead of 235-270:
the gain is what the second core gives at that moment (bench/run.py's pure-computation floor moves between
0.37x and 0.60x), and on a machine with more cores it grows with them.

The sheets are read in this process, one by one, everywhere else:
- below PARALLEL_FROM sheets (starting workers costs more than it saves), or with one core to use;
- where processes do not fork: Windows and macOS start workers that import everything again (about 0.2 s
  each), and Pyodide (xlwings Lite) has no processes;
- inside a worker process (`batch` already uses every core), and while this process runs other threads
  (the add-in's server): forking a process that has threads can deadlock the child;
- when no worker can be started, or one dies: the files are then read here.

Each worker also tells, for a file found in a folder, what the workbook is (reader.read_candidate), so every
file is opened once: discovery no longer opens each one first to see whether it is our evidence workbook.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.errors import Problem
    from scoring.panel import ExpertSheet
    from scoring.rubric import Rubric

PARALLEL_FROM = 64  # sheets
RANGES_PER_WORKER = 2  # so that a slow range (a large sheet, a refused one) does not leave a core idle

Read = tuple[str, "ExpertSheet | None", "list[Problem]"]  # (kind, sheet, problems) of reader.read_candidate
Files = list[tuple[Path, bool, bool]]  # (path, skip_others, pending) as read_candidate takes them

_job: tuple[Files, Rubric] | None = None  # a worker's files and rubric, given by the fork (_start)


def reading_workers(sheets: int) -> int:
    """How many processes should read `sheets` expert sheets: 1 (this one) unless the panel is large and
    this process may fork workers safely (see the module's docstring)."""
    if sheets < PARALLEL_FROM or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    import multiprocessing  # only here: Pyodide (xlwings Lite) need not have it

    from scoring.cores import usable_cores

    if multiprocessing.parent_process() is not None or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(usable_cores(), sheets // (PARALLEL_FROM // 2)))


def read_sheets(files: Files, rubric: Rubric) -> list[Read]:
    """reader.read_candidate(path, rubric, skip_others, pending) for each of `files`, in order; on forked
    workers when reading_workers says so."""
    count = reading_workers(len(files))
    if count > 1:
        try:
            return _on_workers(files, rubric, count)
        except Exception:  # no process could be started, one died (BrokenProcessPool), anything unforeseen:
            pass  # reading here gives the result, or raises what went wrong where it can be seen
    return _read(files, rubric)


def _read(files: Files, rubric: Rubric) -> list[Read]:
    from scoring.excel.reader import read_candidate

    return [read_candidate(path, rubric, skip, pending) for path, skip, pending in files]


def _start(files: Files, rubric: Rubric) -> None:
    """A worker's start: its job, and no cyclic garbage collection. A collection walks every object the fork
    shares with the parent and so copies their pages (301 sheets: 210 ms instead of 150); reading makes no
    reference cycles (element trees have no parent links), and the worker ends with the panel."""
    import gc

    global _job
    gc.disable()
    _job = (files, rubric)


def _read_range(bounds: tuple[int, int]) -> list[Read]:
    assert _job is not None, "a reading worker starts with its job (_start)"
    files, rubric = _job
    return _read(files[bounds[0]:bounds[1]], rubric)


def _on_workers(files: Files, rubric: Rubric, count: int) -> list[Read]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(files) // (count * RANGES_PER_WORKER))
    ranges = [(start, min(start + size, len(files))) for start in range(0, len(files), size)]
    # with fork, initializer and initargs reach the worker in its memory: the file list is never pickled
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_start,
                             initargs=(files, rubric)) as pool:
        return [read for part in pool.map(_read_range, ranges) for read in part]
