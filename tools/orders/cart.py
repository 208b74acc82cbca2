"""Your cart: add a listing, a supplier offer, your own stock from another place (a transfer) or just a part number
(the fastest source you can buy is picked), change a quantity, remove an item or empty it. One cart per person."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge.models import CartItem
from tools.context import Caller
from tools.idempotency import row_key
from tools.orders.cart_views import (
    CartItemView,
    build_cart_view,
    cart_items,
    item_view,
    source_of,
)
from tools.orders.picking import pick_source
from tools.orders.sources import Source, check_quantity, load_source
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.rules.roles import require_buyer
from tools.rules.wording import counted


class AddToCartInput(BaseModel):
    listing_id: uuid.UUID | None = Field(None, description="A fixed-price marketplace listing of another "
                                         "organization")
    supplier_offer_id: uuid.UUID | None = Field(None, description="A supplier's offer of a part at a branch")
    inventory_item_id: uuid.UUID | None = Field(None, description="Your own organization's stock at another "
                                                "place: becomes a transfer request")
    part_number: str | None = Field(None, max_length=100, pattern=r"\S",
                                    description="Just the part: the fastest source you can "
                                    "buy is picked (find_inventory's ranking)")
    manufacturer: str | None = Field(None, max_length=100, description="With part_number, when it is ambiguous")
    quantity: int = Field(1, ge=1, le=10_000, description="Units to add (adding the same source again adds up)")

    @model_validator(mode="after")
    def _one_source(self) -> AddToCartInput:
        given = [self.listing_id, self.supplier_offer_id, self.inventory_item_id, self.part_number]
        if sum(x is not None for x in given) != 1:
            raise ValueError("give exactly one of listing_id, supplier_offer_id, inventory_item_id or part_number")
        return self


class AddToCartOutput(BaseModel):
    item: CartItemView
    picked_because: str | None = Field(description="Why this source, when it was picked from a part number")
    cart_items: int
    cart_total: Decimal
    message: str


def lock_cart(session: Session, caller: Caller) -> uuid.UUID:
    """The caller's cart (made on first use), row-locked: one change to a person's cart at a time."""
    now = clock.now()
    session.execute(text("INSERT INTO carts (id, user_id, organization_id, created_at, updated_at) VALUES "
                         "(:id, :u, :org, :now, :now) ON CONFLICT (user_id) DO NOTHING"),
                    {"id": uuid.uuid4(), "u": caller.user_id, "org": caller.organization_id, "now": now})
    cart = session.execute(text("UPDATE carts SET organization_id = :org, updated_at = :now WHERE user_id = :u "
                                "RETURNING id"), {"u": caller.user_id, "org": caller.organization_id, "now": now})
    return uuid.UUID(str(cart.scalar_one()))


def _chosen(ctx: ToolContext, args: AddToCartInput) -> tuple[Source, str | None]:
    if args.part_number is not None:
        picked = pick_source(ctx, args.part_number, args.manufacturer, args.quantity)
        return picked.source, picked.why
    return load_source(ctx.session, ctx.caller, listing_id=args.listing_id, supplier_offer_id=args.supplier_offer_id,
                       inventory_item_id=args.inventory_item_id, adding=True), None


def add_source(ctx: ToolContext, source: Source, quantity: int, idempotency_key: str | None = None) -> CartItem:
    """Put `quantity` of `source` in the caller's cart (adding to the same source's line if there is one).
    `idempotency_key`: stored on a new line when one call adds one line (add_to_cart)."""
    session = ctx.session
    cart = lock_cart(session, ctx.caller)
    existing = next((i for i in cart_items(session, ctx.caller) if (i.listing_id, i.supplier_offer_id,
                     i.inventory_item_id) == (source.listing_id, source.supplier_offer_id, source.inventory_item_id)),
                    None)
    total = quantity + (existing.quantity if existing else 0)
    check_quantity(source, total)
    item = existing or CartItem(id=uuid.uuid4(), cart_id=cart, listing_id=source.listing_id,
                                supplier_offer_id=source.supplier_offer_id, inventory_item_id=source.inventory_item_id,
                                idempotency_key=idempotency_key)
    item.quantity = total
    item.unit_price_at_add = source.unit_price(total)
    item.available_at_add = source.available
    session.add(item)
    session.flush()
    return item


def _source_words(session: Session, caller: Caller, args: AddToCartInput) -> str | None:
    try:
        source = load_source(session, caller, listing_id=args.listing_id, supplier_offer_id=args.supplier_offer_id,
                             inventory_item_id=args.inventory_item_id)
    except ToolFailed:
        return None
    if source.problem:
        return None
    if source.kind == "transfer":
        return f"a transfer of {args.quantity} × {source.part_number} from {source.place}"
    return (f"{args.quantity} × {source.part_number} from {source.seller} ({source.place}) at "
            f"{usd(source.unit_price(args.quantity))} each")


def summarize_add(caller: Caller, args: AddToCartInput, session: Session) -> str:
    if args.part_number is not None:
        try:
            picked = pick_source(ToolContext(caller, session, engine_of(session)), args.part_number,
                                 args.manufacturer, args.quantity).source
            return (f"Add {args.quantity} × {picked.part_number} to your cart from {picked.seller} ({picked.place}), "
                    f"the fastest source you can buy, at {usd(picked.unit_price(args.quantity))} each?")
        except ToolFailed:
            return f"Add {args.quantity} × {args.part_number} to your cart from the fastest source you can buy?"
    words = _source_words(session, caller, args)
    return f"Add {words} to your cart?" if words else f"Add {args.quantity} unit(s) of that item to your cart?"


def engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


@tool(ToolKind.WRITE, summarize=summarize_add)
def add_to_cart(ctx: ToolContext, args: AddToCartInput) -> AddToCartOutput:
    """Add something to buy to your cart: a fixed-price marketplace listing, a supplier offer, your own
    organization's stock at another place (a transfer request), or just a part number — then the fastest
    source you can buy is picked (listing, supplier or your own stock elsewhere) and the answer says which.

    Args:
        listing_id: A fixed-price listing of another organization (not an auction or wanted post).
        supplier_offer_id: From find_inventory or a supplier's catalog.
        inventory_item_id: Your own stock elsewhere (not on your own truck).
        part_number: e.g. "GAA26800LC1" (with manufacturer if ambiguous), instead of an id.
        quantity: Units (default 1); at least the listing's minimum order. Adding the same source again
            raises the quantity.

    Nothing is ordered or reserved until checkout. To buy one thing right away use buy_now.
    """
    require_buyer(ctx.caller, "buy parts")
    source, why = _chosen(ctx, args)
    item = add_source(ctx, source, args.quantity, row_key(ctx))
    cart = build_cart_view(ctx.session, ctx.caller)
    view = next(v for v in cart.items if v.id == item.id)
    told = f"{view.seller} ({view.place})"
    added = (f"Added {args.quantity} × {view.part_number} from {told} at {usd(view.unit_price)} each"
             if source.kind != "transfer" else f"Added a transfer of {args.quantity} × {view.part_number} from "
             f"{view.place}")
    now = f"{view.quantity} in your cart now. Cart: {counted(len(cart.items), 'item')}, {usd(cart.total)}."
    return AddToCartOutput(item=view, picked_because=why, cart_items=len(cart.items), cart_total=cart.total,
                           message=f"{added}; {now}" + (f" {why}" if why else ""))


# ---- change a quantity, remove ---------------------------------------------------------------------------------

class CartItemChanges(BaseModel):
    quantity: int = Field(ge=1, le=10_000, description="The new quantity (to remove an item use remove_from_cart)")


class UpdateCartItemInput(CartItemChanges):
    item_id: uuid.UUID = Field(description="A cart item id from view_cart")


class UpdateCartItemOutput(BaseModel):
    item: CartItemView
    message: str


def _own_item(session: Session, caller: Caller, item_id: uuid.UUID) -> CartItem:
    found = cart_items(session, caller, [item_id])
    if not found:
        raise ToolFailed("not_found", f"No item {item_id} in your cart.", hint="view_cart lists your cart's items.")
    return found[0]


def _item_words(session: Session, caller: Caller, item_id: uuid.UUID) -> str | None:
    found = cart_items(session, caller, [item_id])
    if not found:
        return None
    source = source_of(session, caller, found[0])
    return f"{found[0].quantity} × {source.part_number} from {source.seller}"


def summarize_update(caller: Caller, args: UpdateCartItemInput, session: Session) -> str:
    words = _item_words(session, caller, args.item_id)
    return f"Change {words} in your cart to {args.quantity}?" if words else \
        f"Change that cart item to {args.quantity}?"


@tool(ToolKind.WRITE, summarize=summarize_update)
def update_cart_item(ctx: ToolContext, args: UpdateCartItemInput) -> UpdateCartItemOutput:
    """Change the quantity of an item in your cart (at least the listing's minimum, at most what is available
    unless the supplier backorders).

    Args:
        item_id: From view_cart. quantity: The new quantity, e.g. 3.
    """
    lock_cart(ctx.session, ctx.caller)
    item = _own_item(ctx.session, ctx.caller, args.item_id)
    source = source_of(ctx.session, ctx.caller, item)
    if source.problem:
        raise ToolFailed("unavailable", source.problem, hint="Remove it from your cart.")
    check_quantity(source, args.quantity)
    before = item.quantity
    item.quantity = args.quantity
    item.unit_price_at_add = source.unit_price(args.quantity)
    item.available_at_add = source.available
    ctx.session.flush()
    view = item_view(source, item)
    return UpdateCartItemOutput(item=view, message=f"{view.part_number} from {view.seller}: {before} → "
                                f"{args.quantity}, {usd(view.line_total)}.")


class RemoveFromCartInput(BaseModel):
    item_id: uuid.UUID | None = Field(None, description="The cart item to remove (from view_cart)")
    all: bool = Field(False, description="True to empty the whole cart")

    @model_validator(mode="after")
    def _one(self) -> RemoveFromCartInput:
        if (self.item_id is None) == (not self.all):
            raise ValueError("give item_id, or all=true to empty the cart (not both)")
        return self


class RemoveFromCartOutput(BaseModel):
    removed: list[str] = Field(description="What was removed, e.g. '2 × GAA26800LC1 from Keystone Parts Supply'")
    cart_items: int
    message: str


def summarize_remove(caller: Caller, args: RemoveFromCartInput, session: Session) -> str:
    if args.all:
        return f"Empty your cart ({counted(len(cart_items(session, caller)), 'item')})?"
    words = _item_words(session, caller, args.item_id) if args.item_id else None
    return f"Remove {words} from your cart?" if words else "Remove that item from your cart?"


@tool(ToolKind.WRITE, summarize=summarize_remove)
def remove_from_cart(ctx: ToolContext, args: RemoveFromCartInput) -> RemoveFromCartOutput:
    """Remove one item from your cart, or empty it (all=true). Nothing else changes: no stock was reserved.

    Args:
        item_id: From view_cart; or all: true.
    """
    lock_cart(ctx.session, ctx.caller)
    items = cart_items(ctx.session, ctx.caller) if args.all else \
        [_own_item(ctx.session, ctx.caller, args.item_id)]  # type: ignore[arg-type]
    removed = []
    for item in items:
        source = source_of(ctx.session, ctx.caller, item)
        removed.append(f"{item.quantity} × {source.part_number} from {source.seller}")
        ctx.session.delete(item)
    ctx.session.flush()
    left = len(cart_items(ctx.session, ctx.caller))
    said = "Your cart was already empty." if not removed else f"Removed {'; '.join(removed)}."
    return RemoveFromCartOutput(removed=removed, cart_items=left, message=f"{said} {counted(left, 'item')} left.")
