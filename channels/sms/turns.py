"""What a queued SMS job does (channels/jobs.py runs it): honour STOP / START / HELP, else answer through the
agent; the reply becomes one outbox payload per text."""

from __future__ import annotations

from typing import Any

from channels.conversation import TurnMark
from channels.hub import ChannelHub
from channels.jobs import TurnJob
from channels.messages import InboundMessage, OutboundReply
from channels.sms.twilio_api import SmsResponder, TwilioMediaFetcher, sms_payloads

OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN = frozenset({"START", "UNSTOP", "YES"})
HELP = frozenset({"HELP", "INFO"})
HELP_TEXT = ("Partpilot finds spare parts: text a part number, a description or a photo of the nameplate. "
             "Reply STOP to stop messages, START to resume.")


class SmsTurns:
    def __init__(self, hub: ChannelHub) -> None:
        self.hub = hub
        self.responder = SmsResponder(hub.settings, hub.ledger)
        self.fetch = TwilioMediaFetcher(hub.settings)

    def send(self, payload: dict[str, Any], outbox_id: int, attempt: int) -> str:
        return self.responder.send(payload, outbox_id, attempt)

    def decide(self, job: TurnJob, mark: TurnMark) -> list[dict[str, Any]]:
        message = InboundMessage.from_json(job.payload["message"])
        action = self._keyword_action(message)
        if action == "silent":
            return []
        reply = (OutboundReply(HELP_TEXT, kind="notice") if action == "help"
                 else self.hub.conversations.answer(message, self.fetch, mark))
        return sms_payloads(reply, message.reply_to["to"], message.conversation_key,
                            message.reply_to.get("status_callback"))

    def _keyword_action(self, message: InboundMessage) -> str:
        """"silent", "help" or "agent" for STOP / START / HELP and ordinary messages. Twilio itself confirms STOP
        and START to the handset on long codes, so those are only recorded; an opted-out number gets nothing."""
        ledger = self.hub.ledger
        word = message.text.strip().upper().rstrip(".!")
        if word in OPT_OUT:
            ledger.opt_out("sms", message.sender)
            return "silent"
        if ledger.opted_out("sms", message.sender):
            if word in OPT_IN:
                ledger.opt_in("sms", message.sender)
            return "silent"
        if word in ("START", "UNSTOP"):
            return "silent"
        return "help" if word in HELP else "agent"
