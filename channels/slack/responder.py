"""Posting replies to Slack through the Web API (slack_sdk WebClient): in the thread, as Block Kit."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from channels.messages import OutboundReply
from channels.ports import Ledger
from channels.slack.blocks import fallback_text, reply_blocks

log = logging.getLogger(__name__)


class SlackResponder:
    def __init__(self, client: WebClient, ledger: Ledger) -> None:
        self.client, self.ledger = client, ledger

    def post(self, reply: OutboundReply, reply_to: dict[str, Any], conversation_key: str, requester: str) -> None:
        try:
            response = self.client.chat_postMessage(
                channel=reply_to["channel"], thread_ts=reply_to.get("thread_ts"), text=fallback_text(reply),
                blocks=reply_blocks(reply, conversation_key, requester), unfurl_links=False, unfurl_media=False)
        except SlackApiError as exc:
            log.error("chat.postMessage to %s failed: %s", reply_to.get("channel"), exc.response.get("error"))
            return
        self.ledger.record_sent("slack", f"{response['channel']}:{response['ts']}", conversation_key, "sent")

    def update(self, reply_to: dict[str, Any], blocks: list[dict[str, Any]], text: str) -> None:
        try:
            self.client.chat_update(channel=reply_to["channel"], ts=reply_to["ts"], blocks=blocks, text=text)
        except SlackApiError as exc:
            log.warning("chat.update failed: %s", exc.response.get("error"))

    def ephemeral(self, channel: str, user: str, text: str) -> None:
        try:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text)
        except SlackApiError as exc:
            log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))
