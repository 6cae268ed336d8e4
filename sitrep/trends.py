"""Trends: events and reported fatalities over time, by event type, region, country or actor.

Counts are made from merged events (one per real-world event, whatever the number
of outlets) and drawn on the server as plain SVG, so the chart shows in the
self-contained brief, in the web app and in print, with no script and no network.
Event types, regions and countries partition the events and are drawn as stacked
bars; an event has two actors, so actor series overlap and are drawn as lines.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from .merge import MergedEvent
from .model import EVENT_TYPES

BY = ("event_type", "admin1", "country", "actor")
MEASURES = ("events", "fatalities")
UNITS = ("day", "week", "month")
OTHER = "Other"
UNKNOWN = "Unknown"
# Series colours for regions, countries and actors (Okabe & Ito, then Tableau's muted tones).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#8c564b", "#7f7f7f")
OTHER_COLOUR = "#b8bec6"
MAX_BUCKETS = 120  # a chart wider than this many bars is read as a smear; the unit grows instead


@dataclass(slots=True)
class Series:
    """One line or band of a chart: its name, colour and a value per bucket."""

    name: str
    colour: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(slots=True)
class Trend:
    """Counts per time bucket, split into series; `stacked` when the series partition the events."""

    by: str
    measure: str
    unit: str
    buckets: list[_dt.date]  # first day of each bucket
    series: list[Series] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)  # all events of the bucket, whatever the series
    undated: int = 0  # events without a date (not charted)

    @property
    def stacked(self) -> bool:
        return self.by != "actor"

    @property
    def total(self) -> int:
        return sum(self.totals)


def bucket_start(day: _dt.date, unit: str) -> _dt.date:
    """The first day of the day's bucket: itself, its Monday, or the 1st of its month."""
    if unit == "week":
        return day - _dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_bucket(day: _dt.date, unit: str) -> _dt.date:
    if unit == "week":
        return day + _dt.timedelta(days=7)
    if unit == "month":
        return (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return day + _dt.timedelta(days=1)


def choose_unit(first: _dt.date, last: _dt.date) -> str:
    """Days up to four months, weeks up to two years, months beyond."""
    span = (last - first).days + 1
    if span <= MAX_BUCKETS:
        return "day"
    if span <= 7 * MAX_BUCKETS:
        return "week"
    return "month"


def bucket_days(first: _dt.date, last: _dt.date, unit: str) -> list[_dt.date]:
    """Every bucket from the first day's to the last day's, empty ones included."""
    out, day = [], bucket_start(first, unit)
    while day <= last:
        out.append(day)
        day = _next_bucket(day, unit)
    return out


def keys_of(me: MergedEvent, by: str) -> list[str]:
    """The series an event counts in: one for a partition, each named actor for 'actor'."""
    e = me.event
    if by == "actor":
        return sorted({a for a in (e.actor1, e.actor2) if a}) or [UNKNOWN]
    value = {"event_type": e.event_type, "admin1": e.admin1, "country": e.country}[by]
    return [value or UNKNOWN]


def _value(me: MergedEvent, measure: str) -> int:
    return 1 if measure == "events" else (me.event.fatalities or 0)


def _series_order(by: str, totals: Counter, top: int) -> list[str]:
    if by == "event_type":
        known = [t for t in EVENT_TYPES if totals.get(t)]
        return known + sorted(k for k in totals if k not in EVENT_TYPES)
    ranked = sorted(totals, key=lambda k: (k == UNKNOWN, -totals[k], k))
    return ranked[:top]


def _colour(by: str, name: str, i: int) -> str:
    from .mapview import colour

    if by == "event_type":
        return colour(name)
    return OTHER_COLOUR if name in (OTHER, UNKNOWN) else PALETTE[i % len(PALETTE)]


def build_trend(
    events: Sequence[MergedEvent],
    by: str = "event_type",
    measure: str = "events",
    unit: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    top: int = 6,
) -> Trend:
    """Counts of events (or reported fatalities) per day, week or month, split by `by`.

    date_from/date_to widen the time axis to the asked period (empty buckets show as gaps);
    unit defaults to the one that keeps the chart within MAX_BUCKETS bars.  Regions,
    countries and actors beyond the `top` largest go into 'Other' (actors: left out).
    """
    _check(by, measure, unit)
    dated = [(me, _dt.date.fromisoformat(me.event.event_date)) for me in events if me.event.event_date]
    days = [d for _, d in dated] + [_dt.date.fromisoformat(x) for x in (date_from, date_to) if x]
    trend = Trend(by, measure, unit or "day", [], undated=len(events) - len(dated))
    if not days:
        return trend
    trend.unit = unit or choose_unit(min(days), max(days))
    trend.buckets = bucket_days(min(days), max(days), trend.unit)
    cells = _count(trend, dated)
    sums = Counter({k: sum(v) for k, v in cells.items()})
    names = _series_order(by, sums, top)
    trend.series = [Series(n, _colour(by, n, i), cells[n]) for i, n in enumerate(names)]
    rest = [k for k in cells if k not in names]
    if rest and trend.stacked:
        other = [sum(cells[k][i] for k in rest) for i in range(len(trend.buckets))]
        trend.series.append(Series(OTHER, OTHER_COLOUR, other))
    return trend


def _check(by: str, measure: str, unit: str | None) -> None:
    if by not in BY or measure not in MEASURES or (unit is not None and unit not in UNITS):
        raise ValueError(f"unknown trend: by={by!r}, measure={measure!r}, unit={unit!r}")


def _count(trend: Trend, dated: list[tuple[MergedEvent, _dt.date]]) -> dict[str, list[int]]:
    """Fill trend.totals; return each series key's value per bucket."""
    index = {b: i for i, b in enumerate(trend.buckets)}
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * len(trend.buckets))
    trend.totals = [0] * len(trend.buckets)
    for me, day in dated:
        i, v = index[bucket_start(day, trend.unit)], _value(me, trend.measure)
        trend.totals[i] += v
        for key in keys_of(me, trend.by):
            cells[key][i] += v
    return cells


