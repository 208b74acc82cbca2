"""What the notification delivery tests share: fresh people (so their preferences touch no one else), a hub
over the Slack and Twilio loopback fakes and a loopback SMTP server (aiosmtpd) that keeps what it received."""

from __future__ import annotations

import email
import email.policy
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine, text

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest
from channels.hub import ChannelHub
from partpilot.config import AppSettings
from partpilot.wiring import build_hub
from tests.channel_fakes import OUR_NUMBER, SLACK_SECRET, SLACK_TOKEN, TWILIO_SID, TWILIO_TOKEN
from tools.context import Caller, caller_by_email
from tools.notifications.events import Action, notify


@dataclass
class Mailbox:
    """An SMTP handler (aiosmtpd's handle_DATA hook) keeping each message as parsed MIME."""

    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd calls it by this name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        parsed["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.received.append(parsed)
        return "250 OK"


@dataclass
class Outlets:
    hub: ChannelHub
    slack: FakeSlackWebApi
    twilio: FakeTwilioRest
    mailbox: Mailbox

    def texts_to(self, phone: str) -> list[str]:
        return [m["body"] for m in self.twilio.sent() if m["to"] == phone]

    def mail_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.mailbox.received if address in m["X-Envelope-To"]]


@contextmanager
def outlets(engine: Engine) -> Iterator[Outlets]:
    slack, twilio, mailbox = FakeSlackWebApi(SLACK_TOKEN), FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN), Mailbox()
    with socket.socket() as probe:  # aiosmtpd checks its server by connecting to the port: it must be a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        settings = AppSettings(slack_bot_token=SLACK_TOKEN, slack_signing_secret=SLACK_SECRET,
                               slack_api_base_url=slack.base_url, twilio_account_sid=TWILIO_SID,
                               twilio_auth_token=TWILIO_TOKEN, twilio_from_number=OUR_NUMBER,
                               twilio_api_base_url=twilio.base_url, smtp_host="127.0.0.1", smtp_port=smtp.port,
                               smtp_starttls=False)
        yield Outlets(build_hub(settings, engine), slack, twilio, mailbox)
    finally:
        smtp.stop()
        slack.close()
        twilio.close()


def new_person(engine: Engine, org: str = "Northline Mechanical", *, slack: bool = False,
               role: str = "technician") -> tuple[Caller, str]:
    """A new person of `org` with a phone (and a Slack id when asked); (caller, phone)."""
    tag = uuid.uuid4().hex[:8]
    phone = f"+1999{int(tag, 16) % 10_000_000:07d}"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (organization_id, email, name, role, phone, slack_user_id, trades) "
            "SELECT id, :email, :name, :role, :phone, :slack, '[]' FROM organizations WHERE name = :org"),
            {"email": f"notice-{tag}@example.com", "name": f"Notice Tester {tag}", "phone": phone,
             "slack": f"UN{tag.upper()}" if slack else None, "org": org, "role": role})
    return caller_by_email(engine, f"notice-{tag}@example.com"), phone


def tell(engine: Engine, who: Caller, category: str = "offer_received", title: str = "New offer on PPN-1",
         actions: list[Action] | None = None) -> uuid.UUID:
    """One notice to `who` about a new subject; the subject's id."""
    subject = uuid.uuid4()
    with engine.begin() as conn:
        assert notify(conn, who.user_id, category, title, "1 × $50.00 offered.", subject_type="offer",
                      subject_id=subject, event="e", actions=actions)
    return subject


def deliveries(engine: Engine, who: Caller) -> list[tuple[str, str, str]]:
    """(title, channel, status) of the person's deliveries besides the inbox, oldest first."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT n.title, d.channel, d.status FROM notification_deliveries d JOIN notifications n ON "
            "n.id = d.notification_id WHERE n.user_id = :u AND d.channel <> 'web' ORDER BY n.created_at, d.id"),
            {"u": who.user_id})]
