"""Part detail, wanted-post answers, auction bid history and the watchlist listing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from tests.tool_helpers import create_test_listing, fails, key, member, ok
from tools.context import Caller
from tools.registry import invoke

PART = {"name": "Test relay", "category": "electrical_relay"}


def test_get_part_has_fit_chain_and_alternatives(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        part_id = conn.execute(text(
            "SELECT s.old_part_id FROM part_supersessions s JOIN part_compatibility c ON c.part_id = s.old_part_id "
            "ORDER BY s.old_part_id LIMIT 1")).scalar_one()
    detail = ok(invoke(engine, maria, "get_part", {"part_id": str(part_id)}))
    assert detail.compatible_equipment and detail.supersession_chain
    assert detail.current_part_number != detail.part_number
    assert any(a.relation == "newer" for a in detail.alternatives)
    fails(invoke(engine, maria, "get_part", {"part_id": str(uuid.uuid4())}), "not_found")


def test_respond_to_wanted_post(engine: Engine, maria: Caller, metro: Caller) -> None:
    post = ok(invoke(engine, maria, "create_wanted_post", {
        "description": "Test relay for a panel", "part_number": f"PPW-{uuid.uuid4().hex[:6]}", "manufacturer": "Testco",
        "category": "electrical_contactor", "quantity_needed": 2, "acceptable_conditions": ["used_good", "new"],
        "visibility": "public"}, idempotency_key=key())).post
    args = {"wanted_post_id": str(post.id), "condition": "used_good", "price": "80", "message": "Have two"}
    fails(invoke(engine, maria, "respond_to_wanted_post", args, idempotency_key=key()), "forbidden")
    fails(invoke(engine, metro, "respond_to_wanted_post", {**args, "condition": "salvage"}, idempotency_key=key()),
          "invalid")
    answer = ok(invoke(engine, metro, "respond_to_wanted_post", args, idempotency_key=key())).response
    assert answer.quantity == 2 and answer.price == 80 and answer.is_own
    fails(invoke(engine, metro, "respond_to_wanted_post", args, idempotency_key=key()), "conflict")
    fails(invoke(engine, metro, "respond_to_wanted_post", {**args, "wanted_post_id": str(uuid.uuid4())},
                 idempotency_key=key()), "not_found")
    seen = ok(invoke(engine, maria, "list_wanted_responses", {"wanted_post_id": str(post.id)})).responses
    assert [r.id for r in seen] == [answer.id] and not seen[0].is_own
    with engine.connect() as conn:
        assert conn.execute(text("SELECT responses_count FROM wanted_posts WHERE id = :id"),
                            {"id": post.id}).scalar_one() == 1
    rival = member(engine, "Rival Lift & Climate", selling=True)
    assert ok(invoke(engine, rival, "list_wanted_responses", {"wanted_post_id": str(post.id)})).responses == []


def test_bid_history_masks_other_bidders(engine: Engine, maria: Caller, metro: Caller) -> None:
    end = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    lid = str(create_test_listing(engine, metro, "PPB", listing_type="auction", price=None, starting_bid="100",
                                  auction_end=end, name="Test drive", category="hvac_blower"))
    apex = member(engine, "Apex Elevator Services", selling=False)
    ok(invoke(engine, maria, "place_bid", {"listing_id": lid, "max_bid": "150"}, idempotency_key=key()))
    ok(invoke(engine, apex, "place_bid", {"listing_id": lid, "max_bid": "300"}, idempotency_key=key()))
    history = ok(invoke(engine, maria, "list_bids", {"listing_id": lid}))
    assert history.bid_count == len(history.bids) >= 2
    mine = [b for b in history.bids if b.is_yours]
    theirs = [b for b in history.bids if not b.is_yours]
    assert mine and all(b.max_bid is not None for b in mine) and all(b.bidder == "you" for b in mine)
    assert theirs and all(b.max_bid is None and b.bidder.startswith("Bidder ") for b in theirs)
    assert history.bids[0].is_winning and not history.bids[0].is_yours
    fixed = str(create_test_listing(engine, metro, "PPB", **PART))
    fails(invoke(engine, maria, "list_bids", {"listing_id": fixed}), "invalid")
    draft = str(create_test_listing(engine, metro, "PPB", publish=False, **PART))
    fails(invoke(engine, maria, "list_bids", {"listing_id": draft}), "not_found")


def test_watchlist_lists_own_entries(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = str(create_test_listing(engine, metro, "PPL", **PART))
    ok(invoke(engine, maria, "watch_listing", {"listing_id": lid, "price_alert_threshold": "150", "notes": "job"},
              idempotency_key=key()))
    listed = ok(invoke(engine, maria, "list_watchlist", {"limit": 200}))
    entry = next(i for i in listed.items if str(i.listing_id) == lid)
    assert entry.alert_reached and entry.notes == "job" and entry.listing is not None
    assert listed.total >= len(listed.items)
    assert all(str(i.listing_id) != lid for i in ok(invoke(engine, metro, "list_watchlist", {})).items)
    ok(invoke(engine, metro, "cancel_listing", {"listing_id": lid}, idempotency_key=key()))
    gone = next(i for i in ok(invoke(engine, maria, "list_watchlist", {"limit": 200})).items
                if str(i.listing_id) == lid)
    assert gone.listing is None and not gone.alert_reached
