"""Ingest benchmark: reports/s into the DuckDB store, and `events` query times over the result.

    python bench/ingest.py [--n 10000] [--db PATH]

Reports are real text recombined: three paragraphs of the seed FNA roundup and two
CASE 2021 snippets, shuffled, with a date spread over a year and one of several
outlets, so every report is different and the same events recur across outlets
and neighbouring days the way a monitor's intake does.  Extraction and storing are
timed apart (the pipeline runs once per report either way), and at the end the
incrementally merged events are checked against a full recompute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

from sitrep.export import export_string  # noqa: E402
from sitrep.model import Report  # noqa: E402
from sitrep.pipeline import process  # noqa: E402
from sitrep.settings import Settings  # noqa: E402
from sitrep.store import Store  # noqa: E402

OUTLETS = ["FNA", "SANA", "SOHR", "Reuters", "AFP", "Enab Baladi", "North Press", "Al-Masdar"]


def reports(n: int, seed: int = 1) -> list[Report]:
    seed_text = (CORPUS / "seed" / "syria-last-24-hours.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in seed_text.split("\n\n") if len(p.strip()) > 80]
    snippets = [json.loads(x)["text"] for x in (CORPUS / "case2021" / "dev.jsonl").read_text().splitlines()]
    rng = random.Random(seed)
    start = dt.date(2017, 1, 1)
    out = []
    for i in range(n):
        parts = rng.sample(paras, 3) + rng.sample(snippets, 2)
        rng.shuffle(parts)
        date = (start + dt.timedelta(days=rng.randrange(365))).isoformat()
        out.append(Report(text="\n\n".join(parts), doc_id=f"bench{i:05d}", date=date, source=rng.choice(OUTLETS)))
    return out


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="reports to ingest (default 10000)")
    ap.add_argument("--db", help="store file (default: a temporary file)")
    args = ap.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "bench.duckdb")

    docs = reports(args.n)
    settings = Settings()
    t = time.perf_counter()
    extracted = [process(r, settings) for r in docs]
    t_extract = time.perf_counter() - t
    n_events = sum(len(r.events) for r in extracted)

    store = Store(db)
    t = time.perf_counter()
    merged = 0
    for r in extracted:
        merged += store.add_report(r, r.events).events_merged
    t_store = time.perf_counter() - t
    store.release()
    size_mb = Path(db).stat().st_size / 1e6

    print(f"reports: {args.n:,}  per-report events: {n_events:,}  merged into existing: {merged:,}")
    print(f"extract: {t_extract:7.1f} s  {args.n / t_extract:8.1f} reports/s")
    print(f"store:   {t_store:7.1f} s  {args.n / t_store:8.1f} reports/s  (one transaction per report, with re-merge)")
    print(f"ingest:  {t_extract + t_store:7.1f} s  {args.n / (t_extract + t_store):8.1f} reports/s end to end")

    reader = Store(db, read_only=True)
    counts = reader.counts()
    print(f"store:   {counts['events']:,} merged events from {counts['report_events']:,} report events, "
          f"{counts['mentions']:,} mentions, {size_mb:.1f} MB")
    newest = reader.newest_event_date()
    queries = {
        "all events": lambda: reader.events(),
        "--since 7d": lambda: reader.events(since="7d"),
        "--from/--to one month": lambda: reader.events(date_from="2017-06-01", date_to="2017-06-30"),
        "--country Syria --type Battles": lambda: reader.events(country="Syria", event_type="Battles"),
        "--admin1 Homs": lambda: reader.events(admin1="Homs"),
    }
    for name, q in queries.items():
        ms, res = timed(q)
        print(f"events {name:32s} {ms:8.1f} ms  ({len(res):,} events)")
    week = reader.events(since="7d")
    for fmt in ("csv", "geojson"):
        ms, _ = timed(lambda: export_string(week, fmt))
        print(f"export --since 7d --format {fmt:8s}      {ms:8.1f} ms  (newest day {newest})")

    before = sorted(reader.query("SELECT event_id, n_members, data FROM events"))
    w = Store(db)
    t = time.perf_counter()
    w.remerge_all()
    t_full = time.perf_counter() - t
    after = sorted(Store(db, read_only=True).query("SELECT event_id, n_members, data FROM events"))
    print(f"full re-merge: {t_full:.1f} s; incremental result {'==' if before == after else '!='} full recompute")
    if before != after:
        sys.exit(1)


if __name__ == "__main__":
    main()
