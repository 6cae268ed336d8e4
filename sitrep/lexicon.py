"""Language data: trigger lexicon and cue lists from sitrep/data, loaded once.

The trigger lexicon is compiled into one Aho-Corasick automaton so a document
is scanned once for every trigger of every sub-event type.
"""

from __future__ import annotations

import functools
import re
import sys
from bisect import bisect_left
from dataclasses import dataclass
from importlib import resources

import ahocorasick
import yaml

_BRACKET = re.compile(r"\[([^\[\]]*)\]")


# libyaml's safe loader when PyYAML was built with it: the same data from the shipped files
# (the same resolver and constructor), parsed about eight times faster at start-up.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The language whose data (word lists, trigger phrases, cues) the stages read: sitrep/data/<LANGUAGE>/.
# Tables that hold names rather than words (actors, places, regions) sit in sitrep/data/ itself.
LANGUAGE = "en"


def data_file(name: str):
    """A data file shipped with sitrep: the language's own (sitrep/data/en/NAME) if it has one, else sitrep/data/NAME."""
    root = resources.files("sitrep").joinpath("data")
    own = root.joinpath(LANGUAGE, name)
    return own if own.is_file() or own.is_dir() else root.joinpath(name)


def load_data(name: str):
    """Parse a YAML file shipped with sitrep (see data_file)."""
    return yaml.load(data_file(name).read_text(encoding="utf-8"), Loader=_YAML_LOADER)


def expand(pattern: str) -> list[str]:
    """All literal phrases a bracket pattern stands for: 'clash[|es]' -> clash, clashes."""
    m = _BRACKET.search(pattern)
    if not m:
        return [" ".join(pattern.split())]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(expand(pattern[: m.start()] + alt + pattern[m.end():]))
    return out


@dataclass(frozen=True, slots=True)
class Trigger:
    phrase: str
    sub_event_type: str
    weight: int


def is_word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


