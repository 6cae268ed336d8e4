"""ACLED coding decisions: which sub-event type a sentence's acts make, and the actor kinds behind them.

The events stage asks here which type the triggers of a sentence carry (:func:`classify`) and
whether the victims, the weapon or the setting make it another type; resolve and dedup ask the
same module.  The codebook's family rules (a protest decided by how it was met, territory by who
took it, civilian victims making an attack) live here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .clauses import BY_NEXT, TRAILING_CLAUSE
from .lexicon import PrefilteredRegex, Trigger, prefiltered
from .model import SUB_EVENT_TO_TYPE, Actor, Mention, Place, Sentence
from .rules import Site, rulebook, trace
from .rules import test as rule_test

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

CIVILIAN_VICTIM = prefiltered(
    r"\b(?:civilians?|villagers?|residents?|worshippers?|farmers?|herders?|children|child|women|woman|girls?|boys?|"
    r"students?|teachers?|journalists?|reporters?|passengers?|motorists?|travell?ers?|pilgrims?|traders?|"
    r"shopkeepers?|families|family|man|men|people|persons?|villages?|market|mosque|church|school|hospital|"
    r"aid workers?|doctors?|nurses?|refugees?|displaced|chief|imam|priest|pastor|politician|councillor|candidate|"
    r"hotel|college|campus|university|bus|plane|marketplace|camp for|dormitor(?:y|ies)|worshipers|communit(?:y|ies)|"
    r"center|centre|clinic|shop|store|restaurant|cafe|church(?:es)?|homes?|houses?|residential|displacement camp|idp camp|"
    r"member of parliament|mp|activist|lawyer|judge)\b",
    re.I,
)

ARMED_TARGET = prefiltered(
    r"\b(?:soldiers?|troops?|army|military|police(?:men)?|officers?|security forces|forces|militants?|"
    r"insurgents?|rebels?|fighters?|jihadists?|terrorists?|positions?|checkpoints?|base|convoy|patrol|"
    r"gunmen|militiam[ae]n|militias?|combatants?)\b",
    re.I,
)

# "killed over 30 militants": the victims of a killing are fighters.
# "killed at least 40 people in an attack on the camp": the dead are civilians.
# "at least 11 people were killed when ...": the victims named as the subject of a passive.
PASSIVE_CIVILIANS = re.compile(
    r"\b(?:people|civilians|villagers|residents|worshipp?ers|children|women|students|passengers|farmers|mourners|"
    r"persons|traders)\s+(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:killed|shot dead|slain|murdered|"
    r"massacred|hacked to death|burnt to death|burned to death)\b", re.I)

KILLED_CIVILIANS = re.compile(
    r"\b(?:killed|killing|kills|massacred|slaughtered)\s+(?:(?:at least|more than|over|nearly|about|some|up to|dozens of|"
    r"scores of|hundreds of)\s+)?(?:[\w-]+\s+){0,2}?(?:people|civilians|villagers|residents|worshipp?ers|children|women|"
    r"students|passengers|farmers|mourners|displaced)\b", re.I)

ARMED_VICTIMS = re.compile(r"^\s*(?:(?:over|some|about|at least|more than|nearly|the|\d+|[a-z]+)\s+){0,5}?" + ARMED_TARGET.pattern, re.I)

CIVILIAN_OBJECT = re.compile(r"^\s*(?:on\s+|at\s+|in\s+|into\s+)?(?:(?:a|an|the|two|three|several|unarmed|innocent|local|small|busy|[\w-]+)\s+){0,3}?" + CIVILIAN_VICTIM.pattern, re.I)

# The unnamed target of an act, read from its object: "attacked a military post", "a police station".
TARGET_KIND = re.compile(
    r"^\s*(?:on\s+|at\s+|in\s+)?(?:(?:a|an|the|two|three|several|\d+|[\w-]+)\s+){0,2}?"
    r"(?:(?P<police>police(?:\s+(?:station|post|checkpoint|officers?|patrol|vehicle))?|policem[ae]n|gendarm\w*)"
    r"|(?P<military>military\s+(?:post|base|camp|position|convoy|patrol|checkpoint|outpost|vehicle)s?|army\s+(?:post|base|camp|"
    r"position|convoy|patrol|checkpoint)s?|soldiers|troops|checkpoint|army|military))\b", re.I)

ARMED_SITE = re.compile(r"\s*(?:(?:the|a|an|its|their|two|three|several)\s+)?(?:[\w-]+\s+){0,2}?(?:base|barracks|garrison|outpost|"
                         r"checkpoint|check-point|military camp|army camp|police station|police post|army post|military post|"
                         r"position)s?\b", re.I)

_PROTEST_WORDS = prefiltered(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied|ying)|marchers|riot(?:s|ers|ing|ed)?|sit-ins?|strikers|"
                            r"pickets?|human chain|die-in|took to the streets|take to the streets|(?:peaceful|protest|a) march)\b", re.I)

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

FIRED_ON = re.compile(r"(?:opened fire|fired|firing)(?: on| at)?", re.I)

FIRED_AT_PLACE = re.compile(r"(?:\s+(?:on|at))?\s+(?:the\s+)?(?:(?:town|city|village|district|area)s?\s+of\s+)?", re.I)


_PROTEST_ACTS = ("Peaceful protest", "Violent demonstration", "Protest with intervention",
                 "Excessive force against protesters")


@dataclass
class Tally:
    """The sub-event types a sentence's triggers carry: each type's trigger weights, its strongest weight
    (peak), its score (the peak plus a quarter of each further weight) and its strongest trigger."""

    weights: dict[str, list[int]]
    best: dict[str, tuple[int, Mention]]
    peak: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, triggers: list[tuple[Mention, Trigger]]) -> "Tally":
        weights: dict[str, list[int]] = {}
        best: dict[str, tuple[int, Mention]] = {}
        for mention, trig in triggers:
            sub = trig.sub_event_type
            weights.setdefault(sub, []).append(trig.weight)
            if sub not in best or trig.weight > best[sub][0]:
                best[sub] = (trig.weight, mention)
        tally = cls(weights, best)
        tally.peak = {k: max(v) for k, v in weights.items()}
        tally.scores = {k: tally.peak[k] + 0.25 * (sum(v) - tally.peak[k]) for k, v in weights.items()}
        return tally

    def strong(self, sub: str, weight: int = 3) -> bool:
        return self.peak.get(sub, 0) >= weight

    def add(self, sub: str, like: str) -> None:
        """Count `sub` as told, with `like`'s strongest trigger ("tear gas" tells of a protest)."""
        self.weights[sub] = [3]
        self.peak[sub] = 3
        self.best[sub] = self.best[like]

    def fold(self, sub: str, into: str) -> None:
        """The acts of `sub` are part of `into` (the arrests of a clash, the clash of a capture)."""
        self.scores[into] = max(self.scores.get(into, 0), self.scores.pop(sub))

    def trigger(self, sub: str, default: Mention) -> Mention:
        return self.best.get(sub, (0, default))[1]


