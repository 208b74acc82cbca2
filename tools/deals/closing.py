"""Offers as both parties see them, and closing a deal: the one place that turns an accepted offer into a
transaction, takes the units off the listing and reserves the seller's stock — all under the listing's row lock.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, MarketplaceListing, PartOffer, PartTransaction
from tools.inventory.hold_rules import pickup_code
from tools.inventory.reorder import tell_if_low
from tools.listings.marketplace import org_name
from tools.offers.status import OFFER_STATUS_SQL
from tools.offers.types import CounterTerms, OfferView, TransactionView
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.money import cents

PICKUP_FULFILMENT = frozenset({"local_pickup", "will_call"})
OPEN_OFFER_STATUSES = ("pending", "countered")


OFFER_SQL = f"""
    SELECT f.*, {OFFER_STATUS_SQL} AS shown_status, l.part_number, l.name AS listing_name, l.manufacturer,
           l.organization_id AS seller_org_id,
           so.name AS seller_organization, bo.name AS buyer_organization, u.name AS buyer_name,
           t.id AS transaction_id
    FROM part_offers f
    JOIN marketplace_listings l ON l.id = f.listing_id
    JOIN organizations so ON so.id = l.organization_id
    JOIN organizations bo ON bo.id = f.buyer_organization_id
    JOIN users u ON u.id = f.buyer_id
    LEFT JOIN part_transactions t ON t.offer_id = f.id
