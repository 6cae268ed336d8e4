"""The containing place: the province a sentence, its paragraph or its section names decides between
namesakes in different provinces.

Roundups name a province and then its villages: "... in the southern countryside of Idlib", "Arsal
heights", a section headed "Hama".  A village whose reading lies in another province than the one
its sentence (else its paragraph, else its section heading) names is moved to its namesake inside
that province; with no namesake there, a small place far from that province is a namesake of a place
the gazetteer lacks, and is left unknown rather than put in the wrong province.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from ..model import Place
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from .context import small, within_km
from .index import ImportedPlace
from .spotting import Match

_SENT_END = re.compile(r"[.!?;](?=[\s\"”’')\]]*(?:\s[\"“'‘(]?[A-Z0-9]|$))")
_NEWLINE = re.compile("\n")
_AREAS = ("admin1", "region")


def _area(m: Match, place: Place | None) -> bool:
    """Whether a mention names a province or an area within one ("Idlib province", "eastern Homs", "Arsal
    heights", "Eastern Ghouta")."""
    if place is None or place.admin1 is None or place.feature in ("country", "continent"):
        return False
    # A village read from an imported file is too unsure a reading to place others ("Sha'aba al-Nahla region").
    return place.feature in _AREAS or bool(m.province or m.direction or m.area) and not _village(place)


def _village(p: Place) -> bool:
    """A place too small to be named without its province being meant: an imported village, or a shipped
    one below weak_village_population (a town such as Palmyra is named from anywhere)."""
    return small(p) and (type(p) is ImportedPlace or p.population < T.weak_village_population)


class _Layout:
    """Where the sentences, paragraphs and section headings of a text start."""

    def __init__(self, text: str) -> None:
        self.paragraphs = [nl.end() for nl in _NEWLINE.finditer(text)]
        self.sentences = sorted(set(self.paragraphs) | {mm.end() for mm in _SENT_END.finditer(text)})
        # A heading: a short line without a sentence's end ("Hama", "Deir Ezzur").
        starts = [0, *self.paragraphs]
        self.headings = [s for s, e in zip(starts, [*self.paragraphs, len(text) + 1])
                         if 0 < len(text[s:e - 1].strip()) <= T.heading_max_chars
                         and not text[s:e - 1].rstrip().endswith((".", "!", "?", ":", ","))]

    def sentence(self, pos: int) -> int:
        return bisect_right(self.sentences, pos)

    def paragraph(self, pos: int) -> int:
        return bisect_right(self.paragraphs, pos)

    def section(self, pos: int) -> int | None:
        """The start of the heading line above pos (None outside any section)."""
        k = bisect_right(self.headings, pos)
        return self.headings[k - 1] if k else None


def containing_provinces(text: str, kept: list[Match], res: dict, cand: dict,
                         score: Callable[[Match, Place], float]) -> None:
    """Move each small place to its namesake in the province its sentence, paragraph or section names,
    or leave it unknown when it has none there and lies far away (rewrites res[id(m)])."""
    lay = _Layout(text)
    by_sentence: dict[int, list] = {}
    by_paragraph: dict[int, list] = {}
    by_section: dict[int, list] = {}
    for m in kept:
        p = res[id(m)][0]
        if m.whole is not None or p is None or p.admin1 is None:
            continue
        if _area(m, p):
            by_sentence.setdefault(lay.sentence(m.start), []).append((m, p))
            by_paragraph.setdefault(lay.paragraph(m.start), []).append((m, p))
        head = lay.section(m.start)
        if head is not None and lay.paragraph(head) == lay.paragraph(m.start) and not _village(p):
            by_section.setdefault(head, []).append((m, p))  # the heading names it: a province or its city
    if not (by_paragraph or by_section):
        return
    for m in kept:
        place, sc, top = res[id(m)]
        if place is None or m.whole is not None or place.feature in ("country", "continent", "admin1", "region"):
            continue
        ctx = [q for o, q in (by_sentence.get(lay.sentence(m.start))
                              or by_paragraph.get(lay.paragraph(m.start))
                              or by_section.get(lay.section(m.start), [])) if o is not m]
        if ctx:
            res[id(m)] = _within(m, place, sc, top, ctx, cand[id(m)], score)


def _within(m: Match, place: Place, sc: float, top: list, ctx: list[Place], cs: list[Place],
            score: Callable[[Match, Place], float]) -> tuple:
    """m's reading in the light of the provinces around it: kept, moved inside them, or unknown."""
    provinces = {(q.country_code, q.admin1) for q in ctx}
    if (place.country_code, place.admin1) in provinces:
        m.located = True  # the province named around it holds it: evidence enough for a small place
        return place, sc, top
    inside = [c for c in cs if (c.country_code, c.admin1) in provinces]
    if inside:
        m.located = True
        best = max(inside, key=lambda c: score(m, c))
        return best, score(m, best), [best] + [c for c in top if c is not best][:4]
    if _village(place) and not any(within_km(place, q, T.containing_far_km) for q in ctx):
        return None, sc, top
    return place, sc, top
