"""The modality of a claim: asserted, planned, background, negated or an opinion (a reaction).

Read from cues in the trigger's clause ("is expected to", "had earlier", "in 2016", "denied"),
a date more than a week before the report, a question, or a modal verb after a nominal act.
"""

from __future__ import annotations

import datetime as dt
import re

from ..clauses import PAST_VERBS
from ..mentions import MONTHS
from ..model import (
    ASSERTED,
    BACKGROUND,
    NEGATED,
    OPINION,
    PLANNED,
    Mention,
    Report,
    Sentence,
)

# Modal verbs right after the trigger phrase ("the joint operation ... would benefit").
_MODAL_AFTER = re.compile(r"^[^,;.]{0,40}?\b(?:will|would|could|might|may|shall|is expected to|are expected to|is set to)\b", re.I)

# ("may" is a modal too: cues.yaml leaves it out of its bare-month cue.)
_BARE_MONTH = re.compile(r"in (?:early |late |mid-)?(" + "|".join(MONTHS) + ")", re.I)

_WHAT_WOULD = re.compile(r"\bwhat\s+(?:would|could|might|may)\b", re.I)  # "in what would be the deadliest attack"

_EXPECTED_AFTER = re.compile(r"^(?:[^.;:]{0,100}?\b(?P<cue>(?:is|are) (?:expected|set|due|scheduled|slated|likely|poised) to)\b"
                             r"|\s*(?P<cue2>to (?:resume|begin|start|open|be held|take place|restart)\b))", re.I)

_THE_YEAR = re.compile(r"\bthe ((?:19|20)\d\d)$", re.I)

_MONTH_YEAR = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+((?:19|20)\d\d)\b", re.I)

_COMMA_OR_SEMICOLON = re.compile(r"[,;]")

# Where a new clause opens before the trigger.
_CLAUSE_OPENER = re.compile(r"[;:]|,\s+(?:but|while|whereas|and)\s|\bbut\b|\bwhile\b|\bafter\b|\bfollowing\b|\bas\b")

_GOOD_OUTCOME = re.compile(r"benefit|help|mean|allow|pave", re.I)

_WILL = re.compile(r"\b(?:will|would)\b", re.I)

_SOON = re.compile(r"in (?:the )?(?:coming|near)|soon", re.I)

_PAST_CUE = re.compile(r"(?:19|20)\d\d|\bago\b|\blast\b|\bearlier\b|\bprevious|\b(?:months|years)$|\bso far\b|\bto date\b|"
                       r"\bin total\b|\b(?:the|this) year\b", re.I)

# "killed ... since January": a running total; "since Saturday" is this week's fighting, told on.
# "since" + a day or an hour of the last day ("since dawn", "since after midnight", "since the early hours")
# is today's fighting told on, not a running total.
_SINCE_PAST = re.compile(r"since\s+(?!(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last night|"
                         r"dawn|daybreak|sunrise|noon|midnight|after|this|the (?:early |small )?(?:morning|hours|night|"
                         r"evening|afternoon|dawn|midnight)|morning|early|hours)\b)", re.I)

_SPEECH_VERB = re.compile(r"\b(?:said|says|say|told|tells|added|stated|recalled|recounted|explained)\b", re.I)


def claim_modality(report: Report, sentence: Sentence, trigger: Mention, cues_: list[Mention],
                   dates: list[Mention] = ()) -> tuple[str, str | None]:
    """The modality of the claim the trigger makes, and the cue that says so (None: asserted)."""
    text = report.clean_text
    # "A man who survived an attack last year said bandits abducted 20 villagers": a speaker's own
    # story, told before the speech verb, does not frame what the speaker reports after it.
    # (A cue holding the verb, "analysts say", is the speaker's frame and still counts.)
    speech = [m.start() for m in _SPEECH_VERB.finditer(text, sentence.start, trigger.start)]
    if speech:
        cues_ = [c for c in cues_ if c.end > speech[-1] or c.value == "hearing"]
        dates = [d for d in dates if d.end > speech[-1]]
    for read in (_dated_past, _called_baseless, _asked, _future_frame):
        found = read(report, sentence, trigger, dates)
        if found is not None:
            return found
    if cues_:
        return _cued(report, sentence, trigger, cues_)
    return ASSERTED, None


def _dated_past(report: Report, sentence: Sentence, trigger: Mention, dates: list[Mention]):
    """A date in the sentence more than a week before the report dates the act to the past."""
    if report.day is None:
        return None
    limit = (report.day - dt.timedelta(days=7)).isoformat()
    text = report.clean_text
    for d in dates:
        if d.value and d.value < limit and (d.end <= trigger.start or not _COMMA_OR_SEMICOLON.search(text[trigger.end:d.start])):
            return BACKGROUND, d.text
    return None


def _called_baseless(report: Report, sentence: Sentence, trigger: Mention, dates=()):
    """"Reports ... claiming that security forces had opened fire on residents were 'completely baseless'"."""
    text = report.clean_text
    if not _REPORTS_OF.search(text, sentence.start, trigger.start):
        return None
    baseless = _BASELESS.search(text, trigger.end, sentence.end)
    return (NEGATED, baseless.group(0)) if baseless else None


