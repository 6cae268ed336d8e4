"""The events stage: the passes run sentence by sentence over a report, and the state they hand on."""

from __future__ import annotations

import re

from ..coding import (
    ARMED_SITE,
    ARMED_TARGET,
    ARMED_VICTIMS,
    CIVILIAN_OBJECT,
    CIVILIAN_VICTIM,
    FIRED_AT_PLACE,
    FIRED_ON,
    KILLED_CIVILIANS,
    NON_STATE_ARMED,
    PASSIVE_CIVILIANS,
    RECIPROCAL,
    TARGET_KIND,
    TERRITORY_CHANGES,
    armed_in_clause,
    classify,
    is_soldiers,
)
from ..lexicon import SentenceSearch
from ..mentions import (
    find_dates,
    find_modality,
    find_numbers,
    is_anaphoric,
    parse_quantity,
)
from ..model import ASSERTED, SUB_EVENT_TO_TYPE, Candidate, Mention, Report
from .acts import SPEAKER_WHO, counted_triggers, non_political_re, non_political_scene
from .counts import (
    AGGREGATE,
    INCLUDING_IN,
    casualty_counts,
    none_killed,
    split_fatalities,
)
from .modality import claim_modality
from .places import (
    REGION_SIDES,
    REMOTE,
    ROUTE_AFTER,
    ROUTE_END,
    UNKNOWN_PLACE_IN,
    event_places,
    merge_neighbourhoods,
    story_place,
    wide_region,
)
from .roles import (
    LOCATIVE_THE,
    SAYS_AFTER,
    SELF_REPORT,
    SPEAKS_NEXT,
    TOLD_TO,
    actor_inherited_target,
    actor_roles,
    country_subject,
    head_actors,
    own_forces,
    pivot_trigger,
    recent_opponent,
    same_actor,
    same_side,
    speaker_of_others_act,
    state_of,
)
from .text import BY_NEXT, TRAILING_CLAUSE, by_sentence, opens_operation, overlaps_any

# "The airstrikes ...", "in these attacks": the act was told before.
_DEFINITE_OPENING = re.compile(r"\s*(?:the|these|those|such|this|that)\s+(?:\w+\s+){0,2}", re.I)

# "one of its fighters had carried out the bombing": the act told before, its author named.
_DID_THE = re.compile(r"\b(?:carried out|conducted|perpetrated|behind|responsible for|staged|claimed)\s+(?:the|this|that)\s+"
                      r"(?:[\w'’-]+\s+)?$", re.I)

_WENT_ON = re.compile(r"\b(?:continued|went on|lasted|persisted|raged|carried on)\b", re.I)

_IN_THE_END = re.compile(r"\b(?:in|during|from)\s+(?:the|these|those|this)\s+$", re.I)


def _past_dates(report: Report, ms: dict[str, list[Mention]]) -> list[str]:
    """The days a sentence names, but for days still to come ("lawmakers will meet Friday")."""
    return [d.value for d in ms.get("date", []) if d.value and (report.date is None or d.value <= report.date)]


