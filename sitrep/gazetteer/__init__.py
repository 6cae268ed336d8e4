"""The offline gazetteer and geoparser: every place named in a report, resolved to a point.

Data ship in sitrep/data/ (built by scripts/build_gazetteer.py from GeoNames, ISO 3166-2 and a
curated conflict supplement).  The parts:

- ``index``: the Place rows, the name-key index, look-up, countries and first-level divisions,
  the shipped table;
- ``cues``: the language data around names (data/en/place_cues.yaml, stopwords, common words);
- ``spotting``: candidate name spans in a text and the cues around them;
- ``ranking``: the score of each candidate place, every weight in ``TUNING.gazetteer``;
- ``context``: country votes, the sentence and the neighbourhood of each mention;
- ``forms``: datelines, capitals, respelled provinces, the province a city heads;
- ``geoparser``: ``Gazetteer``, which runs them in order.
"""

from __future__ import annotations

from .cues import common_words, demonym_countries, person_name_words, stopword_keys
from .forms import capital_of
from .geoparser import Gazetteer, _default_gazetteer
from .index import is_curated

__all__ = ["Gazetteer", "capital_of", "common_words", "demonym_countries", "is_curated", "person_name_words",
           "stopword_keys", "_default_gazetteer"]
