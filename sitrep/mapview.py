"""An interactive map of stored events: one self-contained HTML file that works offline.

Leaflet's JS/CSS and Natural Earth country outlines ship inside the package
(sitrep/data/leaflet, sitrep/data/world110m.geojson, vendored by
scripts/vendor_map_data.py) and are inlined, so the file shows every marker with
no network.  Map tiles are offered as an overlay that is off until a reader
turns it on, so opening the file never contacts a tile server by itself.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from html import escape
from importlib import resources

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from .merge import MergedEvent
from .model import EVENT_TYPES

# ACLED-like palette: one hue per event type, distinguishable in print and for
# the common colour-vision deficiencies (after Okabe & Ito).
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

# Events geocoded to the same point (a town, a governorate centroid) would hide
# each other; they are fanned out on a ring about this many pixels wide at the
# zoom the map opens at.
_FAN_PX = 13


@functools.cache
def _asset(name: str) -> str:
    return resources.files("sitrep").joinpath("data", name).read_text("utf-8")


@functools.cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as data URIs."""
    css = _asset("leaflet/leaflet.css")

    def inline(m: re.Match) -> str:
        data = resources.files("sitrep").joinpath("data", "leaflet", m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@functools.cache
def world_outlines() -> dict:
    return json.loads(_asset("world110m.geojson"))


def radius(fatalities: int | None) -> float:
    """Marker radius in pixels: area grows with reported fatalities, unknown counts stay small."""
    if not fatalities:
        return 7.0
    return min(28.0, 7.0 + 2.2 * math.sqrt(fatalities))


def colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, OTHER_COLOUR)


def _js_string(text: str) -> str:
    # JSON plus escaped <, > and & so no report text can end the <script> element it sits in.
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Bind(MacroElement):
    """Popup and tooltip bound to the parent marker from JSON strings, never from template literals.

    folium's own Popup/Tooltip paste their HTML into a JS template literal, where a
    report's backtick or "${...}" would run as code; JSON strings cannot.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup({{ this.popup }}, {maxWidth: 440, minWidth: 280});"
        "{{ this._parent.get_name() }}.bindTooltip({{ this.tooltip }}, {sticky: true});"
        "{% endmacro %}"
    )

    def __init__(self, popup_html: str, tooltip: str) -> None:
        super().__init__()
        self._name = "Bind"
        self.popup = _js_string(popup_html)
        self.tooltip = _js_string(escape(tooltip))


class _Outlines(MacroElement):
    """Country outlines in a pane under the tile pane: the base map when offline, hidden by tiles when online."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.createPane('sitrepOutlines');"
        "{{ this._parent.get_name() }}.getPane('sitrepOutlines').style.zIndex = 150;"
        "L.geoJSON({{ this.data }}, {pane: 'sitrepOutlines', interactive: false,"
        " attribution: 'Outlines: Natural Earth',"
        " style: {color: '#8a8f98', weight: 0.8, fillColor: '#f4f1ea', fillOpacity: 1}})"
        ".addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "Outlines"
        self.data = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


