"""What a supplier looks like to callers: its profile, its branches with today's shipping cut-off, and (when a
part is asked about) its offers of that part per branch with the price for the quantity."""

from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.suppliers.availability import availability
from tools.suppliers.cutoff import next_ship_day
from tools.suppliers.pricing import PriceBreak

SupplierType = Literal["authorized_distributor", "oem", "independent"]


class SupplierBranchView(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    city: str | None
    state_province: str | None
    cutoff_time: str = Field(pattern=r"^\d{2}:\d{2}$", description="Local time (24 h, the supplier's time "
                             "zone) orders must be in by to ship the same day, e.g. '18:00'")
    will_call: bool = Field(description="Parts can be picked up at the counter")
    ships_today: bool = Field(description="An order placed now leaves today")
    ship_date: date = Field(description="The branch's local date an order placed now leaves")
    shipping: str = Field(description="e.g. 'order by 6 pm ships today' or 'ships Monday (no shipping at weekends)'")


class SupplierOfferView(BaseModel):
    supplier_offer_id: uuid.UUID = Field(description="Pass to add_to_cart to order this offer")
    branch_id: uuid.UUID
    branch_code: str
    branch_name: str
    city: str | None
    part_id: uuid.UUID | None = Field(description="The catalog part, when the catalog knows the number")
    part_number: str
    manufacturer: str
    description: str | None
    currency: str
    unit_price: Decimal = Field(description="Base unit price (below the first price break)")
    price_breaks: list[PriceBreak]
    quantity: int = Field(description="The quantity the price is for")
    price_for_quantity: Decimal = Field(description="Unit price for `quantity` units after price breaks")
    stock_on_hand: int
    stock_available: int = Field(description="On hand minus reserved by open orders")
    covers_quantity: bool
    lead_time_days: int = Field(description="Days until restocked when out of stock")
    backorder_allowed: bool
    cutoff_time: str = Field(pattern=r"^\d{2}:\d{2}$", description="The branch's cut-off, e.g. '18:00'")
    ships_today: bool = Field(description="In stock and an order placed now leaves today")
    eta_hours: float = Field(description="Hours until delivered by ground (from stock, or after the lead time)")
    availability: str = Field(description="e.g. '4 in stock, order by 6 pm ships today'")


class SupplierView(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID = Field(description="The organization that sells (the seller of its orders)")
    name: str
    supplier_type: SupplierType
    authorized: bool = Field(description="Authorized by the manufacturer (genuine parts, warranty honoured)")
    authorized_brands: list[str] = Field(description="Brands it is authorized for; empty: all it carries")
    orders_email: str | None
    phone: str | None
    timezone: str
    payment_terms: str
    branches: list[SupplierBranchView]
    offers: list[SupplierOfferView] = Field(default_factory=list, description="Offers of the part asked about "
                                            "(empty when no part_number was given), in stock and cheapest first")


def hhmm(at: time) -> str:
    return at.strftime("%H:%M")


def branch_view(row: Any, timezone: str) -> SupplierBranchView:
    ship = next_ship_day(row.cutoff_time, timezone)
    return SupplierBranchView(id=row.id, code=row.code, name=row.name, city=row.city,
                              state_province=row.state_province, cutoff_time=hhmm(row.cutoff_time),
                              will_call=row.will_call, ships_today=ship.ships_today, ship_date=ship.ship_date,
                              shipping=ship.sentence)


def offer_view(row: Any, quantity: int) -> SupplierOfferView:
    terms = availability(row, quantity)
    return SupplierOfferView(
        supplier_offer_id=row.id, branch_id=row.branch_id, branch_code=row.branch_code, branch_name=row.branch_name,
        city=row.city, part_id=row.part_id, part_number=row.part_number, manufacturer=row.manufacturer,
        description=row.description, currency=row.currency, unit_price=row.unit_price, price_breaks=terms.breaks,
        quantity=quantity, price_for_quantity=terms.unit_price, stock_on_hand=row.stock_on_hand,
        stock_available=terms.available, covers_quantity=terms.covers_quantity, lead_time_days=terms.lead_time_days,
        backorder_allowed=row.backorder_allowed, cutoff_time=hhmm(row.cutoff_time),
        ships_today=terms.in_stock and terms.ship.ships_today,
        eta_hours=terms.eta_hours, availability=terms.summary,
    )
