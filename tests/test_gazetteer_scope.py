"""Country scope: a report's countries bound where its places may be; a namesake abroad is read only
when the report points there.  Imports go to each test's own SITREP_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.gazetteer import Gazetteer, spotting
from sitrep.gazetteer.geoparser import _shipped
from sitrep.gazetteer.importer import import_file
from sitrep.gazetteer.scope import demonyms_in, report_scope


def row(gid, name, alts="", lat=35.0, lon=36.5, cc="SY", admin1="12", pop=0, fclass="P", fcode="PPL") -> str:
    cols = [str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "", str(pop),
            "", "100", "UTC", "2024-01-01"]
    return "\t".join(cols)


def imported(tmp_path: Path, monkeypatch, rows: list[str]) -> Gazetteer:
    home = tmp_path / "home"
    monkeypatch.setenv("SITREP_HOME", str(home))
    path = tmp_path / "places.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(path)
    return Gazetteer.default()


def shipped() -> Gazetteer:
    gaz = _shipped()._clone()
    gaz._init_parser()
    return gaz


def found(gaz: Gazetteer, text: str, **kw) -> dict:
    return {m.text: m.place for m in gaz.find(text, **kw)}


def scope_of(gaz: Gazetteer, text: str, hint: str | None = None) -> set[str]:
    matches, persons = spotting.scan(gaz, text)
    kept, _ = spotting.screen(gaz, text, matches, persons)
    spotting.link_containers(text, kept)
    return set(report_scope(gaz, text, kept, hint).countries)


def test_the_report_points_to_its_countries():
    gaz = shipped()
    assert scope_of(gaz, "Malian troops were ambushed near the border.") == {"ML"}
    assert scope_of(gaz, "Shelling hit Arsal in neighbouring Lebanon.") >= {"LB"}
    assert "UA" in scope_of(gaz, "Shelling hit villages in Donetsk Oblast on Monday.")
    assert scope_of(gaz, "Clashes broke out on Monday.", hint="NG") == {"NG"}
    # A single village name is no evidence of a country (it may be a person's name) ...
    assert scope_of(gaz, "Dilan said so on Monday.") == set()
    # ... and a report that points nowhere has no scope.
    assert scope_of(gaz, "Nothing was said on Monday.") == set()


def test_demonyms_name_their_countries():
    assert demonyms_in("Syrian and Lebanese officials met Burkinabè troops.") == {"SY", "LB", "BF"}
    assert demonyms_in("a syrian-born man") == set()  # lower case: not read


def test_a_city_abroad_met_under_an_alternate_name_is_not_read():
    # "Boni" is an alternate name of Bonn: in a report on Mali it is not the German city.
    gaz = shipped()
    assert found(gaz, "Jihadists attacked Boni in central Mali on Sunday.")["Boni"] is None
    # A big city abroad spelled as its own name still is ("Ankara" in a report on Syria).
    assert found(gaz, "Syrian rebels met officials in Ankara on Sunday.")["Ankara"].country_code == "TR"


def test_a_weekday_is_no_island_abroad():
    gaz = shipped()
    got = found(gaz, "Soldiers set up roadblocks in and outside the capital Thursday, residents of Bamako, Mali, said.")
    assert got.get("Thursday") is None


def test_a_namesake_in_the_report_country_is_read_from_the_import(tmp_path, monkeypatch):
    gaz = imported(tmp_path, monkeypatch, [
        row(2001, "Boni", lat=15.04, lon=-1.97, cc="ML", admin1="04"),
        row(2002, "Al Fu`ah", "Al-Fu'ah,Foua", lat=35.99, lon=36.70, cc="SY", admin1="12"),
    ])
    assert found(gaz, "Jihadists attacked Boni in central Mali on Sunday.")["Boni"].country_code == "ML"
    # Egypt's Fuwwah shares the key; a report on Syria that never points to Egypt means the Syrian village.
    got = found(gaz, "Syrian rebels shelled al-Fu'ah on Sunday, the Syrian Observatory said.")
    assert got["al-Fu'ah"].country_code == "SY"


def test_a_namesake_abroad_is_read_when_the_report_points_there(tmp_path, monkeypatch):
    gaz = imported(tmp_path, monkeypatch, [
        row(2101, "Kafrayya", "Kefraya", lat=35.99, lon=36.69, cc="SY", admin1="12"),
        row(2102, "Kefraya", lat=33.64, lon=35.76, cc="LB", admin1="09", pop=3000),
    ])
    syria = found(gaz, "Regime jets struck Kefraya, the Syrian Observatory said, after raids on Idlib.")
    assert syria["Kefraya"].country_code == "SY"
    lebanon = found(gaz, "Israeli jets struck Kefraya in neighbouring Lebanon on Monday.")
    assert lebanon["Kefraya"].country_code == "LB"


def test_places_country_option_reaches_the_gazetteer(tmp_path, monkeypatch):
    imported(tmp_path, monkeypatch, [row(2001, "Boni", lat=15.04, lon=-1.97, cc="ML", admin1="04")])
    doc = tmp_path / "report.txt"
    doc.write_text("Gunmen attacked Boni on Sunday.", encoding="utf-8")
    runner = CliRunner()
    with_ml = runner.invoke(app, ["places", str(doc), "--country", "ML"])
    assert with_ml.exit_code == 0, with_ml.output
    rows = [json.loads(line) for line in with_ml.output.splitlines() if line.startswith("{")]
    assert [(r["text"], r["country_code"]) for r in rows] == [("Boni", "ML")]
    bad = runner.invoke(app, ["places", str(doc), "--country", "Atlantis"])
    assert bad.exit_code == 2


def test_a_name_of_many_places_keeps_the_biggest_candidates():
    # "San Francisco" names over 60 places: the Californian city must be among those scored.
    got = found(shipped(), "Police in San Francisco watched a march from Dallas to Minnesota.")
    assert got["San Francisco"].country_code == "US"


@pytest.mark.parametrize("text, cc", [
    ("Jihadists attacked Boni in central Mali.", "ML"),
    ("Fighting near Donetsk, Ukraine, went on.", "UA"),
])
def test_scope_never_drops_the_countries_named(text, cc):
    gaz = shipped()
    assert cc in scope_of(gaz, text)
    assert any(p is not None and p.country_code == cc for p in found(gaz, text).values())


def test_a_city_of_a_country_the_report_does_not_name_is_read_by_its_own_name():
    # "Turkey has shelled Qamishli": the report names only Turkey, but Qamishli is a city spelled as its
    # own name (its article aside), not a namesake.
    got = found(shipped(), "Turkey has shelled Qamishli, killing two civilians.")
    assert got["Qamishli"].country_code == "SY"


def test_a_town_of_a_neighbour_of_the_named_country_is_read_when_it_has_no_namesake_in_scope():
    # "Russian forces": the nationality word names who acts; Kupiansk, in neighbouring Ukraine, is where.
    got = found(shipped(), "Russian forces fired at Kupiansk overnight.")
    assert got["Kupiansk"].country_code == "UA"
    # A village far from every country the report names is not read (Mali does not border Australia).
    assert found(shipped(), "Malian troops were posted in the capital Thursday.").get("Thursday") is None
