"""Supplier catalogs: Keystone Parts Supply (the metro's authorized distributor: its catalog's stock at its two
branches is the new stock on its shelves there) and two suppliers added as new organizations — an OEM
parts-direct house that ships from Salt Lake City and an independent with branches in Albuquerque and El Paso.
Offers cover a good share of every trade and every hero part, at prices near list."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from knowledge.partnumbers import normalize_part_number
from knowledge.seed.world.heroes import HEROES
from knowledge.seed.world.ids import ago, make_id, money
from knowledge.seed.world.orgs import People

# slug: (name, org_type, trades, city, state, lat, lng, email domain, seller's name, seller's phone)
NEW_ORGS: dict[str, tuple[str, str, list[str], str, str, float, float, str, str, str]] = {
    "cordova": ("Cordova OEM Parts Direct", "oem", ["elevator", "hvac", "medical"], "Salt Lake City", "UT", 40.7608,
                -111.8910, "cordovaparts.example", "Wendell Okafor", "+18015550140"),
    "bristlecone": ("Bristlecone Industrial Supply", "distributor", ["elevator", "hvac", "electrical"],
                    "Albuquerque", "NM", 35.0844, -106.6504, "bristlecone.example", "Imogen Castellanos",
                    "+15055550150"),
}
# slug: (supplier type, authorized, orders phone, payment terms, share of its trades' parts it lists, price band)
SUPPLIERS: dict[str, tuple[str, bool, str, str, float, tuple[float, float]]] = {
    "keystone": ("authorized_distributor", True, "+13035550190", "Net 30", 0.25, (0.95, 1.05)),
    "cordova": ("oem", True, "+18015550141", "Net 30", 0.35, (0.98, 1.06)),
    "bristlecone": ("independent", False, "+15055550151", "Prepaid or Net 15", 0.3, (0.8, 0.95)),
}
# (supplier, code, name, city, state, lat, lng, cut-off, will-call, the stock location whose new stock it sells)
BRANCHES: tuple[tuple[str, str, str, str, str, float, float, time, bool, str | None], ...] = (
    ("keystone", "CCDC", "Commerce City DC", "Commerce City", "CO", 39.8010, -104.9200, time(18, 0), True,
     "Keystone Distribution Center"),
    ("keystone", "ENG", "Englewood will-call", "Englewood", "CO", 39.6660, -104.9980, time(16, 0), True,
     "Keystone Will-Call Counter Englewood"),
    ("cordova", "SLC", "Salt Lake City DC", "Salt Lake City", "UT", 40.7608, -111.8910, time(17, 0), False, None),
    ("bristlecone", "ABQ", "Albuquerque", "Albuquerque", "NM", 35.0844, -106.6504, time(15, 0), True, None),
    ("bristlecone", "ELP", "El Paso", "El Paso", "TX", 31.7619, -106.4850, time(16, 0), True, None),
)
# Hero parts with a story: (supplier, branch code, manufacturer, part number, on hand)
PINNED: tuple[tuple[str, str, str, str, int], ...] = (
    ("bristlecone", "ABQ", "Otis", "GAA26800LC1", 1),  # obsolete at Otis: the independent has one on the shelf
    ("cordova", "SLC", "Otis", "GAA26800LC1", 0),
    ("cordova", "SLC", "Otis", "GAA24350BH1", 2),
)


@dataclass
class SupplierWorld:
    orgs: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    suppliers: list[dict[str, Any]] = field(default_factory=list)
    branches: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)


def _new_orgs(world: SupplierWorld, org_id: dict[str, Any]) -> None:
    for n, (slug, (name, kind, trades, city, state, lat, lng, domain, seller, phone)) in enumerate(NEW_ORGS.items()):
        oid = org_id[slug] = make_id("organizations", slug)
        when = ago(days=500 - n * 30)
        world.orgs.append({"id": oid, "name": name, "slug": slug, "org_type": kind, "trades": trades, "city": city,
                           "state_province": state, "country": "US", "lat": lat, "lng": lng, "is_verified": True,
                           "created_at": when, "updated_at": when})
        email = f"{seller.lower().replace(' ', '.')}@{domain}"
        world.users.append({"id": make_id("users", email), "organization_id": oid, "email": email, "name": seller,
                            "role": "seller", "phone": phone, "slack_user_id": None, "trades": trades,
                            "is_active": True, "created_at": when, "updated_at": when})


def _breaks(rng: random.Random, price: float) -> list[dict[str, Any]]:
    """Volume pricing on cheaper parts, sometimes: 10+ about 5 % off, 50+ about 10 % off."""
    if price >= 300 or rng.random() < 0.5:
        return []
    return [{"min_quantity": 10, "unit_price": str(money(price * 0.95))},
            {"min_quantity": 50, "unit_price": str(money(price * 0.9))}]


def build_suppliers(people: People, parts: list[dict[str, Any]], items: list[dict[str, Any]]) -> SupplierWorld:
    """The suppliers, their branches and offers; new organizations and their sellers come with them."""
    rng = random.Random(1818)
    world = SupplierWorld()
    org_id = dict(people.org_id)
    _new_orgs(world, org_id)
    domains = {"keystone": "keystoneparts.example", **{s: v[7] for s, v in NEW_ORGS.items()}}
    orgs = {o["id"]: o for o in [*people.orgs, *world.orgs]}
    for slug, (kind, authorized, phone, terms, _, _) in SUPPLIERS.items():
        org = orgs[org_id[slug]]
        world.suppliers.append({
            "id": make_id("suppliers", slug), "organization_id": org["id"], "name": org["name"], "supplier_type": kind,
            "authorized": authorized, "authorized_brands": [], "orders_email": f"orders@{domains[slug]}",
            "phone": phone, "timezone": "America/Denver", "payment_terms": terms, "created_at": org["created_at"],
            "updated_at": org["created_at"]})
    heroes = {(h.maker, h.pn) for h in HEROES}
    pinned = {(s, code, maker, pn): qty for s, code, maker, pn, qty in PINNED}
    locations = {loc["name"]: loc["id"] for loc in people.locations}
    for slug, code, name, city, state, lat, lng, cutoff, will_call, shelf in BRANCHES:
        branch_id = make_id("supplier_branches", f"{slug}|{code}")
        world.branches.append({"id": branch_id, "supplier_id": make_id("suppliers", slug), "code": code, "name": name,
                               "city": city, "state_province": state, "lat": lat, "lng": lng, "cutoff_time": cutoff,
                               "will_call": will_call, "created_at": ago(days=400)})
        # The branch's shelf: new units free to sell, at the shelf's list price.
        on_shelf = {(i["manufacturer"], i["part_number"]): i for i in items
                    if shelf and i["stock_location_id"] == locations[shelf] and i["condition"] == "new"}
        trades = orgs[org_id[slug]]["trades"]
        share, band = SUPPLIERS[slug][4], SUPPLIERS[slug][5]
        first_branch = code == next(b[1] for b in BRANCHES if b[0] == slug)
        # A second branch without a shelf of its own carries part of what the first lists.
        branch_share = share if first_branch else share * 0.4
        for part in parts:
            key = (part["manufacturer"], part["part_number"])
            item = on_shelf.get(key)
            listed = rng.random() < branch_share and part["trade"] in trades and (first_branch or not shelf)
            hero = key in heroes and part["trade"] in trades and first_branch
            pinned_here = (slug, code, *key) in pinned
            if not (item or listed or hero or pinned_here) or part["msrp"] is None:
                continue
            world.offers.append(_offer(rng, slug, code, branch_id, part, item, pinned.get((slug, code, *key)), band))
    return world


def _most_stocked(msrp: float) -> int:
    return 2 if msrp > 5000 else 3 if msrp > 1000 else 6 if msrp > 200 else 20


def _offer(rng: random.Random, slug: str, code: str, branch_id: Any, part: dict[str, Any], item: dict[str, Any] | None,
           pinned: int | None, band: tuple[float, float]) -> dict[str, Any]:
    msrp = float(part["msrp"])
    if item is not None:
        stock, price = item["quantity_on_hand"] - item["quantity_reserved"], float(item["list_price"] or msrp)
    else:  # Keystone's catalog beyond its shelves is ordered in; the others stock some of what they list
        stock = 0 if slug == "keystone" or rng.random() < 0.3 else rng.randint(1, _most_stocked(msrp))
        price = msrp * rng.uniform(*band)
    stock = pinned if pinned is not None else stock
    lead = (part["lead_time_days"] or 7) + (3 if slug == "bristlecone" else 0)
    when = ago(days=rng.randint(1, 60))
    return {
        "id": make_id("supplier_offers", f"{slug}|{code}|{part['manufacturer']}|{part['part_number']}"),
        "supplier_id": make_id("suppliers", slug), "branch_id": branch_id, "part_id": part["id"],
        "part_number": part["part_number"], "part_number_norm": normalize_part_number(part["part_number"]),
        "manufacturer": part["manufacturer"], "description": part["name"][:255], "unit_price": money(price),
        "price_breaks": _breaks(rng, price), "currency": "USD", "stock_on_hand": max(stock, 0), "stock_reserved": 0,
        "lead_time_days": lead, "backorder_allowed": True, "is_active": True, "created_at": when, "updated_at": when,
    }
