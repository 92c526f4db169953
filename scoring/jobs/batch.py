"""`batch`: many panels on a bounded pool of worker processes; one bad panel does not stop the others.

Each panel is summarized exactly as `summarize` does it (R11), in a worker process; results come back in the
order the folders were given, whatever order the workers finish in. At most `jobs` workers (default: the
machine's cores), each given panels by number through its own connection, GIVEN_AT_ONCE at a time (the next
is there when one ends; one to every worker before a second to any), and never more than IN_FLIGHT_PER_WORKER
per worker ahead of the oldest panel not yet yielded: a batch of hundreds of panels holds the memory of a few
(a result pickles to some 20 KB for 5 experts, 430 KB for 301), while a panel that takes longer than the
others does not leave the other workers idle behind it (with that window at two panels per worker, 60 panels
on 2 cores took 0.65-0.75x of one process, at eight 0.60x).

Where processes fork (Linux, and no other thread running: forking a process with threads can deadlock the
child), the workers are forked after this process has imported and read what a panel needs (warm_up), so
they start at once; elsewhere they are spawned and each imports it on its first panel.

Plain processes and connections, not concurrent.futures' process pool: its manager and feeder threads woke
the parent four times a panel (475 context switches for 60 panels, now 150), which on 2 cores took time from
the workers (60 panels: 0.587x -> 0.560x of one process, medians of 8 interleaved runs); and from Python 3.14
it starts workers from a fork server, which imports everything again in each.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from scoring.errors import InputError, Problem, ScorecardError
from scoring.jobs.common import read_fee
from scoring.jobs.summarize import summarize
from scoring.stopping import held

if TYPE_CHECKING:
    from scoring.assess import Assessment

IN_FLIGHT_PER_WORKER = 8  # panels given out ahead of the oldest one not yet yielded, per worker
GIVEN_AT_ONCE = 2  # panels a worker holds: the next is there when one ends, no round trip between them


Outcome = tuple["Assessment | InputError", list[str]]  # a panel's result and its notices for the secretary


def summarize_folder(folder: Path, out_dir: Path, fee: str | None, policy: Sequence[str],
                     contract_path: str | Path | None, force: bool = False) -> Outcome:
    """One panel of a batch: its sheets, its evidence/*.xlsx if any, the summary to OUT_DIR/<folder name>.xlsx.
    An invalid panel gives its InputError as the result instead of raising it; the notices come back with it
    (a worker process cannot add to the caller's list)."""
    notices: list[str] = []
    if not folder.is_dir():  # a mistyped folder: one line, not "文件不存在" and "评审专家只有 0 名"
        what = "不是文件夹（batch 的每个参数是一个考核组的文件夹）" if folder.exists() else "考核组文件夹不存在"
        return InputError(Problem(what, file=str(folder), code="E-FILE-MISSING")), notices
    evidence = sorted(p for p in (folder / "evidence").glob("*.xlsx") if not p.name.startswith(("~$", "."))) \
        if (folder / "evidence").is_dir() else []  # a Mac's ._ file or a lock file is no second evidence
    global _busy
    _busy = True
    try:
        if len(evidence) > 1:
            raise InputError(Problem("evidence 文件夹中只能有一份证据材料", file=str(folder / "evidence"),
                                     code="E-INPUT"))
        return summarize([folder], out_dir / f"{folder.name}.xlsx", evidence=evidence[0] if evidence else None,
                         fee=fee, policy=policy, contract_path=contract_path, force=force,
                         notices=notices, evidence_folder=folder / "evidence"), notices
    except InputError as exc:
        return exc, notices
    except OSError as exc:  # this panel's file could not be read or written (a full disk, a folder without access):
        from scoring.cli_text import os_reason  # the panel's problem, as any other; the next panels still run

        return InputError(Problem(f"无法读写文件：{os_reason(exc)}", file=str(exc.filename or folder),
                                  code="E-OUTPUT")), notices
    except _Stopped:  # the batch is being stopped (_stop): the summary being written is gone; end this worker
        import os

        os._exit(1)
    finally:
        _busy = False


def workers(jobs: int | None, panels: int) -> int:
    """How many worker processes: `jobs` (default: the cores this process may use), never more than panels."""
    from scoring.cores import usable_cores

    return max(1, min(usable_cores() if jobs is None else jobs, panels))


def warm_up() -> None:
    """Import what summarizing a panel needs, read the embedded contract and rubric and parse the default
    template before the pool forks, so every worker starts with them loaded (where processes fork; elsewhere
    each worker does it once). Each worker's first panel did this over again: on 2 cores, 60 ms of each."""
    import python_calamine  # noqa: F401  (the evidence reader's)

    import scoring.additions  # noqa: F401
    import scoring.assess  # noqa: F401
    import scoring.evidence.registry  # noqa: F401
    import scoring.excel.convert  # noqa: F401
    import scoring.excel.correction_sheet  # noqa: F401
    import scoring.excel.evidence_reader  # noqa: F401
    import scoring.excel.outputs  # noqa: F401
    import scoring.excel.reader  # noqa: F401
    import scoring.excel.sheet_pool  # noqa: F401
    import scoring.excel.xml_render  # noqa: F401
    import scoring.excel.xml_workbook  # noqa: F401
    import scoring.history  # noqa: F401
    import scoring.report  # noqa: F401
    import scoring.workdays  # noqa: F401
    from scoring.calendar import official_years
    from scoring.contract import default_contract
    from scoring.excel.summary import default_template
    from scoring.rubric import default_rubric

    default_contract(), default_rubric(), official_years()  # each read once, kept by lru_cache
    from scoring.excel.xml_package import Unsupported, load

    try:
        load(default_template())  # the XML renderer's plan (scoring/excel/xml_package.py)
    except Unsupported:  # a template for openpyxl's path: its workbook instead
        from scoring.excel.template_cache import load_template

        load_template(default_template(), [])


def batch(folders: Sequence[str | Path], out_dir: str | Path, *, fee: str | None = None,
          policy: Sequence[str] = (), contract_path: str | Path | None = None, force: bool = False,
          notices: list[str] | None = None, jobs: int | None = None
          ) -> Iterator[tuple[Path, Assessment | InputError]]:
    """Summarize many panels: each folder is a panel (its evidence, if any, in evidence/*.xlsx); the summary
    goes to OUT_DIR/<folder name>.xlsx. Yields (folder, Assessment or InputError) in the order given, so one
    bad panel does not stop the others; each panel's notices are added to `notices` before it is yielded.
    `jobs` bounds the worker processes (1: all in this process)."""
    out_dir = Path(out_dir)
    bad_fee: list[Problem] = []
    read_fee(fee, bad_fee)
    if bad_fee:  # one refusal for the batch, not one per panel
        raise InputError(bad_fee)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(Problem("输出位置已存在且不是文件夹", file=str(out_dir), code="E-OUTPUT"))
    if not out_dir.parent.resolve().is_dir():
        raise InputError(Problem("输出文件夹不存在", file=str(out_dir), code="E-OUTPUT"))
    names = [Path(f).name for f in folders]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError([Problem(f"多个评分表文件夹同名“{n}”，汇总表会互相覆盖", code="E-OUTPUT") for n in repeated])
    out_dir.mkdir(exist_ok=True)  # README: `--out-dir 汇总/` is made like new-panel's --out
    paths = [Path(f) for f in folders]
    count = workers(jobs, len(paths))

    def told(outcome: Outcome) -> Assessment | InputError:
        if notices is not None:
            notices.extend(outcome[1])
        return outcome[0]

    if count == 1:
        for folder in paths:
            yield folder, told(summarize_folder(folder, out_dir, fee, policy, contract_path, force))
        return
    yield from _on_workers(paths, (out_dir, fee, tuple(policy), contract_path, force), count, told)


Task = tuple[Path, "str | None", "tuple[str, ...]", "str | Path | None", bool]  # summarize_folder's other arguments


BROKEN = "批量汇总的工作进程意外退出（可能内存不足）：已完成的汇总表已写入，请用 --jobs 1 重新运行未完成的考核组"


def start_method() -> str:
    """How the workers start: "fork" on Linux while this process runs no other thread (see the module's
    docstring), "spawn" everywhere else."""
    from scoring.cores import forks_safely

    return "fork" if forks_safely() else "spawn"


class _Worker:
    """A batch's worker process, the connection it is given panel numbers on and answers through, and the
    panels it has been given and not yet answered, oldest first."""

    def __init__(self, process: Any, connection: Any):
        self.process, self.connection = process, connection
        self.given: deque[int] = deque()


def _on_workers(paths: list[Path], task: Task, count: int, told: Callable[[Outcome], Assessment | InputError]
                ) -> Iterator[tuple[Path, Assessment | InputError]]:
    """The panels on `count` worker processes (see the module's docstring); yields as batch() does."""
    import gc
    import multiprocessing
    import pickle
    import signal
    from multiprocessing.connection import wait

    method = start_method()
    context: Any = multiprocessing.get_context(method)
    if method == "fork":
        warm_up()
        gc.freeze()  # what the workers inherit is left out of their collections, which would copy every shared page
    elif hasattr(signal, "pthread_sigmask"):  # POSIX: spawned workers use a resource tracker
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()  # before held(): the first spawn starts it, and starting it unblocks
        # SIGINT and SIGTERM in this process (Python 3.11), so the workers were spawned open to a Ctrl-C
    workers: list[_Worker] = []
    done: dict[int, Outcome] = {}
    sent = yielded = 0
    finished = False

    def give(worker: _Worker, up_to: int = GIVEN_AT_ONCE) -> None:
        nonlocal sent
        while (len(worker.given) < up_to and sent < len(paths)
               and sent < yielded + count * IN_FLIGHT_PER_WORKER):
            try:
                worker.connection.send_bytes(sent.to_bytes(4, "little"))
            except OSError:  # the worker is gone: if it holds panels, waiting on its connection tells;
                return       # if not, it is left out and the others take its share
            worker.given.append(sent)
            sent += 1

    def give_all() -> None:
        for up_to in range(1, GIVEN_AT_ONCE + 1):  # one panel to every worker before a second to any: two panels
            for worker in workers:                # on two workers ran one after the other on one of them
                give(worker, up_to)

    try:
        with held():  # every worker is tracked and has its handlers before a stop reaches it (_worker_start)
            for _ in range(count):
                ours, theirs = context.Pipe()
                _ours[:] = [w.connection for w in workers] + [ours]  # what a forked worker closes (_serve)
                process = context.Process(target=_serve, args=(theirs, paths, task), daemon=True)
                try:
                    process.start()
                finally:
                    theirs.close()
                    _ours.clear()
                workers.append(_Worker(process, ours))
        give_all()
        while yielded < len(paths):
            if yielded in done:
                outcome = done.pop(yielded)
                yielded += 1
                give_all()  # the window moved on
                yield paths[yielded - 1], told(outcome)
                continue
            busy = {w.connection: w for w in workers if w.given}
            if not busy:  # every worker died between panels
                raise ScorecardError(BROKEN)
            for ready in wait(list(busy)):
                worker = busy[ready]
                try:
                    data = worker.connection.recv_bytes()
                except (EOFError, OSError):  # killed (by the system, for memory) or died
                    raise ScorecardError(BROKEN) from None
                answer = pickle.loads(data)  # the worker checked that a defect's exception comes back (_serve)
                if isinstance(answer, BaseException):  # a defect, raised here as it was raised there
                    raise answer
                done[worker.given.popleft()] = answer
                give_all()
        finished = True
    finally:
        if method == "fork":
            gc.unfreeze()  # a caller that goes on (the add-in, tests) collects these objects again
        for worker in workers:
            worker.connection.close()  # an idle worker's wait for a panel ends: it exits
        if finished:
            for worker in workers:
                worker.process.join()
        else:  # Ctrl-C, a worker died, or the caller stopped early: nothing more is started or written
            _stop([w.process for w in workers], [task[0] / f"{paths[k].name}.xlsx" for k in range(yielded, sent)])


_ours: list[Any] = []  # the parent's ends of the connections while a worker is forked


def _serve(connection: Any, paths: list[Path], task: Task) -> None:
    """A worker's life: summarize the panels it is given by number, answering each with its pickled outcome
    (or the exception a defect raised, its traceback attached), until its connection is closed."""
    import pickle

    _worker_start()
    for inherited in _ours:  # forked: this process's copies of the parent's ends, which would keep every
        inherited.close()    # connection open after the parent closes it or dies (the worker would never end)
    while True:
        try:
            index = int.from_bytes(connection.recv_bytes(), "little")
        except (EOFError, OSError):
            return
        try:
            answer: object = summarize_folder(paths[index], *task)
        except (Exception, SystemExit) as exc:  # a defect (a stop ends the worker inside summarize_folder)
            answer = _defect(exc)
        try:
            connection.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the command is gone (killed): no one to answer; the summary is written whole
            return


def _defect(exc: BaseException) -> BaseException:
    """The exception a defect raised in a worker, its traceback attached, as it will come back to the parent:
    itself if it survives pickling, else a RuntimeError with its words and traceback."""
    import pickle
    import traceback

    text = "".join(traceback.format_exception(exc))
    exc.add_note(text)
    try:
        pickle.loads(pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL))  # an __init__ with other arguments
        return exc if isinstance(exc, Exception) else RuntimeError(text)  # pickles but does not come back
    except Exception:
        return RuntimeError(text)


class _Stopped(SystemExit):
    """A batch worker told to stop (SIGTERM from _stop) in the middle of a panel: raised there, so that the files
    being written are removed as on any failure, then the worker ends (summarize_folder)."""


_busy = False  # a worker is inside summarize_folder (SIGTERM then raises _Stopped; idle, it just exits)


def _worker_start() -> None:
    """A batch worker's signals: Ctrl-C and SIGHUP are the parent's to handle (a terminal sends them to every
    process of the command; a worker interrupted in its queue broke the pool and a second Ctrl-C hung the
    command), and SIGTERM stops the worker cleanly: inside a panel by _Stopped, idle by exiting at once."""
    import os
    import signal

    from scoring.stopping import stop_signals

    def stopped(signum: int, frame: object) -> None:
        if _busy:
            raise _Stopped(1)
        os._exit(1)

    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stopped)
    if hasattr(signal, "pthread_sigmask"):  # forked with them held (scoring.stopping.held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals())


STOP_SECONDS = 5  # how long the panels being summarized get to remove their files before their workers are killed


def _stop(processes: Sequence[Any], unfinished: Sequence[Path] = ()) -> None:
    """End a batch now: the panels being summarized stop without leaving a file (their workers get SIGTERM, see
    _Stopped; a worker that cannot act on it within STOP_SECONDS, all of them together, is killed, and the
    temporary files of the `unfinished` summaries are removed here), every worker is ended and reaped. Ctrl-C
    is ignored meanwhile on the main thread: a second one used to interrupt the stop and leave the command
    hanging (SIGTERM and SIGHUP are already ignored by then: the command line's handler, which turned the
    first into the interrupt that brought us here, ignores them for the rest of the run)."""
    import signal
    import time

    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: its signals are not ours to change
        previous = None
    try:
        for process in processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():  # stuck: no clean stop to wait for
                process.kill()
                process.join(timeout=STOP_SECONDS)
        from scoring.excel.atomic import remove_temporaries

        for out in unfinished:  # a worker killed while writing (here, by the system for memory, on Windows)
            remove_temporaries(out)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
