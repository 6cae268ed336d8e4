"""The events stage: the passes run sentence by sentence over a report, and the state they hand on.

    acts -> modality -> roles -> coding -> counts -> day -> places -> candidates

Each pass reads and fills one :class:`Act` (the sentence's act being coded); what later
sentences may take from it goes into the report's :class:`~.discourse.Discourse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..acts_model import ActModel
from ..clauses import by_sentence, opens_operation, overlaps_any, quotation_spans
from ..coding import classify, further_acts, recode_act, target_kind
from ..lexicon import SentenceSearch, Trigger
from ..mentions import parse_quantity
from ..model import ASSERTED, SUB_EVENT_TO_TYPE, Candidate, Mention, Report, Sentence
from ..rules import Site
from .acts import counted_triggers, non_political_re, sentence_filters
from .counts import (
    AGGREGATE,
    INCLUDING_IN,
    casualty_counts,
    none_killed,
    split_fatalities,
)
from .discourse import Discourse
from .learned import learned_act
from .modality import claim_modality
from .places import (
    REGION_SIDES,
    REMOTE,
    UNKNOWN_PLACE_IN,
    act_words,
    event_places,
    merge_neighbourhoods,
    usable_places,
    wide_region,
)
from .roles import (
    act_parties,
    actor_roles,
    country_subject,
    pivot_trigger,
    same_actor,
    state_of,
    two_subjects,
)


@dataclass
class Act:
    """One sentence's act as the passes code it."""

    sentence: Sentence
    mentions: dict[str, list[Mention]]
    places: list[Mention]  # the sentence's usable place mentions
    source: str | None
    triggers: list[tuple[Mention, Trigger]] = field(default_factory=list)
    trigger: Mention | None = None
    sub: str = ""
    score: float = 0.0
    modality: str = ASSERTED
    cue: str | None = None
    parties: list[Mention] = field(default_factory=list)
    agents: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    actor1: Mention | None = None
    actor2: Mention | None = None
    assoc: list[Mention] = field(default_factory=list)
    inherited: bool = False
    actor1_country: str | None = None
    target_kind: str | None = None
    fatalities: int | None = None
    injured: int | None = None
    days: list[str] = field(default_factory=list)
    date: str | None = None
    locations: list[int | None] = field(default_factory=list)
    scope: str = "sentence"
    told_on: bool = False  # its type carried from the act just told ("... were also targeted in X")
    section_act: tuple[str, int] | None = None  # (type, sentence) of the section's last act before this one


class _Scan:
    """What one report's passes share: its text, a prefiltered search of it, its discourse state."""

    def __init__(self, report: Report, model: ActModel | None) -> None:
        self.report = report
        self.model = model
        self.text = report.clean_text
        self.search = SentenceSearch(self.text)  # sentence-wide cue searches, prefiltered once for the text
        # Most reports hold no disaster or crime words at all: the whole text is tested once.
        self.maybe_non_political = bool(non_political_re().search(self.text))
        self.discourse = Discourse()

    def says(self, sent: Sentence):
        return lambda regex: self.search.search(regex, sent.start, sent.end, sent.text) is not None


def find_events(report: Report, acts_model: ActModel | None = None) -> Report:
    """Fill report.drafts with one event candidate per (sentence act, location); `acts_model` is the
    learned act classifier the acts pass consults (None: the rules alone)."""
    scan = _Scan(report, acts_model)
    per_sentence = by_sentence(report)
    drafts: list[Candidate] = []
    for sent in report.sentences:
        for act in _open(scan, sent, per_sentence[sent.index]):
            _modality(scan, act)
            _roles(scan, act)
            recode_act(report, act)
            _counts(scan, act)
            _day(scan, act)
            _places(scan, act)
            drafts.extend(_candidates(scan, act))
    report.drafts = drafts
    return report


def _past_dates(report: Report, ms: dict[str, list[Mention]]) -> list[str]:
    """The days a sentence names, but for days still to come ("lawmakers will meet Friday")."""
    return [d.value for d in ms.get("date", []) if d.value and (report.date is None or d.value <= report.date)]


