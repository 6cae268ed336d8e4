"""Load benchmark: concurrent readers of the web app's filtered pages, with and without an ingest running.

    python bench/load.py                          # DuckDB store of 2,000 varied reports (~10,000 events)
    python bench/load.py --db postgresql://user:pw@127.0.0.1/db
    python bench/load.py --readers 20 --requests 40 --reports 2000

Builds a store from bench/corpus.py's reports, starts `sitrep serve` on 127.0.0.1, then
runs the same read load twice in this run: first with nothing else running (the
baseline), then while `sitrep ingest` stores more reports into the same store.  Each
reader sends filtered page requests (country, type, dates, actor, the GeoJSON points,
the HTML table) one after another; the figures are latency percentiles, errors and
throughput.  Traffic goes to the loopback address only, and every loop is bounded in
count and time.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

COUNTRIES = ["Syria", "Nigeria", "IQ", "Yemen", "SO", "Mali", "Ukraine", "Sudan", "AFG", "Myanmar"]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Air/drone strike", "Armed clash"]
ACTORS = ["ISIS", "al-Shabaab", "Boko Haram", "Taliban", "Houthi", "army"]


def requests_for(rng: random.Random) -> tuple[str, dict]:
    """One filtered page request, as a web client or a map would send it."""
    kind = rng.randrange(6)
    if kind == 0:
        return "/api/events", {"country": rng.choice(COUNTRIES), "limit": 100}
    if kind == 1:
        return "/api/events", {"type": rng.choice(TYPES), "limit": 200}
    if kind == 2:
        y, m = rng.randint(2017, 2021), rng.randint(1, 12)
        return "/api/events", {"date_from": f"{y}-{m:02d}-01", "date_to": f"{y}-{m:02d}-28", "limit": 200}
    if kind == 3:
        return "/api/events", {"actor": rng.choice(ACTORS), "limit": 100}
    if kind == 4:
        return "/api/points.geojson", {"country": rng.choice(COUNTRIES), "limit": 2000}
    return "/events", {"country": rng.choice(COUNTRIES)}


def run_readers(base: str, readers: int, per_reader: int, seconds: float) -> tuple[list[float], int, int, float]:
    """(latencies in seconds, errors, bytes, wall seconds) of `readers` threads each sending `per_reader` requests."""
    import httpx

    lat: list[float] = []
    errors = [0]
    size = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def reader(k: int) -> None:
        rng = random.Random(k)
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(per_reader):
                if time.monotonic() > deadline:
                    return
                path, params = requests_for(rng)
                t = time.perf_counter()
                try:
                    r = client.get(path, params=params)
                    ok = r.status_code == 200
                    n = len(r.content)
                except httpx.HTTPError:
                    ok, n = False, 0
                took = time.perf_counter() - t
                with lock:
                    lat.append(took)
                    size[0] += n
                    errors[0] += not ok

    t = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(k,)) for k in range(readers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return lat, errors[0], size[0], time.perf_counter() - t


def report(name: str, lat: list[float], errors: int, size: int, wall: float) -> None:
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else lat * 99
    print(f"{name:28s} {len(lat):5d} requests  {len(lat) / wall:6.1f}/s  p50 {q[49] * 1000:7.1f} ms  "
          f"p95 {q[94] * 1000:7.1f} ms  max {max(lat) * 1000:7.1f} ms  errors {errors}  "
          f"mean size {size / max(1, len(lat)) / 1000:.1f} kB", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, proc: subprocess.Popen) -> None:
    import httpx

    for _ in range(300):
        if proc.poll() is not None:
            sys.exit(f"server exited: {proc.stderr.read().decode()[-500:]}")
        try:
            httpx.get(base + "/api/events", params={"limit": 1}, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    sys.exit("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store (DuckDB file or postgresql:// URL); default: a new DuckDB file")
    ap.add_argument("--reports", type=int, default=2000, help="reports to store first (default 2000)")
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--requests", type=int, default=40, help="requests per reader and phase (default 40)")
    ap.add_argument("--seconds", type=float, default=300, help="most seconds per phase (default 300)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp())
    db = args.db or str(tmp / "load.duckdb")
    env = dict(os.environ, SITREP_DB=db)
    first, more = tmp / "first.jsonl", tmp / "more.jsonl"
    write_corpus(first, args.reports, seed=7)
    write_corpus(more, max(500, args.reports // 2), seed=8)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sitrep", "ingest", str(first), "-q", "--workers", "2"], env=env,
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    from sitrep.store import Store

    n_events = Store(db, read_only=True).counts()["events"]
    print(f"store: {n_events:,} events from {args.reports:,} reports ({time.perf_counter() - t:.0f} s); "
          f"{args.readers} readers x {args.requests} requests per phase")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_up(base, server)
        report("readers alone (baseline)", *run_readers(base, args.readers, args.requests, args.seconds))
        ingest = subprocess.Popen([sys.executable, "-m", "sitrep", "ingest", str(more), "-q"], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        result = run_readers(base, args.readers, args.requests, args.seconds)
        running = ingest.poll() is None
        report("readers during an ingest", *result)
        out, err = ingest.communicate(timeout=1800)
        print(f"ingest ({'still running at the end of the readers' if running else 'ended before the readers'}): "
              f"{out.strip() or err.strip()[-300:]}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
