"""Cross-report merging: which tellings are one event, and order never matters."""

import itertools
import random

from sitrep.merge import Member, clusters, compatible, merge_members, norm_name, place
from sitrep.model import Event, Evidence

SYR = "Military Forces of Syria"
IS = "Islamic State"
HTS = "Hayat Tahrir al-Sham"


def ev(loc="As Sukhnah", lat=34.885, lon=38.871, date="2017-07-22", a1=SYR, a2=IS,
       et="Battles", sub="Armed clash", fat=None, line=1, admin2=None, prec=1, country="Syria"):
    return Event(
        event_id="E1", doc_id="d", event_date=date, event_type=et, sub_event_type=sub,
        actor1=a1, inter1=1 if a1 else None, actor2=a2, inter2=2 if a2 else None,
        country=country, admin1="Homs", location=loc, latitude=lat, longitude=lon,
        geo_precision=prec, fatalities=fat, injured=None, source=None, attribution=None,
        notes=f"{a1} clashed with {a2} near {loc}.", confidence=0.8,
        evidence=[Evidence(line=line, text=f"evidence at {loc}")], admin2=admin2,
    )


def m(rid, i, event, outlet="FNA", rdate="2017-07-22"):
    return Member(f"{rid}-{i:03d}", rid, outlet, rdate, event)


def test_same_clash_told_by_two_outlets_is_compatible():
    a = m("aaaa", 0, ev(fat=30), "FNA")
    b = m("bbbb", 0, ev(loc="al-Sukhnah", lat=34.89, lon=38.88, fat=12, date="2017-07-21"), "SOHR")
    assert compatible(a, b)


def test_different_place_day_type_or_actors_are_apart():
    a = m("aaaa", 0, ev())
    far = m("bbbb", 0, ev(loc="Palmyra", lat=34.56, lon=38.27))  # ~70 km away
    late = m("cccc", 0, ev(date="2017-07-25"))
    shelling = m("dddd", 0, ev(et="Explosions/Remote violence", sub="Shelling/artillery/missile attack"))
    other_enemy = m("eeee", 0, ev(a2=HTS))
    for other in (far, late, shelling, other_enemy):
        assert not compatible(a, other)


def test_battles_subtypes_merge_and_keep_the_territory_change():
    a = m("aaaa", 0, ev(sub="Armed clash", fat=30), "FNA")
    b = m("bbbb", 0, ev(sub="Government regains territory", fat=12), "SOHR")
    (merged,) = merge_members([a, b])
    assert merged.event.sub_event_type == "Government regains territory"
    assert merged.corroboration == 2 and merged.sources == ["FNA", "SOHR"]
    assert merged.event.fatalities == 12
    assert "Reported fatalities range from 12 to 30." in merged.event.notes
    assert merged.fatalities_range == (12, 30)
    assert {(e.source, e.line) for e in merged.event.evidence} == {("FNA", 1), ("SOHR", 1)}


def test_one_unknown_side_is_compatible_but_a_different_known_side_is_not():
    full = m("aaaa", 0, ev(a2=IS))
    half = m("bbbb", 0, ev(a2=None))
    other = m("cccc", 0, ev(a1=HTS, a2=None))
    assert compatible(full, half)
    assert not compatible(half, other)


def test_an_unidentified_armed_group_is_an_unknown_side():
    assert compatible(m("aaaa", 0, ev(a2="Unidentified Armed Group (Syria)")), m("bbbb", 0, ev(a2=HTS)))


def test_a_province_level_event_with_no_named_actor_merges_with_nothing():
    vague = m("aaaa", 0, ev(loc="Hama", lat=35.13, lon=36.76, a1=None, a2=None, prec=3))
    named = m("bbbb", 0, ev(loc="Hama", lat=35.13, lon=36.76, a1="Military Forces of Russia", a2=IS, prec=3))
    assert not compatible(vague, named)
    assert compatible(named, m("cccc", 0, ev(loc="Hama", lat=35.13, lon=36.76, a1="Military Forces of Russia", a2=IS, prec=3)))


def test_actor_order_does_not_matter():
    # "ISIL attacked the army" and "the army repelled ISIL" are one clash.
    assert compatible(m("aaaa", 0, ev(a1=SYR, a2=IS)), m("bbbb", 0, ev(a1=IS, a2=SYR)))


