"""Supplier catalogs: price breaks, the cut-off on the application clock, list_suppliers by tool and REST, and
supplier offers in find_inventory's ranking (importing catalogs: test_supplier_import.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from knowledge import clock
from tests.api_helpers import body, error, headers_for
from tests.supplier_helpers import csv_of
from tests.tool_helpers import OUTSIDER, SELLER, create_test_listing, fails, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke
from tools.suppliers.csv_import import import_supplier_csv
from tools.suppliers.cutoff import next_ship_day
from tools.suppliers.pricing import PriceBreak, PriceBreakSyntaxError, parse_price_breaks, price_for_quantity

REPO = Path(__file__).resolve().parent.parent
RUN = uuid.uuid4().hex[:6].upper()
DENVER = ZoneInfo("America/Denver")
APEX_TECH = "ben.carter@apexelevator.example"  # no partner of Keystone's: its shelf stock is not theirs to see
HEADER = "supplier,supplier_type,authorized,branch_code,branch_name,branch_city,cutoff_time,part_number,manufacturer," \
         "unit_price,price_breaks,stock_on_hand,lead_time_days,currency"


def _next_weekday(weekday: int, at: time) -> datetime:
    """The coming `weekday` (0 = Monday) at local Denver time `at`, at least a day ahead."""
    day = datetime.now(DENVER).date() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=DENVER)


def _clock_at(moment: datetime) -> Any:
    """The application clock moved so that now is `moment`."""
    return clock.moved_by(moment.astimezone(UTC) - datetime.now(UTC))



# ---- price breaks and cut-off --------------------------------------------------------------------------




def test_price_for_quantity_takes_the_deepest_break_reached() -> None:
    breaks = parse_price_breaks("50:89.50; 10:95.00")
    assert breaks == [PriceBreak(min_quantity=10, unit_price=Decimal("95.00")),
                      PriceBreak(min_quantity=50, unit_price=Decimal("89.50"))]
    prices = {q: price_for_quantity(Decimal("100.00"), breaks, q) for q in (1, 9, 10, 49, 50, 500)}
    assert prices == {1: Decimal("100.00"), 9: Decimal("100.00"), 10: Decimal("95.00"), 49: Decimal("95.00"),
                      50: Decimal("89.50"), 500: Decimal("89.50")}
    for bad, said in (("10-95", "is not 'quantity:price'"), ("x:95", "not a whole number"), ("1:95", "2 or more"),
                      ("10:abc", "not a number"), ("10:95;10:90", "appears twice")):
        with pytest.raises(PriceBreakSyntaxError, match=said):
            parse_price_breaks(bad)


def test_cutoff_ships_today_before_it_and_next_business_day_after() -> None:
    wednesday_morning = _next_weekday(2, time(10, 0))
    before = next_ship_day(time(18, 0), "America/Denver", wednesday_morning)
    assert before.ships_today and before.hours_until_shipped == 0 and before.sentence == "order by 6 pm ships today"
    after = next_ship_day(time(18, 0), "America/Denver", wednesday_morning.replace(hour=19))
    assert not after.ships_today and after.ship_date == wednesday_morning.date() + timedelta(days=1)
    assert after.hours_until_shipped == 13.0 and after.sentence == "ships tomorrow (past the 6 pm cut-off)"
    friday_night = next_ship_day(time(16, 30), "America/Denver", _next_weekday(4, time(17, 0)))
    assert friday_night.ship_date.weekday() == 0 and friday_night.sentence.startswith("ships Monday")
    assert friday_night.order_by == "4:30 pm"
    saturday = next_ship_day(time(18, 0), "America/Denver", _next_weekday(5, time(9, 0)))
    assert not saturday.ships_today and "weekends" in saturday.sentence
    # The same moment is past a Denver cut-off of 5 pm but before a 5 pm cut-off in Los Angeles.
    moment = _next_weekday(1, time(17, 30))
    assert not next_ship_day(time(17, 0), "America/Denver", moment).ships_today
    assert next_ship_day(time(17, 0), "America/Los_Angeles", moment).ships_today
    with _clock_at(_next_weekday(3, time(9, 0))):  # no `now`: the application clock decides
        assert next_ship_day(time(18, 0), "America/Denver").ships_today
    with _clock_at(_next_weekday(3, time(20, 0))):
        assert not next_ship_day(time(18, 0), "America/Denver").ships_today


# ---- list_suppliers and GET /api/v1/suppliers -----------------------------------------------------------

def _offer_keys(out: Any) -> list[Any]:
    return [(s.id, [(o.supplier_offer_id, o.price_for_quantity, o.stock_available) for o in s.offers])
            for s in out.suppliers]


def test_list_suppliers_shows_each_branch_offer_priced_for_the_quantity(engine: Engine, maria: Caller) -> None:
    everyone = ok(invoke(engine, maria, "list_suppliers", {}))
    names = [s.name for s in everyone.suppliers]
    assert {"Keystone Parts Supply", "Cordova OEM Parts Direct", "Bristlecone Industrial Supply"} <= set(names)
    assert [s.authorized for s in everyone.suppliers] == sorted((s.authorized for s in everyone.suppliers),
                                                                reverse=True)
    keystone = next(s for s in everyone.suppliers if s.name == "Keystone Parts Supply")
    assert keystone.authorized and keystone.supplier_type == "authorized_distributor" and not keystone.offers
    # (other tests may open branches of their own for Keystone)
    assert {(b.code, b.cutoff_time) for b in keystone.branches} >= {("CCDC", "18:00"), ("ENG", "16:00")}

    found = ok(invoke(engine, maria, "list_suppliers", {"part_number": "gaa-26800 lc1"}))
    offers = {s.name: s.offers for s in found.suppliers}
    assert set(offers) >= {"Keystone Parts Supply", "Cordova OEM Parts Direct", "Bristlecone Industrial Supply"}
    independent = offers["Bristlecone Industrial Supply"][0]
    assert independent.part_number == "GAA26800LC1" and independent.stock_available >= 1
    assert independent.availability.startswith(f"{independent.stock_available} in stock")
    keystone_offer = offers["Keystone Parts Supply"][0]
    assert keystone_offer.stock_available == 0 and keystone_offer.lead_time_days == 45
    assert keystone_offer.availability == "out of stock, 45-day lead time" and keystone_offer.eta_hours == 46 * 24
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT unit_price, stock_on_hand FROM supplier_offers WHERE id = :id"),
                              {"id": independent.supplier_offer_id}).one()
    assert (stored.unit_price, stored.stock_on_hand) == (independent.unit_price, independent.stock_on_hand)

    authorized = ok(invoke(engine, maria, "list_suppliers", {"part_number": "GAA26800LC1", "authorized_only": True}))
    assert "Bristlecone Industrial Supply" not in {s.name for s in authorized.suppliers}
    assert authorized.total == len(authorized.suppliers) >= 2
    page = ok(invoke(engine, maria, "list_suppliers", {"part_number": "GAA26800LC1", "limit": 1, "offset": 1}))
    assert page.total == found.total and [s.name for s in page.suppliers] == [found.suppliers[1].name]
    assert ok(invoke(engine, maria, "list_suppliers", {"part_number": "NOPE-0000-ZZ"})).total == 0
    fails(invoke(engine, maria, "list_suppliers", {"part_number": "--"}), "invalid")
    # Public catalogs: an organization with no tie to any supplier sees the same.
    outsider = ok(invoke(engine, caller_by_email(engine, OUTSIDER), "list_suppliers", {"part_number": "GAA26800LC1"}))
    assert _offer_keys(outsider) == _offer_keys(found) and outsider.total == found.total


def test_price_breaks_apply_for_the_quantity_asked(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        offer = conn.execute(text(
            "SELECT o.part_number, o.unit_price, o.price_breaks, s.name FROM supplier_offers o JOIN suppliers s "
            "ON s.id = o.supplier_id WHERE jsonb_array_length(o.price_breaks) = 2 AND s.name = 'Cordova OEM Parts "
            "Direct' ORDER BY o.part_number LIMIT 1")).one()
    first, deepest = (Decimal(b["unit_price"]) for b in offer.price_breaks)
    for quantity, price in ((1, offer.unit_price), (10, first), (50, deepest)):
        out = ok(invoke(engine, maria, "list_suppliers", {"part_number": offer.part_number, "quantity": quantity,
                                                          "supplier_type": "oem"}))
        view = out.suppliers[0].offers[0]
        assert (view.quantity, view.price_for_quantity, view.unit_price) == (quantity, price, offer.unit_price)


def test_rest_lists_suppliers_paged_with_the_same_filters(client: TestClient, engine: Engine, maria: Caller) -> None:
    headers = headers_for(engine, maria)
    page = body(client.get("/api/v1/suppliers", params={"part_number": "GAA26800LC1", "quantity": 2,
                                                         "authorized_only": True, "page_size": 1}, headers=headers))
    assert page["page"] == 1 and page["page_size"] == 1 and len(page["items"]) == 1 and page["has_more"]
    first = page["items"][0]
    assert first["authorized"] and first["offers"] and first["offers"][0]["quantity"] == 2
    assert {"supplier_offer_id", "price_for_quantity", "stock_available", "ships_today"} <= set(first["offers"][0])
    tool_view = ok(invoke(engine, maria, "list_suppliers", {"part_number": "GAA26800LC1", "quantity": 2,
                                                            "authorized_only": True, "limit": 1}))
    assert first["id"] == str(tool_view.suppliers[0].id) and page["total"] == tool_view.total
    error(client.get("/api/v1/suppliers", params={"quantity": 0}, headers=headers), 422)
    error(client.get("/api/v1/suppliers", params={"supplier_type": "cheap"}, headers=headers), 422)
    error(client.get("/api/v1/suppliers", params={"part_number": "--"}, headers=headers), 422, "invalid")
    assert client.get("/api/v1/suppliers").status_code == 401
    operation = body(client.get("/openapi.json"))["paths"]["/api/v1/suppliers"]["get"]
    assert operation["x-tool"] == "list_suppliers"
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "Page_SupplierView_")


# ---- CSV import ----------------------------------------------------------------------------------------

def _supplier_options(out: Any, prefix: str) -> list[Any]:
    return [o for o in out.options if o.supplier_offer_id and o.organization_name.startswith(prefix)]


def test_find_inventory_ranks_supplier_offers_by_stock_cutoff_and_authorization(
        engine: Engine, maria: Caller, cleanup: str, unsupplied_part: Any) -> None:
    part = unsupplied_part
    listing = create_test_listing(engine, caller_by_email(engine, SELLER), "unused", part_number=part.part_number,
                                  manufacturer=part.manufacturer, price="70")  # a listing of no shelf's stock
    before = ok(invoke(engine, maria, "find_inventory", {"part_number": part.part_number, "max_results": 50}))
    assert any(o.fulfillment == "order_new" for o in before.options)  # nobody supplies it yet: the catalog's lead
    import_supplier_csv(engine, csv_of(
        f"{cleanup} Independent,independent,no,FAR,Far Away,Boise,17:00,{part.part_number},{part.manufacturer},"
        "80.00,10:70.00,5,20,",
        f"{cleanup} Authorized,authorized_distributor,yes,FAR,Far Away,Boise,17:00,{part.part_number},"
        f"{part.manufacturer},95.00,,5,20,",
        f"{cleanup} Empty,independent,no,FAR,Far Away,Boise,17:00,{part.part_number},{part.manufacturer},60.00,,0,"
        "9,"))
    with _clock_at(_next_weekday(2, time(10, 0))):  # a Wednesday morning: in stock ships today
        morning = ok(invoke(engine, maria, "find_inventory", {"part_number": part.part_number, "max_results": 50}))
    found = _supplier_options(morning, cleanup)
    assert [o.organization_name.removeprefix(cleanup) for o in found] == [" Authorized", " Independent", " Empty"]
    authorized, independent, empty = found
    assert authorized.eta_hours == independent.eta_hours == 24.0  # a tie: the authorized supplier first
    assert authorized.rank < independent.rank and authorized.authorized and independent.authorized is False
    assert authorized.fulfillment == "ships_today" and authorized.price == Decimal("95.00")
    assert authorized.why == (f"{cleanup} Authorized (authorized) Far Away: 5 in stock, order by 5 pm ships today — "
                              "$95 each; about 1 day(s).")
    assert (empty.fulfillment, empty.eta_hours, empty.quantity_available) == ("backorder", 9 * 24 + 24.0, 0)
    assert not any(o.fulfillment == "order_new" for o in morning.options)  # offered now: no catalog lead time
    market = next(o for o in morning.options if o.listing_id == listing)  # still shown beside the offers
    assert market.rank < authorized.rank and market.eta_hours < authorized.eta_hours
    with engine.connect() as conn:
        offer_ids = set(conn.execute(text("SELECT o.id FROM supplier_offers o JOIN suppliers s ON s.id = "
                                          "o.supplier_id WHERE s.name LIKE :p"), {"p": f"{cleanup}%"}).scalars())
    assert {o.supplier_offer_id for o in found} == offer_ids

    with _clock_at(_next_weekday(2, time(19, 0))):  # past the cut-off: tomorrow, and ten units reach the break
        evening = ok(invoke(engine, maria, "find_inventory", {"part_number": part.part_number, "quantity": 10,
                                                              "max_results": 50}))
    late = {o.organization_name.removeprefix(cleanup): o for o in _supplier_options(evening, cleanup)}
    assert late[" Authorized"].fulfillment == "ships_next_business_day" and late[" Authorized"].eta_hours == 37.0
    assert not late[" Authorized"].covers_quantity and late[" Empty"].covers_quantity  # 5 on hand; backorder takes 10
    assert late[" Independent"].price == Decimal("70.00") and "$70 each at 10+" in late[" Independent"].why
    assert "only 5 in stock, ships tomorrow (past the 5 pm cut-off); the other 5 in ~20 day(s)" in \
        late[" Independent"].why


def test_a_distributors_shelf_folds_into_its_will_call_offer(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        shelf = conn.execute(text(
            "SELECT i.id, i.part_number, o.id AS offer_id FROM inventory_items i JOIN stock_locations l "
            "ON l.id = i.stock_location_id JOIN supplier_offers o ON o.part_id = i.part_id JOIN supplier_branches b "
            "ON b.id = o.branch_id AND b.code = 'CCDC' JOIN parts_catalog p ON p.id = i.part_id "
            "WHERE l.name = 'Keystone Distribution Center' AND i.condition = 'new' AND i.quantity_available > 0 "
            "AND o.stock_on_hand > o.stock_reserved AND p.superseded_by IS NULL AND p.supersedes = '[]' "
            "AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number_norm = p.part_number_norm) = 1 "
            "ORDER BY i.part_number LIMIT 1")).one()
    summit = ok(invoke(engine, maria, "find_inventory", {"part_number": shelf.part_number, "max_results": 50}))
    keystone = [o for o in summit.options if o.organization_name == "Keystone Parts Supply" and
                o.location_name == "Keystone Distribution Center" and o.condition == "new"]
    assert len(keystone) == 1, keystone  # one option for one shelf, not a stock row and an offer
    option = keystone[0]
    assert (option.supplier_offer_id, option.inventory_item_id) == (shelf.offer_id, shelf.id)
    assert option.fulfillment == "will_call" and option.same_day and option.authorized
    assert "Keystone Parts Supply (authorized) Commerce City DC:" in option.why and "Can be held" in option.why
    apex = ok(invoke(engine, caller_by_email(engine, APEX_TECH), "find_inventory",
                     {"part_number": shelf.part_number, "max_results": 50}))
    theirs = next(o for o in apex.options if o.supplier_offer_id == shelf.offer_id)
    assert theirs.inventory_item_id is None and theirs.location_name == "Commerce City DC"  # Summit's to see
