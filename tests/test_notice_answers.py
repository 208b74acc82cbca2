"""A notification answered where it arrives: a text says "Reply ACCEPT, COUNTER 90 or IGNORE" and the reply
acts on that offer; a Slack notice's button answers in the notice's own thread. The offer is in focus for the
local planner, and the WRITE still waits for the usual confirmation. Real app, signed webhooks, real twilio
and slack_sdk clients against the loopback fakes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, text

from channels.fakes.slack_web_api import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest
from channels.slack.blocks import CHOICES_BLOCK, CONFIRM_ACTION
from channels.sms.render import CONFIRM_PROMPT
from tests.channel_fakes import OUR_NUMBER, SLACK_SECRET, SLACK_TOKEN, TWILIO_SID, TWILIO_TOKEN
from tests.channel_helpers import RunningApp, running_app
from tests.notice_helpers import new_person
from tests.test_slack_channel import click, posts_in, signed_post
from tests.test_sms_channel import exchange, replies_to
from tests.tool_helpers import create_test_listing, key, ok
from tools.context import Caller
from tools.registry import invoke


@pytest.fixture(scope="module")
def app(engine: Engine, slack: FakeSlackWebApi, twilio: FakeTwilioRest) -> Iterator[RunningApp]:
    env = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_BASE_URL": slack.base_url,
           "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_FROM_NUMBER": OUR_NUMBER,
           "TWILIO_API_BASE_URL": twilio.base_url}
    with running_app(env) as running:
        yield running


def offer_status(engine: Engine, offer: object) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT status FROM part_offers WHERE id = :o"), {"o": offer}).scalar_one())


def an_offer_to_a_texting_seller(engine: Engine, maria: Caller) -> tuple[Caller, str, Any]:
    seller, phone = new_person(engine, "Metro Salvage & Surplus", role="seller")
    listing = create_test_listing(engine, seller, "ANS", name="Answered notice part", category="hvac_sensor")
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": str(listing), "quantity": 1,
                                                      "offered_price": "80"}, idempotency_key=key())).offer.id
    return seller, phone, offer


def test_a_texted_offer_is_accepted_by_replying_accept_then_yes(app: RunningApp, twilio: FakeTwilioRest,
                                                                  engine: Engine, maria: Caller) -> None:
    _, phone, offer = an_offer_to_a_texting_seller(engine, maria)
    app.hub.deliver_notices()
    [notice] = replies_to(twilio, phone)
    assert "Summit Vertical & Mechanical offers 1 × $80" in notice and "Reply ACCEPT, COUNTER 90 or IGNORE." in notice
    [asked] = exchange(app, twilio, phone, "ACCEPT")
    assert "Accept Summit Vertical & Mechanical's offer of $80" in asked and CONFIRM_PROMPT in asked
    assert offer_status(engine, offer) == "pending", "nothing is done before YES"
    exchange(app, twilio, phone, "YES")
    assert offer_status(engine, offer) == "accepted"


def test_counter_and_ignore_by_text(app: RunningApp, twilio: FakeTwilioRest, engine: Engine, maria: Caller) -> None:
    _, phone, offer = an_offer_to_a_texting_seller(engine, maria)
    app.hub.deliver_notices()
    [asked] = exchange(app, twilio, phone, "counter 95")
    assert "with $95 each" in asked and CONFIRM_PROMPT in asked
    exchange(app, twilio, phone, "no")
    [ignored] = exchange(app, twilio, phone, "IGNORE")
    assert "?" not in ignored and offer_status(engine, offer) == "pending"


def press_notice(app: RunningApp, post: dict[str, Any], user: str, label: str) -> None:
    """Click a button of a top-level notification DM, exactly as Slack posts the block_actions payload."""
    actions = next(b for b in post["blocks"] if b.get("block_id") == CHOICES_BLOCK)
    button = next(e for e in actions["elements"] if e["text"]["text"] == label)
    ts = post["_response_ts"]
    payload = {
        "type": "block_actions", "user": {"id": user, "username": "tech", "team_id": TEAM_ID}, "api_app_id": "A0PARTS",
        "token": "legacy", "trigger_id": "13345224609.738474920.8088930838d88f008e1", "team": {"id": TEAM_ID},
        "container": {"type": "message", "message_ts": ts, "channel_id": post["channel"], "is_ephemeral": False},
        "channel": {"id": post["channel"], "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, "text": post["text"],
                    "blocks": post["blocks"]},
        "response_url": "https://hooks.slack.com/actions/T0PARTS1/1/abd",
        "actions": [{"action_id": button["action_id"], "block_id": CHOICES_BLOCK, "value": button["value"],
                     "type": "button", "action_ts": f"{time.time():.6f}", "text": button["text"]}],
    }
    response = signed_post(app, "/slack/interactivity", "payload=" + requests.utils.quote(json.dumps(payload)),
                           "application/x-www-form-urlencoded")
    assert response.status_code == 200
    app.settle()


def test_a_slack_counter_offer_is_accepted_with_its_button_in_its_thread(
        app: RunningApp, slack: FakeSlackWebApi, engine: Engine) -> None:
    buyer, _ = new_person(engine, "Summit Vertical & Mechanical", slack=True)  # fresh: under any hourly cap
    seller, _, offer = an_offer_to_a_texting_seller(engine, buyer)
    ok(invoke(engine, seller, "respond_to_offer", {"offer_id": str(offer), "action": "counter", "counter_price": "90"},
              idempotency_key=key()))
    with engine.connect() as conn:
        slack_id = conn.execute(text("SELECT slack_user_id FROM users WHERE id = :u"), {"u": buyer.user_id}).scalar()
    app.hub.deliver_notices()
    [dm] = [p for p in slack.posted() if p["channel"] == slack_id and "countered your offer on ANS" in p["text"]]
    labels = [e["text"]["text"] for b in dm["blocks"] if b.get("block_id") == CHOICES_BLOCK for e in b["elements"]]
    assert labels == ["Accept $90", "Counter $85", "Ignore"]
    press_notice(app, dm, slack_id, "Accept $90")
    [asked] = posts_in(slack, dm["_response_ts"])
    assert "Accept" in json.dumps(asked["blocks"]) and "$90" in json.dumps(asked["blocks"])
    assert offer_status(engine, offer) == "countered", "nothing is done before Confirm"
    click(app, asked, dm["_response_ts"], slack_id, CONFIRM_ACTION)
    assert offer_status(engine, offer) == "accepted"
