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
from collections.abc import Iterator
from contextlib import contextmanager


class Overrun(BaseException):
    """The budget ran out.  A BaseException, so that no stage's ``except Exception`` swallows it."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    # None clears an exception set earlier and not yet raised.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise Overrun in this thread if the block runs longer than ``seconds`` (None or 0: no limit)."""
    if not seconds or seconds <= 0:
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _raise_in(thread_id, Overrun)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                _raise_in(thread_id, None)  # fired as the block ended: nothing may be raised after it
