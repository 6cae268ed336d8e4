"""Stage 1, clean: drop page furniture (comment forms, share bars, a repeated title).

Dropped lines are blanked, not removed, in ``report.clean_text`` so every later
offset and line number still points into the report as given.  The dateline
("TEHRAN (FNA)-") names where the outlet filed from, not where events were:
it is blanked too, and its outlet tag fills ``report.source`` when none was given.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from .lexicon import boilerplate_pattern, links_heading_pattern
from .model import Report

# "TEHRAN (FNA)-", "KABUL, Afghanistan (AP) —", "BEIRUT, July 22 (Reuters) -", "DAMASCUS, SANA-"
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][\w .'’-]{2,40}?)"
    r"(?:,\s*[A-Z][\w .'’-]{1,40}?)?"
    r"(?:,\s*(?:\w{3,9}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
    r"\s*(?:\((?P<tag>[A-Za-z][\w .&-]{0,30})\)|,\s*(?P<tag2>[A-Z]{2,10})\b)?"
    # A dash, or the replacement character a mis-decoded dash became ("BEIRUT (AP) \ufffd A ...").
    # (A hyphen must stand apart: "PORT-AU-PRINCE" is one name.)
    r"\s*(?:[—–:\ufffd]+|-+(?=\s))\s*"
)

# Every dateline ends in one of these; a line without any cannot be one (a quick test
# that spares most lines the DATELINE pattern's backtracking).
_DATELINE_END = re.compile(r"[-—–:\ufffd]")

_QUOTES = re.compile(r"[\"“”'‘’]")


def _norm_line(line: str) -> str:
    line = unicodedata.normalize("NFKC", line).lower()
    line = _QUOTES.sub("", line)
    # Runs of whitespace to one space, trimmed: str.split() splits on exactly the characters \s
    # matches, and is several times faster than re.sub over every line.  Most lines need
    # nothing done: the only whitespace a printable string can hold is " " (every other
    # whitespace character is a control or separator), so one without doubled or outer
    # spaces is kept as it is.
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


# A link list's items are titles: short lines.  The first longer one is prose again.
LINK_TITLE_MAX = 140
LINK_LIST_MAX = 12


def _drop_link_lists(report: Report) -> None:
    """Blank a "More on this story" / "Related" heading and the titles listed under it."""
    heading = links_heading_pattern()
    lines = report.lines
    i = 0
    while i < len(lines):
        if not heading.match(lines[i].strip()):
            i += 1
            continue
        report.kept[i] = False
        i += 1
        items = 0
        while i < len(lines) and items < LINK_LIST_MAX:
            stripped = lines[i].strip()
            if stripped:
                if len(stripped) > LINK_TITLE_MAX:
                    break
                report.kept[i] = False
                items += 1
            i += 1


def clean(report: Report) -> Report:
    """Mark boilerplate lines as dropped and build the offset-preserving clean text; read the report's day."""
    report.day = datetime.date.fromisoformat(report.date) if report.date else None
    _mark_boilerplate(report)
    _drop_link_lists(report)
    text = "\n".join(line if report.kept[i] else " " * len(line) for i, line in enumerate(report.lines))
    report.clean_text = _blank_dateline(report, text)
    return report


def _mark_boilerplate(report: Report) -> None:
    """Drop page furniture: boilerplate lines, repeated long lines, the title repeated over a comment form."""
    boiler = boilerplate_pattern()
    seen: dict[str, int] = {}
    title_key = None
    for i, line in enumerate(report.lines):
        stripped = line.strip()
        if not stripped:
            continue
        key = _norm_line(stripped)
        if title_key is None:
            title_key = key
        # Every boilerplate cue is a whole-line pattern anchored with ^, so match() finds what
        # search() would, without trying each cue at every later position first.
        if boiler.match(stripped):
            report.kept[i] = False
        elif key in seen and len(key) > 20:
            # A long line seen before is a repeated title or a duplicated block.
            report.kept[i] = False
        elif title_key and i > 0 and title_key in key and len(key) < len(title_key) + 60 and "comment" in key:
            report.kept[i] = False
        seen.setdefault(key, i)


def _blank_dateline(report: Report, text: str) -> str:
    """Blank the dateline of the first body paragraphs ("TEHRAN (FNA)-"); keep its outlet tag as the source."""
    for i, line in enumerate(report.lines[:12]):
        if not report.kept[i] or not _DATELINE_END.search(line):
            continue
        m = DATELINE.match(line)
        place = m.group("place") if m else ""
        # An all-capitals place, or a short place with an outlet tag ("Homs, SANA -"); a
        # sentence with a dash in it ("There was good news from Baku today -") is no dateline.
        if m and m.end() < len(line) and (place.isupper() or (
                (m.group("tag") or m.group("tag2")) and len(place.split()) <= 3)):
            report.dateline = line[:m.end()].strip()
            tag = m.group("tag") or m.group("tag2")
            if tag and not report.source:
                report.source = tag.strip()
            start = report.line_starts[i]
            return text[:start] + " " * m.end() + text[start + m.end():]
    return text