def popup_html(me: MergedEvent, href: str | None = None) -> str:
    """The popup of one event: neutral note, actors, fatalities, sources and quoted evidence, all escaped."""
    e = me.event
    where = ", ".join(x for x in (e.location, e.admin1, e.country) if x)
    actors = " vs. ".join(escape(a) for a in (e.actor1, e.actor2) if a) or "not named"
    fat = "not reported" if e.fatalities is None else str(e.fatalities)
    if me.fatalities_range:
        fat = f"{me.fatalities_range[0]}–{me.fatalities_range[1]} (sources differ)"
    sources = escape(", ".join(me.sources) or (e.source or "unknown outlet"))
    rows = [
        f'<div class="sp-type" style="border-color:{colour(e.event_type)}">{escape(e.sub_event_type)}'
        f' <span class="sp-muted">· {escape(e.event_type)}</span></div>',
        f'<div class="sp-where"><b>{escape(where or "unknown place")}</b>'
        f' <span class="sp-muted">{escape(e.event_date or "date unknown")}</span></div>',
        f'<p class="sp-note">{escape(e.notes)}</p>',
        '<table class="sp-facts">',
        f"<tr><th>Actors</th><td>{actors}</td></tr>",
        f"<tr><th>Fatalities</th><td>{escape(fat)}</td></tr>",
        f"<tr><th>Sources</th><td>{sources} ({me.corroboration} outlet{'s' if me.corroboration != 1 else ''})</td></tr>",
    ]
    if e.attribution:
        rows.append(f"<tr><th>Citing</th><td>{escape(e.attribution)}</td></tr>")
    rows.append(f"<tr><th>Precision</th><td>{e.geo_precision} ({_PRECISION.get(e.geo_precision, '')})</td></tr>")
    rows.append("</table>")
    if e.evidence:
        rows.append('<div class="sp-ev-h">Evidence (report wording, quoted)</div><ul class="sp-ev">')
        for ev in e.evidence[:4]:
            who = escape(ev.source or "?")
            rows.append(f"<li><q>{escape(_clip(ev.text))}</q> <span class=\"sp-muted\">— {who}, line {ev.line}</span></li>")
        if len(e.evidence) > 4:
            rows.append(f'<li class="sp-muted">and {len(e.evidence) - 4} more</li>')
        rows.append("</ul>")
    if href:
        rows.append(f'<a class="sp-link" href="{escape(href)}">All mentions and evidence →</a>')
    return "".join(rows)


_PRECISION = {1: "the named place", 2: "near the place", 3: "region only"}


def _clip(text: str, n: int = 260) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _open_zoom(lats: list[float], lons: list[float], width_px: int = 900, height_px: int = 650) -> int:
    """The zoom Leaflet's fitBounds will pick for these points on a typical screen (max 9)."""
    lon_span = max(max(lons) - min(lons) + 0.6, 0.05)
    lat_span = max(max(lats) - min(lats) + 0.6, 0.05)
    z_lon = math.log2(width_px * 360 / (256 * lon_span))
    z_lat = math.log2(height_px * 170 / (256 * lat_span))
    return max(2, min(9, int(min(z_lon, z_lat))))


def _positions(events: Sequence[MergedEvent]) -> dict[str, tuple[float, float]]:
    at: dict[tuple[float, float], list[MergedEvent]] = defaultdict(list)
    for me in events:
        e = me.event
        if e.latitude is not None and e.longitude is not None:
            at[(round(e.latitude, 4), round(e.longitude, 4))].append(me)
    out: dict[str, tuple[float, float]] = {}
    if not at:
        return out
    zoom = _open_zoom([k[0] for k in at], [k[1] for k in at])
    fan = _FAN_PX * 360 / (256 * 2**zoom)
    for (lat, lon), group in at.items():
        if len(group) == 1:
            out[group[0].event.event_id] = (lat, lon)
            continue
        step = 2 * math.pi / len(group)
        r = fan * max(1.0, len(group) / 6)
        for i, me in enumerate(sorted(group, key=lambda m: m.event.event_id)):
            out[me.event.event_id] = (lat + r * math.sin(i * step), lon + r * math.cos(i * step) / max(0.2, math.cos(math.radians(lat))))
    return out


_PAGE_CSS = """
html, body {height: 100%; margin: 0; font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;}
.folium-map {background: #dbe4ec;}
.leaflet-popup-content {font-size: 13px; line-height: 1.4; color: #222;}
.sp-type {font-weight: 600; border-left: 4px solid; padding-left: 6px; margin-bottom: 4px;}
.sp-where {margin-bottom: 6px;}
.sp-muted {color: #666; font-weight: normal;}
.sp-note {margin: 6px 0;}
.sp-facts {border-collapse: collapse; margin: 4px 0;}
.sp-facts th {text-align: left; color: #555; font-weight: 600; padding: 1px 8px 1px 0; vertical-align: top;}
.sp-facts td {padding: 1px 0;}
.sp-ev-h {margin-top: 6px; font-weight: 600; color: #555;}
.sp-ev {margin: 2px 0 0 16px; padding: 0; max-height: 150px; overflow-y: auto;}
.sp-ev li {margin-bottom: 3px;}
.sp-ev q {font-style: italic;}
.sp-link {display: inline-block; margin-top: 6px;}
.sp-box {background: rgba(255,255,255,.94); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 12.5px; line-height: 1.45; color: #222; max-width: 300px;}
.sp-box h1 {font-size: 15px; margin: 0 0 4px 0;}
.sp-box .sw {display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px;
  vertical-align: -1px; border: 1.5px solid rgba(0,0,0,.35);}
.sp-box .muted {color: #666;}
.sp-country {color: #a3a8b0; font-size: 14px; letter-spacing: .25em; text-transform: uppercase;
  white-space: nowrap; transform: translate(-50%, -50%); font-weight: 600;}
.sp-place {color: #333; font-size: 11.5px; white-space: nowrap; transform: translate(9px, -50%);
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;}
@media print {.leaflet-control-layers {display: none;}}
"""


