"""The learned act classifier: its features, the shipped model, deterministic training, where it decides."""

import numpy as np

from sitrep.acts_model import NONE, ActModel, default_model, features
from sitrep.acts_training import train, written_examples
from sitrep.model import SUB_EVENT_TO_TYPE, Report
from sitrep.pipeline import Pipeline, default_pipeline


def test_features_are_stable_and_carry_the_rules_signals():
    plain = features("Warplanes struck the village of Kafr Nabl on Monday.")
    assert plain == features("Warplanes struck the village of Kafr Nabl on Monday.")
    signalled = features("Warplanes struck the village of Kafr Nabl on Monday.", [("Air/drone strike", 3)], ["state_forces"])
    assert set(plain) < set(signalled)
    assert features("Killed 12 people") == features("killed 35 people")  # numbers and case do not matter


def test_the_shipped_model_knows_every_sub_event_type_and_none():
    model = default_model()
    assert model is not None
    assert set(model.labels) == set(SUB_EVENT_TO_TYPE) | {NONE}
    probs = model.probabilities(features("Police fired tear gas at thousands of protesters in the capital."))
    assert abs(sum(probs.values()) - 1) < 1e-4
    assert max(probs, key=probs.get) in ("Protest with intervention", "Excessive force against protesters")
    label, p = model.best(features("The minister attended a football match in the capital."))
    assert label == NONE


def test_training_is_deterministic_and_round_trips(tmp_path):
    sample = [e for e in written_examples() if e.labels in ((), ("Air/drone strike",), ("Peaceful protest",))][::3]
    a, b = train(sample), train(sample)
    assert np.array_equal(a.ids, b.ids) and np.array_equal(a.weights, b.weights)
    a.save(tmp_path / "m.npz")
    c = ActModel.load(tmp_path / "m.npz")
    for text in ("Thousands of teachers marched peacefully to the parliament to demand higher pay.",
                 "Warplanes carried out airstrikes on the town overnight."):
        assert a.best(features(text))[0] == c.best(features(text))[0] != NONE


def _one_word_model(word: str, label: str) -> ActModel:
    """A model whose only evidence is one word, sure of `label` when it is there (none otherwise)."""
    fid = features(word)
    labels = tuple(sorted(set(SUB_EVENT_TO_TYPE) | {NONE}))
    weights = np.zeros((len(fid), len(labels)), dtype=np.float32)
    weights[:, labels.index(label)] = 40.0 / len(fid)
    bias = np.zeros(len(labels), dtype=np.float32)
    bias[labels.index(NONE)] = 10.0
    return ActModel(np.array(fid, dtype=np.int64), weights, bias, labels)


def test_the_classifier_adds_an_act_only_where_the_rules_are_silent_and_it_is_sure():
    base = default_pipeline()
    pipe = Pipeline(gazetteer=base.gazetteer, actors=base.actors, acts_model=_one_word_model("waylaid", "Armed clash"))
    rules = Pipeline(gazetteer=base.gazetteer, actors=base.actors, acts_model="rules")
    text = "Insurgents waylaid a military convoy near the town of Gao on Monday."
    assert rules(Report(text=text, date="2024-03-04")).events == []
    report = pipe(Report(text=text, date="2024-03-04"))
    assert [(e.sub_event_type, e.location) for e in report.events] == [("Armed clash", "Gao")]
    assert ("classifier:new-act", 0) in report.trace
    # Without its word it is not sure; an act it finds is still read for modality (another year: background).
    assert pipe(Report(text="Insurgents met a military convoy near Gao on Monday.", date="2024-03-04")).events == []
    planned = "Insurgents waylaid a military convoy near Gao in 2015, before the army returned."
    assert pipe(Report(text=planned, date="2024-03-04")).events == []
