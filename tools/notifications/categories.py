"""What Partpilot tells people about, grouped into the topics a person sets preferences for ("only tell me
about offers"). A new kind of notice is one line here; `URGENT` ones may break through quiet hours when the
person allows it."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "offer_received": "offers", "offer_countered": "offers", "offer_accepted": "offers",
    "offer_rejected": "offers", "offer_withdrawn": "offers", "offer_expired": "offers",
    "outbid": "auctions", "auction_ending_soon": "auctions", "auction_won": "auctions",
    "auction_sold": "auctions", "auction_unsold": "auctions",
    "hold_expiring": "holds", "hold_expired": "holds",
    "wanted_match": "wanted", "wanted_response": "wanted",
    "watch_price_drop": "watchlist", "watch_back_in_stock": "watchlist",
    "deal_alert": "alerts",
    "low_stock": "stock",
    "order_shipped": "orders", "order_delivered": "orders", "order_awaiting_rating": "orders",
    "invoice_issued": "orders",
    "order_placed": "orders", "order_status": "orders", "order_approval_needed": "orders",
    "order_return_requested": "orders",
    "digest": "digest",
}

TOPICS: tuple[str, ...] = tuple(dict.fromkeys(CATEGORIES.values()))

# Time-critical: waiting until morning would cost the person the part.
URGENT = frozenset({"outbid", "auction_ending_soon", "hold_expiring"})


def topic_of(category: str) -> str:
    """The topic a category belongs to; an unknown category is a bug."""
    try:
        return CATEGORIES[category]
    except KeyError:
        raise ValueError(f"unknown notification category {category!r}") from None
