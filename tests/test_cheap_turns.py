"""Cheap turns: one checkpoint write per turn (durability "exit"), one state read before it, and a saver whose
calls run side by side — with confirmations, resumes and the conversation's history working as before."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg import Cursor
from psycopg.rows import DictRow
from sqlalchemy import Engine

from agent.checkpointer import PooledPostgresSaver, _pool, conninfo, postgres_checkpointer
from agent.runner import AgentRunner
from tests.fakes.scripted_planner import ScriptedPlanner, call
from tests.listing_helpers import saved_count, watchable_listing
from tools.context import Caller, caller_by_email

TECH = "maria.gonzalez@summitvm.example"
SLEEP_S = 0.3


class CountingSaver(PooledPostgresSaver):
    """The app's saver, counting its calls."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: Counter[str] = Counter()

    @contextmanager
    def _cursor(self, *, pipeline: bool = False) -> Iterator[Cursor[DictRow]]:
        if not pipeline:  # get_tuple's read (writes go through a pipeline)
            self.calls["db_read"] += 1
        with super()._cursor(pipeline=pipeline) as cur:
            yield cur

    def get_tuple(self, config: Any) -> Any:
        self.calls["get_tuple"] += 1
        return super().get_tuple(config)

    def put(self, *args: Any, **kwargs: Any) -> Any:
        self.calls["put"] += 1
        return super().put(*args, **kwargs)

    def put_writes(self, *args: Any, **kwargs: Any) -> None:
        self.calls["put_writes"] += 1
        super().put_writes(*args, **kwargs)


@pytest.fixture
def saver(engine: Engine) -> CountingSaver:
    postgres_checkpointer(engine)  # the tables
    return CountingSaver(_pool(conninfo(engine)))  # type: ignore[arg-type]


@pytest.fixture
def caller(engine: Engine) -> Caller:
    return caller_by_email(engine, TECH, channel="web")


def test_a_turn_writes_one_checkpoint_and_reads_the_state_once(engine: Engine, saver: CountingSaver,
                                                               caller: Caller) -> None:
    planner = ScriptedPlanner(script=[call("search_parts", {"query": "door operator"}, "c1"),
                                      AIMessage(content="Found some door operators."),
                                      call("search_parts", {"query": "contactor"}, "c2"),
                                      AIMessage(content="Found contactors.")])
    runner, thread = AgentRunner(engine, planner, checkpointer=saver), f"t-{uuid.uuid4()}"
    for said, replied in (("need a door operator", "Found some door operators."),
                          ("and a contactor", "Found contactors.")):
        saver.calls.clear()
        turn = runner.send(thread, caller, said)
        assert turn.reply == replied and [c.name for c in turn.tool_calls] == ["search_parts"]
        # planner, tools, planner: three steps, one checkpoint; the run starts from the runner's read
        assert saver.calls == Counter(get_tuple=2, db_read=1, put=1), saver.calls


def test_a_confirmation_survives_a_new_process_and_resumes_once(engine: Engine, saver: CountingSaver,
                                                                caller: Caller) -> None:
    listing, thread = watchable_listing(engine), f"t-{uuid.uuid4()}"
    planner = ScriptedPlanner(script=[call("search_parts", {"query": "door operator"}, "r1"),
                                      call("watch_listing", {"listing_id": listing}, "w1")])
    first = AgentRunner(engine, planner, checkpointer=saver).send(thread, caller, "find it and watch that listing")
    assert first.confirmation is not None and first.confirmation.tool == "watch_listing"
    assert first.confirmation.call_id == "w1" and "yes/no" in first.reply
    assert [c.name for c in first.tool_calls] == ["search_parts", "watch_listing"]
    assert saver.calls["put"] == 1 and saver.calls["put_writes"] >= 1, "the interrupt is saved with the checkpoint"
    assert saved_count(engine, listing) == 0

    # another process: a fresh saver and runner find the question waiting, with the READ's result before it
    again = ScriptedPlanner(script=[AIMessage(content="Watching it.")])
    runner = AgentRunner(engine, again, checkpointer=postgres_checkpointer(engine))
    waiting = runner.thread_state(thread, caller)
    assert waiting.pending is not None and waiting.pending.tool == "watch_listing"
    turn = runner.send(thread, caller, "yes")
    assert turn.reply == "Watching it." and turn.confirmation is None and saved_count(engine, listing) == 1
    messages = runner.graph.get_state(runner.config(thread, caller)).values["messages"]
    assert [m.tool_call_id for m in messages if isinstance(m, ToolMessage)] == ["r1", "w1"], "each tool ran once"
    runner.graph.invoke(None, runner.config(thread, caller))  # replaying the confirmed step writes nothing again
    assert saved_count(engine, listing) == 1


class _Died(BaseException):
    """A process dying mid-turn: nothing after it runs (not even the run's exit save)."""