def _open(scan: _Scan, sent: Sentence, ms: dict[str, list[Mention]]) -> list[Act]:
    """The sentence's acts and their types: the one its words tell most strongly, and further acts of other
    kinds told beside it; none, and the sentence only sets the scene."""
    report, discourse = scan.report, scan.discourse
    source = discourse.source_of(report, sent, ms)
    actors = ms.get("actor", [])
    _own_forces_pass(report, sent, ms)
    places = usable_places(report, ms.get("place", []), actors)
    discourse.note_heading(report, sent)
    triggers = counted_triggers(report, sent, ms, scan.search)
    triggers = sentence_filters(report, sent, ms, triggers, scan.search, scan.maybe_non_political)
    decided = classify(triggers, sent.text, scan.says(sent)) if triggers else None
    decided = learned_act(scan.model, report, sent, ms, triggers, decided)
    told_on = decided is None
    if decided is None:
        decided = _told_on(scan, sent, places)
    if decided is None:
        discourse.note_context(report, sent, ms, _past_dates(report, ms), places)
        return []
    acts = []
    for sub, score, trigger in [decided] + further_acts(triggers, decided, scan.text, scan.says(sent)):
        act = Act(sent, ms, places, source, triggers)
        act.sub, act.score, act.trigger, act.told_on = sub, score, trigger, told_on
        act.section_act = discourse.section_act.get(sent.section)
        acts.append(act)
    return acts


# A verb that tells of an act ("were also targeted", "struck"), not a noun ("a drop in attacks").
_TOLD_VERB = re.compile(r"\w+ed|struck|hit", re.I)


def _told_on(scan: _Scan, sent: Sentence, places: list[Mention]):
    """"They added that ISIL positions were also targeted in X and Y": a sentence that reports an act only with
    a word of no kind ("targeted", "struck") tells on the section's last act, at places of its own."""
    if not places:
        return None
    quotes = quotation_spans(scan.report, sent.line)
    words = [w for w in act_words(scan.report, sent, []) if _TOLD_VERB.fullmatch(w.text)
             and not any(qs <= w.start < qe for qs, qe in quotes)]
    if not words:
        return None
    site = Site(scan.report, sent, words[0].start, words[0].end, words[0].text, frozenset(), words[0],
                {"discourse": scan.discourse})
    last, _ = scan.discourse.carry("act", site)
    return (last[0], 2.0, words[0]) if last is not None else None


def _own_forces_pass(report: Report, sent: Sentence, ms: dict[str, list[Mention]]) -> None:
    from .roles import own_forces

    own_forces(report, sent, ms.get("actor", []), ms.get("place", []))


def _modality(scan: _Scan, act: Act) -> None:
    act.modality, act.cue = claim_modality(scan.report, act.sentence, act.trigger, act.mentions.get("modality", []),
                                           act.mentions.get("date", []))


def _roles(scan: _Scan, act: Act) -> None:
    """Agent, target and associates from the sentence; what it leaves unnamed, from the discourse."""
    report, sent, trigger = scan.report, act.sentence, act.trigger
    sources = act.mentions.get("attribution", [])
    act.parties = act_parties(report, sent, trigger, act.mentions.get("actor", []), sources,
                              act.mentions.get("place", []))
    act.agents, act.targets = actor_roles(report, sent, pivot_trigger(report, act.triggers, trigger, act.parties),
                                          act.parties)
    if act.agents:
        # "Houthis fired a missile at Jizan, the Saudi-led coalition said": who tells of another's act
        # is not its target.
        act.targets = [t for t in act.targets if not overlaps_any(t, sources)]
    act.actor1 = act.agents[0] if act.agents else None
    act.assoc = [a for a in act.agents[1:] if not same_actor(a, act.actor1)]
    act.actor2 = next((t for t in act.targets if not same_actor(t, act.actor1)), None)
    if two_subjects(report, sent, trigger, act.actor1, act.actor2, act.assoc):
        # "M23 rebels and Congolese troops exchanged fire": the two subjects are the two sides.
        act.actor2, act.assoc = act.assoc[0], []
    if act.actor1 is None:
        act.actor1_country = country_subject(report, sent, trigger, act.mentions.get("place", []))
        if act.actor1_country is not None and act.actor2 is not None and state_of(act.actor2, act.actor1_country):
            # "Turkey has shelled a city as Turkish forces press on": the country's own forces are not its target.
            act.actor2 = next((t for t in act.targets if not state_of(t, act.actor1_country)), None)
    _carried_sides(scan, act)
    if act.modality == ASSERTED:
        scan.discourse.note_sides(sent, act.actor1, act.actor2)


