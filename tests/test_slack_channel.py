"""The Slack channel end to end: Events API and interactivity requests signed with slack_sdk's signing code,
posted to the real app over HTTP; replies through the real slack_sdk WebClient to a loopback fake Web API."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine

from channels.fakes.slack_web_api import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackWebApi
from channels.slack.blocks import CANCEL_ACTION, CHOICES_BLOCK, CONFIRM_ACTION, CONFIRMATION_BLOCK
from tests.channel_fakes import SLACK_SECRET as SECRET
from tests.channel_fakes import SLACK_TOKEN as TOKEN
from tests.channel_helpers import RunningApp, count, nameplate, running_app, user_with

MARIA, LINDA = "maria.gonzalez@summitvm.example", "linda.park@summitvm.example"
WANTED = "SELECT count(*) FROM wanted_posts WHERE requester_id = (SELECT id FROM users WHERE slack_user_id = :u)"


@pytest.fixture(scope="module")
def app(engine: Engine, slack: FakeSlackWebApi) -> Iterator[RunningApp]:
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_BASE_URL": slack.base_url,
           "SLACK_MAX_FILE_BYTES": str(2 * 1024 * 1024)}
    with running_app(env) as running:
        yield running


@pytest.fixture(scope="module")
def maria(engine: Engine) -> str:  # type: ignore[override]
    return user_with(engine, "slack_user_id", MARIA)


def new_ts() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**6:06d}"


def signed_post(app: RunningApp, path: str, body: str, content_type: str, timestamp: int | None = None,
                secret: str = SECRET, headers: dict[str, str] | None = None) -> requests.Response:
    stamp = str(timestamp or int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return requests.post(f"{app.url}{path}", data=body.encode(), timeout=10, headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature,
        **(headers or {})})


def envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0PARTS", "event": event, "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True,
                                "is_enterprise_install": False}], "is_ext_shared_channel": False}


def dm(user: str, text: str, ts: str | None = None, **extra: Any) -> dict[str, Any]:
    ts = ts or new_ts()
    return {"type": "message", "channel": "D0PARTS01", "user": user, "text": text, "ts": ts, "event_ts": ts,
            "channel_type": "im", "team": TEAM_ID, **extra}


def send_event(app: RunningApp, body: dict[str, Any], **kw: Any) -> requests.Response:
    response = signed_post(app, "/slack/events", json.dumps(body), "application/json", **kw)
    app.settle()
    return response


def posts_in(slack: FakeSlackWebApi, thread_ts: str) -> list[dict[str, Any]]:
    return [p for p in slack.posted() if p.get("thread_ts") == thread_ts]


def test_url_verification(app: RunningApp) -> None:
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    response = signed_post(app, "/slack/events", body, "application/json")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


@pytest.mark.parametrize("body", ["{not json", "[]", '"just text"', '{"type": "event_callback", "event": "hi"}'])
def test_a_signed_body_that_is_no_slack_payload_is_400(app: RunningApp, body: str) -> None:
    answer = signed_post(app, "/slack/events", body, "application/json")
    assert answer.status_code == 400 and answer.json()["error"] == "bad_request"


def test_garbage_is_refused_without_a_500(app: RunningApp) -> None:
    url = f"{app.url}/slack/events"
    stamp = str(int(time.time()))
    not_utf8 = requests.post(url, data=b"\xff\xfe{", timeout=10, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=00"})
    assert not_utf8.status_code == 400
    bad_stamp = requests.post(url, data=b"{}", timeout=10, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"})
    assert bad_stamp.status_code == 401
    unsigned = requests.post(url, data=b"{not json", timeout=10, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    form = signed_post(app, "/slack/interactivity", "payload=%7Bbroken", "application/x-www-form-urlencoded")
    assert form.status_code == 400


def test_forged_and_stale_signatures_get_401(app: RunningApp, slack: FakeSlackWebApi, maria: str) -> None:
    event = dm(maria, "GAA24350BH1")
    assert send_event(app, envelope(event), secret="not-the-secret").status_code == 401
    assert send_event(app, envelope(event), timestamp=int(time.time()) - 600).status_code == 401
    unsigned = requests.post(f"{app.url}/slack/events", json=envelope(event), timeout=10)
    assert unsigned.status_code == 401
    app.settle()
    assert posts_in(slack, event["ts"]) == []


def test_dm_is_answered_in_thread_with_part_cards_and_retries_are_ignored(app: RunningApp, slack: FakeSlackWebApi,
                                                                          maria: str) -> None:
    event = dm(maria, "where can I get a GAA24350BH1?")  # a reply that lists sources, so it has cards
    body = envelope(event)
    assert send_event(app, body).status_code == 200
    posts = posts_in(slack, event["ts"])
    assert len(posts) == 1 and posts[0]["channel"] == "D0PARTS01"
    blocks = posts[0]["blocks"]
    assert blocks[0]["type"] == "section" and "GAA24350BH1" in blocks[0]["text"]["text"]
    # each source as a card: an item of the planner's draft, a section of its own, and a button to pick it
    items = [b for b in blocks if str(b.get("block_id", "")).startswith("item_")]
    assert any("GAA24350BH1" in b["text"]["text"] for b in items)
    choices = next(b for b in blocks if b.get("block_id") == CHOICES_BLOCK)
    assert [e["text"]["text"][:3] for e in choices["elements"]][:len(items)] == [f"{n}) " for n in
                                                                                  range(1, len(items) + 1)]
    assert "GAA24350BH1" in posts[0]["text"] and "Reply" not in json.dumps(blocks)
    retry = send_event(app, body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200 and len(posts_in(slack, event["ts"])) == 1


def test_own_and_bot_messages_and_unmentioned_chatter_are_ignored(app: RunningApp, slack: FakeSlackWebApi,
                                                                   maria: str) -> None:
    own = dm(BOT_USER_ID, "Where to get GAA24350BH1")
    other_bot = dm("U0OTHERBOT", "GAA24350BH1", bot_id="B0OTHER", subtype="bot_message")
    chatter = {**dm(maria, "GAA24350BH1"), "channel": "C0GENERAL", "channel_type": "channel"}
    edited = dm(maria, "GAA24350BH1", subtype="message_changed")
    for event in (own, other_bot, chatter, edited):
        assert send_event(app, envelope(event)).status_code == 200
        assert posts_in(slack, event["ts"]) == []


def test_app_mention_is_answered_in_its_thread_once(app: RunningApp, slack: FakeSlackWebApi, maria: str) -> None:
    ts = new_ts()
    mention = {"type": "app_mention", "channel": "C0JOBSITE", "user": maria, "ts": ts, "event_ts": ts,
               "text": f"<@{BOT_USER_ID}> where can I get a GAA24350BH1?", "team": TEAM_ID}
    send_event(app, envelope(mention))
    # the same post also arrives as a message.channels event (another event id): still one reply
    send_event(app, envelope({**mention, "type": "message", "channel_type": "channel"}))
    posts = posts_in(slack, ts)
    assert len(posts) == 1 and posts[0]["channel"] == "C0JOBSITE" and "GAA24350BH1" in posts[0]["text"]
    thread = [p for p in slack.posted() if p["channel"] == "C0JOBSITE" and p.get("thread_ts") == ts]
    assert thread == posts


def test_unknown_slack_user_gets_onboarding_only(app: RunningApp, slack: FakeSlackWebApi) -> None:
    event = dm("U0STRANGER", "where can I get a GAA24350BH1?")
    send_event(app, envelope(event))
    posts = posts_in(slack, event["ts"])
    assert len(posts) == 1 and "not linked to a Partpilot user" in posts[0]["text"]
    assert "GAA24350BH1" not in json.dumps(posts[0]["blocks"])


def _file(slack: FakeSlackWebApi, name: str, data: bytes, mimetype: str, size: int | None = None) -> dict[str, Any]:
    url = slack.add_file(name, data, mimetype)
    return {"id": f"F{uuid.uuid4().hex[:8].upper()}", "name": name, "title": name, "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1], "size": size or len(data), "url_private": url,
            "url_private_download": url, "mode": "hosted", "is_external": False}


def test_shared_photo_is_downloaded_with_the_bot_token_and_identified(app: RunningApp, slack: FakeSlackWebApi,
                                                                      maria: str, engine: Engine) -> None:
    photo = _file(slack, "plate.jpg", nameplate("GAA24350BH1", "Otis", "Door operator AT400"), "image/jpeg")
    event = dm(maria, "", subtype="file_share", files=[photo], upload=False)
    before = count(engine, "SELECT count(*) FROM photos WHERE source = 'slack'")
    send_event(app, envelope(event))
    posts = posts_in(slack, event["ts"])
    assert len(posts) == 1 and "GAA24350BH1" in posts[0]["text"]
    assert count(engine, "SELECT count(*) FROM photos WHERE source = 'slack'") == before + 1
    download = [r for r in slack.file_requests if r["path"].endswith("/plate.jpg")]
    assert download and download[-1]["authorization"] == f"Bearer {TOKEN}"


def test_non_image_and_oversized_files_are_refused(app: RunningApp, slack: FakeSlackWebApi, maria: str) -> None:
    pdf = _file(slack, "manual.pdf", b"%PDF-1.4 ...", "application/pdf")
    huge = _file(slack, "huge.png", b"\x89PNG\r\n\x1a\n", "image/png", size=3 * 1024 * 1024)
    event = dm(maria, "", subtype="file_share", files=[pdf, huge])
    send_event(app, envelope(event))
    text = posts_in(slack, event["ts"])[0]["text"]
    assert "only read photos" in text and "manual.pdf" in text and "larger than 2 MB" in text
    assert not any(r["path"].endswith("/huge.png") for r in slack.file_requests)


def _ask_to_confirm(app: RunningApp, slack: FakeSlackWebApi, user: str) -> tuple[dict[str, Any], str]:
    event = dm(user, "post a wanted request for 2 GAA26800LC1, max $5000 each")
    send_event(app, envelope(event))
    post = posts_in(slack, event["ts"])[-1]
    assert any(b.get("block_id") == CONFIRMATION_BLOCK for b in post["blocks"])
    return post, event["ts"]


def click(app: RunningApp, post: dict[str, Any], thread_ts: str, user: str, action_id: str) -> requests.Response:
    actions = next(b for b in post["blocks"] if b.get("block_id") == CONFIRMATION_BLOCK)
    button = next(e for e in actions["elements"] if e["action_id"] == action_id)
    message_ts = post["_response_ts"]  # the bot's reply in the thread, which carries the buttons
    payload = {
        "type": "block_actions", "user": {"id": user, "username": "tech", "team_id": TEAM_ID}, "api_app_id": "A0PARTS",
        "token": "legacy", "trigger_id": "13345224609.738474920.8088930838d88f008e0", "team": {"id": TEAM_ID},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": post["channel"],
                      "is_ephemeral": False, "thread_ts": thread_ts},
        "channel": {"id": post["channel"], "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": message_ts,
                    "thread_ts": thread_ts, "text": post["text"], "blocks": post["blocks"]},
        "response_url": "https://hooks.slack.com/actions/T0PARTS1/1/abc",
        "actions": [{"action_id": action_id, "block_id": CONFIRMATION_BLOCK, "value": button["value"],
                     "type": "button", "action_ts": f"{time.time():.6f}", "text": button["text"]}],
    }
    body = "payload=" + requests.utils.quote(json.dumps(payload))
    response = signed_post(app, "/slack/interactivity", body, "application/x-www-form-urlencoded")
    app.settle()
    return response


def test_confirm_click_writes_exactly_once(app: RunningApp, slack: FakeSlackWebApi, maria: str,
                                           engine: Engine) -> None:
    before = count(engine, WANTED, u=maria)
    post, thread = _ask_to_confirm(app, slack, maria)
    assert "Post a wanted request for 2 × GAA26800LC1" in json.dumps(post["blocks"], ensure_ascii=False)
    assert count(engine, WANTED, u=maria) == before
    linda = user_with(engine, "slack_user_id", LINDA)
    assert click(app, post, thread, linda, CONFIRM_ACTION).status_code == 200  # not the requester
    assert count(engine, WANTED, u=maria) == before and slack.posted("chat.postEphemeral")[-1]["user"] == linda
    assert click(app, post, thread, maria, CONFIRM_ACTION).status_code == 200
    assert count(engine, WANTED, u=maria) == before + 1
    updated = slack.posted("chat.update")[-1]
    assert "Confirmed by" in json.dumps(updated["blocks"])
    assert all(b.get("block_id") != CONFIRMATION_BLOCK for b in updated["blocks"])
    replies = posts_in(slack, thread)
    assert replies[-1]["text"].startswith("Posted")
    click(app, post, thread, maria, CONFIRM_ACTION)  # a double click
    assert count(engine, WANTED, u=maria) == before + 1 and len(posts_in(slack, thread)) == len(replies)


def test_cancel_click_writes_nothing(app: RunningApp, slack: FakeSlackWebApi, maria: str, engine: Engine) -> None:
    before = count(engine, WANTED, u=maria)
    post, thread = _ask_to_confirm(app, slack, maria)
    click(app, post, thread, maria, CANCEL_ACTION)
    assert count(engine, WANTED, u=maria) == before
    assert "Cancelled by" in json.dumps(slack.posted("chat.update")[-1]["blocks"])