def classify(triggers: list[tuple[Mention, Trigger]], sentence: str,
             says: Callable[[PrefilteredRegex], bool] | None = None) -> tuple[str, float, Mention] | None:
    """The sentence's sub-event type, its score and the trigger that carries it.

    A type scores its strongest trigger's weight plus a little for each further
    trigger, so one "suicide bomber" outweighs any number of casualty words.
    `says(regex)` tells whether the sentence matches a regex (by default, regex.search(sentence)).
    """
    if says is None:
        def says(regex: PrefilteredRegex) -> bool:
            return regex.search(sentence) is not None
    if not triggers:
        return None
    tally = Tally.of(triggers)
    best_any = max(tally.best.values(), key=lambda x: x[0])[1]
    has_protest = _protest_told(tally, says)
    if tally.strong("Sexual violence"):
        return _pick(tally, "Sexual violence", best_any)  # the gravest act named decides, whatever the setting
    if has_protest and any(tally.strong(k) for k in _PROTEST_ACTS):
        return _demonstration(tally, says, best_any)
    _crowds(tally, says, has_protest)
    _folds(tally, says, best_any)
    # Weak words alone ("attack", "killed") make no event: one strong trigger or two weak ones.
    scores = {k: v for k, v in tally.scores.items() if v >= 2 and (tally.peak.get(k, 0) >= 2 or v >= 2.5)}
    if not scores:
        return None
    # Equal scores: the more specific type, then the trigger of the main clause, which comes first.
    sub = max(scores, key=lambda s: (scores[s], -_RANK.get(s, 99), -tally.best[s][1].start))
    return sub, float(scores[sub]), tally.best[sub][1]


