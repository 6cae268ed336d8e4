"""The daily brief: stored events told in sitrep's own neutral voice, grouped by front, every claim attributed.

The brief is built from the coded fields of merged events (actors, place, type,
fatalities, outlets), never from report sentences, so a report's partisan words
cannot reach it; the only place they appear is the per-outlet notes, which list
them as that outlet's vocabulary.  The store holds only events reported as having
happened, and the brief keeps only those (planned or expected actions never appear).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from .countries import same_country
from .merge import MergedEvent
from .model import ASSERTED, EVENT_TYPES
from .settings import parse_date

TERRITORY_SUBTYPES = (
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Non-violent transfer of territory",
)
UNSPECIFIED = "Location unspecified"


@dataclass(slots=True)
class Quote:
    """A report's own wording, shown only in quotes and with its outlet."""

    source: str
    line: int
    text: str


@dataclass(slots=True)
class BriefItem:
    """One event as the brief tells it."""

    event_id: str
    date: str | None
    event_type: str
    sub_event_type: str
    note: str  # neutral sentence from the coded fields, no date, no casualty or source clause
    place: str
    admin1: str | None
    country: str | None
    actors: list[str]
    fatalities: int | None
    fatalities_range: tuple[int, int] | None
    attribution: str  # "FNA, citing field sources; SOHR"
    sources: list[str]
    corroboration: int
    geo_precision: int
    evidence: list[Quote] = field(default_factory=list)

    @property
    def territory(self) -> bool:
        return self.sub_event_type in TERRITORY_SUBTYPES

    @property
    def fatalities_text(self) -> str:
        if self.fatalities_range:
            lo, hi = self.fatalities_range
            return f"{lo}–{hi} reported killed (outlets differ)"
        if self.fatalities is None:
            return "no fatality figure reported"
        return f"{self.fatalities} reported killed"


@dataclass(slots=True)
class BriefSection:
    """The events of one front (a first-level region), most significant first."""

    title: str
    admin1: str | None
    country: str | None
    items: list[BriefItem]

    @property
    def fatalities(self) -> int:
        return sum(i.fatalities or 0 for i in self.items)

    @property
    def control_changes(self) -> int:
        return sum(1 for i in self.items if i.territory)


@dataclass(slots=True)
class OutletNote:
    """What one outlet contributed, and the loaded terms its reports use (with counts)."""

    outlet: str
    reports: int
    events: int
    single_source: int
    terms: list[tuple[str, int]]  # (term as written, lowercased; occurrences), most frequent first
    citing: list[tuple[str, int]]  # the sources the outlet names for its claims, with counts


@dataclass(slots=True)
class Brief:
    """A situation brief over a period, ready to render."""

    title: str
    date_from: str | None
    date_to: str | None
    country: str | None
    sections: list[BriefSection]
    control_changes: list[BriefItem]
    single_source: list[BriefItem]
    outlets: list[OutletNote]
    totals_by_type: dict[str, tuple[int, int]]  # event type -> (events, reported fatalities)
    total_events: int
    total_fatalities: int
    unknown_fatalities: int  # events with no fatality figure
    trend: Any = None  # trends.Trend of the days up to the brief's end, or None

    @property
    def items(self) -> list[BriefItem]:
        return [i for s in self.sections for i in s.items]

    @property
    def period(self) -> str:
        return period_text(self.date_from, self.date_to)


def period_text(date_from: str | None, date_to: str | None) -> str:
    """'21–22 July 2017', '30 June – 2 July 2017', or 'all dates'."""
    if not date_from and not date_to:
        return "all dates"
    a = _dt.date.fromisoformat(date_from or date_to)
    b = _dt.date.fromisoformat(date_to or date_from)
    if a == b:
        return f"{b.day} {b:%B %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
    return f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"


def _loaded_terms():
    from .actors import LoadedTerms

    return LoadedTerms.default()


# First words of source phrases that are ordinary words, lowercased mid-sentence
# ("citing Field sources" -> "citing field sources"); names ("Syrian", "SANA") keep their capital.
_COMMON_FIRST = {
    "a", "an", "another", "the", "field", "local", "reports", "report", "sources", "source", "military",
    "well-informed", "informed", "security", "medical", "eyewitnesses", "witnesses", "residents",
    "activists", "officials", "official", "one", "two", "some", "several", "other", "its", "their",
    "news", "media", "state", "government", "opposition", "monitors", "according",
}


