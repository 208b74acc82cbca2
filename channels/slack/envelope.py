"""What arrives at the Slack endpoints, checked before Bolt reads it: the signature first (the official SDK's
SignatureVerifier; 401 when forged or stale), then the shape — a JSON object (Events API) or a form whose
`payload` is a JSON object (interactivity). Anything else is a 400 with the usual error body, never a 500."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from fastapi.responses import JSONResponse
from slack_sdk.signature import SignatureVerifier


def _object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def payload_of(text: str, content_type: str | None) -> dict[str, Any] | None:
    """The request's payload as Slack sends it, or None when it is not one."""
    if (content_type or "").startswith("application/x-www-form-urlencoded"):
        form = parse_qs(text)
        return _object(form["payload"][0]) if "payload" in form else {"form": True}
    payload = _object(text)
    if payload is not None and "event" in payload and not isinstance(payload["event"], dict):
        return None  # an event callback whose event is not an object
    return payload


def refused(body: bytes, headers: Mapping[str, str], verifier: SignatureVerifier) -> JSONResponse | None:
    """The answer to a request that must not reach Bolt, or None when it may."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad_request()
    stamp, signature = headers.get("x-slack-request-timestamp", ""), headers.get("x-slack-signature")
    if not stamp.isdigit() or not verifier.is_valid(text, stamp, signature):
        return JSONResponse({"error": "unauthorized", "message": "Invalid or stale Slack signature."}, 401)
    if payload_of(text, headers.get("content-type")) is None:
        return _bad_request()
    return None


def _bad_request() -> JSONResponse:
    return JSONResponse({"error": "bad_request", "message": "The body is not a Slack payload."}, 400)
