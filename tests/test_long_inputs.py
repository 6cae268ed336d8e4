"""Long documents: work grows about linearly with the text, and a document over its budget fails alone.

Work is counted as Python line events (sys.settrace), not seconds, so the checks hold on a loaded machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitrep import mentions
from sitrep.budget import Overrun, run_within
from sitrep.errors import BudgetError
from sitrep.ingest import ingest
from sitrep.mentions import find_numbers
from sitrep.model import Report
from sitrep.settings import Settings
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]

COUNTS = "12 killed 7 wounded 3 dead 45 injured "  # one long sentence full of casualty counts


def _line_events(fn, *args) -> int:
    """How many lines of sitrep.mentions run while fn(*args) runs."""
    n = 0
    target = mentions.__file__

    def tracer(frame, event, arg):
        nonlocal n
        if frame.f_code.co_filename != target:
            return None
        if event == "line":
            n += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return n


def test_counts_in_one_long_sentence_are_found_in_linear_work():
    # Each count was checked against every earlier one: 74 s of CPU for a 1 MB sentence.
    small, large = COUNTS * 250, COUNTS * 1000
    found = find_numbers(large)
    assert len(found) == 4000 and {m.value for m in found} == {12, 7, 3, 45}
    ratio = _line_events(find_numbers, large) / _line_events(find_numbers, small)
    assert ratio < 5, ratio  # 4 times the text, about 4 times the work (the quadratic path gave 16)


# ------------------------------------------------------------------ the time budget per document

def _endless(report):
    while True:  # a stage that never ends, as a super-linear step on a pathological text behaves
        pass


def _slow_pipeline():
    from sitrep.pipeline import Pipeline, default_pipeline

    base = default_pipeline()
    pipe = Pipeline(gazetteer=base.gazetteer, actors=base.actors)
    pipe(Report(text="Title\n\nTroops shelled Idlib.", doc_id="first"), seconds=30)  # warmed up before the endless stage
    pipe.stages.insert(3, ("endless", _endless))
    return pipe


@pytest.mark.parametrize("where", ["main thread", "other thread"])
def test_a_document_over_its_time_budget_is_stopped_with_one_line(where):
    pipe = _slow_pipeline()
    outcome: list = []

    def run():
        try:
            pipe(Report(text="Title\n\nRebels killed 5 civilians in Aleppo.", doc_id="slow.txt"), seconds=0.3)
        except BudgetError as exc:
            outcome.append(str(exc))

    t0 = time.monotonic()
    if where == "main thread":
        run()
    else:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join(10)
        assert not worker.is_alive()
    assert time.monotonic() - t0 < 10  # stopped, not run for ever
    assert outcome == ["slow.txt: stopped after 0.3 s, the time budget per document (in stage 'endless'); it is left out"]
    # The same pipeline within its budget, and no stray exception left behind for later code.
    del pipe.stages[3]
    assert pipe(Report(text="Title\n\nRebels killed 5 civilians in Aleppo.", doc_id="ok"), seconds=5).events
    time.sleep(0.4)


def test_a_budget_that_ends_with_its_block_raises_nothing_later():
    stopped = 0
    for _ in range(200):
        try:
            run_within(0.001, sum, range(20000), again=0.001)
        except Overrun:
            stopped += 1  # the block itself ran out (a loaded machine): that is the budget working
        time.sleep(0.002)  # a watcher left running, or a pending exception, would raise here
    time.sleep(0.05)
    assert stopped < 200


def test_the_slow_document_fails_alone_and_the_batch_goes_on(tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text("Title\n\n" + "Rebels killed 5 civilians in Aleppo on Friday. Troops shelled Idlib. " * 15000)
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nSyrian army shelling killed 4 civilians in Idlib on Friday, activists said.")
    proc = subprocess.run([sys.executable, "-m", "sitrep", "extract", "--max-seconds", "0.2", "--date", "2017-07-22",
                           str(slow), str(good)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"sitrep: error: {slow}: stopped after 0.2 s, the time budget per document (in stage ")
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events and {e["doc_id"] for e in events} == {str(good)}
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([str(slow), str(good)], store, Settings(date="2017-07-22", max_seconds=0.2))
    assert (summary.reports_new, summary.reports_failed) == (1, 1)
    assert "the time budget per document" in summary.failures[0]
    assert store.counts()["reports"] == 1
