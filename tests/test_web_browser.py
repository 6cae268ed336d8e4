"""The web app in a real headless Chromium: markers on the map, filters, escaping, the token.

Needs Debian's chromium and chromium-driver (scripts/install-browser.sh).  With
SITREP_SCREENSHOTS=DIR set, also saves DIR/brief.png and DIR/map.png (the docs' screenshots).
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (run scripts/install-browser.sh)", allow_module_level=True)

import uvicorn  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from sitrep.demo import find_seed, sample_files  # noqa: E402
from sitrep.ingest import ingest  # noqa: E402
from sitrep.settings import Settings  # noqa: E402
from sitrep.store import Store  # noqa: E402
from sitrep.web import create_app  # noqa: E402

TOKEN = "browser-token"
XSS_TEXT = ("Clashes between the Syrian army and ISIL killed 9 fighters near Palmyra in eastern Homs on Friday "
            "<script>alert(1)</script>, activists said.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "b.duckdb"
    store = Store(db)
    seed = find_seed()
    with sample_files() as samples:
        inputs = [str(p) for p in samples] + ([str(seed)] if seed else [])
        ingest(inputs, store, Settings(date="2017-07-22", source="FNA"))
    store.release()
    port = _free_port()
    config = uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    profile = tempfile.mkdtemp(prefix="sitrep-chromium-")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                "--window-size=1280,900"):
        opts.add_argument(arg)
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to read Content Security Policy reports
    driver = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _json(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return json.loads(r.read())


def _post(base: str, body: dict, token: str | None) -> tuple[int, dict]:
    req = urllib.request.Request(base + "/api/reports", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, out = r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    deadline = time.monotonic() + 120
    while status == 202 and out["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)  # queued: the report is extracted in the background
        out = _json(base, out["status_url"])
    return status, out


def _click_marker(driver, event_id: str) -> None:
    # Leaflet opens a path's popup where the click happened: click the marker's centre.
    driver.execute_script(
        "var p = document.querySelector('path.sitrep-ev-' + arguments[0].toLowerCase()), r = p.getBoundingClientRect();"
        "p.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + r.width / 2,"
        " clientY: r.top + r.height / 2}));", event_id)


def _no_alert(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_map_shows_one_marker_per_event(server, browser):
    events = _json(server, "/api/events")
    placed = [e for e in events if e["latitude"] is not None]
    assert len(placed) >= 5
    browser.get(server + "/map")
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "path.sitrep-marker"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.sitrep-marker")) == len(placed)
    # One layer per event type, each toggling its markers.
    battles = sum(1 for e in placed if e["event_type"] == "Battles")
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.sitrep-battles")) == battles
    label = next(el for el in browser.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays label")
                 if "Battles" in el.text)
    label.find_element(By.TAG_NAME, "input").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.sitrep-battles")) == 0
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.sitrep-marker")) == len(placed) - battles
    label.find_element(By.TAG_NAME, "input").click()
    # A popup opens with the event's note.
    browser.execute_script("document.querySelector('path.sitrep-marker').dispatchEvent("
                           "new MouseEvent('click', {bubbles: true}))")
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content .sp-note"))
    shots = os.environ.get("SITREP_SCREENSHOTS")
    if shots:
        browser.set_window_size(1280, 1020)
        browser.get(server + "/map")
        WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "path.sitrep-marker"))
        time.sleep(0.5)
        browser.save_screenshot(str(Path(shots) / "map.png"))
        browser.set_window_size(1280, 900)


def test_filters_change_the_table(server, browser):
    browser.get(server + "/events")
    all_rows = len(browser.find_elements(By.CSS_SELECTOR, "tr.event-row"))
    assert all_rows >= 5
    Select(browser.find_element(By.NAME, "type")).select_by_visible_text("Battles")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "type=Battles" in d.current_url)
    battle_rows = browser.find_elements(By.CSS_SELECTOR, "tr.event-row")
    assert 0 < len(battle_rows) < all_rows
    assert len(battle_rows) == len(_json(server, "/api/events?type=Battles"))
    min_c = browser.find_element(By.NAME, "min_corroboration")
    min_c.clear()
    min_c.send_keys("2")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "min_corroboration=2" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.event-row")
    assert len(rows) == len(_json(server, "/api/events?type=Battles&min_corroboration=2")) < len(battle_rows)


def test_posting_without_token_is_refused(server):
    status, body = _post(server, {"text": "Army units clashed with ISIL near Palmyra on Friday."}, token=None)
    assert status == 401
    status, _ = _post(server, {"text": "Army units clashed with ISIL near Palmyra on Friday."}, token="nope")
    assert status == 401


def test_xss_report_renders_as_text(server, browser):
    status, job = _post(server, {"text": XSS_TEXT, "source": "<i>Test</i> outlet", "date": "2017-07-22"}, TOKEN)
    assert status == 202 and job["status"] == "done", job
    out = job["result"]
    assert out["event_ids"]
    browser.get(server + f"/events/{out['event_ids'][0]}")
    mentions = browser.find_elements(By.CSS_SELECTOR, ".mention")
    assert any("<script>alert(1)</script>" in m.text for m in mentions)
    assert _no_alert(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, ".mention script, .mention i")
    for path in ("/events", "/map", "/"):
        browser.get(server + path)
        assert _no_alert(browser), path
    # In the map popup the report's words show as text, too.
    browser.get(server + "/map")
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "path.sitrep-marker"))
    _click_marker(browser, out["event_ids"][0])
    popup = WebDriverWait(browser, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, ".leaflet-popup-content"))
    # textContent, not .text: the popup fades in, and Selenium reports a transparent element's text as empty.
    assert "<script>alert(1)</script>" in popup.get_attribute("textContent")
    assert not popup.find_elements(By.TAG_NAME, "script")
    assert _no_alert(browser)


def test_brief_page(server, browser):
    browser.get(server + "/")
    assert "situation brief" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "li.item")
    shots = os.environ.get("SITREP_SCREENSHOTS")
    if shots:
        browser.set_window_size(1100, 1500)
        browser.get(server + "/?date=2017-07-22")
        time.sleep(0.3)
        browser.save_screenshot(str(Path(shots) / "brief.png"))
        browser.set_window_size(1280, 900)


def _csp_reports(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_every_page_runs_under_the_content_security_policy(server, browser):
    _csp_reports(browser)  # what earlier tests left in the log
    event_id = _json(server, "/api/events")[0]["event_id"]
    for path, ready in [("/", "li.item"), ("/events", "tr.event-row"), (f"/events/{event_id}", ".mention"),
                        ("/map", "path.sitrep-marker"), ("/docs", "#swagger-ui .swagger-ui")]:
        browser.get(server + path)
        # The map's markers and Swagger UI's own elements exist only if their scripts ran under the policy.
        WebDriverWait(browser, 15).until(lambda d, css=ready: d.find_elements(By.CSS_SELECTOR, css))
        assert _csp_reports(browser) == [], path
    # A script the page did not write is refused: the policy is in force, not merely sent.
    browser.get(server + "/events")
    browser.execute_script("var s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                           "document.body.appendChild(s);")
    assert browser.execute_script("return window.injected === undefined")
    assert _csp_reports(browser)
