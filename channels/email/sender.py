"""A notice as an email: plain text plus a small HTML part, its Message-ID derived from the notification so a
resend after a crash is recognisable as the same message by the recipient's mail client. SMTP has no way to ask
whether a message already went, so a sender that dies between the server's "250 OK" and our mark sends it
again; everything else is sent once."""

from __future__ import annotations

import html
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from channels.ports import ChannelSettings

TIMEOUT_SECONDS = 20.0


Attachment = tuple[str, str, bytes]  # (file name, content type, content)


def notice_message(settings: ChannelSettings, row: dict[str, Any], actions: str,
                   attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """The MIME message for a claimed notice delivery (`actions`: how to answer it, or ""), with its files
    (an invoice's PDF) attached."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = f"{row.get('name') or ''} <{row['email']}>".strip()
    message["Subject"] = f"Partpilot: {row['title']}"
    message["Date"] = format_datetime(row["created_at"])
    message["Message-ID"] = f"<notice-{row['notification_id']}@partpilot.local>"  # the same on a resend
    message["X-Partpilot-Notification"] = str(row["notification_id"])
    attached = f"Attached: {', '.join(name for name, _, _ in attachments)}." if attachments else ""
    plain = f"{row['title']}\n\n{row['body']}\n" + "".join(f"\n{x}\n" for x in (attached, actions) if x)
    message.set_content(plain)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in [row["body"], attached, actions] if p)
    message.add_alternative(f"<html><body><h3>{html.escape(row['title'])}</h3>{paragraphs}</body></html>",
                            subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename)
    return message


def send_email(settings: ChannelSettings, message: EmailMessage) -> str:
    """Hand the message to the SMTP server; its Message-ID. Raises on a connection or server failure (the
    delivery is tried again); a refused recipient raises smtplib.SMTPRecipientsRefused."""
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)
    return str(message["Message-ID"])
