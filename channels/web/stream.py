"""Agent events → Vercel AI SDK UI-message stream chunks → Server-Sent Events frames.

The format (AI SDK 5+, "UI message stream protocol", header `x-vercel-ai-ui-message-stream: v1`) is a
sequence of `data: <json>` frames: `start`, `text-start` / `text-delta` / `text-end`, `tool-input-available`,
`tool-output-available`, custom `data-*` parts, `finish`, and finally `data: [DONE]`. Each chunk carries only
the fields the SDK's strict schema allows, so standard clients (`useChat`, `readUIMessageStream`) accept it.

Agent events are plain dicts with a `type`: `text_delta` {text, message?}, `tool_started` {tool, args, tool_call_id},
`tool_finished` {tool_call_id, output, preview?}, `tool_denied` {tool_call_id},
`confirmation_requested` {summary, tool, args, tool_call_id}, `price_assessed` {badge}
(channels/web/price_badges.py), `reply_drafted` {draft}, `turn_finished`, `error` {message}.

A tool's `output` is its whole output model; when `preview` (agent/events.py compact_output) differs, it follows
as a `data-tool-preview` part {toolCallId, preview}, since the strict tool chunks have no field for it. A WRITE
waiting for a yes is announced twice: as the SDK's `tool-approval-request` (answered by the SDK's approval
response, see channels/web/ui_request.py) and as our `data-confirm` with the human summary.

A planner's structured reply (agent/reply_draft.py) goes out as a `data-reply` part after the text it is the
rich form of (the turn's last text part, which streamed the draft's plain text): clients that know it render
cards and choice buttons in that text's place; others keep the text.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

UI_MESSAGE_STREAM_HEADERS = {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "connection": "keep-alive",
    "x-vercel-ai-ui-message-stream": "v1",
    "x-accel-buffering": "no",
}
DONE_FRAME = "data: [DONE]\n\n"
CHUNK_TYPES = frozenset({
    "start", "finish", "abort", "error", "start-step", "finish-step", "text-start", "text-delta", "text-end",
    "tool-input-start", "tool-input-delta", "tool-input-available", "tool-input-error", "tool-output-available",
    "tool-output-error", "tool-output-denied", "tool-approval-request", "message-metadata",
})


def approval_id(tool_call_id: str) -> str:
    """The `approvalId` of a pending WRITE call's `tool-approval-request`."""
    return f"approval-{tool_call_id}"


def sse_frame(chunk: dict[str, Any]) -> str:
    """One SSE event. JSON never contains a raw newline, so one `data:` line is always enough."""
    return f"data: {json.dumps(chunk, ensure_ascii=False, separators=(',', ':'), default=str)}\n\n"


