"""A supplier's price for a quantity: the base unit price, lowered by the deepest price break the quantity
reaches ("10+ at $95.00, 50+ at $89.50")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, Field

from tools.rules.money import cents, usd


class PriceBreak(BaseModel):
    min_quantity: int = Field(ge=2, description="From this many units on, this unit price applies")
    unit_price: Decimal = Field(ge=0, description="Unit price at or above min_quantity")


def price_breaks_of(raw: list[Any] | None) -> list[PriceBreak]:
    """The stored breaks (JSON objects), ascending by quantity."""
    breaks = [PriceBreak.model_validate(b) for b in raw or []]
    return sorted(breaks, key=lambda b: b.min_quantity)


def price_for_quantity(unit_price: Decimal, breaks: list[PriceBreak], quantity: int) -> Decimal:
    """The unit price for `quantity` units: the base price below the first break, else the deepest break
    reached (a break never raises the price above a shallower one)."""
    price = Decimal(unit_price)
    for level in breaks:
        if quantity >= level.min_quantity:
            price = min(price, Decimal(level.unit_price))
    return cents(price)


def break_reached(breaks: list[PriceBreak], quantity: int) -> PriceBreak | None:
    """The deepest break `quantity` reaches, if any (to say "at 10+")."""
    reached = [b for b in breaks if quantity >= b.min_quantity]
    return reached[-1] if reached else None


def describe_breaks(breaks: list[PriceBreak], currency: str = "USD") -> str:
    """"10+ $95, 50+ $89.50" for a reply; empty without breaks."""
    return ", ".join(f"{b.min_quantity}+ {usd(b.unit_price, currency)}" for b in breaks)


class PriceBreakSyntaxError(ValueError):
    """A price-break text that cannot be read; the message says which part and why."""


def parse_price_breaks(text: str) -> list[PriceBreak]:
    """Read "10:95.00;50:89.50" (min quantity, colon, unit price; pairs separated by semicolons).

    Raises:
        PriceBreakSyntaxError: a pair is malformed, a quantity is below 2 or repeats, a price is not a number.
    """
    breaks: list[PriceBreak] = []
    for pair in (p.strip() for p in text.split(";")):
        if not pair:
            continue
        quantity_text, sep, price_text = pair.partition(":")
        if not sep:
            raise PriceBreakSyntaxError(f"'{pair}' is not 'quantity:price' (e.g. 10:95.00)")
        try:
            quantity = int(quantity_text.strip())
        except ValueError:
            raise PriceBreakSyntaxError(f"quantity '{quantity_text.strip()}' in '{pair}' is not a whole number") \
                from None
        try:
            price = Decimal(price_text.strip().lstrip("$").replace(",", ""))
        except InvalidOperation:
            raise PriceBreakSyntaxError(f"price '{price_text.strip()}' in '{pair}' is not a number") from None
        if quantity < 2:
            raise PriceBreakSyntaxError(f"quantity {quantity} in '{pair}' must be 2 or more")
        if not price.is_finite() or price < 0:
            raise PriceBreakSyntaxError(f"price '{price_text.strip()}' in '{pair}' must be 0 or more")
        if any(b.min_quantity == quantity for b in breaks):
            raise PriceBreakSyntaxError(f"quantity {quantity} appears twice")
        breaks.append(PriceBreak(min_quantity=quantity, unit_price=cents(price)))
    return sorted(breaks, key=lambda b: b.min_quantity)
