"""The brief of the seed report (plus the shipped samples): neutral voice, every item attributed, nothing planned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sitrep.brief import build_brief, neutral_phrase, period_text, render_html, render_markdown
from sitrep.demo import sample_files
from sitrep.ingest import ingest
from sitrep.settings import Settings
from sitrep.store import Store

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed"
SEED = SEED_DIR / "syria-last-24-hours.txt"
GOLD = SEED_DIR / "gold.yaml"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"shared corpus not found at {SEED_DIR}")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    s = Store(tmp_path_factory.mktemp("brief") / "s.duckdb")
    with sample_files() as samples:
        inputs = [str(p) for p in samples] + ([str(SEED)] if SEED.is_file() else [])
        summary = ingest(inputs, s, Settings(date="2017-07-22", source="FNA"))
    assert summary.reports_failed == 0, summary.failures
    return s


@pytest.fixture(scope="module")
def gold() -> dict:
    return yaml.safe_load(GOLD.read_text("utf-8"))


def _own_voice(md: str) -> str:
    """The brief without its outlet notes (where each outlet's own words are listed as such)."""
    return md.split("## Outlet notes")[0] + md.split("## Totals")[-1]


@needs_seed
def test_brief_uses_no_loaded_term_of_the_seed(store, gold):
    brief = build_brief(store, date="2017-07-22")
    md = render_markdown(brief)
    assert brief.total_events >= 10
    own = _own_voice(md)
    for term in gold["loaded_terms"]:
        assert not re.search(rf"(?i)\b{re.escape(term)}", own), f"brief uses loaded term {term!r}"
    # The HTML says the same things: check its text, less the outlet notes table.
    html = render_html(brief)
    html_own = re.sub(r"<[^>]+>", " ", html.split('id="outlets"')[0])
    for term in gold["loaded_terms"]:
        assert not re.search(rf"(?i)\b{re.escape(term)}", html_own), f"HTML brief uses loaded term {term!r}"


@needs_seed
def test_outlet_notes_list_the_seed_loaded_terms_with_counts(store, gold):
    brief = build_brief(store, date="2017-07-22")
    fna = next(o for o in brief.outlets if o.outlet == "FNA")
    terms = dict(fna.terms)
    assert terms.get("terrorists", 0) >= 10  # the seed says "terrorists" on most lines
    assert any("liberat" in t for t in terms)
    assert fna.reports == 1 and fna.events >= 10


@needs_seed
def test_every_item_is_attributed_to_an_outlet(store):
    brief = build_brief(store, date="2017-07-22")
    outlets = {"FNA", "SANA", "SOHR"}
    for it in brief.items:
        assert it.sources and set(it.sources) <= outlets
        assert any(it.attribution.startswith(o) or f"; {o}" in it.attribution for o in it.sources), it.attribution
        assert it.corroboration == len(set(it.sources))
    md = render_markdown(brief)
    n_items = md.count("- **", md.index("## Control changes") + 1, md.index("## Single-source claims"))
    assert md.count("Reported by ") >= n_items  # one attribution per listed item, control changes included
    # The seed's "field sources" survive as attribution in the neutral form.
    assert "FNA, citing field sources" in md


@needs_seed
def test_brief_lists_nothing_planned(store, gold):
    planned = {e["line"] for e in gold["not_events"] if e["modality"] == "planned"}
    assert planned  # lines 35, 76, 95, 172 in the gold
    asserted_lines = {e["line"] for e in gold["events"]}
    only_planned = planned - asserted_lines
    brief = build_brief(store, date="2017-07-22", evidence=True)
    for it in brief.items:
        for q in it.evidence:
            if q.source == "FNA":
                assert q.line not in only_planned, f"planned claim on line {q.line} listed: {q.text}"
    md = render_markdown(build_brief(store, date="2017-07-22"))
    for word in ("expected to", "plans to", "will ", "intends"):
        assert word not in md.split("## Outlet notes")[0]
    # The SANA sample's "plans to continue its operations towards Deir Ezzor" is not an event either.
    assert all("plan" not in it.note.lower() for it in brief.items)


def test_corroborated_events_rank_and_show_their_outlets(store):
    brief = build_brief(store, date="2017-07-22")
    corroborated = [it for it in brief.items if it.corroboration > 1]
    assert corroborated, "the samples retell seed events; some must merge across outlets"
    for it in corroborated:
        assert len(it.sources) == it.corroboration
        for s in it.sources:
            assert s in it.attribution
    single = {it.event_id for it in brief.single_source}
    assert all(it.event_id not in single for it in corroborated)
    for sec in brief.sections:
        keys = [(not i.territory, -(i.fatalities or 0), -i.corroboration) for i in sec.items]
        assert keys == sorted(keys), f"{sec.title} items not most significant first"


def test_control_changes_and_totals_add_up(store):
    brief = build_brief(store, date="2017-07-22")
    assert brief.control_changes
    assert all(it.territory for it in brief.control_changes)
    assert sum(n for n, _ in brief.totals_by_type.values()) == brief.total_events == len(brief.items)
    assert sum(f for _, f in brief.totals_by_type.values()) == brief.total_fatalities
    md = render_markdown(brief)
    for heading in ("## Control changes", "## Single-source claims", "## Outlet notes", "## Totals"):
        assert heading in md


def test_html_brief_is_self_contained_and_printable(store):
    html = render_html(build_brief(store, date="2017-07-22"))
    assert "@media print" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_country_filter_and_empty_period(store):
    lebanon = build_brief(store, date="2017-07-22", country="Lebanon")
    assert all(it.country == "Lebanon" for it in lebanon.items)
    empty = build_brief(store, date="1999-01-01")
    assert empty.total_events == 0
    assert "No events are stored for this period." in render_markdown(empty)


def test_neutral_phrase_and_period_text():
    assert neutral_phrase("Field sources") == "field sources"
    assert neutral_phrase("Another military source") == "a military source"
    from sitrep.actors import LoadedTerms

    rephrased = neutral_phrase("news websites affiliated to the terrorist groups")
    assert rephrased and not LoadedTerms.default().find(rephrased)
    assert neutral_phrase("SANA") == "SANA"
    assert period_text("2017-07-21", "2017-07-22") == "21–22 July 2017"
    assert period_text("2017-06-30", "2017-07-02") == "30 June – 2 July 2017"


# ------------------------------------------------------------ scope and wording

def _store_of(path, events) -> Store:
    from sitrep.model import Report

    s = Store(path)
    for i, me in enumerate(events):
        e = me.event
        s.add_report(Report(text=f"report {i} {e.event_id}", doc_id=f"r{i}", date=e.event_date,
                            source=me.sources[0]), [e])
    s.release()
    return s


@pytest.fixture(scope="module")
def two_wars(tmp_path_factory) -> Store:
    """Syria with events on 1-5 May 2025; one Mexican event, newer, on 10 June."""
    from dataclasses import replace as _replace

    from sitrep.synthetic import synthetic_events

    pool = synthetic_events(400, seed=11)
    syria = [me for me in pool if me.event.country == "Syria"][:12]
    mexico = next(me for me in pool if me.event.country == "Mexico")
    events = [_replace(me, event=_replace(me.event, event_date=f"2025-05-0{1 + i % 5}")) for i, me in enumerate(syria)]
    events.append(_replace(mexico, event=_replace(mexico.event, event_date="2025-06-10", fatalities=1)))
    return _store_of(tmp_path_factory.mktemp("wars") / "w.duckdb", events)


def test_default_brief_is_the_busiest_country_on_its_own_newest_day(two_wars):
    b = build_brief(two_wars)
    assert b.country == "Syria" and (b.date_from, b.date_to) == ("2025-05-04", "2025-05-05")
    assert b.total_events and all(it.country == "Syria" for it in b.items)
    assert b.title == "Syria: situation brief, 4–5 May 2025"
    week = build_brief(two_wars, since="7d")
    assert week.date_to == "2025-05-05" and week.total_events == 12


def test_a_chosen_country_has_its_own_newest_day(two_wars):
    b = build_brief(two_wars, country="MX")
    assert (b.date_from, b.date_to) == ("2025-06-09", "2025-06-10") and b.total_events == 1
    every = build_brief(two_wars, country="all", since="60d")
    assert every.country is None and every.date_to == "2025-06-10" and every.title.startswith("Syria and Mexico:")


def test_one_event_is_worded_in_the_singular(two_wars):
    md = render_markdown(build_brief(two_wars, country="Mexico"))
    assert "1 event in 1 area, told by 1 outlet; 1 reported fatality." in md
    assert "The one event above rests on one outlet" in md
    assert not re.search(r"\b1 (events|outlets|areas|reports|fatalities)\b", md)
    html = render_html(build_brief(two_wars, country="Mexico"))
    assert not re.search(r"<b>1</b><span>(events|reported fatalities)", html)


def test_brief_shows_a_trend_of_the_days_before(two_wars):
    b = build_brief(two_wars, country="Syria")
    assert b.trend is not None and len(b.trend.buckets) == 30 and b.trend.buckets[-1].isoformat() == "2025-05-05"
    assert b.trend.total == 12  # the whole week, not only the brief's two days
    html = render_html(b, choices=[("Syria", "2025-05-05"), ("Mexico", "2025-06-10")], since="24h")
    assert 'id="trend"' in html and "<svg" in html and "<script" not in html
    assert '<option value="Mexico">Mexico (latest 10 Jun)</option>' in html
    assert "Events per day" in render_markdown(b)