def _carried_sides(scan: _Scan, act: Act) -> None:
    """An agent or target the sentence leaves unnamed, taken by the carry rules from earlier sentences."""
    site = Site(scan.report, act.sentence, act.trigger.start, act.trigger.end, act.trigger.text,
                frozenset({act.sub}), act, {"actor1": act.actor1, "discourse": scan.discourse})
    if act.actor1 is None:
        agent, _ = scan.discourse.carry("agent", site)
        if agent is not None:
            act.actor1, act.inherited = agent, True
            site.facts["actor1"] = agent
    if act.actor2 is None:
        act.actor2, _ = scan.discourse.carry("target", site)


def _counts(scan: _Scan, act: Act) -> None:
    report, sent = scan.report, act.sentence
    if act.actor2 is None:
        act.target_kind = target_kind(report, sent, act.trigger, act.sub)
    act.fatalities, act.injured = casualty_counts(act.mentions.get("number", []), scan.text)
    if act.fatalities is None and none_killed(report, sent):
        act.fatalities = 0


def _day(scan: _Scan, act: Act) -> None:
    """The act's day: named in the sentence, else carried (an undated sentence continues the story)."""
    act.days = _past_dates(scan.report, act.mentions)
    if act.days:
        act.date = act.days[0]
        return
    site = Site(scan.report, act.sentence, act.trigger.start, act.trigger.end, act.trigger.text, frozenset({act.sub}),
                act)
    day, _ = scan.discourse.carry("day", site)
    act.date = day or scan.report.date


# Where a carried place's scope says it came from, as candidates record it.
_CARRIED_SCOPE = {"paragraph": "paragraph", "section-act": "section", "section": "section", "heading": "section",
                  "document": "document"}


def _places(scan: _Scan, act: Act) -> None:
    """One location per distinct place named with the act; else a place carried from earlier sentences."""
    report, sent, trigger = scan.report, act.sentence, act.trigger
    etype = SUB_EVENT_TO_TYPE.get(act.sub)
    acts = [trigger] + [t for t, tr in act.triggers if tr.weight >= 2 and t is not trigger
                        and SUB_EVENT_TO_TYPE.get(tr.sub_event_type) == etype] + act_words(report, sent, act.triggers)
    act.locations = event_places(report, sent, acts, merge_neighbourhoods(report, act.places), remote=act.sub in REMOTE)
    if not act.locations:
        site = Site(report, sent, trigger.start, trigger.end, trigger.text, frozenset({act.sub}), act)
        place, rule = scan.discourse.carry("place", site)
        act.locations = [place] if place is not None else [None]
        act.scope = _CARRIED_SCOPE[rule.to] if rule is not None else "document"
    else:
        act.locations, act.scope = _named_place_scope(scan, act, acts)
        if act.told_on:
            act.locations, act.scope = _within_the_scene(scan, act)
    scan.discourse.note_story_place(report, sent, act.places)
    if act.modality == ASSERTED:
        # (An act told on at places of its own adds them; the scene stays where the act it continues was.)
        place = act.locations[0] if not act.told_on else None
        scan.discourse.note_act_place(sent, place, act.scope, act.days, act.sub)


def _named_place_scope(scan: _Scan, act: Act, acts: list[Mention]) -> tuple[list[int], str]:
    """How precisely the places named with the act place it."""
    report, sent, text, places = scan.report, act.sentence, scan.text, act.locations
    first = report.places[places[0]].start
    if any(opens_operation(t.text) for t in acts) and first > act.trigger.end:
        return places, "near"  # the place an operation sets out to take: fighting near it
    if UNKNOWN_PLACE_IN.search(text, max(sent.start, first - 60), first):
        return places, "near"  # "attacked Kurya village in Bungudu": somewhere in Bungudu
    if REGION_SIDES.search(text[max(sent.start, first - 45):first]):
        return places, "region"  # "the provincial border between Homs and Deir Ezzur" names provinces
    if all(wide_region(report.places[i].place) for i in places):
        # Only a wide region ("the depth of the Badiya"): the story goes on in the province
        # where the section's last event was placed, if that is a province of the same country.
        prev = scan.discourse.section_event_place.get(sent.section)
        if prev is not None and prev not in places and report.places[prev].place.feature == "admin1" and \
                report.places[prev].place.country_code == report.places[places[0]].place.country_code:
            return [prev], "section"
    return places, "sentence"


