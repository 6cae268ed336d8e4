"""Stage 6, dedup: one event per real event within a report.

A roundup often tells the same event twice in other words ("stormed the hilltop
of Tal Burkan" ... "took control of several positions in Tal Bourkan").  Two
events of a report merge when they share the event type, the day and the
location (same name or within a few km) and their actors do not contradict.
The merged event keeps every evidence line, the first mention's id and wording,
the smallest reported fatality figure (ACLED's conservative rule) and the
highest confidence.

Each telling (a draft and the Event resolve coded from it, ``draft.event``) joins the nearest
earlier event it tells again, tells on or is part of, else starts an event of its own.  When a
join changes the merged event's type (one demonstration told as a protest and as its dispersal,
a clash told with the town it took) the merge rules decide it (data/en/rules/merge.yaml), and
they drop a sentence that sums up acts the report tells one by one; how the other fields merge
follows ACLED's conventions (sitrep/coding.py).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from .coding import (
    PROTEST_FAMILY,
    injuries_only_toll,
    merged_toll,
    takes_actor1,
    takes_actor2,
)
from .geo import borrowed_point, km_between
from .model import ASSERTED, SUB_EVENT_TO_TYPE, Candidate, Event, Report
from .notes import describe
from .rules import Rule, Site, rulebook
from .rules import test as rule_test
from .tuning import TUNING


def same_place(a: Event, b: Event) -> bool:
    """The same place name, or points within `same_place_km` both finer than a province."""
    if a.location and b.location and a.location == b.location:
        return True
    d = km_between(a, b)
    if borrowed_point(a.location, b.location, d) and max(a.geo_precision, b.geo_precision) >= 2:
        return False
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


# One demonstration told as a protest, then as the police dispersing it, then as stone-throwing, is one
# event (ACLED codes one event per place and day for a demonstration), of the gravest kind told: the
# merge rules (one-demonstration-gravest-telling) rank the kinds.
_DEMONSTRATION = PROTEST_FAMILY
_CROWDS = ("Protesters", "Rioters")


def _riot_at(a: Event, b: Event) -> bool:
    """Mob violence told beside a protest at its place and day ("blocked the road, burnt tyres and pelted
    officers with stones ... teargas was used to disperse them"): the crowd of a violent demonstration."""
    return a.sub_event_type == "Mob violence" and b.sub_event_type in _DEMONSTRATION \
        and b.sub_event_type != "Violent demonstration"


def _arrests_at(a: Event, b: Event) -> bool:
    """People detained at a demonstration's place and day ("at least a dozen people being detained") are the
    demonstration's intervention, not another event."""
    return a.sub_event_type == "Arrests" and b.sub_event_type in _DEMONSTRATION \
        and a.event_date == b.event_date and (same_place(a, b) or _around(b, a)) \
        and not any(x and not x.startswith(_CROWDS + ("Civilians", "Police Forces", "Military Forces"))
                    for x in (a.actor1, a.actor2))


def _one_demonstration(a: Event, b: Event) -> bool:
    both = a.sub_event_type in _DEMONSTRATION and b.sub_event_type in _DEMONSTRATION
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
    if demo.sub_event_type not in _DEMONSTRATION or act.event_type not in ("Battles", "Violence against civilians"):
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


def _listed(report: Report, draft: Candidate) -> bool:
    """The telling stands in a bulleted list or the report's first line (its headline)."""
    line = draft.sentence.line
    return line == 1 or report.lines[line - 1].lstrip()[:1] in ("-", "•", "*", "–", "·")


def _days_apart(d1: str | None, d2: str | None) -> float:
    if not d1 or not d2:
        return float("inf")
    try:
        return abs((date.fromisoformat(d1) - date.fromisoformat(d2)).days)
    except ValueError:
        return float("inf")


def _close_enough(a: Candidate, b: Candidate) -> bool:
    """Two tellings can be one event: both place it themselves, or they stand in one section.

    A place carried over from earlier text is a guess; two guesses at the same place
    far apart in a report are not evidence of one event.
    """
    if a.sentence.section == b.sentence.section:
        return True
    # Far apart in the report, only the same act at a place both name is one event.
    return (a.place_scope == "sentence" and b.place_scope == "sentence"
            and a.sub_event_type == b.sub_event_type)


def _near(keep: Event, first: Candidate, last: Candidate, draft: Candidate) -> bool:
    """Told near where the event began, or near where it was last told (a headline's act told on in the story)."""
    return (_close_enough(first, draft) or _close_enough(last, draft)) and (
        keep.geo_precision < 3 or draft.sentence.section in (first.sentence.section, last.sentence.section))


def _refers_back(keep: Event, ev: Event, keep_draft: Candidate, draft: Candidate) -> bool:
    """'The airstrikes caused deaths ...' after an airstrike, 'its fighter carried out the bombing' after a
    suicide bombing: the same event, told on."""
    return (draft.anaphoric
            and (keep.sub_event_type == ev.sub_event_type or (draft.names_author and keep.event_type == ev.event_type)
                 # "The exchange of small-arms and artillery fire continued": the battle told before, going on
                 or (draft.continues and {keep.event_type, ev.event_type} <= {"Battles", "Explosions/Remote violence"}))
            # (told in a paragraph that names another place: "... near Saravan. Three were killed in the clash")
            and (draft.place_scope != "paragraph" or same_place(keep, ev))
            and keep_draft.sentence.section == draft.sentence.section
            and compatible_actors(keep, ev))


# "The provisional toll on the enemy side is 17 terrorists neutralised": the toll of the act just told.
_TOLL_OPENING = re.compile(r"\s*(?:the|a)\s+(?:[\w-]+\s+){0,2}?(?:toll|tally|casualty count|balance sheet)\b", re.I)


def _toll_of(keep: Event, ev: Event, keep_draft: Candidate, draft: Candidate) -> bool:
    return (draft.place_scope != "sentence"
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


# ---- the stage: each telling joins the event it tells, or starts one ----------------------------------

@dataclass(slots=True)
class _Told:
    """One event as merged so far, with its first telling and its latest."""

    event: Event
    first: Candidate
    last: Candidate


# How a telling tells an event it joins (the merge rules read it as the fact "how"):
TOLD_AGAIN = "told again"  # the same act, at the same place and day, in other words
TOLD_ON = "told on"  # "The strike killed ...", "the toll is ...": the act just told, told on
ARRESTS = "arrests"  # people detained at a demonstration, told in its paragraph
AFTERMATH = "aftermath"  # what a raid or battle left, or the act told after what it left
TOLL = "toll"  # a killing at a demonstration, or the demonstration told after it
SUMMARY = "summary"  # the act told first by its country alone, then at its place


def dedup(report: Report) -> Report:
    """Fill report.events with the asserted drafts' events (draft.event), repeated tellings merged."""
    told: list[_Told] = []
    for draft in report.drafts:
        if draft.event is not None and draft.event.modality == ASSERTED:
            _add(report, told, draft)
    for t in told:
        fatalities = injuries_only_toll(t.event.fatalities, t.event.injured)
        if fatalities != t.event.fatalities:
            t.event.fatalities = fatalities
            t.event.notes = describe(t.event)
    report.events = _kept(report, told)
    return report


def _add(report: Report, told: list[_Told], draft: Candidate) -> None:
    """Join the telling to the nearest earlier event it tells (a report tells an event on close to where
    it began), or to the one it tells on; else it starts an event of its own."""
    told_on = _told_on(told, draft)
    for t in reversed(told):
        how = TOLD_ON if t is told_on else _how_told(report, t, draft)
        if how is not None:
            _join(report, t, draft, how)
            return
    told.append(_Told(draft.event.copy(), draft, draft))  # merging mutates it; report.candidates stay as resolved


def _told_on(told: list[_Told], draft: Candidate) -> _Told | None:
    """"The strike killed ...", "the toll is ...": the last event told that the sentence tells on, if any."""
    if not (draft.anaphoric or _TOLL_OPENING.match(draft.sentence.text)):
        return None
    for t in sorted(told, key=lambda t: t.last.sentence.index, reverse=True):
        if _refers_back(t.event, draft.event, t.last, draft) or _toll_of(t.event, draft.event, t.last, draft):
            return t
    return None


def _how_told(report: Report, t: _Told, draft: Candidate) -> str | None:
    """How the telling tells the event, if it does: again, or as a part of it."""
    if _told_again(report, t, draft):
        return TOLD_AGAIN
    keep, ev = t.event, draft.event
    here, there = draft.sentence, t.first.sentence
    same_section = there.section == here.section
    if t.last.sentence.paragraph == here.paragraph and (_arrests_at(keep, ev) or _arrests_at(ev, keep)):
        # (Told in the demonstration's own paragraph: a leader's arrest told apart is an event of its own.)
        return ARRESTS
    if abs(there.paragraph - here.paragraph) <= TUNING.dedup.aftermath_paragraphs \
            and (_aftermath_of(ev, keep) or _aftermath_of(keep, ev)):
        return AFTERMATH
    if same_section and (_killing_at(keep, ev) or _killing_at(ev, keep)):
        return TOLL
    if same_section and (_summary_of(keep, ev) or _summary_of(ev, keep)) and compatible_actors(keep, ev):
        return SUMMARY
    return None


def _told_again(report: Report, t: _Told, draft: Candidate) -> bool:
    """The same act told again near where it was told.  A headline, a bullet, or a sentence of the same or
    the next paragraph may date it a day apart ("... killing seven. A community leader said nine were killed
    and buried on Sunday"); one that names no day of its own, within the week."""
    undated = not draft.date_told or not t.first.date_told
    told_on_here = 0 <= draft.sentence.paragraph - t.last.sentence.paragraph <= TUNING.dedup.told_on_paragraphs
    summary = _listed(report, t.first) or _listed(report, draft) or told_on_here
    return same_event(t.event, draft.event, summary, undated) and _near(t.event, t.first, t.last, draft)


def _join(report: Report, t: _Told, draft: Candidate, how: str) -> None:
    """Join a telling to the event it tells: the merge rules decide the merged type, ACLED's conventions
    the other fields."""
    keep, ev = t.event, draft.event
    parts = _parts_of_one_demonstration(keep, ev)
    toll = ev.fatalities if how == TOLL else None
    if how == SUMMARY and _summary_of(keep, ev):
        _take_place(keep, ev)
    _retype(report, t, draft, how)
    _merge_fields(keep, ev, parts)
    if toll:
        keep.fatalities = toll  # the later telling's count, not a demonstration's "no one died" guess
    keep.notes = describe(keep)
    if how in (TOLD_AGAIN, TOLD_ON, ARRESTS):
        t.last = draft


@functools.cache
def _merge_rules(actions: frozenset[str]) -> list[Rule]:
    return [r for r in rulebook().stage("merge") if r.action in actions]


def _retype(report: Report, t: _Told, draft: Candidate, how: str) -> None:
    """The merged event's type as the first merge rule that fires decides, with the sides that come with it."""
    keep, ev, trigger = t.event, draft.event, draft.trigger
    site = Site(report, draft.sentence, trigger.start, trigger.end, trigger.text,
                frozenset((keep.sub_event_type, ev.sub_event_type)), ev, {"keep": keep, "how": how, "draft": draft})
    rule = rulebook().first("merge", site, _merge_rules(frozenset(("retype", "keep"))))
    sub = rule.target(site) if rule is not None and rule.action == "retype" else None
    if sub is None:
        return
    _lead_sides(keep, ev, how, sub)
    keep.event_type, keep.sub_event_type = SUB_EVENT_TO_TYPE[sub], sub


def _lead_sides(keep: Event, other: Event, how: str, sub: str) -> None:
    """Whose trigger and sides a retyped event takes.  The act told after what it left, or a demonstration
    told after its toll, leads with its own; the crowd of a demonstration is actor 1 (of arrests made at it,
    or the rioters beside a protest); a graver telling of one demonstration names its crowds (rioters in a
    riot).  `sub`: the type the merge rule gives."""
    if how in (AFTERMATH, TOLL):
        _adopt(keep, other, ("trigger", *_ACTOR_FIELDS["1"], *_ACTOR_FIELDS["2"]))
    elif _arrests_at(keep, other) or _riot_at(other, keep):
        _adopt(keep, other, _ACTOR_FIELDS["1"])
    elif keep.sub_event_type in _DEMONSTRATION and sub == other.sub_event_type != keep.sub_event_type:
        for names in _ACTOR_FIELDS.values():
            mine, theirs = getattr(keep, names[0]), getattr(other, names[0])
            if mine and mine.startswith(_CROWDS) and theirs and theirs.startswith(_CROWDS):
                _adopt(keep, other, names)


def _merge_fields(keep: Event, other: Event, parts: bool) -> None:
    """Fold a telling's fields into the event: the earlier day, every evidence line, the toll (see
    coding.merged_toll; `parts`: the two are parts of one demonstration), the sides one of them lacks,
    the finer precision at one place, a source, the higher confidence."""
    if keep.event_date and other.event_date and other.event_date < keep.event_date:
        keep.event_date = other.event_date  # a day-list says "today"; the story gives the evening before
    seen = {(e.doc_id, e.line) for e in keep.evidence}
    for ev in other.evidence:
        if (ev.doc_id, ev.line) not in seen:
            keep.evidence.append(ev)
            seen.add((ev.doc_id, ev.line))
    keep.fatalities = merged_toll(keep.fatalities, other.fatalities, parts)
    inj = [x for x in (keep.injured, other.injured) if x is not None]
    keep.injured = min(inj) if inj else None
    if takes_actor2(keep, other):
        _adopt(keep, other, _ACTOR_FIELDS["2"])
    if takes_actor1(keep, other):
        _adopt(keep, other, _ACTOR_FIELDS["1"])
    if other.geo_precision < keep.geo_precision and other.location == keep.location:
        keep.geo_precision = other.geo_precision
    if keep.attribution is None:
        keep.attribution = other.attribution
    keep.confidence = max(keep.confidence, other.confidence)


def _adopt(keep: Event, other: Event, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(keep, name, getattr(other, name))


_ACTOR_FIELDS = {k: (f"actor{k}", f"inter{k}", f"actor{k}_id") for k in ("1", "2")}


def _take_place(keep: Event, other: Event) -> None:
    """The merged event stands where the more precise telling puts it."""
    _adopt(keep, other, ("location", "latitude", "longitude", "admin1", "admin2", "geo_precision"))


def _kept(report: Report, told: list[_Told]) -> list[Event]:
    """The merged events the merge rules that drop leave standing (a sentence summing up acts told one by one)."""
    rules = _merge_rules(frozenset(("drop",)))
    one_by_one = [t.event for t in told if not t.first.summary]
    out = []
    for t in told:
        trigger = t.first.trigger
        site = Site(report, t.first.sentence, trigger.start, trigger.end, trigger.text,
                    frozenset((t.event.sub_event_type,)), t.event, {"first": t.first, "one_by_one": one_by_one})
        if rulebook().first("merge", site, rules) is None:
            out.append(t.event)
    return out


# ---- the named tests the merge rules call (site.item: the telling joined; facts: keep, how, draft) -----

def _told_in_parts(keep: Event, other: Event) -> bool:
    """Two tellings of one demonstration that differ in how it went (a protest, its dispersal,
    stone-throwing), or arrests made at it."""
    both = keep.sub_event_type in _DEMONSTRATION and other.sub_event_type in _DEMONSTRATION
    return (both and keep.sub_event_type != other.sub_event_type) or _arrests_at(keep, other) or _arrests_at(other, keep)


def _parts_of_one_demonstration(keep: Event, other: Event) -> bool:
    """Two tellings that are parts of one demonstration: told in parts, or mob violence beside it."""
    return _told_in_parts(keep, other) or _riot_at(keep, other) or _riot_at(other, keep)


@rule_test("fighting_went_on")
def _fighting_went_on(site: Site) -> bool:
    """A battle told on as going on ("The exchange of fire continued") after an act of another kind."""
    keep, ev = site.facts["keep"], site.item
    return site.facts["how"] == TOLD_ON and site.facts["draft"].continues and ev.event_type == "Battles" \
        and keep.event_type != "Battles"


@rule_test("act_after_what_it_left")
def _act_after_what_it_left(site: Site) -> bool:
    """The act told after what it left (houses burnt, weapons recovered)."""
    return site.facts["how"] == AFTERMATH and _aftermath_of(site.item, site.facts["keep"])


@rule_test("demonstration_after_its_toll")
def _demonstration_after_its_toll(site: Site) -> bool:
    """The demonstration told after a killing at it."""
    return site.facts["how"] == TOLL and _killing_at(site.item, site.facts["keep"])


@rule_test("riot_beside_a_protest")
def _riot_beside_a_protest(site: Site) -> bool:
    """Mob violence told beside a protest at its place and day."""
    keep, ev = site.facts["keep"], site.item
    return _riot_at(keep, ev) or _riot_at(ev, keep)


@rule_test("arrests_at_a_demonstration")
def _arrests_at_a_demonstration(site: Site) -> bool:
    """Arrests made at a demonstration's place and day."""
    keep, ev = site.facts["keep"], site.item
    return _arrests_at(keep, ev) or _arrests_at(ev, keep)


@rule_test("one_demonstration_in_parts")
def _one_demonstration_in_parts(site: Site) -> bool:
    """One demonstration told in parts: as a protest, its dispersal, stone-throwing, or arrests made at it."""
    return _told_in_parts(site.facts["keep"], site.item)


@rule_test("sums_up_acts_told_one_by_one")
def _sums_up_acts_told_one_by_one(site: Site) -> bool:
    """The event's first telling sums up many acts ("attacks across Ukraine killed four over the past day"),
    and the report tells acts of the same actor 1 one by one."""
    return site.facts["first"].summary and any(o.actor1 == site.item.actor1 for o in site.facts["one_by_one"])

