"""Extraction speed: MB/s of report text per core for the whole pipeline.

Runs the pipeline (clean -> ... -> dedup) in this one process over real report
text: the seed report and the CASE 2021 snippets from ../shared/corpus, each
document processed separately, as `sitrep extract` does.  Prints MB/s, documents
per second and a per-stage time breakdown.

    python bench/extract.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.model import Report  # noqa: E402
from sitrep.pipeline import default_pipeline  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def documents() -> list[str]:
    docs = [(CORPUS / "seed" / "syria-last-24-hours.txt").read_text(encoding="utf-8")]
    with (CORPUS / "case2021" / "dev.jsonl").open(encoding="utf-8") as fh:
        docs.extend(json.loads(line)["text"] for line in fh if line.strip())
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="passes over the corpus")
    args = ap.parse_args()
    t0 = time.perf_counter()
    pipe = default_pipeline()
    load = time.perf_counter() - t0
    docs = documents()
    size = sum(len(d.encode("utf-8")) for d in docs)
    stage_time = {name: 0.0 for name, _ in pipe.stages}
    events = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for i, text in enumerate(docs):
            report = Report(text=text, doc_id=str(i), date="2017-07-22")
            for name, stage in pipe.stages:
                s = time.perf_counter()
                report = stage(report)
                stage_time[name] += time.perf_counter() - s
            events += len(report.events)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    total = size * args.repeat
    print(f"resources load: {load:.2f} s")
    print(f"documents: {len(docs) * args.repeat} ({total / 1e6:.2f} MB), events: {events}")
    print(f"extract: {total / 1e6 / elapsed:.2f} MB/s per core, {len(docs) * args.repeat / elapsed:.0f} docs/s")
    # CPU time is what a busy machine does not distort: compare runs by this line.
    print(f"extract (CPU time): {total / 1e6 / cpu:.2f} MB/s per core, {len(docs) * args.repeat / cpu:.0f} docs/s")
    for name, t in stage_time.items():
        print(f"  {name:<10} {100 * t / elapsed:5.1f}%")


if __name__ == "__main__":
    main()
