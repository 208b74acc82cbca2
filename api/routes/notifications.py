"""Your notifications under /api/v1/notifications: what happened to your offers, bids, auctions and holds,
newest first, and marking them read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.notifications import ListNotificationsOutput, MarkNotificationsReadOutput, NotificationView

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[NotificationView], openapi_extra=serves("list_notifications"))
def list_notifications(engine: EngineDep, caller: CallerDep, paging: PageDep,
                       unread_only: Annotated[bool, Query(description="Only the ones not read yet")] = False,
                       ) -> Page[NotificationView]:
    """Your notifications, newest first, each with the channels it went out on and their status."""
    found = run_tool(engine, caller, "list_notifications", {
        "unread_only": unread_only, "limit": paging.page_size, "offset": paging.offset}, ListNotificationsOutput)
    return paginate(found.notifications, paging, found.total)


@router.post("/{notification_id}/read", response_model=MarkNotificationsReadOutput,
             openapi_extra=serves("mark_notifications_read"))
def mark_read(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
              notification_id: uuid.UUID) -> MarkNotificationsReadOutput:
    """Mark one of your notifications read (marking it again changes nothing)."""
    return run_tool(engine, caller, "mark_notifications_read", {"notification_ids": [notification_id]},
                    MarkNotificationsReadOutput, key)
