"""Who did what to whom: the agent and target actor mentions of an act.

The subject of the act's clause is its agent; actors named after the act are its objects unless
"by"/"of" marks them as its agent; passives swap the two.  Sources ("police said") and people
spoken to are no parties.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..clauses import (
    BY_NEXT,
    PAST_VERBS,
    TRAILING_CLAUSE,
    opens_operation,
    overlaps_any,
    purpose_limit,
    tail_may_hold,
)
from ..coding import RECIPROCAL
from ..lexicon import Trigger, prefiltered
from ..model import SUB_EVENT_TO_TYPE, Mention, Report, Sentence
from ..rules import Site
from ..rules import test as rule_test

_LOCATIVE_IN = re.compile(r"\b(?:in|across|throughout|inside|within)\s+the\s+$", re.I)

LOCATIVE_THE = re.compile(r"\b(?:in|of|across|from|into|throughout|to)\s+the\s+$", re.I)

SPEAKS_NEXT = re.compile(r"\s+(?:had\s+|has\s+|have\s+)?(?:said|says|told|announced|reported|stated|warned)\b"
                          r"(?!\s+(?:it|they|its|their|he|she)\b)", re.I)

# "a military officer told our reporter", "residents told journalists": who is told is no party to the act.
TOLD_TO = re.compile(r"\b(?:told|telling|tells|said to|speaking to|spoke to)\s+(?:(?:our|the|a|local|foreign)\s+)?$", re.I)

# Prepositions that make an actor named after them the target, or (by) the agent.
# (The words between never include "that" or a day: "claimed on Wednesday that Russian troops ...".)
_TARGET_PREP = prefiltered(r"\b(?:against|on|at|with|targeting|targeted|upon|into|toward|towards|from|of)\s+(?:the\s+)?"
                           r"(?:(?!(?:that|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)[\w'’-]+\s+){0,2}$", re.I)

# "held by X", "controlled by X" describe a place, not who acted.
_AGENT_PREP = re.compile(r"\b(?<!held )(?<!controlled )(?<!run )(?<!occupied )(?<!besieged )by\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)

_AFFILIATE = prefiltered(r"\b(?:linked|affiliated|allied|loyal|tied|close|aligned|belonging)\s+(?:to|with)\s+(?:the\s+)?$|\b(?:backed|supported|sponsored)\s+by\s+(?:the\s+)?$", re.I)

# (A speech verb also ends the speaker's clause: "Residents who fled said RSF fighters looted homes".)
_CLAUSE_BOUNDARY = re.compile(r"[;:]|,\s|\bthat\b|\bwhile\b|\bwhereas\b|\bafter\b|\bas\b|\bwhen\b|\bbut\b|"
                              r"\b(?:said|says|told|reported|claimed|added)\b", re.I)

_AFFILIATE_WORDS = ("to", "with", "by")

_TARGET_PREP_WORDS = ("against", "on", "at", "with", "targeting", "targeted", "upon", "into", "toward", "towards",
                      "from", "of")


def _affiliated(left: str) -> bool:
    return tail_may_hold(left, _AFFILIATE_WORDS, 2) and _AFFILIATE.search(left) is not None


_OF_END = re.compile(r"\bof\s+(?:the\s+)?$")

_COORDINATED = re.compile(r"[\s,]*(?:and|,|&|as well as|along with|alongside|together with)[\s\w'’-]{0,25}")

_BETWEEN_END = re.compile(r"\bbetween\s+(?:the\s+)?(?:(?:rival|two|opposing|competing|various|several)\s+)?$")

# "air attacks of the Russian jets": the act's own agent; not "the village of Jinderes from the YPG".
_OF_BY_GAP = re.compile(r"\s*(?:of|by)\s+(?:the\s+)?(?:(?!(?:from|to|in|into|at|on|against|with|near)\s)[\w'’-]+\s+){0,2}")

_AND_GAP = re.compile(r"\s*(?:and|,)\s*")

_PASSIVE_END = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$")

_TEMPORAL_END = re.compile(r"\b(?:after|before|while|upon|when|since)\s+$")

_OF_BY_NEXT = re.compile(r"\s*(?:of|by)\b")


def actor_roles(report: Report, sentence: Sentence, pivot: Mention, actors: list[Mention]):
    """Agent and target actor mentions: the subject of the action's clause, and its objects.

    The subject is the first actor of the clause that holds the action; actors
    coordinated with it are associates.  Actors named after the action are its
    objects, unless "by"/"of" marks them as its agent ("air attacks of the Russian jets").
    Actors in a purpose clause after the action ("to pave the way for the Turkish Army")
    are not parties to it.
    """
    text = report.clean_text
    # An actor phrase that runs into the action ("Russian missiles hit") is its subject.
    before = [a for a in actors if a.end <= pivot.start or a.start <= pivot.start < a.end]
    agents, targets = _subjects(text, sentence, pivot, before)
    after_agents = _objects(text, sentence, pivot, [a for a in actors if a not in before], agents, targets)
    if _passive(text, sentence, pivot):
        # Passive voice ("soldiers were killed by a bomb planted by IS"): the subject suffered
        # the act; only "by X" names who did it.
        by_agents = [a for a in agents if a.start > pivot.start]
        targets = [a for a in agents if a.start < pivot.start] + targets
        # "11 people were killed when gunmen attacked the village": the subject of the clause that tells
        # how it happened did it.
        how = [a for a in targets if a.start > pivot.end
               and _HOW_CLAUSE.search(text, max(sentence.start, a.start - 30), a.start)]
        if how and not (after_agents or by_agents):
            by_agents = how[:1]
            targets = [a for a in targets if a is not how[0]]
        agents = after_agents + by_agents
    else:
        agents = after_agents + agents
    _fronted_subject(text, sentence, pivot, agents, targets)
    if not agents and not before and targets and _OF_BY_NEXT.match(text[pivot.end:targets[0].start]):
        agents.append(targets.pop(0))
    targets.sort(key=lambda x: abs(x.start - pivot.end))
    return agents, targets


def _subjects(text: str, sentence: Sentence, pivot: Mention, before: list[Mention]):
    """Agents and targets among the actors before the act, from the start of its clause: the last boundary
    that still leaves an actor before it."""
    clause_start = sentence.start
    last_actor = max((a.start for a in before), default=-1)
    for b in _CLAUSE_BOUNDARY.finditer(text, sentence.start, pivot.start) if before else ():
        if b.end() > last_actor:
            break  # boundaries come in order: no later one leaves an actor before it either
        clause_start = b.end()
    agents, targets = [], []
    for am in before:
        if am.start < clause_start:
            continue
        left = text[max(sentence.start, am.start - 40):am.start]
        if agents and _affiliated(left):
            agents.append(am)
        elif tail_may_hold(left, _TARGET_PREP_WORDS, 4) and _TARGET_PREP.search(left) and not _OF_END.search(left):
            targets.append(am)
        elif agents and not _COORDINATED.fullmatch(text[agents[-1].end:am.start]):
            targets.append(am)  # the object of an intermediate verb ("stormed ISIL's lines and won back")
        else:
            agents.append(am)
    return agents, targets


def _objects(text: str, sentence: Sentence, pivot: Mention, later: list[Mention], agents: list[Mention],
             targets: list[Mention]) -> list[Mention]:
    """Sort the actors after the act (up to a purpose or trailing clause) into agents ("by X", "of the
    Russian jets", "linked to al-Qaeda") and targets; returns the act's own agents named after it."""
    # An operation's purpose names its target ("an operation to hit X's positions").
    limit = sentence.end if opens_operation(pivot.text) else purpose_limit(text, pivot.end, sentence.end)
    # "..., as fighting for the last army stronghold intensified": a trailing clause tells of other acts.
    trailing = TRAILING_CLAUSE.search(text, pivot.end, limit)
    limit = trailing.start() if trailing else limit
    after_agents: list[Mention] = []
    for am in later:
        if am.start >= limit:
            continue
        left = text[max(sentence.start, am.start - 40):am.start]
        if _affiliated(left):
            agents.append(am)  # "militants linked to al-Qaeda": an associate of the agent
        elif _BETWEEN_END.search(left) and not after_agents:
            after_agents.append(am)  # "clashes between X and Y": X is one side, Y (a target) the other
        elif _OF_BY_GAP.fullmatch(text[pivot.end:am.start]) or (
                after_agents and _AND_GAP.fullmatch(text[after_agents[-1].end:am.start])
                and not _BETWEEN_END.search(text[max(sentence.start, after_agents[-1].start - 12):after_agents[-1].start])):
            after_agents.append(am)  # "air attacks of the Russian and Syrian jets": the act's own agent
        elif tail_may_hold(left, ("by",), 4) and _AGENT_PREP.search(left):
            agents.append(am)
        else:
            targets.append(am)
    return after_agents


def _passive(text: str, sentence: Sentence, pivot: Mention) -> bool:
    return bool(_PASSIVE_END.search(text[max(sentence.start, pivot.start - 30):pivot.start])
                or pivot.text.lower().startswith(("was ", "were ", "been ", "is ", "are "))
                or BY_NEXT.match(text[pivot.end:pivot.end + 5]))


def _fronted_subject(text: str, sentence: Sentence, pivot: Mention, agents: list[Mention],
                     targets: list[Mention]) -> None:
    """"After capturing the wells, the Tiger Forces advanced": the subject of the main clause, after the
    comma, did the capturing."""
    if agents or not pivot.text.lower().endswith("ing") \
            or not _TEMPORAL_END.search(text[max(sentence.start, pivot.start - 10):pivot.start]):
        return
    comma = text.find(",", pivot.end, sentence.end)
    subject = next((a for a in targets if comma >= 0 and a.start > comma), None)
    if subject is not None:
        targets.remove(subject)
        agents.insert(0, subject)


_HOW_CLAUSE = re.compile(r"\b(?:when|as|after)\s+(?:suspected\s+|armed\s+|unidentified\s+|the\s+)?$", re.I)

_WAS_END = re.compile(r"\b(?:was|were|been)\s+$")


def pivot_trigger(report: Report, triggers: list[tuple[Mention, Trigger]], chosen: Mention, actors: list[Mention]) -> Mention:
    """The action that splits subject from objects: the first verb-like trigger, else the chosen one.

    "After hours of battle, the army took X": a fronted noun is no pivot.
    "the army stormed ISIL's lines and won back X": the first verb is.
    """
    text = report.clean_text
    # "one person was killed in X after Russian troops shelled Y": the chosen act has a clause and
    # a subject of its own.
    if any(a.end <= chosen.start and _SUBORDINATE_BEFORE.search(text, max(0, a.start - 12), a.start)
           and re.fullmatch(r"\s*", text[a.end:chosen.start]) for a in actors):
        return chosen
    for t, _ in sorted(triggers, key=lambda x: x[0].start):
        if t.start >= chosen.start:
            break
        last = t.text.lower().split()[-1] if t.text.split() else ""
        passive = t.text.lower().startswith(("was ", "were ")) or _WAS_END.search(text[max(0, t.start - 12):t.start])
        if (last.endswith("ed") or last in PAST_VERBS) and (passive or any(a.start > t.end for a in actors)):
            return t
    return chosen


_SUBORDINATE_BEFORE = re.compile(r"\b(?:after|before|when|while|as|since|because|once)\s+(?:the\s+)?$", re.I)

_SUBJECT_GAP = re.compile(r"(?:'s|’s)?\s+(?:(?:has|have|had|reportedly|also|again|allegedly|then|later|now)\s+)*")


def country_subject(report: Report, sent: Sentence, trigger: Mention, places: list[Mention]) -> str | None:
    """'Turkey has shelled ...', 'Israel struck ...': a country right before the act is its agent."""
    text = report.clean_text
    for m in places:
        pm = report.places[m.value]
        if pm.place is None or pm.place.feature != "country" or m.end > trigger.start:
            continue
        if _SUBJECT_GAP.fullmatch(text[m.end:trigger.start]):
            return pm.place.country_code
    return None


def recent_opponent(report: Report, sent: Sentence, actor1: Mention | None) -> Mention | None:
    """The last named armed group of the section before this sentence that is not actor 1.

    Armed groups are preferred to states: foreign armies named in passing are rarely the
    other side of a local battle.
    """
    if actor1 is None:
        return None
    fallback = None
    for m in reversed(report.mentions):
        if m.kind != "actor" or m.start >= sent.start:
            continue
        other = report.sentences[m.sentence]
        if other.section != sent.section:
            break
        if getattr(m.value, "actor_id", None) and not same_actor(m, actor1):
            if m.value.type in ("rebel_group", "political_militia", "identity_militia", "pro_government_militia"):
                return m
            fallback = fallback or m
    return fallback


def actor_inherited_target(actor, sent: Sentence) -> bool:
    """True when the target was carried over from an earlier sentence rather than named here."""
    return actor is not None and not (sent.start <= actor.start < sent.end)


def head_actors(text: str, actors: list[Mention]) -> list[Mention]:
    """Actor mentions without the modifier of each pair that stands side by side."""
    drop = set()
    for a, b in zip(actors, actors[1:]):
        if 0 < b.start - a.end <= 2 and not text[a.end:b.start].strip():
            named_a, named_b = getattr(a.value, "actor_id", None), getattr(b.value, "actor_id", None)
            drop.add(id(b) if named_a and not named_b else id(a))
    return [a for a in actors if id(a) not in drop] if drop else actors


def speaker_of_others_act(report: Report, actor: Mention, sources: list[Mention], trigger: Mention,
                           actors: list[Mention], places: list[Mention]) -> bool:
    """"A Kurdish militia spokesman says Turkey has shelled ...": the source tells of another's act.

    A named group that speaks is a party to the act it tells of ("the Taliban said they killed")
    unless another subject, an actor or a country, stands between its words and the act."""
    src = next((s for s in sources if s.start <= actor.start < s.end or actor.start <= s.start < actor.end), None)
    if src is None or src.end > trigger.start:
        return False
    end = max(src.end, actor.end)
    return any(end <= a.start and a.end <= trigger.start for a in actors if a is not actor) or any(
        end <= p.start and p.end <= trigger.start and report.places[p.value].place is not None
        and report.places[p.value].place.feature == "country" for p in places)


def state_of(actor: Mention, country: str) -> bool:
    """The mention names a state force (military, police) of the country."""
    value = actor.value
    return getattr(value, "country", None) == country and getattr(value, "type", None) in (
        "state_forces", "external_forces")


_ITS_BEFORE = re.compile(r"\b(?:its|their)\s+(?:own\s+)?$", re.I)


def own_forces(report: Report, sent: Sentence, actors: list[Mention], places: list[Mention]) -> None:
    """"Russia's Defense Ministry said its troops captured X": a force named by "its" belongs to the
    country named before it in the sentence (a country, or an actor of one)."""
    text = report.clean_text
    for a in actors:
        value = a.value
        if getattr(value, "country", "") is not None or getattr(value, "actor_id", None) \
                or not _ITS_BEFORE.search(text, max(sent.start, a.start - 10), a.start):
            continue
        owners = [(o.end, o.value.country) for o in actors if o.end <= a.start and getattr(o.value, "country", None)]
        owners += [(p.end, report.places[p.value].place.country_code) for p in places if p.end <= a.start
                   and report.places[p.value].place is not None and report.places[p.value].place.feature == "country"]
        if owners:
            a.value = replace(value, country=max(owners)[1])


def same_side(a, b) -> bool:
    """The same actor, or forces of the same kind and country ("Russian attacks", "Russian forces")."""
    return same_actor(a, b) or (a.value.country is not None and a.value.country == b.value.country
                                 and getattr(a.value, "type", None) == getattr(b.value, "type", None))


def same_actor(a, b) -> bool:
    if a is None or b is None:
        return False
    return (a.value.actor_id or a.value.generic, a.value.country) == (b.value.actor_id or b.value.generic, b.value.country)


# "Mali's army said on Sunday it had killed 32 militants": a force that tells of its own act.
SELF_REPORT = re.compile(r"\s+(?:also\s+)?(?:said|says|announced|claimed|reported|stated)\s+(?:on\s+\w+\s+|in a statement\s+)?"
                          r"(?:that\s+)?(?:it|they|its|their)\b", re.I)

SAYS_AFTER = re.compile(r"(?:\W+[\w'’-]+){0,3}?\W+(?:said|says|told|reported|announced|claimed|stated|added)\b", re.I)


def act_parties(report: Report, sent: Sentence, trigger: Mention, actors: list[Mention], sources: list[Mention],
                places: list[Mention]) -> list[Mention]:
    """The actor mentions that may be parties to the act: not a source ("police said") unless a named group
    tells of its own act, not whom something is told to, not a republic named as where, not a later speaker."""
    text = report.clean_text
    # "three women suicide bombers": of two actor nouns side by side, the last is the head -- unless
    # the first is a name ("the al-Shabab attackers").
    actors = head_actors(text, actors)
    return [a for a in actors if (getattr(a.value, "actor_id", None) or not overlaps_any(a, sources)
                                  or SELF_REPORT.match(text, a.end))
            and not speaker_of_others_act(report, a, sources, trigger, actors, places)
            and not TOLD_TO.search(text, max(sent.start, a.start - 12), a.start)
            # "the settlement of Bogatyr in the Donetsk People's Republic": a named entity told as where
            and not (getattr(a.value, "actor_id", None) and _LOCATIVE_IN.search(text, max(sent.start, a.start - 16),
                                                                                  a.start))
            # "shot dead ..., hours after the police said the emergency was bearing fruit": a later speaker
            and not (a.start > trigger.end and SPEAKS_NEXT.match(text, a.end))]


def two_subjects(report: Report, sent: Sentence, trigger: Mention, actor1: Mention | None, actor2: Mention | None,
                 assoc: list[Mention]) -> bool:
    """"M23 rebels and Congolese troops exchanged fire": two coordinated subjects of a reciprocal act, of
    different sides, are its two sides (unless a target other than civilians is named)."""
    return len(assoc) == 1 and actor1 is not None \
        and RECIPROCAL.search(report.clean_text, assoc[0].end, min(sent.end, trigger.end + 30)) is not None \
        and getattr(assoc[0].value, "country", None) is not None and not same_side(assoc[0], actor1) \
        and (actor2 is None or getattr(actor2.value, "type", None) == "civilians")


# ---- the named tests of the carry rules (data/en/rules/carry.yaml) -------------------------------------

@rule_test("anaphoric_source")
def _anaphoric_source(site: Site) -> bool:
    """The sentence names its source only as "the sources", "the same sources"."""
    return site.facts.get("anaphoric", False)


@rule_test("country_is_agent")
def _country_is_agent(site: Site) -> bool:
    """A country stands as the act's subject ("Turkey has shelled ..."): its forces are the agent."""
    return site.item.actor1_country is not None


@rule_test("target_carries")
def _target_carries(site: Site) -> bool:
    """The act names no party but its agent, and the section's last target fits: not the agent itself, told
    by the same side, and armed when the act is a battle (the civilians of the last attack are no side)."""
    act, discourse, sent = site.item, site.facts["discourse"], site.sentence
    prev = discourse.section_target.get(sent.section)
    actor1 = site.facts["actor1"]
    if prev is None or same_actor(prev, actor1) or any(not same_actor(a, actor1) for a in act.parties):
        return False
    agent = discourse.section_agent.get(sent.section)
    if not (actor1 is None or act.inherited or agent is None or same_side(actor1, agent)):
        return False
    return SUB_EVENT_TO_TYPE.get(act.sub) != "Battles" or getattr(prev.value, "type", None) not in (None, "civilians")


@rule_test("battle")
def _battle(site: Site) -> bool:
    return SUB_EVENT_TO_TYPE.get(site.item.sub) == "Battles"


@rule_test("told_just_before")
def _told_just_before(site: Site) -> bool:
    """The section's last act was told in one of the two sentences before this one."""
    last = site.facts["discourse"].section_act.get(site.sentence.section)
    return last is not None and 0 < site.sentence.index - last[1] <= 2
