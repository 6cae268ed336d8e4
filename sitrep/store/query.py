"""Event filters as SQL: dates, country (by name or code), region, type, actor (with its aliases), outlets.

Results come oldest first, in pages: a page's cursor is its last event's (date, id), and
the next page starts after it, so a page costs the same however deep it is and an
event stored meanwhile neither shifts nor repeats the pages after it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import InputError
from ..settings import parse_date

ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


@dataclass(slots=True)
class EventQuery:
    """What to select; every field optional."""

    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None
    min_corroboration: int = 1


@functools.cache
def _actor_index() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Every actor name and alias (casefolded) -> (canonical names, name prefixes of per-country names)."""
    from ..actors import ActorTable

    table = ActorTable.default().actors
    names: dict[str, set[str]] = {}
    prefixes: dict[str, set[str]] = {}

    def canonical(aid: str) -> tuple[str | None, str | None]:
        a = table.get(aid) or {}
        if a.get("name_template"):
            return None, a["name_template"].split("{")[0]
        return a.get("name"), None

    for aid, a in table.items():
        targets = [aid, *(a.get("by_country") or {}).values()]
        forms = [a.get("name"), *(a.get("aliases") or ()), *(a.get("cased_aliases") or ())]
        for form in filter(None, forms):
            key = form.casefold()
            for t in targets:
                name, prefix = canonical(t)
                if name:
                    names.setdefault(key, set()).add(name)
                if prefix:
                    prefixes.setdefault(key, set()).add(prefix)
    keys = set(names) | set(prefixes)
    return {k: (frozenset(names.get(k, ())), frozenset(prefixes.get(k, ()))) for k in keys}


def actor_names(actor: str) -> tuple[frozenset[str], frozenset[str]]:
    """The canonical names (and per-country name prefixes) an actor's name or alias stands for."""
    return _actor_index().get(actor.strip().casefold(), (frozenset(), frozenset()))


def _actor_sql(actor: str) -> tuple[str, list]:
    needle = actor.strip().casefold()
    names, prefixes = actor_names(actor)
    parts, params = [], []
    for col in ACTOR_COLUMNS:
        parts.append(f"strpos(lower({col}), ?) > 0")
        params.append(needle)
        for prefix in sorted(prefixes):
            parts.append(f"strpos({col}, ?) = 1")
            params.append(prefix)
        if names:
            parts.append(f"{col} IN ({', '.join('?' for _ in names)})")
            params += sorted(names)
    return "(" + " OR ".join(parts) + ")", params


def country_sql(country: str, known_name) -> tuple[str, list]:
    """A country filter; an unknown country is an InputError (a typo is not 'no events')."""
    from ..countries import country_codes

    codes = country_codes(country.strip())
    if codes:
        return "(country_code = ? OR lower(country) = lower(?))", [codes[0], country.strip()]
    if known_name(country.strip()):
        return "lower(country) = lower(?)", [country.strip()]
    raise InputError(f"unknown country {country!r}: give a country name or an ISO code (Syria, SY, SYR)")


def where_sql(q: EventQuery, known_country) -> tuple[list[str], list]:
    """The WHERE conditions and their parameters for a query."""
    where: list[str] = []
    params: list = []
    if q.date_from:
        where.append("event_date >= ?")
        params.append(q.date_from)
    if q.date_to:
        where.append("event_date <= ?")
        params.append(q.date_to)
    if q.country:
        sql, p = country_sql(q.country, known_country)
        where.append(sql)
        params += p
    if q.admin1:
        where.append("lower(admin1) = lower(?)")
        params.append(q.admin1)
    if q.event_type:
        where.append("(lower(event_type) = lower(?) OR lower(sub_event_type) = lower(?))")
        params += [q.event_type, q.event_type]
    if q.actor:
        sql, p = _actor_sql(q.actor)
        where.append(sql)
        params += p
    if q.min_corroboration > 1:
        where.append("corroboration >= ?")
        params.append(q.min_corroboration)
    return where, params


def order_sql(newest_first: bool) -> str:
    """Oldest first (undated last), or newest first (undated last); ties by event id."""
    d = " DESC" if newest_first else ""
    return f" ORDER BY event_date{d} NULLS LAST, event_id{d}"


def cursor_sql(after: str, newest_first: bool = False) -> tuple[str, list]:
    """Events after a cursor in order_sql's order."""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})?~(.+)", after or "")
    if not m:
        raise InputError(f"invalid page cursor {after!r}")
    day, eid = m.group(1), m.group(2)
    cmp = "<" if newest_first else ">"
    if day is None:
        return f"(event_date IS NULL AND event_id {cmp} ?)", [eid]
    day = parse_date(day)
    return (f"(event_date {cmp} ? OR (event_date = ? AND event_id {cmp} ?) OR event_date IS NULL)", [day, day, eid])


def cursor_of(event_date: str | None, event_id: str) -> str:
    return f"{event_date or ''}~{event_id}"
