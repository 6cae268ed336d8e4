"""The acts a sentence tells: which of its trigger words speak of an act happening.

A trigger word inside a name, a quotation, a unit's name or a purpose clause names no act;
some phrasings name an act the lexicon cannot list word by word ("launched an offensive",
"youths pelted the police with stones").
"""

from __future__ import annotations

import functools
import re

from ..coding import TERRITORY_CHANGES, armed_party, is_armed
from ..lexicon import SentenceSearch, Trigger, cues, prefiltered
from ..model import Mention, Report, Sentence
from .text import OPERATION_START, overlaps_any, quotation_spans

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

_CROWD = r"(?:fans|youths|hooligans|supporters|crowds?|mobs?|rioters|villagers|residents|students|gangs?)"

_CROWD_ACT = (r"(?:threw|thrown|hurled|pelted|attacked|damaged|pulled down|set fire|torched|vandali[sz]ed|smashed|stormed|"
              r"ransacked|burned|burnt|set ablaze|looted|set off fireworks|lit flares)")

# A crowd's own violence: the crowd acts (no "were/by" between), or the act is done "by the youths".
_CROWD_VIOLENCE = prefiltered(
    rf"\b{_CROWD}\b(?:(?!\b(?:were|was|been|by)\b)[^.;]){{0,50}}?\b{_CROWD_ACT}\b|\b{_CROWD_ACT}\s+by\s+(?:the\s+)?(?:\w+\s+)?{_CROWD}\b",
    re.I)

# Weapon nouns that name a unit ("missile units", "artillery battalion") describe an actor, not an act.
_UNIT_AFTER = re.compile(r"^\s+(?:and\s+\w+\s+)?(?:units?|battalions?|brigades?|regiments?|divisions?|corps|crews?|batter(?:y|ies)|squads?|teams?|forces|troops|men|launchers?)\b", re.I)

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

_CAMPAIGN_AFTER = re.compile(r"^\s+(?:campaigns?|war|wars|conflict|crisis|capabilit(?:y|ies)|programmes?|programs?|systems?|industry|exports?|sales?|deals?)\b", re.I)

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
    """Triggers that speak of an act: not part of a name, a quotation, a unit name or an aim."""
    text = report.clean_text
    mentioned = ms.get("trigger", [])
    # Inside a name a trigger word is part of the name ("Liberation Front"); generic nouns such
    # as "protesters", "rioters" or "suicide bombers" are both an actor and a sign of the act.
    # A weapon noun that ends an actor phrase ("Syrian Air Force warplanes", "Russian missiles")
    # is still the act's trigger.
    names = [a for a in ms.get("actor", []) if getattr(a.value, "actor_id", None)] + ms.get("place", [])
    quotes = quotation_spans(report, sent.line) if mentioned else []
    out: list[tuple[Mention, Trigger]] = []
    for t in mentioned:
        if overlaps_any(t, names) and not any(n.start < t.start and t.end == n.end for n in names):
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
        if subs & TERRITORY_CHANGES and (_NOT_TERRITORY_AFTER.match(text, t.end) or (
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
                and not armed_party(ms) and not _unrest_re().search(sent.text):
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
    op = (scope.search(OPERATION_START, sent.start, sent.end, sent.text) if scope is not None
          else OPERATION_START.search(sent.text))
    crowd = (scope.search(_CROWD_VIOLENCE, sent.start, sent.end, sent.text) if scope is not None
             else _CROWD_VIOLENCE.search(sent.text))
    if (op or crowd) and not mentioned:
        quotes = quotation_spans(report, sent.line)  # not needed until now
    if op and not any(qs <= sent.start + op.start() < qe for qs, qe in quotes) \
            and not _is_purposive(sent.text[max(0, op.start() - 60):op.start()]) \
            and not _CIVIL_OPERATION.search(op.group(0)):
        m = Mention("trigger", sent.start + op.start(), sent.start + op.end(), op.group(0), sent.index, ())
        out.append((m, Trigger(op.group(0).lower(), "Armed clash", 2)))
    if crowd and not any(qs <= sent.start + crowd.start() < qe for qs, qe in quotes) and not any(
            is_armed(a.value, crowds=False) for a in ms.get("actor", []) if a.start <= sent.start + crowd.start()):
        # (An armed group or gang setting homes on fire attacks them: no crowd is at work.)
        m = Mention("trigger", sent.start + crowd.start(), sent.start + crowd.end(), crowd.group(0), sent.index, ())
        out.append((m, Trigger(crowd.group(0).lower(), "Mob violence", 3)))
    return out

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

_MASS_ARREST = re.compile(r"\b(?:[2-9]\d|\d{3,}|\d{1,3}(?:,\d{3})+)\s+(?:\w+\s+)?(?:people|persons|individuals|suspects|men|"
                          r"women|youths?|students|demonstrators|supporters|members|civilians|residents|villagers)\b", re.I)

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

def _political(report: Report, sent: Sentence, ms: dict[str, list[Mention]], scope: SentenceSearch | None) -> bool:
    """Whom or why an arrest is about is political: a political word, an armed or political party, or a mass arrest."""
    if _political_signal(sent, scope) or armed_party(ms):
        return True
    return _MASS_ARREST.search(sent.text) is not None
