"""Review: editors correct coded fields or reject events, with a reason; every change is an audit record.

A correction is stored against the event's *members* (each report's own telling, whose
id comes from the report's text and never changes), not against the merged event id,
which can change when another outlet's report joins the event.  So corrections survive
re-ingest and cross-outlet re-merge: a merged event shows every correction made to
any of its members, in the order they were made.  Corrections are applied when events
are read (`apply`), so the extractor's own coding stays in the store beside them.

Each record says who, when, which field, the old and the new value, and why.  A
rejection is a record of the field "status" going from "active" to "rejected";
rejected events leave the brief, the map and the exports (they stay on their own page).
"""

from __future__ import annotations

import datetime as _dt
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .errors import InputError
from .merge import MergedEvent
from .model import EVENT_TYPES, SUB_EVENT_TO_TYPE
from .settings import parse_date
from .store import Store
from .tables import ensure_tables, writing

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS corrections (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        members TEXT NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        reason TEXT NOT NULL,
        author TEXT NOT NULL,
        made_at TIMESTAMP NOT NULL)""",
]
STATUS = "status"
TEXT_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "country", "admin1", "admin2", "location", "notes")
FIELDS = ("event_date", "event_type", "sub_event_type", *TEXT_FIELDS, "inter1", "inter2", "latitude", "longitude",
          "geo_precision", "fatalities", "injured", STATUS)
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class Correction:
    """One audit record: who changed which field of which event, from what to what, when and why."""

    id: str
    event_id: str  # the merged event's id when the change was made
    members: tuple[str, ...]
    field: str
    old: object
    new: object
    reason: str
    author: str
    made_at: _dt.datetime


@dataclass(slots=True)
class Reviewed(MergedEvent):
    """A merged event with its corrections applied: `reviewed` once any was made, `rejected` if rejected."""

    reviewed: bool = False
    rejected: bool = False
    corrections: list[Correction] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = MergedEvent.to_dict(self)
        d["reviewed"] = self.reviewed
        d["rejected"] = self.rejected
        return d


# -- values ----------------------------------------------------------------------

def _int(name: str, text: str, lo: int, hi: int | None) -> int:
    try:
        v = int(text)
    except ValueError:
        raise InputError(f"{name}: {text!r} is not a whole number") from None
    if v < lo or (hi is not None and v > hi):
        raise InputError(f"{name}: {v} is out of range ({lo}–{hi if hi is not None else '…'})")
    return v


def _float(name: str, text: str, bound: float) -> float:
    try:
        v = float(text)
    except ValueError:
        raise InputError(f"{name}: {text!r} is not a number") from None
    if not -bound <= v <= bound:
        raise InputError(f"{name}: {v} is out of range (−{bound:g}–{bound:g})")
    return round(v, 6)


def parse_value(name: str, text: str | None):
    """A form's text as the field's value (None for empty); InputError if it is not a valid one."""
    text = (text or "").strip()
    if name not in FIELDS:
        raise InputError(f"{name!r} is not a field that can be corrected")
    if name == STATUS:
        if text not in ("active", "rejected"):
            raise InputError("status: 'active' or 'rejected'")
        return text
    if not text:
        if name in ("event_type", "sub_event_type", "geo_precision"):
            raise InputError(f"{name}: a value is required")
        return None
    if name in ("inter1", "inter2"):
        return _int(name, text, 1, 8)
    if name == "geo_precision":
        return _int(name, text, 1, 3)
    if name in ("fatalities", "injured"):
        return _int(name, text, 0, None)
    if name in ("latitude", "longitude"):
        return _float(name, text, 90.0 if name == "latitude" else 180.0)
    if name == "event_date":
        return parse_date(text)
    if name == "event_type" and text not in EVENT_TYPES:
        raise InputError(f"event_type: {text!r} is not an ACLED event type")
    if name == "sub_event_type" and text not in SUB_EVENT_TO_TYPE:
        raise InputError(f"sub_event_type: {text!r} is not an ACLED sub-event type")
    if len(text) > MAX_TEXT:
        raise InputError(f"{name}: longer than {MAX_TEXT} characters")
    return " ".join(text.split())


def current(me: MergedEvent, name: str):
    """A field's value as shown now."""
    if name == STATUS:
        return "rejected" if getattr(me, "rejected", False) else "active"
    return getattr(me.event, name)


