"""The pipeline: the ordered stages a Report flows through, and the loop that runs them.

    clean -> sentences -> mentions -> events -> resolve -> dedup

Each stage is a function ``Report -> Report`` in its own module.  The gazetteer
and the actor table are passed in, so a caller (or a test) can use its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from .budget import Overrun, run_within
from .clean import clean
from .dedup import dedup
from .errors import BudgetError, SitrepError
from .events import find_events
from .inputs import iter_reports
from .mentions import find_mentions
from .model import Event, Report
from .notices import check_report, name_unnamed_source
from .resolve import resolve
from .sentences import split_sentences
from .settings import Settings


@dataclass
class Pipeline:
    """The stages with their resources; call it on a Report."""

    gazetteer: object | None = None
    actors: object | None = None
    acts_model: object | None = None  # the learned act classifier; default: the shipped one ("rules": none)

    def __post_init__(self) -> None:
        from .actors import ActorTable
        from .acts_model import default_model
        from .gazetteer import Gazetteer

        self.gazetteer = self.gazetteer or Gazetteer.default()
        self.actors = self.actors or ActorTable.default()
        if self.acts_model is None:
            self.acts_model = default_model()
        elif self.acts_model == "rules":
            self.acts_model = None
        self.stages: list[tuple[str, Callable[[Report], Report]]] = [
            ("clean", clean),
            ("sentences", split_sentences),
            ("mentions", partial(find_mentions, gazetteer=self.gazetteer, actors=self.actors)),
            ("events", partial(find_events, acts_model=self.acts_model)),
            ("resolve", partial(resolve, gazetteer=self.gazetteer, actors=self.actors)),
            ("dedup", dedup),
            ("source", name_unnamed_source),
        ]

    def __call__(self, report: Report, seconds: float | None = None) -> Report:
        """Run the stages; with ``seconds``, a document still in them after that long fails with BudgetError."""
        if seconds and not getattr(self, "_warm", False):
            # Data the stages load on first use is loaded now, unbudgeted: no document's budget pays
            # for it, and no budget stops a stage half way through loading it.
            self._warm = True
            self._run(Report(text=_WARM_UP, doc_id="warm-up", date="2017-07-22"), [""])
        stage = [self.stages[0][0]]
        try:
            return run_within(seconds, self._run, report, stage)
        except Overrun:
            raise BudgetError(f"{report.doc_id}: stopped after {seconds:g} s, the time budget per document "
                              f"(in stage {stage[0]!r}); it is left out") from None

    def _run(self, report: Report, current: list[str]) -> Report:
        for name, stage in self.stages:
            current[0] = name
            result = stage(report)
            if not isinstance(result, Report):
                raise TypeError(f"pipeline stage {name!r} returned {type(result).__name__}, not Report")
            report = result
        return report


_WARM_UP = ("Clashes\n\nOn Friday rebels killed 5 civilians and wounded 12 in Aleppo, activists said. "
            "Troops shelled Idlib and arrested 3 protesters in Homs, according to SANA.")


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def process(report: Report, settings: Settings | None = None, pipeline: Pipeline | None = None) -> Report:
    """Run every stage on one report; report.events holds the asserted, de-duplicated events."""
    settings = settings or Settings()
    check_report(report, settings.date)
    if report.date is None:
        report.date = settings.date
    if report.source is None:
        report.source = settings.source
    return (pipeline or default_pipeline())(report, settings.max_seconds)


def output_events(report: Report, settings: Settings) -> list[Event]:
    """The events to print for a report: asserted ones, plus other modalities with --all."""
    events = list(report.events)
    if settings.include_all:
        events.extend(e for e in report.candidates if e.modality != "asserted")
    return events


def extract_text(text: str, date: str | None = None, source: str | None = None, doc_id: str = "-",
                 include_all: bool = False) -> list[Event]:
    """Events in one report text: the simplest way in from Python."""
    settings = Settings(date=date, source=source, include_all=include_all)
    report = process(Report(text=text, doc_id=doc_id), settings)
    return output_events(report, settings)


def _extract_one(item: Report | SitrepError, settings: Settings) -> list[Event] | SitrepError:
    if isinstance(item, SitrepError):
        return item
    try:
        return output_events(process(item, settings), settings)
    except SitrepError as exc:
        return exc
    except Exception as exc:  # a bug on one document must not stop the batch
        return SitrepError(f"{item.doc_id}: internal error while extracting ({exc.__class__.__name__}: {exc})")


def extract_inputs(inputs: Iterable[str], settings: Settings, workers: int = 1,
                   scheduler: str | None = None) -> Iterator[list[Event] | SitrepError]:
    """Events of every input document, in input order; bad inputs come out as errors."""
    reports = iter_reports(inputs, settings)
    if workers <= 1 and scheduler is None:
        for item in reports:
            yield _extract_one(item, settings)
        return
    from .parallel import parallel_map

    # Workers' log lines never reach this process: the notices of each document are raised here.
    noticed = (_noticed(item, settings) for item in reports)
    yield from parallel_map(partial(_extract_one, settings=settings), noticed, workers=workers, scheduler=scheduler)


def _noticed(item: Report | SitrepError, settings: Settings) -> Report | SitrepError:
    if isinstance(item, Report):
        check_report(item, settings.date)
        item.warnings.clear()  # raised once: the worker checks again, and its report comes back without them
    return item
