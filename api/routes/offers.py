"""Offers under /api/v1/marketplace: make one on a listing, see sent / received, accept, reject, counter."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, PageParams, paginate
from api.tooling import run_tool, serves
from tools.listings import Money
from tools.offers import (
    ListOffersOutput,
    OfferTerms,
    OfferView,
    RespondToOfferOutput,
    SubmitOfferInput,
    SubmitOfferOutput,
)

router = APIRouter(prefix="/api/v1/marketplace", tags=["offers"], responses=ERROR_RESPONSES)

OfferStatus = Literal["pending", "accepted", "rejected", "countered", "withdrawn", "expired"]


@router.post("/listings/{listing_id}/offer", response_model=SubmitOfferOutput, status_code=201,
             openapi_extra=serves("submit_offer"))
def make_offer(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, listing_id: uuid.UUID,
               offer: OfferTerms) -> SubmitOfferOutput:
    """Offer to buy (or trade for) units of a listing you can see."""
    args = SubmitOfferInput(**offer.model_dump(), listing_id=listing_id)
    return run_tool(engine, caller, "submit_offer", args, SubmitOfferOutput, key)


def _offers(engine: EngineDep, caller: CallerDep, paging: PageParams, direction: str, status: OfferStatus | None,
            listing_id: uuid.UUID | None) -> Page[OfferView]:
    args = {"direction": direction, "status": status, "listing_id": listing_id, "limit": paging.page_size,
            "offset": paging.offset}
    found = run_tool(engine, caller, "list_offers", args, ListOffersOutput)
    return paginate(found.offers, paging, found.total)


@router.get("/offers/received", response_model=Page[OfferView], openapi_extra=serves("list_offers"))
def received_offers(engine: EngineDep, caller: CallerDep, paging: PageDep, status: OfferStatus | None = None,
                    listing_id: uuid.UUID | None = None) -> Page[OfferView]:
    """Offers on your organization's listings, newest first (sellers and parts managers)."""
    return _offers(engine, caller, paging, "received", status, listing_id)


@router.get("/offers/sent", response_model=Page[OfferView], openapi_extra=serves("list_offers"))
def sent_offers(engine: EngineDep, caller: CallerDep, paging: PageDep, status: OfferStatus | None = None,
                listing_id: uuid.UUID | None = None) -> Page[OfferView]:
    """Offers your organization made, newest first."""
    return _offers(engine, caller, paging, "sent", status, listing_id)


def _respond(engine: EngineDep, caller: CallerDep, key: str, offer_id: uuid.UUID, action: str,
             **terms: object) -> RespondToOfferOutput:
    return run_tool(engine, caller, "respond_to_offer", {"offer_id": offer_id, "action": action, **terms},
                    RespondToOfferOutput, key)


@router.post("/offers/{offer_id}/accept", response_model=RespondToOfferOutput, openapi_extra=serves("respond_to_offer"))
def accept_offer(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                 offer_id: uuid.UUID) -> RespondToOfferOutput:
    """Accept an offer (seller) or a counter-offer (buyer): creates the transaction."""
    return _respond(engine, caller, key, offer_id, "accept")


@router.post("/offers/{offer_id}/reject", response_model=RespondToOfferOutput, openapi_extra=serves("respond_to_offer"))
def reject_offer(
    engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, offer_id: uuid.UUID,
    message: Annotated[str | None, Query(max_length=2000, description="Shown to the other party")] = None,
) -> RespondToOfferOutput:
    """Reject an offer (seller) or a counter-offer (buyer)."""
    return _respond(engine, caller, key, offer_id, "reject", message=message)


class CounterOfferCreate(BaseModel):
    price: Money = Field(description="Your unit price in USD")
    quantity: int | None = Field(None, ge=1, le=100_000, description="Units (default: the offer's)")
    message: str | None = Field(None, max_length=2000)


@router.post("/offers/{offer_id}/counter", response_model=RespondToOfferOutput,
             openapi_extra=serves("respond_to_offer"))
def counter_offer(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, offer_id: uuid.UUID,
                  counter: CounterOfferCreate) -> RespondToOfferOutput:
    """Counter an offer with your price (and quantity)."""
    return _respond(engine, caller, key, offer_id, "counter", counter_price=counter.price,
                    counter_quantity=counter.quantity, message=counter.message)


@router.post("/offers/{offer_id}/withdraw", response_model=SubmitOfferOutput, openapi_extra=serves("withdraw_offer"))
def withdraw_offer(
    engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, offer_id: uuid.UUID,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> SubmitOfferOutput:
    """Withdraw an open offer your organization made."""
    return run_tool(engine, caller, "withdraw_offer", {"offer_id": offer_id, "reason": reason},
                    SubmitOfferOutput, key)
