"""What a queued Slack job does (channels/jobs.py runs it): answer a message, a Confirm / Cancel click or a
choice button, deciding the replies as outbox payloads that the responder then sends."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from channels.conversation import TurnMark
from channels.hub import ChannelHub
from channels.jobs import TurnJob
from channels.messages import ConfirmationAnswer, InboundMessage
from channels.slack.blocks import answered_blocks, mrkdwn
from channels.slack.files import SlackFileFetcher
from channels.slack.responder import SlackResponder, ephemeral_payload, post_payload, update_payload


def slack_client(hub: ChannelHub) -> WebClient:
    settings = hub.settings
    return WebClient(token=settings.slack_bot_token or "", base_url=settings.slack_api_base_url, timeout=15)


class SlackTurns:
    def __init__(self, hub: ChannelHub) -> None:
        settings = hub.settings
        self.hub = hub
        self.responder = SlackResponder(slack_client(hub), hub.ledger)
        self.fetch = SlackFileFetcher(settings.slack_bot_token or "", settings.slack_api_base_url,
                                      settings.slack_max_file_bytes)

    def send(self, payload: dict[str, Any], outbox_id: int, attempt: int) -> str:
        return self.responder.send(payload, outbox_id, attempt)

    def decide(self, job: TurnJob, mark: TurnMark) -> list[dict[str, Any]]:
        if job.step == "message":
            message = InboundMessage.from_json(job.payload["message"])
            reply = self.hub.conversations.answer(message, self.fetch, mark)
            return [post_payload(reply, message.reply_to, message.conversation_key, message.sender)]
        if job.step == "denied":
            where = job.payload["where"]
            return [ephemeral_payload(where["channel"], job.payload["sender"],
                                      f"Only <@{where.get('requester')}> can answer this.")]
        if job.step == "confirm":
            return self._confirm(ConfirmationAnswer(**job.payload["answer"]), mark)
        if job.step == "choose":
            said = InboundMessage.from_json(job.payload["message"])
            return self._choose(said, job.payload["where"], job.payload["label"], mark)
        raise ValueError(f"unknown Slack job step {job.step!r}")

    def _confirm(self, answer: ConfirmationAnswer, mark: TurnMark) -> list[dict[str, Any]]:
        note = f"{'Confirmed' if answer.decision == 'yes' else 'Cancelled'} by <@{answer.sender}>"
        answered = update_payload(answer.reply_to, answered_blocks(answer.reply_to.get("blocks") or [], note), note)
        reply = self.hub.conversations.confirm(answer, mark)
        return [answered, post_payload(reply, answer.reply_to, answer.conversation_key, answer.sender)]

    def _choose(self, said: InboundMessage, where: dict[str, Any], label: str, mark: TurnMark) -> list[dict[str, Any]]:
        """A choice button: what it says enters the conversation as the clicker's message (once per message)."""
        note = f"<@{said.sender}> chose {mrkdwn(label)}"
        answered = update_payload(where, answered_blocks(where.get("blocks") or [], note), note)
        reply = self.hub.conversations.answer(said, self.fetch, mark)
        return [answered, post_payload(reply, said.reply_to, said.conversation_key, said.sender)]
