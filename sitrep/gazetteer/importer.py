"""Importing a GeoNames file into sitrep's data folder, and removing one again.

An import streams the file (bounded memory: rows go to SQLite in batches) inside one transaction:
a bad line rolls everything back and the index stays as it was.  A source is named after its file
unless told otherwise; importing a name again replaces that source.  Populated places (feature
class P) and administrative divisions (class A: first-level divisions and districts) are kept;
their names, ASCII names and Latin-script alternate names are indexed through geonorm.name_key.
First-level division codes are named as the shipped table names them (data/admin1.tsv, else the
division of the shipped table's copy of the same GeoNames places), else by the file's own ADM1 rows.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..geonorm import name_key, skeletons
from ..lexicon import data_file
from .cues import common_words, stopword_keys
from .geonames import GazetteerError, GeoNamesRow, read_rows
from .imported import (
    DEFAULT_ATTRIBUTION,
    INDEX_FILE,
    LINK_ADMIN1,
    LINK_GEONAMEID,
    LINK_NONE,
    SCHEMA_VERSION,
    data_home,
)
from .names import common_phrase, latin_alternate, translated_phrase

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
INSERT OR IGNORE INTO meta VALUES ('schema', '{SCHEMA_VERSION}');
CREATE TABLE IF NOT EXISTS sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
    attribution TEXT NOT NULL, imported TEXT NOT NULL, places INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counts(source INTEGER NOT NULL, country TEXT NOT NULL, places INTEGER NOT NULL,
    PRIMARY KEY (source, country)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS places(id INTEGER PRIMARY KEY, source INTEGER NOT NULL, geonameid INTEGER NOT NULL,
    name TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, country TEXT NOT NULL,
    admin1_code TEXT NOT NULL, admin1 TEXT, feature TEXT NOT NULL, feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL, population INTEGER NOT NULL, precision INTEGER NOT NULL, link INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS places_source ON places(source);
CREATE TABLE IF NOT EXISTS keys(key TEXT NOT NULL, place INTEGER NOT NULL, source INTEGER NOT NULL,
    PRIMARY KEY (key, place, source)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS skeletons(country TEXT NOT NULL, skel TEXT NOT NULL, key TEXT NOT NULL,
    source INTEGER NOT NULL, PRIMARY KEY (country, skel, key, source)) WITHOUT ROWID;
"""
_BATCH = 20_000  # places written per executemany: bounds memory whatever the file's size
_PREFIX_MEMO = 200_000  # prefixes remembered per import to skip re-inserting them (SQLite ignores repeats anyway)
_MIN_KEY = 3  # shorter keys ("I'm" -> "im") are abbreviations and stray tokens far more often than names
# Seats of government: towns even when GeoNames gives them no population.
_SEATS = frozenset("PPLC PPLA PPLA2 PPLA3 PPLA4 PPLA5 PPLG".split())


@dataclass(frozen=True, slots=True)
class ImportReport:
    name: str
    places: int
    keys: int
    countries: dict[str, int]
    replaced: bool


def feature_of(row: GeoNamesRow) -> tuple[str, int, int] | None:
    """(feature, precision, population) sitrep gives a GeoNames row, or None for a row it does not keep."""
    code, pop = row.feature_code, row.population
    if row.feature_class == "P":
        if code == "PPLX":
            return "neighbourhood", 1, pop
        kind = "city" if pop >= 100_000 else "town" if pop >= 5_000 or code in _SEATS else "village"
        return kind, 1, pop
    if row.feature_class == "A":
        if code == "ADM1":
            return "admin1", 3, pop
        if code.startswith("ADM"):
            return "district", 2, 0  # a district's population says nothing of how prominent its name is
    return None


class _Bundled:
    """What the shipped table knows that an import links to: its geonameids, their divisions, its divisions."""

    def __init__(self) -> None:
        from .geoparser import _shipped

        self.gazetteer = gaz = _shipped()
        self.admin1_of: dict[int, str] = {}
        for row in gaz._rows:
            cols = row.split("\t")
            if cols[10]:
                self.admin1_of[int(cols[10])] = cols[6]
        self.table: dict[tuple[str, str], str] = {}
        for line in data_file("admin1.tsv").read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.strip() and not line.startswith("#") and len(cols) >= 3:
                self.table[(cols[0], cols[1])] = cols[2]

    def admin1_named(self, cc: str, names: list[str]) -> str | None:
        """The shipped table's first-level division of a country that bears one of these names."""
        for name in names:
            place = self.gazetteer.admin1_place(cc, name)
            if place is not None:
                return place.name
        return None


@cache
def _bundled() -> _Bundled:
    return _Bundled()


