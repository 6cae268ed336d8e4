"""The web app: the brief, the map, a filterable event table, event pages, downloads and a JSON API.

Pages are rendered on the server (filters are a plain GET form, so they work
without JavaScript), with Jinja2 autoescaping every value: report text, outlet
names and titles always show as text.  Reading needs nothing; posting a report
needs ``Authorization: Bearer <token>`` (the token given to create_app, else
$SITREP_TOKEN), and is refused with 503 when no token is configured at all.
The token, the body's size, the Host header and the security headers are
webguard's; a posted report is extracted in the background (webjobs).  Errors
tell the client what it can act on and a request id; details go to the log.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment
from pydantic import BaseModel, Field

from .errors import InputError, SitrepError, StoreError
from .merge import MergedEvent
from .model import EVENT_TYPES, Report
from .settings import Settings, parse_date
from .store import EventQuery, Store
from .webguard import (
    MAX_BODY_BYTES,
    SecurityHeaders,
    WriteGuard,
    bearer,
    request_id,
    token_matches,
)
from .webjobs import JobFailed, JobQueue
from .workbench import mount as mount_workbench

log = logging.getLogger("sitrep.web")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
RETRY_AFTER = "5"  # seconds a client is asked to wait when the queue is full or the store unavailable


def host_patterns(names) -> list[str]:
    """Host header values as the Host check compares them: lower case, an IPv6 address in brackets."""
    out = []
    for name in names:
        name = name.strip().lower()
        out.append(f"[{name}]" if ":" in name and not name.startswith("[") else name)
    return list(dict.fromkeys(n for n in out if n))


@dataclass(slots=True)
class EventFilter:
    """The event table's filters; every field optional, as in the GET form."""

    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None
    min_corroboration: int = 1

    def query(self) -> EventQuery:
        return EventQuery(self.date_from, self.date_to, self.country, self.admin1, self.event_type, self.actor,
                          self.min_corroboration)

    def apply(self, store: Store) -> list[MergedEvent]:
        """The stored events passing every filter, oldest first, as reviewed (rejected ones left out)."""
        from .review import reviewed_events

        return reviewed_events(store, **self.filters())

    def filters(self) -> dict:
        """The filters by store.events' names."""
        return {"date_from": self.date_from, "date_to": self.date_to, "country": self.country,
                "admin1": self.admin1, "event_type": self.event_type, "actor": self.actor,
                "min_corroboration": self.min_corroboration}

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "date_from": self.date_from, "date_to": self.date_to, "country": self.country, "admin1": self.admin1,
            "type": self.event_type, "actor": self.actor,
            "min_corroboration": self.min_corroboration if self.min_corroboration > 1 else None,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def _blank(v: str | None) -> str | None:
    v = (v or "").strip()
    return v or None


