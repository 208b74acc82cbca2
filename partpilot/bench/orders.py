"""`partpilot bench orders`: racing checkouts against limited stock — no unit may be sold twice.

A copy of the store (a database cloned from it, dropped afterwards) gets 20 fixed-price listings of one seller
with a few units each (half of them backed by a stock row) and 200 buyers of other organizations, each with a
cart of one to three of those listings. Then all 200 check out at once (released together, one thread each, through
the registry as the REST route runs the tool). Measured: each checkout's latency, how many placed orders
and how many were refused (and why), errors, and oversells — a listing that sold more than it had, whose count
does not match what its orders took, that went below zero, or whose stock row reserved other than what sold."""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

from partpilot.bench.latency import latency_stats
from tools.context import Caller, caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure

# 200 checkouts released at the same instant queue for the same few rows (and the seller's invoice counter):
# the last waits for most of the others, so p95 is about the whole burst's time, not one checkout's.
TARGETS = {"oversells": 0, "errors": 0, "checkout_p95_ms": 10000.0}
SELLER = "ray.kowalski@metrosalvage.example"
BUYER_ORGS = ("Summit Vertical & Mechanical", "Apex Elevator Services", "Northline Mechanical",
              "Rival Lift & Climate")  # each has a saved "Office" address to ship to
POOL = 40  # connections the checkouts share (the Postgres server is shared with other work)


def _clone(main: Engine) -> tuple[Engine, Engine, str]:
    """(admin engine, engine on a fresh copy of the store, its name)."""
    name = f"{main.url.database}_orders_bench"[:63]
    admin = create_engine(main.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    main.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{main.url.database}"'))
    return admin, create_engine(main.url.set(database=name), pool_size=POOL, max_overflow=0, pool_timeout=120), name


def _ok(result: Any) -> Any:
    if isinstance(result, ToolFailure):
        raise RuntimeError(f"bench setup failed: {result.message}")
    return result


def _listings(engine: Engine, seller: Caller, count: int, rng: random.Random, tag: str) -> dict[uuid.UUID, int]:
    """`count` published listings of the seller with 2-8 units each (every other one backed by a stock row);
    listing id → units."""
    stock: dict[uuid.UUID, int] = {}
    for n in range(count):
        units = rng.randint(2, 8)
        args: dict[str, Any] = {
            "listing_type": "sale", "part_number": f"BENCH-ORD-{tag}-{n:02d}", "manufacturer": "Benchco",
            "name": "Bench contactor", "category": "electrical_contactor", "condition": "used_good",
            "price": "25", "visibility": "public", "quantity": units}
        if n % 2 == 0:
            with engine.begin() as conn:
                args["inventory_item_id"] = str(conn.execute(text(
                    "INSERT INTO inventory_items (organization_id, part_number, manufacturer, name, stock_location_id, "
                    "quantity_on_hand, condition) SELECT :org, :pn, 'Benchco', 'Bench contactor', s.id, :q, "
                    "'used_good' FROM stock_locations s WHERE s.organization_id = :org ORDER BY s.name LIMIT 1 "
                    "RETURNING id"), {"org": seller.organization_id, "pn": args["part_number"], "q": units}).scalar())
        made = _ok(invoke(engine, seller, "create_listing", args, idempotency_key=f"bench-{uuid.uuid4()}"))
        _ok(invoke(engine, seller, "publish_listing", {"listing_id": str(made.listing.id)},
                   idempotency_key=f"bench-{uuid.uuid4()}"))
        stock[made.listing.id] = units
    return stock


def _buyers(engine: Engine, count: int, tag: str) -> list[Caller]:
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (organization_id, email, name, role, trades) SELECT (SELECT id FROM organizations "
            "WHERE name = (CAST(:orgs AS text[]))[1 + g % cardinality(CAST(:orgs AS text[]))]), "
            "'bench-' || :tag || '-' || g || '@orders.example', "
            "'Bench Buyer ' || g, CASE WHEN g % 4 = 0 THEN 'technician' ELSE 'buyer' END, '[]' "
            "FROM generate_series(1, :n) g"), {"orgs": list(BUYER_ORGS), "tag": tag, "n": count})
    return [caller_by_email(engine, f"bench-{tag}-{g}@orders.example") for g in range(1, count + 1)]


def _fill_carts(engine: Engine, buyers: list[Caller], listings: list[uuid.UUID], rng: random.Random) -> int:
    """Each buyer's cart: one to three of the listings, 1-2 units each (all fit the listing when added)."""
    plans = [(b, rng.sample(listings, rng.randint(1, 3))) for b in buyers]
    quantities = {(b.user_id, listing): rng.randint(1, 2) for b, chosen in plans for listing in chosen}

    def fill(plan: tuple[Caller, list[uuid.UUID]]) -> int:
        buyer, chosen = plan
        for listing in chosen:
            _ok(invoke(engine, buyer, "add_to_cart", {"listing_id": str(listing),
                                                      "quantity": quantities[(buyer.user_id, listing)]},
                       idempotency_key=f"bench-{uuid.uuid4()}"))
        return sum(quantities[(buyer.user_id, listing)] for listing in chosen)

    with ThreadPoolExecutor(16) as pool:
        return sum(pool.map(fill, plans))


