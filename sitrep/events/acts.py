"""The acts a sentence tells: which of its trigger words speak of an act happening.

A trigger word inside a name, a quotation, a unit's name or a purpose clause names no act;
some phrasings name an act the lexicon cannot list word by word ("launched an offensive",
"youths pelted the police with stones").
"""

from __future__ import annotations

import functools
import re

from ..clauses import OPERATION_START, TRAILING_CLAUSE, quotation_spans
from ..coding import armed_party, is_armed
from ..lexicon import SentenceSearch, Trigger, cues, prefiltered
from ..model import Mention, Report, Sentence
from ..rules import Site, rulebook
from ..rules import test as rule_test

# Verbs before "to" that make the next verb a result, not an aim ("managed to drive out").
_ASPECTUAL = prefiltered(
    r"\b(?:managed|started|starts|start|began|begun|begins|continued|continues|continue|tried|attempted|"
    r"forced|succeeded|was able|were able|had to|has to|have to|resorted|went on|proceeded|used|returned|resumed|"
    r"went back|came back|got back)\s+to\s+(?:\w+\s+)?$",
    re.I,
)

_PURPOSE = prefiltered(
    r"(?:\b(?:to|in order to|so as to|in a bid to|in bid to|aimed at|aiming at|with the aim of|for)\s+"
    r"(?:\w+\s+){0,1})$",
    re.I,
)

_CROWD = r"(?:fans|youths|hooligans|supporters|crowds?|mobs?|rioters|villagers|residents|students|gangs?)"

_CROWD_ACT = (r"(?:threw|thrown|hurled|pelted|attacked|damaged|pulled down|set fire|torched|vandali[sz]ed|smashed|stormed|"
              r"ransacked|burned|burnt|set ablaze|looted|set off fireworks|lit flares)")

# A crowd's own violence: the crowd acts (no "were/by" between), or the act is done "by the youths".
_CROWD_VIOLENCE = prefiltered(
    rf"\b{_CROWD}\b(?:(?!\b(?:were|was|been|by|said|says|told|recounted|reported|claimed|alleged)\b)[^.;]){{0,50}}?"
    rf"\b{_CROWD_ACT}\b|\b{_CROWD_ACT}\s+by\s+(?:the\s+)?(?:\w+\s+)?{_CROWD}\b",
    re.I)


# "commenced the search operation": an operation that is no act of war.
_CIVIL_OPERATION = re.compile(r"\b(?:search|rescue|recovery|relief|salvage|clean-?up|evacuation|humanitarian|medical|surgical|"
                              r"vaccination|census|sting|undercover|business|marketing|mining|commercial|repair|maintenance|"
                              r"renovation|construction|fundraising|fund-raising|charm|publicity|election|polling)\s+(?:operations?|campaign)\b",
                              re.I)


# Verbs before "to" that make the next verb a plan: the modality stage marks it, so it is no aim.
_PLAN_TO = prefiltered(
    r"\b(?:expected|expects?|plans?|planned|planning|intends?|intended|aims?|seeks?|sought|hopes?|hoped|set|due|about|"
    r"going|poised|preparing|prepares?|threatens?|threatened|vow(?:s|ed)?|pledged?|wants?|wanted|likely|ready)\s+to\s+(?:\w+\s+)?$",
    re.I,
)


def _is_purposive(text_before: str) -> bool:
    # All three patterns end in "to|at|of|for" + at most one more word before the trigger, so one
    # of the last two whitespace-separated tokens ends so; most triggers are not preceded so.
    last_two = text_before.rsplit(None, 2)[-2:]
    if not any(t.lower().endswith(("to", "at", "of", "for")) for t in last_two):
        return False
    if _ASPECTUAL.search(text_before) or _PLAN_TO.search(text_before):
        return False
    return bool(_PURPOSE.search(text_before))


SPEAKER_WHO = re.compile(r"\bwho\s[^.;\"“”]{0,80}?\b(?:said|says|say|told|recounted|described)\b", re.I)


@functools.cache
def non_political_re() -> re.Pattern:
    return prefiltered(cues()["non_political"], re.I)


def non_political_scene(sent: Sentence, actors: list[Mention], sources: list[Mention],
                   scope: SentenceSearch | None = None) -> bool:
    """A disaster, accident or crime scene with no armed or political actor in it."""
    found = (scope.search(non_political_re(), sent.start, sent.end, sent.text) if scope is not None
             else non_political_re().search(sent.text))
    if not found:
        return False
    for a in actors:
        if any(a.start < s.end and a.end > s.start for s in sources):
            continue  # "police said" names a source, not a party
        if is_armed(a.value):
            return False
    return True


