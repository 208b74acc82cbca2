"""find_inventory and request_emergency_pickup on the seeded store: ranking, tenancy, holds under concurrency."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, text

from tests.tool_helpers import fails, ok
from tools.context import Caller, caller_by_email, caller_by_id
from tools.registry import invoke, summarize_call
from tools.results import ToolFailure

pytestmark = pytest.mark.long_module(40)  # seconds, all its tests (tests/conftest.py orders by it)

SUMMIT_TECH = "derek.olson@summitvm.example"
RUN = uuid.uuid4().hex[:8]  # idempotency keys live on in tool_calls: keep each run's keys its own


def _find(engine: Engine, caller: Caller, **args: object):  # type: ignore[no-untyped-def]
    return ok(invoke(engine, caller, "find_inventory", args))


def test_own_truck_first_then_partner_then_market(engine: Engine, maria: Caller) -> None:
    out = _find(engine, maria, part_number="GAA24350BH1", max_results=50)
    first = out.options[0]
    assert first.source_type == "own_truck" and first.eta_hours == 0 and first.fulfillment == "on_your_truck"
    assert first.part_number == "GAA24350BH1" and "your own truck" in first.why
    assert [o.rank for o in out.options] == list(range(1, len(out.options) + 1))
    assert [o.eta_hours for o in out.options if o.covers_quantity] == sorted(
        o.eta_hours for o in out.options if o.covers_quantity)
    partner = [o for o in out.options if o.source_type == "partner"]
    assert any(o.organization_name == "Apex Elevator Services" and o.price is not None and o.distance_km
               and o.inventory_item_id for o in partner)
    assert all(o.organization_name not in ("Rival Lift & Climate", "Metro Salvage & Surplus")
               for o in out.options if o.inventory_item_id)
    # Suppliers offer it: their offers (branch stock, price, cut-off) replace the catalog's lead time.
    supplier = [o for o in out.options if o.supplier_offer_id]
    assert any(o.organization_name == "Keystone Parts Supply" and o.price_kind == "supplier_price" and o.authorized
               for o in supplier)
    assert not any(o.fulfillment == "order_new" for o in out.options)
    assert out.searched[0].relation == "requested"


def test_replacements_are_searched_and_labelled(engine: Engine, maria: Caller) -> None:
    out = _find(engine, maria, part_number="GAA26800LB1", max_results=50)
    relations = {s.part_number: s.relation for s in out.searched}
    assert relations["GAA26800LB1"] == "requested" and relations.get("GAA26800LC1") == "newer"
    replaced = [o for o in out.options if o.is_replacement]
    assert replaced and all(o.replacement_note and "Replacement" in o.why for o in replaced)


def test_emergency_prefers_same_day_and_origin_changes_distances(engine: Engine) -> None:
    derek = caller_by_email(engine, SUMMIT_TECH)
    calm = _find(engine, derek, part_number="GAA24350BH1", max_results=50)
    rush = _find(engine, derek, part_number="GAA24350BH1", emergency=True, max_results=50)
    same_day = [o.same_day for o in rush.options]
    assert same_day[0] and same_day == sorted(same_day, reverse=True)
    assert rush.emergency and rush.message
    far = _find(engine, derek, part_number="GAA24350BH1", lat=40.5853, lng=-105.0844, max_results=50)  # Fort Collins
    near = {o.inventory_item_id: o.distance_km for o in calm.options if o.inventory_item_id}
    assert any(o.distance_km and near.get(o.inventory_item_id) and o.distance_km > near[o.inventory_item_id] + 50
               for o in far.options if o.inventory_item_id)


def test_conditions_filter_and_errors(engine: Engine, maria: Caller) -> None:
    out = _find(engine, maria, part_number="GAA24350BH1", conditions=["new"], max_results=50)
    assert out.options and {o.condition for o in out.options} == {"new"}
    missing = invoke(engine, maria, "find_inventory", {"part_number": "NOPE-1234-ZZ"})
    fails(missing, "not_found")
    bad = invoke(engine, maria, "find_inventory", {"part_number": "GAA24350BH1", "lat": 39.7})
    fails(bad, "invalid")


def _visible_listing(row, caller: Caller, caller_trades: list[str]) -> bool:  # type: ignore[no-untyped-def]
    if row.status not in ("active", "reserved"):
        return False
    if row.visibility == "public":
        return True
    if row.visibility == "network":
        return row.organization_id in caller.partner_organization_ids
    if row.visibility == "industry":
        return row.trade is None or row.trade in caller_trades
    return False


def test_no_user_ever_sees_another_organizations_internal_stock(engine: Engine) -> None:
    with engine.connect() as conn:
        users = conn.execute(text("SELECT id FROM users WHERE is_active ORDER BY email")).scalars().all()
        # Parts stocked by many organizations, including internal-only stock somewhere.
        parts = conn.execute(text(
            "SELECT part_id FROM inventory_items WHERE part_id IS NOT NULL AND quantity_available > 0 "
            "GROUP BY part_id HAVING count(DISTINCT organization_id) >= 3 "
            "AND bool_or(NOT available_for_sale AND NOT available_for_trade) ORDER BY count(*) DESC, part_id "
            "LIMIT 8")).scalars().all()
        hero = conn.execute(text("SELECT id FROM parts_catalog WHERE part_number = 'GAA24350BH1'")).scalar_one()
        items = {r.id: r for r in conn.execute(text(
            "SELECT i.id, i.organization_id, i.part_id, i.available_for_sale, i.available_for_trade "
            "FROM inventory_items i JOIN stock_locations s ON s.id = i.stock_location_id "
            "WHERE i.quantity_available > 0 AND s.is_active"))}
        listings = {r.id: r for r in conn.execute(text(
            "SELECT id, organization_id, status, visibility, trade FROM marketplace_listings"))}
        org_trades = dict(conn.execute(text("SELECT id, trades FROM organizations")).all())
    assert len(users) >= 20 and len(parts) >= 5
    checked = hidden_exists = 0
    for user_id in users:
        caller = caller_by_id(engine, user_id)
        for part_id in [hero, *parts]:
            out = _find(engine, caller, part_id=str(part_id), max_results=50)
            for option in out.options:
                if option.inventory_item_id:
                    item = items[option.inventory_item_id]
                    own = item.organization_id == caller.organization_id
                    shared = item.organization_id in caller.partner_organization_ids and (
                        item.available_for_sale or item.available_for_trade)
                    assert own or shared, (caller.email, option)
                    checked += 1
                if option.listing_id:
                    listing = listings[option.listing_id]
                    assert listing.organization_id != caller.organization_id
                    assert _visible_listing(listing, caller, org_trades[caller.organization_id]), (caller.email, option)
            # Stock of this part the caller must not see (and, per the checks above, did not).
            hidden_exists += sum(1 for i in items.values() if i.part_id == part_id
                                 and i.organization_id != caller.organization_id
                                 and not (i.organization_id in caller.partner_organization_ids
                                          and (i.available_for_sale or i.available_for_trade)))
    assert checked > 100 and hidden_exists > len(users)


# ---- request_emergency_pickup ---------------------------------------------------------------------------

@pytest.fixture
def last_unit(engine: Engine) -> Iterator[dict]:
    """A one-unit item at a partner's (Apex) warehouse, offered for sale, and a hidden item at Rival."""
    ids = {"apex": uuid.uuid4(), "rival": uuid.uuid4(), "apex_internal": uuid.uuid4()}
    with engine.begin() as conn:
        part = conn.execute(text("SELECT id, part_number, manufacturer, name FROM parts_catalog "
                                 "WHERE part_number = 'GBA21230F1'")).one()
        for key, org, flag in (("apex", "Apex Warehouse", True), ("rival", "Rival Warehouse", True),
                               ("apex_internal", "Apex Warehouse", False)):
            loc = conn.execute(text("SELECT id, organization_id FROM stock_locations WHERE name = :n"),
                               {"n": org}).one()
            conn.execute(text(
                "INSERT INTO inventory_items (id, organization_id, part_id, part_number, manufacturer, name, "
                "stock_location_id, quantity_on_hand, quantity_reserved, condition, available_for_sale, list_price) "
                "VALUES (:id, :org, :p, :pn, :m, :n, :loc, 1, 0, 'new', :sale, 2000)"),
                {"id": ids[key], "org": loc.organization_id, "p": part.id, "pn": part.part_number,
                 "m": part.manufacturer, "n": part.name, "loc": loc.id, "sale": flag})
    yield ids
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM stock_holds WHERE inventory_item_id = ANY(:ids)"), {"ids": list(ids.values())})
        conn.execute(text("DELETE FROM inventory_items WHERE id = ANY(:ids)"), {"ids": list(ids.values())})


