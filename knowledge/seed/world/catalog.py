"""The platform-wide parts catalog: hand-written heroes, then every family × maker, then optional extras."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from knowledge.partnumbers import normalize_part_number
from knowledge.seed.world import fam_electrical, fam_elevator, fam_hvac, fam_medical
from knowledge.seed.world.equipment import Fit, ModelIndex, pick_compat
from knowledge.seed.world.families import Family, Variant
from knowledge.seed.world.heroes import HEROES
from knowledge.seed.world.ids import ago, make_id, nice_price
from knowledge.seed.world.pn import styled_number

ALL_FAMILIES: tuple[Family, ...] = (
    fam_elevator.FAMILIES + fam_hvac.FAMILIES + fam_electrical.FAMILIES + fam_medical.FAMILIES
)

NOTES: dict[str, tuple[str, ...]] = {
    "elevator": ("Verify the controller software version before swapping.",
                 "Lock out the mainline disconnect and confirm zero energy before removal.",
                 "Common failure on units over 15 years old.", "Ships with mounting hardware.",
                 "Bench tested before shipping.", "Check the adjuster's manual for setup parameters after install."),
    "hvac": ("Check the unit data plate before ordering.", "Common no-cool call in summer.",
             "Ships with mounting hardware.", "Confirm voltage and phase at the disconnect first.",
             "Stock item at most supply houses."),
    "electrical": ("UL listed.", "Check the panel label for compatible types before installing.",
                   "Stocked in most truck inventories.", "Verify interrupting rating against available fault current."),
    "medical": ("Biomed must complete electrical safety and performance checks before return to service.",
                "Record the part serial number on the work order.", "OEM part; tested to factory specifications.",
                "Compatible software level required; check the service manual."),
    "general": ("Shop supply item.", "Sold by the unit shown."),
}


@dataclass
class Registry:
    """Keeps part numbers unique after OCR folding, and (maker, name) unique."""

    norms: set[str] = field(default_factory=set)
    names: set[tuple[str, str]] = field(default_factory=set)

    def free(self, maker: str, pn: str, name: str | None = None) -> bool:
        if normalize_part_number(pn) in self.norms:
            return False
        return name is None or (maker, name.lower()) not in self.names

    def claim(self, maker: str, pn: str, name: str | None = None) -> None:
        self.norms.add(normalize_part_number(pn))
        if name is not None:
            self.names.add((maker, name.lower()))


@dataclass
class Catalog:
    parts: list[dict[str, Any]] = field(default_factory=list)
    compat: dict[Any, list[Fit]] = field(default_factory=dict)  # part id → fits
    registry: Registry = field(default_factory=Registry)
    index: ModelIndex | None = None

    def by_key(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(p["manufacturer"], p["part_number"]): p for p in self.parts}


SUB_SPECS: dict[str, dict[str, tuple[Any, ...]]] = {
    "main_board": {"supply": ("5VDC", "24VDC", "5/12VDC"), "form": ("PCB", "PCB in carrier")},
    "io_board": {"supply": ("24VDC",), "inputs": (16, 24, 32)}, "hall_board": {"bus": ("RS-485", "CAN")},
    "safety_board": {"supply": ("24VDC", "48VDC"), "relays": (4, 6, 8)}, "power_supply": {"input": ("120-240VAC",)},
    "drive_board": {"supply": ("24VDC",)}, "relay_board": {"relays": (8, 12)},
    "coated_belt": {"width_mm": (30, 60), "cords": (12, 24)}, "brake_lining": {"pieces": (2, 4)},
    "brake_board": {"output": ("90VDC", "180VDC")}, "coil": {"rows": (2, 3, 4), "fin_spacing": ("16 fpi", "20 fpi")},
    "ecm_motor": {"voltage": ("120V", "208-230V"), "speeds": ("5 tap", "variable")},
    "inducer": {"voltage": ("115V", "208-230V"), "rpm": (3000, 3300)}, "control_board": {"voltage": ("24VAC",)},
    "flame_sensor": {"length_in": (3, 4, 5)}, "battery": {"chemistry": ("Li-ion", "NiMH"),
                                                        "voltage": ("10.8V", "11.1V", "14.4V", "24V")},
    "adapter": {"input": ("100-240VAC",), "output": ("12VDC", "15VDC", "19VDC")},
    "lcd": {"size_in": (10.4, 12.1, 15, 19), "touch": (True, False)}, "touchscreen": {"type": ("resistive", "PCAP")},
    "keypad": {"keys": (12, 16, 24)}, "co2": {"range_mmhg": ("0-150",)},
    "ibp": {"connector": ("Utah", "BD", "Edwards")},
    "flow": {"reusable": (True, False)}, "oxygen": {"life_months": (12, 24)}, "mechanism": {"channels": (1,)},
    "door": {"latch": ("standard",)}, "pressure_sensor": {"range_psi": ("0-25",)},
    "air_in_line": {"type": ("ultrasonic",)},
    "hydraulic": {"voltage": ("24VDC",)}, "trackball": {"diameter_mm": (38, 50)}, "actuator": {"voltage": ("24VDC",)},
}


def default_specs(sub: str, rng: random.Random) -> dict[str, Any]:
    return {k: rng.choice(v) for k, v in SUB_SPECS.get(sub, {}).items()}


def _dims(rng: random.Random, kg: float) -> dict[str, float]:
    side = max(kg, 0.05) ** (1 / 3) * 18
    return {"length": round(side * rng.uniform(1.0, 1.8), 1), "width": round(side * rng.uniform(0.6, 1.0), 1),
            "height": round(side * rng.uniform(0.3, 0.9), 1)}


def part_row(*, maker: str, pn: str, name: str, trade: str, category: str, sub: str, desc: str,
             specs: dict[str, Any], kw: list[str], msrp: Decimal | None, lead: int | None, kg: float,
             rng: random.Random, seq: int, discontinued: bool = False) -> dict[str, Any]:
    created = ago(days=420 + seq % 360)
    slug = maker.lower().replace(" ", "-").replace(".", "")
    return {
        "id": make_id("parts_catalog", f"{maker}|{pn}"), "organization_id": None, "part_number": pn,
        "manufacturer": maker, "name": name, "description": desc, "category": category, "subcategory": sub,
        "trade": trade, "compatible_equipment": [], "compatible_manufacturers": [], "supersedes": [],
        "superseded_by": None, "specifications": specs, "weight_kg": Decimal(str(round(kg, 3))),
        "dimensions_cm": _dims(rng, kg), "images": [],
        "datasheets": [f"https://docs.partpilot.example/{slug}/{pn.replace(' ', '')}.pdf"] if seq % 3 == 0 else [],
        "installation_guides": [], "msrp": msrp, "currency": "USD", "lead_time_days": lead,
        "is_discontinued": discontinued, "keywords": kw, "created_at": created, "updated_at": created,
    }


def _attach(cat: Catalog, row: dict[str, Any], fits: list[Fit]) -> None:
    assert cat.index is not None
    cat.compat[row["id"]] = fits
    row["compatible_equipment"] = [f[0] for f in fits]
    makers = [row["manufacturer"]] if fits else []
    for model, _, _ in fits:
        eq_maker = cat.index.maker_of(model)
        if eq_maker not in makers:
            makers.append(eq_maker)
    row["compatible_manufacturers"] = makers


def _add_heroes(cat: Catalog, rng: random.Random) -> None:
    for seq, h in enumerate(HEROES):
        if not cat.registry.free(h.maker, h.pn, h.name):
            raise ValueError(f"hero collision {h.maker} {h.pn}")
        cat.registry.claim(h.maker, h.pn, h.name)
        row = part_row(maker=h.maker, pn=h.pn, name=h.name, trade=h.trade, category=h.category, sub=h.sub,
                       desc=h.desc, specs=dict(h.specs), kw=list(h.kw), msrp=nice_price(h.msrp), lead=h.lead,
                       kg=rng.uniform(0.2, 5.0), rng=rng, seq=seq)
        assert cat.index is not None
        fits = [(m, "direct", "oem" if cat.index.maker_of(m) == h.maker else "field_verified") for m in h.compat]
        _attach(cat, row, fits)
        cat.parts.append(row)


def _describe(fam: Family, maker: str, variant: Variant, name: str, rng: random.Random) -> str:
    first = fam.desc.format(maker=maker, name=name, **variant) if fam.desc else f"{name}."
    return f"{first} {rng.choice(NOTES[fam.trade])}"


def _family_part(cat: Catalog, fam: Family, maker: str, variant: Variant, rng: random.Random, seq: int,
                 extra: str = "") -> dict[str, Any] | None:
    name = fam.name_of(variant) + extra
    pn = fam.pn(maker, variant) if fam.pn else None
    if pn is None:
        for attempt in range(30):
            pn = styled_number(maker, rng) + (f"-{rng.randint(10, 99)}" if attempt > 10 else "")
            if cat.registry.free(maker, pn):
                break
    if pn is None or not cat.registry.free(maker, pn, name):
        return None
    cat.registry.claim(maker, pn, name)
    price = rng.uniform(*fam.price) * variant["_f"]
    kw = list(fam.kw) + ([variant["fits"]] if "fits" in variant else [])
    row = part_row(maker=maker, pn=pn, name=name, trade=fam.trade, category=fam.category, sub=fam.sub,
                   desc=_describe(fam, maker, variant, name, rng),
                   specs={**default_specs(fam.sub, rng), **fam.spec_of(variant)}, kw=kw,
                   msrp=nice_price(price), lead=rng.randint(*fam.lead), kg=rng.uniform(*fam.kg), rng=rng, seq=seq)
    return row


def _add_families(cat: Catalog, rng: random.Random) -> None:
    assert cat.index is not None
    seq = len(cat.parts)
    # A hero already is "the" part of its kind for its equipment: no generic twin for the same model.
    covered = {(h.maker, h.sub, model) for h in HEROES for model in h.compat}
    for fam in ALL_FAMILIES:
        for maker in fam.makers:
            fits_models = cat.index.of_maker(fam.trade, maker, fam.etypes) if fam.fits else []
            fits_models = [m for m in fits_models if (maker, fam.sub, m) not in covered]
            variants = fam.variants(maker, fits_models)
            for variant in rng.sample(variants, min(fam.per_maker, len(variants))):
                row = _family_part(cat, fam, maker, variant, rng, seq)
                if row is None:
                    continue
                seq += 1
                if fam.pool:
                    fits = [(m, "direct", "oem") for m in fam.pool(maker, variant)]
                else:
                    fits = pick_compat(rng, cat.index, fam.trade, maker, fam.etypes, fam.n_compat,
                                       fam.compat_makers.get(maker, ()), variant.get("fits"))
                _attach(cat, row, fits)
                cat.parts.append(row)


def build_catalog(index: ModelIndex) -> Catalog:
    cat = Catalog(index=index)
    rng = random.Random(20261101)
    _add_heroes(cat, rng)
    _add_families(cat, rng)
    return cat
