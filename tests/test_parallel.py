"""Extraction on a Dask cluster: same store as a serial ingest, input order kept, errors passed on."""

import json
import os
import time
from itertools import count
from pathlib import Path

import pytest

from sitrep.errors import InputError, SitrepError
from sitrep.ingest import ingest
from sitrep.parallel import WINDOW_PER_WORKER, dask_client, map_on_client, parallel_map
from sitrep.settings import Settings
from sitrep.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = CORPUS / "seed" / "syria-last-24-hours.txt"
CASE = CORPUS / "case2021" / "dev.jsonl"

needs_corpus = pytest.mark.skipif(not (SEED.exists() and CASE.exists()), reason="shared corpus not beside the checkout")


def square_with_pid(item):
    """A worker's answer that says which process gave it; errors come back untouched."""
    if isinstance(item, SitrepError):
        return item
    time.sleep(0.002)  # a little work, so that every worker gets a share
    return item * item, os.getpid()


def fail_on_13(item):
    if item == 13:
        raise ValueError("thirteen")
    return item


def small_corpus(path: Path) -> None:
    """~20 real reports: the seed whole, seed sections, CASE snippets; one repeat and one bad line."""
    seed = SEED.read_text(encoding="utf-8")
    paras = [p for p in seed.split("\n\n") if p.strip()]
    snippets = [json.loads(line) for line in CASE.read_text(encoding="utf-8").splitlines()]
    conflict = [s["text"] for s in snippets if s.get("sub_event_type")]
    lines = [{"id": "seed", "date": "2017-07-22", "source": "Fars News Agency", "text": seed}]
    for i in range(6):
        lines.append({"id": f"seed-part-{i}", "date": "2017-07-22", "source": "SANA",
                      "text": "\n\n".join(paras[i * 6:(i + 1) * 6])})
    for i in range(11):
        lines.append({"id": f"case-{i}", "date": f"2021-02-{i + 1:02d}", "source": "Reuters",
                      "text": "\n\n".join(conflict[i * 2:(i + 1) * 2])})
    lines.append({"id": "repeat", "date": "2021-02-01", "source": "Reuters", "text": lines[8]["text"]})
    with path.open("w", encoding="utf-8") as fh:
        for i, rec in enumerate(lines):
            fh.write(json.dumps(rec) + "\n")
            if i == 10:
                fh.write("{not json\n")


def store_tables(path: Path) -> dict[str, list[tuple]]:
    """Every stored row that an ingest decides, without the wall-clock timestamps."""
    store = Store(path, read_only=True)
    return {
        "reports": store.query("SELECT * EXCLUDE (ingested_at) FROM reports ORDER BY id"),
        "report_events": store.query("SELECT * FROM report_events ORDER BY member_id"),
        "mentions": store.query("SELECT * FROM mentions ORDER BY ALL"),
        "events": store.query("SELECT * EXCLUDE (updated_at) FROM events ORDER BY event_id"),
    }


@needs_corpus
def test_any_worker_count_and_batch_size_store_what_serial_ingest_stores(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    small_corpus(corpus)
    runs = {"serial": {}, "2 workers": {"workers": 2}, "4 workers, batches of 3": {"workers": 4, "batch": 3},
            "batches of 1": {"batch": 1}, "batches of 7": {"batch": 7}}
    summaries, tables = {}, {}
    for name, kw in runs.items():
        db = tmp_path / f"{name}.duckdb"
        summaries[name] = ingest([str(corpus)], Store(db), Settings(), batch_seconds=None, **kw)
        tables[name] = store_tables(db)
    serial = summaries["serial"]
    assert serial.reports_new == 18 and serial.reports_seen == 1 and serial.events_new > 0
    assert summaries["2 workers"].line() == serial.line()  # same batches, same counts
    assert tables["serial"]["events"], "the corpus should give events, or the comparison proves nothing"
    for name in runs:
        assert summaries[name].failures == serial.failures and len(serial.failures) == 1
        assert summaries[name].reports_new == 18
        for table in tables["serial"]:
            assert tables[name][table] == tables["serial"][table], (name, table)

    # A second parallel run finds every report already stored and extracts nothing.
    again = ingest([str(corpus)], Store(tmp_path / "2 workers.duckdb"), Settings(), workers=2)
    assert again.reports_new == 0 and again.reports_seen == 19
    assert store_tables(tmp_path / "2 workers.duckdb") == tables["serial"]


@pytest.mark.parametrize("pool", ["process", "dask"])
def test_parallel_map_keeps_input_order_and_passes_errors(pool):
    items = [InputError(f"bad {i}") if i % 5 == 0 else i for i in range(200)]
    out = list(parallel_map(square_with_pid, items, workers=2, batch=4, pool=pool))

    assert len(out) == len(items)
    for item, got in zip(items, out):
        if isinstance(item, InputError):
            assert isinstance(got, InputError) and str(got) == str(item)
        else:
            assert got[0] == item * item
    assert len({got[1] for got in out if isinstance(got, tuple)}) == 2, "both workers should have worked"
    assert os.getpid() not in {got[1] for got in out if isinstance(got, tuple)}


@pytest.mark.parametrize("pool", ["process", "dask"])
def test_parallel_map_raises_a_workers_exception_in_place(pool):
    seen = []
    with pytest.raises(ValueError, match="thirteen"):
        for x in parallel_map(fail_on_13, range(40), workers=1, batch=5, pool=pool):
            seen.append(x)
    # Everything before the failing item's batch comes out, in order; nothing after it.
    assert seen == list(range(len(seen))) and 13 - 5 <= len(seen) < 13


def test_input_is_pulled_a_bounded_window_ahead():
    pulled = count()

    def stream():
        for i in range(100_000):
            next(pulled)
            yield i

    batch = 8
    with dask_client(workers=2) as client:
        results = map_on_client(client, square_with_pid, stream(), batch=batch)
        first = [next(results) for _ in range(50)]
        ahead = next(pulled)
        results.close()
    assert [x for x, _ in first] == [i * i for i in range(50)]
    # 50 results consumed: at most the batches up to there plus one window of batches in flight.
    assert ahead <= 50 + (WINDOW_PER_WORKER * 2 + 1) * batch + 1


@needs_corpus
def test_extract_command_prints_the_same_events_with_two_workers(tmp_path):
    import subprocess
    import sys

    corpus = tmp_path / "corpus.jsonl"
    small_corpus(corpus)
    root = Path(__file__).resolve().parents[1]

    def run(*flags):
        return subprocess.run([sys.executable, "-m", "sitrep", "extract", str(corpus), *flags],
                              capture_output=True, text=True, cwd=root, timeout=120)

    serial, parallel = run(), run("--workers", "2")
    assert serial.returncode == parallel.returncode == 2  # the malformed line is reported, the rest extracted
    assert parallel.stdout == serial.stdout and serial.stdout.count("\n") > 10
    assert parallel.stderr == serial.stderr and "malformed JSON" in serial.stderr
