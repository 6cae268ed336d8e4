"""Casualty counts of an act: the dead and the injured, and how a toll splits over places."""

from __future__ import annotations

import re

from ..model import Mention, Report, Sentence

# A sentence that sums up many acts: over a country, over days, over several places.
AGGREGATE = re.compile(
    r"\b(?:across|throughout|all over)\s+(?:the\s+)?(?:country|nation|region|[A-Z]\w+)"
    r"|\bover the (?:past|last) (?:day|24 hours|\w+ days|week|weekend)"
    r"|\bin (?:several|various|multiple|a number of|different|many) (?:regions|provinces|areas|cities|towns|districts|parts|oblasts|states)"
    r"|\bnationwide\b")

INCLUDING_IN = re.compile(r"\bincluding\s+((?:at least\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
                           r"eleven|twelve|a dozen|dozens|\w+teen|twenty))\s+[^.;]{0,80}?\b(?:in|at|near)\b", re.I)


def casualty_counts(numbers: list[Mention], text: str = "") -> tuple[int | None, int | None]:
    def first(role: str) -> int | None:
        counts = [m for m in numbers if m.role == role and m.value is not None]
        # "A landmine explosion killed four children": the article counts the mine, a figure the dead.
        figures = [m for m in counts if m.text.lower() not in ("a", "an")] or counts
        if not figures:
            return None
        total = figures[0].value
        # "Two policemen were martyred and three militants killed": the dead of both sides add up.
        for a, b in zip(figures, figures[1:]):
            if _TOLL_AND.fullmatch(text, a.end, b.start) and not _TOLL_SUBSET.search(text, a.end, b.start):
                total += b.value
            else:
                break
        return total

    return first("killed"), first("injured")


def none_killed(report: Report, sent: Sentence) -> bool:
    """"No casualties were reported", in the sentence or in a short one after it in its paragraph
    ("A drone hit a warehouse in Odesa. There were no casualties."): ACLED codes none as 0."""
    if _NO_DEAD.search(sent.text):
        return True
    nxt = report.sentences[sent.index + 1] if sent.index + 1 < len(report.sentences) else None
    return nxt is not None and nxt.paragraph == sent.paragraph and len(nxt.text) < 80 and _NO_DEAD.search(nxt.text) is not None


# Between two death counts of one act: the first count's noun and verb, then "and" ("... were killed and").
_TOLL_AND = re.compile(r"\s+(?:[\w'’-]+\s+){1,4}?(?:killed|dead|died|martyred|slain)\s*,?\s+and\s+", re.I)

_TOLL_SUBSET = re.compile(r"\b(?:including|among|of whom|of them|out of)\b", re.I)

_NO_DEAD = re.compile(r"\b(?:no (?:casualties|deaths|fatalities|one was (?:killed|hurt|injured)|injuries or deaths)|"
                      r"without (?:causing )?casualties|caused no casualties|nobody was (?:killed|hurt|injured)|"
                      r"no (?:immediate )?reports? of (?:casualties|deaths))\b", re.I)


def split_fatalities(total: int | None, n: int) -> list[int | None]:
    """Split a fatality total over n events as ACLED does: evenly, the remainder to the first."""
    if total is None or n <= 1:
        return [total] + [None] * (n - 1) if n >= 1 else []
    base, rem = divmod(total, n)
    return [base + (1 if i < rem else 0) for i in range(n)]

