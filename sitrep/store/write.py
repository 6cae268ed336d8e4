"""Writing a batch of reports: their rows in bulk, then the merge of only what they touch.

A batch is one transaction: its reports, their events and mentions, and the re-merge
of every stored event the new events can join, so a killed process leaves the store
as before the batch.  The merge reads only the stored members a new member can reach
through members that might be the same event (same family, a day apart, within 50 km
or the same place name), on the days around the new ones: clustering splits along
those links, so the result is the one a full re-merge gives, whatever the batch size.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..geo import EARTH_RADIUS_KM
from ..merge import (
    SAME_NAME_KM,
    Member,
    MergedEvent,
    Window,
    _day,
    block_key,
    clusters,
    family,
    merge_cluster,
    recluster_window,
)
from ..model import Event, Report
from .backend import Conn, chunks
from .rows import (
    MEMBER_SELECT,
    as_date,
    columns_of,
    member_from_row,
    member_values,
    merged_values,
)

# Days a window grows by when its clusters still differ from the stored ones at its end.
WIDEN_DAYS = 7


@dataclass(slots=True)
class AddResult:
    """What storing one report did."""

    status: str  # "new", "seen"
    report_id: str
    events_new: int = 0  # the report's events that no earlier report told
    events_merged: int = 0  # the report's events merged with an earlier report's


@dataclass(slots=True)
class Prepared:
    """A report ready to store: its id is the first 16 hex digits of its text's hash."""

    report: Report
    events: list[Event]
    content_hash: str
    report_id: str
    members: list[Member] = field(default_factory=list)


def qs(items) -> str:
    return ", ".join("?" for _ in items)


