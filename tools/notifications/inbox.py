"""A person's notifications: what happened to their offers, bids, auctions and holds, newest first, and
marking them read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.clock import utcnow


class NotificationChannel(BaseModel):
    channel: str = Field(description="web (the inbox), slack, sms or email")
    status: str = Field(description="delivered, pending, sent, failed or skipped")


class NotificationAction(BaseModel):
    label: str = Field(description="The button's words, e.g. 'Accept $380'")
    say: str = Field(description="What answering with it says in the conversation, e.g. 'accept' or 'counter 420'")


class NotificationView(BaseModel):
    id: uuid.UUID
    category: str = Field(description="e.g. offer_received, offer_accepted, outbid, auction_won, hold_expired")
    title: str
    body: str
    subject_type: str | None = Field(None, description="offer, listing or hold")
    subject_id: uuid.UUID | None = Field(None, description="The offer, listing or hold it is about")
    created_at: datetime
    read_at: datetime | None
    channels: list[NotificationChannel]
    actions: list[NotificationAction] = Field(default_factory=list, description="How it can be answered")

    @field_validator("actions", mode="before")
    @classmethod
    def _none_is_no_actions(cls, value: object) -> object:
        return value if value is not None else []


class ListNotificationsInput(BaseModel):
    unread_only: bool = Field(False, description="Only the ones not read yet")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class ListNotificationsOutput(BaseModel):
    notifications: list[NotificationView] = Field(description="Newest first")
    total: int
    unread: int
    message: str


_LIST = ("SELECT n.*, COALESCE((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status) "
         "ORDER BY d.id) FROM notification_deliveries d WHERE d.notification_id = n.id), '[]') AS channels "
         "FROM notifications n WHERE n.user_id = :user AND n.category <> 'digest' {where}")


def notification_views(session: Session, caller: Caller, where: str,
                       params: dict[str, Any]) -> list[NotificationView]:
    """The caller's own notifications matching `where` (SQL over `n`), newest first."""
    rows = session.execute(text(_LIST.format(where=where) + " ORDER BY n.created_at DESC, n.id LIMIT :limit "
                                "OFFSET :offset"), {"user": caller.user_id, "limit": 1, "offset": 0, **params}
                           ).mappings().all()
    return [NotificationView.model_validate(dict(row)) for row in rows]


def _unread(session: Session, caller: Caller) -> int:
    return int(session.execute(text("SELECT count(*) FROM notifications WHERE user_id = :u AND read_at IS NULL "
                                    "AND category <> 'digest'"),
                               {"u": caller.user_id}).scalar_one())


@tool(ToolKind.READ)
def list_notifications(ctx: ToolContext, args: ListNotificationsInput) -> ListNotificationsOutput:
    """What you were told about lately — offers received, countered, accepted, declined, withdrawn or expired,
    being outbid, auctions won, sold or unsold, holds expired — newest first, with where each went.

    Args:
        unread_only: only the ones not read yet.

    Use it for "what did I miss?", "any news on my offers?". Only your own notifications are ever shown.
    """
    session, caller = ctx.session, ctx.caller
    where = " AND n.read_at IS NULL" if args.unread_only else ""
    total = int(session.execute(text("SELECT count(*) FROM notifications n WHERE n.user_id = :user "
                                     f"AND n.category <> 'digest' {where}"),
                                {"user": caller.user_id}).scalar_one())
    found = notification_views(session, caller, where, {"limit": args.limit, "offset": args.offset})
    unread = _unread(session, caller)
    message = (f"{unread} unread of {total} notification(s)." if total else "Nothing new: no notifications.")
    return ListNotificationsOutput(notifications=found, total=total, unread=unread, message=message)


class MarkNotificationsReadInput(BaseModel):
    notification_ids: list[uuid.UUID] | None = Field(
        None, max_length=200, description="Which to mark read; omitted: every unread one")


class MarkNotificationsReadOutput(BaseModel):
    marked: int = Field(description="How many were unread and are read now")
    unread: int
    message: str


def _summarize_read(caller: Caller, args: MarkNotificationsReadInput, session: Session) -> str:
    """What would be marked read, by title (only the caller's own are named)."""
    params: dict[str, Any] = {"u": caller.user_id}
    only = ""
    if args.notification_ids is not None:
        only, params["ids"] = " AND id = ANY(:ids)", list(args.notification_ids)
    titles = list(session.execute(text(f"SELECT title FROM notifications WHERE user_id = :u AND read_at IS NULL"
                                       f"{only} ORDER BY created_at DESC"), params).scalars())
    if not titles:
        return "Mark those notifications read?" if only else "Mark all your notifications read?"
    more = f" and {len(titles) - 1} more" if len(titles) > 1 else ""
    return f"Mark read: “{titles[0].rstrip('?')}”{more}?"


@tool(ToolKind.WRITE, summarize=_summarize_read)
def mark_notifications_read(ctx: ToolContext, args: MarkNotificationsReadInput) -> MarkNotificationsReadOutput:
    """Mark your notifications read: the ones named, or all unread ones. Others' notifications are never
    touched; ones already read stay as they were.

    Args:
        notification_ids: from list_notifications; omit to mark every unread one.
    """
    session, caller = ctx.session, ctx.caller
    params: dict[str, Any] = {"u": caller.user_id, "now": utcnow()}
    only = ""
    if args.notification_ids is not None:
        only, params["ids"] = " AND id = ANY(:ids)", list(args.notification_ids)
        yours = session.execute(text("SELECT count(*) FROM notifications WHERE user_id = :u AND id = ANY(:ids)"),
                                params).scalar_one()
        if yours < len(set(args.notification_ids)):
            raise ToolFailed("not_found", "Some of those are not your notifications.",
                             hint="Use list_notifications for the ids of yours.")
    marked = len(session.execute(text(f"UPDATE notifications SET read_at = :now WHERE user_id = :u AND "
                                      f"read_at IS NULL{only} RETURNING id"), params).all())
    unread = _unread(session, caller)
    return MarkNotificationsReadOutput(marked=marked, unread=unread,
                                       message=f"Marked {marked} read; {unread} unread left.")
