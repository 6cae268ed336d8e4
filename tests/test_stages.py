"""Unit tests for the text stages that need no gazetteer: clean, sentences, number/date/source finders."""

from pathlib import Path

from conftest import require_shared
from sitrep.clean import clean
from sitrep.mentions import find_attributions, find_dates, find_modality, find_numbers, parse_quantity
from sitrep.model import Report
from sitrep.sentences import split_sentences

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "syria-last-24-hours.txt"


def _seed_report() -> Report:
    return split_sentences(clean(Report(text=require_shared(SEED).read_text(encoding="utf-8"), doc_id="seed")))


def test_clean_drops_comment_form_and_repeated_title():
    r = _seed_report()
    dropped = [i + 1 for i, kept in enumerate(r.kept) if not kept]
    # gold.yaml: boilerplate_lines [180, 182, 184, 186]
    assert dropped == [180, 182, 184, 186]
    assert len(r.clean_text) == len(r.text)
    assert "Leave a comment" not in r.clean_text


def test_dateline_is_blanked_and_gives_outlet():
    r = _seed_report()
    assert r.source == "FNA"
    first = r.sentences[0]
    assert first.text.startswith("Field sources in Northwestern Syria")
    assert first.line == 3
    assert "TEHRAN" not in r.clean_text


def test_headline_and_heading_are_not_sentences():
    r = _seed_report()
    assert all(s.line != 1 for s in r.sentences)
    assert all(s.text != "Deir Ezzur" for s in r.sentences)
    s13 = [s for s in r.sentences if s.line == 13][0]
    assert s13.heading == "Deir Ezzur"


def test_sentence_offsets_point_into_text():
    r = _seed_report()
    for s in r.sentences:
        assert r.text[s.start:s.end] == s.text
        assert r.line_of(s.start) == s.line


def test_sentence_split_keeps_abbreviations():
    r = split_sentences(clean(Report(text="Gen. Smith said the U.S. forces left. Then they returned.")))
    assert [s.text for s in r.sentences] == ["Gen. Smith said the U.S. forces left.", "Then they returned."]


def test_quantities_follow_acled_conventions():
    assert parse_quantity("over 30") == 30
    assert parse_quantity("a dozen") == 12
    assert parse_quantity("dozens") == 12
    assert parse_quantity("half a dozen") == 6
    assert parse_quantity("1,200") == 1200
    assert parse_quantity("scores") is None


def test_casualty_numbers():
    def found(text):
        return [(m.role, m.value) for m in find_numbers(text)]

    assert found("The army men killed over 30 terrorists and injured 50 others") == [("killed", 30), ("injured", 50)]
    assert found("killing and wounding over 80 militants") == [("casualties", 80)]
    assert found("Five civilians were killed and 12 wounded") == [("killed", 5), ("injured", 12)]
    assert found("The death toll rose to 17") == [("killed", 17)]
    assert found("leaving many of them dead or wounded") == [("casualties", None)]
    assert found("killing and wounding scores of militants") == [("casualties", None)]


def test_relative_dates_resolve_against_report_date():
    # 2017-07-22 was a Saturday.
    vals = [m.value for m in find_dates("Reports said on Friday that ... yesterday ... on July 3", "2017-07-22")]
    assert vals == ["2017-07-21", "2017-07-21", "2017-07-03"]
    assert [m.value for m in find_dates("on Friday", None)] == [None]


def test_attribution_phrases():
    srcs = [m.value for m in find_attributions("Field sources in Northwestern Syria reported that the army advanced.")]
    assert srcs == ["Field sources"]
    srcs = [m.value for m in find_attributions("ISIL lost 5 oil wells, according to the Russian Defense Ministry.")]
    assert srcs == ["the Russian Defense Ministry"]


def test_modality_cues():
    kinds = {m.value for m in find_modality("the army is expected to begin operation in Jobar")}
    assert "planned" in kinds
    kinds = {m.value for m in find_modality("the movement became well known in 2016 when it beheaded a child")}
    assert "background" in kinds


def test_clean_drops_a_list_of_links_to_other_stories():
    lines = ["Two killed in Herat blast", "", "A bomb killed two people in Herat on Monday, police said.", "",
             "More on this story", "- Taliban minister killed in Kabul suicide bombing", "",
             "- Afghanistan: Three years of Taliban rule", "",
             "Police said they had opened an investigation into the blast, which no group has claimed so far, and "
             "that forensic teams were still at the scene late on Monday evening."]
    r = clean(Report(text="\n".join(lines)))
    assert r.kept == [True, True, True, True, False, False, True, False, True, True]
    assert "Taliban minister" not in r.clean_text and "forensic teams" in r.clean_text