def stored_ids(conn: Conn, ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for part in chunks(sorted(set(ids)), 500):
        out |= {r[0] for r in conn.rows(f"SELECT id FROM reports WHERE id IN ({qs(part)})", list(part))}
    return out


def store_batch(conn: Conn, batch: Sequence[Prepared], now: _dt.datetime) -> list[AddResult]:
    """Store the reports not stored yet (the first of two equal texts wins) and merge their events."""
    have = stored_ids(conn, [p.report_id for p in batch])
    fresh: list[Prepared] = []
    results: list[AddResult] = []
    for p in batch:
        if p.report_id in have:
            results.append(AddResult("seen", p.report_id))
            continue
        have.add(p.report_id)
        fresh.append(p)
        results.append(AddResult("new", p.report_id))
    if fresh:
        _drop_failures(conn, fresh)
        _insert_reports(conn, fresh, now)
        merged = merge_new(conn, [m for p in fresh for m in p.members], now)
        _count(fresh, merged, {r.report_id: r for r in results})
    return results


def _drop_failures(conn: Conn, fresh: Sequence[Prepared]) -> None:
    # A report that failed before (say, a URL that was down) and now arrives replaces its failure.
    keys = sorted({k for p in fresh for k in (p.report.url, p.report.doc_id) if k})
    for part in chunks(keys, 400):
        conn.run(f"DELETE FROM reports WHERE status = 'failed' AND (url IN ({qs(part)}) OR doc_id IN ({qs(part)}))",
                 list(part) + list(part))


def _insert_reports(conn: Conn, fresh: Sequence[Prepared], now: _dt.datetime) -> None:
    reports, members, mentions = [], [], []
    for p in fresh:
        r, n = p.report, len(p.events)
        reports.append([p.report_id, r.doc_id, r.source, r.url, r.title, as_date(r.date), p.content_hash, r.text,
                        n, now, "ok" if n else "no_events", None if n else "no events found"])
        p.members = [Member(f"{p.report_id}-{i:03d}", p.report_id, r.source, r.date, e)
                     for i, e in enumerate(p.events)]
        for i, m in enumerate(p.members):
            members.append(member_values(m, i))
            for ev in m.event.evidence:
                att = ev.attribution if ev.attribution is not None else m.event.attribution
                mentions.append([m.member_id, p.report_id, ev.line, ev.text, att, r.source])
    conn.insert("reports", columns_of(reports, "reports"))
    conn.insert("report_events", columns_of(members, "report_events"))
    conn.insert("mentions", columns_of(mentions, "mentions"))


def _count(fresh: Sequence[Prepared], merged: list[MergedEvent], results: dict[str, AddResult]) -> None:
    """Per report: its events merged with an earlier report's telling (stored before, or earlier in the batch)."""
    order = {p.report_id: i for i, p in enumerate(fresh)}
    for me in merged:
        by_report: dict[str, int] = defaultdict(int)
        for mid in me.members:
            by_report[mid.rsplit("-", 1)[0]] += 1
        for rid, mine in by_report.items():
            if rid not in order:
                continue
            earlier = any(other not in order or order[other] < order[rid] for other in by_report if other != rid)
            if earlier:
                results[rid].events_merged += mine
            else:
                results[rid].events_new += mine


# -- merging --------------------------------------------------------------------


def merge_new(conn: Conn, new: list[Member], now: _dt.datetime) -> list[MergedEvent]:
    """Re-cluster what the new members can touch; write the merged events that changed."""
    result: list[list[Member]] = []
    replaced: set[str] = set()
    seen: list[tuple[Member, str | None]] = []  # every stored member looked at, with its merged event id
    for w, (cls, ids) in dated_windows(conn, [m for m in new if m.event.event_date]):
        result += cls
        replaced |= ids
        seen += w.stored
    for stored, fresh in _undated_blocks(conn, [m for m in new if not m.event.event_date]):
        replaced |= {eid for _, eid in stored}
        result += clusters([m for m, _ in stored] + fresh)
        seen += stored
    replaced.discard(None)
    groups: dict[str, set[str]] = defaultdict(set)
    for m, eid in seen:
        if eid in replaced:
            groups[eid].add(m.member_id)
    old_sets = {frozenset(v): k for k, v in groups.items()}
    changed = [cl for cl in result if frozenset(m.member_id for m in cl) not in old_sets]
    kept = {frozenset(m.member_id for m in cl) for cl in result}
    gone = sorted(eid for st, eid in old_sets.items() if st not in kept)
    merged = [merge_cluster(cl) for cl in changed]
    write_merged(conn, merged, gone, now)
    return merged


def write_merged(conn: Conn, merged: list[MergedEvent], gone: list[str], now: _dt.datetime) -> None:
    """Delete the merged events that are gone, insert the changed ones, point their members at them."""
    from ..export import country_codes

    if gone:
        name = conn.stage("_sitrep_gone", {"event_id": "TEXT"}, {"event_id": gone})
        conn.run(f"DELETE FROM events WHERE event_id IN (SELECT event_id FROM {name})")
    if not merged:
        return
    rows = []
    for me in merged:
        codes = country_codes(me.event.country)
        rows.append(merged_values(me, codes[0] if codes else None, now))
    conn.insert("events", columns_of(rows, "events"))
    mids = [mid for me in merged for mid in me.members]
    eids = [me.event.event_id for me in merged for _ in me.members]
    name = conn.stage("_sitrep_ids", {"member_id": "TEXT", "event_id": "TEXT"}, {"member_id": mids, "event_id": eids})
    conn.run(f"UPDATE report_events SET event_id = u.event_id FROM {name} u "
             "WHERE report_events.member_id = u.member_id")


def _undated_blocks(conn: Conn, undated: list[Member]):
    """Per (family, report day) block of undated new members: the stored members of that block, and the new."""
    blocks: dict[tuple, list[Member]] = defaultdict(list)
    for m in undated:
        blocks[block_key(m)].append(m)
    ids = {m.member_id for m in undated}
    for (fam, day), fresh in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        # block_key files undated events of an undated report under day "": those rows have a NULL report_date.
        day_sql, params = ("report_date = ?", [as_date(day)]) if day else ("report_date IS NULL", [])
        rows = conn.rows(f"SELECT {MEMBER_SELECT} FROM report_events "
                         f"WHERE family = ? AND event_date IS NULL AND {day_sql}", [fam, *params])
        stored = [x for x in map(member_from_row, rows) if x[0].member_id not in ids]
        yield stored, fresh


# -- dated members: windows of nearby days, and the stored members they reach ---------


def windows_of(dated: list[Member]) -> list[Window]:
    """Per family, the new members split where two new days are more than four days apart.

    Each window loads two days either side of its new members, so windows made this way
    share no day, and each can be re-clustered from the store as it was before the batch.
    """
    by_family: dict[str, list[Member]] = defaultdict(list)
    for m in dated:
        by_family[family(m.event)].append(m)
    out = []
    for fam in sorted(by_family):
        ms = sorted(by_family[fam], key=lambda m: _day(m.event.event_date))
        run = [ms[0]]
        for m in ms[1:]:
            if _day(m.event.event_date) - _day(run[-1].event.event_date) > 4:
                out.append(_window(fam, run))
                run = []
            run.append(m)
        out.append(_window(fam, run))
    return out


def _window(fam: str, members: list[Member]) -> Window:
    days = [_day(m.event.event_date) for m in members]
    return Window(fam, members, min(days) - 2, max(days) + 2, [])


def _join_overlaps(windows: list[Window]) -> list[Window]:
    """Windows of one family that came to share a day become one."""
    out: list[Window] = []
    for w in sorted(windows, key=lambda w: (w.family, w.lo)):
        if out and out[-1].family == w.family and w.lo <= out[-1].hi:
            prev = out.pop()
            w = Window(w.family, prev.new + w.new, prev.lo, max(prev.hi, w.hi), [])
        out.append(w)
    return out


def dated_windows(conn: Conn, dated: list[Member]):
    """(window, (clusters, replaced ids)) for every window, each re-clustered until it stands as stored."""
    if not dated:
        return []
    windows = windows_of(dated)
    done: dict[int, tuple] = {}
    while True:
        todo = [w for w in windows if id(w) not in done]
        reach(conn, todo)
        wider = []
        for w in todo:
            r = recluster_window(w)
            if r is None:
                wider.append(w)
            else:
                done[id(w)] = r
        if not wider:
            return [(w, done[id(w)]) for w in windows]
        for w in wider:
            w.hi += WIDEN_DAYS
            w.stored = []
        joined = _join_overlaps(windows)
        keep = {id(w) for w in joined}
        done = {k: v for k, v in done.items() if k in keep}
        windows = joined


_NEAR_KM = SAME_NAME_KM + 1.0  # the farthest two coordinates the merge can join, and a margin for rounding
_NEIGHBOURS = f"""
SELECT DISTINCT s.member_id, f.wid
FROM report_events s JOIN _sitrep_frontier f ON s.family = f.family AND s.event_date = f.day
WHERE (s.country IS NULL OR f.country IS NULL OR s.country = f.country)
  AND (s.place_key = f.place_key OR s.admin2_key = f.admin2_key
       OR (s.latitude IS NOT NULL AND f.latitude IS NOT NULL
           AND 2 * {EARTH_RADIUS_KM} * asin(sqrt(least(1.0,
                 power(sin(radians(s.latitude - f.latitude) / 2), 2)
                 + cos(radians(f.latitude)) * cos(radians(s.latitude))
                   * power(sin(radians(s.longitude - f.longitude) / 2), 2)))) <= {_NEAR_KM}))"""

_FRONTIER_TYPES = {"family": "TEXT", "day": "DATE", "country": "TEXT", "place_key": "TEXT", "admin2_key": "TEXT",
                   "latitude": "DOUBLE", "longitude": "DOUBLE", "wid": "INTEGER"}


def reach(conn: Conn, windows: list[Window]) -> None:
    """Fill each window's stored members: everything linked to its new members, step by step."""
    from .rows import place_keys

    seen = {m.member_id for w in windows for m in w.new}
    frontier = [(m, i) for i, w in enumerate(windows) for m in w.new]
    while frontier:
        cols: dict[str, list] = {k: [] for k in _FRONTIER_TYPES}
        for m, wid in frontier:
            w, d = windows[wid], _day(m.event.event_date)
            pk, ak = place_keys(m.event)
            for day in range(max(d - 1, w.lo), min(d + 1, w.hi) + 1):
                for k, v in zip(cols, (w.family, _dt.date.fromordinal(day), m.event.country, pk, ak,
                                       m.event.latitude, m.event.longitude, wid)):
                    cols[k].append(v)
        name = conn.stage("_sitrep_frontier", _FRONTIER_TYPES, cols)
        hits = [(mid, wid) for mid, wid in conn.rows(_NEIGHBOURS.replace("_sitrep_frontier", name)) if mid not in seen]
        frontier = _load_members(conn, hits, windows, seen)


def _load_members(conn: Conn, hits: list[tuple[str, int]], windows: list[Window], seen: set[str]):
    """The full rows of the members found, added to their windows; they are the next frontier."""
    where = {}
    for mid, wid in hits:
        if mid not in seen:
            seen.add(mid)
            where[mid] = wid
    if not where:
        return []
    name = conn.stage("_sitrep_found", {"member_id": "TEXT"}, {"member_id": list(where)})
    out = []
    for row in conn.rows(f"SELECT {MEMBER_SELECT} FROM report_events WHERE member_id IN (SELECT member_id FROM {name})"):
        m, eid = member_from_row(row)
        wid = where[m.member_id]
        windows[wid].stored.append((m, eid))
        out.append((m, wid))
    return out
