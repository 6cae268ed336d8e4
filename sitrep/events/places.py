"""Where an act happened: the place list nearest its trigger, one location per distinct place.

"attacked the towns of A, B and C" gives A, B and C; a place elsewhere in the sentence is
context; a place only headed for or spoken from is not where the act was.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from itertools import accumulate

from ..clauses import opens_operation, overlaps_any, purpose_span
from ..geo import km_between
from ..lexicon import cues
from ..model import Mention, Report, Sentence
from ..slots import TERRAIN as _TERRAIN
from ..slots import UNLISTED

# A coordinated place list: "Saraqib, Sarmada, al-Dana, Harem and Salqin", "Arsal and Qalamoun".
_COORD_GAP = re.compile(r"^\s*(?:,|and|or|&|as well as|, and|, or|,\s*and)\s*(?:the\s+)?(?:(?:towns?|villages?|cities|city|areas?|districts?|neighbou?rhoods?)\s+of\s+)?$"
                        # "one person was killed in A and another in B"
                        r"|^\s*,?\s*and\s+(?:another|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
                        r"(?:\s+(?:more|others?|people|persons|civilians|soldiers))?\s+(?:in|at)\s+$", re.I)

_TOWARDS = re.compile(r"\b(?:towards?|en route to|on the road to|in the direction of|on their way to|heading to|heading for|"
                      # "a military officer told our reporter by phone from Jowhar": where the speaker was.
                      r"(?:by|over the|on the) (?:tele|satellite |mobile )?phone from|speaking from|reached in)\s+(?:the\s+)?(?:(?:strategic|key|town|city|village|area|region|of)\s+)*$", re.I)

REGION_SIDES = re.compile(r"\b(?:provincial|province|governorate|administrative)\s+(?:border|boundary|line)s?\b[^.;]{0,25}$|\bprovinces\s+of\s+$", re.I)

# "the Kaduna-Abuja highway": the places a road joins are not where an event on it is.
ROUTE_AFTER = re.compile(r"\s*[-–]\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?\s+(?:highway|road|expressway|motorway|railway|rail line|"
                          r"pipeline|corridor|route|freeway|bypass)\b")

# "al-Raqqa Bridge", "Damascus Gate", "al-Sonbol petrol station", "al-Kheir Market": a structure named after
# a place stands anywhere -- in the town the act is placed at, not in the namesake village.
_FACILITY_WORDS = (r"(?:bridge|dam|gate|road|street|avenue|square|roundabout|highway|prison|stadium|market|"
                   r"(?:petrol|gas|fuel|filling|bus|police|railway|train|power) station|mosque|church|hospital|"
                   r"school|university|factory|refinery|plant)")
_NAMED_FACILITY = re.compile(r"\s+" + _FACILITY_WORDS + r"\b", re.I)
_FACILITY_NAME = re.compile(r"\b" + _FACILITY_WORDS + r"$", re.I)

ROUTE_END = re.compile(r"\s+(?:highway|road|expressway|motorway|railway|rail line|pipeline|corridor|route|freeway|bypass)\b")

# "attacked Kurya village in Bungudu": the event is near the place named, in an unknown smaller one.
UNKNOWN_PLACE_IN = re.compile(r"\b[A-Z][\w'’-]+\s+(?:village|town|township|community|settlement|hamlet|camp|locality|commune)\s+(?:in|of|near)\s+(?:the\s+)?$")


def usable_places(report: Report, places: list[Mention], actors: list[Mention]) -> list[Mention]:
    """The sentence's place mentions that can locate an act: resolved, not inside an actor's name, and not
    the ends of a road named by them ("the Kaduna-Abuja highway"), unless only such ends are named."""
    text = report.clean_text
    valid = [p for p in places if report.places[p.value].place is not None and not overlaps_any(p, actors)]
    route = [p for p in valid if ROUTE_AFTER.match(text, p.end) or _NAMED_FACILITY.match(text, p.end)
             or _FACILITY_NAME.search(p.text) or (
        text[max(0, p.start - 1):p.start] in ("-", "–") and ROUTE_END.match(text, p.end))]
    if route and len(route) < len(valid):
        valid = [p for p in valid if p not in route]
    return valid


@functools.cache
def _act_words_re() -> re.Pattern:
    return re.compile(cues()["act_words"], re.I)


def act_words(report: Report, sent: Sentence, triggers: list) -> list[Mention]:
    """Words that report an act without saying which ("the strikes targeted places in A, B and C"), as
    spans: the places each governs are the sentence's act's too.  Trigger words are counted already."""
    taken = sorted({(t.start, t.end) for t, _ in triggers})
    starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))  # the furthest end of the triggers up to each one
    out = []
    for m in _act_words_re().finditer(sent.text):
        pos = sent.start + m.start()
        k = bisect_right(starts, pos) - 1  # the triggers starting at or before the word: does one reach over it?
        if k < 0 or pos >= reach[k]:
            out.append(Mention("trigger", pos, sent.start + m.end(), m.group(0), sent.index, ()))
    return out


def merge_neighbourhoods(report: Report, places: list[Mention]) -> list[Mention]:
    """A neighbourhood named with its city stands for the city, as ACLED codes it."""
    cities = [m for m in places if report.places[m.value].place.feature in ("city", "town")]
    out = []
    for m in places:
        p = report.places[m.value].place
        if p.feature == "neighbourhood":
            host = next((c for c in cities if _near(report.places[c.value].place, p, km=12.0)), None)
            if host is not None:
                continue
        out.append(m)
    return out


_BETWEEN_END_I = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)

_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:(?:town|city|village|area|territory|direction|side)\s+of\s+)?$", re.I)

REMOTE = {"Shelling/artillery/missile attack", "Air/drone strike"}


def event_places(report: Report, sent: Sentence, triggers: list[Mention], places: list[Mention],
                 remote: bool = False) -> list[int]:
    """The locations of the action: the place lists nearest its triggers, one entry per distinct place.

    "attacked the towns of A, B and C" gives A, B and C; a place elsewhere in the
    sentence ("after troops advanced in Southern Raqqa") is context, not a location.
    """
    ordered = _in_scope(report, sent, triggers, places, remote) if places else []
    if not ordered:
        return []
    groups = _acts_groups(report, _place_groups(report, ordered), triggers)
    union = [m for g in groups for m in g]
    kept = _specific_first(report, union, ordered)
    if any(not any(m in g for g in groups) for m, _ in kept):
        return _distinct(report, _anchored(report, union, ordered, kept))  # a town or province found elsewhere
    chosen = []
    for group in groups:
        members = [(m, pm) for m, pm in kept if m in group]
        chosen.extend(_anchored(report, group, ordered, members) if members else [])
    return _distinct(report, chosen)


def _anchored(report: Report, group: list[Mention], ordered: list[Mention], chosen: list) -> list:
    """"A, B and C in the surroundings of X": members far from the anchor X are misread names; near it means
    within 60 km of a town, or inside a province or region named as anchor."""
    anchor = _anchor(report, report.clean_text, group, ordered)
    if anchor is None:
        return chosen
    if _OVERLOOKS.match(report.clean_text, group[-1].end, group[-1].end + 45):
        return [(None, anchor)]  # "Tal al-Alam, which overlooks Jubab Hamad": the height's town is the location
    near = [(m, pm) for m, pm in chosen if (pm.place.feature != UNLISTED and _near(pm.place, anchor.place, km=60.0))
            or (pm.place.feature == UNLISTED and pm.place.admin1 == anchor.place.admin1)
            or (anchor.place.feature in _REGION_FEATURES and pm.place.country_code == anchor.place.country_code
                and (anchor.place.feature == "country" or pm.place.admin1 == anchor.place.admin1))]
    return near or [(None, anchor)]


def _in_scope(report: Report, sent: Sentence, triggers: list[Mention], places: list[Mention],
              remote: bool) -> list[Mention]:
    """The places the act can be at, in text order: before any purpose clause ("to pave the way for X"), not
    only headed for ("a push towards X"), and for a projectile not where it was fired from."""
    text = report.clean_text
    first = min(triggers, key=lambda t: t.start)
    # An operation's purpose names where it is fought ("an operation to drive ISIL out of X"); another act's
    # aim names where it was not (yet); a later clause of a long sentence tells of its own places again.
    operation = any(opens_operation(t.text) for t in triggers)
    aim = (sent.end, sent.end) if operation else purpose_span(text, first.end, sent.end)
    places = [m for m in places if not aim[0] <= m.start < aim[1]]
    if remote:
        # "fired rockets from Gaza toward Sderot": a projectile lands where it is fired at, not where it left.
        in_scope = [m for m in places if not _FROM_BEFORE.search(text, max(sent.start, m.start - 12), m.start)]
        in_scope = in_scope or places
    else:
        in_scope = [m for m in places if not _TOWARDS.search(text[max(sent.start, m.start - 30):m.start])]
    return sorted(in_scope, key=lambda m: m.start)


def _place_groups(report: Report, ordered: list[Mention]) -> list[list[Mention]]:
    """Places joined by commas and "and" into coordinated lists; countries are the setting, not a location,
    when anything more precise is named."""
    text = report.clean_text
    groups: list[list[Mention]] = []
    for m in ordered:
        if groups and _COORD_GAP.match(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    if any(report.places[m.value].place.feature != "country" for m in ordered):
        groups = [[m for m in g if report.places[m.value].place.feature != "country"] for g in groups]
        groups = [g for g in groups if g]
    return groups


def _distance(group: list[Mention], trigger: Mention) -> tuple[int, int]:
    """How far a place list lies from an act's trigger: after it (its object or location) comes first."""
    first, last = group[0], group[-1]
    if first.start >= trigger.end:
        return (0, first.start - trigger.end)
    if last.end <= trigger.start:
        return (1, trigger.start - last.end)
    return (0, 0)


