"""End-to-end geoparsing on GeoWebNews (Gritta et al. 2019): toponym recall, precision, accuracy within 161 km.

Gold toponyms are those with coordinates; a prediction matches a gold toponym when their character
spans overlap.  Precision counts resolved predictions that overlap any annotated toponym
(strict: one with coordinates).  Figures for the shipped table alone, then with imported places.
Usage: python eval/geowebnews.py [GeoWebNews.xml] [--misses N] [--gazetteer FILE]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gazetteers import add_argument, gazetteers  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "geoparsing" / "GeoWebNews.xml"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def articles(path: Path):
    root = ET.parse(path).getroot()
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            lat, lon = (t.findtext("latitude") or "").strip(), (t.findtext("longitude") or "").strip()
            tops.append((int(t.findtext("start")), int(t.findtext("end")), t.findtext("extractedName"),
                         float(lat) if lat else None, float(lon) if lon else None))
        yield art.get("file"), text, tops


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--misses", type=int, default=0, help="print this many missed / far gold toponyms")
    add_argument(ap)
    args = ap.parse_args()
    docs = list(articles(Path(args.path)))
    for label, gaz in gazetteers(args.gazetteer):
        print(f"== {label}")
        evaluate(gaz, docs, args.misses)


def evaluate(gaz, docs, n_misses: int) -> None:
    gold_n = found = resolved = within = 0
    pred_n = pred_any = pred_strict = 0
    misses, far, chars = [], [], 0
    t0 = time.perf_counter()
    for doc, text, tops in docs:
        chars += len(text)
        mentions = [m for m in gaz.find(text) if m.place is not None]
        gold = [t for t in tops if t[3] is not None]
        for s, e, name, lat, lon in gold:
            gold_n += 1
            hit = next((m for m in mentions if m.start < e and s < m.end), None)
            if hit is None:
                misses.append((doc, name))
                continue
            found += 1
            if hit.place.latitude is not None:
                resolved += 1
                d = km(lat, lon, hit.place.latitude, hit.place.longitude)
                if d <= 161:
                    within += 1
                else:
                    far.append((doc, name, hit.place.name, hit.place.country_code, round(d)))
        for m in mentions:
            pred_n += 1
            pred_any += any(m.start < e and s < m.end for s, e, *_ in tops)
            pred_strict += any(m.start < e and s < m.end for s, e, _, lat, _ in tops if lat is not None)
    secs = time.perf_counter() - t0
    print(f"GeoWebNews: {gold_n} gold toponyms with coordinates, {pred_n} resolved predictions")
    print(f"recall (span overlap)        {found / gold_n:.3f}")
    print(f"precision (any toponym)      {pred_any / max(pred_n, 1):.3f}")
    print(f"precision (strict, with coords) {pred_strict / max(pred_n, 1):.3f}")
    print(f"accuracy@161km of matched    {within / max(resolved, 1):.3f}")
    print(f"end-to-end within 161km      {within / gold_n:.3f}")
    print(f"time {secs:.1f}s for {chars / 1e6:.2f} MB")
    for row in misses[:n_misses]:
        print("MISS", *row)
    for row in far[:n_misses]:
        print("FAR", *row)


if __name__ == "__main__":
    main()
