"""Events to the store's columns and back, row by row or as whole columns for a bulk insert."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

from ..merge import Member, MergedEvent, family, norm_name
from ..model import Event, Evidence
from .schema import EVENT_COLUMNS, column_names

EVENT_FIELDS = [name for name, _ in EVENT_COLUMNS if not name.startswith("ev_")]
_N_EVENT = len(EVENT_COLUMNS)
_DATE_FIELDS = frozenset({"event_date"})


def as_date(value: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(value[:10]) if value else None


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def event_values(e: Event) -> list[Any]:
    """An event's values in EVENT_COLUMNS order (the evidence as five parallel lists)."""
    out: list[Any] = []
    for name in EVENT_FIELDS:
        v = getattr(e, name)
        out.append(as_date(v) if name in _DATE_FIELDS else v)
    ev = e.evidence
    out += [[x.line for x in ev], [x.text for x in ev], [x.doc_id for x in ev],
            [x.source for x in ev], [x.attribution for x in ev]]
    return out


def event_from_values(event_id: str, values: Sequence[Any]) -> Event:
    """The Event of a row's EVENT_COLUMNS values (as event_values wrote them)."""
    kw = dict(zip(EVENT_FIELDS, values))
    kw["event_id"] = event_id
    kw["event_date"] = iso(kw["event_date"])
    lines, texts, docs, sources, attrs = values[len(EVENT_FIELDS):_N_EVENT]
    kw["evidence"] = [Evidence(line=ln, text=t, doc_id=d, source=s, attribution=a)
                      for ln, t, d, s, a in zip(lines or (), texts or (), docs or (), sources or (), attrs or ())]
    return Event(**kw)


def place_keys(e: Event) -> tuple[str | None, str | None]:
    """The names the merge looks neighbours up by: the location, and the district of an imprecise place."""
    return norm_name(e.location), (norm_name(e.admin2) if e.geo_precision >= 2 else None)


def member_values(m: Member, idx: int) -> list[Any]:
    """A report event's row of report_events (event_id left empty until merging)."""
    pk, ak = place_keys(m.event)
    keys = [m.member_id, m.report_id, idx, family(m.event), as_date(m.report_date), m.outlet, pk, ak,
            m.event.event_id, None]
    return keys + event_values(m.event)


MEMBER_SELECT = ", ".join(["member_id", "report_id", "outlet", "report_date", "event_id", "own_event_id"]
                          + [n for n, _ in EVENT_COLUMNS])


def member_from_row(row: Sequence[Any]) -> tuple[Member, str | None]:
    """A (Member, merged event id) from a row selected with MEMBER_SELECT."""
    mid, rid, outlet, rdate, eid, own = row[:6]
    return Member(mid, rid, outlet, iso(rdate), event_from_values(own, row[6:])), eid


def merged_values(me: MergedEvent, country_code: str | None, now: _dt.datetime) -> list[Any]:
    """A merged event's row of events."""
    e = me.event
    lo, hi = me.fatalities_range or (None, None)
    return ([e.event_id, family(e), country_code] + event_values(e)
            + [me.corroboration, list(me.sources), list(me.members), len(me.members), lo, hi, now])


MERGED_SELECT = ", ".join(["event_id"] + [n for n, _ in EVENT_COLUMNS]
                          + ["corroboration", "sources", "members", "fatalities_min", "fatalities_max", "updated_at"])


def merged_from_row(row: Sequence[Any]) -> MergedEvent:
    """A MergedEvent from a row selected with MERGED_SELECT."""
    event = event_from_values(row[0], row[1:1 + _N_EVENT])
    corroboration, sources, members, lo, hi, updated = row[1 + _N_EVENT:]
    ts = updated.replace(tzinfo=_dt.timezone.utc).timestamp() if updated else 0
    return MergedEvent(
        event=event, members=list(members or []), sources=list(sources or []),
        corroboration=corroboration or 1,
        fatalities_range=(lo, hi) if lo is not None and hi is not None else None,
        timestamp=int(ts),
    )


def columns_of(rows: Iterable[Sequence[Any]], table: str) -> dict[str, list[Any]]:
    """Rows turned into one list per column of the table, for a bulk insert."""
    names = column_names(table)
    cols: list[list[Any]] = [[] for _ in names]
    for row in rows:
        for col, v in zip(cols, row):
            col.append(v)
    return dict(zip(names, cols))
