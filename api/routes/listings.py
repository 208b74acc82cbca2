"""Marketplace listings under /api/v1/marketplace/listings: create, search, detail, update, publish, cancel."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageParams, page_dependency
from api.tooling import run_tool, serves
from tools.listings import (
    Condition,
    CreateListingInput,
    CreateListingOutput,
    ListingChangeOutput,
    ListingChanges,
    ListingDetail,
    ListingHit,
    SearchListingsOutput,
    UpdateListingInput,
    UpdateListingOutput,
)
from tools.terms import PartCategory

router = APIRouter(prefix="/api/v1/marketplace/listings", tags=["listings"], responses=ERROR_RESPONSES)

MAX_LISTING_PAGE = 50
ListingPageDep = Annotated[PageParams, page_dependency(MAX_LISTING_PAGE)]
KM_PER_MILE = 1.609344
DEFAULT_RADIUS_MILES = 100


class ListingSearchResponse(Page[ListingHit]):
    distance_from: str | None = Field(description="Where distance_km is measured from")
    message: str | None = None


@router.post("", response_model=CreateListingOutput, status_code=201, openapi_extra=serves("create_listing"))
def create_listing(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                   listing: CreateListingInput) -> CreateListingOutput:
    """Create a draft listing (sellers and parts managers); without a price, a suggested price comes back."""
    return run_tool(engine, caller, "create_listing", listing, CreateListingOutput, key)


@router.get("", response_model=ListingSearchResponse, openapi_extra=serves("search_listings"))
def search_listings(
    engine: EngineDep,
    caller: CallerDep,
    paging: ListingPageDep,
    q: Annotated[str | None, Query(max_length=500, description="Part number, words or a model")] = None,
    part_number: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
    listing_type: Literal["sale", "trade", "auction", "emergency"] | None = None,
    category: PartCategory | None = None,
    manufacturer: Annotated[str | None, Query(max_length=100)] = None,
    condition: Annotated[list[Condition] | None, Query()] = None,
    min_price: Annotated[Decimal | None, Query(ge=0, max_digits=10, decimal_places=2)] = None,
    max_price: Annotated[Decimal | None, Query(gt=0, max_digits=12, decimal_places=2)] = None,
    near_lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    near_lng: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_miles: Annotated[float | None, Query(gt=0, le=3000, description="Default 100 with near_lat/lng; "
                                                "without them it is measured from your base")] = None,
    emergency_only: bool = False,
    compatible_with: Annotated[str | None, Query(max_length=100, description="Equipment model, e.g. Gen2")] = None,
    mine: Annotated[bool, Query(description="Your organization's own listings in every status")] = False,
    sort_by: Literal["relevance", "price_low", "price_high", "distance", "newest", "ending_soon"] = "relevance",
) -> ListingSearchResponse:
    """Search listings you may see (visibility and status enforced), best match first, then nearest."""
    if radius_miles is None and near_lat is not None:
        radius_miles = DEFAULT_RADIUS_MILES
    found = run_tool(engine, caller, "search_listings", {
        "query": q, "part_number": part_number, "listing_type": listing_type, "category": category,
        "manufacturer": manufacturer, "condition": condition, "min_price": min_price, "max_price": max_price,
        "lat": near_lat, "lng": near_lng, "within_km": radius_miles * KM_PER_MILE if radius_miles else None,
        "emergency_only": emergency_only, "compatible_with": compatible_with, "mine_only": mine,
        "sort_by": sort_by, "limit": paging.page_size + 1, "offset": paging.offset}, SearchListingsOutput)
    return ListingSearchResponse(
        items=found.results[:paging.page_size], page=paging.page, page_size=paging.page_size,
        has_more=len(found.results) > paging.page_size, distance_from=found.distance_from, message=found.message)


@router.get("/{listing_id}", response_model=ListingDetail, openapi_extra=serves("get_listing"))
def get_listing(engine: EngineDep, caller: CallerDep, listing_id: uuid.UUID) -> ListingDetail:
    """A listing's details, seller rating and auction state; 404 for listings you may not see."""
    return run_tool(engine, caller, "get_listing", {"listing_id": listing_id}, ListingDetail)


@router.patch("/{listing_id}", response_model=UpdateListingOutput, openapi_extra=serves("update_listing"))
def update_listing(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, listing_id: uuid.UUID,
                   updates: ListingChanges) -> UpdateListingOutput:
    """Change your organization's listing; unset fields stay as they are."""
    args = UpdateListingInput(**updates.model_dump(exclude_unset=True), listing_id=listing_id)
    return run_tool(engine, caller, "update_listing", args, UpdateListingOutput, key)


@router.post("/{listing_id}/publish", response_model=ListingChangeOutput, openapi_extra=serves("publish_listing"))
def publish_listing(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                    listing_id: uuid.UUID) -> ListingChangeOutput:
    """Publish a draft listing of your organization (it must have everything a buyer needs)."""
    return run_tool(engine, caller, "publish_listing", {"listing_id": listing_id}, ListingChangeOutput, key)


@router.delete("/{listing_id}", response_model=ListingChangeOutput, openapi_extra=serves("cancel_listing"))
def cancel_listing(
    engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, listing_id: uuid.UUID,
    reason: Annotated[str | None, Query(max_length=500, description="Shown to buyers whose offers close")] = None,
) -> ListingChangeOutput:
    """Cancel your organization's listing; its open offers close."""
    return run_tool(engine, caller, "cancel_listing", {"listing_id": listing_id, "reason": reason},
                    ListingChangeOutput, key)
