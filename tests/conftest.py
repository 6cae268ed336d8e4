"""Test-wide settings."""

import os
import tempfile

# Tests never read or write the user's real data folder: places imported there would change what
# the geoparser finds.  Tests that import set SITREP_HOME to their own folder on top of this.
os.environ["SITREP_HOME"] = tempfile.mkdtemp(prefix="sitrep-test-home-")
