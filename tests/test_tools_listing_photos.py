"""Photos on listings: create_listing attaches the seller's own stored photos (in order, once each), refuses
anyone else's, and listing detail returns the ids; a listing's photos are visible to whoever sees the listing."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from evals.nameplates import NameplateSpec, render_nameplate
from tests.tool_helpers import fails, key, ok
from tools.context import Caller
from tools.photos.store import load_listing_photo_bytes, load_photo_bytes, save_photo
from tools.registry import invoke, summarize_call

LISTINGS = "SELECT count(*) FROM marketplace_listings WHERE seller_id = :u"


def _photo(engine: Engine, caller: Caller, seed: int) -> str:
    return save_photo(engine, caller, render_nameplate(NameplateSpec("Testco", f"PPH-{seed}", "Relay"), seed=seed))


def _args(**fields: object) -> dict[str, object]:
    return {"listing_type": "sale", "part_number": f"PPH-{uuid.uuid4().hex[:8].upper()}", "manufacturer": "Testco",
            "name": "Test relay", "category": "electrical_relay", "condition": "used_good", "price": "80",
            "visibility": "public", **fields}


def _count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_create_listing_attaches_own_photos_in_order(engine: Engine, metro: Caller, maria: Caller) -> None:
    first, second = _photo(engine, metro, 1), _photo(engine, metro, 2)
    args = _args(photo_ids=[second, first, second])
    assert "with 2 photos" in summarize_call(engine, metro, "create_listing", args)
    created = ok(invoke(engine, metro, "create_listing", args, idempotency_key=key()))
    assert [str(p) for p in created.photo_ids] == [second, first]
    listing_id = str(created.listing.id)
    rows = _count(engine, "SELECT count(*) FROM listing_photos WHERE listing_id = :l", l=listing_id)
    assert rows == 2
    own = ok(invoke(engine, metro, "get_listing", {"listing_id": listing_id}))
    assert [str(p) for p in own.photo_ids] == [second, first]
    with Session(engine) as session:  # a draft is the seller's alone, and so are its photos
        assert load_listing_photo_bytes(session, maria, second) is None
    ok(invoke(engine, metro, "publish_listing", {"listing_id": listing_id}, idempotency_key=key()))
    seen = ok(invoke(engine, maria, "get_listing", {"listing_id": listing_id}))
    assert [str(p) for p in seen.photo_ids] == [second, first]
    with Session(engine) as session:
        assert load_listing_photo_bytes(session, maria, first) == load_photo_bytes(session, metro, first) is not None
        assert load_listing_photo_bytes(session, maria, _photo(engine, metro, 3)) is None  # not on any listing


def test_someone_elses_or_unknown_photo_is_refused(engine: Engine, metro: Caller, maria: Caller) -> None:
    before = _count(engine, LISTINGS, u=metro.user_id)
    theirs = _photo(engine, maria, 4)
    refused = fails(invoke(engine, metro, "create_listing", _args(photo_ids=[theirs]), idempotency_key=key()),
                    "not_found")
    assert theirs in refused.message and "Summit" not in refused.message
    fails(invoke(engine, metro, "create_listing", _args(photo_ids=[str(uuid.uuid4())]), idempotency_key=key()),
          "not_found")
    assert _count(engine, LISTINGS, u=metro.user_id) == before, "a refused photo rolls the whole listing back"
    fails(invoke(engine, metro, "create_listing", _args(photo_ids=["not-a-uuid"]), idempotency_key=key()),
          "invalid")
    too_many = [_photo(engine, metro, 10)] * 11
    fails(invoke(engine, metro, "create_listing", _args(photo_ids=too_many), idempotency_key=key()), "invalid")


def test_listing_without_photos_has_none(engine: Engine, metro: Caller) -> None:
    created = ok(invoke(engine, metro, "create_listing", _args(), idempotency_key=key()))
    assert created.photo_ids == []
    assert ok(invoke(engine, metro, "get_listing", {"listing_id": str(created.listing.id)})).photo_ids == []