def _within_the_scene(scan: _Scan, act: Act) -> tuple[list[int], str]:
    """An act told on continues the one before it, in its province: a place of another province named with it
    is more likely a misread name ("al-Raqqa Bridge base" in a Deir Ezzur story) than a new front."""
    report, sent = scan.report, act.sentence
    scene = scan.discourse.section_event_place.get(sent.section)
    if scene is None:
        return act.locations, act.scope
    home = report.places[scene].place
    kept = [i for i in act.locations if (report.places[i].place.country_code, report.places[i].place.admin1)
            == (home.country_code, home.admin1)]
    return (kept, act.scope) if kept else ([scene], "section")


# "The airstrikes ...", "in these attacks": the act was told before.
_DEFINITE_OPENING = re.compile(r"\s*(?:the|these|those|such|this|that)\s+(?:\w+\s+){0,2}", re.I)
# "one of its fighters had carried out the bombing": the act told before, its author named.
_DID_THE = re.compile(r"\b(?:carried out|conducted|perpetrated|behind|responsible for|staged|claimed)\s+(?:the|this|that)\s+"
                      r"(?:[\w'’-]+\s+)?$", re.I)
_WENT_ON = re.compile(r"\b(?:continued|went on|lasted|persisted|raged|carried on)\b", re.I)
_IN_THE_END = re.compile(r"\b(?:in|during|from)\s+(?:the|these|those|this)\s+$", re.I)


def _told_before(text: str, sent: Sentence, trigger: Mention, scope: str) -> tuple[bool, bool, bool]:
    """(anaphoric, names_author, continues): a sentence placed by what came before that tells on about an
    act already told ("The airstrikes killed ...", "its fighter carried out the bombing", "... continued")."""
    if scope == "sentence":
        return False, False, False
    names_author = bool(_DID_THE.search(text, max(sent.start, trigger.start - 40), trigger.start))
    continues = bool(_WENT_ON.search(text, trigger.end, sent.end))
    anaphoric = names_author or continues or bool(
        _DEFINITE_OPENING.fullmatch(text[sent.start:trigger.start])
        or _IN_THE_END.search(text[max(sent.start, trigger.start - 20):trigger.start]))
    return anaphoric, names_author, continues


def _summary_share(scan: _Scan, act: Act) -> tuple[bool, int | None]:
    """Whether the sentence sums up many acts, and the death toll of its own place."""
    report, sent, places, fatalities = scan.report, act.sentence, act.locations, act.fatalities
    summary = bool(AGGREGATE.search(sent.text)) and all(
        i is None or report.places[i].place.feature in ("country", "admin1", "continent") for i in places)
    part = INCLUDING_IN.search(scan.text, sent.start, sent.end) if summary is False and fatalities else None
    if part and places and places[0] is not None and report.places[places[0]].start > part.start() \
            and AGGREGATE.search(sent.text):
        # "killed 25 across the Gaza Strip, including 10 in a school in Nuseirat": the place named
        # with its share counts only that share.
        fatalities = parse_quantity(part.group(1)) or fatalities
    return summary, fatalities


def _candidates(scan: _Scan, act: Act) -> list[Candidate]:
    """One candidate per location, the toll split between them as ACLED splits it."""
    anaphoric, names_author, continues = _told_before(scan.text, act.sentence, act.trigger, act.scope)
    summary, fatalities = _summary_share(scan, act)
    share = split_fatalities(fatalities, len(act.locations))
    return [Candidate(
        sentence=act.sentence, sub_event_type=act.sub, trigger=act.trigger, score=act.score, modality=act.modality,
        modality_cue=act.cue, actor1=act.actor1, actor2=act.actor2, assoc1=act.assoc,
        place=scan.report.places[pidx] if pidx is not None else None,
        place_scope=act.scope, fatalities=share[k], injured=act.injured if k == 0 else None, date=act.date,
        date_told=bool(act.days), attribution=act.source, actor_inherited=act.inherited, anaphoric=anaphoric,
        names_author=names_author, continues=continues, target_kind=act.target_kind,
        actor1_country=act.actor1_country, summary=summary,
    ) for k, pidx in enumerate(act.locations)]


__all__ = ["Act", "find_events"]
