"""The imported places: an SQLite file in sitrep's data folder, read by name key at match time.

`sitrep gazetteer import` writes it (sitrep/gazetteer/importer.py); every command reads it beside
the shipped table.  SQLite because it opens in a millisecond whatever its size (all of GeoNames
included), answers a key in microseconds through the primary key, and changes one source in one
transaction that readers never see half done.  The folder is $SITREP_HOME, else the platform's
user data folder (platformdirs).

Tables: sources (name, file, attribution), counts (places per source and country), places (one row
per imported place, `link` saying whether the shipped table has it already: 1 by geonameid, 2 as a
first-level division), keys (name key -> place; place 0 marks a proper prefix of a longer key), skeletons
(country, geonorm.skeleton of a key -> the key: the spelling-tolerant look-up among a report's countries).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .geonames import GazetteerError

SCHEMA_VERSION = "1"
INDEX_FILE = "gazetteer.sqlite"
DEFAULT_ATTRIBUTION = ("Place data from GeoNames (https://www.geonames.org/), licensed under Creative Commons "
                       "Attribution 4.0 (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/).")
LINK_NONE, LINK_GEONAMEID, LINK_ADMIN1 = 0, 1, 2
_KEY_CACHE_MAX = 500_000


def data_home() -> Path:
    """sitrep's data folder: $SITREP_HOME, else the platform's user data folder."""
    env = os.environ.get("SITREP_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("sitrep", appauthor=False))


def index_path(home: Path | None = None) -> Path:
    return (home if home is not None else data_home()) / INDEX_FILE


def index_stamp(path: Path) -> tuple | None:
    """What changes when an import or removal commits (the file and its write-ahead log), None without an index."""
    try:
        main = path.stat()
    except OSError:
        return None
    try:
        wal = Path(f"{path}-wal").stat()
        wal_stamp = (wal.st_mtime_ns, wal.st_size)
    except OSError:
        wal_stamp = None
    return (main.st_mtime_ns, main.st_size, wal_stamp)


@dataclass(frozen=True, slots=True)
class Source:
    """One imported file: its name, where it came from, the attribution it needs, its places per country."""

    name: str
    path: str
    attribution: str
    imported: str
    places: int
    countries: dict[str, int]


@dataclass(frozen=True, slots=True)
class Row:
    """An imported place as stored."""

    id: int
    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str | None
    feature: str
    population: int
    precision: int
    link: int


class ImportedPlaces:
    """Read access to the imported index, safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            version = self._con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error as exc:
            raise GazetteerError(f"{path}: cannot read the imported gazetteer ({exc}); "
                                 "remove the file and import again") from None
        if version is None or version[0] != SCHEMA_VERSION:
            raise GazetteerError(f"{path}: imported gazetteer of another sitrep version; remove it and import again")
        self._lock = threading.Lock()
        self._kinds: dict[str, int] = {}
        self._skels: dict[tuple, list[str]] = {}  # (countries, skeleton) -> keys, as asked
        # An index imported before skeletons were written has none: spelling-tolerant look-up then reads
        # the shipped table alone (importing again adds them).
        self.has_skeletons = self._con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'skeletons'").fetchone() is not None

    def kind(self, key: str) -> int:
        """1 if places bear the key, 2 if it is a proper prefix of a longer key, 3 both, 0 neither."""
        k = self._kinds.get(key)
        if k is None:
            with self._lock:
                lo, hi = self._con.execute("SELECT min(place), max(place) FROM keys WHERE key = ?", (key,)).fetchone()
            k = 0 if lo is None else (2 if lo == 0 else 0) | (1 if hi > 0 else 0)
            if len(self._kinds) > _KEY_CACHE_MAX:
                self._kinds.clear()
            self._kinds[key] = k
        return k

    def rows(self, key: str, limit: int) -> list[Row]:
        """The places bearing a key, in import order (earlier sources first)."""
        with self._lock:
            found = self._con.execute(
                "SELECT p.id, p.geonameid, p.name, p.latitude, p.longitude, p.country, p.admin1, p.feature, "
                "p.population, p.precision, p.link FROM keys k JOIN places p ON p.id = k.place "
                "WHERE k.key = ? AND k.place > 0 ORDER BY p.id LIMIT ?", (key, limit)).fetchall()
        return [Row(*r) for r in found]

    def skeleton_keys(self, countries: frozenset[str], skel: str) -> list[str]:
        """The name keys of places in these countries whose skeleton (geonorm.skeleton) is skel."""
        if not self.has_skeletons or not countries:
            return []
        hit = self._skels.get((countries, skel))
        if hit is None:
            marks = ",".join("?" * len(countries))
            with self._lock:
                found = self._con.execute(f"SELECT DISTINCT key FROM skeletons WHERE country IN ({marks}) AND skel = ?",
                                          (*sorted(countries), skel)).fetchall()
            if len(self._skels) > _KEY_CACHE_MAX:
                self._skels.clear()
            hit = self._skels[(countries, skel)] = [k for (k,) in found]
        return hit

    def close(self) -> None:
        self._con.close()


def list_sources(home: Path | None = None) -> list[Source]:
    """The imported sources, oldest first ([] when nothing was imported)."""
    path = index_path(home)
    if not path.exists():
        return []
    places = ImportedPlaces(path)
    try:
        with places._lock:
            con = places._con
            sources = con.execute("SELECT id, name, path, attribution, imported, places FROM sources ORDER BY id").fetchall()
            counts = con.execute("SELECT source, country, places FROM counts ORDER BY source, places DESC, country").fetchall()
    finally:
        places.close()
    by_source: dict[int, dict[str, int]] = {}
    for sid, cc, n in counts:
        by_source.setdefault(sid, {})[cc] = n
    return [Source(name, path_, attribution, imported, n, by_source.get(sid, {}))
            for sid, name, path_, attribution, imported, n in sources]
