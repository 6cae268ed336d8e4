"""The gazetteers an evaluation compares: the shipped table alone, and with imported places.

`--gazetteer FILE` imports FILE into a temporary data folder (never the user's); without it, the
places imported into sitrep's data folder ($SITREP_HOME) are used, if there are any.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitrep.gazetteer import Gazetteer  # noqa: E402
from sitrep.gazetteer.geoparser import _shipped  # noqa: E402
from sitrep.gazetteer.imported import list_sources  # noqa: E402


def add_argument(ap) -> None:
    ap.add_argument("--gazetteer", metavar="FILE", help="GeoNames file to import into a temporary data folder "
                    "(default: use what is imported into $SITREP_HOME)")


def gazetteers(file: str | None) -> list[tuple[str, Gazetteer]]:
    """(label, gazetteer): the shipped table alone, then with the imported places when there are any."""
    shipped = _shipped()._clone()
    shipped._init_parser()
    out = [("shipped table", shipped)]
    if file:
        from sitrep.gazetteer.importer import import_file

        os.environ["SITREP_HOME"] = tempfile.mkdtemp(prefix="sitrep-eval-home-")
        t0 = time.perf_counter()
        report = import_file(Path(file))
        print(f"imported {report.name}: {report.places:,} places in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    sources = list_sources()
    if sources:
        out.append((f"with {', '.join(s.name for s in sources)}", Gazetteer.default()))
    return out
