"""Drive one conversation through the real agent graph: the scripted user (turns plus conditional replies)
or an LLM-played user, recording every turn, every tool call and what became of it."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from langchain_core.messages import AIMessage, ToolMessage

from agent.confirmations import parse_confirmation
from agent.notices import ENTERED_KEY
from agent.runner import AgentRunner, TurnResult
from evals.fixtures import resolve
from evals.model import ConditionalReply, ScriptedUser
from tools.context import Caller
from tools.registry import get_tool

MAX_FOLLOW_UPS = 6


@dataclass
class CallRecord:
    name: str
    args: dict[str, Any]
    kind: str  # READ | WRITE | UNKNOWN
    id: str
    executed: bool = False  # a tool result came back without error
    error: str = ""
    confirmed: bool = False  # the user said yes to this call's confirmation


@dataclass
class Transcript:
    turns: list[dict[str, Any]] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0

    @property
    def replies(self) -> list[str]:
        return [t["agent"] for t in self.turns]

    @property
    def latency_ms(self) -> float:
        return round(sum(t["latency_ms"] for t in self.turns), 1)

    def as_json(self) -> dict[str, Any]:
        return {"turns": self.turns, "tool_calls": [asdict(c) for c in self.calls],
                "tokens": {"input": self.tokens_in, "output": self.tokens_out}}


class NextMessage(Protocol):
    def __call__(self, transcript: Transcript) -> str | None: ...


class Session:
    """One thread of the graph for one caller, keeping the transcript and confirmation answers."""

    def __init__(self, runner: AgentRunner, caller: Caller) -> None:
        self.runner, self.caller = runner, caller
        self.thread = f"eval-{uuid.uuid4()}"
        self.transcript = Transcript()
        self.confirmed: set[str] = set()

    def _pending_call_id(self) -> str | None:
        state = self.runner.graph.get_state(self.runner.config(self.thread, self.caller))
        for task in state.tasks:
            for intr in task.interrupts:
                return str(intr.value.get("tool_call_id", ""))
        return None

    def say(self, text: str, photo_ids: list[str] | None = None, source: str = "scripted") -> TurnResult:
        pending = self._pending_call_id()
        if pending and not photo_ids and parse_confirmation(text).kind == "yes":
            self.confirmed.add(pending)
        turn = self.runner.send(self.thread, self.caller, text, photo_ids=tuple(photo_ids or ()))
        self.transcript.turns.append({
            "user": text, "photos": list(photo_ids or []), "source": source,
            "agent": seen_reply(turn, self.caller.channel),
            "confirmation": None if turn.confirmation is None else
            {"tool": turn.confirmation.tool, "summary": turn.confirmation.summary},
            "tools": [c.name for c in turn.tool_calls], "latency_ms": turn.latency_ms})
        return turn

    def finish(self) -> Transcript:
        """Rebuild the call records from the thread's messages: what ran, what failed, what was confirmed."""
        state = self.runner.graph.get_state(self.runner.config(self.thread, self.caller))
        messages = state.values.get("messages", [])
        results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
        calls: list[CallRecord] = []
        for message in messages:
            if not isinstance(message, AIMessage) or message.additional_kwargs.get(ENTERED_KEY):
                continue  # a notice entered before the conversation is what it answers, not the agent's call
            usage: dict[str, Any] = dict(message.usage_metadata or {})
            self.transcript.tokens_in += int(usage.get("input_tokens", 0))
            self.transcript.tokens_out += int(usage.get("output_tokens", 0))
            for call in message.tool_calls:
                try:
                    kind = get_tool(call["name"]).kind.value
                except KeyError:
                    kind = "UNKNOWN"
                record = CallRecord(call["name"], dict(call.get("args") or {}), kind, str(call["id"]),
                                    confirmed=call["id"] in self.confirmed)
                result = results.get(str(call["id"]))
                if result is not None:
                    record.executed, record.error = _outcome(result)
                calls.append(record)
        self.transcript.calls = calls
        return self.transcript


def seen_reply(turn: TurnResult, channel: str) -> str:
    """The reply as the person reads it on their channel: an SMS is what the SMS renderer sends (one short
    plain line), everywhere else the reply text."""
    if channel == "sms":
        from channels.replies import reply_from_turn
        from channels.sms.render import render_sms

        return " ".join(render_sms(reply_from_turn(turn)))
    return turn.reply


def _outcome(message: ToolMessage) -> tuple[bool, str]:
    try:
        data = json.loads(message.text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("ok") is False:
        return False, str(data.get("error") or "failed")
    return message.status != "error", "" if message.status != "error" else "error"


def _conditional(turn: TurnResult, sent: int, rules: list[ConditionalReply], fired: Counter[int]) -> str | None:
    for i, rule in enumerate(rules):
        if fired[i] >= rule.times or sent < rule.after_turn:
            continue
        if rule.when == "confirm":
            if turn.confirmation is None or (rule.tool and rule.tool != turn.confirmation.tool):
                continue
            if rule.pattern and not re.search(rule.pattern, turn.confirmation.summary, re.IGNORECASE):
                continue
        elif turn.confirmation is not None or not rule.pattern or \
                not re.search(rule.pattern, turn.reply, re.IGNORECASE):
            continue
        fired[i] += 1
        return rule.say
    return None


def run_scripted(session: Session, user: ScriptedUser, ctx: dict[str, Any],
                 typing: Callable[[str], str] = str) -> Transcript:
    """The task's turns and conditional replies, each passed through `typing` (as written, or evals/typos.py)."""
    fired: Counter[int] = Counter()
    for sent, scripted in enumerate(user.turns, start=1):
        photos = [str(resolve(f"${{{p}}}", ctx)) for p in scripted.photos]
        turn = session.say(typing(str(resolve(scripted.text, ctx))), photos)
        for _ in range(MAX_FOLLOW_UPS):
            answer = _conditional(turn, sent, user.replies, fired)
            if answer is None:
                break
            turn = session.say(typing(str(resolve(answer, ctx))), source="conditional")
    return session.finish()


def run_llm_user(session: Session, next_message: NextMessage, max_turns: int) -> Transcript:
    """Alternate the LLM user and the agent until the user stops or `max_turns` user messages."""
    for _ in range(max_turns):
        message = next_message(session.transcript)
        if message is None:
            break
        session.say(message, source="llm")
    return session.finish()
