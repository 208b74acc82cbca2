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
    assert {"partpilot.clock.expire_holds", "partpilot.clock.expire_offers"} <= periodic
