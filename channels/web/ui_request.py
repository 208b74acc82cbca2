"""The AI SDK's stock chat request — the body `DefaultChatTransport` (HttpChatTransport) posts — read as one turn.

The transport posts the whole conversation as UIMessages: `{id, messages, trigger, messageId?, …}` plus the
extras of its `body` option. The server keeps the conversation itself (the thread's checkpoint), so only the
newest message counts and the client's copy of older ones is ignored:

* a user message is the turn's input: its text parts, and its image file parts (data: URLs, as the SDK makes
  from a FileList) as photos;
* an assistant message whose tool part is "approval-responded" (the SDK's `addToolApprovalResponse`) answers
  the pending confirmation that the stream's `tool-approval-request` asked for: approved → yes, else no.

`trigger: "regenerate-message"` arrives with the conversation cut back to the user message, which is then
asked again (the thread keeps the earlier answer; the server does not rewind a conversation).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 4000
MAX_PHOTOS = 5
_MAX_DATA_URL = 14 * 1024 * 1024  # a 10 MB photo (the photo limit) in base64, with room for the prefix


class UIMessage(BaseModel):
    """An AI SDK UIMessage; parts are read loosely (only text, file and tool parts mean anything here)."""

    model_config = ConfigDict(extra="allow")
    id: str = ""
    role: Literal["system", "user", "assistant"]
    parts: list[dict[str, Any]] = Field(default_factory=list)


class UIChatRequest(BaseModel):
    """What the AI SDK's `DefaultChatTransport` posts (extras from its `body` option allowed)."""

    model_config = ConfigDict(extra="allow")
    id: str | None = Field(None, description="The chat's id; the thread when posted to /api/v1/chat")
    messages: list[UIMessage] = Field(min_length=1, description="The conversation as the client has it; "
                                      "only the last message is read")
    trigger: Literal["submit-message", "regenerate-message"] = "submit-message"
    messageId: str | None = Field(None, description="The message an approval response or regeneration is for")
    photo_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=MAX_PHOTOS, description="Ids from POST /api/v1/uploads (a `body` extra)")
    notification_id: uuid.UUID | None = Field(None, description="The notification this message answers")


@dataclass(frozen=True)
class Approval:
    """The SDK's answer to a `tool-approval-request`."""

    tool_call_id: str
    approved: bool


@dataclass(frozen=True)
class UITurn:
    """A transport request as a turn: a message (text, photos) or an approval of the pending call."""

    text: str = ""
    photos: tuple[bytes, ...] = ()
    approval: Approval | None = None
    message_id: str | None = None  # the assistant message the approval's stream continues


def read_turn(body: UIChatRequest) -> UITurn:
    """The turn the request asks for; ValueError (the client's mistake, in words) when there is none."""
    last = body.messages[-1]
    if last.role == "assistant":
        approval = _approval(last.parts)
        if approval is None:
            raise ValueError("The last message is the assistant's and answers no approval request; "
                             "send a user message.")
        return UITurn(approval=approval, message_id=last.id or body.messageId)
    if last.role != "user":
        raise ValueError("The last message must be the user's (or the assistant's with an approval response).")
    text = "\n".join(str(p.get("text") or "") for p in last.parts if p.get("type") == "text")
    text = text.replace("\x00", "").strip()  # Postgres text cannot hold NUL
    if not text:
        raise ValueError("The last user message has no text.")
    if len(text) > MAX_TEXT:
        raise ValueError(f"The message is longer than {MAX_TEXT} characters.")
    photos = tuple(_photo(p) for p in last.parts if p.get("type") == "file")
    if len(photos) + len(body.photo_ids) > MAX_PHOTOS:
        raise ValueError(f"At most {MAX_PHOTOS} photos per message.")
    return UITurn(text=text, photos=photos)


def _approval(parts: list[dict[str, Any]]) -> Approval | None:
    for part in parts:
        kind = str(part.get("type") or "")
        approval = part.get("approval")
        if ((kind.startswith("tool-") or kind == "dynamic-tool") and part.get("state") == "approval-responded"
                and isinstance(approval, dict) and isinstance(approval.get("approved"), bool)):
            return Approval(tool_call_id=str(part.get("toolCallId") or ""), approved=approval["approved"])
    return None


def _photo(part: dict[str, Any]) -> bytes:
    """The bytes of an image file part sent inline (a data: URL)."""
    url, media_type = str(part.get("url") or ""), str(part.get("mediaType") or "")
    header, _, payload = url.partition(",")
    if not media_type.startswith("image/") or not header.startswith("data:") or not header.endswith(";base64"):
        raise ValueError("File parts must be images sent as base64 data: URLs (or upload them and send photo_ids).")
    if len(url) > _MAX_DATA_URL:
        raise ValueError("The photo is larger than 10 MB.")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("A file part's data: URL is not valid base64.") from None
