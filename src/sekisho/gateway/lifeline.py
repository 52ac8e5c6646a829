"""A child process that must not outlive its parent (a gateway worker, a scan process):
nothing of it may stay behind holding memory, a port or a claim once the process that
started it is gone, however it went (SIGKILL included).

``PR_SET_PDEATHSIG`` alone is not enough: Linux sends it when the *thread* that started
the child ends, and a scan process is started from a thread that warms the pool in the
background; a parent killed before the child set it also leaves it unset. So the child
also watches its parent's PID and exits when it changes (the parent died: the child was
handed to init)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def die_with_parent() -> None:
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the watch still works
        ctypes.CDLL("libc.so.6").prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent == 1:  # the parent is already gone
        os._exit(0)
    threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(0)  # at once: no cleanup that could wait on the dead parent
