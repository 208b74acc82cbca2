"""Turning a user's attached photos into image blocks for the planner, and planner outages into words."""

from __future__ import annotations

import base64
from typing import Any

from langchain_core.messages import AnyMessage, HumanMessage
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.photos.store import load_photo_bytes


def with_photos(messages: list[AnyMessage], caller: Caller, engine: Engine) -> list[AnyMessage]:
    """The latest user message with its photos as image blocks (earlier turns keep only the reference,
    so a long conversation does not resend every image)."""
    last = next((i for i in range(len(messages) - 1, -1, -1) if isinstance(messages[i], HumanMessage)), None)
    if last is None:
        return messages
    message = messages[last]
    photo_ids = message.additional_kwargs.get("photo_ids") or []
    if not photo_ids:
        return messages
    blocks: list[Any] = [{"type": "text", "text": message.text}]
    with Session(engine) as session:
        for photo_id in photo_ids:
            data = load_photo_bytes(session, caller, photo_id)
            if data is None:
                continue
            media = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
            # langchain's standard image block: each provider's client writes it in its own wire format
            blocks.append({"type": "image", "base64": base64.b64encode(data).decode(), "mime_type": media})
    enriched = HumanMessage(content=blocks, additional_kwargs=message.additional_kwargs, id=message.id)
    return [*messages[:last], enriched, *messages[last + 1:]]


def planner_unavailable_errors() -> tuple[type[BaseException], ...]:
    from agent.planners.any_model import provider_errors

    return provider_errors()


def unavailable_reply(exc: BaseException) -> str:
    kind = type(exc).__name__
    if "Timeout" in kind:
        return "Sorry, the assistant timed out before answering. Nothing was changed; please try again."
    return ("Sorry, the assistant service is unavailable right now. Nothing was changed; please try again "
            "in a minute.")
