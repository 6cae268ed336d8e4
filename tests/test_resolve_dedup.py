"""Resolve and dedup: the typed hand-off between them and the coding conventions they apply."""

from sitrep.dedup import dedup
from sitrep.model import Report
from sitrep.pipeline import default_pipeline
from sitrep.rules import Site

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


# ---- dedup: the merge rules' decisions and the conventions of merging ------------------------------------

def _events(text: str) -> list[tuple]:
    return [(e.sub_event_type, e.trigger, e.actor1, e.actor2, e.fatalities) for e in _run(text).events]


def test_the_act_told_after_what_it_left_leads_the_merged_event():
    nigeria, boko = "Military Forces of Nigeria", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
    act_later = "Weapons and ammunition were recovered in Bama on Monday. Troops clashed with Boko Haram fighters in Bama on Monday."
    assert _events(act_later) == [("Armed clash", "clashed", nigeria, boko, None)]
    act_first = "Troops clashed with Boko Haram fighters in Bama on Monday. Weapons and ammunition were recovered in Bama on Monday."
    assert _events(act_first) == [("Armed clash", "clashed", nigeria, boko, None)]


def test_a_demonstration_told_after_its_toll_leads_and_keeps_the_toll():
    text = ("A man was shot dead by police in Nairobi on Tuesday. "
            "Police fired tear gas at thousands of protesters in Nairobi on Tuesday.")
    assert _events(text) == [("Protest with intervention", "tear gas", "Protesters (Kenya)", "Police Forces of Kenya", 1)]


def test_arrests_at_a_protest_make_it_an_intervention_with_the_crowd_as_actor_1():
    text = "Hundreds of people protested against fuel prices in Lagos on Monday. Police arrested 20 people in Lagos."
    assert _events(text) == [("Protest with intervention", "protested", "Protesters (Nigeria)", None, 0)]
    report = _run(text)
    assert ("arrests-at-a-peaceful-protest", 1) in report.trace


def test_a_summary_of_acts_told_one_by_one_is_dropped_and_one_told_alone_is_kept():
    summary = "Russian strikes across Ukraine killed five civilians overnight, officials said."
    alone = _events(summary)
    assert [e[0] for e in alone] == ["Attack"]
    both = _events(summary + " A Russian drone strike on Odesa killed three people on Tuesday.")
    assert [(e[0], e[4]) for e in both] == [("Air/drone strike", 3)]


def test_the_merged_toll_is_the_lowest_told_but_a_demonstrations_gravest_part():
    from sitrep.coding import injuries_only_toll, merged_toll

    assert merged_toll(5, 3, parts=False) == 3 and merged_toll(None, 3, parts=False) == 3
    assert merged_toll(0, 2, parts=True) == 2  # the march's "no one died" yields to the shooting's toll
    assert merged_toll(None, None, parts=True) is None
    assert injuries_only_toll(None, 2) == 0 and injuries_only_toll(None, None) is None and injuries_only_toll(1, 2) == 1
    [ev] = _run("Two people were injured when Russian forces shelled Rylsk on Sunday.").events
    assert (ev.fatalities, ev.injured) == (0, 2)


def test_a_merged_event_takes_the_sides_a_telling_adds():
    from types import SimpleNamespace as Told

    from sitrep.coding import takes_actor1, takes_actor2

    unknown = Told(actor1="Unidentified Armed Group (Nigeria)", actor2=None)
    named = Told(actor1="Boko Haram", actor2="Civilians (Nigeria)")
    assert takes_actor1(unknown, named) and takes_actor2(unknown, named)
    assert not takes_actor1(named, unknown)  # an unidentified group never replaces a named one
    assert not takes_actor2(Told(actor1="Civilians (Nigeria)", actor2=None), named)  # not its own actor 1
    text = ("A suicide bomber killed five people at a market in Maiduguri on Friday. "
            "Boko Haram said one of its fighters carried out the bombing.")
    assert [e[2] for e in _events(text)] == ["Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"]


def test_a_rule_may_retype_to_the_first_listed_type_the_tellings_have():
    from sitrep.rules import _rule

    rule = _rule({"id": "gravest", "action": "retype", "why": "the gravest telling decides",
                  "to": ["Violent demonstration", "Protest with intervention"]}, "merge")
    site = Site(Report(text=""), None, 0, 0, "", frozenset({"Peaceful protest", "Protest with intervention"}))
    assert (rule.to, rule.target(site)) == (None, "Protest with intervention")
    site.types = frozenset({"Peaceful protest"})
    assert rule.target(site) is None
    one = _rule({"id": "one", "action": "retype", "why": "a single type", "to": "Attack"}, "acts")
    assert one.target(site) == "Attack"


def test_a_retype_to_no_acled_type_is_refused_with_its_id():
    import pytest

    from sitrep.rules import RuleError, _rule

    for to in ("Skirmish", ["Armed clash", "Skirmish"], None, []):
        with pytest.raises(RuleError, match="gravest-typo"):
            _rule({"id": "gravest-typo", "action": "retype", "why": "a type ACLED does not have", "to": to}, "merge")
    assert _rule({"id": "ok", "action": "carry", "why": "a carry's to is a scope", "to": "paragraph"}, "carry").to == "paragraph"
