"""Rules for listing contents: what a new draft holds, what each listing type needs before it can go live, the
stock a listing draws on, and where the part is picked up from."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, MarketplaceListing, PartCategory
from knowledge.partnumbers import normalize_part_number
from tools.auctions.increments import default_increment
from tools.catalog.parts import resolve_part
from tools.context import Caller
from tools.listings.embedding import embed_one, listing_embedding_text
from tools.listings.marketplace import org_name
from tools.listings.types import CreateListingInput
from tools.results import ToolFailed
from tools.rules.clock import utcnow
from tools.rules.visibility import inventory_visibility_sql

MAX_AUCTION_DAYS = 30
MIN_AUCTION_MINUTES = 10
CATEGORIES = frozenset(c.value for c in PartCategory)
PICKUP_OPTIONS = frozenset({"local_pickup", "will_call", "emergency_delivery"})


def trade_of_category(category: str) -> str | None:
    """`hvac_valve` → `hvac`; general parts belong to no single trade (visible to every trade)."""
    trade = category.split("_", 1)[0]
    return None if trade == "general" else trade


def publish_problems(listing: MarketplaceListing) -> list[str]:
    """What is still missing before a listing can go live (empty when ready)."""
    problems: list[str] = []
    if listing.listing_type in ("sale", "emergency") and listing.price is None:
        problems.append("price")
    if listing.listing_type == "auction":
        if listing.starting_bid is None:
            problems.append("starting_bid")
        if listing.auction_end is None or listing.auction_end <= utcnow() + timedelta(minutes=MIN_AUCTION_MINUTES):
            problems.append("auction_end (must be in the future)")
    if not listing.description.strip():
        problems.append("description")
    if listing.quantity_available < 1:
        problems.append("quantity")
    return problems


def restocks_sold_out(listing: MarketplaceListing, changes: dict[str, Any]) -> bool:
    """Whether this change puts units back on a fixed-price listing that sold out: it goes on sale again (and
    its watchers hear it is back in stock) instead of the seller listing the part anew."""
    return listing.status == "sold" and not listing.is_auction and bool(changes.get("quantity"))


def check_type_fields(args: Any) -> None:
    """Field combinations that make no sense for the listing type (raise invalid)."""
    kind = args.listing_type
    if kind == "auction":
        if args.starting_bid is None or args.auction_end is None:
            raise ToolFailed("invalid", "An auction needs starting_bid and auction_end.",
                             hint="auction_end is an ISO 8601 time with timezone, e.g. 2026-12-01T17:00:00Z.")
        if args.auction_end.tzinfo is None:
            raise ToolFailed("invalid", "auction_end needs a timezone, e.g. 2026-12-01T17:00:00Z.")
        if args.auction_end <= utcnow() + timedelta(minutes=MIN_AUCTION_MINUTES):
            raise ToolFailed("invalid", f"auction_end must be at least {MIN_AUCTION_MINUTES} minutes from now.")
        if args.auction_end > utcnow() + timedelta(days=MAX_AUCTION_DAYS):
            raise ToolFailed("invalid", f"Auctions run at most {MAX_AUCTION_DAYS} days.")
        if args.price is not None:
            raise ToolFailed("invalid", "Auctions have no fixed price; give starting_bid (and optionally "
                             "reserve_price) instead.")
        if args.reserve_price is not None and args.reserve_price < args.starting_bid:
            raise ToolFailed("invalid", "reserve_price cannot be below starting_bid.")
    elif any(v is not None for v in (args.starting_bid, args.reserve_price, args.bid_increment, args.auction_end)):
        raise ToolFailed("invalid", "starting_bid, reserve_price, bid_increment and auction_end are for auctions only.")
    if args.emergency_premium is not None and not (kind == "emergency" or args.emergency_available):
        raise ToolFailed("invalid", "emergency_premium only applies to emergency listings.")
    if args.minimum_order_quantity > args.quantity:
        raise ToolFailed("invalid", "minimum_order_quantity cannot exceed quantity.")
    if kind == "emergency" and args.fulfillment_options and not PICKUP_OPTIONS & set(args.fulfillment_options):
        raise ToolFailed("invalid", "An emergency listing needs local_pickup, will_call or emergency_delivery.")


def source_item(session: Session, caller: Caller, item_id: uuid.UUID, quantity: int) -> InventoryItem:
    """The caller's own inventory item a listing draws on, with enough units not yet reserved or listed."""
    item = session.get(InventoryItem, item_id)
    if item is None:
        raise ToolFailed("not_found", f"No inventory item {item_id} that you can see.")
    if item.organization_id != caller.organization_id:
        params: dict[str, Any] = {"id": item_id}
        visible = session.execute(text(f"SELECT 1 FROM inventory_items i WHERE i.id = :id AND "
                                       f"{inventory_visibility_sql(caller, params)}"), params).scalar()
        if not visible:
            raise ToolFailed("not_found", f"No inventory item {item_id} that you can see.")
        raise ToolFailed("forbidden", f"That stock belongs to {org_name(session, item.organization_id)}; you can "
                         "only list your own organization's stock.")
    listed = session.execute(text(
        "SELECT COALESCE(sum(quantity_available), 0) FROM marketplace_listings WHERE inventory_item_id = :id "
        "AND status IN ('draft', 'active', 'reserved')"), {"id": item_id}).scalar() or 0
    free = item.quantity_available - int(listed)
    if quantity > free:
        raise ToolFailed("insufficient_stock", f"Only {max(free, 0)} unit(s) of {item.part_number} are free to list "
                         f"({item.quantity_available} available, {listed} already in other listings).")
    return item


