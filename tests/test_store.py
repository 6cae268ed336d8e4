"""The DuckDB event store: schema, idempotence, atomicity, order independence, readers."""

import subprocess
import sys
import textwrap
import time

import pytest

from sitrep.errors import StoreError
from sitrep.model import Event, Evidence, Report
from sitrep.store import Store, content_hash
from sitrep.store.schema import SCHEMA_VERSION

SYR = "Military Forces of Syria"
IS = "Islamic State"


def ev(loc, lat, lon, date="2017-07-22", a1=SYR, a2=IS, fat=None, line=1,
       et="Battles", sub="Armed clash"):
    return Event(
        event_id="E", doc_id="d", event_date=date, event_type=et, sub_event_type=sub,
        actor1=a1, inter1=1, actor2=a2, inter2=2, country="Syria", admin1="Homs",
        location=loc, latitude=lat, longitude=lon, geo_precision=1, fatalities=fat,
        injured=None, source=None, attribution="a military source", notes=f"Clash near {loc}.",
        confidence=0.8, evidence=[Evidence(line=line, text=f"They fought near {loc}.")],
    )


def report_a():
    r = Report(text="FNA: army and ISIL clash near al-Sukhnah; army shells Palmyra.", doc_id="a.txt",
               date="2017-07-22", source="FNA")
    r.events = [ev("As Sukhnah", 34.885, 38.871, fat=30, line=3),
                ev("Palmyra", 34.56, 38.27, line=5, et="Explosions/Remote violence",
                   sub="Shelling/artillery/missile attack")]
    return r


def report_b():
    r = Report(text="SOHR: 12 ISIS members killed in clashes near Sukhnah. IED in Daraa.", doc_id="b.txt",
               date="2017-07-22", source="SOHR")
    r.events = [ev("Sukhnah", 34.89, 38.88, date="2017-07-21", fat=12, line=1),
                ev("Daraa", 32.62, 36.10, a1=None, a2=None, line=2, et="Explosions/Remote violence",
                   sub="Remote explosive/landmine/IED")]
    return r


def table(store):
    """The events table as order-free data, without the last-change timestamp."""
    return sorted(store.query("SELECT * EXCLUDE (updated_at) FROM events"), key=repr)


