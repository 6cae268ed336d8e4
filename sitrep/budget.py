"""A time budget for work on one document, enforced in whichever thread does the work.

Extraction is pure Python, so a document that takes too long cannot be stopped from outside by
closing a socket or a file.  A timer thread raises :class:`Overrun` inside the working thread
(CPython's ``PyThreadState_SetAsyncExc``, which takes effect at the next bytecode boundary); this
works in the main thread, in a Dask worker's task thread and in the web app's job thread alike,
where a SIGALRM handler would only reach the main thread.  A long call into C (one regex search)
finishes before the exception is raised, so the limit is kept to within one such call.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Overrun(BaseException):
    """The budget ran out.  A BaseException, so that no stage's ``except Exception`` swallows it."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    # None clears an exception set earlier and not yet raised.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


class _Watch:
    """The timer thread of one budget: raises Overrun in the target thread until stopped."""

    def __init__(self, thread_id: int, seconds: float, again: float) -> None:
        self.thread_id, self.seconds, self.again = thread_id, seconds, again
        self._lock = threading.Lock()
        self._ended = threading.Event()
        self.done = False
        self._fired = False

    def start(self) -> None:
        threading.Thread(target=self._watch, name="sitrep-budget", daemon=True).start()

    def stop(self) -> None:
        """Raise nothing more in the thread; idempotent."""
        self.done = True  # the watcher reads it under the lock before each raise...
        with self._lock:  # ...so once this is taken, no raise is under way or to come
            if self._fired:
                _raise_in(self.thread_id, None)  # one set and not yet raised is withdrawn
        self._ended.set()

    def _watch(self) -> None:
        wait = self.seconds
        while not self._ended.wait(wait):
            with self._lock:
                if self.done:
                    return
                self._fired = True
                _raise_in(self.thread_id, Overrun)
            wait = self.again


def run_within(seconds: float | None, fn: Callable[..., T], *args: Any, again: float = 0.05) -> T:
    """``fn(*args)``, or Overrun raised inside it once it has run ``seconds`` (None or 0: no limit).

    An exception that arrives while the thread runs a finaliser (a generator closed by the garbage
    collector, a __del__) is printed and dropped by Python, so it is raised again every ``again``
    seconds until fn has ended.  After this returns or raises, nothing more is raised in the thread:
    see the end of it."""
    if not seconds or seconds <= 0:
        return fn(*args)
    watch = _Watch(threading.get_ident(), seconds, again)
    try:
        watch.start()  # inside: Thread.start() waits for the thread, and a short budget can end meanwhile
        return fn(*args)
    finally:
        # First, with no call (no point where Python raises a pending exception): no new raise after this.
        watch.done = True
        # At most two can still arrive: one set before, one being set as `done` was.  Each stop() is
        # guarded by its own handler, since a loop would jump back (a point where one is raised) outside it.
        try:
            watch.stop()
        except Overrun:
            try:
                watch.stop()
            except Overrun:
                watch.stop()
