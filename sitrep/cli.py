"""The `sitrep` command line: thin wrappers that parse flags into library calls.

Each command turns library exceptions (SitrepError) into one line on stderr
and a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import SitrepError
from .settings import Settings
from .webguard import MAX_BODY_BYTES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sitrep: ACLED-coded political-violence events from news reports, offline.",
    pretty_exceptions_enable=False,
)


class NoticePrinter(logging.Handler):
    """Prints the first notices of each kind (sitrep.notices) on stderr, then only counts them."""

    SHOWN = {"no-date": 1, "not-english": 3}

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        kind = getattr(record, "kind", "other")
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= self.SHOWN.get(kind, 3):
            typer.echo(f"sitrep: warning: {record.getMessage()}", err=True)

    def summary(self) -> None:
        for kind, n in self.counts.items():
            more = n - self.SHOWN.get(kind, 3)
            if more > 0:
                what = {"no-date": "without a date", "not-english": "that do not look English"}.get(kind, kind)
                typer.echo(f"sitrep: warning: and {more} more document{'s' if more != 1 else ''} {what}", err=True)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"sitrep {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """sitrep: ACLED-coded political-violence events from news reports, offline."""
    printer = NoticePrinter()
    log = logging.getLogger("sitrep.notices")
    log.addHandler(printer)

    def done() -> None:
        log.removeHandler(printer)
        printer.summary()

    ctx.call_on_close(done)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero."""
    typer.echo(f"sitrep: error: {message}", err=True)
    raise typer.Exit(code)


def emit_jsonl(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


SCHEDULER_HELP = "Extract on an existing Dask cluster (tcp://HOST:8786) whose workers can import sitrep."
DEFAULTS = Settings()
MAX_BYTES_HELP = "Largest document (file, download, .jsonl line) read, in bytes; larger ones fail alone."
MAX_SECONDS_HELP = "Time budget to extract one document, in seconds (0: none); a slower one fails alone."
READ_SECONDS_HELP = "Time limit to read one input in full (a download with its redirects, a pipe, stdin), in seconds."
ALLOW_PRIVATE_HELP = ("Also fetch from loopback, private, link-local and other non-public addresses "
                      "(refused by default: a link in a report or feed must not reach internal services).")
ALLOW_NETWORK_HELP = "Also fetch from this address range although not public, e.g. 10.1.0.0/16 (repeatable)."


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help="Text/HTML files, directories, '-' for stdin, or .jsonl documents."),
    date: Optional[str] = typer.Option(None, "--date", help="Report date YYYY-MM-DD for documents that carry none."),
    source: Optional[str] = typer.Option(None, "--source", help="Outlet name for documents that carry none."),
    fmt: str = typer.Option("jsonl", "--format", help="Output format (jsonl)."),
    include_all: bool = typer.Option(False, "--all", help="Also print planned/background candidates, marked with modality."),
    workers: int = typer.Option(1, "--workers", help="Extract in parallel on a local Dask cluster with N workers."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    max_bytes: int = typer.Option(DEFAULTS.max_bytes, "--max-bytes", min=1, help=MAX_BYTES_HELP),
    max_seconds: float = typer.Option(DEFAULTS.max_seconds, "--max-seconds", min=0, help=MAX_SECONDS_HELP),
    read_seconds: float = typer.Option(DEFAULTS.read_seconds, "--read-seconds", min=0.001, help=READ_SECONDS_HELP),
) -> None:
    """Extract ACLED-coded events from reports; print JSON Lines, one event per line."""
    from .pipeline import extract_inputs

    if fmt != "jsonl":
        fail(f"unsupported --format {fmt!r} (extract prints jsonl)")
    try:
        settings = Settings(date=date, source=source, include_all=include_all, max_bytes=max_bytes,
                            max_seconds=max_seconds, read_seconds=read_seconds)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    failures = 0
    for item in extract_inputs(inputs, settings, workers=workers, scheduler=scheduler):
        if isinstance(item, SitrepError):
            failures += 1
            typer.echo(f"sitrep: error: {item}", err=True)
            continue
        for event in item:
            emit_jsonl(event.to_dict())
    sys.stdout.flush()
    if failures:
        raise typer.Exit(2)


DB_HELP = "Event store: a DuckDB file or a postgresql:// URL (default: $SITREP_DB, else ./sitrep.duckdb)."


