"""An order entering a status: the history event, the status's timestamp, what the status does to stock and
invoices, and the notices — the one way every status change (placing included) is made, so the order, its
history, its stock and what people are told always agree. Who may make which change is transitions.py's."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import InventoryMovement, Order, OrderEvent, OrderItem
from tools.orders.invoices import issue_invoice
from tools.orders.order_events import status_entered
from tools.orders.reserve import consume_order_stock, lock_sources, release_order_stock
from tools.rules.clock import utcnow

log = logging.getLogger(__name__)

# The column that records when an order entered a status.
ENTERED_AT = {
    "payment_verified": "payment_verified_at", "processing": "accepted_at", "packed": "packed_at",
    "shipped": "shipped_at", "delivered": "delivered_at", "cancelled": "cancelled_at", "returned": "returned_at",
}


def enter_status(session: Session, order: Order, to_status: str, user_id: uuid.UUID | None,
                 note: str | None = None) -> None:
    """Move `order` to `to_status` as `user_id` (None: the system), with `note` (a reason) in its history.

    A new order (status unset, or already set to `to_status`) gets its first event from no status; call this
    once the order and its lines are added. Entering pending_payment issues the seller's invoice (not for
    transfers); cancelled releases the reserved stock; shipped consumes it; returned puts the units back where
    they came from and issues the return authorization. The people concerned are told (order_events.py).
    """
    from_status = None if order.status in (None, to_status) else order.status
    order.status = to_status
    if order.id is None or order.order_number is None:
        session.add(order)
        session.flush()  # the order number comes from the database
    now = utcnow()
    if from_status == "awaiting_approval" and to_status != "cancelled":
        order.approved_at, order.approved_by = now, user_id
    column = ENTERED_AT.get(to_status)
    if column is not None:
        setattr(order, column, now)
    if to_status == "cancelled":
        order.cancel_reason = order.cancel_reason or note
        if from_status is not None:
            release_order_stock(session, order)
    elif to_status == "return_requested":
        order.return_reason = order.return_reason or note
    elif to_status == "shipped":
        consume_order_stock(session, order, user_id)
    elif to_status == "returned":
        digits = "".join(c for c in order.order_number if c.isdigit())
        order.return_authorization = order.return_authorization or f"RMA-{digits}"
        restock_returned(session, order, user_id)
    session.add(OrderEvent(order_id=order.id, user_id=user_id, from_status=from_status, to_status=to_status,
                           note=note, created_at=now))
    if to_status == "pending_payment" and order.kind != "transfer" and order.invoice_number is None:
        issue_invoice(session, order)
    session.flush()
    status_entered(session, order, from_status, user_id, note)


def restock_returned(session: Session, order: Order, user_id: uuid.UUID | None) -> None:
    """The returned units go back where they came from: a marketplace listing's quantity while the listing is
    still live (a sold-out fixed-price listing goes on sale again) and its stock row's shelf; a supplier
    branch's stock on hand. Rows are locked in checkout's order (reserve.lock_sources), so a return racing a
    checkout waits instead of deadlocking."""
    lines = list(session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)))
    locked = lock_sources(session, [line.listing_id for line in lines], [line.supplier_offer_id for line in lines],
                          [line.inventory_item_id for line in lines])
    note = f"order {order.order_number} returned ({order.return_authorization})"
    for line in lines:
        listing = locked.listings.get(line.listing_id) if line.listing_id else None
        offer = locked.offers.get(line.supplier_offer_id) if line.supplier_offer_id else None
        if offer is not None:
            offer.stock_on_hand += line.quantity
        if listing is not None:
            if listing.status == "active" or (listing.status == "sold" and not listing.is_auction):
                listing.quantity_available += line.quantity
                listing.status = "active"
            item = locked.items.get(listing.inventory_item_id) if listing.inventory_item_id else None
            if item is not None:
                item.quantity_on_hand += line.quantity
                session.add(InventoryMovement(
                    id=uuid.uuid4(), inventory_item_id=item.id, organization_id=item.organization_id,
                    user_id=user_id or listing.seller_id, quantity_change=line.quantity,
                    quantity_after=item.quantity_on_hand, reason="returned", note=note))
            elif listing.status != "active":
                log.info("order %s: listing %s is %s and has no stock row; the seller relists the returned units",
                         order.order_number, listing.id, listing.status)
