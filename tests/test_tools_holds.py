"""list_holds and cancel_hold on the seeded store: what holders and stock managers see, releasing units exactly
once (also under racing cancels), expired and picked-up holds, and who may release whose hold."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, text

from tests.deal_helpers import stock_of, stock_row
from tests.tool_helpers import fails, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke, summarize_call
from tools.results import ToolFailure

SUMMIT_TECH = "derek.olson@summitvm.example"
SUMMIT_MANAGER = "linda.park@summitvm.example"


@pytest.fixture
def shelf(engine: Engine, maria: Caller) -> Iterator[tuple[uuid.UUID, str]]:
    """Five units of a test part at a Summit warehouse; its holds and the row go afterwards."""
    item, number = stock_row(engine, maria, 5, prefix="PPH")
    yield item, number
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM stock_holds WHERE inventory_item_id = :id"), {"id": item})
        conn.execute(text("DELETE FROM inventory_items WHERE id = :id"), {"id": item})


def _hold(engine: Engine, caller: Caller, item: uuid.UUID, quantity: int) -> uuid.UUID:
    out = ok(invoke(engine, caller, "request_emergency_pickup", {"inventory_item_id": str(item), "quantity": quantity},
                    idempotency_key=key()))
    return out.hold_id


def _hold_row(engine: Engine, hold: uuid.UUID):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(text("SELECT status, released_at, released_by_id FROM stock_holds WHERE id = :id"),
                            {"id": hold}).one()


def _ids(out) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    return [h.hold_id for h in out.holds]


def test_list_holds_shows_own_holds_and_managers_see_the_organization(
        engine: Engine, maria: Caller, shelf: tuple[uuid.UUID, str]) -> None:
    item, number = shelf
    derek, linda = caller_by_email(engine, SUMMIT_TECH), caller_by_email(engine, SUMMIT_MANAGER)
    mine, his = _hold(engine, maria, item, 2), _hold(engine, derek, item, 1)
    listed = ok(invoke(engine, maria, "list_holds", {"part_number": number}))
    assert _ids(listed) == [mine] and listed.total == 1
    view = listed.holds[0]
    assert view.status == "active" and view.quantity == 2 and view.part_number == number and view.is_yours
    assert len(view.pickup_code) == 6 and view.location_name and view.organization_name == maria.organization_name
    assert view.minutes_left is not None and 230 <= view.minutes_left <= 240
    assert _ids(ok(invoke(engine, derek, "list_holds", {"part_number": number}))) == [his]
    fails(invoke(engine, derek, "list_holds", {"scope": "organization"}), "forbidden")
    org = ok(invoke(engine, linda, "list_holds", {"scope": "organization", "part_number": number}))
    assert set(_ids(org)) == {mine, his} and not any(h.is_yours for h in org.holds)
    rival = member(engine, "Rival Lift & Climate", selling=True)
    assert ok(invoke(engine, rival, "list_holds", {"scope": "organization", "part_number": number})).holds == []


def test_cancel_hold_releases_units_exactly_once(engine: Engine, maria: Caller, shelf: tuple[uuid.UUID, str]) -> None:
    item, number = shelf
    derek = caller_by_email(engine, SUMMIT_TECH)
    mine, his = _hold(engine, maria, item, 2), _hold(engine, derek, item, 1)
    assert stock_of(engine, item) == (5, 3)
    args = {"hold_id": str(mine)}
    summary = summarize_call(engine, maria, "cancel_hold", args)
    assert summary.startswith(f"Release your hold on 2 × {number} at ") and "(code " in summary
    assert summarize_call(engine, caller_by_email(engine, SUMMIT_MANAGER), "cancel_hold", args).startswith(
        f"Release {maria.name}'s hold on 2 × {number}")
    fails(invoke(engine, derek, "cancel_hold", args, idempotency_key=key()), "forbidden")
    fails(invoke(engine, member(engine, "Rival Lift & Climate", selling=True), "cancel_hold", args,
                 idempotency_key=key()), "not_found")
    fails(invoke(engine, maria, "cancel_hold", {"hold_id": str(uuid.uuid4())}, idempotency_key=key()), "not_found")
    assert stock_of(engine, item) == (5, 3)

    first_key = key()
    out = ok(invoke(engine, maria, "cancel_hold", args, idempotency_key=first_key))
    assert out.released_now and out.quantity_returned == 2 and out.quantity_available_now == 4
    assert out.hold.status == "released" and out.hold.released_by == maria.name
    assert stock_of(engine, item) == (5, 1)
    row = _hold_row(engine, mine)
    assert row.status == "released" and row.released_at is not None and row.released_by_id == maria.user_id
    again = ok(invoke(engine, maria, "cancel_hold", args, idempotency_key=first_key))
    assert again == out
    repeat = ok(invoke(engine, maria, "cancel_hold", args, idempotency_key=key()))
    assert not repeat.released_now and repeat.quantity_returned == 0 and "already released" in repeat.message
    assert stock_of(engine, item) == (5, 1)
    assert mine not in _ids(ok(invoke(engine, maria, "list_holds", {"part_number": number})))
    assert _ids(ok(invoke(engine, maria, "list_holds", {"part_number": number, "status": "released"}))) == [mine]

    linda = caller_by_email(engine, SUMMIT_MANAGER)
    freed = ok(invoke(engine, linda, "cancel_hold", {"hold_id": str(his)}, idempotency_key=key()))
    assert freed.released_now and freed.hold.released_by == linda.name and not freed.hold.is_yours
    assert stock_of(engine, item) == (5, 0) and _hold_row(engine, his).released_by_id == linda.user_id


def test_expired_and_picked_up_holds(engine: Engine, maria: Caller, shelf: tuple[uuid.UUID, str]) -> None:
    item, number = shelf
    late, taken = _hold(engine, maria, item, 1), _hold(engine, maria, item, 2)
    with engine.begin() as conn:
        conn.execute(text("UPDATE stock_holds SET expires_at = now() - interval '1 minute' WHERE id = :id"),
                     {"id": late})
        conn.execute(text("UPDATE stock_holds SET status = 'picked_up' WHERE id = :id"), {"id": taken})
    assert _ids(ok(invoke(engine, maria, "list_holds", {"part_number": number}))) == []
    expired = ok(invoke(engine, maria, "list_holds", {"part_number": number, "status": "expired"})).holds
    assert [h.hold_id for h in expired] == [late] and expired[0].minutes_left is None
    history = ok(invoke(engine, maria, "list_holds", {"part_number": number, "status": "any"}))
    assert {h.hold_id: h.status for h in history.holds} == {late: "expired", taken: "picked_up"}
    assert stock_of(engine, item) == (5, 3)
    out = ok(invoke(engine, maria, "cancel_hold", {"hold_id": str(late)}, idempotency_key=key()))
    assert out.quantity_returned == 1 and out.hold.status == "expired" and "expired" in out.message
    assert stock_of(engine, item) == (5, 2) and _hold_row(engine, late).status == "expired"
    fails(invoke(engine, maria, "cancel_hold", {"hold_id": str(taken)}, idempotency_key=key()), "conflict")
    assert stock_of(engine, item) == (5, 2)


def test_racing_cancels_release_once(engine: Engine, maria: Caller, shelf: tuple[uuid.UUID, str]) -> None:
    item, _ = shelf
    hold, _other = _hold(engine, maria, item, 2), _hold(engine, maria, item, 1)

    def cancel(_: int):  # type: ignore[no-untyped-def]
        return invoke(engine, maria, "cancel_hold", {"hold_id": str(hold)}, idempotency_key=key())

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(cancel, range(6)))
    assert not any(isinstance(r, ToolFailure) for r in results)
    assert sorted(r.quantity_returned for r in results) == [0, 0, 0, 0, 0, 2]
    assert stock_of(engine, item) == (5, 1)
