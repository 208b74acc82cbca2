"""The parts catalog under /api/v1/parts/catalog: search, lookup, photo identification, part detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from api.schemas import PageDep
from api.tooling import run_tool
from knowledge.models import PartCategory, Trade
from knowledge.search import MAX_QUERY_CHARS, SearchHit
from tools.catalog import SearchPartsOutput

router = APIRouter(prefix="/api/v1/parts/catalog", tags=["catalog"], responses=ERROR_RESPONSES)

SEARCH_WINDOW = 50  # the search tool ranks at most this many parts; pages reach that far


class PartSearchResponse(BaseModel):
    query: str
    items: list[SearchHit] = Field(description="Best first; a superseded hit is followed by its replacement")
    page: int
    page_size: int
    has_more: bool
    detected_equipment: list[str]
    detected_manufacturers: list[str]
    message: str | None = None


@router.get("/search", response_model=PartSearchResponse)
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
    """Hybrid search of the parts catalog (part numbers with typos, superseded numbers, descriptions)."""
    limit = min(paging.end + 1, SEARCH_WINDOW)
    found = run_tool(engine, caller, "search_parts", {
        "query": q, "limit": limit, "manufacturer": manufacturer, "category": category, "trade": trade,
        "compatible_with": compatible_with}, SearchPartsOutput)
    window = found.results[paging.offset:paging.end]
    return PartSearchResponse(
        query=found.query, items=window, page=paging.page, page_size=paging.page_size,
        has_more=len(found.results) > paging.end, detected_equipment=found.detected_equipment,
        detected_manufacturers=found.detected_manufacturers, message=found.message)