def event_filter(
    date_from: str | None = Query(None, description="First event date, YYYY-MM-DD."),
    date_to: str | None = Query(None, description="Last event date, YYYY-MM-DD."),
    country: str | None = Query(None, description="Country name or ISO code (Syria, SY, SYR)."),
    admin1: str | None = Query(None, description="First-level region (governorate, province)."),
    type: str | None = Query(None, description="ACLED event type or sub-event type."),
    actor: str | None = Query(None, description="Part of an actor's name, any side (case-insensitive)."),
    min_corroboration: str | None = Query(None, description="Only events told by at least this many outlets."),
) -> EventFilter:
    """Filters from query parameters; empty form fields mean 'any'."""
    try:
        mc = int(min_corroboration) if _blank(min_corroboration) else 1
        return EventFilter(
            date_from=parse_date(_blank(date_from)), date_to=parse_date(_blank(date_to)),
            country=_blank(country), admin1=_blank(admin1), event_type=_blank(type),
            actor=_blank(actor), min_corroboration=max(1, mc),
        )
    except (SitrepError, ValueError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None


class ReportIn(BaseModel):
    """A news report to extract events from and store."""

    text: str = Field(..., min_length=1, description="The report's text (plain text).")
    source: str | None = Field(None, description="Outlet, e.g. 'SANA' or 'SOHR'.")
    date: str | None = Field(None, description="Publication date YYYY-MM-DD; relative dates resolve against it.")
    url: str | None = None
    title: str | None = None


class ReportOut(BaseModel):
    """What storing a report did."""

    status: str = Field(..., description="'new', or 'seen' when the same text was stored before.")
    report_id: str
    events: int = Field(..., description="Events the extractor found in the report.")
    events_new: int = Field(..., description="Of them, events no stored report had told.")
    events_merged: int = Field(..., description="Of them, events merged with another outlet's telling.")
    event_ids: list[str] = Field(default_factory=list, description="Merged event ids the report contributes to.")


_CSS = """
:root {--ink:#1d232b; --muted:#5d6773; --rule:#dde2e8; --accent:#0b5cab;}
* {box-sizing: border-box;}
body {margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #f4f6f8;}
header.top {background: #1d232b; color: #fff; padding: 10px 24px; display: flex; gap: 22px; align-items: baseline;}
header.top b {font-size: 16px; letter-spacing: .02em;}
header.top a {color: #cfe0f5; text-decoration: none;}
header.top a.on {color: #fff; border-bottom: 2px solid #fff;}
.wrap {max-width: 1280px; margin: 0 auto; padding: 18px 24px;}
h1 {font-size: 21px; margin: 4px 0 12px;}
h2 {font-size: 16px; margin: 22px 0 8px;}
form.filters {display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end; background: #fff; padding: 12px 14px;
  border: 1px solid var(--rule); border-radius: 6px;}
form.filters label {display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 3px;}
form.filters input, form.filters select {font: inherit; padding: 4px 6px; border: 1px solid #b9c1ca; border-radius: 4px; min-width: 120px;}
form.filters input[type=number] {min-width: 70px; width: 80px;}
button, .btn {font: inherit; padding: 5px 14px; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; cursor: pointer; text-decoration: none; display: inline-block;}
.btn.plain {background: #fff; color: var(--accent);}
.count {margin: 12px 0 6px; color: var(--muted);}
.count a {margin-left: 10px;}
table.events {width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--rule);}
table.events th, table.events td {text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--rule); vertical-align: top;}
table.events th {background: #eef1f4; font-size: 12px; color: var(--muted); position: sticky; top: 0;}
table.events td.n {text-align: right; font-variant-numeric: tabular-nums;}
.sw {display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px;}
.muted {color: var(--muted);}
.note {max-width: 460px;}
dl.facts {display: grid; grid-template-columns: 170px 1fr; gap: 4px 14px; background: #fff; padding: 12px 16px;
  border: 1px solid var(--rule); border-radius: 6px;}
dl.facts dt {color: var(--muted);}
dl.facts dd {margin: 0;}
.mention {background: #fff; border: 1px solid var(--rule); border-left: 3px solid #9aa6b2; padding: 8px 12px; margin: 8px 0; border-radius: 4px;}
.mention q {font-style: italic;}
.mention .src {color: var(--muted); font-size: 12.5px; margin-top: 3px;}
header.top .who {margin-left: auto; color: #cfe0f5; font-size: 13px;}
header.top form.inline {display: inline; margin: 0;}
header.top button.link {background: none; border: none; color: #cfe0f5; padding: 0 0 0 10px; font-size: 13px; text-decoration: underline;}
.flash {padding: 8px 12px; border-radius: 4px; background: #e7f0fb;}
.flash.bad {background: #fbe9e7; color: #8a1f11;}
.tag {display: inline-block; font-size: 11px; padding: 0 7px; border-radius: 9px; vertical-align: 2px; font-weight: 600;}
.tag.rev {background: #dcefe6; color: #0d5c3b;}
.btn.danger, button.danger {background: #fff; color: #a3261a; border-color: #a3261a;}
form.review label.wide {flex-basis: 100%;}
form.review textarea, form.review label.wide input {width: 100%; font: inherit;}
table.audit td {font-size: 13px;}
.chart {background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 10px; overflow-x: auto;}
.frame {border: 1px solid var(--rule); width: 100%; height: calc(100vh - 120px); background: #fff;}
a {color: var(--accent);}
"""

_LAYOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }} · sitrep</title>
<style>{{ css }}</style></head><body>
<header class="top"><b>sitrep</b>
{% for label, href in nav %}<a href="{{ href }}"{% if label == active %} class="on"{% endif %}>{{ label }}</a>{% endfor %}
{% if user %}<span class="who">{{ user.name }} · {{ user.role }}<form class="inline" method="post" action="/logout">
<input type="hidden" name="csrf" value="{{ csrf }}"><button class="link" type="submit">Log out</button></form></span>
{% else %}<a class="who" href="/login">Log in</a>{% endif %}
</header><div class="wrap">{{ body }}</div></body></html>"""

_EVENTS = """<h1>Events</h1>
<form class="filters" method="get" action="/events">
<label>From <input type="date" name="date_from" value="{{ f.date_from or '' }}"></label>
<label>To <input type="date" name="date_to" value="{{ f.date_to or '' }}"></label>
<label>Country <select name="country"><option value="">any</option>
{% for c in countries %}<option{% if f.country == c %} selected{% endif %}>{{ c }}</option>{% endfor %}</select></label>
<label>Region (admin1) <select name="admin1"><option value="">any</option>
{% for a in admin1s %}<option{% if f.admin1 == a %} selected{% endif %}>{{ a }}</option>{% endfor %}</select></label>
<label>Event type <select name="type"><option value="">any</option>
{% for t, subs in types.items() %}<option{% if f.event_type == t %} selected{% endif %}>{{ t }}</option>
{% for s in subs %}<option value="{{ s }}"{% if f.event_type == s %} selected{% endif %}>&nbsp;&nbsp;– {{ s }}</option>{% endfor %}{% endfor %}</select></label>
<label>Actor <input type="text" name="actor" value="{{ f.actor or '' }}" placeholder="e.g. Islamic State"></label>
<label>Min. outlets <input type="number" name="min_corroboration" min="1" value="{{ f.min_corroboration }}"></label>
<button type="submit">Filter</button> <a class="btn plain" href="/events">Clear</a>
</form>
<p class="count" id="count">{{ "{:,}".format(total) }} event{{ "s" if total != 1 }}{% if total > events|length %}, {{ events|length }} on this page, newest first{% endif %}
<a href="/map{{ '?' ~ qs if qs }}">map</a> <a href="/trends{{ '?' ~ qs if qs }}">trends</a> <a href="/api/events.csv{{ '?' ~ qs if qs }}">CSV</a>
<a href="/api/events.geojson{{ '?' ~ qs if qs }}">GeoJSON</a> <a href="/api/events{{ '?' ~ qs if qs }}">JSON</a></p>
<table class="events" id="events"><thead><tr><th>Date</th><th>Type</th><th>Place</th><th>Actors</th>
<th>Fatalities</th><th>Outlets</th><th>Note</th></tr></thead><tbody>
{% for me in events %}{% set e = me.event %}<tr class="event-row" data-id="{{ e.event_id }}">
<td>{{ e.event_date or "?" }}</td>
<td><span class="sw" style="background:{{ colour(e.event_type) }}"></span><a href="/events/{{ e.event_id }}">{{ e.sub_event_type }}</a>
{% if me.reviewed %}<span class="tag rev">reviewed</span>{% endif %}
<div class="muted">{{ e.event_type }}</div></td>
<td>{{ e.location or "?" }}<div class="muted">{{ [e.admin1, e.country]|select|join(", ") }}</div></td>
<td>{{ [e.actor1, e.actor2]|select|join(" · ") }}</td>
<td class="n">{{ "?" if e.fatalities is none else e.fatalities }}</td>
<td>{{ me.sources|join(", ") }}{% if me.corroboration > 1 %} <b>({{ me.corroboration }})</b>{% endif %}</td>
<td class="note">{{ e.notes }}</td></tr>
{% else %}<tr><td colspan="7" class="muted">No event matches these filters.</td></tr>{% endfor %}
</tbody></table>
{% if more %}<p><a class="btn plain" rel="next" href="{{ more }}">Older events</a></p>{% endif %}"""

_EVENT = """{% set e = me.event %}<p><a href="/events">← all events</a></p>
<h1><span class="sw" style="background:{{ colour(e.event_type) }}"></span>{{ e.sub_event_type }}: {{ e.location or "unknown place" }}, {{ e.event_date or "date unknown" }}</h1>
<p>{{ e.notes }}</p>
<dl class="facts">
<dt>Event id</dt><dd><code>{{ e.event_id }}</code></dd>
<dt>Event type</dt><dd>{{ e.event_type }} / {{ e.sub_event_type }} ({{ e.disorder_type }})</dd>
<dt>Actor 1</dt><dd>{{ e.actor1 or "not named" }}{% if e.inter1 %} <span class="muted">(inter {{ e.inter1 }})</span>{% endif %}</dd>
<dt>Actor 2</dt><dd>{{ e.actor2 or "not named" }}{% if e.inter2 %} <span class="muted">(inter {{ e.inter2 }})</span>{% endif %}</dd>
<dt>Place</dt><dd>{{ [e.location, e.admin2, e.admin1, e.country]|select|join(", ") or "unknown" }}
{% if e.latitude is not none %}<span class="muted">({{ "%.4f"|format(e.latitude) }}, {{ "%.4f"|format(e.longitude) }}; precision {{ e.geo_precision }})</span>{% endif %}</dd>
<dt>Fatalities</dt><dd>{{ "not reported" if e.fatalities is none else e.fatalities }}{% if me.fatalities_range %} (outlets report {{ me.fatalities_range[0] }}–{{ me.fatalities_range[1] }}){% endif %}</dd>
<dt>Outlets</dt><dd>{{ me.sources|join(", ") or e.source or "unknown" }} — corroboration {{ me.corroboration }}</dd>
<dt>Attribution</dt><dd>{{ e.attribution or "none given" }}</dd>
</dl>
<h2>Mentions and evidence ({{ e.evidence|length }})</h2>
{% for ev in e.evidence %}<div class="mention"><q>{{ ev.text }}</q>
<div class="src">{{ ev.source or "unknown outlet" }}{% if ev.attribution %}, citing {{ ev.attribution }}{% endif %} — line {{ ev.line }}
{% set r = reports.get(ev.doc_id) %}{% if r %} of “{{ r.title or r.doc_id }}”{% if r.published %}, {{ r.published }}{% endif %}
{% if r.url %} · <a href="{{ r.url }}" rel="noopener noreferrer nofollow">original</a>{% endif %}{% endif %}</div></div>
{% endfor %}
<p class="muted">Quoted text is the outlets' own wording.</p>
{{ review_html }}"""


def _env() -> Environment:
    from .mapview import colour

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["colour"] = colour
    return env


def _safe_url(url: str | None) -> str | None:
    # Only web links are followed from a page; a stored "javascript:" URL is shown as nothing.
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _guard(app: FastAPI, token: str | None, trusted_hosts, max_body_bytes: int) -> None:
    """What every request passes (webguard), and what a refused or failed one is told."""
    import json

    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    from .workbench import authenticates_itself

    app.add_middleware(WriteGuard, token=token, max_body_bytes=max_body_bytes, own_auth=authenticates_itself)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=host_patterns(trusted_hosts or LOOPBACK_NAMES))
    app.add_middleware(SecurityHeaders)  # added last: the outermost, so every answer gets its headers

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # What is wrong where, without the input echoed back: FastAPI's own handler returned the whole
        # posted text, and a lone surrogate in it ("\ud800") could not be encoded (a 500).
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
                  for e in exc.errors()]
        body = json.dumps({"detail": errors, "request_id": request_id(request.scope)}, ensure_ascii=True)
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return JSONResponse({"detail": exc.detail, "request_id": request_id(request.scope)},
                            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, exc: StoreError) -> Response:
        rid = request_id(request.scope)
        log.error("request %s: %s", rid, exc)  # the store's path and the database's words stay here
        return JSONResponse({"detail": "the event store is unavailable; try again shortly", "request_id": rid},
                            status_code=503, headers={"Retry-After": RETRY_AFTER})


def with_nonce(html: str, request: Request) -> str:
    """A page's own scripts marked with the response's CSP nonce, so that they, and only they, run.

    Only for pages built here whose every outside value is escaped (the map escapes <, > and & in
    its data), so each "<script>" in them is one the page's code wrote."""
    nonce = request.scope.get("state", {}).get("csp_nonce", "")
    return html.replace("<script>", f'<script nonce="{nonce}">').replace("<script src=", f'<script nonce="{nonce}" src=')