def counted_triggers(report: Report, sent: Sentence, ms: dict[str, list[Mention]],
                     scope: SentenceSearch | None = None) -> list[tuple[Mention, Trigger]]:
    """Triggers that speak of an act, as the trigger rules (data/en/rules/triggers.yaml) weigh them,
    plus the acts found by their phrasing alone (an operation launched, a crowd's violence)."""
    mentioned = ms.get("trigger", [])
    # Inside a name a trigger word is part of the name ("Liberation Front"); generic nouns such
    # as "protesters", "rioters" or "suicide bombers" are both an actor and a sign of the act.
    names = [a for a in ms.get("actor", []) if getattr(a.value, "actor_id", None)] + ms.get("place", [])
    facts = {"names": names, "quotes": quotation_spans(report, sent.line) if mentioned else [], "ms": ms,
             "scope": scope}
    rules = rulebook().stage("triggers")
    out: list[tuple[Mention, Trigger]] = []
    for t in mentioned:
        site = Site(report, sent, t.start, t.end, t.text, frozenset(trig.sub_event_type for trig in t.value), t, facts)
        out.extend(_weighed(t, rulebook().first("triggers", site, rules)))
    out.extend(_phrased_acts(report, sent, ms, scope, facts["quotes"] if mentioned else None))
    return out


def _weighed(t: Mention, rule) -> list[tuple[Mention, Trigger]]:
    """The trigger's (mention, Trigger) pairs after the rule that decided it (None: as the lexicon weighs it)."""
    if rule is None or rule.action == "keep":
        return [(t, trig) for trig in t.value]
    if rule.action == "drop":
        return []
    if rule.action == "demote":
        return [(t, Trigger(trig.phrase, trig.sub_event_type, 1)) for trig in t.value]
    return [(t, Trigger(trig.phrase, trig.sub_event_type, 2 if trig.weight == 1 else trig.weight))  # promote
            for trig in t.value]


def _phrased_acts(report: Report, sent: Sentence, ms: dict[str, list[Mention]], scope: SentenceSearch | None,
                  quotes: list[tuple[int, int]] | None) -> list[tuple[Mention, Trigger]]:
    """Acts named by a phrasing the lexicon cannot list ("launched its campaign of strikes", "youths pelted
    the police with stones"): an armed clash and mob violence."""
    op = (scope.search(OPERATION_START, sent.start, sent.end, sent.text) if scope is not None
          else OPERATION_START.search(sent.text))
    crowd = (scope.search(_CROWD_VIOLENCE, sent.start, sent.end, sent.text) if scope is not None
             else _CROWD_VIOLENCE.search(sent.text))
    if not (op or crowd):
        return []
    if quotes is None:
        quotes = quotation_spans(report, sent.line)  # not needed until now
    out = []
    if op and not any(qs <= sent.start + op.start() < qe for qs, qe in quotes) \
            and not _is_purposive(sent.text[max(0, op.start() - 60):op.start()]) \
            and not _CIVIL_OPERATION.search(op.group(0)):
        m = Mention("trigger", sent.start + op.start(), sent.start + op.end(), op.group(0), sent.index, ())
        out.append((m, Trigger(op.group(0).lower(), "Armed clash", 2)))
    if crowd and not any(qs <= sent.start + crowd.start() < qe for qs, qe in quotes) and not any(
            is_armed(a.value, crowds=False) for a in ms.get("actor", []) if a.start < sent.start + crowd.end()):
        # (An armed group or gang setting homes on fire attacks them: no crowd is at work -- also when the
        # crowd only tells of it: "residents said the gunmen ... burned houses".)
        m = Mention("trigger", sent.start + crowd.start(), sent.start + crowd.end(), crowd.group(0), sent.index, ())
        out.append((m, Trigger(crowd.group(0).lower(), "Mob violence", 3)))
    return out


# ---- the named tests the trigger rules call ------------------------------------------------------------

@rule_test("inside_a_name")
def _inside_a_name(site: Site) -> bool:
    """Inside an actor's or place's name, but not a weapon noun that ends an actor phrase ("Russian missiles")."""
    names = site.facts["names"]
    return any(n.start < site.end and n.end > site.start for n in names) \
        and not any(n.start < site.start and site.end == n.end for n in names)


@rule_test("inside_a_quotation")
def _inside_a_quotation(site: Site) -> bool:
    return any(qs <= site.start < qe for qs, qe in site.facts["quotes"])


@rule_test("purposive")
def _purposive(site: Site) -> bool:
    """The word is the aim of a purpose clause ("to retake X", "in a bid to seize Y")."""
    return _is_purposive(site.text[max(site.sentence.start, site.start - 60):site.start])


@rule_test("political_arrest")
def _political_arrest(site: Site) -> bool:
    return _political(site.report, site.sentence, site.facts["ms"], site.facts["scope"])


