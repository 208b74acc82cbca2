"""Finding orders: the caller's organization's purchases and (for its sellers) its sales, newest first, and one
order in full. "Where's my order?", "any new orders?", "what's waiting for my approval?"."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import text

from tools.context import Caller
from tools.orders.order_events import lines_words
from tools.orders.transitions import STATUS_WORDS, next_steps
from tools.orders.views import OrderSummary, OrderView, find_order, load_order_view, normalized_order_number, order_role
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed

OrderStatus = Literal["awaiting_approval", "pending_payment", "payment_verified", "processing", "packed", "shipped",
                      "delivered", "return_requested", "returned", "cancelled"]
FINISHED = ("delivered", "returned", "cancelled")


class OrderRef(BaseModel):
    order_id: uuid.UUID | None = Field(None, description="The order's id, from list_orders.")
    order_number: str | None = Field(None, max_length=30, description="Or its number, e.g. 'ORD-100012' (or "
                                     "the buyer's own PO number).")

    @model_validator(mode="after")
    def _one_given(self) -> OrderRef:
        if self.order_id is None and not (self.order_number or "").strip():
            raise ValueError("give order_id or order_number")
        return self


class GetOrderInput(OrderRef):
    pass


class ListOrdersInput(BaseModel):
    role: Literal["buyer", "seller", "all"] = Field(
        "all", description="buyer: what your organization ordered; seller: orders your organization fills "
        "(sellers and parts managers); all: both.")
    status: OrderStatus | None = Field(None, description="Only orders in this status, e.g. 'awaiting_approval'.")
    open_only: bool = Field(False, description="Only orders still under way (not delivered, returned or "
                            "cancelled).")
    mine: bool = Field(False, description="Only orders you placed yourself.")
    site: str | None = Field(None, max_length=200, description="Only orders shipped to this customer site or job, "
                             "e.g. 'Brown Palace'.")
    query: str | None = Field(None, max_length=200, description="Words matched against the order number, part "
                              "numbers and names, and the other organization's name.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ListOrdersOutput(BaseModel):
    orders: list[OrderSummary]
    total: int = Field(description="All matching orders (the list shows `limit` of them).")


_LIST = """
    SELECT o.id, o.order_number, o.kind, o.status, o.buyer_id, o.buyer_organization_id, o.seller_organization_id,
           bo.name AS buyer_org, so.name AS seller_org, u.name AS buyer_name, o.total, o.currency, o.po_number,
           o.site_name, o.invoice_number, o.carrier, o.tracking_number, o.created_at,
           COALESCE((SELECT json_agg(json_build_object('quantity', i.quantity, 'part_number', i.part_number)
                                     ORDER BY i.id) FROM order_items i WHERE i.order_id = o.id), '[]') AS items
    FROM orders o
    JOIN organizations bo ON bo.id = o.buyer_organization_id
    JOIN organizations so ON so.id = o.seller_organization_id
    JOIN users u ON u.id = o.buyer_id
    WHERE {where}
    ORDER BY o.created_at DESC, o.order_number DESC
    LIMIT :limit OFFSET :offset
"""
_COUNT = """
    SELECT count(*) FROM orders o
    JOIN organizations bo ON bo.id = o.buyer_organization_id
    JOIN organizations so ON so.id = o.seller_organization_id
    WHERE {where}
