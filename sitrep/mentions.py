"""Stage 3, mentions: find actors, places, triggers, numbers, dates, sources and modality cues.

Each finder scans the whole cleaned text once (automata for the dictionaries,
one regex pass for the patterns) and every mention is then assigned to the
sentence that contains it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from bisect import bisect_left, bisect_right

from .clauses import OPERATION_START
from .lexicon import (
    PrefilteredRegex,
    SentenceSearch,
    Trigger,
    TriggerLexicon,
    alternation_strings,
    cues,
    modality_finder,
    number_words,
    prefiltered,
    word_trie,
)
from .model import Mention, Report
from .settings import MAX_YEAR, MIN_YEAR
from .slots import unlisted_places

# ---------------------------------------------------------------- numbers

MAX_COUNT = 10_000_000  # the largest casualty count taken as a number


@functools.cache
def _number_regexes() -> tuple[PrefilteredRegex, PrefilteredRegex, re.Pattern, re.Pattern]:
    c = cues()["numbers"]
    words = sorted(number_words(), key=len, reverse=True)
    vague = sorted((v.lower() for v in c["vague"]), key=len, reverse=True)
    num = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(re.escape(w) for w in words) + ")"
    qual = r"(?:(?:" + "|".join(re.escape(q) for q in sorted(c["qualifiers"], key=len, reverse=True)) + r")\s+)?"
    vague_alt = "|".join(re.escape(v) for v in vague)
    quantity = rf"(?P<q>{qual}(?P<n>{num})|(?P<vague>{vague_alt}))"
    killed, injured = c["killed"], c["injured"]
    # "killed over 30 militants", "killing and wounding 80", "left 5 dead", "the deaths of 12 civilians"
    verb_first = re.compile(
        rf"\b(?P<verb>{killed}|{injured}|left|leaving|claimed the lives of|the deaths? of|the killing of|the elimination of)\s+"
        rf"(?:(?P<conj>and|or)\s+(?:{killed}|{injured})\s+)?{quantity}\b(?=(?P<tail>[\w\s-]{{0,40}}))",
        re.I,
    )
    # "30 militants were killed", "five civilians died", "12 dead" (the count nearest the verb: "A leader said
    # nine people were killed" counts nine, not "a")
    noun_first = re.compile(
        rf"(?<![\w-]){quantity}(?!\s+(?:hours?|minutes?|days?|nights?|weeks?|months?|years?|km|kilomet\w+|miles?|metres?|meters?|percent|per cent)\b)\s+(?:(?!(?:{num})\s)[\w'-]+\s+){{0,6}}?(?:(?:were|was|have been|had been|are|is|being|got|reportedly|also|later)\s+)*"
        rf"(?P<verb>{killed}|{injured})\b",
        re.I,
    )
    toll = re.compile(
        rf"\b(?P<verb>death toll|toll|casualty toll)\s+(?:[\w-]+\s+){{0,3}}?(?:to|of|at|reached|hit|stood at)\s+{quantity}\b",
        re.I,
    )
    # The two count patterns run prefiltered (same matches); the toll pattern is cheap as it is.
    return (PrefilteredRegex(verb_first), PrefilteredRegex(noun_first), toll,
            re.compile(rf"\b(?:{injured})\b", re.I))


@functools.cache
def _qualifiers() -> tuple[str, ...]:
    """The count qualifiers ("over", "at least"), longest first."""
    return tuple(sorted(cues()["numbers"]["qualifiers"], key=len, reverse=True))


@functools.cache
def _killed_words() -> frozenset[str]:
    """The words that make a count a death count ("killed", "died", "bodies")."""
    return frozenset(cues()["numbers"]["killed"].split("|"))


# What follows "left"/"leaving 5": dead, wounded or both.
_TAIL_KILLED = re.compile(r"\b(?:dead|killed)\b")
_TAIL_BOTH = re.compile(r"\bdead or wounded\b|\bdead and wounded\b|\bkilled or wounded\b")


def parse_quantity(text: str) -> int | None:
    """Numeric value of a quantity phrase: '3' -> 3, 'a dozen' -> 12, 'scores' -> None."""
    t = text.lower().strip()
    if not t:
        return None
    for q in _qualifiers():
        if t.startswith(q + " "):
            t = t[len(q) + 1:]
            break
    t = t.replace(",", "")
    if t.isdigit():
        # "killed 99999999999999999999 people" is no count: beyond MAX_COUNT it is unknown (None), so
        # no store column overflows and int() never meets a number longer than Python converts.
        return int(t) if len(t) <= len(str(MAX_COUNT)) and int(t) <= MAX_COUNT else None
    return number_words().get(t)


def find_numbers(text: str, offset: int = 0) -> list[Mention]:
    """Casualty counts: Mention(kind='number', value=int|None, role='killed'|'injured'|'casualties')."""
    verb_first, noun_first, toll, injured_re = _number_regexes()
    killed_words = _killed_words()
    out: list[Mention] = []
    # The spans taken so far, disjoint and sorted by start (so their ends are sorted too): a new span
    # overlaps one iff it overlaps the last one starting before its end.  One bisection per match,
    # not a look at every earlier count, keeps a long sentence full of numbers linear.
    starts: list[int] = []
    ends: list[int] = []

    def role_of(verb: str) -> str:
        v = verb.lower()
        if v in ("left", "leaving", "claimed the lives of") or v.startswith(("the death", "the killing", "the elimination")):
            return "killed"  # "resulting in the death of five terrorists"
        if v in ("casualties",):
            return "casualties"
        return "killed" if v in killed_words or "toll" in v else "injured"

    def add(m: re.Match, role: str) -> None:
        s, e = m.span("q")
        k = bisect_left(starts, e)
        if k and ends[k - 1] > s:
            return
        if m.group("vague"):
            value = None
        else:
            value = parse_quantity(m.group("q"))
        starts.insert(k, s)
        ends.insert(k, e)
        out.append(Mention("number", offset + s, offset + e, m.group("q"), -1, value, role))

    for m in verb_first.finditer(text):
        verb = m.group("verb").lower()
        if m.group("conj"):
            role = "casualties"  # "killing and wounding 80": not a death count
        elif verb in ("left", "leaving"):
            tail = (m.group("tail") or "").lower()
            if _TAIL_KILLED.search(tail) and not injured_re.search(tail):
                role = "killed"
            elif injured_re.search(tail) and not _TAIL_KILLED.search(tail):
                role = "injured"
            elif _TAIL_BOTH.search(tail):
                role = "casualties"
            else:
                continue
        else:
            role = role_of(verb)
        add(m, role)
    for m in noun_first.finditer(text):
        add(m, role_of(m.group("verb")))
    for m in toll.finditer(text):
        add(m, "killed")
    return out


# ---------------------------------------------------------------- dates

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


@functools.cache
def _date_regex() -> PrefilteredRegex:
    rel = sorted(cues()["dates"]["relative"], key=len, reverse=True)
    months = "|".join(MONTHS) + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
    return prefiltered(
        r"\b(?:"
        rf"(?:on\s+|last\s+|this\s+|early\s+|late\s+)?(?P<wd>{'|'.join(_WEEKDAYS)})\b"
        rf"|(?:on\s+)?(?P<m1>{months})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?\b"
        rf"|(?:on\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{months})\.?(?:,?\s+(?P<y2>\d{{4}}))?\b"
        rf"|(?P<rel>{'|'.join(re.escape(r) for r in rel)})\b"
        r")",
        re.I,
    )


# "will convene Friday", "next Tuesday": a weekday still to come.
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|won't|is to|are to|plans? to|expected to|scheduled|set to|next|this coming)\b"
    r"(?:[ \t]+[\w'’-]+){0,3}[ \t]+$", re.I)


def resolve_date(m: re.Match, report_date: dt.date | None, ahead: bool = False) -> str | None:
    """ISO date a date phrase denotes, relative to the report date; None when it cannot be known.

    `ahead`: the phrase speaks of what is to come, so a weekday is the next one, not the last."""
    rel = cues()["dates"]["relative"]
    if m.group("wd"):
        if report_date is None:
            return None
        target = _WEEKDAYS.index(m.group("wd").lower())
        if ahead:
            return (report_date + dt.timedelta(days=(target - report_date.weekday()) % 7 or 7)).isoformat()
        delta = (report_date.weekday() - target) % 7
        return (report_date - dt.timedelta(days=delta)).isoformat()
    if m.group("rel"):
        if report_date is None:
            return None
        return (report_date + dt.timedelta(days=int(rel[m.group("rel").lower()]))).isoformat()
    month_s = (m.group("m1") or m.group("m2")).lower()[:3]
    day = int(m.group("d1") or m.group("d2"))
    year_s = m.group("y1") or m.group("y2")
    month = [x[:3] for x in MONTHS].index(month_s) + 1
    if year_s:
        year = int(year_s)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None  # "January 1, 0001": no date a report can mean, and date arithmetic would overflow
    elif report_date is not None:
        year = report_date.year
    else:
        return None
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    if not year_s and report_date is not None and d > report_date + dt.timedelta(days=1):
        try:
            d = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return d.isoformat()


def find_dates(text: str, report_date: dt.date | str | None, offset: int = 0) -> list[Mention]:
    base = dt.date.fromisoformat(report_date) if isinstance(report_date, str) else report_date
    out = []
    for m in _date_regex().finditer(text):
        if m.group("m2") and m.group("m2").lower() == "may" or m.group("m1") and m.group("m1").lower() == "may":
            # "may" is far more often the modal verb than the month without a capital.
            if not text[m.start("m1" if m.group("m1") else "m2")].isupper():
                continue
        ahead = bool(m.group("wd")) and _FUTURE_BEFORE.search(text, max(0, m.start() - 50), m.start()) is not None
        value = resolve_date(m, base, ahead)
        out.append(Mention("date", offset + m.start(), offset + m.end(), m.group(0), -1, value))
    return out


# ---------------------------------------------------------------- attribution

def _noun_alternation(nouns: str) -> str:
    """The source nouns as a trie ("offici(?:al(?:s)?)"): the same matches, read twice as fast.

    What follows a noun in the source pattern is a space, tab or comma, so at one place at most
    one noun can lead to a match -- unless one noun is another plus more words ("red" and
    "red cross"); then, or if the nouns are more than a plain alternation, they stay as written."""
    words = alternation_strings(nouns)
    if not words or not all(w and all(ch.isalpha() or ch == " " for ch in w) for w in words) \
            or any(v.lower().startswith(w.lower() + " ") for w in words for v in words):
        return nouns
    return word_trie(words)


@functools.cache
def _attribution_regexes() -> tuple[PrefilteredRegex, re.Pattern, PrefilteredRegex]:
    a = cues()["attribution"]
    nouns, verbs = a["nouns"], a["verbs"]
    # Speech verbs are found first (one cheap scan); the source phrase is then read backwards
    # from each verb inside a short window.  Source phrases never cross a line or a sentence.
    verb = prefiltered(rf"\b(?:{verbs})\b", re.I)
    mod = r"(?:[\w'’-]+[ \t]+){0,5}?"
    said = re.compile(
        rf"(?P<src>\b{mod}(?:{_noun_alternation(nouns)}))"
        rf"(?P<tail>[ \t]+(?:in|from|at|of|with|close to|affiliated (?:to|with)|on|near|inside|for)(?:[ \t]+[\w'’-]+){{1,5}}?)?"
        rf"[ \t]*,?[ \t]+(?:(?:also|further|later|earlier|had|have|has|then)[ \t]+)?$",
        re.I,
    )
    according = prefiltered(
        rf"\b(?:{a['according_to']})[ \t]+(?P<src>(?:[\w'’-]+[ \t]*){{1,8}}?)(?=[,.;:\n]|[ \t]+(?:that|the|on|in|as|which|who)\b|$)",
        re.I,
    )
    return verb, said, according


_ATTR_LEAD = re.compile(r"^(?:but|and|however|meanwhile|also|that|while|as|so|then|in the meantime)\s+", re.I)
_ANAPHOR = re.compile(r"^(?:the|these|those|such)\s+(?:same\s+)?(?:sources?|source)$|^(?:they|he|she|it)$", re.I)
_PRONOUN_SAID = prefiltered(r"\b(?P<src>they|he|she)\s+(?:also\s+|further\s+)?(?:said|added|noted|reported|pointed out|mentioned)\b", re.I)


def find_attributions(text: str, offset: int = 0) -> list[Mention]:
    """Source phrases: "<source> said/reported ...", "according to <source>", "they added"."""
    verb, said, according = _attribution_regexes()
    out = []
    for v in verb.finditer(text):
        lo = max(0, v.start() - 90)
        nl = text.rfind("\n", lo, v.start())
        lo = nl + 1 if nl >= 0 else lo
        m = said.search(text, lo, v.start())
        if m:
            src = _ATTR_LEAD.sub("", _ATTR_LEAD.sub("", m.group("src").strip()))
            out.append(Mention("attribution", offset + m.start("src"), offset + m.end("src"), src, -1, src))
    for m in according.finditer(text):
        src = m.group("src").strip().rstrip(".")
        out.append(Mention("attribution", offset + m.start("src"), offset + m.end("src"), src, -1, src))
    for m in _PRONOUN_SAID.finditer(text):
        out.append(Mention("attribution", offset + m.start("src"), offset + m.end("src"), m.group("src"), -1, m.group("src")))
    return out


def is_anaphoric(source: str) -> bool:
    return bool(_ANAPHOR.match(source.strip()))


# ---------------------------------------------------------------- modality

def find_modality(text: str, offset: int = 0, search: SentenceSearch | None = None) -> list[Mention]:
    """Modality cues in a sentence; with `search`, text is that document's text at offset."""
    found = (search.finditer(modality_finder(), offset, offset + len(text), text) if search is not None
             else modality_finder().finditer(text))
    out = []
    for m in found:
        out.append(Mention("modality", offset + m.start(), offset + m.end(), m.group(0), -1, m.lastgroup))
    return out


