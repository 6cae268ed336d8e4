"""Seed gold places: does the gazetteer put each gold event within 25 km and in the right admin1?

Two figures per event with gold coordinates: `lookup` (the gold location name looked up in the
gold country) and `find` (some place mention on the evidence line, resolved with the whole
report as context, lands within 25 km with the right admin1).  Admin1 is compared through the
gazetteer's name variants (Rif Dimashq = Rural Damascus, Idlib = Idleb).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.gazetteer import Gazetteer  # noqa: E402

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "seed"
COUNTRIES = {"Lebanon": "LB", "Syria": "SY", "Iraq": "IQ"}


def km(a, b, c, d) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a, b, c, d))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def same_admin1(gaz: Gazetteer, cc: str, gold: str, got: str | None) -> bool:
    if not got:
        return False
    a = gaz.admin1_place(cc, gold)
    b = gaz.admin1_place(cc, got)
    return a is not None and a == b


def main() -> int:
    gaz = Gazetteer.default()
    gold = yaml.safe_load((SEED / "gold.yaml").read_text(encoding="utf-8"))
    text = (SEED / gold["document"]).read_text(encoding="utf-8")
    lines = text.split("\n")
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    mentions = gaz.find(text)
    n = lk_km = lk_a1 = fd_km = fd_a1 = 0
    for ev in gold["events"]:
        if ev.get("lat") is None or "id" not in ev:
            continue
        n += 1
        cc = COUNTRIES.get(ev.get("country", "Syria"), "SY")
        cands = gaz.lookup(ev["location"], cc)
        top = cands[0] if cands else None
        ok_km = top is not None and km(ev["lat"], ev["lon"], top.latitude, top.longitude) <= 25
        ok_a1 = top is not None and same_admin1(gaz, cc, ev["admin1"], top.admin1)
        lk_km += ok_km
        lk_a1 += ok_a1
        lo, hi = starts[ev["line"] - 1], starts[ev["line"]]
        on_line = [m for m in mentions if lo <= m.start < hi and m.place is not None]
        near = [m for m in on_line if km(ev["lat"], ev["lon"], m.place.latitude, m.place.longitude) <= 25]
        f_km = bool(near)
        f_a1 = any(same_admin1(gaz, cc, ev["admin1"], m.place.admin1) for m in (near or on_line))
        fd_km += f_km
        fd_a1 += f_a1
        flag = "" if ok_km and ok_a1 and f_km and f_a1 else "  <--"
        print(f"{ev['id']:5} {ev['location']:14} lookup={top.name if top else None!s:16} "
              f"km={'Y' if ok_km else 'n'} a1={'Y' if ok_a1 else 'n'} | find km={'Y' if f_km else 'n'} "
              f"a1={'Y' if f_a1 else 'n'} [{', '.join(m.text for m in on_line)}]{flag}")
    print(f"\n{n} gold events with coordinates")
    print(f"lookup: within 25 km {lk_km / n:.3f}, admin1 right {lk_a1 / n:.3f}")
    print(f"find on evidence line: within 25 km {fd_km / n:.3f}, admin1 right {fd_a1 / n:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
