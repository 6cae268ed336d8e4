"""The plain dataclasses that flow between sitrep's pipeline stages.

A :class:`Report` enters the pipeline holding only its text and metadata; each
stage fills in one more layer (kept lines, sentences, mentions, events) and
hands the same object on.  Nothing between stages is a bare dict.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

# ACLED's six event types and their 25 sub-event types, spelled as in the codebook.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": (
        "Violent demonstration",
        "Mob violence",
    ),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

SUB_EVENT_TO_TYPE: dict[str, str] = {
    sub: etype for etype, subs in EVENT_TYPES.items() for sub in subs
}

# ACLED disorder types, derived from the event type (codebook 2023).
DISORDER_TYPE: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# ACLED actor types and their inter codes.
INTER_CODES: dict[str, int] = {
    "state_forces": 1,
    "rebel_group": 2,
    "political_militia": 3,
    "pro_government_militia": 3,
    "identity_militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external_forces": 8,
}

INTER_NAMES: dict[int, str] = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

# Modalities a claim can have.  Only ASSERTED claims become events.
ASSERTED = "asserted"
PLANNED = "planned"
BACKGROUND = "background"
NEGATED = "negated"
OPINION = "opinion"
MODALITIES = (ASSERTED, PLANNED, BACKGROUND, NEGATED, OPINION)


@dataclass(slots=True)
class Sentence:
    """One sentence of the cleaned report, with its place in the original text."""

    index: int
    text: str
    start: int  # character offset into Report.text
    end: int
    line: int  # 1-based line number in Report.text
    paragraph: int  # index of the paragraph (non-blank line) it belongs to
    heading: str | None = None  # the nearest section heading above it, if any
    section: int = 0  # sections are separated by a heading or two blank lines


@dataclass(slots=True)
class Mention:
    """A span of a sentence that names something the extractor cares about.

    kind is one of: actor, place, number, date, attribution, modality, trigger.
    value carries the kind-specific payload (actor id, candidate places, a
    number, an ISO date, a source phrase, a modality, a sub-event type).
    """

    kind: str
    start: int  # offsets relative to Report.text
    end: int
    text: str
    sentence: int
    value: Any = None
    role: str | None = None  # e.g. "killed"/"injured" for numbers, "agent" hint for actors


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    name: str
    latitude: float | None
    longitude: float | None
    country_code: str
    country: str
    admin1: str | None
    feature: str = "city"  # city, town, village, neighbourhood, region, admin1, country, crossing, ...
    geonameid: int | None = None
    population: int = 0
    precision: int = 1  # geo_precision implied when this place is named


@dataclass(slots=True)
class PlaceMention:
    """A place named in a text, resolved (or not) to a gazetteer entry."""

    start: int
    end: int
    text: str
    place: Place | None
    candidates: list[Place] = field(default_factory=list)
    precision: int = 1
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor from the actor table."""

    id: str
    name: str  # ACLED-style canonical name, e.g. "Military Forces of Syria"
    type: str  # key of INTER_CODES
    country: str | None = None  # ISO 3166 alpha-2 of the actor's home country, if any

    @property
    def inter(self) -> int:
        return INTER_CODES.get(self.type, 8)


@dataclass(slots=True)
class Evidence:
    line: int
    text: str
    doc_id: str | None = None
    source: str | None = None
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields in declaration order, as dataclasses.asdict gives them."""
        return {name: getattr(self, name) for name in _EVIDENCE_FIELDS}


@dataclass(slots=True)
class Event:
    """One ACLED-coded event.  Field names follow ACLED's export where it has one."""

    event_id: str
    doc_id: str
    event_date: str | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    inter1: int | None
    actor2: str | None
    inter2: int | None
    country: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int
    fatalities: int | None
    injured: int | None
    source: str | None
    attribution: str | None
    notes: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    modality: str = ASSERTED
    iso: str | None = None
    admin2: str | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None
    trigger: str | None = None
    actor1_id: str | None = None
    actor2_id: str | None = None

    @property
    def disorder_type(self) -> str:
        return DISORDER_TYPE.get(self.event_type, "Political violence")

    @property
    def interaction(self) -> int | None:
        codes = sorted(c for c in (self.inter1, self.inter2) if c)
        if not codes:
            return None
        if len(codes) == 1:
            return codes[0] * 10
        return codes[0] * 10 + codes[1]

    @property
    def civilian_targeting(self) -> str:
        return "Civilian targeting" if self.inter2 == 7 else ""

    def to_dict(self) -> dict[str, Any]:
        """The fields in declaration order (what dataclasses.asdict gives), then the derived codes.

        Built field by field: asdict deep-copies every value and was most of the cost of
        printing an event.  Every field but evidence holds an immutable value.
        """
        d = {name: getattr(self, name) for name in _EVENT_FIELDS}
        d["evidence"] = [ev.to_dict() for ev in self.evidence]
        d["disorder_type"] = self.disorder_type
        d["interaction"] = self.interaction
        d["civilian_targeting"] = self.civilian_targeting
        return d

    def copy(self) -> Event:
        """A copy with its own evidence list, as dataclasses.replace(self, evidence=list(self.evidence)).

        replace inspects the fields on every call; this passes them positionally, in
        declaration order, which is also the order of the dataclass's __init__.
        """
        twin = Event(*_event_values(self))
        twin.evidence = list(self.evidence)
        return twin


