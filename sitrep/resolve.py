"""Stage 5, resolve: name actors and places, finish ACLED coding, write neutral notes.

Generic actors ("the army", "gunmen") are named after the report's country, which
is the country most of the report's places lie in.  Generic armed-group nouns
("militants", "terrorists") are read as the named non-state actor the report was
just talking about, as a human coder reads them.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from collections import Counter
from importlib import resources

from .coding import TERRITORY
from .model import (
    ASSERTED,
    SUB_EVENT_TO_TYPE,
    Actor,
    Candidate,
    Event,
    Evidence,
    Report,
)
from .notes import describe

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
            votes[pm.place.country_code] += 4 if feature == "country" else 2 if feature in ("admin1", "region") else 1
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
            recent = [a for start, para, a in self.named_nonstate
                      if start < mention.start and paragraph - para <= 2
                      and self.actors.as_of(a, date, country).inter in (2, 3, 4)]
            if recent:
                return recent[-1]
            # "Gunmen killed five soldiers ... Boko Haram claimed the attack": named further on, as the one
            # blamed or claiming it, in the same paragraph.
            text = self.report.clean_text
            later = [a for start, para, a in self.named_nonstate if start > mention.start and para == paragraph
                     and _BLAME.search(text, max(mention.end, start - 70), start + 90)]
            if later:
                return later[0]
            # ... or in a paragraph of its own just after: "The TTP claimed responsibility for the attack."
            later = [a for start, para, a in self.named_nonstate if start > mention.start and 0 < para - paragraph <= 2
                     and (_CLAIMED.search(text, start, start + 120) or _CLAIMED_BY.search(text, max(0, start - 50), start))]
            if later:
                return later[0]
        # An unnamed army is the one the report is about, even across a border; unnamed
        # police, militants, protesters and civilians belong where the event happened.
        military = match.type == "state_forces" and not _NOT_ARMY.search(generic)
        home = self.country if military and self.country else (country or self.country)
        return self.actors.resolve(match, home)


_BLAME = re.compile(r"\b(?:claimed|claims|claiming|blamed|blames|blaming|suspected|believed to be|responsibility|"
                    r"members? of|linked to|affiliated|loyal to|belong(?:ing|s)? to|accused|attributed)\b", re.I)
_CLAIMED = re.compile(r"\bclaim(?:ed|s|ing)?\s+(?:responsibility|credit)\b|\bclaim(?:ed|s|ing)?\s+(?:the|this|that)\s+"
                      r"(?:attack|bombing|ambush|assault|killing|raid|abduction|kidnapping)", re.I)
_CLAIMED_BY = re.compile(r"\bclaimed\b[^.;]{0,30}?\bby\s+(?:the\s+)?$", re.I)
_VICTIMS_OF = {"Violence against civilians", "Explosions/Remote violence"}
_NO_BATTLEFIELD = {"Agreement", "Change to group/activity", "Headquarters or base established", "Other"}
_PROTEST_SUBS = {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
_RIOT_SUBS = {"Violent demonstration", "Mob violence"}


def _demonstration_sides(sub: str, a1: Actor | None, a2: Actor | None, namer: "_Namer", country: str | None):
    """ACLED codes demonstrations with the demonstrators as actor 1 and any force that met them as actor 2."""
    if sub not in _PROTEST_SUBS and sub not in _RIOT_SUBS:
        return a1, a2
    crowd_type = "protesters" if sub in _PROTEST_SUBS else "rioters"
    crowd = next((a for a in (a1, a2) if a is not None and a.type in ("protesters", "rioters")), None)
    if crowd is None or crowd.type != crowd_type:
        try:
            crowd = namer.actors.get(f"{crowd_type}:{country}") if country else None
        except KeyError:
            crowd = None
        crowd = crowd or Actor(id=crowd_type, name=crowd_type.capitalize(), type=crowd_type)
    force = next((a for a in (a1, a2) if a is not None and a.type in ("state_forces", "external_forces")), None)
    if sub == "Peaceful protest":
        force = None
    return crowd, force


def _territory_type(sub: str, actor1: Actor | None, foreign: bool = False, host_allied: bool = False) -> str:
    """ACLED: the government's forces or their affiliates regain territory; a non-state actor or a
    foreign state's forces overtake it.  `foreign`: actor1 is a named state force of another country;
    `host_allied`: the sentence names the host country's own forces on its side (Chadian troops "in
    support of Nigerian forces" retake a town: an affiliate).  Russian forces capturing a village in
    Ukraine, or Turkish forces one in Syria, overtake it.  `sub` is one of events.TERRITORY."""
    if actor1 is None:
        return "Non-state actor overtakes territory"
    if actor1.type == "pro_government_militia":
        return "Government regains territory"
    if actor1.inter == 1 or actor1.name.startswith("Military Forces of"):
        return "Non-state actor overtakes territory" if foreign and not host_allied else "Government regains territory"
    return "Non-state actor overtakes territory"


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
    namer = _Namer(report, actors, country)
    for cand in report.drafts:
        cand.event = _code(report, cand, namer, gazetteer, country, filed_from)
    report.candidates = [cand.event for cand in report.drafts]
    return report


def _code(report: Report, cand: Candidate, namer: _Namer, gazetteer, country: str | None,
          filed_from=None) -> Event:
    sent = cand.sentence
    pm0 = report.places[cand.place_index] if cand.place_index is not None else None
    where = pm0.place.country_code if pm0 is not None and pm0.place is not None else None
    # Who an actor is can change with time: the Taliban have been Afghanistan's state forces since 2021.
    a1 = namer.actors.as_of(namer.name(cand.actor1, sent.paragraph, where, cand.date), cand.date, where)
    a2 = namer.actors.as_of(namer.name(cand.actor2, sent.paragraph, where, cand.date), cand.date, where)
    if a1 is not None and a2 is not None and a1.name == a2.name:
        a2 = None
    assoc = []
    for m in cand.assoc1:
        a = namer.name(m, sent.paragraph, where)
        if a is not None and a.name not in {x.name for x in (a1, a2) if x} and a.name not in assoc:
            assoc.append(a.name)
    a1_from_country = False
    if a1 is None and cand.actor1_country:
        try:
            a1 = namer.actors.get(f"military:{cand.actor1_country}", country)
            a1_from_country = True
        except KeyError:
            a1 = None
    if a2 is None and cand.target_kind and (where or country):
        try:
            a2 = namer.actors.get(f"{cand.target_kind}:{where or country}")
        except KeyError:
            a2 = None
        if a2 is not None and a1 is not None and a2.name == a1.name:
            a2 = None
    sub = cand.sub_event_type
    if sub in TERRITORY:
        foreign = _named_foreign(cand.actor1, a1, where or country, a1_from_country)
        sub = _territory_type(sub, a1, foreign, foreign and _host_forces_beside(report, sent, namer, where or country, a2))
    if sub == "Attack" and a1 is not None and a1.inter == 1 and a2 is not None and a2.type == "protesters":
        sub = "Excessive force against protesters"  # ACLED: state forces killing or wounding protesters
    assoc2 = None
    if a2 is not None and namer.actors.is_party(a2) and SUB_EVENT_TO_TYPE.get(sub) in _VICTIMS_OF and (where or country):
        # ACLED: members of a party attacked are civilians, the party their associate actor.
        try:
            a2, assoc2 = namer.actors.get(f"civilians:{where or country}"), a2.name
        except KeyError:
            pass
    a1, a2 = _demonstration_sides(sub, a1, a2, namer, where or country)
    if sub == "Attack" and a2 is None and cand.actor2 is None:
        pass  # ACLED leaves actor2 empty when the victims are not named
    pm = report.places[cand.place_index] if cand.place_index is not None else None
    place = pm.place if pm is not None else None
    precision = 3
    fatalities = cand.fatalities
    if sub == "Peaceful protest" and fatalities is None:
        fatalities = 0  # ACLED: a peaceful protest reports no deaths
    # A statement, defection or agreement told without a place happened at no battlefield:
    # like a place from elsewhere in the report, only its region is known.
    carried = cand.place_scope in ("document", "region") or (
        cand.place_scope in ("paragraph", "section") and sub in _NO_BATTLEFIELD)
    if place is not None and carried and place.precision < 3 and place.admin1:
        # A place from another part of the report, or a province named by its border:
        # only the region can be trusted.
        place = gazetteer.admin1_place(place.country_code, place.admin1) or place
    if place is None and filed_from is not None and not report.places:
        place, pm = filed_from, None  # no place in the whole text: the dateline city, approximately
    if place is None and country:
        place = gazetteer.country_place(country)
    if place is not None:
        precision = max(place.precision, pm.precision if pm is not None and place is pm.place else 3)
        if place is filed_from and pm is None:
            precision = 2  # the dateline city: the report says no more precisely where
        if (cand.place_inherited or cand.place_scope == "region") and precision < 3:
            precision = 2
        if cand.place_scope in ("region", "near"):
            precision = 2
    location = place.name if place is not None else None
    confidence = _confidence(cand, a1, place)
    ev = Event(
        event_id=event_id(report.doc_id, sent.line, sub, location, a1.name if a1 else None),
        doc_id=report.doc_id,
        event_date=cand.date,
        event_type=SUB_EVENT_TO_TYPE[sub],
        sub_event_type=sub,
        actor1=a1.name if a1 else None,
        inter1=a1.inter if a1 else None,
        actor2=a2.name if a2 else None,
        inter2=a2.inter if a2 else None,
        country=place.country if place is not None else None,
        admin1=(place.admin1 or admin1_fill(place.geonameid)) if place is not None else None,
        location=location,
        latitude=place.latitude if place is not None else None,
        longitude=place.longitude if place is not None else None,
        geo_precision=precision,
        fatalities=fatalities,
        injured=cand.injured,
        source=report.source,
        attribution=cand.attribution,
        notes="",
        confidence=confidence,
        evidence=[Evidence(line=sent.line, text=sent.text, doc_id=report.doc_id, source=report.source,
                           attribution=cand.attribution)],
        modality=cand.modality,
        iso=place.country_code if place is not None else None,
        assoc_actor_1="; ".join(assoc) or None,
        assoc_actor_2=assoc2,
        trigger=cand.trigger.text,
        actor1_id=a1.id if a1 else None,
        actor2_id=a2.id if a2 else None,
    )
    ev.notes = describe(ev)
    return ev


def _confidence(cand: Candidate, actor1: Actor | None, place) -> float:
    """A 0-1 score: trigger strength, a named actor, a placed location, an asserted claim."""
    c = 0.25 + 0.1 * min(cand.score, 4)
    if actor1 is not None:
        c += 0.1 if cand.actor_inherited else 0.15
    if place is not None:
        c += 0.05 if cand.place_inherited else 0.12
    if cand.modality != ASSERTED:
        c *= 0.5
    return round(min(c, 0.99), 2)
