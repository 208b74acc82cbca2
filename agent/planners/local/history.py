"""Reading the conversation: tool results as data, the current turn, and the planner's own notes.

All dialogue state lives in the message history (the checkpointer persists it): tool calls and their JSON
results, plus a small `partpilot` note on each of the planner's AI messages (what it showed, what it asked,
the draft it is filling). Nothing is kept on the planner instance.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

META_KEY = "partpilot"
_PHOTO_SUFFIX = re.compile(r"\n?\[photos attached: [^\]]*\]\s*$")
_SAID = re.compile(r"the user said: (.+)$", re.DOTALL)


@dataclass
class ToolResult:
    name: str
    args: dict[str, Any]
    data: dict[str, Any]
    index: int

    @property
    def ok(self) -> bool:
        return self.data.get("ok") is not False

    @property
    def error(self) -> str | None:
        return None if self.ok else str(self.data.get("error") or "error")


@dataclass
class Turn:
    text: str
    photo_ids: list[str]
    results: list[ToolResult] = field(default_factory=list)
    frame: dict[str, Any] | None = None
    amended: dict[str, Any] | None = None  # the WRITE the user answered with words instead of yes/no

    def last(self, name: str) -> ToolResult | None:
        return next((r for r in reversed(self.results) if r.name == name), None)

    def called(self, name: str) -> bool:
        return any(r.name == name for r in self.results)


def meta(message: BaseMessage) -> dict[str, Any]:
    value = message.additional_kwargs.get(META_KEY) if isinstance(message, AIMessage) else None
    return value if isinstance(value, dict) else {}


def human_text(message: HumanMessage) -> str:
    return _PHOTO_SUFFIX.sub("", message.text).strip()


def photo_ids(message: HumanMessage) -> list[str]:
    ids = message.additional_kwargs.get("photo_ids") or []
    return [str(i) for i in ids]


def parse_tool(message: ToolMessage, calls: dict[str, dict[str, Any]], index: int) -> ToolResult:
    raw = message.content if isinstance(message.content, str) else message.text
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        data = {"ok": False, "error": "invalid", "message": str(raw)[:300]}
    if not isinstance(data, dict):
        data = {"value": data}
    call = calls.get(message.tool_call_id, {})
    return ToolResult(name=message.name or call.get("name", ""), args=dict(call.get("args") or {}), data=data,
                      index=index)


def tool_calls_by_id(messages: list[BaseMessage]) -> dict[str, dict[str, Any]]:
    calls: dict[str, dict[str, Any]] = {}
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                call_id = call.get("id")
                if call_id:
                    calls[call_id] = {"name": call["name"], "args": call.get("args") or {}}
    return calls


def results(messages: list[BaseMessage]) -> list[ToolResult]:
    calls = tool_calls_by_id(messages)
    return [parse_tool(m, calls, i) for i, m in enumerate(messages) if isinstance(m, ToolMessage)]


def unconfirmed_words(result: ToolResult) -> str | None:
    """What the user said instead of yes/no to a confirmation (the graph quotes it with repr())."""
    if result.error != "not_confirmed":
        return None
    match = _SAID.search(str(result.data.get("message", "")))
    if not match:
        return ""
    try:
        return str(ast.literal_eval(match.group(1).strip()))
    except (ValueError, SyntaxError):
        return match.group(1).strip().strip("'\"")


def current_turn(messages: list[BaseMessage]) -> Turn:
    """The user's latest words and everything the tools returned since then."""
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    if start < 0:
        return Turn(text="", photo_ids=[])
    human = messages[start]
    assert isinstance(human, HumanMessage)
    turn = Turn(text=human_text(human), photo_ids=photo_ids(human))
    calls = tool_calls_by_id(messages)
    for i in range(start + 1, len(messages)):
        message = messages[i]
        if isinstance(message, AIMessage):
            note = meta(message)
            if turn.frame is None and "frame" in note:
                turn.frame = note["frame"]
        elif isinstance(message, ToolMessage):
            result = parse_tool(message, calls, i)
            words = unconfirmed_words(result)
            if words is not None:
                # The user answered a confirmation with something else: that is a new request.
                turn = Turn(text=words, photo_ids=[], amended={"name": result.name, "args": result.args})
                continue
            turn.results.append(result)
    return turn
