"""Reports from the web: an article URL, or every entry of an RSS/Atom feed.

Each URL yields a Report or an InputError with a one-line reason (unreachable,
refused address, HTTP error, not HTML, too large, too slow, binary, undecodable,
malformed feed); nothing here raises past the caller, so one dead link never
stops a batch.  Every fetch -- a URL, a feed, each feed entry, each redirect --
goes only to public addresses unless the settings allow more (see netguard).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import InputError
from .inputs import decode_bytes, html_to_report
from .model import Report
from .settings import Settings, parse_date

READ_TIMEOUT = 20.0  # seconds one read (or the connection) may wait; the whole download has Settings.read_seconds
MAX_REDIRECTS = 5
USER_AGENT = "sitrep/0.1 (+offline conflict-event extraction)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json",
) + HTML_TYPES + TEXT_TYPES  # servers label feeds carelessly; feedparser decides
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def is_url(item: str) -> bool:
    return item.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str
    charset: str | None


def fetch(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES + TEXT_TYPES) -> Fetched:
    """GET a URL within a total time and size limit, from allowed addresses only; refuse HTTP errors
    and unwanted content types.

    Redirects are followed here, not by httpx, so that each hop's address is checked (netguard);
    each request goes to the checked address, with the name in the Host header and TLS SNI."""
    import httpx

    deadline = time.monotonic() + settings.read_seconds
    current = url
    try:
        # trust_env=False: no proxy from the environment, which would connect where no check looked;
        # the CA bundle still follows SSL_CERT_FILE / SSL_CERT_DIR.
        tls = httpx.create_ssl_context(trust_env=True)
        with httpx.Client(trust_env=False, verify=tls, headers={"User-Agent": USER_AGENT}) as client:
            for _ in range(MAX_REDIRECTS + 1):
                target, headers, extensions = _pinned(current, settings, url, deadline)
                with client.stream("GET", target, headers=headers, extensions=extensions,
                                   timeout=_timeout(deadline, url, settings)) as resp:
                    if not resp.has_redirect_location:
                        return _body(resp, current, url, accept, settings, deadline)
                    current = _redirect(current, resp.headers["location"], url)
            raise InputError(f"{url}: too many redirects (over {MAX_REDIRECTS})")
    except InputError:
        raise
    except httpx.TimeoutException:
        raise InputError(f"{url}: timed out (the time limit per download is {settings.read_seconds:g} s)") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise InputError(f"{url}: not a valid http(s) URL") from None
    except httpx.ConnectError as exc:
        raise InputError(f"{url}: unreachable ({_reason(exc)})") from None
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: download failed ({_reason(exc)})") from None


def _pinned(current: str, settings: Settings, label: str, deadline: float):
    """The request for a URL sent to its checked address: (url with the address, headers, extensions)."""
    import httpx

    from .netguard import parse_networks, resolve_checked

    u = httpx.URL(current)
    if u.scheme not in ("http", "https") or not u.raw_host:
        raise InputError(f"{label}: not a valid http(s) URL" + (f" (redirected to {current})" if current != label else ""))
    host = u.raw_host.decode("ascii")
    ip = resolve_checked(host, u.port or (443 if u.scheme == "https" else 80), settings.allow_private,
                         parse_networks(settings.allow_networks), label=label,
                         seconds=max(0.001, deadline - time.monotonic()))
    extensions = {"sni_hostname": host} if u.scheme == "https" else {}
    return u.copy_with(host=str(ip)), {"Host": u.netloc.decode("ascii")}, extensions


def _timeout(deadline: float, label: str, settings: Settings):
    import httpx

    left = deadline - time.monotonic()
    if left <= 0:
        raise InputError(f"{label}: timed out (the time limit per download is {settings.read_seconds:g} s)")
    return httpx.Timeout(min(READ_TIMEOUT, left))


def _redirect(current: str, location: str, label: str) -> str:
    import httpx

    try:
        nxt = str(httpx.URL(current).join(location))
    except httpx.InvalidURL:
        raise InputError(f"{label}: redirected to an invalid URL ({location[:200]!r})") from None
    if not is_url(nxt):
        raise InputError(f"{label}: redirected to {nxt[:200]!r}, not an http(s) URL")
    return nxt


def _body(resp, current: str, label: str, accept: tuple[str, ...], settings: Settings, deadline: float) -> Fetched:
    """The response's content, read within the size limit and the download's deadline."""
    if resp.status_code >= 400:
        raise InputError(f"{label}: HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
    ctype, _, params = resp.headers.get("content-type", "").partition(";")
    ctype = ctype.strip().lower()
    if ctype and ctype not in accept:
        raise InputError(f"{label}: not a page sitrep can read (content-type {ctype})")
    limit = settings.max_bytes
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(f"{label}: too large ({int(declared):,} bytes; limit {limit:,})")
    chunks, size = [], 0
    for chunk in resp.iter_bytes():  # decoded bytes: a compressed body is limited by what it unpacks to
        size += len(chunk)
        if size > limit:
            raise InputError(f"{label}: too large (over {limit:,} bytes)")
        if time.monotonic() > deadline:
            raise InputError(f"{label}: timed out (the time limit per download is {settings.read_seconds:g} s)")
        chunks.append(chunk)
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.I)
    return Fetched(current, b"".join(chunks), ctype, m.group(1).lower() if m else None)


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return re.sub(r"^\[Errno -?\d+\]\s*", "", text)


def _decode(f: Fetched) -> str:
    charset = f.charset
    if charset is None:
        m = _META_CHARSET.search(f.content[:4096])
        charset = m.group(1).decode("ascii").lower() if m else None
    if charset in (None, "utf-8", "utf8"):
        return decode_bytes(f.content, f.url)
    if b"\x00" in f.content[:8192] and not charset.startswith("utf-16"):
        raise InputError(f"{f.url}: binary content, not text")
    try:
        return f.content.decode(charset)
    except LookupError:
        return decode_bytes(f.content, f.url)
    except UnicodeDecodeError as exc:
        raise InputError(f"{f.url}: not valid {charset} text (byte {exc.start})") from None


def fetch_report(
    url: str,
    settings: Settings,
    title: str | None = None,
    date: str | None = None,
    source: str | None = None,
) -> Report:
    """An article page as a Report: main text and metadata by trafilatura.

    title, date and source (from a feed entry, say) win over what the page says;
    settings.date and settings.source fill in what neither gives.
    """
    f = fetch(url, settings)
    text = _decode(f)
    if f.content_type in TEXT_TYPES:
        report = Report(text=text, doc_id=url, url=f.url)
    else:
        report = html_to_report(text, doc_id=url, url=f.url)
    report.doc_id = url
    report.title = title or report.title or (text.strip().split("\n", 1)[0][:300] or None)
    report.date = date or report.date or settings.date
    report.source = report.source or source or settings.source
    return report


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return parse_date(f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}")
            except InputError:
                return None
    for key in ("published", "updated"):
        if entry.get(key):
            try:
                return parse_date(entry[key])
            except InputError:
                pass
    return None


def feed_reports(feed_url: str, settings: Settings) -> Iterator[Report | InputError]:
    """Each entry of an RSS/Atom feed, its link followed, as a Report (or an InputError)."""
    import feedparser

    try:
        f = fetch(feed_url, settings, accept=FEED_TYPES)
    except InputError as exc:
        yield _about(exc, feed_url)
        return
    parsed = feedparser.parse(f.content, response_headers={"content-location": f.url})
    if not any(e.get("link") for e in parsed.entries):
        # feedparser recovers what it can from broken XML; with no link in it, nothing was recovered.
        why = "malformed feed" if parsed.bozo else "feed has no entries with links"
        detail = str(parsed.get("bozo_exception") or "").replace("<unknown>:", "line ")
        yield _about(InputError(f"{feed_url}: {why}{f' ({detail})' if detail else ''}"), feed_url)
        return
    outlet = parsed.feed.get("title") or None
    for i, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        if not link:
            yield InputError(f"{feed_url}: entry {i} has no link")
            continue
        if not is_url(link):
            yield InputError(f"{feed_url}: entry {i} link {link!r} is not an http(s) URL")
            continue
        try:
            yield fetch_report(link, settings, title=entry.get("title") or None,
                               date=_entry_date(entry), source=outlet)
        except InputError as exc:
            yield _about(exc, link)


def _about(exc: InputError, url: str) -> InputError:
    # The ingest records failed URLs in the store so that a later run can retry them.
    exc.input = url
    return exc
