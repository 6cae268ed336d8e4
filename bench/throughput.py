"""Throughput benchmark: extraction speed per core, Dask speed-up and peak memory, in one run.

Builds (seeded) or reads a .jsonl corpus of realistic reports (see bench/corpus.py),
then measures, on the same text:

  baseline   re.findall(r"\\w+", text) over every report text: the cost of merely
             touching each word once in Python, the floor any extractor sits above
  serial     `sitrep extract` end to end in this process: read the .jsonl, build the
             report, run every stage, serialise the events to JSON
  dask 1, 2  the same on a local Dask cluster of 1 and 2 worker processes (warm: the
             cluster is started and every worker has loaded the gazetteer and actor
             table before the clock starts; start-up is reported apart)
  memory     peak RSS of the whole process tree (this process, Dask's nannies and
             workers), sampled every 100 ms, streaming 1/10 of the corpus and all of it

    python bench/throughput.py              # 5,000 reports, ~3 minutes on 2 cores
    python bench/throughput.py --quick      # 600 reports, well under a minute
    python bench/throughput.py --corpus my.jsonl --json
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import re
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from functools import partial
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

_WORD = re.compile(r"\w+")


class PeakRSS:
    """Peak resident memory of this process and all its descendants while the block runs."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    def sample(self) -> int:
        import psutil

        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:  # a process that ended between listing and reading
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakRSS":
        self.peak = self.sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())


def corpus_texts(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)["text"]


def text_bytes(path: Path) -> tuple[int, int]:
    n = size = 0
    for text in corpus_texts(path):
        n += 1
        size += len(text.encode("utf-8"))
    return n, size


def head_of(path: Path, n: int, out: Path) -> Path:
    with path.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        dst.writelines(islice(src, n))
    return out


def baseline(path: Path, repeat: int = 3) -> tuple[float, float]:
    """Wall and CPU seconds of the regex word scan over every text, best of `repeat` passes.

    The texts are read first and not timed: the scan takes about a second, so one
    busy moment of another process on the machine would otherwise swamp it.
    """
    texts = list(corpus_texts(path)) if path.stat().st_size < 200e6 else None
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        t, cpu = time.perf_counter(), time.process_time()
        for text in texts if texts is not None else corpus_texts(path):
            _WORD.findall(text)
        best = min(best, (time.perf_counter() - t, time.process_time() - cpu))
    return best


def _consume(results) -> tuple[int, int]:
    """Events and failures of an extraction stream, with each event serialised as the CLI prints it."""
    from sitrep.errors import SitrepError

    events = failures = 0
    for item in results:
        if isinstance(item, SitrepError):
            failures += 1
            continue
        for e in item:
            json.dumps(e.to_dict(), ensure_ascii=False)
            events += 1
    return events, failures


def run_serial(path: Path, slowest: list | None = None) -> tuple[float, int, int, int, float]:
    """Wall seconds, events, failures, peak RSS and CPU seconds of `sitrep extract` in this process."""
    from sitrep.inputs import iter_reports
    from sitrep.pipeline import _extract_one
    from sitrep.settings import Settings

    settings = Settings()

    def timed():
        # extract_inputs' serial loop, with each report timed: one pathological report hides in an average.
        for item in iter_reports([str(path)], settings):
            t = time.perf_counter()
            out = _extract_one(item, settings)
            if slowest is not None and not isinstance(out, Exception):
                size = len(item.text.encode("utf-8"))
                heapq.heappush(slowest, (time.perf_counter() - t, item.doc_id, size))
                if len(slowest) > 5:
                    heapq.heappop(slowest)
            yield out

    with PeakRSS() as mem:
        t, cpu = time.perf_counter(), time.process_time()
        events, failures = _consume(timed())
        spent, cpu = time.perf_counter() - t, time.process_time() - cpu
    return spent, events, failures, mem.peak, cpu


def _warm() -> None:
    from sitrep.pipeline import default_pipeline

    default_pipeline()


