"""Reading GeoNames' export format: the `geoname` table (allCountries.txt, XX.txt), plain, zipped
(XX.zip, allCountries.zip, as GeoNames serves them) or gzipped, streamed line by line.

One place a line, 19 tab-separated columns, no header: geonameid, name, asciiname, alternatenames
(comma-separated), latitude, longitude, feature class, feature code, country code, cc2, admin1
code, admin2 code, admin3 code, admin4 code, population, elevation, dem, timezone, modification
date.  A line that is not such a row stops the reading with an error naming the file and line.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SitrepError

COLUMNS = 19
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


class GazetteerError(SitrepError):
    """A gazetteer file could not be imported, or the imported index could not be read or changed."""

    exit_code = 2


@dataclass(slots=True)
class GeoNamesRow:
    """The columns of one row that sitrep keeps."""

    line: int
    geonameid: int
    name: str
    asciiname: str
    alternates: list[str]
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str
    population: int


def read_rows(path: Path) -> Iterator[GeoNamesRow]:
    """The rows of a GeoNames file, in order; GazetteerError (naming file and line) on a bad one."""
    with _open_table(path) as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise GazetteerError(f"{path}: line {number}: not UTF-8 text") from None
            yield _parse(path, number, text.rstrip("\r\n"))


def _parse(path: Path, number: int, text: str) -> GeoNamesRow:
    cols = text.split("\t")
    if len(cols) != COLUMNS:
        raise GazetteerError(f"{path}: line {number}: expected {COLUMNS} tab-separated columns of a GeoNames "
                             f"table, found {len(cols)}")
    try:
        gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
        population = int(cols[14] or 0)
    except ValueError:
        raise GazetteerError(f"{path}: line {number}: geonameid, latitude, longitude and population must be "
                             "numbers") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise GazetteerError(f"{path}: line {number}: latitude {cols[4]} or longitude {cols[5]} out of range")
    if not cols[1].strip():
        raise GazetteerError(f"{path}: line {number}: the place has no name")
    if len(cols[6]) > 1 or (cols[8] and (len(cols[8]) != 2 or not cols[8].isalpha())):
        raise GazetteerError(f"{path}: line {number}: feature class {cols[6]!r} or country code {cols[8]!r} "
                             "is not GeoNames'")
    return GeoNamesRow(number, gid, cols[1].strip(), cols[2].strip(), [a for a in cols[3].split(",") if a],
                       lat, lon, cols[6], cols[7], cols[8].upper(), cols[10], max(population, 0))


def _open_table(path: Path):
    """A binary file object over the table's lines, whatever the wrapping (plain, zip, gzip, gzip of a zip)."""
    try:
        with open(path, "rb") as probe:
            magic = probe.read(4)
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if magic.startswith(_GZIP_MAGIC):
        inner = gzip.open(path, "rb")
        try:
            head = inner.peek(4)[:4]
        except (OSError, EOFError) as exc:
            inner.close()
            raise GazetteerError(f"{path}: not a readable gzip file ({exc})") from None
        return _zip_member(path, inner) if head.startswith(_ZIP_MAGIC) else _Checked(path, inner)
    if magic.startswith(_ZIP_MAGIC):
        return _zip_member(path, open(path, "rb"))
    return _Checked(path, open(path, "rb"))


def _zip_member(path: Path, fileobj) -> "_Checked":
    """The GeoNames table inside a zip: its one .txt member other than readme.txt (XX.zip holds XX.txt)."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError) as exc:
        fileobj.close()
        raise GazetteerError(f"{path}: not a readable zip file ({exc})") from None
    members = [n for n in archive.namelist() if n.lower().endswith(".txt") and Path(n).name.lower() != "readme.txt"]
    if len(members) > 1:
        stem = Path(path.name.split(".")[0]).name.lower()
        members = [n for n in members if Path(n).stem.lower() == stem] or members
    if len(members) != 1:
        archive.close()
        raise GazetteerError(f"{path}: the zip file holds {len(members)} GeoNames tables (.txt), expected one")
    return _Checked(path, archive.open(members[0]), archive)


class _Checked:
    """A binary stream of lines whose decompression errors become GazetteerError with the file's name."""

    def __init__(self, path: Path, stream, owner=None) -> None:
        self.path, self.owner = path, owner
        self.stream = io.BufferedReader(stream) if not hasattr(stream, "peek") else stream

    def __enter__(self) -> "_Checked":
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()
        if self.owner is not None:
            self.owner.close()

    def __iter__(self) -> Iterator[bytes]:
        number = 0
        try:
            for number, line in enumerate(self.stream, 1):  # noqa: B007  (number is read after the loop)
                yield line
        except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
            raise GazetteerError(f"{self.path}: line {number + 1}: the file is damaged or cut short ({exc})") from None
