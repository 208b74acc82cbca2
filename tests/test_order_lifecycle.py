"""An order's workflow through the tools: the whole way from placement to an authorized return (stock, invoice,
history, notices at each step), cancel and reject releasing the reserved stock of every kind of source,
approvals by parts managers only (never one's own order), the messages of refused steps, and idempotency."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.deal_helpers import stock_of
from tests.order_helpers import (
    advance,
    listing_source,
    listing_state,
    notices,
    offer_stock,
    order_history,
    order_row,
    own_stock_source,
    place_order,
    sellers_of,
    supplier_source,
)
from tests.tool_helpers import fails, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure

SUMMIT = "summitvm.example"


def summit(engine: Engine, name: str) -> Caller:
    return caller_by_email(engine, f"{name}@{SUMMIT}")


@pytest.fixture(scope="module")
def people(engine: Engine) -> dict[str, Caller]:
    return {"derek": summit(engine, "derek.olson"), "maria": summit(engine, "maria.gonzalez"),
            "linda": summit(engine, "linda.park"), "victor": summit(engine, "victor.nguyen"),
            "jordan": summit(engine, "jordan.ellis"), "rachel": summit(engine, "rachel.kim"),
            "ray": caller_by_email(engine, "ray.kowalski@metrosalvage.example"),
            "jolene": caller_by_email(engine, "jolene.pratt@metrosalvage.example"),
            "rival": member(engine, "Rival Lift & Climate", selling=True)}


def roles_of(engine: Engine, users: set[uuid.UUID]) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {tuple(r) for r in conn.execute(text(
            "SELECT o.name, u.role FROM users u JOIN organizations o ON o.id = u.organization_id "
            "WHERE u.id = ANY(:ids)"), {"ids": list(users)})}


def update(engine: Engine, who: Caller, order: uuid.UUID, transition: str, **details: Any) -> Any:
    return invoke(engine, who, "update_order", {"order_id": str(order), "transition": transition, **details},
                  idempotency_key=key())


def test_a_marketplace_order_goes_the_whole_way(engine: Engine, people: dict[str, Caller]) -> None:
    derek, ray, jolene = people["derek"], people["ray"], people["jolene"]
    source, item = listing_source(engine, ray, 5)
    order, number = place_order(engine, derek, source, 2)
    assert listing_state(engine, source.listing_id) == (3, "active") and stock_of(engine, item) == (5, 2)
    row = order_row(engine, order)
    assert row.status == "pending_payment" and row.invoice_number.startswith("MSS-")
    desk = {n.user_id for n in notices(engine, order) if n.category == "order_placed"}
    assert desk == sellers_of(engine, ray.organization_id) >= {ray.user_id, jolene.user_id}  # others may join it

    paid = ok(update(engine, ray, order, "verify-payment"))
    assert paid.from_status == "pending_payment" and paid.order.status == "payment_verified"
    assert paid.order.next_steps == ["approve", "reject", "pack", "ship"]
    assert order_row(engine, order).payment_verified_at is not None
    [told] = [n for n in notices(engine, order, derek) if n.category == "order_status"]
    assert told.title == f"Payment received: order {number}"
    assert ok(update(engine, ray, order, "approve")).order.status == "processing"
    assert order_row(engine, order).accepted_at is not None
    assert ok(update(engine, jolene, order, "pack")).order.status == "packed"

    missing = fails(update(engine, ray, order, "ship", carrier="UPS"), "invalid")
    assert "tracking number" in missing.message and order_row(engine, order).status == "packed"
    shipped = ok(update(engine, ray, order, "ship", carrier="UPS", tracking_number="1Z999AA10123456784"))
    assert shipped.message.startswith(f"Order {number} marked shipped (UPS 1Z999AA10123456784).")
    assert shipped.message.endswith("You can mark it delivered.")  # either side may, once it arrives
    row = order_row(engine, order)
    assert (row.status, row.carrier, row.tracking_number) == ("shipped", "UPS", "1Z999AA10123456784")
    assert stock_of(engine, item) == (3, 0), "the shipped units left the shelf"
    assert "UPS 1Z999AA10123456784" in notices(engine, order, derek)[-1].body

    assert ok(update(engine, derek, order, "deliver")).order.status == "delivered"
    assert fails(update(engine, derek, order, "return"), "invalid").message.startswith("Say why")
    asked = ok(update(engine, derek, order, "return", reason="wrong voltage"))
    assert asked.order.status == "return_requested" and asked.order.return_reason == "wrong voltage"
    returns = [n for n in notices(engine, order) if n.category == "order_return_requested"]
    assert {n.user_id for n in returns} == desk and "wrong voltage" in returns[0].body

    done = ok(update(engine, ray, order, "return"))
    rma = f"RMA-{number.removeprefix('ORD-')}"
    assert done.order.status == "returned" and done.order.return_authorization == rma and rma in done.message
    assert stock_of(engine, item) == (5, 0) and listing_state(engine, source.listing_id) == (5, "active")
    assert order_row(engine, order).returned_at is not None
    assert order_history(engine, order) == [
        (None, "pending_payment", derek.user_id), ("pending_payment", "payment_verified", ray.user_id),
        ("payment_verified", "processing", ray.user_id), ("processing", "packed", jolene.user_id),
        ("packed", "shipped", ray.user_id), ("shipped", "delivered", derek.user_id),
        ("delivered", "return_requested", derek.user_id), ("return_requested", "returned", ray.user_id)]
    derek_titles = [n.title for n in notices(engine, order, derek) if n.category == "order_status"]
    assert derek_titles == [f"Payment received: order {number}", f"Order {number} accepted",
                            f"Order {number} packed", f"Order {number} shipped",
                            f"Return authorized: order {number}"], "each step but his own"
    view = ok(invoke(engine, derek, "get_order", {"order_number": number}))
    assert [(h.from_status, h.to_status, h.by) for h in view.history][-1] == (
        "return_requested", "returned", "Ray Kowalski")
    assert view.invoice_url == f"/api/v1/orders/{order}/invoice.pdf" and view.next_steps == []


def test_cancel_and_reject_give_back_what_each_kind_of_order_reserved(engine: Engine,
                                                                      people: dict[str, Caller]) -> None:
    derek, linda, ray = people["derek"], people["linda"], people["ray"]
    source, item = listing_source(engine, ray, 2)
    sold_out, _ = place_order(engine, derek, source, 2)
    assert listing_state(engine, source.listing_id) == (0, "sold")
    cancelled = ok(update(engine, derek, sold_out, "cancel", reason="found one on the truck"))
    assert cancelled.order.cancel_reason == "Cancelled by Derek Olson: found one on the truck"
    assert listing_state(engine, source.listing_id) == (2, "active") and stock_of(engine, item) == (2, 0)
    assert order_row(engine, sold_out).cancelled_at is not None

    supplier = supplier_source(engine, "Keystone Parts Supply", 1)
    backordered, _ = place_order(engine, derek, supplier, 3, unit_price="150")
    view = ok(invoke(engine, derek, "get_order", {"order_id": str(backordered)}))
    assert (view.lines[0].quantity_reserved, view.lines[0].quantity_backordered, view.lines[0].eta_days) == (1, 2, 5)
    assert offer_stock(engine, supplier.supplier_offer_id) == (1, 1)
    keystone = caller_by_email(engine, "paul.ferraro@keystoneparts.example")
    rejected = ok(update(engine, keystone, backordered, "reject", reason="discontinued"))
    assert rejected.order.cancel_reason == "Rejected by Keystone Parts Supply: discontinued"
    assert offer_stock(engine, supplier.supplier_offer_id) == (1, 0)
    [told] = [n for n in notices(engine, backordered, derek) if n.category == "order_status"]
    assert told.title.endswith("rejected") and "discontinued" in told.body

    own = own_stock_source(engine, derek, 4)
    assert own.inventory_item_id is not None
    transfer, _ = place_order(engine, derek, own, 3, status="processing", site_name="Hyatt Regency Denver")
    assert stock_of(engine, own.inventory_item_id) == (4, 3) and order_row(engine, transfer).invoice_number is None
    ok(update(engine, linda, transfer, "cancel"))  # a parts manager may cancel a technician's order
    assert stock_of(engine, own.inventory_item_id) == (4, 0)


def test_the_supplier_gets_back_returned_units_and_ships_what_it_had(engine: Engine,
                                                                     people: dict[str, Caller]) -> None:
    derek = people["derek"]
    keystone = caller_by_email(engine, "tina.alvarez@keystoneparts.example")
    supplier = supplier_source(engine, "Keystone Parts Supply", 2)
    order, _ = place_order(engine, derek, supplier, 3, unit_price="150")
    advance(engine, order, "shipped", derek, keystone)
    assert offer_stock(engine, supplier.supplier_offer_id) == (0, 0)
    advance(engine, order, "return_requested", derek, keystone)
    ok(update(engine, keystone, order, "return"))
    assert offer_stock(engine, supplier.supplier_offer_id) == (3, 0)


def test_an_order_over_the_limit_waits_for_a_parts_manager(engine: Engine, people: dict[str, Caller]) -> None:
    derek, linda, victor, ray = people["derek"], people["linda"], people["victor"], people["ray"]
    source, _ = listing_source(engine, ray, 10, price="406.20")
    order, number = place_order(engine, derek, source, 2, status="awaiting_approval", unit_price="406.20")
    asked = [n for n in notices(engine, order) if n.category == "order_approval_needed"]
    told = {n.user_id for n in asked}
    assert {linda.user_id, victor.user_id} <= told and derek.user_id not in told
    assert roles_of(engine, told) == {("Summit Vertical & Mechanical", "admin"),
                                      ("Summit Vertical & Mechanical", "parts_manager")}, "approvers only"
    assert asked[0].actions == [{"label": "Approve", "say": f"approve order {number}"},
                                {"label": "Reject", "say": f"reject order {number}"}]
    assert "Derek Olson ordered 2 × " in asked[0].body and "$812.40" in asked[0].body
    assert not [n for n in notices(engine, order) if n.user_id == ray.user_id], "the seller hears once approved"
    assert order_row(engine, order).invoice_number is None

    for outsider in ("maria", "jordan", "rachel", "ray", "derek"):
        refused = fails(update(engine, people[outsider], order, "approve"), "forbidden")
        assert "only a parts manager or admin of the buying organization can approve it" in refused.message
    assert order_row(engine, order).status == "awaiting_approval"
    listed = ok(invoke(engine, linda, "list_orders", {"status": "awaiting_approval", "limit": 100}))
    assert any(o.id == order and o.next_steps == ["approve", "reject", "cancel"] for o in listed.orders)

    approved = ok(update(engine, linda, order, "approve"))
    row = order_row(engine, order)
    assert (row.status, row.approved_by) == ("pending_payment", linda.user_id) and row.approved_at is not None
    assert row.invoice_number and approved.order.approved_by == "Linda Park"
    assert [n.title for n in notices(engine, order, derek) if n.category == "order_status"] == [
        f"Order {number} approved"]
    assert [n.category for n in notices(engine, order, ray)] == ["order_placed"]
    assert fails(update(engine, victor, order, "approve"), "conflict").message.startswith(
        f"Order {number} is awaiting payment; it can no longer be approved.")


def test_rejection_and_ones_own_order(engine: Engine, people: dict[str, Caller]) -> None:
    derek, linda, victor, ray = people["derek"], people["linda"], people["victor"], people["ray"]
    source, item = listing_source(engine, ray, 3)
    order, number = place_order(engine, derek, source, 1, status="awaiting_approval")
    no = ok(update(engine, linda, order, "reject", reason="use the stock at North Satellite"))
    assert no.order.status == "cancelled" and stock_of(engine, item) == (3, 0)
    assert no.order.cancel_reason == "Not approved by Linda Park: use the stock at North Satellite"
    [told] = [n for n in notices(engine, order, derek) if n.category == "order_status"]
    assert told.title == f"Order {number} not approved" and "North Satellite" in told.body
    assert not [n for n in notices(engine, order, ray)], "the seller never saw it"

    own, _ = place_order(engine, linda, source, 1, status="awaiting_approval")
    refused = fails(update(engine, linda, own, "approve"), "forbidden")
    assert "nobody approves an order they placed themselves" in refused.message
    admins, _ = place_order(engine, victor, source, 1, status="awaiting_approval")
    assert ok(update(engine, victor, admins, "approve")).order.status == "pending_payment"

    transfer, _ = place_order(engine, derek, own_stock_source(engine, derek, 2), 1, status="awaiting_approval")
    assert ok(update(engine, linda, transfer, "approve")).order.status == "processing", "no payment for a transfer"


def test_refusals_say_the_status_and_what_can_be_done(engine: Engine, people: dict[str, Caller]) -> None:
    derek, maria, ray = people["derek"], people["maria"], people["ray"]
    source, _ = listing_source(engine, ray, 6)
    order, number = place_order(engine, derek, source, 1)
    early = fails(update(engine, derek, order, "deliver"), "conflict")
    assert early.message == f"Order {number} is awaiting payment; it cannot be marked delivered yet. You can cancel it."
    assert fails(update(engine, maria, order, "cancel"), "forbidden").message.startswith(
        f"Order {number} is awaiting payment; only the person who placed it")
    seller_side = fails(update(engine, ray, order, "cancel"), "forbidden")
    assert "You can reject it or mark the payment verified." in seller_side.message
    assert fails(update(engine, derek, order, "pack"), "conflict").message.startswith(
        f"Order {number} is awaiting payment; it cannot be marked packed yet.")

    advance(engine, order, "processing", derek, ray)
    assert fails(update(engine, derek, order, "pack"), "forbidden").message == (
        f"Order {number} is being processed; only the seller can mark it packed now. You can cancel it.")
    advance(engine, order, "shipped", derek, ray)
    late = fails(update(engine, derek, order, "cancel"), "conflict")
    assert late.message == f"Order {number} is shipped; it can no longer be cancelled. You can mark it delivered."
    closed, closed_number = place_order(engine, derek, source, 1)
    advance(engine, closed, "cancelled", derek, ray)
    gone = fails(update(engine, ray, closed, "ship", tracking_number="1Z1"), "conflict")
    assert gone.message == (f"Order {closed_number} is cancelled; it cannot be marked shipped any more. "
                            "Nothing more can be done with it.")

    transfer, _ = place_order(engine, derek, own_stock_source(engine, derek, 2), 1, status="processing")
    assert "no payment to verify" in fails(update(engine, people["linda"], transfer, "verify-payment"),
                                           "conflict").message
    assert ok(update(engine, people["linda"], transfer, "ship")).order.status == "shipped", "no tracking in-house"


def test_a_retried_call_changes_the_order_once(engine: Engine, people: dict[str, Caller]) -> None:
    derek, ray = people["derek"], people["ray"]
    source, _ = listing_source(engine, ray, 2)
    order, _ = place_order(engine, derek, source, 1)
    once = key()
    args = {"order_id": str(order), "transition": "verify-payment"}
    first = ok(invoke(engine, ray, "update_order", args, idempotency_key=once))
    again = ok(invoke(engine, ray, "update_order", args, idempotency_key=once))
    assert again.order.status == first.order.status == "payment_verified"
    assert [e[1] for e in order_history(engine, order)] == ["pending_payment", "payment_verified"]
    reused = invoke(engine, ray, "update_order", {**args, "transition": "pack"}, idempotency_key=once)
    assert fails(reused, "conflict") and order_row(engine, order).status == "payment_verified"




def test_racing_steps_on_one_order_leave_exactly_one_winner(engine: Engine, people: dict[str, Caller]) -> None:
    derek, ray = people["derek"], people["ray"]
    source, item = listing_source(engine, ray, 3)
    order, _ = place_order(engine, derek, source, 2, po_number=f"RACE-{uuid.uuid4().hex[:6]}")
    advance(engine, order, "processing", derek, ray)
    calls = [(ray, "ship", {"tracking_number": "1Z999AA10123456784"}), (derek, "cancel", {})] * 4
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(lambda c: update(engine, c[0], order, c[1], **c[2]), calls))
    won = [r for r in results if not isinstance(r, ToolFailure)]
    assert len(won) == 1 and all(r.error == "conflict" for r in results if isinstance(r, ToolFailure))
    final = order_row(engine, order).status
    assert final == won[0].order.status and [e[1] for e in order_history(engine, order)][-1] == final
    assert len(order_history(engine, order)) == 4, "placed, paid, accepted, and the one winner"
    assert stock_of(engine, item) == ((1, 0) if final == "shipped" else (3, 0))
    assert listing_state(engine, source.listing_id)[0] == (1 if final == "shipped" else 3)


def test_an_order_is_found_by_its_number_or_the_buyers_po(engine: Engine, people: dict[str, Caller]) -> None:
    derek, ray = people["derek"], people["ray"]
    source, _ = listing_source(engine, ray, 2)
    po = f"PO-{uuid.uuid4().hex[:6].upper()}"
    order, number = place_order(engine, derek, source, 1, po_number=po)
    digits = number.removeprefix("ORD-")
    for said in (number, f"ord {digits}", f"#{digits}", digits, po):
        assert ok(invoke(engine, derek, "get_order", {"order_number": said})).id == order, said
    assert ok(invoke(engine, ray, "get_order", {"order_number": number})).role == "seller"
    fails(invoke(engine, ray, "get_order", {"order_number": po}), "not_found")  # a PO is the buyer's own word
    fails(invoke(engine, people["rival"], "get_order", {"order_number": number}), "not_found")
    fails(invoke(engine, derek, "get_order", {}), "invalid")
