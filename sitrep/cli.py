"""The `sitrep` command line: thin wrappers that parse flags into library calls.

Each command turns library exceptions (SitrepError) into one line on stderr
and a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from .errors import SitrepError
from .settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sitrep: ACLED-coded political-violence events from news reports, offline.",
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero."""
    typer.echo(f"sitrep: error: {message}", err=True)
    raise typer.Exit(code)


def emit_jsonl(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help="Text/HTML files, directories, '-' for stdin, or .jsonl documents."),
    date: Optional[str] = typer.Option(None, "--date", help="Report date YYYY-MM-DD for documents that carry none."),
    source: Optional[str] = typer.Option(None, "--source", help="Outlet name for documents that carry none."),
    fmt: str = typer.Option("jsonl", "--format", help="Output format (jsonl)."),
    include_all: bool = typer.Option(False, "--all", help="Also print planned/background candidates, marked with modality."),
    workers: int = typer.Option(1, "--workers", help="Extract in parallel on a local Dask cluster with N workers."),
) -> None:
    """Extract ACLED-coded events from reports; print JSON Lines, one event per line."""
    from .pipeline import extract_inputs

    if fmt != "jsonl":
        fail(f"unsupported --format {fmt!r} (extract prints jsonl)")
    try:
        settings = Settings(date=date, source=source, include_all=include_all)
    except SitrepError as exc:
        fail(str(exc), exc.exit_code)
    failures = 0
    for item in extract_inputs(inputs, settings, workers=workers):
        if isinstance(item, SitrepError):
            failures += 1
            typer.echo(f"sitrep: error: {item}", err=True)
            continue
        for event in item:
            emit_jsonl(event.to_dict())
    sys.stdout.flush()
    if failures:
        raise typer.Exit(2)


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