def neutral_phrase(text: str | None) -> str | None:
    """A source phrase ("field sources") safe for the brief's voice, or None if it carries loaded words."""
    if not text:
        return None
    text = " ".join(text.split()).strip(" .,;:")
    first, _, rest = text.partition(" ")
    if first.lower() in _COMMON_FIRST:
        # "another military source" tells the same thing as "a military source".
        first = "a" if first.lower() == "another" else first.lower()
        text = f"{first} {rest}".strip()
    terms = _loaded_terms()
    cleaned = terms.neutralize(text)
    if terms.find(cleaned):
        # "news websites affiliated to the terrorist groups": no neutral rewording is safe.
        return "sources it does not name neutrally"
    return cleaned


def attribution_text(me: MergedEvent) -> str:
    """Who reports the event: 'FNA, citing field sources; SOHR, citing its network of activists'."""
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for ev in me.event.evidence:
        outlet = ev.source or me.event.source or "unknown outlet"
        phrase = neutral_phrase(ev.attribution)
        lst = by_outlet[outlet]
        if phrase and phrase not in lst:
            lst.append(phrase)
    for s in me.sources:
        by_outlet.setdefault(s, [])
    if not by_outlet:
        by_outlet[me.event.source or "unknown outlet"] = []
    parts = []
    for outlet in sorted(by_outlet):
        cited = by_outlet[outlet]
        parts.append(f"{outlet}, citing {' and '.join(cited)}" if cited else outlet)
    return "; ".join(parts)


def item_of(me: MergedEvent, evidence: bool = False) -> BriefItem:
    """One merged event as a brief item, in neutral words."""
    from .notes import describe

    e = me.event
    # The note is rebuilt from the coded fields without date, casualty and source
    # clauses: the brief shows those separately, attributed.
    note = describe(replace(e, event_date=None, fatalities=None, injured=None, attribution=None, source=None))
    place = e.location or UNSPECIFIED
    quotes = [Quote(ev.source or "?", ev.line, " ".join(ev.text.split())) for ev in e.evidence] if evidence else []
    return BriefItem(
        event_id=e.event_id,
        date=e.event_date,
        event_type=e.event_type,
        sub_event_type=e.sub_event_type,
        note=note,
        place=place,
        admin1=e.admin1,
        country=e.country,
        actors=[a for a in (e.actor1, e.actor2) if a],
        fatalities=e.fatalities,
        fatalities_range=me.fatalities_range,
        attribution=attribution_text(me),
        sources=list(me.sources) or ([e.source] if e.source else []),
        corroboration=me.corroboration,
        geo_precision=e.geo_precision,
        evidence=quotes,
    )


def significance(item: BriefItem) -> tuple:
    """Sort key, most significant first: territory changes, then fatalities, then corroboration."""
    return (not item.territory, -(item.fatalities or 0), -item.corroboration, item.date or "", item.place, item.event_id)


ALL_COUNTRIES = "all"
BUSIEST_DAYS = 90  # the default country: most events in this many days before the newest (a quarter: the main theatre)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 event', '2 events', '3 countries'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def country_days(store) -> dict[str, str]:
    """Each stored country with the day of its newest dated event."""
    rows = store.query("SELECT country, max(event_date) FROM events WHERE country IS NOT NULL "
                       "AND event_date IS NOT NULL GROUP BY country")
    return {c: (d if isinstance(d, str) else d.isoformat()) for c, d in rows}


def default_country(store) -> str | None:
    """The country a brief is about when none is chosen: with one country stored, that one (None);
    with several, the one with most events in the BUSIEST_DAYS days before the newest event."""
    days = country_days(store)
    if len(days) <= 1:
        return None
    newest = _dt.date.fromisoformat(max(days.values()))
    start = (newest - _dt.timedelta(days=BUSIEST_DAYS - 1)).isoformat()
    rows = store.query("SELECT country, count(*) FROM events WHERE event_date >= ? AND country IS NOT NULL "
                       "GROUP BY country", [start])
    return min(rows, key=lambda r: (-r[1], r[0]))[0] if rows else None


def _newest_day(store, country: str | None) -> str | None:
    days = [d for c, d in country_days(store).items() if country is None or same_country(c, country)]
    return max(days, default=None)


