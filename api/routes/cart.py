"""Your cart under /api/v1/cart — see it, add to it, change or remove an item, check it out into one order per
seller, put back what was used on a job — and buying one thing right away: POST /api/v1/orders."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.tooling import run_tool, serves
from tools.orders import (
    AddToCartInput,
    AddToCartOutput,
    BuyNowInput,
    CartItemChanges,
    CartView,
    CheckoutInput,
    CheckoutOutput,
    RemoveFromCartOutput,
    ReorderUsedPartsInput,
    ReorderUsedPartsOutput,
    UpdateCartItemInput,
    UpdateCartItemOutput,
)

router = APIRouter(tags=["cart"], responses=ERROR_RESPONSES)


@router.get("/api/v1/cart", response_model=CartView, openapi_extra=serves("view_cart"))
def view_cart(engine: EngineDep, caller: CallerDep,
              ship_to: Annotated[str | None, Query(max_length=200, description="Where it would ship, to check "
                                                   "duplicate orders for that job")] = None) -> CartView:
    """Your cart: items with seller, place and price now, per-seller subtotals, and warnings (price or stock
    changed, listing gone, a teammate's recent order of the same part, approval needed)."""
    return run_tool(engine, caller, "view_cart", {"ship_to": ship_to}, CartView)


@router.post("/api/v1/cart/items", response_model=AddToCartOutput, status_code=201,
             openapi_extra=serves("add_to_cart"))
def add_to_cart(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, item: AddToCartInput) -> AddToCartOutput:
    """Add a listing, a supplier offer, your own stock elsewhere (a transfer) or a part number (the fastest
    source you can buy is picked) with a quantity."""
    return run_tool(engine, caller, "add_to_cart", item, AddToCartOutput, key)


@router.patch("/api/v1/cart/items/{item_id}", response_model=UpdateCartItemOutput,
              openapi_extra=serves("update_cart_item"))
def update_cart_item(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, item_id: uuid.UUID,
                     changes: CartItemChanges) -> UpdateCartItemOutput:
    """Change an item's quantity; 404 for an item that is not in your cart."""
    args = UpdateCartItemInput(item_id=item_id, quantity=changes.quantity)
    return run_tool(engine, caller, "update_cart_item", args, UpdateCartItemOutput, key)


@router.delete("/api/v1/cart/items/{item_id}", response_model=RemoveFromCartOutput,
               openapi_extra=serves("remove_from_cart"))
def remove_cart_item(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                     item_id: uuid.UUID) -> RemoveFromCartOutput:
    """Remove one item from your cart; 404 for an item that is not in your cart."""
    return run_tool(engine, caller, "remove_from_cart", {"item_id": item_id}, RemoveFromCartOutput, key)


@router.delete("/api/v1/cart", response_model=RemoveFromCartOutput, openapi_extra=serves("remove_from_cart"))
def empty_cart(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep) -> RemoveFromCartOutput:
    """Empty your cart."""
    return run_tool(engine, caller, "remove_from_cart", {"all": True}, RemoveFromCartOutput, key)


@router.post("/api/v1/cart/checkout", response_model=CheckoutOutput, status_code=201,
             openapi_extra=serves("checkout"))
def checkout(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, terms: CheckoutInput) -> CheckoutOutput:
    """Check out the cart (or some items): one order per seller, stock reserved, shipped to the place named;
    409 insufficient_stock (nothing ordered) when an item cannot be had. The same Idempotency-Key returns the
    same orders."""
    return run_tool(engine, caller, "checkout", terms, CheckoutOutput, key)


@router.post("/api/v1/cart/reorder", response_model=ReorderUsedPartsOutput, status_code=201,
             openapi_extra=serves("reorder_used_parts"))
def reorder_used_parts(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                       job: ReorderUsedPartsInput) -> ReorderUsedPartsOutput:
    """Add to the cart what your organization used on a job (stock logged as used on a job naming it)."""
    return run_tool(engine, caller, "reorder_used_parts", job, ReorderUsedPartsOutput, key)


@router.post("/api/v1/orders", response_model=CheckoutOutput, status_code=201, openapi_extra=serves("buy_now"))
def buy_now(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, order: BuyNowInput) -> CheckoutOutput:
    """Buy now: one listing, supplier offer, own stock item or part number, without touching the cart."""
    return run_tool(engine, caller, "buy_now", order, CheckoutOutput, key)
