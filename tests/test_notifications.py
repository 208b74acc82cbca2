"""Notifications are written with the change that causes them: an offer's seller hears of it, the buyer of the
counter, the seller of the acceptance; the clock's expiries and settled auctions tell their people once; each
person sees and marks read only their own, by tool and by REST."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, text

from knowledge import clock
from tests.api_helpers import api_client, body, error, headers_for
from tests.tool_helpers import create_test_listing, fails, key, ok
from tools.context import Caller
from tools.notifications.events import notify
from tools.registry import invoke


def _mine(engine: Engine, who: Caller, subject: object) -> list[str]:
    found = ok(invoke(engine, who, "list_notifications", {"limit": 100})).notifications
    return [n.category for n in found if n.subject_id == subject]


def test_each_side_of_an_offer_hears_of_the_other_sides_move(engine: Engine, maria: Caller, metro: Caller) -> None:
    listing = create_test_listing(engine, metro, "NTF", name="Test notice part", category="hvac_sensor")
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": str(listing), "quantity": 1,
                                                      "offered_price": "80"}, idempotency_key=key())).offer.id
    assert _mine(engine, metro, offer) == ["offer_received"] and _mine(engine, maria, offer) == []
    ok(invoke(engine, metro, "respond_to_offer", {"offer_id": str(offer), "action": "counter",
                                                  "counter_price": "90"}, idempotency_key=key()))
    assert _mine(engine, maria, offer) == ["offer_countered"]
    ok(invoke(engine, maria, "respond_to_offer", {"offer_id": str(offer), "action": "accept"}, idempotency_key=key()))
    assert _mine(engine, metro, offer) == ["offer_accepted", "offer_received"]
    [received] = [n for n in ok(invoke(engine, metro, "list_notifications", {"limit": 100})).notifications
                  if n.subject_id == offer and n.category == "offer_received"]
    assert "$80" in received.body
    assert [(c.channel, c.status) for c in received.channels] == [("web", "delivered"), ("sms", "pending")], \
        "the seller has no Slack account linked: a text waits to be sent"


def test_the_same_event_is_told_once(engine: Engine, maria: Caller) -> None:
    subject = uuid.uuid4()
    with engine.begin() as conn:
        first = notify(conn, maria.user_id, "outbid", "Outbid", "x", subject_type="listing", subject_id=subject,
                       event="e1")
        again = notify(conn, maria.user_id, "outbid", "Outbid", "x", subject_type="listing", subject_id=subject,
                       event="e1")
    assert first and not again and _mine(engine, maria, subject) == ["outbid"]


def test_the_clock_tells_the_holder_once(engine: Engine, maria: Caller) -> None:
    from tools.inventory.hold_rules import expire_holds

    with engine.begin() as conn:
        item = conn.execute(text("SELECT id FROM inventory_items WHERE organization_id = :o AND "
                                 "quantity_on_hand - quantity_reserved >= 1 ORDER BY id LIMIT 1"),
                            {"o": maria.organization_id}).scalar_one()
        hold = conn.execute(text(
            "INSERT INTO stock_holds (inventory_item_id, organization_id, user_id, quantity, pickup_code, status, "
            "created_at, expires_at) VALUES (:i, :o, :u, 1, :c, 'active', :t, :t) RETURNING id"),
            {"i": item, "o": maria.organization_id, "u": maria.user_id, "c": uuid.uuid4().hex[:6].upper(),
             "t": clock.now() - timedelta(hours=5)}).scalar_one()
        conn.execute(text("UPDATE inventory_items SET quantity_reserved = quantity_reserved + 1 WHERE id = :i"),
                     {"i": item})
    expire_holds(engine, clock.now())
    expire_holds(engine, clock.now())
    assert _mine(engine, maria, hold) == ["hold_expired"]


def test_rest_lists_only_yours_newest_first_and_marks_read(engine: Engine, maria: Caller, metro: Caller) -> None:
    listing = create_test_listing(engine, metro, "NTR", name="Test notice part", category="hvac_sensor")
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": str(listing), "quantity": 1,
                                                      "offered_price": "70"}, idempotency_key=key())).offer.id
    client = api_client()
    seller, buyer = headers_for(engine, metro), headers_for(engine, maria)
    page: dict[str, Any] = body(client.get("/api/v1/notifications", headers=seller, params={"unread_only": True}))
    [item] = [n for n in page["items"] if n["subject_id"] == str(offer)]
    assert set(item) >= {"id", "category", "title", "body", "created_at", "read_at", "channels"}
    assert item["read_at"] is None and item["channels"][0] == {"channel": "web", "status": "delivered"}
    stamps = [n["created_at"] for n in page["items"]]
    assert stamps == sorted(stamps, reverse=True)
    mine = [n["id"] for n in body(client.get("/api/v1/notifications", headers=buyer))["items"]]
    assert item["id"] not in mine, "someone else's notification was listed"
    error(client.post(f"/api/v1/notifications/{item['id']}/read", headers={**buyer, "Idempotency-Key": key()}),
          404, "not_found")
    marked = body(client.post(f"/api/v1/notifications/{item['id']}/read",
                              headers={**seller, "Idempotency-Key": key()}))
    assert marked["marked"] == 1
    again = body(client.post(f"/api/v1/notifications/{item['id']}/read", headers={**seller, "Idempotency-Key": key()}))
    assert again["marked"] == 0
    unread = body(client.get("/api/v1/notifications", headers=seller, params={"unread_only": True}))["items"]
    assert item["id"] not in [n["id"] for n in unread]
    assert fails(invoke(engine, maria, "mark_notifications_read", {"notification_ids": [item["id"]]},
                        idempotency_key=key()), "not_found")


def test_notices_go_out_once_on_each_persons_own_channel(engine: Engine) -> None:
    from tests.notice_helpers import new_person, outlets

    with outlets(engine) as out:
        slacker, _ = new_person(engine, "Summit Vertical & Mechanical", slack=True)  # Slack linked: a DM
        texter, phone = new_person(engine)  # no Slack account: a text
        subject = uuid.uuid4()
        with engine.begin() as conn:
            for who in (slacker, texter):
                notify(conn, who.user_id, "offer_received", "New offer on PPQ-1", "1 × $50.00 offered.",
                       subject_type="offer", subject_id=subject, event="e")
            slack_id = conn.execute(text("SELECT slack_user_id FROM users WHERE id = :u"),
                                    {"u": slacker.user_id}).scalar_one()
        conn_rows = "SELECT d.channel, d.status, d.provider_id FROM notification_deliveries d JOIN notifications n " \
                    "ON n.id = d.notification_id WHERE n.subject_id = :s AND d.channel <> 'web' ORDER BY d.channel"
        assert out.hub.deliver_notices() >= 2
        assert out.hub.deliver_notices() == 0, "a delivery went out twice"
        [dm] = [p for p in out.slack.posted() if p["channel"] == slack_id and "PPQ-1" in p["text"]]
        assert "1 × $50.00 offered" in dm["text"]
        [sms] = [m for m in out.twilio.sent() if m["to"] == phone and "PPQ-1" in m["body"]]
        with engine.connect() as conn:
            rows = conn.execute(text(conn_rows), {"s": subject}).all()
        assert [(r.channel, r.status) for r in rows] == [("slack", "sent"), ("sms", "sent")]
        assert rows[1].provider_id == sms["sid"]
