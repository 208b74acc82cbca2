"""Where an alert measures its distance from: a point, one of the caller's places (a warehouse, truck or site
of their organization, or a customer site they service, named as people say it), or the caller's base."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.catalog.equipment import match_sites
from tools.context import Caller
from tools.results import ToolFailed
from tools.rules.geo import origin_params

# The caller's own places and the customer sites they service, each with a position.
_PLACES = text(
    "SELECT name, lat, lng FROM stock_locations WHERE organization_id = :org AND is_active AND lat IS NOT NULL "
    "UNION ALL SELECT site_name, avg(lat), avg(lng) FROM equipment WHERE organization_id = :org "
    "AND lat IS NOT NULL GROUP BY site_name")


@dataclass(frozen=True)
class Origin:
    lat: float
    lng: float
    place: str


def alert_origin(session: Session, caller: Caller, lat: float | None, lng: float | None,
                 site: str | None) -> Origin:
    """The point `within_km` is measured from; invalid when there is none."""
    if site:
        if lat is not None or lng is not None:
            raise ToolFailed("invalid", "Give a site or lat/lng, not both.")
        places = {r.name: (float(r.lat), float(r.lng))
                  for r in session.execute(_PLACES, {"org": caller.organization_id})}
        meant, near = match_sites(site, list(places))
        if not meant:
            hint = f"Did you mean {' or '.join(near)}?" if near else "Name one of your locations or customer sites."
            raise ToolFailed("not_found", f"No place called {site!r} among {caller.organization_name}'s locations "
                             "and customer sites.", hint=hint)
        name = meant[0]
        return Origin(places[name][0], places[name][1], name)
    origin = origin_params(caller, lat, lng)
    if origin["o_lat"] is None or origin["o_lng"] is None:
        raise ToolFailed("invalid", "No location to measure distance from.", hint="Give lat and lng, or a site.")
    place = f"{lat:.3f}, {lng:.3f}" if lat is not None and lng is not None else "your base"
    return Origin(float(origin["o_lat"]), float(origin["o_lng"]), place)
