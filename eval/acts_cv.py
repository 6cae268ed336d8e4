"""The act classifier measured on real reports it did not learn from: report-wise cross-validation.

The real reports of ../shared/corpus/real are split into K folds by report.  For each fold a model is
trained on the written sentences, the seed and the other folds' reports (sitrep/acts_training.py), and
the fold's reports are extracted with it and scored as `sitrep eval` scores them.  The same reports
extracted by the rules alone are scored in the same run.

    python eval/acts_cv.py [--folds 6] [-v]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.acts_model import ActModel  # noqa: E402
from sitrep.acts_training import coded_sets, gold_reports, real_examples, train, written_examples  # noqa: E402
from sitrep.evaluate import evaluate_report, format_totals, totals  # noqa: E402
from sitrep.model import Report  # noqa: E402
from sitrep.pipeline import Pipeline, default_pipeline  # noqa: E402


def extractor(pipe: Pipeline):
    def extract(text, date, doc_id):
        return [e.to_dict() for e in pipe(Report(text=text, doc_id=doc_id, date=date)).events]
    return extract


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=6)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--cache", type=Path, help="keep each fold's model here and reuse it on the next run")
    args = ap.parse_args()
    reports = gold_reports()
    real = [r for r in reports if r[0] != "seed"]
    if not real:
        print("no real reports in ../shared/corpus/real", file=sys.stderr)
        return 1
    base = default_pipeline()
    written = by_report = None
    rules = Pipeline(gazetteer=base.gazetteer, actors=base.actors, acts_model="rules")
    learned, plain = [], []
    for k in range(args.folds):
        held = [r for i, r in enumerate(real) if i % args.folds == k]
        names = {r[0] for r in held}
        cached = args.cache / f"fold{k + 1}of{args.folds}.npz" if args.cache else None
        if cached is not None and cached.is_file():
            model = ActModel.load(cached)
        else:
            if written is None:
                written = written_examples() + real_examples(coded_sets())
                by_report = {r[0]: real_examples([r]) for r in reports}
            model = train(written + [e for name, exs in by_report.items() if name not in names for e in exs])
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                model.save(cached)
        pipe = Pipeline(gazetteer=base.gazetteer, actors=base.actors, acts_model=model)
        for name, gold in held:
            learned.append(evaluate_report(gold, extractor(pipe)))
            plain.append(evaluate_report(gold, extractor(rules)))
        print(f"fold {k + 1}/{args.folds}: {', '.join(sorted(names))[:100]}", file=sys.stderr)
    for label, results in (("rules alone", plain), ("rules + classifier (cross-validated)", learned)):
        print("\n".join(format_totals(label, totals(results))))
    if args.verbose:
        for a, b in zip(plain, learned):
            ta, tb = totals([a]), totals([b])
            if (ta["tp"], ta["fp"]) != (tb["tp"], tb["fp"]):
                print(f"{a.name}: tp {ta['tp']} -> {tb['tp']}, fp {ta['fp']} -> {tb['fp']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
