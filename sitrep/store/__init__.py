"""The event store: reports, each report's own events, their mentions, and merged events.

Two homes, one schema (``schema.py``): a DuckDB file (the embedded default) or a
PostgreSQL database (``postgresql://...``), for a team whose ingests and web apps
share one store.  Reports are written in batches, each one transaction with the
re-merge of the events it touches (``write.py``), so a killed process leaves the
store as before the batch and re-running the ingest finishes the job (reports are
keyed by the hash of their normalised text, so nothing is added twice).  How
readers and writers share each database is told in ``duck.py`` and ``pg.py``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..errors import InputError, StoreError
from ..merge import MergedEvent, merge_members
from ..model import Event, Report
from ..settings import parse_date
from .backend import Conn, data_error, first_line, is_postgres_url
from .query import EventQuery, cursor_of, cursor_sql, order_sql, where_sql
from .rows import MEMBER_SELECT, MERGED_SELECT, member_from_row, merged_from_row
from .schema import SCHEMA_VERSION, create_statements
from .write import AddResult, Prepared, store_batch, write_merged

__all__ = ["AddResult", "DEFAULT_PATH", "EventQuery", "Store", "content_hash", "merged_from_row", "normalise_text",
           "since_days"]

DEFAULT_PATH = "sitrep.duckdb"


def normalise_text(text: str) -> str:
    """Report text as compared for identity: NFC, whitespace runs collapsed, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def prepare(report: Report, events: Sequence[Event] | None = None) -> Prepared:
    h = content_hash(report.text)
    return Prepared(report, list(report.events if events is None else events), h, h[:16])


