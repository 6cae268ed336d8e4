"""Spotting: the spans of a text that may name a place, with the cues around them.

Only a capitalised word can open a name, and a name never crosses punctuation, so a text is read
as runs of name-like words; each run is matched against the name-key index by its longest known
word n-grams (hash lookups of at most `max_ngram` words give the same longest match as an
Aho-Corasick automaton over every key, without its start-up cost).  Then the words around each
name ("the town of", "province", "near", a title, a street word) mark it, and the guards drop
what is no place: acronyms, common words and person names without evidence, nationality words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..geonorm import _WORDS, ARTICLES, fold, name_key, token_key
from ..lexicon import word_trie
from ..model import Place
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from . import cues as C
from .cues import common_words, person_name_words
from .index import is_curated

# "U.S.", "U.K.": dotted capitals, not inside a word.  The same as (?<![^\W_])(?:[A-Z]\.){2,}, but led
# by a character class, which the regex engine scans for in C instead of trying every position.
_INITIALISM = re.compile(r"[A-Z](?<![^\W_][A-Z])\.(?:[A-Z]\.)+")
_GLOSS = re.compile(r"\(\s*[a-z]+\s*\)")
_ART_WORD = re.compile(r"(?:al|el|ez|ad|as|ash|ar|az|at|an)[-‐‑]\w", re.I)
_NUMBER_AFTER = re.compile(r"[ \t]+\d")
_LAST_PUNCT = re.compile(r".*[.;:!?()\[\]\"“”\n]", re.S)

_ART_WORDS = "al el il ul as es ash esh ad ed az ez ar er at et an en ath adh".split()
_ART = "(?:" + word_trie(_ART_WORDS) + ")[-‐‑]"
_TOKEN_TAIL = r"[^\W_]*(?:['’ʿʾ`‘][^\W_]+)*"
_ART_INNER = "(?:" + word_trie("al el ez ad as ash ar az at an".split()) + ")[-‐‑]"  # inside a name
# A word that may be capitalised (a superset: _capitalised decides), one that may continue a name
# (capitalised, article-prefixed, connector or bare article), and the gaps that keep words in one
# segment.  The lookbehinds make a run start where tokenize() starts a word.
_CAP_WORD = rf"(?:(?i:{_ART})(?=\w))?[ʿʾ]?[^\W\d_a-z]{_TOKEN_TAIL}"
_INNER_WORD = (
    rf"(?:{_CAP_WORD}|(?i:{_ART_INNER})(?=\w)[ʿʾ]?[^\W_]{_TOKEN_TAIL}"
    rf"|(?i:{word_trie(C.CONNECTORS | ARTICLES)})(?![^\W_])(?!['’ʿʾ`‘][^\W_]))"
)
# A lowercase article or title just before ("al Raqqa", "president Jordan") is taken into the run: it decides the match.
_LEAD = word_trie(C.TITLES | {"al", "el"})
# A run opens with a capital, a title, an article or an article prefix: lowercase letters that begin
# none of these ("the", "of", "with") are turned away with one class test before the alternations.
_NO_RUN_START = "".join(sorted(set("abcdefghijklmnopqrstuvwxyz") - {w[0] for w in C.TITLES | {"al", "el"} | set(_ART_WORDS)}))
_RUN = re.compile(
    rf"(?<![^\W_])(?<![^\W_]['’ʿʾ`‘])(?=[^\W\d_{_NO_RUN_START}])(?:(?i:{_LEAD})(?![^\W_])(?!['’ʿʾ`‘][^\W_])[ \t\-‐–]+(?={_CAP_WORD}))?"
    rf"{_CAP_WORD}(?:[ \t\-‐–]*{_INNER_WORD})*"
)
_RUN_CACHE_MAX = 200_000  # distinct runs remembered per gazetteer before the memo starts afresh


class Match:
    """A name found in the text, with what its surroundings say of it."""

    __slots__ = ("start", "end", "key", "first", "last", "direction", "near", "province", "area",
                 "settlement", "container", "holds", "stop", "whole", "located", "folded", "common", "respelled")

    def __init__(self, start, end, key, first, last):
        self.start, self.end, self.key = start, end, key
        self.first, self.last = first, last
        self.direction = None
        self.near = self.province = self.area = self.settlement = self.stop = False
        self.container = None
        self.holds = False  # the name after "X, " that locates X: a province or country rather than a town
        self.whole = None  # (start, end) of the longer unknown name this match is only part of
        self.located = False  # the sentence ties it to a place whose admin1 or country its place shares
        self.folded = None  # the name as the text spells it, folded and without a possessive ending
        self.common = False  # a frequent English word, a place without evidence only in plain_word_place's sense
        self.respelled = False  # no key spells it: read as a known name of the report's countries (fuzzy.py)


# ---- words ----------------------------------------------------------------------------------------

@lru_cache(maxsize=100_000)
def capitalised(word: str) -> bool:
    core = re.sub(r"^(?:al|el|il|ul|as|es|ash|esh|ad|ed|az|ez|ar|er|at|et|an|en|ath|adh)[-‐‑]", "", word, flags=re.I)
    core = core.lstrip("ʿʾ")
    ch = core[:1]
    return bool(ch) and (ch.isupper() or "\u0600" <= ch <= "\u06ff")


@lru_cache(maxsize=100_000)
def _inner_ok(word: str) -> bool:
    return capitalised(word) or word.lower() in C.CONNECTORS or bool(
        re.match(r"^(?:al|el|ez|ad|as|ash|ar|az|at|an)[-‐‑]", word, re.I))


def bare(word: str) -> str:
    """A word lowercased, without a possessive ending: how person names are compared."""
    low = word.lower()
    return low[:-2] if low.endswith(("'s", "’s")) else low


@lru_cache(maxsize=200_000)
def fold_name(name: str) -> str:
    return fold(name)


def lowercase_word_in(text: str, low: str) -> bool:
    """Whether the text has `low` as a whole lowercase word (as tokenize() cuts words)."""
    if not low.islower():
        return False
    pos = text.find(low)
    while pos >= 0:
        # Words never span whitespace, so tokenising from the last space before pos cuts as the whole text would.
        lo = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos), text.rfind("\t", 0, pos)) + 1
        for t in _WORDS.finditer(text, lo):
            if t.start() >= pos:
                if t.start() == pos and t.group() == low:
                    return True
                break
        pos = text.find(low, pos + 1)
    return False


# ---- runs of name-like words ----------------------------------------------------------------------

def scan(gaz, text: str) -> tuple[list[Match], set[str]]:
    """Every known name in the text, and the words the text uses as persons' names."""
    # "Tal (hill) Bourkan", "Wadi (desert) al-Khayl": an English gloss inside a name is blanked.
    if "(" in text:
        text = _GLOSS.sub(lambda g: " " * len(g.group()), text)
    # "U.S.", "D.C.": the dots of an initialism do not end a name (offsets are kept).
    dotted = "." in text and _INITIALISM.search(text) is not None
    original = text
    if dotted:
        text = _INITIALISM.sub(lambda g: g.group().replace(".", " "), text)
    matches: list[Match] = []
    persons: set[str] = set()
    for run in _RUN.finditer(text):
        base = run.start()
        found, named = _run_cached(gaz, run.group())
        if named:
            persons |= named
        if " " in run.group() and _names_a_person(gaz, text, run):
            persons.update(bare(w) for w in run.group().split())
        for rs, re_, key, i, j, stop, direction, whole in found:
            m = Match(base + rs, base + re_, key, i, j)
            m.stop, m.direction = stop, direction
            if dotted and original[m.end - 2:m.end + 1].endswith(".") and original[m.end - 2] == ".":
                m.end += 1  # the initialism's last dot: "U.S."
            if whole is not None:
                m.whole = (base + whole[0], base + whole[1])
            matches.append(m)
    return matches, persons


