"""Auctions whose end has passed are closed by the clock (tools/schedule.py), not left `active` for ever: the
high bidder wins when the reserve is met (or there is none) and the sale becomes a transaction, exactly as an
accepted offer does; otherwise the listing expires unsold."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from knowledge.models import AuctionBid, MarketplaceListing, PartOffer
from knowledge.settings import get_settings
from tools.deals.closing import close_deal
from tools.notifications.marketplace_events import auction_closed
from tools.notifications.more_events import auction_ending_soon
from tools.notifications.recipients import who_sees_listing
from tools.results import ToolFailed
from tools.schedule import scheduled

log = logging.getLogger(__name__)


@scheduled("close_auctions")
def close_auctions(engine: Engine, now: datetime) -> int:
    """Close every active auction past its end; how many. Each is closed under its row lock and only while
    still active, so a second run (or another worker) finds nothing left to do."""
    closed = 0
    with Session(engine) as session, session.begin():
        due = session.scalars(select(MarketplaceListing).where(
            MarketplaceListing.is_auction, MarketplaceListing.status == "active",
            MarketplaceListing.auction_end <= now).with_for_update(skip_locked=True)).all()
        for listing in due:
            _close(session, listing, now)
            closed += 1
    return closed


def _close(session: Session, listing: MarketplaceListing, now: datetime) -> None:
    leader = session.scalars(select(AuctionBid).where(AuctionBid.listing_id == listing.id, AuctionBid.is_winning)
                             .order_by(AuctionBid.created_at.desc()).limit(1)).first()
    price = listing.current_bid
    if leader is None or price is None:
        listing.status = "expired"
        auction_closed(session, listing, None, None, sold=False)
        return
    if listing.reserve_price is not None and price < listing.reserve_price:
        listing.status = "expired"
        auction_closed(session, listing, None, price, sold=False)
        return
    quantity = max(1, listing.quantity_available)
    win = PartOffer(id=uuid.uuid4(), listing_id=listing.id, buyer_id=leader.bidder_id,
                    buyer_organization_id=leader.bidder_organization_id, offer_type="purchase", quantity=quantity,
                    offered_price=price, currency=listing.currency, message="Winning bid at the auction's end.",
                    status="pending", responded_at=now, expires_at=None, idempotency_key=f"auction-win:{listing.id}")
    session.add(win)
    session.flush()
    try:
        with session.begin_nested():
            close_deal(session, listing, win, price / quantity, quantity)
    except ToolFailed as failure:  # the stock behind it is gone: the auction ends unsold rather than oversold
        log.warning("auction %s could not be sold: %s", listing.id, failure)
        win.status, listing.status = "rejected", "expired"
        auction_closed(session, listing, None, price, sold=False)
        return
    auction_closed(session, listing, leader.bidder_id, price, sold=True)


# Bidders (with whether they lead), then watchers who have not bid; never the seller.
_CONCERNED = text(
    "SELECT b.bidder_id AS user_id, bool_or(b.is_winning) AS leading FROM auction_bids b WHERE b.listing_id = :l "
    "AND b.bidder_id <> :seller GROUP BY b.bidder_id UNION ALL SELECT w.user_id, NULL FROM saved_listings w "
    "WHERE w.listing_id = :l AND w.user_id <> :seller AND NOT EXISTS (SELECT 1 FROM auction_bids b "
    "WHERE b.listing_id = :l AND b.bidder_id = w.user_id)")


@scheduled("warn_ending_auctions")
def warn_ending_auctions(engine: Engine, now: datetime) -> int:
    """Tell the bidders and watchers of each active auction ending within the window
    (auction_ending_notice_minutes), once per end time; how many were told."""
    window = timedelta(minutes=get_settings().auction_ending_notice_minutes)
    told = 0
    with Session(engine) as session, session.begin():
        ending = session.scalars(select(MarketplaceListing).where(
            MarketplaceListing.is_auction, MarketplaceListing.status == "active",
            MarketplaceListing.auction_end > now, MarketplaceListing.auction_end <= now + window)).all()
        for listing in ending:
            assert listing.auction_end is not None
            concerned = {row.user_id: row.leading for row in session.execute(
                _CONCERNED, {"l": listing.id, "seller": listing.seller_id})}
            left = (listing.auction_end - now).total_seconds() / 60
            for user in who_sees_listing(session, listing.id, concerned):
                told += auction_ending_soon(session, user, listing, left, concerned[user])
    return told
