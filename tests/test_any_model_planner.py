"""Any model as the planner (`provider:model` through init_chat_model), driven through the REAL langchain-openai /
openai and langchain-ollama / ollama clients against loopback fakes of the OpenAI Chat Completions API and
Ollama's /api/chat (and `anthropic:` against the Messages API fake): tool use, streaming, a WRITE's confirmation,
photos, outages, and `partpilot eval`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import Engine, text

from agent.events import TextDelta, TurnFinished
from agent.planners.any_model import any_model_planner, parse_model_spec
from agent.runner import AgentRunner, make_planner
from evals.nameplates import NameplateSpec, render_nameplate
from knowledge.settings import Settings, get_settings
from tests.fakes.chat_script import ScriptedServer, text_reply, tool_calls
from tests.fakes.ollama_server import FakeOllama
from tests.fakes.openai_server import FakeOpenAI
from tools.context import caller_by_email
from tools.photos.store import save_photo

pytestmark = pytest.mark.long_module(45)  # seconds, all its tests (tests/conftest.py orders by it)

TECH = "maria.gonzalez@summitvm.example"
REPO = Path(__file__).resolve().parent.parent
PROVIDERS = ["openai", "ollama"]


def _fake(provider: str, script: list[dict[str, Any]]) -> ScriptedServer:
    return FakeOpenAI(script) if provider == "openai" else FakeOllama(script)


def _settings(provider: str, url: str, timeout: float = 10.0) -> Settings:
    if provider == "openai":
        return Settings(openai_base_url=f"{url}/v1", openai_api_key="sk-test-key", planner_timeout_seconds=timeout)
    return Settings(ollama_base_url=url, planner_timeout_seconds=timeout)


def _runner(engine: Engine, provider: str, url: str, timeout: float = 10.0) -> AgentRunner:
    spec = "openai:fake-model" if provider == "openai" else "ollama:qwen2.5:7b"
    return AgentRunner(engine, any_model_planner(spec, _settings(provider, url, timeout)), checkpointer=InMemorySaver())


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now: connection refused


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_use_round_trip(engine: Engine, provider: str) -> None:
    script = [tool_calls("search_parts", {"query": "door operator gen2"}, "Let me look."),
              text_reply("GAA24350BH1 fits the Gen2.")]
    with _fake(provider, script) as fake:
        turn = _runner(engine, provider, fake.url).send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH),
                                                        "door operator gen2")
    assert turn.reply == "GAA24350BH1 fits the Gen2."
    assert [c.name for c in turn.tool_calls] == ["search_parts"]
    first, second = fake.requests
    assert first["model"] == ("fake-model" if provider == "openai" else "qwen2.5:7b")
    functions = {t["function"]["name"]: t for t in first["tools"] if t["type"] == "function"}
    assert {"search_parts", "submit_offer", "find_inventory"} <= set(functions)
    assert "query" in functions["search_parts"]["function"]["parameters"]["properties"]
    system = first["messages"][0]
    assert system["role"] == "system" and "never claim stock" in system["content"].lower()
    call, result = second["messages"][-2], second["messages"][-1]
    assert call["role"] == "assistant" and call["tool_calls"][0]["function"]["name"] == "search_parts"
    assert result["role"] == "tool" and '"results"' in result["content"]
    if provider == "openai":
        assert fake.api_key_seen(0) == "sk-test-key"  # type: ignore[attr-defined]
        assert json.loads(call["tool_calls"][0]["function"]["arguments"]) == {"query": "door operator gen2"}
        assert result["tool_call_id"] == call["tool_calls"][0]["id"]
        assert fake.streamed == [True, True]  # the agent streams: the tool call came as delta fragments
    else:
        assert call["tool_calls"][0]["function"]["arguments"] == {"query": "door operator gen2"}
        assert fake.paths == ["/api/chat", "/api/chat"] and fake.streamed == [True, True]


def test_openai_tokens_stream_through_the_runner(engine: Engine) -> None:
    answer = "The LCB II board GAA26800LC1 lists at $8,900 and fits the Gen2 controller."
    with FakeOpenAI([text_reply(answer)]) as fake:
        events = list(_runner(engine, "openai", fake.url).stream(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH),
                                                                 "what is GAA26800LC1?"))
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(deltas) >= 5 and "".join(deltas) == answer
    finished = events[-1]
    assert isinstance(finished, TurnFinished) and finished.result.reply == answer
    assert fake.requests[0]["stream"] is True


def test_ollama_non_streaming_answer(engine: Engine) -> None:
    with FakeOllama([text_reply("plain answer")]) as fake:
        reply = any_model_planner("ollama:llama3.2", _settings("ollama", fake.url)).invoke("hi", stream=False)
    assert reply.text == "plain answer" and fake.requests[0]["stream"] is False


@pytest.mark.parametrize("provider", PROVIDERS)
def test_write_tool_call_waits_for_confirmation_then_resumes(engine: Engine, provider: str) -> None:
    caller = caller_by_email(engine, TECH)
    note = f"any-model-{uuid.uuid4().hex[:8]}"
    with engine.connect() as conn:
        listing = str(conn.execute(text(
            "SELECT l.id FROM marketplace_listings l WHERE l.status = 'active' AND l.visibility = 'public' AND "
            "NOT EXISTS (SELECT 1 FROM saved_listings s WHERE s.listing_id = l.id AND s.user_id = :u) "
            "ORDER BY l.id LIMIT 1"), {"u": caller.user_id}).scalar_one())
    script = [tool_calls("watch_listing", {"listing_id": listing, "notes": note}), text_reply("You are watching it.")]
    thread = f"t-{uuid.uuid4()}"
    try:
        with _fake(provider, script) as fake:
            runner = _runner(engine, provider, fake.url)
            asked = runner.send(thread, caller, "watch that listing")
            assert asked.confirmation is not None and asked.confirmation.tool == "watch_listing"
            assert len(fake.requests) == 1 and asked.reply.endswith("(yes/no)")
            done = runner.resume(thread, caller, "yes")
        assert done.reply == "You are watching it." and done.confirmation is None
        assert [(c.name, c.type) for c in asked.tool_calls] == [("watch_listing", "WRITE")]
        assert '"watching":true' in fake.requests[1]["messages"][-1]["content"].replace(" ", "")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM saved_listings WHERE notes = :n"),
                                {"n": note}).scalar_one() == 1
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM saved_listings WHERE notes = :n"), {"n": note})


@pytest.mark.parametrize("provider", PROVIDERS)
def test_photo_reaches_the_model_in_its_format(engine: Engine, provider: str) -> None:
    caller = caller_by_email(engine, TECH)
    photo_id = save_photo(engine, caller, render_nameplate(NameplateSpec("Otis", "GAA24350BH1", "Door operator"),
                                                             seed=1))
    with _fake(provider, [text_reply("That label reads GAA24350BH1.")]) as fake:
        turn = _runner(engine, provider, fake.url).send(f"t-{uuid.uuid4()}", caller, "what is this?",
                                                        photo_ids=[photo_id])
    assert turn.reply.startswith("That label")
    user = fake.requests[0]["messages"][-1]
    if provider == "openai":
        urls = [p["image_url"]["url"] for p in user["content"] if p["type"] == "image_url"]
        assert len(urls) == 1 and urls[0].startswith("data:image/") and len(urls[0]) > 1000
        assert any(p["type"] == "text" and "what is this?" in p["text"] for p in user["content"])
    else:
        assert len(user["images"]) == 1 and len(user["images"][0]) > 1000 and "what is this?" in user["content"]


@pytest.mark.parametrize(("provider", "failure"), [("openai", 500), ("openai", 429), ("ollama", 500)])
def test_provider_errors_become_a_clear_reply(engine: Engine, provider: str, failure: int) -> None:
    with _fake(provider, [{"status": failure}, {"status": failure}]) as fake:
        turn = _runner(engine, provider, fake.url).send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH), "hi")
    assert "unavailable" in turn.reply and "Nothing was changed" in turn.reply
    assert fake.requests  # the real client did reach the server before giving up


@pytest.mark.parametrize("provider", PROVIDERS)
def test_provider_down_or_slow_becomes_a_clear_reply(engine: Engine, provider: str) -> None:
    caller = caller_by_email(engine, TECH)
    turn = _runner(engine, provider, _closed_port_url()).send(f"t-{uuid.uuid4()}", caller, "hi")
    assert "unavailable" in turn.reply and "Nothing was changed" in turn.reply
    with _fake(provider, [{"delay": 2}, {"delay": 2}]) as fake:
        turn = _runner(engine, provider, fake.url, timeout=0.4).send(f"t-{uuid.uuid4()}", caller, "hi")
    assert "timed out" in turn.reply


def test_planner_model_setting_and_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_MODEL", "openai:qwen2.5-coder")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    try:
        planner = make_planner()
        assert isinstance(planner, ChatOpenAI) and planner.model_name == "qwen2.5-coder"
        assert str(planner.openai_api_base) == "http://127.0.0.1:9/v1"
        for bad in ("mystery:model", "openai:", "nonsense"):
            with pytest.raises(ValueError, match="provider:model"):
                make_planner(bad)
    finally:  # settings read while the environment was patched must not outlive it (later tests use the app's)
        monkeypatch.undo()
        get_settings.cache_clear()
    assert parse_model_spec("ollama:qwen2.5:7b") == ("ollama", "qwen2.5:7b")
    with pytest.raises(RuntimeError, match="OPENAI_API_KEY"):
        any_model_planner("openai:gpt-4.1-mini", Settings(openai_api_key=None, openai_base_url=None))


def test_eval_cli_runs_with_an_openai_compatible_planner(engine: Engine, tmp_path: Path) -> None:
    """`partpilot eval --planner openai:fake-model` runs the eval task against the fake and scores it."""
    script = [tool_calls("lookup_part", {"part_number": "GAA26800LC1"}),
              text_reply("GAA26800LC1 is the Otis Logic control board (LCB II); list price $8,900.")]
    with FakeOpenAI(script) as fake:
        env = {**os.environ, "OPENAI_BASE_URL": f"{fake.url}/v1", "OPENAI_API_KEY": "sk-eval"}
        env.pop("PLANNER_MODEL", None)
        args = ["eval", "--planner", "openai:fake-model", "--suite", "number", "--task", "lookup_lcb_board",
                "--no-retrieval", "--out", str(tmp_path)]
        done = subprocess.run([sys.executable, "-m", "partpilot.cli", *args], capture_output=True, text=True,
                              env=env, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [(r["task"], r["planner"]) for r in rows] == [("lookup_lcb_board", "openai:fake-model")]
    assert rows[0]["reward"] == 1.0, rows[0]["failures"]
    assert json.loads((tmp_path / "summary.json").read_text())["planner"] == "openai:fake-model"
    assert [r["model"] for r in fake.requests] == ["fake-model", "fake-model"]
    bad = subprocess.run([sys.executable, "-m", "partpilot.cli", "eval", "--planner", "mystery:model",
                          "--out", str(tmp_path / "bad")], capture_output=True, text=True, env=env, cwd=REPO,
                         timeout=120)
    assert bad.returncode == 2 and "provider:model" in bad.stderr


def test_anthropic_spec_goes_through_init_chat_model(engine: Engine) -> None:
    """`anthropic:MODEL` is built by init_chat_model (not the dedicated Claude planner) and speaks the Messages API:
    the real anthropic client against the loopback fake, a tool round trip."""
    from tests.fakes.anthropic_server import FakeAnthropic, tool_use
    from tests.fakes.anthropic_server import text_reply as claude_text

    with FakeAnthropic([tool_use("search_parts", {"query": "door operator gen2"}, "Let me look."),
                        claude_text("GAA24350BH1 fits the Gen2.")]) as fake:
        settings = Settings(anthropic_api_key="sk-ant-test", anthropic_base_url=fake.url)
        runner = AgentRunner(engine, any_model_planner("anthropic:claude-any-model", settings),
                             checkpointer=InMemorySaver())
        turn = runner.send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH), "door operator gen2")
    assert turn.reply == "GAA24350BH1 fits the Gen2."
    assert [c.name for c in turn.tool_calls] == ["search_parts"]
    assert fake.requests[0]["model"] == "claude-any-model" and fake.api_key_seen(0) == "sk-ant-test"
    assert {t["name"] for t in fake.requests[0]["tools"]} >= {"search_parts", "submit_offer"}
