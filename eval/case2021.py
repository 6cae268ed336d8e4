"""Sub-event classification on CASE 2021 snippets (../shared/corpus/case2021/dev.jsonl).

Each snippet's label is its ACLED sub-event type, or null for text ACLED does not
code.  sitrep's prediction is the sub-event type of its most confident event, or
null when it finds none.  Prints weighted F1 over the 25 ACLED types (weighted by
gold support; null predictions count as misses), macro F1, the share of non-ACLED
snippets correctly left without an event, and a per-type table.

    python eval/case2021.py [PATH] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.model import SUB_EVENT_TO_TYPE  # noqa: E402
from sitrep.pipeline import extract_text  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "case2021" / "dev.jsonl"


def predict(text: str) -> str | None:
    events = extract_text(text)
    if not events:
        return None
    return max(events, key=lambda e: e.confidence).sub_event_type


def evaluate(path: Path) -> dict:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    gold = [r["sub_event_type"] for r in rows]
    pred = [predict(r["text"]) for r in rows]
    per = {}
    total_support = 0
    weighted = 0.0
    macro = []
    for label in SUB_EVENT_TO_TYPE:
        tp = sum(1 for g, p in zip(gold, pred) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        support = tp + fn
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[label] = (prec, rec, f1, support)
        if support:
            total_support += support
            weighted += f1 * support
            macro.append(f1)
    nulls = [p for g, p in zip(gold, pred) if g is None]
    event_type_acc = sum(
        1 for g, p in zip(gold, pred) if g and p and SUB_EVENT_TO_TYPE[g] == SUB_EVENT_TO_TYPE[p]
    ) / max(1, sum(1 for g in gold if g))
    return {
        "n": len(rows),
        "weighted_f1": weighted / total_support if total_support else 0.0,
        "macro_f1": sum(macro) / len(macro) if macro else 0.0,
        "null_correct": sum(1 for p in nulls if p is None) / len(nulls) if nulls else None,
        "event_type_acc_on_events": event_type_acc,
        "per_type": per,
        "pairs": list(zip(rows, pred)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--errors", type=int, default=0, help="print N misclassified snippets")
    args = ap.parse_args()
    res = evaluate(Path(args.path))
    print(f"snippets: {res['n']}")
    print(f"weighted F1 over ACLED types: {res['weighted_f1']:.3f}")
    print(f"macro F1: {res['macro_f1']:.3f}")
    print(f"non-ACLED snippets left without event: {res['null_correct']:.3f}")
    print(f"event-type accuracy on ACLED snippets: {res['event_type_acc_on_events']:.3f}")
    print(f"{'sub-event type':<38} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for label, (p, r, f, n) in res["per_type"].items():
        print(f"{label:<38} {p:6.2f} {r:6.2f} {f:6.2f} {n:4d}")
    if args.errors:
        confusion = Counter()
        shown = 0
        for row, p in res["pairs"]:
            if row["sub_event_type"] != p:
                confusion[(row["sub_event_type"], p)] += 1
                if shown < args.errors:
                    shown += 1
                    print(f"- gold={row['sub_event_type']} pred={p}: {row['text'][:200]}")
        print("most common confusions:")
        for (g, p), n in confusion.most_common(15):
            print(f"  {n:3d} gold={g} pred={p}")


if __name__ == "__main__":
    main()
