"""Does this part fit this equipment? Catalog rows, supersession, manufacturer fit and specifications."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.search.vocabulary import load_vocabulary
from tools.catalog.compatibility_ai import current_reasoner
from tools.catalog.compatibility_evidence import Evidence, catalog_evidence, supersession_evidence
from tools.catalog.parts import CatalogPart, canonical_manufacturer, resolve_part
from tools.catalog.specs import compare_specs
from tools.catalog.supersession import supersession_hops
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed

Verdict = Literal["compatible", "incompatible", "unknown"]


class CheckCompatibilityInput(BaseModel):
    part_number: str | None = Field(default=None, description="Part number as typed, e.g. 'GAA26800LC1'.")
    part_id: uuid.UUID | None = Field(default=None, description="Catalog part id (instead of part_number).")
    part_manufacturer: str | None = Field(default=None, description="Part manufacturer if the number is ambiguous.")
    equipment_id: uuid.UUID | None = Field(default=None, description="Installed equipment id (a unit the "
                                           "caller's organization services).")
    equipment_manufacturer: str | None = Field(default=None, description="Equipment maker, e.g. 'Otis'.")
    equipment_model: str | None = Field(default=None, description="Equipment model, e.g. 'Gen2' or '48TC'.")

    @model_validator(mode="after")
    def _one_of_each(self) -> CheckCompatibilityInput:
        if not self.part_number and self.part_id is None:
            raise ValueError("give part_number or part_id")
        if self.equipment_id is None and not self.equipment_model:
            raise ValueError("give equipment_id, or equipment_model (with equipment_manufacturer)")
        return self


class CompatibleAlternative(BaseModel):
    part_id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    msrp: Decimal | None
    reason: str


class CheckCompatibilityOutput(BaseModel):
    part_id: uuid.UUID
    part_number: str
    part_manufacturer: str
    part_name: str
    equipment: str = Field(description="The equipment checked, e.g. 'Otis Gen2 (Car 2 at Union Station)'")
    equipment_model_id: uuid.UUID | None
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)
    verdict_source: Literal["catalog", "supersession", "specifications", "ai", "none"]
    explanation: str
    evidence: list[str]
    warnings: list[str]
    alternatives: list[CompatibleAlternative]


@dataclass
class Target:
    model_id: uuid.UUID | None
    manufacturer: str
    model: str
    trade: str | None
    aliases: list[str]
    model_specs: dict[str, Any]
    unit_specs: dict[str, Any] = field(default_factory=dict)
    label: str = ""


_EQUIPMENT_SQL = text(
    "SELECT e.id, e.organization_id, e.manufacturer, e.model, e.site_name, e.serial_number, e.specifications, "
    "e.equipment_model_id, em.trade, em.aliases, em.specifications AS model_specs, em.manufacturer AS m_maker, "
    "em.model AS m_model FROM equipment e LEFT JOIN equipment_models em ON em.id = e.equipment_model_id "
    "WHERE e.id = :id"
)


def _target_from_equipment(ctx: ToolContext, equipment_id: uuid.UUID) -> Target:
    row = ctx.session.execute(_EQUIPMENT_SQL, {"id": equipment_id}).one_or_none()
    if row is None:
        raise ToolFailed("not_found", f"No installed equipment has id {equipment_id}.",
                         hint="Ask for the unit's manufacturer and model instead.")
    if row.organization_id != ctx.caller.organization_id:
        raise ToolFailed("forbidden", "That equipment is not serviced by your organization.",
                         hint="Check by manufacturer and model instead.")
    serial = f", s/n {row.serial_number}" if row.serial_number else ""
    label = f"{row.manufacturer} {row.model} ({row.site_name}{serial})"
    return Target(row.equipment_model_id, row.m_maker or row.manufacturer, row.m_model or row.model, row.trade,
                  list(row.aliases or []), dict(row.model_specs or {}), dict(row.specifications or {}), label)


def _target_from_model(ctx: ToolContext, manufacturer: str | None, model: str) -> Target:
    refs = load_vocabulary(ctx.engine).resolve_model(model)
    wanted = canonical_manufacturer(manufacturer)
    if wanted:
        refs = [r for r in refs if r.manufacturer.lower() == wanted] or []
    if not refs:
        raise ToolFailed("not_found", f"No equipment model {((manufacturer or '') + ' ' + model).strip()!r} "
                         "is known to the catalog.", hint="Check the model on the nameplate, e.g. 'Gen2', '48TC'.")
    if len({r.id for r in refs}) > 1:
        makers = ", ".join(sorted({f"{r.manufacturer} {r.model}" for r in refs}))
        raise ToolFailed("invalid", f"Model {model!r} is ambiguous: {makers}.",
                         hint="Call again with equipment_manufacturer set.")
    row = ctx.session.execute(text("SELECT id, manufacturer, model, trade, aliases, specifications "
                                   "FROM equipment_models WHERE id = :id"), {"id": refs[0].id}).one()
    return Target(row.id, row.manufacturer, row.model, row.trade, list(row.aliases or []),
                  dict(row.specifications or {}), {}, f"{row.manufacturer} {row.model}")


def _alternatives(session: Session, part: CatalogPart, target: Target, current: CatalogPart | None,
                  current_note: str | None) -> list[CompatibleAlternative]:
    found: list[CompatibleAlternative] = []
    if current is not None and current_note:
        found.append(CompatibleAlternative(part_id=current.id, part_number=current.part_number,
                                           manufacturer=current.manufacturer, name=current.name,
                                           msrp=current.msrp, reason=current_note))
    if target.model_id is None:
        return found
    rows = session.execute(text(
        "SELECT p.id, p.part_number, p.manufacturer, p.name, p.msrp, pc.fit, "
        "(p.subcategory IS NOT DISTINCT FROM :sub) AS same_kind FROM parts_catalog p "
        "JOIN part_compatibility pc ON pc.part_id = p.id WHERE pc.equipment_model_id = :m AND p.category = :c "
        "AND p.id <> ALL(:skip) AND NOT p.is_discontinued "
        "AND NOT EXISTS (SELECT 1 FROM part_supersessions s WHERE s.old_part_id = p.id) "
        "ORDER BY (p.subcategory IS NOT DISTINCT FROM :sub) DESC, (pc.fit = 'direct') DESC, p.msrp NULLS LAST "
        "LIMIT 5"
    ), {"m": target.model_id, "c": part.category, "sub": part.subcategory,
        "skip": [part.id] + [a.part_id for a in found]}).all()
    # Same kind of part first (a door operator for a door operator); the wider category only if none.
    same_kind = [r for r in rows if r.same_kind]
    for r in same_kind or rows:
        found.append(CompatibleAlternative(
            part_id=r.id, part_number=r.part_number, manufacturer=r.manufacturer, name=r.name, msrp=r.msrp,
            reason=f"catalog compatibility row for {target.manufacturer} {target.model} (fit={r.fit})"))
    return found


@tool(ToolKind.READ)
def check_compatibility(ctx: ToolContext, args: CheckCompatibilityInput) -> CheckCompatibilityOutput:
    """Check whether a part fits a piece of equipment, and with what confidence and evidence.

    Looks at the catalog's compatibility rows, the part's supersession chain (a newer replacement of a
    fitting part fits when drop-in or one-way; an older part only fits back across drop-in hops),
    manufacturer-level fit, and specifications both sides state (voltage, phase, refrigerant …). Returns
    verdict compatible / incompatible / unknown, confidence 0-1, the evidence, warnings, and compatible
    alternatives (the current replacement and other catalog parts of the same category that fit).

    Args:
        part_number: The part, e.g. "GAA26800LC1" (or part_id from an earlier result).
        part_manufacturer: Optional, to disambiguate a number several makers use.
        equipment_id: An installed unit of the caller's organization (from its equipment records), or
        equipment_manufacturer + equipment_model: e.g. "Otis" + "Gen2", "Carrier" + "48TC".

    Do NOT use this to find parts for a unit from a description (use search_parts with compatible_with)
    or to find stock (find_inventory). "unknown" means no record either way: say so, don't guess.
    """
    part = resolve_part(ctx.session, part_number=args.part_number, part_id=args.part_id,
                        manufacturer=args.part_manufacturer, org_id=ctx.caller.organization_id)
    if args.equipment_id is not None:
        target = _target_from_equipment(ctx, args.equipment_id)
    else:
        target = _target_from_model(ctx, args.equipment_manufacturer, args.equipment_model or "")
    ev = Evidence()
    catalog_evidence(ctx.session, part, target.model_id, target.manufacturer, target.model, target.trade,
                     target.aliases, ev)
    older, newer = supersession_hops(ctx.session, part.id)
    current, current_note = supersession_evidence(ctx.session, part, older, newer, target.model_id,
                                                  f"{target.manufacturer} {target.model}", ev)
    for check in compare_specs(part.specifications, target.unit_specs):
        ev.spec(check, "this unit's", unit_level=True)
    unit_keys = set(target.unit_specs)
    for check in compare_specs(part.specifications, target.model_specs):
        if check.key not in unit_keys:
            ev.spec(check, f"the {target.model} model's", unit_level=False)
    verdict, confidence, source, explanation = ev.decide(part.part_number, target.label)
    if verdict == "unknown" and (reasoner := current_reasoner()) is not None:
        opinion = reasoner({"part": {"number": part.part_number, "manufacturer": part.manufacturer,
                                     "name": part.name, "specifications": part.specifications,
                                     "compatible_equipment": part.compatible_equipment[:20]},
                            "equipment": {"manufacturer": target.manufacturer, "model": target.model,
                                          "specifications": {**target.model_specs, **target.unit_specs}},
                            "evidence": ev.lines})
        if opinion is not None:
            verdict = "compatible" if opinion.compatible else "incompatible"
            confidence, source = min(opinion.confidence, 0.6), "ai"
            explanation = f"AI judgement from specifications (no catalog record): {opinion.reasoning}"
            ev.warnings.append("This verdict is an AI judgement, not a catalog record: verify before installing.")
            ev.warnings.extend(opinion.warnings)
    return CheckCompatibilityOutput(
        part_id=part.id, part_number=part.part_number, part_manufacturer=part.manufacturer, part_name=part.name,
        equipment=target.label, equipment_model_id=target.model_id, verdict=verdict,
        confidence=round(confidence, 2), verdict_source=source, explanation=explanation, evidence=ev.lines,
        warnings=ev.warnings,
        alternatives=_alternatives(ctx.session, part, target, current, current_note),
    )