# ------------------------------------------------------------------ drawing

def _nice_max(v: int) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above v (at least 1)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= v:
                return m * step
        step *= 10


def _label(day: _dt.date, unit: str, first: bool) -> str:
    if unit == "month":
        return f"{day:%b %Y}" if first or day.month == 1 else f"{day:%b}"
    return f"{day.day} {day:%b}" + (f" {day.year}" if first else "")


_MEASURE_WORDS = {"events": "events", "fatalities": "reported fatalities"}
_BY_WORDS = {"event_type": "event type", "admin1": "region", "country": "country", "actor": "actor"}


def describe(trend: Trend) -> str:
    """'Events per week by event type' — the chart's caption."""
    return f"{_MEASURE_WORDS[trend.measure].capitalize()} per {trend.unit} by {_BY_WORDS[trend.by]}"


def _axis(trend: Trend, x0: float, y0: float, w: float, h: float, top: int) -> list[str]:
    out = [f'<line x1="{x0}" y1="{y0 + h}" x2="{x0 + w}" y2="{y0 + h}" stroke="#8a939d"/>']
    for frac in (0, 0.5, 1):
        y = y0 + h - frac * h
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="#e3e7eb"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{round(top * frac):,}</text>')
    n = len(trend.buckets)
    every = max(1, round(n / 8))
    for i, day in enumerate(trend.buckets):
        if i % every == 0:
            x = x0 + (i + 0.5) * w / n
            out.append(f'<text x="{x:.1f}" y="{y0 + h + 15}" text-anchor="middle">{_label(day, trend.unit, i == 0)}</text>')
    return out


