"""What can go in a cart: a fixed-price marketplace listing of another organization, a supplier offer, or the
buyer organization's own stock at another place (a transfer). One `Source` per cart line, as it is now: seller,
place, part, price for the quantity (supplier price breaks), units to be had, and why it cannot be bought when
it cannot."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, MarketplaceListing
from tools.context import Caller
from tools.listings.marketplace import is_visible, listing_status_shown, org_name
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.visibility import PUBLIC_LISTING_STATUSES, inventory_visibility_sql
from tools.suppliers.pricing import PriceBreak, price_breaks_of, price_for_quantity

SourceKind = Literal["marketplace", "supplier", "transfer"]


@dataclass
class Source:
    kind: SourceKind
    seller_organization_id: uuid.UUID
    seller: str = ""
    place: str = ""
    part_id: uuid.UUID | None = None
    part_number: str = ""
    manufacturer: str | None = None
    name: str = ""
    condition: str = "new"
    base_price: Decimal = Decimal(0)
    price_breaks: tuple[PriceBreak, ...] = ()
    currency: str = "USD"
    available: int = 0
    backorder_allowed: bool = False
    lead_time_days: int | None = None
    minimum_quantity: int = 1
    location_id: uuid.UUID | None = None
    listing_id: uuid.UUID | None = None
    supplier_offer_id: uuid.UUID | None = None
    inventory_item_id: uuid.UUID | None = None
    problem: str | None = None
    sold_out: bool = False  # a listing that sold its last unit: no stock left, rather than withdrawn

    def unit_price(self, quantity: int) -> Decimal:
        """The price of one unit when buying `quantity` (the deepest supplier price break reached)."""
        return price_for_quantity(self.base_price, list(self.price_breaks), quantity)

    def covers(self, quantity: int) -> bool:
        return self.backorder_allowed or quantity <= self.available

    @property
    def source_id(self) -> uuid.UUID:
        found = self.listing_id or self.supplier_offer_id or self.inventory_item_id
        assert found is not None
        return found


def listing_source(session: Session, caller: Caller, listing_id: uuid.UUID, *, adding: bool) -> Source:
    """A marketplace listing as a cart source. Adding: it must be another organization's visible, live,
    fixed-price listing (else the failure says what to do instead); otherwise its problem is noted."""
    listing = session.get(MarketplaceListing, listing_id)
    visible = listing is not None and is_visible(session, caller, listing_id)
    if listing is None or not visible:
        if adding:
            raise ToolFailed("not_found", f"No listing {listing_id} that you can see.",
                             hint="Use search_listings or find_inventory to find listings and their ids.")
        # It was seen when added: a listing closed since then says so; one hidden since then tells nothing.
        closed = listing is not None and listing.status not in PUBLIC_LISTING_STATUSES
        return Source("marketplace", caller.organization_id, listing_id=listing_id,
                      part_number=listing.part_number if closed and listing else "(unavailable)", seller="a seller",
                      sold_out=closed and listing is not None and listing.status == "sold",
                      problem=(f"The listing of {listing.part_number} is no longer for sale ({listing.status})."
                               if closed and listing else "The listing is no longer available to you."))
    problem = _listing_problem(listing)
    if adding:
        if listing.organization_id == caller.organization_id:
            raise ToolFailed("invalid", "That is your own organization's listing. To move your own stock, add its "
                             "stock item (inventory_item_id) instead.")
        if problem:
            wrong_kind = listing.listing_type in ("wanted", "auction") or listing.is_auction or listing.price is None
            raise ToolFailed("invalid" if wrong_kind else "unavailable", problem,
                             hint="Use submit_offer or place_bid for listings without a fixed price.")
    place = None
    if listing.stock_location_id is not None:
        place = session.execute(text("SELECT name FROM stock_locations WHERE id = :id"),
                                {"id": listing.stock_location_id}).scalar()
    return Source(
        "marketplace", listing.organization_id, seller=org_name(session, listing.organization_id),
        place=", ".join(p for p in (place, listing.city) if p), part_id=listing.part_id,
        part_number=listing.part_number, manufacturer=listing.manufacturer, name=listing.name,
        condition=listing.condition, base_price=listing.price or Decimal(0), currency=listing.currency,
        available=listing.quantity_available if not problem else 0,
        lead_time_days=listing.estimated_shipping_days, minimum_quantity=max(1, listing.minimum_order_quantity or 1),
        listing_id=listing.id, problem=problem)


def _listing_problem(listing: MarketplaceListing) -> str | None:
    status = listing_status_shown(listing.status, listing.is_auction, listing.auction_end, utcnow())
    who = f"The listing of {listing.part_number}"
    if listing.listing_type == "wanted":
        return f"{who} is a wanted request, not something for sale."
    if listing.is_auction or listing.listing_type == "auction":
        return f"{who} is an auction: bid on it instead of buying it."
    if listing.price is None:
        return f"{who} has no fixed price (trade only): make an offer instead."
    if status != "active":
        return f"{who} is no longer for sale ({status})."
    return None


_OFFER_SQL = text(
    "SELECT f.*, s.organization_id, s.name AS supplier_name, b.name AS branch_name, b.city AS branch_city "
    "FROM supplier_offers f JOIN suppliers s ON s.id = f.supplier_id JOIN supplier_branches b ON b.id = f.branch_id "
    "WHERE f.id = :id")


def supplier_source(session: Session, caller: Caller, offer_id: uuid.UUID, *, adding: bool) -> Source:
    """A supplier offer (any organization may buy from a supplier) as a cart source."""
    row = session.execute(_OFFER_SQL, {"id": offer_id}).one_or_none()
    if row is None:
        if adding:
            raise ToolFailed("not_found", f"No supplier offer {offer_id}.",
                             hint="Use find_inventory (or list_suppliers) to find supplier offers and their ids.")
        return Source("supplier", caller.organization_id, supplier_offer_id=offer_id, part_number="(unavailable)",
                      seller="a supplier", problem="The supplier no longer offers it.")
    problem = None if row.is_active else f"{row.supplier_name} no longer offers {row.part_number}."
    if adding and row.organization_id == caller.organization_id:
        raise ToolFailed("invalid", "That is your own organization's supplier catalog; you cannot buy from it.")
    if adding and problem:
        raise ToolFailed("unavailable", problem, hint="Look for another source with find_inventory.")
    return Source(
        "supplier", row.organization_id, seller=row.supplier_name,
        place=row.branch_name + (f" ({row.branch_city})" if row.branch_city and row.branch_city not in
                                 row.branch_name else ""), part_id=row.part_id,
        part_number=row.part_number, manufacturer=row.manufacturer, name=row.description or row.part_number,
        base_price=row.unit_price, price_breaks=tuple(price_breaks_of(row.price_breaks)), currency=row.currency,
        available=max(0, row.stock_on_hand - row.stock_reserved) if row.is_active else 0,
        backorder_allowed=bool(row.backorder_allowed and row.is_active), lead_time_days=row.lead_time_days,
        supplier_offer_id=row.id, problem=problem)


def own_stock_source(session: Session, caller: Caller, item_id: uuid.UUID, *, adding: bool) -> Source:
    """The caller's organization's own stock at another place, to be transferred (price 0). Another
    organization's stock is never a cart source: not found, or forbidden when the caller may see it."""
    item = session.get(InventoryItem, item_id)
    if item is None or item.organization_id != caller.organization_id:
        if not adding:
            return Source("transfer", caller.organization_id, inventory_item_id=item_id, seller="your stock",
                          part_number="(unavailable)", problem="The stock item is no longer there.")
        params: dict[str, Any] = {"id": item_id}
        seen = item is not None and session.execute(text(
            f"SELECT 1 FROM inventory_items i WHERE i.id = :id AND {inventory_visibility_sql(caller, params)}"),
            params).scalar()
        if seen and item is not None:
            raise ToolFailed("forbidden", f"That stock belongs to {org_name(session, item.organization_id)}; only "
                             "your own organization's stock can be transferred through the cart.",
                             hint="Buy it through one of their listings, or hold it with request_emergency_pickup.")
        raise ToolFailed("not_found", f"No stock item {item_id} in {caller.organization_name}'s inventory.",
                         hint="Use find_inventory or list_stock to find your stock items.")
    location = session.execute(text("SELECT name, is_active, assigned_user_id FROM stock_locations WHERE id = :id"),
                               {"id": item.stock_location_id}).one()
    problem = None if location.is_active else f"{location.name} is no longer an active stock location."
    if adding and problem:
        raise ToolFailed("unavailable", problem)
    free = session.execute(text("SELECT quantity_on_hand - quantity_reserved FROM inventory_items WHERE id = :id"),
                           {"id": item.id}).scalar_one()
    return Source(
        "transfer", caller.organization_id, seller=f"{caller.organization_name} (own stock)", place=location.name,
        part_id=item.part_id, part_number=item.part_number, manufacturer=item.manufacturer, name=item.name,
        condition=item.condition, currency=item.currency, available=max(0, int(free)) if not problem else 0,
        location_id=item.stock_location_id, inventory_item_id=item.id, problem=problem)


def load_source(session: Session, caller: Caller, *, listing_id: uuid.UUID | None = None,
                supplier_offer_id: uuid.UUID | None = None, inventory_item_id: uuid.UUID | None = None,
                adding: bool = False) -> Source:
    if listing_id is not None:
        return listing_source(session, caller, listing_id, adding=adding)
    if supplier_offer_id is not None:
        return supplier_source(session, caller, supplier_offer_id, adding=adding)
    assert inventory_item_id is not None
    return own_stock_source(session, caller, inventory_item_id, adding=adding)


def check_quantity(source: Source, quantity: int) -> None:
    """A quantity the source can take now: at least its minimum order, at most what it has (unless backordered)."""
    if quantity < source.minimum_quantity:
        raise ToolFailed("invalid", f"{source.seller} sells {source.part_number} in orders of at least "
                         f"{source.minimum_quantity}; you asked for {quantity}.")
    if not source.covers(quantity):
        raise ToolFailed("insufficient_stock", f"Only {source.available} × {source.part_number} available from "
                         f"{source.seller} ({source.place}); you asked for {quantity}.",
                         hint="Ask for fewer, or add the rest from another source (find_inventory).")
