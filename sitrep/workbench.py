"""The analyst's side of the web app: log in, trends, review and correction, the map's data, API docs.

Mounted on the app by web.create_app.  Reading stays open to all; changing an event
needs a user of role editor or admin (sitrep.users): in the browser a session cookie
(HttpOnly, SameSite=Strict) set by /login and a CSRF token in every form; from a
script an ``Authorization: Bearer <user token>`` header.  Pages have no inline script:
the map and /docs load theirs as files from /static/sitrep/, so a strict CSP allows them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from markupsafe import Markup
from pydantic import BaseModel, Field

from .errors import InputError
from .merge import MergedEvent
from .model import EVENT_TYPES
from .review import FIELDS, STATUS, Review
from .users import COOKIE, SESSION_SECONDS, User, Users

MAX_FORM_BYTES = 64_000
STATIC = {  # served name -> file under sitrep/data
    "leaflet.js": "leaflet/leaflet.js", "markercluster.js": "markercluster/leaflet.markercluster.js",
    "markercluster.css": "markercluster/MarkerCluster.css", "map.js": "web/map.js", "map.css": "web/map.css",
    "world110m.geojson": "world110m.geojson", "docs.js": "web/docs.js",
    "swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js", "swagger-ui.css": "swagger-ui/swagger-ui.css",
    "favicon-32x32.png": "swagger-ui/favicon-32x32.png",
}
TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "png": "image/png",
         "geojson": "application/geo+json"}


class CorrectionIn(BaseModel):
    """Changes to one event's coded fields, with the reason (an audit record per changed field)."""

    changes: dict[str, str | None] = Field(..., description=f"Field -> new value as text; fields: {', '.join(FIELDS)}. "
                                                           "'status': 'rejected' rejects the event, 'active' restores it.")
    reason: str = Field(..., min_length=1, max_length=500)


def static_file(name: str) -> tuple[bytes, str] | None:
    """A file of the map or the API docs by its served name, with its media type."""
    from importlib import resources

    from .mapview import leaflet_css

    if name == "leaflet.css":
        return leaflet_css().encode("utf-8"), TYPES["css"]
    path = STATIC.get(name)
    if path is None:
        return None
    data = resources.files("sitrep").joinpath("data", path).read_bytes()
    return data, TYPES[name.rsplit(".", 1)[1]]


async def form_of(request: Request) -> dict[str, str]:
    """A urlencoded form body as a dict (last value wins); refused over MAX_FORM_BYTES."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(status_code=413, detail="form too large")
    try:
        pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise HTTPException(status_code=400, detail="form is not UTF-8") from None
    return {k: v[-1] for k, v in pairs.items()}


_OWN_AUTH = re.compile(r"^/(login|logout|events/[^/]+/review|api/events/[^/]+/corrections)$")


def authenticates_itself(path: str) -> bool:
    """Whether a POST to this path checks its own credentials (a user's token, or a session and its
    CSRF token) rather than the app's posting token."""
    return bool(_OWN_AUTH.match(path))


def csp_nonce(request: Request) -> str | None:
    """The response's Content-Security-Policy nonce, when a security middleware set one on the request."""
    state = request.scope.get("state") or {}
    return state.get("csp_nonce") if isinstance(state, dict) else None


def _local(path: str | None) -> str:
    """A redirect target on this site only ('/events/X'), never another host."""
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