def _bars(trend: Trend, x0: float, y0: float, w: float, h: float, top: int) -> list[str]:
    n = len(trend.buckets)
    bw = w / n
    out = []
    for i, day in enumerate(trend.buckets):
        y = y0 + h
        for s in trend.series:
            v = s.values[i]
            if not v:
                continue
            bh = h * v / top
            y -= bh
            out.append(f'<rect x="{x0 + i * bw + bw * 0.1:.1f}" y="{y:.1f}" width="{max(bw * 0.8, 0.8):.1f}" '
                       f'height="{bh:.1f}" fill="{s.colour}"><title>{escape(s.name)}, {_label(day, trend.unit, True)}: '
                       f'{v:,}</title></rect>')
    return out


def _lines(trend: Trend, x0: float, y0: float, w: float, h: float, top: int) -> list[str]:
    n = len(trend.buckets)
    out = []
    for s in trend.series:
        pts = " ".join(f"{x0 + (i + 0.5) * w / n:.1f},{y0 + h - h * v / top:.1f}" for i, v in enumerate(s.values))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{s.colour}" stroke-width="2">'
                   f"<title>{escape(s.name)}: {s.total:,}</title></polyline>")
    return out


def _legend(trend: Trend, x0: float, y: float, width: float) -> tuple[list[str], float]:
    out, x = [], x0
    for s in trend.series:
        text = f"{s.name} ({s.total:,})"
        step = 22 + 6.4 * len(text)
        if x + step > width and x > x0:
            x, y = x0, y + 17
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="11" height="11" rx="2" fill="{s.colour}"/>'
                   f'<text x="{x + 15:.1f}" y="{y:.1f}">{escape(text)}</text>')
        x += step
    return out, y


def _band(trend: Trend, x0: float, y0: float, w: float, h: float, span: tuple[str, str]) -> list[str]:
    """A shaded band behind the buckets of a period (the brief's own days)."""
    lo, hi = (bucket_start(_dt.date.fromisoformat(d), trend.unit) for d in span)
    idx = [i for i, b in enumerate(trend.buckets) if lo <= b <= hi]
    if not idx:
        return []
    bw = w / len(trend.buckets)
    return [f'<rect x="{x0 + idx[0] * bw:.1f}" y="{y0}" width="{bw * len(idx):.1f}" height="{h}" fill="#eef3f9"/>']


def render_svg(trend: Trend, width: int = 760, height: int = 230, highlight: tuple[str, str] | None = None) -> str:
    """The trend as one inline SVG element: bars (or lines for actors), axes, a legend; no script.

    highlight: (first day, last day) shaded behind the bars, e.g. the brief's period.
    """
    if not trend.buckets:
        return '<p class="trend-empty">No dated events to chart.</p>'
    x0, y0, w, h = 46.0, 10.0, width - 56.0, height - 40.0
    peak = max(trend.totals if trend.stacked else [v for s in trend.series for v in s.values] or [0])
    top = _nice_max(peak)
    body = _band(trend, x0, y0, w, h, highlight) if highlight else []
    body += _axis(trend, x0, y0, w, h, top)
    body += _bars(trend, x0, y0, w, h, top) if trend.stacked else _lines(trend, x0, y0, w, h, top)
    legend, last_y = _legend(trend, x0, height + 6, width)
    full = last_y + 10
    caption = escape(describe(trend))
    return (f'<svg class="trend" role="img" aria-label="{caption}" viewBox="0 0 {width} {full:.0f}" '
            f'width="{width}" height="{full:.0f}" xmlns="http://www.w3.org/2000/svg" '
            f'style="font: 11px system-ui, sans-serif; fill: #4d5763; max-width: 100%; height: auto">'
            f"<title>{caption}</title>{''.join(body)}{''.join(legend)}</svg>")


def table_rows(trend: Trend) -> list[tuple[str, list[int], int]]:
    """The chart's numbers as rows (bucket label, value per series, total), for a table beside it."""
    return [(_label(day, trend.unit, True), [s.values[i] for s in trend.series], trend.totals[i])
            for i, day in enumerate(trend.buckets)]
