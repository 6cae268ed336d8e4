"""Stage 4, events: turn the mentions of each sentence into ACLED event candidates.

For every sentence with a trigger the stage decides, in order:
  1. which triggers count (not inside an actor or place name, not an aim in a
     purpose clause such as "an operation *to retake* X");
  2. the sub-event type (summed trigger weights, then the family rules below);
  3. the modality (a planning/background/negation cue in the trigger's clause);
  4. the agent and target actors (word order and prepositions around the trigger),
     carried over from earlier sentences of the paragraph when absent;
  5. the places, one event per distinct location ("attacked A, B and C" is three);
  6. casualty counts, the event date and the claim's source.
Candidates carry actor and place *mentions*; the resolve stage names them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .geo import km_between
from .lexicon import PrefilteredRegex, SentenceSearch, Trigger, cues, prefiltered
from .mentions import MONTHS, find_dates, find_modality, find_numbers, is_anaphoric, parse_quantity
from .model import ASSERTED, BACKGROUND, NEGATED, OPINION, PLANNED, SUB_EVENT_TO_TYPE, Mention, Report, Sentence

# When two sub-event types score the same, the more specific one wins.
SPECIFICITY = [
    "Chemical weapon", "Suicide bomb", "Sexual violence", "Excessive force against protesters",
    "Disrupted weapons use", "Remote explosive/landmine/IED", "Grenade", "Air/drone strike",
    "Shelling/artillery/missile attack", "Abduction/forced disappearance", "Headquarters or base established",
    "Mob violence", "Violent demonstration", "Protest with intervention", "Peaceful protest",
    "Non-violent transfer of territory", "Agreement", "Arrests", "Change to group/activity",
    "Non-state actor overtakes territory", "Government regains territory",
    "Looting/property destruction", "Attack", "Armed clash", "Other",
]
_RANK = {s: i for i, s in enumerate(SPECIFICITY)}

PROTEST_FAMILY = {"Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                  "Violent demonstration"}
TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
# Sub-event types whose triggers only describe how a protest went: alone they are no event.
PROTEST_ONLY = {"Protest with intervention", "Excessive force against protesters"}

# Verbs before "to" that make the next verb a result, not an aim ("managed to drive out").
_ASPECTUAL = prefiltered(
    r"\b(?:managed|started|starts|start|began|begun|begins|continued|continues|continue|tried|attempted|"
    r"forced|succeeded|was able|were able|had to|has to|have to|resorted|went on|proceeded|used)\s+to\s+(?:\w+\s+)?$",
    re.I,
)
_PURPOSE = prefiltered(
    r"(?:\b(?:to|in order to|so as to|in a bid to|in bid to|aimed at|aiming at|with the aim of|for)\s+"
    r"(?:\w+\s+){0,1})$",
    re.I,
)
_OPERATION_START = prefiltered(
    r"\b(?:launch(?:ed|es)?|start(?:ed|s)?|beg[iau]n|kick(?:ed)? off|initiated|opened|mount(?:ed)?|resumed?|commenced?|staged)\b"
    r"[^.;]{0,80}?\b(?:operation|offensive|attack|assault|push|campaign|onslaught|round of)",
    re.I,
)
_CIVILIAN_VICTIM = prefiltered(
    r"\b(?:civilians?|villagers?|residents?|worshippers?|farmers?|herders?|children|child|women|woman|girls?|boys?|"
    r"students?|teachers?|journalists?|reporters?|passengers?|motorists?|travell?ers?|pilgrims?|traders?|"
    r"shopkeepers?|families|family|man|men|people|persons?|villages?|market|mosque|church|school|hospital|"
    r"aid workers?|doctors?|nurses?|refugees?|displaced|chief|imam|priest|pastor|politician|councillor|candidate|"
    r"hotel|college|campus|university|bus|plane|marketplace|camp for|dormitor(?:y|ies)|worshipers|communit(?:y|ies)|"
    r"center|centre|clinic|shop|store|restaurant|cafe|church(?:es)?|homes?|houses?|residential|displacement camp|idp camp|"
    r"member of parliament|mp|activist|lawyer|judge)\b",
    re.I,
)
_ARMED_TARGET = prefiltered(
    r"\b(?:soldiers?|troops?|army|military|police(?:men)?|officers?|security forces|forces|militants?|"
    r"insurgents?|rebels?|fighters?|jihadists?|terrorists?|positions?|checkpoints?|base|convoy|patrol|"
    r"gunmen|militiam[ae]n|militias?|combatants?)\b",
    re.I,
)
# "killed over 30 militants": the victims of a killing are fighters.
# "killed at least 40 people in an attack on the camp": the dead are civilians.
# "at least 11 people were killed when ...": the victims named as the subject of a passive.
_PASSIVE_CIVILIANS = re.compile(
    r"\b(?:people|civilians|villagers|residents|worshipp?ers|children|women|students|passengers|farmers|mourners|"
    r"persons|traders)\s+(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:killed|shot dead|slain|murdered|"
    r"massacred|hacked to death|burnt to death|burned to death)\b", re.I)
_KILLED_CIVILIANS = re.compile(
    r"\b(?:killed|killing|kills|massacred|slaughtered)\s+(?:(?:at least|more than|over|nearly|about|some|up to|dozens of|"
    r"scores of|hundreds of)\s+)?(?:[\w-]+\s+){0,2}?(?:people|civilians|villagers|residents|worshipp?ers|children|women|"
    r"students|passengers|farmers|mourners|displaced)\b", re.I)
_ARMED_VICTIMS = re.compile(r"^\s*(?:(?:over|some|about|at least|more than|nearly|the|\d+|[a-z]+)\s+){0,5}?" + _ARMED_TARGET.pattern, re.I)
_CIVILIAN_OBJECT = re.compile(r"^\s*(?:on\s+|at\s+|in\s+|into\s+)?(?:(?:a|an|the|two|three|several|unarmed|innocent|local|small|busy|[\w-]+)\s+){0,3}?" + _CIVILIAN_VICTIM.pattern, re.I)
# The unnamed target of an act, read from its object: "attacked a military post", "a police station".
_TARGET_KIND = re.compile(
    r"^\s*(?:on\s+|at\s+|in\s+)?(?:(?:a|an|the|two|three|several|\d+|[\w-]+)\s+){0,2}?"
    r"(?:(?P<police>police(?:\s+(?:station|post|checkpoint|officers?|patrol|vehicle))?|policem[ae]n|gendarm\w*)"
    r"|(?P<military>military\s+(?:post|base|camp|position|convoy|patrol|checkpoint|outpost|vehicle)s?|army\s+(?:post|base|camp|"
    r"position|convoy|patrol|checkpoint)s?|soldiers|troops|checkpoint|army|military))\b", re.I)
_LOCATIVE_THE = re.compile(r"\b(?:in|of|across|from|into|throughout|to)\s+the\s+$", re.I)
_SPEAKS_NEXT = re.compile(r"\s+(?:had\s+|has\s+|have\s+)?(?:said|says|told|announced|reported|stated|warned)\b"
                          r"(?!\s+(?:it|they|its|their|he|she)\b)", re.I)
# "a military officer told our reporter", "residents told journalists": who is told is no party to the act.
_TOLD_TO = re.compile(r"\b(?:told|telling|tells|said to|speaking to|spoke to)\s+(?:(?:our|the|a|local|foreign)\s+)?$", re.I)
_ARMED_SITE = re.compile(r"\s*(?:(?:the|a|an|its|their|two|three|several)\s+)?(?:[\w-]+\s+){0,2}?(?:base|barracks|garrison|outpost|"
                         r"checkpoint|check-point|military camp|army camp|police station|police post|army post|military post|"
                         r"position)s?\b", re.I)
_PROTEST_WORDS = prefiltered(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied|ying)|marchers|riot(?:s|ers|ing|ed)?|sit-ins?|strikers|"
                            r"pickets?|human chain|die-in|took to the streets|take to the streets|(?:peaceful|protest|a) march)\b", re.I)
_CROWD = r"(?:fans|youths|hooligans|supporters|crowds?|mobs?|rioters|villagers|residents|students|gangs?)"
_CROWD_ACT = (r"(?:threw|thrown|hurled|pelted|attacked|damaged|pulled down|set fire|torched|vandali[sz]ed|smashed|stormed|"
              r"ransacked|burned|burnt|set ablaze|looted|set off fireworks|lit flares)")
# A crowd's own violence: the crowd acts (no "were/by" between), or the act is done "by the youths".
_CROWD_VIOLENCE = prefiltered(
    rf"\b{_CROWD}\b(?:(?!\b(?:were|was|been|by)\b)[^.;]){{0,50}}?\b{_CROWD_ACT}\b|\b{_CROWD_ACT}\s+by\s+(?:the\s+)?(?:\w+\s+)?{_CROWD}\b",
    re.I)
_LETHAL = prefiltered(r"\b(?:killed|killing|dead|died|die|deaths?|shot dead|live (?:ammunition|bullets|rounds|fire)|"
                     r"excessive force|violently (?:suppressed|dispersed|broke up|cracked down))\b", re.I)
_STATE_FORCE = prefiltered(r"\b(?:police|security forces|soldiers|troops|army|military|guards|gendarmes?|forces|officers|authorities)\b", re.I)
_PROTESTER_CLASH = prefiltered(r"\b(?:protesters?|demonstrators?|rioters|crowds?|youths?|supporters)\b[^.]{0,60}\b(?:clash\w*|hurl\w*|thr[eo]w\w*|"
                              r"pelt\w*|confront\w*|scuffle\w*|attack\w*|stormed|torch\w*|vandali\w*|block\w*|barricad\w*)\b|"
                              r"\bclash\w*\s+(?:\w+\s+){0,2}with\s+(?:\w+\s+){0,3}(?:protesters|demonstrators|rioters|crowds?)|\b(?:rioters|protesters|demonstrators)\s+(?:\w+\s+){0,2}clash\w*|(?<!non-)(?<!non )\b(?:violent|aggressive) (?:protests?|demonstrations?|rall(?:y|ies))", re.I)
_WEAPONS_SEIZED = prefiltered(
    r"\b(?:found|discovered|seized|confiscated|recovered|unearthed|uncovered|defused|dismantled|intercepted|impounded|"
    r"captured)\b[^.;]{0,80}?\b(?:weapons?|arms|ammunition|ammo|explosives?|ieds?|grenades?|landmines?|mines|"
    r"rockets?|missiles?|pistols?|guns?|rifles?|firearms|cache|caches|depot|bombs?|devices?|ordnance|cartridges|bullets|rounds)\b"
    r"|\b(?:weapons?|arms|ammunition|explosives?|explosive devices?|ieds?|grenades?|pistols?|guns?|firearms|cache|caches|stash|bombs?)\b"
    r"[^.;]{0,60}?\b(?:were|was|have been|has been|had been)\s+(?:\w+\s+)?(?:found|discovered|seized|confiscated|recovered|"
    r"defused|dismantled|intercepted|unearthed|uncovered|captured)\b", re.I)
_RIOT_WORDS = prefiltered(r"\b(?:riot\w*(?<!riot)|riot(?!\s+(?:police|gear|squad|control|shields?|officers?|units?|act)\b)|mob|rampag\w*|unrest)\b", re.I)
# A crowd that is no demonstration: "fans clashed with police" is mob violence.
_CROWD_NOUNS = prefiltered(r"\b(?:fans|supporters|hooligans|youths|crowds?|mobs?|villagers|residents|locals|gangs? of)\b", re.I)

# Prepositions that make an actor named after them the target, or (by) the agent.
# (The words between never include "that" or a day: "claimed on Wednesday that Russian troops ...".)
_TARGET_PREP = prefiltered(r"\b(?:against|on|at|with|targeting|targeted|upon|into|toward|towards|from|of)\s+(?:the\s+)?"
                           r"(?:(?!(?:that|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)[\w'’-]+\s+){0,2}$", re.I)
# "held by X", "controlled by X" describe a place, not who acted.
_AGENT_PREP = re.compile(r"\b(?<!held )(?<!controlled )(?<!run )(?<!occupied )(?<!besieged )by\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)


# Weapon nouns that name a unit ("missile units", "artillery battalion") describe an actor, not an act.
_UNIT_AFTER = re.compile(r"^\s+(?:and\s+\w+\s+)?(?:units?|battalions?|brigades?|regiments?|divisions?|corps|crews?|batter(?:y|ies)|squads?|teams?|forces|troops|men|launchers?)\b", re.I)
# A coordinated place list: "Saraqib, Sarmada, al-Dana, Harem and Salqin", "Arsal and Qalamoun".
_COORD_GAP = re.compile(r"^\s*(?:,|and|or|&|as well as|, and|, or|,\s*and)\s*(?:the\s+)?(?:(?:towns?|villages?|cities|city|areas?|districts?|neighbou?rhoods?)\s+of\s+)?$"
                        # "one person was killed in A and another in B"
                        r"|^\s*,?\s*and\s+(?:another|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
                        r"(?:\s+(?:more|others?|people|persons|civilians|soldiers))?\s+(?:in|at)\s+$", re.I)
# Modal verbs right after the trigger phrase ("the joint operation ... would benefit").
_MODAL_AFTER = re.compile(r"^[^,;.]{0,40}?\b(?:will|would|could|might|may|shall|is expected to|are expected to|is set to)\b", re.I)
# ("may" is a modal too: cues.yaml leaves it out of its bare-month cue.)
_BARE_MONTH = re.compile(r"in (?:early |late |mid-)?(" + "|".join(MONTHS) + ")", re.I)
_WHAT_WOULD = re.compile(r"\bwhat\s+(?:would|could|might|may)\b", re.I)  # "in what would be the deadliest attack"
_EXPECTED_AFTER = re.compile(r"^(?:[^.;:]{0,100}?\b(?P<cue>(?:is|are) (?:expected|set|due|scheduled|slated|likely|poised) to)\b"
                             r"|\s*(?P<cue2>to (?:resume|begin|start|open|be held|take place|restart)\b))", re.I)
_THE_YEAR = re.compile(r"\bthe ((?:19|20)\d\d)$", re.I)
_MONTH_YEAR = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+((?:19|20)\d\d)\b", re.I)
_PAST_VERBS = {"fought", "took", "retook", "overran", "shot", "hit", "struck", "won", "blew", "threw", "stole",
               "beat", "beaten", "burnt", "swept", "withdrew", "drove", "fled", "seized", "laid", "set"}
_TOWARDS = re.compile(r"\b(?:towards?|en route to|on the road to|in the direction of|on their way to|heading to|heading for|"
                      # "a military officer told our reporter by phone from Jowhar": where the speaker was.
                      r"(?:by|over the|on the) (?:tele|satellite |mobile )?phone from|speaking from|reached in)\s+(?:the\s+)?(?:(?:strategic|key|town|city|village|area|region|of)\s+)*$", re.I)
_REGION_SIDES = re.compile(r"\b(?:provincial|province|governorate|administrative)\s+(?:border|boundary|line)s?\b[^.;]{0,25}$|\bprovinces\s+of\s+$", re.I)
_SUPPORT = re.compile(r"\b(?:backed(?: up)? by|supported by|with the (?:air |aerial )?(?:support|backing|cover) of|under (?:the )?cover of|covered by)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.I)
# "captured on camera", "fell to 41 percent": a territorial verb about pictures or numbers.
_NOT_TERRITORY_AFTER = re.compile(  # (matched at the trigger's end: no "^")
    r"\s+(?:\w+\s+){0,3}?on (?:camera|video|film|tape|cctv)\b"
    r"|\s+(?:the\s+)?(?:moment|scene|images?|attention|imagination|hearts?|mood|spirit|video|videos|footage|photos?|"
    r"pictures?|audio)\b", re.I)
_NUMBER_AFTER = re.compile(r"\s+(?:(?:about|around|nearly|almost|just|some|a|an)\s+)?(?:\d|(?:one|two|three|four|five|six|"
                           r"seven|eight|nine|ten|twenty|thirty|forty|fifty|a third|a quarter|half|record|its lowest|their lowest)\b)", re.I)
# "commenced the search operation": an operation that is no act of war.
_CIVIL_OPERATION = re.compile(r"\b(?:search|rescue|recovery|relief|salvage|clean-?up|evacuation|humanitarian|medical|surgical|"
                              r"vaccination|census|sting|undercover|business|marketing|mining|commercial|repair|maintenance|"
                              r"renovation|construction|fundraising|fund-raising|charm|publicity|election|polling)\s+(?:operations?|campaign)\b",
                              re.I)
_NOT_A_FIGHT = re.compile(r"^\s+(?:(?:against|off|back)\s+)?(?:\w+\s+){0,2}?(?:tears|emotions?|laughter|the urge|fatigue|fires?|blazes?|wildfires?|flames|cancer|corruption|crime|poverty|disease|diseases|virus|covid\S*|pandemic|drugs|inflation|climate|illness|addiction|hunger|unemployment)\b", re.I)
# "drove ISIL out of X", "expelled the rebels from Y": a weak verb whose object is an armed party
# leaving a place is a change of territory.
_OUT_OF = re.compile(r"\s+(?:back\s+)?(?:out\s+of|from)\b", re.I)
_FIRED_ON = re.compile(r"(?:opened fire|fired|firing)(?: on| at)?", re.I)
_FIRED_AT_PLACE = re.compile(r"(?:\s+(?:on|at))?\s+(?:the\s+)?(?:(?:town|city|village|district|area)s?\s+of\s+)?", re.I)
_CAMPAIGN_AFTER = re.compile(r"^\s+(?:campaigns?|war|wars|conflict|crisis|capabilit(?:y|ies)|programmes?|programs?|systems?|industry|exports?|sales?|deals?)\b", re.I)
_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


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
    place_index: int | None = None  # index into report.places
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

    @property
    def place_inherited(self) -> bool:
        """The place was not named with the act (carried over, a region, or an operation's aim)."""
        return self.place_scope != "sentence"


def _by_sentence(report: Report) -> list[dict[str, list[Mention]]]:
    table: list[dict[str, list[Mention]]] = [dict() for _ in report.sentences]
    for m in report.mentions:
        table[m.sentence].setdefault(m.kind, []).append(m)
    return table


def _overlaps(m: Mention, spans: list[Mention]) -> bool:
    return any(m.start < s.end and m.end > s.start for s in spans)


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


def _classify(triggers: list[tuple[Mention, Trigger]], sentence: str,
              says: Callable[[PrefilteredRegex], bool] | None = None) -> tuple[str, float, Mention] | None:
    """The sentence's sub-event type, its score and the trigger that carries it.

    A type scores its strongest trigger's weight plus a little for each further
    trigger, so one "suicide bomber" outweighs any number of casualty words.
    `says(regex)` tells whether the sentence matches a regex (by default, regex.search(sentence)).
    """
    if says is None:
        def says(regex: PrefilteredRegex) -> bool:
            return regex.search(sentence) is not None
    weights: dict[str, list[int]] = {}
    best_trigger: dict[str, tuple[int, Mention]] = {}
    for mention, trig in triggers:
        sub = trig.sub_event_type
        weights.setdefault(sub, []).append(trig.weight)
        if sub not in best_trigger or trig.weight > best_trigger[sub][0]:
            best_trigger[sub] = (trig.weight, mention)
    if not weights:
        return None
    peak = {k: max(v) for k, v in weights.items()}
    scores = {k: peak[k] + 0.25 * (sum(v) - peak[k]) for k, v in weights.items()}

    def pick(sub: str) -> tuple[str, float, Mention]:
        return sub, float(scores.get(sub, 3.0)), best_trigger.get(sub, (0, best_any))[1]

    best_any = max(best_trigger.values(), key=lambda x: x[0])[1]
    has_protest = peak.get("Peaceful protest", 0) >= 3 or says(_PROTEST_WORDS)
    if peak.get("Protest with intervention", 0) >= 3 and "Peaceful protest" not in peak \
            and not best_trigger["Protest with intervention"][1].text.lower().startswith("suppress"):
        # ("Air defence suppressed 40 drones": only a crowd word makes "suppressed" a protest's end.)
        # Tear gas, water cannon, rubber bullets: used on a crowd, so a protest or riot took place.
        has_protest = True
        weights["Peaceful protest"] = [3]
        peak["Peaceful protest"] = 3
        best_trigger["Peaceful protest"] = best_trigger["Protest with intervention"]
    if peak.get("Sexual violence", 0) >= 3:
        return pick("Sexual violence")  # the gravest act named decides, whatever the setting
    protest_acts = ("Peaceful protest", "Violent demonstration", "Protest with intervention",
                    "Excessive force against protesters")
    # Protest family: the protest decides the family; how it went decides the sub-type.
    if has_protest and any(peak.get(k, 0) >= 3 for k in protest_acts):
        base = next(best_trigger[k] for k in protest_acts if k in best_trigger)[1]
        lethal = says(_LETHAL)
        # Demonstrators' own violence decides first, as ACLED codes it; then lethal force against them.
        if peak.get("Violent demonstration", 0) >= 3 or says(_PROTESTER_CLASH):
            return "Violent demonstration", 3.0, best_trigger.get("Violent demonstration", (0, base))[1]
        if peak.get("Excessive force against protesters", 0) >= 3 or (lethal and says(_STATE_FORCE)):
            return "Excessive force against protesters", 3.0, best_trigger.get("Excessive force against protesters", (0, base))[1]
        if peak.get("Mob violence", 0) >= 3:
            return pick("Mob violence")
        if peak.get("Protest with intervention", 0) >= 3 or peak.get("Arrests", 0) >= 3:
            return "Protest with intervention", 3.0, best_trigger.get("Protest with intervention", best_trigger.get("Arrests", (0, base)))[1]
        if peak.get("Looting/property destruction", 0) >= 3:
            return pick("Looting/property destruction")
        return "Peaceful protest", float(scores.get("Peaceful protest", 3.0)), base
    if has_protest and "Mob violence" in peak and not peak.get("Violent demonstration"):
        # A crowd's violence at a demonstration is a violent demonstration (see the family below).
        weights["Violent demonstration"] = [3]
        peak["Violent demonstration"] = 3
        best_trigger["Violent demonstration"] = best_trigger["Mob violence"]
    for sub in PROTEST_ONLY:
        scores.pop(sub, None)
    if "Violent demonstration" in scores and not says(_RIOT_WORDS):
        if says(_CROWD_NOUNS) and "Mob violence" not in scores:
            scores["Mob violence"] = scores["Violent demonstration"]
            best_trigger["Mob violence"] = best_trigger["Violent demonstration"]
            peak["Mob violence"] = peak["Violent demonstration"]
        scores.pop("Violent demonstration")
    if "Peaceful protest" in scores and not has_protest:
        scores.pop("Peaceful protest")
    # Weapons found, seized or defused: the weapon names no attack.
    if says(_WEAPONS_SEIZED):
        scores["Disrupted weapons use"] = max(scores.get("Disrupted weapons use", 0), 3.5)
        best_trigger.setdefault("Disrupted weapons use", (3, best_any))
        peak["Disrupted weapons use"] = 3
    # Territory: both kinds of trigger count together; the actor decides later which one it is.
    terr = [scores.pop(k) for k in ("Government regains territory", "Non-state actor overtakes territory") if k in scores]
    if terr:
        scores["Government regains territory"] = max(terr)
        peak["Government regains territory"] = max(peak.get("Government regains territory", 0),
                                                   peak.get("Non-state actor overtakes territory", 0))
        if "Government regains territory" not in best_trigger:
            best_trigger["Government regains territory"] = best_trigger["Non-state actor overtakes territory"]
    # Territory taken outranks the fighting that took it (ACLED codes the change of control).
    if scores.get("Government regains territory", 0) >= 2 and "Armed clash" in scores:
        scores["Government regains territory"] = max(scores["Government regains territory"], scores.pop("Armed clash"))
    # Villagers killed and others abducted in one raid: an attack, as ACLED codes it.
    if "Abduction/forced disappearance" in scores and peak.get("Attack", 0) >= 2:
        scores["Attack"] = max(scores["Attack"], scores.pop("Abduction/forced disappearance"))
    # "Three were killed in the clash and two others were arrested": arrests in a fight are part of the battle.
    if "Arrests" in scores and peak.get("Armed clash", 0) >= 3:
        # (The clash may already have been folded into territory taken: the arrests join that.)
        battle = "Armed clash" if "Armed clash" in scores else "Government regains territory"
        scores[battle] = max(scores.get(battle, 0), scores.pop("Arrests"))
    # Weak words alone ("attack", "killed") make no event: one strong trigger or two weak ones.
    scores = {k: v for k, v in scores.items() if v >= 2 and (peak.get(k, 0) >= 2 or v >= 2.5)}
    if not scores:
        return None
    # Equal scores: the more specific type, then the trigger of the main clause, which comes first.
    sub = max(scores, key=lambda s: (scores[s], -_RANK.get(s, 99), -best_trigger[s][1].start))
    return sub, float(scores[sub]), best_trigger[sub][1]


_COMMA_OR_SEMICOLON = re.compile(r"[,;]")
# Where a new clause opens before the trigger.
_CLAUSE_OPENER = re.compile(r"[;:]|,\s+(?:but|while|whereas|and)\s|\bbut\b|\bwhile\b|\bafter\b|\bfollowing\b|\bas\b")
_GOOD_OUTCOME = re.compile(r"benefit|help|mean|allow|pave", re.I)
_WILL = re.compile(r"\b(?:will|would)\b", re.I)
_SOON = re.compile(r"in (?:the )?(?:coming|near)|soon", re.I)
_PAST_CUE = re.compile(r"(?:19|20)\d\d|\bago\b|\blast\b|\bearlier\b|\bprevious|\b(?:months|years)$|\bso far\b|\bto date\b|"
                       r"\bin total\b|\b(?:the|this) year\b", re.I)
# "killed ... since January": a running total; "since Saturday" is this week's fighting, told on.
_SINCE_PAST = re.compile(r"since\s+(?!(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last night|"
                         r"dawn|this|the morning|morning|early)\b)", re.I)


_SPEECH_VERB = re.compile(r"\b(?:said|says|say|told|tells|added|stated|recalled|recounted|explained)\b", re.I)


@functools.lru_cache(maxsize=256)
def _week_before(date: str) -> str:
    """The ISO day a week before an ISO day: one report's sentences all ask for the same."""
    return (dt.date.fromisoformat(date) - dt.timedelta(days=7)).isoformat()


def _modality(report: Report, sentence: Sentence, trigger: Mention, cues_: list[Mention],
              dates: list[Mention] = ()) -> tuple[str, str | None]:
    """The modality of the claim the trigger makes, from cues in its clause."""
    text = report.clean_text
    # "A man who survived an attack last year said bandits abducted 20 villagers": a speaker's own
    # story, told before the speech verb, does not frame what the speaker reports after it.
    # (A cue holding the verb, "analysts say", is the speaker's frame and still counts.)
    speech = [m.start() for m in _SPEECH_VERB.finditer(text, sentence.start, trigger.start)]
    if speech:
        cues_ = [c for c in cues_ if c.end > speech[-1] or c.value == "hearing"]
        dates = [d for d in dates if d.end > speech[-1]]
    if report.date:
        # A date in the sentence more than a week before the report dates the act to the past.
        limit = _week_before(report.date)
        for d in dates:
            if d.value and d.value < limit and (d.end <= trigger.start or not _COMMA_OR_SEMICOLON.search(text[trigger.end:d.start])):
                return BACKGROUND, d.text
    baseless = _BASELESS.search(text, trigger.end, sentence.end) if _REPORTS_OF.search(text, sentence.start, trigger.start) else None
    if baseless:
        # "reports ... claiming that security forces had opened fire on residents were 'completely baseless'"
        return NEGATED, baseless.group(0)
    if sentence.text.rstrip(" \"'”’)").endswith("?") and not _CLAUSE_BREAK.search(text, trigger.end, sentence.end):
        # "Who else is fighting the Taliban?", "Will the ceasefire hold?": a question asserts no act.
        # ("Suicide attack kills five - who are IS-K?": the question is a clause of its own.)
        return OPINION, "?"
    # A cue after the trigger that points to the future ("in the coming days") also counts.
    tail = text[trigger.end:sentence.end]
    modal = _MODAL_AFTER.match(tail)
    words = trigger.text.lower().split()
    # "captured the town": a verb phrase's first word is its verb.
    verb_like = any(w.endswith("ed") or w in _PAST_VERBS for w in words[:1] + words[-1:])
    if modal and not verb_like and not _WHAT_WOULD.search(modal.group(0)):
        return (OPINION if _GOOD_OUTCOME.search(tail[:80]) else PLANNED), modal.group(0).strip()
    if not verb_like:
        # "Talks on a truce, backed by the US and Egypt, are expected to resume"; "Ceasefire talks to
        # resume": the act named as a subject is what is expected.
        later = _EXPECTED_AFTER.match(tail)
        if later:
            return PLANNED, later.group("cue") or later.group("cue2")
    if not verb_like and any(not _WHAT_WOULD.match(tail, max(0, w.start() - 5), w.end())
                             and not _SPEECH_VERB.search(tail, 0, w.start()) for w in _WILL.finditer(tail)):
        # "with the liberation of X, the army will be able to ...": a nominal act in a future frame --
        # not "..., the ministry said, in what would be the deadliest attack".
        return PLANNED, "will"
    if not cues_:
        return ASSERTED, None
    clause_start = sentence.start
    # The clause runs from the last strong boundary before the trigger.
    before = text[sentence.start:trigger.start]
    for m in _CLAUSE_OPENER.finditer(before):
        clause_start = sentence.start + m.end()
    for cue in cues_:
        if cue.value == "hearing":
            return BACKGROUND, cue.text  # "..., a court heard": a crime being tried, not news of the day
        bare = _BARE_MONTH.fullmatch(cue.text) if cue.value == BACKGROUND and report.date else None
        if bare and MONTHS.index(bare.group(1).lower()) + 1 == int(report.date[5:7]):
            continue  # "in June" in a June report: this month's news
        if cue.value == BACKGROUND and _MONTH_YEAR.search(cue.text) and report.date:
            # "in May 2017" is background only when that month is over by the report's date.
            my = _MONTH_YEAR.search(cue.text)
            cue_month = (int(my.group(2)), MONTHS.index(my.group(1).lower()) + 1)
            if cue_month >= (int(report.date[:4]), int(report.date[5:7])):
                continue
        if cue.value == BACKGROUND and report.date and (y := _THE_YEAR.search(cue.text)) \
                and int(y.group(1)) >= int(report.date[:4]):
            continue  # "since the 2025 election" in a 2025 report: this year's news
        in_clause = clause_start <= cue.start < trigger.start
        after = trigger.end <= cue.start < sentence.end and cue.value == PLANNED and _SOON.match(cue.text)
        if cue.value == BACKGROUND and (cue.end <= trigger.start or (
                trigger.end <= cue.start and not _COMMA_OR_SEMICOLON.search(text[trigger.end:cue.start])
                and (_PAST_CUE.search(cue.text) or _SINCE_PAST.match(text, cue.start)))):
            # After the act only a date ("in 2016", "two years ago") moves it to the past;
            # "after six months of cooperation" says how long something lasted.
            # "in 2016", "had earlier" before the act, or in its own clause, date the claim.
            return BACKGROUND, cue.text
        if cue.value == "reaction" and (cue.end <= trigger.start or (
                _PASSIVE_CLAIM.match(cue.text) and 0 <= cue.start - trigger.end <= 12)):
            # "claimed responsibility for", "condemned", "denied", "the attack was claimed by":
            # a statement about an event.
            return OPINION, cue.text
        if in_clause or after:
            if cue.value == NEGATED and trigger.start - cue.end > 40:
                continue
            return (OPINION if cue.value == "reaction" else cue.value), cue.text
    return ASSERTED, None


_PASSIVE_CLAIM = re.compile(r"(?:was|were|has|have|had)\b.*\bclaimed$", re.I)
_AFFILIATE = prefiltered(r"\b(?:linked|affiliated|allied|loyal|tied|close|aligned|belonging)\s+(?:to|with)\s+(?:the\s+)?$|\b(?:backed|supported|sponsored)\s+by\s+(?:the\s+)?$", re.I)
# (A speech verb also ends the speaker's clause: "Residents who fled said RSF fighters looted homes".)
_CLAUSE_BOUNDARY = re.compile(r"[;:]|,\s|\bthat\b|\bwhile\b|\bwhereas\b|\bafter\b|\bas\b|\bwhen\b|\bbut\b|"
                              r"\b(?:said|says|told|reported|claimed|added)\b", re.I)


def _tail_may_hold(window: str, words: tuple[str, ...], n: int) -> bool:
    """Whether one of the last n whitespace-separated words of `window` may end with one of `words`.

    A cheap necessary test for the patterns anchored at the end of the window (_AFFILIATE,
    _TARGET_PREP, _AGENT_PREP): each ends "<word> [the] [one or two words]", every part followed by
    whitespace.  Words with non-ASCII letters are let through: re.I may fold them to ASCII."""
    for token in window.split()[-n:]:
        if not token.isascii() or token.lower().endswith(words):
            return True
    return False


_AFFILIATE_WORDS = ("to", "with", "by")
_TARGET_PREP_WORDS = ("against", "on", "at", "with", "targeting", "targeted", "upon", "into", "toward", "towards",
                      "from", "of")


def _affiliated(left: str) -> bool:
    return _tail_may_hold(left, _AFFILIATE_WORDS, 2) and _AFFILIATE.search(left) is not None


# "to" + a verb; "set fire to a police station" is no purpose ("to" + a determiner or a number).
_PURPOSE_CLAUSE = re.compile(r"\b(?:to|in order to|so as to)\s+(?!(?:the|a|an|its|their|his|her|our|this|that|these|those|"
                             r"several|some|two|three|four|five|dozens|hundreds|\d+)\b)\w+(?<!ed)\b")
_NO_PURPOSE = re.compile(r"\s*(?:back|death)\b")


@functools.lru_cache(maxsize=1024)
def _opens_operation(phrase: str) -> bool:
    """The trigger phrase opens an operation ("launched an offensive"); trigger phrases recur, so remembered."""
    return _OPERATION_START.fullmatch(phrase) is not None


def _purpose_limit(text: str, start: int, end: int) -> int:
    """Where a purpose clause ("to pave the way for ...") begins after start, else end."""
    m = _PURPOSE_CLAUSE.search(text[start:end])
    if m and not _NO_PURPOSE.match(text[start + m.end():start + m.end() + 6]):
        return start + m.start()
    return end


def _armed_in_clause(text: str, sent: Sentence, trigger: Mention, agents: list[Mention]) -> bool:
    """An armed target named in the act's clause, other than its agents ("attacked a checkpoint, killing five people")."""
    trailing = _TRAILING_CLAUSE.search(text, trigger.end, sent.end)
    end = trailing.start() if trailing else sent.end
    return any(not any(a.start <= m.start() < a.end + 6 for a in agents)  # "Rapid Support Forces (RSF)"
               for m in _ARMED_TARGET.finditer(text, sent.start, end))


_SPEAKER_WHO = re.compile(r"\bwho\s[^.;\"“”]{0,80}?\b(?:said|says|say|told|recounted|described)\b", re.I)
_TRAILING_CLAUSE = re.compile(r",\s+(?:(?:as|while|amid|whereas|even as)\s+(?!well\b|part\b|of\b)"
                              r"|(?:(?:just|only|two|three|four|five|several|a few|some)\s+)?(?:days?|weeks?|months?|hours?|a day|a week)"
                              r"\s+(?:after|before)\s)", re.I)

_OF_END = re.compile(r"\bof\s+(?:the\s+)?$")
_COORDINATED = re.compile(r"[\s,]*(?:and|,|&|as well as|along with|alongside|together with)[\s\w'’-]{0,25}")
_BETWEEN_END = re.compile(r"\bbetween\s+(?:the\s+)?(?:(?:rival|two|opposing|competing|various|several)\s+)?$")
# "air attacks of the Russian jets": the act's own agent; not "the village of Jinderes from the YPG".
_OF_BY_GAP = re.compile(r"\s*(?:of|by)\s+(?:the\s+)?(?:(?!(?:from|to|in|into|at|on|against|with|near)\s)[\w'’-]+\s+){0,2}")
_AND_GAP = re.compile(r"\s*(?:and|,)\s*")
_PASSIVE_END = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$")
_BY_NEXT = re.compile(r"\s+by\b")
_TEMPORAL_END = re.compile(r"\b(?:after|before|while|upon|when|since)\s+$")
_OF_BY_NEXT = re.compile(r"\s*(?:of|by)\b")


def _actor_roles(report: Report, sentence: Sentence, pivot: Mention, actors: list[Mention]):
    """Agent and target actor mentions: the subject of the action's clause, and its objects.

    The subject is the first actor of the clause that holds the action; actors
    coordinated with it are associates.  Actors named after the action are its
    objects, unless "by"/"of" marks them as its agent ("air attacks of the Russian jets").
    Actors in a purpose clause after the action ("to pave the way for the Turkish Army")
    are not parties to it.
    """
    text = report.clean_text
    # An operation's purpose names its target ("an operation to hit X's positions").
    operation = _opens_operation(pivot.text)
    limit = sentence.end if operation else _purpose_limit(text, pivot.end, sentence.end)
    # "..., as fighting for the last army stronghold intensified": a trailing clause tells of other acts.
    trailing = _TRAILING_CLAUSE.search(text, pivot.end, limit)
    if trailing:
        limit = trailing.start()
    # An actor phrase that runs into the action ("Russian missiles hit") is its subject.
    before = [a for a in actors if a.end <= pivot.start or a.start <= pivot.start < a.end]
    # The clause of the action starts at the last boundary that still leaves an actor before it.
    clause_start = sentence.start
    last_actor = max((a.start for a in before), default=-1)
    for b in _CLAUSE_BOUNDARY.finditer(text, sentence.start, pivot.start) if before else ():
        if b.end() > last_actor:
            break  # boundaries come in order: no later one leaves an actor before it either
        clause_start = b.end()
    agents, targets = [], []
    for am in before:
        left = text[max(sentence.start, am.start - 40):am.start]
        if am.start < clause_start:
            continue
        if agents and _affiliated(left):
            agents.append(am)
            continue
        if _tail_may_hold(left, _TARGET_PREP_WORDS, 4) and _TARGET_PREP.search(left) \
                and not _OF_END.search(left):
            targets.append(am)
        elif agents and not _COORDINATED.fullmatch(text[agents[-1].end:am.start]):
            targets.append(am)  # the object of an intermediate verb ("stormed ISIL's lines and won back")
        else:
            agents.append(am)
    after_agents = []
    for am in actors:
        if am in before or am.start >= limit:
            continue
        left = text[max(sentence.start, am.start - 40):am.start]
        between = text[pivot.end:am.start]
        if _affiliated(left):
            agents.append(am)  # "militants linked to al-Qaeda": an associate of the agent
            continue
        if _BETWEEN_END.search(left) and not after_agents:
            after_agents.append(am)  # "clashes between X and Y": X is one side, Y (a target) the other
            continue
        if _OF_BY_GAP.fullmatch(between) or (
                after_agents and _AND_GAP.fullmatch(text[after_agents[-1].end:am.start])
                and not _BETWEEN_END.search(text[max(sentence.start, after_agents[-1].start - 12):after_agents[-1].start])):
            after_agents.append(am)  # "air attacks of the Russian and Syrian jets": the act's own agent
        elif _tail_may_hold(left, ("by",), 4) and _AGENT_PREP.search(left):
            agents.append(am)
        else:
            targets.append(am)
    if _PASSIVE_END.search(text[max(sentence.start, pivot.start - 30):pivot.start]) \
            or pivot.text.lower().startswith(("was ", "were ", "been ", "is ", "are ")) \
            or _BY_NEXT.match(text[pivot.end:pivot.end + 5]):
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
    if _TEMPORAL_END.search(text[max(sentence.start, pivot.start - 10):pivot.start]) \
            and pivot.text.lower().endswith("ing"):
        # "After capturing the wells, the Tiger Forces advanced": the subject of the main
        # clause, after the comma, did the capturing.
        comma = text.find(",", pivot.end, sentence.end)
        subject = next((a for a in targets if comma >= 0 and a.start > comma), None)
        if subject is not None and not agents:
            targets.remove(subject)
            agents.insert(0, subject)
    if not agents and not before and targets and _OF_BY_NEXT.match(text[pivot.end:targets[0].start]):
        agents.append(targets.pop(0))
    targets.sort(key=lambda x: abs(x.start - pivot.end))
    return agents, targets


_HOW_CLAUSE = re.compile(r"\b(?:when|as|after)\s+(?:suspected\s+|armed\s+|unidentified\s+|the\s+)?$", re.I)
_WAS_END = re.compile(r"\b(?:was|were|been)\s+$")


def _pivot(report: Report, triggers: list[tuple[Mention, Trigger]], chosen: Mention, actors: list[Mention]) -> Mention:
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
        if (last.endswith("ed") or last in _PAST_VERBS) and (passive or any(a.start > t.end for a in actors)):
            return t
    return chosen


# A sentence that sums up many acts: over a country, over days, over several places.
_AGGREGATE = re.compile(
    r"\b(?:across|throughout|all over)\s+(?:the\s+)?(?:country|nation|region|[A-Z]\w+)"
    r"|\bover the (?:past|last) (?:day|24 hours|\w+ days|week|weekend)"
    r"|\bin (?:several|various|multiple|a number of|different|many) (?:regions|provinces|areas|cities|towns|districts|parts|oblasts|states)"
    r"|\bnationwide\b")

_INCLUDING_IN = re.compile(r"\bincluding\s+((?:at least\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
                           r"eleven|twelve|a dozen|dozens|\w+teen|twenty))\s+[^.;]{0,80}?\b(?:in|at|near)\b", re.I)

_SUBORDINATE_BEFORE = re.compile(r"\b(?:after|before|when|while|as|since|because|once)\s+(?:the\s+)?$", re.I)

_ARMED_TYPES = {"state_forces", "rebel_group", "political_militia", "pro_government_militia", "identity_militia",
                "external_forces", "rioters", "protesters"}


@functools.cache
def _non_political_re() -> re.Pattern:
    return prefiltered(cues()["non_political"], re.I)


def _non_political(sent: Sentence, actors: list[Mention], sources: list[Mention],
                   scope: SentenceSearch | None = None) -> bool:
    """A disaster, accident or crime scene with no armed or political actor in it."""
    found = (scope.search(_non_political_re(), sent.start, sent.end, sent.text) if scope is not None
             else _non_political_re().search(sent.text))
    if not found:
        return False
    for a in actors:
        if any(a.start < s.end and a.end > s.start for s in sources):
            continue  # "police said" names a source, not a party
        if _armed(a.value):
            return False
    return True


_SUBJECT_GAP = re.compile(r"(?:'s|’s)?\s+(?:(?:has|have|had|reportedly|also|again|allegedly|then|later|now)\s+)*")


def _country_subject(report: Report, sent: Sentence, trigger: Mention, places: list[Mention]) -> str | None:
    """'Turkey has shelled ...', 'Israel struck ...': a country right before the act is its agent."""
    text = report.clean_text
    for m in places:
        pm = report.places[m.value]
        if pm.place is None or pm.place.feature != "country" or m.end > trigger.start:
            continue
        if _SUBJECT_GAP.fullmatch(text[m.end:trigger.start]):
            return pm.place.country_code
    return None


def _recent_opponent(report: Report, sent: Sentence, actor1: Mention | None) -> Mention | None:
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
        if getattr(m.value, "actor_id", None) and not _same_actor(m, actor1):
            if m.value.type in ("rebel_group", "political_militia", "identity_militia", "pro_government_militia"):
                return m
            fallback = fallback or m
    return fallback


def actor_inherited_target(actor, sent: Sentence) -> bool:
    """True when the target was carried over from an earlier sentence rather than named here."""
    return actor is not None and not (sent.start <= actor.start < sent.end)


def _heads(text: str, actors: list[Mention]) -> list[Mention]:
    """Actor mentions without the modifier of each pair that stands side by side."""
    drop = set()
    for a, b in zip(actors, actors[1:]):
        if 0 < b.start - a.end <= 2 and not text[a.end:b.start].strip():
            named_a, named_b = getattr(a.value, "actor_id", None), getattr(b.value, "actor_id", None)
            drop.add(id(b) if named_a and not named_b else id(a))
    return [a for a in actors if id(a) not in drop] if drop else actors


def _speaker_of_others_act(report: Report, actor: Mention, sources: list[Mention], trigger: Mention,
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


def _state_of(actor: Mention, country: str) -> bool:
    """The mention names a state force (military, police) of the country."""
    value = actor.value
    return getattr(value, "country", None) == country and getattr(value, "type", None) in (
        "state_forces", "external_forces")


_ITS_BEFORE = re.compile(r"\b(?:its|their)\s+(?:own\s+)?$", re.I)


def _own_forces(report: Report, sent: Sentence, actors: list[Mention], places: list[Mention]) -> None:
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


_NON_STATE_ARMED = {"rebel_group", "political_militia", "pro_government_militia"}  # (communal vigilantes may be a mob)
_RECIPROCAL = re.compile(r"\b(?:exchang\w*|clash\w*|fought|battl\w*|skirmish\w*|gun ?battle|firefight|signed|agreed|reached)", re.I)


def _same_side(a, b) -> bool:
    """The same actor, or forces of the same kind and country ("Russian attacks", "Russian forces")."""
    return _same_actor(a, b) or (a.value.country is not None and a.value.country == b.value.country
                                 and getattr(a.value, "type", None) == getattr(b.value, "type", None))


def _same_actor(a, b) -> bool:
    if a is None or b is None:
        return False
    return (a.value.actor_id or a.value.generic, a.value.country) == (b.value.actor_id or b.value.generic, b.value.country)


def _casualties(numbers: list[Mention], text: str = "") -> tuple[int | None, int | None]:
    def first(role: str) -> int | None:
        counts = [m for m in numbers if m.role == role and m.value is not None]
        # "A landmine explosion killed four children": the article counts the mine, a figure the dead.
        figures = [m for m in counts if m.text.lower() not in ("a", "an")] or counts
        if not figures:
            return None
        total = figures[0].value
        # "Two policemen were martyred and three militants killed": the dead of both sides add up.
        for a, b in zip(figures, figures[1:]):
            if _TOLL_AND.fullmatch(text, a.end, b.start) and not _TOLL_SUBSET.search(text, a.end, b.start):
                total += b.value
            else:
                break
        return total

    return first("killed"), first("injured")


def _none_killed(report: Report, sent: Sentence) -> bool:
    """"No casualties were reported", in the sentence or in a short one after it in its paragraph
    ("A drone hit a warehouse in Odesa. There were no casualties."): ACLED codes none as 0."""
    if _NO_DEAD.search(sent.text):
        return True
    nxt = report.sentences[sent.index + 1] if sent.index + 1 < len(report.sentences) else None
    return nxt is not None and nxt.paragraph == sent.paragraph and len(nxt.text) < 80 and _NO_DEAD.search(nxt.text) is not None


# Between two death counts of one act: the first count's noun and verb, then "and" ("... were killed and").
_TOLL_AND = re.compile(r"\s+(?:[\w'’-]+\s+){1,4}?(?:killed|dead|died|martyred|slain)\s*,?\s+and\s+", re.I)
_TOLL_SUBSET = re.compile(r"\b(?:including|among|of whom|of them|out of)\b", re.I)
_NO_DEAD = re.compile(r"\b(?:no (?:casualties|deaths|fatalities|one was (?:killed|hurt|injured)|injuries or deaths)|"
                      r"without (?:causing )?casualties|caused no casualties|nobody was (?:killed|hurt|injured)|"
                      r"no (?:immediate )?reports? of (?:casualties|deaths))\b", re.I)


def _quotes(report: Report, line: int) -> list[tuple[int, int]]:
    """The quotations of a line (1-based), as spans of report.clean_text."""
    line_start = report.line_starts[line - 1]
    line_end = line_start + len(report.lines[line - 1])
    # Scare quotes around one word ('had "liberated" the settlement') quote no speaker.
    return [q.span() for q in _QUOTE.finditer(report.clean_text, line_start, line_end) if " " in q.group()]


def _counted_triggers(report: Report, sent: Sentence, ms: dict[str, list[Mention]],
                      scope: SentenceSearch | None = None) -> list[tuple[Mention, Trigger]]:
    """Triggers that speak of an act: not part of a name, a quotation, a unit name or an aim."""
    text = report.clean_text
    mentioned = ms.get("trigger", [])
    # Inside a name a trigger word is part of the name ("Liberation Front"); generic nouns such
    # as "protesters", "rioters" or "suicide bombers" are both an actor and a sign of the act.
    # A weapon noun that ends an actor phrase ("Syrian Air Force warplanes", "Russian missiles")
    # is still the act's trigger.
    names = [a for a in ms.get("actor", []) if getattr(a.value, "actor_id", None)] + ms.get("place", [])
    quotes = _quotes(report, sent.line) if mentioned else []
    out: list[tuple[Mention, Trigger]] = []
    for t in mentioned:
        if _overlaps(t, names) and not any(n.start < t.start and t.end == n.end for n in names):
            continue
        if any(qs <= t.start < qe for qs, qe in quotes):
            continue
        after = text[t.end:t.end + 40]
        if t.text.lower().startswith(("fight", "fought", "battl", "combat")) and _NOT_A_FIGHT.match(after):
            continue  # fighting fires, corruption or a disease
        if _CAMPAIGN_AFTER.match(after):
            # "the bombing campaign", "the air war": a summary of many acts, not one act.
            out.extend([(t, Trigger(trig.phrase, trig.sub_event_type, 1)) for trig in t.value])
            continue
        if _UNIT_AFTER.match(after):
            # "missile units opened fire": the weapon says how, weakly; it is not the act.
            out.extend([(t, Trigger(trig.phrase, trig.sub_event_type, 1)) for trig in t.value])
            continue
        if _is_purposive(text[max(sent.start, t.start - 60):t.start]) and not (
                _AGREED_TO.search(text, max(sent.start, t.start - 40), t.start)
                and any(trig.sub_event_type == "Agreement" for trig in t.value)):
            continue  # ("agreed to a ceasefire" is the agreement itself, not its aim)
        subs = {trig.sub_event_type for trig in t.value}
        if subs & _TERRITORY and (_NOT_TERRITORY_AFTER.match(text, t.end) or (
                t.text.lower().startswith(("fell to", "fall to", "falls to")) and _NUMBER_AFTER.match(text, t.end))):
            continue  # "fell to 41 percent", "captured on camera"
        if "Abduction/forced disappearance" in subs and _RESCUED_BEFORE.search(text, max(sent.start, t.start - 30), t.start):
            continue  # "rescued 12 kidnapped victims": a rescue, not an abduction
        if "Agreement" in subs and _BROKEN_DEAL_BEFORE.search(text, max(sent.start, t.start - 30), t.start):
            continue  # "a violation of the ceasefire": the agreement is old news, its breach the story
        if "Arrests" in subs and _ATTRIBUTIVE_BEFORE.search(text, max(sent.start, t.start - 12), t.start) \
                and _NOUN_AFTER.match(text, t.end):
            continue  # "family members of detained lawyers": people held before, not an arrest told now
        if t.text.lower().startswith("execut") and (_THINGS_BEFORE.search(text, max(sent.start, t.start - 40), t.start)
                                                     or _THINGS_AFTER.match(text, t.end)):
            continue  # "the projects have been executed", "executed the plan": carried out, not killed
        if t.text.lower() == "riot" and _RIOT_GEAR.match(text, t.end):
            continue  # "riot police": the police's kit, not a riot
        if "Attack" in subs and t.text.lower().startswith("abuse") and _ABUSE_OF_OFFICE.match(text, t.end):
            continue  # "abused her authority"
        if "Arrests" in subs and not _political(report, sent, ms, scope):
            continue  # "McGregor was arrested and charged with assault": a police matter
        if "Looting/property destruction" in subs and _theft_re().match(t.text.lower()) \
                and not _armed_party(ms) and not _unrest_re().search(sent.text):
            continue  # "$4.5 billion was stolen from the fund": a crime, not looting
        if _SUPPORT.search(text[max(sent.start, t.start - 40):t.start]):
            # "backed by heavy airstrikes, troops stormed X": the support is not the act.
            out.extend([(t, Trigger(trig.phrase, trig.sub_event_type, 1)) for trig in t.value])
            continue
        if any(trig.weight == 1 and trig.sub_event_type == "Government regains territory" for trig in t.value):
            obj = next((a for a in ms.get("actor", []) if t.end <= a.start <= t.end + 5), None)
            if obj is not None and getattr(obj.value, "type", None) not in (None, "civilians") \
                    and _OUT_OF.match(text, obj.end):
                out.extend([(t, Trigger(trig.phrase, trig.sub_event_type, 2 if trig.weight == 1 else trig.weight))
                            for trig in t.value])
                continue
        out.extend([(t, trig) for trig in t.value])
    op = (scope.search(_OPERATION_START, sent.start, sent.end, sent.text) if scope is not None
          else _OPERATION_START.search(sent.text))
    crowd = (scope.search(_CROWD_VIOLENCE, sent.start, sent.end, sent.text) if scope is not None
             else _CROWD_VIOLENCE.search(sent.text))
    if (op or crowd) and not mentioned:
        quotes = _quotes(report, sent.line)  # not needed until now
    if op and not any(qs <= sent.start + op.start() < qe for qs, qe in quotes) \
            and not _is_purposive(sent.text[max(0, op.start() - 60):op.start()]) \
            and not _CIVIL_OPERATION.search(op.group(0)):
        m = Mention("trigger", sent.start + op.start(), sent.start + op.end(), op.group(0), sent.index, ())
        out.append((m, Trigger(op.group(0).lower(), "Armed clash", 2)))
    if crowd and not any(qs <= sent.start + crowd.start() < qe for qs, qe in quotes) and not any(
            _armed(a.value, crowds=False) for a in ms.get("actor", []) if a.start <= sent.start + crowd.start()):
        # (An armed group or gang setting homes on fire attacks them: no crowd is at work.)
        m = Mention("trigger", sent.start + crowd.start(), sent.start + crowd.end(), crowd.group(0), sent.index, ())
        out.append((m, Trigger(crowd.group(0).lower(), "Mob violence", 3)))
    return out


# "Mali's army said on Sunday it had killed 32 militants": a force that tells of its own act.
_SELF_REPORT = re.compile(r"\s+(?:also\s+)?(?:said|says|announced|claimed|reported|stated)\s+(?:on\s+\w+\s+|in a statement\s+)?"
                          r"(?:that\s+)?(?:it|they|its|their)\b", re.I)
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:of|the|a|an|her|his|their|its|our|two|three|several|other|all|many|jailed)\s+$", re.I)
_NOUN_AFTER = re.compile(r"\s+(?!(?:on|in|at|by|for|after|during|near|over|from|with|and|or|the|a|an|his|her|their|its|"
                         r"two|three|four|five|last|this|yesterday|today|overnight|since|until|when|while|as|without|"
                         r"under|amid|was|were|is|are|had|has|have)\b)[a-z]+\b")
_THINGS = r"(?:projects?|plans?|orders?|contracts?|works?|programmes?|programs?|tasks?|schemes?|warrants?|strateg(?:y|ies)|agreements?|deals?|budgets?|decisions?|policies|policy|reforms?|transactions?|trades?|code|scripts?|commands?|instructions?)"
_THINGS_BEFORE = re.compile(_THINGS + r"\s+(?:have\s+|has\s+|had\s+)?(?:been\s+|were\s+|was\s+|are\s+|is\s+)?(?:\w+ly\s+)?$", re.I)
_THINGS_AFTER = re.compile(r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:\w+\s+)?" + _THINGS + r"\b", re.I)
_RIOT_GEAR = re.compile(r"\s+(?:police|policemen|gear|squads?|control|shields?|officers?|units?|troops|act)\b", re.I)
_ABUSE_OF_OFFICE = re.compile(r"\s+(?:his|her|their|its|the)\s+(?:authority|power|powers|position|office|trust|privileges|"
                              r"mandate|discretion|role)\b", re.I)
_AGREED_TO = re.compile(r"\b(?:agreed|agrees|agree|consented|committed|signed up|acceded)\s+to\s+(?:[\w-]+\s+){0,2}$", re.I)
_BROKEN_DEAL_BEFORE = re.compile(r"\b(?:violat\w*|breach\w*|broke|broken|breaking|collaps\w*|end(?:ed|ing)?|abandon\w*|"
                                 r"despite|under|renew\w*)\s+(?:of\s+)?(?:the\s+|a\s+|an\s+|its\s+|their\s+)?$", re.I)
_RESCUED_BEFORE = re.compile(r"\b(?:rescued|freed|released|reunited|liberated|recovered|returned)\s+(?:[\w'’-]+\s+){0,3}$", re.I)
# "the Kaduna-Abuja highway": the places a road joins are not where an event on it is.
_ROUTE_AFTER = re.compile(r"\s*[-–]\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?\s+(?:highway|road|expressway|motorway|railway|rail line|"
                          r"pipeline|corridor|route|freeway|bypass)\b")
_ROUTE_END = re.compile(r"\s+(?:highway|road|expressway|motorway|railway|rail line|pipeline|corridor|route|freeway|bypass)\b")
# "attacked Kurya village in Bungudu": the event is near the place named, in an unknown smaller one.
_UNKNOWN_PLACE_IN = re.compile(r"\b[A-Z][\w'’-]+\s+(?:village|town|township|community|settlement|hamlet|camp|locality|commune)\s+(?:in|of|near)\s+(?:the\s+)?$")
_MASS_ARREST = re.compile(r"\b(?:[2-9]\d|\d{3,}|\d{1,3}(?:,\d{3})+)\s+(?:\w+\s+)?(?:people|persons|individuals|suspects|men|"
                          r"women|youths?|students|demonstrators|supporters|members|civilians|residents|villagers)\b", re.I)
_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"}


@functools.cache
def _political_re() -> re.Pattern:
    return prefiltered(cues()["political_signal"], re.I)


@functools.cache
def _unrest_re() -> re.Pattern:
    return re.compile(cues()["unrest_signal"], re.I)


@functools.cache
def _theft_re() -> re.Pattern:
    return re.compile(cues()["theft"])


def _political_signal(sent: Sentence, scope: SentenceSearch | None) -> bool:
    regex = _political_re()
    return (scope.search(regex, sent.start, sent.end, sent.text) if scope is not None else regex.search(sent.text)) is not None


_POLICE_GENERICS = frozenset({"police", "policemen", "authorities", "officers", "police officers"})


def _armed(value, crowds: bool = True) -> bool:
    """An armed actor (with crowds: rioters and protesters too) other than unnamed police and authorities."""
    types = _ARMED_TYPES if crowds else _ARMED_TYPES - {"rioters", "protesters"}
    if getattr(value, "police", False):
        return False  # "NYPD": a named police force is law enforcement, as unnamed police are
    return getattr(value, "type", None) in types and (
        bool(getattr(value, "actor_id", None)) or getattr(value, "generic", None) not in _POLICE_GENERICS)


_NOT_SOLDIERS = _POLICE_GENERICS | {"security forces", "riot police", "law enforcement", "security agents", "gendarmes"}


def _soldiers(value) -> bool:
    """An army or foreign troops, not the police or "security forces" who meet a riot."""
    return getattr(value, "type", None) in ("state_forces", "external_forces") and not getattr(value, "police", False) \
        and (getattr(value, "generic", None) or "") not in _NOT_SOLDIERS


def _armed_party(ms: dict[str, list[Mention]]) -> bool:
    """A named actor, or an armed, rioting or protesting one, other than the police and authorities."""
    return any((getattr(a.value, "actor_id", None) and not getattr(a.value, "police", False)) or _armed(a.value)
               for a in ms.get("actor", []))


def _political(report: Report, sent: Sentence, ms: dict[str, list[Mention]], scope: SentenceSearch | None) -> bool:
    """Whom or why an arrest is about is political: a political word, an armed or political party, or a mass arrest."""
    if _political_signal(sent, scope) or _armed_party(ms):
        return True
    return _MASS_ARREST.search(sent.text) is not None


def _merge_neighbourhoods(report: Report, places: list[Mention]) -> list[Mention]:
    """A neighbourhood named with its city stands for the city, as ACLED codes it."""
    cities = [m for m in places if report.places[m.value].place.feature in ("city", "town")]
    out = []
    for m in places:
        p = report.places[m.value].place
        if p.feature == "neighbourhood":
            host = next((c for c in cities if _near(report.places[c.value].place, p, km=12.0)), None)
            if host is not None:
                continue
        out.append(m)
    return out


# "The airstrikes ...", "in these attacks": the act was told before.
_DEFINITE_OPENING = re.compile(r"\s*(?:the|these|those|such|this|that)\s+(?:\w+\s+){0,2}", re.I)
# "one of its fighters had carried out the bombing": the act told before, its author named.
_DID_THE = re.compile(r"\b(?:carried out|conducted|perpetrated|behind|responsible for|staged|claimed)\s+(?:the|this|that)\s+"
                      r"(?:[\w'’-]+\s+)?$", re.I)
_REPORTS_OF = re.compile(r"\b(?:reports?|claims?|allegations?|rumou?rs?)\b", re.I)
_BASELESS = re.compile(r"\b(?:were|was|are|is|as)\s+[\"“']?(?:\w+\s+)?[\"“']?(?:baseless|false|untrue|unfounded|fabricated|fake|lies)\b",
                       re.I)
_CLAUSE_BREAK = re.compile(r"\s[-–—]\s|[:;]\s")
_SAYS_AFTER = re.compile(r"(?:\W+[\w'’-]+){0,3}?\W+(?:said|says|told|reported|announced|claimed|stated|added)\b", re.I)
_WENT_ON = re.compile(r"\b(?:continued|went on|lasted|persisted|raged|carried on)\b", re.I)
_IN_THE_END = re.compile(r"\b(?:in|during|from)\s+(?:the|these|those|this)\s+$", re.I)


def _past_dates(report: Report, ms: dict[str, list[Mention]]) -> list[str]:
    """The days a sentence names, but for days still to come ("lawmakers will meet Friday")."""
    return [d.value for d in ms.get("date", []) if d.value and (report.date is None or d.value <= report.date)]


def find_events(report: Report) -> Report:
    """Fill report.drafts with one event candidate per (sentence action, location)."""
    per_sentence = _by_sentence(report)
    text = report.clean_text
    # Most reports hold no disaster or crime words at all: test the whole text once.
    maybe_non_political = bool(_non_political_re().search(text))
    # The sentence-wide cue searches are prefiltered once for the whole text.
    cue_search = SentenceSearch(text)
    drafts: list[Candidate] = []
    last_attr: str | None = None
    para_attr: dict[int, str] = {}
    para_place: dict[int, int] = {}  # paragraph -> last place index named in it
    section_place: dict[int, int] = {}  # section -> last place index named in it
    section_event_place: dict[int, int] = {}  # section -> place index of its last asserted event
    section_date: dict[int, str] = {}  # section -> date of its last dated asserted event
    para_date: dict[int, str] = {}  # paragraph -> a day its sentences without an event named
    heading_place: dict[str | None, int] = {}
    prev_agents: dict[int, Mention] = {}
    para_agents: dict[int, Mention] = {}
    prev_targets: dict[int, Mention] = {}
    last_place_any: int | None = None

    for sent in report.sentences:
        ms = per_sentence[sent.index]
        actors = ms.get("actor", [])
        place_mentions = ms.get("place", [])

        # The claim's source: explicit here, or carried from the paragraph / the last named source.
        attribution = None
        for a in ms.get("attribution", []):
            src = a.value
            if is_anaphoric(src):
                attribution = last_attr or para_attr.get(sent.paragraph)
            else:
                attribution = src
                last_attr = src
            break
        if attribution:
            para_attr[sent.paragraph] = attribution
        else:
            attribution = para_attr.get(sent.paragraph)

        _own_forces(report, sent, actors, place_mentions)
        valid_places = [p for p in place_mentions if report.places[p.value].place is not None
                        and not _overlaps(p, actors)]
        route = [p for p in valid_places if _ROUTE_AFTER.match(text, p.end) or (
            text[max(0, p.start - 1):p.start] in ("-", "–") and _ROUTE_END.match(text, p.end))]
        if route and len(route) < len(valid_places):
            valid_places = [p for p in valid_places if p not in route]
        if sent.heading and sent.heading not in heading_place:
            hp = [i for i, pm in enumerate(report.places)
                  if pm.place is not None and pm.start < sent.start and pm.text.strip() in sent.heading]
            if hp:
                heading_place[sent.heading] = hp[-1]

        triggers = _counted_triggers(report, sent, ms, cue_search)
        if triggers and not ms.get("trigger"):
            # An act found by its phrasing alone ("launched its campaign of strikes on March 15"): the mentions
            # stage read counts, dates and cues only where the lexicon named an act, so read them here.
            ms = dict(ms)
            ms["date"] = find_dates(sent.text, report.date, sent.start)
            ms["modality"] = find_modality(sent.text, sent.start)
            ms["number"] = find_numbers(sent.text, sent.start)
        speaker = _SPEAKER_WHO.search(text, sent.start, sent.end) if triggers else None
        if speaker and any(t.start >= speaker.end() for t, _ in triggers):
            # "Residents who fled the fighting said RSF fighters looted homes": the speakers' own story is
            # context; what they say happened is the act.
            triggers = [(t, tr) for t, tr in triggers if t.start >= speaker.end()]
        trailing = _TRAILING_CLAUSE.search(text, sent.start, sent.end) if triggers else None
        if trailing and any(t.start < trailing.start() for t, _ in triggers):
            # "RSF killed 40 people in an attack on the camp, as fighting for the city intensified": the
            # trailing clause tells of the wider war, not of this act.
            triggers = [(t, tr) for t, tr in triggers if t.start < trailing.start()]
        if triggers and maybe_non_political and _non_political(sent, actors, ms.get("attribution", []), cue_search):
            triggers = []
        decided = None
        if triggers:
            decided = _classify(triggers, sent.text,
                                lambda regex: cue_search.search(regex, sent.start, sent.end, sent.text) is not None)

        if decided is None:
            told = _past_dates(report, ms)
            if told:
                para_date[sent.paragraph] = told[0]  # "In a follow-up operation on Sunday morning, ..."
            story = _story_place(report, valid_places)
            if story is not None:
                para_place[sent.paragraph] = section_place[sent.section] = last_place_any = story
            if actors:
                prev_agents.setdefault(sent.section, actors[0])
                # "forces of the IRGC dismantled the team near Saravan. Three were killed in the clash": who
                # acts in the paragraph, even in a sentence that names no act of its own.
                # (Not a source: "According to the General Staff of Ukraine's Armed Forces, ...".)
                doers = [a for a in actors if getattr(a.value, "type", None) != "civilians"
                         and not _overlaps(a, ms.get("attribution", []))
                         and not _SAYS_AFTER.match(text, a.end, min(sent.end, a.end + 40))]
                if doers:
                    para_agents.setdefault(sent.paragraph, next((a for a in doers if getattr(a.value, "actor_id", None)),
                                                                doers[0]))
            continue
        sub, score, trigger = decided
        modality, cue = _modality(report, sent, trigger, ms.get("modality", []), ms.get("date", []))

        # A generic source ("police said") is not a party; a named group speaking of its own act is.
        sources = ms.get("attribution", [])
        # "three women suicide bombers": of two actor nouns side by side, the last is the head -- unless
        # the first is a name ("the al-Shabab attackers").
        actors = _heads(text, actors)
        parties = [a for a in actors if (getattr(a.value, "actor_id", None) or not _overlaps(a, sources)
                                         or _SELF_REPORT.match(text, a.end))
                   and not _speaker_of_others_act(report, a, sources, trigger, actors, place_mentions)
                   and not _TOLD_TO.search(text, max(sent.start, a.start - 12), a.start)
                   # "the settlement of Bogatyr in the Donetsk People's Republic": a republic named as where
                   and not ("Republic" in a.text and _LOCATIVE_THE.search(text, max(sent.start, a.start - 16), a.start))
                   # "shot dead ..., hours after the police said the emergency was bearing fruit": a later speaker
                   and not (a.start > trigger.end and _SPEAKS_NEXT.match(text, a.end))]
        agents, targets = _actor_roles(report, sent, _pivot(report, triggers, trigger, parties), parties)
        if agents:
            # "Houthis fired a missile at Jizan, the Saudi-led coalition said": who tells of another's act
            # is not its target.
            targets = [t for t in targets if not _overlaps(t, sources)]
        actor1 = agents[0] if agents else None
        assoc = [a for a in agents[1:] if not _same_actor(a, actor1)]
        actor2 = next((t for t in targets if not _same_actor(t, actor1)), None)
        if len(assoc) == 1 and actor1 is not None and _RECIPROCAL.search(text, assoc[0].end, min(sent.end, trigger.end + 30)) \
                and getattr(assoc[0].value, "country", None) is not None and not _same_side(assoc[0], actor1) \
                and (actor2 is None or getattr(actor2.value, "type", None) == "civilians"):
            # "M23 rebels and Congolese troops exchanged fire": the two subjects are the two sides.
            actor2, assoc = assoc[0], []
        inherited = False
        actor1_country = None
        if actor1 is None:
            actor1_country = _country_subject(report, sent, trigger, place_mentions)
            if actor1_country is not None and actor2 is not None and _state_of(actor2, actor1_country):
                # "Turkey has shelled a city as Turkish forces press on": the country's own forces are not its target.
                actor2 = next((t for t in targets if not _state_of(t, actor1_country)), None)
        if actor1 is None and actor1_country is None and sent.paragraph in para_agents:
            actor1, inherited = para_agents[sent.paragraph], True
        elif actor1 is None and sent.section in prev_agents and actor1_country is None:
            actor1, inherited = prev_agents[sent.section], True
        own = [a for a in parties if not _same_actor(a, actor1)]
        if actor2 is None and not own and sent.section in prev_targets \
                and not _same_actor(prev_targets[sent.section], actor1) \
                and (actor1 is None or inherited or sent.section not in prev_agents
                     or _same_side(actor1, prev_agents[sent.section])) \
                and (SUB_EVENT_TO_TYPE.get(sub) != "Battles"
                     or getattr(prev_targets[sent.section].value, "type", None) not in (None, "civilians")):
            # (A battle's other side is armed: the civilians of the last attack are not it.)
            actor2 = prev_targets[sent.section]
        if actor2 is None and SUB_EVENT_TO_TYPE.get(sub) == "Battles":
            # A battle has two sides: the other side is the armed group the section was just about.
            actor2 = _recent_opponent(report, sent, actor1)
        if modality == ASSERTED:
            if actor1 is not None:
                prev_agents[sent.section] = para_agents[sent.paragraph] = actor1
            if actor2 is not None:
                prev_targets[sent.section] = actor2

        # Civilian victims and no armed opponent: violence against civilians, not a battle;
        # armed victims of a killing: a battle, not violence against civilians.
        after = text[trigger.end:min(sent.end, trigger.end + 60)]
        victim_type = getattr(actor2.value, "type", None) if actor2 is not None \
            and not actor_inherited_target(actor2, sent) else None
        if victim_type is not None and getattr(actor2.value, "party", False):
            victim_type = "civilians"  # "gunmen shot dead a local Awami League leader": a party's members are civilians
        obj = text[trigger.end:min(sent.end, trigger.end + 45)]
        passive_victims = _PASSIVE_CIVILIANS.search(sent.text)  # "at least 11 people were killed when ..."
        if sub == "Armed clash":
            if victim_type == "civilians" or (_CIVILIAN_OBJECT.match(obj) and not _ARMED_VICTIMS.match(obj)) or (
                    actor2 is None and _CIVILIAN_VICTIM.search(after) and not _ARMED_TARGET.search(after)) or (
                    actor2 is None and _KILLED_CIVILIANS.search(sent.text) and not _armed_in_clause(text, sent, trigger, agents)
                    and not _RECIPROCAL.search(trigger.text)) or (  # (the dead of a clash between groups are its toll)
                    actor2 is None and passive_victims and not _RECIPROCAL.search(sent.text)):
                sub = "Attack"
        elif sub == "Attack":
            if (victim_type not in (None, "civilians") and not actor_inherited_target(actor2, sent)) or (
                    _ARMED_VICTIMS.match(after) and not _CIVILIAN_VICTIM.match(after.strip())
                    and not _BY_NEXT.match(after)  # ("shot dead by unidentified gunmen": the gunmen did it)
                    and not (passive_victims and sent.start + passive_victims.end() <= trigger.end)):
                sub = "Armed clash"

        if sub == "Armed clash" and _FIRED_ON.fullmatch(trigger.text) and (actor1_country is not None or (
                actor1 is not None and getattr(actor1.value, "type", None) in ("state_forces", "external_forces"))):
            # "Turkey fired on Qamishli": a state firing on a town, not on a force, shells it.
            object_place = _FIRED_AT_PLACE.match(text, trigger.end)
            if object_place and any(p.start == object_place.end() for p in valid_places):
                sub = "Shelling/artillery/missile attack"

        if sub in ("Mob violence", "Violent demonstration") and actor1 is not None and not actor_inherited_target(actor1, sent) \
                and (getattr(actor1.value, "type", None) in _NON_STATE_ARMED or _soldiers(actor1.value)) \
                and not getattr(actor1.value, "party", False):
            # (Troops who "set fire to 23 houses" destroy property; they do not riot.)
            # "Gang members set fire to homes and killed 12 people": an armed group's arson is no riot.
            sub = "Attack" if any(tr.sub_event_type == "Attack" for _, tr in triggers) else "Looting/property destruction"
        if sub == "Government regains territory" and trigger.text.lower().startswith("stormed") and actor1 is not None \
                and getattr(actor1.value, "type", None) not in ("state_forces", "external_forces") \
                and not any(tr.sub_event_type in _TERRITORY and tr.weight >= 2 and not t.text.lower().startswith("stormed")
                            for t, tr in triggers):
            # "the gunmen stormed the village": a raid, not a change of control, unless the text says it was taken.
            # ("stormed the base", "stormed a police station": an armed post's defenders fight.)
            armed_site = _ARMED_SITE.match(text, trigger.end, min(sent.end, trigger.end + 50))
            sub = "Attack" if victim_type in (None, "civilians") and not armed_site else "Armed clash"

        target_kind = None
        if actor2 is None:
            # The object starts after the trigger's verb ("attacked | a military post").
            verb_end = trigger.start + len(trigger.text.split()[0]) if trigger.text.split() else trigger.end
            m = _TARGET_KIND.match(text[verb_end:min(sent.end, verb_end + 50)])
            if m:
                target_kind = next(k for k, v in m.groupdict().items() if v)
            elif SUB_EVENT_TO_TYPE.get(sub) == "Violence against civilians" and (
                    _CIVILIAN_OBJECT.match(obj) or passive_victims):
                target_kind = "civilians"
        fatalities, injured = _casualties(ms.get("number", []), text)
        if fatalities is None and _none_killed(report, sent):
            fatalities = 0
        dates = _past_dates(report, ms)
        # An undated sentence continues the section's story: its last dated event's day.
        date = dates[0] if dates else para_date.get(sent.paragraph) or section_date.get(sent.section, report.date)

        # One event per distinct location named with the action; else the paragraph's place,
        # the section heading's, or (only its region is then known) the last one named.
        etype = SUB_EVENT_TO_TYPE.get(sub)
        acts = [trigger] + [t for t, tr in triggers if tr.weight >= 2 and t is not trigger
                            and SUB_EVENT_TO_TYPE.get(tr.sub_event_type) == etype]
        places = _event_places(report, sent, acts, _merge_neighbourhoods(report, valid_places), remote=sub in _REMOTE)
        scope = "sentence"
        if not places:
            idx, scope = para_place.get(sent.paragraph), "paragraph"
            if idx is None:
                # Told on without a place: where the section's last event was, else its last place.
                idx, scope = section_event_place.get(sent.section, section_place.get(sent.section)), "section"
            if idx is None:
                idx = heading_place.get(sent.heading)
            if idx is None:
                idx, scope = last_place_any, "document"
            places = [idx] if idx is not None else [None]
        elif any(_opens_operation(t.text) for t in acts) and report.places[places[0]].start > trigger.end:
            scope = "near"  # the place an operation sets out to take: fighting near it
        elif _UNKNOWN_PLACE_IN.search(text, max(sent.start, report.places[places[0]].start - 60), report.places[places[0]].start):
            scope = "near"  # "attacked Kurya village in Bungudu": somewhere in Bungudu
        elif _REGION_SIDES.search(text[max(sent.start, report.places[places[0]].start - 45):report.places[places[0]].start]):
            scope = "region"  # "the provincial border between Homs and Deir Ezzur" names provinces
        elif all(_wide_region(report.places[i].place) for i in places):
            # Only a wide region ("the depth of the Badiya"): the story goes on in the province
            # where the section's last event was placed, if that is a province of the same country.
            prev = section_event_place.get(sent.section)
            if prev is not None and prev not in places and report.places[prev].place.feature == "admin1" and \
                    report.places[prev].place.country_code == report.places[places[0]].place.country_code:
                places, scope = [prev], "section"
        story = _story_place(report, valid_places)
        if story is not None:
            para_place[sent.paragraph] = section_place[sent.section] = last_place_any = story
        names_author = scope != "sentence" and bool(_DID_THE.search(text, max(sent.start, trigger.start - 40), trigger.start))
        continues = scope != "sentence" and bool(_WENT_ON.search(text, trigger.end, sent.end))
        anaphoric = names_author or continues or scope != "sentence" and bool(
            _DEFINITE_OPENING.fullmatch(text[sent.start:trigger.start])
            or _IN_THE_END.search(text[max(sent.start, trigger.start - 20):trigger.start]))
        if modality == ASSERTED:
            if places and places[0] is not None:
                if scope == "sentence":
                    section_event_place[sent.section] = places[0]
                elif scope in ("near", "region"):
                    # Named with the act, less precisely; a place the act only inherited is no new evidence
                    # (a letterhead's town that a headline's act took is not where the story is told).
                    section_event_place.setdefault(sent.section, places[0])
            if dates:
                section_date[sent.section] = dates[0]
        summary = bool(_AGGREGATE.search(sent.text)) and all(
            i is None or report.places[i].place.feature in ("country", "admin1", "continent") for i in places)
        part = _INCLUDING_IN.search(text, sent.start, sent.end) if summary is False and fatalities else None
        if part and places and places[0] is not None and report.places[places[0]].start > part.start() \
                and _AGGREGATE.search(sent.text):
            # "killed 25 across the Gaza Strip, including 10 in a school in Nuseirat": the place named
            # with its share counts only that share.
            fatalities = parse_quantity(part.group(1)) or fatalities
        share = _split(fatalities, len(places))
        for k, pidx in enumerate(places):
            drafts.append(
                Candidate(
                    sentence=sent, sub_event_type=sub, trigger=trigger, score=score, modality=modality,
                    modality_cue=cue, actor1=actor1, actor2=actor2, assoc1=assoc, place_index=pidx,
                    place_scope=scope, fatalities=share[k],
                    injured=injured if k == 0 else None, date=date, date_told=bool(dates), attribution=attribution,
                    actor_inherited=inherited, anaphoric=anaphoric, names_author=names_author, continues=continues,
                    target_kind=target_kind,
                    actor1_country=actor1_country, summary=summary,
                )
            )
    report.drafts = drafts
    return report


def _split(total: int | None, n: int) -> list[int | None]:
    """Split a fatality total over n events as ACLED does: evenly, the remainder to the first."""
    if total is None or n <= 1:
        return [total] + [None] * (n - 1) if n >= 1 else []
    base, rem = divmod(total, n)
    return [base + (1 if i < rem else 0) for i in range(n)]


_BETWEEN_END_I = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:(?:town|city|village|area|territory|direction|side)\s+of\s+)?$", re.I)
_REMOTE = {"Shelling/artillery/missile attack", "Air/drone strike"}


