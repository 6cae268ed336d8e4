"""Real reports' gold places: does the geoparser put a place in each gold event's quoted words (else its
evidence line) within 25 km of the gold point, and in the gold admin1?

For the 36 real reports of ../shared/corpus/real (gold/*.yaml, reports/*.txt), every gold event (not
its repeated mentions): `within 25 km` over the events with gold coordinates, `admin1` over all (the
gold admin1 compared through the gazetteer's name variants).  Figures are printed for the shipped
table alone and with imported places.

    python eval/real_places.py [--gazetteer FILE] [-v]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gazetteers import add_argument, gazetteers  # noqa: E402

from sitrep.export import country_codes  # noqa: E402

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


def km(a, b, c, d) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a, b, c, d))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def reports() -> list[tuple[str, str, list[dict]]]:
    out = []
    for path in sorted((REAL / "gold").glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (REAL / "reports" / gold["document"]).read_text(encoding="utf-8")
        events = [e for e in gold.get("events") or [] if "id" in e and not e.get("same_as")]
        out.append((path.stem, text, events))
    return out


def same_admin1(gaz, cc: str | None, gold: str | None, got) -> bool:
    """Whether place `got` lies in the gold admin1 (of the gold country, when the gold names one)."""
    cc = cc or got.country_code
    if not gold or not got.admin1 or got.country_code != cc:
        return False
    a, b = gaz.admin1_place(cc, gold), gaz.admin1_place(cc, got.admin1)
    return a is not None and a == b


def score(gaz, docs, verbose: bool) -> dict:
    n_pt = n_km = n_all = n_a1 = 0
    for name, text, events in docs:
        starts = [0]
        for ln in text.split("\n"):
            starts.append(starts[-1] + len(ln) + 1)
        mentions = [m for m in gaz.find(text) if m.place is not None]
        for ev in events:
            cc = (country_codes(ev.get("country") or "") or [None])[0]
            lo, hi = starts[ev["line"] - 1], starts[min(ev["line"], len(starts) - 1)]
            q = text.find(ev.get("quote") or "\0", lo, hi)
            if q >= 0:  # the quoted words, when the gold quotes the line
                lo, hi = q, q + len(ev["quote"])
            on_line = [m for m in mentions if lo <= m.start < hi]
            ok_km = None
            if ev.get("lat") is not None:
                n_pt += 1
                ok_km = any(km(ev["lat"], ev["lon"], m.place.latitude, m.place.longitude) <= 25 for m in on_line)
                n_km += ok_km
            n_all += 1
            ok_a1 = any(same_admin1(gaz, cc, ev.get("admin1"), m.place) for m in on_line)
            n_a1 += ok_a1
            if verbose and not (ok_a1 and ok_km is not False):
                print(f"  {name} {ev['id']} {ev.get('location')!s} ({ev.get('admin1')}): "
                      f"{[(m.text, m.place.name, m.place.country_code, m.place.admin1) for m in on_line]}")
    return {"events": n_all, "with_point": n_pt, "within_25km": n_km / max(n_pt, 1), "admin1": n_a1 / max(n_all, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_argument(ap)
    ap.add_argument("-v", "--verbose", action="store_true", help="print each event whose place is missed")
    args = ap.parse_args()
    if not REAL.exists():
        print(f"{REAL} is absent", file=sys.stderr)
        return 2
    docs = reports()
    for label, gaz in gazetteers(args.gazetteer):
        r = score(gaz, docs, args.verbose)
        print(f"{label}: {r['events']} gold events; within 25 km {r['within_25km']:.3f} "
              f"(of {r['with_point']} with a point), admin1 {r['admin1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
