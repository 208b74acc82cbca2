"""Assemble the whole demo world as plain rows, table by table, in foreign-key-safe order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.seed.world.buying import build_shipping_addresses, build_spend_limits
from knowledge.seed.world.catalog import build_catalog
from knowledge.seed.world.deals import build_bids, build_offers, build_ratings, build_saved
from knowledge.seed.world.equipment import build_models
from knowledge.seed.world.extras import add_extras
from knowledge.seed.world.ids import make_id
from knowledge.seed.world.installed import build_installed
from knowledge.seed.world.market import build_listings
from knowledge.seed.world.orgs import build_people
from knowledge.seed.world.prices import build_price_history
from knowledge.seed.world.stock import build_inventory
from knowledge.seed.world.supersession import build_supersessions
from knowledge.seed.world.suppliers import build_suppliers
from knowledge.seed.world.wanted import build_wanted

TABLE_ORDER = (
    "organizations", "organization_partners", "users", "equipment_models", "parts_catalog", "part_supersessions",
    "part_compatibility", "equipment", "stock_locations", "inventory_items", "marketplace_listings", "part_offers",
    "part_transactions", "wanted_posts", "auction_bids", "saved_listings", "seller_ratings", "part_price_history",
    "shipping_addresses", "spend_limits", "suppliers", "supplier_branches", "supplier_offers",
)


@dataclass
class World:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def build_world(extra_parts: int = 0) -> World:
    """The deterministic demo world; ``extra_parts`` pads the catalog with generated parts for benchmarks."""
    index = build_models()
    people = build_people()
    catalog = build_catalog(index)
    edges = build_supersessions(catalog)
    parts = list(catalog.parts)
    compat = [
        {"id": make_id("part_compatibility", f"{part['id']}|{model}"), "part_id": part["id"],
         "equipment_model_id": index.id_of[model], "fit": fit, "source": source,
         "notes": "Needs adapter harness/bracket." if fit == "with_adapter" else None}
        for part in parts for model, fit, source in catalog.compat.get(part["id"], [])
    ]
    equipment = build_installed(index, people)
    items = build_inventory(people, parts)
    listings = build_listings(people, parts, items)
    offers, txns = build_offers(people, listings)
    bids = build_bids(people, listings)
    wanted = build_wanted(people, parts, equipment)
    saved = build_saved(people, listings)
    ratings = build_ratings(people, listings, txns)
    history = build_price_history(parts)
    supply = build_suppliers(people, parts, items)  # after the rest: its new organizations change no other row
    add_extras(catalog, extra_parts)
    tables = {
        "organizations": people.orgs + supply.orgs, "organization_partners": people.partners,
        "users": people.users + supply.users,
        "equipment_models": index.rows, "parts_catalog": catalog.parts, "part_supersessions": edges,
        "part_compatibility": compat, "equipment": equipment, "stock_locations": people.locations,
        "inventory_items": items, "marketplace_listings": listings, "part_offers": offers,
        "part_transactions": txns, "wanted_posts": wanted, "auction_bids": bids, "saved_listings": saved,
        "seller_ratings": ratings, "part_price_history": history,
        "shipping_addresses": build_shipping_addresses(people), "spend_limits": build_spend_limits(people),
        "suppliers": supply.suppliers, "supplier_branches": supply.branches, "supplier_offers": supply.offers,
    }
    return World(tables={name: tables[name] for name in TABLE_ORDER})
