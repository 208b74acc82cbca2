"""Orders under /api/v1/orders: your organization's purchases and (sellers) the orders it fills, one order in
full, and its workflow — approve, reject, cancel, verify-payment, pack, ship, deliver, return. A step the order's
status does not allow is 409 with what can be done instead; a step that is the other side's is 403; another
organization's order is 404."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.orders import (
    ListOrdersOutput,
    OrderStatus,
    OrderSummary,
    OrderTransitionDetails,
    OrderView,
    Transition,
    UpdateOrderInput,
    UpdateOrderOutput,
)

router = APIRouter(prefix="/api/v1/orders", tags=["orders"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[OrderSummary], openapi_extra=serves("list_orders"))
def list_orders(
    engine: EngineDep, caller: CallerDep, paging: PageDep,
    role: Annotated[Literal["buyer", "seller", "all"], Query(
        description="buyer: your organization's purchases; seller: the orders it fills")] = "all",
    status: OrderStatus | None = None,
    open_only: Annotated[bool, Query(description="Only orders still under way")] = False,
    mine: Annotated[bool, Query(description="Only orders you placed")] = False,
    site: Annotated[str | None, Query(max_length=200, description="A customer site or job")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Order number, part, or organization")] = None,
) -> Page[OrderSummary]:
    """Orders you can see, newest first, each with the steps you may take on it now (`next_steps`)."""
    found = run_tool(engine, caller, "list_orders", {
        "role": role, "status": status, "open_only": open_only, "mine": mine, "site": site, "query": q,
        "limit": paging.page_size, "offset": paging.offset}, ListOrdersOutput)
    return paginate(found.orders, paging, found.total)


@router.get("/{order_id}", response_model=OrderView, openapi_extra=serves("get_order"))
def get_order(engine: EngineDep, caller: CallerDep, order_id: uuid.UUID) -> OrderView:
    """One order in full: lines, money, ship-to, invoice link, tracking, history and your next steps."""
    return run_tool(engine, caller, "get_order", {"order_id": order_id}, OrderView)


@router.post("/{order_id}/{transition}", response_model=UpdateOrderOutput, openapi_extra=serves("update_order"))
def update_order(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, order_id: uuid.UUID,
                 transition: Transition,
                 details: Annotated[OrderTransitionDetails | None, Body()] = None) -> UpdateOrderOutput:
    """Move the order on: `ship` needs tracking_number (carrier optional); `return` needs a reason when the
    buyer asks; `reject` and `cancel` take one."""
    args = UpdateOrderInput(**(details or OrderTransitionDetails()).model_dump(), order_id=order_id,
                            transition=transition)
    return run_tool(engine, caller, "update_order", args, UpdateOrderOutput, key)
