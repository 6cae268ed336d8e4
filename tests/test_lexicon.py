"""Prefiltered regexes: the same matches as the plain regex, however the candidate starts are found."""

from __future__ import annotations

import random
import re

import pytest

from sitrep import lexicon
from sitrep.lexicon import PrefilteredRegex, SentenceSearch, modality_finder, prefiltered
from sitrep.mentions import _casualty_words, _date_regex

WORDS = ("the", "army", "said", "killed", "Killed", "KILLED", "3", "12", "May", "on", "5th", "of", "june",
         "is", "expected", "to", "attack", "he", "she", "they", "added", "_x", "al-Sham",
         "dead", "deaths", "rebels", "\n", ",", ".", "—", "2017", "٣", "yesterday", "night")


# Characters whose lower case is longer ("İ"), or that re.I matches to an ASCII letter ("ı"):
# the prefilter cannot be trusted on a text that holds one, and the plain regex runs instead.
ODD = ("İstanbul", "ıs", "ſaid")


def texts(seed: int, count: int, words: int) -> list[str]:
    """Random texts of `words` words; every third one holds an ODD word."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        ws = [rng.choice(WORDS) for _ in range(words)]
        if k % 3 == 0:
            ws[rng.randrange(words)] = rng.choice(ODD)
        out.append(" ".join(ws).replace(" ,", ","))
    return out


REGEXES = [
    prefiltered(r"\b(?:killed|dead|deaths?)\b", re.I),
    prefiltered(r"(?:said|added)\s+\w+", re.I),  # no leading \b
    prefiltered(r"\b(?P<n>\d+)(?:st|nd|rd|th)?\s+of\b", re.I),  # a \d prefix
    prefiltered(r"\b(?:he|she|they)\s+(?:said|added)\b", re.I),
    modality_finder(),
    _date_regex(),
    _casualty_words(),
]


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


@pytest.mark.parametrize("words", [8, 40, 600])  # a sentence, a paragraph, a document (>= 2000 characters)
def test_prefiltered_matches_plain_regex(words: int) -> None:
    for text in texts(words, 30, words):
        for regex in REGEXES:
            assert spans(regex.finditer(text)) == spans(regex.regex.finditer(text)), (regex.pattern, text)
            m, plain = regex.search(text), regex.regex.search(text)
            assert (m and m.span()) == (plain and plain.span())
            for pos, endpos in ((5, len(text) - 3), (len(text) // 2, len(text))):
                assert spans(regex.finditer(text, pos, endpos)) == spans(regex.regex.finditer(text, pos, endpos))


def test_sentence_search_matches_plain_regex() -> None:
    for doc in texts(1, 10, 700):
        search = SentenceSearch(doc)
        cuts = sorted(random.Random(len(doc)).sample(range(1, len(doc)), 40))
        for start, end in zip([0, *cuts], [*cuts, len(doc)]):
            sentence = doc[start:end]
            for regex in REGEXES:
                got = search.finditer(regex, start, end, sentence)
                assert spans(got) == spans(regex.regex.finditer(sentence)), (regex.pattern, sentence)
                m, plain = search.search(regex, start, end, sentence), regex.regex.search(sentence)
                assert (m and m.span()) == (plain and plain.span())


def test_documents_interleaved_with_sentences() -> None:
    """One document's scan is remembered while sentences and other documents are searched."""
    docs = texts(2, 6, 600)
    regex = REGEXES[0]
    for a, b in zip(docs, docs[1:]):
        search = SentenceSearch(a)
        assert spans(regex.finditer(b)) == spans(regex.regex.finditer(b))
        assert spans(regex.finditer(a[:50])) == spans(regex.regex.finditer(a[:50]))
        assert spans(search.finditer(regex, 0, len(a), a)) == spans(regex.regex.finditer(a))


def test_shared_automaton_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regexes made on the fly stay correct, and at most _SHARED_MAX of them share the automaton."""
    monkeypatch.setattr(lexicon, "_SHARED_MAX", len(lexicon._shared.regexes) + 2)
    doc = texts(3, 1, 600)[0]
    for i in range(6):
        regex = PrefilteredRegex(re.compile(rf"\b(?:killed|dead)\b.{{{i}}}", re.I))
        assert spans(regex.finditer(doc + " " * i)) == spans(regex.regex.finditer(doc + " " * i))
    lexicon._shared_prefixes()
    assert len(lexicon._shared.regexes) <= lexicon._SHARED_MAX