def _race(engine: Engine, buyers: list[Caller]) -> tuple[list[tuple[str, float]], float]:
    """All buyers check out at once (released together, a thread each); (outcome, ms) per checkout, wall seconds."""
    gate = threading.Barrier(len(buyers))

    def check_out(buyer: Caller) -> tuple[str, float]:
        gate.wait()
        began = time.perf_counter()
        outcome: str
        try:
            result = invoke(engine, buyer, "checkout", {"ship_to": "office"}, idempotency_key=f"bench-{uuid.uuid4()}")
            outcome = result.error if isinstance(result, ToolFailure) else "placed"
        except Exception as exc:  # counted as an error (a deadlock or a constraint would be one)
            outcome = f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
        return outcome, (time.perf_counter() - began) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(len(buyers)) as pool:
        results = list(pool.map(check_out, buyers))
    return results, time.perf_counter() - started


def _oversells(engine: Engine, stock: dict[uuid.UUID, int]) -> tuple[list[dict[str, Any]], int]:
    """Listings whose numbers do not add up, and the units sold in all."""
    bad, sold_total = [], 0
    with engine.connect() as conn:
        for row in conn.execute(text(
                "SELECT l.id, l.quantity_available, l.status, i.quantity_on_hand, i.quantity_reserved, "
                "COALESCE((SELECT sum(oi.quantity) FROM order_items oi JOIN orders o ON o.id = oi.order_id "
                "WHERE oi.listing_id = l.id AND o.status <> 'cancelled'), 0) AS sold FROM marketplace_listings l "
                "LEFT JOIN inventory_items i ON i.id = l.inventory_item_id WHERE l.id = ANY(:ids)"),
                {"ids": list(stock)}):
            units, sold = stock[row.id], int(row.sold)
            sold_total += sold
            wrong = (sold > units or row.quantity_available != units - sold or row.quantity_available < 0
                     or (row.quantity_reserved is not None and (row.quantity_reserved != sold
                                                                or row.quantity_reserved > row.quantity_on_hand)))
            if wrong:
                bad.append({"listing": str(row.id), "stock": units, "sold": sold, "left": row.quantity_available,
                            "reserved_on_shelf": row.quantity_reserved})
    return bad, sold_total


def run_orders_bench(main: Engine, out: Path, checkouts: int = 200, listings: int = 20,
                     seed: int = 18) -> dict[str, Any]:
    rng, tag = random.Random(seed), uuid.uuid4().hex[:6].upper()
    admin, engine, name = _clone(main)
    try:
        seller = caller_by_email(engine, SELLER)
        stock = _listings(engine, seller, listings, rng, tag)
        buyers = _buyers(engine, checkouts, tag)
        wanted_units = _fill_carts(engine, buyers, list(stock), rng)
        results, wall = _race(engine, buyers)
        bad, sold = _oversells(engine, stock)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    outcomes = Counter(outcome for outcome, _ in results)
    errors = {k: v for k, v in outcomes.items() if k.startswith("error")}
    placed = outcomes.get("placed", 0)
    latency = latency_stats([ms for _, ms in results])
    passed = bool(not bad and not errors and placed and placed < checkouts
                  and latency.get("p95_ms", 1e9) <= TARGETS["checkout_p95_ms"])
    report = {
        "benchmark": "orders",
        "config": {"checkouts": checkouts, "concurrent": checkouts, "listings": listings,
                   "stock_units": sum(stock.values()), "units_in_carts": wanted_units,
                   "stock_backed_listings": (listings + 1) // 2, "cart_lines_per_buyer": "1-3, 1-2 units each",
                   "buyers": f"{checkouts} new users of {len(BUYER_ORGS)} organizations (a quarter technicians)",
                   "db_connections": POOL, "threads": f"{checkouts}, one per checkout, in one process",
                   "cpus": os.cpu_count(), "database": "a copy of the store, dropped afterwards",
                   "path": "tools.registry.invoke('checkout'), as the REST route runs it"},
        "targets": TARGETS,
        "placed": placed, "refused": {k: v for k, v in outcomes.items() if k != "placed" and k not in errors},
        "errors": errors, "oversells": len(bad), "oversold_listings": bad,
        "units_sold": sold, "stock_units": sum(stock.values()),
        "checkout_ms": latency,
        "placed_checkout_ms": latency_stats([ms for outcome, ms in results if outcome == "placed"]),
        "refused_checkout_ms": latency_stats([ms for outcome, ms in results if outcome != "placed"]),
        "wall_seconds": round(wall, 2), "checkouts_per_second": round(checkouts / wall, 1) if wall else None,
        "verdict": "PASSED" if passed else "FAILED", "passed": passed,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report