def test_undated_events_merge_only_within_the_same_report_date():
    a = m("aaaa", 0, ev(date=None), rdate="2017-07-22")
    b = m("bbbb", 0, ev(date=None), rdate="2017-07-22")
    c = m("cccc", 0, ev(date=None), rdate="2017-07-23")
    dated = m("dddd", 0, ev(date="2017-07-22"))
    assert compatible(a, b)
    assert not compatible(a, c)
    assert not compatible(a, dated)


def test_same_report_is_never_merged_with_itself():
    # The extractor keeps "al-Dana" and "Sarmada" apart although they are 4 km apart.
    a = m("aaaa", 0, ev(loc="Sarmada", lat=36.179, lon=36.722, a1=HTS, a2="Ahrar al-Sham"))
    b = m("aaaa", 1, ev(loc="Ad Dana", lat=36.2125, lon=36.77, a1=HTS, a2="Ahrar al-Sham"))
    assert not compatible(a, b)
    assert len(merge_members([a, b])) == 2


def test_names_match_when_coordinates_are_missing():
    assert norm_name("al-Sukhnah") == norm_name("As Sukhnah") == "sukhnah"
    a = m("aaaa", 0, ev(loc="Humeimeh", lat=None, lon=None))
    b = m("bbbb", 0, ev(loc="al-Humeimeh", lat=None, lon=None))
    assert compatible(a, b)


def test_complete_link_does_not_chain_distinct_events():
    # B is within 10 km of both A and C, which are 16 km apart: B joins one, never both.
    a = m("aaaa", 0, ev(loc="Point A", lat=34.80, lon=38.87))
    b = m("bbbb", 0, ev(loc="Point B", lat=34.87, lon=38.87))
    c = m("cccc", 0, ev(loc="Point C", lat=34.94, lon=38.87))
    assert compatible(a, b) and compatible(b, c) and not compatible(a, c)
    assert sorted(len(cl) for cl in clusters([a, b, c])) == [1, 2]


def _snapshot(merged):
    return sorted(
        (me.event.event_id, tuple(me.members), me.event.fatalities, me.event.notes, me.corroboration)
        for me in merged
    )


def test_merging_is_order_independent_and_ids_are_stable():
    rng = random.Random(7)
    places = [("As Sukhnah", 34.885, 38.871), ("Palmyra", 34.56, 38.27), ("Arak", 34.66, 38.55)]
    members = []
    for r in range(8):
        rid = f"r{r:03d}"
        for i, (loc, lat, lon) in enumerate(rng.sample(places, 2)):
            members.append(m(rid, i, ev(loc=loc, lat=lat + rng.uniform(-0.03, 0.03), lon=lon,
                                         date=f"2017-07-{rng.choice([21, 22, 23])}",
                                         fat=rng.choice([None, 5, 12, 30])),
                              outlet=rng.choice(["FNA", "SANA", "SOHR"])))
    expected = _snapshot(merge_members(members))
    for _ in range(20):
        rng.shuffle(members)
        assert _snapshot(merge_members(members)) == expected
    for perm in itertools.islice(itertools.permutations(members[:5]), 30):
        assert _snapshot(merge_members(list(perm))) == _snapshot(merge_members(members[:5]))


def test_day_by_day_clustering_equals_plain_greedy_over_everything():
    # Closing clusters two days old is only a shortcut: it must not change any cluster.
    rng = random.Random(11)
    members = [
        m(f"r{r:03d}", i, ev(loc=f"P{rng.randint(0, 3)}", lat=34.8 + rng.choice([0, 0.05, 0.12]), lon=38.87,
                             date=f"2017-07-{rng.randint(10, 16)}", a2=rng.choice([IS, None])))
        for r in range(40) for i in range(2)
    ]
    plain: list = []
    for x in sorted(members, key=lambda x: (x.event.event_date, x.report_date, x.member_id)):
        place(x, plain)
    as_sets = lambda cls: sorted(sorted(x.member_id for x in cl) for cl in cls)
    assert as_sets(clusters(members)) == as_sets(plain)
    assert any(len(cl) > 2 for cl in plain)


def test_merged_event_ids_are_unique_because_members_are():
    from sitrep.merge import merged_event_id

    # 20,000 one-member events of one country: a 9-digit hash of the member id collided at this size.
    one = ev()
    ids = {merged_event_id([m(f"{i:016x}", 0, one)]) for i in range(20000)}
    assert len(ids) == 20000 and all(i.startswith("SYR") for i in ids)