def _names_a_person(gaz, text: str, run: re.Match) -> bool:
    """"fighter Conor McGregor", "economist Mahesh Vyas": a name after a role is a person's; so is one
    that speaks ("the council chairman, Monday Kassah, said"), unless the whole run is a place's name
    ("officials in North Darfur said")."""
    base = run.start()
    return bool(C.ROLE_BEFORE.search(text, max(0, base - T.role_window), base) or (
        C.SPEAKER_AFTER.match(text, run.end()) and name_key(run.group()) not in gaz._names))


def _run_cached(gaz, run: str) -> tuple[list[tuple], frozenset[str]]:
    # Runs repeat across and within reports ("The", "Syrian Army", "Deir Ezzur"): match each once.
    hit = gaz._runs.get(run)
    if hit is None:
        if len(gaz._runs) > _RUN_CACHE_MAX:
            gaz._runs.clear()
        found = run_matches(gaz._names, gaz._prefix_keys, run)
        hit = gaz._runs[run] = (found, run_persons(run) if " " in run or "-" in run else frozenset())
    return hit


def run_matches(index, prefixes, run: str) -> list[tuple]:
    """Names in one run of name-like words as (start, end, key, i, j, stop, direction, whole), offsets in the run."""
    out: list[tuple] = []
    toks = [(t.start(), t.end(), t.group()) for t in _WORDS.finditer(run)]
    keys = [token_key(t[2]) for t in toks]
    # "Plaza San Martín", "Avenida Brasil", "Rue de Rivoli": from such a word on, the run names a street.
    n = next((k for k in range(len(toks) - 1) if toks[k][2].lower().rstrip(".") in C.FACILITY_BEFORE
              and capitalised(toks[k][2])), len(toks))
    i = 0
    while i < n:
        if not keys[i] or (keys[i] not in index and keys[i] not in prefixes) or not capitalised(toks[i][2]):
            i += 1
            continue
        best = _longest_name(index, prefixes, toks, keys, i, n)
        if best is None:
            i += 1
            continue
        j, key = best
        start, direction, whole = _extent(toks, keys, i, j, n)
        stop = _inside_other_name(index, toks, keys, i, j, n)
        out.append((start, toks[j][1], key, i, j, stop, direction, whole))
        i = j + 1
    return out


