"""One conversational turn at a time, for every channel: send a message (or the answer to a pending
confirmation) and stream the turn's events — reply text as it is produced, tools started and finished, a
confirmation requested — ending with the TurnResult (`send`/`resume` just return that)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.types import Command, Durability, Interrupt, StateSnapshot
from sqlalchemy import Engine

from agent.checkpointer import PooledPostgresSaver, postgres_checkpointer
from agent.events import (
    AgentEvent,
    Confirmation,
    ConfirmationRequested,
    TextDelta,
    ToolCallRecord,
    ToolFinished,
    ToolStarted,
    TurnFinished,
    TurnResult,
)
from agent.graph import build_graph
from agent.reply_draft import draft_of
from agent.run_context import Context
from agent.telemetry import traced_turn
from tools.context import Caller
from tools.registry import ToolKind, get_tool

log = logging.getLogger(__name__)
PLANNER_NODE = "call_planner"
# One checkpoint per turn, written when the run stops (its reply, a confirmation it waits for, or an error):
# "exit" saves the final checkpoint with the pending writes — an interrupt's too, so a confirmation resumes as
# before. A process that dies mid-turn leaves the conversation at the turn's start (earlier turns were saved
# when they ended) and the turn runs again; a WRITE's idempotency key keeps a replayed write from repeating.
DURABILITY: Durability = "exit"
INTERRUPTS = "__interrupt__"  # the "values" stream's key for the interrupts a run stopped at

__all__ = ["AgentRunner", "Confirmation", "ThreadState", "ToolCallRecord", "TurnResult", "make_planner"]


@dataclass(frozen=True)
class ThreadState:
    """What a turn needs of the conversation before it starts, from one read of its checkpoint: the
    confirmation waiting for an answer, if any, and how many messages the conversation has."""

    pending: Confirmation | None
    messages: int


def make_planner(kind: str | None = None) -> BaseChatModel:
    """`kind` (local, claude or provider:model such as openai:gpt-4.1-mini); unset: PLANNER_MODEL, else `claude`
    when ANTHROPIC_API_KEY is set, else the offline local planner."""
    from knowledge.settings import get_settings

    settings = get_settings()
    kind = kind or settings.planner_model or ("claude" if settings.anthropic_api_key else "local")
    if ":" in kind:
        from agent.planners.any_model import any_model_planner

        return any_model_planner(kind, settings)
    if kind == "claude":
        from agent.planners.claude import claude_planner

        return claude_planner(settings)
    if kind == "local":
        from agent.planners.local import LocalPlanner

        return LocalPlanner()
    raise ValueError(f"unknown planner {kind!r}: use local, claude or provider:model (anthropic, openai, ollama)")


class AgentRunner:
    def __init__(self, engine: Engine, planner: BaseChatModel | str | None = None, checkpointer: Any = None) -> None:
        self.engine = engine
        model = planner if isinstance(planner, BaseChatModel) else make_planner(planner)
        self.graph = build_graph(model, checkpointer if checkpointer is not None else postgres_checkpointer(engine),
                                 engine=engine)

    def config(self, thread_id: str, caller: Caller | None = None) -> dict[str, Any]:
        """The run config: plain data only. Who the turn is for travels as the run's `Context` (see `_run`)."""
        return {"configurable": {"thread_id": thread_id}, "recursion_limit": 40}

    def thread_state(self, thread_id: str, caller: Caller) -> ThreadState:
        """The conversation as a turn starts (one checkpoint read); hand it to `stream`/`stream_resume`."""
        saver = self.graph.checkpointer
        keep = saver.read_for_turn(thread_id) if isinstance(saver, PooledPostgresSaver) else nullcontext()
        with keep:  # the run that follows starts from this read instead of reading the checkpoint again
            snapshot = self.graph.get_state(self.config(thread_id, caller))
        return ThreadState(_confirmation(_interrupts(snapshot)), len(snapshot.values.get("messages", [])))

    def pending(self, thread_id: str, caller: Caller) -> Confirmation | None:
        return self.thread_state(thread_id, caller).pending

    def send(
        self, thread_id: str, caller: Caller, text: str, photo_ids: list[str] | tuple[str, ...] = ()
    ) -> TurnResult:
        """A user message; returns the finished turn. While a confirmation is pending, the message answers it."""
        return _result(self.stream(thread_id, caller, text, photo_ids))

    def resume(self, thread_id: str, caller: Caller, answer: Any) -> TurnResult:
        """Answer the pending confirmation: yes / no / free text (an edit) / {"decision": ...}."""
        return _result(self.stream_resume(thread_id, caller, answer))

    def stream(
        self, thread_id: str, caller: Caller, text: str, photo_ids: list[str] | tuple[str, ...] = (),
        state: ThreadState | None = None,
    ) -> Iterator[AgentEvent]:
        """A user message as a stream of events (see agent.events), ending with TurnFinished. While a
        confirmation is pending (and no photo is attached), the message is the answer to it. `state`: the
        conversation as the caller just read it (`thread_state`), so it is not read again."""
        state = state or self.thread_state(thread_id, caller)
        if state.pending is not None and not photo_ids:
            return self.stream_resume(thread_id, caller, text, state)
        content = text if not photo_ids else f"{text}\n[photos attached: {', '.join(photo_ids)}]"
        message = HumanMessage(content=content, additional_kwargs={"photo_ids": list(photo_ids)})
        return self._run(thread_id, caller, text, {"messages": [message]}, before=state.messages)

    def stream_resume(self, thread_id: str, caller: Caller, answer: Any,
                      state: ThreadState | None = None) -> Iterator[AgentEvent]:
        """Answer the pending confirmation (yes / no / an edit / {"decision": ..., "args": ...}) as a stream."""
        return self._run(thread_id, caller, answer if isinstance(answer, str) else str(answer),
                         Command(resume=answer), before=None if state is None else state.messages)

    def checkpoint_id(self, thread_id: str) -> str:
        """The conversation's latest checkpoint ("" for a new conversation): where the next turn starts from."""
        return _checkpoint_id(self.graph.get_state({"configurable": {"thread_id": thread_id}}))

    def finish(self, thread_id: str, caller: Caller, started_from: str) -> TurnResult | None:
        """The turn that started from checkpoint `started_from` and was cut off (its process died): run what is
        left of it and return it whole; None when it never got past its start (run it again). A turn that had
        finished is only read back, so a retried job neither acts nor replies twice."""
        state = self.graph.get_state(self.config(thread_id, caller))
        if _checkpoint_id(state) == started_from:
            return None
        start_config = {"configurable": {"thread_id": thread_id, "checkpoint_id": started_from}}
        before = len(self.graph.get_state(start_config).values.get("messages", [])) if started_from else 0
        interrupts = _interrupts(state)
        if not state.next or interrupts:  # it had finished (or stopped at a confirmation): its reply is read back
            return _result(self._finish_events(thread_id, "", before, time.perf_counter(), state.values,
                                               _confirmation(interrupts)))
        log.info("finishing the turn cut off in %s", thread_id)
        return _result(self._run(thread_id, caller, "", None, before=before))

    @traced_turn
    def _run(self, thread_id: str, caller: Caller, user_text: str, payload: Any,
             before: int | None = None) -> Iterator[AgentEvent]:
        config = self.config(thread_id, caller)
        if before is None:
            before = len(self.graph.get_state(config).values.get("messages", []))
        start = time.perf_counter()
        texts = _TextDeltas()
        # The turn's end state comes from the run itself ("values": the state after each step, and the
        # interrupt a confirmation stops at), not from reading the checkpoint back.
        values: dict[str, Any] = {}
        interrupts: tuple[Interrupt, ...] = ()
        for mode, data in self.graph.stream(payload, config, context=Context.of(caller), durability=DURABILITY,
                                            stream_mode=["messages", "custom", "values"]):
            if mode == "custom" and isinstance(data, ToolStarted | ToolFinished):
                yield data
            elif mode == "messages":
                yield from texts.feed(*data)
            elif mode == "values" and isinstance(data, dict):
                interrupts = data.pop(INTERRUPTS, interrupts)
                values = data
        if not values:  # nothing ran, so nothing was streamed: the checkpoint has the state
            snapshot = self.graph.get_state(config)
            values, interrupts = snapshot.values, _interrupts(snapshot)
        yield from self._finish_events(thread_id, user_text, before, start, values, _confirmation(interrupts))

    def _finish_events(self, thread_id: str, user_text: str, before: int, start: float, values: dict[str, Any],
                       confirmation: Confirmation | None) -> Iterator[AgentEvent]:
        elapsed = (time.perf_counter() - start) * 1000
        messages = values.get("messages", [])[before:]
        result = TurnResult(user=user_text, reply="", thread=thread_id, latency_ms=round(elapsed, 1))
        result.tool_calls = _tool_calls(messages)
        result.confirmation = confirmation
        replies = [m for m in messages if isinstance(m, AIMessage) and m.text.strip()]
        result.reply = replies[-1].text if replies else ""
        result.draft = draft_of(replies[-1].additional_kwargs) if replies else None
        if result.confirmation is not None:
            question = f"{result.confirmation.summary} (yes/no)"
            result.reply = f"{result.reply}\n{question}".strip() if result.reply else question
            confirm = result.confirmation
            yield ConfirmationRequested(summary=confirm.summary, tool=confirm.tool, args=confirm.args,
                                        call_id=confirm.call_id)
        yield TurnFinished(result)


