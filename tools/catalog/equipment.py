"""Installed equipment: the units (elevators, rooftop units, switchboards, pumps …) at the customer sites the
caller's organization services, found by site or customer name (fuzzy), type, trade, manufacturer or model."""

from __future__ import annotations

import re
import uuid
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, utils
from sqlalchemy import text

from knowledge.models import Trade
from knowledge.search.vocabulary import load_vocabulary
from tools.catalog.parts import canonical_manufacturer
from tools.registry import ToolContext, ToolKind, tool

SITE_MATCH = 85.0  # fuzzy score (0-100) a site name must reach
SITE_NEAR = 3.0  # sites within this many points of the best match are equally meant
SUGGEST = 75.0
# Words that name no particular site ("the Hilton hotel" is the Hilton).
_GENERIC = frozenset({"the", "a", "an", "at", "hotel", "site", "building", "job", "property", "customer", "our"})
# What technicians call a kind of unit → (trade, equipment types); None means the whole trade.
TYPE_WORDS: dict[str, tuple[str | None, tuple[str, ...] | None]] = {
    "elevator": ("elevator", None), "elevators": ("elevator", None), "lift": ("elevator", None),
    "car": ("elevator", None), "escalator": (None, ("escalator",)), "hvac": ("hvac", None),
    "rtu": (None, ("rooftop_unit",)), "rooftop": (None, ("rooftop_unit",)), "ahu": (None, ("air_handler",)),
    "electrical": ("electrical", None), "panel": (None, ("panelboard", "load_center")),
    "medical": ("medical", None), "pump": (None, ("infusion_pump",)), "monitor": (None, ("patient_monitor",)),
}


class FindInstalledEquipmentInput(BaseModel):
    site: str | None = Field(None, max_length=200, description="Site or customer name as the technician says "
                             "it, fuzzy: 'the Brown Palace', 'Denver Health', 'St Lukes'.")
    equipment_type: str | None = Field(None, max_length=60, description="Kind of unit: 'elevator', 'escalator', "
                                       "'rooftop unit', 'RTU', 'infusion pump', or a type such as 'traction_mrl'.")
    trade: Trade | None = Field(None, description="elevator | hvac | electrical | medical.")
    manufacturer: str | None = Field(None, max_length=100, description="Equipment maker, e.g. 'Otis'.")
    model: str | None = Field(None, max_length=100, description="Equipment model or alias, e.g. 'Gen2', '48TC'.")
    limit: int = Field(50, ge=1, le=200)


class InstalledUnit(BaseModel):
    equipment_id: uuid.UUID = Field(description="Pass to check_compatibility as equipment_id.")
    site_name: str
    site_address: str | None
    city: str | None
    unit: str | None = Field(description="The unit's label at the site, e.g. 'Car 2'.")
    manufacturer: str
    model: str
    equipment_type: str
    trade: str | None
    equipment_model_id: uuid.UUID | None
    serial_number: str | None
    controller: str | None
    install_year: int | None
    specifications: dict[str, Any]


class FindInstalledEquipmentOutput(BaseModel):
    units: list[InstalledUnit] = Field(description="Best site match first, then by model and unit.")
    total: int = Field(description="Units matching before the limit.")
    sites: list[str] = Field(description="The site names the units are at (several when the name was ambiguous).")
    models: list[str] = Field(description="Distinct 'manufacturer model (count)' among the units.")
    did_you_mean: list[str] = Field(default_factory=list, description="Your sites closest to an unmatched name.")
    message: str | None = None


def _site_words(site: str) -> str:
    words = [w for w in re.findall(r"[\w'/.&-]+", site.lower()) if w not in _GENERIC]
    return " ".join(words) or site


def site_score(query: str, name: str) -> float:
    """How well a typed site name matches a site (0-100): whole words anywhere, or a close spelling."""
    q = _site_words(query)
    return max(fuzz.token_set_ratio(q, name, processor=utils.default_process),
               fuzz.partial_ratio(q, name, processor=utils.default_process))


def match_sites(query: str, names: list[str]) -> tuple[list[str], list[str]]:
    """(the sites meant, near misses to suggest) among `names`."""
    scored = sorted(((site_score(query, n), n) for n in names), key=lambda x: (-x[0], x[1]))
    if scored and scored[0][0] >= SITE_MATCH:
        best = scored[0][0]
        return [n for s, n in scored if s >= best - SITE_NEAR], []
    # Suggestions need whole-word likeness: a short name is "in" many long ones by partial matching alone.
    q = _site_words(query)
    near = [n for _, n in scored if fuzz.token_set_ratio(q, n, processor=utils.default_process) >= SUGGEST]
    return [], near[:3]


