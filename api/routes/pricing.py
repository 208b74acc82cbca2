"""Price intelligence: is a price fair, what to ask, how a market moves."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from api.tooling import run_tool, serves
from tools.pricing import AssessPriceOutput, MarketInsightsOutput, SuggestPriceOutput
from tools.terms import PartCategory, PartCondition

router = APIRouter(prefix="/api/v1/marketplace", tags=["pricing"], responses=ERROR_RESPONSES)

PartNumberQuery = Annotated[str | None, Query(min_length=1, max_length=100, description="e.g. GAA26800LC1")]


@router.get("/price-assessment", response_model=AssessPriceOutput, openapi_extra=serves("assess_price"))
def assess_price(
    engine: EngineDep,
    caller: CallerDep,
    listing_id: Annotated[uuid.UUID | None, Query(description="A listing to assess …")] = None,
    part_number: PartNumberQuery = None,
    part_id: uuid.UUID | None = None,
    manufacturer: Annotated[str | None, Query(max_length=100)] = None,
    condition: PartCondition | None = None,
    price: Annotated[Decimal | None, Query(gt=0, max_digits=12, decimal_places=2,
                                           description="… or a quoted unit price in USD")] = None,
) -> AssessPriceOutput:
    """Fair-price verdict for a listing, or for a quoted part number + condition + price, with comparables."""
    return run_tool(engine, caller, "assess_price", {
        "listing_id": listing_id, "part_number": part_number, "part_id": part_id, "manufacturer": manufacturer,
        "condition": condition, "price": price}, AssessPriceOutput)


@router.get("/price-suggestion", response_model=SuggestPriceOutput, openapi_extra=serves("suggest_price"))
def suggest_price(
    engine: EngineDep, caller: CallerDep, condition: PartCondition, part_number: PartNumberQuery = None,
    part_id: uuid.UUID | None = None, manufacturer: Annotated[str | None, Query(max_length=100)] = None,
) -> SuggestPriceOutput:
    """A price to ask for a part in a condition, with the range and the reasoning."""
    return run_tool(engine, caller, "suggest_price", {
        "part_number": part_number, "part_id": part_id, "manufacturer": manufacturer, "condition": condition},
        SuggestPriceOutput)


@router.get("/market-insights", response_model=MarketInsightsOutput, openapi_extra=serves("market_insights"))
def market_insights(
    engine: EngineDep, caller: CallerDep, category: PartCategory | None = None,
    manufacturer: Annotated[str | None, Query(max_length=100)] = None, part_number: PartNumberQuery = None,
) -> MarketInsightsOutput:
    """Demand, supply and price trends for a category, a manufacturer or one part."""
    return run_tool(engine, caller, "market_insights", {
        "category": category, "manufacturer": manufacturer, "part_number": part_number}, MarketInsightsOutput)
