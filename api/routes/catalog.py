"""Catalog search under /api/v1/parts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import EngineDep
from knowledge.search import MAX_QUERY_CHARS, SearchFilters, SearchQueryError, SearchResponse, search_parts

router = APIRouter(prefix="/api/v1/parts", tags=["parts"])


@router.get("/catalog/search", response_model=SearchResponse)
async def search_catalog(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Part number or description")],
    manufacturer: str | None = None,
    category: str | None = None,
    trade: str | None = None,
    compatible_with: Annotated[str | None, Query(description="Equipment model, e.g. Gen2")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResponse:
    """Hybrid search of the parts catalog (part numbers with typos, superseded numbers, descriptions)."""
    filters = SearchFilters(manufacturer=manufacturer, category=category, trade=trade, compatible_with=compatible_with)
    try:
        return await run_in_threadpool(search_parts, engine, q, limit=limit, filters=filters)
    except SearchQueryError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
