"""Ranking: the score of each candidate place of a name, and the pick of the best one.

A candidate's score adds up its size (population, by decades), the document's votes for its
country and first-level division, the hint, whether it is a curated entry, and what the words
around the name say (a province named as one, "the town of", the place after "X, " that
contains it, other unambiguous places nearby).  Every weight is in `TUNING.gazetteer`.
"""

from __future__ import annotations

import math
from functools import lru_cache

from rapidfuzz import fuzz

from ..model import Place
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from .context import LatitudeIndex, Votes
from .index import ImportedPlace, is_curated
from .scope import Scope
from .spotting import Match, fold_name

_WIDE = ("country", "admin1", "continent", "region")


@lru_cache(maxsize=100_000)
def near_miss(name: str, text: str) -> bool:
    """Two spellings a letter or two apart ("brno" and "borno"), not an exonym ("tadmur" and "palmyra")
    nor a name of which the text is a part ("saint petersburg" and "petersburg")."""
    if f" {text} " in f" {name} " or f" {name} " in f" {text} ":
        return False
    return fuzz.ratio(name, text) >= T.near_miss_ratio


def _shipped_first(gaz, cs: list[Place]) -> list[Place]:
    """The shipped candidates of a name when it has any, else all (imported) ones."""
    if gaz._imported is None:
        return cs
    return [p for p in cs if type(p) is not ImportedPlace] or cs