# Acts ACLED codes as events of their own even when one sentence tells them together ("airstrikes and
# artillery shelling hit A and B", "took the village in conjunction with airstrikes").
SEPARATE_ACTS = frozenset({"Armed clash", "Air/drone strike", "Shelling/artillery/missile attack",
                           "Remote explosive/landmine/IED", "Chemical weapon", "Government regains territory"})
# What joins two acts told in one sentence, between their words.
_JOINED = re.compile(r"\b(?:and|while|whereas|as well as|in conjunction with|coincid\w* with|amid|followed by|along with|"
                     r"accompanied by|alongside|together with)\b|[;,]", re.I)


def further_acts(triggers: list[tuple[Mention, Trigger]], decided: tuple[str, float, Mention], text: str,
                 says) -> list[tuple[str, float, Mention]]:
    """Further acts of the sentence besides the one classify decided: each other kind in SEPARATE_ACTS told by
    a strong word of its own, joined to the first act ("... and", "in conjunction with", ", while ...")."""
    main, _, main_trigger = decided
    if main not in SEPARATE_ACTS:
        return []
    tally = Tally.of(triggers)
    _folds(tally, says, main_trigger)
    out = []
    for sub, (weight, trigger) in sorted(tally.best.items(), key=lambda kv: kv[1][1].start):
        if sub == main or sub not in SEPARATE_ACTS or sub not in tally.scores or weight < 3 \
                or (main == "Government regains territory" and sub == "Armed clash"):
            continue
        lo, hi = sorted((main_trigger, trigger), key=lambda t: t.start)
        if lo.end <= hi.start and _JOINED.search(text, lo.end, hi.start):
            out.append((sub, float(tally.scores[sub]), trigger))
    return out


def _pick(tally: Tally, sub: str, best_any: Mention) -> tuple[str, float, Mention]:
    return sub, float(tally.scores.get(sub, 3.0)), tally.trigger(sub, best_any)


def _protest_told(tally: Tally, says) -> bool:
    """A demonstration is told: a protest word, or what is used on a crowd (tear gas, water cannon)."""
    has_protest = tally.strong("Peaceful protest") or says(_PROTEST_WORDS)
    if tally.strong("Protest with intervention") and "Peaceful protest" not in tally.peak \
            and not tally.best["Protest with intervention"][1].text.lower().startswith("suppress"):
        # ("Air defence suppressed 40 drones": only a crowd word makes "suppressed" a protest's end.)
        # Tear gas, water cannon, rubber bullets: used on a crowd, so a protest or riot took place.
        tally.add("Peaceful protest", like="Protest with intervention")
        return True
    return has_protest


def _demonstration(tally: Tally, says, best_any: Mention) -> tuple[str, float, Mention]:
    """Protest family: the protest decides the family; how it went decides the sub-type.  Demonstrators'
    own violence decides first, as ACLED codes it; then lethal force against them; then an intervention."""
    base = next(tally.best[k] for k in _PROTEST_ACTS if k in tally.best)[1]
    if tally.strong("Violent demonstration") or says(_PROTESTER_CLASH):
        return "Violent demonstration", 3.0, tally.trigger("Violent demonstration", base)
    if tally.strong("Excessive force against protesters") or (says(_LETHAL) and says(_STATE_FORCE)):
        return "Excessive force against protesters", 3.0, tally.trigger("Excessive force against protesters", base)
    if tally.strong("Mob violence"):
        return _pick(tally, "Mob violence", best_any)
    if tally.strong("Protest with intervention") or tally.strong("Arrests"):
        return "Protest with intervention", 3.0, tally.best.get("Protest with intervention",
                                                                tally.best.get("Arrests", (0, base)))[1]
    if tally.strong("Looting/property destruction"):
        return _pick(tally, "Looting/property destruction", best_any)
    return "Peaceful protest", float(tally.scores.get("Peaceful protest", 3.0)), base


def _crowds(tally: Tally, says, has_protest: bool) -> None:
    """A crowd's violence: at a demonstration a violent demonstration, else (fans, youths) mob violence; a
    riot word is needed for a riot; how a protest was met is no event without a protest."""
    if has_protest and "Mob violence" in tally.peak and not tally.peak.get("Violent demonstration"):
        tally.add("Violent demonstration", like="Mob violence")
    for sub in PROTEST_ONLY:
        tally.scores.pop(sub, None)
    scores = tally.scores
    if "Violent demonstration" in scores and not says(_RIOT_WORDS):
        if says(_CROWD_NOUNS) and "Mob violence" not in scores:
            scores["Mob violence"] = scores["Violent demonstration"]
            tally.best["Mob violence"] = tally.best["Violent demonstration"]
            tally.peak["Mob violence"] = tally.peak["Violent demonstration"]
        scores.pop("Violent demonstration")
    if "Peaceful protest" in scores and not has_protest:
        scores.pop("Peaceful protest")


