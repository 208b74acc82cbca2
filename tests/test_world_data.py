"""Pure-Python checks of the demo-world generator (no database)."""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from knowledge.seed.world import build_world, demo_now
from knowledge.seed.world.build import TABLE_ORDER

pytestmark = pytest.mark.long_module(35)  # seconds, all its tests (tests/conftest.py orders by it)

MINIMUMS = {
    "organizations": 6, "users": 20, "equipment_models": 120, "parts_catalog": 2000, "part_supersessions": 150,
    "part_compatibility": 2000, "equipment": 120, "stock_locations": 25, "inventory_items": 600,
    "marketplace_listings": 300, "part_offers": 40, "part_transactions": 20, "wanted_posts": 25,
    "auction_bids": 1, "saved_listings": 15, "seller_ratings": 3, "part_price_history": 300 * 12,
}
# column → referenced table, for every foreign-key-like id column
FKS = {
    "organization_id": "organizations", "partner_organization_id": "organizations", "part_id": "parts_catalog",
    "old_part_id": "parts_catalog", "new_part_id": "parts_catalog", "equipment_model_id": "equipment_models",
    "assigned_user_id": "users", "stock_location_id": "stock_locations", "supplier_id": "organizations",
    "source_equipment_id": "equipment", "seller_id": "users", "inventory_item_id": "inventory_items",
    "listing_id": "marketplace_listings", "buyer_id": "users", "buyer_organization_id": "organizations",
    "offer_id": "part_offers", "seller_organization_id": "organizations", "requester_id": "users",
    "bidder_id": "users", "bidder_organization_id": "organizations", "user_id": "users",
}
# where a table's column refers elsewhere than FKS says (a supplier catalog's supplier is its supplier profile)
TABLE_FKS = {("supplier_branches", "supplier_id"): "suppliers", ("supplier_offers", "supplier_id"): "suppliers",
             ("supplier_offers", "branch_id"): "supplier_branches"}
QUERIES = Path(__file__).resolve().parents[1] / "evals" / "retrieval" / "search_queries.jsonl"


@pytest.fixture(scope="module")
def world() -> dict[str, list[dict[str, Any]]]:
    return build_world().tables


def _digest(tables: dict[str, list[dict[str, Any]]]) -> str:
    return hashlib.sha256(repr(tables).encode()).hexdigest()


def test_table_order_and_minimums(world: dict[str, list[dict[str, Any]]]) -> None:
    assert tuple(world) == TABLE_ORDER
    for table, minimum in MINIMUMS.items():
        assert len(world[table]) >= minimum, table


def test_deterministic(world: dict[str, list[dict[str, Any]]]) -> None:
    assert _digest(world) == _digest(build_world().tables)


