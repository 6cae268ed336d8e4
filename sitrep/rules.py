"""Named rules: every veto, demotion, retyping and carry-over as data, run by one interpreter.

The rules live in ``sitrep/data/<language>/rules/<stage>.yaml``, one file per stage that asks
them (``triggers``: is a trigger word an act?; ``acts``: which type is the act, given who did
it to whom; ``resolve`` and ``merge``: ACLED's conventions once actors are named and tellings
joined; ``carry``: what a sentence takes from the ones before it).  An entry reads::

    - id: riot-gear                    # unique, stable: traces and tests name it
      types: [Violent demonstration]   # the sub-event types it applies to (default: any)
      words: [riot]                    # or: the trigger words it applies to (prefixes, lower case)
      when:                            # every check must hold ...
        - after: '\\s+(?:police|gear|squads?)\\b'
      unless:                          # ... and none of these
        - test: armed_party
      action: drop                     # drop | demote | promote | retype | carry | keep
      to: Attack                       # the new type (retype), or the scope a carry takes from;
                                       # a list of types: the first of them the site's types hold
      carries: agent                   # (carry rules) what is taken: agent, target, place, day, source
      why: "'riot police' are the police's kit, not a riot."
      examples:                        # texts it must decide (>= 2); `not:` texts it must leave alone
        - "Riot police fired tear gas at the crowd."
        - "Officers in riot gear blocked the bridge."

A check is one of: ``before``/``after`` (a regular expression searched in the text before the
span, within ``chars`` characters of it and not before its sentence, or matched where the span
ends), ``before_text``/``after_text`` (the same on the window cut out of the text, so ``^`` and
``$`` anchor at the window's ends), ``sentence`` (searched in the sentence), ``span`` (matched
on the lower-cased span itself), ``types`` (the site's sub-event types include one of these),
``all`` (a list of checks that must all hold: in ``unless``, "not both"), or ``test`` (a named
predicate that a stage registers with :func:`test`, for what a pattern cannot say: who the
actors are, whether a clause is political).
Patterns ignore case unless the check says ``case: true``.

:meth:`RuleBook.first` gives the first rule of a stage that fires at a site, in file order, and
records it in the report's trace, so every decision can be explained (``sitrep extract
--explain``) and every example tested (``tests/test_rules.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .errors import SitrepError
from .lexicon import LANGUAGE, data_file, load_data
from .model import SUB_EVENT_TO_TYPE

ACTIONS = frozenset({"drop", "demote", "promote", "retype", "carry", "keep"})
CHECK_KINDS = frozenset({"before", "after", "before_text", "after_text", "sentence", "span", "types", "test", "all"})

# Named predicates, registered by the stages that can answer them: name -> function(site) -> bool.
TESTS: dict[str, Callable[["Site"], bool]] = {}


def test(name: str) -> Callable[[Callable[["Site"], bool]], Callable[["Site"], bool]]:
    """Register a named predicate that rules can call as ``test: NAME``."""

    def register(fn: Callable[["Site"], bool]) -> Callable[["Site"], bool]:
        TESTS[name] = fn
        return fn

    return register


class RuleError(SitrepError):
    """A rules file is malformed (a shipped file never is: a test loads every one)."""


@dataclass(slots=True)
class Site:
    """Where a rule is asked: a span of a sentence of a report, and what the stage knows there.

    `types` are the sub-event types in play (a trigger's, or the act's one type); `item` is what
    the rule decides about (a trigger mention, a candidate, an event); `facts` holds whatever else
    the stage's named tests need (the sentence's mentions, the candidate's actors, ...)."""

    report: Any
    sentence: Any
    start: int
    end: int
    span: str
    types: frozenset[str] | set[str] = frozenset()
    item: Any = None
    facts: dict[str, Any] = field(default_factory=dict)
    low: str = ""  # the span in lower case, made once

    def __post_init__(self) -> None:
        self.low = self.span.lower()

    @property
    def text(self) -> str:
        return self.report.clean_text


@dataclass(frozen=True, slots=True)
class Check:
    kind: str
    pattern: re.Pattern | None = None
    chars: int = 60
    name: str | None = None
    parts: tuple["Check", ...] = ()
    types: frozenset[str] = frozenset()

    def holds(self, site: Site) -> bool:
        kind, text = self.kind, site.text
        if kind == "test":
            return bool(TESTS[self.name](site))
        if kind == "types":
            return bool(self.types & site.types)
        if kind == "all":
            return all(part.holds(site) for part in self.parts)
        if kind == "after":
            return self.pattern.match(text, site.end) is not None
        if kind == "before":
            return self.pattern.search(text, max(site.sentence.start, site.start - self.chars), site.start) is not None
        if kind == "after_text":
            return self.pattern.match(text[site.end:site.end + self.chars]) is not None
        if kind == "before_text":
            return self.pattern.search(text[max(site.sentence.start, site.start - self.chars):site.start]) is not None
        if kind == "sentence":
            return self.pattern.search(site.sentence.text) is not None
        return self.pattern.match(site.low) is not None  # span


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    stage: str
    action: str
    why: str
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...] = ()
    types: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    when: tuple[Check, ...] = ()
    unless: tuple[Check, ...] = ()
    to: str | None = None
    to_first: tuple[str, ...] = ()  # `to` given as a list: the first of these types the site's types hold
    carries: str | None = None  # carry rules: what is taken (agent, target, place, day, source); `to` is from where

    def applies(self, site: Site) -> bool:
        """The rule's scope: the site's types and span words (cheap; tried before any check)."""
        if self.types and self.types.isdisjoint(site.types):
            return False
        return not self.words or site.low.startswith(self.words)

    def fires(self, site: Site) -> bool:
        if not self.applies(site):
            return False
        for check in self.when:
            if not check.holds(site):
                return False
        for check in self.unless:
            if check.holds(site):
                return False
        return True

    def target(self, site: Site) -> str | None:
        """The type a retype gives at the site: `to`, or, when `to` lists types (gravest first), the
        first of them among the site's types (None if it holds none)."""
        if self.to_first:
            return next((t for t in self.to_first if t in site.types), None)
        return self.to


