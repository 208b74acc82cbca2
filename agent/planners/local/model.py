"""`LocalPlanner`: the offline planner as a LangChain chat model, so the graph cannot tell it from Claude.

`bind_tools` binds the registry's tool definitions; each step is ONE AIMessage — a tool call or a final
reply (its text, with the structured reply draft attached) — computed from the messages and the dialogue
state the graph keeps for the planner (handed over on the system message, returned on the AIMessage).
`_stream` hands the reply out in pieces (a few words, then a line at a time), so a streaming run (LangGraph's
"messages" mode) sees deltas the way it sees a hosted model's tokens.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

from agent.planners.local.dialogue.state import STATE_KEY, DialogueState
from agent.planners.local.engine import step
from agent.planners.local.policy import Env
from agent.reply_draft import DRAFT_KEY, ReplyDraft
from tools.context import BUYING_ROLES, SELLING_ROLES

log = logging.getLogger(__name__)
_WHO = re.compile(r"You are talking to .+? \(([a-z_]+)\) of (.+?)\. All tool calls", re.S)
# The first piece: up to PIECE_WORDS words of the first line (what a reader sees first); then a line a piece.
PIECE_WORDS = 8
_FIRST = re.compile(rf"\s*(?:[^\n\S]*\S+[^\n\S]*){{1,{PIECE_WORDS}}}\n*")
_LINE = re.compile(r"[^\n]+\n*|\n+")


def text_pieces(text: str) -> list[str]:
    """The reply in the pieces it streams in: a few words, then the rest a line at a time. Joined, they are the
    text again. Every piece is a message chunk through LangChain's callbacks and LangGraph's stream, so word
    by word cost a turn more CPU than its planner."""
    first = _FIRST.match(text)
    start = first.end() if first else 0
    return ([first.group()] if first else []) + _LINE.findall(text, start)


def _tool_spec(tool: Any) -> dict[str, Any]:
    """name + input JSON schema from an Anthropic-style dict, an OpenAI-style dict or a LangChain tool."""
    if isinstance(tool, dict) and "input_schema" in tool:
        return {"name": tool["name"], "input_schema": tool["input_schema"]}
    if isinstance(tool, dict) and "function" in tool:
        fn = tool["function"]
        return {"name": fn["name"], "input_schema": fn.get("parameters", {})}
    converted = convert_to_openai_tool(tool)["function"]
    return {"name": converted["name"], "input_schema": converted.get("parameters", {})}


def _run_config() -> dict[str, Any]:
    try:
        from langgraph.config import get_config

        return dict(get_config().get("configurable") or {})
    except Exception:  # outside a graph run (direct invoke in a test or a notebook)
        return {}


def make_env(messages: Sequence[BaseMessage], tools: list[dict[str, Any]] | None) -> Env:
    configurable = _run_config()
    caller, engine = configurable.get("caller"), configurable.get("engine")
    system = next((m.text for m in messages if isinstance(m, SystemMessage)), "")
    if caller is not None:
        role, organization, channel, name = caller.role, caller.organization_name, caller.channel, caller.name
    else:
        who = _WHO.search(system)
        role, organization = (who.group(1), who.group(2)) if who else ("technician", "your organization")
        channel, name = ("sms" if "This is SMS" in system else "cli"), ""
    from agent.planners.local.nlu import get_nlu

    return Env(role=role, organization=organization, name=name, channel=channel, can_sell=role in SELLING_ROLES,
               can_buy=role in BUYING_ROLES, tools=frozenset(t["name"] for t in tools or []), engine=engine,
               nlu=get_nlu(engine))


def _state_of(messages: Sequence[BaseMessage]) -> DialogueState:
    """The dialogue state the graph handed over on its system message (empty at the start)."""
    system = next((m for m in messages if isinstance(m, SystemMessage)), None)
    raw = system.additional_kwargs.get(STATE_KEY) if system is not None else None
    return DialogueState.model_validate(raw) if isinstance(raw, dict) else DialogueState()


class LocalPlanner(BaseChatModel):
    """The offline dialogue engine: a trained intent classifier and entity lookups, a typed dialogue state,
    forms from the tools' input models, and one small policy per intent."""

    _spent: list[float] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "partpilot-local-planner"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(tools=[_tool_spec(t) for t in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._step(messages, kwargs.get("tools")))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # LangChain's caller reports each chunk to the callbacks (run_manager); doing it here would double it.
        message = self._step(messages, kwargs.get("tools"))
        if message.tool_calls:
            calls = [{"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i,
                      "type": "tool_call_chunk"} for i, c in enumerate(message.tool_calls)]
            yield ChatGenerationChunk(message=AIMessageChunk(
                content=message.text, tool_call_chunks=calls,  # type: ignore[arg-type]
                additional_kwargs=message.additional_kwargs, chunk_position="last"))
            return
        pieces = text_pieces(message.text) or [""]
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            yield ChatGenerationChunk(message=AIMessageChunk(
                content=piece, additional_kwargs=message.additional_kwargs if i == 0 else {},
                chunk_position="last" if last else None))

    def _step(self, messages: list[BaseMessage], tools: list[dict[str, Any]] | None) -> AIMessage:
        started = time.perf_counter()
        try:
            return self._decide(messages, tools)
        finally:
            self._spent.append((time.perf_counter() - started) * 1000)

    def spent_ms(self) -> list[float]:
        """How long each planner step took (milliseconds), oldest first; `partpilot bench agent` reads it."""
        return list(self._spent)

    def _decide(self, messages: list[BaseMessage], tools: list[dict[str, Any]] | None) -> AIMessage:
        state = _state_of(messages)
        outcome = step(messages, state, make_env(messages, tools))
        kwargs: dict[str, Any] = {STATE_KEY: state.model_dump(mode="json")}
        if outcome.call is not None:
            args = json.loads(json.dumps(outcome.call.args, default=str))
            text = ""
            if outcome.draft is not None:
                kwargs[DRAFT_KEY] = outcome.draft.model_dump(mode="json")
                text = outcome.draft.plain_text()
            return AIMessage(content=text, tool_calls=[{"name": outcome.call.name, "args": args, "type": "tool_call",
                                                        "id": outcome.call_id}], additional_kwargs=kwargs)
        draft = outcome.draft or ReplyDraft(headline="Sorry, I have nothing to say to that.")
        kwargs[DRAFT_KEY] = draft.model_dump(mode="json")
        return AIMessage(content=draft.plain_text(), additional_kwargs=kwargs)
