"""Input models of the listing tools and the value types all marketplace tools share."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from tools.listings.detail import ListingDetail
from tools.listings.marketplace import ListingSummary

Condition = Literal["new", "refurbished", "used_excellent", "used_good", "used_fair", "salvage", "for_parts"]
Visibility = Literal["internal", "network", "industry", "public"]
Fulfillment = Literal["shipping", "local_pickup", "will_call", "emergency_delivery"]
SellableType = Literal["sale", "trade", "auction", "emergency"]
Money = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
MoneyOrZero = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
PartNumberText = Annotated[str, Field(min_length=2, max_length=100)]
MAX_LISTING_PHOTOS = 10


class SearchListingsInput(BaseModel):
    query: str | None = Field(None, max_length=500, description="What to look for: a part number, words or a "
                              "model, e.g. 'GAA26800LC1' or 'door operator Otis Gen2'. Optional with filters.")
    part_number: PartNumberText | None = Field(None, description="A part number; listings of parts that supersede "
                                               "it or that it replaced (drop-in) match too.")
    listing_type: SellableType | None = None
    condition: list[Condition] | None = Field(None, description="Accept only these conditions.")
    max_price: Money | None = Field(None, description="Highest unit price (or current bid) in USD.")
    min_price: MoneyOrZero | None = Field(None, description="Lowest unit price (or current bid) in USD.")
    manufacturer: str | None = Field(None, max_length=100, description="Only parts of this maker, e.g. 'Otis'.")
    category: str | None = Field(None, max_length=50, description="Only this part category, e.g. 'hvac_valve'.")
    emergency_only: bool = Field(False, description="Only listings offering same-day / emergency fulfilment.")
    compatible_with: str | None = Field(None, max_length=100, description="Equipment model it must fit, e.g. 'Gen2'.")
    within_km: float | None = Field(None, gt=0, le=5000, description="Radius in km around lat/lng or your base.")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    mine_only: bool = Field(False, description="Your own organization's listings in every status instead of the "
                            "market (for sellers managing drafts and sold listings).")
    sort_by: Literal["relevance", "price_low", "price_high", "distance", "newest", "ending_soon"] = Field(
        "relevance", description="Order of results; ties keep the relevance order.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000, description="Skip this many results (paging).")


class CreateListingInput(BaseModel):
    listing_type: SellableType = Field(description="sale, trade, auction or emergency (same-day pickup).")
    part_number: PartNumberText | None = Field(None, description="Required unless inventory_item_id is given.")
    manufacturer: str | None = Field(None, max_length=100)
    condition: Condition | None = Field(None, description="Required unless inventory_item_id is given.")
    quantity: int = Field(1, ge=1, le=100_000)
    price: Money | None = Field(None, description="Unit price in USD (sale/emergency; optional for trade). "
                                "Leave empty to get a suggested price back.")
    price_negotiable: bool = True
    minimum_order_quantity: int = Field(1, ge=1)
    name: str | None = Field(None, max_length=255, description="Defaults to the catalog name.")
    description: str | None = Field(None, max_length=4000)
    category: str | None = Field(None, description="Part category (e.g. hvac_valve); needed for uncatalogued parts.")
    visibility: Visibility = Field("industry", description="internal (own org), network (partners), industry "
                                   "(same trade), public.")
    inventory_item_id: uuid.UUID | None = Field(None, description="Your organization's stock this listing sells.")
    stock_location_id: uuid.UUID | None = Field(None, description="Pickup location; default the stock's location "
                                                "or your main warehouse.")
    fulfillment_options: list[Fulfillment] | None = None
    shipping_cost: MoneyOrZero | None = None
    estimated_shipping_days: int | None = Field(None, ge=0, le=90)
    emergency_available: bool = False
    emergency_premium: MoneyOrZero | None = None
    accepts_trade: bool = False
    trade_for: list[str] = Field(default_factory=list, max_length=20, description="Part numbers you would take.")
    starting_bid: Money | None = None
    bid_increment: Money | None = None
    reserve_price: Money | None = Field(None, description="Secret minimum for auctions.")
    auction_end: datetime | None = Field(None, description="ISO 8601 with timezone, e.g. 2026-12-01T17:00:00Z.")
    warranty_days: int = Field(0, ge=0, le=3650)
    return_policy: str | None = Field(None, max_length=1000)
    compatible_equipment: list[str] | None = Field(None, max_length=50)
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LISTING_PHOTOS, description=(
        "Photos to show on the listing, in order: ids of photos you (or your organization) sent earlier in the "
        "conversation, e.g. a picture of the part or its label."))


class ListingChanges(BaseModel):
    """The fields of a listing its organization may change; unset fields stay as they are."""

    price: Money | None = Field(None, description="New unit price in USD (not for auctions).")
    quantity: int | None = Field(None, ge=1, le=100_000, description="Units still for sale; to stop selling use "
                                 "cancel_listing.")
    minimum_order_quantity: int | None = Field(None, ge=1)
    name: str | None = Field(None, min_length=2, max_length=255)
    description: str | None = Field(None, min_length=1, max_length=4000)
    condition: Condition | None = None
    visibility: Visibility | None = None
    price_negotiable: bool | None = None
    accepts_trade: bool | None = None
    trade_for: list[str] | None = Field(None, max_length=20)
    fulfillment_options: list[Fulfillment] | None = Field(None, min_length=1)
    shipping_cost: MoneyOrZero | None = None
    estimated_shipping_days: int | None = Field(None, ge=0, le=90)
    emergency_available: bool | None = None
    emergency_premium: MoneyOrZero | None = None
    warranty_days: int | None = Field(None, ge=0, le=3650)
    return_policy: str | None = Field(None, max_length=1000)
    starting_bid: Money | None = Field(None, description="Auctions without bids only.")
    reserve_price: Money | None = Field(None, description="Auctions without bids only.")
    auction_end: datetime | None = Field(None, description="Auctions without bids only; ISO 8601 with timezone.")


class UpdateListingInput(ListingChanges):
    listing_id: uuid.UUID

    def changes(self) -> dict[str, object]:
        return {k: v for k, v in self.model_dump(exclude={"listing_id"}, exclude_none=True).items()}


class CancelListingInput(BaseModel):
    listing_id: uuid.UUID
    reason: str | None = Field(None, max_length=500, description="Shown to buyers whose open offers are closed.")


class ListingHit(ListingSummary):
    relevance: float
    match: str = Field(description="Why it matched: exact part number, a supersession chain, text or meaning.")


class SearchListingsOutput(BaseModel):
    results: list[ListingHit]
    distance_from: str | None = Field(description="Where distance_km is measured from.")
    message: str | None = None


class CreateListingOutput(BaseModel):
    listing: ListingSummary
    photo_ids: list[uuid.UUID] = Field(default_factory=list, description="Photos attached, in order.")
    catalog_part_id: uuid.UUID | None
    suggested_price: Decimal | None
    price_range: tuple[Decimal, Decimal] | None
    price_reasoning: str
    ready_to_publish: bool
    missing_before_publish: list[str]
    message: str


class ListingIdInput(BaseModel):
    listing_id: uuid.UUID


class ListingChangeOutput(BaseModel):
    listing: ListingDetail
    message: str


class UpdateListingOutput(ListingChangeOutput):
    changed: list[str]
    price_alerts_triggered: int = Field(description="Watchers whose price alert the new price reaches.")
