"""The agent graph with a scripted planner: READ flow, WRITE confirmation (yes / no / edit), restart."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import Engine

from agent.checkpointer import postgres_checkpointer
from agent.runner import AgentRunner
from tests.fakes.scripted_planner import ScriptedPlanner, call
from tests.listing_helpers import saved_count, watchable_listing
from tools.context import caller_by_email

TECH = "maria.gonzalez@summitvm.example"
REPO = Path(__file__).resolve().parent.parent


def test_read_flow_runs_tool_and_feeds_result_back(engine: Engine) -> None:
    planner = ScriptedPlanner(script=[call("search_parts", {"query": "door operator"}, "c1"),
                                      AIMessage(content="Found some door operators.")])
    runner = AgentRunner(engine, planner, checkpointer=InMemorySaver())
    turn = runner.send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH), "need a door operator")
    assert [c.name for c in turn.tool_calls] == ["search_parts"] and turn.tool_calls[0].type == "READ"
    assert turn.reply == "Found some door operators." and turn.confirmation is None
    tool_message = planner.seen[-1][-1]
    assert isinstance(tool_message, ToolMessage) and '"results"' in str(tool_message.content)


def test_tool_errors_come_back_as_messages(engine: Engine) -> None:
    planner = ScriptedPlanner(script=[call("lookup_part", {"part_number": "ZZZZZZZZ-NOPE"}, "c1"),
                                      AIMessage(content="Not found.")])
    runner = AgentRunner(engine, planner, checkpointer=InMemorySaver())
    runner.send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH), "ZZZZZZZZ-NOPE")
    result = planner.seen[-1][-1]
    assert isinstance(result, ToolMessage) and result.status == "error" and '"ok":false' in str(result.content)


@pytest.mark.parametrize("answer,rows", [("yes", 1), ("no", 0), ("make it $300 instead", 0)])
def test_write_waits_for_yes_and_writes_once(engine: Engine, answer: str, rows: int) -> None:
    listing = watchable_listing(engine)
    planner = ScriptedPlanner(script=[call("watch_listing", {"listing_id": listing}, "w1"),
                                      AIMessage(content="Done.")])
    runner = AgentRunner(engine, planner, checkpointer=postgres_checkpointer(engine))
    caller, thread = caller_by_email(engine, TECH), f"t-{uuid.uuid4()}"
    first = runner.send(thread, caller, "watch that listing")
    assert first.confirmation is not None and first.confirmation.tool == "watch_listing"
    assert "yes/no" in first.reply
    assert saved_count(engine, listing) == 0, "nothing may be written before the user says yes"
    second = runner.send(thread, caller, answer)
    assert second.confirmation is None
    assert saved_count(engine, listing) == rows
    if rows:  # replaying the confirmed step must not write again
        runner.graph.invoke(None, runner.config(thread, caller))
        assert saved_count(engine, listing) == 1
    if answer.startswith("make"):
        last = planner.seen[-1][-1]
        assert isinstance(last, ToolMessage) and "make it $300" in str(last.content)


RESTART_SCRIPT = """
import sys
from tests.fakes.scripted_planner import ScriptedPlanner, call
from agent.runner import AgentRunner
from knowledge.db import get_engine
from tools.context import caller_by_email
engine = get_engine()
runner = AgentRunner(engine, ScriptedPlanner(script=[call("watch_listing", {"listing_id": sys.argv[2]}, "w9")]))
turn = runner.send(sys.argv[1], caller_by_email(engine, sys.argv[3]), "watch it")
print(turn.confirmation.tool)
"""


def test_conversation_survives_process_restart(engine: Engine) -> None:
    listing, thread = watchable_listing(engine), f"t-{uuid.uuid4()}"
    proc = subprocess.run([sys.executable, "-c", RESTART_SCRIPT, thread, listing, TECH], capture_output=True,
                          text=True, cwd=REPO, env=dict(os.environ), timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "watch_listing", proc.stderr[-2000:]
    assert saved_count(engine, listing) == 0
    runner = AgentRunner(engine, ScriptedPlanner(script=[AIMessage(content="Watching it.")]))
    caller = caller_by_email(engine, TECH)
    assert runner.pending(thread, caller) is not None
    turn = runner.send(thread, caller, "yes")
    assert turn.reply == "Watching it." and saved_count(engine, listing) == 1