def _acts_groups(report: Report, groups: list[list[Mention]], triggers: list[Mention]) -> list[list[Mention]]:
    """The act's place lists: the list nearest each act of the sentence.  A further act adds its own
    object's places ("attacked A and B and imposed control near C"), not places it merely follows."""
    chosen_groups = []
    for k, trigger in enumerate(triggers):
        g = min(groups, key=lambda grp: _distance(grp, trigger))
        if k > 0 and _distance(g, trigger)[0] != 0:
            continue
        if g not in chosen_groups:
            chosen_groups.append(g)
    # "the border between Homs and Deir Ezzur" names one location by its two sides; "positions in al-Zalil
    # heights, Tal al-Karah and Tal al-Alam" one battlefield by its hills.
    text = report.clean_text
    return [g[:1] if (len(g) == 2 and _BETWEEN_END_I.search(text[max(0, g[0].start - 20):g[0].start]))
            or _TERRAIN.search(text, max(0, g[0].start - 40), g[-1].end + 12) else g for g in chosen_groups]


def _specific_first(report: Report, group: list[Mention], ordered: list[Mention]) -> list:
    """Specific places named with the act make the regions beside them context; a region alone gives way to
    a town of it named in the clause, or a wide region to a province named there."""
    entries = [(m, report.places[m.value]) for m in group]
    specific = [(m, pm) for m, pm in entries if pm.place.feature == UNLISTED
                or (pm.precision < 3 and pm.place.precision < 3 and pm.place.feature not in _REGION_FEATURES)]
    if specific:
        return specific
    # "hills in Eastern Homs, West of al-Sukhnah": a town of the region named elsewhere in the clause.
    regions = {pm.place.admin1 for _, pm in entries}
    others = [(m, report.places[m.value]) for m in ordered if m not in group]
    inside = [(m, pm) for m, pm in others if pm.place.precision < 3 and pm.place.admin1 in regions
              and pm.place.feature not in _REGION_FEATURES]
    if inside:
        return inside[:1]
    if all(wide_region(pm.place) for _, pm in entries):
        # "hit ISIL in Southern Raqqa ... oil wells in the depth of the Badiya": a province named
        # in the clause says which part of a region spanning several provinces is meant.
        countries = {pm.place.country_code for _, pm in entries}
        provinces = [(m, pm) for m, pm in others if pm.place.feature == "admin1" and pm.place.country_code in countries]
        if provinces:
            return provinces[:1]
    return entries


