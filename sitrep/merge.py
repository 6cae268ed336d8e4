"""Cross-report de-duplication: one event per real-world event, however many outlets tell it.

Each report's own events (already de-duplicated within the report) are *members*.
Two members from different reports are compatible when they are plausibly the same
event: same sub-event family, same or adjacent day, same area, compatible actors.
Members are clustered greedily in a canonical order (date, report date, member id),
a member joining the first cluster all of whose members it matches (complete link:
"A is B, B is C" never makes a clash in one town the same event as a clash 20 km
away).  The canonical order depends only on the set of members, so the result is
the same whatever order reports arrive in; and a member's cluster depends only on
members at most a day before it, so the store can re-cluster a few days at a time.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .countries import country_codes
from .geo import haversine_km
from .model import Event, Evidence

# Two coordinates closer than this are the same place for merging.  ACLED's
# precision-1 locations are towns; 10 km covers a town and its outskirts, the
# spread between gazetteer points for the same place, and nothing more.
MERGE_KM = 10.0
SAME_NAME_KM = 50.0
_TERRITORY_SUBTYPES = ("Government regains territory", "Non-state actor overtakes territory")


@dataclass(slots=True)
class Member:
    """One report's telling of an event: the unit cross-report merging works on."""

    member_id: str  # "<report id>-<index>": content-derived, stable across runs
    report_id: str
    outlet: str | None
    report_date: str | None
    event: Event


@dataclass(slots=True)
class MergedEvent:
    """An event as the store holds it: merged over every report that tells it."""

    event: Event  # merged fields; evidence holds every mention from every report
    members: list[str]
    sources: list[str]
    corroboration: int
    fatalities_range: tuple[int, int] | None = None
    timestamp: int = 0  # unix time of the last change

    def to_dict(self) -> dict:
        d = self.event.to_dict()
        d["sources"] = list(self.sources)
        d["corroboration"] = self.corroboration
        d["members"] = list(self.members)
        d["fatalities_range"] = list(self.fatalities_range) if self.fatalities_range else None
        d["timestamp"] = self.timestamp
        return d


def family(event: Event) -> str:
    """The merge family: Battles sub-types are told interchangeably, other sub-types are not."""
    if event.event_type == "Battles":
        return "Battles"
    return f"{event.event_type}/{event.sub_event_type}"


