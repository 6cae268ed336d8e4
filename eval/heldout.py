"""Held-out evaluation on hand-coded GeoWebNews articles (eval/heldout/, see its README).

For every eval/heldout/<id>.txt with a gold eval/heldout/<id>.yaml, runs sitrep's extractor with the
gold's assumed publication date, scores the output with sitrep.score.score, and prints one row per
article plus micro-averaged totals: tp/fp/fn summed over articles -> P/R/F1, attribute accuracies
pooled over all matched pairs, planned/background mentions coded, loaded terms in notes, and the
events predicted on articles whose gold has no event (hard and plain negatives).

This set is for measuring, not tuning: do not adjust sitrep to these texts.

Usage: python eval/heldout.py [--dir eval/heldout] [-v] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.pipeline import extract_text  # noqa: E402
from sitrep.score import _place_ok, admin1_key, format_score, load_gold, score  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent / "heldout"

ACC_KEYS = ("event_type_acc", "sub_event_type_acc", "actors_acc", "actor1_acc", "admin1_acc",
            "geocode_25km_acc", "geo_precision_acc", "fatalities_exact")


def pair_checks(p: dict, g) -> dict[str, bool | None]:
    """The per-pair checks behind sitrep.score's accuracies, so that they can be pooled."""
    d = g.data
    return {
        "event_type_acc": p.get("event_type") == d.get("event_type"),
        "sub_event_type_acc": p.get("sub_event_type") == d.get("sub_event_type"),
        "actors_acc": {x for x in (p.get("actor1"), p.get("actor2")) if x} == g.actors,
        "actor1_acc": bool(g.actors) and (p.get("actor1") in g.actors),
        "admin1_acc": admin1_key(p.get("admin1")) == admin1_key(d.get("admin1")),
        "geocode_25km_acc": _place_ok(p, d) if d.get("lat") is not None else None,
        "geo_precision_acc": p.get("geo_precision") == d.get("geo_precision"),
        "fatalities_exact": p.get("fatalities") == d.get("fatalities"),
    }


def strict_ok(p: dict, g) -> bool:
    """A line match that is also the same event: same event type, and placed within 25 km when the
    gold has coordinates.  sitrep.score matches on evidence lines only, which is lenient on
    one-paragraph articles where every sentence is line 1."""
    place = _place_ok(p, g.data) if g.data.get("lat") is not None else True
    return p.get("event_type") == g.data.get("event_type") and bool(place)


def kind_of(gold) -> str:
    if gold.events:
        return "event"
    return "hard-neg" if gold.not_event_lines else "negative"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("-v", "--verbose", action="store_true", help="print sitrep.score's per-article detail")
    ap.add_argument("--json", action="store_true", help="print the totals as JSON as well")
    args = ap.parse_args(argv)

    golds = sorted(args.dir.glob("*.yaml"))
    if not golds:
        print(f"no gold files in {args.dir}", file=sys.stderr)
        return 1
    tot = {"tp": 0, "fp": 0, "fn": 0, "gold": 0, "pred": 0, "planned": 0, "loaded": 0, "strict_tp": 0}
    pooled: dict[str, list[bool]] = {k: [] for k in ACC_KEYS}
    neg_preds: list[tuple[str, dict]] = []
    print(f"{'article':<8} {'kind':<9} {'gold':>4} {'pred':>4} {'tp':>3} {'fp':>3} {'fn':>3} "
          f"{'P':>5} {'R':>5} {'F1':>5} {'plan':>4} {'load':>4}")
    for gpath in golds:
        gold = load_gold(gpath)
        txt = args.dir / (gold.document or gpath.with_suffix(".txt").name)
        text = txt.read_text(encoding="utf-8")
        events = [e.to_dict() for e in extract_text(text, date=gold.date, doc_id=txt.name)]
        res = score(gold, events)
        f = res.figures
        kind = kind_of(gold)
        tot["tp"] += res.tp
        tot["fp"] += res.fp
        tot["fn"] += res.fn
        tot["gold"] += f["gold_events"]
        tot["pred"] += f["predicted_events"]
        tot["planned"] += f["planned_or_background_coded"]
        tot["loaded"] += f["loaded_terms_in_notes"]
        for p, g in res.matched:
            tot["strict_tp"] += strict_ok(p, g)
            for k, v in pair_checks(p, g).items():
                if v is not None:
                    pooled[k].append(bool(v))
        if kind != "event":
            neg_preds.extend((gpath.stem, p) for p in events if p.get("modality", "asserted") == "asserted")
        pr = f"{f['precision']:.2f}" if res.tp + res.fp else "  -"
        rc = f"{f['recall']:.2f}" if res.tp + res.fn else "  -"
        f1 = f"{f['f1']:.2f}" if res.tp + res.fp and res.tp + res.fn else "  -"
        print(f"{gpath.stem:<8} {kind:<9} {f['gold_events']:>4} {f['predicted_events']:>4} {res.tp:>3} "
              f"{res.fp:>3} {res.fn:>3} {pr:>5} {rc:>5} {f1:>5} {f['planned_or_background_coded']:>4} "
              f"{f['loaded_terms_in_notes']:>4}")
        if args.verbose:
            print("\n".join("    " + ln for ln in format_score(res, verbose=True).splitlines()))

    tp, fp, fn = tot["tp"], tot["fp"], tot["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print()
    print(f"articles {len(golds)}; gold events {tot['gold']}, predicted {tot['pred']} (asserted, scored), "
          f"matched {tp}")
    print(f"micro  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    s_tp = tot["strict_tp"]
    s_fp, s_fn = fp + (tp - s_tp), fn + (tp - s_tp)
    s_p = s_tp / (s_tp + s_fp) if s_tp + s_fp else 0.0
    s_r = s_tp / (s_tp + s_fn) if s_tp + s_fn else 0.0
    s_f1 = 2 * s_p * s_r / (s_p + s_r) if s_p + s_r else 0.0
    print(f"strict precision {s_p:.3f}  recall {s_r:.3f}  F1 {s_f1:.3f}  (line matches that also agree on "
          f"event type and place within 25 km: {s_tp} of {tp})")
    acc_out = {}
    for k in ACC_KEYS:
        vals = pooled[k]
        acc_out[k] = (sum(vals) / len(vals) if vals else None, len(vals))
        shown = "n/a" if not vals else f"{sum(vals) / len(vals):.3f}"
        print(f"{k:<22} {shown}  (n={len(vals)})")
    print(f"planned/background mentions coded: {tot['planned']}")
    print(f"loaded terms in notes: {tot['loaded']}")
    n_neg = sum(1 for g in golds if not load_gold(g).events)
    print(f"events predicted on the {n_neg} no-event articles: {len(neg_preds)}")
    for doc, p in neg_preds:
        ev = (p.get("evidence") or [{}])[0]
        print(f"  {doc} line {ev.get('line')}: {p.get('sub_event_type')} @ {p.get('location')}: "
              f"{(ev.get('text') or '')[:100]}")
    if args.json:
        print(json.dumps({"micro": {"precision": precision, "recall": recall, "f1": f1, **tot},
                          "pooled": acc_out, "negative_article_events": len(neg_preds)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