def _folds(tally: Tally, says, best_any: Mention) -> None:
    """Acts told together that ACLED codes as one: weapons seized, territory taken with its fighting, an
    attack with its abductions, a clash with its arrests."""
    scores, peak = tally.scores, tally.peak
    if says(_WEAPONS_SEIZED):  # weapons found, seized or defused: the weapon names no attack
        scores["Disrupted weapons use"] = max(scores.get("Disrupted weapons use", 0), 3.5)
        tally.best.setdefault("Disrupted weapons use", (3, best_any))
        peak["Disrupted weapons use"] = 3
    # Territory: both kinds of trigger count together; the actor decides later which one it is.
    terr = [scores.pop(k) for k in TERRITORY if k in scores]
    if terr:
        scores["Government regains territory"] = max(terr)
        peak["Government regains territory"] = max(peak.get("Government regains territory", 0),
                                                   peak.get("Non-state actor overtakes territory", 0))
        tally.best.setdefault("Government regains territory", tally.best.get("Non-state actor overtakes territory"))
    # Territory taken outranks the fighting that took it (ACLED codes the change of control).
    if scores.get("Government regains territory", 0) >= 2 and "Armed clash" in scores:
        tally.fold("Armed clash", into="Government regains territory")
    # Villagers killed and others abducted in one raid: an attack, as ACLED codes it.
    if "Abduction/forced disappearance" in scores and peak.get("Attack", 0) >= 2:
        tally.fold("Abduction/forced disappearance", into="Attack")
    # "Three were killed in the clash and two others were arrested": arrests in a fight are part of the battle.
    if "Arrests" in scores and peak.get("Armed clash", 0) >= 3:
        # (The clash may already have been folded into territory taken: the arrests join that.)
        tally.fold("Arrests", into="Armed clash" if "Armed clash" in scores else "Government regains territory")


def armed_in_clause(text: str, sent: Sentence, trigger: Mention, agents: list[Mention]) -> bool:
    """An armed target named in the act's clause, other than its agents ("attacked a checkpoint, killing five people")."""
    trailing = TRAILING_CLAUSE.search(text, trigger.end, sent.end)
    end = trailing.start() if trailing else sent.end
    return any(not any(a.start <= m.start() < a.end + 6 for a in agents)  # "Rapid Support Forces (RSF)"
               for m in ARMED_TARGET.finditer(text, sent.start, end))


_ARMED_TYPES = {"state_forces", "rebel_group", "political_militia", "pro_government_militia", "identity_militia",
                "external_forces", "rioters", "protesters"}

NON_STATE_ARMED = {"rebel_group", "political_militia", "pro_government_militia"}  # (communal vigilantes may be a mob)

RECIPROCAL = re.compile(r"\b(?:exchang\w*|clash\w*|fought|battl\w*|skirmish\w*|gun ?battle|firefight|signed|agreed|reached)", re.I)

TERRITORY_CHANGES = {"Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"}

_POLICE_GENERICS = frozenset({"police", "policemen", "authorities", "officers", "police officers"})


def is_armed(value, crowds: bool = True) -> bool:
    """An armed actor (with crowds: rioters and protesters too) other than unnamed police and authorities."""
    types = _ARMED_TYPES if crowds else _ARMED_TYPES - {"rioters", "protesters"}
    if getattr(value, "police", False):
        return False  # "NYPD": a named police force is law enforcement, as unnamed police are
    return getattr(value, "type", None) in types and (
        bool(getattr(value, "actor_id", None)) or getattr(value, "generic", None) not in _POLICE_GENERICS)


_NOT_SOLDIERS = _POLICE_GENERICS | {"security forces", "riot police", "law enforcement", "security agents", "gendarmes"}


def is_soldiers(value) -> bool:
    """An army or foreign troops, not the police or "security forces" who meet a riot."""
    return getattr(value, "type", None) in ("state_forces", "external_forces") and not getattr(value, "police", False) \
        and (getattr(value, "generic", None) or "") not in _NOT_SOLDIERS


