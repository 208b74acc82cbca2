"""What the channel adapters are given by the application's wiring (partpilot/wiring.py), as protocols:
their settings and the ledger of deliveries. The adapters never open the store themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class ChannelSettings(Protocol):
    """The settings the adapters read (knowledge.settings.Settings has them all)."""

    public_base_url: str | None
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_api_base_url: str
    slack_max_file_bytes: int
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_from_number: str | None
    twilio_messaging_service_sid: str | None
    twilio_api_base_url: str
    twilio_max_media_bytes: int
    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    smtp_from: str
    channel_workers: int
    web_demo_email: str

    def web_demo_on(self, bind_host: str) -> bool: ...

    @property
    def slack_enabled(self) -> bool: ...

    @property
    def sms_enabled(self) -> bool: ...

    @property
    def email_enabled(self) -> bool: ...

    @property
    def home(self) -> Path: ...


class Ledger(Protocol):
    """Which deliveries were handled and by which job, where their turns started, the outbox, what was sent,
    who opted out (knowledge/channel_ledger.py)."""

    def claim_for_job(self, channel: str, delivery_ids: list[str], conversation_key: str, job_id: int) -> bool: ...

    def turn_mark(self, channel: str, delivery_id: str) -> str | None: ...

    def set_turn_mark(self, channel: str, delivery_id: str, checkpoint_id: str) -> None: ...

    def outbox(self, channel: str, delivery_id: str) -> list[tuple[int, dict[str, Any], str | None]] | None: ...

    def put_outbox(self, channel: str, delivery_id: str, conversation_key: str,
                   payloads: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any], str | None]]: ...

    def outbox_attempt(self, outbox_id: int) -> int: ...

    def outbox_sent(self, outbox_id: int, provider_id: str) -> None: ...

    def owned_ids(self, channel: str, conversation_key: str, provider_ids: list[str]) -> set[str]: ...

    def claim_notices(self, limit: int = 50, stale_seconds: float = 60.0) -> list[dict[str, Any]]: ...

    def notice_sent(self, delivery_id: int, status: str, provider_id: str | None) -> None: ...

    def record_sent(self, channel: str, message_id: str, conversation_key: str, status: str,
                    segments: int | None = None) -> None: ...

    def record_status(self, channel: str, message_id: str, status: str, error_code: str | None = None) -> bool: ...

    def status_of(self, channel: str, message_id: str) -> str | None: ...

    def opt_out(self, channel: str, address: str) -> None: ...

    def opt_in(self, channel: str, address: str) -> bool: ...

    def opted_out(self, channel: str, address: str) -> bool: ...
