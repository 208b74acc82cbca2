"""An order as a person of either side sees it — its lines, money, ship-to, invoice, tracking, history and the
steps the caller may take next — and finding an order the caller may see. An order is seen by its buying
organization and by the selling organization's sellers; to anyone else it does not exist ("not found")."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from knowledge.models import Order, OrderEvent, OrderItem, Organization, User
from tools.context import Caller
from tools.orders.transitions import STATUS_WORDS, Transition, next_steps, what_next
from tools.results import ToolFailed

OrderRole = Literal["buyer", "seller"]
ORDER_PREFIX = "ORD-"  # the database numbers orders ORD-100001, ORD-100002, …
_NUMBER = re.compile(r"^\s*(?:ORD(?:ER)?)?[\s#-]*0*(\d{1,9})\s*$", re.IGNORECASE)


class OrderLine(BaseModel):
    part_number: str
    manufacturer: str | None
    name: str
    condition: str
    quantity: int
    quantity_reserved: int = Field(description="Units taken from stock at checkout.")
    quantity_backordered: int = Field(description="Units that ship after the supplier's lead time.")
    unit_price: Decimal
    line_total: Decimal
    eta_days: int | None = Field(description="Days until the backordered units ship (supplier lead time).")


class OrderHistoryEntry(BaseModel):
    at: datetime
    from_status: str | None = Field(description="None: the order was placed.")
    to_status: str
    by: str | None = Field(description="Who made the change (None: Partpilot itself).")
    note: str | None


class OrderView(BaseModel):
    id: uuid.UUID
    order_number: str = Field(description="How people name the order, e.g. 'ORD-100012'.")
    kind: Literal["marketplace", "supplier", "transfer"]
    status: str
    status_words: str = Field(description="The status as a person says it, e.g. 'awaiting payment'.")
    role: OrderRole = Field(description="Your side of the order: buyer or seller.")
    buyer_organization: str
    buyer_name: str = Field(description="Who placed the order.")
    seller_organization: str
    lines: list[OrderLine]
    subtotal: Decimal
    shipping_cost: Decimal
    tax: Decimal
    total: Decimal
    currency: str
    po_number: str | None
    shipping_method: str
    ship_to: dict[str, Any]
    site_name: str | None
    invoice_number: str | None
    invoice_url: str | None = Field(description="Where the PDF invoice downloads, once issued.")
    carrier: str | None
    tracking_number: str | None
    cancel_reason: str | None
    return_reason: str | None
    return_authorization: str | None = Field(description="The seller's return authorization, e.g. 'RMA-100012'.")
    approved_by: str | None
    created_at: datetime
    approved_at: datetime | None
    payment_verified_at: datetime | None
    accepted_at: datetime | None
    packed_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    returned_at: datetime | None
    history: list[OrderHistoryEntry] = Field(description="Every status change, oldest first.")
    next_steps: list[Transition] = Field(description="What YOU may do with the order now (update_order's "
                                         "transition), e.g. ['approve', 'reject']; empty: nothing.")
    next_words: str = Field(description="What can happen next, in a sentence.")


class OrderSummary(BaseModel):
    """An order in a list: enough to pick it; get_order has the rest."""

    id: uuid.UUID
    order_number: str
    kind: str
    status: str
    status_words: str
    role: OrderRole
    buyer_organization: str
    buyer_name: str
    seller_organization: str
    lines: str = Field(description="What was ordered, e.g. '2 × GAA26800LC1'.")
    total: Decimal
    currency: str
    po_number: str | None
    site_name: str | None
    invoice_number: str | None
    carrier: str | None
    tracking_number: str | None
    created_at: datetime
    next_steps: list[Transition]


def order_role(caller: Caller, order: Any) -> OrderRole:
    """The caller's side: for a transfer (one organization on both sides), the seller's desk unless they
    placed it themselves."""
    if order.buyer_organization_id != order.seller_organization_id:
        return "buyer" if caller.organization_id == order.buyer_organization_id else "seller"
    return "seller" if caller.can_sell and caller.user_id != order.buyer_id else "buyer"


def can_see(caller: Caller, order: Any) -> bool:
    return caller.organization_id == order.buyer_organization_id or (
        caller.organization_id == order.seller_organization_id and caller.can_sell)


def normalized_order_number(text: str) -> str | None:
    """ "ord 100012", "#100012", "ORD-100012" → "ORD-100012"; None when it is no order number."""
    found = _NUMBER.match(text)
    return f"{ORDER_PREFIX}{int(found.group(1)):06d}" if found else None


def find_order(session: Session, caller: Caller, order_id: uuid.UUID | None = None,
               order_number: str | None = None, *, lock: bool = False) -> Order:
    """The order the caller may see, by id or number (locked for a change when `lock`); else not_found."""
    said = (order_number or "").strip()
    number = normalized_order_number(said) if said else None
    if order_id is not None:
        query = select(Order).where(Order.id == order_id)
    elif said:  # the order's number, else the buyer's own PO number on one of their orders
        query = select(Order).where(or_(Order.order_number == number, and_(
            Order.po_number == said, Order.buyer_organization_id == caller.organization_id))).order_by(
            (Order.order_number == number).desc(), Order.created_at.desc()).limit(1)
    else:
        raise ToolFailed("invalid", "Say which order: its order_id, or its number like 'ORD-100012'.")
    order = session.scalars(query.with_for_update() if lock else query).first()
    if order is None or not can_see(caller, order):
        named = number or said or "with that id"
        raise ToolFailed("not_found", f"No order {named} that you can see.",
                         hint="list_orders shows your organization's orders.")
    return order


def _names(session: Session, model: Any, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {row.id: row.name for row in session.execute(select(model.id, model.name).where(model.id.in_(wanted)))}


def load_order_view(session: Session, caller: Caller, order: Order) -> OrderView:
    """The whole order as `caller` sees it (call only for an order they may see)."""
    items = list(session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)))
    events = list(session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                  .order_by(OrderEvent.created_at, OrderEvent.id)))
    people = _names(session, User, {order.buyer_id, order.approved_by, *(e.user_id for e in events)})
    orgs = _names(session, Organization, {order.buyer_organization_id, order.seller_organization_id})
    return OrderView(
        id=order.id, order_number=order.order_number, kind=order.kind,  # type: ignore[arg-type]
        status=order.status, status_words=STATUS_WORDS.get(order.status, order.status),
        role=order_role(caller, order), buyer_organization=orgs.get(order.buyer_organization_id, ""),
        buyer_name=people.get(order.buyer_id, ""), seller_organization=orgs.get(order.seller_organization_id, ""),
        lines=[OrderLine(part_number=i.part_number, manufacturer=i.manufacturer, name=i.name, condition=i.condition,
                         quantity=i.quantity, quantity_reserved=i.quantity_reserved,
                         quantity_backordered=max(i.quantity - i.quantity_reserved, 0) if i.supplier_offer_id else 0,
                         unit_price=i.unit_price, line_total=i.line_total, eta_days=i.eta_days) for i in items],
        subtotal=order.subtotal, shipping_cost=order.shipping_cost, tax=order.tax, total=order.total,
        currency=order.currency, po_number=order.po_number, shipping_method=order.shipping_method,
        ship_to=dict(order.ship_to or {}), site_name=order.site_name, invoice_number=order.invoice_number,
        invoice_url=f"/api/v1/orders/{order.id}/invoice.pdf" if order.invoice_number else None,
        carrier=order.carrier, tracking_number=order.tracking_number, cancel_reason=order.cancel_reason,
        return_reason=order.return_reason, return_authorization=order.return_authorization,
        approved_by=people.get(order.approved_by) if order.approved_by else None, created_at=order.created_at,
        approved_at=order.approved_at, payment_verified_at=order.payment_verified_at,
        accepted_at=order.accepted_at, packed_at=order.packed_at, shipped_at=order.shipped_at,
        delivered_at=order.delivered_at, cancelled_at=order.cancelled_at, returned_at=order.returned_at,
        history=[OrderHistoryEntry(at=e.created_at, from_status=e.from_status, to_status=e.to_status,
                                   by=people.get(e.user_id) if e.user_id else None, note=e.note) for e in events],
        next_steps=next_steps(caller, order), next_words=what_next(caller, order))
