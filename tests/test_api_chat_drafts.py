"""The web chat sends the planner's draft as a `data-reply` part after the text it renders, and history
returns the same parts; a planner without drafts gets fair-price badges from its own assess_price calls.
The planner is scripted per message (no local planner involved)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from agent.reply_draft import ReplyDraft, internals_in
from agent.runner import AgentRunner
from channels.web.chat import runner_dependency
from partpilot.wiring import create_app
from tests.api_helpers import body, headers_for
from tests.draft_helpers import SELLERS
from tests.fakes.keyed_planner import KeyedPlanner, drafted
from tests.fakes.scripted_planner import call
from tests.test_api_chat import reply, stream
from tests.tool_helpers import MARIA

ASK, FAIR = "who sells GAA26800LC1?", "is $4650 fair for a refurbished GAA26800LC1?"
QUOTE = {"part_number": "GAA26800LC1", "condition": "refurbished", "price": 4650}


@pytest.fixture(scope="module")
def client(engine: Engine) -> Iterator[TestClient]:
    from langchain_core.messages import AIMessage

    planner = KeyedPlanner(steps={ASK: [drafted(SELLERS)], FAIR: [
        call("assess_price", QUOTE, f"call-{uuid.uuid4().hex[:8]}"), AIMessage(content="That is about the market.")]})
    runner = AgentRunner(engine, planner=planner)
    app = create_app()
    app.dependency_overrides[runner_dependency] = lambda: runner
    yield TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def maria(engine: Engine) -> dict[str, str]:
    return headers_for(engine, MARIA)


def test_the_draft_follows_the_text_it_renders_live_and_in_history(client: TestClient,
                                                                   maria: dict[str, str]) -> None:
    thread = str(uuid.uuid4())
    chunks = stream(client.post(f"/api/v1/chat/{thread}", headers=maria, json={"message": ASK}))
    assert reply(chunks) == SELLERS.plain_text()  # the text still streams, as neutral plain text
    types = [c["type"] for c in chunks]
    assert types[-3:] == ["text-end", "data-reply", "finish"]
    assert ReplyDraft.model_validate(chunks[-2]["data"]) == SELLERS
    assert not re.search(r"reply \d", str(chunks), re.IGNORECASE) and internals_in(reply(chunks)) == []

    _, assistant = body(client.get(f"/api/v1/chat/{thread}", headers=maria))["messages"]
    assert [p["type"] for p in assistant["parts"]] == ["text", "data-reply"]
    assert assistant["parts"][0]["text"] == SELLERS.plain_text()
    assert assistant["parts"][1]["data"] == chunks[-2]["data"]


def test_without_a_draft_badges_come_from_the_planners_price_check(client: TestClient,
                                                                   maria: dict[str, str]) -> None:
    thread = str(uuid.uuid4())
    chunks = stream(client.post(f"/api/v1/chat/{thread}", headers=maria, json={"message": FAIR}))
    assert "data-reply" not in [c["type"] for c in chunks]
    output = next(c["output"] for c in chunks if c["type"] == "tool-output-available")
    price = [c for c in chunks if c["type"] == "data-price"]
    assert len(price) == 1 and output["verdict"] not in (None, "unknown")
    badge: dict[str, Any] = price[0]["data"]
    assert (badge["partNumber"], badge["condition"], badge["verdict"], badge["label"]) == (
        "GAA26800LC1", "refurbished", output["verdict"], output["label"])
    _, assistant = body(client.get(f"/api/v1/chat/{thread}", headers=maria))["messages"]
    assert [p["data"] for p in assistant["parts"] if p["type"] == "data-price"] == [badge]
