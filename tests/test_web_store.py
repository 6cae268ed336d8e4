"""The web app's lists over the store: pages with a next link, filters in SQL, compact GeoJSON, readers never held up."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402
from pg_server import needs_pg, pg_url  # noqa: E402,F401  (pg_url is a fixture)

from sitrep.demo import sample_files  # noqa: E402
from sitrep.ingest import ingest  # noqa: E402
from sitrep.settings import Settings  # noqa: E402
from sitrep.store import Store  # noqa: E402
from sitrep.web import create_app  # noqa: E402
from test_store import dense_reports  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("webstore") / "s.duckdb"
    s = Store(db)
    with sample_files() as samples:
        ingest([str(p) for p in samples], s, Settings())
    s.add_reports(dense_reports(n=30))
    return TestClient(create_app(db, token="t"), base_url="http://localhost")  # a Host the app trusts


def follow(client, url, params):
    """Every page of a list endpoint, following its Link headers; and how many pages there were."""
    out, pages = [], 0
    r = client.get(url, params=params)
    while True:
        assert r.status_code == 200, r.text
        out.append(r)
        pages += 1
        link = r.headers.get("link")
        if not link:
            return out, pages
        assert link.endswith('>; rel="next"')
        r = client.get(link[1:link.index(">")])


def test_pages_follow_each_other_to_the_whole_list(client):
    everything = client.get("/api/events", params={"limit": 5000}).json()
    assert "link" not in client.get("/api/events", params={"limit": 5000}).headers
    pages, n = follow(client, "/api/events", {"limit": 7})
    got = [e for r in pages for e in r.json()]
    assert n == -(-len(everything) // 7) and n > 3
    assert [e["event_id"] for e in got] == [e["event_id"] for e in everything]
    dated = [e["event_date"] for e in got if e["event_date"]]
    assert dated == sorted(dated)
    # Filters stay on the next link.
    homs, _ = follow(client, "/api/events", {"limit": 3, "admin1": "Homs"})
    assert all(e["admin1"] == "Homs" for r in homs for e in r.json())
    csv_pages, _ = follow(client, "/api/events.csv", {"limit": 10})
    assert sum(len(r.text.strip().splitlines()) - 1 for r in csv_pages) == len(everything)


def test_unknown_country_is_a_clear_client_error(client):
    r = client.get("/api/events", params={"country": "Narnia"})
    assert r.status_code == 400 and "unknown country 'Narnia'" in r.json()["detail"]
    assert client.get("/api/events", params={"country": "Lebanon"}).json() == []  # real, just nothing there
    assert client.get("/api/events", params={"after": "garbage"}).status_code == 400
    assert client.get("/api/events", params={"limit": 0}).status_code == 422


def test_an_actor_filter_finds_the_actor_by_any_of_its_names(client):
    by_name = client.get("/api/events", params={"actor": "Islamic State", "limit": 5000}).json()
    assert by_name and all("Islamic State" in " ".join(filter(None, (e["actor1"], e["actor2"]))) for e in by_name)
    for alias in ("ISIS", "daesh", "ISIL"):
        got = client.get("/api/events", params={"actor": alias, "limit": 5000}).json()
        assert [e["event_id"] for e in got] == [e["event_id"] for e in by_name], alias


def test_points_are_compact_filterable_and_paged(client):
    everything = client.get("/api/events", params={"limit": 5000}).json()
    placed = [e["event_id"] for e in everything if e["latitude"] is not None]
    pages, n = follow(client, "/api/points.geojson", {"limit": 4})
    feats = [f for r in pages for f in r.json()["features"]]
    assert [f["id"] for f in feats] == placed and n > 2
    f = feats[0]
    assert set(f["properties"]) == {"d", "t", "s", "f", "l", "c"} and len(f["geometry"]["coordinates"]) == 2
    full = client.get("/api/events.geojson", params={"limit": 5000}).content
    compact = client.get("/api/points.geojson", params={"limit": 5000}).content
    assert len(compact) * 4 < len(full)
    battles = client.get("/api/points.geojson", params={"type": "Battles"}).json()["features"]
    assert battles and all(x["properties"]["t"] == "Battles" for x in battles)


def test_the_event_table_is_paged_newest_first(client):
    page = client.get("/events", params={"limit": 5}).text
    assert page.count('class="event-row"') == 5 and 'rel="next"' in page
    total = len(client.get("/api/events", params={"limit": 5000}).json())
    assert f"{total} events, 5 on this page" in page


# -- readers while an ingest runs -------------------------------------------------


def slow_corpus(path: Path, n: int = 3) -> None:
    """A few long reports (the sample reports' text many times over): each takes seconds to extract."""
    with sample_files() as samples:
        docs = [json.loads(line) for p in samples for line in Path(p).read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            body = "\n\n".join(f"{d['text']}\n\nUpdate {i}.{k}." for k in range(25) for d in docs)
            fh.write(json.dumps({"id": f"long{i}", "text": body, "date": "2017-07-22", "source": "SANA"}) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readers_during_ingest(db: str, tmp_path: Path) -> tuple[list[float], int]:
    """Seconds each /api/events answer took while an ingest of slow reports ran, and the ingest's exit status."""
    import httpx

    corpus = tmp_path / "slow.jsonl"
    slow_corpus(corpus)
    s = Store(db)
    s.add_reports(dense_reports(n=10))
    s.release()
    env = dict(os.environ, SITREP_DB=db)
    port = free_port()
    web = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--port", str(port)], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/api/events", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        ing = subprocess.Popen([sys.executable, "-m", "sitrep", "ingest", str(corpus), "-q", "--batch", "1"],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        took = []
        deadline = time.monotonic() + 120
        while ing.poll() is None and time.monotonic() < deadline:
            t = time.monotonic()
            r = httpx.get(base + "/api/events", params={"country": "Syria", "limit": 100}, timeout=30)
            took.append(time.monotonic() - t)
            assert r.status_code == 200, r.text
            time.sleep(0.02)
        ing.wait(timeout=120)
    finally:
        web.terminate()
        web.wait(timeout=10)
    return took, ing.returncode


@pytest.mark.slow
def test_the_web_app_answers_within_a_second_while_slow_reports_are_ingested(tmp_path):
    took, status = readers_during_ingest(str(tmp_path / "s.duckdb"), tmp_path)
    assert status == 0
    assert len(took) >= 5, "the ingest should run long enough for readers to try"
    assert max(took) < 1.0, sorted(took)[-5:]


@pytest.mark.slow
@needs_pg
def test_the_web_app_answers_within_a_second_while_slow_reports_are_ingested_postgres(pg_url, tmp_path):
    took, status = readers_during_ingest(pg_url, tmp_path)
    assert status == 0 and len(took) >= 5
    assert max(took) < 1.0, sorted(took)[-5:]
