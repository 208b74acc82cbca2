"""Offer tools on the seeded store: submit / list / counter / accept / reject / withdraw, the deal an accept
makes (transaction, listing quantity, stock reservation), races for the last unit, and idempotency.

Every test makes its own listings (part numbers starting PPO-) and stock rows, so the seeded world stays as is.
"""

from __future__ import annotations

import threading
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.tool_helpers import METRO, create_test_listing, fails, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure


def stock_item(engine: Engine, seller: Caller, on_hand: int) -> tuple[uuid.UUID, str]:
    """A stock row of the seller's own organization for a test-only part number."""
    number = f"PPO-{uuid.uuid4().hex[:8].upper()}"
    with engine.begin() as conn:
        item = conn.execute(text(
            "INSERT INTO inventory_items (organization_id, part_number, manufacturer, name, stock_location_id, "
            "quantity_on_hand, condition, available_for_sale) SELECT :org, :pn, 'Testco', 'Test contactor', s.id, "
            ":qty, 'used_good', true FROM stock_locations s WHERE s.organization_id = :org "
            "ORDER BY (s.location_type = 'warehouse') DESC, s.name LIMIT 1 RETURNING id"),
            {"org": seller.organization_id, "pn": number, "qty": on_hand}).scalar_one()
    return item, number


def live_listing(engine: Engine, seller: Caller, **fields: Any) -> str:
    return str(create_test_listing(engine, seller, "PPO", **{
        "name": "Test contactor", "category": "electrical_contactor", "quantity": 3,
        "fulfillment_options": ["local_pickup", "shipping"], "shipping_cost": "20", **fields}))


@pytest.fixture(scope="module")
def buyers(engine: Engine, metro: Caller) -> list[Caller]:
    with engine.connect() as conn:
        emails = list(conn.execute(text("SELECT email FROM users WHERE is_active AND organization_id <> :org "
                                        "ORDER BY email"), {"org": metro.organization_id}).scalars())
    return [caller_by_email(engine, e) for e in emails]


def test_submit_offer_records_it_and_counts(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = live_listing(engine, metro)
    out = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "quantity": 2, "offered_price": "90",
                                                    "message": "Can pick up today"}, idempotency_key=key()))
    assert out.offer.status == "pending" and out.offer.awaiting == "seller" and out.offer.total == Decimal("180.00")
    assert out.offer.fulfillment_preference == "local_pickup" and out.offer.seller_organization == METRO
    with engine.connect() as conn:
        row = conn.execute(text("SELECT f.buyer_organization_id, f.quantity, f.offered_price, l.offer_count "
                                "FROM part_offers f JOIN marketplace_listings l ON l.id = f.listing_id "
                                "WHERE f.id = :id"), {"id": out.offer.id}).one()
    assert (row.buyer_organization_id, row.quantity, row.offered_price, row.offer_count) == (
        maria.organization_id, 2, Decimal("90.00"), 1)
    inquiry = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offer_type": "inquiry",
                                                        "message": "Coil voltage?"}, idempotency_key=key()))
    assert inquiry.offer.offer_type == "inquiry"

    fails(invoke(engine, maria, "submit_offer", {"listing_id": lid, "quantity": 4, "offered_price": "90"},
                 idempotency_key=key()), "insufficient_stock")
    fails(invoke(engine, maria, "submit_offer", {"listing_id": lid}, idempotency_key=key()), "invalid")
    fails(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offer_type": "trade",
                                                 "trade_items": [{"part_number": "X1"}]}, idempotency_key=key()),
          "invalid")
    fails(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "90",
                                                 "fulfillment_preference": "emergency_delivery"},
                 idempotency_key=key()), "invalid")
    fails(invoke(engine, metro, "submit_offer", {"listing_id": lid, "offered_price": "90"}, idempotency_key=key()),
          "forbidden")
    fails(invoke(engine, maria, "submit_offer", {"listing_id": str(uuid.uuid4()), "offered_price": "9"},
                 idempotency_key=key()), "not_found")
    firm = live_listing(engine, metro, price_negotiable=False)
    fails(invoke(engine, maria, "submit_offer", {"listing_id": firm, "offered_price": "80"}, idempotency_key=key()),
          "rejected_input")
    hidden = live_listing(engine, metro, visibility="internal")
    fails(invoke(engine, maria, "submit_offer", {"listing_id": hidden, "offered_price": "90"},
                 idempotency_key=key()), "not_found")


def test_list_offers_sent_and_received(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = live_listing(engine, metro)
    sent = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "95"},
                     idempotency_key=key()))
    mine = ok(invoke(engine, maria, "list_offers", {"direction": "sent", "status": "pending"}))
    assert sent.offer.id in {o.id for o in mine.offers}
    received = ok(invoke(engine, metro, "list_offers", {"direction": "received", "listing_id": lid}))
    assert [o.id for o in received.offers] == [sent.offer.id]
    assert received.offers[0].buyer_organization == maria.organization_name
    fails(invoke(engine, maria, "list_offers", {"direction": "received"}), "forbidden")
    other = member(engine, "Keystone Parts Supply", selling=True)
    theirs = ok(invoke(engine, other, "list_offers", {"direction": "received", "listing_id": lid}))
    assert theirs.offers == []