def find_events(report: Report) -> Report:
    """Fill report.drafts with one event candidate per (sentence action, location)."""
    per_sentence = by_sentence(report)
    text = report.clean_text
    # Most reports hold no disaster or crime words at all: test the whole text once.
    maybe_non_political = bool(non_political_re().search(text))
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

        own_forces(report, sent, actors, place_mentions)
        valid_places = [p for p in place_mentions if report.places[p.value].place is not None
                        and not overlaps_any(p, actors)]
        route = [p for p in valid_places if ROUTE_AFTER.match(text, p.end) or (
            text[max(0, p.start - 1):p.start] in ("-", "–") and ROUTE_END.match(text, p.end))]
        if route and len(route) < len(valid_places):
            valid_places = [p for p in valid_places if p not in route]
        if sent.heading and sent.heading not in heading_place:
            hp = [i for i, pm in enumerate(report.places)
                  if pm.place is not None and pm.start < sent.start and pm.text.strip() in sent.heading]
            if hp:
                heading_place[sent.heading] = hp[-1]

        triggers = counted_triggers(report, sent, ms, cue_search)
        if triggers and not ms.get("trigger"):
            # An act found by its phrasing alone ("launched its campaign of strikes on March 15"): the mentions
            # stage read counts, dates and cues only where the lexicon named an act, so read them here.
            ms = dict(ms)
            ms["date"] = find_dates(sent.text, report.date, sent.start)
            ms["modality"] = find_modality(sent.text, sent.start)
            ms["number"] = find_numbers(sent.text, sent.start)
        speaker = SPEAKER_WHO.search(text, sent.start, sent.end) if triggers else None
        if speaker and any(t.start >= speaker.end() for t, _ in triggers):
            # "Residents who fled the fighting said RSF fighters looted homes": the speakers' own story is
            # context; what they say happened is the act.
            triggers = [(t, tr) for t, tr in triggers if t.start >= speaker.end()]
        trailing = TRAILING_CLAUSE.search(text, sent.start, sent.end) if triggers else None
        if trailing and any(t.start < trailing.start() for t, _ in triggers):
            # "RSF killed 40 people in an attack on the camp, as fighting for the city intensified": the
            # trailing clause tells of the wider war, not of this act.
            triggers = [(t, tr) for t, tr in triggers if t.start < trailing.start()]
        if triggers and maybe_non_political and non_political_scene(sent, actors, ms.get("attribution", []), cue_search):
            triggers = []
        decided = None
        if triggers:
            decided = classify(triggers, sent.text,
                                lambda regex: cue_search.search(regex, sent.start, sent.end, sent.text) is not None)

        if decided is None:
            told = _past_dates(report, ms)
            if told:
                para_date[sent.paragraph] = told[0]  # "In a follow-up operation on Sunday morning, ..."
            story = story_place(report, valid_places)
            if story is not None:
                para_place[sent.paragraph] = section_place[sent.section] = last_place_any = story
            if actors:
                prev_agents.setdefault(sent.section, actors[0])
                # "forces of the IRGC dismantled the team near Saravan. Three were killed in the clash": who
                # acts in the paragraph, even in a sentence that names no act of its own.
                # (Not a source: "According to the General Staff of Ukraine's Armed Forces, ...".)
                doers = [a for a in actors if getattr(a.value, "type", None) != "civilians"
                         and not overlaps_any(a, ms.get("attribution", []))
                         and not SAYS_AFTER.match(text, a.end, min(sent.end, a.end + 40))]
                if doers:
                    para_agents.setdefault(sent.paragraph, next((a for a in doers if getattr(a.value, "actor_id", None)),
                                                                doers[0]))
            continue
        sub, score, trigger = decided
        modality, cue = claim_modality(report, sent, trigger, ms.get("modality", []), ms.get("date", []))

        # A generic source ("police said") is not a party; a named group speaking of its own act is.
        sources = ms.get("attribution", [])
        # "three women suicide bombers": of two actor nouns side by side, the last is the head -- unless
        # the first is a name ("the al-Shabab attackers").
        actors = head_actors(text, actors)
        parties = [a for a in actors if (getattr(a.value, "actor_id", None) or not overlaps_any(a, sources)
                                         or SELF_REPORT.match(text, a.end))
                   and not speaker_of_others_act(report, a, sources, trigger, actors, place_mentions)
                   and not TOLD_TO.search(text, max(sent.start, a.start - 12), a.start)
                   # "the settlement of Bogatyr in the Donetsk People's Republic": a republic named as where
                   and not ("Republic" in a.text and LOCATIVE_THE.search(text, max(sent.start, a.start - 16), a.start))
                   # "shot dead ..., hours after the police said the emergency was bearing fruit": a later speaker
                   and not (a.start > trigger.end and SPEAKS_NEXT.match(text, a.end))]
        agents, targets = actor_roles(report, sent, pivot_trigger(report, triggers, trigger, parties), parties)
        if agents:
            # "Houthis fired a missile at Jizan, the Saudi-led coalition said": who tells of another's act
            # is not its target.
            targets = [t for t in targets if not overlaps_any(t, sources)]
        actor1 = agents[0] if agents else None
        assoc = [a for a in agents[1:] if not same_actor(a, actor1)]
        actor2 = next((t for t in targets if not same_actor(t, actor1)), None)
        if len(assoc) == 1 and actor1 is not None and RECIPROCAL.search(text, assoc[0].end, min(sent.end, trigger.end + 30)) \
                and getattr(assoc[0].value, "country", None) is not None and not same_side(assoc[0], actor1) \
                and (actor2 is None or getattr(actor2.value, "type", None) == "civilians"):
            # "M23 rebels and Congolese troops exchanged fire": the two subjects are the two sides.
            actor2, assoc = assoc[0], []
        inherited = False
        actor1_country = None
        if actor1 is None:
            actor1_country = country_subject(report, sent, trigger, place_mentions)
            if actor1_country is not None and actor2 is not None and state_of(actor2, actor1_country):
                # "Turkey has shelled a city as Turkish forces press on": the country's own forces are not its target.
                actor2 = next((t for t in targets if not state_of(t, actor1_country)), None)
        if actor1 is None and actor1_country is None and sent.paragraph in para_agents:
            actor1, inherited = para_agents[sent.paragraph], True
        elif actor1 is None and sent.section in prev_agents and actor1_country is None:
            actor1, inherited = prev_agents[sent.section], True
        own = [a for a in parties if not same_actor(a, actor1)]
        if actor2 is None and not own and sent.section in prev_targets \
                and not same_actor(prev_targets[sent.section], actor1) \
                and (actor1 is None or inherited or sent.section not in prev_agents
                     or same_side(actor1, prev_agents[sent.section])) \
                and (SUB_EVENT_TO_TYPE.get(sub) != "Battles"
                     or getattr(prev_targets[sent.section].value, "type", None) not in (None, "civilians")):
            # (A battle's other side is armed: the civilians of the last attack are not it.)
            actor2 = prev_targets[sent.section]
        if actor2 is None and SUB_EVENT_TO_TYPE.get(sub) == "Battles":
            # A battle has two sides: the other side is the armed group the section was just about.
            actor2 = recent_opponent(report, sent, actor1)
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
        passive_victims = PASSIVE_CIVILIANS.search(sent.text)  # "at least 11 people were killed when ..."
        if sub == "Armed clash":
            if victim_type == "civilians" or (CIVILIAN_OBJECT.match(obj) and not ARMED_VICTIMS.match(obj)) or (
                    actor2 is None and CIVILIAN_VICTIM.search(after) and not ARMED_TARGET.search(after)) or (
                    actor2 is None and KILLED_CIVILIANS.search(sent.text) and not armed_in_clause(text, sent, trigger, agents)
                    and not RECIPROCAL.search(trigger.text)) or (  # (the dead of a clash between groups are its toll)
                    actor2 is None and passive_victims and not RECIPROCAL.search(sent.text)):
                sub = "Attack"
        elif sub == "Attack":
            if (victim_type not in (None, "civilians") and not actor_inherited_target(actor2, sent)) or (
                    ARMED_VICTIMS.match(after) and not CIVILIAN_VICTIM.match(after.strip())
                    and not BY_NEXT.match(after)  # ("shot dead by unidentified gunmen": the gunmen did it)
                    and not (passive_victims and sent.start + passive_victims.end() <= trigger.end)):
                sub = "Armed clash"

        if sub == "Armed clash" and FIRED_ON.fullmatch(trigger.text) and (actor1_country is not None or (
                actor1 is not None and getattr(actor1.value, "type", None) in ("state_forces", "external_forces"))):
            # "Turkey fired on Qamishli": a state firing on a town, not on a force, shells it.
            object_place = FIRED_AT_PLACE.match(text, trigger.end)
            if object_place and any(p.start == object_place.end() for p in valid_places):
                sub = "Shelling/artillery/missile attack"

        if sub in ("Mob violence", "Violent demonstration") and actor1 is not None and not actor_inherited_target(actor1, sent) \
                and (getattr(actor1.value, "type", None) in NON_STATE_ARMED or is_soldiers(actor1.value)) \
                and not getattr(actor1.value, "party", False):
            # (Troops who "set fire to 23 houses" destroy property; they do not riot.)
            # "Gang members set fire to homes and killed 12 people": an armed group's arson is no riot.
            sub = "Attack" if any(tr.sub_event_type == "Attack" for _, tr in triggers) else "Looting/property destruction"
        if sub == "Government regains territory" and trigger.text.lower().startswith("stormed") and actor1 is not None \
                and getattr(actor1.value, "type", None) not in ("state_forces", "external_forces") \
                and not any(tr.sub_event_type in TERRITORY_CHANGES and tr.weight >= 2 and not t.text.lower().startswith("stormed")
                            for t, tr in triggers):
            # "the gunmen stormed the village": a raid, not a change of control, unless the text says it was taken.
            # ("stormed the base", "stormed a police station": an armed post's defenders fight.)
            armed_site = ARMED_SITE.match(text, trigger.end, min(sent.end, trigger.end + 50))
            sub = "Attack" if victim_type in (None, "civilians") and not armed_site else "Armed clash"

        target_kind = None
        if actor2 is None:
            # The object starts after the trigger's verb ("attacked | a military post").
            verb_end = trigger.start + len(trigger.text.split()[0]) if trigger.text.split() else trigger.end
            m = TARGET_KIND.match(text[verb_end:min(sent.end, verb_end + 50)])
            if m:
                target_kind = next(k for k, v in m.groupdict().items() if v)
            elif SUB_EVENT_TO_TYPE.get(sub) == "Violence against civilians" and (
                    CIVILIAN_OBJECT.match(obj) or passive_victims):
                target_kind = "civilians"
        fatalities, injured = casualty_counts(ms.get("number", []), text)
        if fatalities is None and none_killed(report, sent):
            fatalities = 0
        dates = _past_dates(report, ms)
        # An undated sentence continues the section's story: its last dated event's day.
        date = dates[0] if dates else para_date.get(sent.paragraph) or section_date.get(sent.section, report.date)

        # One event per distinct location named with the action; else the paragraph's place,
        # the section heading's, or (only its region is then known) the last one named.
        etype = SUB_EVENT_TO_TYPE.get(sub)
        acts = [trigger] + [t for t, tr in triggers if tr.weight >= 2 and t is not trigger
                            and SUB_EVENT_TO_TYPE.get(tr.sub_event_type) == etype]
        places = event_places(report, sent, acts, merge_neighbourhoods(report, valid_places), remote=sub in REMOTE)
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
        elif any(opens_operation(t.text) for t in acts) and report.places[places[0]].start > trigger.end:
            scope = "near"  # the place an operation sets out to take: fighting near it
        elif UNKNOWN_PLACE_IN.search(text, max(sent.start, report.places[places[0]].start - 60), report.places[places[0]].start):
            scope = "near"  # "attacked Kurya village in Bungudu": somewhere in Bungudu
        elif REGION_SIDES.search(text[max(sent.start, report.places[places[0]].start - 45):report.places[places[0]].start]):
            scope = "region"  # "the provincial border between Homs and Deir Ezzur" names provinces
        elif all(wide_region(report.places[i].place) for i in places):
            # Only a wide region ("the depth of the Badiya"): the story goes on in the province
            # where the section's last event was placed, if that is a province of the same country.
            prev = section_event_place.get(sent.section)
            if prev is not None and prev not in places and report.places[prev].place.feature == "admin1" and \
                    report.places[prev].place.country_code == report.places[places[0]].place.country_code:
                places, scope = [prev], "section"
        story = story_place(report, valid_places)
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
        summary = bool(AGGREGATE.search(sent.text)) and all(
            i is None or report.places[i].place.feature in ("country", "admin1", "continent") for i in places)
        part = INCLUDING_IN.search(text, sent.start, sent.end) if summary is False and fatalities else None
        if part and places and places[0] is not None and report.places[places[0]].start > part.start() \
                and AGGREGATE.search(sent.text):
            # "killed 25 across the Gaza Strip, including 10 in a school in Nuseirat": the place named
            # with its share counts only that share.
            fatalities = parse_quantity(part.group(1)) or fatalities
        share = split_fatalities(fatalities, len(places))
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