def _event_places(report: Report, sent: Sentence, triggers: list[Mention], places: list[Mention],
                  remote: bool = False) -> list[int]:
    """The locations of the action: the place list nearest the trigger, one entry per distinct place.

    "attacked the towns of A, B and C" gives A, B and C; a place elsewhere in the
    sentence ("after troops advanced in Southern Raqqa") is context, not a location.
    """
    if not places:
        return []
    text = report.clean_text
    first = min(triggers, key=lambda t: t.start)
    # An operation's purpose names where it is fought ("an operation to drive ISIL out of X").
    operation = any(_opens_operation(t.text) for t in triggers)
    limit = sent.end if operation else _purpose_limit(text, first.end, sent.end)
    # "a push towards X" is not at X.
    if remote:
        # "fired rockets from Gaza toward Sderot": a projectile lands where it is fired at, not where it left.
        in_scope = [m for m in places if m.start < limit and not _FROM_BEFORE.search(text, max(sent.start, m.start - 12), m.start)]
        if not in_scope:
            in_scope = [m for m in places if m.start < limit]
    else:
        in_scope = [m for m in places if m.start < limit and not _TOWARDS.search(text[max(sent.start, m.start - 30):m.start])]
    if not in_scope:
        return []
    ordered = sorted(in_scope, key=lambda m: m.start)
    # Group places joined by commas/and into coordinated lists.
    groups: list[list[Mention]] = []
    for m in ordered:
        if groups and _COORD_GAP.match(text[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])

    def distance(group: list[Mention], trigger: Mention) -> tuple[int, int]:
        first, last = group[0], group[-1]
        if first.start >= trigger.end:
            return (0, first.start - trigger.end)  # after the trigger: its object or location
        if last.end <= trigger.start:
            return (1, trigger.start - last.end)
        return (0, 0)

    # Countries are the setting, not the location, when anything more precise is named.
    if any(report.places[m.value].place.feature != "country" for m in ordered):
        groups = [[m for m in g if report.places[m.value].place.feature != "country"] for g in groups]
        groups = [g for g in groups if g]
    chosen_groups = []
    for k, trigger in enumerate(triggers):
        g = min(groups, key=lambda grp: distance(grp, trigger))
        # A further action adds its own object's places ("attacked A and B and imposed control
        # near C"), not places it merely follows.
        if k > 0 and distance(g, trigger)[0] != 0:
            continue
        if g not in chosen_groups:
            chosen_groups.append(g)
    group = [m for g in chosen_groups for m in g]
    # "the border between Homs and Deir Ezzur" names one location by its two sides.
    if len(group) == 2 and _BETWEEN_END_I.search(text[max(0, group[0].start - 20):group[0].start]):
        group = group[:1]
    # Specific places named with the action make the regions beside them context.
    entries = [(m, report.places[m.value]) for m in group]
    specific = [(m, pm) for m, pm in entries
                if pm.precision < 3 and pm.place.precision < 3 and pm.place.feature not in _REGION_FEATURES]
    chosen = specific or entries
    if not specific:
        # Only a region is named with the action: a town of that region named elsewhere in
        # the clause ("hills in Eastern Homs, West of al-Sukhnah") is the better location.
        regions = {pm.place.admin1 for _, pm in entries}
        others = [(m, report.places[m.value]) for m in ordered if m not in group]
        inside = [(m, pm) for m, pm in others if pm.place.precision < 3 and pm.place.admin1 in regions
                  and pm.place.feature not in _REGION_FEATURES]
        if inside:
            chosen = inside[:1]
        elif all(_wide_region(pm.place) for _, pm in chosen):
            # "hit ISIL in Southern Raqqa ... oil wells in the depth of the Badiya": a province named
            # in the clause says which part of a region spanning several provinces is meant.
            countries = {pm.place.country_code for _, pm in chosen}
            provinces = [(m, pm) for m, pm in others
                         if pm.place.feature == "admin1" and pm.place.country_code in countries]
            if provinces:
                chosen = provinces[:1]
    # "A, B and C in the surroundings of X": members far from the anchor X are misread names.
    anchor = _anchor(report, text, group, ordered)
    if anchor is not None:
        # Near the anchor: within 60 km of a town, or inside a province or region named as anchor.
        near = [(m, pm) for m, pm in chosen if _near(pm.place, anchor.place, km=60.0)
                or (anchor.place.feature in _REGION_FEATURES and pm.place.country_code == anchor.place.country_code
                    and (anchor.place.feature == "country" or pm.place.admin1 == anchor.place.admin1))]
        chosen = near or [(m, pm) for m, pm in [(None, anchor)]]
    out: list[int] = []
    seen: list = []
    for m, pm in chosen:
        p = pm.place
        if any(_near(p, q) for q in seen):
            continue
        seen.append(p)
        out.append(m.value if m is not None else report.places.index(pm))
    return out


