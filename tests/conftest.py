"""Test-wide settings."""

import os
import tempfile

# Tests never read or write the user's real data folder: places imported there would change what
# the geoparser finds.  Tests that import set SITREP_HOME to their own folder on top of this.
os.environ["SITREP_HOME"] = tempfile.mkdtemp(prefix="sitrep-test-home-")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


def require_shared(path: Path) -> Path:
    """The path of a file in ../shared, or skip the test with the reason when ../shared is not there."""
    if not path.exists():
        pytest.skip(f"{path} is not there: ../shared (corpora, gazetteer) is not beside the checkout")
    return path
