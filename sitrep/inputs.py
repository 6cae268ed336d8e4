"""Turn command-line inputs (files, directories, stdin, .jsonl) into Reports.

Every input yields either a :class:`~sitrep.model.Report` or an
:class:`~sitrep.errors.InputError`, never raises: one bad document must not
stop a batch.  HTML is turned into text with trafilatura.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .model import Report
from .settings import Settings, parse_date

FIFO_WAIT = 10.0  # seconds a named pipe given as input may take to get a writer

_HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|article|p|div)[\s>]", re.I)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode report bytes as UTF-8 text, refusing binary, empty and undecodable data."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: binary file, not text")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InputError(f"{name}: empty input")
    return text


def looks_like_html(data: bytes | str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = data[:4096]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    return bool(_HTML_HINT.search(head)) and head.lstrip()[:1] == b"<"


_NEW_YEAR = re.compile(r"\b(?:January|Jan\.?)\s+1(?:st)?\b|\b1(?:st)?\s+(?:January|Jan)\b|\b\d{4}-01-01\b|New Year", re.I)


def html_to_report(html: str, doc_id: str, url: str | None = None) -> Report:
    """Main text and metadata of an HTML article page (trafilatura)."""
    import trafilatura

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        raise InputError(f"{doc_id}: no article text found in HTML")
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = getattr(meta, "title", None) if meta else None
    date = getattr(meta, "date", None) if meta else None
    site = getattr(meta, "sitename", None) if meta else None
    try:
        date = parse_date(date) if date else None
    except InputError:
        date = None
    if date and date.endswith("-01-01") and not _NEW_YEAR.search(html):
        date = None  # a year alone ("© 2024" in a footer) read as 1 January: no date at all
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Report(text=text, doc_id=doc_id, date=date, source=site, url=url, title=title)


def report_from_bytes(data: bytes, doc_id: str, settings: Settings, url: str | None = None) -> Report:
    if len(data) > settings.max_bytes:
        raise InputError(f"{doc_id}: too large (over {settings.max_bytes:,} bytes)")
    text = decode_bytes(data, doc_id)
    if looks_like_html(data, doc_id):
        report = html_to_report(text, doc_id, url=url)
    else:
        report = Report(text=text, doc_id=doc_id, url=url)
    return _apply_defaults(report, settings)


def read_input(path: Path, limit: int, seconds: float = 30.0) -> bytes:
    """The bytes of one input file, at most ``limit + 1`` of them, or InputError.

    A named pipe is read once a writer connects; if none does within FIFO_WAIT seconds it is
    refused instead of waited on for ever, and a writer that has not finished ``seconds`` later is
    cut off.  Devices are refused (/dev/zero never ends).
    """
    name = str(path)
    if path.is_symlink() and not path.exists():
        raise InputError(f"{name}: broken symbolic link (to {os.readlink(path)})")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    with open(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode) or not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise InputError(f"{name}: not a regular file")
        try:
            if stat.S_ISFIFO(mode):
                if not _readable_within(fd, FIFO_WAIT):
                    raise InputError(f"{name}: named pipe with no writer (waited {FIFO_WAIT:g} s)")
                os.set_blocking(fd, True)
                return read_stream(fd, limit, seconds, name)
            return fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_stream(fd: int, limit: int, seconds: float, name: str) -> bytes:
    """At most ``limit + 1`` bytes of a pipe or terminal, read to its end within ``seconds`` in all.

    Each read waits only until the deadline, so a writer that trickles or never closes is cut off
    (a blocking read of the whole stream waited on it for ever).  The descriptor stays blocking:
    select says when a read will not wait, and stdin's mode is shared with the shell."""
    import selectors

    deadline = time.monotonic() + seconds
    chunks, size = [], 0
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while size <= limit:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise InputError(f"{name}: not read to its end within {seconds:g} s (the time limit per input)")
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def read_stdin(limit: int, seconds: float) -> bytes:
    """At most ``limit + 1`` bytes of standard input, within ``seconds`` unless it is a plain file."""
    try:
        fd = sys.stdin.fileno()
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except (AttributeError, OSError, ValueError):  # replaced by an object without a descriptor
        return sys.stdin.buffer.read(limit + 1)
    return sys.stdin.buffer.read(limit + 1) if regular else read_stream(fd, limit, seconds, "-")


