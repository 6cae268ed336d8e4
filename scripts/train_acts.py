"""Train the act classifier and write sitrep/data/en/acts_model.npz (deterministic; a minute or two).

    pip install -e ".[train]"
    python scripts/train_acts.py [--out PATH] [--without-real] [--exclude NAME ...]

Reads the written sentences of training/acts/ and, when ../shared is beside the checkout, the real
reports' sentences labelled from their gold files (sitrep/acts_training.py says how).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.acts_training import coded_sets, gold_reports, real_examples, train, written_examples  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "sitrep" / "data" / "en" / "acts_model.npz")
    ap.add_argument("--without-real", action="store_true", help="train on the written sentences only")
    ap.add_argument("--exclude", nargs="*", default=[], help="real reports (by name) to leave out")
    args = ap.parse_args()
    t0 = time.perf_counter()
    examples = written_examples()
    reports = [] if args.without_real else [r for r in gold_reports() if r[0] not in set(args.exclude)]
    examples += real_examples(reports) + real_examples(coded_sets())
    model = train(examples)
    model.save(args.out)
    n_real = sum(1 for e in examples if e.source != "written")
    print(f"{len(examples)} sentences ({n_real} from {len(reports)} real and {len(coded_sets())} coded reports), "
          f"{len(model.ids)} features, "
          f"{len(model.labels)} classes -> {args.out} ({args.out.stat().st_size // 1024} KB) "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
