"""Distances and drive times for ranking where a part can be picked up."""

from __future__ import annotations

import math

from tools.context import Caller
from tools.results import ToolFailed

EARTH_RADIUS_KM = 6371.0088
# Metro driving with traffic: a technician averages well under highway speed between jobs.
METRO_SPEED_KMH = 45.0
UNKNOWN_DRIVE_HOURS = 1.0


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(origin: tuple[float, float] | None, lat: float | None, lng: float | None) -> float | None:
    if origin is None or lat is None or lng is None:
        return None
    return round(haversine_km(origin[0], origin[1], lat, lng), 1)


def drive_hours(km: float | None) -> float:
    """One-way drive time; roads are ~1.3× the straight line."""
    if km is None:
        return UNKNOWN_DRIVE_HOURS
    return km * 1.3 / METRO_SPEED_KMH


def distance_sql(alias: str) -> str:
    """Great-circle distance in km from (:o_lat, :o_lng) to the row's lat/lng; NULL when either is unknown."""
    return (
        f"(6371.0 * 2 * asin(sqrt(power(sin(radians(({alias}.lat - CAST(:o_lat AS float8)) / 2)), 2) + "
        f"cos(radians(CAST(:o_lat AS float8))) * cos(radians({alias}.lat)) * "
        f"power(sin(radians(({alias}.lng - CAST(:o_lng AS float8)) / 2)), 2))))"
    )


def origin_params(caller: Caller, lat: float | None, lng: float | None) -> dict[str, float | None]:
    if (lat is None) != (lng is None):
        raise ToolFailed("invalid", "Give both lat and lng, or neither (then the caller's base location is used).")
    if lat is not None:
        return {"o_lat": lat, "o_lng": lng}
    return {"o_lat": caller.lat, "o_lng": caller.lng}
