"""Training data and training for the act classifier (sitrep/acts_model.py); needs scikit-learn.

Two sources, both the project's own:
  * ``training/acts/*.yaml``: sentences written for sitrep from the codebook's definitions, each with
    the sub-event types of the acts it asserts (``labels: []`` for none);
  * the real reports of ``../shared/corpus/real`` (and the seed report), labelled from their gold
    files: a sentence holding a gold event's quote asserts that event's type; a sentence on a line with
    no gold event and no coded non-event asserts none; sentences that are neither (a line's other
    sentences, planned or background acts, an act told again) are left out.  The texts stay where they are: they are read
    at training time and never copied.
Training is deterministic: the same data gives the same model byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .acts_model import NONE, ActModel, features, sentence_signals
from .model import SUB_EVENT_TO_TYPE, Report

ROOT = Path(__file__).resolve().parents[1]
WRITTEN = ROOT / "training" / "acts"
SHARED = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]  # sub-event types; () for none
    source: str  # "written" or the report's name
    feature_ids: tuple[int, ...]


def _front(report: Report) -> Report:
    """The clean, sentences and mentions stages of the default pipeline: what the classifier reads."""
    from .pipeline import default_pipeline

    for name, stage in default_pipeline().stages:
        if name in ("clean", "sentences", "mentions"):
            report = stage(report)
    return report


def _by_sentence(report: Report) -> dict[int, list]:
    out: dict[int, list] = {}
    for m in report.mentions:
        out.setdefault(m.sentence, []).append(m)
    return out


def written_examples(folder: Path = WRITTEN) -> list[Example]:
    """The written sentences, each read through the front stages for the rules' signals."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            labels = tuple(sorted(set(entry.get("labels") or ())))
            unknown = [x for x in labels if x not in SUB_EVENT_TO_TYPE]
            if unknown:
                raise ValueError(f"{path.name}: unknown labels {unknown}")
            report = _front(Report(text=entry["text"], doc_id="written"))
            triggers, actors = sentence_signals(report.mentions)
            out.append(Example(entry["text"], labels, "written", tuple(features(entry["text"], triggers, actors))))
    return out


def gold_reports(corpus: Path = SHARED) -> list[tuple[str, Path]]:
    """(name, gold file) of the real reports and the seed, if ../shared is there."""
    real = corpus / "real" / "gold"
    out = [(gold.stem, gold) for gold in sorted(real.glob("*.yaml"))] if real.is_dir() else []
    if (corpus / "seed" / "gold.yaml").is_file():
        out.append(("seed", corpus / "seed" / "gold.yaml"))
    return out


def coded_sets(root: Path = ROOT / "eval") -> list[tuple[str, Path]]:
    """(name, gold file) of the project's own coded sets: reports written for testing (eval/heldout3-7) and
    GeoWebNews articles it coded (eval/heldout, eval/heldout2; their texts are read from ../shared)."""
    out = []
    for folder in sorted(root.glob("heldout*")):
        if not folder.is_dir():
            continue
        out.extend((f"{folder.name}/{gold.stem}", gold) for gold in sorted(folder.glob("*.yaml")))
    return out


def real_examples(reports: Iterable[tuple[str, Path]]) -> list[Example]:
    """Sentences of gold-coded reports labelled from their gold (see the module docstring)."""
    from .errors import GoldError
    from .evaluate import report_text
    from .score import load_gold

    out = []
    for name, gold_path in reports:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        try:
            text = report_text(gold_path, load_gold(gold_path), gold)
        except GoldError:
            continue  # a GeoWebNews article without ../shared beside the checkout
        report = _front(Report(text=text, doc_id=name))
        mentions = _by_sentence(report)
        events = gold.get("events") or []
        event_lines = {int(e["line"]) for e in events}
        skip_lines = {int(n["line"]) for n in gold.get("not_events") or []}
        for sent in report.sentences:
            told = [e for e in events if int(e["line"]) == sent.line and _holds(sent.text, e)]
            if told and all(e.get("same_as") for e in told):
                continue  # an act told again: the rules join such tellings to the first, not new acts
            labels = {e["sub_event_type"] for e in told}
            if not labels and (sent.line in event_lines or sent.line in skip_lines):
                continue  # another sentence of an event's line, or a planned or background act: left out
            triggers, actors = sentence_signals(mentions.get(sent.index, []))
            out.append(Example(sent.text, tuple(sorted(labels)), name,
                               tuple(features(sent.text, triggers, actors))))
    return out


def _holds(sentence: str, event: dict) -> bool:
    quote = " ".join(str(event.get("quote") or "").split())
    return bool(quote) and quote in " ".join(sentence.split())


def train(examples: list[Example], c: float = 4.0) -> ActModel:
    """A multinomial logistic regression over the examples' features; an example with several labels counts
    once for each (it asserts each of those acts)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows = [(ex, label) for ex in examples for label in (ex.labels or (NONE,))]
    ids = np.array(sorted({f for ex, _ in rows for f in ex.feature_ids}), dtype=np.int64)
    column = {f: i for i, f in enumerate(ids.tolist())}
    indptr, indices = [0], []
    for ex, _ in rows:
        indices.extend(column[f] for f in ex.feature_ids)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), len(ids)))
    labels = sorted({label for _, label in rows})
    y = np.array([labels.index(label) for _, label in rows])
    clf = LogisticRegression(C=c, max_iter=2000, tol=1e-5)
    clf.fit(x, y)
    return ActModel(ids, clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32), tuple(labels))


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-")