class Auth:
    """Who is asking: a user token (Bearer) for scripts, a session cookie for the browser."""

    def __init__(self, users: Users, lock) -> None:
        self.users = users
        self.lock = lock

    def _bearer(self, request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def user(self, request: Request) -> User | None:
        token = self._bearer(request)
        with self.lock:
            return self.users.by_token(token) if token else self.users.from_session(request.cookies.get(COOKIE))

    def csrf(self, request: Request) -> str | None:
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        with self.lock:
            return self.users.csrf_token(cookie) if self.users.from_session(cookie) else None

    def require(self, request: Request, role: str, form: dict[str, str] | None = None) -> User:
        """The user, if allowed `role`; a browser's POST must also carry the session's CSRF token."""
        user = self.user(request)
        if user is None:
            raise HTTPException(status_code=401, detail="log in (or send 'Authorization: Bearer <user token>') first",
                                headers={"WWW-Authenticate": "Bearer"})
        if not user.can(role):
            raise HTTPException(status_code=403, detail=f"{user.name} is a {user.role}: only an {role} or above may do this")
        if self._bearer(request) is None:
            with self.lock:
                ok = self.users.check_csrf(request.cookies.get(COOKIE), (form or {}).get("csrf"))
            if not ok:
                raise HTTPException(status_code=403, detail="the form's CSRF token is missing or wrong: reload the page")
        return user


_LOGIN = """<h1>Log in</h1>
{% if message %}<p class="flash bad">{{ message }}</p>{% endif %}
<form class="filters login" method="post" action="/login">
<input type="hidden" name="next" value="{{ next }}">
<label>User name <input name="name" autocomplete="username" required value="{{ name }}"></label>
<label>Token <input name="token" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button></form>
<p class="muted">Reading needs no login. Editors and admins log in with the token `sitrep users add NAME --role editor`
printed for them; the session lasts {{ hours }} hours.</p>"""

_REVIEW = """<h2 id="review">Review{% if me.reviewed %} <span class="tag rev">reviewed</span>{% endif %}</h2>
{% if me.rejected %}<p class="flash bad">Rejected: {{ rejection.reason }} ({{ rejection.author }}, {{ when(rejection.made_at) }}).
It is left out of the brief, the map, the trends and the exports.</p>{% endif %}
{% if history %}<table class="events audit"><thead><tr><th>When (UTC)</th><th>Who</th><th>Field</th><th>Old</th><th>New</th>
<th>Why</th></tr></thead><tbody>
{% for c in history %}<tr class="audit-row"><td>{{ when(c.made_at) }}</td><td>{{ c.author }}</td><td>{{ c.field }}</td>
<td>{{ shown(c.old) }}</td><td>{{ shown(c.new) }}</td><td>{{ c.reason }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p class="muted">No corrections: as coded by sitrep from the reports, not reviewed.</p>{% endif %}
{% if user and user.can("editor") %}
<form class="filters review" method="post" action="/events/{{ e.event_id }}/review">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label>Date <input type="date" name="event_date" value="{{ e.event_date or '' }}"></label>
<label>Sub-event type <select name="sub_event_type">{% for t, subs in types.items() %}<optgroup label="{{ t }}">
{% for s in subs %}<option{% if s == e.sub_event_type %} selected{% endif %}>{{ s }}</option>{% endfor %}</optgroup>{% endfor %}</select></label>
<label>Actor 1 <input name="actor1" value="{{ e.actor1 or '' }}"></label>
<label>Actor 2 <input name="actor2" value="{{ e.actor2 or '' }}"></label>
<label>Location <input name="location" value="{{ e.location or '' }}"></label>
<label>Admin1 <input name="admin1" value="{{ e.admin1 or '' }}"></label>
<label>Country <input name="country" value="{{ e.country or '' }}"></label>
<label>Latitude <input name="latitude" value="{{ '' if e.latitude is none else e.latitude }}" size="9"></label>
<label>Longitude <input name="longitude" value="{{ '' if e.longitude is none else e.longitude }}" size="9"></label>
<label>Precision <select name="geo_precision">{% for p in (1, 2, 3) %}<option{% if p == e.geo_precision %} selected{% endif %}>{{ p }}</option>{% endfor %}</select></label>
<label>Fatalities <input name="fatalities" value="{{ '' if e.fatalities is none else e.fatalities }}" size="5"></label>
<label class="wide">Note <textarea name="notes" rows="2">{{ e.notes }}</textarea></label>
<label class="wide">Reason (required, kept in the audit trail) <input name="reason" required maxlength="500"></label>
<button type="submit" name="action" value="correct">Save corrections</button>
{% if me.rejected %}<button type="submit" name="action" value="restore" class="btn plain">Restore event</button>
{% else %}<button type="submit" name="action" value="reject" class="btn danger">Reject event</button>{% endif %}
</form>
{% elif user %}<p class="muted">You are logged in as {{ user.name }} ({{ user.role }}): only editors and admins can correct events.</p>
{% else %}<p class="muted"><a href="/login?next=/events/{{ e.event_id }}">Log in</a> as an editor to correct or reject this event.</p>{% endif %}"""

_TRENDS = """<h1>Trends</h1>
<form class="filters" method="get" action="/trends">
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
<label>Split by <select name="by">{% for v, label in bys %}<option value="{{ v }}"{% if by == v %} selected{% endif %}>{{ label }}</option>{% endfor %}</select></label>
<label>Per <select name="unit"><option value="">auto</option>{% for u in units %}<option{% if unit == u %} selected{% endif %}>{{ u }}</option>{% endfor %}</select></label>
<button type="submit">Show</button> <a class="btn plain" href="/trends">Clear</a>
</form>
<p class="count">{{ "{:,}".format(n) }} event{{ "s" if n != 1 }}{% if undated %} ({{ undated }} without a date, not charted){% endif %}
<a href="/events{{ '?' ~ qs if qs }}">table</a> <a href="/map{{ '?' ~ qs if qs }}">map</a>
<a href="/api/trends?{{ qs_all }}">JSON</a></p>
{% for t, caption in charts %}<h2>{{ caption }}</h2><div class="chart">{{ svg(t) }}</div>{% endfor %}
{% if charts %}<h2>Totals</h2><table class="events"><thead><tr><th>{{ by_label }}</th><th class="n">Events</th>
<th class="n">Reported fatalities</th></tr></thead><tbody>
{% for name, ev, fat in totals %}<tr><td>{{ name }}</td><td class="n">{{ ev }}</td><td class="n">{{ fat }}</td></tr>{% endfor %}
</tbody></table>{% endif %}"""

BYS = (("event_type", "event type"), ("admin1", "region (admin1)"), ("country", "country"), ("actor", "actor"))

_DOCS = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>sitrep API</title>
<link rel="icon" href="/static/sitrep/favicon-32x32.png"><link rel="stylesheet" href="/static/sitrep/swagger-ui.css">
</head><body data-openapi="{openapi}"><p style="margin:10px 20px;font:14px system-ui,sans-serif"><a href="/">← sitrep</a></p>
<div id="swagger-ui"></div>
<script{nonce} src="/static/sitrep/swagger-ui-bundle.js"></script><script{nonce} src="/static/sitrep/docs.js"></script>
</body></html>"""


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _when(ts) -> str:
    return ts.strftime("%Y-%m-%d %H:%M")


def review_section(env: Environment, me: MergedEvent, history: list, user: User | None, csrf: str | None) -> Markup:
    """The event page's review part: the audit trail, and for an editor the correction form."""
    rejection = next((c for c in reversed(history) if c.field == STATUS), None)
    html = env.from_string(_REVIEW).render(
        me=me, e=me.event, history=history, user=user, csrf=csrf or "", types=EVENT_TYPES,
        rejection=rejection, when=_when, shown=_shown)
    return Markup(html)


def mount(app: FastAPI, store, lock, page: Callable, events_for: Callable, filter_dep: Callable, env: Environment) -> Auth:
    """Add the workbench's pages and API to the app; return its Auth (the app's pages ask it who is logged in)."""
    users, review = Users(store), Review(store)
    auth = Auth(users, lock)
    app.state.users, app.state.review, app.state.auth = users, review, auth
    _mount_static(app)
    _mount_login(app, auth, page, env)
    _mount_review(app, auth, review, store, lock)
    _mount_trends(app, page, events_for, filter_dep, env, store, lock)
    return auth


def _mount_static(app: FastAPI) -> None:
    @app.get("/static/sitrep/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        found = static_file(name)
        if found is None:
            raise HTTPException(status_code=404, detail="no such file")
        return Response(found[0], media_type=found[1], headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        from html import escape

        nonce = csp_nonce(request)
        return HTMLResponse(_DOCS.format(openapi=escape(app.openapi_url or "/openapi.json"),
                                         nonce=f' nonce="{escape(nonce)}"' if nonce else ""))


def _mount_login(app: FastAPI, auth: Auth, page: Callable, env: Environment) -> None:
    def form(message: str = "", name: str = "", next_: str = "/", status: int = 200) -> HTMLResponse:
        body = env.from_string(_LOGIN).render(message=message, name=name, next=_local(next_),
                                              hours=SESSION_SECONDS // 3600)
        response = page("Log in", body, "Log in", None)
        response.status_code = status
        return response

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(next: str = Query("/")) -> HTMLResponse:
        return form(next_=next)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        data = await form_of(request)
        with auth.lock:
            found = auth.users.session_for(data.get("token", ""))
        if found is None or found[0].name != data.get("name", "").strip():
            return form("Wrong user name or token.", data.get("name", ""), data.get("next", "/"), 401)
        response = RedirectResponse(_local(data.get("next")), status_code=303)
        response.set_cookie(COOKIE, found[1], max_age=SESSION_SECONDS, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        data = await form_of(request)
        auth.require(request, "reader", data)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response


def _mount_review(app: FastAPI, auth: Auth, review: Review, store, lock) -> None:
    def event(event_id: str) -> MergedEvent:
        from .review import stored_event

        with lock:
            me = stored_event(store, event_id)
            if me is None:
                raise HTTPException(status_code=404, detail=f"no event {event_id}")
            return review.apply([me], include_rejected=True)[0]

    def record(me: MergedEvent, changes: dict, reason: str, user: User) -> list:
        try:
            with lock:
                return review.correct(me, changes, reason, user.name)
        except InputError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None

    @app.post("/events/{event_id}/review", include_in_schema=False)
    async def review_form(event_id: str, request: Request) -> Response:
        data = await form_of(request)
        user = auth.require(request, "editor", data)
        me = event(event_id)
        action = data.get("action", "correct")
        if action in ("reject", "restore"):
            changes = {STATUS: "rejected" if action == "reject" else "active"}
        else:
            changes = {k: v for k, v in data.items() if k in FIELDS and k != STATUS}
        record(me, changes, data.get("reason", ""), user)
        return RedirectResponse(f"/events/{event_id}#review", status_code=303)

    @app.post("/api/events/{event_id}/corrections", status_code=201,
              summary="Correct or reject an event (an editor's token: Authorization: Bearer <user token>)")
    def correct_api(event_id: str, body: CorrectionIn, request: Request) -> list[dict[str, Any]]:
        user = auth.require(request, "editor")
        return [_record(c) for c in record(event(event_id), body.changes, body.reason, user)]

    @app.get("/api/events/{event_id}/corrections", summary="An event's audit trail: every correction, oldest first")
    def history_api(event_id: str) -> list[dict[str, Any]]:
        me = event(event_id)
        with lock:
            return [_record(c) for c in review.history(me)]


def _record(c) -> dict[str, Any]:
    return {"id": c.id, "event_id": c.event_id, "field": c.field, "old": c.old, "new": c.new, "reason": c.reason,
            "author": c.author, "made_at": c.made_at.isoformat() + "Z", "members": list(c.members)}


def _trend_args(by: str, unit: str | None) -> tuple[str, str | None]:
    by = by or "event_type"
    unit = unit or None
    if by not in dict(BYS) or unit not in (None, "day", "week", "month"):
        raise HTTPException(status_code=422, detail="by: event_type, admin1, country or actor; unit: day, week or month")
    return by, unit


def _totals(events: list[MergedEvent], by: str) -> list[tuple[str, int, int]]:
    from collections import Counter

    from .trends import keys_of

    n, fat = Counter(), Counter()
    for me in events:
        for key in keys_of(me, by):
            n[key] += 1
            fat[key] += me.event.fatalities or 0
    return [(k, n[k], fat[k]) for k in sorted(n, key=lambda k: (-n[k], k))][:40]


def _mount_trends(app: FastAPI, page: Callable, events_for: Callable, filter_dep: Callable, env: Environment,
                  store, lock) -> None:
    from .trends import build_trend, render_svg

    @app.get("/trends", response_class=HTMLResponse, summary="Events and fatalities over time (HTML, same filters as the table)")
    def trends_page(request: Request, f=Depends(filter_dep), by: str = Query("event_type"),
                    unit: str | None = Query(None)) -> HTMLResponse:
        by, unit = _trend_args(by, unit)
        found = events_for(f)
        charts = []
        if any(me.event.event_date for me in found):
            charts = [(build_trend(found, by, m, unit, f.date_from, f.date_to), None) for m in ("events", "fatalities")]
            charts = [(t, f"{'Events' if t.measure == 'events' else 'Reported fatalities'} per {t.unit}") for t, _ in charts]
        with lock:
            countries = [r[0] for r in store.query("SELECT DISTINCT country FROM events WHERE country IS NOT NULL ORDER BY 1")]
            admin1s = [r[0] for r in store.query("SELECT DISTINCT admin1 FROM events WHERE admin1 IS NOT NULL ORDER BY 1")]
        qs = f.query_string()
        body = env.from_string(_TRENDS).render(
            f=f, by=by, unit=unit, bys=BYS, units=("day", "week", "month"), types=EVENT_TYPES, countries=countries,
            admin1s=admin1s, charts=charts, svg=lambda t: Markup(render_svg(t, width=1180, height=260)),
            totals=_totals(found, by), by_label=dict(BYS)[by].capitalize(), n=len(found),
            undated=sum(1 for me in found if not me.event.event_date), qs=qs,
            qs_all=urlencode([*parse_qs(qs).items(), ("by", by)] + ([("unit", unit)] if unit else []), doseq=True))
        return page("Trends", body, "Trends", request)

    @app.get("/api/trends", summary="Events or fatalities per day, week or month, split by type, region, country or actor")
    def trends_api(f=Depends(filter_dep), by: str = Query("event_type"), unit: str | None = Query(None),
                   measure: str = Query("events", description="events or fatalities")) -> dict[str, Any]:
        by, unit = _trend_args(by, unit)
        if measure not in ("events", "fatalities"):
            raise HTTPException(status_code=422, detail="measure: events or fatalities")
        t = build_trend(events_for(f), by, measure, unit, f.date_from, f.date_to)
        return {"by": t.by, "measure": t.measure, "unit": t.unit, "buckets": [b.isoformat() for b in t.buckets],
                "series": [{"name": s.name, "values": s.values, "total": s.total} for s in t.series],
                "totals": t.totals, "undated": t.undated}

    @app.get("/api/map.json", summary="Events in the map's compact column form (same filters as the table)")
    def map_data(f=Depends(filter_dep)) -> Response:
        from .mapview import compact

        return Response(json.dumps(compact(events_for(f)), separators=(",", ":"), ensure_ascii=False),
                        media_type="application/json")
