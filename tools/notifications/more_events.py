"""What Partpilot says when a wanted post is matched or answered, a watched listing gets cheaper or is back,
stock runs low, a hold or an auction is about to run out, or an order ships and arrives. Called by the tools
and the clock's work that make the change, in their transaction (events.notify); each occurrence has its own
event name, so a retried job tells no one twice."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from knowledge.models import MarketplaceListing, PartTransaction
from tools.notifications.events import notify
from tools.rules.money import usd
from tools.rules.wording import condition_words


def _by(needed_by: date | None) -> str:
    return f", needed by {needed_by.isoformat()}" if needed_by else ""


def _minutes(left: float) -> str:
    minutes = max(1, round(left))
    return f"{minutes} min" if minutes < 90 else f"{minutes / 60:.1f} h".replace(".0 h", " h")


def wanted_match(db: Any, post: Any, listing: MarketplaceListing, seller: str, how: str,
                 price: Decimal | None) -> bool:
    """A listing just published fits `post` (id, requester_id, part_number, description, quantity_needed,
    needed_by_date, max_price). `how`: "" for the very part, else e.g. "newer replacement: A → B (drop_in)"."""
    asked = post.part_number or post.description[:60]
    fit = f" ({how})" if how else ""
    cost = f" at {usd(price)} each" if price is not None else ""
    budget = " — over your budget" if price is not None and post.max_price is not None and price > post.max_price \
        else ""
    return notify(db, post.requester_id, "wanted_match", f"Match for your wanted {asked}",
                  f"{seller} listed {listing.quantity_available} × {listing.part_number}{fit}, "
                  f"{condition_words(listing.condition)}{cost}{budget}. You asked for {post.quantity_needed} × "
                  f"{asked}{_by(post.needed_by_date)}.", subject_type="listing", subject_id=listing.id,
                  event=f"wanted:{post.id}")


def wanted_response(db: Any, post: Any, response: Any, responder: str) -> bool:
    """`response` answered `post`: its poster is told what is offered."""
    asked = post.part_number or post.description[:60]
    cost = f" at {usd(response.price)} each" if response.price is not None else ""
    return notify(db, post.requester_id, "wanted_response", f"Answer to your wanted {asked}",
                  f"{responder} offers {response.quantity} × {response.part_number}, "
                  f"{condition_words(response.condition)}{cost}{_by(post.needed_by_date)}.",
                  subject_type="wanted_response", subject_id=response.id, event="received")


def watch_price_drop(db: Any, user_id: uuid.UUID, listing: MarketplaceListing, before: Decimal, now: Decimal,
                     at: datetime) -> bool:
    return notify(db, user_id, "watch_price_drop", f"Price drop: {listing.part_number}",
                  f"A listing you watch dropped from {usd(before)} to {usd(now)} "
                  f"({listing.quantity_available} × {listing.name}).", subject_type="listing",
                  subject_id=listing.id, event=f"drop@{at.isoformat()}")


def watch_back_in_stock(db: Any, user_id: uuid.UUID, listing: MarketplaceListing, at: datetime) -> bool:
    cost = f" at {usd(listing.price)} each" if listing.price is not None else ""
    return notify(db, user_id, "watch_back_in_stock", f"Back in stock: {listing.part_number}",
                  f"A listing you watch has {listing.quantity_available} × {listing.name} again{cost}.",
                  subject_type="listing", subject_id=listing.id, event=f"restocked@{at.isoformat()}")


def low_stock(db: Any, user_id: uuid.UUID, item: Any, available: int, at: datetime) -> bool:
    """`item`: id, part_number, location, reorder_point, reorder_quantity of a stock row that just went to its
    reorder point or below."""
    reorder = f"; reorder {item.reorder_quantity}" if item.reorder_quantity else ""
    return notify(db, user_id, "low_stock", f"Low stock: {item.part_number} at {item.location}",
                  f"{available} left free at {item.location}, at or below the reorder point of "
                  f"{item.reorder_point}{reorder}.", subject_type="stock_item", subject_id=item.id,
                  event=f"low@{at.isoformat()}")


def hold_expiring(db: Any, hold: Any, minutes_left: float) -> bool:
    """`hold`: id, user_id, quantity, part_number, location, pickup_code, expires_at of an active hold."""
    return notify(db, hold.user_id, "hold_expiring", f"Hold expiring: {hold.part_number}",
                  f"Your hold on {hold.quantity} × {hold.part_number} at {hold.location} (code {hold.pickup_code}) "
                  f"expires in {_minutes(minutes_left)}.", subject_type="hold", subject_id=hold.id,
                  event=f"expiring@{hold.expires_at.isoformat()}")


def auction_ending_soon(db: Any, user_id: uuid.UUID, listing: MarketplaceListing, minutes_left: float,
                        leading: bool | None) -> bool:
    """`leading`: whether this bidder holds the high bid; None for a watcher who has not bid."""
    assert listing.auction_end is not None
    price = listing.current_bid if listing.bid_count else listing.starting_bid
    where = {True: " You hold the high bid.", False: " You are not the high bidder.", None: ""}[leading]
    return notify(db, user_id, "auction_ending_soon", f"Auction ending: {listing.part_number}",
                  f"The auction of {listing.part_number} ends in {_minutes(minutes_left)}, now at {usd(price)}."
                  f"{where}", subject_type="listing", subject_id=listing.id,
                  event=f"ending@{listing.auction_end.isoformat()}")


def _parts(tx: PartTransaction) -> str:
    return ", ".join(f"{p.get('quantity') or 1} × {p.get('part_number')}" for p in tx.parts) or "your parts"


def order_shipped(db: Any, buyer: uuid.UUID | None, tx: PartTransaction, seller: str) -> bool:
    return notify(db, buyer, "order_shipped", f"Shipped: {_parts(tx)}",
                  f"{seller} shipped {_parts(tx)}; tracking {tx.tracking_number}.", subject_type="transaction",
                  subject_id=tx.id, event="shipped")


def order_delivered(db: Any, seller_user: uuid.UUID | None, tx: PartTransaction, buyer: str) -> bool:
    how = "picked up" if tx.shipped_at is None else "received"
    return notify(db, seller_user, "order_delivered", f"Delivered: {_parts(tx)}",
                  f"{buyer} confirmed they {how} {_parts(tx)}.", subject_type="transaction", subject_id=tx.id,
                  event="delivered")


def order_awaiting_rating(db: Any, user_id: uuid.UUID | None, tx: PartTransaction, other: str) -> bool:
    return notify(db, user_id, "order_awaiting_rating", f"Rate {other}",
                  f"The deal for {_parts(tx)} is delivered: how did {other} do? Rate them 1–5.",
                  subject_type="transaction", subject_id=tx.id, event="delivered")