def norm_name(name: str | None) -> str | None:
    """A place name folded for comparison: 'al-Sukhnah', 'As Sukhnah' and 'Sukhnah' agree."""
    if not name:
        return None
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[`'\u2019]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^(al|el|as|ash|ad|ar|at|az|an|es|ed|er)\s+", "", s)
    return s or None


def _day(value: str | None) -> int | None:
    return _dt.date.fromisoformat(value[:10]).toordinal() if value else None


def _actors(e: Event) -> frozenset[str]:
    out = set()
    for ident, name in ((e.actor1_id, e.actor1), (e.actor2_id, e.actor2)):
        # ACLED's "Unidentified Armed Group (X)" says the report did not name that side.
        if name and name.lower().startswith("unidentified"):
            continue
        # Canonical names, not ids: "Syrian Air Force" (a named id) and "Syrian army" (a
        # generic id) are both "Military Forces of Syria".
        key = name.strip().lower() if name else ident
        if key:
            out.add(key)
    return frozenset(out)


def same_day(a: Member, b: Member) -> bool:
    da, db = _day(a.event.event_date), _day(b.event.event_date)
    if da is None or db is None:
        # An undated event can only be matched by another undated one told on the same day.
        return da is None and db is None and a.report_date is not None and a.report_date == b.report_date
    return abs(da - db) <= 1


def same_place(a: Event, b: Event) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    la, lb = norm_name(a.location), norm_name(b.location)
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
        # The same name geocoded differently (town vs. district centroid) is still one
        # place; the same name far away is a namesake.
        return km <= MERGE_KM or bool(la and la == lb and km <= SAME_NAME_KM)
    if la and la == lb:
        return True
    a2, b2 = norm_name(a.admin2), norm_name(b.admin2)
    return bool(a2 and a2 == b2 and a.geo_precision >= 2 and b.geo_precision >= 2)


def same_actors(a: Event, b: Event) -> bool:
    sa, sb = _actors(a), _actors(b)
    if sa == sb:
        return True
    # One report may not name one side ("clashes with militants"): then the side it
    # does name must be one of the other report's sides.
    small, big = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(small) == 0:
        return True
    return len(small) == 1 and small <= big


def compatible(a: Member, b: Member) -> bool:
    """Whether two reports' events can be the same real-world event."""
    if a.report_id == b.report_id:
        return False  # the extractor already merged within a report; what it kept apart is apart
    ea, eb = a.event, b.event
    if family(ea) != family(eb) or not same_day(a, b):
        return False
    if (not _actors(ea) or not _actors(eb)) and max(ea.geo_precision, eb.geo_precision) >= 3:
        # "an air strike somewhere in Hama province" by nobody named is not evidence
        # of being any particular strike in Hama province.
        return False
    return same_place(ea, eb) and same_actors(ea, eb)


def _order(m: Member) -> tuple:
    return (m.event.event_date or "", m.report_date or "", m.member_id)


def place(m: Member, open_clusters: list[list[Member]]) -> None:
    """Put a member in the first cluster (in creation order) all of whose members it matches."""
    for cl in open_clusters:
        if all(compatible(m, other) for other in cl):
            cl.append(m)
            return
    open_clusters.append([m])


def first_day(cluster: list[Member]) -> int:
    return min(_day(m.event.event_date) for m in cluster)


def run_day(open_clusters: list[list[Member]], day: int, members: Iterable[Member]) -> list[list[Member]]:
    """Place one day's members; return the clusters that can take no member from this day on.

    A cluster holding a member from two days before can never match a member of
    this day, so closing it changes nothing and keeps each step small.
    """
    closed = [cl for cl in open_clusters if first_day(cl) < day - 1]
    open_clusters[:] = [cl for cl in open_clusters if first_day(cl) >= day - 1]
    for m in sorted(members, key=_order):
        place(m, open_clusters)
    return closed


def block_key(m: Member) -> tuple:
    """Members of different blocks can never merge: dated ones by family, undated ones by family and report day."""
    if m.event.event_date:
        return (family(m.event), None)
    return (family(m.event), m.report_date or "")


def clusters(members: Iterable[Member]) -> list[list[Member]]:
    """Every event over a set of members: greedy complete-link, day by day in canonical order."""
    blocks: dict[tuple, list[Member]] = defaultdict(list)
    for m in members:
        blocks[block_key(m)].append(m)
    out: list[list[Member]] = []
    for (_fam, undated_day), block in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if undated_day is not None:
            open_: list[list[Member]] = []
            for m in sorted(block, key=_order):
                place(m, open_)
            out += open_
            continue
        by_day: dict[int, list[Member]] = defaultdict(list)
        for m in block:
            by_day[_day(m.event.event_date)].append(m)
        open_ = []
        for day in sorted(by_day):
            out += run_day(open_, day, by_day[day])
        out += open_
    return out


def _representative(cluster: list[Member]) -> Member:
    return min(
        cluster,
        key=lambda m: (
            m.event.latitude is None,
            m.event.geo_precision,
            -(m.event.confidence or 0.0),
            m.member_id,
        ),
    )


def merged_event_id(cluster: list[Member]) -> str:
    """Stable id from the cluster's smallest member, prefixed with the country like ACLED's event_id_cnty.

    The member id (report hash and index) makes it unique: no two events share a member.  A
    9-digit hash of it, as ACLED's ids have, collided between events in a store of 30,000 reports.
    """
    first = min(m.member_id for m in cluster)
    iso3 = next((country_iso3(m.event.country) for m in sorted(cluster, key=_order) if m.event.country), None)
    return f"{iso3 or 'XXX'}{first.replace('-', '')}"


def country_iso3(name: str | None) -> str | None:
    codes = country_codes(name)
    return codes[1] if codes else None




def _evidence(ordered: list[Member]) -> list[Evidence]:
    """Every report's evidence lines, each naming its report and outlet."""
    out: list[Evidence] = []
    for m in ordered:
        for ev in m.event.evidence:
            out.append(Evidence(
                line=ev.line,
                text=ev.text,
                doc_id=m.report_id,
                source=m.outlet or ev.source,
                attribution=ev.attribution if ev.attribution is not None else m.event.attribution,
            ))
    return out


def _attributions(ordered: list[Member]) -> str | None:
    out: list[str] = []
    for m in ordered:
        if m.event.attribution and m.event.attribution not in out:
            out.append(m.event.attribution)
    return "; ".join(out) if out else None


def _sub_event_type(e: Event, ordered: list[Member]) -> str:
    if e.event_type != "Battles":
        return e.sub_event_type
    # A territory change told by one outlet is more specific than "clashes" told by another.
    subs = {m.event.sub_event_type for m in ordered}
    return next((s for s in _TERRITORY_SUBTYPES if s in subs), e.sub_event_type)


def merge_cluster(cluster: list[Member]) -> MergedEvent:
    """One event from every report's telling of it, ACLED-style."""
    ordered = sorted(cluster, key=_order)
    e = _representative(ordered).event
    dates = sorted(m.event.event_date for m in ordered if m.event.event_date)
    sources = sorted({m.outlet for m in ordered if m.outlet})
    counts = sorted({m.event.fatalities for m in ordered if m.event.fatalities is not None})
    injured = [m.event.injured for m in ordered if m.event.injured is not None]
    notes = e.notes or ""
    frange = None
    if len(counts) > 1:
        frange = (counts[0], counts[-1])
        notes = f"{notes.rstrip()} Reported fatalities range from {counts[0]} to {counts[-1]}.".strip()
    merged = replace(
        e,
        event_id=merged_event_id(ordered),
        doc_id=min(m.report_id for m in ordered),
        event_date=dates[0] if dates else None,
        sub_event_type=_sub_event_type(e, ordered),
        fatalities=counts[0] if counts else None,
        injured=min(injured) if injured else None,
        source="; ".join(sources) if sources else e.source,
        attribution=_attributions(ordered),
        notes=notes,
        confidence=max(m.event.confidence or 0.0 for m in ordered),
        evidence=_evidence(ordered),
    )
    return MergedEvent(
        event=merged,
        members=[m.member_id for m in ordered],
        sources=sources,
        corroboration=max(1, len(sources)),
        fatalities_range=frange,
    )


def merge_members(members: Iterable[Member]) -> list[MergedEvent]:
    """Every merged event over a set of members."""
    return [merge_cluster(cl) for cl in clusters(members)]


@dataclass(slots=True)
class Window:
    """One family's new members on nearby days, and the stored members they can reach.

    stored: (member, merged event id) of every stored member, on days lo..hi, connected
    to a new member through members that could be the same event; clustering splits
    along those connections, so re-clustering them alone gives what re-clustering the
    whole family would.
    """

    family: str
    new: list[Member]
    lo: int  # first day loaded (two days before the first new member)
    hi: int  # last day loaded
    stored: list[tuple[Member, str | None]]


def recluster_window(w: Window) -> tuple[list[list[Member]], set[str]] | None:
    """Re-cluster a window from its first new member's day until the clusters are as stored.

    A member's cluster depends only on members at most a day before it, so once a day
    ends with the same new clusters as stored, every later day is unchanged too.  Returns
    the re-examined clusters and the stored event ids they replace, or None when the
    clusters still differ at the window's last day (load more days and call again).
    """
    new_by_day: dict[int, list[Member]] = defaultdict(list)
    for m in w.new:
        new_by_day[_day(m.event.event_date)].append(m)
    d0, dmax = min(new_by_day), max(new_by_day)
    loaded: dict[int, list[tuple[Member, str | None]]] = defaultdict(list)
    for m, eid in w.stored:
        loaded[_day(m.event.event_date)].append((m, eid))
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
    for day in range(d0, w.hi + 1):
        replaced |= {eid for _, eid in loaded[day]}
        out += run_day(open_, day, [m for m, _ in loaded[day]] + new_by_day.get(day, []))
        if day >= dmax:
            same = _stands_as_stored(open_, day, loaded)
            if same is not None:
                out += [cl for cl in open_ if first_day(cl) < day]
                return out, replaced - same
    return None


def _stands_as_stored(open_: list[list[Member]], day: int, loaded) -> set[str] | None:
    """The stored ids of the clusters that start on `day`, when they are the same as re-clustered."""
    fresh = {frozenset(m.member_id for m in cl) for cl in open_ if first_day(cl) == day}
    prev_day = {eid for _, eid in loaded[day - 1]}
    stored: dict[str, set[str]] = defaultdict(set)
    for m, eid in loaded[day]:
        if eid not in prev_day:
            stored[eid].add(m.member_id)
    if fresh == {frozenset(v) for v in stored.values()}:
        return set(stored)
    return None
