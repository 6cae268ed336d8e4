"""Stage 5, resolve: name actors and places, finish ACLED coding, write neutral notes.

Generic actors ("the army", "gunmen") are named after the report's country, which
is the country most of the report's places lie in.  Generic armed-group nouns
("militants", "terrorists") are read as the named non-state actor the report was
just talking about, as a human coder reads them.

Once the actors are named, the resolve rules (data/en/rules/resolve.yaml) decide whether that
changes the act's type (territory by who took it, state forces killing protesters); the fields
are then filled by ACLED's conventions (sitrep/coding.py).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .coding import (
    carried_place,
    demonstration_sides,
    geo_precision,
    party_members_as_civilians,
    protest_fatalities,
)
from .model import (
    ASSERTED,
    SUB_EVENT_TO_TYPE,
    Actor,
    Candidate,
    Event,
    Evidence,
    Place,
    Report,
)
from .notes import describe
from .rules import Site, rulebook
from .rules import test as rule_test
from .tuning import TUNING

# Generic nouns a coder reads as "the armed group named just before".
_ARMED_GENERICS = {"militants", "terrorists", "insurgents", "rebels", "jihadists", "gunmen", "fighters",
                   "extremists", "armed group", "armed men", "takfiris", "terrorist", "militant", "insurgent",
                   "rebel", "jihadist", "fighter", "extremist", "terrorist group", "terrorist groups",
                   "assailants", "suicide bomber"}
# Generic state forces that are not the army ("police", "border guards").
_NOT_ARMY = re.compile(r"police|gendarm|guard")


@functools.cache
def _admin1_fill() -> dict[int, str]:
    """geonameid -> admin1 name for towns the gazetteer knows without one (scripts/build_admin1_fill.py)."""
    path = resources.files("sitrep").joinpath("data", "admin1_fill.tsv.gz")
    out: dict[int, str] = {}
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            gid, _, name = line.rstrip("\n").partition("\t")
            out[int(gid)] = name
    return out


def admin1_fill(geonameid: int | None) -> str | None:
    """The admin1 name of a town outside the conflict countries' ACLED tables, if known."""
    if not geonameid:
        return None
    return _admin1_fill().get(int(geonameid))


def report_country(report: Report) -> str | None:
    """The country a report is about: where most of its resolved places lie."""
    votes: Counter[str] = Counter()
    # "Al-Shabaab militants": a place name inside a named actor's name is the actor, not a place --
    # unless it lies in the actor's own country ("Donetsk People's Republic").
    named = [(m.start, m.end, getattr(m.value, "country", None)) for m in report.mentions
             if m.kind == "actor" and getattr(m.value, "actor_id", None)]
    for pm in report.places:
        if pm.place is not None and any(s <= pm.start < e and cc != pm.place.country_code for s, e, cc in named):
            continue
        if pm.place is not None and pm.place.country_code:
            # A country named outright is the strongest sign; an obscure village the weakest.
            feature = pm.place.feature
            country, region, other = TUNING.resolve.country_votes
            votes[pm.place.country_code] += country if feature == "country" else region if feature in ("admin1", "region") else other
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def event_id(doc_id: str, line: int, sub_event_type: str, location: str | None, actor1: str | None) -> str:
    """A stable id: the same report coded the same way gives the same id on every run."""
    key = "\x1f".join([doc_id, str(line), sub_event_type, location or "", actor1 or ""])
    return "SR" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12].upper()


