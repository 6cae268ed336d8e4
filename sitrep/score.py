"""Score extracted events against a hand-coded gold file (the seed's gold.yaml format).

Matching, as an independent scorer does it: a predicted event matches a gold event when
their event types agree and one of its evidence lines is a line of the gold event or of a
gold mention marked ``same_as`` it; pairs are taken one to one, best first (same place,
then same sub-event type).  A gold event told twice and left as two predicted events
counts one match and one false positive, so within-report de-duplication shows in the
precision.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import GoldError, InputError
from .geo import haversine_km

_ADMIN1_SYNONYMS = {
    "rifdimashq": "ruraldamascus", "rifdimashk": "ruraldamascus", "damascuscountryside": "ruraldamascus",
    "idleb": "idlib", "raqa": "raqa", "deirezor": "deirezor", "dayrazawr": "deirezor", "deirazor": "deirezor",
    "hasaka": "hasaka", "hasakah": "hasaka", "hasake": "hasaka", "latakia": "latakia", "lattakia": "latakia",
    "lataqia": "latakia", "daraa": "dara", "dara": "dara", "tartus": "tartus", "tartous": "tartus",
    "suwayda": "sweida", "sweida": "sweida", "suwaida": "sweida", "baalbekhermel": "baalbekhermel",
    "baalbakhirmil": "baalbekhermel",
}


def admin1_key(name: str | None) -> str | None:
    """Comparable form of an admin1 name: 'Ar-Raqqa', 'Ar Raqqah' and 'Raqqa' agree."""
    if not name:
        return None
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\b(?:governorate|province|muhafazat|mohafazat|region|state)\b", " ", s)
    s = re.sub(r"^(?:al|ar|as|ad|an|ash|at|az|el|ad-|a)[\s'-]+", "", s.strip())
    s = re.sub(r"[^a-z]", "", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"h$", "", s)
    return _ADMIN1_SYNONYMS.get(s, s)


@dataclass
class GoldEvent:
    id: str
    lines: set[int]
    data: dict
    actors: set[str]


@dataclass
class Gold:
    events: list[GoldEvent]
    not_event_lines: dict[int, str]
    loaded_terms: list[str]
    date: str | None
    document: str | None


def _read_gold(path: Path) -> dict:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldError(f"{path}: no such gold file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: not a readable YAML gold file ({exc.__class__.__name__})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        raise GoldError(f"{path}: gold file needs an 'events' list")
    return doc


def _clusters(doc: dict) -> list[GoldEvent]:
    """Gold events with the lines of their repeated mentions (same_as) joined to them."""
    actor_names = {k: (v or {}).get("name", k) for k, v in (doc.get("actors") or {}).items()}
    clusters: dict[str, GoldEvent] = {}
    dup_of = {e["id"]: e["same_as"] for e in doc["events"] if e.get("same_as")}
    for e in doc["events"]:
        if e["id"] not in dup_of:
            names = {actor_names.get(a, a) for a in (e.get("actor1"), e.get("actor2")) if a}
            clusters[e["id"]] = GoldEvent(e["id"], {int(e["line"])}, e, names)
    for e in doc["events"]:
        root = dup_of.get(e["id"])
        while root in dup_of:
            root = dup_of[root]
        if root in clusters:
            clusters[root].lines.add(int(e["line"]))
            if clusters[root].data.get("fatalities") is None and e.get("fatalities") is not None:
                clusters[root].data = {**clusters[root].data, "fatalities": e["fatalities"]}
    return list(clusters.values())


def load_gold(path: str | Path) -> Gold:
    """Read a gold YAML file: events (with same_as clusters), not_events, loaded_terms."""
    path = Path(path)
    doc = _read_gold(path)
    return Gold(
        events=_clusters(doc),
        not_event_lines={int(n["line"]): n.get("modality", "") for n in doc.get("not_events") or []},
        loaded_terms=list(doc.get("loaded_terms") or []),
        date=str(doc.get("assumed_publication_date")) if doc.get("assumed_publication_date") else None,
        document=doc.get("document"),
    )


def load_events(path: str | Path) -> list[dict]:
    """Read predicted events from a JSON Lines file."""
    path = Path(path)
    out = []
    try:
        fh = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such events file") from None
    with fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                raise InputError(f"{path}:{i}: malformed JSON line") from None
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    matched: list[tuple[dict, GoldEvent]] = field(default_factory=list)
    unmatched_pred: list[dict] = field(default_factory=list)
    missed: list[GoldEvent] = field(default_factory=list)
    planned_coded: list[dict] = field(default_factory=list)
    loaded_in_notes: list[tuple[str, str]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def place_ok(pred: dict, gold: dict) -> bool | None:
    """Whether a predicted event lies within 25 km of the gold's point (None when either has none)."""
    if gold.get("lat") is None or pred.get("latitude") is None:
        return None
    return haversine_km(pred["latitude"], pred["longitude"], gold["lat"], gold["lon"]) <= 25.0


