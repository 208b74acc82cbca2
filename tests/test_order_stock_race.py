"""No oversell under racing checkouts: 50 people at once check out the same listing (each their own cart), and 50
buy now from the same supplier offer that does not backorder — exactly the stock is sold, the rest are refused
with a failure the model can act on, and no count ever goes below zero (no error, no deadlock)."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.cart_helpers import KEYSTONE, add, item_row, listing_row, offer_row
from tests.order_helpers import listing_source, supplier_source
from tests.tool_helpers import key, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure

RACERS = 50
STOCK = 7


def _buyers(engine: Engine, count: int) -> list[Caller]:
    """`count` fresh buyers at Apex (no spend limit there), each with a cart of their own."""
    tag = uuid.uuid4().hex[:8]
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (organization_id, email, name, role, trades) SELECT o.id, "
            "'race-' || :tag || '-' || g || '@apexelevator.example', 'Racer ' || g, 'buyer', '[]' "
            "FROM organizations o, generate_series(1, :n) g WHERE o.name = 'Apex Elevator Services'"),
            {"tag": tag, "n": count})
    return [caller_by_email(engine, f"race-{tag}-{n}@apexelevator.example") for n in range(1, count + 1)]


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at once (released together); their results, or the exception a call raised."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        gate.wait()
        try:
            return call()
        except Exception as exc:  # a bug (deadlock, constraint): reported by the test, not lost in the thread
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _tally(results: list[Any]) -> Counter[str]:
    return Counter("placed" if not isinstance(r, ToolFailure | Exception) else
                   r.error if isinstance(r, ToolFailure) else f"raised {r!r}" for r in results)


@pytest.fixture(scope="module")
def racers(engine: Engine) -> list[Caller]:
    return _buyers(engine, RACERS)


def test_racing_checkouts_sell_exactly_the_listings_stock(engine: Engine, metro: Caller,
                                                          racers: list[Caller]) -> None:
    source, shelf = listing_source(engine, metro, STOCK)
    for racer in racers:
        ok(add(engine, racer, listing_id=str(source.listing_id)))
    results = _race([lambda r=racer: invoke(engine, r, "checkout", {"ship_to": "office"},  # type: ignore[misc]
                                            idempotency_key=key()) for racer in racers])
    tally = _tally(results)
    assert tally == Counter({"placed": STOCK, "insufficient_stock": RACERS - STOCK}), tally
    refused = [r for r in results if isinstance(r, ToolFailure)]
    assert all(source.part_number in r.message for r in refused), refused[:3]
    listing = listing_row(engine, source.listing_id)
    assert (listing.quantity_available, listing.status) == (0, "sold")
    assert (item_row(engine, shelf).quantity_on_hand, item_row(engine, shelf).quantity_reserved) == (STOCK, STOCK)
    with engine.connect() as conn:
        sold = conn.execute(text("SELECT count(DISTINCT o.id), sum(oi.quantity) FROM order_items oi JOIN orders o "
                                 "ON o.id = oi.order_id WHERE oi.listing_id = :l"), {"l": source.listing_id}).one()
        carts_left = conn.execute(text("SELECT count(*) FROM cart_items WHERE listing_id = :l"),
                                  {"l": source.listing_id}).scalar_one()
    assert tuple(sold) == (STOCK, STOCK)
    assert carts_left == RACERS - STOCK  # the refused keep their cart


def test_racing_buy_now_sells_exactly_a_supplier_branchs_stock(engine: Engine, racers: list[Caller]) -> None:
    source = supplier_source(engine, KEYSTONE, STOCK, backorder=False)
    assert source.supplier_offer_id is not None
    results = _race([lambda r=racer: invoke(engine, r, "buy_now", {  # type: ignore[misc]
        "supplier_offer_id": str(source.supplier_offer_id), "ship_to": "receiving dock"}, idempotency_key=key())
        for racer in racers])
    tally = _tally(results)
    assert tally == Counter({"placed": STOCK, "insufficient_stock": RACERS - STOCK}), tally
    offer = offer_row(engine, source.supplier_offer_id)
    assert (offer.stock_on_hand, offer.stock_reserved) == (STOCK, STOCK)
    with engine.connect() as conn:
        sold = conn.execute(text("SELECT sum(quantity), sum(quantity_reserved) FROM order_items "
                                 "WHERE supplier_offer_id = :f"), {"f": source.supplier_offer_id}).one()
    assert tuple(sold) == (STOCK, STOCK)
