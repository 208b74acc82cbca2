"""Price history: 15 months of monthly price points per condition, with gentle trends and noise."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from knowledge.seed.world.heroes import HEROES
from knowledge.seed.world.ids import ago, make_id, money
from knowledge.seed.world.stock import COND_VALUE

MONTHS = 15
REGIONS = ("Denver, CO", "Denver, CO", "Denver, CO", "Colorado Springs, CO", "National")


def _trend(rng: random.Random, part: dict[str, Any]) -> float:
    """Monthly drift: obsolete elevator/medical boards climb, commodity electrical slowly falls."""
    obsolete = bool(part["supersedes"]) or part["is_discontinued"]
    if part["category"] in ("elevator_controller", "elevator_drive", "medical_display") and obsolete:
        return rng.uniform(0.012, 0.03)
    if part["trade"] == "electrical" and rng.random() < 0.5:
        return -rng.uniform(0.004, 0.012)
    if rng.random() < 0.15:
        return -rng.uniform(0.005, 0.015)
    return rng.uniform(-0.003, 0.006)


def build_price_history(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(1515)
    hero_keys = {(h.maker, h.pn) for h in HEROES}
    heroes = [p for p in parts if (p["manufacturer"], p["part_number"]) in hero_keys]
    others = [p for p in parts if (p["manufacturer"], p["part_number"]) not in hero_keys
              and float(p["msrp"] or 0) >= 20]
    tracked = heroes + rng.sample(others, 300)
    rows: list[dict[str, Any]] = []
    for part in tracked:
        msrp = float(part["msrp"] or 50)
        drift = _trend(rng, part)
        region = rng.choice(REGIONS)
        series = [("new", "supplier")]
        if rng.random() < 0.6:
            series.append((rng.choice(["refurbished", "used_good", "used_fair", "salvage"]),
                           rng.choice(["listing", "transaction"])))
        for cond, source in series:
            level = msrp * COND_VALUE[cond] * rng.uniform(0.9, 1.05)
            for month in range(MONTHS):
                when = ago(days=(MONTHS - month) * 30.4 - rng.uniform(0, 6))
                factor = (1 + drift) ** month * rng.uniform(0.96, 1.04)
                rows.append({
                    "id": make_id("part_price_history", f"{part['id']}|{cond}|{source}|{month}"),
                    "part_id": part["id"], "part_number": part["part_number"],
                    "manufacturer": part["manufacturer"], "condition": cond, "price": money(level * factor),
                    "currency": "USD", "source": source, "source_id": None, "region": region,
                    "recorded_at": when + timedelta(hours=rng.randint(8, 17)),
                })
    # The series end today: every point moves by the same amount, so the windows the pricing tools anchor
    # on the newest point see the same prices.
    lag = ago(hours=2) - max(r["recorded_at"] for r in rows)
    for row in rows:
        row["recorded_at"] += lag
    return rows
