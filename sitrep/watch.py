"""Watching feeds: poll RSS/Atom feeds and pages, ingest what is new, remember what was seen.

Each poll of a feed fetches it (sitrep.fetch, with its limits), takes the entries whose
id or link it has not stored before, fetches and ingests each, and only then records
the entry as seen, in the store.  So a restart neither loses an entry (one not yet
stored is fetched again) nor stores one twice (the store keeps reports by the hash
of their text).  A URL that is not a feed is watched as a page: it is ingested when
its text changes.  A feed that fails is retried later and later (doubling from the
polling interval, at most MAX_BACKOFF), without holding up the others; an entry
whose article keeps failing is given up after ENTRY_ATTEMPTS polls and recorded as
a failure in the store.  One line is logged per poll.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .errors import InputError, SitrepError, StoreError
from .settings import Settings
from .store import Store
from .tables import ensure_tables, writing

MAX_BACKOFF = 6 * 3600.0  # seconds: a dead feed is still tried four times a day
ENTRY_ATTEMPTS = 3
MAX_ENTRIES = 200  # entries taken from one feed per poll (a feed dumping its archive is read over several polls)

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS watch_items (
        feed TEXT NOT NULL,
        item TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        report_id TEXT,
        reason TEXT,
        first_seen TIMESTAMP NOT NULL,
        last_seen TIMESTAMP NOT NULL,
        PRIMARY KEY (feed, item))""",
    """CREATE TABLE IF NOT EXISTS watch_feeds (
        feed TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        next_poll TIMESTAMP,
        last_poll TIMESTAMP,
        last_status TEXT)""",
]


def parse_every(value: str) -> float:
    """Seconds of a polling interval: '15m', '1h', '90s', '2h30m'."""
    parts = re.findall(r"(\d+)\s*([smhd])", value.lower())
    if not parts or re.sub(r"(\d+)\s*[smhd]|\s", "", value.lower()):
        raise InputError(f"invalid interval {value!r}: expected e.g. 90s, 15m, 1h or 1h30m")
    seconds = sum(int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[u] for n, u in parts)
    if seconds < 10:
        raise InputError(f"invalid interval {value!r}: poll at most every 10 seconds")
    return float(seconds)


def backoff(every: float, failures: int) -> float:
    """Seconds to wait after a feed's `failures`-th failure in a row."""
    return min(MAX_BACKOFF, every * 2 ** min(failures, 20)) if failures else every


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


@dataclass(slots=True)
class Entry:
    """One item of a feed: its identity, and how to fetch it."""

    key: str  # the entry's id, else its link
    link: str
    title: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Poll:
    """What one poll of one feed did."""

    feed: str
    ok: bool = True
    entries: int = 0  # entries the feed listed (or 1 for a page)
    new: int = 0  # of them, not seen before
    stored: int = 0  # reports stored new
    events_new: int = 0
    events_merged: int = 0
    failed: list[str] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0
    retry_in: float = 0.0

    def line(self) -> str:
        if not self.ok:
            return (f"watch: {self.feed}: failed ({self.reason}); retry in {_span(self.retry_in)} "
                    f"({self.seconds:.1f} s)")
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (f"watch: {self.feed}: {self.entries} entries, {self.new} new, {self.stored} reports stored{failed}; "
                f"{self.events_new} events new, {self.events_merged} merged; next in {_span(self.retry_in)} "
                f"({self.seconds:.1f} s)")


def _span(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}h".replace(".0h", "h")
    if seconds >= 60:
        return f"{seconds / 60:.0f}m"
    return f"{seconds:.0f}s"


