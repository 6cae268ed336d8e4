"""Neutral one-sentence event descriptions in ACLED's note style.

Notes are built from the coded fields (canonical actor names, gazetteer place
names), never from the report's wording, so a report's loaded terms cannot leak
into them; a final pass through the loaded-terms lexicon guards actor and place
names that carry such words.
"""

from __future__ import annotations

import datetime as dt
import functools

from .model import Event

# "{a1}" acts on "{a2}" at "{where}"; the verb phrases are ACLED's plain register.
_TEMPLATES = {
    "Armed clash": ("{a1} clashed with {a2} {where}.", "{a1} clashed with an armed group {where}.",
                    "Armed clashes were reported {where}."),
    "Government regains territory": ("{a1} regained control of territory from {a2} {where}.",
                                     "{a1} regained control of territory {where}.",
                                     "Government forces regained control of territory {where}."),
    "Non-state actor overtakes territory": ("{a1} took control of territory from {a2} {where}.",
                                            "{a1} took control of territory {where}.",
                                            "An armed group took control of territory {where}."),
    "Chemical weapon": ("{a1} used chemical weapons against {a2} {where}.", "{a1} used chemical weapons {where}.",
                        "A chemical weapon attack was reported {where}."),
    "Air/drone strike": ("{a1} carried out air or drone strikes on {a2} {where}.",
                         "{a1} carried out air or drone strikes {where}.", "Air or drone strikes hit {where_bare}."),
    "Suicide bomb": ("{a1} carried out a suicide bombing targeting {a2} {where}.",
                     "{a1} carried out a suicide bombing {where}.", "A suicide bombing took place {where}."),
    "Shelling/artillery/missile attack": ("{a1} shelled {a2} {where}.", "{a1} carried out shelling {where}.",
                                          "Shelling or missile fire hit {where_bare}."),
    "Remote explosive/landmine/IED": ("{a1} detonated an explosive device targeting {a2} {where}.",
                                      "{a1} detonated an explosive device {where}.",
                                      "An explosive device detonated {where}."),
    "Grenade": ("{a1} threw a grenade at {a2} {where}.", "{a1} carried out a grenade attack {where}.",
                "A grenade attack took place {where}."),
    "Sexual violence": ("{a1} committed sexual violence against {a2} {where}.",
                        "{a1} committed sexual violence {where}.", "Sexual violence was reported {where}."),
    "Attack": ("{a1} attacked {a2} {where}.", "{a1} killed or attacked a person {where}.",
               "An attack on civilians was reported {where}."),
    "Abduction/forced disappearance": ("{a1} abducted {a2} {where}.", "{a1} abducted people {where}.",
                                       "People were abducted {where}."),
    "Peaceful protest": ("{a1} demonstrated {where}.", "{a1} demonstrated {where}.", "People demonstrated {where}."),
    "Protest with intervention": ("{a2} intervened in a demonstration by {a1} {where}.",
                                  "Authorities intervened in a demonstration by {a1} {where}.",
                                  "Authorities intervened in a demonstration {where}."),
    "Excessive force against protesters": ("{a1} used lethal or excessive force against {a2} {where}.",
                                           "{a1} used lethal or excessive force against demonstrators {where}.",
                                           "Security forces used lethal force against demonstrators {where}."),
    "Violent demonstration": ("{a1} engaged in a violent demonstration against {a2} {where}.",
                              "{a1} engaged in a violent demonstration {where}.", "A violent demonstration took place {where}."),
    "Mob violence": ("{a1} attacked {a2} {where}.", "{a1} carried out mob violence {where}.",
                     "Mob violence was reported {where}."),
    "Agreement": ("{a1} and {a2} reached an agreement {where}.", "{a1} reached an agreement {where}.",
                  "An agreement was reported {where}."),
    "Arrests": ("{a1} arrested {a2} {where}.", "{a1} made arrests {where}.", "Arrests were made {where}."),
    "Change to group/activity": ("{a1} changed its activity or relations with {a2} {where}.",
                                 "{a1} changed its activity or deployment {where}.",
                                 "A change in armed group activity was reported {where}."),
    "Disrupted weapons use": ("{a1} disrupted weapons use by {a2} {where}.", "{a1} seized or disabled weapons {where}.",
                              "Weapons were seized or disabled {where}."),
    "Headquarters or base established": ("{a1} established a base {where}.", "{a1} established a base {where}.",
                                         "A base was established {where}."),
    "Looting/property destruction": ("{a1} looted or destroyed property of {a2} {where}.",
                                     "{a1} looted or destroyed property {where}.", "Property was looted or destroyed {where}."),
    "Non-violent transfer of territory": ("Territory changed hands between {a1} and {a2} without fighting {where}.",
                                          "{a1} withdrew from or took over territory without fighting {where}.",
                                          "Territory changed hands without fighting {where}."),
    "Other": ("{a1} withdrew or repositioned forces in relation to {a2} {where}.",
              "{a1} withdrew or repositioned forces {where}.", "A strategic development was reported {where}."),
}


def _where(ev: Event) -> tuple[str, str]:
    if not ev.location:
        return "at an unspecified location", "an unspecified location"
    admin = f" ({ev.admin1})" if ev.admin1 and ev.admin1 != ev.location else ""
    if ev.country and ev.admin1 is None and ev.location != ev.country:
        admin = f" ({ev.country})"
    prep = "in" if ev.geo_precision == 1 else ("near" if ev.geo_precision == 2 else "in")
    return f"{prep} {ev.location}{admin}", f"{ev.location}{admin}"


@functools.lru_cache(maxsize=4096)
def _date_phrase(iso: str | None) -> str:
    """The date opening a note, e.g. 'On 22 July 2017, '.  Cached: a run codes few distinct days."""
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso)
    return f"On {d.day} {d.strftime('%B')} {d.year}, "


def describe(ev: Event) -> str:
    """One neutral sentence (plus casualty and source clauses) describing a coded event."""
    with_both, with_one, with_none = _TEMPLATES.get(ev.sub_event_type, _TEMPLATES["Other"])
    where, where_bare = _where(ev)
    if ev.actor1 and ev.actor2:
        body = with_both
    elif ev.actor1:
        body = with_one
    else:
        body = with_none
    body = body.format(a1=ev.actor1 or "", a2=ev.actor2 or "", where=where, where_bare=where_bare)
    date = _date_phrase(ev.event_date)
    if date:
        starts_with_name = bool(ev.actor1 and body.startswith(ev.actor1)
                                or ev.actor2 and body.startswith(ev.actor2))
        body = date + (body if starts_with_name else body[0].lower() + body[1:])
    parts = [body]
    if ev.fatalities is not None:
        parts.append(f"{ev.fatalities} reported fatalit{'y' if ev.fatalities == 1 else 'ies'}.")
    if ev.injured:
        parts.append(f"{ev.injured} reported injured.")
    if ev.attribution or ev.source:
        who = _neutral(ev.attribution or ev.source)
        via = f" ({_neutral(ev.source)})" if ev.source and ev.attribution else ""
        parts.append(f"Source: {who}{via}.")
    return " ".join(parts)


@functools.lru_cache(maxsize=4096)
def _neutral(phrase: str) -> str:
    """A report's own words (a source phrase) with its loaded terms rewritten.

    Only these can carry loaded terms: the rest of a note is built from canonical
    actor names, gazetteer names and sitrep's own templates.
    """
    from .actors import LoadedTerms

    return LoadedTerms.default().neutralize(phrase)
