"""The watchlist: a user follows a listing, optionally with a price alert."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing
from tools.context import Caller
from tools.listings.marketplace import (
    ListingSummary,
    describe_listing_for_summary,
    is_visible,
    listing_summary,
    visible_listing,
)
from tools.listings.types import Money
from tools.notifications.more_events import watch_back_in_stock, watch_price_drop
from tools.notifications.recipients import who_sees_listing
from tools.registry import ToolContext, ToolKind, tool
from tools.rules.clock import utcnow
from tools.rules.money import usd


class WatchListingInput(BaseModel):
    listing_id: uuid.UUID
    price_alert_threshold: Money | None = Field(None, description="Alert when the price (or current bid) is at "
                                                "or below this many USD, e.g. 350.")
    notes: str | None = Field(None, max_length=500, description="Your own note, e.g. 'for the Elm St job'.")
    remove: bool = Field(False, description="True to stop watching the listing.")


class WatchListingOutput(BaseModel):
    listing_id: uuid.UUID
    listing: ListingSummary | None
    watching: bool
    price_alert_threshold: Decimal | None
    alert_reached: bool = Field(description="The price is already at or below your threshold.")
    message: str


def _summarize_watch(caller: Caller, args: WatchListingInput, session: Session) -> str:
    what = describe_listing_for_summary(session, caller, args.listing_id)
    if args.remove:
        return f"Stop watching {what}?"
    alert = f" and alert you at {usd(args.price_alert_threshold)} or less" if args.price_alert_threshold else ""
    return f"Watch {what}{alert}?"


def current_price(listing: MarketplaceListing) -> Decimal | None:
    """What a price alert compares with: the current bid (or starting bid) of an auction, else the price."""
    if listing.is_auction:
        return listing.current_bid if listing.bid_count else listing.starting_bid
    return listing.price


def tell_watchers(session: Session, caller: Caller, listing: MarketplaceListing, price_before: Decimal | None,
                  quantity_before: int) -> int:
    """After the seller changed `listing`: its watchers who can still see it hear of a lower price (those with an
    alert threshold only once the price is at or below it) or of units for sale again. Returns how many price
    alerts (thresholds) the drop reached."""
    price, live = current_price(listing), listing.status == "active"
    dropped = price if live and price is not None and price_before is not None and price < price_before else None
    restocked = live and quantity_before == 0 and listing.quantity_available > 0
    if dropped is None and not restocked:
        return 0
    rows = session.execute(text("SELECT user_id, price_alert_threshold FROM saved_listings WHERE listing_id = :l "
                                "AND user_id <> :actor ORDER BY created_at, id"),
                           {"l": listing.id, "actor": caller.user_id}).all()
    thresholds = {row.user_id: row.price_alert_threshold for row in rows}
    now, alerts = utcnow(), 0
    for user in who_sees_listing(session, listing.id, thresholds):
        threshold = thresholds[user]
        if restocked:
            watch_back_in_stock(session, user, listing, now)
        elif dropped is not None and price_before is not None and (threshold is None or dropped <= threshold):
            watch_price_drop(session, user, listing, price_before, dropped, now)
            alerts += threshold is not None
    return alerts


@tool(ToolKind.WRITE, summarize=_summarize_watch)
def watch_listing(ctx: ToolContext, args: WatchListingInput) -> WatchListingOutput:
    """Add a listing to your watchlist (optionally with a price alert threshold), update the alert of one you
    already watch, or stop watching it with remove=true. Watching twice keeps one entry.

    Args:
        listing_id: from search_listings. price_alert_threshold: USD; notes: private note; remove: unwatch.

    Watching does not reserve anything — to secure the part make an offer (submit_offer) or bid (place_bid).
    """
    caller, session = ctx.caller, ctx.session
    if args.remove:
        # Unwatching must work even after the listing stopped being visible (sold, cancelled).
        removed = session.execute(text("DELETE FROM saved_listings WHERE user_id = :u AND listing_id = :l "
                                       "RETURNING id"), {"u": caller.user_id, "l": args.listing_id}).first()
        listing = session.get(MarketplaceListing, args.listing_id)
        summary = None
        if removed and listing is not None:
            summary = listing_summary(session, caller, listing) if is_visible(session, caller, listing.id) else None
        return WatchListingOutput(listing_id=args.listing_id, listing=summary, watching=False,
                                  price_alert_threshold=None, alert_reached=False,
                                  message="Removed from your watchlist." if removed else "You were not watching it.")
    listing = visible_listing(session, caller, args.listing_id)
    threshold = session.execute(text(
        "INSERT INTO saved_listings (id, user_id, listing_id, notes, price_alert_threshold) "
        "VALUES (gen_random_uuid(), :u, :l, :n, :t) ON CONFLICT (user_id, listing_id) DO UPDATE SET "
        "price_alert_threshold = EXCLUDED.price_alert_threshold, "
        "notes = COALESCE(EXCLUDED.notes, saved_listings.notes) RETURNING price_alert_threshold"),
        {"u": caller.user_id, "l": listing.id, "n": args.notes, "t": args.price_alert_threshold}).scalar()
    price = current_price(listing)
    reached = threshold is not None and price is not None and price <= threshold
    return WatchListingOutput(
        listing_id=listing.id, listing=listing_summary(session, caller, listing), watching=True,
        price_alert_threshold=threshold, alert_reached=reached,
        message="Watching." + (f" It is already at {usd(price)}, within your alert." if reached else ""),
    )


class ListWatchlistInput(BaseModel):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class WatchedListing(BaseModel):
    listing_id: uuid.UUID
    listing: ListingSummary | None = Field(description="None once the listing is no longer visible to you "
                                           "(sold, cancelled, or its visibility changed)")
    notes: str | None
    price_alert_threshold: Decimal | None
    alert_reached: bool
    watched_since: datetime


class ListWatchlistOutput(BaseModel):
    items: list[WatchedListing]
    total: int


@tool(ToolKind.READ)
def list_watchlist(ctx: ToolContext, args: ListWatchlistInput) -> ListWatchlistOutput:
    """Your own watchlist, most recently watched first: each listing with your note, price alert and whether
    the current price (or bid) already reached the alert. Listings you can no longer see show without details.
    """
    caller, session = ctx.caller, ctx.session
    total = session.execute(text("SELECT count(*) FROM saved_listings WHERE user_id = :u"),
                            {"u": caller.user_id}).scalar_one()
    rows = session.execute(text(
        "SELECT listing_id, notes, price_alert_threshold, created_at FROM saved_listings WHERE user_id = :u "
        "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"),
        {"u": caller.user_id, "limit": args.limit, "offset": args.offset}).all()
    items = []
    for row in rows:
        listing = session.get(MarketplaceListing, row.listing_id)
        summary = listing_summary(session, caller, listing) \
            if listing is not None and is_visible(session, caller, listing.id) else None
        price = current_price(listing) if summary is not None and listing is not None else None
        reached = row.price_alert_threshold is not None and price is not None and price <= row.price_alert_threshold
        items.append(WatchedListing(listing_id=row.listing_id, listing=summary, notes=row.notes,
                                    price_alert_threshold=row.price_alert_threshold, alert_reached=reached,
                                    watched_since=row.created_at))
    return ListWatchlistOutput(items=items, total=total)
