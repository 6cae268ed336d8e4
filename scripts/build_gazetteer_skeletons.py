"""Write sitrep/data/gazetteer_skeletons.tsv.gz: the spelling skeletons of the shipped table's place names.

The spelling-tolerant look-up (sitrep/gazetteer/fuzzy.py) asks which names of a report's countries share
a skeleton with an unknown name; computing that for the shipped table at run time took seconds in every
process.  One line per (country, skeleton): country code, skeleton, the name keys joined by "|".
Rerun after changing the shipped table (scripts/build_gazetteer.py) or geonorm's key functions; a test
checks the file against the functions on a sample.

    python scripts/build_gazetteer_skeletons.py
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.gazetteer.fuzzy import country_skeletons  # noqa: E402
from sitrep.gazetteer.geoparser import _shipped  # noqa: E402

OUT = ROOT / "sitrep" / "data" / "gazetteer_skeletons.tsv.gz"


def main() -> int:
    gaz = _shipped()
    countries = sorted({row.split("\t", 6)[5] for row in gaz._rows if isinstance(row, str)})
    lines = []
    for cc in countries:
        for sk, keys in sorted(country_skeletons(gaz, cc).items()):
            lines.append(f"{cc}\t{sk}\t{'|'.join(sorted(keys))}")
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(lines)} skeletons of {len(countries)} countries -> {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