def armed_party(ms: dict[str, list[Mention]]) -> bool:
    """A named actor, or an armed, rioting or protesting one, other than the police and authorities."""
    return any((getattr(a.value, "actor_id", None) and not getattr(a.value, "police", False)) or is_armed(a.value)
               for a in ms.get("actor", []))


# ---- acts recoded once their sides are known (data/en/rules/acts.yaml) ---------------------------------

def recode_act(report, act) -> None:
    """Ask the act rules, in order, of the act's type as it stands when each rule's turn comes; a rule that
    fires retypes the act (``act.sub``).  `act` is an events-stage Act: trigger, sides, triggers, places."""
    trigger = act.trigger
    site = Site(report, act.sentence, trigger.start, trigger.end, trigger.text, frozenset({act.sub}), act,
                {"retyped": False})
    for rule in rulebook().stage("acts"):
        if rule.fires(site):
            trace(site, rule)
            act.sub = rule.to
            site.types = frozenset({act.sub})
            site.facts["retyped"] = True


def inherited_mention(actor, sent: Sentence) -> bool:
    """The actor was carried over from an earlier sentence rather than named in this one."""
    return actor is not None and not (sent.start <= actor.start < sent.end)


def victim_kind(act) -> str | None:
    """The actor type of the act's target when the sentence names it (a party's members are civilians)."""
    actor2 = act.actor2
    if actor2 is None or inherited_mention(actor2, act.sentence):
        return None
    kind = getattr(actor2.value, "type", None)
    if kind is not None and getattr(actor2.value, "party", False):
        return "civilians"  # "gunmen shot dead a local Awami League leader": a party's members are civilians
    return kind


def _windows(site: Site) -> tuple[str, str]:
    """The 60 characters after the act's trigger (its object and what follows) and the first 45 of them."""
    text, end = site.text, site.end
    return text[end:min(site.sentence.end, end + 60)], text[end:min(site.sentence.end, end + 45)]


@rule_test("retyped")
def _retyped(site: Site) -> bool:
    """An earlier act rule already retyped this act."""
    return site.facts["retyped"]


@rule_test("civilian_victims")
def _civilian_victims(site: Site) -> bool:
    """The act's victims are civilians and no armed opponent stands in its clause."""
    act, sent, text = site.item, site.sentence, site.text
    after, obj = _windows(site)
    kind = victim_kind(act)
    if kind == "civilians" or (CIVILIAN_OBJECT.match(obj) and not ARMED_VICTIMS.match(obj)):
        return True
    if act.actor2 is not None:
        return False
    if CIVILIAN_VICTIM.search(after) and not ARMED_TARGET.search(after):
        return True
    if KILLED_CIVILIANS.search(sent.text) and not armed_in_clause(text, sent, act.trigger, act.agents) \
            and not RECIPROCAL.search(act.trigger.text):  # (the dead of a clash between groups are its toll)
        return True
    return bool(PASSIVE_CIVILIANS.search(sent.text)) and not RECIPROCAL.search(sent.text)


@rule_test("armed_victims")
def _armed_victims(site: Site) -> bool:
    """The act's victims are armed: soldiers, police, fighters, named as its object."""
    act, sent = site.item, site.sentence
    kind = victim_kind(act)
    if kind not in (None, "civilians") and not inherited_mention(act.actor2, sent):
        return True
    after, _ = _windows(site)
    passive = PASSIVE_CIVILIANS.search(sent.text)
    return bool(ARMED_VICTIMS.match(after)) and not CIVILIAN_VICTIM.match(after.strip()) \
        and not BY_NEXT.match(after) \
        and not (passive and sent.start + passive.end() <= site.end)  # ("shot dead by unidentified gunmen")


@rule_test("state_fired_on_a_town")
def _state_fired_on_a_town(site: Site) -> bool:
    """A state's forces (or a country as subject) "fired on" a place named right after."""
    act = site.item
    if not FIRED_ON.fullmatch(act.trigger.text):
        return False
    state = act.actor1_country is not None or (
        act.actor1 is not None and getattr(act.actor1.value, "type", None) in ("state_forces", "external_forces"))
    if not state:
        return False
    object_place = FIRED_AT_PLACE.match(site.text, site.end)
    return bool(object_place) and any(p.start == object_place.end() for p in act.places)


