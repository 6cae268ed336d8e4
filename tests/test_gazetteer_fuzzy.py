"""Spelling-tolerant keys (geonorm.skeleton) and the look-up of respelled names among a report's countries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitrep.gazetteer import Gazetteer
from sitrep.gazetteer.geoparser import _shipped
from sitrep.gazetteer.importer import import_file, remove_source
from sitrep.geonorm import name_key, skeletons


@pytest.mark.parametrize("a, b", [
    ("Jeser al- Shagour", "Jisr ash Shughur"),  # broken spacing, article, sh, ou/u, e/i
    ("Khan Shekhoun", "Khan Shaykhun"),  # kh, ei/ay, ou
    ("Maarrat Harmah", "Ma'arrat Hurmah"),  # doubled letters, ayn, -ah
    ("Om al-Sir", "Umm as Sir"),  # om/umm, articles
    ("Ebta'", "Ibta`"),  # hamza and ayn marks, e/i
    ("Bohatyr", "Bahatyr"),  # Ukrainian vowels
    ("Bohatyr", "Bogatyr"),  # Ukrainian h for Russian g
    ("Horlivka", "Gorlovka"),
    ("Kharkiv", "Kharkov"),  # kh, ii/o
    ("Zaporizhzhia", "Zaporozhye"),  # zh, ie/ye
    ("Sievierodonetsk", "Severodonetsk"),  # ts
    ("Kleban-Byk", "Klebanbyk"),  # a hyphenated name is one name
    ("Tombouctou", "Timbuktu"),  # French ou/u, c/k
    ("Djibo", "Jibo"),  # dj/j
    ("Ouagadougou", "Wagadugu"),
    ("Hmeimim", "Humaymim"),
])
def test_spellings_of_one_name_share_a_skeleton(a, b):
    assert set(skeletons(name_key(a))) & set(skeletons(name_key(b)))


@pytest.mark.parametrize("a, b", [("Homs", "Hama"), ("Saraqib", "Sarmada"), ("Kharkiv", "Kherson"), ("Gao", "Kidal")])
def test_different_names_keep_different_skeletons(a, b):
    assert not set(skeletons(name_key(a))) & set(skeletons(name_key(b)))


def found(gaz, text: str) -> dict:
    return {m.text: m.place for m in gaz.find(text)}


def test_a_respelled_name_is_read_among_the_reports_countries():
    gaz = _shipped()._clone()
    gaz._init_parser()
    got = found(gaz, "Regime forces shelled Jeser al- Shagour, Khan Shekhoun and Kafar Nasej in Idlib, Syria.")
    assert got["Jeser al- Shagour"].name == "Jisr ash Shughūr"
    # A report that points to no country has no places to respell a name as.
    assert "Jeser al- Shagour" not in found(gaz, "They shelled Jeser al- Shagour.") or \
        found(gaz, "They shelled Jeser al- Shagour.")["Jeser al- Shagour"] is None


def test_common_words_and_given_names_are_not_respelled_places():
    gaz = _shipped()._clone()
    gaz._init_parser()
    got = found(gaz, "In the US, However said so, and Myles went to Ohio.")
    assert got.get("However") is None and got.get("Myles") is None


def row(gid, name, lat, lon, cc, admin1) -> str:
    return "\t".join([str(gid), name, name, "", str(lat), str(lon), "P", "PPL", cc, "", admin1, "", "", "", "0",
                      "", "100", "UTC", "2024-01-01"])


def test_imported_names_are_respelled_through_their_skeletons(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SITREP_HOME", str(home))
    path = tmp_path / "ua.txt"
    path.write_text(row(4001, "Bahatyr", 47.995, 36.940, "UA", "14") + "\n", encoding="utf-8")
    import_file(path)
    got = found(Gazetteer.default(), "Russian shelling hit the village of Bohatyr in Donetsk Oblast, Ukraine.")
    assert (got["Bohatyr"].name, got["Bohatyr"].admin1) == ("Bahatyr", "Donetsk")
    # Removing the source removes its skeletons with it.
    assert remove_source("ua.txt")
    con = sqlite3.connect(home / "gazetteer.sqlite")
    assert con.execute("SELECT count(*) FROM skeletons").fetchone()[0] == 0
    con.close()


def test_the_shipped_skeleton_file_agrees_with_the_key_functions():
    from sitrep.gazetteer import Gazetteer
    from sitrep.gazetteer.fuzzy import country_skeletons, shipped_skeleton_table
    from sitrep.gazetteer.index import shipped_table

    shipped = shipped_skeleton_table()
    fresh = Gazetteer._from_file(shipped_table())  # a gazetteer of its own, not the one the process shares
    fresh.shipped = False  # computed from its rows, as for any gazetteer
    for cc in ("SY", "UA", "ML", "NG"):
        assert shipped[cc] == dict(country_skeletons(fresh, cc)), cc