def _longest_name(index, prefixes, toks: list, keys: list[str], i: int, n: int) -> tuple[int, str] | None:
    """(last word, key) of the longest known name that starts at word i."""
    best = None
    words: list[str] = []
    j = i
    while j < n and len(words) < T.max_ngram:
        if keys[j]:
            if j > i and not _inner_ok(toks[j][2]):
                break
            words.append(keys[j])
            key = " ".join(words)
            if key in index:
                best = (j, key)
            if key not in prefixes:
                break  # no longer name starts with these words
        j += 1
    return best


def _extent(toks: list, keys: list[str], i: int, j: int, n: int) -> tuple[int, str | None, tuple | None]:
    """Where the name of words i..j starts (with "al", "Eastern" before it), its direction, and the
    longer unknown name it is only part of."""
    prev = toks[i - 1][2] if i > 0 else None
    start = toks[i][0]
    if prev is not None and prev.lower() in ("al", "el"):
        start = toks[i - 1][0]
    direction = None
    if i > 0 and prev.lower() in C.DIRECTIONS and capitalised(prev):
        direction = C.DIRECTIONS[prev.lower()]
        start = toks[i - 1][0]
    # "Tal al-Alam", "Wadi al-Khayl", "Sha'aba al-Nahla": an unknown name of which only a part is
    # known (a generic head before it, an article-bound word after it) names something else.
    ws, we = start, toks[j][1]
    if i > 0 and keys[i - 1] in C.NAME_HEADS and capitalised(prev):
        ws = toks[i - 1][0]
    k = j + 1
    while k < n and _ART_WORD.match(toks[k][2]) and capitalised(toks[k][2]):
        we = toks[k][1]
        k += 1
    whole = (ws, we) if (ws, we) != (start, toks[j][1]) else None
    return start, direction, whole


def _inside_other_name(index, toks: list, keys: list[str], i: int, j: int, n: int) -> bool:
    """Whether the name of words i..j is part of something else's name: a facility, a person, an outlet."""
    prev = toks[i - 1][2] if i > 0 else None
    nxt = toks[j + 1][2] if j + 1 < n else None
    if nxt is not None and nxt.lower().rstrip(".") in C.FACILITY_AFTER and capitalised(nxt):
        return True  # "Royal Street", "Carnegie Library", "Bozdoğan Aqueduct": a facility named after a place
    if (i == j and i > 0 and nxt is not None and capitalised(prev) and capitalised(nxt)
            and prev.lower() not in C.DIRECTIONS and keys[i - 1]
            and prev.lower() not in C.CONNECTORS
            and keys[i - 1] + " " + keys[i] not in index
            and nxt.lower() not in C.PLACE_NOUNS):
        return True  # "Robert Trent Jones": one word inside a longer proper name
    if prev is not None and prev.lower().rstrip(".") in C.TITLES:
        return True  # "President Jordan", "General Aleppo"
    return i > 0 and capitalised(prev) and prev.lower() in C.ORG_HEADS  # "Radio Free Europe", "Channel Tbilisi"


