"""Places no gazetteer lists, named where only a place can stand.

Monitors and local reporters name villages that no gazetteer has ("the villages of Kafrsajna,
Al-Hbit and Maarzita in the southern countryside of Idlib").  ACLED still codes an event at each
of them, at the coordinates of the nearest known place that holds it, with a lower precision.
This module finds such names in *place slots* -- a member of a list of places, "the village of
X", "X village", "the outskirts of X" -- and gives each a :class:`~sitrep.model.Place` of its
own (feature ``unlisted``): the name as written, the point and province of its container (the
place the list is said to lie in, else the province its listed neighbours share, else the
sentence's or the paragraph's place), geo_precision 2 (a town holds it) or 3 (only a province).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import cache

from .lexicon import data_file
from .model import Mention, Place, PlaceMention, Report, Sentence

UNLISTED = "unlisted"

# A name: capitalised words, with Arabic articles and particles inside ("Um Al-Sair", "Khan al-Shekh",
# "Jeser al- Shagour"), hyphenated parts ("Kleban-Byk") and apostrophes ("Ma'arrat", "Taman’aa").
_PART = r"(?:[A-Z][\w'’ʿʾ`]*(?:-[\w'’ʿʾ`]+)*)"
_PARTICLE = r"(?:(?:al|el|ad|ash|as|ar|az|at|an|ad|bin|ibn|bani|abu|um|umm|de|du|la|le)[-‐]\s?)"
_NAME = rf"(?:{_PARTICLE}?{_PART}(?:\s+(?:{_PARTICLE}|{_PARTICLE}?(?={_PART})){_PART}){{0,3}})"
_SEP = r"(?:\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)"
_LIST = re.compile(rf"{_NAME}(?:{_SEP}{_NAME})*")
# What announces places before a name or a list ("the towns and villages of", "the village of", "in the
# outskirts of", "areas in").
_CUE_BEFORE = re.compile(
    r"\b(?:villages?|towns?|cities|city|hamlets?|settlements?|localities|locality|communities|areas?|places|"
    r"neighbou?rhoods?|districts?|suburbs?|outskirts|vicinity|countryside|environs|surroundings|camps?|"
    r"townships?|municipalit(?:y|ies))\s+(?:of|in|around|near)\s+(?:the\s+)?$", re.I)
_CUE_AFTER = re.compile(r"^\s+(?:village|town|hamlet|settlement|locality|township|camp)\b", re.I)
# Where a list is said to lie: "... in the southern countryside of Idlib", "... north of Aleppo".
_ANCHOR_GAP = re.compile(
    r"^\s*,?\s*(?:in|near|around|of|outside|east|west|north|south)\b[^.;:]{0,50}?$", re.I)
# A list of terrain ("positions in al-Zalil heights, Tal al-Karah and Tal al-Alam"): hills and heights are
# where fighters stand, not settlements; ACLED places such fighting at the nearest town.
TERRAIN = re.compile(r"\b(?:heights?|hills?|hilltops?|mount|mounts|mountains?|ridges?|peaks?|plateau)\b|\(hill\)", re.I)
_UNLISTED_MAX_WORDS = 4


@cache
def _not_names() -> frozenset[str]:
    """Words that open a capitalised run but name no place: common English words, months and days, titles."""
    words = set()
    for name in ("common_words.txt", "place_stopwords.txt"):
        for line in data_file(name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                words.add(line.strip().lower())
    return frozenset(words)


def _plausible(name: str) -> bool:
    """A capitalised run that can be a place's name: not a common word, not an all-capitals acronym."""
    words = name.replace("’", "'").split()
    if len(words) > _UNLISTED_MAX_WORDS or name.isupper() and len(name) <= 5:
        return False
    core = [w for w in words if not re.fullmatch(_PARTICLE.replace("\\s?", ""), w.lower() + "-")]
    if not core:
        return False
    head = re.sub(r"^(?:al|el|ad|ash|as|ar|az|at|an)[-‐]", "", core[0].lower()).strip("'")
    return not (len(core) == 1 and head in _not_names())


