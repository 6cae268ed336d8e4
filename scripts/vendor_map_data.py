"""Vendor the map's offline assets into sitrep/data: Leaflet's dist files and Natural Earth country outlines.

Run by hand when upgrading (needs `npm` and the npm registry); the copied files are
committed, so installing or running sitrep never fetches anything.

    python scripts/vendor_map_data.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

LEAFLET = "leaflet@1.9.4"  # the version folium 0.20 is tested with (it references 1.9.3 on a CDN)
WORLD_ATLAS = "world-atlas@2.0.2"  # Natural Earth 1:110m admin-0, as TopoJSON
DATA = Path(__file__).resolve().parent.parent / "sitrep" / "data"


def npm_unpack(spec: str, into: Path) -> Path:
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=into, check=True, capture_output=True, text=True)
    tgz = into / out.stdout.strip().splitlines()[-1]
    dest = into / spec.replace("@", "-")
    with tarfile.open(tgz) as tf:
        tf.extractall(dest, filter="data")
    return dest / "package"


def topo_to_geojson(topo: dict, obj: str, digits: int = 2) -> dict:
    """Decode a quantized TopoJSON object into a GeoJSON FeatureCollection."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([round(x * sx + tx, digits), round(y * sy + ty, digits)])
        arcs.append(pts)

    def ring(indexes):
        pts = []
        for i in indexes:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            # consecutive arcs share their joining point
            pts.extend(a if not pts else a[1:])
        return pts

    feats = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
        else:
            continue
        feats.append({"type": "Feature", "properties": {"name": g.get("properties", {}).get("name")},
                      "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        leaflet = npm_unpack(LEAFLET, tmp)
        dest = DATA / "leaflet"
        dest.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy(leaflet / "dist" / name, dest / name)
        (dest / "images").mkdir(exist_ok=True)
        for img in (leaflet / "dist" / "images").glob("*.png"):
            shutil.copy(img, dest / "images" / img.name)
        shutil.copy(leaflet / "LICENSE", dest / "LICENSE")
        (dest / "VERSION").write_text(LEAFLET + "\n")

        atlas = npm_unpack(WORLD_ATLAS, tmp)
        topo = json.loads((atlas / "countries-110m.json").read_text())
        geo = topo_to_geojson(topo, "countries")
        geo["attribution"] = "Natural Earth 1:110m admin-0 countries (public domain), via world-atlas 2.0.2 (ISC)"
        (DATA / "world110m.geojson").write_text(json.dumps(geo, separators=(",", ":")) + "\n")
    print(f"vendored {LEAFLET} into {dest} and {WORLD_ATLAS} into {DATA / 'world110m.geojson'}")


if __name__ == "__main__":
    main()
