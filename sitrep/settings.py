"""One settings object for a run: the CLI fills it from flags, Python users build it directly."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .errors import InputError

# Dates sitrep accepts: relative dates, merge windows and --since reach days to a year
# either side, so the ends of Python's calendar (years 1 and 9999) would overflow.
MIN_YEAR, MAX_YEAR = 1000, 9998


def parse_date(value: str | None) -> str | None:
    """Return an ISO date (YYYY-MM-DD) or None; raise InputError on anything else.

    A longer value must be a timestamp ("2017-07-22T10:00:00Z", "2017-07-22 10:00"): its day is kept.
    """
    if value is None or value == "":
        return None
    text = str(value)
    try:
        if text[10:11] not in ("", "T", "t", " "):
            raise ValueError(text)
        day = _dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"invalid date {value!r}: expected YYYY-MM-DD") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(f"invalid date {value!r}: the year must be from {MIN_YEAR} to {MAX_YEAR}")
    return day.isoformat()


@dataclass(slots=True)
class Settings:
    """Options for extraction.

    date: the report date used when a document carries none; relative days
        ("on Friday", "yesterday") resolve against it.  None leaves event dates null.
    source: the outlet name used when a document carries none.
    include_all: keep planned/background/negated candidates in the output too.
    max_bytes: documents larger than this are refused as input errors.
    max_seconds: the time budget to extract one document; a document still being extracted
        after that long fails alone (BudgetError) and the batch goes on.  0 means no limit.
    read_seconds: the time limit to read one input in full: a download with its redirects, a
        named pipe or stdin (a server or writer that trickles is cut off, not waited on).
    allow_private: fetch URLs on loopback, private, link-local and other non-public addresses
        too (refused by default: a report's or feed's link must not reach internal services).
    allow_networks: address ranges ("10.1.0.0/16") fetched from although not public.
    """

    date: str | None = None
    source: str | None = None
    include_all: bool = False
    max_bytes: int = 20_000_000
    max_seconds: float = 60.0
    read_seconds: float = 30.0
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        from .netguard import parse_networks

        self.date = parse_date(self.date)
        parse_networks(self.allow_networks)  # a bad range is an error now, not at the first fetch
