"""Clause and span helpers the event passes and the coding rules share: mentions by sentence, quotations,
clause limits, trailing clauses."""

from __future__ import annotations

import functools
import re

from .lexicon import prefiltered
from .model import Mention, Report

OPERATION_START = prefiltered(
    r"\b(?:launch(?:ed|es)?|start(?:ed|s)?|beg[iau]n|kick(?:ed)? off|initiated|opened|mount(?:ed)?|resumed?|commenced?|staged)\b"
    r"[^.;]{0,80}?\b(?:operation|offensive|attack|assault|push|campaign|onslaught|round of)",
    re.I,
)

PAST_VERBS = {"fought", "took", "retook", "overran", "shot", "hit", "struck", "won", "blew", "threw", "stole",
               "beat", "beaten", "burnt", "swept", "withdrew", "drove", "fled", "seized", "laid", "set"}

_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def by_sentence(report: Report) -> list[dict[str, list[Mention]]]:
    table: list[dict[str, list[Mention]]] = [dict() for _ in report.sentences]
    for m in report.mentions:
        table[m.sentence].setdefault(m.kind, []).append(m)
    return table


def overlaps_any(m: Mention, spans: list[Mention]) -> bool:
    return any(m.start < s.end and m.end > s.start for s in spans)


def tail_may_hold(window: str, words: tuple[str, ...], n: int) -> bool:
    """Whether one of the last n whitespace-separated words of `window` may end with one of `words`.

    A cheap necessary test for the patterns anchored at the end of the window (_AFFILIATE,
    _TARGET_PREP, _AGENT_PREP): each ends "<word> [the] [one or two words]", every part followed by
    whitespace.  Words with non-ASCII letters are let through: re.I may fold them to ASCII."""
    for token in window.split()[-n:]:
        if not token.isascii() or token.lower().endswith(words):
            return True
    return False


# "to" + a verb; "set fire to a police station" is no purpose ("to" + a determiner or a number).
_PURPOSE_CLAUSE = re.compile(r"\b(?:to|in order to|so as to)\s+(?!(?:the|a|an|its|their|his|her|our|this|that|these|those|"
                             r"several|some|two|three|four|five|dozens|hundreds|\d+)\b)\w+(?<!ed)\b")

_NO_PURPOSE = re.compile(r"\s*(?:back|death)\b")


@functools.lru_cache(maxsize=1024)
def opens_operation(phrase: str) -> bool:
    """The trigger phrase opens an operation ("launched an offensive"); trigger phrases recur, so remembered."""
    return OPERATION_START.fullmatch(phrase) is not None


def purpose_limit(text: str, start: int, end: int) -> int:
    """Where a purpose clause ("to pave the way for ...") begins after start, else end."""
    m = _PURPOSE_CLAUSE.search(text[start:end])
    if m and not _NO_PURPOSE.match(text[start + m.end():start + m.end() + 6]):
        return start + m.start()
    return end


# Where a new clause of a long sentence begins: "..., and in the same context, ...", "..., while ...", "; ".
NEXT_CLAUSE = re.compile(r";|,\s+(?:and|while|whereas|but)\s+|\s+(?:while|whereas)\s+", re.I)


def purpose_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The purpose clause after start ("to pave the way for X"), up to where the next clause of the sentence
    begins; (end, end) when there is none."""
    limit = purpose_limit(text, start, end)
    if limit == end:
        return end, end
    nxt = NEXT_CLAUSE.search(text, limit, end)
    return limit, nxt.start() if nxt else end


TRAILING_CLAUSE = re.compile(r",\s+(?:(?:as|while|amid|whereas|even as)\s+(?!well\b|part\b|of\b)"
                              r"|(?:(?:just|only|two|three|four|five|several|a few|some)\s+)?(?:days?|weeks?|months?|hours?|a day|a week)"
                              r"\s+(?:after|before)\s)", re.I)

BY_NEXT = re.compile(r"\s+by\b")


def quotation_spans(report: Report, line: int) -> list[tuple[int, int]]:
    """The quotations of a line (1-based), as spans of report.clean_text (found once per line: a long paragraph's
    sentences all ask)."""
    memo = report.memo.setdefault("quotations", {})
    if line not in memo:
        memo[line] = _line_quotations(report, line)
    return memo[line]


def _line_quotations(report: Report, line: int) -> list[tuple[int, int]]:
    line_start = report.line_starts[line - 1]
    line_end = line_start + len(report.lines[line - 1])
    # Scare quotes around one word ('had "liberated" the settlement') quote no speaker.
    return [q.span() for q in _QUOTE.finditer(report.clean_text, line_start, line_end) if " " in q.group()]