def _legend(title: str, events: Sequence[MergedEvent], unplaced: int) -> str:
    counts = Counter(me.event.event_type for me in events)
    fat = sum(me.event.fatalities or 0 for me in events)
    rows = [f"<h1>{escape(title)}</h1>",
            f'<div class="muted">{len(events)} event{"s" if len(events) != 1 else ""}, '
            f"{fat} reported fatalities</div>"]
    for etype in list(EVENT_TYPES) + sorted(set(counts) - set(EVENT_TYPES)):
        if counts.get(etype):
            rows.append(f'<div><span class="sw" style="background:{colour(etype)}"></span>'
                        f"{escape(etype)} <span class=\"muted\">({counts[etype]})</span></div>")
    rows.append('<div class="muted">Circle area: reported fatalities. Dashed: place approximate (near/region).</div>')
    if unplaced:
        rows.append(f'<div class="muted">{unplaced} event{"s" if unplaced != 1 else ""} without coordinates not shown.</div>')
    return "".join(rows)


class _Labels(MacroElement):
    """Plain text labels (country and place names), since the offline base map has none."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var m = {{ this._parent.get_name() }}, g = L.layerGroup();"
        "[['sitrepCountryLabels', 350], ['sitrepPlaceLabels', 450]].forEach(function(p){"
        " m.createPane(p[0]); m.getPane(p[0]).style.zIndex = p[1]; m.getPane(p[0]).style.pointerEvents = 'none';});"
        "{{ this.labels }}.forEach(function(l){L.marker([l[0], l[1]], {interactive: false, keyboard: false,"
        " pane: l[3] === 'sp-country' ? 'sitrepCountryLabels' : 'sitrepPlaceLabels',"
        " icon: L.divIcon({className: l[3], html: l[2], iconSize: null})}).addTo(g);});"
        "g.addTo(m);"
        # Place names that would overprint one another are hidden (first listed wins), again on every zoom.
        "function declutter(){var kept = [];"
        " document.querySelectorAll('.sp-place').forEach(function(el){el.style.visibility = 'visible';"
        "  var r = el.getBoundingClientRect();"
        "  var hit = kept.some(function(k){return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;});"
        "  if (hit) {el.style.visibility = 'hidden';} else {kept.push(r);}});}"
        "m.on('zoomend moveend', declutter); m.whenReady(function(){setTimeout(declutter, 0);});"
        "})();"
        "{% endmacro %}"
    )

    def __init__(self, labels: list[tuple[float, float, str, str]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.labels = json.dumps([[la, lo, escape(text), cls] for la, lo, text, cls in labels]).replace("<", "\\u003c")


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if abs(a) < 1e-12:
        return ring[0][0], ring[0][1], 0.0
    return cx / (3 * a), cy / (3 * a), abs(a) / 2


def country_labels(south: float, west: float, north: float, east: float) -> list[tuple[float, float, str, str]]:
    """A label point (centroid of the largest polygon) for each country whose label falls in the box."""
    out = []
    for f in world_outlines()["features"]:
        g, name = f["geometry"], f["properties"].get("name")
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        x, y, _ = max((_ring_centroid(p[0]) for p in polys), key=lambda t: t[2])
        if name and south <= y <= north and west <= x <= east:
            out.append((y, x, name, "sp-country"))
    return out


class _Legend(MacroElement):
    """A fixed box under the layer control: title, counts by type, how to read the markers."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var c = L.control({position: 'topright'});"
        "c.onAdd = function(){var d = L.DomUtil.create('div', 'sp-box'); d.innerHTML = {{ this.html }};"
        " L.DomEvent.disableClickPropagation(d); return d;};"
        "c.addTo({{ this._parent.get_name() }});})();"
        "{% endmacro %}"
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = _js_string(html)