def _item_state(engine: Engine, item_id: uuid.UUID) -> tuple[int, int, int]:
    with engine.connect() as conn:
        reserved, available = conn.execute(text("SELECT quantity_reserved, quantity_available FROM inventory_items "
                                                "WHERE id = :id"), {"id": item_id}).one()
        holds = conn.execute(text("SELECT count(*) FROM stock_holds WHERE inventory_item_id = :id AND "
                                  "status = 'active'"), {"id": item_id}).scalar_one()
    return reserved, available, holds


def test_hold_reserves_stock_and_issues_a_code(engine: Engine, maria: Caller, last_unit: dict) -> None:
    item = last_unit["apex"]
    args = {"inventory_item_id": str(item), "quantity": 1}
    summary = summarize_call(engine, maria, "request_emergency_pickup", args)
    assert summary.startswith("Hold 1 × GBA21230F1 at Apex Elevator Services – Apex Warehouse (")
    assert summary.endswith("km) for pickup within 4 h?")
    out = invoke(engine, maria, "request_emergency_pickup", args, idempotency_key=f"hold-1-{RUN}")
    ok(out)
    assert len(out.pickup_code) == 6 and out.pickup_code.isalnum()
    assert out.organization_name == "Apex Elevator Services" and out.address and out.pickup_hours
    assert out.contact_phone and out.quantity_still_available == 0 and out.distance_km
    assert _item_state(engine, item) == (1, 0, 1)
    again = invoke(engine, maria, "request_emergency_pickup", args, idempotency_key=f"hold-1-{RUN}")
    assert ok(again).pickup_code == out.pickup_code
    assert _item_state(engine, item) == (1, 0, 1)
    empty = invoke(engine, maria, "request_emergency_pickup", args, idempotency_key=f"hold-2-{RUN}")
    fails(empty, "insufficient_stock")
    assert _item_state(engine, item) == (1, 0, 1)


