"""Benchmark padding: many more realistic catalog parts, each a distinct build of a family variant (no
compatibility or supersession rows)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from knowledge.partnumbers import normalize_part_number
from knowledge.seed.world.catalog import ALL_FAMILIES, NOTES, Catalog, default_specs
from knowledge.seed.world.extras_vocab import distinguishing_name, usage_note
from knowledge.seed.world.families import Family
from knowledge.seed.world.ids import ago, make_id, nice_price
from knowledge.seed.world.pn import styled_number

Entry = tuple[Family, str, list[tuple[str, dict[str, Any], str, float]]]


def _entries(cat: Catalog) -> list[Entry]:
    assert cat.index is not None
    out: list[Entry] = []
    for fam in ALL_FAMILIES:
        for maker in fam.makers:
            fits_models = cat.index.of_maker(fam.trade, maker, fam.etypes) if fam.fits else []
            variants = fam.variants(maker, fits_models)
            if not variants:
                continue
            rows = []
            for v in variants:
                name = fam.name_of(v)
                first = fam.desc.format(maker=maker, name=name, **v) if fam.desc else f"{name}."
                rows.append((name, fam.spec_of(v), first, float(v["_f"])))
            out.append((fam, maker, rows))
    return out


def add_extras(cat: Catalog, count: int) -> None:
    """Append ``count`` generated parts; (manufacturer, part number) stays unique across the catalog."""
    if count <= 0:
        return
    rng = random.Random(9001)
    entries = _entries(cat)
    rng.shuffle(entries)
    norms, names, parts = cat.registry.norms, cat.registry.names, cat.parts
    base = ago(days=420)
    made = i = 0
    while made < count:
        fam, maker, variants = entries[i % len(entries)]
        i += 1
        name0, specs, first, factor = variants[rng.randrange(len(variants))]
        name = distinguishing_name(name0, fam.trade, rng)
        key = (maker, name.lower())
        if key in names:
            continue
        pn = styled_number(maker, rng)
        norm, tries = normalize_part_number(pn), 0
        while norm in norms:
            tries += 1
            pn = styled_number(maker, rng) + (f"-{rng.randrange(10, 100)}" if tries > 5 else "")
            norm = normalize_part_number(pn)
        norms.add(norm)
        names.add(key)
        kg = rng.uniform(*fam.kg)
        side = kg ** (1 / 3) * 18
        created = base - timedelta(days=made % 360)
        parts.append({
            "id": make_id("parts_catalog", f"{maker}|{pn}"), "organization_id": None, "part_number": pn,
            "manufacturer": maker, "name": name,
            "description": f"{first} {usage_note(fam.trade, rng)} {rng.choice(NOTES[fam.trade])}",
            "category": fam.category, "subcategory": fam.sub, "trade": fam.trade, "compatible_equipment": [],
            "compatible_manufacturers": [], "supersedes": [], "superseded_by": None,
            "specifications": {**default_specs(fam.sub, rng), **specs}, "weight_kg": Decimal(f"{kg:.3f}"),
            "dimensions_cm": {"length": round(side * 1.4, 1), "width": round(side * 0.8, 1),
                              "height": round(side * 0.6, 1)},
            "images": [], "datasheets": [], "installation_guides": [],
            "msrp": nice_price(rng.uniform(*fam.price) * factor), "currency": "USD",
            "lead_time_days": rng.randint(*fam.lead), "is_discontinued": False, "keywords": list(fam.kw),
            "created_at": created, "updated_at": created,
        })
        made += 1
