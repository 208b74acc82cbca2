"""A fake Twilio REST API: the Messages resource (form-encoded POST, Basic auth, the real message JSON with
sid, status and num_segments), MMS media behind Basic auth, and signed status callbacks back to the app."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import requests
from twilio.request_validator import RequestValidator

from channels.fakes._http import LoopbackServer, basic_auth, form_or_json

_GSM = set("@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
           "abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€")


def _segments(body: str) -> int:
    if all(ch in _GSM for ch in body):
        return 1 if len(body) <= 160 else -(-len(body) // 153)
    return 1 if len(body) <= 70 else -(-len(body) // 67)


class FakeTwilioRest:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[dict[str, Any]] = []
        self.unsubscribed: set[str] = set()
        self._media: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()
        self.server = LoopbackServer(self._handle)
        self.base_url = self.server.url

    def close(self) -> None:
        self.server.close()

    def add_media(self, data: bytes, content_type: str) -> str:
        """Host an inbound MMS attachment; returns its MediaUrl."""
        media_sid = f"ME{uuid.uuid4().hex}"
        self._media[media_sid] = (data, content_type)
        return f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages/MM{uuid.uuid4().hex}/Media/{media_sid}"

    def sent(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.messages)

    def deliver_statuses(self, sids: list[str], *statuses: str) -> list[int]:
        """POST signed status callbacks, as Twilio does, for these messages (those that asked for one)."""
        validator, codes = RequestValidator(self.auth_token), []
        for message in (m for m in self.sent() if m["sid"] in sids):
            url = message.get("status_callback")
            for status in statuses:
                if not url:
                    continue
                params = {"MessageSid": message["sid"], "MessageStatus": status, "AccountSid": self.account_sid,
                          "To": message["to"], "From": message["from"] or "", "ApiVersion": "2010-04-01"}
                signature = validator.compute_signature(url, params)
                codes.append(requests.post(url, data=params, headers={"X-Twilio-Signature": signature},
                                           timeout=10).status_code)
        return codes

    def _handle(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        if basic_auth(headers) != (self.account_sid, self.auth_token):
            return self._error(401, 20003, "Authentication Error - invalid username")
        media = re.fullmatch(rf"/2010-04-01/Accounts/{self.account_sid}/Messages/MM\w+/Media/(ME\w+)", path)
        if verb == "GET" and media and media.group(1) in self._media:
            data, content_type = self._media[media.group(1)]
            return 200, content_type, data
        listing, _, query = path.partition("?")
        if listing == f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            if verb == "POST":
                return self._create(form_or_json(headers, body))
            if verb == "GET":
                return self._list(listing, {k: v[0] for k, v in parse_qs(query).items()})
        return self._error(404, 20404, "The requested resource was not found")

    def _create(self, form: dict[str, Any]) -> tuple[int, str, bytes]:
        text, to = str(form.get("Body", "")), str(form.get("To", ""))
        if not to or not (form.get("From") or form.get("MessagingServiceSid")):
            return self._error(400, 21604, "A 'To' and a 'From' or 'MessagingServiceSid' are required.")
        if len(text) > 1600:
            return self._error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if to in self.unsubscribed:
            return self._error(400, 21610, "Attempt to send to unsubscribed recipient")
        sid, now = f"SM{uuid.uuid4().hex}", datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        resource = {
            "account_sid": self.account_sid, "api_version": "2010-04-01", "body": text, "date_created": now,
            "date_sent": None, "date_updated": now, "direction": "outbound-api", "error_code": None,
            "error_message": None, "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0", "num_segments": str(_segments(text)), "price": None, "price_unit": "USD", "sid": sid,
            "status": "queued", "to": to, "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"},
        }
        with self._lock:
            self.messages.append({**resource, "status_callback": form.get("StatusCallback"),
                                  "_received_at": time.time()})
        return 201, "application/json", json.dumps(resource).encode()

    def _list(self, uri: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        """Messages, newest first, filtered by To / From as Twilio does (one page)."""
        size = int(query.get("PageSize", "50"))
        with self._lock:
            found = [{k: v for k, v in m.items() if k not in ("status_callback", "_received_at")}
                     for m in reversed(self.messages)
                     if query.get("To") in (None, m["to"]) and query.get("From") in (None, m["from"])][:size]
        page = f"{uri}?PageSize={size}&Page=0"
        return 200, "application/json", json.dumps({
            "messages": found, "uri": page, "first_page_uri": page,
            "next_page_uri": None, "previous_page_uri": None, "page": 0, "page_size": size, "start": 0,
            "end": max(0, len(found) - 1)}).encode()

    @staticmethod
    def _error(status: int, code: int, message: str) -> tuple[int, str, bytes]:
        return status, "application/json", json.dumps({
            "code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}).encode()
