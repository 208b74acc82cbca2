"""Installed equipment at Denver customer sites, owned by the contractor (or in-house biomed) servicing it."""

from __future__ import annotations

import random
from typing import Any

from knowledge.seed.world.equipment import SITES, ModelIndex
from knowledge.seed.world.equipment_data import ALL_MODELS
from knowledge.seed.world.ids import ago, make_id
from knowledge.seed.world.orgs import People

# Fixed units the demo script talks about: (site, model, count, servicing org)
PINNED: tuple[tuple[str, str, int, str], ...] = (
    ("Brown Palace Hotel", "Gen2", 4, "summit"), ("Brown Palace Hotel", "48TC", 2, "summit"),
    ("Denver Health Medical Center", "Elevonic 411M", 3, "summit"),
    ("Denver Health Medical Center", "Carescape B650", 4, "summit"),
    ("Denver Health Medical Center", "Alaris 8015", 6, "summit"),
    ("Presbyterian/St. Luke's Medical Center", "IntelliVue MX450", 5, "frontrange"),
    ("Presbyterian/St. Luke's Medical Center", "Sigma Spectrum", 4, "frontrange"),
    ("Republic Plaza", "MonoSpace 500", 4, "summit"), ("Republic Plaza", "Voyager", 3, "northline"),
    ("Hyatt Regency Denver", "3300", 3, "apex"), ("Four Seasons Denver", "Synergy", 3, "rival"),
)
SERVICERS = {"elevator": ("summit", "summit", "apex", "apex", "rival"),
             "hvac": ("summit", "northline", "northline", "rival"),
             "electrical": ("summit", "northline"), "medical": ("summit", "frontrange")}
MIX = {"hotel": {"elevator": (2, 5), "hvac": (1, 3), "electrical": (1, 2)},
       "hospital": {"elevator": (2, 5), "hvac": (1, 3), "electrical": (1, 2), "medical": (3, 6)},
       "office": {"elevator": (3, 6), "hvac": (1, 3), "electrical": (1, 2)},
       "retail": {"elevator": (2, 4), "hvac": (2, 4), "electrical": (1, 1)},
       "transit": {"elevator": (2, 4), "hvac": (1, 2), "electrical": (1, 1)},
       "venue": {"elevator": (3, 5), "hvac": (2, 3), "electrical": (1, 2)},
       "campus": {"elevator": (1, 3), "hvac": (1, 2), "electrical": (1, 1)}}
CONTROLLERS = {"Otis": "GECB", "KONE": "LCE", "Schindler": "Miconic BX", "ThyssenKrupp": "TAC32",
               "TK Elevator": "TAC50", "Mitsubishi": "Sigma AI-2200", "Fujitec": "Flex-8820", "Dover": "DMC-I",
               "MCE": "Motion 4000", "GAL": "GALaxy IV"}


def _unit(rng: random.Random, index: ModelIndex, people: People, site: tuple[str, str, float, float, str],
          model: str, org: str, n: int) -> dict[str, Any]:
    trade, etype, maker, _, _, year = index.by_name[model]
    name, address, lat, lng, _ = site
    install = rng.randint(max(year, 1985), 2025)
    specs: dict[str, Any] = {"unit": f"{'Car' if trade == 'elevator' else 'Unit'} {n}"}
    if trade == "elevator":
        specs.update({"floors": rng.randint(4, 40), "capacity_lb": rng.choice([2500, 3500, 4000, 4500])})
    elif trade == "hvac":
        specs.update({"tonnage": rng.choice([5, 7.5, 10, 12.5, 15, 20, 25, 150])})
    elif trade == "medical":
        specs.update({"asset_tag": f"BME-{rng.randint(10000, 99999)}", "department": rng.choice(
            ["ICU", "ED", "Med/Surg 4", "OR", "PACU", "Cardiology"])})
    city = address.split(", ")[-2] if address.count(",") >= 2 else "Denver"
    serial = f"{maker[:2].upper()}{install % 100:02d}{rng.randint(100000, 999999)}"
    return {
        "id": make_id("equipment", f"{name}|{model}|{n}"), "organization_id": people.org_id[org],
        "equipment_model_id": index.id_of[model], "equipment_type": etype, "manufacturer": maker, "model": model,
        "serial_number": serial,
        "controller": model if etype == "controller" else CONTROLLERS.get(maker) if trade == "elevator" else None,
        "site_name": name, "site_address": address, "city": city,
        "lat": round(lat + rng.uniform(-0.0004, 0.0004), 6), "lng": round(lng + rng.uniform(-0.0004, 0.0004), 6),
        "install_year": install, "specifications": specs, "created_at": ago(days=500), "updated_at": ago(days=30),
    }


def build_installed(index: ModelIndex, people: People) -> list[dict[str, Any]]:
    rng = random.Random(777)
    site_by_name = {s[0]: s for s in SITES}
    rows: list[dict[str, Any]] = []
    counters: dict[tuple[str, str], int] = {}

    def add(site: tuple[str, str, float, float, str], model: str, org: str) -> None:
        key = (site[0], model)
        counters[key] = counters.get(key, 0) + 1
        rows.append(_unit(rng, index, people, site, model, org, counters[key]))

    for site_name, model, count, org in PINNED:
        for _ in range(count):
            add(site_by_name[site_name], model, org)
    pools = {t: [m[3] for m in ALL_MODELS if m[0] == t and m[1] not in ("machine",)] for t in SERVICERS}
    for site in SITES:
        for trade, (lo, hi) in MIX[site[4]].items():
            org = rng.choice(SERVICERS[trade])
            model = rng.choice(pools[trade])
            for _ in range(rng.randint(lo, hi)):
                add(site, model, org)
    return rows
