"""Outbound fetches: only public addresses unless allowed, every redirect re-checked, the checked address
the one connected to, and every download bounded in time and size.  Real HTTP servers on loopback stand in
for a machine's internal services (127.0.0.1) and for a public site (127.0.0.2, allowed by name as a network)."""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.fetch import fetch
from sitrep.ingest import ingest
from sitrep.netguard import address_kind
from sitrep.settings import Settings
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]
SECRET = "Internal inventory: rebels killed 5 civilians in Aleppo on Friday, the admin console says."
PUBLIC_NET = ("127.0.0.2/32",)  # the test's stand-in for the public internet


def page(text: str) -> bytes:
    return f"<html><head><title>{text[:30]}</title></head><body><article><p>{text}</p></article></body></html>".encode()


class Site:
    """A real HTTP server on one loopback address, answering from a route table and logging each request."""

    def __init__(self, host: str, routes: dict) -> None:
        site = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(self.path)
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.routes = routes
        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def internal():
    site = Site("127.0.0.1", {"/secret.html": (200, {"Content-Type": "text/html"}, page(SECRET))})
    yield site
    site.close()


@pytest.fixture
def public(internal):
    host = internal.base.split("//")[1]
    article = "Syrian army shelling killed 4 civilians in Idlib on Friday, activists said. Troops also shelled Homs."
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>
<item><title>Inside</title><link>{internal.base}/secret.html</link></item>
<item><title>Inside by name</title><link>http://localhost:{host.split(':')[1]}/secret.html</link></item>
<item><title>Redirected inside</title><link>PUBLIC/moved.html</link></item>
<item><title>Real news</title><link>PUBLIC/news.html</link></item>
</channel></rss>"""
    site = Site("127.0.0.2", {})
    site.routes.update({
        "/news.html": (200, {"Content-Type": "text/html"}, page(article)),
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed.replace("PUBLIC", site.base).encode()),
        "/moved.html": (302, {"Location": f"{internal.base}/secret.html"}, b""),
        "/moved-by-name.html": (301, {"Location": f"http://localhost:{host.split(':')[1]}/secret.html"}, b""),
        "/moved-relative.html": (302, {"Location": "/news.html"}, b""),
        "/moved-file.html": (302, {"Location": "file:///etc/passwd"}, b""),
        "/loop.html": (302, {"Location": "/loop.html"}, b""),
    })
    yield site
    site.close()


@pytest.mark.parametrize("address, kind", [
    ("8.8.8.8", None), ("2606:4700::1111", None), ("::ffff:8.8.8.8", None),
    ("127.0.0.1", "loopback"), ("127.9.9.9", "loopback"), ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"), ("::7f00:1", "loopback"), ("64:ff9b::7f00:1", "loopback"),
    ("2002:7f00:1::", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fd12::1", "private"),
    ("::ffff:10.0.0.1", "private"),
    ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("100.64.0.1", "non-public"),
])
def test_address_kinds(address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind


def test_a_loopback_url_is_refused_unless_allowed(internal, tmp_path):
    url = f"{internal.base}/secret.html"
    with pytest.raises(InputError, match=r"refused to fetch from 127\.0\.0\.1, a loopback address"):
        fetch(url, Settings())
    with pytest.raises(InputError, match=r"refused to fetch from localhost \(.*\), a loopback address"):
        fetch(url.replace("127.0.0.1", "localhost"), Settings())
    assert internal.requests == []
    assert SECRET in fetch(url, Settings(allow_private=True)).content.decode()
    assert SECRET in fetch(url, Settings(allow_networks=("127.0.0.0/8",))).content.decode()


def test_a_feed_cannot_lead_sitrep_inside_and_nothing_inside_is_published(internal, public, tmp_path):
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([], store, Settings(date="2017-07-22", allow_networks=PUBLIC_NET), feeds=[f"{public.base}/feed.xml"])
    assert internal.requests == []  # not one request reached the internal server
    assert summary.reports_new == 1 and summary.reports_failed == 3, summary.failures
    assert sum("a loopback address" in f for f in summary.failures) == 3
    stored = " ".join(str(row) for row in store.query("SELECT * FROM reports"))
    assert "admin console" not in stored and "Aleppo" not in stored
    assert all("Aleppo" not in (me.event.location or "") for me in store.events())


@pytest.mark.parametrize("path, error", [
    ("/moved.html", "a loopback address"),
    ("/moved-by-name.html", "a loopback address"),
    ("/moved-file.html", r"not an http\(s\) URL"),
    ("/loop.html", "too many redirects"),
])
def test_every_redirect_is_checked_again(internal, public, path, error):
    with pytest.raises(InputError, match=error):
        fetch(public.base + path, Settings(allow_networks=PUBLIC_NET))
    assert internal.requests == []
    followed = fetch(f"{public.base}/moved-relative.html", Settings(allow_networks=PUBLIC_NET))
    assert followed.url == f"{public.base}/news.html" and b"Idlib" in followed.content


def test_the_connection_goes_to_the_address_that_was_checked(internal, public, monkeypatch):
    # A name that resolves to an allowed address when checked and to an internal one right after
    # (DNS rebinding): the request must still go to the address checked.
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2"] + ["127.0.0.1"] * 10)

    def rebinding(host, port, *args, **kw):
        if host == "news.rebind.test":
            return real(next(answers), port, *args, **kw)
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    internal.routes["/news.html"] = (200, {"Content-Type": "text/html"}, page(SECRET))
    port = public.base.rsplit(":", 1)[1]
    got = fetch(f"http://news.rebind.test:{port}/news.html", Settings(allow_networks=PUBLIC_NET))
    assert b"Idlib" in got.content and internal.requests == []
    assert got.url == f"http://news.rebind.test:{port}/news.html"


def test_the_command_line_refuses_private_addresses_and_allow_private_lets_them_in(internal, tmp_path):
    url = f"{internal.base}/secret.html"
    db = str(tmp_path / "cli.duckdb")
    run = [sys.executable, "-m", "sitrep", "ingest", "-q", "--db", db, url]
    refused = subprocess.run(run, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert refused.returncode == 2 and internal.requests == []
    assert refused.stderr.splitlines() == [
        f"sitrep: failed: {url}: refused to fetch from 127.0.0.1, a loopback address (--allow-private allows it)"]
    allowed = subprocess.run(run + ["--allow-private"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.startswith("ingest: 1 reports new") and internal.requests == ["/secret.html"]


# ------------------------------------------------------------------ time and size per download

def _trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        while True:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def _endless(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        while True:
            handler.wfile.write(b"<p>news</p>" * 1000)
    except OSError:
        pass


@pytest.mark.parametrize("route, settings, error", [
    (_trickle, Settings(allow_private=True, read_seconds=1), "timed out (the time limit per download is 1 s)"),
    (_endless, Settings(allow_private=True, read_seconds=1, max_bytes=10**12), "timed out (the time limit per download is 1 s)"),
    (_endless, Settings(allow_private=True, max_bytes=100_000), "too large (over 100,000 bytes)"),
])
def test_a_trickling_or_endless_server_is_cut_off(internal, route, settings, error):
    internal.routes["/slow.html"] = route
    t0 = time.monotonic()
    with pytest.raises(InputError, match=error.replace("(", r"\(").replace(")", r"\)")):
        fetch(f"{internal.base}/slow.html", settings)
    assert time.monotonic() - t0 < 5  # the whole download's limit, not a limit per read


def test_https_goes_to_the_checked_address_and_still_verifies_the_name(public, tmp_path, monkeypatch):
    import ssl

    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("news.example")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    site = Site("127.0.0.2", {"/news.html": (200, {"Content-Type": "text/html"}, page("Troops shelled Idlib."))})
    site.server.socket = server_ctx.wrap_socket(site.server.socket, server_side=True)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **kw: real(
        "127.0.0.2" if host in ("news.example", "other.example") else host, *a, **kw))
    port = site.base.rsplit(":", 1)[1]
    try:
        got = fetch(f"https://news.example:{port}/news.html", Settings(allow_networks=PUBLIC_NET))
        assert b"Idlib" in got.content and got.url == f"https://news.example:{port}/news.html"
        with pytest.raises(InputError, match="other.example.*(?i:certificate|hostname)"):  # the certificate names another host
            fetch(f"https://other.example:{port}/news.html", Settings(allow_networks=PUBLIC_NET))
    finally:
        site.close()


def test_a_name_that_resolves_slowly_is_given_up_within_the_download_limit(monkeypatch):
    real = socket.getaddrinfo

    def slow_dns(host, *args, **kw):
        if host == "slow.dns.test":
            time.sleep(5)  # a DNS server that answers late
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", slow_dns)
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"unreachable \(no answer from DNS for slow\.dns\.test in time\)"):
        fetch("http://slow.dns.test/news.html", Settings(read_seconds=0.5))
    assert time.monotonic() - t0 < 3
