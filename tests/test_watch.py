"""`sitrep watch` against a real local HTTP server: new entries once, nothing lost across a restart,
a dead feed neither stops the others nor is hammered."""

from __future__ import annotations

import dataclasses
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.errors import InputError
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.watch import MAX_BACKOFF, Watcher, backoff, parse_every

ARTICLES = {
    "a1": ("Gunmen kill villagers in Zamfara", "Gunmen killed seven villagers in Maru in Zamfara state on Tuesday, police said."),
    "a2": ("Army clashes with militants", "Soldiers clashed with Boko Haram fighters near Bama in Borno state on Tuesday, "
                                          "killing twelve militants, the army said."),
    "a3": ("Protest in Kano", "Hundreds of traders protested in Kano on Tuesday against new market taxes, witnesses said."),
    "a4": ("Bomb in Maiduguri", "A roadside bomb exploded in Maiduguri in Borno state on Wednesday, killing three "
                                "civilians, police said."),
}
PAGE = ("<html><head><title>Update</title></head><body><article><h1>Update</h1><p>{}</p></article></body></html>")


def _article(key: str) -> bytes:
    title, text = ARTICLES[key]
    body = " ".join([text] * 2)
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='Nigeria Wire'></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p><p>More details were not immediately available.</p>"
            f"</article></body></html>").encode()


def _feed(base: str, keys: list[str]) -> bytes:
    items = "".join(f"<item><title>{ARTICLES[k][0]}</title><link>{base}/{k}.html</link><guid>{base}/{k}</guid>"
                    f"<pubDate>Tue, 18 Jun 2024 09:00:00 +0000</pubDate></item>" for k in keys)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Nigeria Wire</title><link>{base}/</link>'
            f"{items}</channel></rss>").encode()


