"""Auction bidding with eBay-style proxy bids: a bidder states the most they would pay and the system bids
for them only as much as needed to stay ahead. All of it runs under the listing's row lock."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge.models import AuctionBid, MarketplaceListing
from tools.auctions.increments import auction_minimum_next_bid, default_increment
from tools.context import Caller
from tools.idempotency import row_key
from tools.listings.marketplace import describe_listing_for_summary, visible_listing
from tools.listings.types import Money
from tools.notifications.marketplace_events import outbid
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.money import cents, usd
from tools.rules.roles import require_buyer


class PlaceBidInput(BaseModel):
    listing_id: uuid.UUID
    max_bid: Money = Field(description="The most you will pay for the lot, in USD, e.g. 250. You are only charged "
                           "what is needed to beat the next bidder, never more than this.")


class PlaceBidOutput(BaseModel):
    listing_id: uuid.UUID
    your_max_bid: Decimal
    current_bid: Decimal
    you_are_winning: bool
    bid_count: int
    minimum_next_bid: Decimal
    reserve_met: bool | None = Field(description="None when the auction has no reserve; the reserve stays secret.")
    auction_end: datetime
    message: str


def _summarize_bid(caller: Caller, args: PlaceBidInput, session: Session) -> str:
    return (f"Bid up to {usd(args.max_bid)} on {describe_listing_for_summary(session, caller, args.listing_id)}, "
            "paying at most that if you win?")


def _increment(listing: MarketplaceListing) -> Decimal:
    return listing.bid_increment or default_increment(listing.current_bid or listing.starting_bid or Decimal(0))


@tool(ToolKind.WRITE, summarize=_summarize_bid)
def place_bid(ctx: ToolContext, args: PlaceBidInput) -> PlaceBidOutput:
    """Bid on an auction listing with a maximum (proxy) bid. The current price rises only to one increment
    above the runner-up's maximum, capped at the leader's maximum; ties go to the earlier bidder. If you are
    already winning, this raises your maximum.

    Args:
        listing_id: an active auction you can see (search_listings with listing_type "auction").
        max_bid: your maximum in USD; at least minimum_next_bid from get_listing.

    Not for fixed-price listings (use submit_offer), your own organization's auctions, or ended auctions.
    The reserve price is never revealed; `reserve_met` says whether the current bid reaches it.
    """
    caller, session = ctx.caller, ctx.session
    require_buyer(caller, "bid")
    listing = visible_listing(session, caller, args.listing_id, lock=True)
    if not listing.is_auction:
        raise ToolFailed("invalid", "This listing is not an auction; use submit_offer.")
    if listing.organization_id == caller.organization_id:
        raise ToolFailed("forbidden", "You cannot bid on your own organization's auction.")
    now = utcnow()
    if listing.status != "active" or listing.auction_end is None or listing.auction_end <= now:
        raise ToolFailed("unavailable", "This auction has ended." if listing.status == "active"
                         else f"This auction is {listing.status}.")
    leader = session.scalars(select(AuctionBid).where(AuctionBid.listing_id == listing.id, AuctionBid.is_winning)
                             .order_by(AuctionBid.created_at.desc()).limit(1)).first()
    leader_max = (leader.max_bid or leader.bid_amount) if leader else None
    reserve, bid = listing.reserve_price, cents(args.max_bid)
    new_rows: list[AuctionBid] = []

    def add(bidder: uuid.UUID, org: uuid.UUID, amount: Decimal, max_bid: Decimal, winning: bool) -> None:
        new_rows.append(AuctionBid(id=uuid.uuid4(), listing_id=listing.id, bidder_id=bidder,
                                   bidder_organization_id=org, bid_amount=amount, max_bid=max_bid,
                                   is_winning=winning, outbid_at=None if winning else now))

    def meet_reserve(price: Decimal, top: Decimal) -> Decimal:
        # A leader whose maximum reaches the reserve is bid straight up to it (as on eBay).
        return max(price, reserve) if reserve is not None and top >= reserve else price

    if leader is not None and leader_max is not None and leader.bidder_organization_id == caller.organization_id:
        if bid <= leader_max:
            raise ToolFailed("invalid", f"You are already winning with a maximum of {usd(leader_max)}; to raise "
                             "it, bid more than that.")
        current = meet_reserve(listing.current_bid or listing.starting_bid, bid)  # type: ignore[arg-type]
        add(caller.user_id, caller.organization_id, current, bid, True)
    else:
        minimum = auction_minimum_next_bid(listing)
        assert minimum is not None
        if bid < minimum:
            raise ToolFailed("invalid", f"The minimum bid now is {usd(minimum)}.", hint="Bid at least that.")
        if leader is None or leader_max is None:
            current = meet_reserve(cents(listing.starting_bid), bid)  # type: ignore[arg-type]
            add(caller.user_id, caller.organization_id, current, bid, True)
        elif bid > leader_max:
            current = meet_reserve(min(bid, leader_max + _increment(listing)), bid)
            add(caller.user_id, caller.organization_id, current, bid, True)
        else:  # the leader's proxy answers up to its maximum
            current = meet_reserve(min(leader_max, bid + _increment(listing)), leader_max)
            add(caller.user_id, caller.organization_id, bid, bid, False)
            add(leader.bidder_id, leader.bidder_organization_id, current, leader_max, True)
    leader_changed = leader is not None and leader.bidder_organization_id != new_rows[-1].bidder_organization_id
    values = {"is_winning": False, **({"outbid_at": now} if leader_changed else {})}
    session.execute(update(AuctionBid).where(AuctionBid.listing_id == listing.id, AuctionBid.is_winning)
                    .values(**values))
    new_rows[0].idempotency_key = row_key(ctx)
    session.add_all(new_rows)
    listing.current_bid = current
    listing.bid_count += len(new_rows)
    session.flush()
    if leader_changed and leader is not None:
        outbid(session, listing, leader.bidder_id, current, now)
    winning = new_rows[-1].bidder_organization_id == caller.organization_id
    return PlaceBidOutput(
        listing_id=listing.id, your_max_bid=bid, current_bid=current, you_are_winning=winning,
        bid_count=listing.bid_count, minimum_next_bid=current + _increment(listing),
        reserve_met=None if reserve is None else current >= reserve, auction_end=listing.auction_end,
        message=(f"You are the high bidder at {usd(current)}." if winning else
                 f"Outbid: another bidder's maximum beats yours; the price is now {usd(current)}."),
    )


class ListBidsInput(BaseModel):
    listing_id: uuid.UUID
    limit: int = Field(50, ge=1, le=200)


class BidView(BaseModel):
    bidder: str = Field(description="'you', your organization's name, or an anonymous 'Bidder N'")
    is_yours: bool = Field(description="Placed by your organization")
    amount: Decimal = Field(description="The bid the proxy placed, in USD")
    max_bid: Decimal | None = Field(description="Your own maximum; other bidders' maxima stay secret")
    is_winning: bool
    created_at: datetime


class ListBidsOutput(BaseModel):
    listing_id: uuid.UUID
    current_bid: Decimal | None
    bid_count: int
    minimum_next_bid: Decimal | None
    auction_end: datetime | None
    bids: list[BidView] = Field(description="Newest first")


@tool(ToolKind.READ)
def list_bids(ctx: ToolContext, args: ListBidsInput) -> ListBidsOutput:
    """The bid history of an auction you can see, newest first. Other organizations' bidders are shown as
    'Bidder 1', 'Bidder 2' … and their maximum bids are never revealed.

    Args:
        listing_id: an auction listing. limit: most bids returned.
    """
    caller, session = ctx.caller, ctx.session
    listing = visible_listing(session, caller, args.listing_id)
    if not listing.is_auction:
        raise ToolFailed("invalid", "This listing is not an auction; it has offers, not bids.")
    rows = session.scalars(select(AuctionBid).where(AuctionBid.listing_id == listing.id)
                           .order_by(AuctionBid.created_at, AuctionBid.id)).all()
    aliases: dict[uuid.UUID, str] = {}
    views: list[BidView] = []
    for bid in rows:
        mine = bid.bidder_organization_id == caller.organization_id
        if mine:
            name = "you" if bid.bidder_id == caller.user_id else caller.organization_name
        else:
            name = aliases.setdefault(bid.bidder_organization_id, f"Bidder {len(aliases) + 1}")
        views.append(BidView(bidder=name, is_yours=mine, amount=bid.bid_amount,
                             max_bid=bid.max_bid if mine else None, is_winning=bid.is_winning,
                             created_at=bid.created_at))
    return ListBidsOutput(listing_id=listing.id, current_bid=listing.current_bid, bid_count=listing.bid_count,
                          minimum_next_bid=auction_minimum_next_bid(listing), auction_end=listing.auction_end,
                          bids=list(reversed(views))[: args.limit])
