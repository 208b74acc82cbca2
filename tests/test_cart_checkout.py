"""The cart and checkout tools on the seeded store: what each returns AND what it leaves in the database (cart
rows, orders, order lines, listing / supplier / own stock), illegal inputs, one person's cart unseen by anyone
else, idempotent checkout, approval above the spend limit, and the warnings (price changed, stock, duplicates)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from knowledge import clock
from tests.cart_helpers import (
    DEREK,
    KEYSTONE,
    LINDA,
    add,
    cart_rows,
    empty_cart,
    item_row,
    keystone_offer,
    listing_row,
    metro_listing,
    offer_row,
    order_lines,
    orders_of,
    own_stock_of,
    quiet_part,
    set_listing,
    summit,
)
from tests.deal_helpers import stock_row
from tests.order_helpers import notices
from tests.tool_helpers import OUTSIDER, fails, key, member, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke, summarize_call


@pytest.fixture(scope="module")
def derek(engine: Engine) -> Caller:
    return summit(engine, DEREK)


def test_add_to_cart_stores_the_line_and_adding_again_adds_up(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    listing = metro_listing(engine, metro, quantity=5, price="100")
    first = ok(add(engine, maria, listing_id=str(listing), quantity=2))
    assert first.item.seller == metro.organization_name and first.item.unit_price == Decimal("100")
    assert first.item.source_kind == "marketplace" and first.cart_items == 1 and first.cart_total == Decimal("200")
    again = ok(add(engine, maria, listing_id=str(listing), quantity=1))
    assert again.item.id == first.item.id and again.item.quantity == 3
    rows = cart_rows(engine, maria)
    assert [(r.listing_id, r.quantity, r.unit_price_at_add, r.available_at_add) for r in rows] == [
        (listing, 3, Decimal("100.00"), 5)]
    assert listing_row(engine, listing).quantity_available == 5  # nothing reserved before checkout


def test_illegal_additions_are_refused_and_store_nothing(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    linda = summit(engine, LINDA)
    own = metro_listing(engine, linda, quantity=3)
    fails(add(engine, maria, listing_id=str(own)), "invalid")
    auction = metro_listing(engine, metro, quantity=1, listing_type="auction", price=None, starting_bid="50",
                            auction_end=(clock.now() + timedelta(days=3)).isoformat())
    assert "auction" in fails(add(engine, maria, listing_id=str(auction)), "invalid").message
    hidden = metro_listing(engine, caller_by_email(engine, OUTSIDER), visibility="internal")
    fails(add(engine, maria, listing_id=str(hidden)), "not_found")
    bulk = metro_listing(engine, metro, quantity=10, minimum_order_quantity=4)
    assert "at least 4" in fails(add(engine, maria, listing_id=str(bulk), quantity=2), "invalid").message
    small = metro_listing(engine, metro, quantity=2)
    assert "Only 2" in fails(add(engine, maria, listing_id=str(small), quantity=3), "insufficient_stock").message
    theirs, _ = stock_row(engine, metro, 4)  # Metro's stock is no partner's of Summit: not even seen
    fails(add(engine, maria, inventory_item_id=str(theirs)), "not_found")
    partners, _ = stock_row(engine, member(engine, KEYSTONE, selling=True), 4)  # seen (for sale), not transferable
    assert KEYSTONE in fails(add(engine, maria, inventory_item_id=str(partners)), "forbidden").message
    fails(add(engine, maria, listing_id=str(small), part_number="X1"), "invalid")
    fails(add(engine, maria, listing_id=str(small), quantity=0), "invalid")
    assert cart_rows(engine, maria) == []


def test_a_part_number_picks_the_fastest_source_you_can_buy(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    number, maker = quiet_part(engine)
    listing = metro_listing(engine, metro, quantity=3, part_number=number, manufacturer=maker)
    picked = ok(add(engine, maria, part_number=number, manufacturer=maker, quantity=2))
    assert picked.item.listing_id == listing and picked.picked_because and metro.organization_name in \
        picked.picked_because
    fails(add(engine, maria, part_number=number, manufacturer=maker, quantity=4), "insufficient_stock")
    item = own_stock_of(engine, maria, number, 6, "Summit Main Warehouse")  # faster than Metro: a transfer
    transfer = ok(add(engine, maria, part_number=number, manufacturer=maker, quantity=2))
    assert transfer.item.source_kind == "transfer" and transfer.item.inventory_item_id == item
    assert transfer.item.unit_price == 0 and "Summit Main Warehouse" in (transfer.picked_because or "")
    assert {r.inventory_item_id for r in cart_rows(engine, maria)} == {None, item}


def test_quantity_changes_removal_and_nobody_else_sees_your_cart(engine: Engine, maria: Caller, metro: Caller,
                                                                 derek: Caller) -> None:
    empty_cart(engine, maria)
    listing = metro_listing(engine, metro, quantity=4)
    item = ok(add(engine, maria, listing_id=str(listing))).item
    changed = ok(invoke(engine, maria, "update_cart_item", {"item_id": str(item.id), "quantity": 3},
                        idempotency_key=key()))
    assert changed.item.quantity == 3 and cart_rows(engine, maria)[0].quantity == 3
    fails(invoke(engine, maria, "update_cart_item", {"item_id": str(item.id), "quantity": 9}, idempotency_key=key()),
          "insufficient_stock")
    assert ok(invoke(engine, derek, "view_cart", {})).items == [] or all(
        i.id != item.id for i in ok(invoke(engine, derek, "view_cart", {})).items)
    fails(invoke(engine, derek, "update_cart_item", {"item_id": str(item.id), "quantity": 1}, idempotency_key=key()),
          "not_found")
    fails(invoke(engine, derek, "remove_from_cart", {"item_id": str(item.id)}, idempotency_key=key()), "not_found")
    assert cart_rows(engine, maria)[0].quantity == 3
    removed = ok(invoke(engine, maria, "remove_from_cart", {"item_id": str(item.id)}, idempotency_key=key()))
    assert removed.cart_items == 0 and cart_rows(engine, maria) == []


def test_checkout_places_one_order_per_seller_and_reserves_stock(engine: Engine, maria: Caller,
                                                                  metro: Caller) -> None:
    empty_cart(engine, maria)
    listing = metro_listing(engine, metro, quantity=3, price="60")
    offer, _ = keystone_offer(engine, on_hand=1, price="40")
    own, _ = stock_row(engine, maria, 5)
    ok(add(engine, maria, listing_id=str(listing), quantity=2))
    ok(add(engine, maria, supplier_offer_id=str(offer), quantity=3))  # 1 in stock, 2 backordered
    ok(add(engine, maria, inventory_item_id=str(own), quantity=2))
    the_key = key()
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "Brown Palace job", "po_number": "4471",
                                                   "shipping_method": "next_day"}, idempotency_key=the_key))
    kinds = {o.kind: o for o in placed.orders}
    assert set(kinds) == {"marketplace", "supplier", "transfer"}
    assert kinds["marketplace"].status == "pending_payment" and kinds["marketplace"].total == Decimal("120")
    assert kinds["supplier"].status == "pending_payment" and kinds["supplier"].total == Decimal("120")
    assert kinds["transfer"].status == "processing" and kinds["transfer"].total == 0
    backordered = kinds["supplier"].lines[0]
    assert (backordered.quantity_reserved, backordered.quantity_backordered, backordered.eta_days) == (1, 2, 5)
    rows = orders_of(engine, maria, the_key)
    assert len(rows) == 3 and {r.po_number for r in rows} == {"4471"} and {r.site_name for r in rows} == {
        "Brown Palace Hotel"} and {r.shipping_method for r in rows} == {"next_day"}
    assert [(line.quantity, line.unit_price) for line in order_lines(engine, kinds["marketplace"].id)] == [
        (2, Decimal("60.00"))]
    assert (listing_row(engine, listing).quantity_available, listing_row(engine, listing).status) == (1, "active")
    assert (offer_row(engine, offer).stock_on_hand, offer_row(engine, offer).stock_reserved) == (1, 1)
    assert (item_row(engine, own).quantity_on_hand, item_row(engine, own).quantity_reserved) == (5, 2)
    assert cart_rows(engine, maria) == []
    again = ok(invoke(engine, maria, "checkout", {"ship_to": "Brown Palace job", "po_number": "4471",
                                                  "shipping_method": "next_day"}, idempotency_key=the_key))
    assert [o.id for o in again.orders] == [o.id for o in placed.orders]
    assert len(orders_of(engine, maria, the_key)) == 3 and listing_row(engine, listing).quantity_available == 1


def test_checkout_only_some_items_keeps_the_rest(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    first = ok(add(engine, maria, listing_id=str(metro_listing(engine, metro)))).item
    second = ok(add(engine, maria, listing_id=str(metro_listing(engine, metro)))).item
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "main warehouse", "item_ids": [str(first.id)]},
                       idempotency_key=key()))
    assert len(placed.orders) == 1 and placed.orders[0].ship_to["label"] == "Summit Main Warehouse"
    assert [r.id for r in cart_rows(engine, maria)] == [second.id]
    fails(invoke(engine, maria, "checkout", {"ship_to": "main warehouse", "item_ids": [str(first.id)]},
                 idempotency_key=key()), "not_found")
    empty_cart(engine, maria)
    assert "empty" in fails(invoke(engine, maria, "checkout", {"ship_to": "office"}, idempotency_key=key()),
                            "invalid").message


def test_over_the_spend_limit_the_order_waits_for_approval(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    listing = metro_listing(engine, metro, quantity=4, price="300")
    ok(add(engine, maria, listing_id=str(listing), quantity=2))
    view = ok(invoke(engine, maria, "view_cart", {}))
    assert view.needs_approval and view.spend_limit == Decimal("500.00")
    assert view.approval_note == "over your $500 limit: Linda Park must approve"
    sentence = summarize_call(engine, maria, "checkout", {"ship_to": "receiving dock", "po_number": "88"})
    assert "($600)" in sentence and "Over your $500 limit: Linda Park must approve." in sentence
    assert "Receiving dock" in sentence and "PO 88" in sentence and sentence.count("?") == 1
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "receiving dock"}, idempotency_key=key()))
    assert placed.orders[0].status == "awaiting_approval"
    assert listing_row(engine, listing).quantity_available == 2  # reserved while it waits
    linda = summit(engine, LINDA)  # told, with Approve / Reject; a parts manager has no limit herself
    assert [n.category for n in notices(engine, placed.orders[0].id, linda)] == ["order_approval_needed"]
    ok(add(engine, linda, listing_id=str(listing), quantity=2))
    mine = ok(invoke(engine, linda, "checkout", {"ship_to": "office"}, idempotency_key=key()))
    assert mine.orders[0].status == "pending_payment" and listing_row(engine, listing).status == "sold"


def test_short_stock_at_checkout_places_nothing(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    plenty = metro_listing(engine, metro, quantity=5)
    short = metro_listing(engine, metro, quantity=4)
    ok(add(engine, maria, listing_id=str(plenty), quantity=2))
    ok(add(engine, maria, listing_id=str(short), quantity=3))
    set_listing(engine, short, quantity_available=1)  # sold elsewhere meanwhile
    number = listing_row(engine, short).part_number
    view = ok(invoke(engine, maria, "view_cart", {}))
    assert any("only 1 left" in w and number in w for w in view.warnings), view.warnings
    before = len(orders_of(engine, maria))
    failed = fails(invoke(engine, maria, "checkout", {"ship_to": "office"}, idempotency_key=key()),
                   "insufficient_stock")
    assert number in failed.message and "1" in failed.message
    assert len(orders_of(engine, maria)) == before and len(cart_rows(engine, maria)) == 2
    assert listing_row(engine, plenty).quantity_available == 5 and listing_row(engine, short).quantity_available == 1
    set_listing(engine, short, status="cancelled")
    view = ok(invoke(engine, maria, "view_cart", {}))
    assert any("no longer for sale (cancelled)" in w for w in view.warnings)
    fails(invoke(engine, maria, "checkout", {"ship_to": "office"}, idempotency_key=key()), "unavailable")


def test_a_price_change_since_adding_is_told(engine: Engine, maria: Caller, metro: Caller) -> None:
    empty_cart(engine, maria)
    listing = metro_listing(engine, metro, quantity=3, price="100")
    ok(add(engine, maria, listing_id=str(listing)))
    set_listing(engine, listing, price=Decimal("120"))
    view = ok(invoke(engine, maria, "view_cart", {}))
    assert view.items[0].unit_price == Decimal("120") and view.items[0].unit_price_at_add == Decimal("100")
    assert any("was $100, now $120" in w for w in view.warnings), view.warnings
    sentence = summarize_call(engine, maria, "checkout", {"ship_to": "office"})
    assert "was $100, now $120" in sentence and sentence.endswith("Still check out?")
    placed = ok(invoke(engine, maria, "checkout", {"ship_to": "office"}, idempotency_key=key()))
    assert placed.orders[0].total == Decimal("120") and any("was $100" in w for w in placed.warnings)


def test_supplier_price_breaks_and_backorders_show_in_the_cart(engine: Engine, maria: Caller) -> None:
    empty_cart(engine, maria)
    offer, number = keystone_offer(engine, on_hand=4, price="100")
    with engine.begin() as conn:
        conn.execute(text("UPDATE supplier_offers SET price_breaks = CAST(:b AS jsonb) WHERE id = :id"),
                     {"b": '[{"min_quantity": 10, "unit_price": "95.00"}]', "id": offer})
    line = ok(add(engine, maria, supplier_offer_id=str(offer), quantity=9)).item
    assert (line.unit_price, line.available_now, line.backordered, line.seller) == (100, 4, 5, KEYSTONE)
    more = ok(invoke(engine, maria, "update_cart_item", {"item_id": str(line.id), "quantity": 10},
                     idempotency_key=key())).item
    assert (more.unit_price, more.line_total) == (Decimal("95.00"), Decimal("950.00"))
    assert cart_rows(engine, maria)[0].unit_price_at_add == Decimal("95.00")
    view = ok(invoke(engine, maria, "view_cart", {}))
    assert f"{number} from {KEYSTONE}: only 4 in stock at Test branch (Denver); 6 would be backordered (about 5 " \
        "days)." in view.warnings
    empty_cart(engine, maria)