def _check(raw: dict, where: str) -> Check:
    kinds = CHECK_KINDS & set(raw)
    if len(kinds) != 1:
        raise RuleError(f"{where}: a check needs exactly one of {sorted(CHECK_KINDS)}")
    kind = next(iter(kinds))
    if kind == "test":
        return Check("test", name=str(raw["test"]))
    if kind == "types":
        return Check("types", types=frozenset(raw["types"]))
    if kind == "all":
        return Check("all", parts=tuple(_check(part, where) for part in raw["all"]))
    flags = 0 if raw.get("case") else re.I
    try:
        pattern = re.compile(raw[kind], flags)
    except re.error as exc:
        raise RuleError(f"{where}: bad pattern ({exc})") from None
    return Check(kind, pattern, int(raw.get("chars", 60)))


def _target(raw: dict, where: str) -> tuple[str | None, tuple[str, ...]]:
    """A rule's `to` as (one type or scope, ()) or (None, the listed types in order); a retype's types
    must be ACLED sub-event types."""
    to = raw.get("to")
    listed = tuple(to) if isinstance(to, list) else ()
    if raw.get("action") == "retype" and not all(isinstance(t, str) and t in SUB_EVENT_TO_TYPE for t in listed or (to,)):
        raise RuleError(f"{where}: a retype needs `to`, one or a list of ACLED sub-event types")
    return (None, listed) if listed else (to, ())


def _rule(raw: dict, stage: str) -> Rule:
    rid = raw.get("id")
    where = f"rules/{stage}.yaml: {rid or '(no id)'}"
    if not rid or raw.get("action") not in ACTIONS or not raw.get("why"):
        raise RuleError(f"{where}: a rule needs an id, an action ({', '.join(sorted(ACTIONS))}) and a why")
    examples = raw.get("examples") or []
    to, to_first = _target(raw, where)
    return Rule(
        id=rid, stage=stage, action=raw["action"], why=" ".join(str(raw["why"]).split()),
        examples=tuple(str(e) for e in examples if isinstance(e, str)),
        counter_examples=tuple(str(e) for e in raw.get("not") or ()),
        types=frozenset(raw.get("types") or ()), words=tuple(w.lower() for w in raw.get("words") or ()),
        when=tuple(_check(c, where) for c in raw.get("when") or ()),
        unless=tuple(_check(c, where) for c in raw.get("unless") or ()),
        to=to, to_first=to_first, carries=raw.get("carries"),
    )


class RuleBook:
    """The rules of every stage, in file order."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.by_id = {rule.id: rule for rule in rules}
        self._by_types: dict[tuple, list[Rule]] = {}
        self.by_stage: dict[str, list[Rule]] = {}
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise RuleError(f"rules/{rule.stage}.yaml: rule id {rule.id!r} is used twice")
            seen.add(rule.id)
            self.by_stage.setdefault(rule.stage, []).append(rule)

    @classmethod
    def load(cls, stages: tuple[str, ...] = ()) -> "RuleBook":
        """The shipped rules of the language (every stage's file, or the stages named)."""
        folder = data_file("rules")
        names = stages or tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))
        rules = []
        for stage in names:
            for raw in load_data(f"rules/{stage}.yaml") or []:
                rules.append(_rule(raw, stage))
        return cls(rules)

    def stage(self, stage: str) -> list[Rule]:
        return self.by_stage.get(stage, [])

    def _scoped(self, stage: str, types) -> list[Rule]:
        """The stage's rules that may apply to sites of these types, in order (remembered per type set)."""
        key = (stage, types if isinstance(types, frozenset) else frozenset(types))
        found = self._by_types.get(key)
        if found is None:
            found = self._by_types[key] = [r for r in self.by_stage.get(stage, ())
                                           if not r.types or not r.types.isdisjoint(key[1])]
        return found

    def first(self, stage: str, site: Site, rules: list[Rule] | None = None) -> Rule | None:
        """The first rule of the stage that fires at the site (recorded in the report's trace)."""
        for rule in self._scoped(stage, site.types) if rules is None else rules:
            if rule.fires(site):
                trace(site, rule)
                return rule
        return None

    def firing(self, stage: str, site: Site) -> Iterator[Rule]:
        """Every rule of the stage that fires at the site, in order (each recorded in the trace)."""
        for rule in self.by_stage.get(stage, ()):
            if rule.fires(site):
                trace(site, rule)
                yield rule


def trace(site: Site, rule: Rule) -> None:
    trail = getattr(site.report, "trace", None)
    if trail is not None:
        trail.append((rule.id, site.sentence.index if site.sentence is not None else -1))


@cache
def rulebook() -> RuleBook:
    """The shipped rules of sitrep's language, loaded once per process."""
    return RuleBook.load()


__all__ = ["LANGUAGE", "Rule", "RuleBook", "RuleError", "Site", "TESTS", "rulebook", "test"]
