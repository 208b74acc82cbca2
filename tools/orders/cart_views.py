"""The cart as its owner sees it: each line as it is now (price for the quantity, stock, seller and place), what
changed since it was added, the per-seller subtotals checkout turns into orders, whether an order would wait for
approval, and duplicate-order warnings. A person only ever sees their own cart."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from knowledge.models import CartItem
from tools.context import Caller
from tools.orders.duplicates import DuplicateWarning, duplicate_warnings
from tools.orders.ship_to import ShipTo, resolve_ship_to
from tools.orders.sources import Source, SourceKind, load_source
from tools.orders.spend_limits import approval_words, needs_approval, spend_limit
from tools.registry import ToolContext, ToolKind, tool
from tools.rules.money import cents, usd
from tools.rules.wording import condition_words, counted


class CartItemView(BaseModel):
    id: uuid.UUID = Field(description="The cart item's id (for update_cart_item / remove_from_cart)")
    source_kind: SourceKind = Field(description="marketplace (a listing), supplier (a supplier offer) or transfer "
                                    "(your own stock from another place)")
    listing_id: uuid.UUID | None = None
    supplier_offer_id: uuid.UUID | None = None
    inventory_item_id: uuid.UUID | None = None
    part_number: str
    manufacturer: str | None
    name: str
    condition: str
    seller: str = Field(description="Who sells it (the order goes to them)")
    place: str = Field(description="Where it comes from: location, branch or city")
    quantity: int
    unit_price: Decimal = Field(description="Unit price now, for this quantity (supplier price breaks applied)")
    unit_price_at_add: Decimal | None = Field(description="Unit price when it was added")
    line_total: Decimal
    currency: str
    available_now: int = Field(description="Units that can be had now (supplier: in stock at the branch)")
    backordered: int = Field(description="Units beyond the supplier's stock that would ship after its lead time")
    lead_time_days: int | None
    can_check_out: bool
    warnings: list[str]


class SellerSubtotal(BaseModel):
    seller: str
    kind: SourceKind
    items: int
    subtotal: Decimal
    needs_approval: bool = Field(description="This order would wait for an approver (over your spend limit)")


class CartView(BaseModel):
    items: list[CartItemView]
    sellers: list[SellerSubtotal] = Field(description="One order per seller at checkout")
    total: Decimal
    currency: str = "USD"
    spend_limit: Decimal | None = Field(description="Your per-order limit without approval (None: no limit)")
    needs_approval: bool
    approval_note: str | None = Field(description="e.g. 'over your $500 limit: Linda Park must approve'")
    duplicates: list[DuplicateWarning]
    warnings: list[str] = Field(description="Everything to tell the buyer before checking out")
    message: str


def cart_id_of(session: Session, caller: Caller) -> uuid.UUID | None:
    found = session.execute(text("SELECT id FROM carts WHERE user_id = :u"), {"u": caller.user_id}).scalar()
    return None if found is None else uuid.UUID(str(found))


def cart_items(session: Session, caller: Caller, item_ids: list[uuid.UUID] | None = None) -> list[CartItem]:
    """The caller's cart items, oldest first (only those of `item_ids` when given)."""
    cart = cart_id_of(session, caller)
    if cart is None:
        return []
    query = select(CartItem).where(CartItem.cart_id == cart)
    if item_ids is not None:
        query = query.where(CartItem.id.in_(item_ids))
    return list(session.scalars(query.order_by(CartItem.created_at, CartItem.id)))


def source_of(session: Session, caller: Caller, item: CartItem) -> Source:
    return load_source(session, caller, listing_id=item.listing_id, supplier_offer_id=item.supplier_offer_id,
                       inventory_item_id=item.inventory_item_id)


def item_warnings(source: Source, item: CartItem) -> list[str]:
    """What changed since the item was added, and what stands in the way of checking it out."""
    said = f"{source.part_number} from {source.seller}"
    now = source.unit_price(item.quantity)
    warnings = []
    if source.problem:
        return [source.problem]
    if item.unit_price_at_add is not None and source.kind != "transfer" and now != item.unit_price_at_add:
        warnings.append(f"{said}: price changed since you added it — was {usd(item.unit_price_at_add)}, "
                        f"now {usd(now)}.")
    if source.available < item.quantity:
        if source.backorder_allowed:
            warnings.append(f"{said}: only {source.available} in stock at {source.place}; "
                            f"{item.quantity - source.available} would be backordered (about "
                            f"{source.lead_time_days or '?'} days).")
        elif source.available == 0:
            warnings.append(f"{said}: out of stock at {source.place} (you have {item.quantity} in your cart).")
        else:
            warnings.append(f"{said}: only {source.available} left at {source.place}; your cart has "
                            f"{item.quantity}.")
    if item.quantity < source.minimum_quantity:
        warnings.append(f"{said}: the minimum order is {source.minimum_quantity}.")
    return warnings


