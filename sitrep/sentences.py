"""Stage 2, sentences: split the cleaned report into sentences with line numbers.

Headlines and section headings are not sentences: the headline repeats the body
(events are taken from the body), and a heading such as "Deir Ezzur" becomes
the ``heading`` context of the sentences below it.
"""

from __future__ import annotations

import re

from .model import Report, Sentence

# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before
# whitespace and an upper-case letter, digit or opening quote.  The match starts at the
# stop itself, so the sentence ends one character after it; a pattern starting with a
# lookbehind could not skip ahead to the next stop and ran twice as slowly.
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Cpl|Brig|Adm|Gov|Sen|Rep|Rev|St|Mt|Ft|No|Nos|Vol|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|est|Inc|Ltd|Co|Corp|Jr|Sr|Prof|Pres)"
    r"|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z]?)\.$"
)
_ABBREV_TAIL = 16
_TERMINAL = re.compile(r"[.!?\"”’:;)]\s*$")


def _split_paragraph(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + 1  # just after the stop
        # Only the tail can end in an abbreviation (at most 8 characters, "A.B.C.D."): searching
        # the whole text since the last split made a run of abbreviations quadratic.
        candidate = text[max(start, end - _ABBREV_TAIL):end].rstrip()
        if _ABBREV.search(candidate):
            continue
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _is_heading(line: str) -> bool:
    # The cheap length test first: splitting every long body line into words was most of the cost.
    return (len(line) <= 60 and 0 < len(line.split()) <= 6 and not _TERMINAL.search(line)
            and line[:1].isupper())


def split_sentences(report: Report) -> Report:
    """Fill report.sentences from the kept lines of report.clean_text."""
    sentences: list[Sentence] = []
    heading: str | None = None
    seen_title = False
    paragraph = -1
    lines = report.clean_text.split("\n") if report.clean_text else report.lines
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    section = 0
    previous = None
    for i in nonblank:
        if previous is not None and i - previous > 2:
            section += 1  # two or more blank lines open a new section
        previous = i
        raw = lines[i]
        stripped = raw.strip()
        if not seen_title:
            seen_title = True
            # The first line is a headline when it is short, unpunctuated and more follows.
            if len(nonblank) > 1 and len(stripped) <= 250 and not re.search(r"[.!?]\s*$", stripped):
                report.title = report.title or stripped
                continue
        if _is_heading(stripped):
            heading = stripped
            section += 1
            continue
        paragraph += 1
        offset = report.line_starts[i]
        for s, e in _split_paragraph(raw):
            chunk = raw[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            body = chunk.strip()
            if len(body) < 3:
                continue
            start = offset + s + lead
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=body,
                    start=start,
                    end=start + len(body),
                    line=i + 1,
                    paragraph=paragraph,
                    heading=heading,
                    section=section,
                )
            )
    if not sentences and report.title and nonblank:
        # Nothing but a headline and page furniture ("Read the full story"): the headline is the report.
        first = nonblank[0]
        raw = lines[first]
        lead = len(raw) - len(raw.lstrip())
        start = report.line_starts[first] + lead
        body = raw.strip()
        sentences.append(Sentence(0, body, start, start + len(body), first + 1, 0, None, 0))
    report.sentences = sentences
    return report
