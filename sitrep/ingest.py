"""Ingest: reports from files, directories, .jsonl, URLs and feeds, extracted and stored.

Reports are extracted first, then written to the store a batch at a time, each batch
in one transaction with the re-merge of the events it touches; the store is held only
while a batch is written.  A report already stored (same normalised text) is skipped
before extraction.  Every failure becomes one line in the summary and the ingest goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from .errors import InputError, SitrepError, StoreError
from .fetch import feed_reports, fetch_report, is_url
from .inputs import iter_reports
from .model import Report
from .settings import Settings
from .store import AddResult, Store, content_hash


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did."""

    reports_new: int = 0
    reports_seen: int = 0
    reports_failed: int = 0
    reports_empty: int = 0  # stored, but the extractor found no event in them
    events_new: int = 0
    events_merged: int = 0
    failures: list[str] = field(default_factory=list)  # one line per failed input
    notices: list[str] = field(default_factory=list)  # one line per report with no events

    @property
    def reports(self) -> int:
        return self.reports_new + self.reports_seen + self.reports_failed

    def line(self) -> str:
        empty = f" ({self.reports_empty} with no events)" if self.reports_empty else ""
        return (
            f"{self.reports_new} reports new{empty}, {self.reports_seen} seen, "
            f"{self.reports_failed} failed; {self.events_new} events new, {self.events_merged} merged"
        )


Progress = Callable[[str, IngestSummary], None]


def iter_sources(inputs: Iterable[str], settings: Settings, feeds: Iterable[str] = ()) -> Iterator[Report | InputError]:
    """Reports from paths, directories, .jsonl files and article URLs, then from each feed's entries."""
    for item in inputs:
        if is_url(item):
            try:
                yield fetch_report(item, settings)
            except InputError as exc:
                exc.input = item
                yield exc
        else:
            yield from iter_reports([item], settings)
    for feed in feeds:
        yield from feed_reports(feed, settings)


BATCH_REPORTS = 500
# A batch is written at least this often, so readers see an ingest's progress.
BATCH_SECONDS = 5.0


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    feeds: Iterable[str] = (),
    progress: Progress | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    batch: int = BATCH_REPORTS,
    batch_seconds: float | None = BATCH_SECONDS,
) -> IngestSummary:
    """Extract and store every report the inputs and feeds give; return what happened.

    Reports are extracted first (in this process, or on `workers` processes, or on the Dask
    cluster at `scheduler`) and then stored in batches of up to `batch` reports, or of what
    `batch_seconds` of extraction gave, each batch one transaction: the store is held only
    while a batch is written.
    """
    from . import pipeline

    summary = IngestSummary()
    writer = _BatchWriter(store, summary, progress, batch, batch_seconds)
    items = _unseen(iter_sources(inputs, settings, feeds), store, summary, progress)
    if workers > 1 or scheduler:
        from .parallel import parallel_map

        extracted = parallel_map(partial(extract_for_store, settings=settings), items,
                                 workers=workers, scheduler=scheduler, warm=pipeline.default_pipeline)
    else:
        extracted = (extract_for_store(item, settings, pipeline.process) for item in items)
    for item in extracted:
        writer.add(item)
    writer.flush()
    store.release()
    return summary