def resolve_scope(store, since=None, date=None, country=None, date_from=None, date_to=None,
                  today: _dt.date | None = None) -> tuple[str | None, str | None, str | None]:
    """(date_from, date_to, country) of a brief.

    A day (`date`) is that day and the day before; a range is taken as given.  Otherwise
    `since` (default 24h) counts back from the newest event *of the chosen country*, so a
    report from another war does not move the window.  No country chosen means the busiest
    one (default_country); "all" means every country.
    """
    from .store import since_days

    if country and country.strip().lower() == ALL_COUNTRIES:
        country = None
    elif not country and not (date or date_from or date_to):
        country = default_country(store)
    date = parse_date(date)
    if date:
        d = _dt.date.fromisoformat(date)
        return (d - _dt.timedelta(days=1)).isoformat(), d.isoformat(), country
    if date_from or date_to:
        return parse_date(date_from), parse_date(date_to), country
    days = since_days(since or "24h")
    newest = _newest_day(store, country)
    anchor = min(today or _dt.date.today(), _dt.date.fromisoformat(newest)) if newest else (today or _dt.date.today())
    days = min(days, anchor.toordinal() - 1)
    return (anchor - _dt.timedelta(days=days)).isoformat(), anchor.isoformat(), country


def _reports_by_outlet(store, report_ids: set[str]) -> dict[str, list[str]]:
    if not report_ids:
        return {}
    ids = sorted(report_ids)
    rows = store.query(
        f"SELECT coalesce(outlet, 'unknown outlet'), text FROM reports WHERE id IN ({', '.join('?' for _ in ids)})",
        ids,
    )
    out: dict[str, list[str]] = defaultdict(list)
    for outlet, text in rows:
        out[outlet].append(text or "")
    return out


def outlet_notes(store, events: list[MergedEvent], items: list[BriefItem]) -> list[OutletNote]:
    """Per outlet: reports, events, single-source claims, cited sources and loaded terms with counts."""
    report_ids = {ev.doc_id for me in events for ev in me.event.evidence if ev.doc_id}
    report_ids |= {m.rsplit("-", 1)[0] for me in events for m in me.members}
    texts = _reports_by_outlet(store, report_ids)
    terms = _loaded_terms()
    n_events: Counter = Counter()
    n_single: Counter = Counter()
    citing: dict[str, Counter] = defaultdict(Counter)
    for me, item in zip(events, items):
        for s in item.sources:
            n_events[s] += 1
            if item.corroboration == 1:
                n_single[s] += 1
        for ev in me.event.evidence:
            phrase = neutral_phrase(ev.attribution)
            if phrase:
                citing[ev.source or "unknown outlet"][phrase] += 1
    notes = []
    for outlet in sorted(set(texts) | set(n_events)):
        found: Counter = Counter()
        for text in texts.get(outlet, []):
            for s, e, _cat in terms.find(text):
                found[" ".join(text[s:e].lower().split())] += 1
        notes.append(
            OutletNote(
                outlet=outlet,
                reports=len(texts.get(outlet, [])),
                events=n_events[outlet],
                single_source=n_single[outlet],
                terms=sorted(found.items(), key=lambda kv: (-kv[1], kv[0])),
                citing=sorted(citing[outlet].items(), key=lambda kv: (-kv[1], kv[0])),
            )
        )
    return notes


