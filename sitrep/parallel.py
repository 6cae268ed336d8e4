"""Scale-out: run a per-report function over a stream of reports on worker processes.

The caller's process reads the inputs and consumes the results in input order;
worker processes run the extractor.  Only a bounded window of batches is ever in
flight, so memory does not grow with the size of the input.

On one machine the workers are a pool of forked processes: forked after this process
has loaded the gazetteer and actor table, they start at once and share those tables'
memory.  A local Dask cluster does the same work but starts in seconds, costs
hundreds of MB and ships every batch through its scheduler; it was slower here
(README, Performance), so it is used only for an existing cluster (`scheduler`).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import Any

from .errors import SitrepError

# Batches per worker kept in flight: one running, one queued so that a worker never
# waits on the round trip to the client, and no more so that memory stays bounded.
WINDOW_PER_WORKER = 2

# Seconds to wait for an existing cluster's scheduler before giving up with a clear error.
CONNECT_TIMEOUT = 10

_NOISY_LOGGERS = ("distributed", "bokeh", "tornado", "asyncio")


def quiet_dask(level: int = logging.ERROR) -> None:
    """Keep dask.distributed's start-up and shutdown chatter off the terminal."""
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(level)


def _run_batch(fn: Callable[[Any], Any], batch: list) -> list:
    return [fn(item) for item in batch]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    # Batches start at one item and double up to `size`: the first results stream out at once
    # and a short input is still spread over every worker.
    it, n = iter(items), 1
    while chunk := list(islice(it, n)):
        yield chunk
        n = min(size, n * 2)


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None):
    """A Dask client on an existing cluster (scheduler address) or on a new local one that is shut down after."""
    from distributed import Client, LocalCluster

    quiet_dask()
    if scheduler:
        try:
            client = Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SitrepError(f"{scheduler}: cannot reach the Dask scheduler ({exc.__class__.__name__}: {exc})") from None
        with client:
            yield client
        return
    # Processes, not threads: the extractor is pure Python and would serialise on the GIL.
    with LocalCluster(
        n_workers=max(1, workers), threads_per_worker=1, processes=True,
        # A task's exception is re-raised in the caller; the worker's own log of it is noise.  The
        # scheduler's HTTP server takes any free local port: with None it would try 8787 and warn on
        # stderr when another cluster holds it.
        dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL,
    ) as cluster, Client(cluster, set_as_default=False) as client:
        yield client


def cluster_slots(client) -> int:
    """How many tasks the cluster runs at once (its worker threads)."""
    return max(1, sum(client.nthreads().values()))


def map_on_client(client, fn: Callable[[Any], Any], items: Iterable, batch: int = 64) -> Iterator:
    """fn over items on an open Dask client, yielded in input order with a bounded window in flight."""
    # pure=False: hashing every batch for a task key would cost more than the task's own I/O.
    yield from _windowed(partial(client.submit, pure=False), cluster_slots(client), fn, items, batch)


def _windowed(submit: Callable, slots: int, fn: Callable[[Any], Any], items: Iterable, batch: int) -> Iterator:
    window = WINDOW_PER_WORKER * slots
    pending: deque = deque()
    batches = _batches(items, max(1, batch))

    def fill() -> None:
        while len(pending) < window:
            chunk = next(batches, None)
            if chunk is None:
                return
            pending.append(submit(_run_batch, fn, chunk))

    try:
        fill()
        while pending:
            future = pending.popleft()
            results = future.result()
            if hasattr(future, "release"):
                future.release()
            # Refill before handing results on, so workers keep busy while the caller writes them.
            fill()
            yield from results
    finally:
        for future in pending:
            future.cancel()


@contextmanager
def process_pool(workers: int = 2, warm: Callable[[], Any] | None = None):
    """A pool of `workers` forked processes; `warm` runs here first, so what it loads is shared with them."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if warm is not None:
        warm()
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def map_on_pool(pool, workers: int, fn: Callable[[Any], Any], items: Iterable, batch: int = 16) -> Iterator:
    """fn over items on a process pool, yielded in input order with a bounded window in flight."""
    yield from _windowed(pool.submit, workers, fn, items, batch)


def parallel_map(fn: Callable[[Any], Any], items: Iterable, workers: int = 2, scheduler: str | None = None,
                 batch: int | None = None, pool: str = "process", warm: Callable[[], Any] | None = None) -> Iterator:
    """fn over a stream of items on worker processes, yielded in input order; memory stays bounded.

    fn and the items must pickle (a module-level function or a functools.partial of
    one; Reports and SitrepErrors do).  An exception fn raises is re-raised here,
    at its item's place in the stream, as the built-in map would.
    scheduler: "tcp://HOST:8786" runs on that Dask cluster (its workers must be able to
    import sitrep).  Otherwise pool="process" forks `workers` processes (after calling
    `warm`, if given, so they share what it loads), and pool="dask" starts a local Dask
    cluster; either is shut down when the stream ends or is closed.
    batch: most items per task (default 64 on Dask, whose per-task overhead is ~1 ms; 16 on the pool).
    """
    if scheduler or pool == "dask":
        with dask_client(workers, scheduler) as client:
            yield from map_on_client(client, fn, items, batch or 64)
        return
    with process_pool(workers, warm) as ex:
        yield from map_on_pool(ex, workers, fn, items, batch or 16)
