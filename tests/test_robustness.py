"""Robustness: hostile text, inputs and flags give a clear error or a result, never a traceback or a hang.

Each test below failed (traceback, hang, lost batch) before the fix it guards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitrep import inputs as inputs_mod
from sitrep.errors import InputError
from sitrep.gazetteer import Gazetteer
from sitrep.ingest import ingest
from sitrep.inputs import iter_reports
from sitrep.mentions import parse_quantity
from sitrep.pipeline import extract_text
from sitrep.sentences import _split_paragraph
from sitrep.settings import Settings, parse_date
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]
GOOD = "Title\n\nSyrian army shelling killed 4 civilians in Idlib on Friday, activists said."


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


# ------------------------------------------------------------------ text the extractor must survive

NASTY = {
    "empty": "",
    "nul": "Rebels killed 5 people in Aleppo.\x00 Then \x00\x00 more.",
    "rtl": "قتل خمسة أشخاص في حلب يوم الجمعة. \u200fRebels shelled حلب (Aleppo) on Friday.\u200e",
    "combining": "A\u0301le\u0300ppo re\u0308bels ki\u0301lled 5 ci\u0327vilians in I\u0307dlib.",
    "dotted_i": "İDLİB: İsrael airstrikes killed 5 people in İstanbul. İİİİ i̇dlib",
    "zero_width": "Reb\u200bels kil\u200cled 5 ci\u200dvilians in \ufeffAleppo\u2060 on Friday.",
    "line_ends": "Title\r\n\r\nRebels killed 5 in Aleppo.\rTroops shelled Idlib.\f\v\x85\u2028\u2029\tmore.",
    "only_punct": "!?.,;:()[]{}<>-—–…\"'“”‘’" * 200,
    "unbalanced_quotes": "Title\n\n“Rebels killed 5 in Aleppo, said " * 300,
    "dots_dashes_spaces": "." * 5000 + "-" * 5000 + " " * 5000 + "x",
    "short_lines": "\n".join("x" for _ in range(10_000)),
    "huge_number": "Title\n\nRebels killed 99999999999999999999 people in Aleppo on February 30.",
    "html": "<div class='x'>Rebels killed 5 <a href='http://a'>people</a> in Aleppo &amp; Idlib.</div>",
    "long_line": ("Rebels killed 5 civilians in Aleppo on Friday and troops shelled Idlib " * 300)[:20_000],
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_text_gives_events_and_places_with_true_offsets(name):
    text = NASTY[name]
    for date in (None, "2017-07-22"):
        for e in extract_text(text, date=date, include_all=True):
            json.dumps(e.to_dict(), ensure_ascii=False).encode("utf-8")
    for m in Gazetteer.default().find(text):
        assert 0 <= m.start <= m.end <= len(text) and text[m.start:m.end] == m.text


def test_a_run_of_abbreviations_is_split_in_linear_time():
    # Every "Mr." re-searched all text since the last split: 55 KB took 30 s.
    text = "Title\n\n" + "Mr. Gen. Dr. A. B. C. " * 2500
    t0 = time.perf_counter()
    extract_text(text)
    assert time.perf_counter() - t0 < 3
    line = "Gen. Smith met Mr. Jones on Jan. 3. U.S. troops left. They went home at 5 p.m. Then A.B.C.D. came."
    assert [line[s:e] for s, e in _split_paragraph(line)] == [
        "Gen. Smith met Mr. Jones on Jan. 3.", "U.S. troops left.", "They went home at 5 p.m.",
        "Then A.B.C.D. came."]


def test_casualty_counts_beyond_any_event_are_unknown_not_a_crash():
    assert parse_quantity("9" * 5000) is None  # int() refuses more than 4300 digits
    assert parse_quantity("99999999999999999999") is None
    assert parse_quantity("10,000,000") == 10_000_000
    assert parse_quantity("1,250") == 1250
    events = extract_text("Title\n\nAirstrikes killed " + "9" * 5000 + " people in Idlib on Friday.")
    assert events and all(e.fatalities is None for e in events)


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "2017-07-22banana", "2017-13-01", "banana"])
def test_impossible_report_dates_are_input_errors(bad):
    with pytest.raises(InputError):
        Settings(date=bad)


def test_timestamps_keep_their_day():
    assert parse_date("2017-07-22T10:00:00Z") == "2017-07-22"
    assert parse_date("2017-07-22 10:00") == "2017-07-22"


@pytest.mark.parametrize("date", ["1000-01-01", "2017-07-22", "9998-12-31"])
def test_dates_at_the_ends_of_the_calendar(tmp_path, date):
    # The report date - 7 days overflowed at 0001-01-01; an event on 9999-12-31 broke the store's merge window.
    text = ("Title\n\nOn Friday rebels killed 5 civilians in Aleppo. Yesterday troops shelled Idlib. "
            "On December 31, 9999 gunmen killed 3 people in Hama. On January 1, 0001 gunmen killed 4 people in Homs.")
    extract_text(text, date=date, include_all=True)
    summary = ingest([str(_write(tmp_path / "a.txt", text))], Store(tmp_path / "s.duckdb"), Settings(date=date))
    assert (summary.reports_new, summary.reports_failed) == (1, 0)


# ------------------------------------------------------------------ store and ingest

def test_undated_reports_with_undated_events_are_stored(tmp_path):
    # block_key files them under day "", and "report_date = ''" is no DATE: the whole ingest stopped.
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GOOD)
    b.write_text(GOOD.replace("activists said", "sources said"))
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([str(a), str(b)], store, Settings())
    assert (summary.reports_new, summary.reports_failed) == (2, 0)
    assert summary.events_new + summary.events_merged >= 2
    n = len(store.events())
    again = ingest([str(a), str(b)], store, Settings())
    assert (again.reports_seen, again.reports_failed) == (2, 0) and len(store.events()) == n


def test_since_longer_than_the_calendar_means_everything(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    ingest([str(_write(tmp_path / "a.txt", GOOD))], store, Settings(date="2017-07-22"))
    assert len(store.events(since="99999999999d")) == len(store.events()) > 0


def test_one_bad_jsonl_record_fails_alone_and_nothing_is_duplicated(tmp_path):
    records = [
        {"id": "surrogate", "text": "Title\n\nRebels killed 6 civilians in Idlib \ud800 on Friday."},
        {"id": "list-title", "text": GOOD, "title": ["not", "a", "string"]},
        {"id": "huge", "text": "Title\n\nAirstrikes killed 99999999999999999999 people in Raqqa.", "date": "2017-07-22"},
        {"id": "undated", "text": GOOD},
        {"id": "ok", "text": "Title\n\nTroops shelled Homs on Monday, killing 2.", "date": "2017-07-22"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    first = ingest([str(path)], store, Settings())
    assert (first.reports_new, first.reports_failed) == (3, 2), first.failures
    assert "lone surrogate" in first.failures[0] and "'title' must be a string" in first.failures[1]
    counts = store.counts()
    second = ingest([str(path)], store, Settings())
    assert (second.reports_seen, second.reports_failed, second.reports_new) == (3, 2, 0)
    assert store.counts() == counts


def test_a_value_the_store_cannot_hold_fails_that_report_only(tmp_path, monkeypatch):
    from sitrep import pipeline

    real = pipeline.process

    def overflowing(report, settings=None, pipeline=None):
        report = real(report, settings)
        if report.doc_id.endswith("a.txt"):
            for e in report.events:
                e.fatalities = 2 ** 40  # no INTEGER column holds it
        return report

    monkeypatch.setattr(pipeline, "process", overflowing)
    a = _write(tmp_path / "a.txt", GOOD)
    b = _write(tmp_path / "b.txt", "Title\n\nTroops shelled Homs on Monday, killing 2.")
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([str(a), str(b)], store, Settings(date="2017-07-22"))
    assert (summary.reports_new, summary.reports_failed) == (1, 1)
    assert "could not store" in summary.failures[0]
    assert store.counts()["reports"] == 1


# ------------------------------------------------------------------ inputs

def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _items(paths, settings=None):
    out = list(iter_reports([str(p) for p in paths], settings or Settings()))
    return [x for x in out if not isinstance(x, InputError)], [str(x) for x in out if isinstance(x, InputError)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_without_writer_is_refused_not_waited_on(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs_mod, "FIFO_WAIT", 0.2)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = _write(tmp_path / "good.txt", GOOD)
    t0 = time.perf_counter()
    reports, errors = _items([fifo, good])
    assert time.perf_counter() - t0 < 5
    assert [r.doc_id for r in reports] == [str(good)] and errors == [f"{fifo}: named pipe with no writer (waited 0.2 s)"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def write():
        with open(fifo, "w") as fh:
            fh.write(GOOD)

    threading.Thread(target=write, daemon=True).start()
    reports, errors = _items([fifo])
    assert not errors and reports[0].text == GOOD


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_with_a_trickling_writer_is_cut_off_and_the_rest_is_read(tmp_path):
    # The pipe was read with no limit: a writer sending a byte now and then held the batch for ever.
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    stop = threading.Event()

    def trickle():
        with open(fifo, "w") as fh:
            while not stop.is_set():
                fh.write("x")
                fh.flush()
                time.sleep(0.1)

    threading.Thread(target=trickle, daemon=True).start()
    good = _write(tmp_path / "good.txt", GOOD)
    t0 = time.monotonic()
    try:
        reports, errors = _items([fifo, good], Settings(read_seconds=0.5))
    finally:
        stop.set()
    assert time.monotonic() - t0 < 5
    assert [r.doc_id for r in reports] == [str(good)]
    assert errors == [f"{fifo}: not read to its end within 0.5 s (the time limit per input)"]


def test_stdin_that_never_ends_is_cut_off():
    proc = subprocess.Popen([sys.executable, "-m", "sitrep", "extract", "--read-seconds", "1", "-"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdin.write("Title\n\nRebels killed")
    proc.stdin.flush()  # and never closed
    try:
        proc.wait(timeout=60)
        err = proc.stderr.read()
    finally:
        proc.kill()
        proc.stdin.close()
    assert proc.returncode == 2 and err.splitlines() == ["sitrep: error: -: not read to its end within 1 s (the time limit per input)"]


def test_broken_links_and_devices_are_errors_and_the_rest_is_read(tmp_path):
    folder = tmp_path / "reports"
    (folder / "deep" / "er").mkdir(parents=True)
    good = _write(folder / "deep" / "er" / "good.txt", GOOD)
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "deep" / "loop").symlink_to(folder)  # not followed: no endless walk
    reports, errors = _items([folder, Path("/dev/zero")])
    assert [r.doc_id for r in reports] == [str(good)]
    assert errors == [f"{folder / 'gone.txt'}: broken symbolic link (to {tmp_path / 'missing.txt'})",
                      "/dev/zero: not a regular file"]


def test_jsonl_lines_of_every_kind(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": GOOD}).encode() + b"\n\n  \n[1, 2]\n"
        + json.dumps({"id": "null", "text": None}).encode() + b"\n"
        + json.dumps({"id": "big", "text": "x" * 5000}).encode() + b"\n{broken\n"
        + json.dumps({"id": "last", "text": GOOD + " Again."}).encode() + b"\n"
    )
    reports, errors = _items([path], Settings(max_bytes=1000))
    assert [r.doc_id for r in reports] == ["bom", "last"]
    assert errors == [
        f"{path}:4: expected an object with a string 'text'",
        f"{path}:5: expected an object with a string 'text'",
        f"{path}:6: line too large (limit 1,000 bytes)",
        f"{path}:7: malformed JSON line (JSONDecodeError)",
    ]


# ------------------------------------------------------------------ command line

@pytest.mark.parametrize("args, message", [
    (["places", "--country", "XX", "README.md"], "unknown --country 'XX'"),
    (["extract", "--date", "2017-07-22banana", "README.md"], "invalid date '2017-07-22banana'"),
    (["extract", "--format", "xml", "README.md"], "unsupported --format 'xml'"),
    (["ingest", "--allow-network", "banana", "--db", "/nonexistent/x.duckdb", "http://news.invalid/"],
     "invalid network 'banana'"),
    (["events", "--since", "banana", "--db", "/nonexistent/x.duckdb"], None),
    (["brief", "--date", "2017-13-01", "--db", "/nonexistent/x.duckdb"], None),
])
def test_bad_flags_give_one_line_and_a_non_zero_exit(args, message):
    proc = run_cli(*args)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sitrep: error: ")
    if message:
        assert message in lines[0]


def test_places_country_accepts_names_and_any_case(tmp_path):
    doc = _write(tmp_path / "a.txt", GOOD)
    outs = {c: run_cli("places", "--country", c, str(doc)) for c in ("SY", "sy", "Syria")}
    assert all(p.returncode == 0 for p in outs.values())
    assert outs["SY"].stdout == outs["sy"].stdout == outs["Syria"].stdout != ""


def test_cli_surrogate_record_fails_alone(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "s", "text": "Rebels killed 5 in Aleppo \ud800."}) + "\n"
                    + json.dumps({"id": "ok", "text": GOOD}) + "\n", encoding="utf-8")
    proc = run_cli("extract", str(path), "--date", "2017-07-22")  # dated: no warning beside the error
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"sitrep: error: {path}:1: 'text' is not valid Unicode (lone surrogate at character 26)"]
    assert proc.stdout and all(json.loads(line)["doc_id"] == "ok" for line in proc.stdout.splitlines())


def test_web_post_with_a_lone_surrogate_is_refused(tmp_path):
    from fastapi.testclient import TestClient

    from sitrep.web import create_app

    Store(tmp_path / "w.duckdb").release()
    client = TestClient(create_app(tmp_path / "w.duckdb", token="t"), base_url="http://localhost")
    r = client.post("/api/reports", content=b'{"text": "Rebels killed 5 in Aleppo \\ud800."}',
                    headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
    assert r.status_code == 422 and "valid string" in r.json()["detail"][0]["msg"]
