"""Tuned numbers: every threshold and weight the stages use, in one place, with how it was set.

A number belongs here when changing it changes what sitrep finds.  Each section is a frozen
dataclass read by one stage; `TUNING` is the instance the stages use.  Every field says what
it does and how its value was calibrated, so that a change can be checked the same way
(`python bench/golden_check.py` shows what moves, `sitrep eval` and `eval/` what it is worth).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConfidenceWeights:
    """An event's confidence: base + per_point x trigger score (up to 4), + actor (or carried_actor when
    actor 1 was carried from an earlier sentence), + place (or carried_place), x unasserted when the
    claim is not asserted; at most 0.99."""

    base: float = 0.25
    per_point: float = 0.1
    actor: float = 0.15
    carried_actor: float = 0.1
    place: float = 0.12
    carried_place: float = 0.05
    unasserted: float = 0.5


@dataclass(frozen=True, slots=True)
class ResolveTuning:
    """Stage 5, resolve: which country a report is about, which named group an unnamed one is, and how
    sure a coded event is."""

    country_votes: tuple[int, int, int] = (4, 2, 1)
    """How much a place named in the report counts toward the report's country: a country, a province or
    region, any other place.  Set with the first resolve stage (seed F1 0.89 then); a country named
    outright outweighs two villages across a border, a province one; flatter, a roundup's foreign
    villages (Brno for 'Borno') can outvote its country."""

    coreference_paragraphs: int = 2
    """"The militants" are the armed group named up to this many paragraphs before.  Set with the first
    resolve stage; longer, a group from an earlier part of a roundup takes acts that are not its own,
    shorter, a report's second paragraph forgets who it is about."""

    blame_chars: tuple[int, int] = (70, 90)
    """A group named later in the paragraph is who "gunmen" were when a blame or claim word stands up to
    this many characters before and after its name ("Boko Haram claimed the attack").  Came in with
    that rule; wider, any later-named group in a long paragraph is blamed."""

    claim_paragraphs: int = 2
    """... or in a paragraph of its own up to this many paragraphs after ("The TTP claimed responsibility
    for the attack."), held-out 3 F1 0.758 -> 0.769 with the aftermath rule it came with."""

    claim_chars: tuple[int, int] = (50, 120)
    """How far before ("claimed by") and after ("... claimed responsibility") the group's name the claim
    is read in that paragraph."""

    confidence: ConfidenceWeights = ConfidenceWeights()
    """How sure a coded event is (0-1).  Set by hand with the first resolve stage and not calibrated
    against gold (no test set scores confidence).  It shows in the outputs and, among an event's
    tellings by several outlets placed equally precisely, picks the one that speaks for the merged
    event (merge.py); it decides no event's existence or type."""


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

    resolve: ResolveTuning = ResolveTuning()
    dedup: DedupTuning = DedupTuning()


TUNING = Tuning()
