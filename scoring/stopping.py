"""The signals that stop a command: Ctrl-C (SIGINT), a closed terminal window (SIGHUP), `kill` (SIGTERM).

The command line turns each into one interrupt (scoring/cli.py); a process about to fork holds them back until
its child is tracked and has its own handlers (scoring/excel/sheet_pool.py, scoring/jobs/batch.py).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Iterator

STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")  # by name: Windows has no SIGHUP


def stop_signals() -> set[int]:
    """The stopping signals this system has."""
    return {getattr(signal, name) for name in STOP_SIGNALS if hasattr(signal, name)}


@contextmanager
def held(hold: bool = True) -> Iterator[Any]:
    """The stopping signals blocked for the block's duration (delivered when it ends); yields the signal mask
    to restore in a child forked inside it, None where nothing is held (no signal masks on this system, not
    the main thread, or `hold` False)."""
    if not hold or not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield None
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals())
    try:
        yield previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