class Watcher:
    """Polls feeds and pages into one store; `run` loops until stopped, `poll` does one feed now.

    log: called with one line per poll (default: print to stderr).
    lock: taken around every use of the store (never around a download or an extraction), so a
        web app in the same process, holding the same lock, takes turns with the watcher.
    """

    def __init__(self, store: Store, urls: Sequence[str], every: float, settings: Settings | None = None,
                 log: Callable[[str], None] | None = None, lock=None) -> None:
        if not urls:
            raise InputError("nothing to watch: give feed or page URLs")
        self.store = store
        self.urls = list(dict.fromkeys(urls))
        self.every = every
        self.settings = settings or Settings()
        self.log = log or _stderr
        self.lock = lock if lock is not None else threading.Lock()
        with self.lock:
            ensure_tables(store, SCHEMA)

    # -- state in the store ------------------------------------------------------

    def _seen(self, feed: str, keys: list[str]) -> dict[str, tuple[str, int]]:
        if not keys:
            return {}
        with self.lock:
            rows = self.store.query(
                f"SELECT item, status, attempts FROM watch_items WHERE feed = ? AND item IN ({', '.join('?' * len(keys))})",
                [feed, *keys])
        return {item: (status, attempts) for item, status, attempts in rows}

    def _remember(self, feed: str, key: str, status: str, report_id: str | None = None, reason: str | None = None) -> None:
        now = _now()
        with self.lock, writing(self.store) as con:
            con.run("DELETE FROM watch_items WHERE feed = ? AND item = ?", [feed, key])
            con.run("INSERT INTO watch_items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [feed, key, status, 1, report_id, reason, now, now])

    def _count_attempt(self, feed: str, key: str, attempts: int, reason: str) -> None:
        now = _now()
        with self.lock, writing(self.store) as con:
            con.run("DELETE FROM watch_items WHERE feed = ? AND item = ?", [feed, key])
            con.run("INSERT INTO watch_items VALUES (?, ?, 'retry', ?, NULL, ?, ?, ?)",
                        [feed, key, attempts + 1, reason, now, now])

    def _feed_state(self, feed: str) -> tuple[int, _dt.datetime | None]:
        with self.lock:
            rows = self.store.query("SELECT failures, next_poll FROM watch_feeds WHERE feed = ?", [feed])
        return (rows[0][0], rows[0][1]) if rows else (0, None)

    def _set_feed(self, feed: str, failures: int, wait: float, status: str) -> None:
        now = _now()
        with self.lock, writing(self.store) as con:
            con.run("DELETE FROM watch_feeds WHERE feed = ?", [feed])
            con.run("INSERT INTO watch_feeds VALUES (?, ?, ?, ?, ?)",
                        [feed, failures, now + _dt.timedelta(seconds=wait), now, status])

    # -- polling -----------------------------------------------------------------

    def poll(self, feed: str) -> Poll:
        """Poll one feed or page now: ingest its new entries, remember them, schedule the next poll."""
        start = time.monotonic()
        result = Poll(feed)
        failures, _ = self._feed_state(feed)
        try:
            entries, outlet, page = _entries(feed, self.settings)
            result.entries = len(entries)
            if page is not None:
                self._page(feed, page, result)
            else:
                self._new_entries(feed, entries[:MAX_ENTRIES], outlet, result)
        except StoreError:
            raise  # the store itself failed: no other feed would fare better
        except SitrepError as exc:
            result.ok, result.reason = False, _short(exc, feed)
            failures += 1
        else:
            failures = 0
        result.retry_in = backoff(self.every, failures)
        self._set_feed(feed, failures, result.retry_in, "ok" if result.ok else result.reason)
        result.seconds = time.monotonic() - start
        self.log(result.line())
        return result

    def _new_entries(self, feed: str, entries: list[Entry], outlet: str | None, result: Poll) -> None:
        from .fetch import fetch_report

        seen = self._seen(feed, [e.key for e in entries])
        for entry in entries:
            status, attempts = seen.get(entry.key, ("new", 0))
            if status in ("ok", "failed"):
                continue
            result.new += 1
            try:
                report = fetch_report(entry.link, self.settings, title=entry.title, date=entry.date, source=outlet)
                self._store(feed, entry.key, report, result)
            except StoreError:
                raise
            except SitrepError as exc:
                self._entry_failed(feed, entry, attempts, _short(exc, entry.link), result)

    def _entry_failed(self, feed: str, entry: Entry, attempts: int, reason: str, result: Poll) -> None:
        result.failed.append(reason)
        if attempts + 1 >= ENTRY_ATTEMPTS:
            self._remember(feed, entry.key, "failed", reason=reason)
            with self.lock:
                self.store.record_failure(entry.link, reason, url=entry.link)
        else:
            self._count_attempt(feed, entry.key, attempts, reason)

    def _page(self, feed: str, report, result: Poll) -> None:
        from .store import content_hash

        key = "page:" + content_hash(report.text)[:32]
        if self._seen(feed, [key]).get(key, ("new",))[0] == "ok":
            return
        result.new += 1
        self._store(feed, key, report, result)

    def _store(self, feed: str, key: str, report, result: Poll) -> None:
        """Extract and store one report, then remember its entry: in that order, so a crash loses nothing."""
        from .pipeline import process

        with self.lock:
            known = self.store.has_report(report.text)
        if not known:
            report = process(report, self.settings)  # outside the lock: a web app reads on meanwhile
            with self.lock:
                added = self.store.add_report(report, report.events)
            if added.status == "new":
                result.stored += 1
                result.events_new += added.events_new
                result.events_merged += added.events_merged
        self._remember(feed, key, "ok", report_id=None)

    def due(self) -> list[tuple[float, str]]:
        """(seconds until due, feed) for every watched URL, soonest first (a new feed is due now)."""
        now = _now()
        out = []
        for url in self.urls:
            _, next_poll = self._feed_state(url)
            wait = (next_poll - now).total_seconds() if next_poll else 0.0
            out.append((max(0.0, wait), url))
        return sorted(out)

    def run(self, stop: threading.Event | None = None, rounds: int | None = None) -> None:
        """Poll each feed when it is due until `stop` is set (or each feed has been polled `rounds` times)."""
        stop = stop or threading.Event()
        polls = dict.fromkeys(self.urls, 0)
        while not stop.is_set():
            pending = [(w, u) for w, u in self.due() if rounds is None or polls[u] < rounds]
            if not pending:
                return
            wait, url = pending[0]
            if rounds is not None and polls[url] == 0:
                wait = 0.0  # a bounded run polls every feed at once first
            if wait > 0:
                stop.wait(min(wait, 60.0))
                continue
            self.poll(url)
            polls[url] += 1


def watch_beside(app, urls: Sequence[str], every: float, settings: Settings | None = None,
                 log: Callable[[str], None] | None = None) -> tuple[threading.Thread, threading.Event]:
    """Run a Watcher in a thread beside a web app, on the app's store and taking turns on its lock.

    Returns the thread and the event that stops it (`sitrep serve --watch`).
    """
    watcher = Watcher(app.state.store, urls, every, settings, log=log, lock=app.state.lock)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop}, name="sitrep-watch", daemon=True)
    thread.start()
    return thread, stop


def _short(exc: Exception, url: str) -> str:
    text = str(exc)
    return text[len(url) + 2:] if text.startswith(url + ": ") else text


def _stderr(line: str) -> None:
    import sys

    print(line, file=sys.stderr, flush=True)


def _entries(url: str, settings: Settings):
    """(entries, outlet, None) for a feed; ([], None, report) for a page."""
    import feedparser

    from .fetch import FEED_TYPES, _entry_date, fetch, fetch_report, is_url

    if not is_url(url):
        raise InputError(f"{url}: not an http(s) URL")
    f = fetch(url, settings, accept=FEED_TYPES)
    parsed = feedparser.parse(f.content, response_headers={"content-location": f.url})
    entries = []
    for e in parsed.entries:
        link = e.get("link")
        if link and is_url(link):
            entries.append(Entry(key=e.get("id") or link, link=link, title=e.get("title") or None,
                                 date=_entry_date(e)))
    if entries:
        return entries, parsed.feed.get("title") or None, None
    if parsed.version:  # a feed, but with no entries (yet)
        return [], None, None
    return [], None, fetch_report(url, settings)
