"""Your notifications under /api/v1/notifications: what happened to your offers, bids, auctions and holds,
newest first, and marking them read."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.notifications import (
    ListNotificationsOutput,
    MarkNotificationsReadOutput,
    NotificationPreferences,
    NotificationView,
    SetNotificationPreferencesInput,
    ShowNotificationOutput,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[NotificationView], openapi_extra=serves("list_notifications"))
def list_notifications(engine: EngineDep, caller: CallerDep, paging: PageDep,
                       unread_only: Annotated[bool, Query(description="Only the ones not read yet")] = False,
                       ) -> Page[NotificationView]:
    """Your notifications, newest first, each with the channels it went out on and their status."""
    found = run_tool(engine, caller, "list_notifications", {
        "unread_only": unread_only, "limit": paging.page_size, "offset": paging.offset}, ListNotificationsOutput)
    return paginate(found.notifications, paging, found.total)


STREAM_POLL_SECONDS = 2.0


@router.get("/stream", response_class=StreamingResponse, openapi_extra=serves("list_notifications"),
            responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}})
async def stream_notifications(request: Request, engine: EngineDep, caller: CallerDep) -> StreamingResponse:
    """Your inbox, live (Server-Sent Events). The first `notifications` event has your newest 20 and the unread
    count; each later one carries only what is new (and the unread count) as it is written. Checked every
    two seconds; a comment line keeps quiet connections open."""

    async def frames() -> AsyncIterator[str]:
        seen: set[uuid.UUID] = set()
        unread: int | None = None
        while not await request.is_disconnected():
            try:
                found = await run_in_threadpool(run_tool, engine, caller, "list_notifications", {"limit": 20},
                                                ListNotificationsOutput)
            except Exception:  # the store is down: the client reconnects later
                log.warning("notification stream for %s stopped", caller.user_id, exc_info=True)
                yield "event: error\ndata: {\"message\": \"Notifications are unavailable; retrying.\"}\n\n"
                return
            fresh = [n for n in found.notifications if n.id not in seen]
            if fresh or found.unread != unread:
                seen.update(n.id for n in fresh)
                unread = found.unread
                data = {"unread": found.unread, "notifications": [n.model_dump(mode="json") for n in fresh]}
                yield f"event: notifications\ndata: {json.dumps(data)}\n\n"
            else:
                yield ": still here\n\n"
            await asyncio.sleep(STREAM_POLL_SECONDS)

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/preferences", response_model=NotificationPreferences,
            openapi_extra=serves("get_notification_preferences"))
def get_preferences(engine: EngineDep, caller: CallerDep) -> NotificationPreferences:
    """How you are told things: per topic the channel, on/off and cadence; quiet hours, time zone, hourly cap."""
    return run_tool(engine, caller, "get_notification_preferences", {}, NotificationPreferences)


@router.put("/preferences", response_model=NotificationPreferences,
            openapi_extra=serves("set_notification_preferences"))
def put_preferences(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                    change: SetNotificationPreferencesInput) -> NotificationPreferences:
    """Change them: topics (channel, enabled, cadence), only_topics, quiet hours, time zone, urgent breaking
    through, the hourly cap. Fields left out stay as they are."""
    return run_tool(engine, caller, "set_notification_preferences", change.model_dump(mode="json", exclude_unset=True),
                    NotificationPreferences, key)


@router.get("/{notification_id}", response_model=ShowNotificationOutput, openapi_extra=serves("show_notification"))
def show_notification(engine: EngineDep, caller: CallerDep, notification_id: uuid.UUID) -> ShowNotificationOutput:
    """One of your notifications with the offer or listing it is about, as it stands now, and its answers."""
    return run_tool(engine, caller, "show_notification", {"notification_id": notification_id},
                    ShowNotificationOutput)


@router.post("/{notification_id}/read", response_model=MarkNotificationsReadOutput,
             openapi_extra=serves("mark_notifications_read"))
def mark_read(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
              notification_id: uuid.UUID) -> MarkNotificationsReadOutput:
    """Mark one of your notifications read (marking it again changes nothing)."""
    return run_tool(engine, caller, "mark_notifications_read", {"notification_ids": [notification_id]},
                    MarkNotificationsReadOutput, key)
