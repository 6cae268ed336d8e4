"""Ingest: reports from files, directories, .jsonl, URLs and feeds, extracted and stored.

Each report is extracted and then written to the store in one transaction with
the re-merge of the events it touches.  A report already stored (same normalised
text) is skipped before extraction.  Every failure becomes one line in the
summary and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .errors import InputError, SitrepError
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
) -> IngestSummary:
    """Extract and store every report the inputs and feeds give; return what happened."""
    from .pipeline import process

    summary = IngestSummary()
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
    result = store.add_report(report, report.events)
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