class TriggerLexicon:
    """Every trigger phrase of every sub-event type, matched in one pass."""

    def __init__(self, table: dict[str, dict[int, list[str]]]):
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[Trigger]] = {}
        for sub, weights in table.items():
            for weight, patterns in weights.items():
                for pattern in patterns:
                    for phrase in expand(pattern.lower()):
                        if not phrase:
                            continue
                        # A phrase listed twice for one type counts once, at its highest weight.
                        found = entries.setdefault(phrase, [])
                        same = [i for i, t in enumerate(found) if t.sub_event_type == sub]
                        if same:
                            found[same[0]] = Trigger(phrase, sub, max(found[same[0]].weight, int(weight)))
                        else:
                            found.append(Trigger(phrase, sub, int(weight)))
        self.phrases: frozenset[str] = frozenset(entries)
        for phrase, triggers in entries.items():
            self.automaton.add_word(phrase, (len(phrase), tuple(triggers)))
        self.automaton.make_automaton()
        self.size = len(entries)

    @classmethod
    @functools.cache
    def default(cls) -> "TriggerLexicon":
        return cls(load_data("triggers.yaml"))

    def find(self, lowered: str) -> list[tuple[int, int, tuple[Trigger, ...]]]:
        """Trigger spans in lower-cased text, on word boundaries, longest first where they overlap."""
        hits = []
        n = len(lowered)
        for end, (length, triggers) in self.automaton.iter(lowered):
            start = end - length + 1
            if start > 0 and is_word_char(lowered[start - 1]):
                continue
            if start >= 4 and lowered[start - 4:start] in ("non-", "non "):
                continue  # "a non-violent demonstration" is no violent demonstration
            if end + 1 < n and is_word_char(lowered[end + 1]):
                continue
            hits.append((start, end + 1, triggers))
        # Longest match wins; a shorter trigger inside a longer one is dropped.
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, tuple[Trigger, ...]]] = []
        last_end = -1
        for h in hits:
            if h[0] >= last_end:
                kept.append(h)
                last_end = h[1]
            elif h[1] > last_end and kept and h[1] - h[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = h
                last_end = h[1]
        return kept


@functools.cache
def cues() -> dict:
    return load_data("cues.yaml")


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@functools.cache
def modality_regex() -> re.Pattern:
    """All modality cues in one regex, one named group per modality: one pass per sentence."""
    groups = [f"(?P<{m}>{_alternation(p)})" for m, p in cues()["modality"].items()]
    return re.compile(r"\b(?:" + "|".join(groups) + r")\b", re.I)


@functools.cache
def modality_finder() -> "PrefilteredRegex":
    """modality_regex() behind a literal prefilter: same matches, a fraction of the time."""
    return PrefilteredRegex(modality_regex(), [p for ps in cues()["modality"].values() for p in ps])


@functools.cache
def number_words() -> dict[str, int]:
    return {k.lower(): int(v) for k, v in cues()["numbers"]["words"].items()}


@functools.cache
def boilerplate_pattern() -> re.Pattern:
    return re.compile(_alternation(cues()["boilerplate"]), re.I)


@functools.cache
def links_heading_pattern() -> re.Pattern:
    """A heading over a list of links to other stories ("More on this story", "Related")."""
    return re.compile(_alternation(cues()["links_heading"]), re.I)


# ---------------------------------------------------------------- literal prefilters
#
# A big case-insensitive alternation is slow in Python's re: at every word boundary it tries
# each alternative in turn, and re.I disables the engine's first-literal shortcut.  But every
# cue begins with fixed text ("is expected", "since", "in the"), so a literal trie over the
# lower-cased text finds the only positions where a cue can start, and the full regex is then
# tried at those positions alone.  The result is exactly finditer()'s: the candidates are a
# superset of the real match starts, tried left to right, skipping overlaps.

_PREFIX_LEN = 8  # longer prefixes filter better; the trie keeps the prefilter cheap
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Uncased characters: re.I matches them only to themselves, str.lower() leaves them alone.
_CASELESS = frozenset(" 0123456789-'’,.")
# Characters that re.I matches to an ASCII letter but str.lower() does not map to it
# (U+0130 İ also lower()s to two characters, which the length check catches).
_CASE_ODD = ("\u0131", "\u017f")
# A prefix position that holds any digit (\\d): digits have no case, so lower() keeps them.
_DIGIT = "\ue000"


def literal_prefixes(pattern: str, limit: int = _PREFIX_LEN) -> set[str] | None:
    """Lower-case literal prefixes one of which every match of `pattern` starts with; None if
    some match may start with something else (a class, a repeat, a lookaround)."""
    from re import _constants as c
    from re import _parser

    out: set[str] = set()

    def walk(items: list, prefix: str) -> None:
        if len(prefix) >= limit or not items:
            out.add(prefix)
            return
        op, av = items[0]
        rest = items[1:]
        if op is c.LITERAL and (chr(av) in _ASCII_LETTERS or chr(av) in _CASELESS):
            walk(rest, prefix + chr(av).lower())
        elif op is c.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            walk(list(av[3]) + rest, prefix)
        elif op is c.BRANCH:
            for alt in av[1]:
                walk(list(alt) + rest, prefix)
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: what it allows starts with the rest
            walk(rest, prefix)
        elif op is c.IN and av == [(c.CATEGORY, c.CATEGORY_DIGIT)]:  # \\d: "12 killed", "on 3 May"
            walk(rest, prefix + _DIGIT)
        elif op is c.IN and all(o is c.LITERAL and (chr(a) in _ASCII_LETTERS or chr(a) in _CASELESS) for o, a in av):
            for _, a in av:  # a class of a few letters: "[Dd]", "[ae]"
                walk(rest, prefix + chr(a).lower())
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, _, body = av
            if lo == 0:  # "(?:it )?seems": the match may skip it ...
                walk(rest, prefix)
            walk(list(body), prefix)  # ... or start inside it (what follows one pass is not followed)
        else:  # anything else ends the literal prefix here
            out.add(prefix)

    walk(list(_parser.parse(pattern)), "")
    return None if "" in out else out


def _starts_at_boundary(pattern: str) -> bool:
    """Whether every match of `pattern` starts at a word boundary (it opens with a top-level \\b)."""
    from re import _constants as c
    from re import _parser

    items = list(_parser.parse(pattern))
    return bool(items) and items[0] == (c.AT, c.AT_BOUNDARY)


def _build_trie(words) -> dict:
    """Nested dicts, one level per character; the key "" marks the end of a word."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def trie_regex(words: set[str]) -> str:
    """A regex matching any of `words`, factored as a trie so the engine reads each character once."""
    trie = _build_trie(words)

    def emit(node: dict) -> str:
        if "" in node:
            return ""  # a shorter word already ends here: any continuation is redundant for a prefilter
        alts = [(r"\d" if ch == _DIGIT else re.escape(ch)) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def word_trie(words) -> str:
    """A regex alternation of `words`, factored as a trie ("gen(?:eral)?|gov(?:ernor)?").

    The engine then compares each character once instead of once per word: case-insensitive
    alternations are otherwise slow.  It matches the same strings as the plain alternation,
    and where only one of them can match at a place (as when each must be followed by a
    non-letter), the matches are the same too.
    """
    trie = _build_trie(words)

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a word ends here: what follows is optional
            return f"(?:{body})?" if len(alts) > 1 or len(alts[0]) > 1 else body + "?"
        return body

    return emit(trie)


def alternation_strings(pattern: str) -> set[str] | None:
    """Every string a plain alternation matches ("sources?|spokes(?:man|woman)" -> sources, source,
    spokesman, spokeswoman); None if the pattern holds anything but literals, groups, | and ?."""
    from re import _constants as c
    from re import _parser

    def strings(items: list):
        if not items:
            yield ""
            return
        op, av = items[0]
        rest = items[1:]
        if op is c.LITERAL:
            for tail in strings(rest):
                yield chr(av) + tail
        elif op is c.SUBPATTERN and not av[1] and not av[2]:
            yield from strings(list(av[3]) + rest)
        elif op is c.BRANCH:
            for alt in av[1]:
                yield from strings(list(alt) + rest)
        elif op is c.MAX_REPEAT and av[0] == 0 and av[1] == 1:  # x?
            yield from strings(rest)
            yield from strings(list(av[2]) + rest)
        else:
            raise ValueError(op)

    try:
        return set(strings(list(_parser.parse(pattern))))
    except ValueError:
        return None


# Texts at least this long are prefiltered by one Aho-Corasick pass (see _DocumentScan) instead of a regex.
_AUTOMATON_MIN = 2000
# An automaton has no \\d: it reads every digit (every character \\d matches) as _DIGIT instead.
_ANY_DIGIT = re.compile(r"\d")


def _is_word(ch: str) -> bool:
    """Whether the regex engine counts ch as a word character (\\w: alphanumeric or underscore)."""
    return ch.isalnum() or ch == "_"


def _usable(text: str, low: str) -> bool:
    """Whether a prefilter over low = text.lower() can be trusted on text (see _CASE_ODD)."""
    return len(low) == len(text) and _CASE_ODD[0] not in text and _CASE_ODD[1] not in text


_last_lowered: tuple[str, str] = ("", "")


def _lowered(text: str) -> str:
    """text.lower(), remembered for the last text: a sentence is searched by several regexes in a row."""
    global _last_lowered
    last = _last_lowered  # read once: another thread may replace it meanwhile
    if last[0] is text:
        return last[1]
    low = text.lower()
    _last_lowered = (text, low)
    return low


class PrefilteredRegex:
    """search()/finditer() of a (typically re.I) regex, tried only where one of its literal prefixes
    occurs in the lower-cased text.  Same matches as the plain regex, found much faster.

    `alternatives`, if given, are the patterns the regex alternates between (a cue list); by default
    the prefixes are read off the regex itself.  A regex that may start with something else than
    a literal (a class, \\w) has no prefilter and runs as it is.
    """

    def __init__(self, regex: re.Pattern, alternatives: list[str] | None = None) -> None:
        self.regex = regex
        prefixes: set[str] | None = set()
        for alt in alternatives if alternatives is not None else [regex.pattern]:
            ps = literal_prefixes(alt)
            if ps is None:
                prefixes = None
                break
            prefixes |= ps
        self.prefilter = None
        self.prefixes = frozenset(prefixes or ())
        self.word_start = _starts_at_boundary(regex.pattern)
        if prefixes:
            # A zero-width lookahead reports every candidate start, even overlapping ones.  When the
            # regex opens with \\b a candidate must start a word too (lower() keeps word characters).
            lead = "\\b" if self.word_start else ""
            self.prefilter = re.compile(f"{lead}(?={trie_regex(prefixes)})")

    def _starts(self, text: str, pos: int, endpos: int):
        """Candidate start positions in [pos, endpos), in order: where a prefix occurs in the lower-cased
        text (at a word boundary, if the regex opens with one).  None if the prefilter cannot be
        trusted on this text."""
        scan = _last_scan
        if scan is None or scan.text is not text:
            if min(endpos, len(text)) - pos < _AUTOMATON_MIN:
                low = _lowered(text)
                if not _usable(text, low):
                    return None
                return map(re.Match.start, self.prefilter.finditer(low, pos, endpos))  # lazy: search() stops early
            scan = _document_scan(text)
        # A whole document (or the one just scanned): its shared Aho-Corasick pass found the starts.
        if not scan.usable:
            return None
        starts = scan.starts(self)
        return starts[bisect_left(starts, pos):bisect_left(starts, endpos)]

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        starts = self._starts(text, pos, endpos) if self.prefilter is not None else None
        if starts is None:
            return self.regex.search(text, pos, endpos)
        match = self.regex.match
        for p in starts:
            m = match(text, p, endpos)
            if m is not None:
                return m
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        starts = self._starts(text, pos, endpos) if self.prefilter is not None else None
        if starts is None:
            yield from self.regex.finditer(text, pos, endpos)
            return
        match = self.regex.match
        for p in starts:
            if p < pos:
                continue
            m = match(text, p, endpos)
            if m is not None:
                yield m
                pos = m.end() if m.end() > p else p + 1

    # The rest of the re.Pattern interface, unchanged, so a PrefilteredRegex can stand in for one.
    def match(self, *args) -> re.Match | None:
        return self.regex.match(*args)

    def fullmatch(self, *args) -> re.Match | None:
        return self.regex.fullmatch(*args)

    @property
    def pattern(self) -> str:
        return self.regex.pattern


def prefiltered(pattern: str, flags: int = 0) -> PrefilteredRegex:
    """re.compile() for a regex searched over whole sentences or documents: same matches, prefiltered."""
    return PrefilteredRegex(re.compile(pattern, flags))


# ---------------------------------------------------------------- one pass per document
#
# A document is searched by a dozen or more prefiltered regexes (cue lists in mentions and events).
# An Aho-Corasick pass costs about the same whatever the number of words it looks for, so the
# prefixes of every regex that has been searched over a whole document go into one shared
# automaton, and one pass over a document finds the candidate starts of all of them.

_SHARED_MAX = 64  # regexes in the shared automaton; any further ones are prefiltered by their regex


class _SharedPrefixes:
    """One automaton over the prefixes of several regexes; each word maps to the regexes it is a prefix of."""

    def __init__(self, regexes: tuple[PrefilteredRegex, ...]) -> None:
        self.regexes = regexes
        self.index = {id(r): i for i, r in enumerate(regexes)}  # the tuple keeps each regex, and its id, alive
        owners: dict[str, dict[int, None]] = {}
        for i, regex in enumerate(regexes):
            for prefix in regex.prefixes:
                owners.setdefault(_ANY_DIGIT.sub(_DIGIT, prefix), {})[i] = None
        self.digits = any(_DIGIT in word for word in owners)  # the text must have its digits read as _DIGIT
        self.automaton = ahocorasick.Automaton()
        for word, regex_indexes in owners.items():
            self.automaton.add_word(word, (len(word), tuple(regex_indexes)))
        if owners:
            self.automaton.make_automaton()


_shared = _SharedPrefixes(())
_to_share: tuple[PrefilteredRegex, ...] = ()  # added to _shared before the next document is scanned


def _share_later(regex: PrefilteredRegex) -> None:
    """Have `regex` join the shared automaton before the next document is scanned."""
    global _to_share
    _to_share += (regex,)


def _shared_prefixes() -> _SharedPrefixes:
    """The shared automaton, first rebuilt with any regex waiting to join it (while there is room)."""
    global _shared, _to_share
    waiting, shared = _to_share, _shared
    if waiting:
        _to_share = ()
        room = _SHARED_MAX - len(shared.regexes)
        new = tuple(r for r in dict.fromkeys(waiting) if id(r) not in shared.index)[:room]
        if new:
            _shared = shared = _SharedPrefixes(shared.regexes + new)
    return shared


class _DocumentScan:
    """Candidate starts in one document of every prefiltered regex, found by one pass of the shared
    automaton.  A regex not in it yet is prefiltered by its own regex here, and joins it for the
    next document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = low = text.lower()
        self.usable = _usable(text, low)
        self._shared = shared = _shared_prefixes()
        self._starts: dict[int, tuple[PrefilteredRegex, list[int]]] = {}
        self._found: list[set[int]] = [set() for _ in shared.regexes]
        if self.usable and shared.regexes:
            found = self._found
            scanned = _ANY_DIGIT.sub(_DIGIT, low) if shared.digits else low  # same length, same offsets
            for end, (length, regex_indexes) in shared.automaton.iter(scanned):
                start = end - length + 1
                for i in regex_indexes:
                    found[i].add(start)

    def starts(self, regex: PrefilteredRegex) -> list[int]:
        """The candidate starts of `regex` (one with a prefilter) in the whole document, in order."""
        known = self._starts.get(id(regex))
        if known is not None:
            return known[1]
        i = self._shared.index.get(id(regex))
        low = self.low
        if i is None:
            _share_later(regex)
            starts = [m.start() for m in regex.prefilter.finditer(low)]
        elif regex.word_start:  # \\b as the engine reads it: a word character on one side only
            starts = [p for p in sorted(self._found[i]) if _is_word(low[p]) != (p > 0 and _is_word(low[p - 1]))]
        else:
            starts = sorted(self._found[i])
        self._starts[id(regex)] = (regex, starts)  # the entry keeps the regex, and its id, alive
        return starts


_last_scan: _DocumentScan | None = None


def _document_scan(text: str) -> _DocumentScan:
    """The scan of `text`, remembered for the last document: mentions and events search the same one."""
    global _last_scan
    scan = _last_scan  # read once: another thread may replace it meanwhile
    if scan is None or scan.text is not text:
        scan = _last_scan = _DocumentScan(text)
    return scan


class SentenceSearch:
    """Prefiltered searches of many sentences of one document, prefiltered once for the document.

    ``search(regex, start, end, text)`` is ``regex.search(text)`` for ``text == doc[start:end]``
    (a sentence): the candidate starts of each regex are found by one pass over the whole
    document, so a sentence without any costs a bisect instead of a scan.
    """

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self._scan = _document_scan(doc)

    def _candidates(self, regex: PrefilteredRegex, start: int, end: int) -> list[int] | None:
        """Candidate starts relative to doc[start:end], or None when only a plain search will do."""
        if not self._scan.usable or regex.prefilter is None:
            return None
        starts = self._scan.starts(regex)
        lo = bisect_left(starts, start)
        hi = bisect_left(starts, end, lo)
        out = [p - start for p in starts[lo:hi]] if lo < hi else []
        # The document decided "starts a word" by the character before the sentence; inside the
        # sentence alone its first character has none before it, so it may start a match anyway.
        if regex.word_start and start > 0 and (not out or out[0] != 0) and _is_word(self.doc[start - 1]):
            out.insert(0, 0)
        return out

    def search(self, regex: PrefilteredRegex, start: int, end: int, text: str) -> re.Match | None:
        cands = self._candidates(regex, start, end) if self.doc[start:end] == text else None
        if cands is None:
            return regex.search(text)
        match = regex.regex.match
        for p in cands:
            m = match(text, p)
            if m is not None:
                return m
        return None

    def finditer(self, regex: PrefilteredRegex, start: int, end: int, text: str):
        cands = self._candidates(regex, start, end) if self.doc[start:end] == text else None
        if cands is None:
            yield from regex.finditer(text)
            return
        match, pos = regex.regex.match, 0
        for p in cands:
            if p < pos:
                continue
            m = match(text, p)
            if m is not None:
                yield m
                pos = m.end() if m.end() > p else p + 1
