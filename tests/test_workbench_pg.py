"""Users, corrections and watched feeds kept beside the events in a PostgreSQL store (a real server)."""

from __future__ import annotations

import pytest
from pg_server import needs_pg, pg_url  # noqa: F401  (pg_url is a fixture)

from sitrep.demo import sample_files
from sitrep.ingest import ingest
from sitrep.review import Review, reviewed_events
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.users import Users
from sitrep.watch import SCHEMA as WATCH_SCHEMA
from sitrep.tables import ensure_tables, writing

pytestmark = needs_pg


@pytest.fixture()
def store(pg_url):  # noqa: F811
    s = Store(pg_url)
    with sample_files() as samples:
        ingest([str(p) for p in samples], s, Settings(date="2017-07-22"))
    yield s
    s.release()


def test_users_and_sessions_in_postgresql(store):
    users = Users(store)
    token = users.add("alice", "editor")
    assert users.by_token(token).role == "editor"
    user, cookie = users.session_for(token)
    assert users.from_session(cookie) == user and users.check_csrf(cookie, users.csrf_token(cookie))
    assert [n for n, _, _ in users.list()] == ["alice"]


def test_corrections_in_postgresql(store):
    review = Review(store)
    me = store.events()[0]
    review.correct(me, {"fatalities": str((me.event.fatalities or 0) + 2), "actor1": "Someone Else"}, "checked", "alice")
    fixed = next(x for x in reviewed_events(store) if x.event.event_id == me.event.event_id)
    assert fixed.reviewed and fixed.event.actor1 == "Someone Else"
    assert [c.field for c in review.history(me)] == ["fatalities", "actor1"]  # in the order given
    review.reject(fixed, "not an event", "alice")
    assert me.event.event_id not in {x.event.event_id for x in reviewed_events(store)}


def test_watch_tables_in_postgresql(store):
    ensure_tables(store, WATCH_SCHEMA)
    with writing(store) as con:
        con.run("INSERT INTO watch_feeds VALUES (?, ?, NULL, NULL, ?)", ["https://example.org/feed", 2, "HTTP 503"])
    assert store.query("SELECT failures, last_status FROM watch_feeds") == [(2, "HTTP 503")]
