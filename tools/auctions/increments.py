"""Auction bid steps: the next minimum bid of an auction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from knowledge.models import MarketplaceListing
from tools.rules.money import cents


def auction_minimum_next_bid(listing: MarketplaceListing | Any) -> Decimal | None:
    if not listing.is_auction or listing.starting_bid is None:
        return None
    if not listing.bid_count or listing.current_bid is None:
        return cents(listing.starting_bid)
    return cents(listing.current_bid + (listing.bid_increment or default_increment(listing.current_bid)))


def default_increment(amount: Decimal) -> Decimal:
    """eBay-like bid steps: larger auctions move in larger steps."""
    for limit, step in ((Decimal(25), Decimal("1")), (Decimal(100), Decimal("2.5")), (Decimal(250), Decimal(5)),
                        (Decimal(1000), Decimal(10)), (Decimal(5000), Decimal(25))):
        if amount < limit:
            return step
    return Decimal(50)