class _BatchWriter:
    """Collects extracted reports and stores them a batch at a time, in input order."""

    def __init__(self, store: Store, summary: IngestSummary, progress: Progress | None,
                 size: int, seconds: float | None) -> None:
        self.store, self.summary, self.progress = store, summary, progress
        self.size, self.seconds = max(1, size), seconds
        self.pending: list[Report | SitrepError] = []
        self.started = time.monotonic()

    def add(self, item: Report | SitrepError) -> None:
        self.pending.append(item)
        full = sum(isinstance(x, Report) for x in self.pending) >= self.size
        late = self.seconds is not None and time.monotonic() - self.started >= self.seconds
        if full or late:
            self.flush()

    def flush(self) -> None:
        items, self.pending = self.pending, []
        self.started = time.monotonic()
        reports = [x for x in items if isinstance(x, Report)]
        results = dict(zip(map(id, reports), self._store(reports)))
        for item in items:
            if isinstance(item, SitrepError):
                label = _fail(self.store, self.summary, item)
            else:
                label = self._count(item, results[id(item)])
            if self.progress is not None:
                self.progress(label, self.summary)

    def _store(self, reports: list[Report]) -> list[AddResult | SitrepError]:
        if not reports:
            return []
        try:
            return list(self.store.add_reports(reports))
        except StoreError:
            raise  # the store itself failed (locked, full, unreadable): no later report would fare better
        except SitrepError:
            if len(reports) == 1:
                return [self._one(reports[0])]
        except Exception:  # a store bug on one report must not lose the rest of the batch
            if len(reports) == 1:
                return [self._one(reports[0])]
        # Something in the batch cannot be stored: store its reports one by one, so only that one fails.
        return [self._one(r) for r in reports]

    def _one(self, report: Report) -> AddResult | SitrepError:
        label = report.url or report.doc_id
        try:
            return self.store.add_reports([report])[0]
        except StoreError:
            raise
        except SitrepError as exc:  # this report's data (the batch was rolled back; the message names it)
            return _named(exc, label)
        except Exception as exc:
            return InputError(f"{label}: could not store ({exc.__class__.__name__}: {exc})")

    def _count(self, report: Report, result: AddResult | SitrepError) -> str:
        label = report.url or report.doc_id
        s = self.summary
        if isinstance(result, SitrepError):
            return _fail(self.store, s, result)
        if result.status == "seen":
            s.reports_seen += 1
            return label
        s.reports_new += 1
        s.events_new += result.events_new
        s.events_merged += result.events_merged
        if not report.events:
            s.reports_empty += 1
            s.notices.append(f"{label}: no events found")
        return label


def _fail(store: Store, summary: IngestSummary, exc: SitrepError) -> str:
    summary.reports_failed += 1
    summary.failures.append(str(exc))
    url = getattr(exc, "input", None)
    if url:
        # Web inputs come and go; a record of the failure lets a later run or a reader see it.
        store.record_failure(url, str(exc), url=url)
    return str(exc)


def _named(exc: SitrepError, label: str) -> SitrepError:
    return exc if str(exc).startswith(label) else type(exc)(f"{label}: {exc}")


def _unseen(items: Iterable[Report | SitrepError], store: Store, summary: IngestSummary,
            progress: Progress | None) -> Iterator[Report | SitrepError]:
    """The inputs less the reports already stored, skipped before extraction (one query per chunk)."""
    it = iter(items)
    while chunk := list(islice(it, 256)):
        hashes = [content_hash(x.text) if isinstance(x, Report) else None for x in chunk]
        stored = store.stored_hashes(h for h in hashes if h)
        for item, h in zip(chunk, hashes):
            if h in stored:
                summary.reports_seen += 1
                if progress is not None:
                    progress(item.url or item.doc_id, summary)
                continue
            yield item


def extract_for_store(item: Report | SitrepError, settings: Settings, process=None) -> Report | SitrepError:
    """One report extracted (here or on a worker), or its failure worded as for any input."""
    if process is None:
        from .pipeline import process
    if isinstance(item, SitrepError):
        return item
    label = item.url or item.doc_id
    try:
        report = process(item, settings)
    except SitrepError as exc:
        return _named(exc, label)
    except Exception as exc:  # an extractor bug on one report must not lose the rest of the batch
        return InputError(f"{label}: extractor failed ({exc.__class__.__name__}: {exc})")
    # The store needs the text, metadata and events; the stage layers would only cost pickling on the way back.
    report.sentences, report.mentions, report.places, report.drafts = [], [], [], []
    return report
