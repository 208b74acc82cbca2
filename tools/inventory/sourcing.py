"""Inventory tools: where a part can be had (ranked by time-to-part) and holding stock for pickup."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge.models import PartCondition
from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import number_norm_sql, resolve_part
from tools.catalog.supersession import StandIn, stand_ins
from tools.context import Caller
from tools.inventory.hold_rules import PickupPlace, insert_hold, visible_item
from tools.inventory.ranking import (
    SourcingOption,
    listing_option,
    rank_options,
    stock_option,
    supplier_order_option,
)
from tools.inventory.reorder import tell_if_low
from tools.inventory.supplier_sourcing import supplier_sourcing
from tools.listings.marketplace import live_listing_sql
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.geo import distance_km
from tools.rules.visibility import inventory_visibility_sql, listing_visibility_sql


class FindInventoryInput(BaseModel):
    part_number: str | None = Field(default=None, description="Part number as typed, e.g. 'GAA26800LC1'.")
    part_id: uuid.UUID | None = Field(default=None, description="Catalog part id (instead of part_number).")
    manufacturer: str | None = Field(default=None, description="Part manufacturer if the number is ambiguous.")
    quantity: int = Field(default=1, ge=1, le=500, description="Units needed.")
    emergency: bool = Field(default=False, description="True when equipment is down and same-day matters most.")
    lat: float | None = Field(default=None, ge=-90, le=90, description="Where the technician is (default: "
                              "their truck or home base).")
    lng: float | None = Field(default=None, ge=-180, le=180)
    include_replacements: bool = Field(default=True, description="Also look for interchangeable numbers "
                                       "from the supersession chain.")
    conditions: list[PartCondition] | None = Field(default=None, description="Acceptable conditions, e.g. "
                                                   "['new', 'refurbished']; default any.")
    max_results: int = Field(default=10, ge=1, le=50)

    @model_validator(mode="after")
    def _needs_part(self) -> FindInventoryInput:
        if not self.part_number and self.part_id is None:
            raise ValueError("give part_number or part_id")
        if (self.lat is None) != (self.lng is None):
            raise ValueError("give both lat and lng, or neither")
        return self


class SearchedNumber(BaseModel):
    part_id: uuid.UUID
    part_number: str
    relation: str = Field(description="requested | newer (a replacement) | older (an earlier drop-in number)")
    note: str


class FindInventoryOutput(BaseModel):
    part_number: str
    manufacturer: str
    name: str
    quantity_needed: int
    emergency: bool
    origin: tuple[float, float] | None = Field(description="(lat, lng) distances are measured from")
    searched: list[SearchedNumber]
    options: list[SourcingOption] = Field(description="Ranked best first by time-to-part")
    total_options: int
    message: str


_STOCK_SQL = (
    "SELECT i.id, i.organization_id, o.name AS org_name, o.org_type, i.part_id, i.part_number, i.condition, "
    "i.quantity_available, i.list_price, i.currency, i.available_for_sale, i.available_for_trade, "
    "s.name AS loc_name, s.location_type, s.address, s.city, s.lat, s.lng, s.assigned_user_id, s.contact_name, "
    "s.contact_phone, s.pickup_hours FROM inventory_items i JOIN stock_locations s ON s.id = i.stock_location_id "
    "JOIN organizations o ON o.id = i.organization_id WHERE {vis} AND s.is_active AND i.quantity_available > 0 "
    "AND (i.part_id = ANY(:ids) OR (i.part_id IS NULL AND " + number_norm_sql("i.part_number") + " = ANY(:norms)))"
)
_LISTING_SQL = (
    "SELECT l.id, l.organization_id, o.name AS org_name, l.part_id, l.part_number, l.condition, l.listing_type, "
    "l.quantity_available, l.price, l.currency, l.is_auction, l.current_bid, l.starting_bid, l.city, l.lat, l.lng, "
    "l.fulfillment_options, l.estimated_shipping_days, l.local_pickup_available, l.emergency_available, "
    "l.emergency_premium, l.inventory_item_id, s.name AS loc_name FROM marketplace_listings l "
    "JOIN organizations o ON o.id = l.organization_id LEFT JOIN stock_locations s ON s.id = l.stock_location_id "
    "WHERE {vis} AND " + live_listing_sql("l") + " AND l.quantity_available > 0 AND l.listing_type <> 'wanted' "
    "AND l.organization_id <> :me "
    "AND (l.part_id = ANY(:ids) OR (l.part_id IS NULL AND " + number_norm_sql("l.part_number") + " = ANY(:norms)))"
)


def _origin(caller: Caller, lat: float | None = None, lng: float | None = None) -> tuple[float, float] | None:
    """Where distances are measured from: the given point, else the caller's truck or base."""
    if lat is not None and lng is not None:
        return (lat, lng)
    if caller.lat is not None and caller.lng is not None:
        return (caller.lat, caller.lng)
    return None


