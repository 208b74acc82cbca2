"""Stock tools: list (filters, paging), low stock, add / update, adjust with a reason, transfer — each
asserting the DB change and the movement log — and who may do what."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, text

from tests.deal_helpers import stock_of, stock_row
from tests.tool_helpers import fails, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke

SUMMIT = "Summit Vertical & Mechanical"


@pytest.fixture(scope="module")
def manager(engine: Engine) -> Caller:
    return caller_by_email(engine, "linda.park@summitvm.example")


def locations(engine: Engine, org: Caller) -> dict[str, uuid.UUID]:
    with engine.connect() as conn:
        return {r.name: r.id for r in conn.execute(text(
            "SELECT name, id FROM stock_locations WHERE organization_id = :o AND is_active"),
            {"o": org.organization_id})}


def movements(engine: Engine, item: uuid.UUID) -> list[tuple[int, int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT quantity_change, quantity_after, reason FROM inventory_movements WHERE inventory_item_id = :i "
            "ORDER BY created_at, id"), {"i": item})]


def test_list_stock_is_own_org_only_with_filters(engine: Engine, maria: Caller, metro: Caller) -> None:
    page = ok(invoke(engine, maria, "list_stock", {"limit": 5}))
    assert page.total > 100 and len(page.items) == 5
    with engine.connect() as conn:
        own = conn.execute(text("SELECT count(*) FROM inventory_items WHERE organization_id = :o"),
                           {"o": maria.organization_id}).scalar_one()
    assert page.total == own
    second = ok(invoke(engine, maria, "list_stock", {"limit": 5, "offset": 5}))
    assert not {i.id for i in page.items} & {i.id for i in second.items}
    truck = locations(engine, maria)["Truck 01 (Maria)"]
    on_truck = ok(invoke(engine, maria, "list_stock", {"location_id": str(truck), "limit": 100}))
    assert on_truck.items and all(i.stock_location_id == truck for i in on_truck.items)
    low = ok(invoke(engine, maria, "list_stock", {"low_stock": True, "limit": 100}))
    assert low.items and all(i.below_reorder_point for i in low.items)
    hvac = ok(invoke(engine, maria, "list_stock", {"category": "hvac_compressor", "limit": 100}))
    assert all(i.category == "hvac_compressor" for i in hvac.items)
    item, number = stock_row(engine, metro, 3)
    mine = ok(invoke(engine, maria, "list_stock", {"part_number": number.lower()}))
    assert mine.total == 0  # another organization's stock never shows
    assert ok(invoke(engine, metro, "list_stock", {"part_number": number.lower()})).items[0].id == item


def test_low_stock_alerts(engine: Engine, maria: Caller) -> None:
    alerts = ok(invoke(engine, maria, "low_stock", {"limit": 200})).alerts
    assert alerts and all(a.item.quantity_available <= (a.item.reorder_point or 0) for a in alerts)
    shortfalls = [a.shortfall for a in alerts]
    assert shortfalls == sorted(shortfalls, reverse=True)
    assert all(a.suggested_order_quantity >= 0 for a in alerts)


def test_add_update_and_roles(engine: Engine, maria: Caller, manager: Caller) -> None:
    warehouse = locations(engine, manager)["Summit Main Warehouse"]
    args = {"part_number": f"PPS-{uuid.uuid4().hex[:6]}", "manufacturer": "Testco", "name": "Test sensor",
            "stock_location_id": str(warehouse), "quantity_on_hand": 4, "reorder_point": 2}
    fails(invoke(engine, maria, "add_stock_item", args, idempotency_key=key()), "forbidden")
    fails(invoke(engine, manager, "add_stock_item", {**args, "manufacturer": None}, idempotency_key=key()),
          "invalid")
    metro_loc = next(iter(locations(engine, member(engine, "Metro Salvage & Surplus")).values()))
    fails(invoke(engine, manager, "add_stock_item", {**args, "stock_location_id": str(metro_loc)},
                 idempotency_key=key()), "not_found")
    added = ok(invoke(engine, manager, "add_stock_item", args, idempotency_key=key())).item
    assert added.quantity_on_hand == 4 and added.location_name == "Summit Main Warehouse"
    assert movements(engine, added.id) == [(4, 4, "received")]
    updated = ok(invoke(engine, manager, "update_stock_item", {"item_id": str(added.id), "list_price": "55",
                                                               "available_for_sale": True}, idempotency_key=key()))
    assert updated.item.list_price == 55 and updated.item.available_for_sale
    fails(invoke(engine, manager, "update_stock_item", {"item_id": str(added.id)}, idempotency_key=key()), "invalid")
    fails(invoke(engine, maria, "update_stock_item", {"item_id": str(added.id), "bin_location": "A1"},
                 idempotency_key=key()), "forbidden")


def test_adjust_with_reason(engine: Engine, maria: Caller, manager: Caller, metro: Caller) -> None:
    item, _ = stock_row(engine, manager, 5)
    out = ok(invoke(engine, manager, "adjust_stock", {"item_id": str(item), "quantity_change": -2,
                                                      "reason": "damaged", "note": "dropped"}, idempotency_key=key()))
    assert out.item.quantity_on_hand == 3 and movements(engine, item) == [(-2, 3, "damaged")]
    fails(invoke(engine, manager, "adjust_stock", {"item_id": str(item), "quantity_change": -9, "reason": "lost"},
                 idempotency_key=key()), "insufficient_stock")
    fails(invoke(engine, manager, "adjust_stock", {"item_id": str(item), "quantity_change": 0, "reason": "lost"},
                 idempotency_key=key()), "invalid")
    fails(invoke(engine, manager, "adjust_stock", {"item_id": str(item), "quantity_change": 1, "reason": "gift"},
                 idempotency_key=key()), "invalid")
    # A technician adjusts the stock on their own truck only.
    fails(invoke(engine, maria, "adjust_stock", {"item_id": str(item), "quantity_change": -1,
                                                 "reason": "used_on_job"}, idempotency_key=key()), "forbidden")
    fails(invoke(engine, metro, "adjust_stock", {"item_id": str(item), "quantity_change": -1,
                                                 "reason": "used_on_job"}, idempotency_key=key()), "not_found")
    truck = locations(engine, maria)["Truck 01 (Maria)"]
    on_truck = ok(invoke(engine, maria, "list_stock", {"location_id": str(truck), "limit": 100})).items
    target = next(i for i in on_truck if i.quantity_available > 0)
    used = ok(invoke(engine, maria, "adjust_stock", {"item_id": str(target.id), "quantity_change": -1,
                                                     "reason": "used_on_job", "note": "WO-1"}, idempotency_key=key()))
    assert used.item.quantity_on_hand == target.quantity_on_hand - 1


def test_transfer_moves_units_and_logs_both_legs(engine: Engine, manager: Caller) -> None:
    item, number = stock_row(engine, manager, 6)
    places = locations(engine, manager)
    truck = places["Truck 02 (Derek)"]
    moved = ok(invoke(engine, manager, "transfer_stock", {"item_id": str(item), "to_location_id": str(truck),
                                                          "quantity": 4, "note": "restock"}, idempotency_key=key()))
    assert moved.source.quantity_on_hand == 2 and moved.destination.quantity_on_hand == 4
    assert moved.destination.stock_location_id == truck and moved.destination.part_number == number
    again = ok(invoke(engine, manager, "transfer_stock", {"item_id": str(item), "to_location_id": str(truck),
                                                          "quantity": 1}, idempotency_key=key()))
    assert again.destination.id == moved.destination.id and again.destination.quantity_on_hand == 5
    assert movements(engine, moved.destination.id) == [(4, 4, "transfer_in"), (1, 5, "transfer_in")]
    assert stock_of(engine, item) == (1, 0)
    fails(invoke(engine, manager, "transfer_stock", {"item_id": str(item), "to_location_id": str(truck),
                                                     "quantity": 2}, idempotency_key=key()), "insufficient_stock")
    fails(invoke(engine, manager, "transfer_stock", {"item_id": str(item), "to_location_id": str(uuid.uuid4()),
                                                     "quantity": 1}, idempotency_key=key()), "not_found")


def test_list_stock_of_a_part_with_its_revisions(engine: Engine) -> None:
    """Asked with revisions, the stock of a part counts its older and newer revisions, each under its own number."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT u.email, newer.part_number AS asked, older.part_number AS held FROM part_supersessions s "
            "JOIN parts_catalog older ON older.id = s.old_part_id JOIN parts_catalog newer ON newer.id = s.new_part_id "
            "JOIN inventory_items i ON i.part_number = older.part_number JOIN users u ON u.organization_id = "
            "i.organization_id WHERE NOT EXISTS (SELECT 1 FROM inventory_items j WHERE j.organization_id = "
            "i.organization_id AND j.part_number = newer.part_number) ORDER BY older.part_number, u.email LIMIT 1"
        )).one()
    caller = caller_by_email(engine, row.email)
    assert ok(invoke(engine, caller, "list_stock", {"part_number": row.asked})).items == []
    both = ok(invoke(engine, caller, "list_stock", {"part_number": row.asked, "revisions": True})).items
    assert row.held in {i.part_number for i in both} and row.asked not in {i.part_number for i in both}
