"""LangGraph Server: `langgraph dev` (in-memory) loads the graph langgraph.json names and, driven by the official
`langgraph_sdk` client, runs a turn that stops at a WRITE's confirmation and resumes it with "yes". The run
carries only a plain `Context` (who, which channel); the server stores it and the graph resolves the caller."""

from __future__ import annotations

import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.local_planner_scripts import holdable_part
from tests.tool_helpers import MARIA
from tools.context import caller_by_email
from tools.registry import ToolKind, get_tool

REPO = Path(__file__).resolve().parent.parent
LANGGRAPH = Path(sys.executable).parent / "langgraph"
GRAPH = "partpilot"
STARTUP_S = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=3)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def server(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`langgraph dev` on a free loopback port, against this session's database; its base URL."""
    if not LANGGRAPH.exists():
        pytest.skip("langgraph-cli[inmem] is not installed in this environment")
    home = tmp_path_factory.mktemp("langgraph")
    # the repository's config with its paths made absolute, run from a scratch folder: the dev server keeps
    # its files (.langgraph_api/) in its working directory, and this one keeps none (no file persistence)
    config = json.loads((REPO / "langgraph.json").read_text())
    config["graphs"] = {name: str(REPO / spec) for name, spec in config["graphs"].items()}
    config["dependencies"] = [str(REPO / dep) for dep in config["dependencies"]]
    config["disable_persistence"] = True
    (home / "langgraph.json").write_text(json.dumps(config))
    env = {**os.environ, "LANGGRAPH_CLI_NO_ANALYTICS": "1", "LANGSMITH_TRACING": "false",
           "LANGCHAIN_TRACING_V2": "false", "HF_HUB_OFFLINE": "1"}
    for key in ("ANTHROPIC_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "PLANNER_MODEL"):
        env.pop(key, None)  # the offline planner, and nothing that could phone home
    port = _free_port()
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [str(LANGGRAPH), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port),
         "--config", str(home / "langgraph.json")],
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (home / "server.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"langgraph dev did not come up in {STARTUP_S} s:\n{tail}")
            try:
                if httpx.get(f"{url}/ok", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        yield url
    finally:
        _stop(process)
        log.close()


def _saved_call(engine: Engine, key: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(text("SELECT tool_name, result FROM tool_calls WHERE idempotency_key = :k"),
                            {"k": key}).one_or_none()


def test_a_turn_stops_at_the_confirmation_and_resumes(server: str, engine: Engine) -> None:
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=server)
    maria, part = caller_by_email(engine, MARIA), holdable_part(engine, "Keystone Parts Supply")
    context = {"email": MARIA, "channel": "web"}
    thread = client.threads.create()["thread_id"]

    asked: Any = client.runs.wait(thread, GRAPH, context=context,
                                  input={"messages": [{"role": "user", "content": f"hold 1 {part} for me"}]})
    interrupts = asked.get("__interrupt__") or []
    assert len(interrupts) == 1, f"expected one confirmation, got {asked}"
    confirm = interrupts[0]["value"]
    assert confirm["type"] == "confirm" and get_tool(confirm["tool"]).kind is ToolKind.WRITE
    assert part in confirm["summary"]
    key = f"{maria.user_id}:{thread}:{confirm['tool_call_id']}"
    assert _saved_call(engine, key) is None, "nothing may be written before the user says yes"
    assert client.threads.get_state(thread)["next"] == ["run_tools"]

    done: Any = client.runs.wait(thread, GRAPH, command={"resume": "yes"}, context=context)
    assert not done.get("__interrupt__")
    reply = done["messages"][-1]
    assert reply["type"] == "ai" and part in reply["content"], reply
    saved = _saved_call(engine, key)
    assert saved is not None and saved.tool_name == confirm["tool"] and saved.result is not None, \
        "the WRITE ran once, as Maria (the caller resolved from the run's context), keyed by the thread"
    assert client.threads.get_state(thread)["next"] == []


def test_a_run_that_names_nobody_fails_saying_what_to_pass(server: str) -> None:
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=server)
    thread = client.threads.create()["thread_id"]
    with pytest.raises(Exception, match=r"names no user: pass \{\"email\": \.\.\.\}"):
        client.runs.wait(thread, GRAPH, input={"messages": [{"role": "user", "content": "hi"}]})
    [run] = client.runs.list(thread)
    assert run["status"] == "error"


def test_the_run_config_and_context_are_plain_data(engine: Engine) -> None:
    """What LangGraph Server stores with a run must pickle; the Context resolves back to the same caller."""
    from langgraph.checkpoint.memory import InMemorySaver

    from agent.run_context import Context
    from agent.runner import AgentRunner

    maria = caller_by_email(engine, MARIA, channel="sms")
    runner = AgentRunner(engine, "local", checkpointer=InMemorySaver())
    context = Context.of(maria)
    assert pickle.loads(pickle.dumps(context)) == context
    assert pickle.loads(pickle.dumps(runner.config("sms:+15550000000", maria)))["configurable"] == {
        "thread_id": "sms:+15550000000"}
    assert context.caller(engine) == maria
    assert Context(email=MARIA.upper(), channel="sms").caller(engine) == maria
    with pytest.raises(ValueError, match="names no user"):
        Context().caller(engine)
