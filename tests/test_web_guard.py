"""The web app's guard: token before body, body limits, Host check, security headers, errors without
internals, and posting that queues instead of stalling readers.

The memory test runs `sitrep serve` as a real server process and measures its resident memory."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.store import Store  # noqa: E402
from sitrep.web import create_app, default_trusted_hosts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "guard-token"
SERVED_TOKEN = "guard-tökén"  # sent as UTF-8 bytes by the raw-socket client
REPORT = "Title\n\nSyrian army shelling killed 4 civilians in Idlib on Friday, activists said."
SLOW = "Title\n\n" + "Rebels killed 5 civilians in Aleppo on Friday. Troops shelled Idlib. " * 1500  # ~100 KB, a second or more


def client_for(path, **kw) -> TestClient:
    Store(path).release()
    return TestClient(create_app(path, **kw), base_url="http://localhost")


def bearer(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def wait_job(client: TestClient, url: str, limit: float = 120) -> dict:
    deadline = time.monotonic() + limit
    while (job := client.get(url).json())["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)
    return job


# ------------------------------------------------------------------ headers, host, token

def test_every_answer_carries_the_security_headers(tmp_path):
    client = client_for(tmp_path / "s.duckdb", token=TOKEN)
    answers = [client.get("/"), client.get("/events"), client.get("/map"), client.get("/docs"),
               client.get("/api/events"), client.get("/events/NOPE"), client.post("/api/reports", json={"text": "x"})]
    for r in answers:
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        assert r.headers["x-frame-options"] == "DENY"
        policy = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert re.search(r"script-src 'self' 'nonce-[\w-]+';", policy) and "unsafe" not in policy.split("style-src")[0]
        assert re.fullmatch(r"[0-9a-f]{16}", r.headers["x-request-id"])
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 200, 404, 401]
    assert answers[5].json()["request_id"] == answers[5].headers["x-request-id"]
    # The pages' own scripts carry this response's nonce; the pages without scripts have none.
    for r in (answers[2], answers[3]):
        nonce = re.search(r"'nonce-([\w-]+)'", r.headers["content-security-policy"]).group(1)
        tags = re.findall(r"<script\b[^>]*>", r.text)
        assert tags and all(f'nonce="{nonce}"' in t for t in tags)
    assert "<script" not in answers[0].text and "<script" not in answers[1].text


def test_unknown_host_names_are_refused(tmp_path):
    Store(tmp_path / "s.duckdb").release()
    app = create_app(tmp_path / "s.duckdb", trusted_hosts=["news.example.org"])
    assert TestClient(app, base_url="http://news.example.org").get("/events").status_code == 200
    evil = TestClient(app, base_url="http://attacker.example").get("/events")
    assert evil.status_code == 400 and evil.headers["x-frame-options"] == "DENY"
    default = create_app(tmp_path / "s.duckdb")
    for host in ("localhost", "127.0.0.1", "[::1]"):
        assert TestClient(default, base_url=f"http://{host}:8000").get("/api/events").status_code == 200, host
    assert TestClient(default, base_url="http://rebound.example:8000").get("/api/events").status_code == 400
    assert default_trusted_hosts("10.1.2.3") == ["localhost", "127.0.0.1", "[::1]", "10.1.2.3"]
    assert default_trusted_hosts("fd00::5")[-1] == "[fd00::5]"
    assert socket.gethostname().lower() in default_trusted_hosts("0.0.0.0")


def test_a_non_ascii_token_matches_a_client_sending_utf8(tmp_path):
    token = "clé-sécrète-ß"
    client = client_for(tmp_path / "s.duckdb", token=token)
    raw = {"Authorization": b"Bearer " + token.encode("utf-8")}
    assert client.post("/api/reports", json={"text": ""}, headers=raw).status_code == 422  # let in, then refused as empty
    other = {"Authorization": b"Bearer " + "clé".encode("utf-8")}
    assert client.post("/api/reports", json={"text": ""}, headers=other).status_code == 401


# ------------------------------------------------------------------ bodies

def test_bodies_over_the_limit_are_refused_with_413(tmp_path):
    client = client_for(tmp_path / "s.duckdb", token=TOKEN, max_body_bytes=10_000)
    big = b'{"text": "' + b"a" * 20_000 + b'"}'
    r = client.post("/api/reports", content=big, headers={**bearer(), "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["detail"] == "request body over 10,000 bytes"

    def chunks():  # no Content-Length: the guard counts the bytes as they come
        for _ in range(30):
            yield b"a" * 1000

    r = client.post("/api/reports", content=chunks(), headers={**bearer(), "Content-Type": "application/json"})
    assert r.status_code == 413
    # Without the token, the size is never looked at: 401 first.
    assert client.post("/api/reports", content=big, headers={"Content-Type": "application/json"}).status_code == 401
    ok = client.post("/api/reports", json={"text": REPORT}, headers=bearer())
    assert ok.status_code == 202


def _serve(tmp_path, *extra: str):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    Store(tmp_path / "s.duckdb").release()
    env = dict(os.environ, SITREP_TOKEN=SERVED_TOKEN)
    proc = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--port", str(port), "--db",
                             str(tmp_path / "s.duckdb"), *extra], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


def _post_raw(port: int, head: bytes, total: int) -> bytes:
    """Send a request head, then up to `total` body bytes while the server takes them; return its answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(head)
        chunk = b"a" * (1 << 20)
        if b"chunked" in head:
            chunk = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        try:
            for _ in range(total // len(chunk)):
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed: it would not take the body
        try:
            return sock.recv(4096)
        except OSError:
            return b""
    finally:
        sock.close()


def test_unauthenticated_100_mb_posts_are_refused_without_being_read(tmp_path):
    psutil = pytest.importorskip("psutil")
    proc, port = _serve(tmp_path)
    try:
        server = psutil.Process(proc.pid)
        time.sleep(0.5)
        before = server.memory_info().rss
        peak = before
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, server.memory_info().rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        size = 100 * (1 << 20)
        answers = []
        for i in range(5):
            declared = i % 2 == 0  # with Content-Length, and chunked without it
            head = (b"POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (f"Content-Length: {size}\r\n".encode() if declared else b"Transfer-Encoding: chunked\r\n")
                    + b"\r\n")
            answers.append(_post_raw(port, head, size))
        # With the token, a body over the limit is cut off at the limit, declared or not.
        for declared in (True, False):
            head = (b"POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + f"Authorization: Bearer {SERVED_TOKEN}\r\n".encode("utf-8")
                    + (f"Content-Length: {size}\r\n".encode() if declared else b"Transfer-Encoding: chunked\r\n")
                    + b"\r\n")
            answers.append(_post_raw(port, head, size if declared else 20 * (1 << 20)))
        latin1 = (b"POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                  + f"Authorization: Bearer {SERVED_TOKEN}\r\n\r\n".encode("latin-1") + b"{}")
        answers.append(_post_raw(port, latin1, 0))
        stop.set()
        sampler.join()
        assert [a.split(b"\r\n", 1)[0] for a in answers[:5]] == [b"HTTP/1.1 401 Unauthorized"] * 5
        assert all(a.startswith(b"HTTP/1.1 413") for a in answers[5:7]), answers[5:7]
        assert answers[7].startswith(b"HTTP/1.1 401")  # the same token in Latin-1 is another token
        assert peak - before < 50 * (1 << 20), f"server memory rose {(peak - before) / (1 << 20):.0f} MB"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ------------------------------------------------------------------ errors

def test_errors_name_no_path_and_no_database_internals(tmp_path, caplog):
    path = tmp_path / "secret-dir" / "s.duckdb"
    path.parent.mkdir()
    client = client_for(path, token=TOKEN)

    @client.app.get("/boom")
    def boom():  # a handler with a bug
        raise RuntimeError(f"internal detail at {path}")

    with caplog.at_level(logging.ERROR, logger="sitrep.web"):
        crashed = client.get("/boom")
        path.write_bytes(b"this is no database" * 100)  # the store breaks under the running app
        # (the map page itself is static; its data comes from /api/map.json)
        broken = [client.get(url) for url in ("/api/events", "/events", "/", "/api/map.json", "/api/events.csv")]
    assert crashed.status_code == 500 and crashed.json() == {"detail": "internal error",
                                                             "request_id": crashed.headers["x-request-id"]}
    for r in broken:
        assert r.status_code == 503 and r.headers["retry-after"], r.url
        assert "secret-dir" not in r.text and "duckdb" not in r.text.lower() and "database" not in r.text.lower()
        assert r.json()["request_id"] == r.headers["x-request-id"]
    logged = caplog.text
    assert "internal detail" in logged and crashed.headers["x-request-id"] in logged
    assert "secret-dir" in logged and broken[0].headers["x-request-id"] in logged  # the details are in the log


def test_an_invalid_post_is_told_what_is_wrong_without_its_text_echoed(tmp_path):
    client = client_for(tmp_path / "s.duckdb", token=TOKEN)
    r = client.post("/api/reports", json={"text": 12345678, "date": "2017-07-22"}, headers=bearer())
    assert r.status_code == 422 and "12345678" not in r.text
    assert r.json()["detail"][0]["loc"] == ["body", "text"]
    r = client.post("/api/reports", json={"text": REPORT, "date": "2017-13-45"}, headers=bearer())
    assert r.status_code == 422 and "invalid date" in r.json()["detail"]


# ------------------------------------------------------------------ posting

def test_a_long_post_is_queued_and_readers_go_on(tmp_path):
    client = client_for(tmp_path / "s.duckdb", token=TOKEN)
    posted = client.post("/api/reports", json={"text": SLOW, "date": "2017-07-22"}, headers=bearer())
    assert posted.status_code == 202 and posted.headers["location"] == posted.json()["status_url"]
    url = posted.json()["status_url"]
    before = client.get(url).json()["status"]
    readers = [client.get(u).status_code for u in ("/api/events", "/events", "/", "/map")]
    after = client.get(url).json()["status"]
    assert readers == [200] * 4
    assert before in ("queued", "running") and after in ("queued", "running")  # read while it was extracted
    job = wait_job(client, url)
    assert job["status"] == "done" and job["result"]["status"] == "new" and job["result"]["events"] >= 1
    again = client.post("/api/reports", json={"text": SLOW}, headers=bearer())
    assert again.status_code == 200 and again.json()["status"] == "seen"
    assert client.get("/api/jobs/nope").status_code == 404


def test_a_full_queue_answers_503_with_retry_after(tmp_path):
    client = client_for(tmp_path / "s.duckdb", token=TOKEN, queue_size=1)
    texts = [SLOW, REPORT, REPORT.replace("Friday", "Monday")]
    codes = [client.post("/api/reports", json={"text": text}, headers=bearer()) for text in texts]
    assert [r.status_code for r in codes[:2]] == [202, 202]  # one running, one waiting
    assert codes[2].status_code == 503 and codes[2].headers["retry-after"] == "5"
    assert client.get("/api/events").status_code == 200  # readers go on meanwhile
    for posted in codes[:2]:
        assert wait_job(client, posted.json()["status_url"])["status"] == "done"

