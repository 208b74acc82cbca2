"""get_listing answers "where's that auction at?": current bid, bid count, next minimum, time left, and whether
the caller leads and with what maximum — never another bidder's maximum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from tests.tool_helpers import create_test_listing, key, member, ok
from tools.context import Caller
from tools.registry import invoke


def test_get_listing_shows_the_auction_state_to_each_bidder(engine: Engine, maria: Caller, metro: Caller) -> None:
    end = datetime.now(UTC) + timedelta(days=2, hours=5, minutes=30)
    lid = str(create_test_listing(engine, metro, "PPB", listing_type="auction", price=None, starting_bid="100",
                                  bid_increment="10", auction_end=end.isoformat(), name="Test drive",
                                  category="hvac_blower"))
    fresh = ok(invoke(engine, maria, "get_listing", {"listing_id": lid})).auction
    assert fresh.bid_count == 0 and fresh.current_bid is None and fresh.minimum_next_bid == 100
    assert fresh.your_max_bid is None and not fresh.you_are_winning and fresh.time_left == "2 d 5 h"
    assert 2 * 86_400 + 5 * 3_600 < fresh.seconds_left <= 2 * 86_400 + 5 * 3_600 + 1_800

    ok(invoke(engine, maria, "place_bid", {"listing_id": lid, "max_bid": "150"}, idempotency_key=key()))
    leading = ok(invoke(engine, maria, "get_listing", {"listing_id": lid})).auction
    assert leading.you_are_winning and leading.your_max_bid == 150 and leading.current_bid == 100
    assert leading.bid_count == 1 and leading.minimum_next_bid == 110

    apex = member(engine, "Apex Elevator Services", selling=False)
    ok(invoke(engine, apex, "place_bid", {"listing_id": lid, "max_bid": "300"}, idempotency_key=key()))
    outbid = ok(invoke(engine, maria, "get_listing", {"listing_id": lid})).auction
    assert not outbid.you_are_winning and outbid.your_max_bid == 150 and outbid.current_bid == 160
    assert outbid.minimum_next_bid == 170 and outbid.bid_count == 2
    theirs = ok(invoke(engine, apex, "get_listing", {"listing_id": lid})).auction
    assert theirs.you_are_winning and theirs.your_max_bid == 300
    assert ok(invoke(engine, metro, "get_listing", {"listing_id": lid})).auction.your_max_bid is None

    with engine.begin() as conn:
        conn.execute(text("UPDATE marketplace_listings SET auction_end = now() - interval '1 minute' WHERE id = :id"),
                     {"id": lid})
    ended = ok(invoke(engine, maria, "get_listing", {"listing_id": lid})).auction
    assert ended.ended and ended.seconds_left == 0 and ended.time_left == "ended"
