"""Ingest benchmark: end-to-end ingest against extraction alone, pools, store cost as the store grows, queries.

    python bench/ingest.py                      # 10,000 varied reports (bench/corpus.py), DuckDB
    python bench/ingest.py --n 2000 --db postgresql://user:pw@127.0.0.1/db
    python bench/ingest.py --scale 100000       # also: store cost per report at 1,000 and 100,000 stored

Every figure is measured in this run, beside its baseline:

  extract    the pipeline alone over every report, in this process (the baseline)
  ingest     `sitrep ingest`'s path end to end on the same reports into a new store: reading,
             extraction, batched writes and merging; with 1 process, then with --workers
  pools      extraction throughput on a forked process pool and on a local Dask cluster,
             each with --workers processes, start-up included
  scale      (--scale N) a store filled to 1,000 and to N reports, then the time to store one more
             batch of 1,000 (already extracted) at each size.  The fill repeats the extracted
             reports with their dates moved by whole 5-year periods, so the store grows as a
             monitor's does, over time, at the corpus's daily density
  queries    `events` filters over the 10,000-report store
  check      the incrementally merged events against a full re-merge of the same store
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

from sitrep.ingest import extract_for_store, ingest  # noqa: E402
from sitrep.inputs import iter_reports  # noqa: E402
from sitrep.model import Report  # noqa: E402
from sitrep.parallel import parallel_map  # noqa: E402
from sitrep.pipeline import default_pipeline, process  # noqa: E402
from sitrep.settings import Settings  # noqa: E402
from sitrep.store import Store  # noqa: E402


def fresh_store(target: str | None, name: str) -> str:
    """A new, empty store: a file in a temporary folder, or a new schema in the PostgreSQL database."""
    if target and target.startswith("postgres"):
        import uuid
        from urllib.parse import quote

        import psycopg

        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(target, autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
        return f"{target}{'&' if '?' in target else '?'}options={quote(f'-c search_path={schema}')}"
    return str(Path(tempfile.mkdtemp()) / f"{name}.duckdb")


def line(name: str, seconds: float, n: int, note: str = "") -> None:
    print(f"{name:34s} {seconds:8.1f} s {n / seconds:8.1f} reports/s  {note}", flush=True)


def bench_extract(corpus: Path) -> tuple[float, list[Report]]:
    settings = Settings()
    default_pipeline()
    t = time.perf_counter()
    out = [extract_for_store(r, settings) for r in iter_reports([str(corpus)], settings)]
    return time.perf_counter() - t, [r for r in out if isinstance(r, Report)]


def bench_ingest(corpus: Path, target: str | None, name: str, **kw) -> tuple[float, str]:
    db = fresh_store(target, name)
    store = Store(db)
    t = time.perf_counter()
    summary = ingest([str(corpus)], store, Settings(), **kw)
    took = time.perf_counter() - t
    print(f"  {summary.line()}")
    return took, db


def bench_pools(corpus: Path, workers: int, n: int, t_extract: float) -> None:
    settings = Settings()
    fn = partial(extract_for_store, settings=settings)
    for pool in ("process", "dask"):
        t = time.perf_counter()
        k = sum(1 for _ in parallel_map(fn, iter_reports([str(corpus)], settings), workers=workers, pool=pool,
                                        warm=default_pipeline))
        took = time.perf_counter() - t
        line(f"extract, {pool} pool x{workers}", took, k, f"{t_extract / took:.2f}x one process (start-up included)")


def shifted(reports: list[Report], years: int, tag: str) -> list[Report]:
    """Copies of reports (new text, so new ids) with report and event dates moved by whole years."""
    def move(d: str | None) -> str | None:
        if not d:
            return d
        day = dt.date.fromisoformat(d[:10])
        return day.replace(year=day.year + years).isoformat() if not (day.month == 2 and day.day == 29) else \
            dt.date(day.year + years, 2, 28).isoformat()

    out = []
    for r in reports:
        c = Report(text=f"{r.text}\n[{tag}]", doc_id=f"{r.doc_id}-{tag}", date=move(r.date), source=r.source)
        c.events = [e.copy() for e in r.events]
        for e in c.events:
            e.event_date = move(e.event_date)
        out.append(c)
    return out


def bench_scale(reports: list[Report], target: str | None, big: int) -> None:
    """Store cost of one batch of 1,000 reports at 1,000 stored and at `big` stored.

    The store is filled a period at a time: 1,000 reports whose dates are moved into that
    period's 5 years; the probe batch is 1,000 other reports moved into the middle period.
    So every period, and the probe, have the same daily density whatever the store's size.
    """
    probe, pool = reports[:1000], reports[1000:]
    for size in (1000, big):
        db = fresh_store(target, f"scale{size}")
        store = Store(db, snapshot=False)
        t = time.perf_counter()
        periods = -(-size // 1000)
        for k in range(periods):
            start = (k * 1000) % max(1, len(pool) - 999)
            store.add_reports(shifted(pool[start:start + 1000], 5 * k, f"p{k}"))
        fill = time.perf_counter() - t
        batch = shifted(probe, 5 * (periods // 2), "probe")
        t = time.perf_counter()
        store.add_reports(batch)
        took = time.perf_counter() - t
        n = store.counts()["reports"]
        print(f"scale: {n - len(batch):,} stored (filled in {fill:.0f} s): one batch of {len(batch):,} reports stored in "
              f"{took:.2f} s = {took * 1000 / len(batch):.2f} ms/report", flush=True)
        store.release()


def bench_queries(db: str) -> None:
    reader = Store(db, read_only=True)
    queries = {
        "all events": lambda: reader.events(),
        "--since 7d": lambda: reader.events(since="7d"),
        "--from/--to one month": lambda: reader.events(date_from="2019-06-01", date_to="2019-06-30"),
        "--country Syria --type Battles": lambda: reader.events(country="Syria", event_type="Battles"),
        "--actor ISIS": lambda: reader.events(actor="ISIS"),
        "page of 500, country Nigeria": lambda: reader.events(country="NG", limit=500),
    }
    for name, q in queries.items():
        best, res = float("inf"), None
        for _ in range(3):
            t = time.perf_counter()
            res = q()
            best = min(best, time.perf_counter() - t)
        print(f"events {name:32s} {best * 1000:8.1f} ms  ({len(res):,} events)", flush=True)


def check(db: str) -> bool:
    def table():
        return sorted((me.event.event_id, tuple(me.members), me.event.notes, me.event.fatalities)
                      for me in Store(db, read_only=True).events())

    before = table()
    t = time.perf_counter()
    Store(db).remerge_all()
    same = before == table()
    print(f"full re-merge: {time.perf_counter() - t:.1f} s; incremental result {'==' if same else '!='} full recompute")
    return same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="reports (default 10000)")
    ap.add_argument("--db", help="a postgresql:// URL to bench PostgreSQL (new schemas are made in it); default DuckDB")
    ap.add_argument("--workers", type=int, default=2, help="worker processes for the parallel runs (default 2)")
    ap.add_argument("--scale", type=int, default=0, help="also measure store cost at 1,000 and at this many stored")
    ap.add_argument("--skip-pools", action="store_true", help="leave out the pool comparison")
    ap.add_argument("--scale-only", action="store_true", help="extract, then only the --scale measurement")
    args = ap.parse_args()

    corpus = Path(tempfile.mkdtemp()) / "corpus.jsonl"
    write_corpus(corpus, args.n)
    print(f"corpus: {args.n:,} varied reports (bench/corpus.py); store: {'PostgreSQL' if args.db else 'DuckDB'}")
    t_ex, extracted = bench_extract(corpus)
    line("extract (baseline), 1 process", t_ex, args.n)
    if args.scale_only:
        bench_scale(extracted, args.db, args.scale)
        return
    t_in, db = bench_ingest(corpus, args.db, "serial", workers=1)
    line("ingest end to end, 1 process", t_in, args.n, f"{t_ex / t_in:.2f}x extraction")
    if args.workers > 1:
        t_par, _ = bench_ingest(corpus, args.db, "parallel", workers=args.workers)
        line(f"ingest end to end, --workers {args.workers}", t_par, args.n, f"{t_ex / t_par:.2f}x extraction")
        if not args.skip_pools:
            bench_pools(corpus, args.workers, args.n, t_ex)
    counts = Store(db, read_only=True).counts()
    print(f"store: {counts['events']:,} merged events from {counts['report_events']:,} report events")
    bench_queries(db)
    ok = check(db)
    if args.scale:
        bench_scale(extracted, args.db, args.scale)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
