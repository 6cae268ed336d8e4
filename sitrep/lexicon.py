"""Language data: trigger lexicon and cue lists from sitrep/data, loaded once.

The trigger lexicon is compiled into one Aho-Corasick automaton so a document
is scanned once for every trigger of every sub-event type.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import ahocorasick
import yaml

_BRACKET = re.compile(r"\[([^\[\]]*)\]")


def load_data(name: str):
    """Parse a YAML file shipped in sitrep/data."""
    text = resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def expand(pattern: str) -> list[str]:
    """All literal phrases a bracket pattern stands for: 'clash[|es]' -> clash, clashes."""
    m = _BRACKET.search(pattern)
    if not m:
        return [" ".join(pattern.split())]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(expand(pattern[: m.start()] + alt + pattern[m.end():]))
    return out


@dataclass(frozen=True, slots=True)
class Trigger:
    phrase: str
    sub_event_type: str
    weight: int


_WORD = re.compile(r"\w")


def is_word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


class TriggerLexicon:
    """Every trigger phrase of every sub-event type, matched in one pass."""

    def __init__(self, table: dict[str, dict[int, list[str]]]):
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[Trigger]] = {}
        for sub, weights in table.items():
            for weight, patterns in weights.items():
                for pattern in patterns:
                    for phrase in expand(pattern.lower()):
                        if not phrase:
                            continue
                        # A phrase listed twice for one type counts once, at its highest weight.
                        found = entries.setdefault(phrase, [])
                        same = [i for i, t in enumerate(found) if t.sub_event_type == sub]
                        if same:
                            found[same[0]] = Trigger(phrase, sub, max(found[same[0]].weight, int(weight)))
                        else:
                            found.append(Trigger(phrase, sub, int(weight)))
        for phrase, triggers in entries.items():
            self.automaton.add_word(phrase, (len(phrase), tuple(triggers)))
        self.automaton.make_automaton()
        self.size = len(entries)

    @classmethod
    @functools.cache
    def default(cls) -> "TriggerLexicon":
        return cls(load_data("triggers.yaml"))

    def find(self, lowered: str) -> list[tuple[int, int, tuple[Trigger, ...]]]:
        """Trigger spans in lower-cased text, on word boundaries, longest first where they overlap."""
        hits = []
        n = len(lowered)
        for end, (length, triggers) in self.automaton.iter(lowered):
            start = end - length + 1
            if start > 0 and is_word_char(lowered[start - 1]):
                continue
            if end + 1 < n and is_word_char(lowered[end + 1]):
                continue
            hits.append((start, end + 1, triggers))
        # Longest match wins; a shorter trigger inside a longer one is dropped.
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, tuple[Trigger, ...]]] = []
        last_end = -1
        for h in hits:
            if h[0] >= last_end:
                kept.append(h)
                last_end = h[1]
            elif h[1] > last_end and kept and h[1] - h[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = h
                last_end = h[1]
        return kept


@functools.cache
def cues() -> dict:
    return load_data("cues.yaml")


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@functools.cache
def modality_patterns() -> dict[str, re.Pattern]:
    """One compiled regex per modality, matching any of its cues on word boundaries."""
    out = {}
    for modality, patterns in cues()["modality"].items():
        out[modality] = re.compile(r"\b(?:" + _alternation(patterns) + r")\b", re.I)
    return out


@functools.cache
def modality_regex() -> re.Pattern:
    """All modality cues in one regex, one named group per modality: one pass per sentence."""
    groups = [f"(?P<{m}>{_alternation(p)})" for m, p in cues()["modality"].items()]
    return re.compile(r"\b(?:" + "|".join(groups) + r")\b", re.I)


@functools.cache
def number_words() -> dict[str, int]:
    return {k.lower(): int(v) for k, v in cues()["numbers"]["words"].items()}


@functools.cache
def boilerplate_pattern() -> re.Pattern:
    return re.compile(_alternation(cues()["boilerplate"]), re.I)
