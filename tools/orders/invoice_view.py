"""An order's invoice as both parties see it (`get_invoice`): who bills whom, what for, how much, by when and
how to pay. The PDF (invoice_pdf.py) and the emailed copy are rendered from this view."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from knowledge.models import Order, OrderItem, Supplier
from knowledge.settings import get_settings
from tools.orders.views import find_order
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed

DEFAULT_TERMS = "Net 30"
_NET_DAYS = re.compile(r"\bnet\s*(\d{1,3})\b", re.IGNORECASE)
_ON_RECEIPT = re.compile(r"receipt|\bcod\b|prepaid|immediate", re.IGNORECASE)
# Where an organization is: its first warehouse's street address, else the organization's city.
_ADDRESS = text(
    "SELECT o.name, o.city AS org_city, o.state_province AS org_state, o.country AS org_country, s.address, s.city, "
    "s.state_province, s.postal_code FROM organizations o LEFT JOIN LATERAL (SELECT * FROM stock_locations s "
    "WHERE s.organization_id = o.id AND s.location_type = 'warehouse' AND s.is_active AND s.address <> '' "
    "ORDER BY s.name LIMIT 1) s ON TRUE WHERE o.id = :id")
_PERSON = text("SELECT name, email FROM users WHERE id = :id")
_NOT_YET = {
    "awaiting_approval": "it is waiting for a parts manager's approval; the invoice is issued once it is approved",
    "pending_payment": "the invoice is being issued now; try again in a moment",
    "cancelled": "it was cancelled before it was invoiced, so no invoice will be issued",
}


class InvoiceParty(BaseModel):
    name: str
    address_lines: list[str] = Field(description="Street, city, state and postal code, one line each.")
    contact: str | None = Field(None, description="A person, email or phone to reach about the invoice.")


class InvoiceLine(BaseModel):
    part_number: str
    manufacturer: str | None
    description: str
    condition: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


class InvoiceView(BaseModel):
    number: str = Field(description='The seller\'s invoice number, e.g. "KPS-000001".')
    order_id: uuid.UUID
    order_number: str = Field(description='e.g. "ORD-100001".')
    po_number: str | None = Field(description="The buyer's own purchase-order number, if given.")
    issued_at: datetime
    issued_on: date = Field(description="The invoice date, in the seller's time zone.")
    payment_terms: str = Field(description='e.g. "Net 30".')
    due_on: date
    seller: InvoiceParty
    buyer: InvoiceParty = Field(description="The buying organization, with the person who ordered as contact.")
    ship_to: list[str] = Field(description="Where the parts go, one line each.")
    lines: list[InvoiceLine]
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal
    currency: str
    payment_instructions: str
    order_status: str
    paid: bool = Field(description="The seller has verified the payment.")
    download_url: str = Field(description="The invoice as a PDF (GET, with your API key).")


class GetInvoiceInput(BaseModel):
    order_id: uuid.UUID | None = Field(None, description="The order's id.")
    order_number: str | None = Field(None, max_length=20, description='Or its number, e.g. "ORD-100001".')

    @model_validator(mode="after")
    def _one_order(self) -> GetInvoiceInput:
        if self.order_id is None and not (self.order_number or "").strip():
            raise ValueError("give order_id or order_number")
        return self


def invoice_url(order_id: uuid.UUID) -> str:
    return f"/api/v1/orders/{order_id}/invoice.pdf"


def due_date(issued_on: date, terms: str) -> date:
    """"Net 30" → 30 days after the invoice date; "Due on receipt" → that day; anything else → Net 30."""
    if _ON_RECEIPT.search(terms):
        return issued_on
    net = _NET_DAYS.search(terms)
    return issued_on + timedelta(days=int(net.group(1)) if net else 30)


def _party(session: Session, organization_id: uuid.UUID, contact: str | None) -> InvoiceParty:
    row = session.execute(_ADDRESS, {"id": organization_id}).one()
    street = [row.address, " ".join(x for x in (f"{row.city}," if row.city else None, row.state_province,
                                                  row.postal_code) if x)] if row.address else []
    town = ", ".join(x for x in (row.org_city, row.org_state, row.org_country) if x)
    return InvoiceParty(name=row.name, address_lines=[line for line in street if line] or [town], contact=contact)


def _ship_to(ship_to: dict[str, Any]) -> list[str]:
    parts = [ship_to.get(k) for k in ("recipient", "label", "site_name", "address")]
    city = ", ".join(str(ship_to[k]) for k in ("city", "state_province", "postal_code") if ship_to.get(k))
    lines = [str(p).strip() for p in [*parts, city] if p and str(p).strip()]
    return list(dict.fromkeys(lines)) or ["(no ship-to given)"]


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or get_settings().notification_time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def invoice_view(session: Session, order: Order) -> InvoiceView:
    """The view of an invoiced order (no visibility check: callers have made it)."""
    assert order.invoice_number and order.invoice_issued_at, "only an invoiced order has an invoice"
    supplier = session.scalars(select(Supplier).where(Supplier.organization_id == order.seller_organization_id)
                               ).one_or_none()
    terms = (supplier.payment_terms if supplier else None) or DEFAULT_TERMS
    issued_on = order.invoice_issued_at.astimezone(_zone(supplier.timezone if supplier else None)).date()
    person = session.execute(_PERSON, {"id": order.buyer_id}).one()
    seller_contact = " · ".join(x for x in ((supplier.orders_email, supplier.phone) if supplier else ()) if x)
    items = session.scalars(select(OrderItem).where(OrderItem.order_id == order.id)
                            .order_by(OrderItem.part_number, OrderItem.id)).all()
    return InvoiceView(
        number=order.invoice_number, order_id=order.id, order_number=order.order_number, po_number=order.po_number,
        issued_at=order.invoice_issued_at, issued_on=issued_on, payment_terms=terms, due_on=due_date(issued_on, terms),
        seller=_party(session, order.seller_organization_id, seller_contact or None),
        buyer=_party(session, order.buyer_organization_id, f"{person.name} <{person.email}>"),
        ship_to=_ship_to(order.ship_to or {}),
        lines=[InvoiceLine(part_number=i.part_number, manufacturer=i.manufacturer, description=i.name,
                           condition=i.condition, quantity=i.quantity, unit_price=i.unit_price,
                           line_total=i.line_total) for i in items],
        subtotal=order.subtotal, shipping=order.shipping_cost, tax=order.tax, total=order.total,
        currency=order.currency,
        payment_instructions=f"Pay by wire or check quoting invoice {order.invoice_number}"
                             f"{f' and PO {order.po_number}' if order.po_number else ''}.",
        order_status=order.status, paid=order.payment_verified_at is not None,
        download_url=invoice_url(order.id))


@tool(ToolKind.READ)
def get_invoice(ctx: ToolContext, args: GetInvoiceInput) -> InvoiceView:
    """The invoice of one of your organization's orders (bought or sold): number, dates, due date from the
    seller's payment terms, seller, buyer, ship-to, PO number, lines, totals and how to pay, plus the link to
    its PDF. Orders are invoiced when they reach pending payment; transfers within your organization never are.

    Args:
        order_id: The order's id. order_number: Or its number, e.g. "ORD-100001".
    """
    order = find_order(ctx.session, ctx.caller, args.order_id, args.order_number)
    if order.kind == "transfer":
        raise ToolFailed("conflict", f"Order {order.order_number} is a transfer within your organization: "
                         "transfers have no invoice.")
    if not order.invoice_number or order.invoice_issued_at is None:
        why = _NOT_YET.get(order.status, f"it is {order.status.replace('_', ' ')}")
        raise ToolFailed("conflict", f"Order {order.order_number} has no invoice yet: {why}.",
                         hint="Invoices are issued when an order reaches pending payment.")
    return invoice_view(ctx.session, order)