def build_brief(
    store,
    since: str | None = None,
    date: str | None = None,
    country: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    evidence: bool = False,
    title: str | None = None,
    trend_days: int = 30,
) -> "Brief":
    """A brief of the store's events: a --since window (default 24h), a day's 24 hours, or a date range.

    Without a date or range the window ends on the newest day of the chosen country (see
    resolve_scope).  evidence: also carry each event's quoted report wording (shown only
    quoted and attributed).  trend_days: the days of the trend chart, ending with the brief.
    """
    from .review import reviewed_events

    date_from, date_to, country = resolve_scope(store, since, date, country, date_from, date_to)
    events = reviewed_events(store, date_from=date_from, date_to=date_to, country=country)
    # The store keeps only asserted events; anything else reaching here would be a bug upstream.
    events = [me for me in events if (me.event.modality or ASSERTED) == ASSERTED]
    items = [item_of(me, evidence) for me in events]
    countries = {it.country for it in items if it.country}
    totals: dict[str, list[int]] = {}
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    for it in sorted(items, key=lambda i: order.get(i.event_type, 99)):
        t = totals.setdefault(it.event_type, [0, 0])
        t[0] += 1
        t[1] += it.fatalities or 0
    return Brief(
        title=title or f"{_where(country, items, countries)}: situation brief, {period_text(date_from, date_to)}",
        date_from=date_from,
        date_to=date_to,
        country=country,
        sections=_sections(items, countries),
        control_changes=sorted((i for i in items if i.territory), key=significance),
        single_source=sorted((i for i in items if i.corroboration <= 1), key=significance),
        outlets=outlet_notes(store, events, items),
        totals_by_type={k: (v[0], v[1]) for k, v in totals.items()},
        total_events=len(items),
        total_fatalities=sum(i.fatalities or 0 for i in items),
        unknown_fatalities=sum(1 for i in items if i.fatalities is None),
        trend=_trend(store, country, date_to, trend_days),
    )


def _sections(items: list[BriefItem], countries: set[str]) -> list[BriefSection]:
    """One section per front (country, admin1): fronts with control changes first, then by fatalities."""
    fronts: dict[tuple, list[BriefItem]] = defaultdict(list)
    for it in items:
        fronts[(it.country, it.admin1)].append(it)
    sections = []
    for (ctry, admin1), its in fronts.items():
        its.sort(key=significance)
        name = admin1 or UNSPECIFIED
        if len(countries) > 1 and ctry:
            name = f"{name}, {ctry}"
        sections.append(BriefSection(name, admin1, ctry, its))
    sections.sort(key=lambda s: (-s.control_changes, -s.fatalities, -len(s.items), s.title))
    return sections


def _where(country: str | None, items: list[BriefItem], countries: set[str]) -> str:
    """'Syria', 'Syria and Iraq', 'Syria, Iraq and Yemen', 'Syria, Iraq and 4 other countries'."""
    if country or len(countries) <= 1:
        return country or next(iter(countries), "All areas")
    ranked = [c for c, _ in Counter(it.country for it in items if it.country).most_common()]
    if len(ranked) <= 3:
        return ", ".join(ranked[:-1]) + " and " + ranked[-1]
    return f"{ranked[0]}, {ranked[1]} and {plural(len(ranked) - 2, 'other country', 'other countries')}"


def _trend(store, country: str | None, date_to: str | None, days: int):
    """Events per day by type over the `days` days ending with the brief (None without an end day)."""
    from .review import reviewed_events
    from .trends import build_trend

    if not date_to or days <= 0:
        return None
    start = (_dt.date.fromisoformat(date_to) - _dt.timedelta(days=days - 1)).isoformat()
    events = reviewed_events(store, date_from=start, date_to=date_to, country=country)
    return build_trend(events, by="event_type", unit="day", date_from=start, date_to=date_to)


# ----------------------------------------------------------------- rendering

def _day(iso: str | None) -> str:
    if not iso:
        return "date unknown"
    d = _dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b}"


def _place(it: BriefItem) -> str:
    return it.place + (f" ({it.admin1})" if it.admin1 and it.admin1 != it.place else "")


def _outlets_word(n: int) -> str:
    return f"{n} outlet" + ("s" if n != 1 else "")


def _all_single(n: int) -> str:
    return "The one event above rests on one outlet" if n == 1 else f"All {n} events above rest on one outlet each"


def _md(text: str) -> str:
    # Markdown control characters in data must not turn into formatting.
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def summary_lines(brief: Brief) -> list[str]:
    """Two or three plain sentences that open the brief (also printed by `sitrep demo`)."""
    n_out = len([o for o in brief.outlets if o.events])
    unknown = brief.unknown_fatalities
    lines = [
        f"{plural(brief.total_events, 'event')} in {plural(len(brief.sections), 'area')}, "
        f"told by {_outlets_word(n_out)}; {plural(brief.total_fatalities, 'reported fatality', 'reported fatalities')}"
        + (f" ({plural(unknown, 'event gives', 'events give')} no figure)" if unknown else "")
        + "."
    ]
    if brief.control_changes:
        lines.append(f"{plural(len(brief.control_changes), 'reported change')} of control.")
    if brief.total_events:
        many = brief.total_events - len(brief.single_source)
        if not many:
            lines.append("Every event rests on a single outlet: none is corroborated.")
        else:
            lines.append(f"{plural(many, 'event is', 'events are')} told by more than one outlet; "
                         f"{len(brief.single_source)} rest{'s' if len(brief.single_source) == 1 else ''} on one.")
    return lines