class UIMessageEncoder:
    """Turns one assistant turn's agent events into UI-message chunks (stateful: open text part, ids)."""

    def __init__(self, message_id: str | None = None) -> None:
        self.message_id = message_id or f"msg-{uuid.uuid4().hex}"
        self._text_id: str | None = None
        self._texts = 0
        self._text_message: object = None
        self._finished = False

    def start(self) -> list[dict[str, Any]]:
        return [{"type": "start", "messageId": self.message_id}]

    def _close_text(self) -> list[dict[str, Any]]:
        if self._text_id is None:
            return []
        chunk = {"type": "text-end", "id": self._text_id}
        self._text_id = None
        return [chunk]

    def encode(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """The chunks for one agent event (possibly none)."""
        kind = event.get("type")
        if self._finished:
            return []
        if kind == "text_delta":
            text = str(event.get("text") or "")
            if not text:
                return []
            chunks: list[dict[str, Any]] = []
            message = event.get("message")
            if message is not None and message != self._text_message:  # a new planner message: a new part
                chunks.extend(self._close_text())
                self._text_message = message
            if self._text_id is None:
                self._texts += 1
                self._text_id = f"{self.message_id}-text-{self._texts}"
                chunks.append({"type": "text-start", "id": self._text_id})
            chunks.append({"type": "text-delta", "id": self._text_id, "delta": text})
            return chunks
        if kind == "tool_started":
            return [*self._close_text(), {"type": "tool-input-available", "toolCallId": str(event["tool_call_id"]),
                                          "toolName": str(event["tool"]), "input": event.get("args") or {}}]
        if kind == "tool_finished":
            call_id = str(event["tool_call_id"])
            chunks = [*self._close_text(), {"type": "tool-output-available", "toolCallId": call_id,
                                            "output": event.get("output")}]
            if event.get("preview", event.get("output")) != event.get("output"):
                chunks.append({"type": "data-tool-preview", "id": f"preview-{call_id}",
                               "data": {"toolCallId": call_id, "preview": event["preview"]}})
            return chunks
        if kind == "tool_denied":
            return [*self._close_text(), {"type": "tool-output-denied", "toolCallId": str(event["tool_call_id"])}]
        if kind == "confirmation_requested":
            call_id = str(event.get("tool_call_id") or f"confirm-{uuid.uuid4().hex[:12]}")
            data = {"summary": event["summary"], "tool": event["tool"], "input": event.get("args") or {},
                    "toolCallId": call_id}
            return [*self._close_text(),
                    {"type": "tool-input-start", "toolCallId": call_id, "toolName": str(event["tool"])},
                    {"type": "tool-input-available", "toolCallId": call_id, "toolName": str(event["tool"]),
                     "input": event.get("args") or {}},
                    {"type": "tool-approval-request", "approvalId": approval_id(call_id), "toolCallId": call_id},
                    {"type": "data-confirm", "id": call_id, "data": data}]
        if kind == "price_assessed":
            badge = event["badge"]
            key = f"price-{badge.get('listingId') or badge.get('partNumber')}-{badge.get('price')}"
            return [*self._close_text(), {"type": "data-price", "id": key, "data": badge}]
        if kind == "reply_drafted":
            return [*self._close_text(), {"type": "data-reply", "id": f"{self.message_id}-reply",
                                          "data": event["draft"]}]
        if kind == "error":
            self._finished = True
            return [*self._close_text(), {"type": "error", "errorText": str(event.get("message") or "error")},
                    {"type": "finish", "finishReason": "error"}]
        if kind == "turn_finished":
            self._finished = True
            return [*self._close_text(), {"type": "finish", "finishReason": "stop"}]
        return []

    def finish(self) -> list[dict[str, Any]]:
        """Close the message if the events ended without `turn_finished`."""
        return [] if self._finished else self.encode({"type": "turn_finished"})


def encode_events(events: Iterable[dict[str, Any]], message_id: str | None = None) -> Iterator[str]:
    """SSE frames for a whole turn: start, the events' chunks, finish, [DONE]."""
    encoder = UIMessageEncoder(message_id)
    for chunk in encoder.start():
        yield sse_frame(chunk)
    for event in events:
        for chunk in encoder.encode(event):
            yield sse_frame(chunk)
    for chunk in encoder.finish():
        yield sse_frame(chunk)
    yield DONE_FRAME


def parse_sse(body: str) -> list[dict[str, Any] | str]:
    """Frames of an SSE body: each `data:` payload parsed as JSON, `[DONE]` kept as the string. For tests and
    the benchmark; raises ValueError on a frame that is neither."""
    frames: list[dict[str, Any] | str] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line[5:].lstrip() for line in block.split("\n") if line.startswith("data:")]
        if not lines:
            continue
        payload = "\n".join(lines)
        frames.append(payload if payload == "[DONE]" else json.loads(payload))
    return frames


def is_known_chunk(chunk: dict[str, Any]) -> bool:
    kind = chunk.get("type")
    return isinstance(kind, str) and (kind in CHUNK_TYPES or kind.startswith("data-"))
