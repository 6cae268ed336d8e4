"""End-to-end tests of `sitrep extract` on the seed report and on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require_shared
from sitrep.pipeline import extract_text
from sitrep.score import load_gold, score

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = SHARED / "seed" / "syria-last-24-hours.txt"
GOLD = SHARED / "seed" / "gold.yaml"


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


@pytest.fixture(scope="module")
def seed_events():
    return [e.to_dict() for e in extract_text(require_shared(SEED).read_text(encoding="utf-8"), date="2017-07-22",
                                               doc_id=str(SEED))]


def test_seed_scores_against_gold(seed_events):
    res = score(load_gold(GOLD), seed_events)
    f = res.figures
    assert f["f1"] >= 0.85, f
    assert f["planned_or_background_coded"] == 0
    assert f["loaded_terms_in_notes"] == 0
    assert f["fatalities_exact"][0] >= 0.9
    # Geocoding: events within 25 km of the gold, and the right admin1.
    assert f["geocode_25km_acc"][0] >= 0.95, f
    assert f["admin1_acc"][0] >= 0.95, f


def test_one_event_per_location(seed_events):
    line5 = [e for e in seed_events if any(ev["line"] == 5 for ev in e["evidence"])]
    places = {e["location"] for e in line5}
    assert {"Saraqib", "Sarmada", "Harim", "Bab al-Hawa"} <= places
    assert all(e["actor1"] == "Hayat Tahrir al-Sham" for e in line5)
    assert all(e["sub_event_type"] == "Non-state actor overtakes territory" for e in line5)


def test_repeated_event_is_merged_with_two_evidence_lines(seed_events):
    tal_burkan = [e for e in seed_events if {ev["line"] for ev in e["evidence"]} & {84, 86}]
    assert len(tal_burkan) == 1
    assert {ev["line"] for ev in tal_burkan[0]["evidence"]} == {84, 86}


def test_fatalities_and_injuries_follow_acled(seed_events):
    execution = [e for e in seed_events if any(ev["line"] == 27 for ev in e["evidence"])][0]
    assert execution["sub_event_type"] == "Attack" and execution["fatalities"] == 1
    clash = [e for e in seed_events if any(ev["line"] == 147 for ev in e["evidence"])][0]
    assert clash["fatalities"] == 30 and clash["injured"] == 50


def test_attribution_is_carried_from_the_named_source(seed_events):
    e02 = [e for e in seed_events if any(ev["line"] == 5 for ev in e["evidence"])][0]
    assert e02["attribution"].lower() == "field sources"
    assert e02["source"] == "FNA"  # from the dateline "TEHRAN (FNA)-"


def test_planned_claims_are_candidates_only_with_all():
    text = "The army is expected to begin an operation in Jobar. Gunmen shot dead two farmers in Harim on Friday."
    asserted = extract_text(text, date="2017-07-22")
    assert [e.sub_event_type for e in asserted] == ["Attack"]
    assert asserted[0].event_date == "2017-07-21"
    everything = extract_text(text, date="2017-07-22", include_all=True)
    assert any(e.modality == "planned" for e in everything)


def test_no_date_means_null_event_date():
    events = extract_text("Gunmen shot dead two farmers in Harim on Friday.")
    assert events and events[0].event_date is None


def test_event_ids_are_stable(seed_events):
    again = [e.to_dict() for e in extract_text(SEED.read_text(encoding="utf-8"), date="2017-07-22", doc_id=str(SEED))]
    assert [e["event_id"] for e in again] == [e["event_id"] for e in seed_events]
    assert len({e["event_id"] for e in seed_events}) == len(seed_events)


def test_notes_are_neutral(seed_events):
    for e in seed_events:
        low = e["notes"].lower()
        for term in ("terrorist", "takfiri", "liberat", "cleansed"):
            assert term not in low, e["notes"]


def test_cli_outputs_jsonl_with_required_keys():
    proc = run_cli("extract", str(require_shared(SEED)), "--date", "2017-07-22")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    required = {"event_id", "doc_id", "event_date", "event_type", "sub_event_type", "actor1", "inter1", "actor2",
                "inter2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities",
                "injured", "source", "attribution", "notes", "confidence", "evidence"}
    assert rows and all(required <= set(r) for r in rows)
    assert all(r["doc_id"] == str(SEED) for r in rows)


def test_cli_bad_inputs_get_one_line_errors_and_good_ones_still_run(tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 attack".encode("latin-1"))
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": "Gunmen shot dead two farmers in Harim."}) + "\n{not json\n")
    proc = run_cli("extract", str(tmp_path / "missing.txt"), str(binary), str(empty), str(latin), str(docs))
    assert proc.returncode == 2
    err = [line for line in proc.stderr.strip().splitlines() if not line.startswith("sitrep: warning:")]
    assert len(err) == 5, proc.stderr
    assert "Traceback" not in proc.stderr
    assert any("missing.txt" in line and "no such file" in line for line in err)
    assert any("binary" in line for line in err)
    assert any("empty" in line for line in err)
    assert any("UTF-8" in line for line in err)
    assert any("docs.jsonl:2" in line for line in err)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["doc_id"] for r in rows] == ["a"]


def test_cli_reads_stdin_and_bad_date():
    proc = run_cli("extract", "-", stdin="Gunmen shot dead two farmers in Harim on Friday.")
    assert proc.returncode == 0 and json.loads(proc.stdout.splitlines()[0])["doc_id"] == "-"
    proc = run_cli("extract", "-", "--date", "22/07/2017", stdin="x")
    assert proc.returncode != 0 and "invalid date" in proc.stderr and "Traceback" not in proc.stderr


def test_score_command(tmp_path):
    out = tmp_path / "ev.jsonl"
    out.write_text(run_cli("extract", str(require_shared(SEED)), "--date", "2017-07-22").stdout)
    proc = run_cli("score", str(GOLD), str(out), "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["f1"] >= 0.85
    proc = run_cli("score", str(tmp_path / "nope.yaml"), str(out))
    assert proc.returncode != 0 and "no such gold file" in proc.stderr


def test_other_wars_name_actors_by_acled_conventions():
    text = (
        "Russian missiles hit residential buildings in Kharkiv overnight, killing four civilians and wounding "
        "12 others, the regional governor said.\n\n"
        "Police in Kyiv detained 20 people who protested outside the parliament against a new law.\n\n"
        "Moscow says it plans to launch a new offensive in the Zaporizhzhia region in the coming weeks.\n"
    )
    events = extract_text(text, date="2023-03-14")
    strike = [e for e in events if e.location == "Kharkiv"][0]
    assert strike.sub_event_type == "Shelling/artillery/missile attack"
    assert (strike.actor1, strike.actor2) == ("Military Forces of Russia", "Civilians (Ukraine)")
    assert (strike.fatalities, strike.injured) == (4, 12)
    protest = [e for e in events if e.event_type == "Protests"][0]
    assert protest.sub_event_type == "Protest with intervention"
    assert (protest.actor1, protest.actor2) == ("Protesters (Ukraine)", "Police Forces of Ukraine")
    assert not any("Zaporizhzhia" in (e.admin1 or "") + (e.location or "") for e in events)


def test_unnamed_military_target_is_the_countrys_forces():
    events = extract_text("Militants linked to al-Qaeda attacked a military post near Boulkessi in Mali on Saturday.")
    assert events[0].sub_event_type == "Armed clash"
    assert events[0].actor2 == "Military Forces of Mali"


@pytest.mark.parametrize("text, expected", [
    ("Turkey has shelled Qamishli, killing two civilians.",
     ("Shelling/artillery/missile attack", "Military Forces of Turkey", "Civilians (Syria)", 2)),
    ("Two soldiers were killed by a roadside bomb planted by Islamic State militants in Manbij.",
     ("Remote explosive/landmine/IED", "Islamic State", None, 2)),
    ("Five civilians were killed in an airstrike by Russian jets on Idlib.",
     ("Air/drone strike", "Military Forces of Russia", "Civilians (Syria)", 5)),
])
def test_agents_of_passives_and_countries_as_subjects(text, expected):
    e = extract_text(text)[0]
    sub, actor1, actor2, fatalities = expected
    assert (e.sub_event_type, e.actor1, e.fatalities) == (sub, actor1, fatalities)
    if actor2:
        assert e.actor2 == actor2


@pytest.mark.parametrize("text", [
    "The Trump administration signed off on selling more than $1.3 billion in artillery to Saudi Arabia.",
    "The fire service was busy fighting two apartment fires overnight in Winnipeg.",
    "Police arrested the journalist in May 2017, and a court later sentenced him to six years.",
    "They deny that many civilians were killed in bombardments.",
])
def test_non_events_stay_out(text):
    assert extract_text(text, date="2018-04-05") == []


def test_output_does_not_depend_on_the_hash_seed():
    """Dask workers run with other hash seeds than the main process: results must not change."""
    import os

    require_shared(SEED)

    outs = []
    for seed in ("11", "18"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "sitrep", "extract", str(SEED), "--date", "2017-07-22"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0
        outs.append(proc.stdout)
    assert outs[0] == outs[1] and outs[0]


@pytest.mark.parametrize("text, sub", [
    ("Fans threw bottles and flares at the team bus outside the stadium in Liverpool on Wednesday.", "Mob violence"),
    ("The school fence in Owerri was pulled down by the youths of the community.", "Mob violence"),
    ("Protesters threw stones at police in Nairobi.", "Violent demonstration"),
])
def test_crowd_violence_without_riot_words(text, sub):
    events = extract_text(text)
    assert [e.sub_event_type for e in events] == [sub]
    assert events[0].actor1.startswith("Rioters")


def test_dateline_places_a_report_that_names_no_other_place():
    events = extract_text("SEOUL, South Korea (CNN) -- Thousands of protesters rallied outside the court on Friday.",
                          date="2017-03-10")
    assert events[0].sub_event_type == "Peaceful protest"
    assert (events[0].location, events[0].country, events[0].geo_precision) == ("Seoul", "South Korea", 2)
    assert events[0].actor1 == "Protesters (South Korea)"


def test_outlet_home_dateline_does_not_pull_places_abroad():
    events = extract_text("TEHRAN (FNA)- The Syrian army retook the town of al-Sukhnah in Eastern Homs on Friday.",
                          date="2017-07-22")
    assert [(e.location, e.admin1, e.source) for e in events] == [("As Sukhnah", "Homs", "FNA")]


def test_towns_outside_conflict_tables_still_get_an_admin1():
    events = extract_text("Protesters marched in Paris on Saturday.", date="2019-01-05")
    assert (events[0].location, events[0].admin1, events[0].country) == ("Paris", "Ile-de-France", "France")


@pytest.mark.parametrize("text, events", [
    ("Kurdish-led fighters drove Islamic State militants out of three villages near Hajin on Monday.",
     [("Non-state actor overtakes territory", "Islamic State", "Hajīn")]),
    # A weak verb moving people or things who are no armed party is no change of territory.
    ("Farmers drove the cattle out of Hajin on Monday.", []),
    ("He drove his children out of the city on Monday.", []),
])
def test_driving_an_armed_party_out_of_a_place_is_a_territorial_change(text, events):
    got = extract_text(text, date="2018-05-01")
    assert [(e.sub_event_type, e.actor2, e.location) for e in got] == events


def test_a_province_named_with_a_wide_region_says_where_in_it():
    # The Euphrates valley runs through several provinces: "of Eastern Aleppo" says which.
    got = extract_text("Government troops recaptured oil fields in the Euphrates valley of Eastern Aleppo on Monday.",
                       date="2018-05-01")
    assert [(e.location, e.admin1, e.geo_precision) for e in got] == [("Aleppo", "Aleppo", 3)]
    # Named alone, the desert goes on where the section's story was placed.
    got = extract_text("Government troops fought ISIL in Southern Raqqa on Monday. "
                       "The troops also seized five oil wells in the depth of the Badiya.", date="2018-05-01")
    assert [(e.sub_event_type, e.admin1) for e in got] == [("Armed clash", "Ar-Raqqa"),
                                                           ("Government regains territory", "Ar-Raqqa")]
    got = extract_text("Government troops seized five oil wells in the depth of Syria's Badiya on Monday.", date="2018-05-01")
    assert [e.location for e in got] == ["Badiya"]


def test_a_weekday_still_to_come_does_not_date_a_past_act():
    # Thursday 5 April 2018: "will convene Friday" is the 6th, and the protest is dated by the report.
    got = extract_text("Lawmakers will convene rare Friday sessions as protesting teachers continue to fill "
                       "the state Capitol in Oklahoma City.", date="2018-04-05")
    assert [(e.sub_event_type, e.event_date) for e in got] == [("Peaceful protest", "2018-04-05")]
    # A past weekday after "by" is still the last one.
    got = extract_text("Two soldiers were killed by gunmen on Friday in Maiduguri.", date="2018-04-05")
    assert [e.event_date for e in got] == ["2018-03-30"]


def test_a_spokesman_telling_of_another_partys_act_is_not_its_agent():
    got = extract_text("BEIRUT (AP) \ufffd A Kurdish militia spokesman says Turkey has shelled a city in northeastern "
                       "Syria as Turkish forces press into a Syrian Kurdish enclave.", date="2018-01-23")
    assert [(e.sub_event_type, e.actor1, e.actor2, e.country, e.source) for e in got] == [
        ("Shelling/artillery/missile attack", "Military Forces of Turkey", None, "Syria", "AP")]
    # A group that speaks of its own act is still its agent.
    got = extract_text("The Taliban said they killed five soldiers in Ghazni on Monday.", date="2018-01-23")
    assert got and got[0].actor1.startswith("Taliban")


def test_a_country_level_lead_and_its_place_are_one_event():
    text = ("Turkey has shelled a city in northeastern Syria, a Kurdish spokesman said. "
            "Nureddine Mehmud says Turkey fired on Qamishli and other towns along the border on Tuesday.")
    got = extract_text(text, date="2018-01-23")
    assert [(e.sub_event_type, e.actor1, e.location, e.geo_precision) for e in got] == [
        ("Shelling/artillery/missile attack", "Military Forces of Turkey", "Al Qāmishlī", 1)]


@pytest.mark.parametrize("text, sub", [
    ("Israeli troops fired at Khan Younis on Monday.", "Shelling/artillery/missile attack"),
    ("Gunmen fired on a checkpoint in Kandahar on Monday.", "Armed clash"),
])
def test_a_state_firing_on_a_town_shells_it(text, sub):
    assert [e.sub_event_type for e in extract_text(text, date="2018-01-23")] == [sub]


def test_a_place_inside_an_actors_name_does_not_set_the_report_country():
    got = extract_text("MOGADISHU, Somalia — Al-Shabaab militants detonated a car bomb near a military base in "
                       "Mogadishu on Thursday, killing five soldiers, police said.", date="2024-05-20")
    assert [(e.actor1, e.actor2, e.country) for e in got] == [("Al Shabaab", "Military Forces of Somalia", "Somalia")]


def test_a_day_of_strikes_told_one_by_one():
    text = ("Russian attacks across Ukraine killed at least four civilians over the past day, officials said.\n\n"
            "Russian forces struck the settlement of Bilozerka with drones. In Donetsk Oblast, one person was killed "
            "in Kostiantynivka and another in Pokrovsk after Russian troops shelled residential areas.\n\n"
            "Ukrainian forces repelled Russian assaults near Pokrovsk, the General Staff said.")
    got = [(e.sub_event_type, e.actor1, e.actor2, e.location) for e in extract_text(text, date="2024-05-22")]
    assert got == [
        ("Air/drone strike", "Military Forces of Russia", "Civilians (Ukraine)", "Bilozerka"),
        ("Shelling/artillery/missile attack", "Military Forces of Russia", "Civilians (Ukraine)", "Kostyantynivka"),
        ("Shelling/artillery/missile attack", "Military Forces of Russia", "Civilians (Ukraine)", "Pokrovsk"),
        ("Armed clash", "Military Forces of Ukraine", "Military Forces of Russia", "Pokrovsk"),
    ]
    # Told alone, the summary is all the report says: it stays.
    alone = extract_text("Russian attacks across Ukraine killed at least four civilians over the past day.", date="2024-05-22")
    assert [e.location for e in alone] == ["Ukraine"]


@pytest.mark.parametrize("text", [
    "Mixed martial arts fighter Conor McGregor has been arrested and charged with assault and criminal mischief.",
    "The US Justice Department says at least $4.5 billion was stolen from the state fund by associates of the minister.",
    "Labour participation fell to 41 percent in Rajasthan.",
    "The vessel arrived at the search area and commenced the search operation off Perth.",
    "Still, there was no unrest or spike in crime in Jaipur, police said.",
    "A young woman was killed when a bullet hit her in the back in Kilburn, a court heard.",
])
def test_crime_numbers_searches_and_trials_are_not_political_violence(text):
    assert extract_text(text, date="2018-04-06") == []


@pytest.mark.parametrize("text, sub", [
    ("Turkish police detained the chief editor of the opposition Cumhuriyet newspaper on Monday.", "Arrests"),
    ("Police have arrested about 4,000 people in two dozen US cities.", "Arrests"),
    ("Iraqi security forces arrested three members of Islamic State in Nineveh province.", "Arrests"),
    ("Militants stole cattle and burned houses in Kidal on Monday.", "Looting/property destruction"),
    ("The army launched an operation against militants in North Waziristan on Monday.", "Armed clash"),
    ("The army won back seven more oil wells in Southern Raqqa.", "Government regains territory"),
])
def test_political_arrests_looting_and_operations_stay_events(text, sub):
    assert [e.sub_event_type for e in extract_text(text, date="2018-04-06")] == [sub]


def test_a_raid_on_a_village_told_twice_with_a_rescue_and_a_road():
    text = ("Suspected bandits on Sunday night attacked Kurya village in Bungudu Local Government Area of Zamfara "
            "State, killing 15 residents and abducting about 30 others.\n\n"
            "A resident told our correspondent that the gunmen stormed the village on motorcycles at about 11pm.\n\n"
            "In a related development, troops on Saturday neutralised four Boko Haram terrorists and rescued 12 "
            "kidnapped victims in Gwoza, Borno State.\n\n"
            "Meanwhile, residents of Kaduna on Monday protested against insecurity, blocking the Kaduna-Abuja highway "
            "before police dispersed them with tear gas.")
    got = [(e.sub_event_type, e.location, e.geo_precision, e.fatalities) for e in extract_text(text, date="2024-05-20")]
    assert got == [("Attack", "Bungudu", 2, 15), ("Armed clash", "Gwoza", 1, 4),
                   ("Protest with intervention", "Kaduna", 1, None)]


def test_a_trailing_clause_about_the_wider_war_does_not_type_the_act():
    text = ("Sudan's paramilitary Rapid Support Forces (RSF) killed at least 40 people in an attack on the Abu Shouk "
            "displacement camp near El Fasher on Sunday, a local activist group said, as fighting for the last army "
            "stronghold in Darfur intensified.")
    got = extract_text(text, date="2024-05-12")
    assert [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in got] == [
        ("Attack", "RSF: Rapid Support Forces", "Civilians (Sudan)", 40)]
    got = extract_text("Sudan's army said its air force carried out strikes on RSF positions in Nyala, South Darfur, "
                       "killing dozens of fighters.", date="2024-05-12")
    assert [(e.sub_event_type, e.actor1, e.actor2) for e in got] == [
        ("Air/drone strike", "Military Forces of Sudan", "RSF: Rapid Support Forces")]


def test_rockets_land_where_they_are_fired_at_and_gangs_do_not_riot():
    got = extract_text("Palestinian militants fired rockets from Gaza toward the Israeli city of Sderot on Tuesday.",
                       date="2024-05-21")
    assert [(e.sub_event_type, e.location) for e in got] == [("Shelling/artillery/missile attack", "Sderot")]
    got = extract_text("PORT-AU-PRINCE, Haiti (AP) — Gang members set fire to dozens of homes in Haiti's capital on "
                       "Saturday and killed at least 12 people.", date="2024-05-21")
    assert [(e.sub_event_type, e.actor1, e.location, e.source) for e in got] == [
        ("Attack", "Unidentified Armed Group (Haiti)", "Port-au-Prince", "AP")]
    got = extract_text("Jihadists killed 15 volunteer soldiers in an ambush near Djibo in northern Burkina Faso.",
                       date="2024-05-21")
    assert [(e.location, e.geo_precision) for e in got] == [("Djibo", 2)]


def test_two_sides_as_one_subject_and_a_bomber_as_agent():
    got = extract_text("M23 rebels and Congolese troops exchanged heavy artillery fire around Sake on Wednesday.",
                       date="2024-05-21")
    assert [(e.actor1, e.actor2) for e in got] == [
        ("M23: March 23 Movement", "Military Forces of the Democratic Republic of Congo")]
    got = extract_text("A suicide bomber blew himself up near a Shiite mosque in Herat, killing at least six worshippers.",
                       date="2024-05-21")
    assert [(e.sub_event_type, e.actor1, e.actor2) for e in got] == [
        ("Suicide bomb", "Unidentified Armed Group (Afghanistan)", "Civilians (Afghanistan)")]
    got = extract_text("ELN guerrillas attacked a military base in the northeastern department of Arauca on Tuesday.",
                       date="2024-05-21")
    assert [(e.location, e.geo_precision) for e in got] == [("Arauca", 3)]


def test_a_list_of_the_days_developments_and_its_stories_are_one_set_of_events():
    text = ("Key developments on May 20:\n\n"
            "- Russian missile strike on Odesa port kills 3, injures 12\n"
            "- Zelensky signs law on mobilization\n\n"
            "A Russian Iskander missile struck port infrastructure in Odesa on the evening of May 19, killing three "
            "people and injuring 12, Governor Oleh Kiper reported.\n\n"
            "Russia's Defense Ministry claimed that its troops had captured the village of Ocheretyne, northwest of "
            "Avdiivka.")
    got = [(e.event_date, e.sub_event_type, e.actor1, e.location) for e in extract_text(text, date="2024-05-20")]
    assert got == [("2024-05-19", "Shelling/artillery/missile attack", "Military Forces of Russia", "Odesa"),
                   # (undated, it takes the day of the section's last dated act)
                   ("2024-05-19", "Non-state actor overtakes territory", "Military Forces of Russia", "Ocheretyne")]


@pytest.mark.parametrize("text, subs", [
    ("Israel and Hamas agreed to a ceasefire in Gaza on Monday.", ["Agreement"]),
    ("The UN called for a ceasefire in Gaza on Monday.", []),
    ("The recent movements of the Polisario are a violation of the ceasefire in Western Sahara.", []),
    ("Social media accounts captured video of the fighter in Brooklyn.", []),
])
def test_ceasefires_agreed_called_for_and_broken(text, subs):
    assert [e.sub_event_type for e in extract_text(text, date="2018-04-06")] == subs


def test_a_force_reporting_its_own_act_and_standing_accusations():
    text = ("Mali's army said on Sunday it had killed 32 Islamist militants during an operation near the town of "
            "Djenne in the central Mopti region, days after an attack on a military camp there left nine soldiers "
            "dead.\n\nHuman rights groups have accused the army and its Russian allies of killing hundreds of "
            "civilians during counter-insurgency operations.")
    got = [(e.sub_event_type, e.actor1, e.actor2, e.location, e.fatalities) for e in extract_text(text, date="2024-03-03")]
    assert got == [("Armed clash", "Military Forces of Mali", "Unidentified Armed Group (Mali)", "Djenné", 32)]


def test_a_group_named_later_as_claiming_the_act_and_a_state_spelled_exactly():
    got = extract_text("Gunmen stormed a military base in Borno on Monday, killing five soldiers. Boko Haram later "
                       "claimed responsibility for the attack.", date="2024-05-20")
    assert [(e.actor1, e.actor2, e.location, e.country) for e in got] == [
        ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Military Forces of Nigeria", "Borno", "Nigeria")]
    # Named later in another paragraph, with no claim, the group is not the gunmen.
    got = extract_text("Gunmen stormed a military base in Borno on Monday, killing five soldiers.\n\n"
                       "Separately, Boko Haram attacked a village in Yobe.", date="2024-05-20")
    assert got[0].actor1 == "Unidentified Armed Group (Nigeria)"


def test_a_claim_told_in_the_next_paragraph_names_the_attackers_and_is_no_second_event():
    text = ("Gunmen attacked a police station in Dera Ismail Khan on Friday night, killing three policemen.\n\n"
            "The attack was claimed on Saturday by the Tehreek-i-Taliban Pakistan.")
    got = [(e.sub_event_type, e.actor1, e.actor2, e.location) for e in extract_text(text, date="2024-06-08")]
    assert got == [("Armed clash", "TTP: Tehreek-i-Taliban Pakistan", "Police Forces of Pakistan", "Dera Ismail Khan")]
    text = text.replace("The attack was claimed on Saturday by the Tehreek-i-Taliban Pakistan.",
                        "The Tehreek-i-Taliban Pakistan claimed responsibility for the attack.")
    assert [e.actor1 for e in extract_text(text, date="2024-06-08")] == ["TTP: Tehreek-i-Taliban Pakistan"]


def test_assailants_are_not_the_pro_government_militia_they_attacked():
    text = ("VDP volunteers guard the market town of Djibo.\n\n"
            "On Sunday, hundreds of assailants attacked Djibo, killing 12 soldiers.")
    got = extract_text(text, date="2024-06-10")
    assert [e.actor1 for e in got] == ["Unidentified Armed Group (Burkina Faso)"]


def test_weapons_recovered_after_a_raid_are_part_of_the_raid_even_placed_at_the_district():
    text = ("Security forces killed six militants in a raid in the Mir Ali area of North Waziristan district on "
            "Tuesday, the military said. Weapons and ammunition were recovered in North Waziristan, it added.")
    got = [(e.sub_event_type, e.location) for e in extract_text(text, date="2024-06-12")]
    assert got == [("Armed clash", "Mir Ali")]


@pytest.mark.parametrize("text, subs", [
    ("Family members of detained lawyers had drawn international attention in Beijing.", []),
    ("The court agreed that Park had abused her authority in Seoul.", []),
    ("Two opposition activists were detained in Baku on Monday.", ["Arrests"]),
])
def test_detained_as_an_adjective_and_abuse_of_office(text, subs):
    assert [e.sub_event_type for e in extract_text(text, date="2018-04-06")] == subs


@pytest.mark.parametrize("text, subs", [
    ("The striker fought back tears as he announced his retirement in Madrid.", []),
    ("Three people were shot dead in a gang-related shooting in Chicago on Saturday night, police said.", []),
    ("A bomb disposal team defused a World War II bomb found on a building site in Frankfurt.", []),
    ("North Korea launched a ballistic missile into the sea off its east coast on Thursday.", []),
    ("Liverpool fans clashed with police outside the stadium in Madrid before the final.", ["Mob violence"]),
    ("Government troops fought back an attack by rebels in Goma on Monday.", ["Armed clash"]),
])
def test_sport_crime_relics_and_tests_are_not_political_violence_but_fans_fighting_police_are(text, subs):
    assert [e.sub_event_type for e in extract_text(text, date="2024-05-20")] == subs


@pytest.mark.parametrize("text, sub", [
    ("Riot police arrested dozens of demonstrators in Tbilisi overnight.", "Protest with intervention"),
    ("Rioting broke out in Leicester on Sunday.", "Violent demonstration"),
    ("Israeli forces demolished three Palestinian homes in the West Bank village of Masafer Yatta on Wednesday.",
     "Looting/property destruction"),
])
def test_riot_police_are_no_riot_and_demolitions_destroy_property(text, sub):
    assert [e.sub_event_type for e in extract_text(text, date="2024-05-20")] == [sub]


def test_the_article_before_a_weapon_is_no_death_toll_and_signatories_are_both_sides():
    got = extract_text("A landmine explosion killed four children near Khan Shaykhun in Idlib.", date="2024-05-20")
    assert [e.fatalities for e in got] == [4]
    assert [e.fatalities for e in extract_text("A soldier was killed in an ambush near Gao.", date="2024-05-20")] == [1]
    got = extract_text("The RSF and the Sudanese army signed a ceasefire agreement in Jeddah on Saturday.", date="2024-05-20")
    assert [(e.sub_event_type, e.actor1, e.actor2) for e in got] == [
        ("Agreement", "RSF: Rapid Support Forces", "Military Forces of Sudan")]


def test_set_fire_to_is_no_purpose_clause():
    got = extract_text("Demonstrators set fire to a police station and looted shops in Nairobi's Kibera slum on "
                       "Wednesday.", date="2024-05-20")
    assert [(e.sub_event_type, e.location) for e in got] == [("Violent demonstration", "Nairobi")]


def test_the_head_of_two_actor_nouns_side_by_side():
    got = extract_text("Three women suicide bombers blew themselves up at the entrance to a camp in Maiduguri.",
                       date="2024-05-20")
    assert [e.actor1 for e in got] == ["Unidentified Armed Group (Nigeria)"]
    got = extract_text("Troops fought off the al-Shabab attackers near Beledweyne.", date="2024-05-20")
    assert got and "Al Shabaab" in (got[0].actor1, got[0].actor2)


def test_bombers_blamed_later_and_an_unidentified_group_matches_a_named_one():
    got = extract_text("Two suicide bombers struck a mosque in Maiduguri on Friday. Police blamed Boko Haram for the "
                       "attack.", date="2024-05-20")
    assert [e.actor1 for e in got] == ["Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"]


@pytest.mark.parametrize("text, subs", [
    ("The projects have been executed by Pakistan Army engineers in Wana.", []),
    ("Militants executed five hostages in Raqqa on Monday.", ["Attack"]),
    ("Speaking to elders, he said having lived through difficult times during kinetic operations against "
     "terrorists in Wana, Pakistan is now at peace.", []),
])
def test_executed_projects_and_lived_through_operations(text, subs):
    assert [e.sub_event_type for e in extract_text(text, date="2024-05-20")] == subs


def test_speakers_with_a_story_of_their_own_tell_of_anothers_act():
    got = extract_text("Residents who fled the fighting in Khartoum said RSF fighters looted homes on Monday.",
                       date="2024-05-20")
    assert [(e.sub_event_type, e.actor1) for e in got] == [("Looting/property destruction", "RSF: Rapid Support Forces")]
    got = extract_text("Police said gunmen attacked a checkpoint in Kano.", date="2024-05-20")
    assert got[0].actor1 == "Unidentified Armed Group (Nigeria)"


def test_a_footer_year_is_no_page_date_and_rival_groups_clash(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><h1>Clashes erupt in Libyan capital</h1><p>TRIPOLI (Reuters) - Heavy clashes broke "
        "out between rival armed groups in the Libyan capital Tripoli on Monday night, killing at least 10 people, "
        "the health ministry said.</p><p>Residents said the fighting went on until dawn and that many families "
        "fled their homes in the city centre.</p></article><footer>&copy; 2024 News Corp.</footer></body></html>",
        encoding="utf-8")
    out = run_cli("extract", str(page), "--date", "2024-05-21")
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(e["event_date"], e["sub_event_type"], e["actor1"], e["location"], e["fatalities"]) for e in events][:1] == [
        ("2024-05-20", "Armed clash", "Unidentified Armed Group (Libya)", "Tripoli", 10)]


def test_a_place_named_with_its_share_of_a_days_toll_counts_that_share():
    got = extract_text("Israeli air strikes killed at least 25 Palestinians across the Gaza Strip on Monday, including "
                       "10 people sheltering in a school in Nuseirat refugee camp, health officials said.",
                       date="2024-10-14")
    assert [(e.sub_event_type, e.location, e.fatalities) for e in got] == [("Air/drone strike", "Nuseirat", 10)]


def test_foreign_forces_overtake_territory_and_a_government_regains_its_own():
    """ACLED: a state's forces regain territory in their own country; a non-state actor or a
    foreign state's forces overtake it."""
    def sub(text):
        events = extract_text(text, date="2024-05-02")
        assert len(events) == 1, events
        return events[0].sub_event_type, events[0].actor1

    assert sub("Russian forces captured the village of Robotyne in Zaporizhzhia region on Tuesday.") == \
        ("Non-state actor overtakes territory", "Military Forces of Russia")
    assert sub("Ukrainian troops recaptured the village of Robotyne in Zaporizhzhia region on Monday.") == \
        ("Government regains territory", "Military Forces of Ukraine")
    # Taking ground from a group named after "from" makes that group the other side, not the agent.
    assert sub("Turkish forces seized the village of Jinderes from Kurdish YPG fighters.") == \
        ("Non-state actor overtakes territory", "Military Forces of Turkey")
    # A foreign force fighting beside the host's own forces is their affiliate.
    assert sub("Chadian troops, fighting in support of Nigerian forces, recaptured Damasak from Boko Haram on Tuesday.")[0] == \
        "Government regains territory"


