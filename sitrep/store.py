"""The event store: reports, each report's own events, their mentions, and merged events, in DuckDB.

Durability: a report is written in one transaction together with the re-merge of
every event it touches, so a process killed mid-ingest leaves the store exactly as
before that report, and re-running the ingest finishes the job (reports are keyed
by the hash of their normalised text, so nothing is added twice).

Concurrency: DuckDB lets one process hold a database file for writing and then
refuses every other process, readers included.  So the writer holds the file only
for a short lease (``lease_seconds``, one or more whole reports), then closes it;
readers open it read-only for a single query.  Both retry on a lock conflict for
up to ``lock_timeout`` seconds, so a reader running while an ingest runs waits at
most one lease and then sees every report committed so far.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .errors import InputError, StoreError
from .merge import (
    Member,
    MergedEvent,
    _order,
    block_key,
    clusters,
    family,
    first_day,
    merge_cluster,
    merge_members,
    run_day,
)
from .model import Event, Evidence, Report
from .settings import parse_date

DEFAULT_PATH = "sitrep.duckdb"

# Each step is applied once, in order, in its own transaction; the version table
# records how many have been applied.  Never edit a released step: append one.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE reports (
            id VARCHAR PRIMARY KEY,
            doc_id VARCHAR,
            outlet VARCHAR,
            url VARCHAR,
            title VARCHAR,
            published DATE,
            content_hash VARCHAR UNIQUE,
            text VARCHAR,
            n_events INTEGER,
            ingested_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL,
            reason VARCHAR)""",
        # Each report's own events, with every field the extractor gave them, so
        # that merged events can always be recomputed from them.
        """CREATE TABLE report_events (
            member_id VARCHAR NOT NULL,
            report_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            family VARCHAR NOT NULL,
            event_date DATE,
            report_date DATE,
            country VARCHAR,
            outlet VARCHAR,
            event_id VARCHAR,
            data JSON NOT NULL)""",
        """CREATE TABLE mentions (
            member_id VARCHAR NOT NULL,
            report_id VARCHAR NOT NULL,
            line INTEGER,
            text VARCHAR,
            attribution VARCHAR,
            source VARCHAR)""",
        """CREATE TABLE events (
            event_id VARCHAR NOT NULL,
            family VARCHAR NOT NULL,
            event_date DATE,
            event_type VARCHAR,
            sub_event_type VARCHAR,
            country VARCHAR,
            admin1 VARCHAR,
            latitude DOUBLE,
            longitude DOUBLE,
            fatalities INTEGER,
            corroboration INTEGER,
            sources VARCHAR,
            n_members INTEGER,
            data JSON NOT NULL,
            updated_at TIMESTAMP NOT NULL)""",
    ],
    # 2: point lookups by member and event id; without them every report's re-merge
    # scans the whole store and ingest slows down as the store grows.
    [
        "CREATE INDEX report_events_member ON report_events (member_id)",
        "CREATE INDEX report_events_event ON report_events (event_id)",
        "CREATE INDEX events_event ON events (event_id)",
        "CREATE INDEX report_events_day ON report_events (event_date)",
    ],
]


