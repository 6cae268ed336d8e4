"""Review and users: corrections with an audit trail that survive re-ingest and re-merge; tokens stored hashed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.demo import sample_files
from sitrep.errors import InputError
from sitrep.ingest import ingest
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.review import Review, Reviewed
from sitrep.users import Users

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "syria-last-24-hours.txt"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"shared corpus not found at {SEED.parent}")


@pytest.fixture()
def store(tmp_path) -> Store:
    s = Store(tmp_path / "r.duckdb")
    with sample_files() as samples:
        ingest([str(p) for p in samples], s, Settings(date="2017-07-22"))
    return s


def _by_place(events, word):
    return next(me for me in events if word in (me.event.location or ""))


def test_a_correction_is_applied_and_audited(store):
    review = Review(store)
    me = store.events()[0]
    old_actor = me.event.actor1
    records = review.correct(me, {"actor1": "Military Forces of Syria (2000-)", "fatalities": "4", "notes": me.event.notes},
                             "Outlet names the unit; hospital figure", "alice")
    assert [r.field for r in records] == ["actor1", "fatalities"]  # the unchanged note is not recorded
    assert records[0].old == old_actor and records[0].new == "Military Forces of Syria (2000-)"
    assert records[1].new == 4 and records[0].author == "alice" and records[0].reason.startswith("Outlet names")
    shown = review.apply(store.events())
    fixed = next(x for x in shown if x.event.event_id == me.event.event_id)
    assert isinstance(fixed, Reviewed) and fixed.reviewed and not fixed.rejected
    assert fixed.event.actor1 == "Military Forces of Syria (2000-)" and fixed.event.fatalities == 4
    assert fixed.to_dict()["reviewed"] is True
    assert sum(1 for x in shown if getattr(x, "reviewed", False)) == 1
    # A second correction of the same field records the corrected value as the old one.
    again = review.correct(fixed, {"fatalities": "5"}, "Second hospital", "bob")
    assert again[0].old == 4 and again[0].new == 5
    assert [c.field for c in review.history(me)] == ["actor1", "fatalities", "fatalities"]


def test_bad_corrections_are_refused(store):
    review = Review(store)
    me = store.events()[0]
    for changes, reason in [({"fatalities": "-1"}, "x"), ({"fatalities": "many"}, "x"), ({"latitude": "95"}, "x"),
                            ({"sub_event_type": "Picnic"}, "x"), ({"event_date": "22/07/2017"}, "x"),
                            ({"event_id": "X"}, "x"), ({"actor1": "A"}, "  "),
                            ({"event_type": "Protests", "sub_event_type": "Armed clash"}, "x")]:
        with pytest.raises(InputError):
            review.correct(me, changes, reason, "alice")
    assert review.all() == []


def test_new_sub_event_type_brings_its_type_and_a_new_place_its_coordinates(store):
    review = Review(store)
    me = store.events()[0]
    review.correct(me, {"sub_event_type": "Peaceful protest", "location": "Palmyra", "country": "Syria"},
                   "Misread act and place", "alice")
    fixed = review.apply([me])[0]
    assert fixed.event.event_type == "Protests" and fixed.event.sub_event_type == "Peaceful protest"
    assert fixed.event.location == "Palmyra" and abs(fixed.event.latitude - 34.56) < 0.1
    assert abs(fixed.event.longitude - 38.28) < 0.1


def test_a_rejected_event_leaves_the_lists_but_keeps_its_history(store):
    review = Review(store)
    events = store.events()
    me = events[0]
    review.reject(me, "Not an event: a commemoration", "alice")
    assert me.event.event_id not in {x.event.event_id for x in review.apply(events)}
    kept = review.apply(events, include_rejected=True)
    gone = next(x for x in kept if x.event.event_id == me.event.event_id)
    assert gone.rejected and gone.corrections[0].field == "status" and gone.corrections[0].new == "rejected"
    review.correct(gone, {"status": "active"}, "Was an event after all", "bob")
    assert me.event.event_id in {x.event.event_id for x in review.apply(store.events())}


@needs_seed
def test_corrections_survive_re_ingest_and_cross_outlet_re_merge(tmp_path):
    store = Store(tmp_path / "m.duckdb")
    ingest([str(SEED)], store, Settings(date="2017-07-22", source="FNA"))
    review = Review(store)
    before = store.events()
    target = next(me for me in before if "Sukhnah" in (me.event.location or ""))
    review.correct(target, {"fatalities": "21"}, "Checked against the hospital list", "alice")
    # Another outlet's report of the same fight arrives and is merged into the event.
    with sample_files() as samples:
        ingest([str(p) for p in samples] + [str(SEED)], store, Settings(date="2017-07-22"))
    after = review.apply(store.events())
    merged = next(me for me in after if set(target.members) <= set(me.members))
    assert len(merged.members) > len(target.members) and merged.corroboration >= 2
    assert merged.reviewed and merged.event.fatalities == 21
    store.remerge_all()
    again = next(me for me in review.apply(store.events()) if set(target.members) <= set(me.members))
    assert again.event.fatalities == 21


def test_users_tokens_are_shown_once_and_stored_hashed(tmp_path):
    users = Users(Store(tmp_path / "u.duckdb"))
    token = users.add("alice", "editor")
    assert token.startswith("sr_") and len(token) > 30
    assert users.by_token(token).name == "alice" and users.by_token(token + "x") is None
    stored = users.store.query("SELECT * FROM users")
    assert token not in repr(stored)
    with pytest.raises(InputError):
        users.add("alice", "admin")
    for name, role in (("bad name", "reader"), ("bob", "owner"), ("", "reader")):
        with pytest.raises(InputError):
            users.add(name, role)
    reader = users.by_token(users.add("rita", "reader"))
    assert reader.can("reader") and not reader.can("editor")
    assert users.by_token(token).can("editor") and not users.by_token(token).can("admin")


def test_sessions_and_csrf(tmp_path):
    users = Users(Store(tmp_path / "s.duckdb"))
    token = users.add("alice", "editor")
    assert users.session_for("wrong") is None
    user, cookie = users.session_for(token)
    assert users.from_session(cookie) == user
    name, expiry, nonce, sig = cookie.split("|")
    assert users.from_session(f"bob|{expiry}|{nonce}|{sig}") is None  # a forged name
    assert users.from_session(f"{name}|{int(expiry) + 999}|{nonce}|{sig}") is None  # a stretched expiry
    csrf = users.csrf_token(cookie)
    forged = csrf[:-1] + ("1" if csrf[-1] == "0" else "0")
    assert users.check_csrf(cookie, csrf) and not users.check_csrf(cookie, forged)
    assert not users.check_csrf(cookie, None) and not users.check_csrf(None, csrf)
    users.reset_token("alice")
    assert users.from_session(cookie) is None  # a new token ends the old sessions


def test_users_command(tmp_path):
    db = str(tmp_path / "c.duckdb")
    r = CliRunner().invoke(app, ["users", "add", "alice", "--role", "editor", "--db", db])
    assert r.exit_code == 0
    token = r.stdout.strip()
    assert token.startswith("sr_") and "shown once" in r.stderr
    listed = CliRunner().invoke(app, ["users", "list", "--db", db])
    assert "alice\teditor" in listed.stdout and token not in listed.stdout
    bad = CliRunner().invoke(app, ["users", "add", "bob", "--role", "boss", "--db", db])
    assert bad.exit_code == 2 and "invalid role" in bad.stderr
    assert CliRunner().invoke(app, ["users", "remove", "alice", "--db", db]).exit_code == 0
    assert CliRunner().invoke(app, ["users", "remove", "alice", "--db", db]).exit_code == 2


def test_a_corrected_event_leaves_the_lists_its_new_values_do_not_match(store):
    from sitrep.review import reviewed_events

    review = Review(store)
    me = next(m for m in store.events() if m.event.country == "Syria" and m.event.event_type == "Battles")
    review.correct(me, {"country": "Lebanon", "admin1": "Baalbek-Hermel"}, "Across the border", "alice")
    syria = {m.event.event_id for m in reviewed_events(store, country="Syria")}
    assert me.event.event_id not in syria
    assert me.event.event_id in {m.event.event_id for m in reviewed_events(store, event_type="Battles")}
    review.correct(me, {"sub_event_type": "Arrests"}, "An arrest, not a clash", "alice")
    assert me.event.event_id not in {m.event.event_id for m in reviewed_events(store, event_type="Battles")}
