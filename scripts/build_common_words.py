"""Build sitrep/data/en/common_words.txt: frequent English words, for the geoparser's common-word guard.

A capitalised word at the start of a sentence or in a headline ("Read more", "Mixed martial arts",
"Game on") matches some gazetteer place through one of GeoNames' alternate names or a
transliteration key.  The gazetteer treats a word on this list as a place only with evidence
("the town of Hit"), or when it is a country, a first-level division, or a big place spelled
exactly as the text spells it (Paris, Reading, Nice).

The list is every alphabetic English word with a Zipf frequency of at least 4.0 (ten per million
words) in `wordfreq` (Speer et al.; code Apache-2.0, word lists CC BY-SA 4.0), read at build time:

    pip install wordfreq && python scripts/build_common_words.py
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sitrep" / "data" / "en" / "common_words.txt"
MIN_ZIPF = 4.0


def main() -> None:
    try:
        from wordfreq import top_n_list, zipf_frequency
    except ImportError:
        raise SystemExit("install wordfreq first: pip install wordfreq") from None
    words = sorted({w for w in top_n_list("en", 60_000) if w.isalpha() and zipf_frequency(w, "en") >= MIN_ZIPF})
    header = ("# English words with a Zipf frequency >= 4.0 in wordfreq 3 (word lists CC BY-SA 4.0, "
              "https://github.com/rspeer/wordfreq); built by scripts/build_common_words.py\n")
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words):,} words -> {OUT}")


if __name__ == "__main__":
    main()
