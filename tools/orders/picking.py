"""Picking what to buy when only a part number is given: the fastest source that can be bought through the
cart, in find_inventory's time-to-part order — a fixed-price listing, a supplier offer, or the organization's
own stock at another place (a transfer; never the caller's own truck: that part is in hand already)."""

from __future__ import annotations

from dataclasses import dataclass

from tools.inventory.ranking import SourcingOption
from tools.inventory.sourcing import FindInventoryInput, FindInventoryOutput, find_inventory
from tools.orders.sources import Source, load_source
from tools.registry import ToolContext
from tools.results import ToolFailed

OWN_SOURCES = ("own_truck", "own_warehouse", "own_site")


@dataclass
class Picked:
    source: Source
    why: str


def _candidate(ctx: ToolContext, option: SourcingOption) -> Source | None:
    """The cart source behind a find_inventory option, when it can be bought through the cart."""
    offer_id = option.supplier_offer_id
    try:
        if offer_id is not None:
            return load_source(ctx.session, ctx.caller, supplier_offer_id=offer_id, adding=True)
        if option.listing_id is not None and option.price_kind == "listing_price":
            return load_source(ctx.session, ctx.caller, listing_id=option.listing_id, adding=True)
        if (option.inventory_item_id is not None and option.source_type in OWN_SOURCES
                and option.fulfillment != "on_your_truck"):
            return load_source(ctx.session, ctx.caller, inventory_item_id=option.inventory_item_id, adding=True)
    except ToolFailed:
        return None  # e.g. a trade-only or auction listing: not something the cart buys
    return None


def pick_source(ctx: ToolContext, part_number: str, manufacturer: str | None, quantity: int) -> Picked:
    """The first option in time-to-part order that can be bought through the cart and covers `quantity`."""
    found = find_inventory(ctx, FindInventoryInput(part_number=part_number, manufacturer=manufacturer,
                                                   quantity=quantity, max_results=50))
    assert isinstance(found, FindInventoryOutput)
    partial: list[str] = []
    for option in found.options:
        source = _candidate(ctx, option)
        if source is None:
            continue
        if source.covers(quantity) and quantity >= source.minimum_quantity:
            why = f"Picked the fastest source you can buy: {option.why}"
            return Picked(source, why)
        partial.append(f"{source.seller} ({source.place}) has {source.available}")
    if partial:
        raise ToolFailed("insufficient_stock", f"No single source you can buy has {quantity} × {found.part_number}: "
                         + "; ".join(partial[:4]) + ".", hint="Ask for fewer, or add sources one by one by id.")
    raise ToolFailed("unavailable", f"Nothing you can buy through the cart has {found.part_number} now "
                     f"({found.total_options} option(s) found, none fixed-price, from a supplier or your own "
                     "stock elsewhere).", hint="See find_inventory for offers, auctions and partner stock to hold.")