def _distinct(report: Report, chosen: list) -> list[int]:
    """One location per distinct place (places a few km apart are one)."""
    out: list[int] = []
    seen: list = []
    for m, pm in chosen:
        p = pm.place
        if any(_near(p, q) for q in seen):
            continue
        seen.append(p)
        out.append(m.value if m is not None else report.places.index(pm))
    return out


# ", " or ", Abadam, " (a name the gazetteer lacks, within the chain).
_CHAIN_GAP = re.compile(r"\s*,\s*(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*,\s*)?")


def story_place(report: Report, places: list[Mention]) -> int | None:
    """The place a sentence leaves its story at: the last it names, or, when that one locates the names before
    it ("in Barangay Bubong, Piagapo, Lanao del Sur"), the most precise of that chain.  A place only headed
    for or spoken from ("withdrew towards Jowhar", "by phone from Jowhar") is not where the story is."""
    text = report.clean_text
    places = [m for m in places if not _TOWARDS.search(text, max(0, m.start - 40), m.start)]
    if not places:
        return None
    chain = [places[-1]]
    for m in reversed(places[:-1]):
        if not _CHAIN_GAP.fullmatch(text, m.end, chain[0].start):
            break
        chain.insert(0, m)
    if len(chain) == 1:
        return chain[0].value
    return min(chain, key=lambda m: (report.places[m.value].precision, report.places[m.value].place.precision,
                                     -m.start)).value


_REGION_FEATURES = {"region", "admin1", "country", "mountains", "desert", "area"}


def wide_region(place) -> bool:
    """A region the size of a province or larger (the Badiya, the Jazira): it alone says little of where."""
    return place.feature in ("region", "desert", "mountains") and place.precision >= 3


_NEAR_WORD = re.compile(r"\b(?:in|near|around|outside|of|overlook(?:s|ing)?)\b", re.I)
_OVERLOOKS = re.compile(r"[\s,]*(?:which|that)?\s*overlook(?:s|ing)?\b", re.I)


def _anchor(report: Report, text: str, group: list[Mention], ordered: list[Mention]):
    """The place a list is said to lie in or near ("... villages in the surroundings of X")."""
    last = group[-1]
    for m in ordered:
        if m.start <= last.end:
            continue
        gap = text[last.end:m.start]
        if len(gap) <= 45 and _NEAR_WORD.search(gap) and "," not in gap[:3]:
            pm = report.places[m.value]
            return pm if pm.place is not None and pm.place.latitude is not None else None
        break
    return None


def _near(a, b, km: float = 4.0) -> bool:
    if UNLISTED in (a.feature, b.feature):
        return a.name == b.name  # its point is its container's: only its name tells it apart
    d = km_between(a, b)
    return a.name == b.name if d is None else d <= km
