"""REST inventory: own stock only, pages and filters, add / update / adjust / transfer with roles, 404 for other
organizations' stock, 422 for bad input, and Idempotency-Key."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api_helpers import body, error, headers_for
from tests.deal_helpers import stock_of, stock_row
from tools.context import Caller, caller_by_email

INVENTORY = "/api/v1/parts/inventory"
MANAGER = "linda.park@summitvm.example"


@pytest.fixture(scope="module")
def boss(engine: Engine) -> dict[str, str]:
    return headers_for(engine, MANAGER)


def warehouse(engine: Engine, org: Caller) -> uuid.UUID:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM stock_locations WHERE organization_id = :o AND location_type = "
                                 "'warehouse' ORDER BY name LIMIT 1"), {"o": org.organization_id}).scalar_one()


def test_list_pages_and_filters(client: TestClient, tech: dict[str, str], engine: Engine) -> None:
    first = body(client.get(INVENTORY, params={"page_size": 5}, headers=tech))
    second = body(client.get(INVENTORY, params={"page_size": 5, "page": 2}, headers=tech))
    assert first["total"] > 100 and first["has_more"] and len(first["items"]) == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    low = body(client.get(INVENTORY, params={"low_stock": True, "page_size": 100}, headers=tech))
    assert low["items"] and all(i["below_reorder_point"] for i in low["items"])
    alerts = body(client.get(f"{INVENTORY}/low-stock", params={"page_size": 2}, headers=tech))
    assert alerts["items"] and all(a["shortfall"] >= 0 for a in alerts["items"]) and alerts["total"] >= 1
    if alerts["total"] > 2:
        rest = body(client.get(f"{INVENTORY}/low-stock", params={"page_size": 2, "page": 2}, headers=tech))["items"]
        assert rest and not {a["item"]["id"] for a in rest} & {a["item"]["id"] for a in alerts["items"]}
    metro_item, number = stock_row(engine, caller_by_email(engine, "ray.kowalski@metrosalvage.example"), 2)
    assert body(client.get(INVENTORY, params={"part_number": number}, headers=tech))["total"] == 0
    error(client.patch(f"{INVENTORY}/{metro_item}", json={"bin_location": "X"}, headers=headers_for(
        engine, MANAGER)), 404, "not_found")
    error(client.get(INVENTORY, params={"category": "spaceship"}, headers=tech), 422)


def test_add_update_adjust_transfer(client: TestClient, engine: Engine, tech: dict[str, str],
                                    boss: dict[str, str]) -> None:
    manager = caller_by_email(engine, MANAGER)
    new = {"part_number": f"PPA-{uuid.uuid4().hex[:6]}", "manufacturer": "Testco", "name": "Test fuse",
           "stock_location_id": str(warehouse(engine, manager)), "quantity_on_hand": 6, "reorder_point": 2}
    error(client.post(INVENTORY, json=new, headers=tech), 403, "forbidden")
    payload = error(client.post(INVENTORY, json={**new, "quantity_on_hand": -1}, headers=boss), 422, "invalid")
    assert payload["detail"][0]["loc"] == ["body", "quantity_on_hand"]
    item = body(client.post(INVENTORY, json=new, headers=boss), 201)["item"]
    changed = body(client.patch(f"{INVENTORY}/{item['id']}", json={"bin_location": "B-7", "list_price": "12.50"},
                                headers=boss))["item"]
    assert changed["bin_location"] == "B-7" and changed["list_price"] == "12.50"
    adjust = {"quantity_change": -2, "reason": "damaged", "note": "water"}
    keyed = {**boss, "Idempotency-Key": f"adj-{uuid.uuid4()}"}
    once = body(client.post(f"{INVENTORY}/{item['id']}/adjust", json=adjust, headers=keyed))
    twice = body(client.post(f"{INVENTORY}/{item['id']}/adjust", json=adjust, headers=keyed))
    assert once == twice and stock_of(engine, uuid.UUID(item["id"])) == (4, 0)
    error(client.post(f"{INVENTORY}/{item['id']}/adjust", json={**adjust, "quantity_change": -3}, headers=keyed),
          409, "conflict")  # the same key for a different action
    error(client.post(f"{INVENTORY}/{item['id']}/adjust", json={**adjust, "quantity_change": -30}, headers=boss),
          409, "insufficient_stock")
    error(client.post(f"{INVENTORY}/{item['id']}/adjust", json={**adjust, "reason": "gift"}, headers=boss), 422)
    error(client.post(f"{INVENTORY}/{item['id']}/adjust", json=adjust, headers=tech), 403, "forbidden")
    with engine.connect() as conn:
        truck = conn.execute(text("SELECT id FROM stock_locations WHERE organization_id = :o AND location_type = "
                                  "'truck' ORDER BY name LIMIT 1"), {"o": manager.organization_id}).scalar_one()
    moved = body(client.post(f"{INVENTORY}/transfer", json={"item_id": item["id"], "to_location_id": str(truck),
                                                            "quantity": 3}, headers=boss))
    assert moved["source"]["quantity_on_hand"] == 1 and moved["destination"]["quantity_on_hand"] == 3
    error(client.post(f"{INVENTORY}/transfer", json={"item_id": item["id"], "to_location_id": str(truck),
                                                     "quantity": 3}, headers=tech), 403)
    error(client.post(f"{INVENTORY}/transfer", json={"item_id": str(uuid.uuid4()), "to_location_id": str(truck),
                                                     "quantity": 1}, headers=boss), 404)
