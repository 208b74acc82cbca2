"""The marketplace's clock (tools/schedule.py): holds past their time give their stock back, offers past their
expiry are recorded as expired — once, however often or wherever the scheduled work runs — and every job
worker has the work on its schedule."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Engine, text

from knowledge import clock
from partpilot.jobs import worker_app
from tools.inventory.hold_rules import expire_holds
from tools.offers.status import expire_offers


def _item_with_free_stock(engine: Engine) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT i.id, i.organization_id, u.id AS user_id FROM inventory_items i JOIN users u "
            "ON u.organization_id = i.organization_id WHERE i.quantity_on_hand - i.quantity_reserved >= 2 "
            "ORDER BY i.id LIMIT 1")).one()
    return row.id, row.organization_id, row.user_id


def _reserved(engine: Engine, item: uuid.UUID) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT quantity_reserved FROM inventory_items WHERE id = :i"),
                                {"i": item}).scalar_one())


def test_a_hold_past_its_time_gives_its_stock_back_once(engine: Engine) -> None:
    item, org, user = _item_with_free_stock(engine)
    now = clock.now()
    with engine.begin() as conn:
        hold = conn.execute(text(
            "INSERT INTO stock_holds (inventory_item_id, organization_id, user_id, quantity, pickup_code, status, "
            "created_at, expires_at) VALUES (:i, :o, :u, 2, :c, 'active', :t, :t) RETURNING id"),
            {"i": item, "o": org, "u": user, "c": uuid.uuid4().hex[:6].upper(), "t": now - timedelta(hours=5)}
        ).scalar_one()
        conn.execute(text("UPDATE inventory_items SET quantity_reserved = quantity_reserved + 2 WHERE id = :i"),
                     {"i": item})
    reserved = _reserved(engine, item)
    assert expire_holds(engine, now) >= 1
    assert _reserved(engine, item) == reserved - 2
    assert expire_holds(engine, now) == 0 and _reserved(engine, item) == reserved - 2, "stock given back twice"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM stock_holds WHERE id = :h"), {"h": hold}).scalar() == "expired"


def test_an_offer_past_its_expiry_is_recorded_expired_and_a_live_one_is_not(engine: Engine) -> None:
    now = clock.now()
    copy = ("INSERT INTO part_offers (id, listing_id, buyer_id, buyer_organization_id, offer_type, quantity, "
            "offered_price, currency, status, expires_at) SELECT :id, listing_id, buyer_id, buyer_organization_id, "
            "offer_type, quantity, offered_price, currency, 'pending', :e FROM part_offers ORDER BY id LIMIT 1")
    stale, live = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(text(copy), {"id": stale, "e": now - timedelta(minutes=1)})
        conn.execute(text(copy), {"id": live, "e": now + timedelta(days=1)})
    assert expire_offers(engine, now) >= 1
    assert expire_offers(engine, now) == 0
    with engine.connect() as conn:
        status = dict(conn.execute(text("SELECT id, status FROM part_offers WHERE id IN (:a, :b)"),
                                   {"a": stale, "b": live}).all())
    assert status == {stale: "expired", live: "pending"}


def test_every_worker_has_the_clock_on_its_schedule(engine: Engine) -> None:
    app = worker_app(object(), engine, 1)  # type: ignore[arg-type]
    periodic = {task.task.name for task in app.periodic_registry.periodic_tasks.values()}
    assert {f"partpilot.clock.{name}" for name in ("close_auctions", "expire_holds", "expire_offers")} <= periodic


def _ended_auction(engine: Engine, reserve: str | None, bids: int) -> uuid.UUID:
    """A copy of a seeded auction, ended an hour ago, with `bids` bids from another organization (the last one
    winning at 100 + 10 per bid)."""
    from decimal import Decimal

    from sqlalchemy.orm import Session

    from knowledge.models import AuctionBid, MarketplaceListing

    with Session(engine) as session, session.begin():
        source = session.scalars(text("SELECT id FROM marketplace_listings WHERE is_auction ORDER BY id LIMIT 1")
                                 ).first()
        original = session.get(MarketplaceListing, source)
        assert original is not None
        columns = {c.key: getattr(original, c.key) for c in MarketplaceListing.__mapper__.column_attrs
                   if c.key not in ("id", "search_vector", "idempotency_key")}
        listing = MarketplaceListing(**{**columns, "id": uuid.uuid4(), "status": "active", "quantity_available": 1,
                                        "inventory_item_id": None, "auction_end": clock.now() - timedelta(hours=1),
                                        "reserve_price": Decimal(reserve) if reserve else None,
                                        "current_bid": Decimal(100 + 10 * bids) if bids else None, "bid_count": bids})
        session.add(listing)
        bidder = session.execute(text("SELECT id, organization_id FROM users WHERE organization_id <> :o AND "
                                      "is_active ORDER BY email LIMIT 1"), {"o": listing.organization_id}).one()
        for n in range(bids):
            session.add(AuctionBid(id=uuid.uuid4(), listing_id=listing.id, bidder_id=bidder.id,
                                   bidder_organization_id=bidder.organization_id, bid_amount=Decimal(110 + 10 * n),
                                   max_bid=Decimal(110 + 10 * n), is_winning=n == bids - 1))
        return listing.id


def test_an_ended_auction_is_sold_to_its_high_bidder_once(engine: Engine) -> None:
    from tools.auctions.closing import close_auctions

    sold, below_reserve, no_bids = (_ended_auction(engine, "120", 3), _ended_auction(engine, "500", 2),
                                    _ended_auction(engine, None, 0))
    assert close_auctions(engine, clock.now()) >= 3
    assert close_auctions(engine, clock.now()) == 0
    with engine.connect() as conn:
        status = dict(conn.execute(text("SELECT id, status FROM marketplace_listings WHERE id IN (:a, :b, :c)"),
                                   {"a": sold, "b": below_reserve, "c": no_bids}).all())
        deals = conn.execute(text("SELECT t.total, t.buyer_organization_id = o.buyer_organization_id AS to_bidder, "
                                  "o.status FROM part_transactions t JOIN part_offers o ON o.id = t.offer_id "
                                  "WHERE t.listing_id = :l"), {"l": sold}).all()
        unsold = conn.execute(text("SELECT count(*) FROM part_transactions WHERE listing_id IN (:b, :c)"),
                              {"b": below_reserve, "c": no_bids}).scalar_one()
    assert status == {sold: "sold", below_reserve: "expired", no_bids: "expired"}
    with engine.connect() as conn:
        told = conn.execute(text("SELECT subject_id, category FROM notifications WHERE subject_id IN (:a, :b, :c) "
                                 "ORDER BY category"), {"a": sold, "b": below_reserve, "c": no_bids}).all()
    assert sorted(told) == sorted([(sold, "auction_sold"), (sold, "auction_won"), (below_reserve, "auction_unsold"),
                                   (no_bids, "auction_unsold")])
    assert len(deals) == 1 and deals[0].to_bidder and deals[0].status == "accepted"
    assert float(deals[0].total) >= 130.0 and unsold == 0