# ", " or ", Abadam, " (a name the gazetteer lacks, within the chain).
_CHAIN_GAP = re.compile(r"\s*,\s*(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*,\s*)?")


def _story_place(report: Report, places: list[Mention]) -> int | None:
    """The place a sentence leaves its story at: the last it names, or, when that one locates the names before
    it ("in Barangay Bubong, Piagapo, Lanao del Sur"), the most precise of that chain.  A place only headed
    for or spoken from ("withdrew towards Jowhar", "by phone from Jowhar") is not where the story is."""
    text = report.clean_text
    places = [m for m in places if not _TOWARDS.search(text, max(0, m.start - 40), m.start)]
    if not places:
        return None
    chain = [places[-1]]
    for m in reversed(places[:-1]):
        if not _CHAIN_GAP.fullmatch(text, m.end, chain[0].start):
            break
        chain.insert(0, m)
    if len(chain) == 1:
        return chain[0].value
    return min(chain, key=lambda m: (report.places[m.value].precision, report.places[m.value].place.precision,
                                     -m.start)).value


_REGION_FEATURES = {"region", "admin1", "country", "mountains", "desert", "area"}


def _wide_region(place) -> bool:
    """A region the size of a province or larger (the Badiya, the Jazira): it alone says little of where."""
    return place.feature in ("region", "desert", "mountains") and place.precision >= 3


_NEAR_WORD = re.compile(r"\b(?:in|near|around|outside|of)\b", re.I)


def _anchor(report: Report, text: str, group: list[Mention], ordered: list[Mention]):
    """The place a list is said to lie in or near ("... villages in the surroundings of X")."""
    last = group[-1]
    for m in ordered:
        if m.start <= last.end:
            continue
        gap = text[last.end:m.start]
        if len(gap) <= 45 and _NEAR_WORD.search(gap) and "," not in gap[:3]:
            pm = report.places[m.value]
            return pm if pm.place is not None and pm.place.latitude is not None else None
        break
    return None


def _near(a, b, km: float = 4.0) -> bool:
    d = km_between(a, b)
    return a.name == b.name if d is None else d <= km
