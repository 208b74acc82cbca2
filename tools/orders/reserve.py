"""Stock behind orders: reserved at checkout, given back when an order is cancelled or rejected, taken off the
shelf when it ships.

Every function here row-locks what it changes in one global order — listings, then supplier offers, then
inventory items, each by id — the order the marketplace's deal closing also keeps (listing, then its stock
item). Racing checkouts therefore wait for each other instead of deadlocking, and each sees what the previous
one left: nothing is sold twice.

Reserved units per order line are `OrderItem.quantity_reserved`: a listing line reserves all its units, a
supplier line what the branch had on hand (the rest is backordered), a transfer line all its units.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, InventoryMovement, MarketplaceListing, Order, OrderItem, SupplierOffer
from tools.inventory.reorder import tell_if_low
from tools.results import ToolFailed
from tools.rules.clock import utcnow

T = TypeVar("T", MarketplaceListing, SupplierOffer, InventoryItem)


@dataclass
class Locked:
    """The rows one checkout (or one order's release or shipment) holds locked, by id."""

    listings: dict[uuid.UUID, MarketplaceListing]
    offers: dict[uuid.UUID, SupplierOffer]
    items: dict[uuid.UUID, InventoryItem]


def _lock(session: Session, model: type[T], ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, T]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id).with_for_update()
                           .execution_options(populate_existing=True)).all()
    return {row.id: row for row in rows}


def lock_sources(session: Session, listing_ids: Iterable[uuid.UUID | None],
                 offer_ids: Iterable[uuid.UUID | None], item_ids: Iterable[uuid.UUID | None]) -> Locked:
    """Lock the listings, then the supplier offers, then the inventory items (the listings' own stock items
    included), each set by id."""
    listings = _lock(session, MarketplaceListing, listing_ids)
    offers = _lock(session, SupplierOffer, offer_ids)
    behind = [listing.inventory_item_id for listing in listings.values()]
    items = _lock(session, InventoryItem, [*item_ids, *behind])
    return Locked(listings, offers, items)


# ---- reserving at checkout -----------------------------------------------------------------------------------

def reserve_listing(locked: Locked, listing_id: uuid.UUID, quantity: int, seller: str,
                    actor: uuid.UUID | None, session: Session) -> int:
    """Take `quantity` units off a locked, live listing (and reserve them on its stock item); units reserved."""
    listing = locked.listings.get(listing_id)
    if listing is None:
        raise ToolFailed("unavailable", "A listing in your cart no longer exists; remove it from your cart.")
    number = listing.part_number
    if listing.status != "active" or (listing.is_auction and listing.auction_end and listing.auction_end <= utcnow()):
        raise ToolFailed("unavailable", f"{seller}'s listing of {number} is no longer for sale ({listing.status}).",
                         hint="Remove it from your cart, or look for another source with find_inventory.")
    if quantity > listing.quantity_available:
        raise ToolFailed("insufficient_stock", f"Only {listing.quantity_available} × {number} left on {seller}'s "
                         f"listing; you asked for {quantity}. Nothing was ordered.",
                         hint="Lower the quantity in your cart (update_cart_item) or remove the item.")
    if listing.inventory_item_id is not None:
        item = locked.items.get(listing.inventory_item_id)
        free = 0 if item is None else item.quantity_on_hand - item.quantity_reserved
        if item is None or free < quantity:
            raise ToolFailed("insufficient_stock", f"{seller} has only {max(free, 0)} × {number} on the shelf "
                             f"behind its listing; you asked for {quantity}. Nothing was ordered.",
                             hint="Lower the quantity or remove the item.")
        item.quantity_reserved += quantity
        tell_if_low(session, item.id, free, free - quantity, actor)
    listing.quantity_available -= quantity
    if listing.quantity_available == 0:
        listing.status = "sold"
    return quantity


def reserve_supplier_offer(locked: Locked, offer_id: uuid.UUID, quantity: int, seller: str) -> int:
    """Reserve what the branch has on hand, up to `quantity`; the rest is backordered when the offer allows
    it. Units reserved."""
    offer = locked.offers.get(offer_id)
    if offer is None or not offer.is_active:
        raise ToolFailed("unavailable", f"{seller} no longer offers that part; remove it from your cart.",
                         hint="Look for another source with find_inventory.")
    free = offer.stock_on_hand - offer.stock_reserved
    reserved = min(max(free, 0), quantity)
    if reserved < quantity and not offer.backorder_allowed:
        raise ToolFailed("insufficient_stock", f"{seller} has only {max(free, 0)} × {offer.part_number} in stock "
                         f"and does not backorder it; you asked for {quantity}. Nothing was ordered.",
                         hint="Lower the quantity in your cart or pick another source.")
    offer.stock_reserved += reserved
    return reserved


def reserve_own_stock(locked: Locked, item_id: uuid.UUID, quantity: int, organization_id: uuid.UUID,
                      place: str, actor: uuid.UUID | None, session: Session) -> int:
    """Reserve units of the buyer organization's own stock for a transfer; units reserved."""
    item = locked.items.get(item_id)
    if item is None or item.organization_id != organization_id:
        raise ToolFailed("unavailable", "A stock item in your cart no longer exists; remove it from your cart.")
    free = item.quantity_on_hand - item.quantity_reserved
    if free < quantity:
        raise ToolFailed("insufficient_stock", f"Only {max(free, 0)} × {item.part_number} free at {place}; you "
                         f"asked to transfer {quantity}. Nothing was ordered.",
                         hint="Lower the quantity in your cart or remove the item.")
    item.quantity_reserved += quantity
    tell_if_low(session, item.id, free, free - quantity, actor)
    return quantity


# ---- after checkout: cancel or reject, ship -------------------------------------------------------------------

