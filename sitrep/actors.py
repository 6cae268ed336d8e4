"""Actor mentions in report text, and ACLED's canonical names for them.

Three kinds of surface form are matched in one Aho-Corasick pass:

* named actors (``data/actors.yaml``): "Tahrir al-Sham Hay'at" -> Hayat Tahrir al-Sham;
* generic nouns (``data/actor_generics.yaml``): "army", "gunmen", "protesters", whose
  canonical name depends on a country ("Military Forces of {country}");
* country words (``data/demonyms.yaml``): demonyms, country names and capitals, which
  supply that country when they stand right before a generic noun ("Turkish troops",
  "Moscow's Air Force", "the Syrian and Russian forces").

:class:`LoadedTerms` finds partisan vocabulary ("terrorists", "liberated", "Kiev regime")
that sitrep must not repeat in its own voice, and rewrites it neutrally.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick

from .lexicon import load_data
from .model import INTER_CODES, Actor

# Quote and dash variants are folded so that one alias covers "Hay'at"/"Hay’at" and
# "al-Sham"/"al Sham"; each replacement is one character, so offsets survive.
_FOLD = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'", "\u2032": "'",
        "\t": " ", "\n": " ", "\r": " ", "\f": " ", "\v": " ", "\xa0": " ", "\u202f": " ",
    }
)
# The same folding as (character, replacement) pairs: str.replace per pair is far faster than
# str.translate with a dict over a whole report, and no replacement is itself folded again.
_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD.items())
_SPACES = re.compile(r" {2,}")
# A dash inside a word joins ("al-Sham" = "al Sham"); a free-standing one separates
# ("ISLAMABAD - Terrorists"), so it becomes a comma that no alias or gap contains.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_INNER_DASH = re.compile(rf"(?<=[^\W_])[{_DASHES}](?=[^\W_])")
# The same matches, written to open with the dash: the engine then skips to dashes at C speed
# instead of testing the lookbehind at every character.
_INNER_DASH_FAST = re.compile(rf"[{_DASHES}](?<=[^\W_][{_DASHES}])(?=[^\W_])")
_OUTER_DASH = re.compile(rf"[{_DASHES}]")
# "rebel-held", "ISIL-linked": a generic noun before these describes ground or ties, not an actor.
_ATTRIBUTIVE = frozenset(
    "held controlled run backed led linked affiliated allied occupied dominated style related "
    "inspired aligned leaning friendly owned infested hit prone".split()
)
_SENTENCE_END = re.compile(r"[.!?:;\n][\"'\u201d\u2019)\]]*\s*[\"'\u201c\u2018(\[]*$")

# Words that may sit between a country word and a force noun without breaking the
# link: "Kenyan colonial forces", "Iraqi federal police".  Loaded from the generics file.
_GAP_POSSESSIVE = ("'s ", "s' ", "' ")


def _sentence_starts_at(text: str, i: int) -> bool:
    head = text[max(0, i - 8) : i]
    if not head.strip(" \"'\u201c\u2018([\t"):
        return i <= 8 or _SENTENCE_END.search(text[max(0, i - 12) : i]) is not None
    return _SENTENCE_END.search(head) is not None


_STRETCH_END = re.compile(r"\n|[.!?:;]\s")
_NEIGHBOUR_WORDS = re.compile(r"(\w+)\W*$"), re.compile(r"^\W*(\w+)")


def _shouting(text: str, start: int, end: int) -> bool:
    """True inside an all-capitals stretch ("THE ARMY IS ADVANCING"), where case says nothing.
    A line or sentence ends the stretch ("11:20 GST" above "US air strikes ...")."""
    before = _NEIGHBOUR_WORDS[0].search(_STRETCH_END.split(text[max(0, start - 30) : start])[-1])
    after = _NEIGHBOUR_WORDS[1].search(_STRETCH_END.split(text[end : end + 30])[0])
    return any(m is not None and len(m.group(1)) > 1 and m.group(1).isupper() for m in (before, after))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Normalized:
    """Text folded for matching, with a map from folded offsets back to the original."""

    __slots__ = ("cased", "lower", "original", "_norm_starts", "_orig_starts")

    def __init__(self, text: str) -> None:
        folded = _OUTER_DASH.sub(",", _INNER_DASH_FAST.sub(" ", text))
        for ch, repl in _FOLD_PAIRS:  # = .translate(_FOLD)
            if ch in folded:
                folded = folded.replace(ch, repl)
        # Collapsing runs of spaces shortens the text; remember where each kept run
        # starts so that offsets can be mapped back with one bisect.
        norm_starts, orig_starts, parts = [0], [0], []
        pos = npos = 0
        for m in _SPACES.finditer(folded):
            parts.append(folded[pos : m.start() + 1])
            npos += m.start() + 1 - pos
            pos = m.end()
            norm_starts.append(npos)
            orig_starts.append(pos)
        parts.append(folded[pos:])
        cased = "".join(parts)
        lower = cased.lower()
        if len(lower) != len(cased):
            # A few characters ("İ") lower to two code points; keep them as they are.
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in cased)
        self.cased = cased
        self.lower = lower
        self.original = text  # folding turns line breaks into spaces: case checks read the lines here
        self._norm_starts = norm_starts
        self._orig_starts = orig_starts

    def orig(self, i: int) -> int:
        k = bisect_right(self._norm_starts, i) - 1
        return self._orig_starts[k] + (i - self._norm_starts[k])

    def orig_end(self, i: int) -> int:
        # An end offset maps through the last character it covers.
        return self.orig(i - 1) + 1 if i > 0 else 0


def _fold_key(s: str) -> str:
    s = _OUTER_DASH.sub(" ", _INNER_DASH.sub(" ", s))
    return _SPACES.sub(" ", s.translate(_FOLD)).strip()


def _surface_variants(alias: str) -> set[str]:
    """The alias plus its apostrophe-less spelling ("Hay'at" -> "Hayat")."""
    folded = _fold_key(alias)
    out = {folded}
    if "'" in folded:
        out.add(folded.replace("'", ""))
        out.add(_SPACES.sub(" ", folded.replace("'", " ")).strip())
    return out


def _build_automaton(entries: dict[str, list[tuple]]) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for key, payload in entries.items():
        # The flag says whether any item depends on case: most do not, and need no check per hit.
        auto.add_word(key, (len(key), tuple(payload), any(p[2] is not None for p in payload)))
    auto.make_automaton()
    return auto


def _leftmost_longest(
    norm: _Normalized, auto: ahocorasick.Automaton
) -> list[tuple[int, int, tuple]]:
    """Non-overlapping word-bounded matches, preferring the leftmost, then the longest.

    Each payload item is ``(kind, ref, cased_form)``; items with a cased form only count
    when the text has exactly that case ("IS", not "is").
    """
    text, cased = norm.lower, norm.cased
    n = len(text)
    found = []
    for end_idx, (length, payload, case_sensitive) in auto.iter(text):
        end = end_idx + 1
        start = end - length
        # Word boundaries on both sides (as _is_word_char, inlined: this loop sees every hit).
        if start > 0:
            ch = text[start - 1]
            if ch.isalnum() or ch == "_":
                continue
        if end < n:
            ch = text[end]
            if ch.isalnum() or ch == "_":
                continue
        if not case_sensitive:
            found.append((start, end, payload))
            continue
        items = tuple(
            p for p in payload
            if p[2] is None or (cased[start:end] == p[2]
                                and not _shouting(norm.original, norm.orig(start), norm.orig_end(end)))
        )
        if items:
            found.append((start, end, items))
    found.sort(key=lambda t: (t[0], t[0] - t[1]))
    out, last_end = [], -1
    for start, end, items in found:
        if start >= last_end:
            out.append((start, end, items))
            last_end = end
    return out


@dataclass(slots=True)
class ActorMatch:
    """One actor mention; offsets index the text given to :meth:`ActorTable.find`."""

    start: int
    end: int
    text: str
    actor_id: str | None  # a named actor's id, or None for a generic noun
    generic: str | None  # the generic noun's key ("troops", "gunmen"), or None
    country: str | None  # alpha-2 from a demonym before the noun, or the named actor's home
    type: str  # ACLED actor type before resolving against the report's country
    candidates: tuple[str, ...] = field(default_factory=tuple)  # ids sharing this alias
    police: bool = False  # a named police force ("NYPD"): law enforcement, not an armed party
    party: bool = False  # a political party ("BNP"): its members are civilians when attacked


@cache
def _load_yaml(name: str) -> Any:
    return load_data(name)


_MEMBERS_OF = re.compile(r"\s+of\s+(?:the\s+)?")


class ActorTable:
    """Finds actor mentions and names them as ACLED does.

    Built from three plain tables (see the module docstring) so tests can hand in small ones.
    """

    def __init__(self, actors: dict, generics: dict, demonyms: dict) -> None:
        self.actors: dict[str, dict] = {k: dict(v) for k, v in actors.items()}
        self.templates: dict[str, dict] = dict(generics.get("templates", {}))
        self.generics: dict[str, dict] = dict(generics.get("nouns", {}))
        self.modifiers: frozenset[str] = frozenset(
            _fold_key(m).lower() for m in generics.get("modifiers", ())
        )
        self.countries: dict[str, dict] = {k.upper(): v for k, v in demonyms.items()}
        for key, g in self.generics.items():
            if g.get("template") not in self.templates:
                raise ValueError(f"generic {key!r}: unknown template {g.get('template')!r}")
            g.setdefault("type", self.templates[g["template"]]["type"])
        for aid, a in self.actors.items():
            if a.get("type") not in INTER_CODES:
                raise ValueError(f"actor {aid!r}: unknown type {a.get('type')!r}")
        self._demonym_forms = frozenset(
            _fold_key(f).lower() for c in self.countries.values() for f in c.get("demonyms") or ()
        )
        self._automaton = self._build()
        self._parties = frozenset(aid for aid, a in self.actors.items() if a.get("party"))
        self._police = frozenset(aid for aid, a in self.actors.items()
                                 if (a.get("name") or a.get("name_template") or "").startswith("Police Forces"))

    @classmethod
    @cache
    def default(cls) -> "ActorTable":
        """The table shipped in ``sitrep/data``; built once per process."""
        return cls(
            _load_yaml("actors.yaml"),
            _load_yaml("actor_generics.yaml"),
            _load_yaml("demonyms.yaml"),
        )

    def _build(self) -> ahocorasick.Automaton:
        entries: dict[str, list[tuple]] = {}

        def add(surface: str, kind: str, ref: str, cased: bool) -> None:
            for variant in _surface_variants(surface):
                if not variant:
                    continue
                item = (kind, ref, variant if cased else None)
                bucket = entries.setdefault(variant.lower(), [])
                if item not in bucket:
                    bucket.append(item)

        for aid, a in self.actors.items():
            if a.get("name") and not a.get("name_template"):
                add(a["name"], "actor", aid, False)
            for alias in a.get("aliases") or ():
                add(alias, "actor", aid, False)
            for alias in a.get("cased_aliases") or ():
                add(alias, "actor", aid, True)
        for key, g in self.generics.items():
            for form in [key, *(g.get("forms") or ())]:
                add(form, "generic", key, False)
        for code, c in self.countries.items():
            for form in c.get("demonyms") or ():
                add(form, "demonym", code, False)
            for form in [c["name"], *(c.get("names") or ()), *(c.get("capitals") or ())]:
                add(form, "country", code, False)
            for form in c.get("cased") or ():
                add(form, "demonym", code, True)
            if "nationals" in self.generics:
                for form in self._people_forms(c):
                    add(form, "people", code, False)
        return _build_automaton(entries)

    @staticmethod
    def _people_forms(c: dict) -> list[str]:
        """Plural nouns for a country's people: listed ones, plus "Syrians" from "Syrian"."""
        forms = list(c.get("people") or ())
        for d in c.get("demonyms") or ():
            if " " not in d and (d.endswith("an") or d.endswith("i")):
                forms.append(d + "s")
        return forms

    # ------------------------------------------------------------------ finding

    def find(self, text: str) -> list[ActorMatch]:
        """All actor mentions in ``text``, in order, non-overlapping.

        A country word directly before a force noun ("Turkish troops") becomes one mention
        carrying that country; a named actor followed by a member noun ("ISIL terrorists",
        "Hezbollah fighters") becomes one mention of the named actor.  Country words alone
        and member-only nouns alone ("fighters", "warplanes") are not mentions.
        """
        norm = _Normalized(text)
        raw = _leftmost_longest(norm, self._automaton)
        tokens = [self._token(start, end, items) for start, end, items in raw]
        tokens = [t for t in tokens if not self._attributive(norm, text, t)]
        merged = self._combine(norm.lower, tokens)
        out = []
        for t in merged:
            s, e = norm.orig(t["start"]), norm.orig_end(t["end"])
            out.append(
                ActorMatch(
                    start=s,
                    end=e,
                    text=text[s:e],
                    actor_id=t.get("actor_id"),
                    generic=t.get("generic"),
                    country=t.get("country"),
                    type=t["type"],
                    candidates=t.get("candidates", ()),
                    police=t.get("actor_id") in self._police,
                    party=t.get("actor_id") in self._parties,
                )
            )
        return out

    @staticmethod
    def _attributive(norm: _Normalized, text: str, t: dict) -> bool:
        if t["kind"] != "generic" or t["end"] >= len(norm.lower):
            return False
        if text[norm.orig(t["end"])] not in _DASHES:
            return False
        nxt = norm.lower[t["end"] + 1 : t["end"] + 14].split(" ", 1)[0].rstrip(",.;:)'")
        return nxt in _ATTRIBUTIVE

    def _token(self, start: int, end: int, items: tuple) -> dict:
        # A surface form can be an actor alias and a country word at once ("Hezbollah"
        # never is, but "Taliban"/"Afghan" style overlaps occur); named actors win.
        actors = tuple(dict.fromkeys(ref for kind, ref, _ in items if kind == "actor"))
        if actors:
            a = self.actors[actors[0]]
            return {
                "kind": "actor", "start": start, "end": end, "actor_id": actors[0],
                "candidates": actors, "country": a.get("country"), "type": a["type"],
            }
        for kind, ref, _ in items:
            if kind == "generic":
                return {
                    "kind": "generic", "start": start, "end": end, "generic": ref,
                    "country": None, "type": self.generics[ref]["type"],
                }
        kind, ref, _ = items[0]
        if kind == "people":
            # "Armenians were injured": the country's people, named like its civilians.
            return {
                "kind": "generic", "start": start, "end": end, "generic": "nationals",
                "country": ref, "type": self.generics["nationals"]["type"],
            }
        return {"kind": kind, "start": start, "end": end, "country": ref, "type": ""}

    def _gap_links(self, text: str, a_end: int, b_start: int, possessive: bool) -> bool:
        """True when only modifiers (or a possessive 's, if allowed) separate two tokens."""
        gap = text[a_end:b_start]
        if gap == " ":
            return True
        if possessive and gap in _GAP_POSSESSIVE:
            return True
        words = gap.split()
        if not words or len(words) > 2 or gap[0] not in " '":
            return False
        if possessive and words[0] in ("'s", "s'", "'"):
            words = words[1:]
        return bool(words) and all(w in self.modifiers for w in words)

    def _combine(self, text: str, tokens: list[dict]) -> list[dict]:
        out: list[dict] = []
        i, n = 0, len(tokens)
        while i < n:
            t = tokens[i]
            nxt = tokens[i + 1] if i + 1 < n else None
            if t["kind"] in ("demonym", "country"):
                possessive = t["kind"] == "country"
                if (
                    nxt is not None
                    and nxt["kind"] == "generic"
                    and self.generics[nxt["generic"]].get("prefixable", True)
                    and self._gap_links(text, t["end"], nxt["start"], possessive)
                ):
                    m = dict(nxt, start=t["start"], country=t["country"])
                    j = self._absorb_members(text, m, tokens, i + 2)
                    self._add_coordinated(text, tokens, i, m, out)
                    out.append(m)
                    i = j
                    continue
                if (
                    nxt is not None
                    and nxt["kind"] == "actor"
                    and self._gap_links(text, t["end"], nxt["start"], possessive)
                ):
                    # "Yemen's Houthi rebels": the country word belongs to the named actor.
                    m = dict(nxt, start=t["start"])
                    j = self._absorb_members(text, m, tokens, i + 2)
                    out.append(m)
                    i = j
                    continue
                i += 1
                continue
            if t["kind"] == "generic":
                # A people noun ("Armenians") carries its own country, so it stands alone.
                if not self.generics[t["generic"]].get("standalone", True) and t["country"] is None:
                    i += 1
                    continue
                if self._members_of_named(text, t, nxt):
                    # "jihadists of JNIM", "fighters of the Islamic State": the named group itself.
                    out.append(dict(nxt, start=t["start"]))
                    i += 2
                    continue
                m = dict(t)
                i = self._absorb_members(text, m, tokens, i + 1)
                out.append(m)
                continue
            m = dict(t)
            i = self._absorb_members(text, m, tokens, i + 1)
            coord = self._coordination_generic(text, m)
            if coord is not None:
                self._add_coordinated(text, tokens, i - 1, dict(m, generic=coord, actor_id=None,
                                      candidates=(), kind="generic"), out, start_index=True)
            out.append(m)
        return out

    def _members_of_named(self, text: str, t: dict, nxt: dict | None) -> bool:
        """An armed member noun followed by "of" and a named non-state group ("jihadists of JNIM")."""
        if nxt is None or nxt["kind"] != "actor" or "armed" not in (self.generics[t["generic"]].get("member_of") or ()):
            return False
        if self.actors[nxt["actor_id"]]["type"] in ("state_forces", "external_forces"):
            return False
        return _MEMBERS_OF.fullmatch(text, t["end"], nxt["start"]) is not None

    def _coordination_generic(self, text: str, m: dict) -> str | None:
        """The force noun a named state actor like "Iraqi forces" lends to "Syrian and ..."."""
        if self.actors[m["actor_id"]]["type"] != "state_forces":
            return None
        first = text[m["start"] : m["end"]].split(" ", 1)[0]
        if first not in self._demonym_forms:
            return None
        police = self.actors[m["actor_id"]]["name"].startswith("Police")
        key = "police" if police else "forces"
        return key if key in self.generics else None

    def _absorb_members(self, text: str, m: dict, tokens: list[dict], j: int) -> int:
        """Extend ``m`` over following member nouns ("Army troops", "ISIL militants")."""
        while j < len(tokens):
            nxt = tokens[j]
            if nxt["kind"] != "generic" or text[m["end"] : nxt["start"]] != " ":
                break
            g = self.generics[nxt["generic"]]
            if m["kind"] == "actor":
                a = self.actors[m["actor_id"]]
                wanted = "state" if a["type"] == "state_forces" else "armed"
                if wanted not in (g.get("member_of") or ()):
                    break
            else:
                if self.generics[m["generic"]]["template"] != g["template"] and not (
                    g.get("member_of") and "state" in g["member_of"]
                    and self.templates[self.generics[m["generic"]]["template"]]["type"]
                    == "state_forces"
                ):
                    break
            m["end"] = nxt["end"]
            j += 1
        return j

    def _add_coordinated(
        self, text: str, tokens: list[dict], i: int, head: dict, out: list[dict],
        start_index: bool = False,
    ) -> None:
        """"the Syrian and Russian forces": every listed country gets the force noun.

        ``i`` is the index of the head's country token, or with ``start_index`` of the
        head token itself (a named actor whose alias begins with the demonym).
        """
        extra = []
        k = i - 1
        if start_index:
            while k >= 0 and tokens[k]["start"] >= head["start"]:
                k -= 1
        nxt_start = head["start"]
        while k >= 0 and tokens[k]["kind"] == "demonym":
            gap = text[tokens[k]["end"] : nxt_start]
            if gap not in (" and ", ", ", " & ", ", and "):
                break
            if out and out[-1]["start"] >= tokens[k]["start"]:
                break
            extra.append(
                dict(head, start=tokens[k]["start"], end=tokens[k]["end"],
                     country=tokens[k]["country"])
            )
            nxt_start = tokens[k]["start"]
            k -= 1
        out.extend(reversed(extra))

    # ---------------------------------------------------------------- resolving

    def country_name(self, code: str | None, article: bool = False) -> str:
        """The country's name as ACLED writes it ("Democratic Republic of Congo"); with `article`, as
        it stands after "of" ("the Democratic Republic of Congo")."""
        if not code:
            raise KeyError("no country code")
        row = self.countries[code.upper()]
        return f"{row['article']} {row['name']}" if article and row.get("article") else row["name"]

    def _abroad(self, base_type: str, home: str | None, here: str | None, a: dict) -> str:
        if home and here and home.upper() != here.upper():
            if a.get("type_abroad"):
                return a["type_abroad"]
            if base_type == "state_forces":
                return "external_forces"
        return base_type

    def get(self, actor_id: str, country_code: str | None = None) -> Actor:
        """The canonical actor for a named id, or a generic id such as ``military:SY``."""
        if actor_id in self.actors:
            return self._named(actor_id, country_code)
        template, _, code = actor_id.partition(":")
        if template in self.templates and code:
            actor = self._generic(template, None, code.upper(), country_code)
            if actor is not None:
                return actor
        raise KeyError(actor_id)

    def _named(self, actor_id: str, country_code: str | None) -> Actor:
        a = self.actors[actor_id]
        by_country = a.get("by_country") or {}
        if country_code and country_code.upper() in by_country:
            return self._named(by_country[country_code.upper()], None)
        home = a.get("country")
        if a.get("name_template"):
            code = (country_code or home or "").upper() or None
            if code is None or code not in self.countries:
                name = a["name"]
            else:
                name = a["name_template"].format(country=self.country_name(code), the_country=self.country_name(code, True))
            return Actor(id=actor_id, name=name, type=a["type"], country=code or home)
        return Actor(
            id=actor_id,
            name=a["name"],
            type=self._abroad(a["type"], home, country_code, a),
            country=home,
        )

    def _generic(
        self, template: str, generic: str | None, code: str | None, here: str | None
    ) -> Actor | None:
        tpl = self.templates[template]
        base_type = (self.generics[generic]["type"] if generic else None) or tpl["type"]
        if code is None or code.upper() not in self.countries:
            if tpl.get("fallback"):
                return Actor(id=template, name=tpl["fallback"], type=base_type, country=None)
            return None
        code = code.upper()
        return Actor(
            id=f"{template}:{code}",
            name=tpl["name"].format(country=self.country_name(code), the_country=self.country_name(code, True)),
            type=self._abroad(base_type, code, here, tpl),
            country=code,
        )

    def is_party(self, actor: Actor | None) -> bool:
        """Whether the actor is a political party (``party: true`` in the table)."""
        return actor is not None and actor.id in self._parties

    def as_of(self, actor: Actor | None, date: str | None, country_code: str | None = None) -> Actor | None:
        """The actor as ACLED names it on ``date``: an entry's ``becomes`` ({since: ISO date, id: ...})
        replaces it from that day on (the Taliban as Afghanistan's state forces from 15 August 2021)."""
        if actor is None or not date or actor.id not in self.actors:
            return actor
        becomes = self.actors[actor.id].get("becomes")
        if not becomes or date < str(becomes["since"]):
            return actor
        try:
            return self.get(becomes["id"], country_code)
        except KeyError:
            return actor

    def resolve(self, match: ActorMatch, country_code: str | None) -> Actor | None:
        """The canonical actor for ``match`` in a report about ``country_code``.

        Named actors keep their name; state forces and actors with a ``type_abroad``
        become external forces outside their home country.  Generic nouns take the
        country of their demonym, else the report's; with neither, armed groups,
        protesters, rioters and civilians get a country-less name and state forces
        give None (a state cannot be named without its country).
        """
        here = country_code.upper() if country_code else None
        if match.actor_id is not None:
            ids = match.candidates or (match.actor_id,)
            chosen = ids[0]
            if here:
                for aid in ids:
                    if (self.actors[aid].get("country") or "").upper() == here:
                        chosen = aid
                        break
            return self._named(chosen, here)
        if match.generic is None:
            return None
        g = self.generics[match.generic]
        return self._generic(g["template"], match.generic, match.country or here, here)


