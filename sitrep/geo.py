"""Distances on the globe, the one formula every stage uses."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def km_between(a, b) -> float | None:
    """Distance between two objects with latitude/longitude (Place, Event); None if either is unplaced."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def borrowed_point(name_a: str | None, name_b: str | None, km: float | None) -> bool:
    """Two different names at one and the same point: a place no gazetteer lists that was placed at its
    container's point (sitrep.slots) beside another such place, or beside the container itself.  They are
    two places, however close the numbers say they are."""
    return km is not None and km < 0.01 and bool(name_a) and bool(name_b) and name_a != name_b