def test_a_lexicon_word_opening_a_sentence_is_no_village_and_x_region_is_the_province():
    """'Shelling hit ...' is not Schillig (Germany); 'Kharkiv region' is the oblast, not the city."""
    events = extract_text("Shelling hit Kharkiv region on Monday, the regional governor said.", date="2024-05-02")
    assert [(e.location, e.geo_precision, e.country) for e in events] == [("Kharkiv", 3, "Ukraine")]


def test_a_speakers_own_past_does_not_frame_what_they_report():
    """Background cues in the speaker's noun phrase stop at the speech verb; a life history alone is no event."""
    events = extract_text("A man who survived an attack by gunmen in Zamfara last year said bandits abducted "
                          "20 villagers in Zamfara on Sunday.", date="2018-03-01")
    assert [(e.sub_event_type, e.event_date) for e in events] == [("Abduction/forced disappearance", "2018-02-25")]
    assert extract_text("Abo, a 28-year-old from Damascus who survived detention and torture in Syria's jails, "
                        "now lives in a tent on Samos.", date="2018-03-01") == []
    # The speaker's own frame still counts: "analysts say" is an opinion.
    assert extract_text("Analysts say the army will storm Goma soon.", date="2018-03-01") == []


def test_casualty_conventions_none_reported_split_tolls_and_durations():
    """'No casualties' is 0 (ACLED codes none as 0); the dead of both sides add up; hours are no toll."""
    def deaths(text):
        return [e.fatalities for e in extract_text(text, date="2025-03-01")]

    assert deaths("A Russian drone hit a warehouse in Odesa on Monday. There were no casualties.") == [0]
    assert deaths("Two policemen were martyred and three militants killed when gunmen attacked a checkpoint "
                  "in Bannu on Monday.") == [5]
    assert deaths("Gunmen killed 5 people, including 2 children, in Bama on Sunday.") == [5]
    assert deaths("Fighting lasted more than five hours near Djibo and killed two soldiers.") == [2]
    assert deaths("Five soldiers paid the supreme price when militants attacked their base in Borno.") == [5]


