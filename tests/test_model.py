"""Event.to_dict and Event copies, built by hand for speed, against the dataclasses originals."""

from dataclasses import asdict, replace

from sitrep.model import Event, Evidence


def _event() -> Event:
    return Event(
        event_id="SR0", doc_id="d", event_date="2017-07-22", event_type="Battles", sub_event_type="Armed clash",
        actor1="Military Forces of Syria", inter1=1, actor2="Civilians (Syria)", inter2=7, country="Syria",
        admin1="Homs", location="Palmyra", latitude=34.56, longitude=38.28, geo_precision=1, fatalities=3,
        injured=None, source="SANA", attribution=None, notes="n", confidence=0.7,
        evidence=[Evidence(line=3, text="t", doc_id="d", source="SANA"), Evidence(line=5, text="u")],
        trigger="clashed", actor1_id="military:SY",
    )


def test_to_dict_is_asdict_plus_derived_codes_in_order():
    e = _event()
    d = e.to_dict()
    expected = asdict(e)
    expected.update(disorder_type="Political violence", interaction=17, civilian_targeting="Civilian targeting")
    assert d == expected
    assert list(d) == list(expected)
    assert list(d["evidence"][0]) == list(asdict(e.evidence[0]))


def test_to_dict_does_not_share_evidence():
    e = _event()
    d = e.to_dict()
    d["evidence"].append({})
    d["evidence"][0]["line"] = 99
    assert len(e.evidence) == 2 and e.evidence[0].line == 3


def test_copy_is_replace_with_its_own_evidence_list():
    e = _event()
    c = e.copy()
    assert c == replace(e, evidence=list(e.evidence))
    assert c is not e and c.evidence is not e.evidence
    c.evidence.append(Evidence(line=9, text="v"))
    c.fatalities = 1
    assert len(e.evidence) == 2 and e.fatalities == 3
