"""Matching a wanted part against what the caller can get: stock they can see (their own, and partners' stock
offered for sale or trade) and active listings they can see — by the part itself or through supersession
chains (newer replacements, and older parts only where every hop is drop-in)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.encoders import similarity_floor
from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import number_norm_sql, part_ids_numbered
from tools.catalog.supersession import KIND_RANK, Link, interchangeable_parts
from tools.context import Caller
from tools.listings.marketplace import live_listing_sql
from tools.rules.clock import utcnow
from tools.rules.geo import distance_sql
from tools.rules.visibility import inventory_visibility_sql, listing_visibility_sql

SIMILAR_MIN = 0.55  # MiniLM cosine of a wanted post's words to a part's text that counts as similar
RELATION_RANK = {"exact": 0, "newer_replacement": 1, "older_equivalent": 2, "similar": 4}


class WantedMatch(BaseModel):
    source: Literal["own_inventory", "partner_inventory", "listing"]
    organization: str
    part_number: str
    manufacturer: str
    name: str
    relation: Literal["exact", "newer_replacement", "older_equivalent", "similar"] = Field(
        description="exact part; a newer part superseding it; an older drop-in equivalent; or (no number asked) "
        "similar text or a part that fits the equipment model.")
    interchangeability: str | None = Field(description="Weakest supersession hop: drop_in, one_way, "
                                           "requires_modification or kit.")
    chain: str | None
    condition: str
    quantity_available: int
    unit_price: Decimal | None
    within_budget: bool | None
    location: str | None
    distance_km: float | None
    listing_id: uuid.UUID | None = None
    inventory_item_id: uuid.UUID | None = None


@dataclass
class WantedSpec:
    """What is wanted, from a new or stored wanted post."""

    owner_organization_id: uuid.UUID
    part_number: str | None
    manufacturer: str | None
    category: str | None
    conditions: list[str]
    max_price: Decimal | None
    embedding: str | None  # pgvector text literal, "[0.1,0.2,…]"
    origin: dict[str, float | None] = field(default_factory=dict)
    equipment_model: str | None = None


def post_spec(row: Any, origin: dict[str, float | None]) -> WantedSpec:
    """The spec of a stored wanted post (a wanted_posts row)."""
    return WantedSpec(row.organization_id, row.part_number, row.manufacturer, row.category,
                      list(row.acceptable_conditions or []), row.max_price,
                      None if row.embedding is None else str(row.embedding).replace(" ", ""), origin,
                      row.equipment_model)


def _links(session: Session, spec: WantedSpec) -> dict[uuid.UUID, Link]:
    if not spec.part_number:
        return {}
    ids = part_ids_numbered(session, [normalize_part_number(spec.part_number)], spec.manufacturer)
    return interchangeable_parts(session, ids)


# Without a part number, a listing of the category fits when its catalog part fits the equipment model.
_FITS_MODEL = ("x.part_id IN (SELECT pc.part_id FROM part_compatibility pc JOIN equipment_models m "
               "ON m.id = pc.equipment_model_id WHERE m.model_norm = regexp_replace(upper(:eq_model), '[^A-Z0-9]', "
               "'', 'g'))")


def find_matches(session: Session, caller: Caller, spec: WantedSpec, limit: int = 15,
                 only_listing: uuid.UUID | None = None) -> list[WantedMatch]:
    """What fits `spec` that `caller` can see; `only_listing`: whether that one listing fits (no stock looked at)."""
    links = _links(session, spec)
    by_norm = {normalize_part_number(link.part_number): link for link in links.values()}
    norms = list(by_norm) or ([normalize_part_number(spec.part_number)] if spec.part_number else [])
    params: dict[str, Any] = {"ids": list(links), "norms": norms, "conds": spec.conditions,
                              "owner": spec.owner_organization_id, "caller_org": caller.organization_id,
                              "o_lat": spec.origin.get("o_lat"), "o_lng": spec.origin.get("o_lng"),
                              "only": only_listing, "eq_model": spec.equipment_model}
    rows: list[tuple[str, Any]] = []
    only = " AND x.id = :only" if only_listing is not None else ""
    if norms:
        part_match = (f"(x.part_id = ANY(CAST(:ids AS uuid[])) OR {number_norm_sql('x.part_number')} "
                      "= ANY(CAST(:norms AS text[])))")
        cond = " AND x.condition = ANY(CAST(:conds AS text[]))" if spec.conditions else ""
        if only_listing is None:
            rows += _stock_rows(session, caller, params, part_match + cond)
        rows += [("listing", r) for r in _listing_rows(session, caller, params, part_match + cond + only)]
    elif spec.embedding is not None or spec.equipment_model:
        params["vec"] = spec.embedding
        extra = " AND x.category = :cat" if spec.category else ""
        params["cat"] = spec.category
        params["near"] = similarity_floor(SIMILAR_MIN)
        close = ["(1 - (x.embedding <=> CAST(:vec AS vector))) >= :near"] if spec.embedding else []
        close += [_FITS_MODEL] if spec.equipment_model else []
        similar = f"({' OR '.join(close)}){extra}{only}"
        if spec.conditions:
            similar += " AND x.condition = ANY(CAST(:conds AS text[]))"
        rows += [("listing", r) for r in _listing_rows(session, caller, params, similar)]
    matches = [_match(source, row, links, by_norm, spec) for source, row in rows]
    matches.sort(key=lambda m: (RELATION_RANK[m.relation], KIND_RANK.get(m.interchangeability or "", 0),
                                m.source != "own_inventory", m.within_budget is False,
                                m.distance_km if m.distance_km is not None else 1e9))
    return matches[:limit]


def _stock_rows(session: Session, caller: Caller, params: dict[str, Any], predicate: str) -> list[tuple[str, Any]]:
    inv = inventory_visibility_sql(caller, params, "x")
    return [("own_inventory" if row.organization_id == caller.organization_id else "partner_inventory", row)
            for row in session.execute(text(
                f"SELECT x.id, x.organization_id, o.name AS org, x.part_id, x.part_number, x.manufacturer, x.name, "
                f"x.condition, x.quantity_available AS qty, x.list_price AS price, s.name AS place, "
                f"{distance_sql('s')} AS km, {number_norm_sql('x.part_number')} AS pn_norm "
                f"FROM inventory_items x JOIN organizations o ON o.id = x.organization_id "
                f"JOIN stock_locations s ON s.id = x.stock_location_id "
                f"WHERE {inv} AND x.quantity_available > 0 AND {predicate}"), params)]


def _listing_rows(session: Session, caller: Caller, params: dict[str, Any], predicate: str) -> list[Any]:
    vis = listing_visibility_sql(caller, params, "x")
    return list(session.execute(text(
        f"SELECT x.id, x.organization_id, o.name AS org, x.part_id, x.part_number, x.manufacturer, x.name, "
        f"x.condition, x.quantity_available AS qty, COALESCE(x.price, x.current_bid, x.starting_bid) AS price, "
        f"x.city AS place, {distance_sql('x')} AS km, {number_norm_sql('x.part_number')} AS pn_norm "
        f"FROM marketplace_listings x JOIN organizations o ON o.id = x.organization_id "
        f"WHERE {vis} AND {live_listing_sql('x')} AND x.organization_id <> :owner AND x.quantity_available > 0 "
        f"AND {predicate} ORDER BY x.id LIMIT 200"), {**params, "now": utcnow()}))


def _match(source: str, row: Any, links: dict[uuid.UUID, Link], by_norm: dict[str, Link],
           spec: WantedSpec) -> WantedMatch:
    link = links.get(row.part_id) or by_norm.get(row.pn_norm)
    relation = link.relation if link else ("exact" if spec.part_number else "similar")
    price = row.price
    return WantedMatch(
        source=source, organization=row.org, part_number=row.part_number, manufacturer=row.manufacturer,  # type: ignore[arg-type]
        name=row.name, relation=relation, interchangeability=link.interchangeability if link else None,  # type: ignore[arg-type]
        chain=link.chain if link and link.relation != "exact" else None, condition=row.condition,
        quantity_available=row.qty, unit_price=price,
        within_budget=None if spec.max_price is None or price is None else price <= spec.max_price,
        location=row.place, distance_km=None if row.km is None else round(float(row.km), 1),
        listing_id=row.id if source == "listing" else None,
        inventory_item_id=row.id if source != "listing" else None,
    )