def create_app(db_path: str | os.PathLike | None = None, token: str | None = None,
               trusted_hosts: list[str] | tuple[str, ...] | None = None, max_body_bytes: int = MAX_BODY_BYTES,
               queue_size: int = 16) -> FastAPI:
    """The sitrep web app over one store file (created if missing).

    trusted_hosts: the names clients may use in the Host header (default: the loopback names);
    max_body_bytes: the largest request body read; queue_size: posted reports waiting at most."""
    store = Store(db_path)
    token = token if token is not None else (os.environ.get("SITREP_TOKEN") or None)
    app = FastAPI(
        title="sitrep",
        description="ACLED-coded political-violence events from news reports: brief, map, events, downloads. "
                    "Reading needs no token; POST /api/reports needs `Authorization: Bearer <SITREP_TOKEN>`.",
        version="0.1.0",
        docs_url=None,  # served below from the bundled Swagger UI: the default page loads it from a CDN
    )
    app.state.store = store
    _guard(app, token, trusted_hosts, max_body_bytes)
    # The store lets readers and writers in side by side; the workbench and a watcher beside the app
    # take this (empty) turn around their store use, and a store that needs turns can put a lock here.
    app.state.lock = contextlib.nullcontext()
    web = _Web(app, store)
    web.auth = mount_workbench(app, store, app.state.lock, web.page, web.events_for, event_filter, web.env)
    _mount_pages(app, web)
    _mount_api(app, web)
    _mount_posting(app, store, token, queue_size)
    return app


