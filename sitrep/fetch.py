"""Reports from the web: an article URL, or every entry of an RSS/Atom feed.

Each URL yields a Report or an InputError with a one-line reason (unreachable,
HTTP error, not HTML, too large, binary, undecodable, malformed feed); nothing
here raises past the caller, so one dead link never stops a batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import InputError
from .inputs import decode_bytes, html_to_report
from .model import Report
from .settings import Settings, parse_date

TIMEOUT = 20.0
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


def fetch(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES + TEXT_TYPES,
          timeout: float = TIMEOUT) -> Fetched:
    """GET a URL within a time and size limit; refuse HTTP errors and unwanted content types."""
    import httpx

    limit = settings.max_bytes
    try:
        with httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise InputError(f"{url}: HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
                ctype, _, params = resp.headers.get("content-type", "").partition(";")
                ctype = ctype.strip().lower()
                if ctype and ctype not in accept:
                    raise InputError(f"{url}: not a page sitrep can read (content-type {ctype})")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise InputError(f"{url}: too large ({int(declared):,} bytes; limit {limit:,})")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise InputError(f"{url}: too large (over {limit:,} bytes)")
                    chunks.append(chunk)
                m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.I)
                return Fetched(str(resp.url), b"".join(chunks), ctype, m.group(1).lower() if m else None)
    except InputError:
        raise
    except httpx.TimeoutException:
        raise InputError(f"{url}: timed out after {timeout:g}s") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise InputError(f"{url}: not a valid http(s) URL") from None
    except httpx.ConnectError as exc:
        raise InputError(f"{url}: unreachable ({_reason(exc)})") from None
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: download failed ({_reason(exc)})") from None


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