def _asked(report: Report, sentence: Sentence, trigger: Mention, dates=()):
    """"Who else is fighting the Taliban?", "Will the ceasefire hold?": a question asserts no act.
    ("Suicide attack kills five - who are IS-K?": the question is a clause of its own.)"""
    if sentence.text.rstrip(" \"'”’)").endswith("?") and not _CLAUSE_BREAK.search(report.clean_text, trigger.end,
                                                                                    sentence.end):
        return OPINION, "?"
    return None


def _future_frame(report: Report, sentence: Sentence, trigger: Mention, dates=()):
    """A nominal act in a future frame: "the operation would benefit", "talks are expected to resume",
    "with the liberation of X, the army will be able to ..." (a verb phrase tells of what was done)."""
    words = trigger.text.lower().split()
    # "captured the town": a verb phrase's first word is its verb.
    if any(w.endswith("ed") or w in PAST_VERBS for w in words[:1] + words[-1:]):
        return None
    tail = report.clean_text[trigger.end:sentence.end]
    modal = _MODAL_AFTER.match(tail)
    if modal and not _WHAT_WOULD.search(modal.group(0)):
        return (OPINION if _GOOD_OUTCOME.search(tail[:80]) else PLANNED), modal.group(0).strip()
    # "Talks on a truce, backed by the US and Egypt, are expected to resume"; "Ceasefire talks to
    # resume": the act named as a subject is what is expected.
    later = _EXPECTED_AFTER.match(tail)
    if later:
        return PLANNED, later.group("cue") or later.group("cue2")
    if any(not _WHAT_WOULD.match(tail, max(0, w.start() - 5), w.end())
           and not _SPEECH_VERB.search(tail, 0, w.start()) for w in _WILL.finditer(tail)):
        # (not "..., the ministry said, in what would be the deadliest attack")
        return PLANNED, "will"
    return None


def _cued(report: Report, sentence: Sentence, trigger: Mention, cues_: list[Mention]) -> tuple[str, str | None]:
    """The first cue that frames the act: in its clause, a background cue before it, a reaction about it."""
    text = report.clean_text
    clause_start = sentence.start
    # The clause runs from the last strong boundary before the trigger.
    for m in _CLAUSE_OPENER.finditer(text[sentence.start:trigger.start]):
        clause_start = sentence.start + m.end()
    for cue in cues_:
        if cue.value == "hearing":
            return BACKGROUND, cue.text  # "..., a court heard": a crime being tried, not news of the day
        if cue.value == BACKGROUND and _this_months_news(report, cue.text):
            continue
        if cue.value == BACKGROUND and (cue.end <= trigger.start or (
                trigger.end <= cue.start and not _COMMA_OR_SEMICOLON.search(text[trigger.end:cue.start])
                and (_PAST_CUE.search(cue.text) or _SINCE_PAST.match(text, cue.start)))):
            # After the act only a date ("in 2016", "two years ago") moves it to the past;
            # "after six months of cooperation" says how long something lasted.
            # "in 2016", "had earlier" before the act, or in its own clause, date the claim.
            return BACKGROUND, cue.text
        if cue.value == "reaction" and (cue.end <= trigger.start or (
                _PASSIVE_CLAIM.match(cue.text) and 0 <= cue.start - trigger.end <= 12)):
            # "claimed responsibility for", "condemned", "denied", "the attack was claimed by":
            # a statement about an event.
            return OPINION, cue.text
        in_clause = clause_start <= cue.start < trigger.start
        after = trigger.end <= cue.start < sentence.end and cue.value == PLANNED and _SOON.match(cue.text)
        if (in_clause or after) and not (cue.value == NEGATED and trigger.start - cue.end > 40):
            return (OPINION if cue.value == "reaction" else cue.value), cue.text
    return ASSERTED, None


def _this_months_news(report: Report, cue: str) -> bool:
    """A background cue that names the report's own month or year is news, not the past: "in June" in a
    June report, "in May 2017" before May is over, "since the 2025 election" in a 2025 report."""
    day = report.day
    if day is None:
        return False
    bare = _BARE_MONTH.fullmatch(cue)
    if bare and MONTHS.index(bare.group(1).lower()) + 1 == day.month:
        return True
    my = _MONTH_YEAR.search(cue)
    if my and (int(my.group(2)), MONTHS.index(my.group(1).lower()) + 1) >= (day.year, day.month):
        return True
    year = _THE_YEAR.search(cue)
    return bool(year) and int(year.group(1)) >= day.year


_PASSIVE_CLAIM = re.compile(r"(?:was|were|has|have|had)\b.*\bclaimed$", re.I)

_REPORTS_OF = re.compile(r"\b(?:reports?|claims?|allegations?|rumou?rs?)\b", re.I)

_BASELESS = re.compile(r"\b(?:were|was|are|is|as)\s+[\"“']?(?:\w+\s+)?[\"“']?(?:baseless|false|untrue|unfounded|fabricated|fake|lies)\b",
                       re.I)

_CLAUSE_BREAK = re.compile(r"\s[-–—]\s|[:;]\s")
