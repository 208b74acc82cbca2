"""Auction bids and the watchlist under /api/v1/marketplace."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.auctions import ListBidsOutput, PlaceBidOutput
from tools.listings import ListWatchlistOutput, Money, WatchedListing, WatchListingOutput

router = APIRouter(prefix="/api/v1/marketplace", tags=["auctions and watchlist"], responses=ERROR_RESPONSES)


class BidCreate(BaseModel):
    max_bid: Money = Field(description="The most you will pay for the lot in USD; the proxy bids only what it takes")


@router.post("/listings/{listing_id}/bid", response_model=PlaceBidOutput, openapi_extra=serves("place_bid"))
def place_bid(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, listing_id: uuid.UUID,
              bid: BidCreate) -> PlaceBidOutput:
    """Bid on an auction with a maximum (proxy) bid."""
    return run_tool(engine, caller, "place_bid", {"listing_id": listing_id, "max_bid": bid.max_bid},
                    PlaceBidOutput, key)


@router.get("/listings/{listing_id}/bids", response_model=ListBidsOutput, openapi_extra=serves("list_bids"))
def auction_bids(engine: EngineDep, caller: CallerDep, listing_id: uuid.UUID,
                 limit: Annotated[int, Query(ge=1, le=200)] = 50) -> ListBidsOutput:
    """Bid history of an auction, newest first; other bidders anonymous, their maxima secret."""
    return run_tool(engine, caller, "list_bids", {"listing_id": listing_id, "limit": limit}, ListBidsOutput)


@router.post("/listings/{listing_id}/watch", response_model=WatchListingOutput, openapi_extra=serves("watch_listing"))
def watch_listing(
    engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, listing_id: uuid.UUID,
    price_alert: Annotated[Money | None, Query(description="Alert at or below this USD price")] = None,
    notes: Annotated[str | None, Query(max_length=500)] = None,
) -> WatchListingOutput:
    """Watch a listing (again: updates the alert)."""
    return run_tool(engine, caller, "watch_listing", {"listing_id": listing_id, "price_alert_threshold": price_alert,
                                                      "notes": notes}, WatchListingOutput, key)


@router.delete("/listings/{listing_id}/watch", response_model=WatchListingOutput, openapi_extra=serves("watch_listing"))
def unwatch_listing(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                    listing_id: uuid.UUID) -> WatchListingOutput:
    """Stop watching a listing."""
    return run_tool(engine, caller, "watch_listing", {"listing_id": listing_id, "remove": True},
                    WatchListingOutput, key)


@router.get("/watchlist", response_model=Page[WatchedListing], openapi_extra=serves("list_watchlist"))
def watchlist(engine: EngineDep, caller: CallerDep, paging: PageDep) -> Page[WatchedListing]:
    """Your watchlist, most recent first, with alerts reached."""
    found = run_tool(engine, caller, "list_watchlist", {"limit": paging.page_size, "offset": paging.offset},
                     ListWatchlistOutput)
    return paginate(found.items, paging, found.total)
