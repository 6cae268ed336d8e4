"""Evaluate the extractor on sets of gold-coded reports: per report, per set and in total.

A set is a folder of gold files (the seed's ``gold.yaml`` format).  Each gold file names its
report (``document``); the report is read beside the gold file, or from a sibling ``reports/``
folder (``set/gold/x.yaml`` with ``set/reports/x.txt``), or, for a GeoWebNews article, from
the GeoWebNews XML named by ``geowebnews:``.  Matching is :func:`sitrep.score.score`'s: an event
counts only when its event type and an evidence line agree with a gold event.  Figures are
micro-averaged: true and false positives and misses summed over reports, field accuracies
pooled over every matched pair.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import GoldError
from .score import ACC_KEYS, Gold, Score, load_gold, pair_checks, place_ok, score

Extractor = Callable[[str, str | None, str], list[dict]]


@dataclass
class ReportResult:
    """One gold report scored."""

    name: str
    gold: Gold
    result: Score
    predictions: list[dict]

    @property
    def kind(self) -> str:
        if self.gold.events:
            return "event"
        return "hard-neg" if self.gold.not_event_lines else "negative"


@dataclass
class SetResult:
    """A set of reports scored, with its micro-averaged totals."""

    name: str
    reports: list[ReportResult] = field(default_factory=list)

    def totals(self) -> dict:
        return totals(self.reports)


def gold_files(path: str | Path) -> list[Path]:
    """The gold files of a path: the file itself, or every *.yaml of a folder (or of its gold/ folder)."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise GoldError(f"{path}: no such gold file or folder")
    folder = path / "gold" if (path / "gold").is_dir() else path
    found = sorted(folder.glob("*.yaml"))
    if not found:
        raise GoldError(f"{path}: no gold files (*.yaml) in it")
    return found


@cache
def _geowebnews_articles(xml_path: str) -> dict[str, str]:
    root = ET.parse(xml_path).getroot()
    return {art.get("file", str(i)): art.findtext("text") or "" for i, art in enumerate(root.iter("article"))}


def report_text(gold_path: Path, gold: Gold, raw: dict | None = None) -> str:
    """The text of the report a gold file codes."""
    raw = raw or {}
    if raw.get("geowebnews"):
        xml_path = (gold_path.parent / raw["geowebnews"]["xml"]).resolve()
        if not xml_path.is_file():
            raise GoldError(f"{gold_path}: GeoWebNews file {xml_path} not found")
        articles = _geowebnews_articles(str(xml_path))
        article = str(raw["geowebnews"]["article"])
        if article not in articles:
            raise GoldError(f"{gold_path}: no article {article} in {xml_path}")
        return articles[article]
    name = gold.document or gold_path.with_suffix(".txt").name
    for candidate in (gold_path.parent / name, gold_path.parent.parent / "reports" / name):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise GoldError(f"{gold_path}: its report {name} is neither beside it nor in ../reports/")


def evaluate_report(gold_path: Path, extract: Extractor, date: str | None = None) -> ReportResult:
    """Extract the events of one gold file's report and score them."""
    import yaml

    gold = load_gold(gold_path)
    raw = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    text = report_text(gold_path, gold, raw)
    predictions = extract(text, date or gold.date, gold.document or gold_path.stem)
    return ReportResult(gold_path.stem, gold, score(gold, predictions), predictions)


def evaluate(paths: Iterable[str | Path], extract: Extractor, date: str | None = None) -> list[SetResult]:
    """Score every gold file under the paths; one SetResult per path."""
    sets = []
    for path in paths:
        result = SetResult(Path(path).name)
        for gold_path in gold_files(path):
            result.reports.append(evaluate_report(gold_path, extract, date))
        sets.append(result)
    return sets


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def totals(reports: list[ReportResult]) -> dict:
    """Micro-averaged figures over reports: P/R/F1, strict F1 (same place too), pooled field accuracies."""
    tp = sum(r.result.tp for r in reports)
    fp = sum(r.result.fp for r in reports)
    fn = sum(r.result.fn for r in reports)
    pairs = [(p, g) for r in reports for p, g in r.result.matched]
    strict = sum(1 for p, g in pairs if place_ok(p, g.data) is not False)
    pooled: dict[str, list[bool]] = {k: [] for k in ACC_KEYS}
    for p, g in pairs:
        for key, ok in pair_checks(p, g).items():
            if ok is not None:
                pooled[key].append(bool(ok))
    negatives = [r for r in reports if r.kind != "event"]
    precision, recall, f1 = _prf(tp, fp, fn)
    return {
        "reports": len(reports), "gold_events": tp + fn, "predicted_events": tp + fp,
        "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1,
        "strict_f1": _prf(strict, fp + tp - strict, fn + tp - strict)[2],
        "accuracy": {k: (sum(v) / len(v) if v else None, len(v)) for k, v in pooled.items()},
        "planned_or_background_coded": sum(r.result.figures["planned_or_background_coded"] for r in reports),
        "loaded_terms_in_notes": sum(r.result.figures["loaded_terms_in_notes"] for r in reports),
        "events_on_negative_reports": sum(r.result.fp for r in negatives),
    }


def _row(name: str, kind: str, t: dict) -> str:
    def fig(v: float, ok: bool) -> str:
        return f"{v:5.2f}" if ok else "    -"

    has_p, has_r = t["tp"] + t["fp"] > 0, t["tp"] + t["fn"] > 0
    return (f"{name[:48]:<48} {kind:<8} {t['gold_events']:>4} {t['predicted_events']:>4} {t['tp']:>4} "
            f"{t['fp']:>4} {t['fn']:>4} {fig(t['precision'], has_p)} {fig(t['recall'], has_r)} "
            f"{fig(t['f1'], has_p and has_r)}")


HEADER = f"{'report':<48} {'kind':<8} {'gold':>4} {'pred':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>5} {'R':>5} {'F1':>5}"


def format_totals(name: str, t: dict) -> list[str]:
    lines = [f"{name}: {t['reports']} reports, gold events {t['gold_events']}, predicted {t['predicted_events']}, "
             f"matched {t['tp']}",
             f"  precision {t['precision']:.3f}  recall {t['recall']:.3f}  F1 {t['f1']:.3f}  "
             f"(strict F1, same place within 25 km too: {t['strict_f1']:.3f})"]
    for key, (value, n) in t["accuracy"].items():
        lines.append(f"  {key:<22} {'n/a' if value is None else f'{value:.3f}'}  (n={n})")
    lines.append(f"  planned/background coded {t['planned_or_background_coded']}; loaded terms in notes "
                 f"{t['loaded_terms_in_notes']}; events on no-event reports {t['events_on_negative_reports']}")
    return lines


def format_sets(sets: list[SetResult], verbose: bool = False) -> str:
    """A row per report, the totals of each set and, for several sets, of all of them."""
    from .score import format_details

    lines = [HEADER]
    for s in sets:
        for r in s.reports:
            lines.append(_row(r.name, r.kind, totals([r])))
            if verbose:
                lines.extend("  " + ln for ln in format_details(r.result))
    lines.append("")
    for s in sets:
        lines.extend(format_totals(s.name, s.totals()))
    if len(sets) > 1:
        lines.extend(format_totals("all sets", totals([r for s in sets for r in s.reports])))
    return "\n".join(lines)
