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

# Browser tests start a server and a headless browser each: they run with the slow tests (`-m slow`).
pytestmark = pytest.mark.slow

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
from sitrep.users import Users  # noqa: E402
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
    USERS["editor"] = Users(store).add("eddie", "editor")
    USERS["reader"] = Users(store).add("rita", "reader")
    store.release()
    yield from _serve(db)


USERS: dict[str, str] = {}


def _serve(db):
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


def _map_ready(driver, timeout: float = 30) -> dict:
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return !!(window.sitrepMap && (sitrepMap.ready || sitrepMap.error))"))
    state = driver.execute_script("return {ready: sitrepMap.ready, error: sitrepMap.error, shown: sitrepMap.shown,"
                                  " total: sitrepMap.total, placed: sitrepMap.placed, readyMs: sitrepMap.readyMs,"
                                  " loadMs: sitrepMap.loadMs}")
    assert state["ready"], state["error"]
    return state


def _on_map(driver) -> int:
    """Events on the map as drawn now: single markers plus the counts of the cluster bubbles."""
    return driver.execute_script(
        "var n = document.querySelectorAll('path.sitrep-marker').length;"
        "sitrepMap.cluster.eachLayer(function(){});"  # (markers inside clusters are not drawn)
        "document.querySelectorAll('.sp-cluster').forEach(function(c){"
        " n += parseInt(c.querySelector('.sp-cluster-n').textContent, 10);});"
        "return n;")


def _click_marker(driver, event_id: str) -> None:
    # Zoom until the marker is out of its cluster, then open its popup.
    assert driver.execute_script("return sitrepMap.show(arguments[0])", event_id)


def _no_alert(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_map_counts_agree_and_type_filters_work(server, browser):
    events = _json(server, "/api/events")
    placed = [e for e in events if e["latitude"] is not None]
    assert len(placed) >= 5
    browser.get(server + "/map")
    state = _map_ready(browser)
    assert state["shown"] == state["placed"] == len(placed)
    WebDriverWait(browser, 10).until(lambda d: _on_map(d) == len(placed))  # clusters and markers add up
    assert f"{len(placed)} of {len(placed)} mapped events shown" in browser.find_element(By.CSS_SELECTOR, ".sp-count").text
    # The panel's count per type is the number of that type on the map; unticking one hides exactly those.
    battles = sum(1 for e in placed if e["event_type"] == "Battles")
    row = next(el for el in browser.find_elements(By.CSS_SELECTOR, ".sp-type-row") if "Battles" in el.text)
    assert f"Battles ({battles})" in row.text
    row.find_element(By.TAG_NAME, "input").click()
    WebDriverWait(browser, 10).until(lambda d: _on_map(d) == len(placed) - battles)
    assert browser.execute_script("return sitrepMap.shown") == len(placed) - battles
    row.find_element(By.TAG_NAME, "input").click()
    WebDriverWait(browser, 10).until(lambda d: _on_map(d) == len(placed))
    # A popup opens with the event's facts.
    _click_marker(browser, placed[0]["event_id"])
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content .sp-facts"))
    shots = os.environ.get("SITREP_SCREENSHOTS")
    if shots:
        browser.set_window_size(1280, 1020)
        browser.get(server + "/map")
        _map_ready(browser)
        time.sleep(1.0)
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
    # In the map popup the outlet's name (markup in it) shows as text, too.
    browser.get(server + "/map")
    _map_ready(browser)
    _click_marker(browser, out["event_ids"][0])
    popup = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".leaflet-popup-content"))
    # textContent, not .text: the popup fades in, and Selenium reports a transparent element's text as empty.
    assert "<i>Test</i> outlet" in popup.get_attribute("textContent")
    assert not popup.find_elements(By.TAG_NAME, "script") and not popup.find_elements(By.TAG_NAME, "i")
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


# ------------------------------------------------------------------ the map at 10,000 events

BIG = 10_000


@pytest.fixture(scope="module")
def big_map(tmp_path_factory):
    from sitrep.mapview import build_map
    from sitrep.synthetic import synthetic_events

    events = synthetic_events(BIG)
    path = tmp_path_factory.mktemp("bigmap") / "map.html"
    path.write_text(build_map(events, title=f"sitrep: {BIG} events"), "utf-8")
    return path, events


