"""`sitrep demo` on a fresh folder: ingests the samples (and the seed when present), writes the brief and the map."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.demo import find_seed


def test_demo_writes_brief_and_map(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--db", str(tmp_path / "demo.duckdb")])
    assert result.exit_code == 0, result.output
    brief, mp = tmp_path / "brief.html", tmp_path / "map.html"
    assert brief.is_file() and mp.is_file()
    assert str(brief.resolve()) in result.output.replace("\n", "")
    html = brief.read_text("utf-8")
    assert "situation brief" in html and "Control changes" in html
    m = mp.read_text("utf-8")
    # Offline: Leaflet is inlined, nothing is loaded from a CDN.
    assert "L.circleMarker" in m and "L.markerClusterGroup" in m
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?://""", m)
    data = json.loads(re.search(r"window\.SITREP_DATA = (\{.*?\});</script>", m).group(1))
    assert len(data["id"]) >= 5 and len(data["lat"]) == len(data["id"])
    if find_seed():
        assert "syria-last-24-hours.txt" in result.output
        assert "FNA" in html and "SANA" in html and "SOHR" in html
    # Running it again adds nothing.
    again = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--db", str(tmp_path / "demo.duckdb")])
    assert again.exit_code == 0 and "0 reports new" in again.output.replace("\n", " ")


def test_brief_and_map_commands(tmp_path):
    db = str(tmp_path / "d.duckdb")
    assert CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--db", db]).exit_code == 0
    r = CliRunner().invoke(app, ["brief", "--date", "2017-07-22", "--db", db])
    assert r.exit_code == 0 and r.output.startswith("# ") and "## Control changes" in r.output
    out = tmp_path / "b.html"
    r = CliRunner().invoke(app, ["brief", "--date", "2017-07-22", "--format", "html", "-o", str(out), "--db", db])
    assert r.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")
    r = CliRunner().invoke(app, ["map", "-o", str(tmp_path / "m.html"), "--db", db])
    assert r.exit_code == 0 and (tmp_path / "m.html").stat().st_size > 100_000
    bad = CliRunner().invoke(app, ["brief", "--format", "pdf", "--db", db])
    assert bad.exit_code == 2