def test_new_store_is_migrated_to_the_latest_schema(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    assert s.schema_version == SCHEMA_VERSION
    s.close()
    # reopening applies nothing twice
    assert Store(tmp_path / "s.duckdb").schema_version == SCHEMA_VERSION
    assert Store(tmp_path / "s.duckdb", read_only=True).query("SELECT count(*), max(version) FROM schema_version") == [
        (1, SCHEMA_VERSION)]


def test_read_only_store_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_not_a_store_is_refused(tmp_path):
    import duckdb

    duckdb.connect(str(tmp_path / "other.duckdb")).execute("CREATE TABLE x (a INT)").close()
    with pytest.raises(StoreError, match="not a sitrep store"):
        Store(tmp_path / "other.duckdb", read_only=True)


def test_same_report_twice_adds_nothing(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    first = s.add_report(report_a())
    again = report_a()
    again.text = "  FNA: army and ISIL clash near al-Sukhnah;\n army shells Palmyra.  "  # same text, other spacing
    second = s.add_report(again)
    assert (first.status, second.status) == ("new", "seen")
    assert content_hash(again.text) == content_hash(report_a().text)
    c = s.counts()
    assert (c["reports"], c["report_events"], c["mentions"], c["events"]) == (1, 2, 2, 2)


def test_two_outlets_merge_and_distinct_events_stay_apart(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.add_report(report_a())
    res = s.add_report(report_b())
    assert (res.events_new, res.events_merged) == (1, 1)
    events = {me.event.location: me for me in s.events()}
    assert len(events) == 3
    clash = next(me for me in events.values() if me.corroboration == 2)
    assert clash.sources == ["FNA", "SOHR"]
    assert clash.event.fatalities == 12 and "range from 12 to 30" in clash.event.notes
    assert clash.event.event_date == "2017-07-21"
    assert sorted((e.source, e.line) for e in clash.event.evidence) == [("FNA", 3), ("SOHR", 1)]
    assert [me.corroboration for me in events.values()].count(1) == 2


def test_a_then_b_equals_b_then_a(tmp_path):
    ab, ba = Store(tmp_path / "ab.duckdb"), Store(tmp_path / "ba.duckdb")
    ab.add_report(report_a()), ab.add_report(report_b())
    ba.add_report(report_b()), ba.add_report(report_a())
    assert table(ab) == table(ba)
    # and equal to recomputing every merge from the stored per-report events
    before = table(ab)
    ab.remerge_all()
    assert table(ab) == before


def test_a_failed_write_leaves_the_store_as_before(tmp_path, monkeypatch):
    s = Store(tmp_path / "s.duckdb")
    s.add_report(report_a())
    before = (s.counts(), table(s))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sitrep.store.write.write_merged", broken)
    with pytest.raises(RuntimeError):
        s.add_report(report_b())
    monkeypatch.undo()
    assert (s.counts(), table(s)) == before
    assert s.add_report(report_b()).status == "new"


def test_unchanged_events_keep_their_timestamp(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.add_report(report_a())
    stamps = {me.event.location: me.timestamp for me in s.events()}
    time.sleep(1.1)
    s.add_report(report_b())
    after = {me.event.location: me.timestamp for me in s.events()}
    assert after["Palmyra"] == stamps["Palmyra"]
    assert after["Daraa"] > stamps["Palmyra"]


def test_a_failure_is_recorded_and_replaced_by_a_later_success(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.record_failure("http://127.0.0.1:9/a", "http://127.0.0.1:9/a: unreachable", url="http://127.0.0.1:9/a")
    s.record_failure("http://127.0.0.1:9/a", "http://127.0.0.1:9/a: HTTP 503", url="http://127.0.0.1:9/a")
    assert s.query("SELECT status, reason FROM reports") == [("failed", "http://127.0.0.1:9/a: HTTP 503")]
    r = report_a()
    r.url = "http://127.0.0.1:9/a"
    s.add_report(r)
    assert s.query("SELECT status FROM reports") == [("ok",)]


def test_filters(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.add_report(report_a()), s.add_report(report_b())
    assert len(s.events(date_from="2017-07-22")) == 2
    assert len(s.events(date_to="2017-07-21")) == 1
    assert len(s.events(country="SYR")) == len(s.events(country="syria")) == 3
    assert s.events(country="Lebanon") == []
    assert len(s.events(event_type="battles")) == 1
    assert len(s.events(event_type="Remote explosive/landmine/IED")) == 1
    assert len(s.events(admin1="homs")) == 3
    assert s.newest_event_date() == "2017-07-22"


READER = textwrap.dedent("""
    import sys, time
    from sitrep.store import Store
    t = time.monotonic()
    s = Store(sys.argv[1], read_only=True, lock_timeout=20)
    n = len(s.events())
    print(n, round(time.monotonic() - t, 3))
""")


def test_a_reader_gets_in_while_a_writer_is_ingesting(tmp_path):
    db = tmp_path / "s.duckdb"
    writer = Store(db)
    writer.add_report(report_a())
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    # Keep writing reports for two seconds while the reader tries to read.
    deadline, i = time.monotonic() + 2.0, 0
    while time.monotonic() < deadline:
        r = Report(text=f"filler report {i}", doc_id=f"f{i}", date="2017-07-23", source="X")
        writer.add_report(r, [ev(f"Place {i}", 30 + i * 0.2, 40.0, date="2017-07-23")])
        i += 1
    writer.release()
    out, err = reader.communicate(timeout=30)
    assert reader.returncode == 0, err
    n, waited = out.split()
    assert int(n) >= 2 and float(waited) < 10
    assert i >= 2


def dense_reports(n=30, seed=5):
    """Many outlets telling overlapping clashes on neighbouring days: merges chain across days."""
    import random

    rng = random.Random(seed)
    out = []
    for r in range(n):
        rep = Report(text=f"dense report {r}", doc_id=f"r{r}", date=f"2017-07-{rng.randint(10, 16)}",
                     source=rng.choice(["FNA", "SANA", "SOHR", "Reuters"]))
        rep.events = [
            ev(f"Spot {rng.randint(0, 2)}", 34.8 + rng.choice([0, 0.05, 0.11]), 38.87,
               date=rng.choice([f"2017-07-{rng.randint(10, 16)}", None]), a2=rng.choice([IS, None]),
               fat=rng.choice([None, 3, 8]), line=i + 1)
            for i in range(rng.randint(1, 3))
        ]
        out.append(rep)
    return out


def test_incremental_merging_equals_a_full_recompute_in_any_order_and_batch_size(tmp_path):
    import random

    reports = dense_reports()
    tables = []
    for k, (order_seed, size) in enumerate(((1, 1), (2, 4), (3, 11), (4, 30))):
        s = Store(tmp_path / f"o{k}.duckdb")
        shuffled = list(reports)
        random.Random(order_seed).shuffle(shuffled)
        for i in range(0, len(shuffled), size):
            s.add_reports(shuffled[i:i + size])
        tables.append(table(s))
        s.remerge_all()
        assert table(s) == tables[-1]
    assert tables[0] == tables[1] == tables[2] == tables[3]
    assert s.query("SELECT max(corroboration) FROM events")[0][0] >= 3  # some events told by three outlets or more


# The schema sitrep wrote before events became columns (versions 1 and 2): each event as JSON text.
LEGACY_SCHEMA = [
    "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)",
    """CREATE TABLE reports (id VARCHAR PRIMARY KEY, doc_id VARCHAR, outlet VARCHAR, url VARCHAR, title VARCHAR,
        published DATE, content_hash VARCHAR UNIQUE, text VARCHAR, n_events INTEGER, ingested_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL, reason VARCHAR)""",
    """CREATE TABLE report_events (member_id VARCHAR NOT NULL, report_id VARCHAR NOT NULL, idx INTEGER NOT NULL,
        family VARCHAR NOT NULL, event_date DATE, report_date DATE, country VARCHAR, outlet VARCHAR,
        event_id VARCHAR, data JSON NOT NULL)""",
    """CREATE TABLE mentions (member_id VARCHAR NOT NULL, report_id VARCHAR NOT NULL, line INTEGER, text VARCHAR,
        attribution VARCHAR, source VARCHAR)""",
    """CREATE TABLE events (event_id VARCHAR NOT NULL, family VARCHAR NOT NULL, event_date DATE, event_type VARCHAR,
        sub_event_type VARCHAR, country VARCHAR, admin1 VARCHAR, latitude DOUBLE, longitude DOUBLE,
        fatalities INTEGER, corroboration INTEGER, sources VARCHAR, n_members INTEGER, data JSON NOT NULL,
        updated_at TIMESTAMP NOT NULL)""",
    "CREATE INDEX report_events_member ON report_events (member_id)",
    "CREATE INDEX report_events_event ON report_events (event_id)",
    "CREATE INDEX events_event ON events (event_id)",
    "CREATE INDEX report_events_day ON report_events (event_date)",
    "INSERT INTO schema_version VALUES (1, now()), (2, now())",
]


def write_legacy_store(path, reports):
    """A version-2 store of these reports, as the JSON-text schema held them (merged events as one per member)."""
    import dataclasses
    import json

    import duckdb

    from sitrep.merge import Member, family, merge_members

    con = duckdb.connect(str(path))
    for sql in LEGACY_SCHEMA:
        con.execute(sql)
    members = []
    for rep in reports:
        h = content_hash(rep.text)
        rid = h[:16]
        con.execute("INSERT INTO reports VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, now(), 'ok', NULL)",
                    [rid, rep.doc_id, rep.source, rep.date, h, rep.text, len(rep.events)])
        for i, e in enumerate(rep.events):
            m = Member(f"{rid}-{i:03d}", rid, rep.source, rep.date, e)
            members.append(m)
            con.execute("INSERT INTO report_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                        [m.member_id, rid, i, family(e), e.event_date, rep.date, e.country, rep.source,
                         json.dumps(dataclasses.asdict(e))])
            for ev in e.evidence:
                con.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)",
                            [m.member_id, rid, ev.line, ev.text, ev.attribution or e.attribution, rep.source])
    for me in merge_members(members):
        d = me.to_dict()
        con.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TIMESTAMP '2020-01-02 03:04:05')",
                    [me.event.event_id, family(me.event), me.event.event_date, me.event.event_type,
                     me.event.sub_event_type, me.event.country, me.event.admin1, me.event.latitude,
                     me.event.longitude, me.event.fatalities, me.corroboration, "; ".join(me.sources),
                     len(me.members), json.dumps(d)])
        con.execute(f"UPDATE report_events SET event_id = ? WHERE member_id IN ({', '.join('?' * len(me.members))})",
                    [me.event.event_id, *me.members])
    con.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_store_of_the_json_schema_is_upgraded_in_place(tmp_path, read_only):
    reports = dense_reports(n=12)
    write_legacy_store(tmp_path / "old.duckdb", reports)
    fresh = Store(tmp_path / "fresh.duckdb")
    fresh.add_reports(reports)

    old = Store(tmp_path / "old.duckdb", read_only=read_only)  # a reader upgrades it too
    assert old.schema_version == SCHEMA_VERSION
    assert table(old) == table(fresh)
    assert old.counts() == fresh.counts()
    # Events that came out as they were keep their last-change time.
    assert {me.timestamp for me in old.events()} == {1577934245}
    assert Store(tmp_path / "old.duckdb").add_report(report_a()).status == "new"


def test_a_newer_store_is_refused_with_one_line(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.query("SELECT 1")
    import duckdb

    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute("INSERT INTO schema_version VALUES (99, now())")
    con.close()
    with pytest.raises(StoreError, match=r"schema v99 is newer than this sitrep \(v3\)"):
        Store(tmp_path / "s.duckdb", read_only=True)
