"""The event map: clustered markers, a date-range slider and on-map filters, readable at 10,000 events.

One page script (sitrep/data/web/map.js) draws both forms of the map:

- ``build_map``: one self-contained HTML file that works offline (``sitrep map -o map.html``):
  Leaflet, Leaflet.markercluster, Natural Earth outlines and the events inlined, the events in
  a compact column form (dictionary-coded strings, day numbers; about 60 bytes an event).
- ``map_page``: the web app's page, which loads the same scripts as files and the events from
  an API URL (the compact form or GeoJSON), so the page itself stays a few hundred bytes.

Map tiles are offered as a switch that is off until a reader turns it on, so opening the map
never contacts a tile server by itself.  Country outlines are cut at the antimeridian
(scripts/vendor_map_data.py), so no polygon is drawn across the whole map.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
from collections.abc import Callable, Sequence
from html import escape
from importlib import resources

from .merge import MergedEvent

# ACLED-like palette: one hue per event type, distinguishable in print and for
# the common colour-vision deficiencies (after Okabe & Ito).  map.js holds the same table.
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#d55e00",
    "Explosions/Remote violence": "#e69f00",
    "Violence against civilians": "#cc79a7",
    "Protests": "#009e73",
    "Riots": "#8c564b",
    "Strategic developments": "#0072b2",
}
OTHER_COLOUR = "#666666"
MARKER_CLASS = "sitrep-marker"  # every event marker's SVG path carries it (tests count them)
# The files the page needs, by the name the web app serves them under.
ASSETS: dict[str, str] = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.css": "leaflet/leaflet.css",
    "markercluster.js": "markercluster/leaflet.markercluster.js",
    "markercluster.css": "markercluster/MarkerCluster.css",
    "map.js": "web/map.js",
    "map.css": "web/map.css",
    "world110m.geojson": "world110m.geojson",
}
_EPOCH = _dt.date(1970, 1, 1).toordinal()


@functools.cache
def _asset(name: str) -> str:
    return resources.files("sitrep").joinpath("data", name).read_text("utf-8")


def asset(name: str) -> tuple[bytes, str] | None:
    """A file of the map page by its served name, with its media type (None if unknown)."""
    path = ASSETS.get(name)
    if path is None:
        return None
    text = leaflet_css() if name == "leaflet.css" else _asset(path)
    kind = {"js": "text/javascript", "css": "text/css", "geojson": "application/geo+json"}[name.rsplit(".", 1)[1]]
    return text.encode("utf-8"), f"{kind}; charset=utf-8"


@functools.cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as data URIs."""
    import base64
    import re

    css = _asset("leaflet/leaflet.css")

    def inline(m) -> str:
        data = resources.files("sitrep").joinpath("data", "leaflet", m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@functools.cache
def world_outlines() -> dict:
    return json.loads(_asset("world110m.geojson"))


def radius(fatalities: int | None) -> float:
    """Marker radius in pixels: area grows with reported fatalities, unknown counts stay small (as map.js)."""
    if not fatalities:
        return 6.0
    return min(24.0, 6.0 + 2.0 * math.sqrt(fatalities))


def colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, OTHER_COLOUR)


class _Codes:
    """Strings of one kind, each stored once; a column holds their indexes (-1 for none)."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, value: str | None) -> int:
        if not value:
            return -1
        i = self._index.get(value)
        if i is None:
            i = self._index[value] = len(self.values)
            self.values.append(value)
        return i


def compact(events: Sequence[MergedEvent]) -> dict:
    """The events in map.js's column form: one list per field, strings dictionary-coded, days as numbers."""
    codes = {k: _Codes() for k in ("type", "sub", "country", "admin1", "loc", "actor", "src")}
    days = [_dt.date.fromisoformat(me.event.event_date).toordinal() - _EPOCH
            for me in events if me.event.event_date]
    d0 = min(days, default=0)
    cols: dict[str, list] = {k: [] for k in ("id", "lat", "lon", "day", "type", "sub", "country", "admin1", "loc",
                                             "a1", "a2", "fat", "prec", "corr", "src")}
    for me in events:
        e = me.event
        day = _dt.date.fromisoformat(e.event_date).toordinal() - _EPOCH - d0 if e.event_date else None
        row = (e.event_id, _round(e.latitude), _round(e.longitude), day, codes["type"](e.event_type),
               codes["sub"](e.sub_event_type), codes["country"](e.country), codes["admin1"](e.admin1),
               codes["loc"](e.location), codes["actor"](e.actor1), codes["actor"](e.actor2), e.fatalities,
               e.geo_precision, me.corroboration, codes["src"](", ".join(me.sources) or e.source))
        for k, v in zip(cols, row):
            cols[k].append(v)
    return {"v": 1, "d0": d0, "dict": {k: c.values for k, c in codes.items()}, **cols}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def compact_geojson(events: Sequence[MergedEvent]) -> dict:
    """The events as a small GeoJSON FeatureCollection: the fields the map shows, nothing else."""
    feats = []
    for me in events:
        e = me.event
        geom = None if e.latitude is None or e.longitude is None else {
            "type": "Point", "coordinates": [_round(e.longitude), _round(e.latitude)]}
        feats.append({"type": "Feature", "id": e.event_id, "geometry": geom, "properties": {
            "event_date": e.event_date, "event_type": e.event_type, "sub_event_type": e.sub_event_type,
            "country": e.country, "admin1": e.admin1, "location": e.location, "actor1": e.actor1,
            "actor2": e.actor2, "fatalities": e.fatalities, "geo_precision": e.geo_precision,
            "corroboration": me.corroboration, "sources": list(me.sources)}})
    return {"type": "FeatureCollection", "features": feats}


