"""Vendor Swagger UI 5 (npm swagger-ui-dist) into sitrep/data/swagger-ui for an offline /docs page.

Swagger UI 5 reads the OpenAPI 3.1 that FastAPI serves (version 4 could not: "Unable to
render this definition").  Run by hand when upgrading (needs `npm` and the npm registry);
the copied files are committed, so installing or running sitrep never fetches anything.

    python scripts/vendor_swagger_ui.py
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

SWAGGER_UI = "swagger-ui-dist@5.36.0"
FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE", "NOTICE",
         "swagger-ui-bundle.js.LICENSE.txt")
DEST = Path(__file__).resolve().parent.parent / "sitrep" / "data" / "swagger-ui"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", SWAGGER_UI, "--silent"], cwd=tmp, check=True, capture_output=True, text=True)
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tf:
            tf.extractall(tmp, filter="data")
        DEST.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.copy(Path(tmp) / "package" / name, DEST / name)
            (DEST / name).chmod(0o644)
        # The source-map comment would make browsers' developer tools ask for a file that is not shipped.
        bundle = DEST / "swagger-ui-bundle.js"
        bundle.write_text(bundle.read_text("utf-8").replace("//# sourceMappingURL=swagger-ui-bundle.js.map", ""), "utf-8")
        (DEST / "VERSION").write_text(SWAGGER_UI + "\n")
    print(f"vendored {SWAGGER_UI} into {DEST}")


if __name__ == "__main__":
    main()