class _Namer:
    """Turns actor mentions into canonical Actors, with coreference for generic armed groups."""

    def __init__(self, report: Report, actors, country: str | None):
        self.report = report
        self.actors = actors
        self.country = country

    @functools.cached_property
    def named_nonstate(self) -> list[tuple[int, int, Actor]]:
        """(start, paragraph, actor) of each named non-state armed group in the report.

        Worked out on first use: many reports never read an armed-group noun as one of them.
        """
        named = []
        for m in self.report.mentions:
            if m.kind == "actor" and m.value.actor_id:
                actor = self.actors.resolve(m.value, self.country)
                # A pro-government militia is not who "the militants" or "the assailants" are.
                # (Nor is a political party: "a BNP leader was shot dead by gunmen".)
                if actor is not None and actor.inter in (2, 3, 4) and actor.type != "pro_government_militia" \
                        and not self.actors.is_party(actor):
                    named.append((m.start, self.report.sentences[m.sentence].paragraph, actor))
        return named

    def name(self, mention, paragraph: int, country: str | None = None, date: str | None = None) -> Actor | None:
        """The canonical actor; generic nouns take the country where the event happened.

        `date`: the event's day; a group that is a state's forces by then (the Taliban since 2021) is
        not who "a suicide bomber" or "the militants" are."""
        if mention is None:
            return None
        match = mention.value
        generic = (match.generic or "").lower()
        if match.actor_id is None and generic in _ARMED_GENERICS and match.country is None:
            meant = self._armed_group_meant(mention, paragraph, country, date)
            if meant is not None:
                return meant
        # An unnamed army is the one the report is about, even across a border; unnamed
        # police, militants, protesters and civilians belong where the event happened.
        military = match.type == "state_forces" and not _NOT_ARMY.search(generic)
        home = self.country if military and self.country else (country or self.country)
        return self.actors.resolve(match, home)

    def _armed_group_meant(self, mention, paragraph: int, country: str | None, date: str | None) -> Actor | None:
        """The named group "the militants" are: the last one named up to two paragraphs before (and not a
        state's forces on the day), else one named further on as blamed or claiming the act."""
        recent = [a for start, para, a in self.named_nonstate
                  if start < mention.start and paragraph - para <= TUNING.resolve.coreference_paragraphs
                  and self.actors.as_of(a, date, country).inter in (2, 3, 4)
                  # (a group of another country named in an earlier paragraph is another story's: RSF in Sudan
                  # is not "the gunmen" of a Malian ambush told next)
                  and (para == paragraph or a.country is None or country is None or a.country == country)]
        if recent:
            return recent[-1]
        return self._named_after(mention, paragraph)

    def _named_after(self, mention, paragraph: int) -> Actor | None:
        """"Gunmen killed five soldiers ... Boko Haram claimed the attack": the group named further on as the
        one blamed or claiming it, in the same paragraph, or in a paragraph of its own just after ("The TTP
        claimed responsibility for the attack.")."""
        text, tuning = self.report.clean_text, TUNING.resolve
        before, after = tuning.blame_chars
        for start, para, a in self.named_nonstate:
            if start > mention.start and para == paragraph and _BLAME.search(text, max(mention.end, start - before), start + after):
                return a
        before, after = tuning.claim_chars
        for start, para, a in self.named_nonstate:
            if start > mention.start and 0 < para - paragraph <= tuning.claim_paragraphs and (
                    _CLAIMED.search(text, start, start + after) or _CLAIMED_BY.search(text, max(0, start - before), start)):
                return a
        return None


_BLAME = re.compile(r"\b(?:claimed|claims|claiming|blamed|blames|blaming|suspected|believed to be|responsibility|"
                    r"members? of|linked to|affiliated|loyal to|belong(?:ing|s)? to|accused|attributed)\b", re.I)
_CLAIMED = re.compile(r"\bclaim(?:ed|s|ing)?\s+(?:responsibility|credit)\b|\bclaim(?:ed|s|ing)?\s+(?:the|this|that)\s+"
                      r"(?:attack|bombing|ambush|assault|killing|raid|abduction|kidnapping)", re.I)
_CLAIMED_BY = re.compile(r"\bclaimed\b[^.;]{0,30}?\bby\s+(?:the\s+)?$", re.I)


@dataclass(slots=True)
class _Scene:
    """What resolve knows of the whole report while it codes each of its drafts."""

    report: Report
    namer: _Namer
    gazetteer: Any
    country: str | None  # the report's country
    filed_from: Place | None  # where the dateline says the report was filed


@dataclass(slots=True)
class _Sides:
    """A draft's actors once named: actor 1, actor 2, actor 1's associates, and whether actor 1 was read
    from a country named as the subject ("Turkey has shelled ...")."""

    actor1: Actor | None
    actor2: Actor | None
    assoc: list[str]
    from_country: bool = False


def _host_forces_beside(report: Report, sent, namer: "_Namer", country: str | None, actor2: Actor | None) -> bool:
    """Whether the sentence names the host country's own state forces other than as the opponent."""
    for m in report.mentions:
        if m.kind != "actor" or m.sentence != sent.index:
            continue
        a = namer.actors.resolve(m.value, country)
        if a is not None and a.inter == 1 and a.country == country and (actor2 is None or a.name != actor2.name):
            return True
    return False


def _named_foreign(mention, actor: Actor | None, country: str | None, from_demonym: bool = False) -> bool:
    """Whether an actor is a state force the text names as another country's ("Russian forces",
    "the Turkish army"); an unnamed army ("government forces") is never read as foreign."""
    if actor is None or country is None or actor.country is None or actor.country == country:
        return False
    if from_demonym:
        return True
    match = mention.value if mention is not None else None
    return match is not None and (match.actor_id is not None or match.country is not None)


