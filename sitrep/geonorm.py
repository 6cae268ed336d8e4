"""Place-name keys that survive transliteration: Deir Ezzur, Dayr az-Zawr and دير الزور meet.

The same key function runs over gazetteer names at build time and over report
tokens at match time, so it only has to be consistent, not linguistically right.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Arabic definite articles as transliterated; "al-" etc. are dropped so that
# al-Sukhnah, As Sukhnah and Sukhnah share one key.
ARTICLES = frozenset(
    "al el il ul as es ash esh ad ed az ez ar er at et an en ath adh ad dh ai".split()
)
_ARTICLE_PREFIX = re.compile(
    r"^(?:al|el|il|ul|as|es|ash|esh|ad|ed|az|ez|ar|er|at|et|an|en|ath|adh|dh)[-‐‑]"
)
# Sun-letter assimilation written as one word: Ezzor, Arraqqa, Assukhnah.
_FUSED_ARTICLE = re.compile(r"^[ae](?:(z)z|(r)r|(s)s|(d)d|(t)t|(n)n|(sh)sh)(?=[a-z]{2})")
_MARKS = str.maketrans("", "", "'’‘`ʿʾʻʼ´\u02bf\u02be")

# Generic words that open Arabic place names, spelt many ways.
TOKEN_SYNONYMS = {
    "dayr": "dir", "dair": "dir", "deir": "dir", "der": "dir", "dyr": "dir",
    "ayn": "ain", "ein": "ain", "ain": "ain", "ayin": "ain", "aain": "ain", "ien": "ain",
    "tall": "tal", "tell": "tal", "tel": "tal", "til": "tal", "tal": "tal",
    "jebel": "jabal", "jabel": "jabal", "jbel": "jabal", "djebel": "jabal", "gebel": "jabal", "jebal": "jabal",
    "wady": "wadi", "ouadi": "wadi", "oued": "wadi", "ued": "wadi",
    "kfar": "kafr", "kafar": "kafr", "kefr": "kafr", "kfr": "kafr",
    "beit": "bait", "bayt": "bait", "bet": "bait", "beth": "bait", "bait": "bait",
    "abou": "abu", "abo": "abu", "albu": "abu", "albou": "abu", "abu": "abu",
    "umm": "um", "om": "um", "oum": "um", "omm": "um",
    "khirbet": "khirba", "khirbat": "khirba", "kherbet": "khirba", "khirbit": "khirba", "khirbeh": "khirba",
    "sheikh": "shaikh", "shaykh": "shaikh", "sheik": "shaikh", "cheikh": "shaikh", "shekh": "shaikh",
    "qasr": "kasr", "kasr": "kasr", "ksar": "kasr",
    "bir": "bir", "beer": "bir", "bi'r": "bir", "bi’r": "bir",
    "ras": "ras", "ra's": "ras", "ra’s": "ras", "rass": "ras",
    "mount": "mt", "mt": "mt", "saint": "st", "st": "st", "ste": "st", "sainte": "st",
    "fort": "ft", "ft": "ft",
}

_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_NON_ALNUM = re.compile(r"[^0-9a-z\u0600-\u06ff]+")
_DOUBLE = re.compile(r"([a-z])\1+")


def _is_arabic(token: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in token)


def _arabic_key(token: str) -> str:
    token = _ARABIC_DIACRITICS.sub("", token).translate(_ARABIC_MAP)
    if token.startswith("ال") and len(token) > 3:
        token = token[2:]
    elif token.startswith(("وال", "بال")) and len(token) > 4:
        token = token[3:]
    return token


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: diacritics and ‘ayn/hamza marks removed."""
    if text.isascii():  # no diacritics or special letters to fold: NFKD and the replacements change nothing
        return text.lower().translate(_MARKS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("ß", "ss").replace("đ", "d")
    text = text.replace("æ", "ae").replace("œ", "oe").replace("ð", "d").replace("þ", "th")
    return text.lower().translate(_MARKS)


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """Key of one word of a place name; '' for words that carry nothing (articles)."""
    if _is_arabic(token):
        return _arabic_key(token)
    raw = token.lower()
    if raw.endswith(("'s", "’s")):
        raw = raw[:-2]
    if raw in TOKEN_SYNONYMS:
        return TOKEN_SYNONYMS[raw]
    t = fold(raw)
    if t in ARTICLES:
        return ""
    t = _ARTICLE_PREFIX.sub("", t)
    t = _NON_ALNUM.sub("", t)
    if not t:
        return ""
    if t in TOKEN_SYNONYMS:
        return TOKEN_SYNONYMS[t]
    m = _FUSED_ARTICLE.match(t)
    if m:
        t = t[m.end() - len(next(g for g in m.groups() if g)):]
    # Final -ah/-eh/-a/-e are one Arabic ending (ta marbuta).
    t = re.sub(r"(?:ah|eh|a|e)$", "a", t) if len(t) > 3 else t
    t = re.sub(r"aw(?=[^aeiouy]|$)", "u", t)
    t = t.replace("ph", "f").replace("dj", "j").replace("ck", "k").replace("q", "k")
    t = t.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("ei", "i")
    t = t.replace("e", "i").replace("o", "u").replace("y", "i") if len(t) > 1 else t
    t = _DOUBLE.sub(r"\1", t)
    return t


_SPLIT = re.compile(r"[\s,;:/()\[\]\"“”.!?]+|(?<![A-Za-z])-|-(?![A-Za-z])")
_WORDS = re.compile(
    r"(?:\b(?:al|el|il|ul|as|es|ash|esh|ad|ed|az|ez|ar|er|at|et|an|en|ath|adh)[-‐‑](?=\w))?"
    r"[ʿʾ]?[^\W_]+(?:['’ʿʾ`‘][^\W_]+)*",
    re.IGNORECASE,
)


def name_key(name: str) -> str:
    """Key of a whole place name: its word keys joined by single spaces."""
    keys = (token_key(m.group()) for m in _WORDS.finditer(name))
    return " ".join(k for k in keys if k)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Words of running text as (start, end, word); article-hyphen words kept whole (al-Sukhnah)."""
    return [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(text)]


normalize_name = name_key


# ---- spelling-tolerant keys ---------------------------------------------------------------------------

# Consonants that romanisations of one sound write differently, in the order they are rewritten: French
# and English sh/ch, Slavic ts/tz/tch (C while rewriting, so that a Latin c can become k), zh/dj/dzh for j,
# q/k/g/c one consonant; then h is dropped (kh/k, gh/g, th/t, Ukrainian h for Russian g, Arabic h and ḥ).
_SKELETON_STEPS = (("tch", "C"), ("dzh", "j"), ("ch", "s"), ("sh", "s"), ("c", "k"), ("ts", "C"), ("tz", "C"),
                   ("dj", "j"), ("zh", "j"), ("q", "k"), ("g", "k"), ("x", "ks"), ("w", "u"), ("y", "i"))
_VOWELS = re.compile(r"[aeiou]+")


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A coarser key of a name key (name_key's output) that spellings of one name share: words run
    together (hyphens and broken spacing: "Kleban-Byk", "al- Shagour"), consonants of one sound made one
    (sh/ch, ts/tz, zh/dj/j, kh/h, gh/g, q/k/g) and vowels dropped but for a leading one, which stays as "a"
    ("Jeser al- Shagour" and "Jisr ash Shughur", "Khan Shekhoun" and "Khan Shaykhun", "Om al-Sir" and
    "Umm as Sir", "Bohatyr" and "Bahatyr").  Names that share one are candidates, not matches: a finer
    comparison decides."""
    s = key.replace(" ", "")
    for a, b in _SKELETON_STEPS:
        s = s.replace(a, b)
    if not s:
        return ""
    head = "a" if s[0] in "aeiouh" else ""  # "Hmeimim" and "Humaymim"
    s = s.replace("h", "").replace("C", "c")
    return head + _DOUBLE.sub(r"\1", _VOWELS.sub("", s))


def skeletons(key: str) -> tuple[str, ...]:
    """The skeleton of a key, and with "g" read as Ukrainian "h" (dropped) when it has one ("Bogatyr" and
    "Bohatyr"): the skeletons a name is indexed and looked up under."""
    main = skeleton(key)
    if "g" not in key:
        return (main,)
    soft = skeleton(key.replace("g", "h"))
    return (main,) if soft == main else (main, soft)
