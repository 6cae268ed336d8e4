"""The reports written for testing (tests/written) as a regression guard: every one is read without an
internal error, their no-event reports gain no more than a few stray events, and the events found still
match the hand-coded gold about as well as they did when the guard was set (F1 0.75 over the five sets;
texts written to be coded are tidier than real news, so this is no accuracy figure)."""

from pathlib import Path

import pytest

from sitrep.evaluate import evaluate, totals
from sitrep.model import Report
from sitrep.pipeline import default_pipeline

SETS = sorted((Path(__file__).parent / "written").glob("set*"))


@pytest.fixture(scope="module")
def results():
    pipe = default_pipeline()

    def extract(text, date, doc_id):
        return [e.to_dict() for e in pipe(Report(text=text, doc_id=doc_id, date=date)).events]

    return evaluate(SETS, extract)


def test_the_written_sets_still_match_their_gold(results):
    assert len(SETS) == 5
    every = [r for s in results for r in s.reports]
    assert len(every) == 72
    t = totals(every)
    assert t["f1"] >= 0.70, t
    assert t["planned_or_background_coded"] <= 20, t
    assert t["loaded_terms_in_notes"] == 0


def test_no_event_reports_stay_nearly_empty(results):
    negatives = [r for s in results for r in s.reports if r.kind != "event"]
    assert len(negatives) >= 10
    assert totals(negatives)["fp"] <= 7