@contextmanager
def warm_cluster(workers: int):
    """A local Dask cluster whose workers have loaded the pipeline; yields (client, start-up seconds)."""
    from sitrep.parallel import dask_client

    t = time.perf_counter()
    with dask_client(workers=workers) as client:
        client.wait_for_workers(workers)
        client.run(_warm)
        yield client, time.perf_counter() - t


def run_dask(client, path: Path, batch: int) -> tuple[float, int, int, int, float, float]:
    """Wall seconds, events, failures, peak RSS of the process tree, worker and client CPU seconds, warm cluster."""
    from sitrep.inputs import iter_reports
    from sitrep.parallel import map_on_client
    from sitrep.pipeline import _extract_one
    from sitrep.settings import Settings

    settings = Settings()
    with PeakRSS() as mem:
        t, cpu, own = time.perf_counter(), _workers_cpu(client), _cpu_seconds()
        results = map_on_client(client, partial(_extract_one, settings=settings), iter_reports([str(path)], settings), batch)
        events, failures = _consume(results)
        spent, cpu, own = time.perf_counter() - t, _workers_cpu(client) - cpu, _cpu_seconds() - own
    return spent, events, failures, mem.peak, cpu, own


def _cpu_seconds() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def _workers_cpu(client) -> float:
    """CPU seconds the cluster's worker processes have used so far."""
    return sum(client.run(_cpu_seconds).values())


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--reports", type=int, default=5000, help="Reports in the built corpus (default 5000).")
    ap.add_argument("--quick", action="store_true", help="600 reports: a check that everything runs.")
    ap.add_argument("--corpus", help="Read this .jsonl corpus instead of building one.")
    ap.add_argument("--seed", type=int, default=7, help="Seed of the built corpus (default 7).")
    ap.add_argument("--batch", type=int, default=32, help="Reports per Dask task (default 32).")
    ap.add_argument("--no-dask", action="store_true", help="Only the baseline and the serial extractor.")
    ap.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    args = ap.parse_args(argv)
    n = 600 if args.quick else args.reports

    from sitrep.parallel import quiet_dask
    from sitrep.pipeline import default_pipeline

    quiet_dask()
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))
    tmp = tempfile.TemporaryDirectory(prefix="sitrep-bench-")
    work = Path(tmp.name)
    if args.corpus:
        full = Path(args.corpus)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from corpus import write_corpus

        full = work / f"corpus-{n}.jsonl"
        t = time.perf_counter()
        write_corpus(full, n, args.seed)
        say(f"built {n} reports in {time.perf_counter() - t:.1f}s -> {full}")
    n_full, size_full = text_bytes(full)
    tenth = head_of(full, max(1, n_full // 10), work / "tenth.jsonl")
    n_tenth, size_tenth = text_bytes(tenth)
    mb = size_full / 1e6
    say(f"corpus: {n_full} reports, {mb:.2f} MB of text ({size_full / n_full / 1e3:.1f} kB each); "
        f"memory check on the first {n_tenth}; {os.cpu_count()} CPUs")

    t = time.perf_counter()
    default_pipeline()
    load = time.perf_counter() - t
    fig: dict = {"reports": n_full, "text_mb": round(mb, 3), "pipeline_load_s": round(load, 2)}

    base, base_cpu = baseline(full)
    fig["baseline_mb_s"] = round(mb / base, 2)
    fig["baseline_mb_per_cpu_s"] = round(mb / base_cpu, 2)
    say(f"baseline  regex word scan        {mb / base:8.2f} MB/s per core ({mb / base_cpu:.2f} MB per CPU-second)")

    s_small = run_serial(tenth)
    slowest: list = []
    s_full = run_serial(full, slowest)
    fig["serial_mb_s_per_core"] = round(mb / s_full[0], 3)
    fig["serial_mb_per_cpu_s"] = round(mb / s_full[4], 3)
    fig["slowest_reports"] = [(doc, round(sec, 3), size) for sec, doc, size in sorted(slowest, reverse=True)]
    fig["serial_reports_s"] = round(n_full / s_full[0], 1)
    fig["extract_to_baseline"] = round((mb / s_full[0]) / (mb / base), 4)
    fig["events"], fig["failures"] = s_full[1], s_full[2]
    fig["serial_peak_rss_mb"] = {n_tenth: round(s_small[3] / 2**20), n_full: round(s_full[3] / 2**20)}
    say(f"serial    extract end to end     {mb / s_full[0]:8.3f} MB/s per core "
        f"({n_full / s_full[0]:.0f} reports/s, {s_full[1]} events, {s_full[2]} failed inputs)")
    say(f"          per CPU-second         {mb / s_full[4]:8.3f} MB     (the same, discounting other load on the machine)")
    say("slowest   " + ", ".join(f"{doc} {sec:.2f}s ({size / 1e3:.1f} kB)" for doc, sec, size in fig["slowest_reports"]))
    fig["extract_to_baseline_cpu"] = round(base_cpu / s_full[4], 4)
    say(f"ratio     extract / baseline     {fig['extract_to_baseline']:8.4f} "
        f"(the scan is {s_full[0] / base:.0f}x faster; per CPU-second {s_full[4] / base_cpu:.0f}x)")
    say(f"memory    serial, peak RSS       {s_small[3] / 2**20:6.0f} MB for {n_tenth} reports, "
        f"{s_full[3] / 2**20:6.0f} MB for {n_full}")

    if not args.no_dask:
        with warm_cluster(1) as (client, start1):
            d1 = run_dask(client, full, args.batch)
        with warm_cluster(2) as (client, start2):
            d2_small = run_dask(client, tenth, args.batch)
            d2 = run_dask(client, full, args.batch)
        fig["dask_events"] = {1: d1[1], 2: d2[1]}
        if not d1[1] == d2[1] == s_full[1]:
            # Workers import sitrep afresh: in a checkout being edited they may run newer code than this process.
            say(f"WARNING   events differ: serial {s_full[1]}, dask 1 worker {d1[1]}, 2 workers {d2[1]}")
        fig["dask_startup_s"] = {1: round(start1, 1), 2: round(start2, 1)}
        fig["dask1_mb_s"] = round(mb / d1[0], 3)
        fig["dask2_mb_s"] = round(mb / d2[0], 3)
        fig["dask2_mb_s_per_core"] = round(mb / d2[0] / 2, 3)
        fig["speedup_2_vs_1"] = round(d1[0] / d2[0], 2)
        fig["dask_mb_per_worker_cpu_s"] = {1: round(mb / d1[4], 3), 2: round(mb / d2[4], 3)}
        fig["dask2_peak_rss_mb"] = {n_tenth: round(d2_small[3] / 2**20), n_full: round(d2[3] / 2**20)}
        say(f"dask      1 worker               {mb / d1[0]:8.3f} MB/s  (cluster start-up {start1:.1f}s, not timed)")
        say(f"dask      2 workers              {mb / d2[0]:8.3f} MB/s  = {mb / d2[0] / 2:.3f} MB/s per core "
            f"(start-up {start2:.1f}s)")
        fig["dask2_client_cpu_share"] = round(d2[5] / d2[0], 2)
        say(f"speed-up  2 vs 1 workers         {d1[0] / d2[0]:8.2f}x   (per worker CPU-second: "
            f"{mb / d1[4]:.3f} MB with 1, {mb / d2[4]:.3f} MB with 2)")
        say(f"client    reading, shipping      {d2[5] / d2[0]:8.2f} of a core while 2 workers extract")
        say(f"memory    dask 2, tree peak RSS  {d2_small[3] / 2**20:6.0f} MB for {n_tenth} reports, "
            f"{d2[3] / 2**20:6.0f} MB for {n_full}")
    fig["load_average"] = [round(x, 2) for x in os.getloadavg()]
    say(f"load      1/5/15-minute averages {fig['load_average']} on {os.cpu_count()} CPUs "
        "(other processes on the machine slow the wall-clock figures)")
    tmp.cleanup()
    if args.json:
        print(json.dumps(fig))
    return fig


if __name__ == "__main__":  # Dask's worker processes re-import this file; only the parent runs the bench
    main()
