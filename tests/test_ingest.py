"""Ingest from a real local web server, real files and feeds into a real store; kill and resume."""

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitrep.ingest import ingest
from sitrep.settings import Settings
from sitrep.store import Store

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CORPUS = HERE.parent.parent / "shared" / "corpus"
SEED = CORPUS / "seed" / "syria-last-24-hours.txt"
SECOND = FIXTURES / "second_outlet.txt"

# The test site is on loopback, which sitrep refuses to fetch from unless allowed.
LOCAL = Settings(allow_private=True)

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="shared corpus not beside the checkout")


def article_page(text: str, site: str, date: str) -> bytes:
    lines = [ln.strip() for ln in text.strip().split("\n")]
    title, body = lines[0], [ln for ln in lines[1:] if ln]
    # The scraped seed ends with the page's own comment-box boilerplate; the template has its own.
    body = [ln for ln in body if ln != title and not ln.startswith(("Be the first", "Leave a comment", "Your email"))]
    html = (FIXTURES / "article_template.html").read_text(encoding="utf-8")
    paras = "\n".join(f"        <p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>" for p in body)
    return html.replace("{title}", title).replace("{site}", site).replace("{date}", date).replace("{body}", paras).encode()


def routes(base: str) -> dict[str, tuple[int, str, bytes]]:
    html = "text/html; charset=utf-8"
    return {
        "/fna/syria-last-24-hours.html": (200, html, article_page(SEED.read_text(encoding="utf-8"), "Fars News Agency", "2017-07-22")),
        "/sohr/regime-forces-advance.html": (200, html, article_page(SECOND.read_text(encoding="utf-8"), "SOHR", "2017-07-22")),
        "/sports/derby.html": (200, html, article_page(
            "Derby ends in a draw\n\nThe two city clubs drew 1-1 on Saturday in front of a full stadium.\n\n"
            "The home side equalised late in the second half after a long spell of pressure.", "City Sports", "2017-07-22")),
        "/feed.xml": (200, "application/rss+xml; charset=utf-8",
                      (FIXTURES / "feed_template.xml").read_text(encoding="utf-8").replace("{base}", base).encode()),
        "/broken-feed.xml": (200, "application/rss+xml", b"<rss><channel><title>Broken</title><item><title>oops</item"),
        "/files/casualties.pdf": (200, "application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"),
        "/binary.html": (200, "text/html", b"<html>\x00\x01\x02\x03" * 100),
        "/huge.html": (200, "text/html", b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>"),
    }


class Handler(SimpleHTTPRequestHandler):
    table: dict = {}

    def do_GET(self):
        status, ctype, body = self.table.get(self.path, (404, "text/html", b"<html><body>Not found</body></html>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Handler.table = routes(base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def events_table(store):
    return sorted(store.query("SELECT * EXCLUDE (updated_at) FROM events"), key=repr)


def find(store, location_word):
    return [me for me in store.events() if location_word.lower() in (me.event.location or "").lower()]


def test_two_outlets_on_the_web_merge_with_corroboration_two(site, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([f"{site}/fna/syria-last-24-hours.html", f"{site}/sohr/regime-forces-advance.html"],
                     store, LOCAL)
    assert summary.failures == [] and summary.reports_new == 2
    assert summary.events_merged >= 1
    reports = store.query("SELECT outlet, published, url, title FROM reports ORDER BY outlet")
    assert [(r[0], str(r[1])) for r in reports] == [("Fars News Agency", "2017-07-22"), ("SOHR", "2017-07-22")]
    assert reports[1][3].startswith("Regime forces advance")

    events = store.events()
    both = [me for me in events if me.corroboration == 2]
    assert len(both) >= 2
    for me in both:
        assert me.sources == ["Fars News Agency", "SOHR"]
        assert {e.source for e in me.event.evidence} == {"Fars News Agency", "SOHR"}
        assert len(me.members) >= 2
    # At least one of the events both reports tell is recognised as one event.
    shared = ("burkan", "ghouta", "terma", "jubb", "humeimeh")

    def told_by_both(me, word):
        return all(any(word in e.text.lower() for e in me.event.evidence if e.source == outlet)
                   for outlet in ("Fars News Agency", "SOHR"))

    assert any(told_by_both(me, w) for me in both for w in shared)
    # Told only by SOHR: each stays its own event.
    for word in ("latamna", "azaz"):
        only = [me for me in events if any(word in e.text.lower() for e in me.event.evidence)]
        assert only and all(me.sources == ["SOHR"] and me.corroboration == 1 for me in only)
    # Most of FNA's events are told by FNA alone and stay apart.
    assert sum(1 for me in events if me.sources == ["Fars News Agency"]) >= 10
    n_mentions = store.query("SELECT count(*) FROM mentions")[0][0]
    assert n_mentions == sum(len(me.event.evidence) for me in events)


def test_a_then_b_equals_b_then_a_on_real_reports(tmp_path):
    settings = Settings(date="2017-07-22")
    fna, sohr = tmp_path / "fna.txt", tmp_path / "sohr.txt"
    fna.write_text(SEED.read_text(encoding="utf-8"))
    sohr.write_text(SECOND.read_text(encoding="utf-8"))
    ab, ba = Store(tmp_path / "ab.duckdb"), Store(tmp_path / "ba.duckdb")
    # --source per input: two runs, as a user would for two outlets' files
    ingest([str(fna)], ab, Settings(date="2017-07-22", source="FNA"))
    ingest([str(sohr)], ab, Settings(date="2017-07-22", source="SOHR"))
    ingest([str(sohr)], ba, Settings(date="2017-07-22", source="SOHR"))
    ingest([str(fna)], ba, Settings(date="2017-07-22", source="FNA"))
    assert events_table(ab) == events_table(ba)
    assert any(me.corroboration == 2 for me in ab.events())
    again = ingest([str(fna), str(sohr)], ab, settings)
    assert (again.reports_new, again.reports_seen, again.events_new) == (0, 2, 0)
    assert events_table(ab) == events_table(ba)


def test_feed_entries_are_followed_and_bad_links_reported(site, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([], store, LOCAL, feeds=[f"{site}/feed.xml"])
    assert summary.reports_new == 2 and summary.reports_failed == 2
    assert any("HTTP 404" in f and "withdrawn.html" in f for f in summary.failures)
    assert any("content-type application/pdf" in f for f in summary.failures)
    titles = {r[0]: str(r[1]) for r in store.query("SELECT title, published FROM reports WHERE status = 'ok'")}
    assert titles == {
        "Syria in Last 24 Hours: Ahrar Al-Sham Retreating from Idlib": "2017-07-22",
        "Regime forces advance in eastern Homs and western Qalamoun": "2017-07-22",
    }
    failed = store.query("SELECT url, reason FROM reports WHERE status = 'failed' ORDER BY url")
    assert [u for u, _ in failed] == [f"{site}/files/casualties.pdf", f"{site}/news/withdrawn.html"]
    again = ingest([], store, LOCAL, feeds=[f"{site}/feed.xml"])
    assert (again.reports_new, again.reports_seen, again.reports_failed) == (0, 2, 2)
    assert store.counts()["reports_failed"] == 2  # failures are replaced, not piled up


def test_bad_inputs_each_get_one_line_and_never_stop_the_batch(site, tmp_path):
    with socket_port() as dead:
        pass  # the port is closed again: nothing listens there
    bad_file = tmp_path / "bad.txt"
    bad_file.write_bytes(b"\xff\xfe\xfa not text \x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 attack".encode("latin-1"))
    store = Store(tmp_path / "s.duckdb")
    inputs = [
        f"http://127.0.0.1:{dead}/article.html",
        f"{site}/binary.html",
        f"{site}/huge.html",
        f"{site}/sports/derby.html",
        str(bad_file),
        str(latin),
        str(tmp_path / "missing.txt"),
        f"{site}/fna/syria-last-24-hours.html",
    ]
    summary = ingest(inputs, store, Settings(max_bytes=1_000_000, allow_private=True), feeds=[f"{site}/broken-feed.xml"])
    msgs = summary.failures
    assert len(msgs) == 7, msgs
    expect = ["unreachable", "binary", "too large", "not valid UTF-8", "no such file", "malformed feed"]
    for needle in expect:
        assert sum(needle in m for m in msgs) >= 1, (needle, msgs)
    assert all("\n" not in m for m in msgs)
    assert summary.reports_new == 2 and summary.reports_empty == 1
    assert summary.notices == [f"{site}/sports/derby.html: no events found"]
    assert store.query("SELECT status FROM reports WHERE url LIKE '%derby%'") == [("no_events",)]
    assert store.counts()["events"] >= 10


class socket_port:
    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True, text=True, timeout=120, **kw)


def test_cli_ingest_then_events(site, tmp_path):
    db = str(tmp_path / "cli.duckdb")
    r = cli("ingest", f"{site}/fna/syria-last-24-hours.html", f"{site}/sohr/regime-forces-advance.html",
            f"{site}/news/withdrawn.html", "--db", db, "--allow-private")
    assert r.returncode == 2  # one input failed
    assert r.stdout.startswith("ingest: 2 reports new, 0 seen, 1 failed;")
    assert "HTTP 404" in r.stderr and "Traceback" not in r.stderr
    r = cli("events", "--db", db, "--format", "jsonl", "--country", "Syria")
    assert r.returncode == 0
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert any(row["corroboration"] == 2 for row in rows)
    env = dict(os.environ, SITREP_DB=db)
    r = cli("ingest", f"{site}/fna/syria-last-24-hours.html", "--allow-private", env=env)
    assert r.returncode == 0 and r.stdout.startswith("ingest: 0 reports new, 1 seen, 0 failed;")
    r = cli("ingest", "--db", db)
    assert r.returncode == 2 and "nothing to ingest" in r.stderr


def batch(dirpath: Path, n: int, seed: int = 3) -> None:
    """n different reports: seed paragraphs and CASE 2021 snippets recombined, each with its own date."""
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if len(p) > 80]
    snippets = [json.loads(x)["text"] for x in (CORPUS / "case2021" / "dev.jsonl").read_text().splitlines()]
    rng = random.Random(seed)
    dirpath.mkdir()
    for i in range(n):
        parts = rng.sample(paras, 3) + rng.sample(snippets, 2)
        rng.shuffle(parts)
        doc = {"id": f"doc{i:04d}", "text": "\n\n".join(parts), "date": f"2017-07-{1 + i % 28:02d}",
               "source": rng.choice(["FNA", "SANA", "SOHR", "Reuters"])}
        (dirpath / f"{i:04d}.jsonl").write_text(json.dumps(doc) + "\n")


def snapshot(db: str):
    s = Store(db, read_only=True)
    return s.counts(), events_table(s)


@pytest.mark.slow
def test_killed_ingest_leaves_no_partial_report_and_a_rerun_finishes(tmp_path):
    docs = tmp_path / "docs"
    batch(docs, 200)
    db = str(tmp_path / "killed.duckdb")
    proc = subprocess.Popen([sys.executable, "-m", "sitrep", "ingest", str(docs), "--db", db, "-q", "--batch", "10"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if Path(db).exists():
            try:
                stored = Store(db, read_only=True, lock_timeout=5).counts().get("reports", 0)
            except Exception:
                continue
            if stored >= 10:
                break
    assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 10 <= stored < 200

    s = Store(db, read_only=True)
    # No partial report: every stored report has exactly the events and mentions it was written with.
    assert s.query("""
        SELECT count(*) FROM reports r
        WHERE r.status = 'ok' AND r.n_events <> (SELECT count(*) FROM report_events e WHERE e.report_id = r.id)""") == [(0,)]
    assert s.query("SELECT count(*) FROM report_events WHERE report_id NOT IN (SELECT id FROM reports)") == [(0,)]
    assert s.query("SELECT count(*) FROM mentions WHERE member_id NOT IN (SELECT member_id FROM report_events)") == [(0,)]
    assert s.query("SELECT count(*) FROM report_events WHERE event_id NOT IN (SELECT event_id FROM events)") == [(0,)]
    assert s.query("SELECT count(*) - count(DISTINCT content_hash) FROM reports") == [(0,)]
    killed_reports = s.counts()["reports"]

    r = cli("ingest", str(docs), "--db", db, "-q")
    assert r.returncode == 0, r.stderr
    m = re.match(r"ingest: (\d+) reports new.*?, (\d+) seen, 0 failed", r.stdout)
    assert m and (int(m.group(1)), int(m.group(2))) == (200 - killed_reports, killed_reports), r.stdout

    clean = str(tmp_path / "clean.duckdb")
    r = cli("ingest", str(docs), "--db", clean, "-q")
    assert r.returncode == 0, r.stderr
    assert snapshot(db) == snapshot(clean)