def _encode(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _decode(text: str | None):
    return None if text is None else json.loads(text)


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def _apply_one(me: MergedEvent, history: list[Correction]) -> Reviewed:
    """The event with each correction of its history applied, oldest first."""
    changes, rejected = {}, False
    for c in history:
        if c.field == STATUS:
            rejected = c.new == "rejected"
        else:
            changes[c.field] = c.new
    event = replace(me.event, **changes) if changes else me.event
    base = {f: getattr(me, f) for f in ("members", "sources", "corroboration", "fatalities_range", "timestamp")}
    if "fatalities" in changes:
        base["fatalities_range"] = None  # the editor's figure replaces the outlets' range
    if changes.keys() - {"notes"} and "notes" not in changes:
        from .notes import describe

        event.notes = describe(event)  # the note tells the corrected fields, not the coder's
    return Reviewed(event=event, **base, reviewed=bool(history), rejected=rejected, corrections=list(history))


class Review:
    """The corrections table of one store: record changes, read an event's history, apply them to events.

    create: make the table if the store lacks it (a read-only store without one simply has no corrections).
    """

    def __init__(self, store: Store, create: bool = True) -> None:
        self.store = store
        if create and not store.read_only:
            ensure_tables(store, SCHEMA)

    def _exists(self) -> bool:
        return bool(self.store.query("SELECT count(*) FROM information_schema.tables "
                                     "WHERE table_name = 'corrections' AND table_schema = current_schema()")[0][0])

    def all(self) -> list[Correction]:
        if not self._exists():
            return []
        rows = self.store.query("SELECT id, event_id, members, field, old_value, new_value, reason, author, made_at "
                                "FROM corrections ORDER BY made_at, id")
        return [Correction(r[0], r[1], tuple(json.loads(r[2])), r[3], _decode(r[4]), _decode(r[5]), r[6], r[7], r[8])
                for r in rows]

    def history(self, me: MergedEvent) -> list[Correction]:
        """Every correction made to any of the event's members, oldest first."""
        mine = set(me.members)
        return [c for c in self.all() if mine.intersection(c.members)]

    def apply(self, events: Iterable[MergedEvent], include_rejected: bool = False) -> list[Reviewed]:
        """The events with their corrections applied (each a Reviewed, with its `reviewed` flag, so every
        export and API answer carries the flag); rejected ones left out unless include_rejected."""
        by_member: dict[str, list[Correction]] = defaultdict(list)
        for c in self.all():
            for m in c.members:
                by_member[m].append(c)
        out = []
        for me in events:
            found = {c.id: c for m in me.members for c in by_member.get(m, ())}
            reviewed = _apply_one(me, sorted(found.values(), key=lambda c: (c.made_at, c.id)))
            if include_rejected or not reviewed.rejected:
                out.append(reviewed)
        return out

    def correct(self, me: MergedEvent, changes: dict[str, str | None], reason: str, author: str) -> list[Correction]:
        """Record the changed fields of one event (unchanged ones are skipped); return the new records.

        changes: field -> the form's text.  A new sub-event type brings its event type along; a new
        place name without coordinates is looked up in the gazetteer for them.
        """
        reason = " ".join((reason or "").split())
        if not reason:
            raise InputError("a reason is required for every correction")
        if len(reason) > MAX_TEXT:
            raise InputError(f"reason: longer than {MAX_TEXT} characters")
        shown = self.apply([me], include_rejected=True)[0]
        values = {name: parse_value(name, text) for name, text in changes.items()}
        values = _consistent(shown, values)
        made_at, records = _now(), []
        for name, new in values.items():
            old = current(shown, name)
            if new != old and not (isinstance(old, str) and new == " ".join(old.split())):
                # Ids sort as the records were made: by time, then by their order in one change.
                cid = f"c{made_at:%Y%m%d%H%M%S%f}-{len(records):02d}-{secrets.token_hex(4)}"
                records.append(Correction(cid, me.event.event_id, tuple(me.members), name, old, new, reason, author,
                                          made_at))
        with writing(self.store) as con:
            for c in records:
                con.run("INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [c.id, c.event_id, json.dumps(list(c.members)), c.field, _encode(c.old), _encode(c.new),
                             c.reason, c.author, c.made_at])
        return records

    def reject(self, me: MergedEvent, reason: str, author: str) -> list[Correction]:
        return self.correct(me, {STATUS: "rejected"}, reason, author)


