"""The geoparser: every place named in a text, resolved with the whole document as context.

`Gazetteer.find` runs the parts in order: spotting (candidate names and their cues), the
document's country votes, ranking (each name's best candidate), the sentence and the
neighbourhood (context), and the final reading of each mention (a region for "eastern X", a
village too weakly evidenced dropped).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from ..model import Place, PlaceMention
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from . import containers, context, forms, fuzzy, spotting
from .cues import stopword_keys
from .imported import ImportedPlaces, index_path, index_stamp
from .index import ImportedPlace, PlaceIndex, is_curated, shipped_table
from .ranking import Scorer
from .scope import Scope, report_scope
from .spotting import Match, bare, fold_name, plain_word_place


class Gazetteer(PlaceIndex):
    """Places by transliteration-proof name key, with a context-aware geoparser over running text."""

    def __init__(self, places: Iterable[Place], aliases: dict[str, Iterable[str]] | None = None,
                 stopwords: Iterable[str] | None = None) -> None:
        """Index places by name (and aliases keyed by place name); stopwords default to the shipped list."""
        super().__init__(places, aliases)
        self._init_parser(stopwords)

    def _init_parser(self, stopwords: Iterable[str] | None = None) -> None:
        from ..geonorm import name_key

        self._stop, self._never = (
            (frozenset(name_key(w) for w in stopwords), frozenset()) if stopwords is not None else stopword_keys()
        )
        self._runs: dict[str, tuple] = {}
        self._regions: dict[Place, Place | None] = {}

    @classmethod
    def _from_file(cls, raw: str) -> "Gazetteer":
        self = super()._from_file(raw)
        self._init_parser()
        return self

    @classmethod
    def default(cls) -> "Gazetteer":
        """The shipped world gazetteer with every imported source (`sitrep gazetteer import`)."""
        return _default_gazetteer()

    def dateline_place(self, dateline: str) -> Place | None:
        """The place a dateline names ("SEOUL, South Korea (CNN) -", "DURBAN (Reuters) -", "Homs, SANA -")."""
        return forms.dateline_place(self, dateline)

    def find(self, text: str, country_hint: str | None = None, dateline: str | None = None,
             actor_country: str | None = None) -> list[PlaceMention]:
        """Every place named in a text, resolved with the whole document as context.

        `dateline`: the report's dateline text ("SEOUL, South Korea (CNN) -"), when the caller blanked it
        from `text`: its place's country becomes the country hint (an explicit country_hint wins)."""
        hint, hint_weight = self._hint(country_hint, dateline, actor_country)
        matches, persons = spotting.scan(self, text)
        kept, person_like = spotting.screen(self, text, matches, persons)
        spotting.link_containers(text, kept)
        kept = spotting.drop_person_like(self, text, kept, person_like)
        votes = context.Votes(self, kept, hint, hint_weight)
        if self._imported is not None:
            supported = context.drop_unsupported(self, kept, votes)
            if supported is not kept:
                kept, votes = supported, context.Votes(self, supported, hint, hint_weight)
        scope = report_scope(self, text, kept, hint)
        kept = fuzzy.respelled(self, text, kept, scope.countries)
        scorer = Scorer(self, kept, votes, hint, scope)
        anchors = scorer.anchors
        res = {id(m): scorer.pick(m, anchors) for m in kept}
        if len(kept) > 1:
            context.sentence_context(self, text, kept, res, scorer.cand,
                                     lambda m, p: scorer.score(m, p, anchors), votes.share)
        containers.containing_provinces(text, kept, res, scorer.cand, lambda m, p: scorer.score(m, p, anchors))
        context.local_context(self, text, kept, res, votes, scorer.cand)
        out = [self._mention(text, m, res[id(m)], votes, scope) for m in kept]
        if "capital" in text:
            out = forms.capitals(self, text, out)
        if votes.countries:
            out = forms.respelled_provinces(self, text, out, votes.leaders(3))
        return out

    def _hint(self, country_hint: str | None, dateline: str | None,
              actor_country: str | None) -> tuple[str | None, float]:
        """The country a report is hinted to be about, and the votes the hint casts."""
        hint_weight = T.hint_weight
        if actor_country and not country_hint and not dateline:
            # The home of the armed groups a report names ("Levies", "al-Shabaab") hints at its country,
            # less than one place named in it does.
            country_hint, hint_weight = actor_country, T.actor_weight
        if dateline and not country_hint:
            place = self.dateline_place(dateline)
            if place is not None:
                # A dateline may be the outlet's home ("TEHRAN (FNA)-" on a Syrian war report):
                # a hint as strong as one country named in the text, not more.
                country_hint, hint_weight = place.country_code, T.dateline_weight
        return country_hint, hint_weight

    def _mention(self, text: str, m: Match, picked: tuple, votes: context.Votes, scope: Scope) -> PlaceMention:
        """The mention as found: its place (or None), candidates, precision and score."""
        place, s, top = picked
        if m.whole is not None:
            m.start, m.end = m.whole
            if place is not None:
                m.near = True  # the named hill or valley is near the place its name borrows
        span = text[m.start:m.end]
        if place is None:
            return PlaceMention(m.start, m.end, span, None, [], 1, 0.0)
        folded_text, caps = fold_name(bare(span)), (span[:-2] if span.endswith(("'s", "’s")) else span).isupper()
        if m.common and m.container is None and not plain_word_place(place, folded_text, caps):
            # The best-scored reading a common word may have ("Oklahoma": the state, not a village).
            place = next((p for p in top if plain_word_place(p, folded_text, caps)), None)
            if place is None:
                return PlaceMention(m.start, m.end, span, None, top, 1, round(s, 3))
        if self._weak(m, place, votes, scope):
            return PlaceMention(m.start, m.end, span, None, top, 1, round(s, 3))
        place, precision = self._reach(m, place)
        return PlaceMention(m.start, m.end, span, place, top, precision, round(s, 3))

    @staticmethod
    def _weak(m: Match, place: Place, votes: context.Votes, scope: Scope) -> bool:
        """A tiny village outside the report's countries, named without a cue: too weak to keep.  An imported
        place's country must be the report's by its other names: its own name's votes do not count.  A
        country the report names itself (or by a nationality word, or the hint) is the report's."""
        if place.population >= T.weak_village_population or is_curated(place) or m.settlement or m.near or m.located \
                or place.country_code in scope.pointed:
            return False
        if type(place) is ImportedPlace:
            return place.feature != "admin1" and votes.share_of_others(m.key, place.country_code) < T.weak_village_share
        return place.feature == "village" and votes.share(place.country_code) < T.weak_village_share

    def _reach(self, m: Match, place: Place) -> tuple[Place, int]:
        """The place a mention stands for and its precision: a region for "eastern X" or "X province"."""
        precision = place.precision
        if m.direction and place.feature not in ("country", "continent"):
            region = self._region_of(place)
            if region is not None and place.feature != "region":
                place, precision = region, 3
            else:
                precision = max(precision, 2)
        elif m.province and place.feature not in ("admin1", "country", "region"):
            region = self._region_of(place)
            if region is not None:
                place, precision = region, 3
        if m.near or m.area:
            precision = max(precision, 2)
        return place, precision

    def _region_of(self, place: Place) -> Place | None:
        """The admin1 a city heads ('Eastern Homs' = Homs governorate), when the names agree."""
        # A pure function of the place's fields and the (fixed) gazetteer: worked out once per place.
        if place in self._regions:
            return self._regions[place]
        region = self._regions[place] = forms.find_region(self, place)
        return region


def _default_gazetteer() -> Gazetteer:
    """The shipped table with everything imported into sitrep's data folder, loaded once per process
    (and again when an import or removal has changed the index since)."""
    path = index_path()
    return _loaded(str(path), index_stamp(path))


@lru_cache(maxsize=4)
def _loaded(path: str, stamp: tuple | None) -> Gazetteer:
    gaz = _shipped()._clone()
    gaz._init_parser()
    if stamp is not None:
        gaz.attach(ImportedPlaces(Path(path)))
    return gaz


@cache
def _shipped() -> Gazetteer:
    """The shipped table alone, parsed once per process; gazetteers with imports share its rows."""
    return Gazetteer._from_file(shipped_table())
