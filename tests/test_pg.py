"""The PostgreSQL store: the same results as DuckDB, and two ingests plus the web app on one store at once."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pg_server import needs_pg, pg_url  # noqa: F401  (pg_url is a fixture)

from sitrep.errors import InputError, StoreError
from sitrep.store import Store
from test_store import dense_reports, report_a, report_b

pytestmark = needs_pg
ROOT = Path(__file__).resolve().parents[1]


def merged(store: Store) -> list[dict]:
    """Every merged event as plain data, without the last-change time."""
    out = []
    for me in store.events():
        d = me.to_dict()
        d.pop("timestamp")
        out.append(d)
    return sorted(out, key=lambda d: d["event_id"])


def test_postgres_store_merges_and_filters_as_duckdb_does(pg_url, tmp_path):
    pg, duck = Store(pg_url), Store(tmp_path / "s.duckdb")
    reports = dense_reports(n=24) + [report_a(), report_b()]
    rng = random.Random(4)
    for store, size in ((pg, 5), (duck, 3)):
        order = list(reports)
        rng.shuffle(order)
        for i in range(0, len(order), size):
            store.add_reports(order[i:i + size])
    assert merged(pg) == merged(duck) and len(merged(pg)) > 10
    assert pg.counts() == duck.counts()
    for kw in ({"country": "SYR"}, {"date_from": "2017-07-12", "date_to": "2017-07-14"}, {"admin1": "homs"},
               {"actor": "isis"}, {"event_type": "Battles"}, {"min_corroboration": 2}):
        assert [me.event.event_id for me in pg.events(**kw)] == [me.event.event_id for me in duck.events(**kw)], kw
    with pytest.raises(InputError, match="unknown country"):
        pg.events(country="Narnia")
    assert pg.add_report(report_a()).status == "seen"
    pg.remerge_all()
    assert merged(pg) == merged(duck)


def test_a_bad_url_is_one_line(tmp_path):
    with pytest.raises(StoreError, match=r"cannot connect") as err:
        Store("postgresql://nobody:wrong@127.0.0.1:1/none", lock_timeout=2)
    assert "\n" not in str(err.value) and "wrong" not in str(err.value)


TOWNS = [("Palmyra", "Homs"), ("Raqqa", "Raqqa"), ("Deir ez-Zor", "Deir ez-Zor"), ("Idlib", "Idlib"),
         ("Aleppo", "Aleppo"), ("Hama", "Hama")]
OUTLETS = ["SANA", "SOHR", "Reuters", "AFP"]


def corpus(n: int, seed: int = 11) -> list[dict]:
    """n short reports of clashes and strikes in six Syrian towns, several outlets telling the same ones."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        town, province = rng.choice(TOWNS)
        day = rng.randint(1, 6)
        killed = rng.choice([3, 5, 7, 12])
        text = (f"Fighting near {town}\n\nClashes between the Syrian army and ISIS fighters near {town} in {province} "
                f"province killed {killed} militants on Friday, a military source said.\n\n"
                f"Report number {i} from the {rng.choice(['morning', 'evening'])} desk.")
        docs.append({"id": f"doc{i:03d}", "text": text, "date": f"2017-07-{day + 7:02d}", "source": rng.choice(OUTLETS)})
    return docs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_two_ingests_and_the_web_app_share_one_store(pg_url, tmp_path):
    import httpx

    docs = corpus(80)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps(d) + "\n" for d in docs[:50]))  # the two inputs share 20 reports
    b.write_text("".join(json.dumps(d) + "\n" for d in docs[30:]))
    Store(pg_url).release()  # the schema exists before the three processes start
    env = dict(os.environ, SITREP_DB=pg_url)
    port = free_port()
    web = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--port", str(port)], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/api/events", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        ingests = [subprocess.Popen([sys.executable, "-m", "sitrep", "ingest", str(p), "-q", "--batch", "5"],
                                    env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for p in (a, b)]
        statuses = []
        while any(p.poll() is None for p in ingests):
            r = httpx.get(base + "/api/events", params={"country": "Syria"}, timeout=10)
            statuses.append(r.status_code)
        outs = [p.communicate(timeout=60) for p in ingests]
    finally:
        web.terminate()
        web.wait(timeout=10)
    assert [p.returncode for p in ingests] == [0, 0], [o[1][-500:] for o in outs]
    assert statuses and set(statuses) == {200}

    store = Store(pg_url, read_only=True)
    assert store.query("SELECT count(*), count(DISTINCT content_hash) FROM reports") == [(80, 80)]
    assert store.query("SELECT count(*) - count(DISTINCT member_id) FROM report_events") == [(0,)]
    assert store.query("SELECT count(*) FROM report_events WHERE event_id IS NULL "
                       "OR event_id NOT IN (SELECT event_id FROM events)") == [(0,)]
    new = sum(int(o[0].split(" reports new")[0].split()[-1]) for o in outs)
    assert new == 80  # each shared report was stored by one ingest and seen by the other
    # Nothing lost or doubled in the merge either: the events are those of a full re-merge.
    before = merged(store)
    Store(pg_url).remerge_all()
    assert merged(store) == before and max(d["corroboration"] for d in before) >= 3