def build_map(
    events: Sequence[MergedEvent],
    title: str = "sitrep: events",
    href: Callable[[MergedEvent], str] | None = None,
    tiles: bool = True,
) -> str:
    """The events as one self-contained Leaflet map page (HTML), coloured by type, sized by fatalities.

    href: link from each popup to the event's own page (the web app passes one).
    tiles: offer an OpenStreetMap overlay (off until switched on; needs internet).
    """
    placed = [me for me in events if me.event.latitude is not None and me.event.longitude is not None]
    m = folium.Map(location=[34.8, 38.5], zoom_start=6, tiles=None, control_scale=True, prefer_canvas=False)
    # The CDN links folium adds are replaced by the vendored Leaflet, inlined below;
    # jQuery, Bootstrap and the icon fonts are not needed by anything on this map.
    m.default_js = []
    m.default_css = []
    root = m.get_root()
    root.header.add_child(Element(f"<style>{leaflet_css()}</style><style>{_PAGE_CSS}</style>"), name="sitrep_css")
    root.header.add_child(Element(f"<script>{_asset('leaflet/leaflet.js')}</script>"), name="leaflet_js")
    root.title = title
    m.add_child(_Outlines(world_outlines()))
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap tiles (online only)", overlay=True, show=False, control=True,
        ).add_to(m)

    pos = _positions(placed)
    groups: dict[str, folium.FeatureGroup] = {}
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    for etype in sorted({me.event.event_type for me in placed}, key=lambda t: (order.get(t, 99), t)):
        n = sum(1 for me in placed if me.event.event_type == etype)
        label = (f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
                 f'background:{colour(etype)};margin-right:4px"></span>{escape(etype)} ({n})')
        groups[etype] = folium.FeatureGroup(name=label, show=True).add_to(m)
    # Big circles first, so small ones stay clickable on top of them.
    for me in sorted(placed, key=lambda x: -(x.event.fatalities or 0)):
        e = me.event
        c = colour(e.event_type)
        marker = folium.CircleMarker(
            location=pos[e.event_id],
            radius=radius(e.fatalities),
            color="#222222" if e.geo_precision == 1 else c,
            weight=1.2 if e.geo_precision == 1 else 2,
            dash_array=None if e.geo_precision == 1 else "3 3",
            fill=True,
            fill_color=c,
            fill_opacity=0.78,
            class_name=f"{MARKER_CLASS} sitrep-{_slug(e.event_type)} sitrep-ev-{_slug(e.event_id)}",
        )
        tip = f"{e.sub_event_type} — {e.location or 'unknown place'}"
        if e.fatalities:
            tip += f" — {e.fatalities} reported killed"
        marker.add_child(_Bind(popup_html(me, href(me) if href else None), tip))
        marker.add_to(groups[e.event_type])
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.add_child(_Legend(_legend(title, events, len(events) - len(placed))))
    labels = []
    if placed:
        lats = [p[0] for p in pos.values()]
        lons = [p[1] for p in pos.values()]
        pad = 0.3
        # The legend and layer control sit on the right: keep the markers clear of them.
        m.fit_bounds([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]], max_zoom=9,
                     padding_top_left=(30, 30), padding_bottom_right=(330, 30))
        labels = country_labels(min(lats) - 4, min(lons) - 6, max(lats) + 4, max(lons) + 6)
    named: dict[str, tuple[float, float]] = {}
    for me in sorted(placed, key=lambda x: (-(x.event.fatalities or 0), -x.corroboration, x.event.geo_precision)):
        e = me.event
        if e.location and e.location not in named:
            named[e.location] = (e.latitude, e.longitude)
    labels += [(la, lo, name, "sp-place") for name, (la, lo) in named.items()]
    m.add_child(_Labels(labels))
    return root.render()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