@rule_test("armed_group_acts")
def _armed_group_acts(site: Site) -> bool:
    """The act's agent, named in the sentence, is an armed group or soldiers (not a party, not police)."""
    actor1 = site.item.actor1
    return actor1 is not None and not inherited_mention(actor1, site.sentence) \
        and (getattr(actor1.value, "type", None) in NON_STATE_ARMED or is_soldiers(actor1.value)) \
        and not getattr(actor1.value, "party", False)


@rule_test("killing_told")
def _killing_told(site: Site) -> bool:
    """One of the sentence's acts is an attack ("set fire to homes and killed 12 people")."""
    return any(tr.sub_event_type == "Attack" for _, tr in site.item.triggers)


@rule_test("raid_not_capture")
def _raid_not_capture(site: Site) -> bool:
    """A non-state agent stormed a place and no other word says the place was taken."""
    act = site.item
    if act.actor1 is None or getattr(act.actor1.value, "type", None) in ("state_forces", "external_forces"):
        return False
    return not any(tr.sub_event_type in TERRITORY_CHANGES and tr.weight >= 2 and not t.text.lower().startswith("stormed")
                   for t, tr in act.triggers)


@rule_test("armed_defenders")
def _armed_defenders(site: Site) -> bool:
    """The stormed place had armed defenders: an armed target named, or a base, post or checkpoint."""
    if victim_kind(site.item) not in (None, "civilians"):
        return True
    return ARMED_SITE.match(site.text, site.end, min(site.sentence.end, site.end + 50)) is not None


def target_kind(report, sent: Sentence, trigger: Mention, sub: str) -> str | None:
    """The kind of an unnamed target, from the act's object: "attacked a military post" (military), "a police
    station" (police), or civilians as the victims of violence against civilians."""
    text = report.clean_text
    # The object starts after the trigger's verb ("attacked | a military post").
    verb_end = trigger.start + len(trigger.text.split()[0]) if trigger.text.split() else trigger.end
    m = TARGET_KIND.match(text[verb_end:min(sent.end, verb_end + 50)])
    if m:
        return next(k for k, v in m.groupdict().items() if v)
    obj = text[trigger.end:min(sent.end, trigger.end + 45)]
    if SUB_EVENT_TO_TYPE.get(sub) == "Violence against civilians" and (
            CIVILIAN_OBJECT.match(obj) or PASSIVE_CIVILIANS.search(sent.text)):
        return "civilians"
    return None


# ==== Resolve's conventions: how a field is filled once the actors are named ==========================
# (A change of type is a rule: data/en/rules/resolve.yaml.  These say how the other fields are filled.)

_VICTIMS_OF = {"Violence against civilians", "Explosions/Remote violence"}


def party_members_as_civilians(sub: str, actor2: Actor | None, actors, country: str | None) -> tuple[Actor | None, str | None]:
    """ACLED: members of a political party attacked are civilians, the party their associate actor.

    Gives (actor 2, associate actor 2): the country's civilians and the party's name when the
    victims of violence against civilians or of remote violence are a party; else actor 2 as it was."""
    if actor2 is None or not actors.is_party(actor2) or SUB_EVENT_TO_TYPE.get(sub) not in _VICTIMS_OF or not country:
        return actor2, None
    try:
        return actors.get(f"civilians:{country}"), actor2.name
    except KeyError:
        return actor2, None