@app.command()
def ingest(
    inputs: Optional[List[str]] = typer.Argument(None, help="Text/HTML files, directories, .jsonl documents or article URLs."),
    feed: Optional[List[str]] = typer.Option(None, "--feed", help="RSS/Atom feed URL: every entry's link is fetched (repeatable)."),
    date: Optional[str] = typer.Option(None, "--date", help="Report date YYYY-MM-DD for documents that carry none."),
    source: Optional[str] = typer.Option(None, "--source", help="Outlet name for documents that carry none."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", help="Extract in parallel on N worker processes; one process writes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    batch: int = typer.Option(500, "--batch", help="Store reports in batches of up to N (one transaction each)."),
    batch_seconds: float = typer.Option(5.0, "--batch-seconds", help="...or of what N seconds of extraction gave."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    max_bytes: int = typer.Option(DEFAULTS.max_bytes, "--max-bytes", min=1, help=MAX_BYTES_HELP),
    max_seconds: float = typer.Option(DEFAULTS.max_seconds, "--max-seconds", min=0, help=MAX_SECONDS_HELP),
    read_seconds: float = typer.Option(DEFAULTS.read_seconds, "--read-seconds", min=0.001, help=READ_SECONDS_HELP),
    allow_private: bool = typer.Option(False, "--allow-private", help=ALLOW_PRIVATE_HELP),
    allow_network: Optional[List[str]] = typer.Option(None, "--allow-network", help=ALLOW_NETWORK_HELP),
) -> None:
    """Extract events from reports and store them, merged across outlets; print a summary line."""
    from .ingest import ingest as ingest_reports
    from .store import Store

    if not inputs and not feed:
        fail("nothing to ingest: give files, directories, URLs or --feed URL", 2)
    if workers < 1:
        fail("--workers must be at least 1", 2)
    if batch < 1 or batch_seconds <= 0:
        fail("--batch and --batch-seconds must be positive", 2)
    try:
        settings = Settings(date=date, source=source, max_bytes=max_bytes, max_seconds=max_seconds,
                            read_seconds=read_seconds, allow_private=allow_private,
                            allow_networks=tuple(allow_network or ()))
        store = Store(db)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    bar, total = progress_bar(quiet), None
    if not bar.disable:
        from .progress import count_documents

        total = count_documents(inputs or [], feed or [])
    with bar:
        task = bar.add_task("", total=total)
        summary = ingest_reports(
            inputs or [], store, settings, feeds=feed or [],
            progress=lambda label, s: bar.update(task, advance=1, description=s.line()),
            workers=workers, scheduler=scheduler, batch=batch, batch_seconds=batch_seconds,
        )
    for line in summary.failures:
        typer.echo(f"sitrep: failed: {line}", err=True)
    for line in summary.notices:
        typer.echo(f"sitrep: {line}", err=True)
    typer.echo(f"ingest: {summary.line()}")
    if summary.reports_failed:
        raise typer.Exit(2)


def progress_bar(quiet: bool):
    """A progress bar on stderr (off when quiet or not a terminal): count, bar, elapsed, and with a total, the ETA."""
    from rich.console import Console
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
    )

    return Progress(
        SpinnerColumn(), MofNCompleteColumn(), TextColumn("reports"), BarColumn(), TimeElapsedColumn(),
        TextColumn("left"), TimeRemainingColumn(), TextColumn("{task.description}"),
        console=Console(stderr=True), transient=True, disable=quiet or not sys.stderr.isatty(),
    )


@app.command()
def events(
    since: Optional[str] = typer.Option(
        None, "--since",
        help="Only the last 24h, 7d, 2w... counted back from today, or from the newest stored event "
             "when the store holds nothing that recent. Dates are days: 24h = that day and the day before.",
    ),
    date_from: Optional[str] = typer.Option(None, "--from", help="First event date YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Last event date YYYY-MM-DD."),
    country: Optional[str] = typer.Option(None, "--country", help="Country name or ISO code (Syria, SY, SYR)."),
    admin1: Optional[str] = typer.Option(None, "--admin1", help="First-level region (governorate, province)."),
    event_type: Optional[str] = typer.Option(None, "--type", help="ACLED event type or sub-event type."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Part of any side's name, or an alias (ISIS finds Islamic State)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most N events (the oldest)."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv (ACLED columns) or geojson."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to FILE instead of stdout."),
) -> None:
    """Print stored events, merged across outlets, as JSON Lines, ACLED-style CSV or GeoJSON."""
    from .export import FORMATS, export
    from .store import Store

    if fmt not in FORMATS:
        fail(f"unsupported --format {fmt!r}: choose one of {', '.join(FORMATS)}", 2)
    try:
        if limit is not None and limit < 1:
            fail("--limit must be at least 1", 2)
        from .review import reviewed_events

        found = reviewed_events(  # an editor's corrections applied, rejected events left out
            Store(db, read_only=True), date_from=date_from, date_to=date_to, country=country, admin1=admin1,
            event_type=event_type, since=since, actor=actor, limit=limit,
        )
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                export(found, fmt, fh)
        else:
            export(found, fmt, sys.stdout)
            sys.stdout.flush()
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})", 1)