def _script_json(data) -> str:
    # Compact JSON with <, > and & escaped, so no report text can end the <script> element it sits in.
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
</head><body{body_class}>
{topbar}<div id="sitrep-map" {attrs}></div>
{tail}
</body></html>
"""


def _attrs(**kw: str | None) -> str:
    return " ".join(f'data-{k}="{escape(v)}"' for k, v in kw.items() if v)


def build_map(
    events: Sequence[MergedEvent],
    title: str = "sitrep: events",
    href: Callable[[MergedEvent], str] | None = None,
    tiles: bool = True,
) -> str:
    """The events as one self-contained map page (HTML) that works offline.

    href: a function giving each event's own page; only its pattern is kept, so it must put
    the event id where "{id}" would go (the web app's "/events/<id>").  tiles: offer the
    OpenStreetMap switch (off until used; needs internet).
    """
    pattern = None
    if href is not None and events:
        first = events[0]
        pattern = href(first).replace(first.event.event_id, "{id}")
    head = (f"<style>{leaflet_css()}</style><style>{_asset(ASSETS['markercluster.css'])}</style>"
            f"<style>{_asset(ASSETS['map.css'])}</style>")
    if not tiles:
        head += "<style>.sp-tiles {display: none;}</style>"
    tail = (f"<script>{_asset(ASSETS['leaflet.js'])}</script>"
            f"<script>{_asset(ASSETS['markercluster.js'])}</script>"
            f"<script>window.SITREP_OUTLINES = {_script_json(world_outlines())};\n"
            f"window.SITREP_DATA = {_script_json(compact(events))};</script>"
            f"<script>{_asset(ASSETS['map.js'])}</script>")
    return _PAGE.format(title=escape(title), head=head, body_class="", topbar="",
                        attrs=_attrs(title=title, href=pattern), tail=tail)


def map_page(
    title: str,
    data_url: str,
    asset_base: str = "/static/map",
    href: str | None = "/events/{id}",
    nav: Sequence[tuple[str, str]] = (),
    active: str | None = "Map",
    nonce: str | None = None,
) -> str:
    """The web app's map page: scripts and outlines as files under asset_base, events from data_url.

    No inline script or style, so a strict Content-Security-Policy ('self') allows it; nonce: the
    response's CSP nonce, put on each script tag too.  nav: the app's (label, link) pairs, shown as
    a bar above the map with a way back to every page.
    """
    css = ("leaflet.css", "markercluster.css", "map.css")
    js = ("leaflet.js", "markercluster.js", "map.js")
    head = "".join(f'<link rel="stylesheet" href="{escape(asset_base)}/{n}">' for n in css)
    mark = f' nonce="{escape(nonce)}"' if nonce else ""
    tail = "".join(f'<script{mark} src="{escape(asset_base)}/{n}"></script>' for n in js)
    topbar = ""
    if nav:
        links = "".join(f'<a href="{escape(h)}"{" class=on" if label == active else ""}>{escape(label)}</a>'
                        for label, h in nav)
        topbar = f'<nav class="sp-topbar"><b>sitrep</b>{links}</nav>'
    attrs = _attrs(title=title, src=data_url, href=href, outlines=f"{asset_base}/world110m.geojson")
    return _PAGE.format(title=escape(title), head=head, body_class=' class="sp-app"' if nav else "",
                        topbar=topbar, attrs=attrs, tail=tail)