PROTEST_SUBS = {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
RIOT_SUBS = {"Violent demonstration", "Mob violence"}


def demonstration_sides(sub: str, a1: Actor | None, a2: Actor | None, actors,
                        country: str | None) -> tuple[Actor | None, Actor | None]:
    """ACLED codes demonstrations with the demonstrators as actor 1 and any force that met them as actor 2.

    The crowd is protesters in a protest, rioters in a riot (the country's, else a country-less one);
    the force is the state or external forces named on either side; a peaceful protest has none."""
    if sub not in PROTEST_SUBS and sub not in RIOT_SUBS:
        return a1, a2
    crowd_type = "protesters" if sub in PROTEST_SUBS else "rioters"
    crowd = next((a for a in (a1, a2) if a is not None and a.type in ("protesters", "rioters")), None)
    if crowd is None or crowd.type != crowd_type:
        crowd = _crowd_of(crowd_type, actors, country)
    force = next((a for a in (a1, a2) if a is not None and a.type in ("state_forces", "external_forces")), None)
    return crowd, None if sub == "Peaceful protest" else force


def _crowd_of(crowd_type: str, actors, country: str | None) -> Actor:
    """The country's protesters or rioters, else a country-less crowd of that type."""
    try:
        crowd = actors.get(f"{crowd_type}:{country}") if country else None
    except KeyError:
        crowd = None
    return crowd or Actor(id=crowd_type, name=crowd_type.capitalize(), type=crowd_type)


def protest_fatalities(sub: str, fatalities: int | None) -> int | None:
    """ACLED: a peaceful protest reports no deaths, so one told without a figure has 0 fatalities."""
    if sub == "Peaceful protest" and fatalities is None:
        return 0
    return fatalities


# A statement, defection or agreement happens at no battlefield.
_NO_BATTLEFIELD = {"Agreement", "Change to group/activity", "Headquarters or base established", "Other"}


def region_only(place_scope: str, sub: str) -> bool:
    """Whether only the region of an act's place can be trusted: the place comes from another part of
    the report (the whole document, or a province named by its border), or a statement, defection or
    agreement is told without a place of its own (the paragraph's or section's place is where the
    story is, not where it happened)."""
    return place_scope in ("document", "region") or (place_scope in ("paragraph", "section") and sub in _NO_BATTLEFIELD)


def carried_place(place: Place | None, place_scope: str, sub: str, gazetteer) -> Place | None:
    """A town whose region alone can be trusted (:func:`region_only`) is coded as its province."""
    if place is not None and region_only(place_scope, sub) and place.precision < 3 and place.admin1:
        return gazetteer.admin1_place(place.country_code, place.admin1) or place
    return place


def geo_precision(place_precision: int, told_precision: int, place_scope: str, from_dateline: bool) -> int:
    """ACLED's geo_precision: 1 the town itself, 2 near a town or only its area, 3 a province or wider.

    The coarser of the place's own precision and how the text named it (`told_precision`: 3 for a
    place that is not the one named); a place carried from other sentences or from the dateline, and
    an act "near" a town or in a region, are 2 at best."""
    if place_scope in ("region", "near"):
        return 2
    precision = max(place_precision, told_precision)
    if from_dateline or (place_scope != "sentence" and precision < 3):
        return 2
    return precision


# ==== Dedup's conventions: how the fields of tellings joined into one event merge ======================
# (A change of type, and a telling dropped, is a rule: data/en/rules/merge.yaml.)

def merged_toll(kept: int | None, told: int | None, parts: bool) -> int | None:
    """Tellings of one act: the lowest figure told (ACLED's conservative rule).  Parts of one demonstration
    (the march, its dispersal, a shooting): the gravest part's toll, not the march's "no one died"."""
    counts = [x for x in (kept, told) if x is not None]
    if not counts:
        return None
    return max(counts) if parts else min(counts)


def injuries_only_toll(fatalities: int | None, injured: int | None) -> int | None:
    """A toll told with injuries and no deaths ("two people were injured when ... shelled Rylsk") is 0
    fatalities.  Applied once the tellings are joined: another telling may give the deaths."""
    if fatalities is None and injured is not None:
        return 0
    return fatalities


def takes_actor2(event, telling) -> bool:
    """The merged event takes a telling's actor 2 when it names none (and the telling's is not its actor 1)."""
    return event.actor2 is None and telling.actor2 is not None and telling.actor2 != event.actor1


def takes_actor1(event, telling) -> bool:
    """The merged event takes a telling's actor 1 when it names none, or when it names an unidentified group
    and the telling names the author ("A suicide bomber ..." then "IS-K said one of its fighters carried out
    the bombing")."""
    if telling.actor1 is None:
        return False
    if event.actor1 is None:
        return True
    named = not telling.actor1.startswith("Unidentified ") and telling.actor1 not in (event.actor1, event.actor2)
    return named and event.actor1.startswith("Unidentified ")


def _story_told_by(site: Site, kind: str) -> bool:
    """The section's last act, told in one of the two sentences before, was of `kind`, and this act names no
    agent of another side."""
    act = site.item
    last = act.section_act
    if last is None or last[0] != kind or not 0 < site.sentence.index - last[1] <= 2:
        return False
    return act.actor1 is None or act.inherited


@rule_test("story_told_by_air")
def _story_told_by_air(site: Site) -> bool:
    return _story_told_by(site, "Air/drone strike")


@rule_test("story_told_by_shelling")
def _story_told_by_shelling(site: Site) -> bool:
    return _story_told_by(site, "Shelling/artillery/missile attack")
