"""Stock holds for pickup under /api/v1/parts/inventory/holds: hold units of an option found by
/api/v1/parts/sourcing, list yours (or your organization's), release one."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.inventory import (
    CancelHoldOutput,
    EmergencyPickupInput,
    EmergencyPickupOutput,
    HoldStatus,
    HoldView,
    ListHoldsOutput,
)

router = APIRouter(prefix="/api/v1/parts/inventory/holds", tags=["inventory"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[HoldView], openapi_extra=serves("list_holds"))
def list_holds(
    engine: EngineDep,
    caller: CallerDep,
    paging: PageDep,
    scope: Annotated[Literal["mine", "organization"], Query(
        description="mine: holds you made; organization: all your organization's (stock managers)")] = "mine",
    status: HoldStatus | Literal["any"] = "active",
    part_number: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
) -> Page[HoldView]:
    """Your holds with part, quantity, place, pickup code, expiry and status; active ones first."""
    found = run_tool(engine, caller, "list_holds", {
        "scope": scope, "status": status, "part_number": part_number, "limit": paging.page_size,
        "offset": paging.offset}, ListHoldsOutput)
    return paginate(found.holds, paging, found.total)


@router.post("", response_model=EmergencyPickupOutput, status_code=201,
             openapi_extra=serves("request_emergency_pickup"))
def hold_for_pickup(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                    hold: EmergencyPickupInput) -> EmergencyPickupOutput:
    """Hold units at a place for pickup (ours, or a partner's that lets us): the answer has the pickup code,
    the address and when the hold ends."""
    return run_tool(engine, caller, "request_emergency_pickup", hold, EmergencyPickupOutput, key)


@router.post("/{hold_id}/cancel", response_model=CancelHoldOutput, openapi_extra=serves("cancel_hold"))
def cancel_hold(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, hold_id: uuid.UUID) -> CancelHoldOutput:
    """Release a hold (yours, or any of your organization's for stock managers): its units are available again.
    Releasing a hold that already ended changes nothing."""
    return run_tool(engine, caller, "cancel_hold", {"hold_id": hold_id}, CancelHoldOutput, key)
