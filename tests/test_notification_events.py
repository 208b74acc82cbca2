"""The notices not about offers: a published listing tells the posters of the wanted posts it fits, an answer
tells the poster, a watched listing's price drop or restock tells its watchers, stock falling to its reorder
point tells the organization's stock keepers, and the clock warns of holds and auctions about to run out; an
order shipped or delivered tells the other side and asks both to rate. Each fires once from the real tool, to
the right people only (never the one who acted), and a retry tells no one twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge.models import MarketplaceListing
from knowledge.settings import get_settings
from tests.deal_helpers import make_deal, stock_row
from tests.tool_helpers import create_test_listing, key, member, ok
from tools.auctions.closing import warn_ending_auctions
from tools.context import Caller, caller_by_email
from tools.inventory.hold_rules import warn_expiring_holds
from tools.registry import invoke, summarize_call
from tools.wanted.listing_matches import tell_wanted_posters


@pytest.fixture(scope="module")
def apex(engine: Engine) -> Caller:
    return member(engine, "Apex Elevator Services", selling=False)


def told(engine: Engine, category: str, subject: object) -> list[tuple[uuid.UUID, str]]:
    """(person, body) of each `category` notice about `subject`."""
    with engine.connect() as conn:
        return [(r.user_id, r.body) for r in conn.execute(text(
            "SELECT user_id, body FROM notifications WHERE category = :c AND subject_id = :s ORDER BY created_at"),
            {"c": category, "s": subject})]


def people(engine: Engine, category: str, subject: object) -> list[uuid.UUID]:
    return [who for who, _ in told(engine, category, subject)]


def _drop_in_edge(engine: Engine) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT o.part_number AS old, o.manufacturer AS old_maker, n.part_number AS new, "
            "n.manufacturer AS new_maker FROM part_supersessions e JOIN parts_catalog o ON o.id = e.old_part_id "
            "JOIN parts_catalog n ON n.id = e.new_part_id WHERE e.interchangeability = 'drop_in' "
            "AND o.organization_id IS NULL ORDER BY o.part_number LIMIT 1")).one()


def test_a_published_listing_tells_the_posters_it_fits_through_supersession(
        engine: Engine, maria: Caller, metro: Caller, apex: Caller) -> None:
    edge = _drop_in_edge(engine)
    due = (clock.now() + timedelta(days=9)).date()
    mine = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "Replacement needed", "part_number": edge.old, "manufacturer": edge.old_maker,
        "quantity_needed": 2, "needed_by_date": due.isoformat()}, idempotency_key=key())).post.id
    theirs = ok(invoke(engine, metro, "create_wanted_post", {
        "description": "Our own want", "part_number": edge.old, "manufacturer": edge.old_maker},
        idempotency_key=key())).post.id
    # a newer number for a post that wants the newer one: the older part fits there only across drop-in hops
    newer_wanted = ok(invoke(engine, apex, "create_wanted_post", {
        "description": "Newer one", "part_number": edge.new, "manufacturer": edge.new_maker},
        idempotency_key=key())).post.id
    draft = create_test_listing(engine, metro, "NEV", part_number=edge.new, manufacturer=edge.new_maker, name=None,
                                category=None, publish=False, price="90")
    assert people(engine, "wanted_match", draft) == [], "a draft tells no one"
    ok(invoke(engine, metro, "publish_listing", {"listing_id": str(draft)}, idempotency_key=key()))
    notices = told(engine, "wanted_match", draft)
    [body] = [b for who, b in notices if who == maria.user_id]
    assert f"needed by {due.isoformat()}" in body and "supersedes it" in body and edge.old in body
    assert metro.user_id not in [who for who, _ in notices], "the seller was told of their own listing"
    with engine.connect() as conn:
        posters = dict(conn.execute(text("SELECT id, requester_id FROM wanted_posts WHERE id IN (:a, :b, :c)"),
                                    {"a": mine, "b": theirs, "c": newer_wanted}).all())
    assert posters[theirs] not in [who for who, _ in notices]
    assert apex.user_id in [who for who, _ in notices], "the newer part fits a post for itself too"
    with Session(engine) as session, session.begin():
        listing = session.get(MarketplaceListing, draft)
        assert listing is not None
        assert tell_wanted_posters(session, listing) == 0, "a retry told someone twice"
    assert len(told(engine, "wanted_match", draft)) == len(notices)
    ok(invoke(engine, metro, "cancel_listing", {"listing_id": str(draft)}, idempotency_key=key()))


def test_an_older_part_is_not_a_match_for_a_newer_one_across_a_one_way_hop(
        engine: Engine, maria: Caller, metro: Caller) -> None:
    with engine.connect() as conn:
        edge = conn.execute(text(
            "SELECT o.part_number AS old, o.manufacturer AS old_maker, n.part_number AS new, "
            "n.manufacturer AS new_maker FROM part_supersessions e JOIN parts_catalog o ON o.id = e.old_part_id "
            "JOIN parts_catalog n ON n.id = e.new_part_id WHERE e.interchangeability = 'one_way' "
            "AND o.organization_id IS NULL ORDER BY o.part_number LIMIT 1")).one_or_none()
    assert edge is not None, "the demo world's catalog has one-way supersessions"
    ok(invoke(engine, maria, "create_wanted_post", {"description": "Newer one", "part_number": edge.new,
                                                    "manufacturer": edge.new_maker}, idempotency_key=key()))
    older = create_test_listing(engine, metro, "NEO", part_number=edge.old, manufacturer=edge.old_maker, name=None,
                                category=None)
    assert maria.user_id not in people(engine, "wanted_match", older)
    ok(invoke(engine, metro, "cancel_listing", {"listing_id": str(older)}, idempotency_key=key()))


def test_an_answer_tells_the_poster_once(engine: Engine, maria: Caller, metro: Caller) -> None:
    post = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "PPN test valve", "category": "hvac_valve", "visibility": "public",
        "needed_by_date": (clock.now() + timedelta(days=4)).date().isoformat()}, idempotency_key=key())).post.id
    answer = ok(invoke(engine, metro, "respond_to_wanted_post", {
        "wanted_post_id": str(post), "part_number": "PPN-VALVE", "condition": "used_good", "price": "75"},
        idempotency_key=key())).response.id
    [(who, body)] = told(engine, "wanted_response", answer)
    assert who == maria.user_id and "$75" in body and "Metro" in body and "needed by" in body


def test_needed_by_is_in_the_confirmation(engine: Engine, maria: Caller) -> None:
    sentence = summarize_call(engine, maria, "create_wanted_post", {
        "description": "door board", "part_number": "GBA21230F1", "needed_by_date": "2099-03-14"})
    assert "needed by 2099-03-14" in sentence


def test_watchers_hear_of_a_price_drop_and_a_restock(engine: Engine, maria: Caller, metro: Caller,
                                                     apex: Caller) -> None:
    listing = create_test_listing(engine, metro, "NWP", price="200", quantity=1, name="Watched relay",
                                  category="hvac_sensor")
    ok(invoke(engine, maria, "watch_listing", {"listing_id": str(listing)}, idempotency_key=key()))
    ok(invoke(engine, apex, "watch_listing", {"listing_id": str(listing), "price_alert_threshold": "100"},
              idempotency_key=key()))
    ok(invoke(engine, metro, "watch_listing", {"listing_id": str(listing)}, idempotency_key=key()))

    def update(**changes: Any) -> Any:
        return ok(invoke(engine, metro, "update_listing", {"listing_id": str(listing), **changes},
                         idempotency_key=key()))

    update(price="150")
    assert people(engine, "watch_price_drop", listing) == [maria.user_id], "apex's alert is at 100; metro acted"
    update(description="Same price, new words.")
    update(price="180")
    assert len(people(engine, "watch_price_drop", listing)) == 1, "no drop, no notice"
    out = update(price="90")
    assert sorted(people(engine, "watch_price_drop", listing)) == sorted([maria.user_id, maria.user_id,
                                                                          apex.user_id])
    assert out.price_alerts_triggered == 1
    offer = ok(invoke(engine, apex, "submit_offer", {"listing_id": str(listing), "quantity": 1,
                                                     "offered_price": "90"}, idempotency_key=key())).offer.id
    ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer), "action": "accept"}, idempotency_key=key()))
    assert people(engine, "watch_back_in_stock", listing) == []
    restocked = update(quantity=3)
    assert restocked.listing.status == "active" and restocked.listing.quantity_available == 3
    assert sorted(people(engine, "watch_back_in_stock", listing)) == sorted([maria.user_id, apex.user_id])


def test_low_stock_tells_the_stock_keepers_once_per_crossing(engine: Engine, maria: Caller) -> None:
    apex_seller = caller_by_email(engine, "megan.doyle@apexelevator.example")  # a seller, no parts manager
    item, _ = stock_row(engine, apex_seller, 5)  # reorder point 2
    with engine.connect() as conn:
        keepers = set(conn.execute(text(
            "SELECT id FROM users WHERE organization_id = :o AND role IN ('parts_manager', 'admin') AND is_active "
            "AND id <> :me"), {"o": apex_seller.organization_id, "me": apex_seller.user_id}).scalars())
    assert keepers, "the demo world gives Apex a parts manager"

    def adjust(change: int) -> None:
        ok(invoke(engine, apex_seller, "adjust_stock", {"item_id": str(item), "quantity_change": change,
                                                        "reason": "used_on_job"}, idempotency_key=key()))

    adjust(-2)
    assert people(engine, "low_stock", item) == [], "3 left is above the reorder point"
    adjust(-1)
    first = people(engine, "low_stock", item)
    assert set(first) == keepers and apex_seller.user_id not in first and maria.user_id not in first
    adjust(-1)
    assert people(engine, "low_stock", item) == first, "a movement below the point is no new crossing"
    adjust(4)
    technician = member(engine, "Apex Elevator Services", selling=False)
    ok(invoke(engine, technician, "request_emergency_pickup", {"inventory_item_id": str(item), "quantity": 3},
              idempotency_key=key()))
    assert len(people(engine, "low_stock", item)) == 2 * len(keepers), "risen above and held below: told again"


def _hold(engine: Engine, who: Caller, created: datetime, expires: datetime) -> uuid.UUID:
    with engine.begin() as conn:
        item = conn.execute(text("SELECT id FROM inventory_items WHERE organization_id = :o AND "
                                 "quantity_on_hand - quantity_reserved >= 1 ORDER BY id LIMIT 1"),
                            {"o": who.organization_id}).scalar_one()
        conn.execute(text("UPDATE inventory_items SET quantity_reserved = quantity_reserved + 1 WHERE id = :i"),
                     {"i": item})
        return conn.execute(text(
            "INSERT INTO stock_holds (inventory_item_id, organization_id, user_id, quantity, pickup_code, status, "
            "created_at, expires_at) VALUES (:i, :o, :u, 1, :c, 'active', :made, :ends) RETURNING id"),
            {"i": item, "o": who.organization_id, "u": who.user_id, "c": uuid.uuid4().hex[:6].upper(),
             "made": created, "ends": expires}).scalar_one()


def test_a_holder_is_warned_once_per_window(engine: Engine, maria: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    now = clock.now()
    soon = _hold(engine, maria, now - timedelta(hours=3), now + timedelta(minutes=30))
    later = _hold(engine, maria, now - timedelta(hours=2), now + timedelta(hours=2))
    short = _hold(engine, maria, now - timedelta(minutes=20), now + timedelta(minutes=20))
    assert warn_expiring_holds(engine, now) >= 1
    assert warn_expiring_holds(engine, now) == 0, "a second run told someone twice"
    [(who, body)] = told(engine, "hold_expiring", soon)
    assert who == maria.user_id and "30 min" in body
    assert people(engine, "hold_expiring", later) == [] and people(engine, "hold_expiring", short) == []
    monkeypatch.setattr(get_settings(), "hold_expiring_notice_minutes", 180)
    warn_expiring_holds(engine, now)
    assert people(engine, "hold_expiring", later) == [maria.user_id], "the window is configurable"
    with engine.begin() as conn:  # a new expiry is a new window
        conn.execute(text("UPDATE stock_holds SET expires_at = :e WHERE id = :h"),
                     {"e": now + timedelta(minutes=50), "h": soon})
    warn_expiring_holds(engine, now)
    assert people(engine, "hold_expiring", soon) == [maria.user_id, maria.user_id]


def test_bidders_and_watchers_are_warned_before_an_auction_ends(
        engine: Engine, maria: Caller, metro: Caller, apex: Caller) -> None:
    end = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    listing = create_test_listing(engine, metro, "NEA", listing_type="auction", price=None, starting_bid="100",
                                  bid_increment="10", auction_end=end, name="Auctioned relay", category="hvac_sensor")
    ok(invoke(engine, maria, "place_bid", {"listing_id": str(listing), "max_bid": "150"}, idempotency_key=key()))
    ok(invoke(engine, apex, "watch_listing", {"listing_id": str(listing)}, idempotency_key=key()))
    now = clock.now()
    assert warn_ending_auctions(engine, now) >= 0 and people(engine, "auction_ending_soon", listing) == []
    with engine.begin() as conn:
        conn.execute(text("UPDATE marketplace_listings SET auction_end = :e WHERE id = :l"),
                     {"e": now + timedelta(minutes=40), "l": listing})
    assert warn_ending_auctions(engine, now) >= 2
    assert warn_ending_auctions(engine, now) == 0, "a second run told someone twice"
    notices = dict(told(engine, "auction_ending_soon", listing))
    assert set(notices) == {maria.user_id, apex.user_id}, "the seller is never warned"
    assert "high bid" in notices[maria.user_id] and "high bid" not in notices[apex.user_id]


def test_an_order_tells_the_other_side_and_asks_both_to_rate(engine: Engine, maria: Caller, metro: Caller) -> None:
    deal, _ = make_deal(engine, metro, maria, "shipping", quantity=1)
    ok(invoke(engine, metro, "mark_transaction_shipped", {"transaction_id": str(deal), "carrier": "UPS",
                                                          "tracking_number": "1Z999"}, idempotency_key=key()))
    [(who, body)] = told(engine, "order_shipped", deal)
    assert who == maria.user_id and "1Z999" in body
    ok(invoke(engine, maria, "confirm_transaction_delivered", {"transaction_id": str(deal)}, idempotency_key=key()))
    assert people(engine, "order_delivered", deal) == [metro.user_id]
    assert sorted(people(engine, "order_awaiting_rating", deal)) == sorted([maria.user_id, metro.user_id])
    again = invoke(engine, maria, "confirm_transaction_delivered", {"transaction_id": str(deal)},
                   idempotency_key=key())
    assert getattr(again, "error", None) == "conflict"
    assert len(told(engine, "order_delivered", deal)) == 1 and len(told(engine, "order_awaiting_rating", deal)) == 2
