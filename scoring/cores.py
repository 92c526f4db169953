"""How many cores this process may use, and whether it may fork: for `batch`, and for reading a large panel."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system keeps one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def forks_safely() -> bool:
    """Whether this process may fork workers that inherit what it has loaded: on Linux, while it runs no other
    thread (forking a process with threads, the add-in's server, can deadlock the child)."""
    import sys
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1
