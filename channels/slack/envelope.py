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


def is_slack_payload(text: str, content_type: str | None) -> bool:
    """Whether the body is shaped as Slack sends it: a JSON object whose `event`, if any, is an object; or a
    form whose `payload`, if any, is a JSON object."""
    if (content_type or "").startswith("application/x-www-form-urlencoded"):
        form = parse_qs(text)
        return "payload" not in form or _object(form["payload"][0]) is not None
    payload = _object(text)
    return payload is not None and isinstance(payload.get("event", {}), dict)


def refused(body: bytes, headers: Mapping[str, str], verifier: SignatureVerifier) -> JSONResponse | None:
    """The answer to a request that must not reach Bolt, or None when it may."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad_request()
    stamp, signature = headers.get("x-slack-request-timestamp", ""), headers.get("x-slack-signature")
    if not stamp.isdigit() or not verifier.is_valid(text, stamp, signature):
        return JSONResponse({"error": "unauthorized", "message": "Invalid or stale Slack signature."}, 401)
    if not is_slack_payload(text, headers.get("content-type")):
        return _bad_request()
    return None


def _bad_request() -> JSONResponse:
    return JSONResponse({"error": "bad_request", "message": "The body is not a Slack payload."}, 400)