def run_persons(run: str) -> frozenset[str]:
    """Words of a run that name a person: the word after a common given name or a title ("Jacob Zuma",
    "President Zuma", "journalist Aziz"), and a given name itself when a capitalised word follows."""
    names = person_name_words()
    out: set[str] = set()
    toks = [(t.start(), t.end(), t.group()) for t in _WORDS.finditer(run)]
    walked = 0  # how far the rest of a name has been followed already: each word is walked once
    for k, ((s0, e0, w), (s1, _, nxt)) in enumerate(zip(toks, toks[1:])):
        low = w.lower()
        if s1 - e0 > 1 or not capitalised(nxt) or nxt.isupper():
            continue
        given = low in names and capitalised(w)
        if given or (low.rstrip(".") in C.TITLES and low.rstrip(".") not in C.PLACE_TITLES):
            out.add(bare(nxt))
            if given:
                out.add(low)
            # The rest of the name: "commissioner Abba Aji" names Aji too.
            j = max(k + 1, walked)
            while j + 1 < len(toks):
                (sa, _, a), (sb, _, b) = toks[j], toks[j + 1]
                if sb - sa > len(a) + 1 or not capitalised(b) or b.isupper():
                    break
                out.add(bare(b))
                j += 1
            walked = max(walked, j)
    return frozenset(out)


# ---- cues around a name ---------------------------------------------------------------------------

class _CueReader:
    """The cue patterns that look before a name, run only where a cue word lies close before it.

    Every match of a cue-before pattern starts at a cue word, or at the window's first character
    (where the window's cut may fall inside a word).  So "does it match anywhere" is asked at those
    places only -- unless the text holds a character that re.I folds to a cue letter but lower()
    does not (then the cue-word scan may miss its cue)."""

    def __init__(self, text: str) -> None:
        low = text.lower()
        if len(low) != len(text):  # "İ" lowercases to two characters: offsets would drift
            low = "".join(ch.lower()[:1] for ch in text)
        self.text, self.cues = text, C.cue_starts(low)
        self.exact = "\u0131" not in text and "\u017f" not in text

    def _has(self, regex: re.Pattern, before: str, starts: list[int]) -> bool:
        if not self.exact:
            return regex.search(before) is not None
        return any(regex.match(before, p) is not None for p in starts)

    def mark(self, m: Match, after: str) -> None:
        """Set m.near, m.province and m.settlement from the words before and after it."""
        text, cues, window = self.text, self.cues, T.cue_window
        k = bisect_left(cues, m.start - window)
        if not (k < len(cues) and cues[k] < m.start):
            m.province = bool(C.PROVINCE_AFTER.match(after))
            m.settlement = bool(C.SETTLEMENT_AFTER.match(after))
            return
        ws = max(0, m.start - window)
        before = text[ws:m.start]
        punct = _LAST_PUNCT.match(before)
        if punct:
            before = before[punct.end():]
            ws += punct.end()
        starts = [0]
        while k < len(cues) and cues[k] < m.start:
            if cues[k] > ws:
                starts.append(cues[k] - ws)
            k += 1
        m.near = self._has(C.NEAR, before, starts)
        m.province = bool(C.PROVINCE_AFTER.match(after)) or self._has(C.PROVINCE_BEFORE, before, starts)
        m.settlement = self._has(C.SETTLEMENT_BEFORE, before, starts) or bool(C.SETTLEMENT_AFTER.match(after))


def screen(gaz, text: str, matches: list[Match], persons: set[str]) -> tuple[list[Match], list[Match]]:
    """The matches that may be places, with their cues marked, and those of them that read as persons."""
    reader = _CueReader(text) if matches else None
    person_like: list[Match] = []
    lower_seen: dict[str, bool] = {}
    kept: list[Match] = []
    for m in matches:
        if m.key in gaz._never:
            continue  # nationality adjectives: never a place, whatever the cues
        after = text[m.end:m.end + 30]
        reader.mark(m, after)
        evidence = m.near or m.province or m.settlement
        if not evidence and (m.stop or m.key in gaz._stop):
            continue
        span = text[m.start:m.end]
        core = span[:-2] if span.endswith(("'s", "’s")) else span
        if core.isupper() and len(core) <= T.acronym_max_len and core not in C.PLACE_ACRONYMS:
            continue  # ISIL, SDF, US-led: acronyms collide with short town names
        if m.first == m.last and not evidence and not _plain_word_ok(gaz, text, m, span, core, persons,
                                                                       lower_seen, person_like):
            continue
        _mark_area(gaz, text, m, after)
        m.folded = fold_name(core)
        kept.append(m)
    return kept, person_like