class _Web:
    """What the app's pages and API share: the store, the templates, the navigation, the signed-in user."""

    def __init__(self, app: FastAPI, store: Store) -> None:
        self.app, self.store = app, store
        self.env = _env()
        self.layout = self.env.from_string(_LAYOUT)
        self.nav = [("Brief", "/"), ("Map", "/map"), ("Events", "/events"), ("Trends", "/trends"), ("API", "/docs")]
        self.auth = None

    def page(self, title: str, body: str, active: str, request: Request | None = None) -> HTMLResponse:
        from markupsafe import Markup

        user = self.auth.user(request) if request is not None else None
        csrf = self.auth.csrf(request) if user is not None else None
        return HTMLResponse(self.layout.render(title=title, css=Markup(_CSS), body=Markup(body), nav=self.nav,
                                               active=active, user=user, csrf=csrf))

    def paged(self, f: EventFilter, pg: Page, newest_first: bool = False) -> tuple[list[MergedEvent], str | None]:
        """One page of the filtered events (as reviewed) and the cursor of the next."""
        from .review import reviewed

        try:
            found, nxt = self.store.events_page(f.query(), limit=pg.limit, after=pg.after, newest_first=newest_first)
        except InputError as exc:  # an unknown country or a bad cursor: the request's fault
            raise HTTPException(status_code=400, detail=str(exc)) from None
        return reviewed(self.app.state.review, found, f.filters()), nxt

    def events_for(self, f: EventFilter) -> list[MergedEvent]:
        try:
            return f.apply(self.store)
        except InputError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None

    def download(self, f: EventFilter, pg: Page, request: Request, fmt: str, media_type: str) -> Response:
        """A page of the filtered events as a file in one of export's formats."""
        from .export import export_string

        found, nxt = self.paged(f, pg)
        headers = {"Content-Disposition": f'attachment; filename="sitrep-events.{fmt}"'}
        return Response(export_string(found, fmt), media_type=media_type, headers=headers | next_link(request, nxt))


