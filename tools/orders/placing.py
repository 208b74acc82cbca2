"""Placing orders from cart lines (checkout) or one source (buy now): one order per seller, stock reserved
under row locks, each order started in its first status by the lifecycle — processing for a transfer of the
organization's own stock, awaiting approval above the placer's spend limit, else awaiting payment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from knowledge.models import Order, OrderItem
from tools.idempotency import row_key
from tools.orders.lifecycle import enter_status
from tools.orders.reserve import (
    Locked,
    lock_sources,
    reserve_listing,
    reserve_own_stock,
    reserve_supplier_offer,
)
from tools.orders.ship_to import ShipTo, ship_to_json
from tools.orders.sources import Source, check_quantity, load_source
from tools.orders.spend_limits import needs_approval, spend_limit
from tools.registry import ToolContext
from tools.results import ToolFailed
from tools.rules.money import cents, usd

MAX_ORDER_TOTAL = Decimal("1e10")  # what an order's money columns hold (Numeric(12, 2))


@dataclass(frozen=True)
class Wanted:
    """One line to buy: exactly one source id and a quantity."""

    quantity: int
    listing_id: uuid.UUID | None = None
    supplier_offer_id: uuid.UUID | None = None
    inventory_item_id: uuid.UUID | None = None


def first_status(kind: str, total: Decimal, limit: Decimal | None) -> str:
    if kind == "transfer":
        return "processing"
    return "awaiting_approval" if needs_approval(limit, total, kind) else "pending_payment"


def _fresh_sources(ctx: ToolContext, lines: list[Wanted]) -> list[tuple[Wanted, Source]]:
    """Each line's source as it is now, checked: read after its rows are locked, the price and stock every racing
    checkout agrees on."""
    found = []
    for line in lines:
        source = load_source(ctx.session, ctx.caller, listing_id=line.listing_id,
                             supplier_offer_id=line.supplier_offer_id, inventory_item_id=line.inventory_item_id)
        if source.sold_out:
            raise ToolFailed("insufficient_stock", f"No {source.part_number} left: the listing sold out; you asked "
                             f"for {line.quantity}. Nothing was ordered.",
                             hint="Remove it from your cart (remove_from_cart) and find another source.")
        if source.problem:
            raise ToolFailed("unavailable", f"{source.problem} Nothing was ordered.",
                             hint="Remove it from your cart (remove_from_cart) and check out again.")
        check_quantity(source, line.quantity)
        found.append((line, source))
    return found


def _reserve(ctx: ToolContext, locked: Locked, line: Wanted, source: Source, ship_to: ShipTo) -> int:
    actor = ctx.caller.user_id
    if line.listing_id is not None:
        return reserve_listing(locked, line.listing_id, line.quantity, source.seller, actor, ctx.session)
    if line.supplier_offer_id is not None:
        return reserve_supplier_offer(locked, line.supplier_offer_id, line.quantity, source.seller)
    assert line.inventory_item_id is not None
    if ship_to.kind == "location" and ship_to.location_id == source.location_id:
        raise ToolFailed("invalid", f"{source.part_number} is already at {source.place}; ship it somewhere else "
                         "or remove it from your cart.")
    return reserve_own_stock(locked, line.inventory_item_id, line.quantity, ctx.caller.organization_id,
                             source.place, actor, ctx.session)


def place_orders(ctx: ToolContext, lines: list[Wanted], ship_to: ShipTo, po_number: str | None,
                 shipping_method: str, note: str = "placed") -> list[Order]:
    """Lock every source row (one global order), check and reserve each line, and write one order per seller
    and kind. Any line that cannot be had fails the whole call: nothing is placed."""
    caller, session = ctx.caller, ctx.session
    locked = lock_sources(session, [line.listing_id for line in lines], [line.supplier_offer_id for line in lines],
                          [line.inventory_item_id for line in lines])
    sourced = _fresh_sources(ctx, lines)
    limit = spend_limit(session, caller)
    key = row_key(ctx)
    orders: list[Order] = []

    def seller_of(pair: tuple[Wanted, Source]) -> tuple[str, str, str]:
        return pair[1].seller, str(pair[1].seller_organization_id), pair[1].kind

    for (_, seller_id, kind), group in groupby(sorted(sourced, key=seller_of), key=seller_of):
        pairs = list(group)
        order_id = uuid.uuid4()
        items = []
        for line, source in pairs:
            reserved = _reserve(ctx, locked, line, source, ship_to)
            price = Decimal(0) if kind == "transfer" else source.unit_price(line.quantity)
            backordered = line.quantity - reserved if kind == "supplier" else 0
            items.append(OrderItem(
                id=uuid.uuid4(), order_id=order_id, listing_id=line.listing_id,
                supplier_offer_id=line.supplier_offer_id, inventory_item_id=line.inventory_item_id,
                part_id=source.part_id, part_number=source.part_number, manufacturer=source.manufacturer,
                name=source.name, condition=source.condition, quantity=line.quantity, quantity_reserved=reserved,
                unit_price=price, line_total=cents(price * line.quantity),
                eta_days=source.lead_time_days if backordered else None))
        subtotal = cents(sum((i.line_total for i in items), Decimal(0)))
        if subtotal >= MAX_ORDER_TOTAL:
            raise ToolFailed("invalid", f"An order of {usd(subtotal)} is more than one order can hold; order fewer "
                             "units at a time.")
        order = Order(
            id=order_id, kind=kind, status=first_status(kind, subtotal, limit), buyer_id=caller.user_id,
            buyer_organization_id=caller.organization_id, seller_organization_id=uuid.UUID(seller_id),
            subtotal=subtotal, shipping_cost=Decimal(0), tax=Decimal(0), total=subtotal,
            currency=pairs[0][1].currency, po_number=po_number, shipping_method=shipping_method,
            ship_to=ship_to_json(ship_to), site_name=ship_to.site_name, equipment_id=ship_to.equipment_id,
            idempotency_key=f"{key}:{seller_id}:{kind}" if key else None)
        session.add(order)
        session.flush()
        session.add_all(items)
        session.flush()
        enter_status(session, order, order.status, caller.user_id, note)
        orders.append(order)
    return orders
