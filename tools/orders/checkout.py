"""Checking out the cart (one order per seller) and buying one thing right away (buy now), both shipped to a
saved address, a job site or one of the organization's stock locations, with an optional PO number."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.orders.cart import engine_of, lock_cart
from tools.orders.cart_views import CartView, build_cart_view, cart_items
from tools.orders.duplicates import duplicate_warnings
from tools.orders.picking import pick_source
from tools.orders.placing import Wanted, place_orders
from tools.orders.ship_to import ShipTo, resolve_ship_to
from tools.orders.sources import Source, check_quantity, load_source
from tools.orders.spend_limits import approval_words, needs_approval, spend_limit
from tools.orders.views import OrderView, load_order_view
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.rules.roles import require_buyer
from tools.rules.wording import counted

ShippingMethod = Literal["ground", "next_day", "will_call", "courier"]
SHOWN_DUPLICATES = 2  # in a confirmation; view_cart lists them all
SHIPPING_WORDS = {"ground": "ground", "next_day": "next day", "will_call": "will call", "courier": "courier"}


class OrderTerms(BaseModel):
    ship_to: str = Field(min_length=1, max_length=200, description="Where it goes, in words: a saved address "
                         "label, a job site you have equipment at ('Brown Palace job') or one of your stock "
                         "locations ('main warehouse', 'truck 03')")
    po_number: str | None = Field(None, max_length=60, description="Your purchase order number, e.g. '4471'")
    shipping_method: ShippingMethod = Field("ground", description="ground, next_day, will_call or courier")


class CheckoutInput(OrderTerms):
    item_ids: list[uuid.UUID] | None = Field(None, max_length=100, description="Check out only these cart items "
                                             "(default: the whole cart)")


class CheckoutOutput(BaseModel):
    orders: list[OrderView] = Field(description="The orders placed, one per seller")
    warnings: list[str] = Field(description="What the buyer was warned of (duplicates, price changes, approval)")
    message: str


def _orders_words(views: list[OrderView]) -> str:
    said = "; ".join(f"{v.order_number} to {v.seller_organization} ({usd(v.total, v.currency)}): {v.status_words}"
                     for v in views)
    return f"Placed {counted(len(views), 'order')}: {said}."


def _place(ctx: ToolContext, lines: list[Wanted], place: ShipTo, args: OrderTerms) -> list[OrderView]:
    orders = place_orders(ctx, lines, place, args.po_number.strip() if args.po_number else None,
                          args.shipping_method)
    return [load_order_view(ctx.session, ctx.caller, order) for order in orders]


def _terms_words(place: ShipTo | None, args: OrderTerms) -> str:
    where = place.words() if place else f"“{args.ship_to}”"
    po = f", PO {args.po_number}" if args.po_number else ""
    return f"ship to {where}{po}, {SHIPPING_WORDS[args.shipping_method]}"


def _question(statement: str, warnings: list[str], duplicates: list[str], still: str) -> str:
    """One question: the statement asked; or the statement and warnings told, then the last duplicate order
    asked about ("… 2 days ago — still order?"), or `still` asked."""
    if not warnings and not duplicates:
        return statement + "?"
    shown = duplicates[:SHOWN_DUPLICATES]
    more = len(duplicates) - len(shown)
    tail = f"{shown[-1]}{f' (and {more} more)' if more else ''} — still order?" if shown else still
    return " ".join([statement + ".", *warnings, *(d + "." for d in shown[:-1]), tail])


def _place_or_none(session: Session, caller: Caller, words: str) -> ShipTo | None:
    try:
        return resolve_ship_to(session, caller, words)
    except ToolFailed:
        return None


def summarize_checkout(caller: Caller, args: CheckoutInput, session: Session) -> str:
    place = _place_or_none(session, caller, args.ship_to)
    cart = build_cart_view(session, caller, place, args.item_ids)
    if not cart.items:
        return "Your cart is empty, so nothing would be ordered — check out anyway?"
    parts = []
    for seller in cart.sellers:
        if seller.kind == "transfer":
            parts.append(f"a transfer of {counted(seller.items, 'item')} of your own stock")
        else:
            parts.append(f"{counted(seller.items, 'item')} from {seller.seller} ({usd(seller.subtotal)})")
    statement = f"Check out {' and '.join(parts)}, {_terms_words(place, args)}"
    return _question(statement, _cart_warnings(cart), [d.text for d in cart.duplicates],
                     "Still check out?")


def _cart_warnings(cart: CartView) -> list[str]:
    said = [w for item in cart.items for w in item.warnings]
    if cart.approval_note:
        said.append(cart.approval_note[0].upper() + cart.approval_note[1:] + ".")
    return said


@tool(ToolKind.WRITE, summarize=summarize_checkout)
def checkout(ctx: ToolContext, args: CheckoutInput) -> CheckoutOutput:
    """Check out your cart: one order per seller, stock reserved at once (nobody else can buy those units),
    shipped to the place you name, with your PO number. Orders above your spend limit wait for a parts
    manager's approval; transfers of your own stock need no payment or approval.

    Args:
        ship_to: e.g. "Brown Palace job", "main warehouse", "truck 03" or a saved address label. Ambiguous
            names fail with the choices.
        po_number: Optional, e.g. "4471".
        shipping_method: ground (default), next_day, will_call or courier.
        item_ids: Optional: only these cart items; the rest stay in the cart.

    Fails with insufficient_stock (naming the item and what is left) when any item cannot be had; then nothing
    is ordered. Check view_cart first for price changes and duplicate-order warnings.
    """
    require_buyer(ctx.caller, "buy parts")
    session, caller = ctx.session, ctx.caller
    place = resolve_ship_to(session, caller, args.ship_to)
    lock_cart(session, caller)  # locked: the same cart is never checked out twice at once
    items = cart_items(session, caller, args.item_ids)
    if args.item_ids is not None:
        missing = set(args.item_ids) - {i.id for i in items}
        if missing:
            raise ToolFailed("not_found", f"{counted(len(missing), 'item')} not in your cart.",
                             hint="view_cart lists your cart's item ids.")
    if not items:
        raise ToolFailed("invalid", "Your cart is empty: nothing to check out.",
                         hint="Add parts with add_to_cart, or buy one thing with buy_now.")
    cart = build_cart_view(session, caller, place, [i.id for i in items])
    warnings = [*_cart_warnings(cart), *(d.text + "." for d in cart.duplicates)]
    lines = [Wanted(i.quantity, i.listing_id, i.supplier_offer_id, i.inventory_item_id) for i in items]
    views = _place(ctx, lines, place, args)
    for item in items:
        session.delete(item)
    session.flush()
    left = len(cart_items(session, caller))
    return CheckoutOutput(orders=views, warnings=warnings, message=_orders_words(views) + (
        f" {counted(left, 'item')} left in your cart." if left else ""))


# ---- buy now ---------------------------------------------------------------------------------------------------

class BuyNowInput(OrderTerms):
    listing_id: uuid.UUID | None = Field(None, description="A fixed-price listing of another organization")
    supplier_offer_id: uuid.UUID | None = Field(None, description="A supplier's offer")
    inventory_item_id: uuid.UUID | None = Field(None, description="Your own stock elsewhere (a transfer)")
    part_number: str | None = Field(None, max_length=100, pattern=r"\S",
                                    description="Just the part: the fastest source you can "
                                    "buy is picked")
    manufacturer: str | None = Field(None, max_length=100)
    quantity: int = Field(1, ge=1, le=10_000)

    @model_validator(mode="after")
    def _one_source(self) -> BuyNowInput:
        given = [self.listing_id, self.supplier_offer_id, self.inventory_item_id, self.part_number]
        if sum(x is not None for x in given) != 1:
            raise ValueError("give exactly one of listing_id, supplier_offer_id, inventory_item_id or part_number")
        return self


def _buy_source(ctx: ToolContext, args: BuyNowInput) -> Source:
    if args.part_number is not None:
        return pick_source(ctx, args.part_number, args.manufacturer, args.quantity).source
    return load_source(ctx.session, ctx.caller, listing_id=args.listing_id, supplier_offer_id=args.supplier_offer_id,
                       inventory_item_id=args.inventory_item_id, adding=True)


def _buy_warnings(session: Session, caller: Caller, source: Source, quantity: int,
                  place: ShipTo | None) -> tuple[list[str], list[str]]:
    """(warnings, duplicate-order texts) for buying `quantity` of `source`."""
    warnings = []
    total = Decimal(0) if source.kind == "transfer" else source.unit_price(quantity) * quantity
    limit = spend_limit(session, caller)
    if limit is not None and needs_approval(limit, total, source.kind):
        words = approval_words(session, caller, limit)
        warnings.append(words[0].upper() + words[1:] + ".")
    if source.backorder_allowed and quantity > source.available:
        warnings.append(f"Only {source.available} in stock; {quantity - source.available} backordered (about "
                        f"{source.lead_time_days or '?'} days).")
    duplicates = duplicate_warnings(session, caller, [(source.part_id, source.part_number)],
                                    place.site_name if place else None, place.equipment_id if place else None)
    return warnings, [d.text for d in duplicates]


def summarize_buy_now(caller: Caller, args: BuyNowInput, session: Session) -> str:
    place = _place_or_none(session, caller, args.ship_to)
    try:
        source = _buy_source(ToolContext(caller, session, engine_of(session)), args)
    except ToolFailed:
        named = f"{args.quantity} × {args.part_number}" if args.part_number else f"{args.quantity} unit(s) of that item"
        return f"Buy {named}, {_terms_words(place, args)}?"
    if source.kind == "transfer":
        what = f"Transfer {args.quantity} × {source.part_number} from {source.place}"
    else:
        price = source.unit_price(args.quantity)
        what = (f"Buy {args.quantity} × {source.part_number} from {source.seller} ({source.place}) at {usd(price)} "
                f"each ({usd(price * args.quantity)})")
    warnings, duplicates = _buy_warnings(session, caller, source, args.quantity, place)
    return _question(f"{what}, {_terms_words(place, args)}", warnings, duplicates, "Still buy?")


@tool(ToolKind.WRITE, summarize=summarize_buy_now)
def buy_now(ctx: ToolContext, args: BuyNowInput) -> CheckoutOutput:
    """Buy one thing right away without touching your cart: a fixed-price listing, a supplier offer, your own
    stock elsewhere (a transfer), or a part number (the fastest source you can buy is picked). Places one
    order, reserves the stock, ships where you say. Over your spend limit it waits for approval.

    Args:
        listing_id | supplier_offer_id | inventory_item_id | part_number (+ manufacturer): what to buy.
        quantity: Units (default 1).
        ship_to: e.g. "Brown Palace job", "main warehouse", a saved address label.
        po_number: Optional. shipping_method: ground (default), next_day, will_call or courier.
    """
    require_buyer(ctx.caller, "buy parts")
    place = resolve_ship_to(ctx.session, ctx.caller, args.ship_to)
    source = _buy_source(ctx, args)
    check_quantity(source, args.quantity)
    warnings, duplicates = _buy_warnings(ctx.session, ctx.caller, source, args.quantity, place)
    line = Wanted(args.quantity, source.listing_id, source.supplier_offer_id, source.inventory_item_id)
    views = _place(ctx, [line], place, args)
    return CheckoutOutput(orders=views, warnings=warnings + [d + "." for d in duplicates],
                          message=_orders_words(views))