def test_counter_then_buyer_accepts_creates_transaction_and_reserves_stock(
    engine: Engine, maria: Caller, metro: Caller, buyers: list[Caller]
) -> None:
    item, number = stock_item(engine, metro, on_hand=4)
    lid = live_listing(engine, metro, part_number=number, inventory_item_id=str(item), quantity=3)
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "quantity": 2, "offered_price": "70"},
                      idempotency_key=key())).offer
    rival = next(b for b in buyers if b.organization_id != maria.organization_id)
    other = ok(invoke(engine, rival, "submit_offer", {"listing_id": lid, "quantity": 2, "offered_price": "99"},
                      idempotency_key=key())).offer
    fails(invoke(engine, maria, "respond_to_offer", {"offer_id": str(offer.id), "action": "accept"},
                 idempotency_key=key()), "conflict")  # the seller's move, not the buyer's
    fails(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": "counter"},
                 idempotency_key=key()), "invalid")
    countered = ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": "counter",
                                                              "counter_price": "85", "message": "Best I can do"},
                          idempotency_key=key()))
    assert countered.offer.status == "countered" and countered.offer.awaiting == "buyer"
    assert countered.offer.counter_offer.price == Decimal("85.00") and countered.offer.counter_offer.quantity == 2
    fails(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": "accept"},
                 idempotency_key=key()), "conflict")
    deal = ok(invoke(engine, maria, "respond_to_offer", {"offer_id": str(offer.id), "action": "accept"},
                     idempotency_key=key()))
    tx = deal.transaction
    assert tx.subtotal == Decimal("170.00") and tx.total == Decimal("170.00") and tx.fulfillment_type == "local_pickup"
    assert tx.pickup_code and len(tx.pickup_code) == 6 and tx.parts[0]["quantity"] == 2
    assert deal.listing_quantity_left == 1 and deal.listing_status == "active" and deal.other_offers_closed == 1
    with engine.connect() as conn:
        reserved = conn.execute(text("SELECT quantity_reserved FROM inventory_items WHERE id = :id"),
                                {"id": item}).scalar()
        row = conn.execute(text("SELECT seller_organization_id, buyer_organization_id, total, offer_id "
                                "FROM part_transactions WHERE id = :id"), {"id": tx.id}).one()
        statuses = dict(conn.execute(text("SELECT id, status FROM part_offers WHERE listing_id = :l"),
                                     {"l": lid}).all())
    assert reserved == 2
    assert (row.seller_organization_id, row.buyer_organization_id, row.total, row.offer_id) == (
        metro.organization_id, maria.organization_id, Decimal("170.00"), offer.id)
    assert statuses == {offer.id: "accepted", other.id: "expired"}
    fails(invoke(engine, maria, "withdraw_offer", {"offer_id": str(offer.id)}, idempotency_key=key()), "conflict")


def test_reject_withdraw_and_who_may_answer(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = live_listing(engine, metro)
    first = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "50"},
                      idempotency_key=key())).offer
    outsider = member(engine, "Keystone Parts Supply", selling=True)
    fails(invoke(engine, outsider, "respond_to_offer", {"offer_id": str(first.id), "action": "reject"},
                 idempotency_key=key()), "not_found")
    with engine.connect() as conn:
        tech = conn.execute(text("SELECT email FROM users WHERE organization_id = :org AND role = 'technician' "
                                 "AND is_active LIMIT 1"), {"org": metro.organization_id}).scalar()
    if tech:
        fails(invoke(engine, caller_by_email(engine, tech), "respond_to_offer",
                     {"offer_id": str(first.id), "action": "reject"}, idempotency_key=key()), "forbidden")
    rejected = ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(first.id), "action": "reject",
                                                             "message": "Too low"}, idempotency_key=key()))
    assert rejected.offer.status == "rejected" and rejected.offer.response_message == "Too low"
    second = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "60"},
                       idempotency_key=key())).offer
    fails(invoke(engine, metro, "withdraw_offer", {"offer_id": str(second.id)}, idempotency_key=key()), "forbidden")
    fails(invoke(engine, outsider, "withdraw_offer", {"offer_id": str(second.id)}, idempotency_key=key()),
          "not_found")
    withdrawn = ok(invoke(engine, maria, "withdraw_offer", {"offer_id": str(second.id), "reason": "found one"},
                          idempotency_key=key()))
    assert withdrawn.offer.status == "withdrawn"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM part_offers WHERE id = :id"), {"id": second.id}).scalar() == \
            "withdrawn"
    fails(invoke(engine, maria, "withdraw_offer", {"offer_id": str(second.id)}, idempotency_key=key()), "conflict")
    fails(invoke(engine, metro, "respond_to_offer", {"offer_id": str(second.id), "action": "accept"},
                 idempotency_key=key()), "conflict")


