"""The README's pictures of the workbench, taken in headless Chromium (scripts/install-browser.sh).

Builds a store of the shipped sample reports plus 10,000 synthetic events on real towns
(sitrep.synthetic: made-up events, so the map and the trends show a year of data at
scale), starts the web app on loopback, logs an editor in, corrects one real event, and
saves docs/map-10000.png, docs/trends.png and docs/audit.png.

    python scripts/docs_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path


def _browser(width: int, height: int):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                f"--user-data-dir={tempfile.mkdtemp(prefix='sitrep-shots-')}", f"--window-size={width},{height}"):
        opts.add_argument(arg)
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver"))


def _store(db: Path) -> str:
    from sitrep.demo import find_seed, sample_files
    from sitrep.ingest import ingest
    from sitrep.model import Report
    from sitrep.settings import Settings
    from sitrep.store import Store
    from sitrep.synthetic import synthetic_events
    from sitrep.users import Users

    store = Store(db)
    with sample_files() as samples:
        seed = find_seed()
        ingest([str(p) for p in samples] + ([str(seed)] if seed else []), store, Settings(date="2017-07-22", source="FNA"))
    events = [me.event for me in synthetic_events(10_000)]
    store.add_report(Report(text="synthetic events for the screenshots", doc_id="synthetic", date="2025-06-30",
                            source="synthetic"), events)
    token = Users(store).add("amira", "editor")
    store.release()
    return token


def _serve(db: Path) -> str:
    import uvicorn

    from sitrep.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


def _correct(d, base: str, token: str) -> str:
    """Log in as the editor and correct the seed's Sukhnah event; return its page's URL."""
    import json
    import urllib.request

    from selenium.webdriver.common.by import By

    events = json.loads(urllib.request.urlopen(base + "/api/events?country=Syria&date_to=2017-12-31").read())
    target = next(e for e in events if "Sukhnah" in (e["location"] or "")) if events else None
    url = f"/events/{target['event_id']}"
    d.get(f"{base}/login?next={url}")
    d.find_element(By.NAME, "name").send_keys("amira")
    d.find_element(By.NAME, "token").send_keys(token)
    d.find_element(By.CSS_SELECTOR, "form.login button").click()
    time.sleep(1)
    form = d.find_element(By.CSS_SELECTOR, "form.review")
    fat = form.find_element(By.NAME, "fatalities")
    fat.clear()
    fat.send_keys("21")
    form.find_element(By.NAME, "reason").send_keys("SOHR's later count names 21 dead; FNA and SANA gave 17 on the day")
    form.find_element(By.CSS_SELECTOR, "button[value=correct]").click()
    time.sleep(1)
    return base + url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs"))
    out = Path(ap.parse_args().out)
    db = Path(tempfile.mkdtemp(prefix="sitrep-shots-")) / "shots.duckdb"
    token = _store(db)
    base = _serve(db)
    d = _browser(1400, 900)
    try:
        d.get(base + "/map")
        for _ in range(600):
            if d.execute_script("return !!(window.sitrepMap && sitrepMap.ready)"):
                break
            time.sleep(0.1)
        time.sleep(1.5)
        d.save_screenshot(str(out / "map-10000.png"))
        d.get(base + "/trends?country=Sudan&unit=week")
        time.sleep(1)
        d.save_screenshot(str(out / "trends.png"))
        page = _correct(d, base, token)
        d.set_window_size(1400, 1500)
        d.get(page)
        time.sleep(1)
        d.save_screenshot(str(out / "audit.png"))
    finally:
        d.quit()
    print(f"screenshots in {out}: map-10000.png, trends.png, audit.png")


if __name__ == "__main__":
    main()
