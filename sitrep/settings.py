"""One settings object for a run: the CLI fills it from flags, Python users build it directly."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .errors import InputError


def parse_date(value: str | None) -> str | None:
    """Return an ISO date (YYYY-MM-DD) or None; raise InputError on anything else."""
    if value is None or value == "":
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InputError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


@dataclass(slots=True)
class Settings:
    """Options for extraction.

    date: the report date used when a document carries none; relative days
        ("on Friday", "yesterday") resolve against it.  None leaves event dates null.
    source: the outlet name used when a document carries none.
    include_all: keep planned/background/negated candidates in the output too.
    max_bytes: documents larger than this are refused as input errors.
    """

    date: str | None = None
    source: str | None = None
    include_all: bool = False
    max_bytes: int = 20_000_000

    def __post_init__(self) -> None:
        self.date = parse_date(self.date)
