"""What the cart and checkout tests share: the people (Summit's technicians with their $500 limit, its parts
manager, Metro's seller), test listings of Metro, a Keystone supplier offer and Summit's own stock, and reading
back carts, orders and stock."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, text

from tests.order_helpers import supplier_source
from tests.tool_helpers import create_test_listing, key, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke

DEREK = "derek.olson@summitvm.example"
LINDA = "linda.park@summitvm.example"
KEYSTONE = "Keystone Parts Supply"


def metro_listing(engine: Engine, seller: Caller, quantity: int = 5, price: str | None = "100",
                  **fields: Any) -> uuid.UUID:
    """A published public fixed-price listing (of Metro's seller, usually) of a fresh test part number."""
    return create_test_listing(engine, seller, "CRT", quantity=quantity, price=price, name="Test contactor",
                               category="electrical_contactor", **fields)


def quiet_part(engine: Engine) -> tuple[str, str]:
    """(number, manufacturer) of a catalog part nobody lists, stocks or supplies and with no supersession, so
    that the only sources of it are those a test makes."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT p.part_number, p.manufacturer FROM parts_catalog p WHERE NOT p.is_discontinued "
            "AND NOT EXISTS (SELECT 1 FROM marketplace_listings l WHERE l.part_id = p.id OR l.part_number = "
            "p.part_number) AND NOT EXISTS (SELECT 1 FROM inventory_items i WHERE i.part_id = p.id OR i.part_number "
            "= p.part_number) AND NOT EXISTS (SELECT 1 FROM supplier_offers f WHERE f.part_id = p.id OR "
            "f.part_number = p.part_number) AND NOT EXISTS (SELECT 1 FROM part_supersessions e WHERE p.id IN "
            "(e.old_part_id, e.new_part_id)) AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number = "
            "p.part_number) = 1 ORDER BY random() LIMIT 1")).one()
    return row.part_number, row.manufacturer


def own_stock_of(engine: Engine, org: Caller, number: str, on_hand: int, location: str) -> uuid.UUID:
    """A stock row of a catalog part at one of `org`'s locations (by name)."""
    with engine.begin() as conn:
        return uuid.UUID(str(conn.execute(text(
            "INSERT INTO inventory_items (organization_id, part_id, part_number, manufacturer, name, "
            "stock_location_id, quantity_on_hand, condition) SELECT :org, p.id, p.part_number, p.manufacturer, "
            "p.name, s.id, :qty, 'new' FROM parts_catalog p, stock_locations s WHERE p.part_number = :pn "
            "AND s.organization_id = :org AND s.name = :loc RETURNING id"),
            {"org": org.organization_id, "pn": number, "qty": on_hand, "loc": location}).scalar_one()))


def keystone_offer(engine: Engine, on_hand: int, price: str = "150", backorder: bool = True) -> tuple[uuid.UUID, str]:
    source = supplier_source(engine, KEYSTONE, on_hand, price=price, backorder=backorder)
    assert source.supplier_offer_id is not None
    return source.supplier_offer_id, source.part_number


def add(engine: Engine, who: Caller, **args: Any) -> Any:
    return invoke(engine, who, "add_to_cart", args, idempotency_key=key())


def empty_cart(engine: Engine, who: Caller) -> None:
    ok(invoke(engine, who, "remove_from_cart", {"all": True}, idempotency_key=key()))


def cart_rows(engine: Engine, who: Caller) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT ci.* FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.user_id = :u "
            "ORDER BY ci.created_at, ci.id"), {"u": who.user_id}))


def listing_row(engine: Engine, listing_id: uuid.UUID) -> Any:
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM marketplace_listings WHERE id = :id"), {"id": listing_id}).one()


def set_listing(engine: Engine, listing_id: uuid.UUID, **values: Any) -> None:
    sets = ", ".join(f"{name} = :{name}" for name in values)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE marketplace_listings SET {sets} WHERE id = :id"), {"id": listing_id, **values})


def orders_of(engine: Engine, who: Caller, since_key: str | None = None) -> list[Any]:
    """The orders `who` placed with this idempotency key (all of theirs when None), oldest first."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT * FROM orders WHERE buyer_id = :u AND (CAST(:k AS text) IS NULL OR idempotency_key LIKE :k) "
            "ORDER BY created_at, id"), {"u": who.user_id, "k": f"%{since_key}%" if since_key else None}))


def order_lines(engine: Engine, order_id: uuid.UUID) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT * FROM order_items WHERE order_id = :o ORDER BY id"), {"o": order_id}))


def offer_row(engine: Engine, offer_id: uuid.UUID) -> Any:
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM supplier_offers WHERE id = :id"), {"id": offer_id}).one()


def item_row(engine: Engine, item_id: uuid.UUID) -> Any:
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM inventory_items WHERE id = :id"), {"id": item_id}).one()


def summit(engine: Engine, email: str) -> Caller:
    return caller_by_email(engine, email)
