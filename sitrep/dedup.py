"""Stage 6, dedup: one event per real event within a report.

A roundup often tells the same event twice in other words ("stormed the hilltop
of Tal Burkan" ... "took control of several positions in Tal Bourkan").  Two
events of a report merge when they share the event type, the day and the
location (same name or within a few km) and their actors do not contradict.
The merged event keeps every evidence line, the first mention's id and wording,
the smallest reported fatality figure (ACLED's conservative rule) and the
highest confidence.
"""

from __future__ import annotations

import re
from datetime import date

from .geo import km_between
from .model import ASSERTED, Event, Report
from .tuning import TUNING


def same_place(a: Event, b: Event) -> bool:
    """The same place name, or points within `same_place_km` both finer than a province."""
    if a.location and b.location and a.location == b.location:
        return True
    d = km_between(a, b)
    return d is not None and d <= TUNING.dedup.same_place_km and a.geo_precision < 3 and b.geo_precision < 3


def compatible_actors(a: Event, b: Event) -> bool:
    """Actors agree when neither side names an actor the other contradicts (order does not matter)."""
    # An unidentified group is anyone: "two female suicide bombers" and, later, the Boko Haram bomber.
    sa = {x for x in (a.actor1, a.actor2) if x and not x.startswith("Unidentified ")}
    sb = {x for x in (b.actor1, b.actor2) if x and not x.startswith("Unidentified ")}
    if not sa or not sb:
        return True
    return sa <= sb or sb <= sa


def _specific(e: Event) -> bool:
    return e.geo_precision < 3 and e.location is not None and e.location not in (e.admin1, e.country)


# How grave a demonstration's telling is: one demonstration told as a protest, then as the police
# dispersing it, then as stone-throwing, is one event of the gravest kind told (ACLED codes one event
# per place and day for a demonstration).
# (ACLED's excessive force is used on protesters who are not violent: a crowd told as violent is a riot.)
_DEMONSTRATION_RANK = {"Peaceful protest": 0, "Protest with intervention": 1, "Excessive force against protesters": 2,
                       "Violent demonstration": 3}
_CROWDS = ("Protesters", "Rioters")


def _riot_at(a: Event, b: Event) -> bool:
    """Mob violence told beside a protest at its place and day ("blocked the road, burnt tyres and pelted
    officers with stones ... teargas was used to disperse them"): the crowd of a violent demonstration."""
    return a.sub_event_type == "Mob violence" and b.sub_event_type in _DEMONSTRATION_RANK \
        and b.sub_event_type != "Violent demonstration"


def _arrests_at(a: Event, b: Event) -> bool:
    """People detained at a demonstration's place and day ("at least a dozen people being detained") are the
    demonstration's intervention, not another event."""
    return a.sub_event_type == "Arrests" and b.sub_event_type in _DEMONSTRATION_RANK \
        and a.event_date == b.event_date and (same_place(a, b) or _around(b, a)) \
        and not any(x and not x.startswith(_CROWDS + ("Civilians", "Police Forces", "Military Forces"))
                    for x in (a.actor1, a.actor2))


def _one_demonstration(a: Event, b: Event) -> bool:
    both = a.sub_event_type in _DEMONSTRATION_RANK and b.sub_event_type in _DEMONSTRATION_RANK
    if not (both or _riot_at(a, b) or _riot_at(b, a)):
        return False
    others = [{x for x in (e.actor1, e.actor2) if x and not x.startswith(_CROWDS)} for e in (a, b)]
    return (a.event_date == b.event_date and same_place(a, b)
            and (not others[0] or not others[1] or others[0] <= others[1] or others[1] <= others[0]))


# What a raid or a battle leaves behind, told in a sentence of its own ("Several houses were also burnt",
# "Weapons and ammunition were recovered"): part of that act, not another event.
_AFTERMATH = {"Looting/property destruction", "Disrupted weapons use", "Change to group/activity"}
_VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def _around(act: Event, rest: Event) -> bool:
    """The rest is placed at the act's place, or only as precisely as the area that holds it: "Weapons
    were recovered" after a raid on a village, placed at the village's district or province."""
    if same_place(act, rest):
        return True
    if rest.country != act.country or rest.admin1 != act.admin1 or rest.geo_precision < act.geo_precision:
        return False
    if rest.location in (act.admin1, act.country):
        return True
    d = km_between(act, rest)
    return d is not None and d <= TUNING.dedup.aftermath_km


def _aftermath_of(act: Event, rest: Event) -> bool:
    return (rest.sub_event_type in _AFTERMATH and act.event_type in _VIOLENT_TYPES
            and act.event_date == rest.event_date and _around(act, rest) and compatible_actors(act, rest))


