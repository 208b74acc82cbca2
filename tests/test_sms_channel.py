"""The SMS channel end to end: Twilio-signed webhooks to the real app over HTTP, replies through the real
twilio Client to a loopback fake of the REST API, MMS photos, YES/NO confirmations, STOP/START/HELP."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import Engine
from twilio.request_validator import RequestValidator

from channels.fakes._http import wait_until
from channels.fakes.twilio_rest import FakeTwilioRest
from channels.sms.render import CONFIRM_PROMPT
from tests.channel_fakes import OUR_NUMBER
from tests.channel_fakes import TWILIO_SID as SID
from tests.channel_fakes import TWILIO_TOKEN as TOKEN
from tests.channel_helpers import RunningApp, count, nameplate, running_app, user_with

MARIA, BEN = "maria.gonzalez@summitvm.example", "ben.carter@apexelevator.example"
GRACE = "grace.liu@frontrangehealth.example"
WANTED = "SELECT count(*) FROM wanted_posts WHERE requester_id = (SELECT id FROM users WHERE phone = :p)"


@pytest.fixture(scope="module")
def app(engine: Engine, twilio: FakeTwilioRest) -> Iterator[RunningApp]:
    env = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_FROM_NUMBER": OUR_NUMBER,
           "TWILIO_API_BASE_URL": twilio.base_url}
    with running_app(env) as running:
        yield running


def text_in(app: RunningApp, sender: str, body: str, media: list[tuple[str, str]] = (),  # type: ignore[assignment]
            sid: str | None = None, sign_url: str | None = None, headers: dict[str, str] | None = None,
            token: str = TOKEN) -> requests.Response:
    """POST an inbound message exactly as Twilio does (form-encoded, X-Twilio-Signature)."""
    sid = sid or f"SM{uuid.uuid4().hex}"
    params = {"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": SID, "From": sender,
              "To": OUR_NUMBER, "Body": body, "NumMedia": str(len(media)), "NumSegments": "1",
              "SmsStatus": "received", "ApiVersion": "2010-04-01", "FromCountry": "US"}
    for i, (url, content_type) in enumerate(media):
        params[f"MediaUrl{i}"], params[f"MediaContentType{i}"] = url, content_type
    url = f"{app.url}/sms/inbound"
    signature = RequestValidator(token).compute_signature(sign_url or url, params)
    return requests.post(url, data=params, headers={"X-Twilio-Signature": signature, **(headers or {})}, timeout=10)


def replies_to(twilio: FakeTwilioRest, number: str) -> list[str]:
    return [m["body"] for m in twilio.sent() if m["to"] == number]


def exchange(app: RunningApp, twilio: FakeTwilioRest, sender: str, body: str, **kw: object) -> list[str]:
    before = len(replies_to(twilio, sender))
    response = text_in(app, sender, body, **kw)  # type: ignore[arg-type]
    assert response.status_code == 200 and "<Response>" in response.text
    app.settle()
    return replies_to(twilio, sender)[before:]


def test_forged_and_tampered_webhooks_are_rejected(app: RunningApp, twilio: FakeTwilioRest) -> None:
    before = len(twilio.sent())
    assert text_in(app, "+13035550199", "hi", token="not-the-auth-token").status_code == 403
    sid = f"SM{uuid.uuid4().hex}"
    params = {"MessageSid": sid, "From": "+13035550199", "Body": "hi", "AccountSid": SID}
    signature = RequestValidator(TOKEN).compute_signature(f"{app.url}/sms/inbound", params)
    tampered = requests.post(f"{app.url}/sms/inbound", data={**params, "Body": "order 50"},
                             headers={"X-Twilio-Signature": signature}, timeout=10)
    unsigned = requests.post(f"{app.url}/sms/inbound", data=params, timeout=10)
    status = requests.post(f"{app.url}/sms/status", data={"MessageSid": sid, "MessageStatus": "delivered"},
                           headers={"X-Twilio-Signature": signature}, timeout=10)
    assert (tampered.status_code, unsigned.status_code, status.status_code) == (403, 403, 403)
    app.settle()
    assert len(twilio.sent()) == before


def test_signature_checked_against_the_public_url_behind_a_proxy(app: RunningApp, twilio: FakeTwilioRest,
                                                                  engine: Engine) -> None:
    phone = user_with(engine, "phone", BEN)
    app.clear_pending("sms", phone)
    public = "https://parts.example.com/sms/inbound"
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "parts.example.com"}
    assert text_in(app, phone, "HELP", sign_url=public).status_code == 403  # no forwarded headers: wrong URL
    assert text_in(app, phone, "HELP", sign_url=public, headers=proxied).status_code == 200
    app.settle()
    assert "Partpilot finds spare parts" in replies_to(twilio, phone)[-1]
    assert twilio.sent()[-1]["status_callback"] == "https://parts.example.com/sms/status"


def test_known_number_gets_a_short_plain_reply_with_numbered_choices(app: RunningApp, twilio: FakeTwilioRest,
                                                                       engine: Engine) -> None:
    phone = user_with(engine, "phone", MARIA)
    app.clear_pending("sms", phone)
    sid = f"SM{uuid.uuid4().hex}"
    bodies = exchange(app, twilio, phone, "where can I get a GAA24350BH1?", sid=sid)
    assert bodies and all(len(b) <= 320 for b in bodies)
    joined = "\n".join(bodies)
    assert "GAA24350BH1" in joined and re.search(r"1\) .*2\) .*Reply 1(, \d)* or \d\.", joined, re.DOTALL)
    assert not any(ch in joined for ch in "×–—“”’*#`")  # GSM-7 lookalikes, no Markdown
    sent = [m for m in twilio.sent() if m["to"] == phone][-len(bodies):]
    assert all(m["from"] == OUR_NUMBER and m["status_callback"].endswith("/sms/status") for m in sent)
    assert all(int(m["num_segments"]) == -(-len(m["body"]) // 153) or len(m["body"]) <= 160 for m in sent)
    # Twilio redelivers the same MessageSid: no second reply
    assert exchange(app, twilio, phone, "where can I get a GAA24350BH1?", sid=sid) == []


def test_long_replies_are_split_on_paragraphs_within_twilio_limits(app: RunningApp, twilio: FakeTwilioRest,
                                                                    engine: Engine) -> None:
    phone = user_with(engine, "phone", MARIA)
    app.clear_pending("sms", phone)
    bodies = exchange(app, twilio, phone, "door operator for an Otis Gen2")
    sent = [m for m in twilio.sent() if m["to"] == phone][-len(bodies):]
    assert all(len(m["body"]) <= 1600 and int(m["num_segments"]) <= 3 for m in sent)
    with engine.connect() as conn:
        from sqlalchemy import text

        stored = dict(conn.execute(text("SELECT message_id, segments FROM channel_outbound_messages "
                                        "WHERE channel = 'sms' AND message_id = ANY(:ids)"),
                                   {"ids": [m["sid"] for m in sent]}).all())
    assert stored == {m["sid"]: int(m["num_segments"]) for m in sent}


def test_unknown_number_gets_onboarding_and_no_data(app: RunningApp, twilio: FakeTwilioRest) -> None:
    stranger = "+19995550100"
    bodies = exchange(app, twilio, stranger, "where can I get a GAA24350BH1?")
    assert len(bodies) == 1 and "not linked to a Partpilot user" in bodies[0] and "GAA24350BH1" not in bodies[0]


def test_mms_photo_is_identified(app: RunningApp, twilio: FakeTwilioRest, engine: Engine) -> None:
    phone = user_with(engine, "phone", MARIA)
    app.clear_pending("sms", phone)
    url = twilio.add_media(nameplate("GAA24350BH1", "Otis", "Door operator AT400"), "image/jpeg")
    photos = "SELECT count(*) FROM photos WHERE source = 'sms'"
    before = count(engine, photos)
    bodies = exchange(app, twilio, phone, "what is this?", media=[(url, "image/jpeg")])
    assert "GAA24350BH1" in "\n".join(bodies)
    assert count(engine, photos) == before + 1


def test_non_image_media_is_refused_politely(app: RunningApp, twilio: FakeTwilioRest, engine: Engine) -> None:
    phone = user_with(engine, "phone", GRACE)
    app.clear_pending("sms", phone)
    url = twilio.add_media(b"BEGIN:VCARD\nEND:VCARD\n", "text/vcard")
    bodies = exchange(app, twilio, phone, "", media=[(url, "text/vcard")])
    assert len(bodies) == 1 and "only read photos" in bodies[0]


def test_yes_writes_exactly_once(app: RunningApp, twilio: FakeTwilioRest, engine: Engine) -> None:
    phone = user_with(engine, "phone", MARIA)
    app.clear_pending("sms", phone)
    before = count(engine, WANTED, p=phone)
    asked = "\n".join(exchange(app, twilio, phone, "post a wanted request for 2 GAA26800LC1, max $5000 each"))
    assert "Post a wanted request for 2 x GAA26800LC1" in asked and CONFIRM_PROMPT in asked
    assert count(engine, WANTED, p=phone) == before
    sid = f"SM{uuid.uuid4().hex}"
    done = exchange(app, twilio, phone, "YES", sid=sid)
    assert done and count(engine, WANTED, p=phone) == before + 1
    assert exchange(app, twilio, phone, "YES", sid=sid) == []  # redelivered
    exchange(app, twilio, phone, "YES")  # a second, separate YES has nothing left to confirm
    assert count(engine, WANTED, p=phone) == before + 1


def test_no_cancels(app: RunningApp, twilio: FakeTwilioRest, engine: Engine) -> None:
    phone = user_with(engine, "phone", MARIA)
    app.clear_pending("sms", phone)
    before = count(engine, WANTED, p=phone)
    assert CONFIRM_PROMPT in "\n".join(exchange(app, twilio, phone, "post a wanted request for 1 GAA26800LC1"))
    exchange(app, twilio, phone, "NO")
    assert count(engine, WANTED, p=phone) == before


def test_stop_start_help(app: RunningApp, twilio: FakeTwilioRest, engine: Engine) -> None:
    phone = user_with(engine, "phone", GRACE)
    app.clear_pending("sms", phone)
    assert exchange(app, twilio, phone, "STOP") == []
    assert app.hub.ledger.opted_out("sms", phone)
    assert exchange(app, twilio, phone, "where can I get a GAA24350BH1?") == []
    assert exchange(app, twilio, phone, "START") == []
    assert not app.hub.ledger.opted_out("sms", phone)
    help_reply = exchange(app, twilio, phone, "help")
    assert len(help_reply) == 1 and "STOP" in help_reply[0]


def test_status_callbacks_are_recorded(app: RunningApp, twilio: FakeTwilioRest, engine: Engine) -> None:
    phone = user_with(engine, "phone", BEN)
    exchange(app, twilio, phone, "HELP")
    sid = twilio.sent()[-1]["sid"]
    assert app.hub.ledger.status_of("sms", sid) == "queued"
    assert set(twilio.deliver_statuses([sid], "sent", "delivered")) == {204}
    assert wait_until(lambda: app.hub.ledger.status_of("sms", sid) == "delivered", 10)
