"""Where a part can be had, and how long until it is in the technician's hand.

Time-to-part model (hours): stock on the caller's own truck is in hand; other own stock is a drive plus
a pick; partner stock needs a phone call first; a marketplace listing is a local pickup, an emergency
courier or shipping days; a supplier's offer is a will-call pickup at a nearby branch with stock, else it
ships (today before the branch's cut-off, else the next business day) or comes after its lead time
(tools/inventory/supplier_sourcing.py); ordering new at the catalog lead time is left only for parts no
supplier offers. Equal times go by the sourcing order: own stock, the partner network, the marketplace,
authorized suppliers, other suppliers.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from knowledge.models import PartCondition
from tools.context import Caller
from tools.rules.geo import distance_km, drive_hours
from tools.rules.money import usd

SourceType = Literal["own_truck", "own_warehouse", "own_site", "partner", "marketplace", "supplier"]
SAME_DAY_HOURS = 8.0
LOCAL_PICKUP_KM = 120.0
COURIER_HOURS = 3.0
DEFAULT_SHIPPING_DAYS = 3
DEFAULT_LEAD_DAYS = 7
CONDITION_ORDER = tuple(c.value for c in PartCondition)  # best first


class SourcingOption(BaseModel):
    rank: int = 0
    source_type: SourceType
    organization_name: str
    location_name: str | None = None
    location_type: str | None = None
    city: str | None = None
    address: str | None = None
    distance_km: float | None = Field(default=None, description="Straight-line distance from the origin")
    part_id: uuid.UUID | None = None
    part_number: str
    is_replacement: bool = False
    replacement_note: str | None = None
    quantity_available: int | None = Field(default=None, description="None for supplier orders (not stocked)")
    covers_quantity: bool = True
    condition: str
    price: Decimal | None = None
    price_kind: Literal["list_price", "listing_price", "current_bid", "msrp", "supplier_price"] | None = None
    currency: str = "USD"
    eta_hours: float = Field(description="Estimated hours until the part is in hand")
    same_day: bool
    fulfillment: str = Field(description="How it gets to you: on_your_truck, drive_and_pick, call_and_pickup, "
                             "local_pickup, emergency_courier, shipping, will_call (a supplier's counter), "
                             "ships_today, ships_next_business_day, backorder (a supplier out of stock), order_new")
    pickup_available: bool = False
    emergency_available: bool = False
    emergency_premium: Decimal | None = None
    shipping_days: int | None = None
    pickup_hours: str | None = None
    contact: str | None = None
    inventory_item_id: uuid.UUID | None = Field(default=None, description="Pass to request_emergency_pickup")
    listing_id: uuid.UUID | None = Field(default=None, description="Marketplace listing to make an offer on")
    supplier_offer_id: uuid.UUID | None = Field(default=None, description="A supplier's offer: pass to "
                                                "add_to_cart to order it")
    authorized: bool | None = Field(default=None, description="For a supplier: authorized by the manufacturer")
    why: str


def fmt_eta(hours: float) -> str:
    if hours < 0.1:
        return "in hand now"
    if hours < 24:
        return f"about {hours:.1f} h"
    return f"about {hours / 24:.0f} day(s)"


def where_text(dist: float | None) -> str:
    return f"{dist:.1f} km away" if dist is not None else "distance unknown"


def stock_option(row: Any, caller: Caller, origin: tuple[float, float] | None, note: str | None,
                 replacement: bool, quantity: int) -> SourcingOption:
    """An inventory row the caller may see: their own (any) or a partner's (offered for sale/trade)."""
    dist = distance_km(origin, row.lat, row.lng)
    own = row.organization_id == caller.organization_id
    contact = " ".join(x for x in (row.contact_name, row.contact_phone) if x) or None
    if own and row.location_type == "truck":
        source: SourceType = "own_truck"
        if row.assigned_user_id == caller.user_id:
            eta, fulfillment, why = 0.0, "on_your_truck", f"On your own truck ({row.loc_name})"
        else:
            eta, fulfillment = drive_hours(dist) + 0.5, "drive_and_pick"
            why = f"On a colleague's truck ({row.loc_name}), {where_text(dist)}; meet up"
    elif own:
        source = "own_warehouse" if row.location_type == "warehouse" else "own_site"
        eta, fulfillment = drive_hours(dist) + (0.25 if source == "own_warehouse" else 0.5), "drive_and_pick"
        why = f"Your organization's {row.location_type} {row.loc_name}, {where_text(dist)}"
    else:
        source = "supplier" if row.org_type == "distributor" else "partner"
        eta, fulfillment = drive_hours(dist) + (0.75 if source == "supplier" else 1.0), "call_and_pickup"
        offered = "for sale" if row.available_for_sale else "for trade"
        why = (f"{'Distributor' if source == 'supplier' else 'Partner'} {row.org_name} offers it {offered} at "
               f"{row.loc_name}, {where_text(dist)}; call ahead" + (f" ({contact})" if contact else ""))
    eta = round(eta, 2)
    why += f" — {fmt_eta(eta)}."
    if replacement and note:
        why += f" Replacement: {note}."
    return SourcingOption(
        source_type=source, organization_name=row.org_name, location_name=row.loc_name,
        location_type=row.location_type, city=row.city, address=row.address, distance_km=dist, part_id=row.part_id,
        part_number=row.part_number, is_replacement=replacement, replacement_note=note if replacement else None,
        quantity_available=row.quantity_available, covers_quantity=row.quantity_available >= quantity,
        condition=row.condition, price=None if own else row.list_price, price_kind=None if own else "list_price",
        currency=row.currency or "USD", eta_hours=eta, same_day=eta <= SAME_DAY_HOURS, fulfillment=fulfillment,
        pickup_available=True, pickup_hours=row.pickup_hours, contact=contact, inventory_item_id=row.id, why=why,
    )