class Scorer:
    """Scores and picks the candidates of a document's mentions."""

    def __init__(self, gaz, kept: list[Match], votes: Votes, hint: str | None, scope: Scope | None = None) -> None:
        self.votes, self.hint = votes, hint
        self.every = every = {id(m): gaz._candidates(m.key) for m in kept}
        # Each mention's candidates within the report's countries, or known abroad (scope.py).
        self.cand = every if scope is None else {id(m): scope.candidates(m, every[id(m)]) for m in kept}
        # The countries of the candidates whose main name a mention spells exactly ("Borno": Nigeria); of a
        # name the shipped table knows, its shipped candidates' (an imported "Levi" does not make Lévis a misspelling).
        self.spelled = {id(m): {p.country_code for p in _shipped_first(gaz, every[id(m)]) if fold_name(p.name) == m.folded}
                        for m in kept}
        # Places that are a name's only candidate: the anchors of proximity.
        anchors = {id(p): p for p in (every[id(m)][0] for m in kept if len(every[id(m)]) == 1)
                   if p is not None and p.feature not in _WIDE}
        self.anchors = list(anchors.values())
        self._anchor_index = LatitudeIndex(self.anchors)
        self._proximity: dict[int, float] = {}  # the anchors are the same for every mention of a document
        self._doc_score: dict[int, float] = {}  # the part of a place's score that no mention changes
        self._picked: dict[tuple, tuple] = {}

    def _document_score(self, p: Place) -> float:
        s = self._doc_score.get(id(p))
        if s is None:
            votes = self.votes
            pop = min(p.population, T.admin1_population_cap) if p.feature == "admin1" else p.population
            # Capitals and metropoles keep their name against homonyms in the document's country (London, Ontario).
            s = T.population_weight * math.log10(pop + 10) + (
                T.metropolis_bonus if pop >= T.metropolis_population
                else T.big_city_bonus if pop >= T.big_city_population else 0.0)
            s += T.country_vote_weight * votes.countries[p.country_code] / votes.total
            s += T.admin_vote_weight * votes.admin1s[(p.country_code, p.admin1)] / votes.admin1_total
            if self.hint and p.country_code == self.hint:
                s += T.hint_bonus
            if is_curated(p):
                s += T.curated_bonus
            elif type(p) is ImportedPlace:
                s -= T.imported_penalty
            self._doc_score[id(p)] = s
        return s

    def score(self, m: Match, p: Place, neighbours: list[Place]) -> float:
        """How well place p fits mention m in this document."""
        s = self._document_score(p)
        name = fold_name(p.name)
        spelled = self.spelled[id(m)]
        if m.respelled:
            s -= T.fuzzy_penalty  # no key spells it: a respelled name is a less sure reading
        elif name == m.folded:
            s += T.main_name_bonus  # the text spells the place's main name, not one of its many alternates
        elif spelled and p.country_code not in spelled and near_miss(name, m.folded):
            s -= T.near_miss_penalty  # "Borno" names Borno State: Brno, a spelling away in another country, is another place
        if p.feature in ("country", "continent"):
            s += T.country_bonus
        s = self._cue_score(m, p, s)
        if m.container is not None:
            for q in self.cand.get(id(m.container), []):
                if q.feature == "country" and q.country_code == p.country_code:
                    s += T.container_country_bonus
                elif q.feature == "admin1" and q.country_code == p.country_code and q.admin1 == p.admin1:
                    s += T.container_admin1_bonus
        if neighbours and p.feature not in ("country", "admin1", "continent"):
            bonus = self._proximity.get(id(p))
            if bonus is None:
                bonus = self._proximity[id(p)] = self._anchor_index.proximity_bonus(p)
            s += bonus
        return s

    @staticmethod
    def _cue_score(m: Match, p: Place, s: float) -> float:
        """s, with what "province", "the town of" and "X, Y" say of the kind of place p is."""
        if p.feature in ("admin1", "region"):
            s += T.division_cue_bonus if (m.province or m.direction) else -T.division_plain_penalty
        elif m.holds and p.feature != "country" and p.population < T.holds_small_population:
            s -= T.holds_small_penalty  # "Culiacán, Sinaloa": the name that locates another is its state, not a small town
        elif m.province:
            s -= T.province_cue_penalty
        if m.settlement and p.feature in ("admin1", "country", "region", "continent"):
            s -= T.settlement_cue_penalty
        return s

    def pick(self, m: Match, neighbours: list[Place]) -> tuple[Place | None, float, list[Place]]:
        """(best place, its score, the top five) of a mention."""
        # A name said again with the same cues scores the same: reports repeat their places.
        memo = (m.key, m.folded, m.province, m.direction is not None, m.settlement, m.holds,
                None if m.container is None else m.container.key, id(neighbours))
        hit = self._picked.get(memo)
        if hit is None:
            hit = self._picked[memo] = self._pick_once(m, neighbours)
        return hit

    def _pick_once(self, m: Match, neighbours: list[Place]) -> tuple[Place | None, float, list[Place]]:
        every, cs = self.every[id(m)], self.cand[id(m)]
        if not cs:
            return None, 0.0, []
        if len(every) == 1:
            return cs[0], self.score(m, cs[0], []), cs
        scored = sorted(((self.score(m, p, neighbours), k, p) for k, p in enumerate(every)), key=lambda t: (-t[0], t[1]))
        if cs is not every:
            allowed = {id(p) for p in cs}
            if id(scored[0][2]) not in allowed:
                # The best reading lies abroad and the report does not point there: a place of the report's
                # countries stands in only when the text spells its own name, tells it as a place or the
                # report is about its country ("Boni" is the Malian village, not Bonn; "al-Sukhnah in eastern
                # Homs" the Syrian one); a person's name ("Maya" in a Syrian report) is no Russian village's.
                told = m.near or m.settlement or m.province or m.holds or m.container is not None
                allowed = {k for k in allowed if told or self._lead_country(self._by_id(every, k).country_code)
                           or own_spelling(self._by_id(every, k), m.folded)}
            scored = [t for t in scored if id(t[2]) in allowed]
            if not scored:
                return None, 0.0, []
        return scored[0][2], scored[0][0], [p for _, _, p in scored[:5]]

    def _lead_country(self, cc: str) -> bool:
        """Whether cc leads the report's country votes with at least lead_share of them."""
        lead = self.votes.leaders(1)
        return bool(lead) and lead[0] == cc and self.votes.share(cc) >= T.lead_share

    @staticmethod
    def _by_id(places: list[Place], pid: int) -> Place:
        return next(p for p in places if id(p) == pid)


def own_spelling(p: Place, folded: str | None) -> bool:
    """Whether the text spells the place's own name, letters alike ("al-Fu'ah" for "Al Fu`ah")."""
    return bool(folded) and _letters(fold_name(p.name)) == _letters(folded)


@lru_cache(maxsize=100_000)
def _letters(s: str) -> str:
    return "".join(ch for ch in s if ch.isalnum())