def _supplier_name(session: Session, caller: Caller) -> str:
    """The distributor in the caller's network, else the nearest distributor, else 'the OEM supply chain'."""
    rows = session.execute(text("SELECT id, name, lat, lng FROM organizations WHERE org_type = 'distributor'")).all()
    if not rows:
        return "the manufacturer's distribution"
    partners = [r for r in rows if r.id in caller.partner_organization_ids]
    origin = _origin(caller)
    pool = partners or rows
    return min(pool, key=lambda r: distance_km(origin, r.lat, r.lng) or 0.0).name


@tool(ToolKind.READ)
def find_inventory(ctx: ToolContext, args: FindInventoryInput) -> FindInventoryOutput:
    """Find where a part can be had right now, ranked by how soon it can be in the technician's hand.

    Looks at the caller's own trucks, warehouses and sites; partner organizations' stock they offer for
    sale or trade; marketplace listings the caller may see; and supplier catalogs (authorized distributors,
    OEM parts-direct, independents) with their branch stock, price for the quantity, lead time and cut-off
    ("order by 6 pm ships today"; will-call pickup at a nearby branch). Includes interchangeable numbers
    from the supersession chain (newer replacements; older numbers only when drop-in) and says when an
    option is a replacement. Each option has source type, organization and location, distance, quantity,
    condition, price, estimated hours until in hand, pickup/emergency options, and why it is ranked there.
    Equal times rank own stock, partners, marketplace, authorized suppliers, then other suppliers.

    Args:
        part_number: e.g. "GAA26800LC1" (or part_id).
        quantity: Units needed (default 1).
        emergency: True if the equipment is down — same-day options first, emergency couriers considered.
        lat, lng: Where the technician is now; default is their truck or home base.
        conditions: Acceptable conditions, e.g. ["new", "refurbished"].

    Do NOT use this to identify a part (use lookup_part / search_parts) or to judge a price (assess_price).
    To hold stock shown here, call request_emergency_pickup with the option's inventory_item_id; to order
    from a supplier, add the option's supplier_offer_id to the cart (add_to_cart).
    """
    part = resolve_part(ctx.session, part_number=args.part_number, part_id=args.part_id,
                        manufacturer=args.manufacturer, org_id=ctx.caller.organization_id)
    candidates: list[StandIn] = stand_ins(ctx.session, part) if args.include_replacements else [
        StandIn(part, "requested", f"{part.part_number} as requested")]
    by_id = {c.part.id: c for c in candidates}
    by_norm = {c.part.part_number: c for c in candidates}
    origin = _origin(ctx.caller, args.lat, args.lng)
    params: dict[str, Any] = {"ids": list(by_id), "me": ctx.caller.organization_id, "now": clock.now(),
                              "norms": [normalize_part_number(c.part.part_number) for c in candidates]}
    stock_sql = _STOCK_SQL.format(vis=inventory_visibility_sql(ctx.caller, params, "i"))
    listing_sql = _LISTING_SQL.format(vis=listing_visibility_sql(ctx.caller, params, "l"))
    wanted = {c.value for c in args.conditions} if args.conditions else None

    def stand_in(row: Any) -> StandIn:
        return by_id.get(row.part_id) or by_norm.get(row.part_number) or candidates[0]

    supplied = supplier_sourcing(ctx.session, ctx.caller, candidates, origin, args.quantity)
    options: list[SourcingOption] = []
    for row in ctx.session.execute(text(stock_sql), params):
        if supplied.absorb_shelf(row):
            continue  # a supplier's own shelf at its branch: the offer's will-call option carries it
        c = stand_in(row)
        options.append(stock_option(row, ctx.caller, origin, c.note, c.relation != "requested", args.quantity))
    shown_items = {o.inventory_item_id for o in [*options, *supplied.options] if o.inventory_item_id}
    for row in ctx.session.execute(text(listing_sql), params):
        if row.inventory_item_id in shown_items:
            continue  # the same shelf stock is already an option (and can be held directly)
        c = stand_in(row)
        options.append(listing_option(row, origin, c.note, c.relation != "requested", args.quantity,
                                      args.emergency))
    options += supplied.options
    supplier = _supplier_name(ctx.session, ctx.caller)
    for c in candidates:  # the catalog's lead time only where no supplier offers the part
        if c.part.id not in supplied.offered and not c.part.is_discontinued and not c.needs_modification:
            options.append(supplier_order_option(c.part, supplier, c.note, c.relation != "requested"))
    if wanted is not None:
        options = [o for o in options if o.condition in wanted]
    ranked = rank_options(options, args.emergency)
    if not ranked:
        message = f"No source found for {part.part_number}. Post a wanted request or widen the acceptable conditions."
    else:
        best = ranked[0]
        message = f"Best option: {best.why}"
        if args.emergency and not best.same_day:
            message = "No same-day source found. " + message
    return FindInventoryOutput(
        part_number=part.part_number, manufacturer=part.manufacturer, name=part.name,
        quantity_needed=args.quantity, emergency=args.emergency, origin=origin,
        searched=[SearchedNumber(part_id=c.part.id, part_number=c.part.part_number, relation=c.relation,
                                 note=c.note) for c in candidates],
        options=ranked[: args.max_results], total_options=len(ranked), message=message,
    )