def test_expected_acts_recalled_acts_and_hedged_asides():
    def subs(text):
        return [(e.sub_event_type, e.modality) for e in extract_text(text, date="2025-04-18")]

    # A noun subject followed by "are expected to", or a headline's "to resume", is a plan.
    assert subs("Talks on a humanitarian truce, backed by the United States, Saudi Arabia and Egypt, "
                "are expected to resume in Jeddah next week.") == []
    assert subs("Ceasefire talks to resume") == []
    # "in what would be the deadliest attack" does not make the act a plan.
    assert subs("Strikes on the Ras Isa fuel port killed 38 people on Thursday, in what would be the deadliest "
                "single attack of the campaign.") != []
    # "The attack comes weeks after ..." recalls an earlier act; suspended talks are no agreement.
    assert subs("The Plateau attack comes weeks after more than 50 people were killed in coordinated attacks "
                "on villages in Bokkos.") == []
    assert subs("President Petro, who suspended peace talks with the ELN on Friday, spoke in Bogota.") == []
    # A verb phrase followed by a plan is still a fact.
    assert subs("The army captured the town of Kidal on Tuesday and is expected to push north.") == \
        [("Government regains territory", "asserted")]


def test_guided_aerial_bombs_are_air_strikes_and_suppressed_drones_no_protest():
    events = extract_text("Russian aircraft dropped two guided aerial bombs on the village of Khotin in Sumy "
                          "region on Tuesday.", date="2025-04-18")
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]
    events = extract_text("Air defence units shot down or electronically suppressed 40 of the drones.", date="2025-04-18")
    assert all(e.event_type != "Protests" for e in events)


