"""The event stream channels render: text deltas as the planner produces them, tools started/finished,
confirmations, and the TurnResult last — from the local planner, a non-streaming scripted model, and Claude
through the real client against the fake Messages API speaking server-sent events."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from rich.console import Console
from sqlalchemy import Engine

from agent.events import (
    AgentEvent,
    ConfirmationRequested,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnFinished,
    compact_output,
)
from agent.gateway import Gateway
from agent.planners.claude import claude_planner
from agent.planners.local import LocalPlanner
from agent.planners.local.model import PIECE_WORDS, text_pieces
from agent.runner import AgentRunner
from channels.terminal import TerminalChat
from knowledge.settings import Settings
from tests.fakes.anthropic_server import FakeAnthropic, text_reply, tool_use
from tests.fakes.scripted_planner import ScriptedPlanner, call
from tests.local_planner_scripts import PARTS_MANAGER, TECH, count
from tools.context import caller_by_email

REPO = Path(__file__).resolve().parent.parent
MY_LISTINGS = "SELECT count(*) FROM marketplace_listings WHERE seller_id = :u"


@pytest.fixture(scope="module")
def runner(engine: Engine) -> AgentRunner:
    return AgentRunner(engine, LocalPlanner())


def deltas(events: list[AgentEvent], message: int | None = None) -> list[str]:
    return [e.text for e in events if isinstance(e, TextDelta) and (message is None or e.message == message)]


def finished(events: list[AgentEvent]) -> TurnFinished:
    ends = [e for e in events if isinstance(e, TurnFinished)]
    assert len(ends) == 1 and events[-1] is ends[0], "TurnFinished comes once, last"
    return ends[0]


def assert_tools_paired(events: list[AgentEvent]) -> None:
    started = [i for i, e in enumerate(events) if isinstance(e, ToolStarted)]
    for i in started:
        begin = events[i]
        assert isinstance(begin, ToolStarted)
        ends = [j for j, e in enumerate(events) if isinstance(e, ToolFinished) and e.call_id == begin.call_id]
        assert len(ends) == 1 and ends[0] > i, f"{begin.name} must finish once, after it started"


def test_local_planner_streams_its_reply_in_pieces(runner: AgentRunner, engine: Engine) -> None:
    caller = caller_by_email(engine, TECH)
    events = list(runner.stream(f"ev-{uuid.uuid4()}", caller, "need a door operator for an Otis Gen2"))
    result = finished(events).result
    pieces = deltas(events)
    assert len(pieces) >= 3 and "".join(pieces) == result.reply and "GAA24350BH1" in result.reply
    assert pieces == text_pieces(result.reply), "a few words a delta, not one delta for the whole reply"
    assert_tools_paired(events)
    started = next(e for e in events if isinstance(e, ToolStarted))
    assert started.name == "search_parts" and started.kind == "READ" and started.args["compatible_with"] == "Gen2"
    done = next(e for e in events if isinstance(e, ToolFinished))
    assert done.ok and done.error is None and len(done.output["results"]) <= 4  # 3 + "… N more"
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    assert events.index(done) < first_text, "the reply is written after the tool result it quotes"
    assert [e.as_json()["type"] for e in events][-1] == "turn_finished"
    json.dumps([e.as_json() for e in events])  # every event serialises for SSE


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,$—\n\t ")), max_size=200))
def test_reply_pieces_join_to_the_text_first_a_few_words_then_lines(text: str) -> None:
    pieces = text_pieces(text)
    assert "".join(pieces) == text and all(pieces)
    assert not pieces or len(pieces[0].split()) <= PIECE_WORDS, "the first piece comes after a few words"
    assert all("\n" not in p.strip() for p in pieces), "a line's words never share a piece with the next line's"
    assert all(a[-1].isspace() or b[0].isspace() for a, b in itertools.pairwise(pieces)), "no word is cut"
    assert len(pieces) <= text.strip().count("\n") + 3, "after the first, a line a piece"
    if len(text.split()) > PIECE_WORDS:
        assert len(pieces) >= 2


def test_write_asks_for_confirmation_then_streams_the_tool(runner: AgentRunner, engine: Engine) -> None:
    caller = caller_by_email(engine, PARTS_MANAGER)
    thread = f"ev-{uuid.uuid4()}"
    before = count(engine, MY_LISTINGS, u=caller.user_id)
    asked = list(runner.stream(thread, caller, "list 1 new GAA24350BH1 at $6500, local pickup"))  # proposed at once
    confirm = [e for e in asked if isinstance(e, ConfirmationRequested)]
    assert len(confirm) == 1 and confirm[0].tool == "create_listing" and confirm[0].args["price"] == "6500"
    assert asked.index(confirm[0]) == len(asked) - 2, "the confirmation is the turn's last word"
    assert not any(isinstance(e, ToolStarted) and e.name == "create_listing" for e in asked)
    result = finished(asked).result
    assert result.reply == f"{confirm[0].summary} (yes/no)" and count(engine, MY_LISTINGS, u=caller.user_id) == before
    done = list(runner.stream_resume(thread, caller, "yes"))
    assert_tools_paired(done)
    write = next(e for e in done if isinstance(e, ToolStarted))
    assert write.name == "create_listing" and write.kind == "WRITE"
    assert next(e for e in done if isinstance(e, ToolFinished)).ok
    assert "".join(deltas(done)) == finished(done).result.reply and "Publish it now?" in finished(done).result.reply
    assert count(engine, MY_LISTINGS, u=caller.user_id) == before + 1


def test_failed_tool_streams_its_error(engine: Engine) -> None:
    planner = ScriptedPlanner(script=[call("lookup_part", {"part_number": "ZZZZZZZZ-NOPE"}, "c1"),
                                      AIMessage(content="No such part.")])
    runner = AgentRunner(engine, planner, checkpointer=InMemorySaver())
    events = list(runner.stream(f"ev-{uuid.uuid4()}", caller_by_email(engine, TECH), "ZZZZZZZZ-NOPE"))
    done = next(e for e in events if isinstance(e, ToolFinished))
    assert not done.ok and done.error == "not_found" and "ZZZZZZZZ" in (done.message or "")
    # A model that does not stream still hands its reply over, as one delta.
    assert deltas(events) == ["No such part."] == [finished(events).result.reply]


def test_send_is_the_stream_consumed(engine: Engine) -> None:
    script = [call("search_parts", {"query": "door operator"}, "c1"), AIMessage(content="Found some.")]
    caller = caller_by_email(engine, TECH)
    sent = AgentRunner(engine, ScriptedPlanner(script=list(script)), checkpointer=InMemorySaver()).send(
        f"ev-{uuid.uuid4()}", caller, "door operator")
    streamed = finished(list(AgentRunner(engine, ScriptedPlanner(script=list(script)), checkpointer=InMemorySaver())
                             .stream(f"ev-{uuid.uuid4()}", caller, "door operator"))).result
    assert (sent.reply, sent.tool_calls, sent.confirmation) == (streamed.reply, streamed.tool_calls, None)


def _claude(engine: Engine, fake: FakeAnthropic) -> AgentRunner:
    settings = Settings(anthropic_api_key="sk-test-key", anthropic_base_url=fake.url,
                        anthropic_model="claude-test-model", anthropic_timeout_seconds=10)
    return AgentRunner(engine, claude_planner(settings), checkpointer=InMemorySaver())


def test_claude_tokens_stream_through_the_real_client(engine: Engine) -> None:
    answer = "GAA24350BH1 is the AT400 door operator and it fits the Gen2."
    args = {"query": "door operator", "compatible_with": "Gen2", "limit": 5}
    with FakeAnthropic([tool_use("search_parts", args, "Let me look that up."), text_reply(answer)]) as fake:
        events = list(_claude(engine, fake).stream(f"ev-{uuid.uuid4()}", caller_by_email(engine, TECH), "gen2 op"))
    assert fake.streamed == [True, True], "the graph streams, so the client asks the API to stream"
    result = finished(events).result
    assert "".join(deltas(events, 0)) == "Let me look that up."
    assert len(deltas(events, 1)) >= 3 and "".join(deltas(events, 1)) == answer == result.reply
    started = next(e for e in events if isinstance(e, ToolStarted))
    assert started.args == args, "tool input is reassembled from input_json_delta pieces"
    assert_tools_paired(events)
    order = [type(e).__name__ for e in events]
    assert order.index("ToolStarted") > order.index("TextDelta") and order[-2] == "TextDelta"


def test_claude_stream_broken_off_becomes_a_clear_message(engine: Engine) -> None:
    broken = {**text_reply("This answer will be cut off somewhere in the middle, sadly."), "stream_error": True}
    with FakeAnthropic([broken, broken]) as fake:
        events = list(_claude(engine, fake).stream(f"ev-{uuid.uuid4()}", caller_by_email(engine, TECH), "hi"))
    result = finished(events).result
    assert "unavailable" in result.reply and "Nothing was changed" in result.reply
    last = max(e.message for e in events if isinstance(e, TextDelta))
    assert "".join(deltas(events, last)) == result.reply, "the apology is a message of its own"


def test_compact_output_cuts_long_lists_and_strings() -> None:
    out = compact_output({"results": list(range(10)), "note": "x" * 500, "deep": {"a": {"b": {"c": [1]}}}})
    assert out["results"] == [0, 1, 2, "… 7 more"] and len(out["note"]) == 200
    assert out["deep"]["a"]["b"] == "{1 fields}"


def test_terminal_draws_the_streamed_reply(runner: AgentRunner, engine: Engine) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    chat = TerminalChat(Gateway(engine), runner, caller_by_email(engine, TECH), None, as_json=False, live=True,
                        out=console)
    turn = chat.handle("GAA26800LC1")
    assert turn is not None and "GAA26800LC1" in turn.reply
    screen = buffer.getvalue()
    assert "read lookup_part" in screen and "GAA26800LC1" in screen and "Partpilot" in screen


def test_chat_json_contract_is_unchanged(engine: Engine) -> None:
    proc = subprocess.run([sys.executable, "-m", "partpilot.cli", "chat", "--json", "--planner", "local"],
                          input="need a door operator for an Otis Gen2\n", capture_output=True, text=True,
                          cwd=REPO, env=dict(os.environ), timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    turn = json.loads(lines[0])
    assert list(turn) == ["user", "reply", "tool_calls", "confirmation", "thread"]
    assert turn["tool_calls"][0] == {"name": "search_parts", "type": "READ", "args": turn["tool_calls"][0]["args"]}
    assert set(turn["tool_calls"][0]) == {"name", "args", "type"} and turn["confirmation"] is None
    assert "GAA24350BH1" in turn["reply"] and turn["thread"].startswith("cli:")
