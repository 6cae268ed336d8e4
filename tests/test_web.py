"""The web app through FastAPI's TestClient: pages, filters, downloads, the token-guarded POST, escaping."""

from __future__ import annotations

import csv
import io
import warnings

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.demo import sample_files  # noqa: E402
from sitrep.ingest import ingest  # noqa: E402
from sitrep.settings import Settings  # noqa: E402
from sitrep.store import Store  # noqa: E402
from sitrep.web import create_app  # noqa: E402

TOKEN = "test-token-123"


def local(app) -> TestClient:
    """A client that names the server as a browser on this machine does (the Host header is checked)."""
    return TestClient(app, base_url="http://localhost")
XSS = ("Clashes between the Syrian army and ISIL killed 12 fighters near Palmyra in eastern Homs on Friday "
       "<script>alert(1)</script>, activists said.")


def finished(client: TestClient, posted, limit: float = 120.0) -> dict:
    """The job of a 202 answer, polled at its status URL until it is done or failed."""
    import time

    url = posted.json()["status_url"]
    assert posted.headers["location"] == url
    deadline = time.monotonic() + limit
    while True:
        job = client.get(url).json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    s = Store(path)
    with sample_files() as samples:
        summary = ingest([str(p) for p in samples], s, Settings())
    assert summary.reports_new == 2 and summary.events_new > 3
    s.release()
    return path


@pytest.fixture(scope="module")
def client(db):
    return local(create_app(db, token=TOKEN))


def test_pages_render(client):
    for url in ("/", "/map", "/events", "/trends", "/docs", "/openapi.json", "/login"):
        r = client.get(url)
        assert r.status_code == 200, url
    assert "situation brief" in client.get("/").text
    # The map page loads its script and its events as files: no megabytes inline.
    page = client.get("/map").text
    assert 'data-src="/api/map.json"' in page and 'src="/static/sitrep/map.js"></script>' in page and len(page) < 3000
    assert "sitrep-marker" in client.get("/static/sitrep/map.js").text
    data = client.get("/api/map.json").json()
    assert len(data["id"]) == len(client.get("/api/events").json()) >= 4
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events.csv", "/api/events.geojson", "/api/reports", "/events/{event_id}"):
        assert path in spec["paths"]


def test_filters_narrow_the_events(client):
    everything = client.get("/api/events").json()
    assert len(everything) >= 4
    battles = client.get("/api/events", params={"type": "Battles"}).json()
    assert battles and len(battles) < len(everything)
    assert all(e["event_type"] == "Battles" for e in battles)
    homs = client.get("/api/events", params={"admin1": "Homs"}).json()
    assert homs and all(e["admin1"] == "Homs" for e in homs)
    hts = client.get("/api/events", params={"actor": "tahrir"}).json()
    assert hts and all("Tahrir" in (e["actor1"] or "") + (e["actor2"] or "") for e in hts)
    corroborated = client.get("/api/events", params={"min_corroboration": "2"}).json()
    assert corroborated and all(e["corroboration"] >= 2 for e in corroborated)
    assert len(corroborated) < len(everything)
    none = client.get("/api/events", params={"date_from": "2030-01-01"}).json()
    assert none == []
    # The HTML table takes the same filters from its GET form; empty fields mean "any".
    page = client.get("/events", params={"type": "Battles", "country": "", "min_corroboration": ""}).text
    assert page.count('class="event-row"') == len(battles)
    assert client.get("/api/events", params={"date_from": "not-a-date"}).status_code == 422


def test_downloads_match_the_json(client):
    events = client.get("/api/events", params={"admin1": "Homs"}).json()
    r = client.get("/api/events.csv", params={"admin1": "Homs"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["event_id_cnty"] for row in rows] == [e["event_id"] for e in events]
    g = client.get("/api/events.geojson", params={"admin1": "Homs"})
    assert g.headers["content-type"].startswith("application/geo+json")
    assert [f["id"] for f in g.json()["features"]] == [e["event_id"] for e in events]


def test_event_page_lists_every_mention(client):
    event = max(client.get("/api/events").json(), key=lambda e: len(e["evidence"]))
    page = client.get(f"/events/{event['event_id']}").text
    assert page.count('class="mention"') == len(event["evidence"]) >= 2
    for s in event["sources"]:
        assert s in page
    assert client.get("/events/NOPE000").status_code == 404


def test_posting_needs_the_token(db):
    client = local(create_app(db, token=TOKEN))
    body = {"text": "Army units clashed with ISIL near Palmyra on Friday.", "source": "Test", "date": "2017-07-22"}
    assert client.post("/api/reports", json=body).status_code == 401
    assert client.post("/api/reports", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/reports", json=body, headers={"Authorization": TOKEN}).status_code == 401
    unconfigured = local(create_app(db, token=""))
    r = unconfigured.post("/api/reports", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 503


def test_token_from_environment(db, monkeypatch):
    monkeypatch.setenv("SITREP_TOKEN", "from-env")
    client = local(create_app(db))
    r = client.post("/api/reports", json={"text": ""}, headers={"Authorization": "Bearer from-env"})
    assert r.status_code == 422  # authorised, then refused as an empty report


def test_posted_report_is_stored_and_its_text_escaped(client):
    r = client.post("/api/reports", json={"text": XSS, "source": "<b>Evil</b> outlet", "date": "2017-07-22",
                                          "title": "<img src=x onerror=alert(2)>", "url": "javascript:alert(3)"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 202, r.text
    job = finished(client, r)
    assert job["status"] == "done", job
    out = job["result"]
    assert out["status"] == "new" and out["events"] >= 1 and out["event_ids"]
    page = client.get(f"/events/{out['event_ids'][0]}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Evil</b>" not in page and "&lt;b&gt;Evil&lt;/b&gt;" in page
    assert "<img src=x" not in page and "javascript:alert(3)" not in page
    table = client.get("/events").text
    assert "<b>Evil</b>" not in table
    for url in ("/", "/map"):
        assert "<script>alert(1)" not in client.get(url).text
    again = client.post("/api/reports", json={"text": XSS}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json()["status"] == "seen"


def test_api_docs_page_works_offline(tmp_path):
    """/docs loads Swagger UI from the app itself, never from a CDN."""

    from sitrep.web import create_app

    client = local(create_app(tmp_path / "docs.duckdb"))
    page = client.get("/docs")
    assert page.status_code == 200
    assert "https://" not in page.text.replace("https://swagger.io", "")
    bundle = client.get("/static/sitrep/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/sitrep/swagger-ui.css").status_code == 200
    assert client.get("/static/sitrep/docs.js").status_code == 200
    assert client.get("/static/sitrep/../web.py").status_code == 404