def _killing_at(demo: Event, act: Event) -> bool:
    """"A 32-year-old man was shot dead near the square" in a march that turned violent: a killing between the
    crowd and the force that met it, at the demonstration's place and day, is the demonstration's toll."""
    if demo.sub_event_type not in _DEMONSTRATION_RANK or act.event_type not in ("Battles", "Violence against civilians"):
        return False
    sides = {x for x in (act.actor1, act.actor2) if x}
    theirs = {x for x in (demo.actor1, demo.actor2) if x}
    return (act.event_date == demo.event_date and same_place(demo, act)
            and any(x.startswith(_CROWDS) or x in theirs for x in sides)
            and all(x.startswith(_CROWDS + ("Civilians",)) or x in theirs for x in sides))


def same_event(a: Event, b: Event, summary: bool = False, undated: bool = False) -> bool:
    """`summary`: one of the two is told in a headline or a list of the day's developments; `undated`: one
    of them names no day of its own (a summary bullet dated by the report, the act by the story)."""
    if _one_demonstration(a, b):
        return True
    # A clash and a capture told apart are one battle only at one specific place: a whole
    # governorate holds many battles.
    kinds_agree = a.sub_event_type == b.sub_event_type or (
        a.event_type == "Battles" and _specific(a) and _specific(b))
    # A report's summary and its telling may date one act a day apart ("on May 20" in a list of the
    # day's developments, "on the evening of May 19" in the story): the same act at the same place.
    dates_agree = a.event_date == b.event_date or (
        summary and a.sub_event_type == b.sub_event_type and _days_apart(a.event_date, b.event_date)
        <= (TUNING.dedup.summary_days if undated else TUNING.dedup.summary_dated_days))
    return (
        a.event_type == b.event_type
        and kinds_agree
        and dates_agree
        and same_place(a, b)
        and compatible_actors(a, b)
    )


def _listed(report: Report, draft) -> bool:
    """The telling stands in a bulleted list or the report's first line (its headline)."""
    if draft is None:
        return False
    line = draft.sentence.line
    return line == 1 or report.lines[line - 1].lstrip()[:1] in ("-", "•", "*", "–", "·")


def _days_apart(d1: str | None, d2: str | None) -> float:
    if not d1 or not d2:
        return float("inf")
    try:
        return abs((date.fromisoformat(d1) - date.fromisoformat(d2)).days)
    except ValueError:
        return float("inf")


