"""`/slack/events` and `/slack/interactivity`: the signature and the payload's shape are checked first
(envelope.py: 401 when forged or stale, 400 when not a Slack payload); slack-bolt answers url_verification and
drops the app's own messages; the listeners only claim the delivery and queue the agent turn, so Slack gets its
acknowledgement well within 3 seconds."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from slack_bolt import Ack, App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from channels.hub import ChannelHub
from channels.messages import ConfirmationAnswer, InboundMessage
from channels.slack.blocks import CANCEL_ACTION, CHOICE_ACTION, CONFIRM_ACTION, answered_blocks, mrkdwn
from channels.slack.envelope import refused
from channels.slack.events import inbound_from_event, message_delivery_id
from channels.slack.files import SlackFileFetcher
from channels.slack.responder import SlackResponder

log = logging.getLogger(__name__)


def build_bolt_app(hub: ChannelHub) -> tuple[App, SlackResponder]:
    settings = hub.settings
    token = settings.slack_bot_token or ""
    client = WebClient(token=token, base_url=settings.slack_api_base_url, timeout=15)
    # Token checked on the first request (auth.test), not at start-up: the server starts even offline.
    app = App(signing_secret=settings.slack_signing_secret, client=client,
              process_before_response=True, token_verification_enabled=False, name="partpilot")
    responder = SlackResponder(client, hub.ledger)
    fetch = SlackFileFetcher(token, settings.slack_api_base_url, settings.slack_max_file_bytes)

    # The listeners only parse and queue: claiming the delivery (a database write) and everything after it
    # run in the background worker, in arrival order per conversation, so the acknowledgement stays instant.
    def receive(ack: Ack, body: dict[str, Any], context: dict[str, Any], request: BoltRequest) -> None:
        ack()
        message = inbound_from_event(body, context.get("bot_user_id"))
        if message is None:
            return
        event_id = str(body.get("event_id") or "")
        deliveries = [*([f"event:{event_id}"] if event_id else []), message_delivery_id(body)]
        retry = request.headers.get("x-slack-retry-num", [None])[0]
        hub.worker.submit(message.conversation_key,
                          lambda: _answer(hub, responder, fetch, message, deliveries, retry))

    def click(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        value, reply_to = _clicked(body, action)
        if not value.get("k"):
            return
        decision = "yes" if action.get("action_id") == CONFIRM_ACTION else "no"
        answer = ConfirmationAnswer("slack", (body.get("user") or {}).get("id", ""), value["k"],
                                    decision, reply_to)  # type: ignore[arg-type]
        hub.worker.submit(answer.conversation_key, lambda: _confirm(hub, responder, answer))

    def choose(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        value, reply_to = _clicked(body, action)
        if not value.get("k") or not value.get("s"):
            return
        said = InboundMessage(channel="slack", sender=(body.get("user") or {}).get("id", ""),
                              conversation_key=value["k"], text=str(value["s"]),
                              reply_to={"channel": reply_to["channel"], "thread_ts": reply_to["thread_ts"]})
        hub.worker.submit(said.conversation_key,
                          lambda: _choose(hub, responder, fetch, said, reply_to, str(value.get("l") or value["s"])))

    app.event("app_mention")(receive)
    app.event("message")(receive)
    app.action(re.compile(f"^({CONFIRM_ACTION}|{CANCEL_ACTION})$"))(click)
    app.action(re.compile(f"^{CHOICE_ACTION}_\\d+$"))(choose)
    app.event(re.compile(".*"))(lambda ack: ack())  # other subscribed events: acknowledged, nothing to do
    return app, responder


def _clicked(body: dict[str, Any], action: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A button's value and where its message is: channel, thread, ts, blocks, who the message was for."""
    try:
        value = json.loads(action.get("value") or "{}")
    except ValueError:
        value = {}
    value = value if isinstance(value, dict) else {}
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    return value, {"channel": channel, "thread_ts": message.get("thread_ts") or container.get("message_ts"),
                   "ts": container.get("message_ts"), "blocks": message.get("blocks") or [],
                   "requester": value.get("u")}


def _answer(hub: ChannelHub, responder: SlackResponder, fetch: SlackFileFetcher, message: InboundMessage,
            deliveries: list[str], retry: str | None) -> None:
    if not all(hub.ledger.claim("slack", d, message.conversation_key) for d in deliveries):
        log.info("slack delivery %s (retry %s) already handled", deliveries[0], retry)
        return
    reply = hub.conversations.answer(message, fetch)
    responder.post(reply, message.reply_to, message.conversation_key, message.sender)


def _confirm(hub: ChannelHub, responder: SlackResponder, answer: ConfirmationAnswer) -> None:
    where, requester = answer.reply_to, answer.reply_to.get("requester")
    if answer.sender != requester:
        responder.ephemeral(where["channel"], answer.sender, f"Only <@{requester}> can answer this confirmation.")
        return
    if not hub.ledger.claim("slack", f"action:{where['channel']}:{where['ts']}", answer.conversation_key):
        return  # a second click on the same buttons
    note = f"{'Confirmed' if answer.decision == 'yes' else 'Cancelled'} by <@{answer.sender}>"
    responder.update(answer.reply_to, answered_blocks(answer.reply_to.get("blocks") or [], note), note)
    reply = hub.conversations.confirm(answer)
    responder.post(reply, answer.reply_to, answer.conversation_key, answer.sender)


def _choose(hub: ChannelHub, responder: SlackResponder, fetch: SlackFileFetcher, said: InboundMessage,
            where: dict[str, Any], label: str) -> None:
    """A choice button: what it says enters the conversation as the clicker's message (once per message)."""
    requester = where.get("requester")
    if said.sender != requester:
        responder.ephemeral(where["channel"], said.sender, f"Only <@{requester}> can answer this.")
        return
    if not hub.ledger.claim("slack", f"action:{where['channel']}:{where['ts']}", said.conversation_key):
        return  # a second click on the same message's buttons
    note = f"<@{said.sender}> chose {mrkdwn(label)}"
    responder.update(where, answered_blocks(where.get("blocks") or [], note), note)
    reply = hub.conversations.answer(said, fetch)
    responder.post(reply, said.reply_to, said.conversation_key, said.sender)


def slack_router(hub: ChannelHub) -> APIRouter:
    bolt, _ = build_bolt_app(hub)
    router = APIRouter(prefix="/slack", tags=["slack"])

    authorized = False
    verifier = SignatureVerifier(hub.settings.slack_signing_secret or "")

    async def handle(request: Request) -> Response:
        # Dispatch only verifies, parses and queues (CPU, ~1 ms), so it runs on the event loop: a thread
        # hop costs more under load. The first request goes to a thread, as Bolt calls auth.test then.
        nonlocal authorized
        body = await request.body()
        answer = refused(body, request.headers, verifier)
        if answer is not None:
            return answer
        bolt_request = to_bolt_request(request, body)
        if authorized:
            return to_starlette_response(bolt.dispatch(bolt_request))
        bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        authorized = bolt_request.context.get("bot_user_id") is not None
        return to_starlette_response(bolt_response)

    router.add_api_route("/events", handle, methods=["POST"], include_in_schema=False)
    router.add_api_route("/interactivity", handle, methods=["POST"], include_in_schema=False)
    return router
