"""A notification entering the conversation it is answered in. A person who answers a text or a Slack notice
("accept", "counter 420") is answering *that* notice, so before their turn the conversation is given it the way
an agent would have looked it up: a show_notification call, its result (the offer or listing as it stands now)
and the notice's words. Every planner reads that history as it reads any other, so the object is in focus for
the local planner and named by id for a model; the WRITE that follows is confirmed as usual."""

from __future__ import annotations

import logging
import uuid

from langchain_core.messages import AIMessage, ToolMessage

from agent.runner import PLANNER_NODE, AgentRunner
from tools.context import Caller
from tools.notifications import ShowNotificationOutput
from tools.registry import invoke

log = logging.getLogger(__name__)

NOTICE_KEY = "notification_id"
ENTERED_KEY = "entered_with_notice"  # the look-up was the notice's way in, not a call the planner made


def enter_notice(runner: AgentRunner, thread_id: str, caller: Caller, notification_id: uuid.UUID) -> bool:
    """Put the notice into the conversation unless it is there already or a confirmation is waiting there (the
    person's message answers that first). True when it entered."""
    config = runner.config(thread_id, caller)
    state = runner.graph.get_state(config)
    if any(task.interrupts for task in state.tasks):
        return False
    if any(str(m.additional_kwargs.get(NOTICE_KEY)) == str(notification_id)
           for m in state.values.get("messages", []) if isinstance(m, AIMessage)):
        return False
    args = {"notification_id": str(notification_id)}
    shown = invoke(runner.engine, caller, "show_notification", args)
    if not isinstance(shown, ShowNotificationOutput):
        log.info("notice %s not entered into %s: %s", notification_id, thread_id, getattr(shown, "message", ""))
        return False
    call_id = f"notice_{notification_id.hex[:24]}"
    looked_up = AIMessage(content="", tool_calls=[{"name": "show_notification", "args": args, "id": call_id,
                                                   "type": "tool_call"}], additional_kwargs={ENTERED_KEY: True})
    result = ToolMessage(content=shown.model_dump_json(), tool_call_id=call_id, name="show_notification")
    notice = shown.notification
    told = AIMessage(content=f"{notice.title}: {notice.body}", additional_kwargs={NOTICE_KEY: str(notification_id)})
    runner.graph.update_state(config, {"messages": [looked_up, result, told]}, as_node=PLANNER_NODE)
    return True