def test_one_demonstration_told_three_ways_is_one_event_of_the_gravest_kind():
    """A protest, the police dispersing it and the crowd's stone-throwing at one place on one day: one
    violent demonstration (ACLED codes one event per place and day), with the dead shot by police."""
    text = ("Police fired tear gas at thousands of protesters in Nairobi's central business district on Wednesday.\n\n"
            "Groups of young protesters hurled stones at officers on Kenyatta Avenue and looted shops.\n\n"
            "Two protesters were shot dead by police near Moi Avenue, a doctor said.")
    events = extract_text(text, date="2025-06-26")
    assert [(e.sub_event_type, e.location, e.actor1, e.fatalities) for e in events] == \
        [("Violent demonstration", "Nairobi", "Rioters (Kenya)", 2)]


def test_a_non_violent_demonstration_is_not_violent():
    events = extract_text("More than ten protesters were injured after police broke up a non-violent demonstration "
                          "in Najaf on Friday.", date="2020-01-05")
    assert [e.sub_event_type for e in events] != ["Violent demonstration"]


def test_a_hedged_aside_after_the_speech_verb_does_not_make_the_act_a_plan():
    text = ("Updated: April 18, 2025, 11:20 GST\n\nDUBAI: US air strikes on the Ras Isa fuel port on Yemen's Red Sea "
            "coast killed 38 people late on Thursday, the health ministry in Sanaa said on Friday, in what would be "
            "the deadliest single attack of the campaign.")
    events = extract_text(text, date="2025-04-18")
    # (an all-capitals word on the line above does not make "US" shouting)
    assert [(e.sub_event_type, e.actor1, e.fatalities) for e in events] == \
        [("Air/drone strike", "Military Forces of the United States", 38)]