def draft_listing(session: Session, caller: Caller, args: CreateListingInput, item: InventoryItem | None,
                  idempotency_key: str | None) -> MarketplaceListing:
    """The draft row create_listing adds. Part number, condition and names come from the arguments, else the
    catalog part the number names, else the stock item it draws on; a part the catalog lacks needs them given."""
    number = args.part_number or (item.part_number if item else None)
    condition = args.condition or (item.condition if item else None)
    if not number or not condition:
        raise ToolFailed("invalid", "Give part_number and condition, or an inventory_item_id to take them from.")
    if item and normalize_part_number(number) != normalize_part_number(item.part_number):
        raise ToolFailed("invalid", f"Inventory item {item.id} holds {item.part_number}, not {number}.")
    part = resolve_part(session, part_number=number, org_id=caller.organization_id, missing_ok=True,
                        manufacturer=args.manufacturer or (item.manufacturer if item else None))
    manufacturer = args.manufacturer or (part.manufacturer if part else None) or (item.manufacturer if item else None)
    name = args.name or (part.name if part else None) or (item.name if item else None)
    category = args.category or (part.category if part else None)
    if not (manufacturer and name and category):
        raise ToolFailed("invalid", f"{number} is not in the catalog; give manufacturer, name and category.")
    if category not in CATEGORIES:
        raise ToolFailed("invalid", f"Unknown category {category!r}.", hint=f"One of: {', '.join(sorted(CATEGORIES))}")
    description = args.description or (part.description if part else None) or name
    options = list(args.fulfillment_options or ["shipping", "local_pickup"])
    emergency = args.listing_type == "emergency" or args.emergency_available
    if emergency and "emergency_delivery" not in options and not args.fulfillment_options:
        options.append("emergency_delivery")
    return MarketplaceListing(
        id=uuid.uuid4(), organization_id=caller.organization_id, seller_id=caller.user_id,
        listing_type=args.listing_type, visibility=args.visibility, inventory_item_id=item.id if item else None,
        part_id=part.id if part else None, part_number=part.part_number if part else number.strip(),
        manufacturer=manufacturer, name=name, description=description, category=category,
        trade=part.trade if part else trade_of_category(category), condition=condition,
        quantity_available=args.quantity, minimum_order_quantity=args.minimum_order_quantity, price=args.price,
        price_negotiable=args.price_negotiable, accepts_trade=args.accepts_trade or args.listing_type == "trade",
        trade_for=args.trade_for, is_auction=args.listing_type == "auction", starting_bid=args.starting_bid,
        bid_increment=args.bid_increment or (default_increment(args.starting_bid) if args.starting_bid else None),
        auction_end=args.auction_end, reserve_price=args.reserve_price,
        fulfillment_options=options, shipping_cost=args.shipping_cost,
        estimated_shipping_days=args.estimated_shipping_days, local_pickup_available="local_pickup" in options,
        emergency_available=emergency, emergency_premium=args.emergency_premium,
        compatible_equipment=args.compatible_equipment if args.compatible_equipment is not None else (
            part.compatible_equipment if part else []),
        compatible_manufacturers=part.compatible_manufacturers if part else [],
        warranty_days=args.warranty_days, return_policy=args.return_policy, status="draft",
        idempotency_key=idempotency_key,
        embedding=embed_one(listing_embedding_text(manufacturer, number, name, description)),
        **pickup_location(session, caller, args.stock_location_id, item),
    )


def pickup_location(session: Session, caller: Caller, location_id: uuid.UUID | None,
                    item: InventoryItem | None) -> dict[str, Any]:
    """Location columns for the listing: the given location, the stock's location, or the organization's
    main warehouse — always one of the caller's own organization's."""
    chosen = location_id or (item.stock_location_id if item else None)
    if chosen is not None:
        row = session.execute(text(
            "SELECT id, city, state_province, country, postal_code, lat, lng FROM stock_locations "
            "WHERE id = :id AND organization_id = :org"), {"id": chosen, "org": caller.organization_id}).one_or_none()
        if row is None:
            raise ToolFailed("not_found", f"No stock location {chosen} in {caller.organization_name}.")
    else:
        row = session.execute(text(
            "SELECT id, city, state_province, country, postal_code, lat, lng FROM stock_locations "
            "WHERE organization_id = :org AND is_active ORDER BY (location_type = 'warehouse') DESC, name LIMIT 1"),
            {"org": caller.organization_id}).one_or_none()
    org = session.execute(text("SELECT city, state_province, country, lat, lng FROM organizations WHERE id = :id"),
                          {"id": caller.organization_id}).one()
    return {
        "stock_location_id": row.id if row else None,
        "city": (row.city if row else None) or org.city or "unknown",
        "state_province": (row.state_province if row else None) or org.state_province,
        "country": (row.country if row else None) or org.country or "US",
        "postal_code": row.postal_code if row else None,
        "lat": row.lat if row and row.lat is not None else org.lat,
        "lng": row.lng if row and row.lng is not None else org.lng,
    }