class _TextDeltas:
    """Turns LangGraph "messages" stream items into TextDeltas: the planner's token chunks as they come, and
    a whole planner message when the model did not stream it (e.g. the apology that replaces an answer the
    service broke off — a message of its own, so the last message's deltas are always the reply). Planner
    messages without text (tool calls only) do not count toward `TextDelta.message`."""

    def __init__(self) -> None:
        self.streamed: set[str] = set()
        self.keys: list[object] = []

    def feed(self, message: Any, metadata: dict[str, Any]) -> Iterator[TextDelta]:
        if metadata.get("langgraph_node") != PLANNER_NODE or not isinstance(message, AIMessage):
            return
        if isinstance(message, AIMessageChunk):
            if message.id:
                self.streamed.add(message.id)
            key: object = ("step", metadata.get("langgraph_step"))
        elif message.id in self.streamed:
            return
        else:
            key = ("message", message.id)
        text = message.text
        if not text:
            return
        if not self.keys or self.keys[-1] != key:
            self.keys.append(key)
        yield TextDelta(text=text, message=len(self.keys) - 1)


def _result(events: Iterator[AgentEvent]) -> TurnResult:
    for event in events:
        if isinstance(event, TurnFinished):
            return event.result
    raise RuntimeError("the agent stream ended without TurnFinished")


def _interrupts(snapshot: StateSnapshot) -> tuple[Interrupt, ...]:
    """The interrupts a stored run stopped at (a WRITE tool waiting for its confirmation)."""
    return tuple(i for task in snapshot.tasks for i in task.interrupts)


def _checkpoint_id(snapshot: StateSnapshot) -> str:
    return str(snapshot.config.get("configurable", {}).get("checkpoint_id") or "")


def _confirmation(interrupts: Iterable[Interrupt]) -> Confirmation | None:
    """The confirmation a WRITE tool's interrupt asks for (the first, as only one waits at a time)."""
    for intr in interrupts:
        value = intr.value
        return Confirmation(value["summary"], value["tool"], value["args"], str(value.get("tool_call_id") or ""))
    return None


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
