"""`/slack/events` and `/slack/interactivity`: the signature and the payload's shape are checked first
(envelope.py: 401 when forged or stale, 400 when not a Slack payload); slack-bolt answers url_verification and
drops the app's own messages; the listeners only turn the event into a job (channels/jobs.py), and Slack gets
its acknowledgement once the job is committed to the queue — well within its 3 seconds."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import SignatureVerifier

from channels.hub import ChannelHub
from channels.jobs import TurnJob
from channels.messages import ConfirmationAnswer, InboundMessage
from channels.slack.blocks import CANCEL_ACTION, CHOICE_ACTION, CONFIRM_ACTION
from channels.slack.envelope import refused
from channels.slack.events import conversation_key, inbound_from_event, message_delivery_id
from channels.slack.turns import slack_client

log = logging.getLogger(__name__)

JOBS = "partpilot_jobs"  # where the listeners leave the jobs of a request, in its Bolt context


def build_bolt_app(hub: ChannelHub) -> App:
    settings = hub.settings
    # Token checked on the first request (auth.test), not at start-up: the server starts even offline.
    app = App(signing_secret=settings.slack_signing_secret, client=slack_client(hub),
              process_before_response=True, token_verification_enabled=False, name="partpilot")

    # The listeners only parse: each leaves a job in the request's context, and the route queues it before
    # Slack gets its acknowledgement (slack_router). Claiming the delivery and the agent turn run in the job.
    def queue(context: BoltContext, job: TurnJob) -> None:
        context.setdefault(JOBS, []).append(job)

    def receive(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        message = inbound_from_event(body, context.get("bot_user_id"))
        if message is None:
            return
        event_id = str(body.get("event_id") or "")
        deliveries = [*([f"event:{event_id}"] if event_id else []), message_delivery_id(body)]
        queue(context, TurnJob("slack", "message", message.conversation_key, deliveries,
                               {"message": asdict(message)}))

    def click(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        value, where = _clicked(body, action)
        if not value.get("k"):
            return
        sender = (body.get("user") or {}).get("id", "")
        if sender != where["requester"]:
            queue(context, _denied(value["k"], sender, where, body))
            return
        decision = "yes" if action.get("action_id") == CONFIRM_ACTION else "no"
        answer = ConfirmationAnswer("slack", sender, value["k"], decision, where)  # type: ignore[arg-type]
        queue(context, TurnJob("slack", "confirm", answer.conversation_key, [_action_id(where)],
                               {"answer": asdict(answer)}))

    def choose(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        value, where = _clicked(body, action)
        if not value.get("s"):
            return
        if not value.get("k"):  # a notification's button: it is answered in the notice's own thread
            team = (body.get("team") or {}).get("id") or body.get("team_id") or "T"
            value["k"] = conversation_key(team, where["channel"], where["thread_ts"] or where["ts"])
        sender = (body.get("user") or {}).get("id", "")
        if sender != where["requester"]:
            queue(context, _denied(value["k"], sender, where, body))
            return
        said = InboundMessage(channel="slack", sender=sender, conversation_key=value["k"], text=str(value["s"]),
                              reply_to={"channel": where["channel"], "thread_ts": where["thread_ts"]})
        queue(context, TurnJob("slack", "choose", said.conversation_key, [_action_id(where)],
                               {"message": asdict(said), "where": where, "label": str(value.get("l") or value["s"])}))

    app.event("app_mention")(receive)
    app.event("message")(receive)
    app.action(re.compile(f"^({CONFIRM_ACTION}|{CANCEL_ACTION})$"))(click)
    app.action(re.compile(f"^{CHOICE_ACTION}_\\d+$"))(choose)
    app.event(re.compile(".*"))(lambda ack: ack())  # other subscribed events: acknowledged, nothing to do
    return app


def _action_id(where: dict[str, Any]) -> str:
    """One answer per message with buttons: a second click on the same message is a duplicate delivery."""
    return f"action:{where['channel']}:{where['ts']}"


def _denied(conversation_key: str, sender: str, where: dict[str, Any], body: dict[str, Any]) -> TurnJob:
    """Someone other than the person asked clicked: they alone are told, once per click."""
    click = str((body.get("actions") or [{}])[0].get("action_ts") or body.get("trigger_id") or "")
    return TurnJob("slack", "denied", conversation_key, [f"{_action_id(where)}:{sender}:{click}"],
                   {"sender": sender, "where": {"channel": where["channel"], "requester": where["requester"]}})


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


def slack_router(hub: ChannelHub) -> APIRouter:
    bolt = build_bolt_app(hub)
    router = APIRouter(prefix="/slack", tags=["slack"])
    verifier = SignatureVerifier(hub.settings.slack_signing_secret or "")

    def dispatch(bolt_request: BoltRequest) -> BoltResponse:
        """Bolt's answer, sent only once the request's jobs are committed to the queue: a store that is down
        raises here, the client gets a 503 and Slack retries the event later."""
        bolt_response = bolt.dispatch(bolt_request)
        for job in bolt_request.context.get(JOBS) or ():
            hub.queue.enqueue(job)
        return bolt_response

    async def handle(request: Request) -> Response:
        body = await request.body()
        answer = refused(body, request.headers, verifier)
        if answer is not None:
            return answer
        return to_starlette_response(await run_in_threadpool(dispatch, to_bolt_request(request, body)))

    router.add_api_route("/events", handle, methods=["POST"], include_in_schema=False, name="slack_events")
    router.add_api_route("/interactivity", handle, methods=["POST"], include_in_schema=False,
                         name="slack_interactivity")
    return router
