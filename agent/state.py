"""The graph's state: the conversation, and whatever state the planner keeps between its steps (the local
planner's typed dialogue state; nothing for a planner that keeps none). Who the caller is travels as the run's context
(agent.run_context.Context), never in the state."""

from __future__ import annotations

from typing import Annotated, Any, NotRequired, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

PLANNER_STATE = "planner_state"


class AgentState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    planner_state: NotRequired[dict[str, Any]]