def _consistent(shown: MergedEvent, values: dict) -> dict:
    """Values that agree with each other: the event type follows a new sub-event type; a new place gets coordinates."""
    sub = values.get("sub_event_type")
    if sub and values.get("event_type", SUB_EVENT_TO_TYPE[sub]) != SUB_EVENT_TO_TYPE[sub]:
        raise InputError(f"sub_event_type {sub!r} belongs to {SUB_EVENT_TO_TYPE[sub]!r}, not {values['event_type']!r}")
    if sub:
        values["event_type"] = SUB_EVENT_TO_TYPE[sub]
    elif values.get("event_type") and values["event_type"] != shown.event.event_type:
        raise InputError("a new event type needs its sub-event type")
    place = values.get("location")
    if place and place != shown.event.location and "latitude" not in values and "longitude" not in values:
        for key, value in geocode(place, values.get("country") or shown.event.country).items():
            values.setdefault(key, value)
    return values


def geocode(name: str, country: str | None) -> dict:
    """Coordinates, admin1 and precision of a place name from the gazetteer (empty if it has none)."""
    from .countries import country_codes
    from .gazetteer import Gazetteer

    codes = country_codes(country)
    found = Gazetteer.default().lookup(name, codes[0] if codes else None)
    if not found:
        raise InputError(f"location: {name!r} is not in the gazetteer{f' for {country}' if country else ''}; "
                         "give its latitude and longitude too")
    p = found[0]
    return {"latitude": round(p.latitude, 6), "longitude": round(p.longitude, 6), "admin1": p.admin1,
            "geo_precision": p.precision}


def stored_event(store: Store, event_id: str) -> MergedEvent | None:
    """One merged event by id, as the extractor and merge left it (no corrections), or None."""
    return store.event(event_id)


def reviewed_events(store: Store, include_rejected: bool = False, **filters) -> list[MergedEvent]:
    """store.events(**filters) with the store's corrections applied (rejected events left out unless asked).

    An event whose corrected date, country, region or type no longer passes the filters is left out
    too (the store filtered on the extractor's values).
    """
    return reviewed(Review(store, create=False), store.events(**filters), filters, include_rejected)


def reviewed(review: Review, events: Iterable[MergedEvent], filters: dict,
             include_rejected: bool = False) -> list[MergedEvent]:
    """Events as read with `filters` (store.events' names), corrected, without those the corrections moved out."""
    out = review.apply(events, include_rejected)
    return [me for me in out if not getattr(me, "reviewed", False) or _still_matches(me, filters)]


def _still_matches(me: MergedEvent, filters: dict) -> bool:
    from .countries import same_country

    e = me.event
    wanted_type = (filters.get("event_type") or "").lower()
    date_from, date_to = parse_date(filters.get("date_from")), parse_date(filters.get("date_to"))
    checks = (
        not date_from or (e.event_date or "") >= date_from,
        not date_to or (e.event_date is not None and e.event_date <= date_to),
        not filters.get("country") or same_country(e.country, filters["country"]),
        not filters.get("admin1") or (e.admin1 or "").lower() == filters["admin1"].lower(),
        not wanted_type or wanted_type in (e.event_type.lower(), e.sub_event_type.lower()),
    )
    return all(checks)