_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))
_EVENT_FIELDS = tuple(f.name for f in fields(Event))
_event_values = attrgetter(*_EVENT_FIELDS)


@dataclass(slots=True)
class Candidate:
    """An event candidate before resolution: mentions, not yet names."""

    sentence: Sentence
    sub_event_type: str
    trigger: Mention
    score: float
    modality: str = ASSERTED
    modality_cue: str | None = None
    actor1: object | None = None  # ActorMatch
    actor2: object | None = None
    assoc1: list = field(default_factory=list)
    place: PlaceMention | None = None  # where the act was (a mention of report.places)
    place_scope: str = "sentence"  # where the place was named: sentence, paragraph, section, document; region
    anaphoric: bool = False  # "The airstrikes caused ...": the sentence refers back to an event already told
    names_author: bool = False  # "its fighters had carried out the bombing": ... to name who did it
    continues: bool = False  # "The exchange of fire continued into the afternoon": ... to say it went on
    target_kind: str | None = None  # "military", "police" or "civilians": an unnamed target's kind
    actor1_country: str | None = None  # "Turkey has shelled X": a country as the subject names its forces
    fatalities: int | None = None
    injured: int | None = None
    date: str | None = None
    date_told: bool = False  # the sentence names its day (else it is the paragraph's, section's or report's)
    attribution: str | None = None
    actor_inherited: bool = False
    summary: bool = False  # "attacks across Ukraine killed four over the past day": many acts told as one
    event: Event | None = None  # the Event resolve coded from this candidate (dedup reads each telling through it)

    @property
    def place_inherited(self) -> bool:
        """The place was not named with the act (carried over, a region, or an operation's aim)."""
        return self.place_scope != "sentence"


@dataclass(slots=True)
class Report:
    """A news report and everything the pipeline learns about it."""

    text: str
    doc_id: str = "-"
    date: str | None = None  # publication date, ISO YYYY-MM-DD, as the input gives it
    source: str | None = None  # outlet
    url: str | None = None
    title: str | None = None
    lines: list[str] = field(default_factory=list)  # Report.text split on newlines
    line_starts: list[int] = field(default_factory=list)
    kept: list[bool] = field(default_factory=list)  # per line: survives cleaning
    clean_text: str = ""  # text with dropped lines blanked to spaces: same length, same offsets
    dateline: str | None = None  # "SEOUL, South Korea (CNN) —": where the report was filed from
    day: datetime.date | None = None  # the publication date as a date, set once by the clean stage
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    drafts: list[Candidate] = field(default_factory=list)  # event candidates, before resolution
    candidates: list[Event] = field(default_factory=list)  # every draft coded (draft.event), any modality
    events: list[Event] = field(default_factory=list)  # asserted, resolved, de-duplicated
    warnings: list[str] = field(default_factory=list)
    trace: list[tuple[str, int]] = field(default_factory=list)  # (rule id, sentence index) of each rule that decided
    memo: dict[str, Any] = field(default_factory=dict)  # what a stage works out once per report (a line's quotations)

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = self.text.split("\n")
            starts, pos = [], 0
            for ln in self.lines:
                starts.append(pos)
                pos += len(ln) + 1
            self.line_starts = starts
        if not self.kept:
            self.kept = [True] * len(self.lines)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        from bisect import bisect_right

        return bisect_right(self.line_starts, offset)
