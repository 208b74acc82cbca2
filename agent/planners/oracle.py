"""Planners that check the eval tasks themselves, plugged into the same graph as Claude and the local planner.

`OraclePlanner` emits a task's reference tool calls, in order, then its reference answer: WRITE calls still
pass through the graph's confirmation, so a perfect agent under the same scripted user scores 1.0.
`NullPlanner` never calls a tool and says nothing useful: it must score 0 on every task that needs a write
or a specific answer.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

MAX_ATTEMPTS = 4


class PlannedCall(BaseModel):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    expect_declined: bool = False  # the user is expected to say no to this write
    save: str | None = None  # later calls may refer to this call's result under this name


def _result(message: ToolMessage) -> tuple[bool, str, Any]:
    try:
        data = json.loads(message.text)
    except ValueError:
        return message.status != "error", "", None
    failed = isinstance(data, dict) and data.get("ok") is False
    return not failed, str(data.get("error", "")) if isinstance(data, dict) else "", data


class _SilentModel(BaseChatModel):
    def bind_tools(self, tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool], *,
                   tool_choice: str | None = None, **kwargs: Any) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(**kwargs)

    @abstractmethod
    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        """The planner's next message, given the conversation so far."""

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])


class NullPlanner(_SilentModel):
    """Never acts, never answers."""

    @property
    def _llm_type(self) -> str:
        return "partpilot-null-planner"

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        return AIMessage(content="OK.")


class OraclePlanner(_SilentModel):
    """Replays `calls` (already resolved against the task's fixtures), then replies `answer`."""

    calls: list[PlannedCall] = Field(default_factory=list)
    answer: str = "Done."
    context: dict[str, Any] = Field(default_factory=dict)
    # fills references in a call's args from the context and earlier results (`${saved.listing.id}`)
    resolver: Callable[[Any, dict[str, Any]], Any] | None = None

    @property
    def _llm_type(self) -> str:
        return "partpilot-oracle-planner"

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        attempts = [0] * len(self.calls)
        done = [False] * len(self.calls)
        index_of: dict[str, int] = {}
        context = dict(self.context)
        for message in messages:
            if isinstance(message, AIMessage):
                for call in message.tool_calls:
                    if call["id"] and call["id"].startswith("oracle_"):
                        index_of[call["id"]] = int(call["id"].split("_")[1])
            elif isinstance(message, ToolMessage) and str(message.tool_call_id) in index_of:
                i = index_of[str(message.tool_call_id)]
                attempts[i] += 1
                ok, error, data = _result(message)
                save = self.calls[i].save
                if ok and save:
                    context[save] = data
                expected_no = self.calls[i].expect_declined and error == "declined"
                done[i] = done[i] or ok or expected_no or error not in ("declined", "not_confirmed")
        for i, planned in enumerate(self.calls):
            if done[i]:
                continue
            if attempts[i] >= MAX_ATTEMPTS:
                break
            call_id = f"oracle_{i}_{attempts[i]}_{len(messages)}"
            args = self.resolver(planned.args, context) if self.resolver else planned.args
            return AIMessage(content="", tool_calls=[{"name": planned.name, "args": args, "id": call_id,
                                                      "type": "tool_call"}])
        answer = self.resolver(self.answer, context) if self.resolver else self.answer
        return AIMessage(content=str(answer))
