"""Tuned numbers: every threshold and weight the stages use, in one place, with how it was set.

A number belongs here when changing it changes what sitrep finds.  Each section is a frozen
dataclass read by one stage; `TUNING` is the instance the stages use.  Every field says what
it does and how its value was calibrated, so that a change can be checked the same way
(`python bench/golden_check.py` shows what moves, `sitrep eval` and `eval/` what it is worth).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DedupTuning:
    """Stage 6, dedup: when two tellings of a report are one event.  Each number trades merging two real
    events into one (too wide) against leaving one event told twice (too narrow); each was set on the
    development and held-out sets, which `sitrep eval` scores."""

    same_place_km: float = 5.0
    """Two tellings placed this close (both finer than a province) are at one place: a town and its
    outskirts, or two gazetteer points for one place.  Set with the first dedup stage and not re-tuned
    since; wider, two villages' clashes on one day merge (cross-report merging, merge.py, allows 10 km)."""

    aftermath_km: float = 50.0
    """What a raid or battle left ("weapons were recovered"), placed only at the district or province
    that holds the act, joins the act when the two points are this close.  Came in with that rule
    (held-out 3 F1 0.758 -> 0.769); wider, what other acts of the province left is swallowed too."""

    aftermath_paragraphs: int = 1
    """An aftermath, or the act told after it, joins the act's first telling up to this many
    paragraphs away.  Came in with aftermath merging (held-out 3 F1 0.746 -> 0.758, held-out 4
    0.682 -> 0.690); further, an aftermath told in another part of a roundup joins the wrong act."""

    summary_days: int = 7
    """A summary bullet or headline that names no day of its own joins the act it sums up when the
    story dates that act within this many days (the bullet is dated by the report, the strike days
    earlier).  Held-out 7 F1 0.841 -> 0.851; longer, last week's act of one kind at one place joins."""

    summary_dated_days: int = 1
    """A summary or list of the day's developments and the story may date one act this many days
    apart ("on May 20" in the list, "on the evening of May 19" in the story) and still tell one act;
    more, and the same kind of act at one place on the day before joins it."""

    told_on_paragraphs: int = 1
    """The same act told on in the same or up to this many paragraphs later may be dated
    `summary_dated_days` apart ("killing seven on Saturday night ... nine were killed and buried on
    Sunday").  Came in with that rule (held-out 4 F1 0.784 -> 0.795, held-out 7 0.851 -> 0.860);
    further, a report's day-by-day account of one kind of act at one place collapses."""


@dataclass(frozen=True, slots=True)
class Tuning:
    """All sections; stages read `TUNING.<section>.<field>`."""

    dedup: DedupTuning = DedupTuning()


TUNING = Tuning()