def test_a_deal_denied_or_still_negotiated_is_no_agreement():
    assert extract_text("The rebels deny they are negotiating an evacuation deal with the Russian military in Douma.",
                        date="2018-03-30") == []


def test_an_act_found_by_its_phrasing_alone_reads_its_date():
    """'launched its campaign of strikes on March 15' has no lexicon trigger, but its date is still read."""
    from sitrep.model import Report
    from sitrep.pipeline import process

    report = process(Report(text="The United States launched its current campaign of strikes on March 15.", date="2025-04-18"))
    assert [(c.event_date, c.modality) for c in report.candidates] == [("2025-03-15", "background")]


def test_a_scare_quoted_word_is_still_the_act_but_a_quoted_phrase_is_speech():
    events = extract_text("Russia's Defence Ministry claimed on Wednesday that Russian troops had \"liberated\" the "
                          "settlement of Shevchenko in Donetsk region.", date="2025-06-12")
    assert [(e.sub_event_type, e.actor1, e.location) for e in events] == \
        [("Non-state actor overtakes territory", "Military Forces of Russia", "Shevchenko")]
    assert extract_text('He is the last person in the so-called "709 crackdown" to remain in legal limbo in Beijing.',
                        date="2018-04-05") == []


def test_what_a_raid_leaves_behind_is_part_of_the_raid():
    text = ("In Plateau State, at least 11 people were killed when gunmen attacked Daffo village in Bokkos "
            "on Sunday night, the council chairman said. Several houses were also burnt in Bokkos.")
    events = extract_text(text, date="2025-04-15")
    assert len(events) == 1 and events[0].sub_event_type not in ("Looting/property destruction",)
    assert events[0].fatalities == 11


