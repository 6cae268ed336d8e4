"""Which names of a gazetteer row are indexed: alternates in the scripts sitrep reads, without codes,
consonant skeletons or translations into common English words ("White House" for Casablanca)."""

from __future__ import annotations

import re

from ..geonorm import fold

_LATIN = re.compile(r"^[a-z0-9 .,'’`\-()&/]+$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def latin_alternate(alt: str) -> bool:
    """A Latin-script alternate worth indexing: no code (DEZ, PMS), no lowercase consonant skeleton ("srmyn")."""
    if len(alt) < 3 or any(ch.isdigit() for ch in alt):
        return False
    if alt.isupper() and len(alt) <= 5:  # IATA/ICAO codes such as DEZ, PMS
        return False
    if not alt[:1].isupper():  # "srmyn", "alskhnt": consonant skeletons of Arabic
        return False
    return bool(_LATIN.match(fold(alt)))


def keep_alternate(alt: str) -> bool:
    """Alternate names the shipped table indexes: Arabic script, or Latin script as latin_alternate() keeps."""
    return bool(_ARABIC.search(alt)) or latin_alternate(alt)


def translated_phrase(alt: str, name: str, common: frozenset[str]) -> bool:
    """An alternate of two or more common English words sharing no word with the main name: a translation
    ("White House" for Casablanca), which news uses for something else."""
    words = fold(alt).replace("-", " ").split()
    if len(words) < 2 or set(words) & set(fold(name).replace("-", " ").split()):
        return False
    return all(w in common for w in words)


def common_phrase(name: str, common: frozenset[str]) -> bool:
    """A name of two or more words, all common English words ("New Market", "Red Hill"): news uses such a
    phrase for other things far more often than for a village of that name."""
    words = fold(name).replace("-", " ").split()
    return len(words) >= 2 and all(w in common for w in words)
