"""One chat turn as a stream of agent events (see channels/web/stream.py for their shapes).

Uses `AgentRunner.stream` / `stream_resume` when the runner has them; otherwise derives the same events from
the graph's per-node updates: the planner's reply text, the READ tool calls it made and their outputs, and the
confirmation a WRITE call is waiting for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.types import Command

from agent.runner import AgentRunner
from tools.context import Caller
from tools.registry import ToolKind, get_tool

_WORDS = re.compile(r"\S+\s*|\s+")
DENIED = frozenset({"declined", "not_confirmed"})  # the user said no, or something else instead of yes


def tool_output(message: ToolMessage) -> Any:
    try:
        return json.loads(str(message.content))
    except ValueError:
        return {"ok": message.status != "error", "message": str(message.content)}


def _is_write(name: str) -> bool:
    try:
        return get_tool(name).kind is ToolKind.WRITE
    except KeyError:
        return False


def _text_deltas(text: str) -> Iterator[dict[str, Any]]:
    for piece in _WORDS.findall(text):
        yield {"type": "text_delta", "text": piece}


def _from_updates(updates: Iterator[Any]) -> Iterator[dict[str, Any]]:
    for update in updates:
        if not isinstance(update, dict):
            continue
        for node, value in update.items():
            if node == "__interrupt__":
                for intr in value:
                    data = intr.value
                    yield {"type": "confirmation_requested", "summary": data["summary"], "tool": data["tool"],
                           "args": data.get("args") or {}, "tool_call_id": data.get("tool_call_id")}
                continue
            for message in (value or {}).get("messages", []) if isinstance(value, dict) else []:
                if isinstance(message, AIMessage):
                    if message.text.strip():
                        yield from _text_deltas(message.text)
                    for call in message.tool_calls:
                        if not _is_write(call["name"]):
                            yield {"type": "tool_started", "tool": call["name"], "args": call.get("args") or {},
                                   "tool_call_id": call["id"]}
                elif isinstance(message, ToolMessage):
                    if _is_write(message.name or ""):  # the call is announced only once it really runs
                        yield {"type": "tool_started", "tool": message.name, "args": {},
                               "tool_call_id": message.tool_call_id}
                    output = tool_output(message)
                    if isinstance(output, dict) and output.get("error") in DENIED:
                        yield {"type": "tool_denied", "tool": message.name, "tool_call_id": message.tool_call_id}
                    else:
                        yield {"type": "tool_finished", "tool": message.name, "tool_call_id": message.tool_call_id,
                               "output": output}


def turn_events(runner: AgentRunner, thread_id: str, caller: Caller, text: str,
                photo_ids: list[str] | tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """A user message: the events of the turn it starts (or, while a confirmation is pending and no photo is
    attached, of answering that confirmation — as AgentRunner.send does)."""
    native = getattr(runner, "stream", None)
    if native is not None:
        yield from native(thread_id, caller, text, photo_ids=photo_ids)
        return
    if runner.pending(thread_id, caller) is not None and not photo_ids:
        yield from resume_events(runner, thread_id, caller, text)
        return
    content = text if not photo_ids else f"{text}\n[photos attached: {', '.join(photo_ids)}]"
    message = HumanMessage(content=content, additional_kwargs={"photo_ids": list(photo_ids)})
    yield from _run(runner, thread_id, caller, {"messages": [message]})


def resume_events(runner: AgentRunner, thread_id: str, caller: Caller, answer: Any) -> Iterator[dict[str, Any]]:
    """The events after answering the pending confirmation (yes / no / an edit)."""
    native = getattr(runner, "stream_resume", None)
    if native is not None:
        yield from native(thread_id, caller, answer)
        return
    yield from _run(runner, thread_id, caller, Command(resume=answer))


def _run(runner: AgentRunner, thread_id: str, caller: Caller, payload: Any) -> Iterator[dict[str, Any]]:
    config = runner._config(thread_id, caller)
    yield from _from_updates(iter(runner.graph.stream(payload, config, stream_mode="updates")))
    yield {"type": "turn_finished"}
