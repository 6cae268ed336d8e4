"""Resolve and dedup: the typed hand-off between them and the coding conventions they apply."""

from sitrep.dedup import dedup
from sitrep.model import Report
from sitrep.pipeline import default_pipeline

TWO_TELLINGS = ("Gunmen killed five villagers in Kauru, Kaduna State, on Monday.\n\n"
                "The army said troops clashed with bandits in Birnin Gwari on Monday.\n\n"
                "Police said the gunmen who killed the villagers in Kauru on Monday also abducted two women.")


def _run(text: str, date: str = "2024-05-06") -> Report:
    return default_pipeline()(Report(text=text, doc_id="t", date=date))


def test_every_draft_carries_the_event_resolve_coded_from_it():
    report = _run(TWO_TELLINGS)
    assert len(report.drafts) == 3
    assert [d.event for d in report.drafts] == report.candidates
    assert all(d.event.evidence[0].line == d.sentence.line for d in report.drafts)


def test_dedup_pairs_tellings_with_events_through_the_link_not_by_position():
    report = _run(TWO_TELLINGS)
    before = [e.to_dict() for e in report.events]
    assert [[ev["line"] for ev in e["evidence"]] for e in before] == [[1, 5], [3]]
    report.candidates.reverse()  # the list's order says nothing: each draft names its own event
    report.events = []
    assert [e.to_dict() for e in dedup(report).events] == before
