"""Orders for the workflow tests, made as checkout makes them — stock reserved under row locks (tools.orders.
reserve), the order started by the lifecycle — and brought to any status by the lifecycle's own steps, so the
stock, the invoice, the history and the notices of an order in any status are what the workflow leaves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge.models import Order, OrderItem
from tests.deal_helpers import stock_row
from tests.tool_helpers import create_test_listing
from tools.context import Caller
from tools.orders.lifecycle import enter_status
from tools.orders.reserve import lock_sources, reserve_listing, reserve_own_stock, reserve_supplier_offer

# The order's way through its workflow; the steps past pending_payment, and who of the two sides makes each.
FLOW = ("pending_payment", "payment_verified", "processing", "packed", "shipped", "delivered", "return_requested",
        "returned")
BUYER_STEPS = frozenset({"delivered", "return_requested", "cancelled"})
TIMESTAMP = {"payment_verified": "payment_verified_at", "processing": "accepted_at", "packed": "packed_at",
             "shipped": "shipped_at", "delivered": "delivered_at", "cancelled": "cancelled_at",
             "returned": "returned_at"}


@dataclass(frozen=True)
class Source:
    """Where an order's units come from: exactly one of the three."""

    listing_id: uuid.UUID | None = None
    supplier_offer_id: uuid.UUID | None = None
    inventory_item_id: uuid.UUID | None = None
    part_number: str = ""


def listing_source(engine: Engine, seller: Caller, on_hand: int, price: str = "100") -> tuple[Source, uuid.UUID]:
    """A published, stock-backed listing of `seller` with all `on_hand` units for sale; (source, stock row)."""
    item, number = stock_row(engine, seller, on_hand, prefix="ORD")
    listing = create_test_listing(engine, seller, "ORD", part_number=number, inventory_item_id=str(item),
                                  quantity=on_hand, price=price, name="Test relay", category="electrical_relay",
                                  fulfillment_options=["local_pickup", "shipping"])
    return Source(listing_id=listing, part_number=number), item


def supplier_source(engine: Engine, org_name: str, on_hand: int, *, price: str = "150",
                    backorder: bool = True) -> Source:
    """A supplier offer of `org_name` (its supplier profile and a test branch made when missing)."""
    number = f"SUP-{uuid.uuid4().hex[:8].upper()}"
    with engine.begin() as conn:
        org = conn.execute(text("SELECT id FROM organizations WHERE name = :n"), {"n": org_name}).scalar_one()
        supplier = conn.execute(text("SELECT id FROM suppliers WHERE organization_id = :o"), {"o": org}).scalar()
        if supplier is None:
            supplier = conn.execute(text(
                "INSERT INTO suppliers (organization_id, name, supplier_type, authorized) "
                "VALUES (:o, :n, 'authorized_distributor', true) RETURNING id"), {"o": org, "n": org_name}).scalar()
        branch = conn.execute(text(
            "INSERT INTO supplier_branches (supplier_id, code, name, city) VALUES (:s, :c, 'Test branch', 'Denver') "
            "ON CONFLICT (supplier_id, code) DO UPDATE SET name = EXCLUDED.name RETURNING id"),
            {"s": supplier, "c": "TEST-ORDERS"}).scalar()
        offer = conn.execute(text(
            "INSERT INTO supplier_offers (supplier_id, branch_id, part_number, part_number_norm, manufacturer, "
            "description, unit_price, stock_on_hand, lead_time_days, backorder_allowed) VALUES (:s, :b, :pn, :norm, "
            "'Testco', 'Test contactor', :price, :on_hand, 5, :backorder) RETURNING id"),
            {"s": supplier, "b": branch, "pn": number, "norm": number.replace("-", ""), "price": Decimal(price),
             "on_hand": on_hand, "backorder": backorder}).scalar_one()
    return Source(supplier_offer_id=offer, part_number=number)


def own_stock_source(engine: Engine, org: Caller, on_hand: int) -> Source:
    item, number = stock_row(engine, org, on_hand, prefix="TRF")
    return Source(inventory_item_id=item, part_number=number)


