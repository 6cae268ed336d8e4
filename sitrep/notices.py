"""Warnings about an input that will not fail but may give less than the reader expects.

Two are checked before a report enters the stages: no date (its events get none), and
text that does not look English (sitrep reads English only, so it would yield no event
silently).  Each is added to ``report.warnings`` and logged on the "sitrep.notices"
logger with its kind; the command line prints the first of each kind on stderr and
counts the rest (see cli.NoticePrinter).  Library users see nothing unless they
configure logging.
"""

from __future__ import annotations

import logging
from pathlib import PurePath
from urllib.parse import urlsplit

from .language import english_share, looks_english
from .model import Report

log = logging.getLogger("sitrep.notices")
log.addHandler(logging.NullHandler())

NO_DATE = "no-date"
NOT_ENGLISH = "not-english"


def check_report(report: Report, date: str | None = None) -> list[str]:
    """The notices of one report (also logged and added to report.warnings); date: the --date default."""
    found = []
    if not (report.date or date):
        found.append((NO_DATE, f"{report.doc_id}: no report date (and no --date): its events get no date and "
                               "relative days ('on Friday') cannot be placed"))
    if not looks_english(report.text):
        share, _ = english_share(report.text)
        found.append((NOT_ENGLISH, f"{report.doc_id}: does not look like English ({share:.0%} English function "
                                   "words): sitrep reads English only, so it finds no events in it"))
    for kind, message in found:
        report.warnings.append(message)
        log.warning(message, extra={"kind": kind})
    return [m for _, m in found]


FILE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".xml")


def fallback_outlet(report: Report) -> str | None:
    """A source name for a report that names no outlet: its URL's host, else its file's name.

    None for stdin, a .jsonl document's id or a posted text (nothing names where it came from).
    """
    if report.url:
        host = urlsplit(report.url).hostname or ""
        return host.removeprefix("www.") or None
    name = PurePath(report.doc_id or "").name
    return name if name.lower().endswith(FILE_SUFFIXES) else None


def name_unnamed_source(report: Report) -> Report:
    """The last stage: events of a report that names no outlet carry its URL's host or file name as source.

    Only the events' and evidence's `source` get it, not `report.source`: the store counts
    corroboration by outlet, and two files are not two outlets.
    """
    if report.source:
        return report
    name = fallback_outlet(report)
    if name:
        for e in report.events + report.candidates:
            e.source = e.source or name
            for ev in e.evidence:
                ev.source = ev.source or name
    return report