def unlisted_places(report: Report, places: list[PlaceMention], actors: list[Mention],
                    sentences: set[int] | None = None) -> list[PlaceMention]:
    """The report's place mentions with the unlisted places of its place slots added, in text order; only the
    slots of the sentences given are read (default: all)."""
    text = report.clean_text or report.text
    taken = [(a.start, a.end) for a in actors]
    known = _Known(report, places)
    starts = [pm.start for pm in places]
    added: list[PlaceMention] = []
    for sent in report.sentences:
        if sentences is not None and sent.index not in sentences:
            continue
        own = places[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
        for start, end, name, list_end in _slot_names(text, sent, own, taken):
            container = _container(text, sent, start, list_end, known)
            if container is not None:
                added.append(_unlisted(start, end, name, container))
    added += _named_again(text, places, taken, added)
    if not added:
        return places
    spans = {(a.start, a.end) for a in added}
    kept = [pm for pm in places if (pm.start, pm.end) not in spans]
    return sorted(kept + added, key=lambda pm: (pm.start, pm.end))


def _named_again(text: str, places: list[PlaceMention], taken: list[tuple[int, int]],
                 added: list[PlaceMention]) -> list[PlaceMention]:
    """Every other mention of a name found in a place slot is the same place ("which overlooks Jubab Hamad,
    securing the town of Jubab Hamad")."""
    if not added:
        return []
    spans = [(pm.start, pm.end) for pm in places if pm.place is not None] + taken + [(a.start, a.end) for a in added]
    first = {}
    for a in added:
        first.setdefault(a.text, a)
    again = []
    for name, pm in first.items():
        for m in re.finditer(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w'’-])", text):
            if not any(s < m.end() and m.start() < e for s, e in spans):
                again.append(PlaceMention(m.start(), m.end(), name, pm.place, pm.candidates, pm.precision, 0.0))
                spans.append((m.start(), m.end()))
    return again


def _slot_names(text: str, sent: Sentence, places: list[PlaceMention], taken: list[tuple[int, int]]):
    """(start, end, name, end of its list) of each name in a place slot of the sentence that no gazetteer
    resolved."""
    resolved = {(pm.start, pm.end): pm for pm in places}  # (the sentence's own place mentions)
    for lst in _LIST.finditer(text, sent.start, sent.end):
        members = [(m.start(), m.end()) for m in re.finditer(_NAME, lst.group(0))]
        members = [(lst.start() + s, lst.start() + e) for s, e in members]
        if TERRAIN.search(text, max(sent.start, lst.start() - 40), lst.end() + 12):
            continue
        cued = _CUE_BEFORE.search(text, max(sent.start, lst.start() - 40), lst.start()) is not None
        known = [s for s in members if _resolved_at(resolved, s) is not None]
        if not (cued or (len(members) >= 2 and known) or _CUE_AFTER.match(text, lst.end())):
            continue
        for s, e in members:
            if _resolved_at(resolved, (s, e)) is not None or any(a < e and s < b for a, b in taken):
                continue
            name = " ".join(text[s:e].split())
            if _plausible(name):
                yield s, e, name, lst.end()


def _resolved_at(resolved: dict, span: tuple[int, int]):
    pm = resolved.get(span)
    if pm is not None and pm.place is not None:
        return pm
    s, e = span
    return next((pm for (ps, pe), pm in resolved.items() if pm.place is not None and ps < e and s < pe), None)


class _Known:
    """The report's resolved places, in text order, found by position in logarithmic time."""

    def __init__(self, report: Report, places: list[PlaceMention]) -> None:
        self.places = [pm for pm in places if pm.place is not None]
        self.starts = [pm.start for pm in self.places]
        self.provinces: dict[tuple, Place] = {}
        for pm in self.places:
            if pm.place.feature == "admin1":
                self.provinces.setdefault((pm.place.country_code, pm.place.admin1), pm.place)
        self.paragraph_start: dict[int, int] = {}
        for sent in report.sentences:
            self.paragraph_start.setdefault(sent.paragraph, sent.start)

    def between(self, start: int, end: int) -> list[PlaceMention]:
        return self.places[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def _container(text: str, sent: Sentence, start: int, end: int, known: _Known):
    """The known place that holds an unlisted one: the place its list (ending at `end`) is said to lie in,
    else the province its listed neighbours share, else the sentence's or the paragraph's last place before
    it."""
    for pm in known.between(end, sent.end):
        gap = text[end:pm.start]
        if _ANCHOR_GAP.match(gap) and not re.search(r"\b(?:and|,)\s*$", gap):
            return pm.place
    neighbours = [pm.place for pm in known.between(sent.start, sent.end)
                  if pm.place.feature not in ("country", "admin1", "region", UNLISTED) and pm.place.admin1]
    if neighbours:
        admin1, _ = Counter((p.country_code, p.admin1) for p in neighbours).most_common(1)[0]
        same = [p for p in neighbours if (p.country_code, p.admin1) == admin1]
        return known.provinces.get(admin1) or same[0]
    before = [pm for pm in known.between(known.paragraph_start[sent.paragraph], start) if pm.place.feature != "country"]
    return before[-1].place if before else None


def _unlisted(start: int, end: int, name: str, container: Place) -> PlaceMention:
    precision = 3 if container.feature in ("admin1", "region", "country") else 2
    place = Place(name=name, latitude=container.latitude, longitude=container.longitude,
                  country_code=container.country_code, country=container.country, admin1=container.admin1,
                  feature=UNLISTED, geonameid=None, population=0, precision=precision)
    return PlaceMention(start, end, name, place, [container], precision, 0.0)
