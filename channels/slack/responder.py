"""Replies to Slack through the Web API (slack_sdk WebClient), in two halves: `*_payload` renders what to send
(stored in the outbox before anything goes out) and `send` sends one stored payload, returning Slack's id for
the message. A platform error that a retry cannot mend is logged and counted as done; a network failure or a
Slack outage raises, so the job is retried."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from channels.messages import OutboundReply
from channels.ports import Ledger
from channels.slack.blocks import fallback_text, reply_blocks

log = logging.getLogger(__name__)
REPLY_EVENT = "partpilot_reply"  # Slack message metadata: a reply, with its outbox id
RETRYABLE = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})


def post_payload(reply: OutboundReply, reply_to: dict[str, Any], conversation_key: str,
                 requester: str) -> dict[str, Any]:
    return {"op": "post", "channel": reply_to["channel"], "thread_ts": reply_to.get("thread_ts"),
            "text": fallback_text(reply), "blocks": reply_blocks(reply, conversation_key, requester),
            "conversation_key": conversation_key}


def update_payload(reply_to: dict[str, Any], blocks: list[dict[str, Any]], text: str) -> dict[str, Any]:
    return {"op": "update", "channel": reply_to["channel"], "ts": reply_to["ts"], "blocks": blocks, "text": text}


def ephemeral_payload(channel: str, user: str, text: str) -> dict[str, Any]:
    return {"op": "ephemeral", "channel": channel, "user": user, "text": text}


class SlackResponder:
    def __init__(self, client: WebClient, ledger: Ledger) -> None:
        self.client, self.ledger = client, ledger

    def send(self, payload: dict[str, Any], outbox_id: int, attempt: int) -> str:
        """Send one stored payload; Slack's id for it ("channel:ts"), or "failed:<error>" when Slack refused it
        for good."""
        op = payload["op"]
        try:
            if op == "post":
                return self._post(payload, outbox_id, attempt)
            if op == "update":
                self.client.chat_update(channel=payload["channel"], ts=payload["ts"], blocks=payload["blocks"],
                                        text=payload["text"])
                return f"{payload['channel']}:{payload['ts']}"
            response = self.client.chat_postEphemeral(channel=payload["channel"], user=payload["user"],
                                                      text=payload["text"])
            return f"{payload['channel']}:{response.get('message_ts')}"
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            if error in RETRYABLE or exc.response.status_code >= 500:
                raise
            log.error("Slack refused %s to %s: %s", op, payload.get("channel"), error)
            return f"failed:{error}"

    def _post(self, payload: dict[str, Any], outbox_id: int, attempt: int) -> str:
        # Each reply carries its outbox id as message metadata: a retry after an attempt that may have reached
        # Slack (the process died before recording it) looks in the thread first instead of posting twice.
        if attempt > 1 and payload.get("thread_ts"):
            landed = self._already_posted(payload["channel"], payload["thread_ts"], outbox_id)
            if landed is not None:
                log.info("reply %s had reached Slack before the retry", outbox_id)
                return landed
        response = self.client.chat_postMessage(
            channel=payload["channel"], thread_ts=payload.get("thread_ts"), text=payload["text"],
            blocks=payload["blocks"], unfurl_links=False, unfurl_media=False,
            metadata={"event_type": payload.get("event_type", REPLY_EVENT), "event_payload": {"outbox_id": outbox_id}})
        message_id = f"{response['channel']}:{response['ts']}"
        self.ledger.record_sent("slack", message_id, payload["conversation_key"], "sent")
        return message_id

    def _already_posted(self, channel: str, thread_ts: str, outbox_id: int) -> str | None:
        try:
            response = self.client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True,
                                                         limit=200)
        except SlackApiError as exc:  # e.g. no channels:history scope: better a rare double than no reply
            log.warning("could not check whether reply %s reached Slack: %s", outbox_id, exc.response.get("error"))
            return None
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (metadata.get("event_type") == REPLY_EVENT
                    and (metadata.get("event_payload") or {}).get("outbox_id") == outbox_id):
                return f"{channel}:{message['ts']}"
        return None