def _plain_word_ok(gaz, text: str, m: Match, span: str, core: str, persons: set[str],
                   lower_seen: dict[str, bool], person_like: list[Match]) -> bool:
    """Whether a one-word name without a cue may still be a place (a person-like one goes to person_like)."""
    low = span.lower()
    used = lower_seen.get(low)
    if used is None:
        used = lower_seen[low] = lowercase_word_in(text, low)
    if used:
        return False  # the document itself uses the word as a common noun
    word = bare(span)
    if word in person_name_words() or word in persons:
        # A common given name or surname, or a word the report uses as a person's name ("Jacob
        # Zuma ... Zuma said"): a place only after a locative preposition, beside a place that
        # locates it, or when it is a big place.
        window = T.locative_window
        if not C.LOCATIVE_BEFORE.search(text, max(0, m.start - window), m.start):
            person_like.append(m)
    elif _NUMBER_AFTER.match(text, m.end):
        return False  # "Kanal 13", "Channel 4": a channel, a team, a product
    if word in common_words():
        # "Read more", "Mixed martial arts", "Game on": an English word, not Riyadh or Hamah.
        folded_text = fold_name(word)
        if not any(plain_word_place(p, folded_text, core.isupper()) for p in gaz._candidates(m.key)):
            return False
        m.common = True
    return True


def plain_word_place(p: Place, folded_text: str, caps: bool = False) -> bool:
    """A place a common word may name without a cue: a country, a province, or a big place spelled as written."""
    if p.feature in ("country", "continent"):
        return len(folded_text) > 3 or caps  # "Chad", "US"; not "You" for the EU
    if is_curated(p):
        return True  # "Green Zone", "Old City": conflict geography picked by hand
    name = fold_name(p.name)
    # "Oklahoma" for Oklahoma City, "Washington" for "Washington, D.C.": the name's first words.
    spelled = name == folded_text or name.startswith((folded_text + " ", folded_text + ","))
    return spelled and (p.feature == "admin1" or p.population >= T.plain_word_population)


def _mark_area(gaz, text: str, m: Match, after: str) -> None:
    """Set m.area ("Homs countryside"), m.province for "X region" naming a division, and a lower-case direction."""
    m.area = bool(C.AREA_AFTER.match(after))
    if m.area and not m.province and C.REGION_AFTER.match(after) \
            and any(p.feature == "admin1" for p in gaz._candidates(m.key)):
        # "Kharkiv region", "Tigray region", "Mopti region": a name that is also a first-level
        # division names the division (oblast, regional state), not the area around its city.
        m.province = True
    if m.direction is None and m.start > 5:
        # "near Palmyra in eastern Homs": a lower-case direction makes the name its region.
        d = C.LOWER_DIRECTION.search(text, max(0, m.start - T.direction_window), m.start)
        if d:
            m.direction = C.DIRECTIONS[d.group(1)]


# ---- names beside names ---------------------------------------------------------------------------

# "X, Y" or "X in Y" where Y may locate X.
_CONTAINER_GAP = re.compile(r"\s*(?:(?:village|town|city|camp|district|neighbou?rhood|area)\s+)?(?:,|\bin\b|\bin the\b|, in\b)\s*")
# Members of one coordinated list: "Ma'adan, al-Rabiyeh, Rasm al-Qanem and al-Jableh" (unknown names may sit between).
LIST_GAP = re.compile(
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    r"(?:(?:[A-Z][\w'’-]*|(?:al|el|as|ad|ar|az|ash|at|an)-[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|(?:al|el|as|ad|ar|az|ash|at|an)-[A-Z][\w'’-]*))*"
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+))*"
)


def link_containers(text: str, kept: list[Match]) -> None:
    """Set m.container to the next name when only ", " or "in" stands between, and whether it holds m."""
    for k, (a, b) in enumerate(zip(kept, kept[1:])):
        between = text[a.end:b.start]
        if _CONTAINER_GAP.fullmatch(between):
            a.container = b
            # "A, B" where B locates A -- not two members of a list ("al-Hamidiyeh, al-Orfi, al-Ardi").
            b.holds = not ((k > 0 and LIST_GAP.fullmatch(text, kept[k - 1].end, a.start))
                           or (k + 2 < len(kept) and LIST_GAP.fullmatch(text, b.end, kept[k + 2].start)))


def drop_person_like(gaz, text: str, kept: list[Match], person_like: list[Match]) -> list[Match]:
    """Person-like names that no place locates and that locate nothing are dropped, unless they name a big place."""
    if not person_like:
        return kept
    held = {id(m.container) for m in kept if m.container is not None}
    drop = {id(m) for m in person_like if m.container is None and id(m) not in held
            and not _big(gaz, m.key, text[m.start:m.end])}
    return [m for m in kept if id(m) not in drop] if drop else kept


def _big(gaz, key: str, span: str) -> bool:
    """Whether a name, spelt as the place's main name, denotes a country, an admin1 or a big city:
    a place without a cue ("Jordan", "Houston"; not "Choi" for Chüy province)."""
    spelt = fold_name(bare(span))
    big = T.big_place_population
    return any((p.feature in ("country", "admin1") or p.population >= big) and fold_name(p.name) == spelt
               for p in gaz._candidates(key))
