"""Time-dependent state as the tools show it, against the application clock (knowledge.clock): an open offer
past its expiry reads as expired and cannot be answered, an auction past its end reads as ended and takes no
bids — and reads never change the rows. The clock is moved in-process rather than rows edited, so these also
check that no tool asks the database server for its own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from knowledge import clock
from knowledge.settings import Settings
from tests.tool_helpers import create_test_listing, fails, key, ok
from tools.context import Caller
from tools.registry import invoke


def _listing(engine: Engine, seller: Caller, **fields: Any) -> str:
    return str(create_test_listing(engine, seller, "PPK", name="Test clock part", category="hvac_sensor",
                                   quantity=2, **fields))


def _stored_status(engine: Engine, table: str, row_id: object) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text(f"SELECT status FROM {table} WHERE id = :id"), {"id": row_id}).scalar_one())


def test_clock_offset_from_settings_and_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    configured = clock.offset()
    real = datetime.now(UTC)
    assert abs(clock.now() - real - configured) < timedelta(seconds=5)
    with clock.moved_by(timedelta(days=365)):
        assert clock.offset() == timedelta(days=365)
        assert timedelta(days=365) <= clock.now() - real < timedelta(days=365, minutes=1)
        assert clock.now().tzinfo is not None
    assert clock.offset() == configured
    monkeypatch.setenv("PARTPILOT_CLOCK_OFFSET_DAYS", "1.5")
    assert Settings(_env_file=None).clock_offset_days == 1.5  # type: ignore[call-arg]
    monkeypatch.delenv("PARTPILOT_CLOCK_OFFSET_DAYS")
    assert Settings(_env_file=None).clock_offset_days == 0  # type: ignore[call-arg]


def test_expired_offer_reads_expired_and_cannot_be_answered(engine: Engine, maria: Caller, metro: Caller) -> None:
    lid = _listing(engine, metro)
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "90"},
                      idempotency_key=key())).offer
    assert offer.status == "pending" and offer.expires_at is not None
    listed = ok(invoke(engine, metro, "list_offers", {"direction": "received", "listing_id": lid, "status": "pending"}))
    assert [o.id for o in listed.offers] == [offer.id]
    with clock.moved_by(offer.expires_at - datetime.now(UTC) + timedelta(minutes=5)):
        seen = ok(invoke(engine, metro, "list_offers", {"direction": "received", "listing_id": lid})).offers
        assert [(o.id, o.status, o.awaiting) for o in seen] == [(offer.id, "expired", None)]
        assert ok(invoke(engine, metro, "list_offers", {"direction": "received", "listing_id": lid,
                                                        "status": "pending"})).offers == []
        assert [o.id for o in ok(invoke(engine, maria, "list_offers", {"direction": "sent", "listing_id": lid,
                                                                        "status": "expired"})).offers] == [offer.id]
        assert ok(invoke(engine, maria, "get_listing", {"listing_id": lid})).your_open_offers == 0
        for action in ("accept", "reject", "counter"):
            terms = {"counter_price": "95"} if action == "counter" else {}
            failure = fails(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": action,
                                                                        **terms},
                                   idempotency_key=key()), "conflict")
            assert "expired" in failure.message
        assert "expired" in fails(invoke(engine, maria, "withdraw_offer", {"offer_id": str(offer.id)},
                                         idempotency_key=key()), "conflict").message
    assert _stored_status(engine, "part_offers", offer.id) == "pending"  # reads and refusals wrote nothing
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM part_transactions WHERE offer_id = :id"),
                            {"id": offer.id}).scalar() == 0
    # the real clock again: the offer is open and can be accepted
    accepted = ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer.id), "action": "accept"},
                         idempotency_key=key()))
    assert accepted.offer.status == "accepted" and accepted.transaction is not None


def test_new_rows_take_their_times_from_the_clock(engine: Engine, maria: Caller, metro: Caller) -> None:
    with clock.moved_by(timedelta(days=200)):
        lid = _listing(engine, metro)
        offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": lid, "offered_price": "90"},
                          idempotency_key=key())).offer
        moved_now = clock.now()
    assert abs(offer.created_at - moved_now) < timedelta(minutes=1)
    assert offer.expires_at is not None and offer.expires_at - moved_now > timedelta(days=2)
    with engine.connect() as conn:
        listing = conn.execute(text("SELECT created_at, updated_at, expires_at FROM marketplace_listings "
                                    "WHERE id = :id"), {"id": lid}).one()
    assert abs(listing.created_at - moved_now) < timedelta(minutes=1)
    assert abs(listing.updated_at - moved_now) < timedelta(minutes=1)
    assert listing.expires_at - moved_now > timedelta(days=20)
    ok(invoke(engine, metro, "cancel_listing", {"listing_id": lid}, idempotency_key=key()))


def test_auction_past_its_end_reads_ended_and_takes_no_bids(engine: Engine, maria: Caller, metro: Caller) -> None:
    end = clock.now() + timedelta(days=1)
    lid = _listing(engine, metro, listing_type="auction", price=None, starting_bid="100", bid_increment="10",
                   auction_end=end.isoformat())
    number = ok(invoke(engine, maria, "get_listing", {"listing_id": lid})).part_number
    live = ok(invoke(engine, maria, "get_listing", {"listing_id": lid}))
    assert live.status == "active" and live.auction is not None and not live.auction.ended
    found = ok(invoke(engine, maria, "search_listings", {"part_number": number})).results
    assert [(h.status, str(h.id)) for h in found] == [("active", lid)]
    with clock.moved_by(timedelta(days=2)):
        ended = ok(invoke(engine, maria, "get_listing", {"listing_id": lid}))
        assert ended.status == "ended" and ended.auction is not None and ended.auction.ended
        assert ok(invoke(engine, maria, "search_listings", {"part_number": number})).results == []
        own = ok(invoke(engine, metro, "search_listings", {"part_number": number, "mine_only": True})).results
        assert [(h.status, str(h.id)) for h in own] == [("ended", lid)]
        failure = fails(invoke(engine, maria, "place_bid", {"listing_id": lid, "max_bid": "150"},
                               idempotency_key=key()), "unavailable")
        assert "ended" in failure.message
    assert _stored_status(engine, "marketplace_listings", lid) == "active"
    ok(invoke(engine, maria, "place_bid", {"listing_id": lid, "max_bid": "150"}, idempotency_key=key()))
