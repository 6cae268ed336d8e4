"""Turn command-line inputs (files, directories, stdin, .jsonl) into Reports.

Every input yields either a :class:`~sitrep.model.Report` or an
:class:`~sitrep.errors.InputError`, never raises: one bad document must not
stop a batch.  HTML is turned into text with trafilatura.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .model import Report
from .settings import Settings, parse_date

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
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Report(text=text, doc_id=doc_id, date=date, source=site, url=url, title=title)


def report_from_bytes(data: bytes, doc_id: str, settings: Settings, url: str | None = None) -> Report:
    if len(data) > settings.max_bytes:
        raise InputError(f"{doc_id}: too large ({len(data):,} bytes; limit {settings.max_bytes:,})")
    text = decode_bytes(data, doc_id)
    if looks_like_html(data, doc_id):
        report = html_to_report(text, doc_id, url=url)
    else:
        report = Report(text=text, doc_id=doc_id, url=url)
    return _apply_defaults(report, settings)


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
        for lineno, raw in enumerate(fh, 1):
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


def iter_path_reports(path: Path, settings: Settings) -> Iterator[Report | InputError]:
    """Reports from one file path (.jsonl yields one per line)."""
    name = str(path)
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_reports(path, settings)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"{name}: cannot read ({exc.strerror or exc})")
        return
    try:
        yield report_from_bytes(data, name, settings)
    except InputError as exc:
        yield exc


def iter_reports(inputs: Iterable[str], settings: Settings | None = None) -> Iterator[Report | InputError]:
    """Reports from each input: a file, a directory (every file in it), '-' (stdin) or a .jsonl."""
    settings = settings or Settings()
    for item in inputs:
        if item == "-":
            data = sys.stdin.buffer.read()
            try:
                yield report_from_bytes(data, "-", settings)
            except InputError as exc:
                yield exc
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield InputError(f"{item}: directory has no files")
            for p in files:
                yield from iter_path_reports(p, settings)
        elif path.exists():
            yield from iter_path_reports(path, settings)
        else:
            yield InputError(f"{item}: no such file or directory")
