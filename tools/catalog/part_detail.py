"""One catalog part in full: specifications, the equipment it fits, its supersession chain and the parts
that can stand in for it (the REST part-detail page; the agent uses lookup_part and check_compatibility)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text

from tools.catalog.parts import resolve_part
from tools.catalog.supersession import ChainHop, stand_ins, supersession_hops
from tools.registry import ToolContext, ToolKind, tool


class FitsEquipment(BaseModel):
    equipment_model_id: uuid.UUID
    manufacturer: str
    model: str
    equipment_type: str
    fit: str = Field(description="direct, or how it fits otherwise (e.g. with_adapter)")
    source: str
    notes: str | None


class PartAlternative(BaseModel):
    part_id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    msrp: Decimal | None
    relation: str = Field(description="newer (a replacement) | older (an earlier drop-in number)")
    needs_modification: bool
    note: str


class GetPartInput(BaseModel):
    part_id: uuid.UUID


class PartDetail(BaseModel):
    id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    description: str | None
    category: str
    subcategory: str | None
    trade: str
    msrp: Decimal | None
    currency: str
    lead_time_days: int | None
    is_discontinued: bool
    specifications: dict[str, Any]
    compatible_equipment: list[FitsEquipment]
    compatible_models_listed: list[str] = Field(description="Models the catalog entry names, as printed")
    current_part_number: str = Field(description="The number to order today (end of the supersession chain)")
    supersession_chain: list[ChainHop]
    alternatives: list[PartAlternative]


@tool(ToolKind.READ)
def get_part(ctx: ToolContext, args: GetPartInput) -> PartDetail:
    """Everything about one catalog part by id: specifications, the equipment models it fits, its
    supersession chain, and the parts that can be used instead (replacements and drop-in older numbers).

    Args:
        part_id: a catalog id from search_parts or lookup_part.

    Other organizations' private catalog entries are not found. To check fit with one unit use
    check_compatibility; to find stock use find_inventory.
    """
    part = resolve_part(ctx.session, part_id=args.part_id, org_id=ctx.caller.organization_id)
    fits = ctx.session.execute(text(
        "SELECT m.id, m.manufacturer, m.model, m.equipment_type, c.fit, c.source, c.notes FROM part_compatibility c "
        "JOIN equipment_models m ON m.id = c.equipment_model_id WHERE c.part_id = :id "
        "ORDER BY m.manufacturer, m.model"), {"id": part.id}).all()
    older, newer = supersession_hops(ctx.session, part.id)
    alternatives = [
        PartAlternative(part_id=s.part.id, part_number=s.part.part_number, manufacturer=s.part.manufacturer,
                        name=s.part.name, msrp=s.part.msrp, relation=s.relation,
                        needs_modification=s.needs_modification, note=s.note)
        for s in stand_ins(ctx.session, part) if s.relation != "requested"
    ]
    return PartDetail(
        id=part.id, part_number=part.part_number, manufacturer=part.manufacturer, name=part.name,
        description=part.description, category=part.category, subcategory=part.subcategory, trade=part.trade,
        msrp=part.msrp, currency=part.currency, lead_time_days=part.lead_time_days,
        is_discontinued=part.is_discontinued, specifications=part.specifications,
        compatible_equipment=[FitsEquipment(equipment_model_id=r.id, manufacturer=r.manufacturer, model=r.model,
                                            equipment_type=r.equipment_type, fit=r.fit, source=r.source,
                                            notes=r.notes) for r in fits],
        compatible_models_listed=part.compatible_equipment,
        current_part_number=newer[-1].to_part_number if newer else part.part_number,
        supersession_chain=older + newer, alternatives=alternatives,
    )
