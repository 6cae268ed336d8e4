"""The learned act classifier: which ACLED sub-event type of act a sentence tells, or none.

A multinomial logistic regression over hashed word, word-pair and character features of the
sentence, plus the rules' own signals (the trigger words the lexicon found, with their type and
weight, and the kinds of actor named).  It is trained by ``scripts/train_acts.py`` on sentences
the project wrote itself (``training/acts/``) and on its own labels of the real reports in
``../shared/corpus/real`` (derived from their gold files), never on ACLED or CASE text, and ships
as ``sitrep/data/en/acts_model.npz``: the features seen in training, their weights per class and
the biases, read with numpy alone.

The events stage asks it where the rules are silent (a sentence telling an act in words the
lexicon lacks) and where the rules are unsure between the sub-types of one event type; the rules
keep ACLED's conventions (modality, attribution, actors, fatalities, territory by who takes it).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np

from .lexicon import data_file

NONE = "none"
HASH_BITS = 20
_WORD = re.compile(r"[a-z0]+(?:['’-][a-z0]+)*")
_DIGITS = re.compile(r"\d+")


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def features(text: str, triggers: Iterable[tuple[str, int]] = (), actors: Iterable[str] = ()) -> list[int]:
    """The hashed features of a sentence: words, word pairs, character 4-grams inside words, and the
    rules' signals (trigger types with their weights; actor kinds).  Training and use share this function."""
    low = _DIGITS.sub("0", text.lower())
    words = _WORD.findall(low)
    feats = [f"w:{w}" for w in words]
    feats += [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    for w in words:
        padded = f"<{w}>"
        feats += [f"c:{padded[i:i + 4]}" for i in range(max(1, len(padded) - 3))]
    feats += [f"t:{sub}" for sub, _ in triggers] + [f"t:{sub}:{weight}" for sub, weight in triggers]
    feats += [f"a:{kind}" for kind in actors]
    return sorted({_hash(f) for f in feats})


def sentence_signals(mentions: Iterable) -> tuple[list[tuple[str, int]], list[str]]:
    """The rules' signals in a sentence's mentions: (sub-event type, weight) of each trigger word the lexicon
    found, and the kind of each actor named ("state_forces", "protesters", ...; "named" for a named group)."""
    triggers, actors = [], []
    for m in mentions:
        if m.kind == "trigger":
            triggers.extend((t.sub_event_type, t.weight) for t in m.value)
        elif m.kind == "actor":
            actors.append(getattr(m.value, "type", None) or "unknown")
            if getattr(m.value, "actor_id", None):
                actors.append("named")
    return triggers, actors


@dataclass(frozen=True)
class ActModel:
    """Weights of the classifier: the feature ids seen in training (sorted), a weight row per feature id
    and class, the class biases, and the class labels (ACLED sub-event types and "none")."""

    ids: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    labels: tuple[str, ...]

    @classmethod
    def load(cls, path=None) -> "ActModel":
        with np.load(path or data_file("acts_model.npz"), allow_pickle=False) as data:
            return cls(data["ids"], data["weights"].astype(np.float32), data["bias"].astype(np.float32),
                       tuple(str(x) for x in data["labels"]))

    def save(self, path) -> None:
        np.savez_compressed(path, ids=self.ids.astype(np.int32), weights=self.weights.astype(np.float16),
                            bias=self.bias.astype(np.float32), labels=np.array(self.labels))

    def probabilities(self, feature_ids: list[int]) -> dict[str, float]:
        """The class probabilities of a sentence given its feature ids."""
        ids = np.asarray(feature_ids, dtype=np.int64)
        pos = np.searchsorted(self.ids, ids)
        pos = pos[(pos < len(self.ids)) & (self.ids[np.minimum(pos, len(self.ids) - 1)] == ids)]
        scores = self.bias + self.weights[pos].sum(axis=0)
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(self.labels, scores.tolist()))

    def best(self, feature_ids: list[int]) -> tuple[str, float]:
        probs = self.probabilities(feature_ids)
        label = max(probs, key=probs.get)
        return label, probs[label]


@cache
def default_model() -> ActModel | None:
    """The shipped model, loaded once per process (None when the package was built without one)."""
    path = data_file("acts_model.npz")
    return ActModel.load(path) if path.is_file() else None
