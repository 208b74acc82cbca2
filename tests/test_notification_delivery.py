"""Notifications reach each person as they asked: on their channel (Slack, SMS through the real twilio client,
email as a MIME message to a loopback SMTP server), never inside their quiet hours (held, then sent), urgent ones
through when allowed, an hourly cap with the overflow folded into a digest, hourly and daily digests, STOP
honoured; a digest interrupted half way loses and repeats nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from knowledge import clock
from tests.api_helpers import api_client, body, error, headers_for
from tests.notice_helpers import Outlets, deliveries, new_person, outlets, tell
from tests.tool_helpers import key, ok
from tools.context import Caller
from tools.notifications.categories import CATEGORIES
from tools.notifications.digests import send_digests
from tools.registry import invoke


@pytest.fixture(scope="module")
def out(engine: Engine) -> Iterator[Outlets]:
    with outlets(engine) as running:
        yield running


def prefer(engine: Engine, who: Caller, **change: object) -> None:
    ok(invoke(engine, who, "set_notification_preferences", change, idempotency_key=key()))


def quiet_around_now(zone: str = "America/Chicago") -> dict[str, object]:
    """Quiet hours from an hour ago to an hour from now, local time (wrapping midnight when it must)."""
    local = clock.now().astimezone(ZoneInfo(zone))
    start, end = (local - timedelta(hours=1)).time(), (local + timedelta(hours=1)).time()
    return {"quiet_hours": {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}, "time_zone": zone}


def test_quiet_hours_hold_a_text_until_they_end_then_it_goes_once(engine: Engine, out: Outlets) -> None:
    who, phone = new_person(engine)
    prefer(engine, who, **quiet_around_now())
    tell(engine, who, title="Held offer PPN-Q")
    out.hub.deliver_notices()
    assert out.texts_to(phone) == [] and deliveries(engine, who) == [("Held offer PPN-Q", "sms", "pending")]
    with clock.moved_by(timedelta(hours=1, minutes=2)):
        out.hub.deliver_notices()
        out.hub.deliver_notices()
    [sent] = out.texts_to(phone)
    assert "Held offer PPN-Q" in sent and deliveries(engine, who)[0][2] == "sent"


def test_urgent_ones_break_through_only_when_allowed(engine: Engine, out: Outlets) -> None:
    who, phone = new_person(engine)
    prefer(engine, who, **quiet_around_now())
    tell(engine, who, "outbid", title="Outbid on PPN-U1")
    prefer(engine, who, urgent_breaks_quiet=True)
    tell(engine, who, "outbid", title="Outbid on PPN-U2")
    tell(engine, who, "offer_received", title="Offer on PPN-U3")
    out.hub.deliver_notices()
    assert [t for t in out.texts_to(phone)] == ["Partpilot: Outbid on PPN-U2. 1 × $50.00 offered."]


def test_a_daily_digest_folds_the_days_notices_into_one_text(engine: Engine, out: Outlets) -> None:
    who, phone = new_person(engine)
    prefer(engine, who, topics=[{"topic": "all", "cadence": "daily"}])
    for n in range(3):
        tell(engine, who, title=f"Digest offer PPN-D{n}")
    out.hub.deliver_notices()
    send_digests(engine, clock.now())  # (other tests' digests may be due: only this person's are looked at)
    assert out.texts_to(phone) == [] and {s for _, _, s in deliveries(engine, who)} == {"pending"}
    later = clock.now() + timedelta(hours=24, minutes=1)
    send_digests(engine, later)
    send_digests(engine, later)
    out.hub.deliver_notices()
    out.hub.deliver_notices()
    [digest] = out.texts_to(phone)
    assert "3 updates" in digest and all(f"PPN-D{n}" in digest for n in range(3))
    statuses = [status for _, _, status in deliveries(engine, who)]
    assert statuses == ["digested", "digested", "digested", "sent"]
    inbox = ok(invoke(engine, who, "list_notifications", {})).notifications
    assert [n.title for n in inbox][:3] == ["Digest offer PPN-D2", "Digest offer PPN-D1", "Digest offer PPN-D0"]
    assert len(inbox) == 3, "the digest itself is not an inbox item"


def test_past_the_hourly_cap_the_rest_wait_for_the_hourly_digest(engine: Engine, out: Outlets) -> None:
    who, phone = new_person(engine)
    prefer(engine, who, max_per_hour=2)
    for n in range(5):
        tell(engine, who, title=f"Capped PPN-C{n}")
    out.hub.deliver_notices()
    assert len(out.texts_to(phone)) == 2
    send_digests(engine, clock.now() + timedelta(minutes=61))
    assert [s for _, _, s in deliveries(engine, who)][2:] == ["digested"] * 3 + ["pending"]
    out.hub.deliver_notices()
    texts = out.texts_to(phone)
    assert len(texts) == 3 and "3 updates" in texts[2] and "PPN-C4" in texts[2]


def test_a_digest_that_fails_half_way_leaves_everything_for_the_next_run(engine: Engine, out: Outlets,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.notifications.digests as digests

    people = [new_person(engine) for _ in range(2)]
    for who, _ in people:
        prefer(engine, who, topics=[{"topic": "offers", "cadence": "hourly"}])
        tell(engine, who, title="Interrupted PPN-R")
    real, calls = digests.record, []

    def dies_on_the_second(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed mid-digest")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    later = clock.now() + timedelta(minutes=61)
    monkeypatch.setattr(digests, "record", dies_on_the_second)
    with pytest.raises(RuntimeError):
        send_digests(engine, later)
    assert all(deliveries(engine, who) == [("Interrupted PPN-R", "sms", "pending")] for who, _ in people)
    monkeypatch.setattr(digests, "record", real)
    send_digests(engine, later)
    send_digests(engine, later)
    assert all([s for _, _, s in deliveries(engine, who)] == ["digested", "pending"] for who, _ in people)
    out.hub.deliver_notices()
    assert all(len(out.texts_to(phone)) == 1 for _, phone in people)


def test_email_goes_out_as_a_mime_message_with_its_answers(engine: Engine, out: Outlets) -> None:
    from tools.notifications.events import Action

    who, _ = new_person(engine)
    prefer(engine, who, topics=[{"topic": "offers", "channel": "email"}])
    tell(engine, who, title="Mailed offer PPN-M", actions=[Action("Accept $50", "accept")])
    out.hub.deliver_notices()
    out.hub.deliver_notices()
    with engine.connect() as conn:
        address = conn.execute(text("SELECT email FROM users WHERE id = :u"), {"u": who.user_id}).scalar_one()
    [mail] = out.mail_to(address)
    assert mail["Subject"] == "Partpilot: Mailed offer PPN-M" and address in mail["To"]
    assert mail["Message-ID"].startswith("<notice-") and mail.is_multipart()
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    assert "1 × $50.00 offered." in plain.get_content() and "accept" in plain.get_content()
    assert "<h3>Mailed offer PPN-M</h3>" in html.get_content()
    assert deliveries(engine, who) == [("Mailed offer PPN-M", "email", "sent")]


def test_stop_silences_notices_and_a_topic_off_keeps_them_in_the_inbox(engine: Engine, out: Outlets) -> None:
    who, phone = new_person(engine)
    out.hub.ledger.opt_out("sms", phone)
    tell(engine, who, title="Opted out PPN-S")
    out.hub.deliver_notices()
    assert out.texts_to(phone) == [] and deliveries(engine, who) == [("Opted out PPN-S", "sms", "skipped")]
    out.hub.ledger.opt_in("sms", phone)
    prefer(engine, who, only_topics=["orders"])
    tell(engine, who, title="Offer while off PPN-S2")
    assert deliveries(engine, who)[1:] == []
    titles = [n.title for n in ok(invoke(engine, who, "list_notifications", {})).notifications]
    assert "Offer while off PPN-S2" in titles


def test_preferences_rest_contract(engine: Engine) -> None:
    who, _ = new_person(engine, slack=True)
    client, headers = api_client(), headers_for(engine, who)
    before = body(client.get("/api/v1/notifications/preferences", headers=headers))
    assert set(before) >= {"time_zone", "quiet_hours", "urgent_breaks_quiet", "max_per_hour", "topics"}
    assert {t["topic"]: t["channel"] for t in before["topics"]}["offers"] == "slack"
    change = {"quiet_hours": {"start": "18:00", "end": "07:00"}, "time_zone": "America/Denver",
              "topics": [{"topic": "auctions", "channel": "sms", "cadence": "daily"}]}
    after = body(client.put("/api/v1/notifications/preferences", json=change,
                            headers={**headers, "Idempotency-Key": key()}))
    assert after["quiet_hours"] == {"start": "18:00:00", "end": "07:00:00"} and after["time_zone"] == "America/Denver"
    auctions = next(t for t in after["topics"] if t["topic"] == "auctions")
    assert (auctions["channel"], auctions["cadence"], auctions["enabled"]) == ("sms", "daily", True)
    again = body(client.get("/api/v1/notifications/preferences", headers=headers))
    assert {k: v for k, v in again.items() if k != "message"} == {k: v for k, v in after.items() if k != "message"}
    error(client.put("/api/v1/notifications/preferences", json={"topics": [{"topic": "gossip"}]},
                     headers={**headers, "Idempotency-Key": key()}), 422)
    error(client.put("/api/v1/notifications/preferences", json={"time_zone": "Mars/Olympus"},
                     headers={**headers, "Idempotency-Key": key()}), 422)


def test_quiet_hours_overnight_end_the_next_morning() -> None:
    from tools.notifications.routing import Quiet

    quiet = Quiet(ZoneInfo("America/Chicago"), time(18), time(7))
    evening = datetime(2026, 12, 7, 20, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert quiet.end_of_quiet(evening) == datetime(2026, 12, 8, 7, 0, tzinfo=ZoneInfo("America/Chicago"))
    early = datetime(2026, 12, 8, 5, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert quiet.end_of_quiet(early) == datetime(2026, 12, 8, 7, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert quiet.end_of_quiet(datetime(2026, 12, 8, 12, 0, tzinfo=ZoneInfo("America/Chicago"))) is None


@pytest.mark.parametrize("category", sorted(c for c in CATEGORIES if c != "digest"))
def test_every_kind_of_notice_goes_out_on_slack_sms_and_email(engine: Engine, out: Outlets, category: str) -> None:
    texter, phone = new_person(engine)
    slacker, _ = new_person(engine, slack=True)
    mailer, _ = new_person(engine)
    prefer(engine, mailer, topics=[{"topic": "all", "channel": "email"}])
    for who in (texter, slacker, mailer):
        tell(engine, who, category, title=f"{category} for {who.user_id.hex[:6]}")
    out.hub.deliver_notices()
    assert [s for who in (texter, slacker, mailer) for _, _, s in deliveries(engine, who)] == ["sent"] * 3
    assert any(f"{category} for {texter.user_id.hex[:6]}" in t for t in out.texts_to(phone))
    assert any(f"{category} for {slacker.user_id.hex[:6]}" in p["text"] for p in out.slack.posted())
    assert any(f"{category} for {mailer.user_id.hex[:6]}" in str(m["Subject"]) for m in out.mailbox.received)


def test_the_stream_starts_with_the_newest_and_the_unread_count(engine: Engine) -> None:
    import json

    who, _ = new_person(engine)
    tell(engine, who, title="Streamed PPN-1")
    tell(engine, who, title="Streamed PPN-2")
    with api_client().stream("GET", "/api/v1/notifications/stream", headers=headers_for(engine, who)) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        assert next(lines) == "event: notifications"
        first = json.loads(next(lines).removeprefix("data: "))
    assert first["unread"] == 2 and [n["title"] for n in first["notifications"]] == ["Streamed PPN-2", "Streamed PPN-1"]
    assert set(first["notifications"][0]) >= {"id", "category", "title", "body", "created_at", "read_at", "channels"}


def test_the_notice_pump_sends_the_moment_a_notice_commits(engine: Engine, out: Outlets) -> None:
    import time as clock_time

    from partpilot.notice_pump import NoticePump

    pump = NoticePump(out.hub, engine).start()
    try:
        clock_time.sleep(0.5)  # listening
        who, phone = new_person(engine)
        tell(engine, who, title="Pumped PPN-P")
        deadline = clock_time.monotonic() + 5
        while not out.texts_to(phone) and clock_time.monotonic() < deadline:
            clock_time.sleep(0.05)
        assert out.texts_to(phone) == ["Partpilot: Pumped PPN-P. 1 × $50.00 offered."]
    finally:
        pump.stop()