@tool(ToolKind.READ)
def find_installed_equipment(ctx: ToolContext, args: FindInstalledEquipmentInput) -> FindInstalledEquipmentOutput:
    """List installed equipment at the customer sites YOUR organization services, filtered by site or customer
    name (fuzzy, e.g. "the Brown Palace"), kind of unit, trade, manufacturer or model. Each unit has its
    equipment_id, site, label (e.g. "Car 2"), make, model, serial number, controller and install year.

    Args:
        site: site/customer name as said, e.g. "Denver Health" or "St Lukes"; several sites may match.
        equipment_type: "elevator", "escalator", "rooftop unit", "RTU", "infusion pump" or a stored type.
        trade / manufacturer / model: e.g. "elevator", "Otis", "Gen2".

    Use it to resolve "the Gen2 at the Brown Palace" or "I'm at Republic Plaza" to a unit, then pass its
    equipment_id to check_compatibility (or its model to search_parts as compatible_with). Other
    organizations' equipment is never listed. Not for parts or stock (search_parts, find_inventory).
    """
    caller, session = ctx.caller, ctx.session
    params: dict[str, Any] = {"org": caller.organization_id}
    where = ["e.organization_id = :org"]
    sites: list[str] = []
    if args.site:
        names = list(session.execute(text("SELECT DISTINCT site_name FROM equipment WHERE organization_id = :org"),
                                     params).scalars())
        sites, near = match_sites(args.site, names)
        if not sites:
            hint = f" Did you mean {' or '.join(near)}?" if near else ""
            return FindInstalledEquipmentOutput(
                units=[], total=0, sites=[], models=[], did_you_mean=near,
                message=f"No site matching {args.site!r} in {caller.organization_name}'s equipment records.{hint}")
        where.append("e.site_name = ANY(:sites)")
        params["sites"] = sites
    trade = args.trade.value if args.trade else None
    if args.equipment_type:
        word = args.equipment_type.strip().lower()
        word_trade, types = TYPE_WORDS.get(word if word in TYPE_WORDS else word.rstrip("s"), (None, None))
        trade = trade or word_trade
        if types is None and word_trade is None:
            types = (re.sub(r"[\s-]+", "_", word),)
        if types:
            where.append("e.equipment_type ILIKE ANY(:types)")
            params["types"] = [f"%{t}%" for t in types]
    if trade:
        where.append("em.trade = :trade")
        params["trade"] = trade
    if args.manufacturer:
        where.append("lower(e.manufacturer) IN (:maker, :maker_folded)")
        params["maker"] = args.manufacturer.strip().lower()
        params["maker_folded"] = canonical_manufacturer(args.manufacturer)
    if args.model:
        params["model_ids"] = [r.id for r in load_vocabulary(ctx.engine).resolve_model(args.model)]
        params["model"] = args.model.strip()
        where.append("(e.equipment_model_id = ANY(CAST(:model_ids AS uuid[])) OR lower(e.model) = lower(:model))")
    rows = list(session.execute(text(
        "SELECT e.id, e.site_name, e.site_address, e.city, e.manufacturer, e.model, e.equipment_type, em.trade, "
        "e.equipment_model_id, e.serial_number, e.controller, e.install_year, e.specifications "
        "FROM equipment e LEFT JOIN equipment_models em ON em.id = e.equipment_model_id "
        f"WHERE {' AND '.join(where)} ORDER BY e.site_name, e.manufacturer, e.model, "
        "e.specifications->>'unit', e.serial_number"), params).all())
    order = {name: i for i, name in enumerate(sites)}
    rows.sort(key=lambda r: order.get(r.site_name, 0))
    units = [InstalledUnit(equipment_id=r.id, site_name=r.site_name, site_address=r.site_address, city=r.city,
                           unit=(r.specifications or {}).get("unit"), manufacturer=r.manufacturer, model=r.model,
                           equipment_type=r.equipment_type, trade=r.trade, equipment_model_id=r.equipment_model_id,
                           serial_number=r.serial_number, controller=r.controller, install_year=r.install_year,
                           specifications=dict(r.specifications or {})) for r in rows]
    counts: dict[str, int] = {}
    for unit in units:
        label = f"{unit.manufacturer} {unit.model}"
        counts[label] = counts.get(label, 0) + 1
    found_sites = list(dict.fromkeys(u.site_name for u in units))
    message = None
    if not units:
        message = (f"Nothing matching those filters at {', '.join(sites)}." if sites else
                   f"No installed equipment matching those filters in {caller.organization_name}'s records.")
    return FindInstalledEquipmentOutput(units=units[: args.limit], total=len(units), sites=found_sites or sites,
                                        models=[f"{k} ({v})" for k, v in counts.items()], message=message)