def listing_option(row: Any, origin: tuple[float, float] | None, note: str | None, replacement: bool,
                   quantity: int, emergency: bool) -> SourcingOption:
    """A visible, active marketplace listing: fastest of local pickup, emergency courier and shipping."""
    dist = distance_km(origin, row.lat, row.lng)
    options = set(row.fulfillment_options or [])
    pickup = bool(row.local_pickup_available or options & {"local_pickup", "will_call"})
    courier = bool(row.emergency_available or "emergency_delivery" in options)
    ship_days = row.estimated_shipping_days or DEFAULT_SHIPPING_DAYS
    routes: list[tuple[float, str]] = []
    if "shipping" in options or not (pickup or courier):
        routes.append((ship_days * 24.0 + 12.0, "shipping"))
    if pickup and (dist is None or dist <= LOCAL_PICKUP_KM):
        routes.append((drive_hours(dist) + 2.0, "local_pickup"))
    if courier and (emergency or not routes):
        routes.append((COURIER_HOURS + drive_hours(dist), "emergency_courier"))
    eta, fulfillment = min(routes)
    eta = round(eta, 2)
    price, kind = row.price, "listing_price"
    if row.is_auction or row.listing_type == "auction":
        price, kind = row.current_bid or row.starting_bid or row.price, "current_bid"
    how = {"shipping": f"ships in ~{ship_days} day(s)", "local_pickup": "local pickup after the seller accepts",
           "emergency_courier": "emergency courier" + (f" (+{usd(row.emergency_premium)} premium)"
                                                       if row.emergency_premium else "")}[fulfillment]
    why = (f"{row.listing_type.capitalize()} listing by {row.org_name} in {row.city}, {where_text(dist)}; {how} — "
           f"{fmt_eta(eta)}.")
    if courier and fulfillment != "emergency_courier":
        why += " Emergency delivery available."
    if replacement and note:
        why += f" Replacement: {note}."
    return SourcingOption(
        source_type="marketplace", organization_name=row.org_name, location_name=row.loc_name, city=row.city,
        distance_km=dist, part_id=row.part_id, part_number=row.part_number, is_replacement=replacement,
        replacement_note=note if replacement else None, quantity_available=row.quantity_available,
        covers_quantity=row.quantity_available >= quantity, condition=row.condition, price=price, price_kind=kind,
        currency=row.currency or "USD", eta_hours=eta, same_day=eta <= SAME_DAY_HOURS, fulfillment=fulfillment,
        pickup_available=pickup, emergency_available=courier, emergency_premium=row.emergency_premium,
        shipping_days=ship_days, listing_id=row.id, why=why,
    )


def supplier_order_option(part: Any, supplier: str, note: str | None, replacement: bool) -> SourcingOption:
    """Ordering new from the supply chain at catalog price and lead time."""
    lead = part.lead_time_days if part.lead_time_days is not None else DEFAULT_LEAD_DAYS
    eta = round(max(lead, 1) * 24.0 + 24.0, 2)
    why = (f"Order new from {supplier}: MSRP {part.msrp or 'unknown'}, {lead}-day lead time plus delivery — "
           f"{fmt_eta(eta)}.")
    if replacement and note:
        why += f" Replacement: {note}."
    return SourcingOption(
        source_type="supplier", organization_name=supplier, part_id=part.id, part_number=part.part_number,
        is_replacement=replacement, replacement_note=note if replacement else None, condition="new",
        price=part.msrp, price_kind="msrp" if part.msrp is not None else None, currency=part.currency,
        eta_hours=eta, same_day=False, fulfillment="order_new", why=why,
    )


def sourcing_order(option: SourcingOption) -> int:
    """Seed 000's order of sources: internal, the partner network, the marketplace, authorized suppliers,
    then other suppliers."""
    if option.source_type == "supplier":
        return 3 if option.authorized is not False else 4
    return {"partner": 1, "marketplace": 2}.get(option.source_type, 0)


def rank_options(options: list[SourcingOption], emergency: bool) -> list[SourcingOption]:
    """Fastest first, options covering the quantity before partial ones; in an emergency any same-day
    option (even a partial one) before anything slower. Ties: the requested number (replacements are the
    last resort), the sourcing order (authorized suppliers before independents), condition, price."""

    def key(o: SourcingOption) -> tuple[Any, ...]:
        condition = CONDITION_ORDER.index(o.condition) if o.condition in CONDITION_ORDER else len(CONDITION_ORDER)
        urgency = (not o.same_day, not o.covers_quantity) if emergency else (not o.covers_quantity, False)
        return (*urgency, o.eta_hours, o.is_replacement, sourcing_order(o), condition,
                o.price if o.price is not None else Decimal("1e12"))

    ranked = sorted(options, key=key)
    for i, option in enumerate(ranked, 1):
        option.rank = i
    return ranked