_BLOCKS = "▁▂▃▄▅▆▇█"


def trend_line(trend) -> str:
    """The trend as one line of text: 'Events per day, 23 June – 22 July 2017: ▁▁▃█▂ (peak 14 on 21 Jul).'"""
    from .trends import describe

    peak = max(trend.totals)
    bars = "".join(" " if not v else _BLOCKS[min(7, (v * 8 - 1) // peak)] for v in trend.totals)
    at = trend.buckets[trend.totals.index(peak)].isoformat()
    period = period_text(trend.buckets[0].isoformat(), trend.buckets[-1].isoformat())
    return f"{describe(trend).split(' by ')[0]}, {period}: `{bars}` (peak {peak} on {_day(at)})."


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown."""
    out = [f"# {_md(brief.title)}", ""]
    out += [" ".join(summary_lines(brief)), ""]
    out += ["Each item is a claim by the outlets named with it, coded in ACLED's categories; "
            "sitrep has not verified it. Fatalities are the outlets' figures.", ""]
    if brief.trend is not None and brief.trend.total:
        out += [trend_line(brief.trend), ""]
    if not brief.total_events:
        out += ["No events are stored for this period.", ""]
        return "\n".join(out)
    for part in (_md_control, _md_sections, _md_single, _md_outlets, _md_totals):
        out += part(brief) + [""]
    return "\n".join(out)


def _md_control(brief: Brief) -> list[str]:
    out = ["## Control changes", ""]
    for it in brief.control_changes:
        out.append(f"- **{_md(_place(it))}**, {_day(it.date)}: {_md(it.note)} "
                   f"Reported by {_md(it.attribution)} ({_outlets_word(it.corroboration)}).")
    return out if brief.control_changes else out + ["No change of control reported."]


def _md_sections(brief: Brief) -> list[str]:
    out = []
    for sec in brief.sections:
        out += [f"## {_md(sec.title)}", ""]
        for it in sec.items:
            out.append(f"- **{_md(it.sub_event_type)}: {_md(it.place)}**, {_day(it.date)}. {_md(it.note)}")
            out.append(f"  Actors: {_md(', '.join(it.actors) or 'not named')}. {it.fatalities_text.capitalize()}. "
                       f"Reported by {_md(it.attribution)}; corroboration: {_outlets_word(it.corroboration)}.")
            for q in it.evidence:
                out.append(f"  > {_md(q.source)}, line {q.line}: “{_md(q.text)}”")
        out.append("")
    return out[:-1]


def _md_single(brief: Brief) -> list[str]:
    out = ["## Single-source claims", ""]
    if brief.single_source and len(brief.single_source) == brief.total_events:
        outlets = sorted({s for it in brief.single_source for s in it.sources})
        return out + [f"{_all_single(brief.total_events)} ({_md(', '.join(outlets))})."]
    for it in brief.single_source:
        out.append(f"- {_md(it.sub_event_type)}, {_md(_place(it))}, {_day(it.date)}: {_md(', '.join(it.sources))} only.")
    return out if brief.single_source else out + ["None: every event is told by at least two outlets."]


def _md_outlets(brief: Brief) -> list[str]:
    out = ["## Outlet notes", ""]
    for o in brief.outlets:
        cites = "; ".join(f"{_md(c)} ×{n}" for c, n in o.citing[:6]) or "no named sources"
        out.append(f"- **{_md(o.outlet)}**: {plural(o.reports, 'report')}, {plural(o.events, 'event')} "
                   f"({o.single_source} told by no other outlet). Cites: {cites}.")
        if o.terms:
            terms = ", ".join(f"“{_md(t)}” ×{n}" for t, n in o.terms)
            out.append(f"  Loaded terms in its reports (its wording, not used in this brief): {terms}.")
        else:
            out.append("  No loaded terms found in its reports.")
    return out


def _md_totals(brief: Brief) -> list[str]:
    out = ["## Totals", "", "| Event type | Events | Reported fatalities |", "|---|---:|---:|"]
    for t, (n, f) in brief.totals_by_type.items():
        out.append(f"| {_md(t)} | {n} | {f} |")
    return out + [f"| **All** | **{brief.total_events}** | **{brief.total_fatalities}** |"]


_HTML = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ b.title }}</title>
<style>
:root {--ink:#1d232b; --muted:#5d6773; --rule:#d9dee4; --accent:#0b5cab; --bg:#fff;}
* {box-sizing: border-box;}
body {margin: 0; background: #eef1f4; color: var(--ink);
  font: 15px/1.5 Georgia, "DejaVu Serif", "Times New Roman", serif;}
main {max-width: 860px; margin: 24px auto; background: var(--bg); padding: 32px 44px 40px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12);}
h1, h2, h3, .sans, table, nav {font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;}
h1 {font-size: 25px; margin: 0 0 6px; line-height: 1.25;}
h2 {font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink);
  display: flex; justify-content: space-between; align-items: baseline; gap: 12px;}
h2 small {font-weight: normal; color: var(--muted); font-size: 13px;}
.lede {font-size: 16.5px; margin: 10px 0 4px;}
.caveat {color: var(--muted); font-size: 13px; margin: 4px 0 0;}
.kpis {display: flex; gap: 10px; flex-wrap: wrap; margin: 18px 0 4px;}
.kpi {flex: 1 1 120px; border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px;}
.kpi b {display: block; font-size: 22px; line-height: 1.1;}
.kpi span {color: var(--muted); font-size: 12.5px;}
ol.items {list-style: none; padding: 0; margin: 0;}
.item {padding: 10px 0 10px 12px; border-bottom: 1px solid var(--rule); border-left: 4px solid var(--c, #888);
  margin-bottom: 2px; break-inside: avoid;}
.item .head {font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; font-size: 14px;}
.item .head .type {font-weight: 600;}
.item .head .date {color: var(--muted);}
.item .note {margin: 3px 0;}
.meta {font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; font-size: 12.5px;
  color: var(--muted); display: flex; flex-wrap: wrap; gap: 2px 16px;}
.meta b {color: var(--ink); font-weight: 600;}
.tag {display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 9px; margin-left: 6px;
  vertical-align: 1px; font-weight: 600; font-family: system-ui, sans-serif;}
.tag.ctl {background: #fde7d6; color: #8a3a00;}
.tag.one {background: #eef1f4; color: #4d5763;}
.tag.many {background: #dcefe6; color: #0d5c3b;}
blockquote {margin: 4px 0 0; padding: 2px 10px; border-left: 2px solid var(--rule); color: #3c4550; font-size: 13.5px;}
blockquote cite {display: block; font-style: normal; color: var(--muted); font-size: 12px;}
table {border-collapse: collapse; width: 100%; font-size: 13.5px; margin-top: 6px;}
th, td {text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top;}
th {font-weight: 600; color: var(--muted); font-size: 12.5px;}
td.nw {white-space: nowrap;}
td.n, th.n {text-align: right; font-variant-numeric: tabular-nums;}
tr.all td {font-weight: 600; border-top: 2px solid var(--ink);}
.terms span {display: inline-block; background: #f6eee0; border-radius: 4px; padding: 0 5px; margin: 1px 2px;
  font-size: 12.5px; font-family: system-ui, sans-serif;}
.sw {display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; background: var(--c);}
nav {font-size: 13px; margin-bottom: 14px;}
nav a {color: var(--accent); margin-right: 14px; text-decoration: none;}
a {color: var(--accent);}
form.scope {display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: flex-end; margin: 0 0 16px;
  font: 13px system-ui, sans-serif; color: var(--muted);}
form.scope label {display: flex; flex-direction: column; gap: 2px;}
form.scope select, form.scope input, form.scope button {font: inherit; padding: 3px 6px;}
form.scope button {background: var(--accent); color: #fff; border: 1px solid var(--accent); border-radius: 4px; padding: 4px 12px;}
.trendbox {overflow-x: auto;}
footer {margin-top: 28px; color: var(--muted); font-size: 12px; font-family: system-ui, sans-serif;}
@media print {
  body {background: #fff; font-size: 10.5pt;}
  main {box-shadow: none; margin: 0; padding: 0; max-width: none;}
  nav, .noprint {display: none;}
  h2 {break-after: avoid;}
  a {color: inherit; text-decoration: none;}
  .item {break-inside: avoid;}
  @page {margin: 16mm 14mm;}
}
</style></head>
<body><main>
{% if nav %}<nav>{% for label, href in nav %}<a href="{{ href }}">{{ label }}</a>{% endfor %}</nav>{% endif %}
{% if choices is not none %}<form class="scope noprint" method="get" action="">
<label>Country <select name="country"><option value="all"{% if not b.country %} selected{% endif %}>All countries</option>
{% for c, last in choices %}<option value="{{ c }}"{% if b.country == c %} selected{% endif %}>{{ c }} (latest {{ day(last) }})</option>{% endfor %}
</select></label>
<label>Period <select name="since">{% for v, label in periods %}<option value="{{ v }}"{% if since == v %} selected{% endif %}>{{ label }}</option>{% endfor %}</select></label>
<label>or the day <input type="date" name="date" value="{{ date or '' }}"></label>
<button type="submit">Show</button></form>{% endif %}
<h1>{{ b.title }}</h1>
<p class="lede">{{ summary|join(" ") }}</p>
<p class="caveat">Each item is a claim by the outlets named with it, coded in ACLED's categories; sitrep has not
verified it. Fatalities are the outlets' figures. Wording is sitrep's own; outlets' words appear only in quotes.</p>
<div class="kpis sans">
 <div class="kpi"><b>{{ b.total_events }}</b><span>event{{ "s" if b.total_events != 1 }}</span></div>
 <div class="kpi"><b>{{ b.total_fatalities }}</b><span>reported fatalit{{ "ies" if b.total_fatalities != 1 else "y" }}</span></div>
 <div class="kpi"><b>{{ b.control_changes|length }}</b><span>control change{{ "s" if b.control_changes|length != 1 }}</span></div>
 <div class="kpi"><b>{{ b.total_events - b.single_source|length }}</b><span>corroborated (2+ outlets)</span></div>
</div>
{% if trend_svg %}<h2 id="trend">Trend <small>{{ trend_caption }}</small></h2>
<div class="trendbox">{{ trend_svg }}</div>{% endif %}
{% if not b.total_events %}<p>No events are stored for this period.</p>{% else %}

<h2 id="control">Control changes <small>{{ b.control_changes|length }}</small></h2>
{% if b.control_changes %}<table><tr><th>Place</th><th>Date</th><th>What the outlets report</th><th>Reported by</th></tr>
{% for it in b.control_changes %}<tr><td><a href="#{{ it.event_id }}"><b>{{ place(it) }}</b></a></td><td class="nw">{{ day(it.date) }}</td>
<td>{{ it.note }}</td><td>{{ it.attribution }}</td></tr>{% endfor %}</table>
{% else %}<p>No change of control reported.</p>{% endif %}

{% for sec in b.sections %}
<h2 id="front-{{ loop.index }}">{{ sec.title }} <small>{{ sec.items|length }} event{{ "s" if sec.items|length != 1 }}
 · {{ sec.fatalities }} reported killed{% if sec.control_changes %} · {{ sec.control_changes }} control change{{ "s" if sec.control_changes != 1 }}{% endif %}</small></h2>
<ol class="items">{% for it in sec.items %}{{ item(it, False) }}{% endfor %}</ol>
{% endfor %}

<h2 id="single">Single-source claims <small>{{ b.single_source|length }} of {{ b.total_events }}</small></h2>
{% if b.single_source and b.single_source|length == b.total_events %}
<p>{{ all_single(b.total_events) }} ({{ single_outlets|join(", ") }}): none is corroborated by another outlet.</p>
{% elif b.single_source %}
<table><tr><th>Event</th><th>Place</th><th>Date</th><th>Only source</th></tr>
{% for it in b.single_source %}<tr><td>{{ it.sub_event_type }}</td><td>{{ place(it) }}</td><td>{{ day(it.date) }}</td><td>{{ it.attribution }}</td></tr>{% endfor %}
</table>
{% else %}<p>None: every event is told by at least two outlets.</p>{% endif %}

<h2 id="outlets">Outlet notes</h2>
<table><tr><th>Outlet</th><th class="n">Reports</th><th class="n">Events</th><th class="n">Only&nbsp;source</th><th>Cites</th></tr>
{% for o in b.outlets %}<tr><td><b>{{ o.outlet }}</b></td><td class="n">{{ o.reports }}</td><td class="n">{{ o.events }}</td>
<td class="n">{{ o.single_source }}</td><td>{% for c, n in o.citing[:6] %}{{ c }} ×{{ n }}{{ "; " if not loop.last }}{% else %}no named sources{% endfor %}</td></tr>
<tr><td colspan="5" class="terms">{% if o.terms %}<span style="background:none;padding:0;margin-left:0">Loaded terms in its reports (its wording, not the brief's):</span>
{% for t, n in o.terms %}<span>“{{ t }}” ×{{ n }}</span>{% endfor %}{% else %}No loaded terms found in its reports.{% endif %}</td></tr>
{% endfor %}</table>

<h2 id="totals">Totals</h2>
<table><tr><th>Event type</th><th class="n">Events</th><th class="n">Reported fatalities</th></tr>
{% for t, nf in b.totals_by_type.items() %}<tr><td><span class="sw" style="--c:{{ colour(t) }}"></span>{{ t }}</td><td class="n">{{ nf[0] }}</td><td class="n">{{ nf[1] }}</td></tr>{% endfor %}
<tr class="all"><td>All</td><td class="n">{{ b.total_events }}</td><td class="n">{{ b.total_fatalities }}</td></tr>
</table>
{% endif %}
<footer>Made by sitrep from {{ b.outlets|length }} outlet{{ "s" if b.outlets|length != 1 }}' reports. Event types and actor names follow the ACLED codebook.</footer>
</main></body></html>
"""

_ITEM = r"""{% macro item(it, show_front) %}
<li class="item" style="--c:{{ colour(it.event_type) }}" id="{{ it.event_id }}">
<div class="head"><span class="type">{{ it.sub_event_type }}</span> — <b>{{ place(it) if show_front else it.place }}</b>
<span class="date">· {{ day(it.date) }}</span>
{% if it.territory %}<span class="tag ctl">control change</span>{% endif %}
{% if it.corroboration > 1 %}<span class="tag many">{{ it.corroboration }} outlets</span>{% else %}<span class="tag one">1 outlet</span>{% endif %}
</div>
<div class="note">{% if href %}<a href="{{ href(it) }}" style="color:inherit">{{ it.note }}</a>{% else %}{{ it.note }}{% endif %}</div>
<div class="meta"><span><b>Actors</b> {{ it.actors|join(" · ") or "not named" }}</span>
<span><b>Fatalities</b> {{ it.fatalities_text }}</span>
<span><b>Reported by</b> {{ it.attribution }}</span></div>
{% for q in it.evidence %}<blockquote>“{{ q.text }}”<cite>— {{ q.source }}, line {{ q.line }} (report wording)</cite></blockquote>{% endfor %}
</li>{% endmacro %}"""


def _span(brief: Brief) -> tuple[str, str] | None:
    if not (brief.date_from or brief.date_to):
        return None
    return brief.date_from or brief.date_to, brief.date_to or brief.date_from


PERIODS = (("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days"), ("90d", "90 days"))


def render_html(brief: Brief, nav: list[tuple[str, str]] | None = None, href=None,
                choices: list[tuple[str, str]] | None = None, since: str | None = None,
                date: str | None = None) -> str:
    """The brief as one self-contained HTML page (inline CSS and SVG, no scripts) that also prints well.

    choices: (country, newest day) pairs for a country-and-period form (the web app's home page);
    since and date: the form's current values.
    """
    from jinja2 import Environment

    from .mapview import colour
    from .trends import describe, render_svg

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(colour=colour, day=_day, place=_place, href=href, all_single=_all_single)
    macros = env.from_string(_ITEM).module
    page = env.from_string(_HTML)
    trend = brief.trend if brief.trend is not None and brief.trend.total else None
    return page.render(
        b=brief,
        summary=summary_lines(brief),
        item=macros.item,
        nav=nav,
        single_outlets=sorted({s for it in brief.single_source for s in it.sources}),
        trend_svg=Markup(render_svg(trend, highlight=_span(brief))) if trend else None,
        trend_caption=f"{describe(trend)}, {period_text(trend.buckets[0].isoformat(), trend.buckets[-1].isoformat())}"
        if trend else "",
        choices=choices, periods=PERIODS, since=since or ("" if date else "24h"), date=date,
    )
