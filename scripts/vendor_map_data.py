"""Vendor the map's offline assets into sitrep/data: Leaflet, Leaflet.markercluster and Natural Earth outlines.

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

LEAFLET = "leaflet@1.9.4"  # the last 1.x release, which Leaflet.markercluster 1.5 supports
MARKERCLUSTER = "leaflet.markercluster@1.5.3"  # the last release for Leaflet 1.x as a plain script (2.0 is ESM)
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


def _unwrap(ring: list[list[float]]) -> list[list[float]]:
    """The ring with each longitude moved by 360° where needed so no edge is longer than 180°.

    A ring round a pole (Antarctica) ends 360° from where it began: it is closed along the pole.
    """
    out = [list(ring[0])]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append([lon, lat])
    if abs(out[-1][0] - out[0][0]) > 180:
        pole = -90.0 if sum(p[1] for p in out) < 0 else 90.0
        out += [[out[-1][0], pole], [out[0][0], pole], list(out[0])]
    return out


def _clip(ring: list[list[float]], lo: float, hi: float) -> list[list[float]]:
    """Sutherland-Hodgman: the ring clipped to the strip lo <= longitude <= hi."""
    for inside, edge in ((lambda p: p[0] >= lo, lo), (lambda p: p[0] <= hi, hi)):
        pts, ring = ring, []
        for a, b in zip(pts, pts[1:] + pts[:1]):
            if inside(b):
                if not inside(a):
                    ring.append(_cross(a, b, edge))
                ring.append(b)
            elif inside(a):
                ring.append(_cross(a, b, edge))
        if not ring:
            return []
    return ring + [ring[0]] if ring[0] != ring[-1] else ring


def _cross(a: list[float], b: list[float], lon: float) -> list[float]:
    t = (lon - a[0]) / (b[0] - a[0])
    return [lon, round(a[1] + t * (b[1] - a[1]), 2)]


def split_antimeridian(polygons: list[list[list[list[float]]]]) -> list[list[list[list[float]]]]:
    """Polygons cut at ±180° longitude, so no edge crosses the map (Fiji, Russia, Antarctica)."""
    out = []
    for poly in polygons:
        rings = [_unwrap(r) for r in poly]
        for shift in (-360, 0, 360):
            moved = [[[lon + shift, lat] for lon, lat in r] for r in rings]
            outer = _clip(moved[0], -180, 180)
            if len(outer) >= 4:
                out.append([outer] + [h for h in (_clip(r, -180, 180) for r in moved[1:]) if len(h) >= 4])
    return out


def fix_outlines(geo: dict) -> dict:
    """Every feature as a MultiPolygon cut at the antimeridian."""
    for f in geo["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        f["geometry"] = {"type": "MultiPolygon", "coordinates": split_antimeridian(polys)}
    return geo


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
        geo = fix_outlines(topo_to_geojson(topo, "countries"))
        geo["attribution"] = "Natural Earth 1:110m admin-0 countries (public domain), via world-atlas 2.0.2 (ISC)"
        (DATA / "world110m.geojson").write_text(json.dumps(geo, separators=(",", ":")) + "\n")
        cluster = npm_unpack(MARKERCLUSTER, tmp)
        mdest = DATA / "markercluster"
        mdest.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.markercluster.js", "MarkerCluster.css"):
            shutil.copy(cluster / "dist" / name, mdest / name)
        shutil.copy(cluster / "MIT-LICENCE.txt", mdest / "LICENSE")
        (mdest / "VERSION").write_text(MARKERCLUSTER + "\n")
    print(f"vendored {LEAFLET}, {MARKERCLUSTER} and {WORLD_ATLAS} into {DATA}")


if __name__ == "__main__":
    main()
