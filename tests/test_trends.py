"""Trends: counts per day, week or month by type, region, country or actor, and their SVG."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from sitrep.merge import MergedEvent
from sitrep.synthetic import synthetic_events
from sitrep.trends import OTHER, bucket_start, build_trend, choose_unit, render_svg, table_rows


def _ev(base: MergedEvent, **kw) -> MergedEvent:
    return replace(base, event=replace(base.event, **kw))


@pytest.fixture(scope="module")
def events() -> list[MergedEvent]:
    return synthetic_events(600, seed=3)


def test_buckets_and_units():
    d = dt.date(2025, 6, 18)  # a Wednesday
    assert bucket_start(d, "day") == d
    assert bucket_start(d, "week") == dt.date(2025, 6, 16)
    assert bucket_start(d, "month") == dt.date(2025, 6, 1)
    assert choose_unit(d, d + dt.timedelta(days=30)) == "day"
    assert choose_unit(d, d + dt.timedelta(days=400)) == "week"
    assert choose_unit(d, d + dt.timedelta(days=2000)) == "month"


def test_counts_add_up_to_the_events(events):
    t = build_trend(events, by="event_type", unit="week")
    assert t.stacked and t.unit == "week"
    assert t.total == len(events) - t.undated
    for i in range(len(t.buckets)):
        assert sum(s.values[i] for s in t.series) == t.totals[i]
    f = build_trend(events, by="country", measure="fatalities", unit="month")
    assert f.total == sum(me.event.fatalities or 0 for me in events)
    assert sum(s.total for s in f.series) == f.total


def test_top_series_and_other(events):
    t = build_trend(events, by="admin1", top=3)
    names = [s.name for s in t.series]
    assert len(names) == 4 and names[-1] == OTHER
    assert sum(s.total for s in t.series) == t.total
    totals = [s.total for s in t.series[:3]]
    assert totals == sorted(totals, reverse=True)


def test_actor_series_overlap_and_are_lines(events):
    t = build_trend(events, by="actor", top=4)
    assert not t.stacked and len(t.series) == 4 and OTHER not in [s.name for s in t.series]
    name = t.series[0].name
    involved = sum(1 for me in events if name in (me.event.actor1, me.event.actor2) and me.event.event_date)
    assert t.series[0].total == involved
    svg = render_svg(t)
    assert svg.count("<polyline") == 4 and "<rect x" in svg  # lines, and the legend's swatches


def test_empty_days_are_shown_and_the_period_widens_the_axis(events):
    one = _ev(events[0], event_date="2025-03-05")
    t = build_trend([one], unit="day", date_from="2025-03-01", date_to="2025-03-10")
    assert len(t.buckets) == 10 and t.totals == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    rows = table_rows(t)
    assert rows[4][2] == 1 and rows[0][0] == "1 Mar 2025"


def test_undated_events_are_counted_apart(events):
    t = build_trend([_ev(events[0], event_date=None), events[1]])
    assert t.undated == 1 and t.total == 1


def test_svg_is_plain_and_escapes_names(events):
    evil = [_ev(me, admin1="<script>alert(1)</script>") for me in events[:30]]
    svg = render_svg(build_trend(evil + events[30:60], by="admin1"), highlight=("2025-06-01", "2025-06-30"))
    assert svg.startswith("<svg") and "<script" not in svg and "&lt;script&gt;" in svg
    assert not re.search(r"\son\w+=", svg)  # no event handlers
    assert render_svg(build_trend([])).startswith("<p")


def test_unknown_choices_are_refused(events):
    with pytest.raises(ValueError):
        build_trend(events, by="colour")
    with pytest.raises(ValueError):
        build_trend(events, unit="year")