class Site(BaseHTTPRequestHandler):
    table: dict[str, tuple[int, str, bytes]] = {}
    hits: dict[str, int] = {}

    def do_GET(self):
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        status, ctype, body = self.table.get(self.path, (404, "text/html", b"<html><body>Not found</body></html>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Site.hits = {}
    Site.table = {f"/{k}.html": (200, "text/html; charset=utf-8", _article(k)) for k in ARTICLES}
    Site.table["/feed.xml"] = (200, "application/rss+xml", _feed(base, ["a1", "a2", "a3"]))
    Site.table["/dead.xml"] = (503, "text/plain", b"down for maintenance")
    Site.table["/page.html"] = (200, "text/html", PAGE.format(ARTICLES["a4"][1]).encode())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _settings() -> Settings:
    # The test server is on loopback, which sitrep refuses to fetch from unless allowed.
    names = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**({"allow_private": True} if "allow_private" in names else {}))


def _reports(store: Store) -> int:
    return store.query("SELECT count(*) FROM reports WHERE status <> 'failed'")[0][0]


def test_new_entries_are_ingested_once_and_remembered_across_a_restart(site, tmp_path):
    db = tmp_path / "w.duckdb"
    lines: list[str] = []
    feed = f"{site}/feed.xml"
    first = Watcher(Store(db), [feed], every=60, settings=_settings(), log=lines.append)
    p = first.poll(feed)
    assert p.ok and (p.entries, p.new, p.stored) == (3, 3, 3) and p.events_new >= 2
    assert _reports(first.store) == 3
    again = first.poll(feed)
    assert (again.new, again.stored) == (0, 0)
    assert Site.hits["/a1.html"] == 1  # a seen entry's article is not fetched again
    assert len(lines) == 2 and lines[0].startswith(f"watch: {feed}: 3 entries, 3 new, 3 reports stored")
    first.store.release()

    # A restart: a new process, a new watcher, the same store; the feed has one more entry.
    Site.table["/feed.xml"] = (200, "application/rss+xml", _feed(site, ["a4", "a1", "a2", "a3"]))
    second = Watcher(Store(db), [feed], every=60, settings=_settings(), log=lines.append)
    assert second.due()[0][0] > 30  # the schedule survived too
    p = second.poll(feed)
    assert (p.new, p.stored) == (1, 1) and Site.hits["/a4.html"] == 1
    assert _reports(second.store) == 4


def test_an_entry_stored_before_a_crash_is_not_stored_twice(site, tmp_path):
    from sitrep.fetch import fetch_report
    from sitrep.pipeline import process

    store = Store(tmp_path / "c.duckdb")
    # The crash: a1 was stored, but the process died before the watcher recorded the entry as seen.
    report = process(fetch_report(f"{site}/a1.html", _settings()), _settings())
    store.add_report(report, report.events)
    w = Watcher(store, [f"{site}/feed.xml"], every=60, settings=_settings(), log=lambda line: None)
    p = w.poll(f"{site}/feed.xml")
    assert (p.new, p.stored) == (3, 2)
    assert _reports(store) == 3


def test_a_dead_feed_does_not_stop_the_others_and_backs_off(site, tmp_path):
    lines: list[str] = []
    dead, feed = f"{site}/dead.xml", f"{site}/feed.xml"
    w = Watcher(Store(tmp_path / "d.duckdb"), [dead, feed], every=60, settings=_settings(), log=lines.append)
    w.run(rounds=1)
    assert len(lines) == 2
    assert any(line.startswith(f"watch: {dead}: failed (HTTP 503") and "retry in 2m" in line for line in lines)
    assert _reports(w.store) == 3
    waits = dict((u, s) for s, u in w.due())
    assert 100 < waits[dead] <= 120 and 50 < waits[feed] <= 60
    w.poll(dead)
    assert 200 < dict((u, s) for s, u in w.due())[dead] <= 240  # doubled again
    assert backoff(60, 30) == MAX_BACKOFF and backoff(60, 0) == 60


def test_an_article_that_keeps_failing_is_given_up_and_recorded(site, tmp_path):
    Site.table["/feed.xml"] = (200, "application/rss+xml", _feed(site, ["a1"]) .replace(b"/a1.html", b"/gone.html"))
    w = Watcher(Store(tmp_path / "g.duckdb"), [f"{site}/feed.xml"], every=60, settings=_settings(),
                log=lambda line: None)
    for _ in range(4):
        w.poll(f"{site}/feed.xml")
    assert Site.hits["/gone.html"] == 3
    failed = w.store.query("SELECT url, reason FROM reports WHERE status = 'failed'")
    assert len(failed) == 1 and failed[0][0].endswith("/gone.html") and "404" in failed[0][1]


def test_a_page_is_ingested_when_its_text_changes(site, tmp_path):
    page = f"{site}/page.html"
    w = Watcher(Store(tmp_path / "p.duckdb"), [page], every=60, settings=_settings(), log=lambda line: None)
    assert w.poll(page).stored == 1
    assert w.poll(page).stored == 0
    Site.table["/page.html"] = (200, "text/html", PAGE.format(ARTICLES["a2"][1]).encode())
    assert w.poll(page).stored == 1


def test_intervals():
    assert parse_every("15m") == 900 and parse_every("1h30m") == 5400 and parse_every("90s") == 90
    for bad in ("", "15", "soon", "5s", "15 minutes"):
        with pytest.raises(InputError):
            parse_every(bad)


def test_watch_command_polls_and_refuses_bad_input(site, tmp_path):
    db = str(tmp_path / "cli.duckdb")
    args = ["watch", f"{site}/feed.xml", "--every", "1m", "--rounds", "1", "--db", db]
    if "allow_private" in {f.name for f in dataclasses.fields(Settings)}:
        args.append("--allow-private")
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "3 new, 3 reports stored" in r.stderr
    bad = CliRunner().invoke(app, ["watch", f"{site}/feed.xml", "--every", "often", "--db", db])
    assert bad.exit_code == 2 and "invalid interval" in bad.stderr and "Traceback" not in bad.output
    none = CliRunner().invoke(app, ["watch", "--db", db])
    assert none.exit_code != 0
    assert Path(db).exists()


def test_watching_beside_the_web_app(site, tmp_path):
    import time

    from fastapi.testclient import TestClient

    from sitrep.watch import watch_beside
    from sitrep.web import create_app

    app = create_app(tmp_path / "serve.duckdb")
    lines: list[str] = []
    thread, stop = watch_beside(app, [f"{site}/feed.xml"], every=60, settings=_settings(), log=lines.append)
    client = TestClient(app, base_url="http://localhost")
    deadline = time.monotonic() + 60
    while not lines and time.monotonic() < deadline:
        assert client.get("/api/events").status_code == 200  # the app answers while the watcher works
        time.sleep(0.2)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive() and lines and "3 new, 3 reports stored" in lines[0]
    assert len(client.get("/api/events").json()) >= 2
