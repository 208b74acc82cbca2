"""A conversation's checkpointed messages as AI SDK UIMessages ({id, role, parts}), for reloading a chat:
the same parts the live stream sent (text, tools, `data-reply` drafts, `data-confirm`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from agent.reply_draft import draft_of
from agent.runner import Confirmation
from channels.web.events import DENIED, tool_output
from channels.web.stream import approval_id

_PHOTO_NOTE = "\n[photos attached:"


def _user_message(message: HumanMessage, index: int) -> dict[str, Any]:
    text = message.text.split(_PHOTO_NOTE)[0]
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}]
    photos = message.additional_kwargs.get("photo_ids") or []
    if photos:
        parts.append({"type": "data-photos", "data": {"photoIds": list(photos)}})
    return {"id": message.id or f"user-{index}", "role": "user", "parts": parts}


def _confirm_state(output: Any) -> str:
    if isinstance(output, dict) and output.get("error") == "declined":
        return "declined"
    if isinstance(output, dict) and output.get("error") == "not_confirmed":
        return "changed"
    return "confirmed"


def ui_messages(messages: list[AnyMessage], pending: Confirmation | None, write_tools: frozenset[str],
                summarize: Callable[[str, dict[str, Any]], str] | None = None) -> list[dict[str, Any]]:
    """User turns become user messages; everything the assistant did until the next user turn (tool calls
    with their outputs, replies, confirmations and how they were answered) becomes one assistant message.
    `summarize(tool, args)` restores an answered confirmation's question."""
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    parts_by_call: dict[str, dict[str, Any]] = {}
    for index, message in enumerate(messages):
        if isinstance(message, HumanMessage):
            out.append(_user_message(message, index))
            current = None
            continue
        if current is None:
            current = {"id": message.id or f"assistant-{index}", "role": "assistant", "parts": []}
            out.append(current)
        part: dict[str, Any] | None
        if isinstance(message, AIMessage):
            if message.text.strip():
                current["parts"].append({"type": "text", "text": message.text})
                draft = draft_of(message.additional_kwargs)
                if draft is not None:  # right after the text it renders, as the live stream sends it
                    current["parts"].append({"type": "data-reply", "id": f"reply-{message.id or index}",
                                             "data": draft.model_dump(mode="json")})
            for call in message.tool_calls:
                part = {"type": f"tool-{call['name']}", "toolCallId": call["id"], "state": "input-available",
                        "input": call.get("args") or {}}
                parts_by_call[call["id"] or ""] = part
                current["parts"].append(part)
        elif isinstance(message, ToolMessage):
            output = tool_output(message)
            part = parts_by_call.get(message.tool_call_id)
            denied = isinstance(output, dict) and output.get("error") in DENIED
            if part is not None:
                part.update(state="output-denied") if denied else part.update(state="output-available", output=output)
            if (message.name or "") in write_tools:
                data = {"tool": message.name, "state": _confirm_state(output), "toolCallId": message.tool_call_id}
                if summarize is not None and part is not None:
                    data["summary"] = summarize(str(message.name), dict(part.get("input") or {}))
                current["parts"].append({"type": "data-confirm", "id": message.tool_call_id, "data": data})
    if pending is not None:
        if current is None:
            current = {"id": "assistant-pending", "role": "assistant", "parts": []}
            out.append(current)
        call_id = next((cid for cid, p in parts_by_call.items()
                        if p["type"] == f"tool-{pending.tool}" and p["state"] == "input-available"), "pending")
        if call_id in parts_by_call:  # as the live stream's tool-approval-request left it in an AI SDK client
            parts_by_call[call_id].update(state="approval-requested", approval={"id": approval_id(call_id)})
        current["parts"].append({"type": "data-confirm", "id": call_id,
                                 "data": {"summary": pending.summary, "tool": pending.tool, "input": pending.args,
                                          "toolCallId": call_id, "state": "pending"}})
    return out