def test_expired_holds_give_their_units_back(engine: Engine, maria: Caller, last_unit: dict) -> None:
    item = last_unit["apex"]
    args = {"inventory_item_id": str(item)}
    first = invoke(engine, maria, "request_emergency_pickup", args, idempotency_key=f"exp-1-{RUN}")
    ok(first)
    with engine.begin() as conn:
        conn.execute(text("UPDATE stock_holds SET expires_at = now() - interval '1 minute' WHERE id = :id"),
                     {"id": first.hold_id})
    second = invoke(engine, maria, "request_emergency_pickup", args, idempotency_key=f"exp-2-{RUN}")
    ok(second)
    assert _item_state(engine, item) == (1, 0, 1)


def test_cannot_hold_hidden_stock(engine: Engine, maria: Caller, last_unit: dict) -> None:
    for key in ("rival", "apex_internal"):
        out = invoke(engine, maria, "request_emergency_pickup", {"inventory_item_id": str(last_unit[key])},
                     idempotency_key=f"hidden-{key}-{RUN}")
        fails(out, "not_found")
        assert _item_state(engine, last_unit[key]) == (0, 1, 0)
    no_key = invoke(engine, maria, "request_emergency_pickup", {"inventory_item_id": str(last_unit["apex"])})
    fails(no_key, "invalid")


def test_ten_threads_race_for_the_last_unit(engine: Engine, last_unit: dict) -> None:
    item = last_unit["apex"]
    with engine.connect() as conn:
        summit_users = conn.execute(text(
            "SELECT u.id FROM users u JOIN organizations o ON o.id = u.organization_id "
            "WHERE o.slug IN ('summit', 'northline') ORDER BY u.email LIMIT 10")).scalars().all()
    callers = [caller_by_id(engine, uid) for uid in summit_users]

    def grab(i: int):  # type: ignore[no-untyped-def]
        return invoke(engine, callers[i % len(callers)], "request_emergency_pickup",
                      {"inventory_item_id": str(item)}, idempotency_key=f"race-{i}-{RUN}")

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(grab, range(10)))
    won = [r for r in results if not isinstance(r, ToolFailure)]
    lost = [r for r in results if isinstance(r, ToolFailure)]
    assert len(won) == 1 and len(lost) == 9
    assert {r.error for r in lost} == {"insufficient_stock"}
    assert _item_state(engine, item) == (1, 0, 1)
