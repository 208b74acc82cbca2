"""Slack Events API payloads → `InboundMessage` (app mentions, direct messages, shared photos)."""

from __future__ import annotations

import html
import re
from typing import Any

from channels.messages import InboundMessage, PhotoAttachment
from channels.slack.files import is_photo

# Message subtypes a person produces; edits, deletions, joins and bot posts are not messages to answer.
_PERSON_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def conversation_key(team: str, channel: str, thread_ts: str) -> str:
    return f"slack:{team}:{channel}:{thread_ts}"


def inbound_from_event(body: dict[str, Any], bot_user_id: str | None) -> InboundMessage | None:
    """The message to answer, or None for events Partpilot ignores (its own posts, other bots, edits, channel
    chatter without a mention)."""
    event = body.get("event") or {}
    kind = event.get("type")
    if kind == "message" and event.get("channel_type") != "im":
        return None  # in channels Partpilot answers only when mentioned (the app_mention event)
    if kind not in ("message", "app_mention") or event.get("subtype") not in _PERSON_SUBTYPES:
        return None
    user = event.get("user")
    if not user or event.get("bot_id") or user == bot_user_id:
        return None
    team = body.get("team_id") or event.get("team") or "T"
    channel = event.get("channel") or ""
    thread_ts = event.get("thread_ts") or event.get("ts") or ""
    text = html.unescape(event.get("text") or "")
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", "", text)
    photos, refused = [], []
    for file in event.get("files") or []:
        url = file.get("url_private_download") or file.get("url_private")
        if url and is_photo(file.get("mimetype")):
            photos.append(PhotoAttachment(url=url, content_type=file["mimetype"], size=file.get("size"),
                                          name=file.get("name") or "photo"))
        else:
            refused.append(file.get("name") or file.get("title") or "a file")
    return InboundMessage(channel="slack", sender=user, conversation_key=conversation_key(team, channel, thread_ts),
                          text=" ".join(text.split()), photos=tuple(photos), refused=tuple(refused),
                          reply_to={"channel": channel, "thread_ts": thread_ts, "ts": event.get("ts")})


def message_delivery_id(body: dict[str, Any]) -> str:
    """One id per posted message: an app_mention and a message event of the same post share it."""
    event = body.get("event") or {}
    return f"msg:{body.get('team_id', '')}:{event.get('channel', '')}:{event.get('ts', '')}"
