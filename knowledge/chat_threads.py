"""Who owns a chat thread: a conversation belongs to the user who started it, and to nobody else."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import Engine, text

from knowledge import clock

CLIENT_THREAD_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class ThreadNotFound(LookupError):
    """No such thread for this caller (also when it exists but is someone else's: we do not say which)."""


def web_thread_id(client_id: str) -> str:
    """The agent thread id of a web client's conversation id (`web:<id>`)."""
    if not CLIENT_THREAD_ID.match(client_id):
        raise ValueError("thread id must be 8-64 letters, digits, '-' or '_'")
    return f"web:{client_id}"


def claim_thread(engine: Engine, user_id: uuid.UUID, organization_id: uuid.UUID, channel: str, thread_id: str,
                 title: str | None = None) -> None:
    """Start the thread for the user or continue their own; ThreadNotFound when another user owns it."""
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO chat_threads (id, user_id, organization_id, channel, title, created_at, updated_at) "
            "VALUES (:id, :u, :o, :c, :t, :now, :now) "
            "ON CONFLICT (id) DO UPDATE SET updated_at = :now WHERE chat_threads.user_id = :u"),
            {"id": thread_id, "u": user_id, "o": organization_id, "c": channel,
             "t": (title or "")[:200] or None, "now": clock.now()})
        owner = conn.execute(text("SELECT user_id FROM chat_threads WHERE id = :id"), {"id": thread_id}).scalar()
    if owner != user_id:
        raise ThreadNotFound(thread_id)


def require_thread(engine: Engine, user_id: uuid.UUID, thread_id: str) -> None:
    """ThreadNotFound unless the user owns the thread."""
    with engine.connect() as conn:
        owner = conn.execute(text("SELECT user_id FROM chat_threads WHERE id = :id"), {"id": thread_id}).scalar()
    if owner is None or owner != user_id:
        raise ThreadNotFound(thread_id)
