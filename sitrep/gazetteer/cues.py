"""The geoparser's language data: cue words around names (data/en/place_cues.yaml), stopwords, common
words, person names and demonyms, read once per process, and the patterns built from them."""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from ..geonorm import name_key
from ..lexicon import data_file, load_data


def _words(key: str) -> list[str]:
    return [str(w) for w in _CUES[key]]


def _alt(key: str) -> str:
    """The entries of one list of place_cues.yaml as one regex alternation."""
    return "|".join(_words(key))


_CUES = load_data("place_cues.yaml")

CONNECTORS = frozenset(_words("connectors"))
DIRECTIONS: dict[str, str] = {str(k): str(v) for k, v in _CUES["directions"].items()}
TITLES = frozenset(_words("titles"))
PLACE_TITLES = frozenset(_words("place_titles"))
FACILITY_AFTER = frozenset(_words("facility_after"))
FACILITY_BEFORE = frozenset(_words("facility_before"))
ORG_HEADS = frozenset(_words("org_heads"))
PLACE_NOUNS = frozenset(_words("place_nouns"))
PLACE_ACRONYMS = frozenset(_words("place_acronyms"))
NAME_HEADS = frozenset(_words("name_heads"))
TIE_WORDS = frozenset(_words("tie_words"))
CUE_STARTS: tuple[str, ...] = tuple(_words("cue_starts"))

# "near Palmyra in eastern Homs": a lower-case direction after a preposition makes the name its region.
LOWER_DIRECTION = re.compile(
    r"\b(?:in|across|of|throughout|from)\s+(?:the\s+)?((?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?"
    r"|central)\s+$")
LOCATIVE_BEFORE = re.compile(rf"\b(?:{_alt('locative_before')})\s+(?:the\s+)?$", re.I)
NEAR = re.compile(
    rf"\b(?:{_alt('near_before')})\s+(?:the\s+)?(?:(?:{_alt('near_between')}) of\s+(?:the\s+)?)?$", re.I)
SETTLEMENT_BEFORE = re.compile(rf"\b(?:{_alt('settlement_before')})\s+(?:of\s+)?(?:the\s+)?$", re.I)
PROVINCE_BEFORE = re.compile(rf"\b(?:{_alt('province_before')})\s+of\s+(?:the\s+)?$", re.I)
PROVINCE_AFTER = re.compile(rf"^[\s-]*(?:{_alt('province_after')})", re.I)
REGION_AFTER = re.compile(r"^\s*region\b", re.I)
AREA_AFTER = re.compile(rf"^\s*(?:{_alt('area_after')})\b", re.I)
SETTLEMENT_AFTER = re.compile(rf"^\s*(?:{_alt('settlement_after')})\b", re.I)
# "Oddar Meanchey province", "Kayin State": a name told as a first-level division.
PROVINCE_NAMED = re.compile(
    rf"\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){{0,2}})\s+(?:{_alt('division_after')})\b")
ROLE_BEFORE = re.compile(rf"\b(?:{_alt('roles_before')})\s+$")
SPEAKER_AFTER = re.compile(rf",?\s+(?:{_alt('speaker_verbs')})\b")
# "Haiti's capital", "the Afghan capital", "the capital of Sudan"
CAPITAL_OF = re.compile(
    r"\b(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})['’]s\s+capital\b(?!\s+(?:city|region|district|province|area|gains|flight))"
    r"|\bthe\s+(?P<adj>[A-Z][a-z]+)\s+capital\b(?!\s+(?:city|region|district|province|area|gains|flight))")


def _cue_automaton() -> ahocorasick.Automaton:
    """The cue_starts words in an Aho-Corasick automaton: one C pass over a report finds them all."""
    auto = ahocorasick.Automaton()
    for w in CUE_STARTS:
        auto.add_word(w, len(w))
    auto.make_automaton()
    return auto


_CUE_AUTOMATON = _cue_automaton()


def cue_starts(low: str) -> list[int]:
    """Every position of the lowercased text where a cue_starts word starts a word, in order.

    The words are letters only, so no occurrence that starts a word can lie inside an earlier
    one (whose letters leave no word boundary): a regex scan of the same words finds the same."""
    starts = set()
    for end, length in _CUE_AUTOMATON.iter(low):
        p = end - length + 1
        if p == 0 or not (low[p - 1].isalnum() or low[p - 1] == "_"):  # \b before a letter
            starts.add(p)
    return sorted(starts)


@cache
def stopword_keys() -> tuple[frozenset[str], frozenset[str]]:
    """Keys of names that are common words or people unless the text shows a place, and of
    words (nationality adjectives) that never are."""
    soft, hard = set(), set()
    current = soft
    for line in data_file("place_stopwords.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            low = line.lower()
            if low.startswith("# person names"):
                current = None
            elif "never" in low:
                current = hard
            continue
        if line.strip() and current is not None:
            current.add(name_key(line.strip()))
    return frozenset(soft), frozenset(hard)


@cache
def person_name_words() -> frozenset[str]:
    """Lowercase common given names and surnames (the "Person names" section of place_stopwords.txt)."""
    words: set[str] = set()
    inside = False
    for line in data_file("place_stopwords.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            inside = line.lower().startswith("# person names") or (inside and not line[1:].strip()[:1].isupper())
            continue
        if inside:
            words.update(w.lower() for w in line.split())
    return frozenset(words)


@cache
def common_words() -> frozenset[str]:
    """Words that are a place only with evidence, or when big and spelled so: frequent English words
    (data/common_words.txt) and the words of sitrep's own conflict lexicon, one-word trigger phrases and
    generic actor nouns, which open sentences in the news ("Shelling hit ...", "Gunmen stormed ...")."""
    words = {line.strip() for line in data_file("common_words.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    return frozenset(words | domain_words())


@cache
def domain_words() -> frozenset[str]:
    """One-word trigger phrases and generic actor nouns ("shelling", "airstrikes", "gunmen", "troops")."""
    from ..actors import _load_yaml  # the actor table's (cached) parse of the same file
    from ..lexicon import TriggerLexicon

    words = {p for p in TriggerLexicon.default().phrases if p.isalpha()}
    generics = _load_yaml("actor_generics.yaml")
    for noun, spec in generics.get("nouns", {}).items():
        for form in [noun, *spec.get("forms", [])]:
            if str(form).isalpha():
                words.add(str(form).lower())
    return frozenset(words)


@cache
def demonym_countries() -> dict[str, str]:
    """Lower-case country adjectives ("afghan", "haitian") to ISO codes, from data/demonyms.yaml."""
    from ..actors import (
        _load_yaml,  # the actor table's parse of the same file: read once per process
    )

    data = _load_yaml("demonyms.yaml")
    return {d.lower(): cc for cc, row in data.items() for d in (row.get("demonyms") or [])}
