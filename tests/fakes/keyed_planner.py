"""A chat model for channel tests that answers by what the user last said: each message text has its own
scripted steps (tool calls, then the reply), so conversations running side by side never share a script."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from agent.reply_draft import DRAFT_KEY, ReplyDraft


def drafted(draft: ReplyDraft) -> AIMessage:
    """The message a drafting planner ends a turn with: the draft's plain text, the draft beside it."""
    return AIMessage(content=draft.plain_text(), additional_kwargs={DRAFT_KEY: draft.model_dump(mode="json")})


class KeyedPlanner(BaseChatModel):
    steps: dict[str, list[AIMessage]] = Field(default_factory=dict)
    heard: list[str] = Field(default_factory=list)  # the user messages the planner answered, in order

    @property
    def _llm_type(self) -> str:
        return "keyed"

    def bind_tools(self, tools: Any, **kwargs: Any) -> KeyedPlanner:  # type: ignore[override]
        return self

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        last = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        said = messages[last].text
        step = sum(isinstance(m, AIMessage) for m in messages[last + 1:])
        if step == 0:
            self.heard.append(said)
        script = self.steps.get(said, [AIMessage(content=f"(nothing scripted for {said!r})")])
        reply = script[min(step, len(script) - 1)]
        return ChatResult(generations=[ChatGeneration(message=reply)])