def _mount_pages(app: FastAPI, web: _Web) -> None:
    """The brief, the map, the event table and an event's page."""
    store, nav = web.store, web.nav

    @app.get("/", response_class=HTMLResponse, summary="The brief (HTML)")
    def brief_page(
        since: str | None = Query(None, description="24h, 7d, 2w: counted back from the newest stored event."),
        date: str | None = Query(None, description="The brief of a day: that day and the day before."),
        country: str | None = Query(None),
    ) -> HTMLResponse:
        from .brief import build_brief, country_days, render_html

        try:
            b = build_brief(store, since=_blank(since), date=_blank(date), country=_blank(country))
        except InputError as exc:  # the request's own values; a StoreError is the handler's (no path shown)
            raise HTTPException(status_code=422, detail=str(exc)) from None
        html = render_html(b, nav=nav, href=lambda it: f"/events/{it.event_id}",
                           choices=sorted(country_days(store).items()), since=_blank(since), date=_blank(date))
        return HTMLResponse(html)

    @app.get("/map", response_class=HTMLResponse, summary="Map of events: clustered, with a date slider and filters (HTML)")
    def map_page(request: Request, f: EventFilter = Depends(event_filter)) -> HTMLResponse:
        from .mapview import map_page as page_of
        from .workbench import csp_nonce

        qs = f.query_string()
        return HTMLResponse(page_of("sitrep: events" + (" (filtered)" if qs else ""),
                                    "/api/map.json" + ("?" + qs if qs else ""), asset_base="/static/sitrep", nav=nav,
                                    nonce=csp_nonce(request)))

    @app.get("/events", response_class=HTMLResponse, summary="Event table with filters (HTML)")
    def events_page(request: Request, f: EventFilter = Depends(event_filter),
                    pg: Page = Depends(page_params(TABLE_LIMIT))) -> HTMLResponse:
        found, nxt = web.paged(f, pg, newest_first=True)
        more = str(request.url.include_query_params(after=nxt)) if nxt else None
        body = web.env.from_string(_EVENTS).render(
            events=found, total=store.count_events(f.query()), more=more, f=f, countries=store.distinct("country"),
            admin1s=store.distinct("admin1"), types=EVENT_TYPES, qs=f.query_string(),
        )
        return web.page("Events", body, "Events", request)

    @app.get("/events/{event_id}", response_class=HTMLResponse, summary="One event with all its mentions (HTML)")
    def event_page(event_id: str, request: Request) -> HTMLResponse:
        from .workbench import review_section

        me = store.event(event_id)
        if me is None:
            raise HTTPException(status_code=404, detail=f"no event {event_id}")
        me = app.state.review.apply([me], include_rejected=True)[0]
        user = web.auth.user(request)
        review_html = review_section(web.env, me, app.state.review.history(me), user,
                                     web.auth.csrf(request) if user is not None else None)
        reports = store.reports_meta(ev.doc_id for ev in me.event.evidence if ev.doc_id)
        for meta in reports.values():
            meta["url"] = _safe_url(meta["url"])
        body = web.env.from_string(_EVENT).render(me=me, reports=reports, review_html=review_html)
        return web.page(f"{me.event.sub_event_type}, {me.event.location or ''}", body, "Events", request)