# ---------------------------------------------------------------- stage

# Cheap pre-checks: a sentence without these cannot hold a count or a date.  The date hint is
# "a digit, or one of these words": the words are prefiltered, the digit test is one class scan.
_DATE_HINT_DIGIT = re.compile(r"\d")
_DATE_HINT_WORD = prefiltered(r"day\b|night|morning|evening|afternoon|yesterday|today|tonight|overnight|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


def _date_hint(text: str, search: SentenceSearch | None = None, offset: int = 0) -> bool:
    if _DATE_HINT_DIGIT.search(text) is not None:
        return True
    if search is not None:
        return search.search(_DATE_HINT_WORD, offset, offset + len(text), text) is not None
    return _DATE_HINT_WORD.search(text) is not None


@functools.cache
def _casualty_words() -> PrefilteredRegex:
    c = cues()["numbers"]
    return prefiltered(rf"\b(?:{c['killed']}|{c['injured']}|toll|elimination)\b", re.I)


def _assign(report: Report, mentions: list[Mention]) -> None:
    starts = [s.start for s in report.sentences]
    for mention in mentions:
        idx = bisect_right(starts, mention.start) - 1
        if idx >= 0 and mention.start < report.sentences[idx].end:
            mention.sentence = idx
        else:
            mention.sentence = -1


_SPONSOR_AFTER = re.compile(r"[-‐–](?:linked|affiliated|backed|aligned|allied|inspired|sponsored|supported|funded|"
                            r"trained|armed|loyal|supplied|provided|donated|made|built|caliber|calibre|standard)\b", re.I)


def _local_namesakes(text: str, mentions: list[Mention], places) -> None:
    """"the West Papua National Liberation Army": a place's own group whose name ends like a foreign one's
    (Colombia's National Liberation Army).  A named actor with a home, right after a place in another
    country, is that place's unnamed armed group, not the foreign one."""
    from .actors import ActorMatch

    if not places:
        return
    ends = {pm.end: pm for pm in places if pm.place is not None}
    for k, m in enumerate(mentions):
        match = m.value
        if m.kind != "actor" or match.actor_id is None or not match.country:
            continue
        j = m.start
        while j > 0 and text[j - 1] == " ":
            j -= 1
        pm = ends.get(j)
        if pm is None or j == m.start or pm.place.country_code in (None, match.country):
            continue
        local = ActorMatch(pm.start, m.end, text[pm.start:m.end], None, "rebels", None, "rebel_group")
        mentions[k] = Mention("actor", pm.start, m.end, local.text, -1, local)


# Acts named by a phrasing the lexicon cannot list: an operation launched ("launched its campaign of strikes",
# sitrep.clauses.OPERATION_START) and a crowd's own violence ("youths pelted the police with stones").
_CROWD = r"(?:fans|youths|hooligans|supporters|crowds?|mobs?|rioters|villagers|residents|students|gangs?)"

_CROWD_ACT = (r"(?:threw|thrown|hurled|pelted|attacked|damaged|pulled down|set fire|torched|vandali[sz]ed|smashed|stormed|"
              r"ransacked|burned|burnt|set ablaze|looted|set off fireworks|lit flares)")

# A crowd's own violence: the crowd acts (no "were/by" between), or the act is done "by the youths".
_CROWD_VIOLENCE = prefiltered(
    rf"\b{_CROWD}\b(?:(?!\b(?:were|was|been|by|said|says|told|recounted|reported|claimed|alleged)\b)[^.;]){{0,50}}?"
    rf"\b{_CROWD_ACT}\b|\b{_CROWD_ACT}\s+by\s+(?:the\s+)?(?:\w+\s+)?{_CROWD}\b",
    re.I)




def phrased_acts(report: Report, search: SentenceSearch) -> list[Mention]:
    """Trigger mentions of the acts a sentence names by its phrasing alone, the first of each kind."""
    out = []
    for sent in report.sentences:
        for regex, trigger in ((OPERATION_START, ("Armed clash", 2)), (_CROWD_VIOLENCE, ("Mob violence", 3))):
            m = search.search(regex, sent.start, sent.end, sent.text)
            if m is not None:
                phrase = m.group(0)
                out.append(Mention("trigger", sent.start + m.start(), sent.start + m.end(), phrase, sent.index,
                                   (Trigger(phrase.lower(), *trigger),), role="phrase"))
    return out


@functools.cache
def _act_words_re() -> PrefilteredRegex:
    return prefiltered(cues()["act_words"], re.I)


def _act_word_sentences(report: Report, search: SentenceSearch) -> set[int]:
    regex = _act_words_re()
    return {s.index for s in report.sentences if search.search(regex, s.start, s.end, s.text) is not None}


def find_mentions(report: Report, gazetteer=None, actors=None, triggers: TriggerLexicon | None = None) -> Report:
    """Fill report.mentions and report.places from report.clean_text."""
    from .actors import ActorTable
    from .gazetteer import Gazetteer

    gazetteer = gazetteer or Gazetteer.default()
    actors = actors or ActorTable.default()
    triggers = triggers or TriggerLexicon.default()
    text = report.clean_text or report.text
    lowered = text.lower()
    mentions: list[Mention] = []

    homes: set[str] = set()
    for match in actors.find(text):
        if _SPONSOR_AFTER.match(text, match.end):
            continue  # "the al-Qaeda-linked group", "Iran-backed militias": a sponsor named, not the actor
        mentions.append(Mention("actor", match.start, match.end, match.text, -1, match))
        if match.actor_id and match.country and match.type != "external_forces" and len(match.candidates) <= 1:
            homes.add(match.country)
    # The dateline was blanked from the text, but its city says which country the report is in;
    # without one, the one country all the named local actors belong to hints at it.
    home = next(iter(homes)) if len(homes) == 1 else None
    report.places = gazetteer.find(text, dateline=report.dateline, actor_country=home)
    _local_namesakes(text, mentions, report.places)
    # The cue scans below, of the whole text and of its sentences, are prefiltered by one pass over it.
    search = SentenceSearch(text)
    trigger_mentions = [Mention("trigger", start, end, text[start:end], -1, trig)
                        for start, end, trig in triggers.find(lowered)] + phrased_acts(report, search)
    _assign(report, trigger_mentions)
    # Unlisted places matter where an act may be told: sentences with a trigger word or a word of no kind.
    acting = {m.sentence for m in trigger_mentions} | _act_word_sentences(report, search)
    report.places = unlisted_places(report, report.places, mentions, acting)
    for i, pm in enumerate(report.places):
        mentions.append(Mention("place", pm.start, pm.end, pm.text, -1, i))
    mentions.extend(trigger_mentions)
    mentions.extend(find_attributions(text))
    # Counts, dates and modality cues matter only where an act is named: scan those sentences only.
    casualty = _casualty_words()
    for idx in sorted({m.sentence for m in trigger_mentions if m.sentence >= 0}):
        sent = report.sentences[idx]
        if search.search(casualty, sent.start, sent.end, sent.text):
            mentions.extend(find_numbers(sent.text, sent.start))
        if _date_hint(sent.text, search, sent.start):
            mentions.extend(find_dates(sent.text, report.day, sent.start))
        mentions.extend(find_modality(sent.text, sent.start, search))

    mentions.sort(key=lambda m: (m.start, m.end))
    _assign(report, mentions)
    report.mentions = [m for m in mentions if m.sentence >= 0]
    return report
