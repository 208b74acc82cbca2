"""Inventory on shelves and trucks: what each organization holds, in which condition, and what it will sell."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from knowledge.seed.world.heroes import HEROES
from knowledge.seed.world.ids import ago, make_id, money
from knowledge.seed.world.orgs import People

COND_VALUE = {"new": 1.0, "refurbished": 0.65, "used_excellent": 0.55, "used_good": 0.45, "used_fair": 0.35,
              "salvage": 0.22, "for_parts": 0.12}
CONDITIONS = {
    "contractor": (("new", 75), ("refurbished", 12), ("used_excellent", 6), ("used_good", 7)),
    "distributor": (("new", 95), ("refurbished", 5)),
    "salvage": (("refurbished", 12), ("used_excellent", 10), ("used_good", 28), ("used_fair", 22),
                ("salvage", 18), ("for_parts", 10)),
    "hospital": (("new", 85), ("refurbished", 15)),
}
# (sale share, trade share) of items offered outside the organization
OFFER = {"summit": (0.08, 0.08), "apex": (0.3, 0.25), "northline": (0.3, 0.25), "keystone": (1.0, 0.0),
         "metro": (1.0, 0.3), "rival": (0.0, 0.0), "frontrange": (0.0, 0.05)}
SIZE = {"warehouse": 210, "office": 40, "site": 45, "truck": 40}
BIG = {"Summit Main Warehouse": 420, "Keystone Distribution Center": 520, "Metro Salvage Yard": 320}
# Demo stock: (location name prefix, manufacturer, part number, condition, on hand, for sale, for trade)
PINNED: tuple[tuple[str, str, str, str, int, bool, bool], ...] = (
    ("Truck 01", "Otis", "GAA24350BH1", "new", 1, False, False),
    ("Summit Main Warehouse", "Otis", "GAA24350BH1", "new", 0, False, False),
    ("Apex Warehouse", "Otis", "GAA24350BH1", "new", 1, True, True),
    ("Apex Warehouse", "Otis", "GAA24350BH1", "refurbished", 1, True, False),
    ("Metro Salvage Yard", "Otis", "GAA24350BH1", "used_fair", 1, True, False),
    ("Metro Salvage Yard", "Otis", "GAA24350AH1", "used_good", 2, True, True),
    ("Truck 01", "Otis", "GBA21230F1", "new", 1, False, False),
    ("Keystone Distribution Center", "Copeland", "ZP49K5E-PFV-800", "new", 3, True, False),
    ("Northline Shop", "Copeland", "ZP49K5E-PFV-800", "new", 1, True, False),
    ("Denver Health Site Cage", "Philips", "M1191BL", "new", 4, False, False),
    ("Central Supply Storeroom", "Philips", "M1191BL", "new", 10, False, False),
    ("Metro Salvage Yard", "Otis", "GAA26800LC1", "refurbished", 1, True, False),
    ("Apex Warehouse", "Otis", "GAA26800LB1", "used_good", 1, False, True),
    ("Denver Health Site Cage", "BD Alaris", "10013445", "new", 6, False, False),
    ("Rival Warehouse", "Otis", "GAA24350BH1", "new", 2, False, False),
)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _qty(rng: random.Random, price: float, salvage: bool) -> int:
    if salvage or price > 5000:
        return rng.randint(1, 2)
    if price > 1000:
        return rng.randint(1, 3)
    if price > 200:
        return rng.randint(1, 6)
    return rng.randint(2, 12) if price > 50 else rng.randint(5, 60)


def _bin(rng: random.Random, kind: str) -> str:
    if kind == "truck":
        return rng.choice(["Drawer ", "Shelf ", "Bin "]) + rng.choice("ABCDEF") + str(rng.randint(1, 6))
    if kind == "site":
        return f"Cage {rng.randint(1, 3)}-{rng.choice('ABCD')}"
    return f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 24):02d}-{rng.randint(1, 6)}"


def _item(rng: random.Random, people: People, loc: dict[str, Any], part: dict[str, Any], cond: str, qty: int,
          sale: bool, trade: bool, source: str) -> dict[str, Any]:
    slug = people.slug_of(loc["organization_id"])
    msrp = float(part["msrp"] or 50)
    value = msrp * COND_VALUE[cond]
    cost = value * (rng.uniform(0.6, 0.85) if source == "purchased" else rng.uniform(0.05, 0.2))
    reserved = rng.randint(1, qty) if qty and rng.random() < 0.15 else 0
    serials = ([f"SN{rng.randint(10**7, 10**8 - 1)}" for _ in range(qty)] if msrp > 1000 and 0 < qty <= 3 else [])
    med = part["trade"] == "medical" and part["category"] == "medical_sensor"
    consumable = part["category"] in ("general_lubricant", "hvac_filter") or med
    made = date(2026, 10, 1) - timedelta(days=rng.randint(30, 900))
    list_price = None
    if sale:
        band = {"new": (0.85, 1.1), "refurbished": (0.55, 0.75)}.get(cond, (0.35, 0.6))
        if cond in ("salvage", "for_parts"):
            band = (0.15, 0.3)
        list_price = money(msrp * rng.uniform(*band))
    warehouse = loc["location_type"] == "warehouse"
    return {
        "id": make_id("inventory_items", f"{loc['id']}|{part['manufacturer']}|{part['part_number']}|{cond}"),
        "organization_id": loc["organization_id"], "part_id": part["id"], "part_number": part["part_number"],
        "manufacturer": part["manufacturer"], "name": part["name"], "description": None,
        "stock_location_id": loc["id"], "bin_location": _bin(rng, loc["location_type"]),
        "quantity_on_hand": qty, "quantity_reserved": reserved,
        "quantity_on_order": rng.randint(1, 4) if qty == 0 or rng.random() < 0.08 else 0,
        "reorder_point": (2 if msrp < 200 else 1) if warehouse and slug != "metro" else None,
        "reorder_quantity": (6 if msrp < 200 else 1) if warehouse and slug != "metro" else None,
        "condition": cond, "acquisition_cost": money(cost), "current_value": money(value), "currency": "USD",
        "serial_numbers": serials, "lot_number": f"L{rng.randint(100000, 999999)}" if consumable else None,
        "manufacture_date": made if consumable or med else None,
        "expiration_date": made + timedelta(days=1095) if consumable else None, "source": source,
        "source_equipment_id": None, "purchase_order_id": None,
        "supplier_id": people.org_id["keystone"] if source == "purchased" and slug in ("summit", "apex",
                                                                                         "northline") else None,
        "available_for_sale": sale, "available_for_trade": trade, "list_price": list_price,
        "last_counted_at": ago(days=rng.randint(1, 120)), "created_at": ago(days=rng.randint(30, 400)),
        "updated_at": ago(days=rng.randint(0, 29)),
    }


def build_inventory(people: People, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(31337)
    hero_keys = {(h.maker, h.pn) for h in HEROES}
    by_trade: dict[str, list[dict[str, Any]]] = {}
    weights: dict[str, list[float]] = {}
    for p in parts:
        by_trade.setdefault(p["trade"], []).append(p)
        w = 8.0 if (p["manufacturer"], p["part_number"]) in hero_keys else 3.0 if float(p["msrp"] or 0) < 100 else 1.0
        weights.setdefault(p["trade"], []).append(w * (0.5 if p["superseded_by"] else 1.0))
    by_key = {(p["manufacturer"], p["part_number"]): p for p in parts}
    users = {u["id"]: u for u in people.users}
    rows: list[dict[str, Any]] = []
    seen: set[Any] = set()

    def push(row: dict[str, Any]) -> None:
        if row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)

    for prefix, maker, pn, cond, qty, sale, trade in PINNED:
        loc = next(x for x in people.locations if x["name"].startswith(prefix))
        row = _item(rng, people, loc, by_key[(maker, pn)], cond, qty, sale, trade, "purchased")
        row["quantity_reserved"] = 0
        push(row)
    for loc in people.locations:
        slug = people.slug_of(loc["organization_id"])
        org = next(o for o in people.orgs if o["id"] == loc["organization_id"])
        driver = users.get(loc["assigned_user_id"]) if loc["assigned_user_id"] else None
        trades = [t for t in (driver["trades"] if driver else org["trades"]) if t in by_trade]
        if slug != "frontrange":
            trades.append("general")
        base = next((v for k, v in BIG.items() if loc["name"].startswith(k)), SIZE[loc["location_type"]])
        sale_share, trade_share = OFFER[slug]
        mobile = loc["location_type"] == "truck"
        for _ in range(base):
            trade = rng.choice(trades)
            part = rng.choices(by_trade[trade], weights=weights[trade])[0]
            while mobile and (float(part["weight_kg"] or 0) > 12 or float(part["msrp"] or 0) > 8000):
                part = rng.choices(by_trade[trade], weights=weights[trade])[0]  # trucks carry what fits a drawer
            cond = _weighted(rng, CONDITIONS[org["org_type"]])
            source = "salvaged" if org["org_type"] == "salvage" and cond != "refurbished" else rng.choice(
                ["purchased"] * 8 + ["transferred", "trade_in"])
            qty = _qty(rng, float(part["msrp"] or 50), org["org_type"] == "salvage")
            qty = min(qty, rng.randint(1, 6)) if mobile else qty
            sale = not mobile and rng.random() < sale_share
            push(_item(rng, people, loc, part, cond, qty, sale, not mobile and rng.random() < trade_share, source))
    return rows