ACC_KEYS = ("event_type_acc", "sub_event_type_acc", "actors_acc", "actor1_acc", "admin1_acc",
            "geocode_25km_acc", "geo_precision_acc", "fatalities_exact")


def pair_checks(p: dict, g: GoldEvent) -> dict[str, bool | None]:
    """Whether a matched pair agrees on each field (None: the gold gives no point to compare)."""
    d = g.data
    return {
        "event_type_acc": p.get("event_type") == d.get("event_type"),
        "sub_event_type_acc": p.get("sub_event_type") == d.get("sub_event_type"),
        "actors_acc": {x for x in (p.get("actor1"), p.get("actor2")) if x} == g.actors,
        "actor1_acc": bool(g.actors) and (p.get("actor1") in g.actors),
        "admin1_acc": admin1_key(p.get("admin1")) == admin1_key(d.get("admin1")),
        "geocode_25km_acc": place_ok(p, d) if d.get("lat") is not None else None,
        "geo_precision_acc": p.get("geo_precision") == d.get("geo_precision"),
        "fatalities_exact": p.get("fatalities") == d.get("fatalities"),
    }


def _pair_score(pred: dict, g: GoldEvent) -> float:
    s = 0.0
    ok = place_ok(pred, g.data)
    if ok:
        s += 2
    if admin1_key(pred.get("admin1")) == admin1_key(g.data.get("admin1")):
        s += 0.5
    if pred.get("sub_event_type") == g.data.get("sub_event_type"):
        s += 1
    if pred.get("event_type") == g.data.get("event_type"):
        s += 0.5
    return s


def _quote_stripped(text: str) -> str:
    return re.sub(r"[\"“][^\"”]*[\"”]", " ", text)


def _evidence_lines(pred: dict) -> set[int]:
    return {int(e["line"]) for e in pred.get("evidence", []) if e.get("line") is not None}


