"""Supersession history: older catalog rows and old→new edges (chains up to 4 hops, never cycles)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from knowledge.seed.world.catalog import Catalog, part_row
from knowledge.seed.world.heroes import HERO_HISTORY
from knowledge.seed.world.ids import make_id, money
from knowledge.seed.world.pn import older_revision, styled_number

ELIGIBLE = {
    "elevator_controller", "elevator_drive", "elevator_door", "elevator_sensor", "elevator_safety",
    "elevator_brake", "elevator_motor", "elevator_display", "hvac_thermostat", "hvac_condenser", "hvac_blower",
    "hvac_compressor", "hvac_valve", "hvac_sensor", "electrical_relay", "electrical_contactor",
    "electrical_transformer", "medical_power", "medical_sensor", "medical_display", "medical_pump",
    "medical_imaging",
}
# When a maker's products were taken over, older generations carry the predecessor's name.
PREDECESSOR = {"TK Elevator": "ThyssenKrupp", "ThyssenKrupp": "Dover", "ABB": "GE", "Eaton": "Cutler-Hammer"}
NOTES = {
    "drop_in": ("Direct replacement; no wiring or mounting changes.", "Same footprint and connectors.",
                "Drop-in; reuse existing harness."),
    "one_way": ("New part fits older units; the old part cannot be used on units built with the new one.",
                "One-way interchangeable: update the software to the current release first."),
    "requires_modification": ("Requires adapter harness and new mounting bracket; see service bulletin.",
                              "Field modification required: re-drill mounting holes and swap connector."),
    "kit": ("Supplied as a retrofit kit with harness, bracket and hardware.",
            "Order the conversion kit; includes adapter plate and cable."),
}
KINDS = ("drop_in", "drop_in", "drop_in", "one_way", "one_way", "requires_modification", "kit")


def _old_number(cat: Catalog, maker: str, newer: str, same_maker: bool, rng: random.Random) -> str:
    candidate = (older_revision(newer) if same_maker and rng.random() < 0.6 else None) or styled_number(maker, rng)
    while not cat.registry.free(maker, candidate):
        candidate = styled_number(maker, rng)
    return candidate


def _old_part(cat: Catalog, newer: dict[str, Any], pn: str, maker: str, rev: str, kind: str,
              rng: random.Random, seq: int) -> dict[str, Any]:
    base = newer["name"].split(" (rev ")[0]
    name = f"{base} (rev {rev})"
    while not cat.registry.free(maker, pn, name):
        rev = chr(ord(rev) + 1)
        name = f"{base} (rev {rev})"
    cat.registry.claim(maker, pn, name)
    phrase = {"drop_in": "drop-in", "one_way": "one-way", "requires_modification": "requires modification",
              "kit": "via retrofit kit"}[kind]
    body = newer["description"].split("). ", 1)[1] if newer["description"].startswith("Discontinued;") \
        else newer["description"]
    desc = f"Discontinued; superseded by {newer['part_number']} ({phrase}). {body}"
    msrp = newer["msrp"]
    row = part_row(maker=maker, pn=pn, name=name, trade=newer["trade"], category=newer["category"],
                   sub=newer["subcategory"], desc=desc, specs={**newer["specifications"], "revision": rev},
                   kw=list(newer["keywords"]), msrp=money(float(msrp) * rng.uniform(0.8, 1.0)) if msrp else None,
                   lead=None, kg=float(newer["weight_kg"]), rng=rng, seq=seq, discontinued=rng.random() < 0.9)
    fits = list(cat.compat.get(newer["id"], []))
    cat.compat[row["id"]] = fits
    row["compatible_equipment"] = [f[0] for f in fits]
    row["compatible_manufacturers"] = list(newer["compatible_manufacturers"])
    return row


def _edge(old: dict[str, Any], new: dict[str, Any], kind: str, when: date, rng: random.Random) -> dict[str, Any]:
    old["superseded_by"] = new["part_number"]
    new["supersedes"].append(old["part_number"])
    return {"id": make_id("part_supersessions", f"{old['id']}>{new['id']}"), "old_part_id": old["id"],
            "new_part_id": new["id"], "interchangeability": kind, "effective_date": when,
            "notes": rng.choice(NOTES[kind])}


def _chain(cat: Catalog, head: dict[str, Any], numbers: list[str] | None, hops: int, rng: random.Random,
           edges: list[dict[str, Any]], kind: str | None = None) -> None:
    """Grow ``hops`` older generations behind ``head`` (the current part)."""
    newer, when = head, date(2019, 1, 1) + timedelta(days=rng.randint(0, 2200))
    letters = "ABCDEFGH"
    for step in range(hops):
        maker = newer["manufacturer"]
        if numbers is None and maker in PREDECESSOR and rng.random() < 0.5:
            maker = PREDECESSOR[maker]
        pn = numbers[step] if numbers else _old_number(cat, maker, newer["part_number"],
                                                       maker == newer["manufacturer"], rng)
        step_kind = kind or rng.choice(KINDS)
        old = _old_part(cat, newer, pn, maker, letters[hops - 1 - step], step_kind, rng, len(cat.parts))
        cat.parts.append(old)
        edges.append(_edge(old, newer, step_kind, when, rng))
        newer, when = old, when - timedelta(days=rng.randint(500, 1800))


def build_supersessions(cat: Catalog) -> list[dict[str, Any]]:
    rng = random.Random(4242)
    edges: list[dict[str, Any]] = []
    by_pn = {p["part_number"]: p for p in cat.parts}
    for current, history in HERO_HISTORY.items():
        _chain(cat, by_pn[current], list(history), len(history), rng, edges)
    candidates = [p for p in cat.parts if p["category"] in ELIGIBLE and not p["supersedes"]
                  and not p["superseded_by"] and float(p["msrp"] or 0) >= 40]
    targets = rng.sample(candidates, 150)
    for i, head in enumerate(targets):
        hops = 3 + (i % 2) if i < 18 else 2 if i < 55 else 1
        _chain(cat, head, None, hops, rng, edges)
    # A few parts replaced two different older numbers (a merge): second predecessor as a kit.
    for head in targets[60:72]:
        _chain(cat, head, None, 1, rng, edges, kind="kit")
    return edges
