"""What the marketplace tools share about listings: finding one the caller may see or manage, its status as of
now, the seller's name, and the summary shape of a listing.

Listing descriptions and buyer messages are written by other organizations: they are carried as data and no
rule here ever reads them for instructions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing
from tools.context import Caller
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.geo import distance_sql, origin_params
from tools.rules.roles import require_seller
from tools.rules.visibility import listing_visibility_sql

CLOSED_LISTING_STATUSES = frozenset({"sold", "traded", "cancelled", "expired"})


def listing_status_shown(status: str, is_auction: bool, auction_end: datetime | None, now: datetime) -> str:
    """What a listing's status is at `now`: an active auction past its end shows as "ended" (no more bids;
    the row keeps "active" until the clock settles it — sold to the high bidder or expired, auctions/closing.py)."""
    if status == "active" and is_auction and auction_end is not None and auction_end <= now:
        return "ended"
    return status


def live_listing_sql(alias: str) -> str:
    """SQL: the listing is open for business at :now (active, and not an auction past its end)."""
    return f"({alias}.status = 'active' AND NOT ({alias}.is_auction AND {alias}.auction_end <= :now))"


def org_name(session: Session, organization_id: uuid.UUID) -> str:
    name = session.execute(text("SELECT name FROM organizations WHERE id = :id"), {"id": organization_id}).scalar()
    return str(name) if name else "unknown organization"


def is_visible(session: Session, caller: Caller, listing_id: uuid.UUID) -> bool:
    params: dict[str, Any] = {"id": listing_id}
    predicate = listing_visibility_sql(caller, params, "l")
    sql = f"SELECT 1 FROM marketplace_listings l WHERE l.id = :id AND {predicate}"
    return session.execute(text(sql), params).scalar() is not None


def visible_listing(
    session: Session, caller: Caller, listing_id: uuid.UUID, *, lock: bool = False
) -> MarketplaceListing:
    """The listing if the caller may see it (row-locked when `lock`), else not_found — never "exists but hidden"."""
    listing = session.get(MarketplaceListing, listing_id, with_for_update=lock, populate_existing=lock)
    if listing is None or not is_visible(session, caller, listing_id):
        raise ToolFailed("not_found", f"No listing {listing_id} that you can see.",
                         hint="Use search_listings to find listings and their ids.")
    return listing


def managed_listing(session: Session, caller: Caller, listing_id: uuid.UUID, action: str) -> MarketplaceListing:
    """A row-locked listing of the caller's own organization that the caller's role may manage."""
    listing = visible_listing(session, caller, listing_id, lock=True)
    if listing.organization_id != caller.organization_id:
        raise ToolFailed("forbidden", f"This listing belongs to {org_name(session, listing.organization_id)}; "
                         f"only its own organization can {action}.")
    require_seller(caller, action)
    return listing


class ListingSummary(BaseModel):
    """One listing as search results and other tools show it."""

    id: uuid.UUID
    part_number: str
    manufacturer: str
    name: str
    condition: str
    quantity_available: int
    price: Decimal | None = Field(description="Unit price; None for trade-only listings and auctions.")
    currency: str = "USD"
    listing_type: str
    visibility: str
    status: str = Field(description="draft, active, ended (an auction past its end: no more bids), reserved, "
                        "sold, traded, expired or cancelled. Only active listings take offers or bids.")
    seller_organization: str
    is_own_listing: bool
    city: str
    distance_km: float | None = None
    fulfillment_options: list[str] = []
    emergency_available: bool = False
    starting_bid: Decimal | None = Field(None, description="The opening bid (auctions only).")
    current_bid: Decimal | None = Field(None, description="The highest bid so far (auctions with bids only).")
    auction_end: datetime | None = Field(None, description="When bidding closes (auctions only).")


def summary_of(row: Any, caller: Caller, distance_km: float | None = None,
               seller_organization: str | None = None) -> ListingSummary:
    """From a SQL row with a `seller_organization` column, or an ORM listing plus the seller's name."""
    return ListingSummary(
        id=row.id, part_number=row.part_number, manufacturer=row.manufacturer, name=row.name,
        condition=row.condition, quantity_available=row.quantity_available, price=row.price,
        currency=row.currency, listing_type=row.listing_type, visibility=row.visibility,
        status=listing_status_shown(row.status, row.is_auction, row.auction_end, utcnow()),
        seller_organization=seller_organization or row.seller_organization,
        is_own_listing=row.organization_id == caller.organization_id,
        city=row.city, distance_km=None if distance_km is None else round(float(distance_km), 1),
        fulfillment_options=list(row.fulfillment_options or []), emergency_available=row.emergency_available,
        starting_bid=row.starting_bid if row.is_auction else None,
        current_bid=row.current_bid if row.is_auction and row.bid_count else None,
        auction_end=row.auction_end if row.is_auction else None,
    )


def listing_summary(session: Session, caller: Caller, listing: MarketplaceListing) -> ListingSummary:
    params = {"id": listing.id, **origin_params(caller, None, None)}
    distance = session.execute(text(f"SELECT {distance_sql('l')} FROM marketplace_listings l WHERE l.id = :id"),
                               params).scalar()
    return summary_of(listing, caller, distance, org_name(session, listing.organization_id))


def listing_words(session: Session, caller: Caller, listing_id: uuid.UUID) -> str | None:
    """A short "GAA26800LC1 (Door operator) from Metro Salvage" for confirmation sentences; None for a listing
    the caller cannot see (nothing about it is told)."""
    if not is_visible(session, caller, listing_id):
        return None
    row = session.execute(text(
        "SELECT l.part_number, l.name, o.name AS org FROM marketplace_listings l "
        "JOIN organizations o ON o.id = l.organization_id WHERE l.id = :id"), {"id": listing_id}).one_or_none()
    return None if row is None else f"{row.part_number} ({row.name}) from {row.org}"


def describe_listing_for_summary(session: Session, caller: Caller, listing_id: uuid.UUID) -> str:
    """`listing_words`, or "that listing" when the caller cannot see it."""
    return listing_words(session, caller, listing_id) or "that listing"
