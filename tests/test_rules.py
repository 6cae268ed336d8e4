"""Every named rule decides the examples it gives, and the rules files are well formed."""

import pytest

from sitrep.model import Report
from sitrep.pipeline import Pipeline, default_pipeline
from sitrep.rules import TESTS, RuleBook, RuleError, Site, _rule, rulebook

BOOK = rulebook()
CASES = [(r.id, text, True) for r in BOOK.rules for text in r.examples] + \
        [(r.id, text, False) for r in BOOK.rules for text in r.counter_examples]


_RULES_ONLY = None


def fired(text: str) -> list[str]:
    """The rules that decided something on the text, read by the rules alone (no act classifier)."""
    global _RULES_ONLY
    if _RULES_ONLY is None:
        base = default_pipeline()
        _RULES_ONLY = Pipeline(gazetteer=base.gazetteer, actors=base.actors, acts_model="rules")
    report = _RULES_ONLY(Report(text=text, doc_id="example", date="2024-05-06"))
    return [rule_id for rule_id, _ in report.trace]


@pytest.mark.parametrize("rule_id,text,fires", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_decides_its_example(rule_id, text, fires):
    assert (rule_id in fired(text)) == fires, f"{rule_id} {'did not fire' if fires else 'fired'} on: {text}"


def test_every_rule_has_two_examples_a_why_and_known_tests():
    assert BOOK.rules
    for rule in BOOK.rules:
        assert len(rule.examples) >= 2, rule.id
        assert len(rule.why) > 20, rule.id
        for check in rule.when + rule.unless:
            for part in (check,) + check.parts:
                assert part.kind != "test" or part.name in TESTS, f"{rule.id}: no test named {part.name!r}"


def test_a_malformed_rule_is_refused_with_its_id():
    with pytest.raises(RuleError, match="broken"):
        _rule({"id": "broken", "action": "explode", "why": "no such action"}, "triggers")
    with pytest.raises(RuleError, match="bad pattern"):
        _rule({"id": "p", "action": "drop", "why": "a pattern that does not compile", "when": [{"after": "("}]},
              "triggers")
    with pytest.raises(RuleError, match="used twice"):
        RuleBook([_rule({"id": "x", "action": "drop", "why": "one"}, "a"), _rule({"id": "x", "action": "drop",
                                                                               "why": "two"}, "b")])


def test_the_first_rule_that_fires_decides_and_is_traced():
    rules = [_rule({"id": "late", "action": "drop", "why": "w", "when": [{"after": r"\s+police"}]}, "s"),
             _rule({"id": "gear", "action": "demote", "why": "w", "when": [{"after": r"\s+gear"}]}, "s")]
    book = RuleBook(rules)
    report = Report(text="riot gear and riot police")
    report.clean_text = report.text
    sentence = type("S", (), {"start": 0, "end": len(report.text), "text": report.text, "index": 0})()
    site = Site(report, sentence, 0, 4, "riot")
    assert book.first("s", site).id == "gear"
    assert report.trace == [("gear", 0)]
    site = Site(report, sentence, 14, 18, "riot")
    assert book.first("s", site).id == "late"
