"""The sourcing conversation as a LangGraph graph: planner → tools → planner …

READ tools run directly. A WRITE tool pauses the graph with `interrupt()` carrying a plain-language
summary; it runs only after the user's yes, with an idempotency key derived from the tool call id, so a
resumed or replayed step writes once.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, SystemMessage, ToolCall, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import set_config_context
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.config import get_config, get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt
from sqlalchemy import Engine

from agent.confirmations import parse_confirmation
from agent.events import ToolFinished, ToolStarted, compact_output
from agent.photos import planner_unavailable_errors, unavailable_reply, with_photos
from agent.prompts import system_prompt
from agent.run_context import Context, require_context
from agent.state import PLANNER_STATE, AgentState
from agent.telemetry import chat_span, tool_call_id
from agent.tool_definitions import tool_definitions
from tools.context import Caller
from tools.registry import ToolKind, get_tool, invoke, precheck_call, summarize_call
from tools.results import ToolFailure

log = logging.getLogger(__name__)
MAX_TOOL_ROUNDS = 8


def _ask(model: Any, messages: list[Any], config: RunnableConfig, caller: Caller, engine: Engine) -> AIMessage:
    """Invoke the planner with the resolved caller and engine in its run config (`get_config()`), the same for
    every planner. This config lives for the call only: the run's own config and checkpoints stay plain data."""
    derived: RunnableConfig = {**config, "configurable": {**config.get("configurable", {}),
                                                          "caller": caller, "engine": engine}}
    with set_config_context(derived) as run:
        return run.run(model.invoke, messages, derived)  # type: ignore[no-any-return]


def build_graph(  # type: ignore[no-untyped-def]
    planner: BaseChatModel, checkpointer: BaseCheckpointSaver | None, engine: Engine | None = None
):
    """Compile the agent. A run needs `thread_id` in its config and a `Context` (who, which channel) as its
    runtime context; the graph resolves it to a Caller. `engine` is the store the tools use (default: the
    app's, `knowledge.db.get_engine()`, looked up at run time). No database or network is touched here."""
    model = planner.bind_tools(tool_definitions())

    def store() -> Engine:
        from knowledge.db import get_engine

        return engine if engine is not None else get_engine()

    def who(runtime: Runtime[Context]) -> tuple[Caller, Engine]:
        db = store()
        return require_context(runtime.context).caller(db), db

    def call_planner(state: AgentState, runtime: Runtime[Context]) -> dict[str, Any]:
        caller, db = who(runtime)
        history = with_photos(state["messages"], caller, db)
        # Every planner gets the same system message, carrying the state it kept last time (if it keeps any).
        memory = state.get("planner_state")
        system = SystemMessage(system_prompt(caller), additional_kwargs={PLANNER_STATE: memory} if memory else {})
        try:
            with chat_span(planner) as chat:
                reply = chat.done(_ask(model, [system, *history], get_config(), caller, db))
        except planner_unavailable_errors() as exc:
            log.warning("planner unavailable: %s", exc)
            reply = AIMessage(content=unavailable_reply(exc))
        update: dict[str, Any] = {"messages": [reply]}
        if PLANNER_STATE in reply.additional_kwargs:
            kept = {k: v for k, v in reply.additional_kwargs.items() if k != PLANNER_STATE}
            update["planner_state"] = reply.additional_kwargs[PLANNER_STATE]
            update["messages"] = [reply.model_copy(update={"additional_kwargs": kept})]
        return update

    def run_tools(state: AgentState, runtime: Runtime[Context]) -> dict[str, Any]:
        request = state["messages"][-1]
        assert isinstance(request, AIMessage)
        caller, db = who(runtime)
        results = [_run_one(call, get_config(), caller, db) for call in request.tool_calls]
        return {"messages": results}

    def route_after_planner(state: AgentState) -> Literal["run_tools", "__end__"]:
        last = state["messages"][-1]
        rounds = sum(1 for m in state["messages"][-2 * MAX_TOOL_ROUNDS:] if isinstance(m, ToolMessage))
        if isinstance(last, AIMessage) and last.tool_calls and rounds < 2 * MAX_TOOL_ROUNDS:
            return "run_tools"
        return "__end__"

    graph = StateGraph(AgentState, context_schema=Context)
    graph.add_node("call_planner", call_planner)
    graph.add_node("run_tools", run_tools)
    graph.add_edge(START, "call_planner")
    graph.add_conditional_edges("call_planner", route_after_planner, {"run_tools": "run_tools", "__end__": END})
    graph.add_edge("run_tools", "call_planner")
    return graph.compile(checkpointer=checkpointer)


def _emit(event: ToolStarted | ToolFinished) -> None:
    """Tell a streaming run's consumer (stream_mode "custom") that a tool started or finished."""
    try:
        get_stream_writer()(event)
    except Exception:  # outside a streaming run there is nobody to tell
        log.debug("no stream writer for %s", event.type)


def _run_one(call: ToolCall, config: RunnableConfig, caller: Caller, engine: Engine) -> ToolMessage:
    name, args, call_id = call["name"], dict(call.get("args") or {}), str(call["id"])
    try:
        spec = get_tool(name)
    except KeyError as exc:
        return ToolMessage(content=json.dumps({"ok": False, "error": "not_found", "message": str(exc)}),
                           tool_call_id=call_id, name=name, status="error")
    if spec.kind is ToolKind.WRITE:
        refused = precheck_call(engine, caller, name, args)
        if refused is not None:  # refused whatever the user answers: the planner hears why instead of a question
            return ToolMessage(content=refused.model_dump_json(), tool_call_id=call_id, name=name, status="error")
        summary = summarize_call(engine, caller, name, args)
        answer = interrupt({"type": "confirm", "tool": name, "args": args, "summary": summary,
                            "tool_call_id": call_id})
        decision = parse_confirmation(answer)
        if decision.kind == "no":
            return ToolMessage(content=json.dumps({"ok": False, "error": "declined",
                                                   "message": "The user said no. Nothing was done."}),
                               tool_call_id=call_id, name=name, status="error")
        if decision.kind == "edit" and not decision.changes:
            return ToolMessage(content=json.dumps({
                "ok": False, "error": "not_confirmed",
                "message": f"Not done. Instead of confirming, the user said: {decision.text!r}",
            }), tool_call_id=call_id, name=name, status="error")
        args = {**args, **decision.changes}
    _emit(ToolStarted(name=name, args=args, call_id=call_id, kind=spec.kind.value))  # type: ignore[arg-type]
    key = f"{config['configurable']['thread_id']}:{call_id}" if spec.kind is ToolKind.WRITE else None
    with tool_call_id(call_id):
        result = invoke(engine, caller, name, args, idempotency_key=key)
    failed = isinstance(result, ToolFailure)
    full = result.model_dump(mode="json", exclude={"ok"} if failed else None)
    _emit(ToolFinished(name=name, call_id=call_id, ok=not failed, output=compact_output(full), full=full,
                       error=result.error if isinstance(result, ToolFailure) else None,
                       message=result.message if isinstance(result, ToolFailure) else None))
    return ToolMessage(content=result.model_dump_json(), tool_call_id=call_id, name=name,
                       status="error" if failed else "success")
