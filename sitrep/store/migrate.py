"""Upgrading a store written by an older sitrep, in place and in one transaction.

Schema 1 and 2 (DuckDB only) kept each event as JSON text.  Upgrading reads every
report event, writes it as typed columns, and recomputes the merged events from
them; an event that comes out with the same id keeps its last-change time.
Reports and mentions keep their tables.
"""

from __future__ import annotations

import datetime as _dt
import json

from ..errors import StoreError
from ..merge import Member, merge_members
from ..model import Event, Evidence
from .backend import Conn
from .rows import columns_of, member_values
from .schema import SCHEMA_VERSION, create_statements
from .write import write_merged

_EVENT_FIELDS = set(Event.__dataclass_fields__)
_LEGACY_INDEXES = ("report_events_member", "report_events_event", "events_event", "report_events_day")


def _event(d: dict) -> Event:
    kw = {k: v for k, v in d.items() if k in _EVENT_FIELDS}
    kw["evidence"] = [Evidence(**ev) for ev in kw.get("evidence") or []]
    return Event(**kw)


def upgrade(conn: Conn, version: int, now: _dt.datetime) -> None:
    """Bring a store of an older schema version to the current one."""
    if conn.dialect != "duckdb" or version not in (1, 2):
        raise StoreError(f"store schema v{version} has no upgrade path to v{SCHEMA_VERSION}")
    for name in _LEGACY_INDEXES:
        conn.run(f"DROP INDEX IF EXISTS {name}")
    conn.run("ALTER TABLE report_events RENAME TO report_events_legacy")
    conn.run("ALTER TABLE events RENAME TO events_legacy")
    for sql in create_statements(conn.dialect):
        if sql.startswith(("CREATE TABLE report_events", "CREATE TABLE events")):
            conn.run(sql)
    members, rows = [], []
    for mid, rid, idx, outlet, rdate, data in conn.rows(
            "SELECT member_id, report_id, idx, outlet, report_date, data FROM report_events_legacy ORDER BY member_id"):
        m = Member(mid, rid, outlet, rdate.isoformat() if rdate else None, _event(json.loads(data)))
        members.append(m)
        rows.append(member_values(m, idx))
    conn.insert("report_events", columns_of(rows, "report_events"))
    stamps = dict(conn.rows("SELECT event_id, updated_at FROM events_legacy"))
    merged = merge_members(members)
    write_merged(conn, merged, [], now)
    for me in merged:
        if me.event.event_id in stamps:
            conn.run("UPDATE events SET updated_at = ? WHERE event_id = ?", [stamps[me.event.event_id], me.event.event_id])
    conn.run("DROP TABLE report_events_legacy")
    conn.run("DROP TABLE events_legacy")
    conn.run("INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION, now])
