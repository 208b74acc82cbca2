"""The Claude planner through the real anthropic / langchain-anthropic clients against a loopback fake
of the Messages API: tool use, image blocks, and errors/timeouts turning into a clear reply."""

from __future__ import annotations

import uuid

from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import Engine, text

from agent.planners.claude import claude_planner
from agent.runner import AgentRunner
from evals.nameplates import NameplateSpec, render_nameplate
from knowledge.settings import Settings
from tests.fakes.anthropic_server import FakeAnthropic, text_reply, tool_use
from tools.context import caller_by_email
from tools.photos.store import save_photo

TECH = "maria.gonzalez@summitvm.example"


def _runner(engine: Engine, fake: FakeAnthropic, timeout: float = 10.0) -> AgentRunner:
    settings = Settings(anthropic_api_key="sk-test-key", anthropic_base_url=fake.url,
                        anthropic_model="claude-test-model", anthropic_timeout_seconds=timeout)
    return AgentRunner(engine, claude_planner(settings), checkpointer=InMemorySaver())


def test_tool_use_round_trip(engine: Engine) -> None:
    with FakeAnthropic([tool_use("search_parts", {"query": "door operator gen2"}, "Let me look."),
                        text_reply("GAA24350BH1 fits the Gen2.")]) as fake:
        turn = _runner(engine, fake).send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH), "door operator gen2")
    assert turn.reply == "GAA24350BH1 fits the Gen2."
    assert [c.name for c in turn.tool_calls] == ["search_parts"]
    first, second = fake.requests
    assert first["model"] == "claude-test-model"
    assert {t["name"] for t in first["tools"]} >= {"search_parts", "submit_offer", "find_inventory"}
    assert "never claim stock" in str(first["system"]).lower()
    assert fake.api_key_seen(0) == "sk-test-key" and "anthropic-version" in fake.headers[0]
    results = [b for m in second["messages"] for b in (m["content"] if isinstance(m["content"], list) else [])
               if isinstance(b, dict) and b.get("type") == "tool_result"]
    assert results and '"results"' in str(results[0]["content"])


def test_write_tool_from_claude_still_needs_confirmation(engine: Engine) -> None:
    with engine.connect() as conn:
        listing = str(conn.execute(text(
            "SELECT id FROM marketplace_listings WHERE status = 'active' AND visibility = 'public' "
            "ORDER BY id DESC LIMIT 1")).scalar_one())
    with FakeAnthropic([tool_use("watch_listing", {"listing_id": listing})]) as fake:
        turn = _runner(engine, fake).send(f"t-{uuid.uuid4()}", caller_by_email(engine, TECH), "watch it")
    assert turn.confirmation is not None and turn.confirmation.tool == "watch_listing"


def test_photo_is_sent_as_image_block(engine: Engine) -> None:
    caller = caller_by_email(engine, TECH)
    photo = render_nameplate(NameplateSpec("Otis", "GAA24350BH1", "Door operator"), seed=1)
    photo_id = save_photo(engine, caller, photo)
    with FakeAnthropic([text_reply("That label reads GAA24350BH1.")]) as fake:
        turn = _runner(engine, fake).send(f"t-{uuid.uuid4()}", caller, "what is this?", photo_ids=[photo_id])
    assert turn.reply.startswith("That label")
    blocks = fake.requests[0]["messages"][-1]["content"]
    images = [b for b in blocks if b.get("type") == "image"]
    assert images and images[0]["source"]["type"] == "base64" and len(images[0]["source"]["data"]) > 1000


def test_api_error_and_timeout_become_clear_replies(engine: Engine) -> None:
    caller = caller_by_email(engine, TECH)
    with FakeAnthropic([{"status": 529}, {"status": 529}]) as fake:
        turn = _runner(engine, fake).send(f"t-{uuid.uuid4()}", caller, "hello")
    assert "unavailable" in turn.reply and "Nothing was changed" in turn.reply
    with FakeAnthropic([{"delay": 3}, {"delay": 3}]) as fake:
        turn = _runner(engine, fake, timeout=0.5).send(f"t-{uuid.uuid4()}", caller, "hello")
    assert "timed out" in turn.reply
