"""Our stock locations as the user names them: where from and where to in a move, a customer site where we keep
stock, a location's id by its name."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.policy import Ctx

_FROM = re.compile(r"\bfrom\s*$|\boff( of)?\s*$")
_TO = re.compile(r"\b(to|onto|into|over to)\s*$")


def _before(ctx: Ctx, entity: dict[str, Any]) -> str:
    """The few words right before an entity ("off of ", "over to ")."""
    start = int(entity.get("start", 0))
    return ctx.said.lowered[max(0, start - 8):start]


def from_and_to(ctx: Ctx) -> tuple[str | None, str | None]:
    """Where from and where to: by their words ("from north satellite", "to main", "onto his truck"), else
    the first of two places is where from and the last is where to."""
    places = ctx.said.all("location") + sites_as_locations(ctx) + _trucks_of_people(ctx)
    origin = destination = None
    for place in places:
        before = _before(ctx, place)
        said = str(place.get("text") or "").lower()
        if _FROM.search(before) or said.startswith("from "):
            origin = place["value"]
        elif _TO.search(before) or said.startswith(("to ", "into ")):
            destination = place["value"]
    rest = [p["value"] for p in places if p["value"] not in (origin, destination)]
    if origin is None and destination is None:
        origin, destination = (rest[0] if len(rest) >= 2 else None), (rest[-1] if rest else None)
    elif destination is None and rest:
        destination = rest[-1]
    elif origin is None and rest:
        origin = rest[0]
    return origin, destination


def sites_as_locations(ctx: Ctx) -> list[dict[str, Any]]:
    """A customer site named where we keep stock ("from republic plaza": our Republic Plaza Machine Room)."""
    ours = _our_locations(ctx)
    out = []
    for site in ctx.said.all("site"):
        there = [loc for loc in ours if loc.name.lower().startswith(str(site["value"]).lower())]
        if len(there) == 1:
            out.append({**site, "entity": "location", "value": there[0].name})
    return out


def _trucks_of_people(ctx: Ctx) -> list[dict[str, Any]]:
    """"move 3 off priya's truck onto sam's": a person moved to or from is their truck."""
    trucks = [loc for loc in _our_locations(ctx) if loc.location_type == "truck"]
    out = []
    for person in ctx.said.all("person"):
        before = _before(ctx, person)
        theirs = [loc for loc in trucks if loc.assigned_to == person["value"]]
        if len(theirs) == 1 and (_FROM.search(before) or _TO.search(before)):
            out.append({**person, "entity": "location", "value": theirs[0].name})
    return out


def location_id(ctx: Ctx, name: str) -> str | None:
    """The caller's own stock location by name (the tool checks it is theirs)."""
    ours = _our_locations(ctx)
    if name == "my_truck":
        mine = [loc for loc in ours if loc.assigned_to == ctx.env.name and loc.location_type == "truck"]
        return mine[0].id if len(mine) == 1 else None
    if name == "warehouse":
        stores = [loc for loc in ours if loc.location_type == "warehouse"]
        return stores[0].id if stores else None
    same = [loc for loc in ours if loc.name.lower() == name.lower()]
    return same[0].id if same else None


def _our_locations(ctx: Ctx) -> list[Any]:
    """The caller's organization's stock locations, from the lookup tables the NLU was built with."""
    tables = getattr(getattr(ctx.env.nlu, "extractor", None), "tables", None)
    return [loc for loc in tables.locations if loc.organization == ctx.env.organization] if tables else []