def resolve(report: Report, gazetteer=None, actors=None) -> Report:
    """Code every draft as an Event (draft.event), listed in report.candidates (every modality)."""
    from .actors import ActorTable
    from .gazetteer import Gazetteer

    gazetteer = gazetteer or Gazetteer.default()
    actors = actors or ActorTable.default()
    country = report_country(report)
    filed_from = gazetteer.dateline_place(report.dateline) if report.dateline else None
    if country is None and filed_from is not None:
        country = filed_from.country_code  # a report naming no place happened where it was filed
    scene = _Scene(report, _Namer(report, actors, country), gazetteer, country, filed_from)
    for cand in report.drafts:
        cand.event = _code(scene, cand)
    report.candidates = [cand.event for cand in report.drafts]
    return report


def _code(scene: _Scene, cand: Candidate) -> Event:
    """The draft coded: its actors named, its type as the resolve rules decide, its fields filled as ACLED fills them."""
    pm = cand.place
    where = pm.place.country_code if pm is not None and pm.place is not None else None
    home = where or scene.country
    sides = _named_sides(scene, cand, where)
    sub = _retyped(scene, cand, sides, home)
    sides.actor2, assoc2 = party_members_as_civilians(sub, sides.actor2, scene.namer.actors, home)
    sides.actor1, sides.actor2 = demonstration_sides(sub, sides.actor1, sides.actor2, scene.namer.actors, home)
    place, precision = _placed(scene, cand, sub)
    return _event(scene.report, cand, sub, sides, assoc2, place, precision)


def _named_sides(scene: _Scene, cand: Candidate, where: str | None) -> _Sides:
    """Actors 1 and 2 as named on the act's day (never one actor on both sides) and actor 1's associates;
    then the unnamed ones the text implies: a country as the subject is its forces, an unnamed target
    ("attacked a police post") is the actor of its kind where the act happened."""
    namer, para = scene.namer, cand.sentence.paragraph
    # Who an actor is can change with time: the Taliban have been Afghanistan's state forces since 2021.
    a1 = namer.actors.as_of(namer.name(cand.actor1, para, where, cand.date), cand.date, where)
    a2 = namer.actors.as_of(namer.name(cand.actor2, para, where, cand.date), cand.date, where)
    if a1 is not None and a2 is not None and a1.name == a2.name:
        a2 = None
    sides = _Sides(a1, a2, _associates(namer, cand, where, (a1, a2)))
    if a1 is None and cand.actor1_country:
        sides.actor1 = _generic(namer.actors, f"military:{cand.actor1_country}", scene.country)
        sides.from_country = sides.actor1 is not None
    if a2 is None and cand.target_kind and (where or scene.country):
        a2 = _generic(namer.actors, f"{cand.target_kind}:{where or scene.country}")
        if a2 is not None and sides.actor1 is not None and a2.name == sides.actor1.name:
            a2 = None
        sides.actor2 = a2
    return sides


def _associates(namer: _Namer, cand: Candidate, where: str | None, sides: tuple[Actor | None, ...]) -> list[str]:
    """The names of actor 1's associates, once each, other than actors 1 and 2."""
    taken = {x.name for x in sides if x}
    assoc: list[str] = []
    for m in cand.assoc1:
        a = namer.name(m, cand.sentence.paragraph, where)
        if a is not None and a.name not in taken and a.name not in assoc:
            assoc.append(a.name)
    return assoc


def _generic(actors, actor_id: str, country: str | None = None) -> Actor | None:
    """A generic actor such as ``military:TR`` or ``police:NG``, if the actor table can name it."""
    try:
        return actors.get(actor_id, country)
    except KeyError:
        return None


def _retyped(scene: _Scene, cand: Candidate, sides: _Sides, home: str | None) -> str:
    """The draft's sub-event type after the first resolve rule that fires (data/en/rules/resolve.yaml)."""
    sub = cand.sub_event_type
    trigger = cand.trigger
    facts = {"actor1": sides.actor1, "actor2": sides.actor2, "from_country": sides.from_country,
             "country": home, "namer": scene.namer}
    site = Site(scene.report, cand.sentence, trigger.start, trigger.end, trigger.text, frozenset((sub,)), cand, facts)
    rule = rulebook().first("resolve", site)
    return rule.to if rule is not None and rule.action == "retype" else sub


def _placed(scene: _Scene, cand: Candidate, sub: str) -> tuple[Place | None, int]:
    """Where the act is coded and how precisely: its place (its province when only the region can be
    trusted), else the dateline city when the text names no place at all, else the report's country."""
    report = scene.report
    pm = cand.place
    place = carried_place(pm.place if pm is not None else None, cand.place_scope, sub, scene.gazetteer)
    if place is None and scene.filed_from is not None and not report.places:
        place, pm = scene.filed_from, None  # no place in the whole text: the dateline city, approximately
    if place is None and scene.country:
        place = scene.gazetteer.country_place(scene.country)
    if place is None:
        return None, 3
    told = pm.precision if pm is not None and place is pm.place else 3
    return place, geo_precision(place.precision, told, cand.place_scope, place is scene.filed_from and pm is None)


