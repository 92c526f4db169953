"""Reading a large panel's expert sheets on the cores this process may use (issue 15).

Reading one sheet takes under a millisecond (zip, XML, the named cells), but a panel of 301 experts spent
more than half of its `summarize` there, on one core. Where processes fork (Linux), a panel of PARALLEL_FROM
sheets or more is read by forked workers: they start with every module loaded and are handed the file list
and the rubric by the fork itself (nothing pickled), each reads contiguous ranges of the list, and the
results come back in the order of the files, the same values and problems as reading them one by one
(tests/test_sheet_pool.py). On this 2-core machine 301 sheets take 145 ms instead of 235.

The sheets are read in this process, one by one, everywhere else:
- below PARALLEL_FROM sheets (starting workers costs more than it saves), or with one core to use;
- where processes do not fork: Windows and macOS start workers that import everything again (about 0.2 s
  each), and Pyodide (xlwings Lite) has no processes;
- inside a worker process (`batch` already uses every core), and while this process runs other threads
  (the add-in's server): forking a process that has threads can deadlock the child;
- when no worker can be started, or one dies: the files are then read here.
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

Read = tuple["ExpertSheet | None", "list[Problem]"]
Files = list[tuple[Path, bool]]  # (path, skip_others) as read_expert_workbook takes them

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
    """read_expert_workbook(path, rubric, skip_others) for each (path, skip_others) of `files`, in order;
    on forked workers when reading_workers says so."""
    count = reading_workers(len(files))
    if count > 1:
        try:
            return _on_workers(files, rubric, count)
        except Exception:  # no process could be started, one died (BrokenProcessPool), anything unforeseen:
            pass  # reading here gives the result, or raises what went wrong where it can be seen
    return _read(files, rubric)


def _read(files: Files, rubric: Rubric) -> list[Read]:
    from scoring.excel.reader import read_expert_workbook

    return [read_expert_workbook(path, rubric, skip_others=skip) for path, skip in files]


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
