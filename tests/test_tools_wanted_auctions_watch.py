"""Wanted posts (matching through supersession, visibility), proxy-bid auctions and the watchlist on the
seeded store. Listings made here use part numbers starting PPW- or real catalog parts and are cancelled after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.tool_helpers import create_test_listing, fails, key, member, ok
from tools.context import Caller
from tools.registry import invoke


def live_listing(engine: Engine, seller: Caller, **fields: Any) -> str:
    return str(create_test_listing(engine, seller, "PPW", **{
        "name": "Test sensor", "category": "hvac_sensor", "quantity": 1, **fields}))


def auction(engine: Engine, seller: Caller, **fields: Any) -> str:
    end = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    return live_listing(engine, seller, listing_type="auction", price=None, starting_bid="100", bid_increment="10",
                        auction_end=end, **fields)


@pytest.fixture(scope="module")
def apex(engine: Engine) -> Caller:
    return member(engine, "Apex Elevator Services", selling=False)


@pytest.fixture(scope="module")
def northline(engine: Engine) -> Caller:
    return member(engine, "Northline Mechanical", selling=False)


def _edge(engine: Engine) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT o.part_number AS old, o.manufacturer AS old_maker, n.part_number AS new, "
            "n.manufacturer AS new_maker, n.category FROM part_supersessions e "
            "JOIN parts_catalog o ON o.id = e.old_part_id JOIN parts_catalog n ON n.id = e.new_part_id "
            "WHERE e.interchangeability = 'drop_in' AND o.organization_id IS NULL ORDER BY o.part_number DESC "
            "LIMIT 1")).one()


def test_wanted_post_matches_through_supersession_both_ways(engine: Engine, maria: Caller, metro: Caller) -> None:
    edge = _edge(engine)
    newer = live_listing(engine, metro, part_number=edge.new, manufacturer=edge.new_maker, name=None, category=None,
                         condition="refurbished", price="250")
    out = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "Need a replacement, unit down", "part_number": edge.old, "manufacturer": edge.old_maker,
        "quantity_needed": 1, "max_price": "300", "urgency": "urgent"}, idempotency_key=key()))
    match = next(m for m in out.post.matches if m.listing_id and str(m.listing_id) == newer)
    assert match.relation == "newer_replacement" and match.part_number == edge.new and edge.old in match.chain
    assert match.within_budget is True and match.organization == "Metro Salvage & Surplus"
    with engine.connect() as conn:
        row = conn.execute(text("SELECT organization_id, part_id IS NOT NULL AS linked, embedding IS NOT NULL AS emb, "
                                "category, status FROM wanted_posts WHERE id = :id"), {"id": out.post.id}).one()
    assert row.organization_id == maria.organization_id and row.linked and row.emb and row.status == "active"
    assert row.category == edge.category

    older = live_listing(engine, metro, part_number=edge.old, manufacturer=edge.old_maker, name=None, category=None)
    back = ok(invoke(engine, maria, "create_wanted_post", {"description": "Need it", "part_number": edge.new,
                                                           "manufacturer": edge.new_maker,
                                                           "acceptable_conditions": ["used_good", "new"]},
                     idempotency_key=key()))
    match = next(m for m in back.post.matches if m.listing_id and str(m.listing_id) == older)
    assert match.relation == "older_equivalent" and match.interchangeability == "drop_in"
    assert all(m.condition in ("used_good", "new") for m in back.post.matches)
    for lid in (newer, older):
        ok(invoke(engine, metro, "cancel_listing", {"listing_id": lid}, idempotency_key=key()))


def test_wanted_post_validation_and_visibility(engine: Engine, maria: Caller, apex: Caller) -> None:
    fails(invoke(engine, maria, "create_wanted_post", {"description": "mystery widget"}, idempotency_key=key()),
          "invalid")
    fails(invoke(engine, maria, "create_wanted_post", {"description": "x", "category": "hvac_valve"},
                 idempotency_key=key()), "invalid")
    fails(invoke(engine, maria, "create_wanted_post", {"description": "valve", "category": "nonsense"},
                 idempotency_key=key()), "invalid")
    fails(invoke(engine, maria, "create_wanted_post", {"description": "valve", "category": "hvac_valve",
                                                       "needed_by_date": "2001-01-01"}, idempotency_key=key()),
          "invalid")
    posts = {}
    for vis in ("internal", "network"):
        posts[vis] = ok(invoke(engine, maria, "create_wanted_post", {
            "description": f"PPW {vis} test valve", "category": "hvac_valve", "visibility": vis},
            idempotency_key=key())).post.id
    mine = ok(invoke(engine, maria, "list_wanted_posts", {"mine_only": True, "limit": 25, "include_matches": False}))
    assert set(posts.values()) <= {p.id for p in mine.posts}
    partner = ok(invoke(engine, apex, "list_wanted_posts", {"category": "hvac_valve", "limit": 25}))
    assert posts["network"] in {p.id for p in partner.posts} and posts["internal"] not in {p.id for p in partner.posts}
    rival = member(engine, "Rival Lift & Climate")
    theirs = ok(invoke(engine, rival, "list_wanted_posts", {"category": "hvac_valve", "limit": 25}))
    assert not set(posts.values()) & {p.id for p in theirs.posts}
    for post in [*partner.posts, *theirs.posts]:
        assert post.status == "active" and post.visibility != "internal"
    # a post for a catalog number carries the catalog's name of it ("my MRx battery wanted post"); one for a number
    # the catalog does not know, or for no number, none
    for number in ("GAA24350BH1", "PPW-NOT-IN-CATALOG-7"):
        posts[number] = ok(invoke(engine, maria, "create_wanted_post", {
            "description": f"PPW {number} wanted", "category": "elevator_door", "part_number": number},
            idempotency_key=key())).post.id
    mine = ok(invoke(engine, maria, "list_wanted_posts", {"mine_only": True, "limit": 25, "include_matches": False}))
    name_of = {p.id: p.part_name for p in mine.posts}
    assert name_of[posts["GAA24350BH1"]] and "door" in name_of[posts["GAA24350BH1"]].lower()
    assert name_of[posts["PPW-NOT-IN-CATALOG-7"]] is None and name_of[posts["network"]] is None


def test_proxy_bidding_sequence(engine: Engine, maria: Caller, metro: Caller, apex: Caller, northline: Caller) -> None:
    lid = auction(engine, metro)

    def bid(who: Caller, amount: str) -> Any:
        return invoke(engine, who, "place_bid", {"listing_id": lid, "max_bid": amount}, idempotency_key=key())

    first = ok(bid(maria, "150"))
    assert (first.current_bid, first.you_are_winning, first.reserve_met) == (Decimal("100.00"), True, None)
    second = ok(bid(apex, "130"))  # maria's proxy answers: 130 + 10
    assert (second.current_bid, second.you_are_winning) == (Decimal("140.00"), False)
    third = ok(bid(apex, "200"))  # beats maria's 150 by one increment
    assert (third.current_bid, third.you_are_winning) == (Decimal("160.00"), True)
    tie = ok(bid(maria, "200"))  # a tie goes to the earlier maximum
    assert (tie.current_bid, tie.you_are_winning) == (Decimal("200.00"), False)
    fails(bid(northline, "205"), "invalid")  # below current + increment
    fails(bid(apex, "150"), "invalid")  # already winning at a higher maximum
    raised = ok(bid(apex, "260"))
    assert (raised.current_bid, raised.you_are_winning) == (Decimal("200.00"), True)
    last = ok(bid(northline, "230"))
    assert (last.current_bid, last.you_are_winning, last.minimum_next_bid) == (
        Decimal("240.00"), False, Decimal("250.00"))
    with engine.connect() as conn:
        listing = conn.execute(text("SELECT current_bid, bid_count FROM marketplace_listings WHERE id = :id"),
                               {"id": lid}).one()
        winners = conn.execute(text("SELECT bidder_organization_id, bid_amount, max_bid FROM auction_bids "
                                    "WHERE listing_id = :id AND is_winning"), {"id": lid}).all()
        count = conn.execute(text("SELECT count(*) FROM auction_bids WHERE listing_id = :id"), {"id": lid}).scalar()
    assert listing.current_bid == Decimal("240.00") and listing.bid_count == count
    assert [(w.bidder_organization_id, w.bid_amount, w.max_bid) for w in winners] == [
        (apex.organization_id, Decimal("240.00"), Decimal("260.00"))]
    detail = ok(invoke(engine, maria, "get_listing", {"listing_id": lid}))
    assert detail.auction.current_bid == Decimal("240.00") and detail.auction.you_are_winning is False


def test_auction_reserve_and_errors(engine: Engine, maria: Caller, metro: Caller, apex: Caller) -> None:
    lid = auction(engine, metro, reserve_price="300")
    low = ok(invoke(engine, maria, "place_bid", {"listing_id": lid, "max_bid": "120"}, idempotency_key=key()))
    assert low.reserve_met is False and low.current_bid == Decimal("100.00")
    high = ok(invoke(engine, apex, "place_bid", {"listing_id": lid, "max_bid": "400"}, idempotency_key=key()))
    assert high.reserve_met is True and high.current_bid == Decimal("300.00") and high.you_are_winning
    detail = ok(invoke(engine, maria, "get_listing", {"listing_id": lid}))
    assert detail.reserve_price is None and detail.auction.reserve_met is True
    fails(invoke(engine, metro, "place_bid", {"listing_id": lid, "max_bid": "500"}, idempotency_key=key()),
          "forbidden")
    fixed = live_listing(engine, metro)
    fails(invoke(engine, maria, "place_bid", {"listing_id": fixed, "max_bid": "500"}, idempotency_key=key()),
          "invalid")
    fails(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "500"}, idempotency_key=key()),
          "invalid")
    hidden = auction(engine, metro, visibility="internal")
    fails(invoke(engine, maria, "place_bid", {"listing_id": hidden, "max_bid": "500"}, idempotency_key=key()),
          "not_found")
    with engine.begin() as conn:
        conn.execute(text("UPDATE marketplace_listings SET auction_end = now() - interval '1 minute' WHERE id = :id"),
                     {"id": lid})
    fails(invoke(engine, maria, "place_bid", {"listing_id": lid, "max_bid": "900"}, idempotency_key=key()),
          "unavailable")
    k = key()
    other = auction(engine, metro)
    once = ok(invoke(engine, maria, "place_bid", {"listing_id": other, "max_bid": "110"}, idempotency_key=k))
    twice = ok(invoke(engine, maria, "place_bid", {"listing_id": other, "max_bid": "110"}, idempotency_key=k))
    assert once == twice
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM auction_bids WHERE listing_id = :id"),
                            {"id": other}).scalar() == 1
    for listing in (fixed, hidden, other):
        ok(invoke(engine, metro, "cancel_listing", {"listing_id": listing}, idempotency_key=key()))


def test_watch_listing_add_update_remove(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = live_listing(engine, metro, price="180")
    first = ok(invoke(engine, maria, "watch_listing", {"listing_id": lid, "price_alert_threshold": "150",
                                                       "notes": "for the Elm St job"}, idempotency_key=key()))
    assert first.watching and first.alert_reached is False and first.price_alert_threshold == Decimal("150.00")
    second = ok(invoke(engine, maria, "watch_listing", {"listing_id": lid, "price_alert_threshold": "200"},
                       idempotency_key=key()))
    assert second.alert_reached is True
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT price_alert_threshold, notes FROM saved_listings WHERE listing_id = :id "
                                 "AND user_id = :u"), {"id": lid, "u": maria.user_id}).all()
    assert [(r.price_alert_threshold, r.notes) for r in rows] == [(Decimal("200.00"), "for the Elm St job")]
    detail = ok(invoke(engine, maria, "get_listing", {"listing_id": lid}))
    assert detail.watching and detail.watchers == 1
    removed = ok(invoke(engine, maria, "watch_listing", {"listing_id": lid, "remove": True}, idempotency_key=key()))
    assert removed.watching is False
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM saved_listings WHERE listing_id = :id"),
                            {"id": lid}).scalar() == 0
    hidden = live_listing(engine, metro, visibility="internal")
    fails(invoke(engine, maria, "watch_listing", {"listing_id": hidden}, idempotency_key=key()), "not_found")
    fails(invoke(engine, maria, "watch_listing", {"listing_id": lid, "price_alert_threshold": "0"},
                 idempotency_key=key()), "invalid")
    for listing in (lid, hidden):
        ok(invoke(engine, metro, "cancel_listing", {"listing_id": listing}, idempotency_key=key()))


def test_wanted_posts_are_found_by_their_base_model(engine: Engine, maria: Caller, apex: Caller) -> None:
    post = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "T6 Pro stats for a tenant finish", "part_number": "TH6220U2000", "quantity_needed": 2,
        "visibility": "network"}, idempotency_key=key())).post.id

    def found(number: str) -> set[Any]:
        return {p.id for p in ok(invoke(engine, apex, "list_wanted_posts", {
            "part_number": number, "limit": 25, "include_matches": False})).posts}

    assert post in found("TH6220U2000") and post in found("th6220") and post in found("TH-6220-U")
    assert post not in found("TH6220U2001") and post not in found("TH62")  # another variant; too short to stand