def _lines(session: Session, order: Order) -> list[OrderItem]:
    return list(session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)))


def _lock_for(session: Session, lines: list[OrderItem]) -> Locked:
    return lock_sources(session, [line.listing_id for line in lines], [line.supplier_offer_id for line in lines],
                        [line.inventory_item_id for line in lines])


def release_order_stock(session: Session, order: Order) -> None:
    """Give an order's reserved units back (on cancel or reject): to the listing (on sale again when it had sold
    out), its stock item, the supplier branch or the organization's own stock item. Safe to call twice: each
    line's reservation is cleared once given back."""
    lines = [line for line in _lines(session, order) if line.quantity_reserved > 0]
    locked = _lock_for(session, lines)
    for line in lines:
        units = line.quantity_reserved
        if line.listing_id is not None:
            listing = locked.listings.get(line.listing_id)
            if listing is not None:
                listing.quantity_available += units
                if listing.status == "sold":
                    listing.status = "active"
                _unreserve(locked.items.get(listing.inventory_item_id) if listing.inventory_item_id else None, units)
        elif line.supplier_offer_id is not None:
            offer = locked.offers.get(line.supplier_offer_id)
            if offer is not None:
                offer.stock_reserved -= min(units, offer.stock_reserved)
        elif line.inventory_item_id is not None:
            _unreserve(locked.items.get(line.inventory_item_id), units)
        line.quantity_reserved = 0
    session.flush()


def _unreserve(item: InventoryItem | None, units: int) -> None:
    if item is not None:
        item.quantity_reserved -= min(units, item.quantity_reserved)


def consume_order_stock(session: Session, order: Order, user_id: uuid.UUID | None = None) -> None:
    """At shipping: the reserved units leave the seller's shelf (listing stock item, supplier branch, or for a
    transfer the source stock item). A transfer to one of the organization's own stock locations adds the units
    there (the destination's item of the same part and condition, or a new one), both legs logged as a transfer.
    `user_id`: who shipped, for the movement log (default: the listing's seller; for a transfer, the buyer)."""
    lines = [line for line in _lines(session, order) if line.quantity_reserved > 0]
    locked = _lock_for(session, lines)
    actor = user_id or order.buyer_id
    destination = _destination(order)
    transfer_id = uuid.uuid4()
    for line in lines:
        units = line.quantity_reserved
        if line.listing_id is not None:
            listing = locked.listings.get(line.listing_id)
            item = locked.items.get(listing.inventory_item_id) if listing and listing.inventory_item_id else None
            if item is not None and listing is not None:
                _take(session, item, units, user_id or listing.seller_id, "sold", f"order {order.order_number}")
        elif line.supplier_offer_id is not None:
            offer = locked.offers.get(line.supplier_offer_id)
            if offer is not None:
                taken = min(units, offer.stock_reserved)
                offer.stock_reserved -= taken
                offer.stock_on_hand -= taken
        elif line.inventory_item_id is not None:
            source = locked.items.get(line.inventory_item_id)
            if source is None:
                continue
            moved_to = None if destination is None or destination == source.stock_location_id else destination
            note = f"order {order.order_number}"
            taken = _take(session, source, units, actor, "transfer_out", note, transfer_id if moved_to else None)
            if moved_to is not None and taken:
                _add_at(session, source, moved_to, taken, actor, note, transfer_id)
    session.flush()


def _destination(order: Order) -> uuid.UUID | None:
    """The own stock location a transfer order goes to (its ship-to), if it is one."""
    ship_to: dict[str, Any] = order.ship_to or {}
    if order.kind != "transfer" or ship_to.get("kind") != "location" or not ship_to.get("location_id"):
        return None
    return uuid.UUID(str(ship_to["location_id"]))


def _take(session: Session, item: InventoryItem, units: int, actor: uuid.UUID, reason: str, note: str,
          transfer_id: uuid.UUID | None = None) -> int:
    taken = min(units, item.quantity_reserved)
    if taken:
        item.quantity_reserved -= taken
        item.quantity_on_hand -= taken
        _log(session, item, -taken, actor, reason, note, transfer_id)
    return taken


def _add_at(session: Session, source: InventoryItem, location_id: uuid.UUID, units: int, actor: uuid.UUID,
            note: str, transfer_id: uuid.UUID) -> None:
    target = session.scalars(select(InventoryItem).where(
        InventoryItem.organization_id == source.organization_id, InventoryItem.stock_location_id == location_id,
        InventoryItem.part_number == source.part_number, InventoryItem.manufacturer == source.manufacturer,
        InventoryItem.condition == source.condition).order_by(InventoryItem.id).limit(1).with_for_update()).first()
    if target is None:
        target = InventoryItem(
            id=uuid.uuid4(), organization_id=source.organization_id, part_id=source.part_id,
            part_number=source.part_number, manufacturer=source.manufacturer, name=source.name,
            description=source.description, stock_location_id=location_id, quantity_on_hand=0, quantity_reserved=0,
            quantity_on_order=0, condition=source.condition, currency=source.currency,
            acquisition_cost=source.acquisition_cost, list_price=source.list_price, source="transfer")
        session.add(target)
    target.quantity_on_hand += units
    session.flush()
    _log(session, target, units, actor, "transfer_in", note, transfer_id)


def _log(session: Session, item: InventoryItem, change: int, actor: uuid.UUID, reason: str, note: str,
         transfer_id: uuid.UUID | None) -> None:
    session.add(InventoryMovement(
        id=uuid.uuid4(), inventory_item_id=item.id, organization_id=item.organization_id, user_id=actor,
        quantity_change=change, quantity_after=item.quantity_on_hand, reason=reason, note=note,
        transfer_id=transfer_id))
