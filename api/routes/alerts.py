"""Your deal alerts under /api/v1/alerts: saved searches that tell you when a matching listing is published or
drops its price — list, create, change (pause, resume, max price) and delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.alerts import (
    CreateDealAlertInput,
    CreateDealAlertOutput,
    DealAlertChanges,
    DealAlertView,
    DeleteDealAlertOutput,
    ListDealAlertsOutput,
    UpdateDealAlertInput,
    UpdateDealAlertOutput,
)

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[DealAlertView], openapi_extra=serves("list_deal_alerts"))
def list_deal_alerts(engine: EngineDep, caller: CallerDep, paging: PageDep,
                     paused: Annotated[bool | None, Query(description="Only paused (true) or live (false)")] = None,
                     ) -> Page[DealAlertView]:
    """Your own deal alerts, newest first."""
    found = run_tool(engine, caller, "list_deal_alerts", {
        "paused": paused, "limit": paging.page_size, "offset": paging.offset}, ListDealAlertsOutput)
    return paginate(found.alerts, paging, found.total)


@router.post("", response_model=CreateDealAlertOutput, status_code=201, openapi_extra=serves("create_deal_alert"))
def create_deal_alert(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                      alert: CreateDealAlertInput) -> CreateDealAlertOutput:
    """Save a deal alert (a part number or words, plus condition, max price, radius, trade, category, type)."""
    return run_tool(engine, caller, "create_deal_alert", alert, CreateDealAlertOutput, key)


@router.patch("/{alert_id}", response_model=UpdateDealAlertOutput, openapi_extra=serves("update_deal_alert"))
def update_deal_alert(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, alert_id: uuid.UUID,
                      changes: DealAlertChanges) -> UpdateDealAlertOutput:
    """Pause or resume your alert, or change its max price, conditions or radius; unset fields stay."""
    args = UpdateDealAlertInput(**changes.model_dump(exclude_unset=True), alert_id=alert_id)
    return run_tool(engine, caller, "update_deal_alert", args, UpdateDealAlertOutput, key)


@router.delete("/{alert_id}", response_model=DeleteDealAlertOutput, openapi_extra=serves("delete_deal_alert"))
def delete_deal_alert(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                      alert_id: uuid.UUID) -> DeleteDealAlertOutput:
    """Delete your alert; 404 for an alert that is not yours."""
    return run_tool(engine, caller, "delete_deal_alert", {"alert_id": alert_id}, DeleteDealAlertOutput, key)
