"""One chat turn as the web channel's event dicts (the shapes channels/web/stream.py encodes), adapted from
the agent's event stream (`AgentRunner.stream` / `stream_resume`, see agent/events.py).

Two things the web needs beyond the agent's events: the tool call id of a pending confirmation (so the
confirmation card and the later tool result refer to the same call), and an explicit "denied" result when
the user cancels (the agent then runs no tool and says nothing about the call)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from langchain_core.messages import ToolMessage

from agent.confirmations import parse_confirmation
from agent.events import AgentEvent, ConfirmationRequested, TextDelta, ToolFinished, ToolStarted, TurnFinished
from agent.gateway import Caller
from agent.notices import enter_notice
from agent.runner import AgentRunner, ThreadState

DENIED = frozenset({"declined", "not_confirmed"})  # the user said no, or something else instead of yes


def tool_output(message: ToolMessage) -> Any:
    try:
        return json.loads(str(message.content))
    except ValueError:
        return {"ok": message.status != "error", "message": str(message.content)}


def pending_call(runner: AgentRunner, thread_id: str, caller: Caller) -> dict[str, Any] | None:
    """The interrupt payload of the WRITE call waiting for an answer: {tool, args, summary, tool_call_id}."""
    snapshot = runner.graph.get_state(runner.config(thread_id, caller))
    for task in snapshot.tasks:
        for intr in task.interrupts:
            return dict(intr.value)
    return None


def web_events(events: Iterable[AgentEvent]) -> Iterator[dict[str, Any]]:
    """The agent's events as the encoder's dicts."""
    for event in events:
        if isinstance(event, TextDelta):
            yield {"type": "text_delta", "text": event.text, "message": event.message}
        elif isinstance(event, ToolStarted):
            yield {"type": "tool_started", "tool": event.name, "args": event.args, "tool_call_id": event.call_id}
        elif isinstance(event, ToolFinished):
            if not event.ok:
                output = preview = {"ok": False, "error": event.error, "message": event.message}
            else:
                output, preview = (event.output if event.full is None else event.full), event.output
            yield {"type": "tool_finished", "tool": event.name, "tool_call_id": event.call_id, "output": output,
                   "preview": preview}
        elif isinstance(event, ConfirmationRequested):
            yield {"type": "confirmation_requested", "summary": event.summary, "tool": event.tool,
                   "args": event.args, "tool_call_id": event.call_id or None}
        elif isinstance(event, TurnFinished):
            if event.result.draft is not None:  # the rich form of the reply text that just streamed
                yield {"type": "reply_drafted", "draft": event.result.draft.model_dump(mode="json")}
            yield {"type": "turn_finished"}


def turn_events(runner: AgentRunner, thread_id: str, caller: Caller, text: str,
                photo_ids: list[str] | tuple[str, ...] = (),
                notice: uuid.UUID | None = None) -> Iterator[dict[str, Any]]:
    """A user message (while a confirmation is pending and no photo is attached, the answer to it); `notice`:
    the notification it answers, entered into the conversation first."""
    if notice is not None:
        enter_notice(runner, thread_id, caller, notice)
    state = runner.thread_state(thread_id, caller)  # the turn's one read of the conversation
    if not photo_ids and state.pending is not None:
        yield from resume_events(runner, thread_id, caller, text, state)
        return
    yield from web_events(runner.stream(thread_id, caller, text, photo_ids=photo_ids, state=state))


def resume_events(runner: AgentRunner, thread_id: str, caller: Caller, answer: Any,
                  state: ThreadState | None = None) -> Iterator[dict[str, Any]]:
    """The answer to the pending confirmation; a cancel first reports the call as denied. `state`: the
    conversation as the caller just read it."""
    state = state or runner.thread_state(thread_id, caller)
    waiting = state.pending
    decision = parse_confirmation(answer)
    if waiting is not None and (decision.kind == "no" or (decision.kind == "edit" and not decision.changes)):
        call_id = waiting.call_id
        yield {"type": "tool_started", "tool": waiting.tool, "args": waiting.args or {}, "tool_call_id": call_id}
        yield {"type": "tool_denied", "tool": waiting.tool, "tool_call_id": call_id}
    yield from web_events(runner.stream_resume(thread_id, caller, answer, state))
