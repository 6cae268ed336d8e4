"""Scale-out: run a per-report function over a stream of reports on a Dask cluster.

The caller's process reads the inputs and consumes the results in input order;
Dask workers (separate processes, one thread each) run the extractor.  Only a
bounded window of batches is ever in flight, so memory does not grow with the
size of the input.  Each worker process loads the gazetteer and actor table once,
on its first report, through the pipeline's per-process cache.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
    window = WINDOW_PER_WORKER * cluster_slots(client)
    pending: deque = deque()
    batches = _batches(items, max(1, batch))

    def fill() -> None:
        while len(pending) < window:
            chunk = next(batches, None)
            if chunk is None:
                return
            # pure=False: hashing every batch for a task key would cost more than the task's own I/O.
            pending.append(client.submit(_run_batch, fn, chunk, pure=False))

    try:
        fill()
        while pending:
            future = pending.popleft()
            results = future.result()
            future.release()
            # Refill before handing results on, so workers keep busy while the caller writes them.
            fill()
            yield from results
    finally:
        for future in pending:
            future.cancel()


def parallel_map(fn: Callable[[Any], Any], items: Iterable, workers: int = 2, scheduler: str | None = None,
                 batch: int = 64) -> Iterator:
    """fn over a stream of items on Dask workers, yielded in input order; memory stays bounded.

    fn and the items must pickle (a module-level function or a functools.partial of
    one; Reports and SitrepErrors do).  An exception fn raises is re-raised here,
    at its item's place in the stream, as the built-in map would.
    scheduler: "tcp://HOST:8786" runs on that cluster (its workers must be able to
    import sitrep); otherwise a local cluster of `workers` processes is started and
    shut down when the stream ends or is closed.
    batch: most items per task; large enough that Dask's per-task overhead (~1 ms) is small.
    """
    with dask_client(workers, scheduler) as client:
        yield from map_on_client(client, fn, items, batch)
