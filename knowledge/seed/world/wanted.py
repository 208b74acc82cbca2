"""Wanted posts: technicians asking the network for a part, often with equipment context and a fault code."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from knowledge.seed.world.ids import ago, ahead, make_id, money
from knowledge.seed.world.orgs import People

FAULTS = {"elevator": ("DW", "DOL", "UIB", "E-0101", "0604", "OVF trip 23", "TCI fault", "DFC open"),
          "hvac": ("E1", "LPS trip", "flash code 3", "HPS open", "33 flash", "ER 42"),
          "electrical": ("GF trip", "OL trip", "phase loss"),
          "medical": ("E-202", "Error 255-xxx", "Technical alarm: battery", "Occlusion downstream")}
URGENCY = (("standard", 45), ("priority", 15), ("urgent", 25), ("emergency", 15))
CONDITION_SETS = (["new"], ["new", "refurbished"], ["new", "refurbished", "used_excellent", "used_good"],
                  ["refurbished", "used_good", "used_fair"], ["salvage", "for_parts"])
VAGUE = ("door operator motor for an older {model}, operator unknown, car stuck doors open",
         "main board for {model}, dead after lightning strike",
         "battery for {model}, two units won't hold charge", "any encoder that fits a {model} machine",
         "condenser fan motor for {model}, nameplate unreadable", "control board for {model}, flashing code")


def build_wanted(people: People, parts: list[dict[str, Any]], equipment: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(1212)
    rows: list[dict[str, Any]] = []
    for n in range(36):
        slug = rng.choice(["summit", "summit", "apex", "northline", "rival", "frontrange"])
        oid = people.org_id[slug]
        requester = rng.choice([u for u in people.users_of(slug) if u["role"] in ("technician", "buyer",
                                                                                    "parts_manager")])
        units = [e for e in equipment if e["organization_id"] == oid]
        unit = rng.choice(units) if units and rng.random() < 0.8 else None
        trade = unit and next((p["trade"] for p in parts if unit["model"] in p["compatible_equipment"]), None)
        pool = [p for p in parts if not p["superseded_by"] and (
            unit["model"] in p["compatible_equipment"] if unit else p["trade"] in requester["trades"])]
        part = rng.choice(pool) if pool else rng.choice(parts)
        known = rng.random() < 0.7
        trade = trade or part["trade"]
        urgency = rng.choices([u[0] for u in URGENCY], weights=[u[1] for u in URGENCY])[0]
        status = rng.choices(["active", "fulfilled", "cancelled"], weights=[75, 18, 7])[0]
        created = ago(days=rng.uniform(0.2, 40))
        days = {"emergency": 1, "urgent": 3, "priority": 7}.get(urgency, 21)
        description = (f"Need {part['name']} ({part['manufacturer']} {part['part_number']})" if known else
                       rng.choice(VAGUE).format(model=unit["model"] if unit else part["name"]))
        if unit:
            description += f" at {unit['site_name']}."
        loc = people.locations_of(slug)[0]
        rows.append({
            "id": make_id("wanted_posts", f"{slug}|{n}"), "organization_id": oid, "requester_id": requester["id"],
            "part_id": part["id"] if known else None, "part_number": part["part_number"] if known else None,
            "manufacturer": part["manufacturer"] if known else (unit["manufacturer"] if unit else None),
            "description": description, "category": part["category"],
            "equipment_type": unit["equipment_type"] if unit else None,
            "equipment_manufacturer": unit["manufacturer"] if unit else None,
            "equipment_model": unit["model"] if unit else None,
            "equipment_serial": unit["serial_number"] if unit else None,
            "fault_code": rng.choice(FAULTS.get(trade, ("",))) if unit and rng.random() < 0.6 else None,
            "quantity_needed": 1 if float(part["msrp"] or 0) > 500 else rng.randint(1, 4),
            "acceptable_conditions": rng.choice(CONDITION_SETS),
            "needed_by_date": (created + timedelta(days=days)).date(), "urgency": urgency,
            "max_price": money(float(part["msrp"] or 100) * rng.uniform(0.5, 1.1)) if rng.random() < 0.7 else None,
            "currency": "USD", "city": loc["city"], "state_province": "CO", "country": "US", "lat": loc["lat"],
            "lng": loc["lng"], "visibility": rng.choice(["network", "industry", "industry", "public"]),
            "status": status, "responses_count": rng.randint(0, 5) if status == "active" else rng.randint(1, 6),
            "created_at": created,
            "expires_at": ahead(days=rng.uniform(3, 30)) if status == "active" else created + timedelta(days=30),
            "idempotency_key": None,
        })
    return rows