def test_people_killed_when_gunmen_attacked_is_an_attack_by_the_gunmen():
    events = extract_text("In Plateau State, at least 11 people were killed when gunmen attacked Daffo village in "
                          "Bokkos on Sunday night, the council chairman said.", date="2025-04-15")
    assert [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in events] == \
        [("Attack", "Unidentified Armed Group (Nigeria)", "Civilians (Nigeria)", 11)]


def test_a_month_named_alone_is_background_unless_it_is_the_reports_own():
    text = "In June, dozens of soldiers were killed when fighters overran an army position in Banibangou."
    assert [e.modality for e in extract_text(text, date="2025-07-10", include_all=True)] == ["background"]
    assert [e.modality for e in extract_text(text, date="2025-06-20", include_all=True)] == ["asserted"]


def test_running_totals_and_long_stretches_of_protest_are_no_new_event():
    def modalities(text, date="2025-07-10"):
        return [e.modality for e in extract_text(text, date=date, include_all=True)]

    assert modalities("More than 6,000 people have been killed and hundreds of thousands displaced, according to "
                      "the International Crisis Group.") == ["background"]
    assert modalities("More than 40 people have been killed in insurgency-related incidents in Narathiwat since "
                      "January, the monitoring group said.") == ["background"]
    assert modalities("Serbian students who have led months of anti-government protests have called for a large "
                      "rally in Belgrade on Saturday.", "2025-06-25") in ([], ["background"], ["planned"])
    # A toll since a recent day is today's fighting, told on.
    assert modalities("At least 24 civilians have been killed in the clashes in Afrin since Saturday, the "
                      "Observatory says.", "2018-01-23") == ["asserted"]


def test_gunmen_belonging_to_a_named_gang_are_that_gang_and_entering_a_town_is_no_control():
    text = ("The attack began before dawn when dozens of gunmen belonging to the Viv Ansanm gang coalition entered "
            "the town of Mirebalais and opened fire on the police station. Two police officers were killed.")
    events = extract_text(text, date="2025-03-31")
    assert [(e.sub_event_type, e.actor1, e.location) for e in events][:1] == [("Armed clash", "Viv Ansanm", "Mirebalais")]


def test_a_story_without_a_place_of_its_own_goes_on_at_the_village_its_lede_names():
    # The letterhead (Abuja) and the headline's state (Borno) are not where the firefight was; the lede's
    # "Malam Fatori, Abadam, Borno State" chain is, at its most precise member.
    text = ("PRESS RELEASE\nDefence Headquarters, Abuja\n12 March 2024\n\n"
            "Troops neutralise five terrorists in Borno\n\n"
            "MAIDUGURI - Troops of Operation Hadin Kai on Sunday engaged ISWAP fighters near Malam Fatori, Abadam, "
            "Borno State.\n\nA 30-minute firefight ensued, resulting in the death of five terrorists.\n")
    got = [(e.sub_event_type, e.location, e.fatalities) for e in extract_text(text, date="2024-03-12")]
    assert got == [("Armed clash", "Mallam Fatori", 5)]


def test_a_local_group_whose_name_ends_like_a_foreign_ones_is_not_the_foreign_group():
    # Colombia's ELN is "National Liberation Army"; a place's own liberation army is not the ELN.
    text = ("Soldiers clashed with fighters of the West Papua National Liberation Army in Sugapa on Monday, "
            "killing three of them, the Indonesian military said.")
    got = extract_text(text, date="2025-05-14")
    assert [(e.actor1, e.actor2) for e in got] == [("Military Forces of Indonesia", "Unidentified Armed Group (Indonesia)")]
    got = extract_text("National Liberation Army rebels attacked a police post in Arauca, Colombia, on Monday.",
                       date="2025-05-14")
    assert got[0].actor1 == "ELN: National Liberation Army"


@pytest.mark.parametrize("text, date, events", [
    ("More than 500 people were killed during the 2019 uprising, the commission said on Tuesday.", "2025-03-04", 0),
    ("A rights group said 87 people were killed by security forces in six months, in a report released on Monday.",
     "2025-03-04", 0),
    # This year's named event is this year's news.
    ("Police shot dead two protesters in Dhaka on Monday during the 2025 election protests.", "2025-03-04", 1),
])
def test_an_earlier_years_event_and_a_running_total_are_background(text, date, events):
    assert len(extract_text(text, date=date)) == events