@rule_test("armed_party")
def _armed_party_named(site: Site) -> bool:
    return armed_party(site.facts["ms"])


_OUT_OF = re.compile(r"\s+(?:back\s+)?(?:out\s+of|from)\b", re.I)


@rule_test("armed_object_driven_out")
def _driven_out(site: Site) -> bool:
    """A weak territorial verb whose object is an armed party leaving a place ("drove ISIL out of X")."""
    t = site.item
    if not any(trig.weight == 1 and trig.sub_event_type == "Government regains territory" for trig in t.value):
        return False
    obj = next((a for a in site.facts["ms"].get("actor", []) if site.end <= a.start <= site.end + 5), None)
    return obj is not None and getattr(obj.value, "type", None) not in (None, "civilians") \
        and _OUT_OF.match(site.text, obj.end) is not None


_MASS_ARREST = re.compile(r"\b(?:[2-9]\d|\d{3,}|\d{1,3}(?:,\d{3})+)\s+(?:\w+\s+)?(?:people|persons|individuals|suspects|men|"
                          r"women|youths?|students|demonstrators|supporters|members|civilians|residents|villagers)\b", re.I)


@functools.cache
def _political_re() -> re.Pattern:
    return prefiltered(cues()["political_signal"], re.I)


def _political_signal(sent: Sentence, scope: SentenceSearch | None) -> bool:
    regex = _political_re()
    return (scope.search(regex, sent.start, sent.end, sent.text) if scope is not None else regex.search(sent.text)) is not None


def _political(report: Report, sent: Sentence, ms: dict[str, list[Mention]], scope: SentenceSearch | None) -> bool:
    """Whom or why an arrest is about is political: a political word, an armed or political party, or a mass arrest."""
    if _political_signal(sent, scope) or armed_party(ms):
        return True
    return _MASS_ARREST.search(sent.text) is not None


def sentence_filters(report: Report, sent: Sentence, ms: dict[str, list[Mention]],
                     triggers: list[tuple[Mention, Trigger]], scope: SentenceSearch,
                     maybe_non_political: bool) -> list[tuple[Mention, Trigger]]:
    """The sentence rules (data/en/rules/sentences.yaml), each in turn over the acts the last one left:
    a rule that fires at an act's trigger drops it."""
    if not triggers:
        return triggers
    facts = {"ms": ms, "scope": scope, "maybe_non_political": maybe_non_political}
    for rule in rulebook().stage("sentences"):
        facts["acts"] = triggers
        kept = []
        for t, trig in triggers:
            site = Site(report, sent, t.start, t.end, t.text, frozenset({trig.sub_event_type}), t, facts)
            if rulebook().first("sentences", site, [rule]) is None:
                kept.append((t, trig))
        triggers = kept
    return triggers


def _memo(site: Site, key: str, compute):
    if key not in site.facts:
        site.facts[key] = compute()
    return site.facts[key]


@rule_test("before_the_speakers_words")
def _before_the_speakers_words(site: Site) -> bool:
    """Told before "who ... said" while another act is told after it: the speakers' own story, not their news."""
    sent = site.sentence
    speaker = _memo(site, "speaker", lambda: SPEAKER_WHO.search(site.text, sent.start, sent.end))
    return speaker is not None and site.start < speaker.end() \
        and any(t.start >= speaker.end() for t, _ in site.facts["acts"])


@rule_test("in_a_trailing_clause")
def _in_a_trailing_clause(site: Site) -> bool:
    """Told in a trailing clause (", as fighting for the city intensified") after the sentence's own act."""
    sent = site.sentence
    trailing = _memo(site, "trailing", lambda: TRAILING_CLAUSE.search(site.text, sent.start, sent.end))
    if trailing is None or site.start < trailing.start() \
            or not any(t.start < trailing.start() for t, _ in site.facts["acts"]):
        return False
    # "..., while the helicopters targeted Kabana": a clause that places its own act at a town or village tells
    # of another event; "as fighting for the last army stronghold in Darfur intensified" is the wider war.
    return not any(trailing.start() <= p.start < sent.end for p in site.facts["ms"].get("place", [])
                   if _settlement(site.report.places[p.value].place))


def _settlement(place) -> bool:
    return place is not None and place.precision < 3 and place.feature not in (
        "country", "admin1", "region", "desert", "mountains", "area")


@rule_test("disaster_or_crime_scene")
def _disaster_or_crime_scene(site: Site) -> bool:
    """A disaster, accident or crime scene with no armed or political actor in it."""
    if not site.facts["maybe_non_political"]:
        return False
    ms = site.facts["ms"]
    return _memo(site, "non_political", lambda: non_political_scene(
        site.sentence, ms.get("actor", []), ms.get("attribution", []), site.facts["scope"]))
