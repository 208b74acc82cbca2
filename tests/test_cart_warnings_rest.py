"""Duplicate-order warnings (orders, holds, the supersession chain, per job site), where an order ships to, buy
now, reordering what was used on a job, the stock an order gives back or moves, and the cart's REST routes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge.models import Order
from tests.api_helpers import body, error, headers_for
from tests.cart_helpers import (
    DEREK,
    LINDA,
    add,
    cart_rows,
    empty_cart,
    item_row,
    listing_row,
    metro_listing,
    orders_of,
    own_stock_of,
    quiet_part,
    summit,
)
from tests.deal_helpers import stock_row
from tests.order_helpers import listing_source
from tests.tool_helpers import MARIA, fails, key, ok
from tools.context import Caller
from tools.orders.lifecycle import enter_status
from tools.registry import invoke, summarize_call


@pytest.fixture(scope="module")
def derek(engine: Engine) -> Caller:
    return summit(engine, DEREK)


def _backdate(engine: Engine, order_id: uuid.UUID, days: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET created_at = :at WHERE id = :id"),
                     {"at": clock.now() - timedelta(days=days, hours=1), "id": order_id})


def test_a_teammates_order_for_the_same_job_is_warned_of(engine: Engine, maria: Caller, metro: Caller,
                                                          derek: Caller) -> None:
    listing = metro_listing(engine, metro, quantity=4, price="90")
    number = listing_row(engine, listing).part_number
    theirs = ok(invoke(engine, derek, "buy_now", {"listing_id": str(listing), "ship_to": "Brown Palace job"},
                       idempotency_key=key()))
    _backdate(engine, theirs.orders[0].id, 2)
    empty_cart(engine, maria)
    ok(add(engine, maria, listing_id=str(listing)))
    sentence = summarize_call(engine, maria, "checkout", {"ship_to": "brown palace", "po_number": "4471"})
    said = f"Derek Olson ordered 1 × {number} for the Brown Palace Hotel job 2 days ago"
    assert said in sentence and sentence.endswith("— still order?") and sentence.count("?") == 1, sentence
    assert said in summarize_call(engine, maria, "checkout", {"ship_to": "office"})  # no site: any order counts
    assert "Derek" not in summarize_call(engine, maria, "checkout", {"ship_to": "Republic Plaza job"})
    view = ok(invoke(engine, maria, "view_cart", {"ship_to": "Brown Palace Hotel"}))
    assert [d.by for d in view.duplicates if d.other_part_number == number] == ["Derek Olson"]
    assert said in summarize_call(engine, maria, "buy_now", {"listing_id": str(listing), "ship_to": "brown palace"})
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "brown palace"}, idempotency_key=key()))
    assert any(said in w for w in placed.warnings)
    with engine.begin() as conn:  # a cancelled order is no duplicate
        conn.execute(text("UPDATE orders SET status = 'cancelled' WHERE id = :id"), {"id": theirs.orders[0].id})
    ok(add(engine, maria, listing_id=str(listing)))
    assert "Derek" not in summarize_call(engine, maria, "checkout", {"ship_to": "brown palace"})
    empty_cart(engine, maria)


def test_the_supersession_chain_and_holds_count_as_duplicates(engine: Engine, maria: Caller, metro: Caller,
                                                              derek: Caller) -> None:
    old = metro_listing(engine, metro, quantity=2, price="95", part_number="GAA26800LB1", manufacturer="Otis")
    ok(invoke(engine, derek, "buy_now", {"listing_id": str(old), "ship_to": "Brown Palace job"},
              idempotency_key=key()))
    new = metro_listing(engine, metro, quantity=2, price="99", part_number="GAA26800LC1", manufacturer="Otis")
    empty_cart(engine, maria)
    ok(add(engine, maria, listing_id=str(new)))
    view = ok(invoke(engine, maria, "view_cart", {"ship_to": "Brown Palace job"}))
    assert any(w.startswith("Derek Olson ordered 1 × GAA26800LB1 for the Brown Palace Hotel job") for w in
               view.warnings), view.warnings
    shelf, number = stock_row(engine, maria, 3)
    ok(invoke(engine, derek, "request_emergency_pickup", {"inventory_item_id": str(shelf)}, idempotency_key=key()))
    ok(add(engine, maria, inventory_item_id=str(shelf)))
    view = ok(invoke(engine, maria, "view_cart", {}))
    assert any(d.kind == "hold" and d.text.startswith(f"Derek Olson holds 1 × {number} at ") for d in view.duplicates)
    empty_cart(engine, maria)


def test_ship_to_is_resolved_or_refused_with_the_choices(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    ok(add(engine, maria, listing_id=str(metro_listing(engine, metro))))
    ambiguous = fails(invoke(engine, maria, "checkout", {"ship_to": "the Hyatt job"}, idempotency_key=key()),
                      "invalid")
    assert "Grand Hyatt Denver" in ambiguous.message and "Hyatt Regency Denver" in ambiguous.message
    fails(invoke(engine, maria, "checkout", {"ship_to": "Mars base"}, idempotency_key=key()), "not_found")
    assert len(cart_rows(engine, maria)) == 1
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "truck 3"}, idempotency_key=key())).orders[0]
    assert placed.ship_to["kind"] == "location" and placed.ship_to["label"] == "Truck 03 (Priya)"
    ok(add(engine, maria, listing_id=str(metro_listing(engine, metro))))
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "receiving dock"}, idempotency_key=key())).orders[0]
    assert placed.ship_to["kind"] == "address" and placed.ship_to["address"] == "4800 Race St, Dock 2"


def test_buy_now_places_one_order_and_leaves_the_cart_alone(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    kept = ok(add(engine, maria, listing_id=str(metro_listing(engine, metro)))).item
    listing = metro_listing(engine, metro, quantity=3, price="45")
    bought = ok(invoke(engine, maria, "buy_now", {"listing_id": str(listing), "quantity": 2, "ship_to": "office",
                                                  "po_number": "PO-77"}, idempotency_key=key()))
    order = bought.orders[0]
    assert (order.status, order.total, order.po_number, order.lines[0].quantity) == ("pending_payment", 90, "PO-77", 2)
    assert listing_row(engine, listing).quantity_available == 1
    assert [r.id for r in cart_rows(engine, maria)] == [kept.id]
    fails(invoke(engine, maria, "buy_now", {"listing_id": str(listing), "quantity": 2, "ship_to": "office"},
                 idempotency_key=key()), "insufficient_stock")
    empty_cart(engine, maria)


def test_reorder_what_was_used_on_a_job(engine: Engine, maria: Caller) -> None:
    empty_cart(engine, maria)
    linda, tag = summit(engine, LINDA), uuid.uuid4().hex[:6]
    shelves = {}
    for used in (2, 1):
        number, _ = quiet_part(engine)
        shelves[number] = own_stock_of(engine, maria, number, 5, "Summit Main Warehouse")
        ok(invoke(engine, linda, "adjust_stock", {"item_id": str(shelves[number]), "quantity_change": -used,
                                                  "reason": "used_on_job", "note": f"Hyatt Regency {tag} car 3"},
                  idempotency_key=key()))
    first, second = shelves
    sentence = summarize_call(engine, maria, "reorder_used_parts", {"job": f"the Hyatt {tag} job"})
    assert f"2 × {first}" in sentence and f"1 × {second}" in sentence and sentence.count("?") == 1
    done = ok(invoke(engine, maria, "reorder_used_parts", {"job": f"the Hyatt {tag} job"}, idempotency_key=key()))
    assert sorted((u.part_number, u.quantity) for u in done.used) == sorted([(first, 2), (second, 1)])
    assert sorted((r.inventory_item_id, r.quantity) for r in cart_rows(engine, maria)) == sorted(
        [(shelves[first], 2), (shelves[second], 1)])
    fails(invoke(engine, maria, "reorder_used_parts", {"job": f"Four Seasons {tag}"}, idempotency_key=key()),
          "not_found")
    empty_cart(engine, maria)


def test_cancel_gives_stock_back_and_shipping_a_transfer_moves_it(engine: Engine, maria: Caller,
                                                                  metro: Caller) -> None:
    source, shelf = listing_source(engine, metro, 4)
    bought = ok(invoke(engine, maria, "buy_now", {"listing_id": str(source.listing_id), "quantity": 4,
                                                  "ship_to": "office"}, idempotency_key=key())).orders[0]
    assert listing_row(engine, source.listing_id).status == "sold" and item_row(engine, shelf).quantity_reserved == 4
    with Session(engine) as session, session.begin():
        order = session.get(Order, bought.id, with_for_update=True)
        assert order is not None
        enter_status(session, order, "cancelled", maria.user_id, "not needed")
    listing = listing_row(engine, source.listing_id)
    assert (listing.quantity_available, listing.status, item_row(engine, shelf).quantity_reserved) == (4, "active", 0)
    own, _ = stock_row(engine, maria, 5)
    moved = ok(invoke(engine, maria, "buy_now", {"inventory_item_id": str(own), "quantity": 2, "ship_to": "truck 05"},
                      idempotency_key=key())).orders[0]
    assert moved.kind == "transfer" and moved.status == "processing" and moved.total == 0
    with Session(engine) as session, session.begin():
        order = session.get(Order, moved.id, with_for_update=True)
        assert order is not None
        enter_status(session, order, "shipped", summit(engine, LINDA).user_id)
    assert (item_row(engine, own).quantity_on_hand, item_row(engine, own).quantity_reserved) == (3, 0)
    with engine.connect() as conn:
        legs = conn.execute(text(
            "SELECT m.reason, m.quantity_change, s.name, m.transfer_id FROM inventory_movements m JOIN inventory_items "
            "i ON i.id = m.inventory_item_id JOIN stock_locations s ON s.id = i.stock_location_id WHERE m.note = :n "
            "ORDER BY m.quantity_change"), {"n": f"order {moved.order_number}"}).all()
    assert [(r.reason, r.quantity_change) for r in legs] == [("transfer_out", -2), ("transfer_in", 2)]
    assert legs[1].name.startswith("Truck 05") and legs[0].transfer_id == legs[1].transfer_id


def test_the_cart_over_rest(engine: Engine, client: TestClient, metro: Caller, derek: Caller) -> None:
    maria, other = headers_for(engine, MARIA), headers_for(engine, derek)
    assert body(client.delete("/api/v1/cart", headers=maria))["cart_items"] == 0
    listing = metro_listing(engine, metro, quantity=3, price="20")
    added = body(client.post("/api/v1/cart/items", json={"listing_id": str(listing), "quantity": 1}, headers=maria),
                 201)
    item = added["item"]["id"]
    assert body(client.get("/api/v1/cart", headers=maria))["items"][0]["id"] == item
    assert body(client.patch(f"/api/v1/cart/items/{item}", json={"quantity": 2}, headers=maria))["item"][
        "quantity"] == 2
    error(client.patch(f"/api/v1/cart/items/{item}", json={"quantity": 1}, headers=other), 404, "not_found")
    error(client.delete(f"/api/v1/cart/items/{item}", headers=other), 404, "not_found")
    assert all(i["id"] != item for i in body(client.get("/api/v1/cart", headers=other))["items"])
    error(client.post("/api/v1/cart/items", json={"listing_id": str(listing), "quantity": 9}, headers=maria), 409,
          "insufficient_stock")
    once = {**maria, "Idempotency-Key": f"rest-{uuid.uuid4()}"}
    placed = body(client.post("/api/v1/cart/checkout", json={"ship_to": "office", "po_number": "9"}, headers=once),
                  201)
    again = body(client.post("/api/v1/cart/checkout", json={"ship_to": "office", "po_number": "9"}, headers=once),
                 201)
    assert [o["id"] for o in again["orders"]] == [o["id"] for o in placed["orders"]]
    assert placed["orders"][0]["total"] == "40.00" and listing_row(engine, listing).quantity_available == 1
    error(client.post("/api/v1/orders", json={"listing_id": str(listing), "quantity": 2, "ship_to": "office"},
                      headers=maria), 409, "insufficient_stock")
    bought = body(client.post("/api/v1/orders", json={"listing_id": str(listing), "ship_to": "office"},
                              headers=maria), 201)
    assert bought["orders"][0]["status"] == "pending_payment" and listing_row(engine, listing).status == "sold"
    error(client.post("/api/v1/cart/reorder", json={"job": f"nowhere {uuid.uuid4().hex[:6]}"}, headers=maria), 404)
    error(client.post("/api/v1/cart/checkout", json={"ship_to": "office"}, headers=maria), 422, "invalid")
    assert len(orders_of(engine, summit(engine, MARIA), once["Idempotency-Key"])) == 1
