"""What a channel may ask of the layers below besides an agent turn: who is writing, their photos, their web
threads, and how to word a confirmation. Channels reach tools and the store only through here, so the rules
(an unknown sender sees nothing; a thread or a photo is its owner's alone) stay in `tools/`."""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import Any

import psycopg
import psycopg_pool
import sqlalchemy.exc
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from knowledge.chat_threads import CLIENT_THREAD_ID, ThreadNotFound, claim_thread, require_thread, web_thread_id
from knowledge.turn_locks import TurnLocks
from tools.context import (
    Caller,
    UnknownCaller,
    caller_by_phone,
    caller_by_slack_id,
    caller_for_api_key,
    create_api_key,
)
from tools.notifications.subject import answered_notice
from tools.orders.invoice_mail import notice_attachments
from tools.photos import PhotoRejected
from tools.photos.store import load_photo_bytes, save_photo
from tools.registry import REGISTRY, ToolKind, load_all_tools, summarize_call
from tools.widget_auth import mint_user_token

__all__ = ["CLIENT_THREAD_ID", "Caller", "Gateway", "PhotoRejected", "ThreadNotFound", "UnknownCaller"]

_BY_ADDRESS = {"slack": caller_by_slack_id, "sms": caller_by_phone}


class Gateway:
    """One per process, over the store's engine (the agent runner's)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def store_name(self) -> str:
        """The database's name (files kept beside the store, such as the demo key, are named after it)."""
        return self.engine.url.database or "default"

    @cached_property
    def turn_locks(self) -> TurnLocks:
        """One web chat turn at a time per conversation, across processes (claim / release)."""
        return TurnLocks(self.engine)

    @staticmethod
    def is_outage(exc: BaseException) -> bool:
        """Whether `exc` says the store is unreachable (down, restarting, out of connections), not a bug: the
        work is worth retrying later."""
        outages = (psycopg.OperationalError, psycopg_pool.PoolTimeout, sqlalchemy.exc.OperationalError,
                   sqlalchemy.exc.TimeoutError)
        return isinstance(exc, outages) or isinstance(exc.__cause__, outages)

    def caller(self, channel: str, address: str) -> Caller | None:
        """The active user behind a Slack user id or a phone number; None for strangers."""
        lookup = _BY_ADDRESS.get(channel)
        if lookup is None:
            return None
        try:
            return lookup(self.engine, address, channel=channel)
        except UnknownCaller:
            return None

    def caller_for_api_key(self, key: str) -> Caller | None:
        return caller_for_api_key(self.engine, key)

    def widget_sign_in(self, email: str, ttl_s: int) -> tuple[str, str]:
        """The publishable widget key of the active user `email`'s organization and a user token for them, as a
        host site's backend makes them (UnknownCaller when there is no such user)."""
        return mint_user_token(self.engine, email, ttl_s)

    def mint_api_key(self, email: str, label: str) -> str:
        """A new API key for the active user `email` (UnknownCaller when there is none)."""
        return create_api_key(self.engine, email, label=label)

    def save_photo(self, caller: Caller, data: bytes, source: str) -> str:
        """Store a photo the caller sent; its id. PhotoRejected (user-facing text) when it is not one we read."""
        return save_photo(self.engine, caller, data, source=source)

    def missing_photos(self, caller: Caller, photo_ids: list[str]) -> list[str]:
        """The ids among `photo_ids` that are not this caller's photos."""
        with Session(self.engine) as session:
            return [p for p in photo_ids if load_photo_bytes(session, caller, p) is None]

    def web_thread(self, caller: Caller, client_id: str, title: str | None = None) -> str:
        """The agent thread of a web conversation: started for the caller when `title` is given, else it must be
        theirs already. ThreadNotFound when it is someone else's (or, without a title, does not exist)."""
        thread = web_thread_id(client_id)
        if title is not None:
            claim_thread(self.engine, caller.user_id, caller.organization_id, caller.channel, thread, title)
        else:
            require_thread(self.engine, caller.user_id, thread)
        return thread

    def answered_notice(self, caller: Caller, channel: str, conversation_key: str) -> uuid.UUID | None:
        """The notification a message in this conversation answers (a Slack notice's thread, the latest text
        that asked for a reply), if any."""
        with Session(self.engine) as session:
            return answered_notice(session, caller, channel, conversation_key)

    def notice_attachments(self, notice: dict[str, Any]) -> list[tuple[str, str, bytes]]:
        """The files an emailed notice (a claimed delivery's row) carries, as (file name, content type, bytes):
        an issued invoice's PDF."""
        return notice_attachments(self.engine, notice["user_id"], notice["category"], notice.get("subject_type"),
                                  notice.get("subject_id"))

    def write_tools(self) -> frozenset[str]:
        load_all_tools()
        return frozenset(name for name, spec in REGISTRY.items() if spec.kind is ToolKind.WRITE)

    def summarize_call(self, caller: Caller, tool: str, args: dict[str, Any]) -> str:
        """A WRITE call told as its confirmation question."""
        return summarize_call(self.engine, caller, tool, args)
