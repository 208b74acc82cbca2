"""One conversational turn at a time, for every channel: send a message (or the answer to a pending
confirmation), get back the reply, the tool calls made and any confirmation now pending."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.types import Command
from sqlalchemy import Engine

from agent.checkpointer import postgres_checkpointer
from agent.graph import build_graph
from tools.context import Caller
from tools.registry import ToolKind, get_tool

log = logging.getLogger(__name__)


@dataclass
class ToolCallRecord:
    name: str
    args: dict[str, Any]
    type: str  # "READ" | "WRITE"


@dataclass
class Confirmation:
    summary: str
    tool: str
    args: dict[str, Any]


@dataclass
class TurnResult:
    user: str
    reply: str
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    confirmation: Confirmation | None = None
    thread: str = ""
    latency_ms: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "reply": self.reply,
            "tool_calls": [{"name": c.name, "args": c.args, "type": c.type} for c in self.tool_calls],
            "confirmation": None if self.confirmation is None else
            {"summary": self.confirmation.summary, "tool": self.confirmation.tool},
            "thread": self.thread,
        }


def make_planner(kind: str | None = None) -> BaseChatModel:
    """`claude` when asked or when ANTHROPIC_API_KEY is set, else the offline local planner."""
    from knowledge.settings import get_settings

    settings = get_settings()
    kind = kind or ("claude" if settings.anthropic_api_key else "local")
    if kind == "claude":
        from agent.planners.claude import claude_planner

        return claude_planner(settings)
    if kind == "local":
        from agent.planners.local import LocalPlanner

        return LocalPlanner()
    raise ValueError(f"unknown planner {kind!r}: use local or claude")


class AgentRunner:
    def __init__(self, engine: Engine, planner: BaseChatModel | str | None = None, checkpointer: Any = None) -> None:
        self.engine = engine
        model = planner if isinstance(planner, BaseChatModel) else make_planner(planner)
        self.graph = build_graph(model, checkpointer if checkpointer is not None else postgres_checkpointer(engine))

    def _config(self, thread_id: str, caller: Caller) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id, "caller": caller, "engine": self.engine},
                "recursion_limit": 40}

    def pending(self, thread_id: str, caller: Caller) -> Confirmation | None:
        snapshot = self.graph.get_state(self._config(thread_id, caller))
        for task in snapshot.tasks:
            for intr in task.interrupts:
                value = intr.value
                return Confirmation(value["summary"], value["tool"], value["args"])
        return None

    def send(
        self, thread_id: str, caller: Caller, text: str, photo_ids: list[str] | tuple[str, ...] = ()
    ) -> TurnResult:
        """A user message. While a confirmation is pending, the message is the answer to it."""
        if self.pending(thread_id, caller) is not None and not photo_ids:
            return self.resume(thread_id, caller, text)
        content = text if not photo_ids else f"{text}\n[photos attached: {', '.join(photo_ids)}]"
        message = HumanMessage(content=content, additional_kwargs={"photo_ids": list(photo_ids)})
        return self._run(thread_id, caller, text, {"messages": [message]})

    def resume(self, thread_id: str, caller: Caller, answer: Any) -> TurnResult:
        """Answer the pending confirmation: yes / no / free text (an edit) / {"decision": ...}."""
        return self._run(thread_id, caller, answer if isinstance(answer, str) else str(answer),
                         Command(resume=answer))

    def _run(self, thread_id: str, caller: Caller, user_text: str, payload: Any) -> TurnResult:
        config = self._config(thread_id, caller)
        before = len(self.graph.get_state(config).values.get("messages", []))
        start = time.perf_counter()
        self.graph.invoke(payload, config)
        elapsed = (time.perf_counter() - start) * 1000
        messages = self.graph.get_state(config).values.get("messages", [])[before:]
        result = TurnResult(user=user_text, reply="", thread=thread_id, latency_ms=round(elapsed, 1))
        result.tool_calls = _tool_calls(messages)
        result.confirmation = self.pending(thread_id, caller)
        texts = [m.text for m in messages if isinstance(m, AIMessage) and m.text.strip()]
        result.reply = texts[-1] if texts else ""
        if result.confirmation is not None:
            question = f"{result.confirmation.summary} (yes/no)"
            result.reply = f"{result.reply}\n{question}".strip() if result.reply else question
        return result


def _tool_calls(messages: list[Any]) -> list[ToolCallRecord]:
    ran = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    records: list[ToolCallRecord] = []
    for message in messages:
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            try:
                kind = get_tool(call["name"]).kind
            except KeyError:
                continue
            if call["id"] in ran or kind is ToolKind.WRITE:
                records.append(ToolCallRecord(call["name"], dict(call.get("args") or {}), kind.value))
    return records
