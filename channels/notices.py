"""Notifications on people's own channels: a Slack DM when their account is linked, else a text. The tools
wrote each as a pending delivery beside the change that caused it (the outbox); a job worker claims them,
sends them through the channel's responder and marks each with the platform's id. A sender that dies mid-send
leaves its claim to go stale and be sent again — a text is first looked up at Twilio, as replies are."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from channels.jobs import ChannelTurns
from channels.ports import ChannelSettings, Ledger
from channels.slack.blocks import mrkdwn

log = logging.getLogger(__name__)


class NoticeSender:
    def __init__(self, settings: ChannelSettings, ledger: Ledger, turns: Callable[[str], ChannelTurns]) -> None:
        self.settings, self.ledger, self.turns = settings, ledger, turns

    def deliver_pending(self) -> int:
        """Send what is due; how many deliveries were handled (sent, refused for good, or skipped)."""
        handled = 0
        for row in self.ledger.claim_notices():
            try:
                status, provider_id = self._send(row)
            except Exception:  # a platform outage: the claim goes stale and the delivery is tried again
                log.warning("notification delivery %s over %s failed; will retry", row["id"], row["channel"],
                            exc_info=True)
                continue
            self.ledger.notice_sent(row["id"], status, provider_id)
            handled += 1
        return handled

    def _send(self, row: dict[str, Any]) -> tuple[str, str | None]:
        key = f"notice:{row['notification_id']}"
        if row["channel"] == "slack":
            if not self.settings.slack_enabled or not row["slack_user_id"]:
                return "skipped", None
            text = f"*{mrkdwn(row['title'])}*\n{mrkdwn(row['body'])}"
            payload = {"op": "post", "channel": row["slack_user_id"], "thread_ts": None, "conversation_key": key,
                       "event_type": "partpilot_notice",
                       "text": f"{row['title']}: {row['body']}",
                       "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
        else:
            if not self.settings.sms_enabled or not row["phone"]:
                return "skipped", None
            payload = {"to": row["phone"], "body": f"Partpilot: {row['title']}. {row['body']}", "conversation_key": key,
                       "status_callback": None, "decided_at": row["created_at"].timestamp()}
        provider_id = self.turns(row["channel"]).send(payload, row["id"], row["attempts"])
        if provider_id.startswith("failed:"):
            return "failed", provider_id.removeprefix("failed:")
        if provider_id.startswith("skipped:"):
            return "skipped", provider_id.removeprefix("skipped:")
        return "sent", provider_id