# ---- request_emergency_pickup -------------------------------------------------------------------------

class EmergencyPickupInput(BaseModel):
    inventory_item_id: uuid.UUID = Field(description="inventory_item_id of an option from find_inventory")
    quantity: int = Field(default=1, ge=1, le=50, description="Units to hold")
    hold_hours: int = Field(default=4, ge=1, le=24, description="How long the hold lasts before release")


class EmergencyPickupOutput(PickupPlace):
    hold_id: uuid.UUID
    pickup_code: str = Field(description="Give this code at the counter / to the truck driver")
    expires_at: datetime
    quantity: int
    part_number: str
    part_name: str
    condition: str
    distance_km: float | None
    quantity_still_available: int
    message: str


def summarize_pickup(caller: Caller, args: EmergencyPickupInput, session: Session) -> str:
    row = visible_item(session, caller, args.inventory_item_id, lock=False)
    if row is None:
        return f"Hold {args.quantity} unit(s) of that stock item?"
    dist = distance_km(_origin(caller), row.lat, row.lng)
    away = f" ({dist:.1f} km)" if dist is not None else ""
    return (f"Hold {args.quantity} × {row.part_number} at {row.org_name} – {row.loc_name}{away} "
            f"for pickup within {args.hold_hours} h?")


@tool(ToolKind.WRITE, summarize=summarize_pickup)
def request_emergency_pickup(ctx: ToolContext, args: EmergencyPickupInput) -> EmergencyPickupOutput:
    """Hold units of a stock item for pickup and issue a pickup code that expires.

    Reserves the units at once (nobody else can take them) at one of the caller's own locations or a
    partner's location that offers the item for sale or trade, and returns a 6-character pickup code, the
    expiry time, the address, pickup hours and the contact to call.

    Args:
        inventory_item_id: From a find_inventory option (own, partner or distributor stock; not listings).
        quantity: Units to hold (default 1).
        hold_hours: Hold length in hours (default 4, at most 24).

    Do NOT use this for marketplace listings (make an offer instead) or to buy: it only sets stock aside.
    """
    if not ctx.caller.can_buy:
        raise ToolFailed("forbidden", "Your role cannot hold stock.")
    row = visible_item(ctx.session, ctx.caller, args.inventory_item_id, lock=True)
    if row is None:
        raise ToolFailed("not_found", "No stock item with that id is available to you.",
                         hint="Use an inventory_item_id from find_inventory.")
    # Expired holds give their units back before we count what is available.
    now = clock.now()
    released = ctx.session.execute(text(
        "UPDATE stock_holds SET status = 'expired' WHERE inventory_item_id = :id AND status = 'active' "
        "AND expires_at < :now RETURNING quantity"), {"id": row.id, "now": now}).scalars().all()
    available = row.quantity_available + sum(released)
    if available < args.quantity:
        raise ToolFailed("insufficient_stock", f"Only {available} × {row.part_number} left at {row.loc_name}; "
                         f"cannot hold {args.quantity}.", hint="Hold fewer units or pick another option.")
    ctx.session.execute(text(
        "UPDATE inventory_items SET quantity_reserved = quantity_reserved - :released + :q, updated_at = :now "
        "WHERE id = :id"), {"released": sum(released), "q": args.quantity, "id": row.id, "now": now})
    hold = insert_hold(ctx.session, ctx.caller, row, args.quantity, args.hold_hours)
    tell_if_low(ctx.session, row.id, available, available - args.quantity, ctx.caller.user_id)
    return EmergencyPickupOutput(
        hold_id=hold.id, pickup_code=hold.pickup_code, expires_at=hold.expires_at, quantity=args.quantity,
        part_number=row.part_number, part_name=row.name, condition=row.condition, organization_name=row.org_name,
        location_name=row.loc_name, location_type=row.location_type, address=row.address, city=row.city,
        pickup_hours=row.pickup_hours, contact_name=row.contact_name, contact_phone=row.contact_phone,
        distance_km=distance_km(_origin(ctx.caller), row.lat, row.lng),
        quantity_still_available=available - args.quantity,
        message=(f"Held {args.quantity} × {row.part_number} at {row.org_name} – {row.loc_name}. Pickup code "
                 f"{hold.pickup_code}, valid {args.hold_hours} h."),
    )

