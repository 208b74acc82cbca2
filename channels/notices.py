"""Notifications on people's own channels: a Slack DM, a text or an email, whichever their preferences chose.
The tools wrote each as a pending delivery beside the change that caused it (the outbox), due now or at the end
of quiet hours; a job worker claims the due ones, sends them and marks each with the platform's id. A sender
that dies mid-send leaves its claim to go stale and be sent again — a text is first looked up at Twilio, as
replies are. A notice that can be answered says how: reply words over SMS, buttons on Slack."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from agent.telemetry import notification_sent
from channels.email.sender import Attachment, notice_message, send_email
from channels.jobs import ChannelTurns
from channels.ports import ChannelSettings, Ledger
from channels.slack.blocks import notice_blocks

log = logging.getLogger(__name__)
MAX_BATCHES = 20
SENDERS = 4


def reply_words(actions: list[dict[str, str]]) -> str:
    """"Reply ACCEPT, COUNTER 420 or IGNORE." for a text's answers."""
    words = [a["say"].upper() for a in actions]
    if not words:
        return ""
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
    return f"Reply {listed}."


def notice_sms(title: str, body: str, actions: list[dict[str, str]] | None = None) -> str:
    """A notice as a text: "Partpilot: New offer on X. Summit offers 1 × $80 … Reply ACCEPT, COUNTER 90 or IGNORE." """
    return f"Partpilot: {title}. {body} {reply_words(actions or [])}".strip()


class NoticeSender:
    def __init__(self, settings: ChannelSettings, ledger: Ledger, turns: Callable[[str], ChannelTurns],
                 attachments: Callable[[dict[str, Any]], list[Attachment]] = lambda notice: []) -> None:
        """`attachments`: the files a notice's email carries (an invoice's PDF), from the gateway."""
        self.settings, self.ledger, self.turns, self.attachments = settings, ledger, turns, attachments

    def deliver_pending(self) -> int:
        """Send what is due, a batch at a time (each is a round trip to a platform) until none is left or
        `MAX_BATCHES` went out (a backlog behind an outage never starves the next call); how many deliveries were
        handled (sent, refused for good, or skipped)."""
        handled = 0
        for _ in range(MAX_BATCHES):
            rows = self.ledger.claim_notices()
            if not rows:
                break
            if len(rows) == 1:
                handled += self._deliver(rows[0])
                continue
            with ThreadPoolExecutor(max_workers=min(SENDERS, len(rows)), thread_name_prefix="notice") as pool:
                handled += sum(pool.map(self._deliver, rows))
        return handled

    def _deliver(self, row: dict[str, Any]) -> int:
        try:
            status, provider_id = self._send(row)
        except smtplib.SMTPRecipientsRefused as exc:
            status, provider_id = "failed", str(exc)[:100]
        except Exception:  # a platform outage: the claim goes stale and the delivery is tried again
            log.warning("notification delivery %s over %s failed; will retry", row["id"], row["channel"],
                        exc_info=True)
            notification_sent(row["channel"], "retry")
            return 0
        self.ledger.notice_sent(row["id"], status, provider_id)
        notification_sent(row["channel"], status)
        return 1

    def _send(self, row: dict[str, Any]) -> tuple[str, str | None]:
        actions = list(row.get("actions") or [])
        if row["channel"] == "email":
            if not self.settings.email_enabled or not row["email"]:
                return "skipped", None
            how = f"Answer in Partpilot: {' / '.join(a['say'] for a in actions)}." if actions else ""
            message = notice_message(self.settings, row, how, self.attachments(row))
            return "sent", send_email(self.settings, message)[:100]
        key = f"notice:{row['notification_id']}"
        if row["channel"] == "slack":
            if not self.settings.slack_enabled or not row["slack_user_id"]:
                return "skipped", None
            payload = {"op": "post", "channel": row["slack_user_id"], "thread_ts": None, "conversation_key": key,
                       "event_type": "partpilot_notice", "text": f"{row['title']}: {row['body']}",
                       "blocks": notice_blocks(row["title"], row["body"], actions, row["slack_user_id"])}
        else:
            if not self.settings.sms_enabled or not row["phone"]:
                return "skipped", None
            payload = {"to": row["phone"], "body": notice_sms(row["title"], row["body"], actions),
                       "conversation_key": key, "status_callback": None,
                       "decided_at": row["created_at"].timestamp()}
        provider_id = self.turns(row["channel"]).send(payload, row["id"], row["attempts"])
        if provider_id.startswith("failed:"):
            return "failed", provider_id.removeprefix("failed:")
        if provider_id.startswith("skipped:"):
            return "skipped", provider_id.removeprefix("skipped:")
        return "sent", provider_id