def test_submit_offer_is_idempotent(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = live_listing(engine, metro)
    args = {"listing_id": lid, "offered_price": "77", "quantity": 1}
    k = key()
    first = ok(invoke(engine, maria, "submit_offer", args, idempotency_key=k))
    again = ok(invoke(engine, maria, "submit_offer", args, idempotency_key=k))
    assert again.offer.id == first.offer.id
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM part_offers WHERE listing_id = :l"), {"l": lid}).scalar() == 1
        assert conn.execute(text("SELECT offer_count FROM marketplace_listings WHERE id = :l"), {"l": lid}).scalar() \
            == 1
    fails(invoke(engine, maria, "submit_offer", {**args, "offered_price": "78"}, idempotency_key=k), "conflict")


def _race(n: int, work: Any) -> list[Any]:
    barrier, results = threading.Barrier(n), [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # a bug, not an expected failure: surface it in the assertion below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def _assert_one_sale(engine: Engine, lid: str, item: uuid.UUID, results: list[Any]) -> None:
    winners = [r for r in results if not isinstance(r, ToolFailure)]
    assert len(winners) == 1, results
    # Losers see the offer already closed, the listing sold, or (submitting late) a listing no longer visible.
    assert all(r.error in ("conflict", "unavailable", "insufficient_stock", "not_found")
               for r in results if r not in winners)
    with engine.connect() as conn:
        txs = conn.execute(text("SELECT count(*) FROM part_transactions WHERE listing_id = :l"), {"l": lid}).scalar()
        qty, status = conn.execute(text("SELECT quantity_available, status FROM marketplace_listings WHERE id = :l"),
                                   {"l": lid}).one()
        reserved = conn.execute(text("SELECT quantity_reserved FROM inventory_items WHERE id = :i"),
                                {"i": item}).scalar()
    assert (txs, qty, status, reserved) == (1, 0, "sold", 1)


def test_twenty_parallel_accepts_of_the_last_unit(engine: Engine, metro: Caller, buyers: list[Caller]) -> None:
    item, number = stock_item(engine, metro, on_hand=1)
    lid = live_listing(engine, metro, part_number=number, inventory_item_id=str(item), quantity=1)
    offers = [ok(invoke(engine, buyers[i % len(buyers)], "submit_offer", {"listing_id": lid, "offered_price": "100"},
                        idempotency_key=key())).offer.id for i in range(20)]
    results = _race(20, lambda i: invoke(engine, metro, "respond_to_offer",
                                         {"offer_id": str(offers[i]), "action": "accept"}, idempotency_key=key()))
    _assert_one_sale(engine, lid, item, results)
    with engine.connect() as conn:
        statuses = list(conn.execute(text("SELECT status FROM part_offers WHERE listing_id = :l"),
                                     {"l": lid}).scalars())
    assert sorted(statuses) == ["accepted"] + ["expired"] * 19


def test_twenty_parallel_offer_and_accept_flows(engine: Engine, metro: Caller, buyers: list[Caller]) -> None:
    item, number = stock_item(engine, metro, on_hand=1)
    lid = live_listing(engine, metro, part_number=number, inventory_item_id=str(item), quantity=1)

    def buy(i: int) -> Any:
        offer = invoke(engine, buyers[i % len(buyers)], "submit_offer", {"listing_id": lid, "offered_price": "100"},
                       idempotency_key=key())
        if isinstance(offer, ToolFailure):
            return offer
        return invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.offer.id), "action": "accept"},
                      idempotency_key=key())

    _assert_one_sale(engine, lid, item, _race(20, buy))


def test_trade_and_emergency_deals(engine: Engine, maria: Caller, metro: Caller) -> None:
    swap = live_listing(engine, metro, listing_type="trade", price=None, quantity=1, trade_for=["PPO-WANTED"])
    fails(invoke(engine, maria, "submit_offer", {"listing_id": swap, "offer_type": "trade"}, idempotency_key=key()),
          "invalid")
    offer = ok(invoke(engine, maria, "submit_offer", {
        "listing_id": swap, "offer_type": "trade", "trade_items": [{"part_number": "PPO-WANTED", "quantity": 1}]},
        idempotency_key=key())).offer
    deal = ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": "accept"},
                     idempotency_key=key()))
    assert deal.transaction.transaction_type == "trade" and deal.listing_status == "traded"
    with engine.connect() as conn:
        received = conn.execute(text("SELECT trade_parts_received FROM part_transactions WHERE id = :id"),
                                {"id": deal.transaction.id}).scalar()
    assert received == [{"part_number": "PPO-WANTED", "quantity": 1}]

    urgent = live_listing(engine, metro, listing_type="emergency", price="300", emergency_premium="75",
                          fulfillment_options=["local_pickup", "emergency_delivery"], shipping_cost=None)
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": urgent, "offered_price": "300", "is_urgent": True,
                                                      "fulfillment_preference": "emergency_delivery"},
                      idempotency_key=key())).offer
    deal = ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": "accept"},
                     idempotency_key=key()))
    tx = deal.transaction
    assert (tx.transaction_type, tx.subtotal, tx.shipping_cost, tx.total) == (
        "emergency_sale", Decimal("300.00"), Decimal("75.00"), Decimal("375.00"))
    assert deal.listing_quantity_left == 2 and tx.pickup_code