# -------------------------------------------------------------------- loaded terms


@dataclass(frozen=True, slots=True)
class _Term:
    form: str
    neutral: str | None
    category: str


class LoadedTerms:
    """Partisan vocabulary, found case-insensitively on word boundaries."""

    def __init__(self, categories: dict[str, dict]) -> None:
        self.terms: dict[str, _Term] = {}
        entries: dict[str, list[tuple]] = {}
        for cat, spec in categories.items():
            for form, neutral in (spec.get("terms") or {}).items():
                for variant in _surface_variants(str(form)):
                    key = variant.lower()
                    self.terms[key] = _Term(str(form), neutral, cat)
                    entries[key] = [("term", key, None)]
        self._automaton = _build_automaton(entries)

    @classmethod
    @cache
    def default(cls) -> "LoadedTerms":
        return cls(_load_yaml("loaded_terms.yaml")["categories"])

    def _matches(self, text: str) -> list[tuple[int, int, _Term]]:
        norm = _Normalized(text)
        out = []
        for start, end, items in _leftmost_longest(norm, self._automaton):
            out.append((norm.orig(start), norm.orig_end(end), self.terms[items[0][1]]))
        return out

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, category)`` for each loaded term in ``text``."""
        return [(s, e, t.category) for s, e, t in self._matches(text)]

    def neutralize(self, text: str) -> str:
        """``text`` with each loaded term that has a neutral equivalent replaced by it.

        An empty replacement drops a bare intensifier ("heroic", "Takfiri") and the space
        after it; terms without a replacement are left for a human to judge.
        """
        parts: list[str] = []
        pos = 0
        upper_next = False  # a dropped sentence-initial word hands its capital on

        def emit(chunk: str) -> None:
            nonlocal upper_next
            if upper_next and chunk:
                chunk = chunk[0].upper() + chunk[1:]
                upper_next = False
            parts.append(chunk)

        for s, e, term in self._matches(text):
            if term.neutral is None or s < pos:
                continue
            original = text[s:e]
            # Case follows the sentence, not the loaded word: "Takfiri terrorists" inside a
            # sentence becomes "militants", at its start "Militants".
            at_start = original[:1].isupper() and _sentence_starts_at(text, s)
            emit(text[pos:s])
            pos = e
            repl = term.neutral
            if repl == "":
                while pos < len(text) and text[pos] == " ":
                    pos += 1
                upper_next = upper_next or at_start
                continue
            if original.isupper() and len(original) > 1:
                repl = repl.upper()
            elif at_start:
                repl = repl[:1].upper() + repl[1:]
            emit(repl)
        emit(text[pos:])
        return "".join(parts)
