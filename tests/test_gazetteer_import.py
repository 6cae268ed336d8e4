"""Importing GeoNames files: the formats, bad lines, idempotence, removal, info, and what the geoparser
then finds.  Every test imports into its own SITREP_HOME (a temporary folder)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zipfile
from itertools import islice
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.gazetteer import Gazetteer
from sitrep.gazetteer.geonames import GazetteerError, read_rows
from sitrep.gazetteer.imported import index_path, list_sources

SHARED = Path(__file__).resolve().parents[2] / "shared" / "gazetteer" / "conflict-countries.geonames.txt.gz"


def row(gid, name, alts="", lat=35.0, lon=36.5, fclass="P", fcode="PPL", cc="SY", admin1="12", pop=0) -> str:
    cols = [str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "", str(pop),
            "", "100", "Asia/Damascus", "2024-01-01"]
    return "\t".join(cols)


ROWS = [
    row(1001, "Kafr Zaytoun Ghadir", "Kafr Zeitoun Ghadir,كفر زيتون غدير,Кафр", lat=35.71, lon=36.60),
    row(1002, "Abtar", lat=35.80, lon=36.63),  # a Syrian village whose name the shipped table gives to a town in Iran
    row(1003, "Hope", lat=35.90, lon=36.70),  # a common English word
    row(1010, "Alhaji", lat=35.91, lon=36.71),  # a title
    row(1011, "Adeoye", lat=35.92, lon=36.72),  # a surname elsewhere
    row(1004, "Qasr Nuwayran", fcode="PPLX", lat=35.93, lon=36.63),
    row(1005, "Wadi Sghir District", fclass="A", fcode="ADM2", admin1="", pop=250_000),
    row(1006, "Nahr Sghir", fclass="H", fcode="STM"),  # a stream: not kept
    row(1007, "Zarzur Tahta", cc="XK", admin1="77", lat=42.6, lon=20.9),  # a code no table names
    row(1008, "Kosovo Polje Region", fclass="A", fcode="ADM1", cc="XK", admin1="77", lat=42.6, lon=21.0),
    row(168325, "Khān Shaykhūn", "Khan Sheikhoun Lit", lat=35.44, lon=36.65, pop=48975),  # the shipped table has it
]


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("SITREP_HOME", str(folder))
    return folder


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(*args: str):
    return CliRunner().invoke(app, ["gazetteer", *args])


def info() -> dict:
    result = cli("info", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_plain_file_then_info_and_find(home, tmp_path):
    result = cli("import", str(write(tmp_path / "SY.txt", ROWS)))
    assert result.exit_code == 0, result.output
    assert "imported SY.txt: 10 places in 2 countries" in result.output
    (source,) = info()["sources"]
    assert source["name"] == "SY.txt" and source["places"] == 10 and source["countries"] == {"SY": 8, "XK": 2}
    assert "GeoNames" in source["attribution"] and "CC BY 4.0" in source["attribution"]
    gaz = Gazetteer.default()
    found = {m.text: m.place for m in gaz.find("Regime shelling hit Kafr Zeitoun Ghadir in Idlib countryside.")}
    village = found["Kafr Zeitoun Ghadir"]
    assert (village.name, village.country_code, village.admin1, village.feature) == \
        ("Kafr Zaytoun Ghadir", "SY", "Idleb", "village")  # admin1 code 12 named as the shipped table names it
    assert gaz.lookup("Qasr Nuwayran")[0].feature == "neighbourhood"
    district = gaz.lookup("Wadi Sghir District")[0]
    assert district.feature == "district" and district.precision == 2 and district.population == 0
    assert not gaz.lookup("Nahr Sghir")
    # A code no table names is named by the file's own ADM1 row.
    assert gaz.lookup("Zarzur Tahta")[0].admin1 == "Kosovo Polje Region"


def test_a_place_the_shipped_table_has_stays_one_place_under_its_new_names(home, tmp_path):
    cli("import", str(write(tmp_path / "SY.txt", ROWS)))
    gaz = Gazetteer.default()
    (place,) = [p for p in gaz.lookup("Khan Sheikhoun Lit") if p.geonameid == 168325]
    assert place in gaz.lookup("Khan Shaykhun") and len([p for p in gaz.lookup("Khan Shaykhun")
                                                         if p.geonameid == 168325]) == 1
    assert place.admin1 == "Idleb" and type(place).__name__ == "Place"  # the shipped entry itself


def test_shipped_entries_win_unless_the_context_points_to_the_imported_place(home, tmp_path):
    cli("import", str(write(tmp_path / "SY.txt", ROWS)))
    gaz = Gazetteer.default()
    plain = {m.text: m.place for m in gaz.find("Abtar was quiet on Sunday.")}
    assert plain["Abtar"] is not None and plain["Abtar"].country_code == "IR"
    located = {m.text: m.place for m in gaz.find("Regime shelling hit Abtar in Idlib province on Sunday.")}
    assert located["Abtar"].country_code == "SY" and located["Abtar"].geonameid == 1002


def test_a_common_word_is_not_a_village_without_a_cue(home, tmp_path):
    cli("import", str(write(tmp_path / "SY.txt", ROWS)))
    gaz = Gazetteer.default()
    text = "Hope faded in Idlib as the shelling went on. Residents of Saraqib fled."
    assert "Hope" not in {m.text for m in gaz.find(text) if m.place is not None}
    cued = {m.text: m.place for m in gaz.find("Shells fell on the village of Hope in Idlib.")}
    assert cued["Hope"] is not None and cued["Hope"].geonameid == 1003


@pytest.mark.parametrize("wrap", ["zip", "gzip", "gzip-of-zip"])
def test_zip_and_gzip_files_import_alike(home, tmp_path, wrap):
    text = ("\n".join(ROWS) + "\n").encode("utf-8")
    if wrap == "zip":
        path = tmp_path / "SY.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "GeoNames readme\n")
            z.writestr("SY.txt", text)
    elif wrap == "gzip":
        path = tmp_path / "SY.txt.gz"
        path.write_bytes(gzip.compress(text))
    else:
        inner = tmp_path / "SY.zip"
        with zipfile.ZipFile(inner, "w") as z:
            z.writestr("SY.txt", text)
        path = tmp_path / "SY.zip.gz"
        path.write_bytes(gzip.compress(inner.read_bytes()))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert info()["sources"][0]["places"] == 10


def test_a_bad_line_names_file_and_line_and_leaves_the_index_intact(home, tmp_path):
    assert cli("import", str(write(tmp_path / "good.txt", ROWS))).exit_code == 0
    before = info()
    bad = ROWS[:2] + ["1009\tBroken\tBroken\t\t35.0"] + ROWS[2:]
    result = cli("import", str(write(tmp_path / "good.txt", bad)))
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "good.txt: line 3: expected 19 tab-separated columns" in line and "Traceback" not in result.output
    assert info() == before  # the same source was neither replaced nor emptied
    assert Gazetteer.default().lookup("Kafr Zaytoun Ghadir")


@pytest.mark.parametrize("content, message", [
    (row(1, "X", lat=95.0), "line 1: latitude 95.0 or longitude 36.5 out of range"),
    (row("abc", "X"), "line 1: geonameid, latitude, longitude and population must be numbers"),
    ("\t".join(["1", "X", "X", "", "35", "36", "P", "PPL", "Syria"] + [""] * 10), "country code 'Syria'"),
])
def test_rows_are_checked(tmp_path, content, message):
    with pytest.raises(GazetteerError, match=message):
        list(read_rows(write(tmp_path / "bad.txt", [content])))


def test_a_damaged_gzip_file_is_an_error_not_a_traceback(home, tmp_path):
    data = gzip.compress(("\n".join(ROWS * 200) + "\n").encode("utf-8"))
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    result = cli("import", str(path))
    assert result.exit_code == 2 and "cut.txt.gz" in result.output and "damaged or cut short" in result.output
    assert info()["sources"] == []


def test_missing_file_and_unknown_source(home, tmp_path):
    result = cli("import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "nope.txt: no such file" in result.output
    result = cli("remove", "nothing")
    assert result.exit_code == 2 and "no imported source named 'nothing'" in result.output


def test_reimport_replaces_and_remove_drops(home, tmp_path):
    path = write(tmp_path / "SY.txt", ROWS)
    assert cli("import", str(path)).exit_code == 0
    again = cli("import", str(path), "--attribution", "Test data, CC0")
    assert again.exit_code == 0 and again.output.startswith("replaced SY.txt")
    (source,) = info()["sources"]
    assert source["places"] == 10 and source["attribution"] == "Test data, CC0"
    assert len(Gazetteer.default().lookup("Kafr Zaytoun Ghadir")) == 1
    assert cli("import", str(write(tmp_path / "other.txt", ROWS[:1])), "--name", "other").exit_code == 0
    assert [s["name"] for s in info()["sources"]] == ["SY.txt", "other"]
    # Two sources holding the same GeoNames place give one candidate.
    assert len(Gazetteer.default().lookup("Kafr Zaytoun Ghadir")) == 1
    assert cli("remove", "SY.txt").exit_code == 0
    assert [s["name"] for s in info()["sources"]] == ["other"]
    assert not [p for p in Gazetteer.default().lookup("Qasr Nuwayran") if p.geonameid == 1004]
    assert Gazetteer.default().lookup("Kafr Zaytoun Ghadir")


def test_nothing_imported_reads_no_index(home):
    assert list_sources() == [] and not index_path().exists()
    assert Gazetteer.default()._imported is None


def test_the_shared_files_first_20000_lines(home, tmp_path):
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent (the shared corpus folder beside the repository)")
    part = tmp_path / "part.txt"
    with gzip.open(SHARED, "rt", encoding="utf-8") as fh, part.open("w", encoding="utf-8") as out:
        out.writelines(islice(fh, 20_000))
    result = cli("import", str(part))
    assert result.exit_code == 0, result.output
    (source,) = info()["sources"]
    assert source["places"] > 19_000 and len(source["countries"]) >= 2
    gaz = Gazetteer.default()
    assert gaz._imported is not None
    with part.open(encoding="utf-8") as fh:
        village = next(cols for cols in (line.split("\t") for line in fh)
                       if cols[6] == "P" and cols[7] == "PPL" and cols[8] == "SY" and cols[10] and " " not in cols[1])
    found = [p for p in gaz.lookup(village[1]) if p.geonameid == int(village[0])]
    assert found and found[0].country_code == "SY" and abs(found[0].latitude - float(village[4])) < 1e-6


def test_a_one_word_name_only_imports_know_needs_the_report_in_its_country(home, tmp_path):
    cli("import", str(write(tmp_path / "SY.txt", ROWS)))
    gaz = Gazetteer.default()
    abroad = "Governor Adeoye spoke in Lagos and Ibadan on Monday; Nigerian police said the road was shut."
    assert "Adeoye" not in {m.text for m in gaz.find(abroad) if m.place is not None}
    home_text = "Regime shelling hit Adeoye, Saraqib and Sarmada in Idlib and Hama on Monday."
    assert {m.text: m.place for m in gaz.find(home_text)}["Adeoye"].geonameid == 1011
    titled = "Alhaji Musa spoke in Saraqib, Idlib; the village of Alhaji was shelled."
    assert "Alhaji" not in {m.text for m in gaz.find(titled) if m.place is not None}


def test_a_damaged_index_is_a_one_line_error_for_every_command(home, tmp_path):
    home.mkdir(parents=True)
    (home / "gazetteer.sqlite").write_text("not a database", encoding="utf-8")
    (tmp_path / "r.txt").write_text("Shelling hit Saraqib in Idlib.", encoding="utf-8")
    for args in (["places", str(tmp_path / "r.txt")], ["gazetteer", "info"]):
        result = subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parents[1])
        assert result.returncode == 2, args
        (line,) = result.stderr.strip().splitlines()
        assert "cannot read the imported gazetteer" in line
    assert "not a file" in cli("import", str(tmp_path)).output