def test_a_turn_cut_off_mid_way_keeps_the_earlier_turns(engine: Engine, saver: CountingSaver,
                                                        caller: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    planner = ScriptedPlanner(script=[AIMessage(content="Hello."), call("search_parts", {"query": "fuse"}, "f1")])
    runner, thread = AgentRunner(engine, planner, checkpointer=saver), f"t-{uuid.uuid4()}"
    assert runner.send(thread, caller, "hi").reply == "Hello."
    acknowledged = runner.checkpoint_id(thread)

    def die(*args: Any, **kwargs: Any) -> None:
        raise _Died()

    monkeypatch.setattr(saver, "put", die)  # the turn's one save never happens: the process is gone
    with pytest.raises(_Died):
        runner.send(thread, caller, "need a fuse")
    monkeypatch.undo()

    fresh = AgentRunner(engine, ScriptedPlanner(script=[AIMessage(content="Fuses: …")]),
                        checkpointer=postgres_checkpointer(engine))
    assert fresh.checkpoint_id(thread) == acknowledged, "the conversation is where the acknowledged turn left it"
    assert fresh.finish(thread, caller, acknowledged) is None, "the cut-off turn runs again"
    assert fresh.send(thread, caller, "need a fuse").reply == "Fuses: …"
    humans = [m.content for m in fresh.graph.get_state(fresh.config(thread, caller)).values["messages"]
              if isinstance(m, HumanMessage)]
    assert humans == ["hi", "need a fuse"]


def test_the_history_survives_and_a_finished_turn_reads_back(engine: Engine, caller: Caller) -> None:
    planner = ScriptedPlanner(script=[AIMessage(content=f"Reply {i}.") for i in range(3)])
    runner, thread = AgentRunner(engine, planner, checkpointer=postgres_checkpointer(engine)), f"t-{uuid.uuid4()}"
    marks = []
    for i in range(3):
        marks.append(runner.checkpoint_id(thread))
        assert runner.send(thread, caller, f"message {i}").reply == f"Reply {i}."
    fresh = AgentRunner(engine, ScriptedPlanner(), checkpointer=postgres_checkpointer(engine))
    messages = fresh.graph.get_state(fresh.config(thread, caller)).values["messages"]
    assert [m.content for m in messages] == [x for i in range(3) for x in (f"message {i}", f"Reply {i}.")]
    assert fresh.thread_state(thread, caller).messages == 6
    # a retried delivery of the last turn only reads its reply back (its start is the previous turn's checkpoint)
    done = fresh.finish(thread, caller, marks[-1])
    assert done is not None and done.reply == "Reply 2."


def test_a_kept_read_serves_one_run_and_a_write_drops_it(engine: Engine, saver: CountingSaver,
                                                         caller: Caller) -> None:
    planner = ScriptedPlanner(script=[AIMessage(content="One."), AIMessage(content="Two.")])
    runner, thread = AgentRunner(engine, planner, checkpointer=saver), f"t-{uuid.uuid4()}"
    runner.send(thread, caller, "first")
    config = runner.config(thread, caller)
    with saver.read_for_turn(thread):
        kept = saver.get_tuple(config)
    saver.calls.clear()
    assert saver.get_tuple(config).checkpoint["id"] == kept.checkpoint["id"]
    assert saver.get_tuple(config) is not None
    assert saver.calls["db_read"] == 1, "the kept read serves the next read only"
    with saver.read_for_turn(thread):
        saver.get_tuple(config)
    runner.graph.update_state(config, {"messages": [AIMessage(content="Noted.")]})  # a write of this process
    saver.calls.clear()
    latest = saver.get_tuple(config)
    assert saver.calls["db_read"] == 1 and latest.checkpoint["id"] != kept.checkpoint["id"]
    assert [m.content for m in latest.checkpoint["channel_values"]["messages"]][-1] == "Noted."


def _slow(base: type[PostgresSaver]) -> type[PostgresSaver]:
    """`base` with every cursor holding its connection for SLEEP_S first (a slow query)."""

    class Slow(base):  # type: ignore[valid-type,misc]
        @contextmanager
        def _cursor(self, *, pipeline: bool = False) -> Iterator[Cursor[DictRow]]:
            with super()._cursor(pipeline=pipeline) as cur:
                cur.execute("SELECT pg_sleep(%s)", (SLEEP_S,))
                yield cur

    return Slow


def _two_at_once(saver: PostgresSaver) -> float:
    """Seconds for two threads' get_tuple calls started together."""
    start, errors = threading.Barrier(2), []

    def read() -> None:
        start.wait()
        try:
            saver.get_tuple({"configurable": {"thread_id": f"t-{uuid.uuid4()}", "checkpoint_ns": ""}})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(2)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return time.perf_counter() - began


def test_two_threads_use_the_saver_at_the_same_time(engine: Engine) -> None:
    postgres_checkpointer(engine)
    pool = _pool(conninfo(engine))
    pooled, locked = _slow(PooledPostgresSaver)(pool), _slow(PostgresSaver)(pool)  # type: ignore[arg-type]
    _two_at_once(pooled)  # the pool opens its second connection
    assert _two_at_once(pooled) < 0.55, "two slow checkpoint reads ran one after the other"
    # the control: the parent's lock serializes the same two calls, so the bound above can tell them apart
    assert _two_at_once(locked) >= 2 * SLEEP_S