def test_static_map_of_10000_events_loads_and_clusters(big_map, browser):
    path, events = big_map
    size = path.stat().st_size
    start = time.monotonic()
    browser.get(path.as_uri())
    state = _map_ready(browser)
    wall = time.monotonic() - start
    print(f"\nmap of {BIG:,} events ({size / 1e6:.2f} MB file): ready {state['readyMs']} ms after navigation "
          f"(its script {state['loadMs']} ms; {wall:.2f} s as the test saw it)")
    assert state["shown"] == state["placed"] == BIG
    clusters = browser.find_elements(By.CSS_SELECTOR, ".sp-cluster")
    assert 0 < len(clusters) < 300  # clustered, not 10,000 circles
    WebDriverWait(browser, 10).until(lambda d: _on_map(d) == BIG)
    assert size < 2_500_000  # the compact form, not megabytes of markup per marker
    assert state["readyMs"] < 10_000  # a guard only; the figure is printed above


def test_date_slider_changes_what_is_shown(big_map, browser):
    import datetime as dt

    path, events = big_map
    browser.get(path.as_uri())
    _map_ready(browser)
    lo, hi = (dt.date.fromisoformat(events[i].event.event_date) for i in (0, -1))
    first = hi - dt.timedelta(days=29)
    expected = sum(1 for me in events if first.isoformat() <= me.event.event_date)
    epoch = dt.date(1970, 1, 1)
    browser.execute_script(
        "var s = document.querySelector('.sp-from'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('input', {bubbles: true}));", (first - epoch).days)
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return sitrepMap.shown") == expected)
    assert 0 < expected < BIG
    WebDriverWait(browser, 10).until(lambda d: _on_map(d) == expected)
    label = browser.find_element(By.CSS_SELECTOR, ".sp-range-text").text
    assert label == f"{first.isoformat()} – {hi.isoformat()}"
    assert f"{expected:,} of {BIG:,} mapped events shown" in browser.find_element(By.CSS_SELECTOR, ".sp-count").text
    # The country and actor filters narrow it further, and the type counts follow.
    Select(browser.find_element(By.CSS_SELECTOR, ".sp-country-filter")).select_by_value("Sudan")
    sudan = sum(1 for me in events if first.isoformat() <= me.event.event_date and me.event.country == "Sudan")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return sitrepMap.shown") == sudan)
    counts = browser.execute_script(
        "var n = 0; document.querySelectorAll('.sp-type-row .sp-n').forEach(function(e){"
        " n += parseInt(e.textContent.slice(1), 10);}); return n;")
    assert counts == sudan


# ------------------------------------------------------------------ the API docs, review, roles, CSRF

def _operations(server: str) -> set[tuple[str, str]]:
    spec = _json(server, "/openapi.json")
    return {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}


def test_docs_render_every_operation(server, browser):
    browser.get(server + "/docs")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock"))
    shown = set()
    for block in browser.find_elements(By.CSS_SELECTOR, ".opblock"):
        method = block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text.strip()
        path = block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path")
        shown.add((method, path))
    assert shown == _operations(server)
    assert not browser.find_elements(By.XPATH, "//*[contains(text(), 'Unable to render this definition')]")