def normalise_text(text: str) -> str:
    """Report text as compared for identity: NFC, whitespace runs collapsed, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _event_json(e: Event) -> str:
    return json.dumps(asdict(e), ensure_ascii=False, sort_keys=True)


_EVENT_FIELDS = {f.name for f in fields(Event)}


def event_from_dict(d: dict) -> Event:
    kw = {k: v for k, v in d.items() if k in _EVENT_FIELDS}
    kw["evidence"] = [Evidence(**ev) for ev in kw.get("evidence") or []]
    return Event(**kw)


def _merged_json(me: MergedEvent) -> str:
    d = me.to_dict()
    d.pop("timestamp", None)
    for k in ("disorder_type", "interaction", "civilian_targeting"):
        d.pop(k, None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def merged_from_row(data: str, updated_at: _dt.datetime) -> MergedEvent:
    d = json.loads(data)
    fr = d.get("fatalities_range")
    ts = updated_at.replace(tzinfo=_dt.timezone.utc).timestamp() if updated_at else 0
    return MergedEvent(
        event=event_from_dict(d),
        members=d.get("members") or [],
        sources=d.get("sources") or [],
        corroboration=d.get("corroboration") or 1,
        fatalities_range=tuple(fr) if fr else None,
        timestamp=int(ts),
    )


@dataclass(slots=True)
class AddResult:
    """What storing one report did."""

    status: str  # "new", "seen"
    report_id: str
    events_new: int = 0  # the report's events that no other report told
    events_merged: int = 0  # the report's events merged with another report's


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


class Store:
    """A DuckDB file of reports and merged events.

    path: the database file (default: $SITREP_DB or ./sitrep.duckdb).
    read_only: open for queries only; a missing file is an error.
    lock_timeout: seconds to keep retrying while another process holds the file.
    lease_seconds: how long a writer keeps the file between reports before
        letting readers in.
    """

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        read_only: bool = False,
        lock_timeout: float = 30.0,
        lease_seconds: float = 0.5,
    ) -> None:
        self.path = str(path or os.environ.get("SITREP_DB") or DEFAULT_PATH)
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.lease_seconds = lease_seconds
        self._con = None
        self._marker: Path | None = None
        self._lease_start = 0.0
        if read_only:
            if not Path(self.path).exists():
                raise StoreError(f"{self.path}: no store here (create one with `sitrep ingest`)")
            with self._reading() as con:
                self._check_version(con)
        else:
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: directory {parent} does not exist")
            con = self._writer()
            self._migrate(con)
            self.release()

    # -- connections -------------------------------------------------------

    def _connect(self, read_only: bool):
        import duckdb

        deadline = time.monotonic() + self.lock_timeout
        delay = 0.005
        while True:
            try:
                return duckdb.connect(self.path, read_only=read_only)
            except duckdb.Error as exc:
                msg = str(exc).splitlines()[0]
                if "lock" in msg.lower() and time.monotonic() < deadline:
                    if read_only:
                        self._announce_reader()
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
                    continue
                self._done_reading()
                if "lock" in msg.lower():
                    raise StoreError(
                        f"{self.path}: busy (another process has held it for {self.lock_timeout:g}s)"
                    ) from None
                raise StoreError(f"{self.path}: cannot open store ({msg})") from None

    def _writer(self):
        if self.read_only:
            raise StoreError(f"{self.path}: store opened read-only")
        if self._con is None:
            self._con = self._connect(read_only=False)
            self._lease_start = time.monotonic()
        return self._con

    def release(self) -> None:
        """Close the file so other processes can open it; the next write reopens it."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def _maybe_release(self) -> None:
        if self._con is not None and time.monotonic() - self._lease_start >= self.lease_seconds:
            self.release()
            self._let_readers_in()

    # A writer that closes and at once reopens the file would starve readers, who
    # only retry every few milliseconds.  So a reader that finds the file locked
    # leaves a marker, and a writer at the end of its lease waits (up to a limit)
    # until the markers are gone.
    @property
    def _marker_dir(self) -> Path:
        return Path(self.path + ".readers")

    def _announce_reader(self) -> None:
        if getattr(self, "_marker", None) is None:
            try:
                self._marker_dir.mkdir(exist_ok=True)
                self._marker = self._marker_dir / f"{os.getpid()}-{id(self)}"
                self._marker.touch()
            except OSError:
                self._marker = None

    def _done_reading(self) -> None:
        marker = getattr(self, "_marker", None)
        if marker is not None:
            marker.unlink(missing_ok=True)
            self._marker = None

    def _let_readers_in(self, limit: float = 2.0) -> None:
        d = self._marker_dir
        if not d.is_dir():
            return
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                waiting = [p for p in d.iterdir() if time.time() - p.stat().st_mtime < 60]
            except OSError:
                return
            if not waiting:
                return
            time.sleep(0.005)

    class _Reading:
        def __init__(self, store: "Store") -> None:
            self.store = store
            self.own = False
            self.con = None

        def __enter__(self):
            if self.store._con is not None:
                self.con = self.store._con
            else:
                self.con = self.store._connect(read_only=self.store.read_only)
                self.own = True
            return self.con

        def __exit__(self, *exc) -> None:
            if self.own:
                self.con.close()
                self.store._done_reading()

    def _reading(self) -> "Store._Reading":
        return Store._Reading(self)

    def close(self) -> None:
        self.release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ------------------------------------------------------------

    @staticmethod
    def _version(con) -> int | None:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return None
        return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def _check_version(self, con) -> None:
        v = self._version(con)
        if v is None:
            raise StoreError(f"{self.path}: not a sitrep store")
        if v < len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: store schema v{v} is older than this sitrep's v{len(MIGRATIONS)}; "
                "run `sitrep ingest` once to migrate it"
            )
        if v > len(MIGRATIONS):
            raise StoreError(f"{self.path}: store schema v{v} is newer than this sitrep (v{len(MIGRATIONS)})")

    def _migrate(self, con) -> None:
        v = self._version(con)
        if v is None:
            con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
            v = 0
        if v > len(MIGRATIONS):
            raise StoreError(f"{self.path}: store schema v{v} is newer than this sitrep (v{len(MIGRATIONS)})")
        for n, steps in enumerate(MIGRATIONS[v:], start=v + 1):
            con.execute("BEGIN")
            try:
                for sql in steps:
                    con.execute(sql)
                con.execute("INSERT INTO schema_version VALUES (?, ?)", [n, _utcnow()])
                con.execute("COMMIT")
            except Exception as exc:
                con.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration {n} failed ({exc})") from None

    @property
    def schema_version(self) -> int:
        with self._reading() as con:
            return self._version(con) or 0

    # -- writing -----------------------------------------------------------

    def has_report(self, text: str) -> bool:
        """Whether a report with this text (after normalisation) is already stored."""
        h = content_hash(text)
        with self._reading() as con:
            return bool(
                con.execute(
                    "SELECT count(*) FROM reports WHERE content_hash = ? AND status <> 'failed'", [h]
                ).fetchone()[0]
            )

    def add_report(self, report: Report, events: Sequence[Event] | None = None) -> AddResult:
        """Store a report and its events, and re-merge every stored event they touch, atomically."""
        events = list(report.events if events is None else events)
        h = content_hash(report.text)
        rid = h[:16]
        con = self._writer()
        try:
            if con.execute("SELECT count(*) FROM reports WHERE id = ?", [rid]).fetchone()[0]:
                return AddResult("seen", rid)
            con.execute("BEGIN")
            try:
                result = self._insert(con, report, events, h, rid)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except StoreError:
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("duckdb", "_duckdb")):
                import duckdb

                # A value of this report the store cannot hold (rolled back) fails the report, not the store.
                cls = InputError if isinstance(exc, (duckdb.DataError, duckdb.IntegrityError)) else StoreError
                raise cls(f"{self.path}: could not store {report.doc_id} ({str(exc).splitlines()[0]})") from None
            raise
        finally:
            self._maybe_release()
        return result

    def _insert(self, con, report: Report, events: list[Event], h: str, rid: str) -> AddResult:
        now = _utcnow()
        # A report that failed before (say, a URL that was down) and now arrives replaces its failure.
        keys = [k for k in (report.url, report.doc_id) if k]
        if keys:
            con.execute(
                f"DELETE FROM reports WHERE status = 'failed' AND (url IN ({_qs(keys)}) OR doc_id IN ({_qs(keys)}))",
                keys + keys,
            )
        con.execute(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rid, report.doc_id, report.source, report.url, report.title, report.date, h,
                report.text, len(events), now, "ok" if events else "no_events",
                None if events else "no events found",
            ],
        )
        members = []
        for i, e in enumerate(events):
            mid = f"{rid}-{i:03d}"
            members.append(Member(mid, rid, report.source, report.date, e))
        if not members:
            return AddResult("new", rid)
        _insert_rows(
            con, "report_events", "(?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                [m.member_id, rid, i, family(m.event), m.event.event_date, report.date,
                 m.event.country, report.source, _event_json(m.event)]
                for i, m in enumerate(members)
            ],
        )
        rows = []
        for m in members:
            for ev in m.event.evidence:
                rows.append([m.member_id, rid, ev.line, ev.text,
                             ev.attribution if ev.attribution is not None else m.event.attribution,
                             report.source])
        if rows:
            _insert_rows(con, "mentions", "(?, ?, ?, ?, ?, ?)", rows)
        merged = self._remerge(con, members, now)
        own = {m.member_id for m in members}
        result = AddResult("new", rid)
        for me in merged:
            mine = sum(1 for x in me.members if x in own)
            if not mine:
                continue
            if len(me.members) > mine:
                result.events_merged += mine
            else:
                result.events_new += mine
        return result

    def _load(self, con, where: str, params: list) -> list[tuple[Member, str]]:
        rows = con.execute(
            "SELECT member_id, report_id, outlet, report_date, data, event_id FROM report_events WHERE " + where,
            params,
        ).fetchall()
        return [(_member(r[:5]), r[5]) for r in rows]

    def _recluster_days(self, con, fam: str, new: list[Member]) -> tuple[list[list[Member]], set[str]]:
        """Re-cluster one family from the new members' first day on, until the clusters are as stored.

        A member's cluster depends only on members at most a day before it, so
        once a day ends with the same open clusters as before, every later day is
        unchanged too.  Returns the re-examined clusters and the stored event ids
        they replace.
        """
        new_by_day: dict[int, list[Member]] = defaultdict(list)
        for m in new:
            new_by_day[_ordinal(m.event.event_date)].append(m)
        d0, dmax = min(new_by_day), max(new_by_day)
        loaded: dict[int, list[tuple[Member, str]]] = defaultdict(list)
        loaded_to = dmax + 2

        fresh_ids = {m.member_id for m in new}

        def load(lo: int, hi: int) -> None:
            # The new members are already in the table (without an event id); they come from `new`.
            for m, eid in self._load(con, "family = ? AND event_date BETWEEN ? AND ?",
                                     [fam, _dt.date.fromordinal(lo), _dt.date.fromordinal(hi)]):
                if m.member_id not in fresh_ids:
                    loaded[_ordinal(m.event.event_date)].append((m, eid))

        load(d0 - 2, loaded_to)
        # Clusters as they stood before d0 (restricted to earlier days) that reach d0-1.
        before: dict[str, list[Member]] = defaultdict(list)
        for day in (d0 - 2, d0 - 1):
            for m, eid in loaded[day]:
                before[eid].append(m)
        reach = {eid for _, eid in loaded[d0 - 1]}
        pre = sorted((cl for eid, cl in before.items() if eid in reach), key=lambda cl: min(map(_order, cl)))
        out = [cl for cl in pre if first_day(cl) < d0 - 1]
        open_ = [cl for cl in pre if first_day(cl) >= d0 - 1]
        replaced = set(reach)
        day = d0
        while True:
            if day > loaded_to:
                loaded_to = day + 6
                load(day, loaded_to)
            replaced |= {eid for _, eid in loaded[day]}
            out += run_day(open_, day, [m for m, _ in loaded[day]] + new_by_day.get(day, []))
            if day >= dmax:
                fresh = {frozenset(m.member_id for m in cl) for cl in open_ if first_day(cl) == day}
                prev_day = {eid for _, eid in loaded[day - 1]}
                stored: dict[str, set[str]] = defaultdict(set)
                for m, eid in loaded[day]:
                    if eid not in prev_day:
                        stored[eid].add(m.member_id)
                if fresh == {frozenset(v) for v in stored.values()}:
                    # Clusters that start this day stand as stored, and so does everything after.
                    out += [cl for cl in open_ if first_day(cl) < day]
                    return out, replaced - set(stored)
            day += 1

    def _remerge(self, con, members: list[Member], now: _dt.datetime) -> list[MergedEvent]:
        """Re-cluster what the new members can touch; write the merged events that changed."""
        blocks: dict[tuple, list[Member]] = defaultdict(list)
        for m in members:
            blocks[block_key(m)].append(m)
        result: list[list[Member]] = []
        replaced: set[str] = set()
        for (fam, undated_day), new in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            if undated_day is None:
                cls, ids = self._recluster_days(con, fam, new)
                result += cls
                replaced |= ids
                continue
            ids = {m.member_id for m in new}
            # block_key files undated events of an undated report under day "": those rows have a NULL report_date.
            day_sql, day_params = ("report_date = ?", [undated_day]) if undated_day else ("report_date IS NULL", [])
            stored = [(m, eid) for m, eid in self._load(
                con, f"family = ? AND event_date IS NULL AND {day_sql}", [fam, *day_params]
            ) if m.member_id not in ids]
            replaced |= {eid for _, eid in stored}
            result += clusters([m for m, _ in stored] + new)
        replaced.discard(None)
        old_sets: dict[frozenset, str] = {}
        if replaced:
            groups: dict[str, set[str]] = defaultdict(set)
            for eid, mid in con.execute(
                f"SELECT event_id, member_id FROM report_events WHERE event_id IN ({_qs(replaced)})", list(replaced)
            ).fetchall():
                groups[eid].add(mid)
            old_sets = {frozenset(v): k for k, v in groups.items()}
        changed = [cl for cl in result if frozenset(m.member_id for m in cl) not in old_sets]
        kept = {frozenset(m.member_id for m in cl) for cl in result}
        gone = [eid for st, eid in old_sets.items() if st not in kept]
        if gone:
            con.execute(f"DELETE FROM events WHERE event_id IN ({_qs(gone)})", gone)
        merged = [merge_cluster(cl) for cl in changed]
        self._insert_merged(con, merged, now)
        return merged

    def _insert_merged(self, con, merged: list[MergedEvent], now: _dt.datetime) -> None:
        rows = []
        for me in merged:
            e = me.event
            rows.append([
                e.event_id, family(e), e.event_date, e.event_type, e.sub_event_type, e.country,
                e.admin1, e.latitude, e.longitude, e.fatalities, me.corroboration,
                "; ".join(me.sources), len(me.members), _merged_json(me), now,
            ])
        if rows:
            _insert_rows(con, "events", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            for me in merged:
                con.execute(f"UPDATE report_events SET event_id = ? WHERE member_id IN ({_qs(me.members)})",
                            [me.event.event_id, *me.members])

    def record_failure(self, name: str, reason: str, url: str | None = None) -> None:
        """Remember an input that could not be ingested (replacing an earlier failure of it)."""
        rid = "failed-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
        con = self._writer()
        try:
            con.execute("BEGIN")
            con.execute("DELETE FROM reports WHERE id = ?", [rid])
            con.execute(
                "INSERT INTO reports (id, doc_id, url, ingested_at, status, reason) VALUES (?, ?, ?, ?, 'failed', ?)",
                [rid, name, url, _utcnow(), reason],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            self._maybe_release()

    def remerge_all(self) -> int:
        """Recompute every merged event from the stored report events; return how many there are."""
        con = self._writer()
        try:
            con.execute("BEGIN")
            members = [m for m, _ in self._load(con, "true", [])]
            merged = merge_members(members)
            old = {eid: (data, ts) for eid, data, ts in con.execute(
                "SELECT event_id, data, updated_at FROM events").fetchall()}
            con.execute("DELETE FROM events")
            now = _utcnow()
            self._insert_merged(con, merged, now)
            # An event that came out the same keeps its timestamp.
            for me in merged:
                prev = old.get(me.event.event_id)
                if prev and prev[0] == _merged_json(me):
                    con.execute("UPDATE events SET updated_at = ? WHERE event_id = ?", [prev[1], me.event.event_id])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            self.release()
        return len(merged)

    # -- reading -----------------------------------------------------------

    def events(
        self,
        date_from: str | None = None,
        date_to: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        since: str | None = None,
        today: _dt.date | None = None,
    ) -> list[MergedEvent]:
        """Merged events, oldest first, filtered by date range, country, admin1 and (sub-)event type.

        since: "24h", "7d", "2w": the days before today, or before the newest event
        when the store holds nothing that recent (an archive is read as of its last
        day).  Event dates are days, so "24h" means that day and the day before.
        """
        date_from, date_to = parse_date(date_from), parse_date(date_to)
        if since:
            days = since_days(since)
            today = today or _dt.date.today()
            newest = self.newest_event_date()
            anchor = min(today, _dt.date.fromisoformat(newest)) if newest else today
            days = min(days, anchor.toordinal() - 1)  # "99999999d": everything, not an overflow
            date_from = max(date_from or "", (anchor - _dt.timedelta(days=days)).isoformat())
            date_to = min(date_to or "9999", anchor.isoformat())
        where, params = [], []
        if date_from:
            where.append("event_date >= ?")
            params.append(date_from)
        if date_to:
            where.append("event_date <= ?")
            params.append(date_to)
        if admin1:
            where.append("lower(admin1) = lower(?)")
            params.append(admin1)
        if event_type:
            where.append("(lower(event_type) = lower(?) OR lower(sub_event_type) = lower(?))")
            params += [event_type, event_type]
        sql = "SELECT data, updated_at, country FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date NULLS LAST, event_id"
        with self._reading() as con:
            rows = con.execute(sql, params).fetchall()
        if country:
            rows = [r for r in rows if _same_country(r[2], country)]
        return [merged_from_row(data, ts) for data, ts, _ in rows]

    def newest_event_date(self) -> str | None:
        with self._reading() as con:
            d = con.execute("SELECT max(event_date) FROM events").fetchone()[0]
        return d.isoformat() if d else None

    def counts(self) -> dict[str, int]:
        """How many reports (by status), report events, mentions and merged events are stored."""
        with self._reading() as con:
            out = {f"reports_{s}": n for s, n in con.execute(
                "SELECT status, count(*) FROM reports GROUP BY status").fetchall()}
            for table in ("reports", "report_events", "mentions", "events"):
                out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Run a read-only SQL query against the store (for checks and ad-hoc questions)."""
        with self._reading() as con:
            return con.execute(sql, list(params)).fetchall()


def since_days(value: str) -> int:
    """Whole days covered by a --since value such as 24h, 36h, 7d or 2w."""
    m = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", value.lower())
    if not m or int(m.group(1)) == 0:
        raise InputError(f"invalid --since {value!r}: expected a duration like 24h, 7d or 2w")
    n, unit = int(m.group(1)), m.group(2)
    return {"h": -(-n // 24), "d": n, "w": 7 * n}[unit]


def _insert_rows(con, table: str, placeholder: str, rows: list[list]) -> None:
    # One statement per few hundred rows: DuckDB's executemany runs one statement per row.
    for i in range(0, len(rows), 500):
        chunk = rows[i:i + 500]
        con.execute(f"INSERT INTO {table} VALUES " + ", ".join(placeholder for _ in chunk),
                    [x for row in chunk for x in row])


def _ordinal(date: str) -> int:
    return _dt.date.fromisoformat(date[:10]).toordinal()


def _qs(items) -> str:
    return ", ".join("?" for _ in items)


def _member(row) -> Member:
    mid, rid, outlet, rdate, data = row
    return Member(mid, rid, outlet, rdate.isoformat() if rdate else None, event_from_dict(json.loads(data)))


def _same_country(stored: str | None, wanted: str) -> bool:
    from .export import country_codes

    if stored is None:
        return False
    if stored.lower() == wanted.strip().lower():
        return True
    a, b = country_codes(stored), country_codes(wanted.strip())
    return bool(a and b and a[0] == b[0])
