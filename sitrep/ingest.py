"""Ingest: reports from files, directories, .jsonl, URLs and feeds, extracted and stored.

Each report is extracted and then written to the store in one transaction with
the re-merge of the events it touches.  A report already stored (same normalised
text) is skipped before extraction.  Every failure becomes one line in the
summary and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from .errors import InputError, SitrepError, StoreError
from .fetch import feed_reports, fetch_report, is_url
from .inputs import iter_reports
from .model import Report
from .settings import Settings
from .store import Store


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


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    feeds: Iterable[str] = (),
    progress: Progress | None = None,
    workers: int = 1,
    scheduler: str | None = None,
) -> IngestSummary:
    """Extract and store every report the inputs and feeds give; return what happened.

    workers > 1 or a scheduler address extracts on a Dask cluster (see _ingest_parallel).
    """
    from .pipeline import process

    summary = IngestSummary()
    if workers > 1 or scheduler:
        _ingest_parallel(iter_sources(inputs, settings, feeds), store, settings, summary, progress, workers, scheduler)
        store.release()
        return summary
    for item in iter_sources(inputs, settings, feeds):
        label = _fail(store, summary, item) if isinstance(item, SitrepError) else _one(store, settings, summary, item, process)
        if progress is not None:
            progress(label, summary)
    store.release()
    return summary


def _fail(store: Store, summary: IngestSummary, exc: SitrepError) -> str:
    summary.reports_failed += 1
    summary.failures.append(str(exc))
    url = getattr(exc, "input", None)
    if url:
        # Web inputs come and go; a record of the failure lets a later run or a reader see it.
        store.record_failure(url, str(exc), url=url)
    return str(exc)


def _one(store: Store, settings: Settings, summary: IngestSummary, report: Report, process) -> str:
    label = report.url or report.doc_id
    if store.has_report(report.text):
        summary.reports_seen += 1
        return label
    try:
        report = process(report, settings)
    except SitrepError as exc:
        return _fail(store, summary, _named(exc, label))
    except Exception as exc:  # an extractor bug on one report must not lose the rest of the batch
        return _fail(store, summary, InputError(f"{label}: extractor failed ({exc.__class__.__name__}: {exc})"))
    try:
        result = store.add_report(report, report.events)
    except StoreError:
        raise  # the store itself failed (locked, full, unreadable): no later report would fare better
    except SitrepError as exc:  # this report's data (add_report rolled it back; the message names it)
        return _fail(store, summary, exc)
    except Exception as exc:  # a store bug on one report must not lose the rest of the batch
        return _fail(store, summary, InputError(f"{label}: could not store ({exc.__class__.__name__}: {exc})"))
    if result.status == "seen":
        summary.reports_seen += 1
        return label
    summary.reports_new += 1
    summary.events_new += result.events_new
    summary.events_merged += result.events_merged
    if not report.events:
        summary.reports_empty += 1
        summary.notices.append(f"{label}: no events found")
    return label


def _named(exc: SitrepError, label: str) -> SitrepError:
    return exc if str(exc).startswith(label) else type(exc)(f"{label}: {exc}")


# -- parallel extraction (issue 7) ------------------------------------------------
# Dask workers run the extractor; this process stays the store's only writer and
# stores results in input order, so the store ends up exactly as a serial ingest leaves it.


def _ingest_parallel(items, store: Store, settings: Settings, summary: IngestSummary,
                     progress: Progress | None, workers: int, scheduler: str | None) -> None:
    from itertools import islice

    from .parallel import parallel_map
    from .store import content_hash

    def unseen():
        # Skip stored reports before shipping them out, as the serial path skips them before
        # extraction; one query per chunk, since opening the store per report costs more than extracting it.
        it = iter(items)
        while chunk := list(islice(it, 64)):
            hashes = [content_hash(x.text) if isinstance(x, Report) else None for x in chunk]
            wanted = sorted({h for h in hashes if h})
            stored = {h for (h,) in store.query(
                f"SELECT content_hash FROM reports WHERE status <> 'failed' AND content_hash IN ({', '.join('?' * len(wanted))})",
                wanted,
            )} if wanted else set()
            for item, h in zip(chunk, hashes):
                if h in stored:
                    summary.reports_seen += 1
                    if progress is not None:
                        progress(item.url or item.doc_id, summary)
                    continue
                yield item

    extract = partial(extract_for_store, settings=settings)
    for item in parallel_map(extract, unseen(), workers=workers, scheduler=scheduler):
        if isinstance(item, SitrepError):
            label = _fail(store, summary, item)
        else:
            label = _one(store, settings, summary, item, _already_extracted)
        if progress is not None:
            progress(label, summary)


def extract_for_store(item: Report | SitrepError, settings: Settings) -> Report | SitrepError:
    """One report extracted on a worker, or its failure worded as a serial ingest words it."""
    from .pipeline import process

    if isinstance(item, SitrepError):
        return item
    label = item.url or item.doc_id
    try:
        report = process(item, settings)
    except SitrepError as exc:
        return _named(exc, label)
    except Exception as exc:
        return InputError(f"{label}: extractor failed ({exc.__class__.__name__}: {exc})")
    # The store needs the text, metadata and events; the stage layers would only cost pickling on the way back.
    report.sentences, report.mentions, report.places, report.drafts = [], [], [], []
    return report


def _already_extracted(report: Report, settings: Settings) -> Report:
    return report
