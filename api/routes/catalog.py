"""The parts catalog under /api/v1/parts/catalog: search, lookup, photo identification, part detail."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from pydantic import BaseModel, Field

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES, ToolFailureError
from api.schemas import PageDep
from api.tooling import run_tool, serves
from tools.catalog import (
    MAX_QUERY_CHARS,
    CheckCompatibilityInput,
    CheckCompatibilityOutput,
    LookupPartOutput,
    PartDetail,
    SearchHit,
    SearchPartsOutput,
)
from tools.photos import MAX_BYTES, IdentifyPartFromPhotoOutput, PhotoRejected, save_photo
from tools.results import ToolFailure
from tools.terms import PartCategory, Trade

router = APIRouter(prefix="/api/v1/parts/catalog", tags=["catalog"], responses=ERROR_RESPONSES)

SEARCH_WINDOW = 50  # the search tool ranks at most this many parts; pages reach that far


class PartSearchResponse(BaseModel):
    query: str
    items: list[SearchHit] = Field(description="Best first; a superseded hit is followed by its replacement")
    page: int
    page_size: int
    total: int = Field(description=f"Hits the search ranked, counted up to the search window ({SEARCH_WINDOW}): "
                       "pages reach that far")
    total_capped: bool = Field(description=f"The window is full: more parts may match than `total` ({SEARCH_WINDOW})")
    has_more: bool
    detected_equipment: list[str]
    detected_manufacturers: list[str]
    message: str | None = None


@router.get("/search", response_model=PartSearchResponse, openapi_extra=serves("search_parts"))
def search_catalog(
    engine: EngineDep,
    caller: CallerDep,
    paging: PageDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Part number or description")],
    manufacturer: Annotated[str | None, Query(max_length=100)] = None,
    category: PartCategory | None = None,
    trade: Trade | None = None,
    compatible_with: Annotated[str | None, Query(max_length=100, description="Equipment model, e.g. Gen2")] = None,
) -> PartSearchResponse:
    """Hybrid search of the parts catalog (part numbers with typos, superseded numbers, descriptions). `total`
    counts the ranked hits up to the search window, so every page of one query slices the same ranking."""
    found = run_tool(engine, caller, "search_parts", {
        "query": q, "limit": SEARCH_WINDOW, "manufacturer": manufacturer, "category": category, "trade": trade,
        "compatible_with": compatible_with}, SearchPartsOutput)
    window = found.results[paging.offset:paging.end]
    total = len(found.results)
    return PartSearchResponse(
        query=found.query, items=window, page=paging.page, page_size=paging.page_size, total=total,
        total_capped=total >= SEARCH_WINDOW, has_more=total > paging.end, detected_equipment=found.detected_equipment,
        detected_manufacturers=found.detected_manufacturers, message=found.message)


@router.get("/lookup", response_model=LookupPartOutput, openapi_extra=serves("lookup_part"))
def lookup_part(
    engine: EngineDep,
    caller: CallerDep,
    part_number: Annotated[str, Query(min_length=1, max_length=100, description="e.g. GAA 26800 LC1")],
    manufacturer: Annotated[str | None, Query(max_length=100)] = None,
) -> LookupPartOutput:
    """Resolve a part number (typos, OCR look-alikes, superseded numbers) to catalog parts with their chains."""
    return run_tool(engine, caller, "lookup_part", {"part_number": part_number, "manufacturer": manufacturer},
                    LookupPartOutput)


@router.get("/compatibility", response_model=CheckCompatibilityOutput, openapi_extra=serves("check_compatibility"))
def check_compatibility(engine: EngineDep, caller: CallerDep,
                        question: Annotated[CheckCompatibilityInput, Query()]) -> CheckCompatibilityOutput:
    """Does a part fit a piece of equipment (a model, or a unit your organization services)? Follows the
    part's supersession chain and says on what evidence."""
    return run_tool(engine, caller, "check_compatibility", question, CheckCompatibilityOutput)


class PartIdentification(IdentifyPartFromPhotoOutput):
    photo_id: str = Field(description="The stored photo; pass it to the chat API to talk about this part")


@router.post("/identify", response_model=PartIdentification, openapi_extra=serves("identify_part_from_photo"))
def identify_part(
    engine: EngineDep,
    caller: CallerDep,
    image: Annotated[UploadFile, File(description="JPEG, PNG or WebP photo of a nameplate or label, ≤ 10 MB")],
    context: Annotated[str | None, Form(max_length=500, description="What the user said about it")] = None,
) -> PartIdentification:
    """Identify a part from a nameplate photo: candidates with confidence and evidence, never a silent pick."""
    data = image.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ToolFailureError(ToolFailure(error="rejected_input", message="The photo is larger than 10 MB."))
    try:
        photo_id = save_photo(engine, caller, data, source="api")
    except PhotoRejected as exc:
        raise ToolFailureError(ToolFailure(error="rejected_input", message=str(exc),
                                           hint="Send a JPEG or PNG photo under 10 MB.")) from None
    found = run_tool(engine, caller, "identify_part_from_photo", {"photo_id": photo_id, "context": context},
                     IdentifyPartFromPhotoOutput)
    return PartIdentification(**found.model_dump(), photo_id=photo_id)


@router.get("/{part_id}", response_model=PartDetail, openapi_extra=serves("get_part"))
def get_part(engine: EngineDep, caller: CallerDep, part_id: uuid.UUID) -> PartDetail:
    """A catalog part with specifications, the equipment it fits, its supersession chain and alternatives."""
    return run_tool(engine, caller, "get_part", {"part_id": part_id}, PartDetail)
