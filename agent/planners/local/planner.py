"""One planner step: rebuild the context from the history, understand the turn (or pick up the frame it
started with), run the intent's policy, and turn the step into an AIMessage."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, SystemMessage

from agent.planners.local.context import build_context
from agent.planners.local.frame import Call, Env, Frame, Step, reply
from agent.planners.local.history import META_KEY, Turn, current_turn
from agent.planners.local.policies import POLICIES
from agent.planners.local.render import Reply, finish
from agent.planners.local.understand import frame_from_note, understand

log = logging.getLogger(__name__)
MAX_TOOL_STEPS = 6


def call_id(message_count: int, name: str) -> str:
    """Stable across replays (same history → same id) and unique within a conversation."""
    digest = hashlib.sha256(f"{message_count}:{name}".encode()).hexdigest()[:24]
    return f"call_{digest}"


def decide(messages: list[BaseMessage], env: Env) -> tuple[Step, Frame]:
    history = [m for m in messages if not isinstance(m, SystemMessage)]
    ctx = build_context(history)
    turn = current_turn(history)
    frame = frame_from_note(turn.frame, turn, env) if turn.frame is not None else understand(turn, ctx, env)
    policy = POLICIES.get(frame.intent, POLICIES["unknown"])
    step = policy(frame, ctx, turn, env)
    if isinstance(step, Call):
        step = _guard(step, turn)
    return step, frame


def _guard(call: Call, turn: Turn) -> Step:
    """Never loop: no second identical call in one turn, and a bounded number of tool steps."""
    repeated = any(r.name == call.name and r.args == call.args for r in turn.results)
    if repeated or len(turn.results) >= MAX_TOOL_STEPS:
        last = turn.results[-1] if turn.results else None
        detail = f" ({last.data.get('message')})" if last is not None and last.data.get("message") else ""
        log.warning("local planner stopped a repeated/long tool loop at %s", call.name)
        return reply(f"I couldn't finish that{detail}. Could you rephrase or give me the part number?")
    return call


def to_message(step: Step, frame: Frame, message_count: int, env: Env) -> AIMessage:
    if isinstance(step, Call):
        args = json.loads(json.dumps(step.args, default=str))
        return AIMessage(content="", tool_calls=[{"name": step.name, "args": args, "type": "tool_call",
                                                  "id": call_id(message_count, step.name)}],
                         additional_kwargs={META_KEY: {"frame": frame.note()}})
    assert isinstance(step, Reply)
    note: dict[str, Any] = json.loads(json.dumps({**step.note, "frame": frame.note()}, default=str))
    return AIMessage(content=finish(step, env.sms), additional_kwargs={META_KEY: note})