def test_a_killing_at_a_demonstration_is_its_toll_not_a_battle():
    text = ("Thousands of people marched in central Quito on Wednesday against the fuel price rise. Most of the march "
            "was peaceful, but groups of protesters threw stones at police, who responded with tear gas. A 24-year-old "
            "man was shot dead in Quito, and 30 police officers were injured.")
    got = [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in extract_text(text, date="2025-10-16")]
    assert got == [("Violent demonstration", "Rioters (Ecuador)", "Police Forces of Ecuador", 1)]
    # A march, then the police shooting a marcher: the march's "no one died" default gives way to the toll.
    text = ("Thousands of protesters marched in Nairobi on Tuesday against the finance bill. Some threw stones at "
            "police, who fired tear gas. A 19-year-old man was shot dead by police in Nairobi during the protest.")
    assert [e.fatalities for e in extract_text(text, date="2024-06-26")] == [1]


def test_a_toll_sentence_and_a_recollection_are_not_further_events():
    text = ("On Saturday night, Boko Haram fighters attacked an army position at Kaiga Kindjiria in Lac province. "
            "The attackers were repelled after two hours of fighting.\n\n"
            "The provisional toll on the enemy side is 12 terrorists neutralised.\n\n"
            "It will be recalled that the army launched an offensive against the terrorists in October 2024.")
    got = [(e.sub_event_type, e.admin1, e.fatalities) for e in extract_text(text, date="2025-03-24")]
    assert got == [("Armed clash", "Lac", 12)]


def test_a_riot_told_beside_its_dispersal_is_one_violent_demonstration():
    text = ("In Jinja on Tuesday, a crowd of youths blocked the main road, burnt tyres and pelted officers with "
            "stones. Police fired teargas to disperse the protesters.")
    got = [(e.sub_event_type, e.actor1, e.actor2) for e in extract_text(text, date="2024-07-24")]
    assert got == [("Violent demonstration", "Rioters (Uganda)", "Police Forces of Uganda")]


def test_a_bombing_claimed_in_a_later_paragraph_is_one_event_by_its_author():
    # The Taliban are Afghanistan's state forces since 2021: not who "a suicide bomber" is.
    text = ("Taliban security forces sealed off the area after the blast.\n\n"
            "A suicide bomber killed six people outside a bank in Kunduz on Tuesday, officials said.\n\n"
            "The Islamic State Khorasan Province later said in a statement that one of its fighters had carried out "
            "the bombing.")
    got = [(e.sub_event_type, e.actor1, e.fatalities, [x.line for x in e.evidence])
           for e in extract_text(text, date="2025-02-11")]
    assert got == [("Suicide bomb", "Islamic State Khorasan Province", 6, [3, 5])]


def test_a_follow_up_operation_is_its_own_clash_on_its_own_day_by_the_force_its_paragraph_names():
    # RPGs are weapons of ground fighting; arrests made in a clash are part of it; the follow-up paragraph's
    # day, place and force are the clash's, though the sentence naming them names no act of its own.
    text = ("Gunmen attacked a police post in Mirjaveh on Saturday night with machine guns and rocket-propelled "
            "grenades, killing two policemen.\n\n"
            "In a follow-up operation on Sunday morning, units of the Islamic Revolutionary Guard Corps tracked the "
            "team near Khash. Four gunmen were killed in the clash and two others were arrested.")
    got = [(e.sub_event_type, e.location, e.event_date, e.actor1, e.fatalities) for e in extract_text(text, date="2025-03-16")]
    assert got == [("Armed clash", "Mīrjāveh", "2025-03-15", "Unidentified Armed Group (Iran)", 2),
                   ("Armed clash", "Khāsh", "2025-03-16", "Military Forces of Iran", 4)]


@pytest.mark.parametrize("text, subs", [
    ("Who else is fighting the Taliban in Kabul?", []),
    ("Did Israeli jets strike Beirut on Monday?", []),
    # A headline's question tail is a clause of its own: the act before it is told.
    ("Suicide attack kills five in Kunduz - who are IS-K?", ["Suicide bomb"]),
])
def test_a_question_asserts_no_act(text, subs):
    assert [e.sub_event_type for e in extract_text(text, date="2025-02-11")] == subs


def test_a_base_stormed_told_by_phone_from_elsewhere_by_the_group_not_its_sponsor():
    # "by phone from Jowhar" is where the officer was; "the al-Qaeda-linked group" is al-Shabaab; a stormed
    # base is a battle; "our reporter" is no party to it.
    text = ("Al-Shabaab fighters on Wednesday attacked an army base in Afgooye, in the latest attack by the "
            "al-Qaeda-linked group.\n\n"
            "The militants stormed the base at dawn, a military officer told our reporter by phone from Jowhar. "
            "He said at least 9 soldiers were killed.")
    got = [(e.sub_event_type, e.location, e.actor1, e.actor2, e.fatalities) for e in extract_text(text, date="2025-03-27")]
    assert got == [("Armed clash", "Afgooye", "Al Shabaab", "Military Forces of Somalia", 9)]


def test_injuries_told_and_no_death_is_zero_fatalities_but_a_later_toll_counts():
    got = extract_text("Two people were injured when Ukrainian forces shelled the town of Rylsk on Thursday, the "
                       "regional governor said.", date="2025-06-20")
    assert [(e.sub_event_type, e.fatalities) for e in got] == [("Shelling/artillery/missile attack", 0)]
    got = extract_text("Gunmen attacked a police station in Bannu on Friday, wounding two policemen. Three "
                       "policemen were killed in the attack, officials later said.", date="2025-06-20")
    assert [e.fatalities for e in got] == [3]


def test_a_teaser_a_claim_of_the_attack_and_a_march_told_again():
    text = ("In this issue: Madagascar's youth protests refuse to die down.\n\n"
            "MADAGASCAR: Thousands of students marched again in Antananarivo on Tuesday to demand the president's "
            "resignation.\n\n"
            "Hezbollah claims the attack on Metula, saying its fighters targeted a military site.")
    got = [(e.sub_event_type, e.location, [x.line for x in e.evidence]) for e in extract_text(text, date="2025-10-08")]
    assert got == [("Peaceful protest", "Antananarivo", [3])]


def test_riot_police_dispersing_a_march_and_detaining_some_is_one_protest_with_intervention():
    text = ("In Istanbul, tens of thousands of people gathered in front of the city hall in Saraçhane on Thursday. "
            "A group tried to walk towards Taksim under the Bozdoğan Aqueduct. Riot police blocked the road and "
            "dispersed them with pepper spray and water cannon. Our reporter saw at least a dozen people being detained.")
    got = [(e.sub_event_type, e.location, e.actor2) for e in extract_text(text, date="2025-03-21")]
    assert got == [("Protest with intervention", "Istanbul", "Police Forces of Turkey")]


def test_a_march_that_disperses_on_its_own_to_call_for_a_release_is_a_peaceful_protest():
    text = ("On Thursday morning, about 300 people marched peacefully through Kone to the gendarmerie to call for "
            "the release of the detainees, before dispersing at midday.")
    assert [e.sub_event_type for e in extract_text(text, date="2024-06-21")] == ["Peaceful protest"]


def test_an_attempted_attack_thwarted_by_a_checkpoint_is_a_clash_with_its_toll():
    text = ("On Sunday, a group of militants attempted to attack a security checkpoint in the vicinity of Bir al-Abd. "
            "The heroes of the checkpoint thwarted the attack, which resulted in the elimination of nine militants.")
    got = [(e.sub_event_type, e.fatalities) for e in extract_text(text, date="2021-02-16")]
    assert got == [("Armed clash", 9)]


