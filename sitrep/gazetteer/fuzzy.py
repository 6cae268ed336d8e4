"""Spelling-tolerant look-up: a name no key of the gazetteer spells, read as a known name of the report's
countries spelled another way ("Jeser al- Shagour" for Jisr ash Shughur, "Maarrat Harmah" for Ma'arrat
Hurmah, "Bohatyr" for Bahatyr).

Only names where a place stands are tried (after "in", "near", "the village of", or beside known places
in a list), only among the places of the countries the report is about (scope.py), and only through
their skeletons (geonorm.skeleton: a short list of keys per name), so a report's words cannot become
places abroad and the look-up costs a dictionary probe.  The short list is ranked by rapidfuzz's ratio
of the two name keys; one at fuzzy_min_ratio or above stands for the name, and the ranking then weighs
its places like any other's (TUNING.gazetteer.fuzzy_penalty: a respelled name is less sure).
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left
from collections import defaultdict
from functools import cache

from rapidfuzz import fuzz

from ..geonorm import name_key, skeletons
from ..lexicon import data_file
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from . import cues as C
from .cues import common_words, person_name_words
from .spotting import _RUN, LIST_GAP, Match, _CueReader, bare, fold_name

_CUE_BEFORE = re.compile(rf"\b(?:{C._alt('locative_before')}|{C._alt('settlement_before')})\s+(?:of\s+)?(?:the\s+)?$",
                         re.I)


def respelled(gaz, text: str, kept: list[Match], countries: frozenset[str]) -> list[Match]:
    """kept, with the names of place slots that no key spells read as their respelled known names (a
    name only partly known, "Maarrat" of "Maarrat Harmah", gives way to the whole one)."""
    if not countries:
        return kept
    found = []
    reader = None
    starts = [m.start for m in kept]
    for run in _RUN.finditer(text):
        s, e = run.span()
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        inside = [m for m in kept[lo:hi] if m.end <= e]
        if inside and (sum(m.end - m.start for m in inside) >= (e - s) * T.fuzzy_known_share or " " not in run.group()):
            continue  # the run is a known name (and perhaps its cue word)
        if _ordinary(run.group()) or not _slot(text, s, e, kept[max(0, lo - 1):hi + 1]):
            continue
        m = _respelled_match(gaz, run.group(), s, e, countries)
        if m is not None:
            reader = reader or _CueReader(text)
            reader.mark(m, text[e:e + 30])
            found.append((m, inside))
    if not found:
        return kept
    gone = {id(o) for _, inside in found for o in inside}
    return sorted([m for m in kept if id(m) not in gone] + [m for m, _ in found], key=lambda m: m.start)


def _ordinary(span: str) -> bool:
    """A span with a common English word, a given name or a title in it ("However", "Cllr Morris"): no
    respelled place name."""
    common, persons = common_words(), person_name_words()
    words = [bare(t) for t in span.replace("-", " ").split()]
    return any((w in common or w in persons or w.rstrip(".") in C.TITLES) and w not in C.CONNECTORS for w in words)


def _slot(text: str, s: int, e: int, near: list[Match]) -> bool:
    """Whether a place stands at text[s:e]: a locative or settlement word before it, or a list it shares
    with a known place (of `near`, the known names just before and after it)."""
    if _CUE_BEFORE.search(text, max(0, s - 30), s):
        return True
    return any(m.end <= s and LIST_GAP.fullmatch(text, m.end, s) or m.start >= e and LIST_GAP.fullmatch(text, e, m.start)
               for m in near)


def _respelled_match(gaz, span: str, s: int, e: int, countries: frozenset[str]) -> Match | None:
    words = span.split()
    if len(words) > T.max_ngram:
        return None
    key = name_key(span)
    if len(key.replace(" ", "")) < T.fuzzy_min_letters or key in gaz._never or key in gaz._stop:
        return None
    best = best_key(gaz, key, countries)
    if best is None:
        return None
    m = Match(s, e, best, 0, len(words) - 1)
    m.folded = fold_name(span)
    m.respelled = True
    return m


def best_key(gaz, key: str, countries: frozenset[str]) -> str | None:
    """The known name key of the report's countries nearest to key in spelling (None below fuzzy_min_ratio)."""
    best, best_ratio = None, T.fuzzy_min_ratio
    for sk in skeletons(key):
        for other in _keys_of(gaz, countries, sk):
            if other == key:
                continue
            ratio = fuzz.ratio(key, other)
            if ratio > best_ratio or ratio == best_ratio and best is not None and other < best:
                best, best_ratio = other, ratio
    return best


def _keys_of(gaz, countries: frozenset[str], sk: str) -> set[str]:
    """The keys with skeleton sk of the places of these countries: the shipped table's main names and
    the imported names."""
    out: set[str] = set()
    for cc in countries:
        out |= _shipped_skeletons(gaz, cc).get(sk, set())
    if gaz._imported is not None:
        out.update(gaz._imported.skeleton_keys(countries, sk))
    return out


def _shipped_skeletons(gaz, cc: str) -> dict[str, set[str]]:
    """skeleton -> keys of the shipped places of one country (their main names): read from
    data/gazetteer_skeletons.tsv.gz for the shipped table, else built on first use."""
    if getattr(gaz, "shipped", False):
        return shipped_skeleton_table().get(cc, {})
    return country_skeletons(gaz, cc)


@cache
def shipped_skeleton_table() -> dict[str, dict[str, set[str]]]:
    """country -> skeleton -> keys of the shipped table, as scripts/build_gazetteer_skeletons.py wrote them
    (computing them at run time took seconds: every name of every country the reports name)."""
    out: dict[str, dict[str, set[str]]] = defaultdict(dict)
    with data_file("gazetteer_skeletons.tsv.gz").open("rb") as fh:
        for line in gzip.decompress(fh.read()).decode("utf-8").splitlines():
            cc, sk, keys = line.split("\t")
            out[cc][sk] = set(keys.split("|"))
    return dict(out)


def country_skeletons(gaz, cc: str) -> dict[str, set[str]]:
    """skeleton -> keys of the places of one country of a gazetteer's own rows, built on first use."""
    table = gaz._skeletons.get(cc)
    if table is None:
        table = gaz._skeletons[cc] = defaultdict(set)
        mark = f"\t{cc}\t"
        for row in gaz._rows:
            if isinstance(row, str):
                if mark not in row:
                    continue
                cols = row.split("\t", 6)
                if cols[5] != cc:
                    continue
                name = cols[2]
            elif row.country_code == cc:
                name = row.name
            else:
                continue
            key = name_key(name)
            for sk in skeletons(key):
                table[sk].add(key)
    return table
