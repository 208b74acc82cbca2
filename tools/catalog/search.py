"""Catalog tools: hybrid part search and part-number lookup with supersession chains."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import text

from knowledge.models import PartCategory, Trade
from knowledge.search import MAX_QUERY_CHARS as MAX_QUERY_CHARS  # the REST query cap says the same
from knowledge.search import SearchFilters, SearchHit, SearchQueryError
from knowledge.search import search_parts as hybrid_search
from tools.catalog.parts import match_part_number
from tools.catalog.supersession import ChainHop, supersession_hops
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed


class SearchPartsInput(BaseModel):
    query: str = Field(description="What the technician typed: a part number, a description, or both. "
                       "Example: 'door operator motor Otis Gen2'.")
    limit: int = Field(default=10, ge=1, le=50, description="Maximum results (1-50).")
    trade: Trade | None = Field(default=None, description="Only parts of this trade.")
    category: PartCategory | None = Field(default=None, description="Only parts of this category.")
    manufacturer: str | None = Field(default=None, description="Only parts made by this manufacturer, e.g. 'Otis'.")
    compatible_with: str | None = Field(default=None,
                                        description="Only parts that fit this equipment model, e.g. 'Gen2'.")


class SearchPartsOutput(BaseModel):
    query: str
    results: list[SearchHit] = Field(description="Best first. A superseded hit is followed by its current "
                                     "replacement (with `replaces` set): that is the part to order.")
    detected_equipment: list[str] = Field(default_factory=list)
    detected_manufacturers: list[str] = Field(default_factory=list)
    message: str | None = None


@tool(ToolKind.READ)
def search_parts(ctx: ToolContext, args: SearchPartsInput) -> SearchPartsOutput:
    """Search the parts catalog by description, part number, manufacturer or equipment model.

    Combines exact and near part-number matching, full-text and semantic search. Each hit has its part
    number, manufacturer, name, category, MSRP, which signals matched, and — when the part was superseded —
    the current replacement and the chain of numbers leading to it.

    Args:
        query: Free text, e.g. "KONE MonoSpace door operator board" or "gaa 26800 lc1".
        limit: Maximum number of results (default 10, at most 50).
        trade: elevator | hvac | electrical | medical | general.
        category: A catalog category such as "hvac_compressor" or "elevator_door".
        manufacturer: Part manufacturer, e.g. "Carrier".
        compatible_with: Equipment model the part must fit, e.g. "Gen2" or "48TC".

    Do NOT use this to confirm one specific part number (use lookup_part), to check fit with a particular
    unit (use check_compatibility) or to find stock (use find_inventory).
    """
    filters = SearchFilters(
        trade=args.trade.value if args.trade else None,
        category=args.category.value if args.category else None,
        manufacturer=args.manufacturer,
        compatible_with=args.compatible_with,
    )
    try:
        found = hybrid_search(ctx.engine, args.query, limit=args.limit + 10, filters=filters)
    except SearchQueryError as exc:
        raise ToolFailed("invalid", str(exc), hint="Ask for a part number or a short description.") from None
    # Catalog rows owned by an organization are its private entries: hide other organizations' ones.
    private = set(ctx.session.execute(text(
        "SELECT id FROM parts_catalog WHERE id = ANY(:ids) AND organization_id IS NOT NULL AND organization_id <> :org"
    ), {"ids": [h.part_id for h in found.results], "org": ctx.caller.organization_id}).scalars())
    results = [h for h in found.results if h.part_id not in private][: args.limit]
    message = found.message
    if not results and message is None:
        message = "No catalog part matched; try fewer words, the manufacturer, or the equipment model."
    return SearchPartsOutput(query=found.query, results=results, detected_equipment=found.detected_equipment,
                             detected_manufacturers=found.detected_manufacturers, message=message)


class LookupPartInput(BaseModel):
    part_number: str = Field(min_length=1, max_length=100,
                             description="The number as read or typed, any spacing/dashes, e.g. 'GAA 26800 LC1'.")
    manufacturer: str | None = Field(default=None, description="Part manufacturer if known, e.g. 'Otis'.")


class PartLookupMatch(BaseModel):
    part_id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    category: str
    trade: str
    msrp: Decimal | None
    lead_time_days: int | None
    is_discontinued: bool
    match_kind: str = Field(description="exact | ocr_normalized (look-alike characters such as O/0, I/1) | "
                            "listed_superseded_number | fuzzy (a near miss: confirm with the user)")
    confidence: float = Field(ge=0, le=1)
    manufacturer_matches: bool | None = None
    is_superseded: bool
    current_part_number: str = Field(description="The number to order today (end of the supersession chain)")
    current_part_id: uuid.UUID
    supersession_chain: list[ChainHop] = Field(
        description="Every hop, oldest first: 'older' hops are numbers this part replaced, 'newer' hops lead "
        "to the current part")
    note: str


class LookupPartOutput(BaseModel):
    query: str
    current_part_number: str | None = Field(description="Current number for the best match")
    matches: list[PartLookupMatch]


@tool(ToolKind.READ)
def lookup_part(ctx: ToolContext, args: LookupPartInput) -> LookupPartOutput:
    """Resolve one part number to catalog parts, including typos, OCR misreads and superseded numbers.

    Returns the matching catalog parts (best first) with how they matched and a confidence, whether each
    was superseded, the current part number to order, and the full supersession chain — every hop with
    its date, direction and interchangeability (drop_in: swaps both ways; one_way: the new part replaces
    the old but not back; requires_modification; kit).

    Args:
        part_number: As read from the nameplate or typed, e.g. "GAA26800LC1", "gaa-268.00 lc1", "0B5-L1S".
        manufacturer: Optional part manufacturer to prefer, e.g. "Otis".

    Do NOT use this for descriptions without a number (use search_parts). A `fuzzy` match is a guess:
    confirm it with the user before acting on it.
    """
    matches = match_part_number(ctx.session, args.part_number, args.manufacturer,
                                ctx.caller.organization_id)[:5]
    if not matches:
        raise ToolFailed("not_found", f"No catalog part matches {args.part_number!r}.",
                         hint="Check the number on the nameplate (a photo helps), or search_parts by description.")
    out: list[PartLookupMatch] = []
    for match in matches:
        part = match.part
        older, newer = supersession_hops(ctx.session, part.id)
        current_number = newer[-1].to_part_number if newer else part.part_number
        current_id = newer[-1].to_part_id if newer else part.id
        if newer:
            note = f"{part.part_number} is superseded; order {current_number} ({len(newer)} hop(s))."
        elif part.is_discontinued:
            note = f"{part.part_number} is discontinued with no listed replacement."
        else:
            note = f"{part.part_number} is current."
        if match.kind == "fuzzy":
            note = f"Near miss for {args.part_number!r}: confirm with the user. " + note
        out.append(PartLookupMatch(
            part_id=part.id, part_number=part.part_number, manufacturer=part.manufacturer, name=part.name,
            category=part.category, trade=part.trade, msrp=part.msrp, lead_time_days=part.lead_time_days,
            is_discontinued=part.is_discontinued, match_kind=match.kind, confidence=match.confidence,
            manufacturer_matches=match.manufacturer_matches, is_superseded=bool(newer),
            current_part_number=current_number, current_part_id=current_id,
            supersession_chain=older + newer, note=note,
        ))
    return LookupPartOutput(query=args.part_number, current_part_number=out[0].current_part_number, matches=out)