def test_a_yearly_murder_toll_is_background_and_a_later_speaker_no_party():
    text = ("Three men were shot dead outside a bar in Laventille on Monday night, hours after the police said the "
            "state of emergency was bearing fruit.\n\nThe killings took the murder toll for the year to 14.")
    got = [(e.sub_event_type, e.event_date, e.actor2, [x.line for x in e.evidence])
           for e in extract_text(text, date="2025-01-07")]
    assert got == [("Attack", "2025-01-06", None, [1])]


@pytest.mark.parametrize("text, want", [
    # A party's members attacked are civilians, the party their associate; it is never who unnamed gunmen are.
    ("A BNP leader was shot dead by unidentified gunmen in Dhaka on Monday.",
     ("Attack", "Unidentified Armed Group (Bangladesh)", "Civilians (Bangladesh)", "BNP: Bangladesh Nationalist Party")),
    ("Zanu PF youths assaulted an MDC Alliance member in Harare on Saturday.",
     ("Attack", "ZANU-PF: Zimbabwe African National Union-Patriotic Front", "Civilians (Zimbabwe)",
      "MDC-A: Movement for Democratic Change Alliance")),
    ("Police arrested 25 members of the CHP in Istanbul on Tuesday.",
     ("Arrests", "Police Forces of Turkey", "CHP: Republican People's Party", None)),
])
def test_political_parties_as_victims_and_arrested(text, want):
    got = [(e.sub_event_type, e.actor1, e.actor2, e.assoc_actor_2) for e in extract_text(text, date="2025-03-04")]
    assert got == [want]


# Sentences that tell of acts without asserting one now: denials, forecasts, past years and months,
# running totals, charges, judgements, curfews, teasers, histories, crime.  (text, the report's date)
NO_ACT_ASSERTED = [
    ("The government has denied reports circulating on social media that soldiers captured in Monday's ambush "
     "were executed by the army in Tillaberi.", "2025-07-08"),
    ("The governor said reports that security forces had opened fire on residents in Saravan on Friday were "
     "\"completely baseless\".", "2025-07-08"),
    ("Police dismiss reports circulating on social media that a protester was shot dead in Kampala on Tuesday.",
     "2024-07-24"),
    ("The junta, which seized power in a February 2021 coup, plans to hold elections in Rakhine.", "2025-07-08"),
    ("The exclusion of the main opposition party raises the risk of localised protests in Dar es Salaam.", "2025-10-08"),
    ("Our baseline scenario is a low-turnout vote followed by scattered protests in Arusha.", "2025-10-08"),
    ("The 2020 election was marred by the killing of at least nine people in Zanzibar.", "2025-10-08"),
    ("Hundreds of businesses have been burned or looted in Noumea, with damage estimated at 1.5 billion euros.",
     "2025-10-08"),
    ("Twenty-two people have been killed in Madagascar's protests so far, according to the UN.", "2025-10-08"),
    ("The detainees were questioned on suspicion of arson and looting in Noumea on Monday.", "2025-10-08"),
    ("The government imposed a curfew in Gopalganj district from 8pm on Wednesday.", "2025-09-25"),
    ("The journalists' union called the arrest an attack on press freedom in Harare on Friday.", "2025-09-25"),
    ("In May, more than 90 peacekeepers were injured in Zvecan when a crowd attacked them.", "2025-09-25"),
    ("Hello, and welcome back. In this issue: Madagascar's youth protests refuse to die down.", "2025-03-13"),
    ("The border has been the scene of repeated deadly clashes between Kyrgyz and Tajik forces near Batken.",
     "2025-03-13"),
    ("Mixed martial arts fighter Conor McGregor has been arrested by the NYPD and charged with assault and "
     "criminal mischief.", "2018-04-06"),
    ("Mapuche organisations have called a march in Temuco on Saturday to demand the withdrawal of the military.",
     "2025-04-02"),
]


@pytest.mark.parametrize("text", [
    # A political arrest told with the lawyer's word, and a strike leader's detention.
    "On Wednesday evening, police arrested an activist at his home in Lome, his lawyer said.",
    "The vice-president of the taxi drivers' association, which called the three-day strike, was detained by "
    "police at his home in Talatona on Monday night, the association said.",
])
def test_political_arrests_told_with_a_lawyer_or_a_strike(text):
    assert [e.sub_event_type for e in extract_text(text, date="2025-07-29")] == ["Arrests"]


@pytest.mark.parametrize("text, date", NO_ACT_ASSERTED)
def test_no_act_is_asserted(text, date):
    assert extract_text(text, date=date) == []


def test_a_republic_named_as_where_and_a_weapons_standard_are_no_parties():
    text = ("Units of the Vostok battlegroup have liberated the settlement of Bogatyr in the Donetsk People's "
            "Republic, the Russian Defense Ministry said on Tuesday.\n\n"
            "On Monday evening in Gorlovka, Ukrainian troops shelled the Nikitovsky district with 155 mm "
            "NATO-caliber shells, killing a 67-year-old man, city head Ivan Prikhodko said.")
    got = [(e.location, e.actor1, e.actor2) for e in extract_text(text, date="2025-02-11")]
    assert all("Donetsk People's Republic" not in (a1 or "") + (a2 or "") and "NATO" not in (a1 or "") + (a2 or "")
               for _, a1, a2 in got)
    assert [loc for loc, _, _ in got] == ["Bahatyr", "Horlivka"]


def test_a_military_council_bombing_and_troops_burning_houses():
    text = ("On 21 February, a jet fighter of the terrorist military council dropped two bombs on a village school "
            "near Papun, killing three villagers.\n\n"
            "On 22 February, troops of the military council entered a village west of Myawaddy and set fire to 23 "
            "houses after the villagers had fled. No one was hurt.")
    got = [(e.sub_event_type, e.actor1) for e in extract_text(text, date="2025-02-24")]
    assert got == [("Air/drone strike", "Military Forces of Myanmar"),
                   ("Looting/property destruction", "Military Forces of Myanmar")]


def test_an_undated_summary_bullet_joins_the_dated_act_it_sums_up():
    text = ("Situation update, 6 August 2025\n\n"
            "- Our physiotherapist and five members of his family were killed in an air strike on their home in Gaza City\n\n"
            "On 4 August, an Israeli air strike hit the family home of our physiotherapist in Gaza City, killing him "
            "and five members of his family.")
    got = [(e.sub_event_type, e.event_date, [x.line for x in e.evidence]) for e in extract_text(text, date="2025-08-06")]
    assert got == [("Air/drone strike", "2025-08-04", [3, 5])]


def test_another_sources_toll_in_the_next_paragraph_a_day_later_is_the_same_raid():
    text = ("Bandits on Saturday night attacked a farming community near Moriki in Zamfara State, killing seven "
            "people.\n\n"
            "A community leader said nine people were killed and buried on Sunday according to Islamic rites.")
    got = [(e.sub_event_type, e.event_date, e.fatalities, [x.line for x in e.evidence])
           for e in extract_text(text, date="2025-09-15")]
    assert got == [("Attack", "2025-09-13", 7, [1, 3])]


def test_fire_that_continued_is_the_battle_told_before():
    text = ("Thai troops opened fire at about 6:30 am on Cambodian soldiers guarding the Ta Moan Thom temple in "
            "Banteay Ampil district on Thursday. The exchange of small-arms and artillery fire continued into the "
            "afternoon.")
    got = [(e.sub_event_type, [x.line for x in e.evidence]) for e in extract_text(text, date="2025-07-25")]
    assert got == [("Armed clash", [1])]
