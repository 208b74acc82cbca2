"""The marketplace's notices: who is told what when an offer, a bid, an auction or a hold changes. Called by
the tools that make the change, in their transaction (events.notify)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing, Organization, PartOffer
from tools.notifications.events import Action, notify
from tools.rules.money import usd


def _price(amount: Decimal | None, quantity: int) -> str:
    return f"{quantity} × {usd(amount)}" if amount is not None else f"{quantity} unit(s)"


def _whole(amount: Decimal) -> str:
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def _answers(on_table: Decimal | None, other_side: Decimal | None) -> list[Action]:
    """Accept these terms, counter halfway to the other side's number (or 10% better), or let it be."""
    if on_table is None:
        return []
    middle = ((on_table + other_side) / 2) if other_side is not None and other_side != on_table else None
    counter = (middle or on_table * Decimal("1.1")).quantize(Decimal("1"))
    return [Action(f"Accept {usd(on_table)}", "accept"),
            Action(f"Counter ${_whole(counter)}", f"counter {_whole(counter)}"), Action("Ignore", "ignore")]


def offer_event(session: Session, offer: PartOffer, listing: MarketplaceListing | None, what: str,
                by_seller: bool, at: datetime) -> None:
    """An offer received (by the seller), countered / accepted / rejected (told to the other side), or
    withdrawn (by the buyer, told to the seller). `listing`: the offer's, when the caller has it. A received
    offer and a counter can be answered where they arrive: accept, counter, ignore."""
    listing = listing or session.get(MarketplaceListing, offer.listing_id)
    assert listing is not None
    part = listing.part_number
    counter = offer.counter_offer or {}
    counter_price = Decimal(str(counter["price"])) if counter.get("price") else None
    countered = _price(counter_price, int(counter.get("quantity") or offer.quantity))
    buyer = session.get(Organization, offer.buyer_organization_id)
    who = buyer.name if buyer is not None else "A buyer"
    asking = f" (you ask {usd(listing.price)})" if listing.price is not None else ""
    words = {
        "received": ("offer_received", f"New offer on {part}",
                     f"{who} offers {_price(offer.offered_price, offer.quantity)} for your {part}{asking}."),
        "countered": ("offer_countered", f"Counter-offer on {part}", f"The seller countered your offer on {part} at "
                      f"{countered} (you offered {usd(offer.offered_price)})."),
        "accepted": ("offer_accepted", f"Offer accepted: {part}", f"Your offer on {part} was accepted; the deal "
                     "is made."),
        "rejected": ("offer_rejected", f"Offer declined: {part}", f"Your offer on {part} was declined."),
        "withdrawn": ("offer_withdrawn", f"Offer withdrawn: {part}", f"The offer on your {part} listing was "
                      "withdrawn."),
    }
    actions = {"received": _answers(offer.offered_price, listing.price),
               "countered": _answers(counter_price, offer.offered_price)}.get(what, [])
    category, title, body = words[what]
    to_seller = what in ("received", "withdrawn") or (what != "received" and not by_seller)
    notify(session, listing.seller_id if to_seller else offer.buyer_id, category, title, body,
           subject_type="offer", subject_id=offer.id, event=f"{what}@{at.isoformat()}", actions=actions)


def offer_expired(db: Any, row: Any, at: datetime) -> None:
    """`row`: id, buyer_id, part_number of an offer the clock closed."""
    notify(db, row.buyer_id, "offer_expired", f"Offer expired: {row.part_number}",
           f"Your offer on {row.part_number} expired without an answer.", subject_type="offer", subject_id=row.id,
           event=f"expired@{at.isoformat()}")


def outbid(db: Any, listing: MarketplaceListing, previous_leader: Any, price: Decimal, at: datetime) -> None:
    notify(db, previous_leader, "outbid", f"Outbid on {listing.part_number}",
           f"Another bidder's maximum beats yours; the price is now {usd(price)}.", subject_type="listing",
           subject_id=listing.id, event=f"outbid@{at.isoformat()}")


def auction_closed(db: Any, listing: MarketplaceListing, winner: Any, price: Decimal | None, sold: bool) -> None:
    """Told once the clock settles an auction: the winner and the seller, or the seller alone when unsold."""
    part = listing.part_number
    if sold:
        notify(db, winner, "auction_won", f"You won {part}", f"Your bid of {usd(price)} won the auction; the "
               "deal is made.", subject_type="listing", subject_id=listing.id, event="closed")
        notify(db, listing.seller_id, "auction_sold", f"Auction sold: {part}", f"Sold for {usd(price)} to the "
               "high bidder.", subject_type="listing", subject_id=listing.id, event="closed")
        return
    why = "no bids" if price is None else "bids below your reserve"
    notify(db, listing.seller_id, "auction_unsold", f"Auction ended unsold: {part}", f"It ended with {why}.",
           subject_type="listing", subject_id=listing.id, event="closed")


def hold_expired(db: Any, row: Any) -> None:
    """`row`: id, user_id, quantity, part_number of a hold the clock expired."""
    notify(db, row.user_id, "hold_expired", f"Hold expired: {row.part_number}",
           f"Your hold on {row.quantity} × {row.part_number} expired; the units are back on the shelf.",
           subject_type="hold", subject_id=row.id, event="expired")
