"""Slack renders the planner's draft as Block Kit, and a click on a choice button enters the conversation as
the clicker's message: signed interactivity requests to the real slack-bolt app, the reply through the real
WebClient to the loopback fake. The planner is scripted per message, so what it heard can be checked."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from sqlalchemy import Engine

from agent.runner import AgentRunner
from channels.fakes.slack_web_api import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackWebApi
from channels.slack.blocks import CHOICES_BLOCK
from channels.slack.routes import slack_router
from partpilot.config import AppSettings
from partpilot.wiring import build_hub
from tests.channel_helpers import RunningApp, served, user_with
from tests.draft_helpers import NO_MATCH, PICKED, SELLERS
from tests.fakes.keyed_planner import KeyedPlanner, drafted
from tests.test_reply_renderers import valid
from tests.test_slack_channel import LINDA, MARIA, SECRET, TOKEN, dm, envelope, posts_in, send_event, signed_post

ASK, NOTHING = "who sells GAA26800LC1?", "blue door widget"


@pytest.fixture(scope="module")
def planner() -> KeyedPlanner:
    return KeyedPlanner(steps={ASK: [drafted(SELLERS)], "2": [drafted(PICKED)], NOTHING: [drafted(NO_MATCH)],
                               "no thanks": [drafted(PICKED.model_copy(update={"headline": "OK, nothing else."}))]})


@pytest.fixture(scope="module")
def app(engine: Engine, slack: FakeSlackWebApi, planner: KeyedPlanner) -> Iterator[RunningApp]:
    settings = AppSettings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_base_url=slack.base_url)
    hub = build_hub(settings, engine, runner_factory=lambda: AgentRunner(engine, planner=planner))
    api = FastAPI()
    api.include_router(slack_router(hub))
    with served(api, hub, engine) as running:
        yield running


@pytest.fixture(scope="module")
def maria(engine: Engine) -> str:
    return user_with(engine, "slack_user_id", MARIA)


def ask(app: RunningApp, slack: FakeSlackWebApi, user: str, text: str) -> tuple[dict[str, Any], str]:
    event = dm(user, text)
    assert send_event(app, envelope(event)).status_code == 200
    [post] = posts_in(slack, event["ts"])
    return post, event["ts"]


def press(app: RunningApp, post: dict[str, Any], thread_ts: str, user: str, label: str,
          secret: str = SECRET) -> requests.Response:
    """Click the choice button with this label, exactly as Slack posts a block_actions payload."""
    actions = next(b for b in post["blocks"] if b.get("block_id") == CHOICES_BLOCK)
    button = next(e for e in actions["elements"] if e["text"]["text"] == label)
    ts = post["_response_ts"]
    payload = {
        "type": "block_actions", "user": {"id": user, "username": "tech", "team_id": TEAM_ID}, "api_app_id": "A0PARTS",
        "token": "legacy", "trigger_id": "13345224609.738474920.8088930838d88f008e0", "team": {"id": TEAM_ID},
        "container": {"type": "message", "message_ts": ts, "channel_id": post["channel"], "is_ephemeral": False,
                      "thread_ts": thread_ts},
        "channel": {"id": post["channel"], "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, "thread_ts": thread_ts,
                    "text": post["text"], "blocks": post["blocks"]},
        "response_url": "https://hooks.slack.com/actions/T0PARTS1/1/abc",
        "actions": [{"action_id": button["action_id"], "block_id": CHOICES_BLOCK, "value": button["value"],
                     "type": "button", "action_ts": f"{time.time():.6f}", "text": button["text"]}],
    }
    response = signed_post(app, "/slack/interactivity", "payload=" + requests.utils.quote(json.dumps(payload)),
                           "application/x-www-form-urlencoded", secret=secret)
    app.settle()
    return response


def test_draft_is_posted_as_item_sections_with_number_buttons(app: RunningApp, slack: FakeSlackWebApi,
                                                             maria: str) -> None:
    post, _ = ask(app, slack, maria, ASK)
    blocks = valid(post["blocks"])
    assert blocks[0]["text"]["text"] == SELLERS.headline
    items = [b for b in blocks if str(b.get("block_id", "")).startswith("item_")]
    assert [b["text"]["text"][:12] for b in items] == ["*1) Keystone", "*2) Apex Ele", "*3) Front Ra"]
    assert "Fair price (market $4,700)" in json.dumps(blocks)
    labels = [e["text"]["text"] for b in blocks if b.get("block_id") == CHOICES_BLOCK for e in b["elements"]]
    assert labels == ["1) Keystone, refurb, $4,650", "2) Apex, new, $5,900", "3) Front Range, used, $3,100"]
    assert post["text"] == SELLERS.plain_text() and "Reply" not in json.dumps(post)


def test_a_click_becomes_the_clickers_message_once(app: RunningApp, slack: FakeSlackWebApi, maria: str,
                                                   planner: KeyedPlanner, engine: Engine) -> None:
    post, thread = ask(app, slack, maria, ASK)
    heard, posted = len(planner.heard), len(posts_in(slack, thread))
    linda = user_with(engine, "slack_user_id", LINDA)
    assert press(app, post, thread, linda, "2) Apex, new, $5,900").status_code == 200  # not who asked
    assert slack.posted("chat.postEphemeral")[-1]["user"] == linda
    assert press(app, post, thread, maria, "2) Apex, new, $5,900", secret="forged").status_code == 401
    assert len(planner.heard) == heard and len(posts_in(slack, thread)) == posted

    assert press(app, post, thread, maria, "2) Apex, new, $5,900").status_code == 200
    assert planner.heard[heard:] == ["2"]
    updated = slack.posted("chat.update")[-1]
    assert updated["ts"] == post["_response_ts"] and all(b.get("block_id") != CHOICES_BLOCK for b in updated["blocks"])
    assert updated["blocks"][-1]["elements"][0]["text"] == f"<@{maria}> chose 2) Apex, new, $5,900"
    answer = posts_in(slack, thread)[-1]
    assert answer["blocks"][0]["text"]["text"] == PICKED.headline

    press(app, post, thread, maria, "3) Front Range, used, $3,100")  # the same message's buttons again
    assert planner.heard[heard:] == ["2"] and len(posts_in(slack, thread)) == posted + 1


def test_a_choice_button_says_what_the_choice_says(app: RunningApp, slack: FakeSlackWebApi, maria: str,
                                                  planner: KeyedPlanner) -> None:
    post, thread = ask(app, slack, maria, NOTHING)
    assert [e["text"]["text"] for b in valid(post["blocks"]) if b.get("block_id") == CHOICES_BLOCK
            for e in b["elements"]] == ["Search the marketplace", "Not now"]
    press(app, post, thread, maria, "Not now")
    assert planner.heard[-1] == "no thanks"
    assert posts_in(slack, thread)[-1]["text"].startswith("OK, nothing else.")