@app.command()
def score(
    gold: str = typer.Argument(..., help="Gold YAML file (the seed's gold.yaml format)."),
    events: str = typer.Argument(..., help="Predicted events, JSON Lines as printed by `sitrep extract`."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every match, miss and extra event."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Precision/recall/F1 of extracted events against a gold file, with field accuracies."""
    from .score import format_score, load_events, load_gold
    from .score import score as run_score

    try:
        result = run_score(load_gold(gold), load_events(events))
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(json.dumps(result.figures) if as_json else format_score(result, verbose))


@app.command("eval")
def eval_(
    gold: List[str] = typer.Argument(..., help="Gold YAML files or folders of them (a set); each report is read "
                                               "beside its gold file or from ../reports/."),
    text: Optional[str] = typer.Option(None, "--text", help="The report file, for a single gold file not beside it."),
    date: Optional[str] = typer.Option(None, "--date", help="Report date (default: each gold's assumed date)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every match, miss and extra event."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Extract events from gold-coded reports and score them: per report, per set and in total.

    An event matches a gold event only when its event type and an evidence line agree."""
    from pathlib import Path

    from .evaluate import evaluate, format_sets
    from .score import format_score

    try:
        settings = Settings(date=date)
        single = len(gold) == 1 and Path(gold[0]).is_file()
        extract = _gold_extractor(text if single else None)
        sets = evaluate(gold, extract, settings.date)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    if single:
        result = sets[0].reports[0].result
        typer.echo(json.dumps(result.figures) if as_json else format_score(result, verbose))
    elif as_json:
        typer.echo(json.dumps({s.name: s.totals() for s in sets}))
    else:
        typer.echo(format_sets(sets, verbose))


def _gold_extractor(text_path: Optional[str]):
    """The extractor `eval` runs: the default pipeline on a gold file's report text (or on --text)."""
    from .inputs import iter_reports
    from .model import Report
    from .pipeline import output_events, process

    def extract(text: str, date: Optional[str], doc_id: str) -> list[dict]:
        settings = Settings(date=date)
        reports = iter_reports([text_path], settings) if text_path else [Report(text=text, doc_id=doc_id)]
        events = []
        for item in reports:
            if isinstance(item, SitrepError):
                raise item
            try:
                events.extend(e.to_dict() for e in output_events(process(item, settings), settings))
            except Exception as exc:  # one report's internal error is scored as no events, and said
                typer.echo(f"sitrep: warning: {doc_id}: internal error while extracting "
                           f"({exc.__class__.__name__}: {exc}); scored as no events", err=True)
        return events

    return extract


@app.command()
def places(
    inputs: List[str] = typer.Argument(..., help="Text/HTML files, directories, '-' for stdin, or .jsonl documents."),
    country: Optional[str] = typer.Option(None, "--country", help="ISO 3166 alpha-2 code of the country the reports are about."),
) -> None:
    """Find and geocode every place named in reports; print JSON Lines, one place mention per line."""
    from .countries import country_codes
    from .errors import InputError
    from .gazetteer import Gazetteer
    from .inputs import iter_reports

    if country is not None:
        # The gazetteer compares the hint with alpha-2 codes: "sy" or "Syria" would silently hint nothing.
        codes = country_codes(country)
        if not codes:
            fail(f"unknown --country {country!r}: give an ISO 3166 code or a country name", 2)
        country = codes[0]
    gazetteer = Gazetteer.default()
    failures = 0
    for item in iter_reports(inputs, Settings()):
        if isinstance(item, InputError):
            failures += 1
            typer.echo(f"sitrep: error: {item}", err=True)
            continue
        for m in gazetteer.find(item.text, country_hint=country):
            p = m.place
            emit_jsonl({
                "doc_id": item.doc_id, "start": m.start, "end": m.end, "text": m.text,
                "name": p.name if p else None, "latitude": p.latitude if p else None,
                "longitude": p.longitude if p else None, "country_code": p.country_code if p else None,
                "admin1": p.admin1 if p else None, "feature": p.feature if p else None,
                "geonameid": p.geonameid if p else None, "precision": m.precision,
            })
    sys.stdout.flush()
    if failures:
        raise typer.Exit(2)


@app.command()
def brief(
    since: Optional[str] = typer.Option(None, "--since", help="24h (default), 7d, 2w... counted back from today or the newest stored event."),
    date: Optional[str] = typer.Option(None, "--date", help="The brief of day YYYY-MM-DD: events of that day and the day before."),
    country: Optional[str] = typer.Option(
        None, "--country",
        help="Country name or ISO code (Syria, SY, SYR), or 'all'. Default: the country with most events in the "
             "last 90 days; the period ends on the chosen country's newest day."),
    fmt: str = typer.Option("md", "--format", help="md (Markdown) or html (one self-contained, printable file)."),
    evidence: bool = typer.Option(False, "--evidence", help="Add each event's report wording, quoted and attributed."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write to FILE instead of stdout."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Write a neutral situation brief from stored events: by front, attributed, with control changes and outlet notes."""
    from .brief import build_brief, render_html, render_markdown
    from .store import Store

    if fmt not in ("md", "html"):
        fail(f"unsupported --format {fmt!r}: choose md or html", 2)
    if since and date:
        fail("give --since or --date, not both", 2)
    try:
        b = build_brief(Store(db, read_only=True), since=since, date=date, country=country, evidence=evidence)
        text = render_html(b) if fmt == "html" else render_markdown(b)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            typer.echo(f"brief: {b.total_events} events -> {output}", err=True)
        else:
            sys.stdout.write(text)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})", 1)


@app.command("map")
def map_(
    since: Optional[str] = typer.Option(None, "--since", help="Only the last 24h, 7d, 2w... (as for `events`)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="First event date YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Last event date YYYY-MM-DD."),
    country: Optional[str] = typer.Option(None, "--country", help="Country name or ISO code."),
    output: str = typer.Option("map.html", "-o", "--output", help="HTML file to write (opens offline)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Write an interactive map of stored events (one HTML file that works without internet)."""
    from .mapview import build_map
    from .store import Store

    try:
        from .review import reviewed_events

        found = reviewed_events(Store(db, read_only=True), date_from=date_from, date_to=date_to, country=country,
                                since=since)
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(build_map(found, title=f"sitrep: {len(found)} events"))
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})", 1)
    typer.echo(f"map: {len(found)} events -> {output}", err=True)


@app.command()
def watch(
    urls: Optional[List[str]] = typer.Argument(None, help="RSS/Atom feed or page URLs to watch."),
    every: str = typer.Option("15m", "--every", help="Polling interval per feed: 90s, 15m, 1h, 1h30m."),
    rounds: Optional[int] = typer.Option(None, "--rounds", help="Stop after polling each feed this many times."),
    date: Optional[str] = typer.Option(None, "--date", help="Report date YYYY-MM-DD for pages that carry none."),
    source: Optional[str] = typer.Option(None, "--source", help="Outlet name for pages that carry none."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    allow_private: bool = typer.Option(False, "--allow-private", help=ALLOW_PRIVATE_HELP),
) -> None:
    """Poll feeds and pages, ingest what is new, remember what was seen (in the store); one line per poll on stderr."""
    from .store import Store
    from .watch import Watcher, parse_every

    if not urls:
        fail("nothing to watch: give feed or page URLs", 2)
    try:
        watcher = Watcher(Store(db), urls, parse_every(every),
                          Settings(date=date, source=source, allow_private=allow_private))
        watcher.run(rounds=rounds)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)


users_app = typer.Typer(help="Users of the web app and their roles (reader, editor, admin).", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _users(db: str | None):
    from .store import Store
    from .users import Users

    return Users(Store(db))


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name (letters, digits, . _ @ -)."),
    role: str = typer.Option("reader", "--role", help="reader, editor (corrects and rejects events) or admin."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Add a user and print their token once (only its hash is stored)."""
    try:
        token = _users(db).add(name, role)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(token)
    typer.echo(f"users: {name} added as {role}; the token above is shown once: keep it", err=True)


@users_app.command("token")
def users_token(name: str = typer.Argument(...), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Give a user a new token (printed once); the old one and its sessions stop working."""
    try:
        typer.echo(_users(db).reset_token(name))
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)


@users_app.command("role")
def users_role(name: str = typer.Argument(...), role: str = typer.Argument(..., help="reader, editor or admin."),
               db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Change a user's role."""
    try:
        _users(db).set_role(name, role)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(f"users: {name} is now {role}", err=True)


@users_app.command("remove")
def users_remove(name: str = typer.Argument(...), db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Remove a user (their token and sessions stop working; their corrections stay in the audit trail)."""
    try:
        _users(db).remove(name)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(f"users: {name} removed", err=True)


@users_app.command("list")
def users_list(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """List users with their roles (never their tokens)."""
    try:
        rows = _users(db).list()
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    for name, role, created in rows:
        typer.echo(f"{name}\t{role}\t{created}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    watch: Optional[List[str]] = typer.Option(None, "--watch", help="Also watch this feed or page URL (repeatable)."),
    every: str = typer.Option("15m", "--every", help="Polling interval of --watch: 90s, 15m, 1h."),
    trusted_host: Optional[List[str]] = typer.Option(
        None, "--trusted-host",
        help="A name clients may use in the Host header (repeatable; default: localhost, 127.0.0.1, ::1 and --host, "
             "or this machine's names when --host is 0.0.0.0). Others are refused with 400."),
    max_body_bytes: int = typer.Option(MAX_BODY_BYTES, "--max-body-bytes", min=1,
                                       help="Largest request body read; a larger one is refused with 413."),
) -> None:
    """Run the web app: brief, map, trends, event table and pages with review, downloads, JSON API (POST needs $SITREP_TOKEN)."""
    from .watch import parse_every
    from .web import serve as run_server

    try:
        run_server(db, host=host, port=port, trusted_hosts=trusted_host or None, max_body_bytes=max_body_bytes,
                   watch=watch or None, every=parse_every(every))
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)


@app.command()
def demo(
    db: Optional[str] = typer.Option(None, "--db", help="Event store file (default: $SITREP_DB, else OUT/sitrep.duckdb)."),
    out: str = typer.Option(".", "--out", help="Folder for brief.html and map.html."),
    date: str = typer.Option("2017-07-22", "--date", help="Day of the brief (the seed report's date)."),
) -> None:
    """Ingest the sample reports (and the shared seed report if present), write brief.html and map.html, print a short brief."""
    from .demo import print_demo, run_demo

    try:
        result = run_demo(db=db, out=out, date=date)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    for line in result.summary.failures:
        typer.echo(f"sitrep: failed: {line}", err=True)
    print_demo(result)


gazetteer_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Import village-level places from GeoNames files; every command then uses them beside the shipped table.",
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(
    files: List[str] = typer.Argument(..., help="GeoNames 'geoname' table files: XX.txt, XX.zip, allCountries.zip, or gzip of them."),
    name: Optional[str] = typer.Option(None, "--name", help="Source name (default: the file's name); importing a name again replaces it."),
    attribution: Optional[str] = typer.Option(None, "--attribution", help="Attribution the data needs (default: GeoNames' CC BY 4.0 notice)."),
) -> None:
    """Import GeoNames files into sitrep's data folder ($SITREP_HOME, else the user data folder)."""
    from .gazetteer.importer import import_file

    if name and len(files) > 1:
        fail("--name names one source: import one file with it", 2)
    failures = 0
    for path in files:
        try:
            report = import_file(Path(path), name=name, attribution=attribution)
        except SitrepError as exc:
            failures += 1
            typer.echo(f"sitrep: error: {exc}", err=True)
            continue
        verb = "replaced" if report.replaced else "imported"
        typer.echo(f"{verb} {report.name}: {report.places:,} places in {len(report.countries)} countries, "
                   f"{report.keys:,} names")
    if failures:
        raise typer.Exit(2)


@gazetteer_app.command("info")
def gazetteer_info(
    as_json: bool = typer.Option(False, "--json", help="Print the sources as one JSON object."),
) -> None:
    """List the imported sources, their places per country and the attribution each needs."""
    from dataclasses import asdict

    from .gazetteer.imported import index_path, list_sources

    try:
        sources = list_sources()
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    if as_json:
        emit_jsonl({"index": str(index_path()), "sources": [asdict(s) for s in sources]})
        return
    typer.echo(f"index: {index_path()}" + ("" if sources else " (nothing imported; the shipped table alone is used)"))
    for s in sources:
        typer.echo(f"{s.name}: {s.places:,} places, imported {s.imported} from {s.path}")
        typer.echo("  " + ", ".join(f"{cc or '--'} {n:,}" for cc, n in s.countries.items()))
        typer.echo(f"  attribution: {s.attribution}")


@gazetteer_app.command("remove")
def gazetteer_remove(name: str = typer.Argument(..., help="Source name, as `sitrep gazetteer info` lists it.")) -> None:
    """Drop one imported source."""
    from .gazetteer.importer import remove_source

    try:
        found = remove_source(name)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    if not found:
        fail(f"no imported source named {name!r} (see `sitrep gazetteer info`)", 2)
    typer.echo(f"removed {name}")


def main() -> None:
    try:
        app()
    except SitrepError as exc:  # library errors escaping a command
        typer.echo(f"sitrep: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("sitrep: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # never a traceback for the user; say what broke in one line
        typer.echo(f"sitrep: internal error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(1)
