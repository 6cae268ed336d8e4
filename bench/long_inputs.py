"""Long single documents: extraction CPU time per shape and size, beside ordinary-length reports.

A step whose work grows faster than the text shows here as a time that grows faster than the
size.  The baseline, measured in the same run, is the same text as "reports" cut into 2 KB
documents (the length of a news report): the MB/s a long document would reach if every step
were linear.  Shapes (each one document, the unit repeated to the size):

  reports    report sentences with full stops, in one paragraph
  nostop     one sentence with no full stop, acts and places and counts in it
  numbers    one sentence made of casualty counts
  caps       one run of capitalised words (given names and surnames)
  places     one run of place names

Each document runs under the per-document time budget (--budget, default 60 s): a shape that
needs more shows as "over budget", the outcome a user gets, instead of running for minutes.

    python bench/long_inputs.py                       # 100 KB and 400 KB
    python bench/long_inputs.py --sizes 1000000 --shapes nostop,numbers
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from sitrep.errors import BudgetError  # noqa: E402
from sitrep.model import Report  # noqa: E402
from sitrep.pipeline import default_pipeline  # noqa: E402

UNITS = {
    "reports": "Rebels killed 5 civilians in Aleppo on Friday. Troops shelled Idlib, activists said. ",
    "nostop": "rebels killed 5 civilians in aleppo and troops shelled idlib, killing 3 people and ",
    "numbers": "12 killed 7 wounded 3 dead 45 injured ",
    "caps": "Ahmed Hassan Mohammed Ali Said Karim Jones Smith Brown ",
    "places": "Aleppo Idlib Homs Hama Damascus Raqqa Deir ez-Zor Palmyra Latakia Tartus ",
}


def document(shape: str, size: int) -> str:
    unit = UNITS[shape]
    return "Title\n\n" + (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,400000", help="document sizes in characters, comma-separated")
    ap.add_argument("--shapes", default=",".join(UNITS), help="shapes, comma-separated (reports is the baseline)")
    ap.add_argument("--budget", type=float, default=60.0, help="time budget per document, seconds")
    args = ap.parse_args()
    pipe = default_pipeline()
    pipe(Report(text=document("reports", 2000), doc_id="warm-up"))
    print(f"{'shape':10s} {'size':>9s} {'CPU s':>8s} {'MB/s':>6s}  events")
    t0 = time.process_time()
    for i in range(100):
        pipe(Report(text=document("reports", 2000), doc_id=f"short-{i}", date="2017-07-22"))
    cpu = time.process_time() - t0
    print(f"{'baseline':10s} {200_000:>9,d} {cpu:8.2f} {0.2 / cpu:6.2f}  (100 reports of 2 KB)", flush=True)
    for shape in args.shapes.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            t0 = time.process_time()
            try:
                report = pipe(Report(text=document(shape, size), doc_id=shape, date="2017-07-22"), seconds=args.budget)
                outcome = str(len(report.events))
            except BudgetError:
                outcome = f"over budget ({args.budget:g} s)"
            cpu = time.process_time() - t0
            print(f"{shape:10s} {size:>9,d} {cpu:8.2f} {size / 1e6 / max(cpu, 1e-9):6.2f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