def connect(home: Path | None = None) -> sqlite3.Connection:
    """A read-write connection to the index, made with its tables if new."""
    folder = home if home is not None else data_home()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(folder / INDEX_FILE, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(_SCHEMA)
        version = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(f"{folder / INDEX_FILE}: cannot open the gazetteer index ({exc})") from None
    if version[0] != SCHEMA_VERSION:
        con.close()
        raise GazetteerError(f"{folder / INDEX_FILE}: index of another sitrep version; remove it and import again")
    return con


def import_file(path: Path, name: str | None = None, attribution: str | None = None,
                home: Path | None = None) -> ImportReport:
    """Import (or re-import) a GeoNames file as the source `name` (default: the file's name)."""
    path = Path(path)
    if not path.is_file():
        raise GazetteerError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    name = name or path.name
    bundled = _bundled()
    con = connect(home)
    try:
        con.execute("BEGIN IMMEDIATE")
        replaced = _delete_source(con, name)
        stamp = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
        sid = con.execute("INSERT INTO sources(name, path, attribution, imported, places) VALUES (?, ?, ?, ?, 0)",
                          (name, str(path.resolve()), attribution or DEFAULT_ATTRIBUTION, stamp)).lastrowid
        writer = _Writer(con, sid, bundled)
        for row in read_rows(path):
            writer.add(row)
        report = writer.finish(name, replaced)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return report


def remove_source(name: str, home: Path | None = None) -> bool:
    """Drop one imported source; False if there is none of that name."""
    from .imported import index_path

    if not index_path(home).exists():
        return False
    con = connect(home)
    try:
        con.execute("BEGIN IMMEDIATE")
        found = _delete_source(con, name)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return found


def _delete_source(con: sqlite3.Connection, name: str) -> bool:
    hit = con.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
    if hit is None:
        return False
    sid = hit[0]
    con.execute("DELETE FROM keys WHERE source = ?", (sid,))
    con.execute("DELETE FROM skeletons WHERE source = ?", (sid,))
    con.execute("DELETE FROM places WHERE source = ?", (sid,))
    con.execute("DELETE FROM counts WHERE source = ?", (sid,))
    con.execute("DELETE FROM sources WHERE id = ?", (sid,))
    return True


class _Writer:
    """Rows of one source into the index, a batch at a time."""

    def __init__(self, con: sqlite3.Connection, sid: int, bundled: _Bundled) -> None:
        self.con, self.sid, self.bundled = con, sid, bundled
        self.next_id = (con.execute("SELECT max(id) FROM places").fetchone()[0] or 0) + 1
        self.places: list[tuple] = []
        self.keys: list[tuple] = []
        self.skeletons: list[tuple] = []
        self.prefixes: set[str] = set()
        self.countries: Counter = Counter()
        self.n_keys = 0
        self.common = common_words()
        self.never = stopword_keys()[1]
        # (country, admin1 code) -> votes for its name: the shipped table's copies, the file's ADM1 rows.
        self.shipped_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.file_names: dict[tuple[str, str], str] = {}

    def add(self, row: GeoNamesRow) -> None:
        kind = feature_of(row)
        if kind is None:
            return
        feature, precision, population = kind
        cc, code = row.country_code, row.admin1_code
        admin1, link = self.bundled.table.get((cc, code)), LINK_NONE
        shipped = self.bundled.admin1_of.get(row.geonameid)
        if shipped is not None:
            link = LINK_GEONAMEID
            if code:
                self.shipped_votes[(cc, code)][shipped] += 1
        names = self._names(row)
        if feature == "admin1":
            if code:
                self.file_names.setdefault((cc, code), row.name)
            admin1 = admin1 or self.bundled.admin1_named(cc, names) or row.name
            link = LINK_ADMIN1 if self.bundled.gazetteer.admin1_place(cc, admin1) is not None else link
        pid = self.next_id
        self.next_id += 1
        self.places.append((pid, self.sid, row.geonameid, row.name, row.latitude, row.longitude, cc, code, admin1,
                            feature, row.feature_class, row.feature_code, population, precision, link))
        self.countries[cc] += 1
        for key in dict.fromkeys(name_key(n) for n in names):
            if len(key) >= _MIN_KEY and key not in self.never:
                self.keys.append((key, pid, self.sid))
                self.skeletons.extend((cc, sk, key, self.sid) for sk in skeletons(key))
                self._prefixes_of(key)
        if len(self.places) >= _BATCH:
            self._flush()

    def _names(self, row: GeoNamesRow) -> list[str]:
        """The row's name, ASCII name and Latin-script alternates, without translations or common phrases."""
        out = [n for n in (row.name, row.asciiname) if n and not common_phrase(n, self.common)]
        for alt in row.alternates:
            if latin_alternate(alt) and not translated_phrase(alt, row.name, self.common) \
                    and not common_phrase(alt, self.common):
                out.append(alt)
        return out

    def _prefixes_of(self, key: str) -> None:
        i = key.rfind(" ")
        while i > 0:
            prefix = key[:i]
            if prefix in self.prefixes:
                break
            if len(self.prefixes) > _PREFIX_MEMO:
                self.prefixes.clear()
            self.prefixes.add(prefix)
            self.keys.append((prefix, 0, self.sid))
            i = key.rfind(" ", 0, i)

    def _flush(self) -> None:
        self.con.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.places)
        self.con.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)", self.keys)
        self.con.executemany("INSERT OR IGNORE INTO skeletons VALUES (?, ?, ?, ?)", self.skeletons)
        self.n_keys += sum(1 for k in self.keys if k[1])
        self.places, self.keys, self.skeletons = [], [], []

    def finish(self, name: str, replaced: bool) -> ImportReport:
        """Write what is left, name the divisions the file's codes left unnamed, count per country."""
        self._flush()
        for (cc, code) in sorted(set(self.shipped_votes) | set(self.file_names)):
            if (cc, code) in self.bundled.table:
                continue
            votes = self.shipped_votes.get((cc, code))
            admin1 = votes.most_common(1)[0][0] if votes else self.file_names[(cc, code)]
            self.con.execute("UPDATE places SET admin1 = ? WHERE source = ? AND country = ? AND admin1_code = ? "
                             "AND feature != 'admin1'", (admin1, self.sid, cc, code))
        self.con.executemany("INSERT INTO counts VALUES (?, ?, ?)",
                             [(self.sid, cc, n) for cc, n in sorted(self.countries.items())])
        total = sum(self.countries.values())
        self.con.execute("UPDATE sources SET places = ? WHERE id = ?", (total, self.sid))
        return ImportReport(name, total, self.n_keys, dict(self.countries.most_common()), replaced)
