"""The containing place: the province a sentence, its paragraph or its section heading names decides
between namesakes in different provinces.  Imports go to each test's own SITREP_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.gazetteer import Gazetteer
from sitrep.gazetteer.importer import import_file


def row(gid, name, lat, lon, admin1, cc="SY", pop=0) -> str:
    cols = [str(gid), name, name, "", str(lat), str(lon), "P", "PPL", cc, "", admin1, "", "", "", str(pop),
            "", "100", "UTC", "2024-01-01"]
    return "\t".join(cols)


@pytest.fixture()
def gaz(tmp_path: Path, monkeypatch) -> Gazetteer:
    monkeypatch.setenv("SITREP_HOME", str(tmp_path / "home"))
    path = tmp_path / "places.txt"
    path.write_text("\n".join([
        row(3001, "Kafr Amim", 35.70, 36.80, "12"),  # Idlib
        row(3002, "Kafr Amim", 35.30, 37.00, "10"),  # Hama
        row(3003, "Tall Qarwan", 36.37, 37.18, "09"),  # near Aleppo, far from the Qalamoun
    ]) + "\n", encoding="utf-8")
    import_file(path)
    return Gazetteer.default()


def place_of(gaz: Gazetteer, text: str, name: str):
    return next(m.place for m in gaz.find(text) if m.text == name)


@pytest.mark.parametrize("text, admin1", [
    ("Regime shelling hit Kafr Amim in the southern countryside of Idlib on Monday.", "Idleb"),
    ("Regime shelling hit Kafr Amim in the eastern countryside of Hama on Monday.", "Hama"),
])
def test_the_sentence_names_the_province(gaz, text, admin1):
    assert place_of(gaz, text, "Kafr Amim").admin1 == admin1


def test_the_paragraph_names_the_province(gaz):
    text = ("Fighting went on in northern Hama on Monday. Regime forces shelled Kafr Amim and the hills around it.\n"
            "In Idlib, jets struck a market.")
    assert place_of(gaz, text, "Kafr Amim").admin1 == "Hama"


def test_a_section_heading_names_the_province(gaz):
    text = "Idlib\nRegime forces shelled Kafr Amim on Monday, activists said.\n"
    assert place_of(gaz, text, "Kafr Amim").admin1 == "Idleb"
    text = "Hama\nRegime forces shelled Kafr Amim on Monday, activists said.\n"
    assert place_of(gaz, text, "Kafr Amim").admin1 == "Hama"


def test_a_village_far_from_the_named_province_with_no_namesake_there_is_unknown(gaz):
    # Read alone, Tall Qarwan is the village near Aleppo ...
    assert place_of(gaz, "Regime forces shelled Tall Qarwan, Syria, on Monday.", "Tall Qarwan").admin1 == "Aleppo"
    # ... but a Qalamoun paragraph's Tall Qarwan is a hill the gazetteer lacks, 250 km south.
    text = "Hezbollah units deployed in Western Qalamoun opened fire at positions in Tall Qarwan, Syria."
    assert place_of(gaz, text, "Tall Qarwan") is None


def test_a_town_is_named_from_another_province(gaz):
    # Palmyra (Homs) beside Deir Ezzur province: a town, not a village whose province the sentence names.
    text = "The army advanced on the road from Palmyra to Deir Ezzur province, Syria."
    assert place_of(gaz, text, "Palmyra").admin1 == "Homs"