def _readable_within(fd: int, seconds: float) -> bool:
    import selectors

    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        return bool(sel.select(seconds))


def _apply_defaults(report: Report, settings: Settings) -> Report:
    if report.date is None:
        report.date = settings.date
    if report.source is None:
        report.source = settings.source
    if report.title is None:
        first = report.text.strip().split("\n", 1)[0].strip()
        report.title = first[:300] or None
    return report


def _jsonl_reports(path: Path, settings: Settings) -> Iterator[Report | InputError]:
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield InputError(f"{name}: cannot read ({exc.strerror})")
        return
    with fh:
        seen_any = False
        for lineno, raw in enumerate(_bounded_lines(fh, settings.max_bytes), 1):
            if raw is None:
                seen_any = True
                yield InputError(f"{name}:{lineno}: line too large (limit {settings.max_bytes:,} bytes)")
                continue
            if not raw.strip():
                continue
            seen_any = True
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield InputError(f"{name}:{lineno}: malformed JSON line ({exc.__class__.__name__})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield InputError(f"{name}:{lineno}: expected an object with a string 'text'")
                continue
            if problem := _field_problem(obj):
                yield InputError(f"{name}:{lineno}: {problem}")
                continue
            doc_id = str(obj.get("id") if obj.get("id") is not None else f"{name}:{lineno}")
            text = obj["text"]
            if not text.strip():
                yield InputError(f"{name}:{lineno}: empty text")
                continue
            try:
                date = parse_date(obj.get("date")) if obj.get("date") else None
            except InputError:
                yield InputError(f"{name}:{lineno}: invalid date {obj.get('date')!r}")
                continue
            try:
                if looks_like_html(text):
                    report = html_to_report(text, doc_id, url=obj.get("url"))
                else:
                    report = Report(text=text, doc_id=doc_id, url=obj.get("url"))
            except InputError as exc:
                yield InputError(f"{name}:{lineno}: {exc}")
                continue
            report.date = date or report.date
            report.source = obj.get("source") or report.source
            report.title = obj.get("title") or report.title
            yield _apply_defaults(report, settings)
        if not seen_any:
            yield InputError(f"{name}: empty input")


def _field_problem(obj: dict) -> str | None:
    """What is wrong with a .jsonl record's fields, if anything.

    JSON can escape lone surrogates ("\\ud800"), which no UTF-8 output or store can hold;
    metadata that is not a string (a list as title) would reach the store and the output as is.
    """
    for key in ("text", "id", "source", "title", "url", "date"):
        value = obj.get(key)
        if key in ("source", "title", "url") and value is not None and not isinstance(value, str):
            return f"'{key}' must be a string, not {type(value).__name__}"
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"'{key}' is not valid Unicode (lone surrogate at character {exc.start})"
    return None


def _bounded_lines(fh, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary file; None stands for a line longer than ``limit``, which is skipped unread."""
    while raw := fh.readline(limit + 1):
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw


def iter_path_reports(path: Path, settings: Settings) -> Iterator[Report | InputError]:
    """Reports from one file path (.jsonl yields one per line)."""
    name = str(path)
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_reports(path, settings)
        return
    try:
        data = read_input(path, settings.max_bytes, settings.read_seconds)
        yield report_from_bytes(data, name, settings)
    except InputError as exc:
        yield exc


def iter_reports(inputs: Iterable[str], settings: Settings | None = None) -> Iterator[Report | InputError]:
    """Reports from each input: a file, a directory (every file in it), '-' (stdin) or a .jsonl."""
    settings = settings or Settings()
    for item in inputs:
        if item == "-":
            try:
                yield report_from_bytes(read_stdin(settings.max_bytes, settings.read_seconds), "-", settings)
            except InputError as exc:
                yield exc
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                # Not p.is_file(): a broken link or a pipe in the folder is an input that fails, loudly.
                p for p in path.rglob("*")
                if not p.is_dir() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield InputError(f"{item}: directory has no files")
            for p in files:
                yield from iter_path_reports(p, settings)
        elif path.exists() or path.is_symlink():
            yield from iter_path_reports(path, settings)
        else:
            yield InputError(f"{item}: no such file or directory")
