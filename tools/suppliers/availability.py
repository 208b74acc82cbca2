"""What one supplier offer means for a quantity: the unit price after price breaks, the units free to sell
(on hand minus reserved by open orders), when it ships from the branch and how long until it is delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tools.rules.money import usd
from tools.suppliers.cutoff import ShipDay, backorder_eta_hours, next_ship_day, shipped_eta_hours
from tools.suppliers.pricing import PriceBreak, break_reached, price_breaks_of, price_for_quantity

SUPPLIER_LABELS = {"authorized_distributor": "authorized distributor", "oem": "OEM", "independent": "independent"}


@dataclass(frozen=True)
class OfferAvailability:
    unit_price: Decimal  # for the quantity asked
    breaks: list[PriceBreak]
    break_applied: PriceBreak | None
    available: int  # on hand minus reserved
    covers_quantity: bool  # from stock, or by backorder when the branch takes backorders
    ship: ShipDay
    lead_time_days: int
    eta_hours: float  # delivered: from stock after the cut-off rule, else after the lead time
    summary: str  # "4 in stock, order by 6 pm ships today" | "out of stock, 45-day lead time"

    @property
    def in_stock(self) -> bool:
        return self.available > 0


def supplier_label(authorized: bool, supplier_type: str) -> str:
    """"authorized" for an authorized supplier, else what it is ("independent")."""
    return "authorized" if authorized else SUPPLIER_LABELS.get(supplier_type, supplier_type)


def price_text(offer: OfferAvailability, currency: str) -> str:
    """"$412 each", or "$89.50 each at 50+" when a price break applies."""
    reached = f" at {offer.break_applied.min_quantity}+" if offer.break_applied else ""
    return f"{usd(offer.unit_price, currency)} each{reached}"


def availability(row: Any, quantity: int, now: datetime | None = None) -> OfferAvailability:
    """The terms of an offer row (unit_price, price_breaks, stock_on_hand, stock_reserved, lead_time_days,
    backorder_allowed, and its branch's cutoff_time and supplier's timezone) for `quantity` units."""
    breaks = price_breaks_of(row.price_breaks)
    available = max(int(row.stock_on_hand) - int(row.stock_reserved), 0)
    lead = int(row.lead_time_days)
    ship = next_ship_day(row.cutoff_time, row.timezone, now)
    if available >= quantity:
        covers, eta, summary = True, shipped_eta_hours(ship), f"{available} in stock, {ship.sentence}"
    elif available > 0:
        rest = f"; the other {quantity - available} in ~{lead} day(s)" if row.backorder_allowed else ""
        covers, eta = False, shipped_eta_hours(ship)
        summary = f"only {available} in stock, {ship.sentence}{rest}"
    else:
        covers, eta = bool(row.backorder_allowed), backorder_eta_hours(lead)
        summary = f"out of stock, {lead}-day lead time" + ("" if row.backorder_allowed else ", no backorders")
    return OfferAvailability(
        unit_price=price_for_quantity(row.unit_price, breaks, quantity), breaks=breaks,
        break_applied=break_reached(breaks, quantity), available=available, covers_quantity=covers, ship=ship,
        lead_time_days=lead, eta_hours=eta, summary=summary,
    )