"""


def select_offers(session: Session, where: str, params: dict[str, Any], tail: str = "") -> list[Any]:
    """Rows of OFFER_SQL (with `shown_status`, the status at the clock's now) matching `where`."""
    return list(session.execute(text(f"{OFFER_SQL} WHERE {where} {tail}"), {**params, "now": utcnow()}).all())


def offer_view(row: Any) -> OfferView:
    """From an OFFER_SQL row: the terms last put on the table, and the status as it stands now."""
    counter = CounterTerms(**{k: row.counter_offer.get(k) for k in ("price", "quantity", "message")}) \
        if row.counter_offer else None
    price = counter.price if row.status == "countered" and counter else row.offered_price
    quantity = counter.quantity if row.status == "countered" and counter else row.quantity
    awaiting = {"pending": "seller", "countered": "buyer"}.get(row.shown_status)
    return OfferView(
        id=row.id, listing_id=row.listing_id, part_number=row.part_number, manufacturer=row.manufacturer,
        listing_name=row.listing_name,
        seller_organization=row.seller_organization, buyer_organization=row.buyer_organization,
        buyer_name=row.buyer_name, offer_type=row.offer_type, quantity=row.quantity,
        offered_price=row.offered_price, total=cents(price * quantity) if price is not None else None,
        currency=row.currency, trade_items=list(row.trade_items or []), message=row.message,
        fulfillment_preference=row.fulfillment_preference, needed_by_date=row.needed_by_date,
        is_urgent=row.is_urgent, status=row.shown_status, counter_offer=counter, response_message=row.response_message,
        awaiting=awaiting, transaction_id=row.transaction_id,  # type: ignore[arg-type]
        created_at=row.created_at, expires_at=row.expires_at,
    )


def load_offer_view(session: Session, offer_id: uuid.UUID) -> OfferView:
    return offer_view(select_offers(session, "f.id = :id", {"id": offer_id})[0])


def _named_parts(session: Session, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A deal's parts, each with the catalog's name where the deal did not keep one ("the rail clips")."""
    unnamed = [str(p.get("part_number")) for p in parts if not p.get("name") and p.get("part_number")]
    if not unnamed:
        return list(parts)
    rows = session.execute(text("SELECT DISTINCT ON (part_number) part_number, name FROM parts_catalog "
                                "WHERE part_number = ANY(:numbers) AND organization_id IS NULL ORDER BY part_number"),
                           {"numbers": unnamed}).all()
    names: dict[str, str] = {row.part_number: row.name for row in rows}
    return [{**p, "name": names[p["part_number"]]} if not p.get("name") and p.get("part_number") in names else p
            for p in parts]


def transaction_view(session: Session, tx: PartTransaction) -> TransactionView:
    return TransactionView(
        id=tx.id, transaction_type=tx.transaction_type,
        seller_organization=org_name(session, tx.seller_organization_id),
        buyer_organization=org_name(session, tx.buyer_organization_id), parts=_named_parts(session, tx.parts),
        subtotal=tx.subtotal,
        shipping_cost=tx.shipping_cost, total=tx.total, currency=tx.currency, fulfillment_type=tx.fulfillment_type,
        pickup_code=tx.pickup_code, status=tx.status, payment_status=tx.payment_status,
    )


def close_deal(session: Session, listing: MarketplaceListing, offer: PartOffer, unit_price: Decimal | None,
               quantity: int, actor: uuid.UUID | None = None) -> tuple[PartTransaction, int]:
    """Accept `offer` at these terms. The caller must hold the listing's row lock (SELECT … FOR UPDATE), so
    racing accepts run one after another and each sees the quantity the previous one left. `actor`: who
    accepted (None: the clock), never told that the stock it reserved ran low.

    Returns the transaction and how many other open offers were closed because they can no longer be met.
    """
    if listing.status != "active":
        raise ToolFailed("unavailable", f"The listing is {listing.status}; nothing can be sold from it.")
    if quantity > listing.quantity_available:
        raise ToolFailed("insufficient_stock", f"Only {listing.quantity_available} unit(s) left on this listing; "
                         f"the offer is for {quantity}.", hint="Counter with a smaller quantity or reject.")
    if listing.inventory_item_id:
        item = session.get(InventoryItem, listing.inventory_item_id, with_for_update=True, populate_existing=True)
        if item is None or item.quantity_on_hand - item.quantity_reserved < quantity:
            free = 0 if item is None else item.quantity_on_hand - item.quantity_reserved
            raise ToolFailed("insufficient_stock", f"The stock behind this listing has only {free} unit(s) free; "
                             "update the listing quantity first.")
        item.quantity_reserved += quantity
        free = item.quantity_on_hand - item.quantity_reserved
        tell_if_low(session, item.id, free + quantity, free, actor)
    listing.quantity_available -= quantity
    if listing.quantity_available == 0:
        listing.status = "sold" if offer.offer_type != "trade" else "traded"
    fulfilment = offer.fulfillment_preference or ("local_pickup" if listing.local_pickup_available else "shipping")
    shipping = Decimal(0)
    if fulfilment == "shipping":
        shipping = listing.shipping_cost or Decimal(0)
    elif fulfilment == "emergency_delivery":
        shipping = listing.emergency_premium or Decimal(0)
    subtotal = cents((unit_price or Decimal(0)) * quantity)
    kind = "trade" if offer.offer_type == "trade" else (
        "emergency_sale" if listing.listing_type == "emergency" or fulfilment == "emergency_delivery" else "sale")
    tx = PartTransaction(
        id=uuid.uuid4(), listing_id=listing.id, offer_id=offer.id, seller_organization_id=listing.organization_id,
        buyer_organization_id=offer.buyer_organization_id, transaction_type=kind,
        parts=[{"part_number": listing.part_number, "manufacturer": listing.manufacturer, "name": listing.name,
                "condition": listing.condition, "quantity": quantity,
                "unit_price": str(cents(unit_price)) if unit_price is not None else None}],
        subtotal=subtotal, shipping_cost=cents(shipping), tax=Decimal(0), total=cents(subtotal + shipping),
        currency=listing.currency, trade_parts_received=list(offer.trade_items or []) if kind == "trade" else [],
        trade_value_difference=subtotal if kind == "trade" and unit_price else None,
        fulfillment_type=fulfilment, shipping_address=offer.delivery_address,
        pickup_code=pickup_code() if fulfilment in PICKUP_FULFILMENT or kind == "emergency_sale" else None,
        status="pending", payment_status="pending",
    )
    session.add(tx)
    offer.status = "accepted"
    offer.quantity, offer.offered_price = quantity, unit_price
    session.flush()
    closed = session.execute(text(
        "UPDATE part_offers SET status = 'expired', responded_at = :now, response_message = :msg "
        "WHERE listing_id = :lid AND id <> :oid AND status IN ('pending', 'countered') AND "
        "(CASE WHEN status = 'countered' THEN COALESCE((counter_offer->>'quantity')::int, quantity) "
        "ELSE quantity END > :left OR :left = 0) RETURNING id"),
        {"lid": listing.id, "oid": offer.id, "left": listing.quantity_available, "now": utcnow(),
         "msg": f"No longer available: only {listing.quantity_available} unit(s) remain."}).all()
    return tx, len(closed)

