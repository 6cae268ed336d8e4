"""Where the act classifier (sitrep/acts_model.py) decides: where the rules find no act in a sentence that
names one in words the lexicon lacks.  Its threshold is in TUNING.acts.

(Letting it also choose between the demonstration sub-types where the rules are unsure was measured and
left out: it was no better on the real reports and worse on the CASE snippets.)"""

from __future__ import annotations

from ..acts_model import NONE, ActModel, features, sentence_signals
from ..lexicon import Trigger
from ..model import SUB_EVENT_TO_TYPE, Mention, Report, Sentence
from ..rules import rulebook
from ..tuning import TUNING
from .places import act_words


def learned_act(model: ActModel | None, report: Report, sent: Sentence, ms: dict[str, list[Mention]],
                triggers: list[tuple[Mention, Trigger]], decided):
    """The act the sentence tells, as (sub-event type, score, trigger): the rules' decision, or the
    classifier's where the rules found no act in words that name one."""
    if model is None or decided is not None or _vetoed(report, sent):
        return decided
    raw = ms.get("trigger", [])
    if not raw and not ms.get("actor"):
        return None  # no sign of an act at all: nothing to ask
    trig, actors = sentence_signals(raw + ms.get("actor", []))
    probs = model.probabilities(features(sent.text, trig, actors))
    label = max(probs, key=probs.get)
    tuning = TUNING.acts
    if label == NONE or probs[label] < tuning.new_act:
        return None
    anchor = _anchor(report, sent, raw, label)
    if anchor is None:
        return None
    report.trace.append(("classifier:new-act", sent.index))
    return label, tuning.new_act_score, anchor


def _vetoed(report: Report, sent: Sentence) -> bool:
    """A trigger or sentence rule dropped one of the sentence's acts: the rules said no, on purpose."""
    book = rulebook()
    for rule_id, index in report.trace:
        if index == sent.index:
            rule = book.by_id.get(rule_id)
            if rule is not None and rule.action == "drop" and rule.stage in ("triggers", "sentences"):
                return True
    return False


def _anchor(report: Report, sent: Sentence, raw: list[Mention], label: str) -> Mention | None:
    """The words the act is told by, for the passes after (modality, roles, places): a trigger word of its
    type, else any trigger word, else a word that reports an act ("targeted", "attacked")."""
    of_type = [m for m in raw if any(t.sub_event_type == label for t in m.value)]
    same_kind = [m for m in raw if any(SUB_EVENT_TO_TYPE.get(t.sub_event_type) == SUB_EVENT_TO_TYPE[label]
                                       for t in m.value)]
    for group in (of_type, same_kind, raw):
        if group:
            return group[0]
    words = act_words(report, sent, [])
    return words[0] if words else None
