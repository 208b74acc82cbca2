"""The REST routes added so that every tool has one: where a part is fastest (find_inventory), holding one of
those options for pickup (request_emergency_pickup), whether a part fits (check_compatibility) and the units at
our customers' sites (find_installed_equipment) — with the same visibility rules as in chat."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api_helpers import body, error, headers_for
from tests.tool_helpers import MARIA, OUTSIDER
from tools.context import caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure


def test_sourcing_ranks_places_fastest_first_and_hides_other_internal_stock(client: TestClient,
                                                                            engine: Engine) -> None:
    found = body(client.get("/api/v1/parts/sourcing", params={"part_number": "GAA24350BH1", "quantity": 1},
                            headers=headers_for(engine, MARIA)))
    options = found["options"]
    assert found["part_number"] == "GAA24350BH1" and len(options) >= 3
    assert [o["rank"] for o in options] == list(range(1, len(options) + 1))
    assert options[0]["source_type"] == "own_truck"
    assert all(o["organization_name"] != "Rival Lift & Climate" for o in options)  # it has 2, kept internal
    assert {s["relation"] for s in found["searched"]} >= {"requested", "older"}  # the supersession chain
    assert error(client.get("/api/v1/parts/sourcing", params={"quantity": 0},
                            headers=headers_for(engine, MARIA)), 422)


def test_an_option_found_can_be_held_once_per_idempotency_key(client: TestClient, engine: Engine) -> None:
    headers = headers_for(engine, MARIA)
    options = body(client.get("/api/v1/parts/sourcing", params={"part_number": "GAA24350BH1"},
                              headers=headers))["options"]
    own = next(o for o in options if o["source_type"] == "own_warehouse" and o["quantity_available"] >= 1)
    hold_key = {**headers, "Idempotency-Key": f"test-{uuid.uuid4()}"}
    request = {"inventory_item_id": own["inventory_item_id"], "quantity": 1, "hold_hours": 2}
    first = body(client.post("/api/v1/parts/inventory/holds", json=request, headers=hold_key), 201)
    again = body(client.post("/api/v1/parts/inventory/holds", json=request, headers=hold_key), 201)
    try:
        assert first["hold_id"] == again["hold_id"] and first["pickup_code"] and first["quantity"] == 1
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM stock_holds WHERE id = :id"),
                                {"id": first["hold_id"]}).scalar_one() == 1
        listed = body(client.get("/api/v1/parts/inventory/holds", headers=headers))["items"]
        assert first["hold_id"] in {h["hold_id"] for h in listed}
        error(client.post("/api/v1/parts/inventory/holds", json={**request, "quantity": 0}, headers=hold_key), 422)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM stock_holds WHERE id = :id"), {"id": first["hold_id"]})


def test_compatibility_answers_with_a_verdict_and_its_evidence(client: TestClient, engine: Engine) -> None:
    answer = body(client.get("/api/v1/parts/catalog/compatibility", params={
        "part_number": "GAA24350BH1", "equipment_manufacturer": "Otis", "equipment_model": "Gen2"},
        headers=headers_for(engine, MARIA)))
    assert answer["verdict"] == "compatible" and answer["confidence"] >= 0.9 and answer["part_number"] == "GAA24350BH1"
    missing = client.get("/api/v1/parts/catalog/compatibility", params={"equipment_model": "Gen2"},
                         headers=headers_for(engine, MARIA))
    assert missing.status_code in (404, 422) and missing.json()["message"]


def test_installed_equipment_is_only_our_customers(client: TestClient, engine: Engine) -> None:
    ours = body(client.get("/api/v1/equipment", params={"site": "brown palace"},
                           headers=headers_for(engine, MARIA)))
    assert ours["total"] >= 1 and ours["sites"] == ["Brown Palace Hotel"]
    assert all(u["site_name"] == "Brown Palace Hotel" for u in ours["units"])
    theirs = body(client.get("/api/v1/equipment", params={"site": "brown palace"},
                             headers=headers_for(engine, OUTSIDER)))
    assert theirs["total"] == 0 and theirs["units"] == []


def test_text_with_a_nul_is_refused_as_invalid_by_every_tool(client: TestClient, engine: Engine) -> None:
    headers = headers_for(engine, MARIA)
    for path, params in (("/api/v1/equipment", {"equipment_type": "\x00"}),
                         ("/api/v1/parts/sourcing", {"part_number": "GAA\x0024350BH1"}),
                         ("/api/v1/parts/catalog/compatibility", {"part_number": "x", "equipment_model": "\x00"})):
        refused = error(client.get(path, params=params, headers=headers), 422, "invalid")
        assert "NUL" in refused["message"], path
    maria = caller_by_email(engine, MARIA)
    failure = invoke(engine, maria, "search_parts", {"query": "door\x00operator"})
    assert isinstance(failure, ToolFailure) and failure.error == "invalid"