def _match(gold: Gold, preds: list[dict], res: Score) -> None:
    """Pair predictions and gold events one to one, best pairs first (same type and line required)."""
    pairs = []
    for i, p in enumerate(preds):
        lines = _evidence_lines(p)
        for j, g in enumerate(gold.events):
            if lines & g.lines and p.get("event_type") == g.data.get("event_type"):
                pairs.append((_pair_score(p, g), i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p, used_g = set(), set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            res.matched.append((preds[i], gold.events[j]))
    res.unmatched_pred = [p for i, p in enumerate(preds) if i not in used_p]
    res.missed = [g for j, g in enumerate(gold.events) if j not in used_g]
    res.tp, res.fp, res.fn = len(res.matched), len(res.unmatched_pred), len(res.missed)


def _conventions(gold: Gold, preds: list[dict], res: Score) -> None:
    """Planned or background mentions coded as events, and the report's loaded terms in notes."""
    for p in preds:
        lines = _evidence_lines(p)
        if lines & set(gold.not_event_lines) and not any(lines & g.lines for g in gold.events):
            res.planned_coded.append(p)
    for p in preds:
        notes = _quote_stripped(p.get("notes") or "")
        for term in gold.loaded_terms:
            if re.search(r"\b" + re.escape(term) + r"\b", notes, re.I):
                res.loaded_in_notes.append((p.get("event_id", "?"), term))


def score(gold: Gold, preds: list[dict]) -> Score:
    """Match predictions to gold events and compute the figures."""
    res = Score()
    preds = [p for p in preds if p.get("modality", "asserted") == "asserted"]
    _match(gold, preds, res)
    _conventions(gold, preds, res)
    precision = res.tp / (res.tp + res.fp) if res.tp + res.fp else 0.0
    recall = res.tp / (res.tp + res.fn) if res.tp + res.fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    checks = [pair_checks(p, g) for p, g in res.matched]
    res.figures = {
        "gold_events": len(gold.events),
        "predicted_events": len(preds),
        "matched": res.tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        **{key: _accuracy([c[key] for c in checks]) for key in ACC_KEYS},
        "planned_or_background_coded": len(res.planned_coded),
        "loaded_terms_in_notes": len(res.loaded_in_notes),
    }
    return res


def _accuracy(values: list[bool | None]) -> tuple[float | None, int]:
    vals = [v for v in values if v is not None]
    return (sum(vals) / len(vals), len(vals)) if vals else (None, 0)


def format_score(res: Score, verbose: bool = False) -> str:
    f = res.figures
    lines = [
        f"events: gold {f['gold_events']}, predicted {f['predicted_events']}, matched {f['matched']}",
        f"precision {f['precision']:.3f}  recall {f['recall']:.3f}  F1 {f['f1']:.3f}",
    ]
    for key in ACC_KEYS:
        value, n = f[key]
        lines.append(f"{key:<22} {'n/a' if value is None else f'{value:.3f}'}  (n={n})")
    lines.append(f"planned/background events coded: {f['planned_or_background_coded']}")
    lines.append(f"loaded terms in notes: {f['loaded_terms_in_notes']}")
    if verbose:
        lines.extend(format_details(res))
    return "\n".join(lines)


def _mismatches(p: dict, g: GoldEvent) -> list[str]:
    flags = []
    if p.get("sub_event_type") != g.data.get("sub_event_type"):
        flags.append(f"type {p.get('sub_event_type')} != {g.data.get('sub_event_type')}")
    if {x for x in (p.get("actor1"), p.get("actor2")) if x} != g.actors:
        flags.append(f"actors {p.get('actor1')}/{p.get('actor2')} != {sorted(g.actors)}")
    if place_ok(p, g.data) is False or admin1_key(p.get("admin1")) != admin1_key(g.data.get("admin1")):
        flags.append(f"place {p.get('location')}/{p.get('admin1')} != {g.data.get('location')}/{g.data.get('admin1')}")
    if p.get("fatalities") != g.data.get("fatalities"):
        flags.append(f"fatalities {p.get('fatalities')} != {g.data.get('fatalities')}")
    return flags


def format_details(res: Score) -> list[str]:
    """Every match (with the fields it gets wrong), miss and extra event of a scored report."""
    lines = [f"  match {g.id}: " + ("; ".join(_mismatches(p, g)) or "ok") for p, g in res.matched]
    for g in res.missed:
        lines.append(f"  missed {g.id} (lines {sorted(g.lines)}): {g.data.get('sub_event_type')} @ "
                     f"{g.data.get('location')}: {g.data.get('quote')}")
    for p in res.unmatched_pred:
        ev = p.get("evidence") or [{}]
        lines.append(f"  extra line {ev[0].get('line')}: {p.get('sub_event_type')} @ {p.get('location')}: "
                     f"{(ev[0].get('text') or '')[:90]}")
    for p in res.planned_coded:
        lines.append(f"  planned/background coded: line {p['evidence'][0]['line']}")
    for eid, term in res.loaded_in_notes:
        lines.append(f"  loaded term {term!r} in notes of {eid}")
    return lines
