"""The Twilio REST client pointed at a configurable base URL, MMS media downloads, and sending replies."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlparse

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from channels.conversation import PhotoFetchFailed
from channels.messages import OutboundReply, PhotoAttachment
from channels.ports import ChannelSettings, Ledger
from channels.sms.gsm import segments
from channels.sms.render import render_sms

log = logging.getLogger(__name__)
DEFAULT_BASE_URL = "https://api.twilio.com"
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
UNSUBSCRIBED = 21610  # Twilio: the recipient replied STOP


class BaseUrlHttpClient(TwilioHttpClient):
    """Sends the SDK's api.twilio.com requests to another base URL (a proxy, or a loopback fake in tests):
    the SDK's own extension point is the http_client."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        parsed = urlparse(url)
        if (parsed.hostname or "").endswith("twilio.com"):
            url = self.base_url + parsed.path + (f"?{parsed.query}" if parsed.query else "")
        return super().request(method, url, *args, **kwargs)


def twilio_client(settings: ChannelSettings) -> Client:
    base = settings.twilio_api_base_url.rstrip("/")
    http_client = None if base == DEFAULT_BASE_URL else BaseUrlHttpClient(base)
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client)


class TwilioMediaFetcher:
    """Downloads MediaUrlN with the account credentials; they are sent to Twilio's API host only (requests drops
    them when Twilio redirects to its media CDN)."""

    def __init__(self, settings: ChannelSettings, timeout: float = 20.0) -> None:
        self.auth = (settings.twilio_account_sid or "", settings.twilio_auth_token or "")
        self.max_bytes, self.timeout = settings.twilio_max_media_bytes, timeout
        self.hosts = {"api.twilio.com", urlparse(settings.twilio_api_base_url).hostname or ""}

    def __call__(self, photo: PhotoAttachment) -> bytes:
        host = urlparse(photo.url).hostname or ""
        auth = self.auth if host in self.hosts else None
        too_big = f"it is larger than {self.max_bytes // (1024 * 1024)} MB."
        try:
            with requests.get(photo.url, auth=auth, timeout=self.timeout, stream=True) as response:
                if response.status_code != 200:
                    raise PhotoFetchFailed(f"Twilio answered {response.status_code} when I downloaded it.")
                if response.headers.get("content-type", "").split(";")[0].strip().lower() not in IMAGE_TYPES:
                    raise PhotoFetchFailed("it is not a JPEG, PNG or WebP photo.")
                if int(response.headers.get("content-length") or 0) > self.max_bytes:
                    raise PhotoFetchFailed(too_big)
                data = bytearray()
                for chunk in response.iter_content(64 * 1024):
                    data.extend(chunk)
                    if len(data) > self.max_bytes:
                        raise PhotoFetchFailed(too_big)
        except requests.RequestException as exc:
            raise PhotoFetchFailed("I could not download it; please send it again.") from exc
        return bytes(data)


def sms_payloads(reply: OutboundReply, to: str, conversation_key: str,
                 status_callback: str | None) -> list[dict[str, Any]]:
    """The texts a reply becomes (render.py), as outbox payloads; `decided_at` bounds the search for an attempt
    that reached Twilio unrecorded (SmsResponder.already_sent)."""
    decided_at = time.time()
    return [{"to": to, "body": body, "conversation_key": conversation_key, "status_callback": status_callback,
             "decided_at": decided_at} for body in render_sms(reply)]


class SmsResponder:
    """Sends one stored text through the Messages API, recording its sid for status callbacks. Twilio
    refusing a text (opted out, bad number) is logged and counted as done; a network failure or a Twilio
    outage (5xx) raises, so the job is retried."""

    def __init__(self, settings: ChannelSettings, ledger: Ledger, client: Client | None = None) -> None:
        self.settings, self.ledger = settings, ledger
        self.client = client or twilio_client(settings)

    def send(self, payload: dict[str, Any], outbox_id: int, attempt: int) -> str:
        to, body = payload["to"], payload["body"]
        if self.ledger.opted_out("sms", to):
            log.info("not texting %s: opted out", to)
            return "skipped:opted-out"
        if attempt > 1:
            landed = self.already_sent(payload)
            if landed is not None:
                log.info("text %s had reached Twilio before the retry", outbox_id)
                return landed
        sender: dict[str, Any] = ({"messaging_service_sid": self.settings.twilio_messaging_service_sid}
                                  if self.settings.twilio_messaging_service_sid
                                  else {"from_": self.settings.twilio_from_number})
        try:
            message = self.client.messages.create(to=to, body=body, status_callback=payload.get("status_callback"),
                                                  **sender)
        except TwilioRestException as exc:
            if exc.status >= 500:
                raise
            if exc.code == UNSUBSCRIBED:
                self.ledger.opt_out("sms", to)
            log.error("Twilio refused a message to %s: %s %s", to, exc.code, exc.msg)
            return f"failed:{exc.code}"
        count = int(message.num_segments) if message.num_segments else segments(body)
        self.ledger.record_sent("sms", str(message.sid), payload["conversation_key"], str(message.status), count)
        return str(message.sid)

    def already_sent(self, payload: dict[str, Any]) -> str | None:
        """The sid of this text if an earlier attempt reached Twilio without being recorded: the same body to the
        same number, created no earlier than the second the reply was decided in, and not already the sid of
        another of the conversation's replies (an earlier, identical text — a repeated onboarding line). Texts
        have no idempotency key or metadata at Twilio."""
        try:
            recent = self.client.messages.list(to=payload["to"], limit=20)
        except (TwilioRestException, requests.RequestException) as exc:
            log.warning("could not check whether a text reached Twilio: %s", exc)
            return None
        # Twilio's date_created has whole seconds: a text sent in the second the reply was decided in reads as
        # created at that second's start, before `decided_at` itself (the usual case: a send follows in ms).
        decided = int(payload.get("decided_at") or 0)
        candidates = [str(m.sid) for m in recent if m.body == payload["body"] and m.direction == "outbound-api"
                      and (m.date_created.timestamp() if m.date_created else 0) >= decided]
        if not candidates:
            return None
        owned = self.ledger.owned_ids("sms", payload["conversation_key"], candidates)
        return next((sid for sid in candidates if sid not in owned), None)
