"""Scoring like an outsider: an event matches only when its type and evidence line agree; sets add up."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.evaluate import evaluate, format_sets, gold_files
from sitrep.errors import GoldError
from sitrep.score import load_gold, score

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

REPORT = """Shelling and a raid
Artillery shelled the village of Kafr Dara on Monday, killing two civilians.
Police arrested five opposition activists in the capital.
"""

GOLD = """document: r1.txt
assumed_publication_date: 2024-03-04
actors:
  ARMY: {name: "Military Forces of Syria"}
events:
  - {id: E1, line: 2, quote: "Artillery shelled", event_type: Explosions/Remote violence,
     sub_event_type: Shelling/artillery/missile attack, actor1: ARMY, actor2: null, location: Kafr Dara,
     lat: null, lon: null, admin1: null, geo_precision: 1, fatalities: 2, modality: asserted}
  - {id: E2, line: 3, quote: "Police arrested", event_type: Strategic developments, sub_event_type: Arrests,
     actor1: null, actor2: null, location: Damascus, lat: 33.51, lon: 36.29, admin1: Damascus,
     geo_precision: 1, fatalities: null, modality: asserted}
"""


def _pred(line: int, event_type: str, sub: str, **extra) -> dict:
    return {"event_type": event_type, "sub_event_type": sub, "evidence": [{"line": line}], **extra}


@pytest.fixture
def gold_set(tmp_path: Path) -> Path:
    (tmp_path / "gold").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "gold" / "r1.yaml").write_text(GOLD, encoding="utf-8")
    (tmp_path / "reports" / "r1.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def test_a_line_match_of_another_event_type_is_no_match(gold_set):
    gold = load_gold(gold_set / "gold" / "r1.yaml")
    res = score(gold, [_pred(2, "Violence against civilians", "Attack"),
                       _pred(3, "Strategic developments", "Arrests")])
    assert (res.tp, res.fp, res.fn) == (1, 1, 1)
    assert res.matched[0][1].id == "E2"


def test_a_set_is_scored_from_its_gold_and_reports_folders(gold_set):
    seen = []

    def extract(text, date, doc_id):
        seen.append((date, doc_id, text.splitlines()[1][:9]))
        return [_pred(2, "Explosions/Remote violence", "Shelling/artillery/missile attack", fatalities=2)]

    sets = evaluate([gold_set], extract)
    assert seen == [("2024-03-04", "r1.txt", "Artillery")]
    t = sets[0].totals()
    assert (t["tp"], t["fp"], t["fn"]) == (1, 0, 1)
    assert t["precision"] == 1.0 and t["recall"] == 0.5
    assert t["accuracy"]["fatalities_exact"] == (1.0, 1)
    out = format_sets(sets, verbose=True)
    assert "missed E2" in out and "F1 0.667" in out


def test_a_missing_report_or_an_empty_folder_is_a_one_line_gold_error(tmp_path):
    (tmp_path / "x.yaml").write_text(GOLD, encoding="utf-8")
    with pytest.raises(GoldError, match="r1.txt"):
        evaluate([tmp_path], lambda *a: [])
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldError, match="no gold files"):
        gold_files(tmp_path / "empty")


def test_eval_command_prints_rows_and_totals_of_a_set(gold_set):
    proc = subprocess.run([sys.executable, "-m", "sitrep", "eval", str(gold_set), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    totals = json.loads(proc.stdout)[gold_set.name]
    assert totals["gold_events"] == 2 and totals["reports"] == 1


@pytest.mark.skipif(not REAL.is_dir(), reason="the real reports of ../shared/corpus/real are not beside the checkout")
def test_every_real_report_is_read_and_scored():
    sets = evaluate([REAL], lambda text, date, doc_id: [])
    t = sets[0].totals()
    assert t["reports"] == 36 and t["gold_events"] == 165 and t["tp"] == 0