def test_ids_unique_and_uuid(world: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in world.items():
        ids = [r["id"] for r in rows if "id" in r]
        assert all(isinstance(i, uuid.UUID) for i in ids), table
        assert len(ids) == len(set(ids)), table
    pairs = [(r["organization_id"], r["partner_organization_id"]) for r in world["organization_partners"]]
    assert len(pairs) == len(set(pairs))


def test_foreign_keys_exist(world: dict[str, list[dict[str, Any]]]) -> None:
    ids = {t: {r["id"] for r in rows if "id" in r} for t, rows in world.items()}
    for table, rows in world.items():
        for row in rows:
            for col, ref in {**FKS, **{c: r for (t, c), r in TABLE_FKS.items() if t == table}}.items():
                value = row.get(col)
                if value is not None:
                    assert value in ids[ref], f"{table}.{col} → {ref}"


def test_catalog_unique_numbers_and_names(world: dict[str, list[dict[str, Any]]]) -> None:
    parts = world["parts_catalog"]
    keys = Counter((p["manufacturer"], p["part_number"]) for p in parts)
    assert max(keys.values()) == 1
    names = Counter((p["manufacturer"], p["name"].lower()) for p in parts)
    assert max(names.values()) == 1, names.most_common(3)
    trades = Counter(p["trade"] for p in parts)
    assert set(trades) == {"elevator", "hvac", "electrical", "medical", "general"}
    assert all(isinstance(p["msrp"], Decimal) and p["msrp"].as_tuple().exponent == -2 for p in parts if p["msrp"])
    mixed = sum(bool(re.search(r"[A-Z]", p["part_number"]) and re.search(r"\d", p["part_number"])) for p in parts)
    assert mixed / len(parts) > 0.7


def test_supersession_graph(world: dict[str, list[dict[str, Any]]]) -> None:
    parts = {p["id"]: p for p in world["parts_catalog"]}
    edges = world["part_supersessions"]
    nxt: dict[Any, Any] = {}
    for e in edges:
        assert e["old_part_id"] not in nxt, "an old part has one direct successor"
        nxt[e["old_part_id"]] = e["new_part_id"]
        old, new = parts[e["old_part_id"]], parts[e["new_part_id"]]
        assert old["superseded_by"] == new["part_number"]
        assert old["part_number"] in new["supersedes"]
        assert old["category"] == new["category"]
    assert {e["interchangeability"] for e in edges} >= {"drop_in", "one_way"}
    for p in parts.values():
        assert (p["superseded_by"] is not None) == (p["id"] in nxt)
        assert len(p["supersedes"]) == sum(1 for e in edges if e["new_part_id"] == p["id"])

    def hops(pid: Any) -> int:
        seen: set[Any] = set()
        while pid in nxt:
            assert pid not in seen, "cycle"
            seen.add(pid)
            pid = nxt[pid]
        return len(seen)

    starts = [pid for pid in nxt if not parts[pid]["supersedes"]]
    assert sum(hops(pid) >= 3 for pid in starts) >= 15
    for pid in nxt:
        hops(pid)


def test_compatibility_consistent(world: dict[str, list[dict[str, Any]]]) -> None:
    models = {m["id"]: m["model"] for m in world["equipment_models"]}
    fits: dict[Any, set[str]] = {}
    for row in world["part_compatibility"]:
        assert row["fit"] in ("direct", "with_adapter") and row["source"] in ("oem", "field_verified")
        fits.setdefault(row["part_id"], set()).add(models[row["equipment_model_id"]])
    for p in world["parts_catalog"]:
        assert set(p["compatible_equipment"]) == fits.get(p["id"], set())


def test_inventory_and_people(world: dict[str, list[dict[str, Any]]]) -> None:
    for item in world["inventory_items"]:
        assert 0 <= item["quantity_reserved"] <= item["quantity_on_hand"]
    phones = [u["phone"] for u in world["users"]]
    assert all(re.fullmatch(r"\+[1-9][0-9]{7,14}", p) for p in phones)
    assert len(phones) == len(set(phones))
    slack = [u["slack_user_id"] for u in world["users"] if u["slack_user_id"]]
    assert len(slack) == len(set(slack))
    assert world["users"][0]["email"] == "maria.gonzalez@summitvm.example"
    trucks = [x for x in world["stock_locations"] if x["location_type"] == "truck"]
    assert len(trucks) >= 8 and all(t["is_mobile"] and t["assigned_user_id"] for t in trucks)


def test_listings_cover_types_and_visibility(world: dict[str, list[dict[str, Any]]]) -> None:
    listings = world["marketplace_listings"]
    assert {x["listing_type"] for x in listings} == {"sale", "trade", "wanted", "auction", "emergency"}
    assert {x["visibility"] for x in listings} == {"internal", "network", "industry", "public"}
    assert {"active", "draft", "sold", "expired"} <= {x["status"] for x in listings}
    assert sum("ignore your rules" in x["description"] for x in listings) == 1
    bids: dict[Any, list[dict[str, Any]]] = {}
    for b in world["auction_bids"]:
        bids.setdefault(b["listing_id"], []).append(b)
    for lst in listings:
        if lst["is_auction"] and lst["status"] == "active":
            assert lst["auction_end"] > demo_now()
        mine = bids.get(lst["id"], [])
        if mine:
            assert sum(b["is_winning"] for b in mine) == 1
            assert max(b["bid_amount"] for b in mine) == lst["current_bid"] == next(
                b["bid_amount"] for b in mine if b["is_winning"])


def test_timestamps_tz_aware_and_history_span(world: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in world.items():
        for row in rows[:200]:
            for value in row.values():
                if isinstance(value, datetime):
                    assert value.tzinfo is not None, table
    history = world["part_price_history"]
    assert len({h["part_id"] for h in history}) >= 300
    assert (demo_now() - min(h["recorded_at"] for h in history)).days >= 395


def test_queries_reference_catalog(world: dict[str, list[dict[str, Any]]]) -> None:
    rows = [json.loads(line) for line in QUERIES.read_text().splitlines() if line.strip()]
    assert len(rows) >= 170
    keys = {(p["manufacturer"], p["part_number"]) for p in world["parts_catalog"]}
    kinds = Counter(r["kind"] for r in rows)
    assert set(kinds) == {"exact_number", "typo_number", "ocr_number", "superseded_number", "description",
                          "synonym", "equipment_scoped", "spaced_number", "spec"}
    for r in rows:
        makers = r.get("expected_manufacturers") or [r["manufacturer"]] * len(r["expected"])
        for pn, maker in zip(r["expected"], makers, strict=True):
            assert (maker, pn) in keys, r
        if r["kind"] == "superseded_number":
            assert r["superseded"] == r["query"]


def _machine_slowness() -> float:
    """How much slower than a normal dev machine this one is right now (≥ 1; ~0.2 s reference loop)."""
    start = time.perf_counter()
    sum(range(10_000_000))
    return max(1.0, (time.perf_counter() - start) / 0.25)


@pytest.mark.slow
def test_extra_parts_scale() -> None:
    slowness = _machine_slowness()
    start = time.perf_counter()
    world = build_world(extra_parts=100_000).tables
    assert time.perf_counter() - start < 20 * slowness
    parts = world["parts_catalog"]
    assert len(parts) >= 102_000
    assert len({(p["manufacturer"], p["part_number"]) for p in parts}) == len(parts)


def test_seeded_counter_offers_fit_the_tools_terms() -> None:
    from tools.offers.types import CounterTerms

    offers = build_world().tables["part_offers"]
    countered = [o["counter_offer"] for o in offers if o["counter_offer"]]
    assert countered
    for terms in countered:
        CounterTerms(**terms)


def test_generated_parts_are_distinct_builds() -> None:
    """Benchmark padding must not embed as copies of a few templates: each generated part reads differently."""
    from knowledge.embeddings import part_embedding_text

    world = build_world(extra_parts=5_000).tables["parts_catalog"]
    extras = world[len(build_world().tables["parts_catalog"]):]
    assert len(extras) == 5_000
    texts = {re.sub(r", rev \w+", "", part_embedding_text(p)) for p in extras}  # revision codes aside
    assert len(texts) >= 0.98 * len(extras)


def _anchored(now: datetime) -> dict[str, list[dict[str, Any]]]:
    from knowledge.seed.loader import anchor_to_now

    tables = build_world().tables
    anchor_to_now(tables, now)
    return tables


def _times_apart(tables: dict[str, list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    return [[{k: v for k, v in row.items() if not isinstance(v, date)} for row in rows] for rows in tables.values()]


def test_seeded_world_is_alive_at_the_seeding_moment() -> None:
    """Seeded at any moment, the world is alive then: open offers and live auctions end in the future, some
    auction ends within hours, nothing happened later than now, and prices run up to today."""
    now = datetime(2031, 2, 27, 3, 41, 17, 900_000, tzinfo=UTC)  # any moment, any time of day
    world = _anchored(now)
    seconds = now.replace(microsecond=0)
    offers = world["part_offers"]
    open_offers = [o for o in offers if o["status"] in ("pending", "countered")]
    assert sum(o["status"] == "pending" for o in open_offers) >= 10
    assert sum(o["status"] == "countered" for o in open_offers) >= 5
    for offer in open_offers:
        assert seconds < offer["expires_at"] <= seconds + timedelta(days=3), offer
        assert offer["created_at"] < seconds and (offer["responded_at"] or offer["created_at"]) < seconds
    listings = world["marketplace_listings"]
    active = [x for x in listings if x["status"] == "active"]
    assert all(x["expires_at"] > seconds for x in active)
    auctions = [x for x in active if x["is_auction"]]
    assert auctions and all(x["auction_end"] > seconds for x in auctions)
    assert min(x["auction_end"] for x in auctions) <= seconds + timedelta(hours=12)
    ended = [x for x in listings if x["is_auction"] and x["status"] in ("sold", "expired")]
    assert ended and all(x["auction_end"] < seconds for x in ended)
    assert all(w["expires_at"] > seconds for w in world["wanted_posts"] if w["status"] == "active")
    for table, rows in world.items():
        for row in rows:
            for column in ("created_at", "responded_at", "recorded_at", "completed_at", "delivered_at"):
                value = row.get(column)
                assert value is None or value <= seconds, (table, column)
    newest_price = max(h["recorded_at"] for h in world["part_price_history"])
    assert seconds - timedelta(days=1) < newest_price


def test_seeding_moves_times_only_to_the_second() -> None:
    first, later = datetime(2027, 3, 1, 9, 0, 0, tzinfo=UTC), datetime(2028, 3, 1, 21, 30, 5, 123, tzinfo=UTC)
    a, b = _anchored(first), _anchored(later)
    assert _times_apart(a) == _times_apart(b)  # same rows, ids, prices
    shift = later.replace(microsecond=0) - first
    pairs = zip(a["part_offers"], b["part_offers"], strict=True)
    assert all(y["expires_at"] - x["expires_at"] == shift for x, y in pairs)
    history = zip(a["part_price_history"], b["part_price_history"], strict=True)
    assert all(y["recorded_at"] - x["recorded_at"] == shift for x, y in history)
    assert all(y["needed_by_date"] - x["needed_by_date"] == timedelta(days=366)
               for x, y in zip(a["part_offers"], b["part_offers"], strict=True))