def _login(browser, server: str, name: str, token: str, next_path: str = "/") -> None:
    browser.delete_all_cookies()
    browser.get(f"{server}/login?next={next_path}")
    browser.find_element(By.NAME, "name").send_keys(name)
    browser.find_element(By.NAME, "token").send_keys(token)
    browser.find_element(By.CSS_SELECTOR, "form.login button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "/login" not in d.current_url and d.current_url.endswith(next_path))


def _csv_row(server: str, event_id: str) -> dict:
    import csv
    import io

    with urllib.request.urlopen(server + "/api/events.csv", timeout=10) as r:
        rows = list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
    return next((row for row in rows if row["event_id_cnty"] == event_id), {})


def test_an_editors_correction_shows_on_the_event_page_and_in_the_csv(server, browser):
    target = next(e for e in _json(server, "/api/events") if e["latitude"] is not None)
    eid = target["event_id"]
    new = str((target["fatalities"] or 0) + 3)
    assert _csv_row(server, eid)["reviewed"] == "False"
    _login(browser, server, "eddie", USERS["editor"], f"/events/{eid}")
    assert "eddie · editor" in browser.find_element(By.CSS_SELECTOR, "header.top").text
    form = browser.find_element(By.CSS_SELECTOR, "form.review")
    fat = form.find_element(By.NAME, "fatalities")
    fat.clear()
    fat.send_keys(new)
    form.find_element(By.NAME, "reason").send_keys(f"Hospital list gives {new}")
    form.find_element(By.CSS_SELECTOR, "button[value=correct]").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.audit-row"))
    row = browser.find_element(By.CSS_SELECTOR, "tr.audit-row").text
    assert "eddie" in row and "fatalities" in row and new in row and f"Hospital list gives {new}" in row
    assert new in browser.find_element(By.XPATH, "//dt[text()='Fatalities']/following-sibling::dd[1]").text
    csv_row = _csv_row(server, eid)
    assert csv_row["fatalities"] == new and csv_row["reviewed"] == "True"


def test_a_reader_cannot_edit(server, browser):
    eid = _json(server, "/api/events")[0]["event_id"]
    _login(browser, server, "rita", USERS["reader"], f"/events/{eid}")
    assert not browser.find_elements(By.CSS_SELECTOR, "form.review")
    assert "only editors and admins can correct events" in browser.find_element(By.ID, "review").find_element(
        By.XPATH, "following-sibling::p[last()]").text
    # Even a hand-made form with the session's own CSRF token is refused for a reader.
    csrf = browser.find_element(By.CSS_SELECTOR, "header.top input[name=csrf]").get_attribute("value")
    browser.execute_script(
        "var f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "[['csrf', arguments[1]], ['fatalities', '99'], ['reason', 'x']].forEach(function(p){"
        " var i = document.createElement('input'); i.name = p[0]; i.value = p[1]; f.appendChild(i);});"
        "document.body.appendChild(f); f.submit();", f"/events/{eid}/review", csrf)
    WebDriverWait(browser, 10).until(lambda d: "/review" in d.current_url)
    assert "403" in browser.title or "only an editor" in browser.page_source
    assert _csv_row(server, eid)["fatalities"] != "99"


def test_a_forged_form_without_the_csrf_token_is_refused(server, browser):
    eid = _json(server, "/api/events")[1]["event_id"]
    _login(browser, server, "eddie", USERS["editor"], f"/events/{eid}")
    browser.execute_script(
        "var f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "[['fatalities', '999'], ['reason', 'forged']].forEach(function(p){"
        " var i = document.createElement('input'); i.name = p[0]; i.value = p[1]; f.appendChild(i);});"
        "document.body.appendChild(f); f.submit();", f"/events/{eid}/review")
    WebDriverWait(browser, 10).until(lambda d: "/review" in d.current_url)
    assert "CSRF" in browser.page_source
    assert _csv_row(server, eid)["fatalities"] != "999"
    browser.get(f"{server}/events/{eid}")
    assert not browser.find_elements(By.CSS_SELECTOR, "tr.audit-row")


def test_web_map_of_10000_events_loads_from_the_api_and_clusters(tmp_path_factory, browser):
    from sitrep.model import Report
    from sitrep.synthetic import synthetic_events

    db = tmp_path_factory.mktemp("bigweb") / "big.duckdb"
    store = Store(db)
    events = synthetic_events(BIG)
    store.add_report(Report(text="synthetic events for a load test", doc_id="synthetic", date="2025-06-30",
                            source="synthetic"), [me.event for me in events])
    store.release()
    for base in _serve(db):
        start = time.monotonic()
        browser.get(base + "/map")
        state = _map_ready(browser, timeout=60)
        wall = time.monotonic() - start
        with urllib.request.urlopen(base + "/api/map.json", timeout=60) as r:
            size = len(r.read())
        print(f"\nweb map of {BIG:,} events ({size / 1e6:.2f} MB of data from /api/map.json): ready "
              f"{state['readyMs']} ms after navigation ({wall:.2f} s as the test saw it)")
        assert state["shown"] == BIG
        assert 0 < len(browser.find_elements(By.CSS_SELECTOR, ".sp-cluster")) < 300
        assert state["readyMs"] < 20_000


def test_the_map_reads_geojson_as_it_reads_its_own_columns(server, browser):
    # The map takes its events from either form; both must give the same events.
    browser.get(server + "/map")
    _map_ready(browser)
    same = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch('/api/events.geojson').then(function(r){ return r.json(); }).then(function(fc){"
        " var a = sitrepMap.normalise(fc), b = sitrepMap.events, key = function(e){"
        "  return [e.id, e.type, e.sub, e.country, e.admin1, e.loc, e.a1, e.a2, e.fat, e.day, e.prec, e.corr,"
        "          e.lat === null ? null : e.lat.toFixed(4), e.lon === null ? null : e.lon.toFixed(4)].join('|'); };"
        " done([a.length, b.length, a.map(key).sort().join('\\n') === b.map(key).sort().join('\\n')]); });")
    assert same[0] == same[1] > 0 and same[2]


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