def _mount_api(app: FastAPI, web: _Web) -> None:
    """Events as JSON, CSV, GeoJSON and compact map points, a page at a time, with the table's filters."""

    @app.get("/api/events", summary="Events as JSON, oldest first, a page at a time (same filters as the table)",
             description="A page of events; when there are more, the `Link` header names the next page (rel=next).")
    def api_events(request: Request, response: Response, f: EventFilter = Depends(event_filter),
                   pg: Page = Depends(page_params(API_LIMIT))) -> list[dict[str, Any]]:
        found, nxt = web.paged(f, pg)
        response.headers.update(next_link(request, nxt))
        return [me.to_dict() for me in found]

    @app.get("/api/events.csv", summary="Events as ACLED-style CSV, a page at a time", response_class=Response,
             responses={200: {"content": {"text/csv": {}}}})
    def api_events_csv(request: Request, f: EventFilter = Depends(event_filter),
                       pg: Page = Depends(page_params(DOWNLOAD_LIMIT))) -> Response:
        return web.download(f, pg, request, "csv", "text/csv; charset=utf-8")

    @app.get("/api/events.geojson", summary="Events as GeoJSON with every field, a page at a time",
             response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
    def api_events_geojson(request: Request, f: EventFilter = Depends(event_filter),
                           pg: Page = Depends(page_params(DOWNLOAD_LIMIT))) -> Response:
        return web.download(f, pg, request, "geojson", "application/geo+json")

    @app.get("/api/points.geojson", summary="Placed events as compact GeoJSON points for maps, a page at a time",
             response_class=Response, responses={200: {"content": {"application/geo+json": {}}}},
             description="Each feature: id, and properties d (date), t (event type), s (sub-event type), "
                         "f (fatalities), l (location), c (outlets). Same filters as /api/events.")
    def api_points(request: Request, f: EventFilter = Depends(event_filter),
                   pg: Page = Depends(page_params(POINTS_LIMIT, POINTS_MAX))) -> Response:
        try:
            rows, nxt = web.store.points(f.query(), limit=pg.limit, after=pg.after)
        except InputError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        return Response(points_geojson(rows), media_type="application/geo+json", headers=next_link(request, nxt))


# Page sizes: the default and the most a client may ask for.
API_LIMIT, API_MAX = 500, 5000
DOWNLOAD_LIMIT, DOWNLOAD_MAX = 10_000, 100_000
POINTS_LIMIT, POINTS_MAX = 5000, 50_000
TABLE_LIMIT = 200


@dataclass(slots=True)
class Page:
    limit: int
    after: str | None


def page_params(default: int, most: int | None = None):
    most = most or {API_LIMIT: API_MAX, DOWNLOAD_LIMIT: DOWNLOAD_MAX}.get(default, default)

    def params(
        limit: int = Query(default, ge=1, le=most, description=f"Events per page (at most {most})."),
        after: str | None = Query(None, description="Cursor of the page to start after (from the previous page's link)."),
    ) -> Page:
        return Page(limit, _blank(after))

    return params


def next_link(request: Request, cursor: str | None) -> dict[str, str]:
    """A Link header naming the next page, when there is one."""
    if not cursor:
        return {}
    return {"Link": f'<{request.url.include_query_params(after=cursor)}>; rel="next"'}


def points_geojson(rows: list[tuple]) -> str:
    """Compact GeoJSON: short property names, coordinates to 4 decimals (about 10 m)."""
    import json

    feats = [{"type": "Feature", "id": eid, "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
              "properties": {"d": day.isoformat() if day else None, "t": et, "s": sub, "f": fat, "l": loc, "c": n}}
             for eid, day, et, sub, fat, loc, n, lat, lon in rows]
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":"))


