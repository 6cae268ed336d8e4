"""How fast the offline map file is built and how soon it is ready in headless Chromium, by event count.

For each size: the time to build the HTML file, its size, and the time from navigation until
the page says it is ready (every event clustered and drawn), beside the same page with no
events (the cost of Leaflet and the outlines alone), measured in the same run.  Events are
synthetic (sitrep.synthetic).  Needs /usr/bin/chromium and chromedriver.

    python bench/map_load.py [--sizes 0,1000,10000,30000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                f"--user-data-dir={tempfile.mkdtemp(prefix='sitrep-bench-')}", "--window-size=1280,900"):
        opts.add_argument(arg)
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver"))


def _ready_ms(driver, path: Path) -> float:
    driver.get(path.as_uri())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = driver.execute_script("return window.sitrepMap && [sitrepMap.ready, sitrepMap.readyMs, sitrepMap.error]")
        if state and (state[0] or state[2]):
            if state[2]:
                raise SystemExit(f"map failed: {state[2]}")
            return float(state[1])
        time.sleep(0.02)
    raise SystemExit("map not ready within 120 s")


def main() -> None:
    from sitrep.mapview import build_map
    from sitrep.synthetic import synthetic_events

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0,1000,10000,30000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    pool = synthetic_events(max(sizes))
    driver = _browser()
    out = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    print(f"{'events':>7} {'build s':>8} {'file MB':>8} {'ready ms (median of ' + str(args.repeat) + ')':>26} {'over empty':>11}")
    empty = None
    try:
        for n in sizes:
            start = time.perf_counter()
            html = build_map(pool[:n], title=f"sitrep: {n} events")
            build = time.perf_counter() - start
            path = out / f"map-{n}.html"
            path.write_text(html, "utf-8")
            ready = statistics.median(_ready_ms(driver, path) for _ in range(args.repeat))
            empty = ready if empty is None else empty
            print(f"{n:>7} {build:>8.2f} {path.stat().st_size / 1e6:>8.2f} {ready:>26.0f} {ready - empty:>+11.0f}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