class Store:
    """A store of reports and merged events, in a DuckDB file or a PostgreSQL database.

    target: a file path or a postgresql:// URL (default: $SITREP_DB, else ./sitrep.duckdb).
    read_only: open for queries only; a missing DuckDB file is an error.
    lock_timeout: seconds to wait for another writer's batch before giving up.
    """

    def __init__(self, target: str | os.PathLike | None = None, read_only: bool = False,
                 lock_timeout: float = 30.0, snapshot: bool = True) -> None:
        self.path = str(target or os.environ.get("SITREP_DB") or DEFAULT_PATH)
        self.read_only = read_only
        if is_postgres_url(self.path):
            from .pg import PgDb

            self.db = PgDb(self.path, lock_timeout=lock_timeout)
        else:
            from .duck import DuckFile

            self.db = DuckFile(self.path, lock_timeout=lock_timeout, snapshot=snapshot)
        self.where = self.db.describe()
        if read_only and not self.db.exists():
            raise StoreError(f"{self.path}: no store here (create one with `sitrep ingest`)")
        if not read_only:
            self.db.check_parent()
        self._open(read_only)

    @property
    def dialect(self) -> str:
        return self.db.dialect

    # -- schema ------------------------------------------------------------

    @staticmethod
    def _version(conn: Conn) -> int | None:
        exists = conn.rows("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'schema_version' AND table_schema = current_schema()")[0][0]
        if not exists:
            return None
        return conn.rows("SELECT coalesce(max(version), 0) FROM schema_version")[0][0]

    def _open(self, read_only: bool) -> None:
        """Check the schema; create it in a new store and upgrade an older one in place."""
        if not read_only and not self.db.exists():
            self._migrate()
            return
        with self.db.read() as conn:
            v = self._version(conn)
        if v is None and read_only:
            raise StoreError(f"{self.where}: not a sitrep store")
        if v is not None and v > SCHEMA_VERSION:
            raise StoreError(f"{self.where}: store schema v{v} is newer than this sitrep (v{SCHEMA_VERSION})")
        if v != SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        """Create the schema in a new store, or upgrade an older one in place, in one transaction."""
        from .migrate import upgrade

        try:
            with self.db.write() as conn:
                v = self._version(conn)  # again: another process may have done it meanwhile
                if v is None:
                    conn.run("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
                    for sql in create_statements(conn.dialect):
                        conn.run(sql)
                    conn.run("INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION, _utcnow()])
                elif v < SCHEMA_VERSION:
                    upgrade(conn, v, _utcnow())
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{self.where}: could not create or upgrade the store ({first_line(exc)})") from None

    @property
    def schema_version(self) -> int:
        with self.db.read() as conn:
            return self._version(conn) or 0

    def release(self) -> None:
        """Close what this store holds open (connections, pools); the next use reopens them."""
        self.db.close()

    close = release

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------

    def has_report(self, text: str) -> bool:
        """Whether a report with this text (after normalisation) is already stored."""
        return bool(self.stored_hashes([content_hash(text)]))

    def stored_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are stored (as reports, not as failures)."""
        wanted = sorted(set(hashes))
        out: set[str] = set()
        with self.db.read() as conn:
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                out |= {r[0] for r in conn.rows(
                    f"SELECT content_hash FROM reports WHERE status <> 'failed' AND content_hash IN "
                    f"({', '.join('?' for _ in part)})", part)}
        return out

    def add_report(self, report: Report, events: Sequence[Event] | None = None) -> AddResult:
        """Store a report and its events, and re-merge every stored event they touch, atomically."""
        return self.add_reports([prepare(report, events)])[0]

    def add_reports(self, batch: Sequence[Prepared | Report]) -> list[AddResult]:
        """Store a batch of reports (each with its .events) in one transaction; one result per report.

        A value the store cannot hold fails the whole batch with an InputError (nothing of it
        is stored): store the reports one by one to find which.
        """
        if self.read_only:
            raise StoreError(f"{self.where}: store opened read-only")
        items = [b if isinstance(b, Prepared) else prepare(b) for b in batch]
        if not items:
            return []
        try:
            with self.db.write() as conn:
                return store_batch(conn, items, _utcnow())
        except StoreError:
            raise
        except Exception as exc:
            if data_error(exc):
                names = ", ".join(p.report.doc_id for p in items[:3]) + (" ..." if len(items) > 3 else "")
                raise InputError(f"{self.where}: could not store {names} ({first_line(exc)})") from None
            if type(exc).__module__.startswith(("duckdb", "_duckdb", "psycopg")):
                raise StoreError(f"{self.where}: {first_line(exc)}") from None
            raise

    def record_failure(self, name: str, reason: str, url: str | None = None) -> None:
        """Remember an input that could not be ingested (replacing an earlier failure of it)."""
        rid = "failed-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
        with self.db.write() as conn:
            conn.run("DELETE FROM reports WHERE id = ?", [rid])
            conn.run("INSERT INTO reports (id, doc_id, url, ingested_at, status, reason) "
                     "VALUES (?, ?, ?, ?, 'failed', ?)", [rid, name, url, _utcnow(), reason])

    def remerge_all(self) -> int:
        """Recompute every merged event from the stored report events; return how many there are."""
        with self.db.write() as conn:
            members = [m for m, _ in map(member_from_row, conn.rows(f"SELECT {MEMBER_SELECT} FROM report_events"))]
            merged = merge_members(members)
            old = {r[0]: r for r in conn.rows(f"SELECT {MERGED_SELECT} FROM events")}
            conn.run("DELETE FROM events")
            write_merged(conn, merged, [], _utcnow())
            # An event that came out the same keeps its timestamp.
            kept = [(me.event.event_id, old[me.event.event_id][-1]) for me in merged
                    if me.event.event_id in old and _same_merged(merged_from_row(old[me.event.event_id]), me)]
            if kept:
                name = conn.stage("_sitrep_kept", {"event_id": "TEXT", "updated_at": "TIMESTAMP"},
                                  {"event_id": [k for k, _ in kept], "updated_at": [t for _, t in kept]})
                conn.run(f"UPDATE events SET updated_at = k.updated_at FROM {name} k WHERE events.event_id = k.event_id")
        return len(merged)

    # -- reading -----------------------------------------------------------

    def _known_country(self, name: str) -> bool:
        with self.db.read() as conn:
            return bool(conn.rows("SELECT count(*) FROM events WHERE lower(country) = lower(?)", [name])[0][0])

    def _window(self, q: EventQuery, since: str | None, today: _dt.date | None) -> EventQuery:
        q = replace(q)
        q.date_from, q.date_to = parse_date(q.date_from), parse_date(q.date_to)
        if since:
            days = since_days(since)
            today = today or _dt.date.today()
            newest = self.newest_event_date()
            anchor = min(today, _dt.date.fromisoformat(newest)) if newest else today
            days = min(days, anchor.toordinal() - 1)  # "99999999d": everything, not an overflow
            q.date_from = max(q.date_from or "", (anchor - _dt.timedelta(days=days)).isoformat())
            q.date_to = min(q.date_to or "9999", anchor.isoformat())
        return q

    def events(
        self,
        date_from: str | None = None,
        date_to: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        since: str | None = None,
        today: _dt.date | None = None,
        actor: str | None = None,
        min_corroboration: int = 1,
        limit: int | None = None,
    ) -> list[MergedEvent]:
        """Merged events, oldest first, filtered by date range, country, admin1, (sub-)event type and actor.

        since: "24h", "7d", "2w": the days before today, or before the newest event
        when the store holds nothing that recent (an archive is read as of its last
        day).  Event dates are days, so "24h" means that day and the day before.
        country: a name or an ISO code; one the store and ISO 3166 do not know is an InputError.
        actor: part of any side's name, or an actor's alias ("ISIS" finds "Islamic State").
        limit: at most this many (the oldest).
        """
        q = EventQuery(date_from, date_to, country, admin1, event_type, actor, min_corroboration)
        return self.events_page(q, since=since, today=today, limit=limit)[0]

    def events_page(self, q: EventQuery, limit: int | None = None, after: str | None = None,
                    since: str | None = None, today: _dt.date | None = None,
                    newest_first: bool = False) -> tuple[list[MergedEvent], str | None]:
        """One page of events matching q, after a cursor; and the cursor of the next page (None at the end)."""
        rows = self._select(MERGED_SELECT, q, limit, after, since, today, newest_first)
        found = [merged_from_row(r) for r in rows[:limit]]
        nxt = None
        if limit is not None and len(rows) > limit and found:
            nxt = cursor_of(found[-1].event.event_date, found[-1].event.event_id)
        return found, nxt

    def points(self, q: EventQuery, limit: int, after: str | None = None) -> tuple[list[tuple], str | None]:
        """A page of placed events, few columns: (event_id, date, type, sub-event type, fatalities,
        location, corroboration, latitude, longitude); and the next page's cursor."""
        cols = ("event_id, event_date, event_type, sub_event_type, fatalities, location, corroboration, "
                "latitude, longitude")
        rows = self._select(cols, q, limit, after, None, None, False, placed=True)
        page = rows[:limit]
        nxt = cursor_of(page[-1][1] and page[-1][1].isoformat(), page[-1][0]) if len(rows) > limit and page else None
        return page, nxt

    def _select(self, cols: str, q: EventQuery, limit: int | None, after: str | None, since: str | None,
                today: _dt.date | None, newest_first: bool, placed: bool = False) -> list[tuple]:
        q = self._window(q, since, today)
        where, params = where_sql(q, self._known_country)
        if placed:
            where.append("latitude IS NOT NULL AND longitude IS NOT NULL")
        if after:
            sql, p = cursor_sql(after, newest_first)
            where.append(sql)
            params += p
        sql = f"SELECT {cols} FROM events" + (" WHERE " + " AND ".join(where) if where else "")
        sql += order_sql(newest_first)
        if limit is not None:
            sql += f" LIMIT {int(limit) + 1}"
        with self.db.read() as conn:
            return conn.rows(sql, params)

    def count_events(self, q: EventQuery, since: str | None = None) -> int:
        """How many events match q."""
        q = self._window(q, since, None)
        where, params = where_sql(q, self._known_country)
        sql = "SELECT count(*) FROM events" + (" WHERE " + " AND ".join(where) if where else "")
        with self.db.read() as conn:
            return conn.rows(sql, params)[0][0]

    def event(self, event_id: str) -> MergedEvent | None:
        """One merged event by id, or None."""
        with self.db.read() as conn:
            rows = conn.rows(f"SELECT {MERGED_SELECT} FROM events WHERE event_id = ?", [event_id])
        return merged_from_row(rows[0]) if rows else None

    def reports_meta(self, report_ids: Iterable[str]) -> dict[str, dict]:
        """doc_id, title, url, published and outlet of stored reports, by report id."""
        ids = sorted(set(report_ids))
        if not ids:
            return {}
        with self.db.read() as conn:
            rows = conn.rows("SELECT id, doc_id, title, url, published, outlet FROM reports "
                             f"WHERE id IN ({', '.join('?' for _ in ids)})", ids)
        return {r[0]: {"doc_id": r[1], "title": r[2], "url": r[3], "published": r[4].isoformat() if r[4] else None,
                       "outlet": r[5]} for r in rows}

    def report_event_ids(self, report_id: str) -> list[str]:
        """The merged events a stored report contributes to."""
        with self.db.read() as conn:
            rows = conn.rows("SELECT DISTINCT event_id FROM report_events WHERE report_id = ? "
                             "AND event_id IS NOT NULL ORDER BY 1", [report_id])
        return [r[0] for r in rows]

    def distinct(self, column: str) -> list[str]:
        """The values of one of the events' filter columns (country, admin1), sorted."""
        if column not in ("country", "admin1", "event_type", "sub_event_type"):
            raise ValueError(column)
        with self.db.read() as conn:
            return [r[0] for r in conn.rows(f"SELECT DISTINCT {column} FROM events WHERE {column} IS NOT NULL ORDER BY 1")]

    def newest_event_date(self) -> str | None:
        with self.db.read() as conn:
            d = conn.rows("SELECT max(event_date) FROM events")[0][0]
        return d.isoformat() if d else None

    def counts(self) -> dict[str, int]:
        """How many reports (by status), report events, mentions and merged events are stored."""
        with self.db.read() as conn:
            out = {f"reports_{s}": n for s, n in conn.rows("SELECT status, count(*) FROM reports GROUP BY status")}
            for table in ("reports", "report_events", "mentions", "events"):
                out[table] = conn.rows(f"SELECT count(*) FROM {table}")[0][0]
        return out

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Run a read-only SQL query (``?`` placeholders) against the store, for checks and ad-hoc questions."""
        with self.db.read() as conn:
            return conn.rows(sql, list(params))


def _same_merged(a: MergedEvent, b: MergedEvent) -> bool:
    a.timestamp = b.timestamp = 0
    return a == b


def since_days(value: str) -> int:
    """Whole days covered by a --since value such as 24h, 36h, 7d or 2w."""
    m = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", value.lower())
    if not m or int(m.group(1)) == 0:
        raise InputError(f"invalid --since {value!r}: expected a duration like 24h, 7d or 2w")
    n, unit = int(m.group(1)), m.group(2)
    return {"h": -(-n // 24), "d": n, "w": 7 * n}[unit]
