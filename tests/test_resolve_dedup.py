"""Resolve and dedup: the typed hand-off between them and the coding conventions they apply."""

from sitrep.dedup import dedup
from sitrep.model import Report
from sitrep.pipeline import default_pipeline

TWO_TELLINGS = ("Gunmen killed five villagers in Kauru, Kaduna State, on Monday.\n\n"
                "The army said troops clashed with bandits in Birnin Gwari on Monday.\n\n"
                "Police said the gunmen who killed the villagers in Kauru on Monday also abducted two women.")


def _run(text: str, date: str = "2024-05-06") -> Report:
    return default_pipeline()(Report(text=text, doc_id="t", date=date))


def test_every_draft_carries_the_event_resolve_coded_from_it():
    report = _run(TWO_TELLINGS)
    assert len(report.drafts) == 3
    assert [d.event for d in report.drafts] == report.candidates
    assert all(d.event.evidence[0].line == d.sentence.line for d in report.drafts)


def test_dedup_pairs_tellings_with_events_through_the_link_not_by_position():
    report = _run(TWO_TELLINGS)
    before = [e.to_dict() for e in report.events]
    assert [[ev["line"] for ev in e["evidence"]] for e in before] == [[1, 5], [3]]
    report.candidates.reverse()  # the list's order says nothing: each draft names its own event
    report.events = []
    assert [e.to_dict() for e in dedup(report).events] == before


# ---- resolve's coding conventions (sitrep/coding.py), each on its own and through the pipeline ----------

def test_party_members_attacked_are_civilians_with_the_party_as_associate():
    from sitrep.actors import ActorTable
    from sitrep.coding import party_members_as_civilians

    table = ActorTable.default()
    hdp = table.get("HDP")
    assert party_members_as_civilians("Attack", hdp, table, "TR") == (table.get("civilians:TR"), hdp.name)
    assert party_members_as_civilians("Armed clash", hdp, table, "TR") == (hdp, None)  # a party fighting stays one
    assert party_members_as_civilians("Attack", table.get("military:TR"), table, "TR") == (table.get("military:TR"), None)
    [ev] = _run("Gunmen shot dead two members of the pro-Kurdish HDP in Diyarbakir on Sunday.").events
    assert (ev.actor2, ev.inter2, ev.assoc_actor_2) == ("Civilians (Turkey)", 7, hdp.name)


def test_demonstration_sides_put_the_crowd_first_and_the_force_second():
    from sitrep.actors import ActorTable
    from sitrep.coding import demonstration_sides

    table = ActorTable.default()
    police, crowd = table.get("police:KE"), table.get("protesters:KE")
    assert demonstration_sides("Protest with intervention", police, crowd, table, "KE") == (crowd, police)
    assert demonstration_sides("Peaceful protest", police, crowd, table, "KE") == (crowd, None)
    rioters, force = demonstration_sides("Violent demonstration", crowd, police, table, "KE")
    assert (rioters.name, force) == ("Rioters (Kenya)", police)  # the crowd of a riot is rioters
    assert demonstration_sides("Attack", police, crowd, table, "KE") == (police, crowd)  # no demonstration


def test_a_peaceful_protest_told_without_a_toll_has_no_deaths():
    from sitrep.coding import protest_fatalities

    assert protest_fatalities("Peaceful protest", None) == 0
    assert protest_fatalities("Peaceful protest", 2) == 2
    assert protest_fatalities("Armed clash", None) is None
    [ev] = _run("Thousands of people marched in Nairobi on Tuesday against the new tax law.").events
    assert (ev.sub_event_type, ev.fatalities) == ("Peaceful protest", 0)


def test_geo_precision_conventions():
    from sitrep.coding import geo_precision, region_only

    assert geo_precision(1, 1, "sentence", False) == 1
    assert geo_precision(1, 3, "sentence", False) == 3  # the place is not the one the text named
    assert geo_precision(1, 1, "paragraph", False) == 2  # carried from another sentence
    assert geo_precision(3, 3, "paragraph", False) == 3  # a province stays a province
    assert geo_precision(3, 3, "near", False) == 2 and geo_precision(1, 1, "region", False) == 2
    assert geo_precision(1, 1, "sentence", True) == 2  # the dateline city
    assert region_only("document", "Armed clash") and not region_only("paragraph", "Armed clash")
    assert region_only("paragraph", "Agreement") and not region_only("sentence", "Agreement")


def test_a_place_carried_from_elsewhere_is_coded_as_its_province():
    from sitrep.coding import carried_place
    from sitrep.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    [town] = [m.place for m in gaz.find("Fighting was reported in Maracay.") if m.place is not None]
    province = carried_place(town, "document", "Armed clash", gaz)
    assert (province.name, province.feature, province.precision) == (town.admin1, "admin1", 3)
    assert carried_place(town, "sentence", "Armed clash", gaz) is town
    assert carried_place(None, "document", "Armed clash", gaz) is None
