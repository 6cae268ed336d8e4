"""`sitrep demo`: ingest the shipped sample reports (and the seed report when the shared corpus is beside the repo), write brief.html and map.html."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .brief import Brief, build_brief, render_html
from .ingest import IngestSummary, ingest
from .mapview import build_map
from .settings import Settings
from .store import Store

DEMO_DATE = "2017-07-22"  # the seed's publication date (not printed in the report itself)
SEED_OUTLET = "FNA"
SEED_RELATIVE = Path("shared", "corpus", "seed", "syria-last-24-hours.txt")


@dataclass(slots=True)
class DemoResult:
    """What the demo ingested and wrote."""

    db: Path
    brief_html: Path
    map_html: Path
    brief: Brief
    summary: IngestSummary
    inputs: list[str]


def find_seed(start: Path | None = None) -> Path | None:
    """The shared corpus's seed report, looked for beside the repo checkout and beside the working directory."""
    here = Path(__file__).resolve().parent.parent  # the repo, when run from a checkout
    for base in (here.parent, (start or Path.cwd()).resolve().parent, (start or Path.cwd()).resolve()):
        p = base / SEED_RELATIVE
        if p.is_file():
            return p
    return None


@contextlib.contextmanager
def sample_files() -> Iterator[list[Path]]:
    """The sample reports shipped in the package, as real files while the context is open."""
    root = resources.files("sitrep").joinpath("data", "samples")
    names = sorted(p.name for p in root.iterdir() if p.name.endswith(".jsonl"))
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(resources.as_file(root.joinpath(n))) for n in names]


def run_demo(db: str | os.PathLike | None = None, out: str | os.PathLike = ".", seed: Path | None | bool = True,
             date: str = DEMO_DATE) -> DemoResult:
    """Ingest the samples (plus the seed if found, or the given seed path; seed=False skips it) and write the brief and map."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    db_path = Path(db or os.environ.get("SITREP_DB") or out / "sitrep.duckdb")
    seed_path = find_seed() if seed is True else (Path(seed) if seed else None)
    store = Store(db_path)
    with sample_files() as samples:
        inputs = [str(p) for p in samples]
        # The seed carries neither date nor outlet; the samples carry both, so these defaults touch only the seed.
        settings = Settings(date=date, source=SEED_OUTLET)
        if seed_path is not None:
            inputs.append(str(seed_path))
        summary = ingest(inputs, store, settings)
    brief = build_brief(store, date=date)
    brief_html = out / "brief.html"
    map_html = out / "map.html"
    brief_html.write_text(render_html(brief), encoding="utf-8")
    from .review import reviewed_events

    events = reviewed_events(store, date_from=brief.date_from, date_to=brief.date_to)
    map_html.write_text(build_map(events, title=brief.title.replace(": situation brief", "")), encoding="utf-8")
    store.release()
    return DemoResult(db_path, brief_html, map_html, brief, summary, [Path(i).name for i in inputs])


def print_demo(result: DemoResult, console=None) -> None:
    """A short text brief and the paths of the files written, for the terminal."""
    from rich.console import Console
    from rich.markup import escape as esc

    from .brief import summary_lines

    c = console or Console()
    b = result.brief
    c.print(f"[bold]{esc(b.title)}[/bold]")
    c.print(esc(" ".join(summary_lines(b))))
    c.print()
    for sec in b.sections[:5]:
        c.print(f"[bold]{esc(sec.title)}[/bold] [dim]{len(sec.items)} events, {sec.fatalities} reported killed[/dim]")
        for it in sec.items[:3]:
            tag = "[yellow]\\[control change][/yellow] " if it.territory else ""
            c.print(f"  • {tag}{esc(it.note)} [dim]{esc(it.fatalities_text)}; {esc(it.attribution)}[/dim]")
        if len(sec.items) > 3:
            c.print(f"  [dim]… and {len(sec.items) - 3} more[/dim]")
    if len(b.sections) > 5:
        c.print(f"[dim]… and {len(b.sections) - 5} more areas in the full brief[/dim]")
    c.print()
    c.print(f"ingested: {esc(', '.join(result.inputs))} ({esc(result.summary.line())})")
    c.print(f"brief: {result.brief_html.resolve()}")
    c.print(f"map:   {result.map_html.resolve()}")
    c.print(f"store: {result.db.resolve()}  (browse it: sitrep serve --db {result.db})")
