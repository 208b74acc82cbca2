"""REST stock holds (list, cancel) and accepting a wanted-post answer, end to end over HTTP with the 403 / 404 /
409 / 422 answers for the wrong caller, a repeat or bad input."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api_helpers import body, error, headers_for
from tests.deal_helpers import stock_of, stock_row
from tests.tool_helpers import MARIA, OUTSIDER, SELLER, key, ok
from tools.context import caller_by_email
from tools.registry import invoke

HOLDS = "/api/v1/parts/inventory/holds"
WANTED = "/api/v1/marketplace/wanted"
SUMMIT_TECH = "derek.olson@summitvm.example"


@pytest.fixture
def held(engine: Engine) -> Iterator[tuple[uuid.UUID, uuid.UUID, str]]:
    """Maria's active hold on 2 of 4 units at a Summit warehouse: (hold, item, part number)."""
    maria = caller_by_email(engine, MARIA)
    item, number = stock_row(engine, maria, 4, prefix="PPH")
    hold = ok(invoke(engine, maria, "request_emergency_pickup", {"inventory_item_id": str(item), "quantity": 2},
                     idempotency_key=key())).hold_id
    yield hold, item, number
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM stock_holds WHERE inventory_item_id = :id"), {"id": item})
        conn.execute(text("DELETE FROM inventory_items WHERE id = :id"), {"id": item})


def test_list_and_cancel_a_hold(client: TestClient, engine: Engine, held: tuple[uuid.UUID, uuid.UUID, str]) -> None:
    hold, item, number = held
    tech = headers_for(engine, MARIA)
    page = body(client.get(HOLDS, params={"part_number": number}, headers=tech))
    assert [h["hold_id"] for h in page["items"]] == [str(hold)] and page["total"] == 1 and not page["has_more"]
    assert page["items"][0]["status"] == "active" and len(page["items"][0]["pickup_code"]) == 6
    error(client.get(HOLDS, params={"scope": "organization"}, headers=headers_for(engine, SUMMIT_TECH)), 403,
          "forbidden")
    error(client.get(HOLDS, params={"status": "lost"}, headers=tech), 422, "invalid")
    error(client.post(f"{HOLDS}/{hold}/cancel", headers=headers_for(engine, SUMMIT_TECH)), 403, "forbidden")
    error(client.post(f"{HOLDS}/{hold}/cancel", headers=headers_for(engine, OUTSIDER)), 404, "not_found")
    assert stock_of(engine, item) == (4, 2)
    once = {**tech, "Idempotency-Key": f"cancel-{uuid.uuid4()}"}
    out = body(client.post(f"{HOLDS}/{hold}/cancel", headers=once))
    assert out["released_now"] and out["quantity_returned"] == 2 and out["hold"]["status"] == "released"
    assert body(client.post(f"{HOLDS}/{hold}/cancel", headers=once)) == out
    assert stock_of(engine, item) == (4, 0)
    released = body(client.get(HOLDS, params={"part_number": number, "status": "released"}, headers=tech))
    assert [h["hold_id"] for h in released["items"]] == [str(hold)]


def test_accept_a_wanted_answer(client: TestClient, engine: Engine) -> None:
    maria, seller = caller_by_email(engine, MARIA), caller_by_email(engine, SELLER)
    post = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "Test relay for a panel", "part_number": f"PPA-{uuid.uuid4().hex[:8]}", "manufacturer": "Testco",
        "category": "electrical_relay", "quantity_needed": 2, "visibility": "public"}, idempotency_key=key())).post
    answer = body(client.post(f"{WANTED}/{post.id}/respond", json={"condition": "used_good", "price": "75"},
                              headers=headers_for(engine, seller)), 201)["response"]
    url = f"{WANTED}/{post.id}/responses/{answer['id']}/accept"
    tech = headers_for(engine, maria)
    error(client.post(url, headers=headers_for(engine, OUTSIDER)), 404, "not_found")
    error(client.post(url, headers=headers_for(engine, seller)), 403, "forbidden")
    error(client.post(f"{WANTED}/{uuid.uuid4()}/responses/{answer['id']}/accept", headers=tech), 404, "not_found")
    error(client.post(url, json={"quantity": 0}, headers=tech), 422, "invalid")
    deal = body(client.post(url, json={"delivery_address": "1 Test St, Denver CO"}, headers=tech))
    tx = deal["transaction"]
    assert deal["post_status"] == "fulfilled" and deal["response"]["status"] == "accepted"
    assert tx["total"] == "150.00" and tx["fulfillment_type"] == "shipping"
    seen = body(client.get(f"/api/v1/marketplace/transactions/{tx['id']}", headers=headers_for(engine, seller)))
    assert seen["role"] == "seller" and seen["shipping_address"] == "1 Test St, Denver CO"
    error(client.post(url, headers=tech), 409, "conflict")
