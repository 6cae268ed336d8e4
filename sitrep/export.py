"""Stored events out as ACLED-style CSV, GeoJSON and JSON Lines.

CSV columns follow ACLED's export names and order where ACLED has the field,
then sitrep's own (corroboration, attribution, evidence).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

from .countries import country_codes, region_of
from .merge import MergedEvent

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "tags", "timestamp",
)
SITREP_COLUMNS = ("corroboration", "attribution", "evidence", "reviewed")
CSV_COLUMNS = ACLED_COLUMNS + SITREP_COLUMNS
FORMATS = ("jsonl", "csv", "geojson")


def acled_row(me: MergedEvent) -> dict[str, Any]:
    """One merged event as a CSV row keyed by ACLED's (and sitrep's) column names."""
    e = me.event
    codes = country_codes(e.country)
    evidence = " | ".join(
        f"[{ev.source or '?'} L{ev.line}] {ev.text}" for ev in e.evidence
    )
    return {
        "event_id_cnty": e.event_id,
        "event_date": e.event_date or "",
        "year": int(e.event_date[:4]) if e.event_date else None,
        # ACLED: 1 the day is known, 2 the week, 3 the month.  sitrep dates events to the day or not at all.
        "time_precision": 1 if e.event_date else None,
        "disorder_type": e.disorder_type,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1 or "",
        "assoc_actor_1": e.assoc_actor_1 or "",
        "inter1": e.inter1,
        "actor2": e.actor2 or "",
        "assoc_actor_2": e.assoc_actor_2 or "",
        "inter2": e.inter2,
        "interaction": e.interaction,
        "civilian_targeting": e.civilian_targeting,
        "iso": codes[2] if codes else None,
        "region": region_of(e.country) or "",
        "country": e.country or "",
        "admin1": e.admin1 or "",
        "admin2": e.admin2 or "",
        "admin3": "",
        "location": e.location or "",
        "latitude": e.latitude,
        "longitude": e.longitude,
        "geo_precision": e.geo_precision,
        "source": "; ".join(me.sources) or (e.source or ""),
        "source_scale": "",
        "notes": e.notes,
        # ACLED records 0 where no death is reported; sitrep keeps unknown distinct from zero.
        "fatalities": e.fatalities,
        "tags": "",
        "timestamp": me.timestamp,
        "corroboration": me.corroboration,
        "attribution": e.attribution or "",
        "evidence": evidence,
        # True once an editor corrected the event (sitrep.review); its fields above are the corrected ones.
        "reviewed": bool(getattr(me, "reviewed", False)),
    }


# A cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(...)" in an outlet's
# name would run when the file is opened): OWASP's CSV injection advice is to prefix a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: text that a spreadsheet would read as a formula is prefixed with a
    single quote; numbers (a negative longitude) stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(events: Iterable[MergedEvent], out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for me in events:
        w.writerow({k: csv_cell(v) for k, v in acled_row(me).items()})
        n += 1
    return n


def write_jsonl(events: Iterable[MergedEvent], out: IO[str]) -> int:
    n = 0
    for me in events:
        d = me.to_dict()
        d["iso"] = acled_row(me)["iso"]
        d["region"] = region_of(me.event.country)
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
        n += 1
    return n


def feature(me: MergedEvent) -> dict[str, Any]:
    """A GeoJSON Point feature; events without coordinates get a null geometry."""
    props = acled_row(me)
    props["sources"] = list(me.sources)
    props["evidence"] = [
        {"report": ev.doc_id, "source": ev.source, "line": ev.line, "text": ev.text, "attribution": ev.attribution}
        for ev in me.event.evidence
    ]
    e = me.event
    geometry = None
    if e.latitude is not None and e.longitude is not None:
        geometry = {"type": "Point", "coordinates": [e.longitude, e.latitude]}
    return {"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[MergedEvent], out: IO[str]) -> int:
    feats = [feature(me) for me in events]
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    out.write("\n")
    return len(feats)


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "geojson": write_geojson}


def export(events: Iterable[MergedEvent], fmt: str, out: IO[str]) -> int:
    """Write events in one of FORMATS; return how many were written."""
    from .errors import InputError

    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise InputError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}") from None
    return writer(events, out)


def export_string(events: Iterable[MergedEvent], fmt: str) -> str:
    buf = io.StringIO()
    export(events, fmt, buf)
    return buf.getvalue()
