"""The application's settings: the store's and the agent's (knowledge.settings) plus what only the running
application reads — the Slack and Twilio channels and the web demo. Environment variables and `.env`, read
once; the wiring hands the channels what they need (channels/ports.py)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from pydantic import Field

from knowledge.settings import Settings


class AppSettings(Settings):
    # Channels (channels/slack, channels/sms): each switches on only when its keys are set.
    public_base_url: str | None = Field(
        default=None, description="The server's public URL (https://parts.example.com), as Slack and Twilio call it; "
        "when unset, webhook URLs are rebuilt from the request and X-Forwarded-Proto/Host.")
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_base_url: str = "https://slack.com/api/"
    slack_max_file_bytes: int = 10 * 1024 * 1024
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = Field(default=None, description="E.164 sender, e.g. +15551230000")
    twilio_messaging_service_sid: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_max_media_bytes: int = 5 * 1024 * 1024
    # Email (channels/email): notifications by SMTP when a host is set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = Field(default=True, description="STARTTLS before sending (off for a local relay)")
    smtp_from: str = "Partpilot <notifications@partpilot.local>"
    channel_workers: int = Field(default=4, ge=1, description="Background agent turns running at once")

    web_demo: bool | None = Field(
        default=None, description="Serve `/` signed in as the demo technician (an API key in the page). "
        "Default: on only with the embedded database on a loopback address (partpilot serve --host 127.0.0.1).")
    web_demo_email: str = "maria.gonzalez@summitvm.example"

    def web_demo_on(self, bind_host: str) -> bool:
        """Whether `/` is signed in as the demo technician: WEB_DEMO when set; otherwise only for the embedded
        demo database on a server bound to a loopback address — the page hands out a working API key."""
        if self.web_demo is not None:
            return self.web_demo
        return self.database_url is None and is_loopback(bind_host)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret)

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def sms_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token
                    and (self.twilio_from_number or self.twilio_messaging_service_sid))


def is_loopback(host: str) -> bool:
    """127.0.0.1, ::1, localhost: reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_app_settings() -> AppSettings:
    return AppSettings()