def place_order(engine: Engine, buyer: Caller, source: Source, quantity: int = 1, *,
                status: str = "pending_payment", unit_price: str = "100", site_name: str | None = "Brown Palace Hotel",
                po_number: str | None = "4471") -> tuple[uuid.UUID, str]:
    """One order of `quantity` units from `source`, placed by `buyer` as checkout places it (stock reserved,
    started by the lifecycle in `status`: pending_payment, awaiting_approval, or processing for a transfer);
    (order id, order number)."""
    with Session(engine) as session, session.begin():
        locked = lock_sources(session, [source.listing_id], [source.supplier_offer_id], [source.inventory_item_id])
        kind, seller_org, eta, reserved, name = _reserve(session, locked, buyer, source, quantity)
        total = Decimal(unit_price) * quantity if kind != "transfer" else Decimal(0)
        order = Order(kind=kind, status=status, buyer_id=buyer.user_id, buyer_organization_id=buyer.organization_id,
                      seller_organization_id=seller_org, subtotal=total, total=total, currency="USD",
                      po_number=po_number, site_name=site_name,
                      ship_to={"label": site_name or "Summit Main Warehouse", "site_name": site_name,
                               "kind": "site" if site_name else "address"})
        session.add(order)
        session.flush()
        price = Decimal(unit_price) if kind != "transfer" else Decimal(0)
        session.add(OrderItem(
            order_id=order.id, listing_id=source.listing_id, supplier_offer_id=source.supplier_offer_id,
            inventory_item_id=source.inventory_item_id, part_number=source.part_number, manufacturer="Testco",
            name=name, condition="used_good", quantity=quantity, quantity_reserved=reserved, unit_price=price,
            line_total=total, eta_days=eta))
        session.flush()
        enter_status(session, order, status, buyer.user_id, "placed")
        return order.id, order.order_number


def _reserve(session: Session, locked: Any, buyer: Caller, source: Source,
             quantity: int) -> tuple[str, uuid.UUID, int | None, int, str]:
    if source.listing_id is not None:
        listing = locked.listings[source.listing_id]
        reserved = reserve_listing(locked, source.listing_id, quantity, "Seller", buyer.user_id, session)
        return "marketplace", listing.organization_id, None, reserved, listing.name
    if source.supplier_offer_id is not None:
        offer = locked.offers[source.supplier_offer_id]
        reserved = reserve_supplier_offer(locked, source.supplier_offer_id, quantity, "Supplier")
        org = session.execute(text("SELECT organization_id FROM suppliers WHERE id = :s"),
                              {"s": offer.supplier_id}).scalar_one()
        return "supplier", org, offer.lead_time_days if reserved < quantity else None, reserved, "Test contactor"
    assert source.inventory_item_id is not None
    reserved = reserve_own_stock(locked, source.inventory_item_id, quantity, buyer.organization_id, "the shelf",
                                 buyer.user_id, session)
    return "transfer", buyer.organization_id, None, reserved, "Test relay"


def advance(engine: Engine, order_id: uuid.UUID, status: str, buyer: Caller, seller: Caller) -> None:
    """Take a placed order along the workflow to `status` (cancelled: straight from where it is), each step
    made by the side that makes it, through the lifecycle."""
    with Session(engine) as session, session.begin():
        order = session.get(Order, order_id, with_for_update=True)
        assert order is not None
        if status == "cancelled":
            enter_status(session, order, "cancelled", buyer.user_id, "changed my mind")
            return
        if order.status == "awaiting_approval":
            return
        start = FLOW.index(order.status) + 1
        for step in FLOW[start:FLOW.index(status) + 1]:
            if step == "shipped":
                order.carrier, order.tracking_number = "UPS", "1Z999AA10123456784"
            note = "wrong voltage" if step == "return_requested" else None
            enter_status(session, order, step, (buyer if step in BUYER_STEPS else seller).user_id, note)


def order_row(engine: Engine, order_id: uuid.UUID) -> Any:
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM orders WHERE id = :id"), {"id": order_id}).one()


def order_history(engine: Engine, order_id: uuid.UUID) -> list[tuple[str | None, str, uuid.UUID | None]]:
    """(from, to, by) of every event, oldest first."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT from_status, to_status, user_id FROM order_events WHERE order_id = :id ORDER BY created_at, id"),
            {"id": order_id})]


def notices(engine: Engine, order_id: uuid.UUID, user: Caller | None = None) -> list[Any]:
    """The notifications about an order (to one person when given), oldest first."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT n.user_id, n.category, n.title, n.body, n.actions FROM notifications n WHERE n.subject_id = :id "
            "AND (CAST(:u AS uuid) IS NULL OR n.user_id = :u) ORDER BY n.created_at, n.id"),
            {"id": order_id, "u": user.user_id if user else None}))


def listing_state(engine: Engine, listing_id: uuid.UUID | None) -> tuple[int, str]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT quantity_available, status FROM marketplace_listings WHERE id = :id"),
                           {"id": listing_id}).one()
    return row.quantity_available, row.status


def offer_stock(engine: Engine, offer_id: uuid.UUID | None) -> tuple[int, int]:
    """(on hand, reserved) of a supplier offer."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT stock_on_hand, stock_reserved FROM supplier_offers WHERE id = :id"),
                           {"id": offer_id}).one()
    return row.stock_on_hand, row.stock_reserved


def sellers_of(engine: Engine, organization_id: object) -> set[object]:
    """Everyone at the selling organization's desk (other tests may add people to it)."""
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT id FROM users WHERE organization_id = :o AND is_active AND role IN "
                                     "('seller', 'parts_manager', 'admin')"), {"o": organization_id}).scalars())
