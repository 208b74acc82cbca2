"""Nobody is asked to confirm a write the tool would refuse: an offer under the asking price of a fixed-price
listing is answered with the fixed price and no Confirm (the registry's precheck, run by the graph before its
confirmation), while an offer at the asking price is still confirmed first. Through the chat API."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage
from sqlalchemy import Engine, text

from agent.runner import AgentRunner
from channels.web.chat import runner_dependency
from channels.web.stream import parse_sse
from partpilot.wiring import create_app
from tests.api_helpers import headers_for
from tests.fakes.keyed_planner import KeyedPlanner
from tests.fakes.scripted_planner import call
from tests.tool_helpers import MARIA
from tools.context import caller_by_email
from tools.registry import precheck_call

LOW, ASKING = "offer $4500 for the Metro board", "offer their price for the Metro board"
FIXED = ("SELECT id, price FROM marketplace_listings WHERE part_number = 'GAA26800LC1' AND NOT price_negotiable "
         "AND status = 'active' AND organization_id = (SELECT id FROM organizations WHERE slug = 'metro')")


@pytest.fixture(scope="module")
def listing(engine: Engine) -> tuple[str, str]:
    with engine.connect() as conn:
        row = conn.execute(text(FIXED)).one()
    return str(row.id), str(row.price)


@pytest.fixture(scope="module")
def planner(listing: tuple[str, str]) -> KeyedPlanner:
    offer = {"listing_id": listing[0], "quantity": 1}
    return KeyedPlanner(steps={
        LOW: [call("submit_offer", {**offer, "offered_price": "4500"}, "call-low"),
              AIMessage(content="That listing's price is fixed.")],
        ASKING: [call("submit_offer", {**offer, "offered_price": listing[1]}, "call-asking"),
                 AIMessage(content="Offer sent.")],
    })


@pytest.fixture(scope="module")
def chat(engine: Engine, planner: KeyedPlanner) -> TestClient:
    app = create_app()
    runner = AgentRunner(engine, planner=planner)
    app.dependency_overrides[runner_dependency] = lambda: runner
    client = TestClient(app, raise_server_exceptions=False)
    client.headers.update(headers_for(engine, MARIA))
    return client


def turn(chat: TestClient, message: str) -> list[dict[str, Any]]:
    response = chat.post(f"/api/v1/chat/{uuid.uuid4()}", json={"message": message})
    assert response.status_code == 200, response.text
    return [f for f in parse_sse(response.text) if isinstance(f, dict)]


def offers(engine: Engine, listing_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM part_offers WHERE listing_id = :l"),
                                {"l": listing_id}).scalar_one())


def test_an_offer_under_a_fixed_price_gets_no_confirm(chat: TestClient, engine: Engine, planner: KeyedPlanner,
                                                      listing: tuple[str, str]) -> None:
    before = offers(engine, listing[0])
    chunks = turn(chat, LOW)
    assert not [c for c in chunks if c["type"] == "data-confirm"], "no Confirm for an offer the tool refuses"
    assert "fixed" in "".join(c.get("delta", "") for c in chunks if c["type"] == "text-delta")
    assert offers(engine, listing[0]) == before
    asking = turn(chat, ASKING)
    confirm = [c for c in asking if c["type"] == "data-confirm"]
    assert len(confirm) == 1 and "GAA26800LC1" in confirm[0]["data"]["summary"]
    assert offers(engine, listing[0]) == before  # asked, not yet written


def test_the_planner_hears_why(engine: Engine, listing: tuple[str, str]) -> None:
    maria = caller_by_email(engine, MARIA)
    refused = precheck_call(engine, maria, "submit_offer", {"listing_id": listing[0], "quantity": 1,
                                                            "offered_price": "4500"})
    assert refused is not None and refused.error == "rejected_input"
    assert "fixed" in refused.message and json.loads(refused.model_dump_json())["hint"].startswith("Buy it at")
    assert precheck_call(engine, maria, "submit_offer", {"listing_id": listing[0], "quantity": 1,
                                                         "offered_price": listing[1]}) is None
    assert precheck_call(engine, maria, "add_stock_item", {}) is None  # no precheck, nothing refused early
