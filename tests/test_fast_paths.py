"""Shortcuts taken for speed in the text stages give what the plain code gives."""

import sys
import unicodedata

from sitrep.clean import _QUOTES, _norm_line


def _norm_line_plain(line: str) -> str:
    line = _QUOTES.sub("", unicodedata.normalize("NFKC", line).lower())
    return " ".join(line.split())


def test_only_space_is_printable_whitespace():
    # _norm_line keeps a printable line without doubled or outer spaces as it is.
    assert [hex(c) for c in range(sys.maxunicode + 1)
            if chr(c).isspace() and chr(c) != " " and chr(c).isprintable()] == []


def test_norm_line_collapses_whitespace_as_split_join():
    for line in ["Share this", "a  b", " a", "a ", "\"Quoted\" words", "' lead quote", "tail quote '",
                 "tab\there", "nbsp\u00a0here", "ideographic\u3000space", "line\u2028sep", "zero\u200bwidth",
                 "ﬁ ligature", "Ｆｕｌｌwidth　ｓｐａｃｅ", "", "x"]:
        assert _norm_line(line) == _norm_line_plain(line), line


def test_sentence_boundaries_match_the_lookbehind_pattern():
    # sentences._BOUNDARY starts at the stop; the same boundaries written with a lookbehind:
    import random
    import re

    from sitrep.sentences import _BOUNDARY

    lookbehind = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
    pieces = list("aAZ09 .!?\"”’')](“‘[\t\u00a0") + ["Mr.", "U.S.", "...", " No. 5"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert [(m.start() + 1, m.end()) for m in _BOUNDARY.finditer(text)] == \
            [(m.start(), m.end()) for m in lookbehind.finditer(text)], text


def test_boilerplate_cues_are_anchored_at_the_line_start():
    # clean() looks for them with match(), not search().
    from sitrep.lexicon import cues

    assert all(p.startswith("^") for p in cues()["boilerplate"])