def _event(report: Report, cand: Candidate, sub: str, sides: _Sides, assoc2: str | None, place: Place | None,
           precision: int) -> Event:
    """The coded Event, with its neutral note."""
    sent, a1, a2 = cand.sentence, sides.actor1, sides.actor2
    ev = Event(
        event_id=event_id(report.doc_id, sent.line, sub, place.name if place is not None else None,
                          a1.name if a1 else None),
        doc_id=report.doc_id,
        event_date=cand.date,
        event_type=SUB_EVENT_TO_TYPE[sub],
        sub_event_type=sub,
        **_actor_fields(a1, "1"),
        **_actor_fields(a2, "2"),
        **_place_fields(place),
        geo_precision=precision,
        fatalities=protest_fatalities(sub, cand.fatalities),
        injured=cand.injured,
        source=report.source,
        attribution=cand.attribution,
        notes="",
        confidence=_confidence(cand, a1, place),
        evidence=[Evidence(line=sent.line, text=sent.text, doc_id=report.doc_id, source=report.source,
                           attribution=cand.attribution)],
        modality=cand.modality,
        assoc_actor_1="; ".join(sides.assoc) or None,
        assoc_actor_2=assoc2,
        trigger=cand.trigger.text,
    )
    ev.notes = describe(ev)
    return ev


def _actor_fields(actor: Actor | None, k: str) -> dict[str, Any]:
    """actorK, interK and actorK_id of an Event."""
    if actor is None:
        return {f"actor{k}": None, f"inter{k}": None, f"actor{k}_id": None}
    return {f"actor{k}": actor.name, f"inter{k}": actor.inter, f"actor{k}_id": actor.id}


def _place_fields(place: Place | None) -> dict[str, Any]:
    """An Event's place fields: the gazetteer's names and point (a town's missing admin1 filled in)."""
    if place is None:
        return dict.fromkeys(("country", "admin1", "location", "latitude", "longitude", "iso"))
    return {"country": place.country, "admin1": place.admin1 or admin1_fill(place.geonameid), "location": place.name,
            "latitude": place.latitude, "longitude": place.longitude, "iso": place.country_code}


def _confidence(cand: Candidate, actor1: Actor | None, place) -> float:
    """A 0-1 score: trigger strength, a named actor, a placed location, an asserted claim."""
    w = TUNING.resolve.confidence
    c = w.base + w.per_point * min(cand.score, 4)
    if actor1 is not None:
        c += w.carried_actor if cand.actor_inherited else w.actor
    if place is not None:
        c += w.carried_place if cand.place_inherited else w.place
    if cand.modality != ASSERTED:
        c *= w.unasserted
    return round(min(c, 0.99), 2)


# ---- the named tests the resolve rules call (site.item: the draft; site.facts: its named actors) -------

def _state_side(actor: Actor | None) -> bool:
    """A state's forces: inter code 1, or an army named as a state's ("Military Forces of ...")."""
    return actor is not None and (actor.inter == 1 or actor.name.startswith("Military Forces of"))


@rule_test("foreign_state_forces")
def _foreign_state_forces(site: Site) -> bool:
    """Actor 1 is a state's forces the text names as another country's ("Russian forces", "the Turkish
    army", "Turkey" as the subject), not a pro-government militia."""
    a1 = site.facts["actor1"]
    return _state_side(a1) and a1.type != "pro_government_militia" \
        and _named_foreign(site.item.actor1, a1, site.facts["country"], site.facts["from_country"])


@rule_test("host_forces_beside")
def _host_forces_beside_named(site: Site) -> bool:
    """The sentence names the host country's own state forces, other than as actor 2 (Chadian troops
    "in support of Nigerian forces")."""
    return _host_forces_beside(site.report, site.sentence, site.facts["namer"], site.facts["country"],
                               site.facts["actor2"])


@rule_test("state_side")
def _state_side_named(site: Site) -> bool:
    """Actor 1 is a state's forces or a militia fighting for the government."""
    a1 = site.facts["actor1"]
    return _state_side(a1) or (a1 is not None and a1.type == "pro_government_militia")


@rule_test("state_forces_on_protesters")
def _state_forces_on_protesters(site: Site) -> bool:
    """Actor 1 is state forces and actor 2 protesters."""
    a1, a2 = site.facts["actor1"], site.facts["actor2"]
    return a1 is not None and a1.inter == 1 and a2 is not None and a2.type == "protesters"