class JobOut(BaseModel):
    """A posted report's job: queued, running, done (with its result) or failed (with the reason)."""

    job_id: str
    status: str = Field(..., description="queued, running, done or failed.")
    status_url: str = Field(..., description="GET it until the status is done or failed.")
    result: ReportOut | None = None
    error: str | None = None


def _mount_posting(app: FastAPI, store: Store, token: str | None, queue_size: int) -> None:
    """POST /api/reports (queued, extracted in the background) and GET /api/jobs/{job_id}."""

    def store_report(payload: tuple[Report, Settings]) -> dict[str, Any]:
        from .pipeline import process

        report, settings = payload
        try:
            report = process(report, settings)  # in the job's thread: no request waits on it
        except SitrepError as exc:  # about the posted document (too slow, unreadable): the client's to know
            raise JobFailed(str(exc)) from None
        result = store.add_report(report, report.events)  # a StoreError is logged; the client gets the id
        ids = _event_ids(store, result.report_id)
        return ReportOut(status=result.status, report_id=result.report_id, events=len(report.events),
                         events_new=result.events_new, events_merged=result.events_merged,
                         event_ids=ids).model_dump()

    jobs = JobQueue(store_report, size=queue_size)
    app.state.jobs = jobs

    def require_token(request: Request,
                      authorization: str | None = Header(None, description="Bearer <SITREP_TOKEN>")) -> None:
        # WriteGuard has checked it before the body was read; checked again here, where it is documented.
        given = bearer(request.scope)
        if not token or given is None or not token_matches(given, token):
            raise HTTPException(status_code=401, detail="a valid 'Authorization: Bearer <token>' header is required",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.post("/api/reports", status_code=202, dependencies=[Depends(require_token)], response_model=JobOut,
              responses={200: {"model": ReportOut, "description": "The same text was stored before."},
                         503: {"description": "Too many reports waiting, or the store is busy: see Retry-After."}},
              summary="Queue a report: its events are extracted and stored in the background (needs the token)")
    def post_report(body: ReportIn, request: Request) -> JSONResponse:
        try:
            settings = Settings(date=body.date, source=body.source)
        except SitrepError as exc:  # the posted date: the client's own value
            raise HTTPException(status_code=422, detail=str(exc)) from None
        if len(body.text.encode("utf-8")) > settings.max_bytes:
            raise HTTPException(status_code=413, detail=f"report larger than {settings.max_bytes} bytes")
        report = Report(text=body.text, doc_id=body.title or body.url or "api", date=settings.date,
                        source=body.source, url=body.url, title=body.title)
        if store.has_report(report.text):
            from .store import content_hash

            rid = content_hash(report.text)[:16]
            return JSONResponse(ReportOut(status="seen", report_id=rid, events=0, events_new=0,
                                          events_merged=0, event_ids=_event_ids(store, rid)).model_dump())
        job = jobs.submit((report, settings), request_id(request.scope))
        if job is None:
            raise HTTPException(status_code=503, detail="too many reports waiting to be extracted; try again shortly",
                                headers={"Retry-After": RETRY_AFTER})
        return JSONResponse(job.to_dict(), status_code=202, headers={"Location": job.to_dict()["status_url"]})

    @app.get("/api/jobs/{job_id}", response_model=JobOut, summary="A posted report's job and, when done, its result")
    def job_status(job_id: str) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(status_code=404, detail="no such job (finished jobs are kept for a while only)")
        return job.to_dict()


def _event_ids(store: Store, report_id: str) -> list[str]:
    return store.report_event_ids(report_id)


def default_trusted_hosts(host: str) -> list[str]:
    """The Host names a server bound to ``host`` answers by default: the loopback names and the bind
    address; bound to every address, also this machine's own names."""
    import socket

    names = list(LOOPBACK_NAMES)
    if host in ("0.0.0.0", "::", ""):
        names += [socket.gethostname(), socket.getfqdn()]
    else:
        names.append(host)
    return host_patterns(names)


def serve(db_path: str | None = None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          trusted_hosts: list[str] | None = None, max_body_bytes: int = MAX_BODY_BYTES,
          watch: list[str] | None = None, every: float = 900.0, settings: Settings | None = None) -> None:
    """Run the web app with uvicorn until interrupted; with `watch`, poll those feeds beside it."""
    import uvicorn

    hosts = trusted_hosts or default_trusted_hosts(host)
    app = create_app(db_path, token, trusted_hosts=hosts, max_body_bytes=max_body_bytes)
    stop = None
    if watch:
        from .watch import watch_beside

        _, stop = watch_beside(app, watch, every, settings)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        if stop is not None:
            stop.set()
