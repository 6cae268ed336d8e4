"""Tuned numbers: every threshold and weight the stages use, in one place, with how it was set.

A number belongs here when changing it changes what sitrep finds.  Each section is a frozen
dataclass read by one stage; `TUNING` is the instance the stages use.  Every field says what
it does and how its value was calibrated, so that a change can be checked the same way
(`python bench/golden_check.py` shows what moves, `sitrep eval` and `eval/` what it is worth).
"""

from __future__ import annotations

from dataclasses import dataclass


# The geoparser's numbers (sitrep/gazetteer/).  Most were set by hand while reading the geoparser's
# errors on the development sets the README names (the seed report, GeoWebNews, the held-out sets);
# where the history of a value is not recorded, its note says what it trades off.  Changing one is
# checked with `python eval/geowebnews.py`, `python eval/seed_places.py` and `bench/golden_check.py`.
@dataclass(frozen=True, slots=True)
class GazetteerTuning:
    """Weights and thresholds of spotting, ranking and context in sitrep.gazetteer."""

    # ---- spotting ----
    max_ngram: int = 6  # longest name looked up, in words: longer names in the table are rare; more costs time
    max_candidates: int = 60  # places of one name key scored: caps work per mention ("San José" has hundreds)
    cue_window: int = 60  # characters before a name searched for "near", "the town of", "province of"
    role_window: int = 24  # characters before a multi-word name searched for a person's role ("fighter ...")
    locative_window: int = 12  # characters before a person-like word searched for "in", "near", "at"
    direction_window: int = 18  # characters before a name searched for "in eastern", "of northern"
    acronym_max_len: int = 4  # an upper-case name this short is an acronym (ISIL, SDF) unless listed as a place
    # ---- country votes ----
    hint_weight: float = 4.0  # votes of an explicit country hint: more than any few names in a report
    dateline_weight: float = 2.0  # votes of the dateline's country: as strong as one country named in the text
    actor_weight: float = 1.0  # votes of the named armed groups' home: less than one place named in the text
    country_name_votes: float = 2.0  # votes a country's name casts (its towns' homonyms abroad cast none)
    country_name_max_countries: int = 3  # a key spread over more countries than this votes as a town name
    # ---- ranking ----
    population_weight: float = 0.35  # per decade of population: big places win homonym contests
    admin1_population_cap: int = 100_000  # a province scores no more population than a small city
    metropolis_population: int = 1_000_000  # capitals and metropoles keep their name abroad (London, Ontario)
    metropolis_bonus: float = 0.8
    big_city_population: int = 200_000
    big_city_bonus: float = 0.4
    country_vote_weight: float = 2.0  # a candidate in the report's leading country (share of votes 0..1)
    admin_vote_weight: float = 1.0  # a candidate in a province other names of the report point to
    hint_bonus: float = 1.0  # a candidate in the hinted country (dateline, --country)
    curated_bonus: float = 1.0  # a hand-picked supplement entry beats tiny GeoNames homonyms
    imported_penalty: float = 0.5  # an imported place yields to the shipped entries of its name unless context
    # (country votes, a containing place, the sentence) favours it; set on GeoWebNews and the real reports
    main_name_bonus: float = 0.4  # the text spells the place's main name, not one of its many alternates
    near_miss_ratio: float = 75.0  # rapidfuzz ratio at which two spellings are a letter or two apart
    near_miss_penalty: float = 1.0  # "Borno" spelled as Borno State: Brno, a letter away abroad, is another place
    country_bonus: float = 2.0  # a country or continent beats its homonymous towns ("Jordan", "Chad")
    division_cue_bonus: float = 3.0  # a province told as one ("Idlib province", "eastern Homs")
    division_plain_penalty: float = 0.3  # a province named bare: its head city usually is meant
    holds_small_penalty: float = 1.5  # "Culiacán, Sinaloa": the name that locates another is its state
    holds_small_population: int = 100_000  # ... not a town smaller than this
    province_cue_penalty: float = 1.0  # a town where the text says "province"
    settlement_cue_penalty: float = 2.0  # a province or country where the text says "the town of"
    container_country_bonus: float = 1.5  # "X, Syria": a candidate in the country that contains it
    container_admin1_bonus: float = 2.5  # "X, Idlib": a candidate in the province that contains it
    proximity_near_km: float = 60.0  # another unambiguous place of the report this close ...
    proximity_near_bonus: float = 1.0
    proximity_far_km: float = 200.0  # ... or this close
    proximity_far_bonus: float = 0.5
    weak_village_population: int = 1000  # a village this small, outside the report's countries, needs a cue
    weak_village_share: float = 0.25  # ... when its country has less than this share of the votes
    big_place_population: int = 500_000  # a person-like word is still a place when it names a place this big
    plain_word_population: int = 100_000  # a common word names without a cue only a place this big
    respelled_min: float = 85.0  # rapidfuzz ratio for a respelled province ("Oddar" / "Otar Meanchey": 86)
    dateline_city_population: int = 100_000  # a dateline names a city outlets file from: this big first
    # ---- country scope (scope.py) ----
    scope_abroad_population: int = 100_000  # outside the report's countries only a place this big, spelled as its
    # own name, is read ("Ankara" in a Syrian report; not Thursday Island for "Thursday" nor Bonn for "Boni"):
    # the plain-word threshold, as big as a place a reader knows without being told its country
    scope_min_names: int = 2  # names of one country, each its only one, that put it in the report's countries
    # ("Dewsbury", "Thornhill": a local English report that names only Portugal); one may be a person's
    # name ("Dilan"), so one alone does not, unless big or told as a place.  GeoWebNews: 1 -> 2 kept
    # precision and won back its local reports' towns
    # ---- spelling-tolerant look-up (fuzzy.py) ----
    fuzzy_min_ratio: float = 80.0  # rapidfuzz ratio of two name keys sharing a skeleton at which one is the other respelled:
    # "jisir shagur"/"jisr shughur" 83, "samlin"/"simlin" 83, "marat harma"/"marat hurma" 91; unrelated names
    # sharing a skeleton mostly score 50-75 (the skeleton already keeps "hair sabi"/"ard sabi", 82, apart)
    fuzzy_min_letters: int = 5  # a shorter name has too many near spellings to be read as another
    fuzzy_known_share: float = 0.6  # a run this much covered by known names is read as them, not respelled
    fuzzy_penalty: float = 0.5  # a respelled name's places score this much less (as an imported place does)
    # ---- the containing place (containers.py) ----
    heading_max_chars: int = 40  # a line this short without a sentence's end heads a section ("Hama", "Deir Ezzur")
    containing_far_km: float = 150.0  # a small place with no namesake in the province its sentence or paragraph
    # names, farther than this from every place naming it, is a namesake of a place the gazetteer lacks
    # ("Tal al-Karah" in a Qalamoun paragraph is not Tall Qarah near Aleppo, 250 km north); a village of a
    # neighbouring province near the border (within a province's breadth) keeps its reading
    # ---- context ----
    local_chars: int = 600  # how far around a mention its neighbours count as its local context
    near_km: float = 50.0  # a small place is supported by a neighbour this close
    far_km_factor: float = 3.0  # a foreign homonym with no neighbour within this many near_km is dropped
    small_population: int = 100_000  # a place below this (not curated) needs its neighbours' support
    foreign_alias_population: int = 1_000_000  # below this, a place met only under another's name is suspect
    lead_share: float = 0.3  # a report whose leading country has this share of the votes is about it
    lead_fraction: float = 0.25  # a country with less than this fraction of the lead's votes is foreign
    settled_share: float = 0.3  # a place whose country has this share needs no sentence context
    sentence_pull: float = 0.15  # a candidate in the country of a place named in the same sentence
    sentence_admin1_pull: float = 0.45  # ... and in its province
    sentence_inside_factor: float = 4.0  # ... multiplied when the sentence says one is in the other
    tie_max_chars: int = 60  # two names further apart than this are never tied ("X in the countryside of Y")
    holder_population: int = 100_000  # a city this big can hold villages ("X, a village near Y")


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
class ActsTuning:
    """Where the act classifier (sitrep/acts_model.py, the events stage's learned pass) decides."""

    new_act: float = 0.9
    """A sentence the rules find no act in is an act of the classifier's type when it is at least this sure.
    Set by report-wise cross-validation on the real reports (eval/acts_cv.py, 6 folds): at 0.9 it adds two
    right acts and no wrong one (F1 0.673 -> 0.681); at 0.6 to 0.8 it adds more wrong acts than right ones."""
    new_act_score: float = 2.0
    """The score such an act carries (a weak trigger's), which keeps its confidence below the rules' acts."""


@dataclass(frozen=True, slots=True)
class Tuning:
    """All sections; stages read `TUNING.<section>.<field>`."""

    gazetteer: GazetteerTuning = GazetteerTuning()
    resolve: ResolveTuning = ResolveTuning()
    dedup: DedupTuning = DedupTuning()
    acts: ActsTuning = ActsTuning()


TUNING = Tuning()
