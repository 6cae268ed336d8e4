"""Inputs that do not fail but would disappoint: no date, not English, no outlet; the version; progress totals."""

from __future__ import annotations

import io
import json

import pandas as pd
from typer.testing import CliRunner

from sitrep import __version__
from sitrep.cli import app
from sitrep.export import export_string
from sitrep.language import looks_english
from sitrep.model import Report
from sitrep.notices import check_report, fallback_outlet
from sitrep.pipeline import process
from sitrep.progress import count_documents
from sitrep.store import Store

ENGLISH = ("Clashes between the army and an armed group killed five people near Homs on Friday, "
           "according to local sources. The fighting continued into the evening and several houses "
           "were destroyed, the sources said. It was the third such attack this week in the area.")
FRENCH = ("Des affrontements ont éclaté samedi entre l'armée et des hommes armés près de Mopti, faisant au "
          "moins douze morts selon des sources locales. Les combats se sont poursuivis jusqu'en fin "
          "d'après-midi dans la région, a indiqué un responsable de la sécurité. Plusieurs villages ont "
          "été incendiés et des centaines de personnes ont fui vers la ville voisine.")
ARABIC = ("اندلعت اشتباكات يوم السبت بين الجيش ومسلحين قرب مدينة حمص مما أسفر عن مقتل اثني عشر شخصا "
          "على الأقل بحسب مصادر محلية وقال مسؤول أمني إن المعارك استمرت حتى المساء في المنطقة وفر مئات "
          "الأشخاص إلى المدينة المجاورة بعد احتراق عدة قرى في ريف المحافظة الشرقي")


def test_language_check():
    assert looks_english(ENGLISH)
    assert not looks_english(FRENCH) and not looks_english(ARABIC)
    assert looks_english("Explosion in Homs.")  # too short to judge: no warning


def test_notices_of_a_report():
    r = Report(text=FRENCH, doc_id="fr.txt")
    notes = check_report(r)
    assert len(notes) == 2 and "no report date" in notes[0] and "English only" in notes[1]
    assert r.warnings == notes
    assert check_report(Report(text=ENGLISH, doc_id="en.txt"), date="2020-01-01") == []


def test_cli_warns_once_per_kind(tmp_path):
    for i in range(5):
        (tmp_path / f"fr{i}.txt").write_text(FRENCH, "utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, "utf-8")
    r = CliRunner().invoke(app, ["extract", str(tmp_path)])
    assert r.exit_code == 0
    err = r.stderr
    assert err.count("no report date") == 1 and "and 5 more documents without a date" in err
    assert err.count("does not look like English") == 3 and "and 2 more documents that do not look English" in err
    quiet = CliRunner().invoke(app, ["extract", str(tmp_path / "en.txt"), "--date", "2020-01-01"])
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr


def test_unnamed_outlet_becomes_host_or_file_name(tmp_path):
    assert fallback_outlet(Report(text="x", doc_id="a", url="https://www.example.org/news/1")) == "example.org"
    assert fallback_outlet(Report(text="x", doc_id="/data/reports/homs-clash.txt")) == "homs-clash.txt"
    assert fallback_outlet(Report(text="x", doc_id="-")) is None
    assert fallback_outlet(Report(text="x", doc_id="U.S. strikes Houthi targets")) is None
    r = process(Report(text=ENGLISH, doc_id=str(tmp_path / "homs.txt"), date="2020-01-03"))
    assert r.events and r.source is None  # the report names no outlet, so none is counted for merging
    assert {e.source for e in r.events} == {"homs.txt"}
    s = Store(tmp_path / "s.duckdb")
    s.add_report(r, r.events)
    df = pd.read_csv(io.StringIO(export_string(s.events(), "csv")))
    assert set(df.source) == {"homs.txt"} and set(df.corroboration) == {1}
    assert set(df.time_precision) == {1}
    named = process(Report(text=ENGLISH, doc_id="x.txt", date="2020-01-03", source="SANA"))
    assert {e.source for e in named.events} == {"SANA"}


def test_version():
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"sitrep {__version__}"


def test_document_counts_for_the_progress_bar(tmp_path):
    (tmp_path / "d").mkdir()
    for name in ("a.txt", "b.html", ".hidden"):
        (tmp_path / "d" / name).write_text("x")
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps({"id": i, "text": "x"}) for i in range(7)) + "\n\n")
    one = tmp_path / "one.txt"
    one.write_text("x")
    assert count_documents([str(tmp_path / "d"), str(docs), str(one), "https://example.org/a"]) == 2 + 7 + 1 + 1
    assert count_documents(["-"]) is None
    assert count_documents([str(one)], feeds=["https://example.org/feed"]) is None