"""


class _Line:
    def __init__(self, item: dict[str, Any]) -> None:
        self.quantity, self.part_number = int(item["quantity"]), str(item["part_number"])


def _side(caller: Caller, role: str) -> str:
    if role == "buyer":
        return "o.buyer_organization_id = :org"
    sells = "o.seller_organization_id = :org"
    if role == "seller":
        if not caller.can_sell:
            raise ToolFailed("forbidden", f"Your role ({caller.role}) cannot see the orders "
                             f"{caller.organization_name} fills; a seller or parts manager can.",
                             hint="role='buyer' lists your organization's purchases.")
        return sells
    return f"(o.buyer_organization_id = :org OR {sells})" if caller.can_sell else "o.buyer_organization_id = :org"


def _filters(caller: Caller, args: ListOrdersInput) -> tuple[str, dict[str, Any]]:
    where = [_side(caller, args.role)]
    params: dict[str, Any] = {"org": caller.organization_id}
    if args.status:
        where.append("o.status = :status")
        params["status"] = args.status
    if args.open_only:
        where.append("o.status <> ALL(:finished)")
        params["finished"] = list(FINISHED)
    if args.mine:
        where.append("o.buyer_id = :me")
        params["me"] = caller.user_id
    if args.site and args.site.strip():
        where.append("(o.site_name ILIKE :site OR o.ship_to->>'label' ILIKE :site OR o.ship_to->>'site_name' "
                     "ILIKE :site)")
        params["site"] = f"%{_escaped(args.site.strip())}%"
    if args.query and args.query.strip():
        words = args.query.strip()
        number = normalized_order_number(words)
        where.append("(o.order_number = :number OR o.po_number ILIKE :words OR bo.name ILIKE :words "
                     "OR so.name ILIKE :words OR EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id "
                     "AND (i.part_number ILIKE :words OR i.name ILIKE :words)))")
        params.update(number=number, words=f"%{_escaped(words)}%")
    return " AND ".join(where), params


def _escaped(words: str) -> str:
    return words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _summary(caller: Caller, row: Any) -> OrderSummary:
    return OrderSummary(
        id=row.id, order_number=row.order_number, kind=row.kind, status=row.status,
        status_words=STATUS_WORDS.get(row.status, row.status), role=order_role(caller, row),
        buyer_organization=row.buyer_org, buyer_name=row.buyer_name, seller_organization=row.seller_org,
        lines=lines_words([_Line(i) for i in row.items]), total=row.total, currency=row.currency,
        po_number=row.po_number, site_name=row.site_name, invoice_number=row.invoice_number, carrier=row.carrier,
        tracking_number=row.tracking_number, created_at=row.created_at, next_steps=next_steps(caller, row))


@tool(ToolKind.READ)
def list_orders(ctx: ToolContext, args: ListOrdersInput) -> ListOrdersOutput:
    """List orders, newest first: what your organization ordered, and (sellers and parts managers) the orders
    your organization fills — its order desk. Each shows its status, what was ordered, the total, tracking, and
    `next_steps`: what you may do with it now (e.g. ['approve', 'reject'] for a parts manager on an order
    awaiting approval).

    Args:
        role: "buyer", "seller" or "all". status: e.g. "awaiting_approval" ("what needs my approval?"),
        "pending_payment", "shipped". open_only: only orders still under way ("where's my order?").
        mine: only orders you placed. site: a customer site or job, e.g. "Hyatt Regency". query: an order
        number, part number, part name or the other organization's name, e.g. "Keystone".

    Do NOT use this for marketplace offers (list_offers) or deals closed on offers (list_transactions).
    """
    where, params = _filters(ctx.caller, args)
    session = ctx.session
    total = int(session.execute(text(_COUNT.format(where=where)), params).scalar_one())
    rows = session.execute(text(_LIST.format(where=where)), {**params, "limit": args.limit, "offset": args.offset})
    return ListOrdersOutput(orders=[_summary(ctx.caller, r) for r in rows], total=total)


@tool(ToolKind.READ)
def get_order(ctx: ToolContext, args: GetOrderInput) -> OrderView:
    """One order in full: lines (reserved and backordered units, ETA), money, ship-to, PO number, invoice and
    its PDF link, carrier and tracking, every status change with who made it, and `next_steps`: what you may
    do with it now through update_order.

    Args:
        order_id: from list_orders; or order_number, e.g. "ORD-100012".
    """
    order = find_order(ctx.session, ctx.caller, args.order_id, args.order_number)
    return load_order_view(ctx.session, ctx.caller, order)
