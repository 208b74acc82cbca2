"""Transactions under /api/v1/marketplace/transactions: list, detail, ship, delivered, review."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.deals import (
    ListTransactionsOutput,
    ReviewCreate,
    ReviewTransactionInput,
    ShippingInfo,
    ShipTransactionInput,
    TransactionChangeOutput,
    TransactionDetail,
)

router = APIRouter(prefix="/api/v1/marketplace/transactions", tags=["transactions"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[TransactionDetail], openapi_extra=serves("list_transactions"))
def list_transactions(
    engine: EngineDep, caller: CallerDep, paging: PageDep, role: Literal["buyer", "seller", "all"] = "all",
    status: Literal["pending", "paid", "shipped", "delivered", "completed", "cancelled"] | None = None,
) -> Page[TransactionDetail]:
    """Your organization's transactions, newest first, as buyer, seller or both."""
    found = run_tool(engine, caller, "list_transactions", {
        "role": role, "status": status, "limit": paging.page_size, "offset": paging.offset}, ListTransactionsOutput)
    return paginate(found.transactions, paging, found.total)


@router.get("/{transaction_id}", response_model=TransactionDetail, openapi_extra=serves("get_transaction"))
def get_transaction(engine: EngineDep, caller: CallerDep, transaction_id: uuid.UUID) -> TransactionDetail:
    """One transaction of your organization; 404 for anyone else's."""
    return run_tool(engine, caller, "get_transaction", {"transaction_id": transaction_id}, TransactionDetail)


@router.post("/{transaction_id}/ship", response_model=TransactionChangeOutput,
             openapi_extra=serves("mark_transaction_shipped"))
def mark_shipped(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, transaction_id: uuid.UUID,
                 shipping: ShippingInfo) -> TransactionChangeOutput:
    """Seller: the parts shipped, with tracking; the reserved stock leaves your inventory."""
    args = ShipTransactionInput(**shipping.model_dump(), transaction_id=transaction_id)
    return run_tool(engine, caller, "mark_transaction_shipped", args, TransactionChangeOutput, key)


@router.post("/{transaction_id}/delivered", response_model=TransactionChangeOutput,
             openapi_extra=serves("confirm_transaction_delivered"))
def confirm_delivery(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                     transaction_id: uuid.UUID) -> TransactionChangeOutput:
    """Buyer: the parts arrived (or were picked up)."""
    return run_tool(engine, caller, "confirm_transaction_delivered", {"transaction_id": transaction_id},
                    TransactionChangeOutput, key)


@router.post("/{transaction_id}/review", response_model=TransactionChangeOutput,
             openapi_extra=serves("review_transaction"))
def submit_review(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, transaction_id: uuid.UUID,
                  review: ReviewCreate) -> TransactionChangeOutput:
    """Rate the other party once after delivery; with both reviews in, the deal is completed."""
    args = ReviewTransactionInput(**review.model_dump(), transaction_id=transaction_id)
    return run_tool(engine, caller, "review_transaction", args, TransactionChangeOutput, key)