def _adopt(keep: Event, other: Event, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(keep, name, getattr(other, name))


_ACTOR_FIELDS = {k: (f"actor{k}", f"inter{k}", f"actor{k}_id") for k in ("1", "2")}


def _merge_demonstration(keep: Event, other: Event) -> None:
    """The gravest telling decides the type, and with it the crowd's name (rioters in a riot)."""
    if _arrests_at(keep, other) or _arrests_at(other, keep):
        demo = other if _arrests_at(keep, other) else keep
        _adopt(keep, demo, ("event_type", "sub_event_type", *_ACTOR_FIELDS["1"]))
        if keep.sub_event_type == "Peaceful protest":  # detained by the police: an intervention
            keep.event_type, keep.sub_event_type = "Protests", "Protest with intervention"
        return
    if _riot_at(keep, other) or _riot_at(other, keep):
        riot = keep if keep.sub_event_type == "Mob violence" else other
        if riot is other:
            _adopt(keep, other, _ACTOR_FIELDS["1"])  # the rioters are the crowd
        keep.event_type, keep.sub_event_type = "Riots", "Violent demonstration"
        return
    if _DEMONSTRATION_RANK[other.sub_event_type] <= _DEMONSTRATION_RANK[keep.sub_event_type]:
        return
    _adopt(keep, other, ("event_type", "sub_event_type"))
    for k, names in _ACTOR_FIELDS.items():
        mine, theirs = getattr(keep, names[0]), getattr(other, names[0])
        if mine and mine.startswith(_CROWDS) and theirs and theirs.startswith(_CROWDS):
            _adopt(keep, other, names)


def _merge_into(keep: Event, other: Event) -> None:
    demonstration = (keep.sub_event_type in _DEMONSTRATION_RANK and other.sub_event_type in _DEMONSTRATION_RANK
                     and keep.sub_event_type != other.sub_event_type) or _riot_at(keep, other) or _riot_at(other, keep) \
        or _arrests_at(keep, other) or _arrests_at(other, keep)
    if demonstration:
        _merge_demonstration(keep, other)
    if keep.event_date and other.event_date and other.event_date < keep.event_date:
        keep.event_date = other.event_date  # a day-list says "today"; the story gives the evening before
    seen = {(e.doc_id, e.line) for e in keep.evidence}
    for ev in other.evidence:
        if (ev.doc_id, ev.line) not in seen:
            keep.evidence.append(ev)
            seen.add((ev.doc_id, ev.line))
    counts = [x for x in (keep.fatalities, other.fatalities) if x is not None]
    # Tellings of one act: the lowest figure (ACLED's conservative rule).  Parts of one demonstration (the
    # march, its dispersal, a shooting): the toll is the gravest part's, not the march's "no one died".
    keep.fatalities = (max(counts) if demonstration else min(counts)) if counts else None
    inj = [x for x in (keep.injured, other.injured) if x is not None]
    keep.injured = min(inj) if inj else None
    if keep.actor2 is None and other.actor2 is not None and other.actor2 != keep.actor1:
        _adopt(keep, other, _ACTOR_FIELDS["2"])
    # "A suicide bomber ..." then "IS-K said one of its fighters carried out the bombing": the author named.
    named = other.actor1 is not None and not other.actor1.startswith("Unidentified ") \
        and other.actor1 not in (keep.actor1, keep.actor2)
    if (keep.actor1 is None and other.actor1 is not None) or (
            named and keep.actor1 is not None and keep.actor1.startswith("Unidentified ")):
        _adopt(keep, other, _ACTOR_FIELDS["1"])
    if other.geo_precision < keep.geo_precision and other.location == keep.location:
        keep.geo_precision = other.geo_precision
    if keep.attribution is None:
        keep.attribution = other.attribution
    # Territory taken outranks the fighting that took it.
    if keep.event_type == "Battles" and keep.sub_event_type == "Armed clash" and other.event_type == "Battles" \
            and other.sub_event_type != "Armed clash":
        keep.sub_event_type = other.sub_event_type
    keep.confidence = max(keep.confidence, other.confidence)


def _close_enough(a, b) -> bool:
    """Two tellings can be one event: both place it themselves, or they stand in one section.

    A place carried over from earlier text is a guess; two guesses at the same place
    far apart in a report are not evidence of one event.
    """
    if a is None or b is None:
        return True
    if a.sentence.section == b.sentence.section:
        return True
    # Far apart in the report, only the same act at a place both name is one event.
    return (a.place_scope == "sentence" and b.place_scope == "sentence"
            and a.sub_event_type == b.sub_event_type)


def _refers_back(keep: Event, ev: Event, keep_draft, draft) -> bool:
    """'The airstrikes caused deaths ...' after an airstrike, 'its fighter carried out the bombing' after a
    suicide bombing: the same event, told on."""
    return (draft is not None and keep_draft is not None and draft.anaphoric
            and (keep.sub_event_type == ev.sub_event_type or (draft.names_author and keep.event_type == ev.event_type)
                 # "The exchange of small-arms and artillery fire continued": the battle told before, going on
                 or (draft.continues and {keep.event_type, ev.event_type} <= {"Battles", "Explosions/Remote violence"}))
            # (told in a paragraph that names another place: "... near Saravan. Three were killed in the clash")
            and (draft.place_scope != "paragraph" or same_place(keep, ev))
            and keep_draft.sentence.section == draft.sentence.section
            and compatible_actors(keep, ev))


# "The provisional toll on the enemy side is 17 terrorists neutralised": the toll of the act just told.
_TOLL_OPENING = re.compile(r"\s*(?:the|a)\s+(?:[\w-]+\s+){0,2}?(?:toll|tally|casualty count|balance sheet)\b", re.I)


def _toll_of(keep: Event, ev: Event, keep_draft, draft) -> bool:
    return (draft is not None and keep_draft is not None and draft.place_scope != "sentence"
            and _TOLL_OPENING.match(draft.sentence.text) is not None
            and keep.event_type in _VIOLENT_TYPES and ev.event_type in _VIOLENT_TYPES
            and keep_draft.sentence.section == draft.sentence.section and compatible_actors(keep, ev))


def _summary_of(vague: Event, specific: Event) -> bool:
    """'Turkey has shelled a city in northeastern Syria' ... 'Turkey fired on Qamishli': the act told
    first by its country alone and then at its place is one event.  (A province holds many acts of
    one kind in a roundup; a whole country named alone is the lead of the story told next.)"""
    if vague.geo_precision < 3 or specific.geo_precision >= 3 or vague.location != vague.country:
        return False
    if vague.country != specific.country:
        return False
    return (vague.sub_event_type == specific.sub_event_type and vague.event_date == specific.event_date
            and vague.actor1 is not None and vague.actor1 == specific.actor1)


def _take_place(keep: Event, other: Event) -> None:
    """The merged event stands where the more precise telling puts it."""
    _adopt(keep, other, ("location", "latitude", "longitude", "admin1", "admin2", "geo_precision"))


def _near(keep: Event, first, last, draft) -> bool:
    """Told near where the event began, or near where it was last told (a headline's act told on in the story)."""
    return (_close_enough(first, draft) or _close_enough(last, draft)) and (
        keep.geo_precision < 3 or first is None or draft is None
        or draft.sentence.section in (first.sentence.section, last.sentence.section))


def dedup(report: Report) -> Report:
    """Fill report.events with the asserted drafts' events (draft.event), repeated tellings merged."""
    from .notes import describe

    def join(keep: Event, ev: Event) -> None:
        _merge_into(keep, ev)
        keep.notes = describe(keep)

    merged: list[Event] = []
    origin: list = []  # each merged event's first telling
    latest: list = []  # ... and its latest one
    for draft in report.drafts:
        ev = draft.event
        if ev is None or ev.modality != ASSERTED:
            continue
        # "The strike killed ...", "the toll is ...": told on about the last event told that it fits.
        told_on = None
        if draft is not None and (draft.anaphoric or _TOLL_OPENING.match(draft.sentence.text)) and all(latest):
            for k in sorted(range(len(merged)), key=lambda k: latest[k].sentence.index, reverse=True):
                if _refers_back(merged[k], ev, latest[k], draft) or _toll_of(merged[k], ev, latest[k], draft):
                    told_on = k
                    break
        # The nearest earlier telling first: a report tells an event on, close to where it began.
        for k in reversed(range(len(merged))):
            keep = merged[k]
            undated = (draft is not None and not draft.date_told) or (origin[k] is not None and not origin[k].date_told)
            # Told on in the same or the next paragraph ("... killing seven. A community leader said nine were
            # killed and buried on Sunday"): a day apart is the same act, as for a summary.
            told_on_here = draft is not None and latest[k] is not None \
                and 0 <= draft.sentence.paragraph - latest[k].sentence.paragraph <= TUNING.dedup.told_on_paragraphs
            if (same_event(keep, ev, _listed(report, origin[k]) or _listed(report, draft) or told_on_here, undated)
                    and _near(keep, origin[k], latest[k], draft)) or k == told_on:
                if k == told_on and draft.continues and ev.event_type == "Battles" and keep.event_type != "Battles":
                    # "... attacked from several positions. The exchange of fire continued": a battle, whatever
                    # weapon was named first.
                    _adopt(keep, ev, ("event_type", "sub_event_type"))
                join(keep, ev)
                latest[k] = draft
                break
            same_section = origin[k] is None or draft is None or origin[k].sentence.section == draft.sentence.section
            same_paragraph = origin[k] is not None and draft is not None and \
                abs(origin[k].sentence.paragraph - draft.sentence.paragraph) <= TUNING.dedup.aftermath_paragraphs
            if latest[k] is not None and draft is not None and latest[k].sentence.paragraph == draft.sentence.paragraph \
                    and (_arrests_at(keep, ev) or _arrests_at(ev, keep)):
                # (Told in the demonstration's own paragraph: a leader's arrest told apart is an event of its own.)
                join(keep, ev)
                latest[k] = draft
                break
            act_later = same_paragraph and _aftermath_of(ev, keep)
            if act_later or (same_paragraph and _aftermath_of(keep, ev)):
                if act_later:  # the act itself, told after what it left: it leads
                    _adopt(keep, ev, ("event_type", "sub_event_type", "trigger", *_ACTOR_FIELDS["1"], *_ACTOR_FIELDS["2"]))
                join(keep, ev)
                break
            if same_section and (_killing_at(keep, ev) or _killing_at(ev, keep)):
                if _killing_at(ev, keep):  # the demonstration, told after its toll: it leads
                    _adopt(keep, ev, ("event_type", "sub_event_type", "trigger", *_ACTOR_FIELDS["1"], *_ACTOR_FIELDS["2"]))
                deaths = keep.fatalities if _killing_at(ev, keep) else ev.fatalities
                join(keep, ev)
                if deaths:
                    keep.fatalities = deaths  # the killing's count, not a demonstration's "no one died" guess
                    keep.notes = describe(keep)
                break
            if same_section and (_summary_of(keep, ev) or _summary_of(ev, keep)) and compatible_actors(keep, ev):
                if _summary_of(keep, ev):
                    _take_place(keep, ev)
                join(keep, ev)
                break
        else:
            merged.append(ev.copy())  # merging mutates it; report.candidates stay as resolved
            origin.append(draft)
            latest.append(draft)
    for e in merged:
        if e.fatalities is None and e.injured is not None:
            e.fatalities = 0  # "two people were injured when ... shelled Rylsk": a toll told, with no one killed
            e.notes = describe(e)
    # A sentence summing up many acts ("attacks across Ukraine killed four over the past day") is not
    # one more event when the report tells those acts one by one.
    told = [e for e, d in zip(merged, origin) if d is None or not d.summary]
    report.events = [e for e, d in zip(merged, origin)
                     if d is None or not d.summary or not any(o.actor1 == e.actor1 for o in told)]
    return report