def item_view(source: Source, item: CartItem) -> CartItemView:
    price = Decimal(0) if source.kind == "transfer" else source.unit_price(item.quantity)
    warnings = item_warnings(source, item)
    ok = not source.problem and source.covers(item.quantity) and item.quantity >= source.minimum_quantity
    return CartItemView(
        id=item.id, source_kind=source.kind, listing_id=item.listing_id, supplier_offer_id=item.supplier_offer_id,
        inventory_item_id=item.inventory_item_id, part_number=source.part_number, manufacturer=source.manufacturer,
        name=source.name, condition=condition_words(source.condition), seller=source.seller, place=source.place,
        quantity=item.quantity, unit_price=price, unit_price_at_add=item.unit_price_at_add,
        line_total=cents(price * item.quantity), currency=source.currency, available_now=source.available,
        backordered=max(0, item.quantity - source.available) if source.backorder_allowed else 0,
        lead_time_days=source.lead_time_days, can_check_out=ok, warnings=warnings)


def seller_subtotals(views: list[CartItemView], limit: Decimal | None) -> list[SellerSubtotal]:
    groups: dict[tuple[str, str], list[CartItemView]] = {}
    for view in views:
        groups.setdefault((view.seller, view.source_kind), []).append(view)
    out = []
    for (seller, kind), group in sorted(groups.items()):
        subtotal = cents(sum((v.line_total for v in group), Decimal(0)))
        out.append(SellerSubtotal(seller=seller, kind=kind, items=len(group),  # type: ignore[arg-type]
                                  subtotal=subtotal, needs_approval=needs_approval(limit, subtotal, kind)))
    return out


def build_cart_view(session: Session, caller: Caller, ship_to: ShipTo | None = None,
                    item_ids: list[uuid.UUID] | None = None) -> CartView:
    items = cart_items(session, caller, item_ids)
    sources = [source_of(session, caller, item) for item in items]
    views = [item_view(source, item) for source, item in zip(sources, items, strict=True)]
    limit = spend_limit(session, caller)
    sellers = seller_subtotals(views, limit)
    waiting = any(s.needs_approval for s in sellers)
    note = approval_words(session, caller, limit) if waiting and limit is not None else None
    duplicates = duplicate_warnings(
        session, caller, [(s.part_id, s.part_number) for s in sources if not s.problem],
        site_name=ship_to.site_name if ship_to else None, equipment_id=ship_to.equipment_id if ship_to else None)
    warnings = [w for v in views for w in v.warnings] + [d.text + "." for d in duplicates]
    if note:
        warnings.append(note[0].upper() + note[1:] + ".")
    total = cents(sum((v.line_total for v in views), Decimal(0)))
    return CartView(items=views, sellers=sellers, total=total, spend_limit=limit, needs_approval=waiting,
                    approval_note=note, duplicates=duplicates, warnings=warnings,
                    message=cart_words(views, sellers, total, warnings))


def cart_words(views: list[CartItemView], sellers: list[SellerSubtotal], total: Decimal,
               warnings: list[str]) -> str:
    if not views:
        return "Your cart is empty."
    orders = "; ".join(f"{s.seller} {usd(s.subtotal)}" for s in sellers)
    said = f"{counted(len(views), 'item')} in your cart, {usd(total)} in all ({orders})."
    return said + (f" {counted(len(warnings), 'warning')}." if warnings else "")


class ViewCartInput(BaseModel):
    ship_to: str | None = Field(None, max_length=200, description="Where it would ship (e.g. 'Brown Palace job'), "
                                "to check for duplicate orders for that job; default: any.")


@tool(ToolKind.READ)
def view_cart(ctx: ToolContext, args: ViewCartInput) -> CartView:
    """Show your cart: each item with its seller and place, unit price now, line total, per-seller subtotals (one
    order per seller at checkout), and warnings — price changed since added ("was $X, now $Y"), stock now
    below your quantity or gone, listing no longer for sale, a teammate's recent order of the same part, and
    whether checking out needs approval (your spend limit).

    Args:
        ship_to: Optional place the order would go to, to check duplicates for that job only.
    """
    place = resolve_ship_to(ctx.session, ctx.caller, args.ship_to) if args.ship_to else None
    return build_cart_view(ctx.session, ctx.caller, place)
