"""User tokens for the chat widget: compact JWTs signed with HMAC-SHA256 (HS256) by the organization's widget
secret, as Intercom's and Chatwoot's identity verification do with an HMAC of the user's id. Any JWT library
makes one on the host site's backend; only HS256 is accepted, and only with an expiry."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

HEADER = {"alg": "HS256", "typ": "JWT"}
MAX_LIFETIME_S = 31 * 24 * 3600  # a token good for longer is a credential nobody will remember to rotate
MAX_TOKEN_CHARS = 2000
LEEWAY_S = 30  # clock skew between the host's servers and ours


class BadToken(ValueError):
    """The token is malformed, forged, expired or lives too long."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise BadToken("not base64url") from None


def _sign(secret: str, signing_input: str) -> str:
    return _b64(hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256).digest())


def sign_user_token(secret: str, subject: str, ttl_s: int = 3600, now: float | None = None) -> str:
    """A token naming `subject` (the user's email or id) for `ttl_s` seconds, signed with `secret`."""
    issued = int(time.time() if now is None else now)
    claims = {"sub": subject, "iat": issued, "exp": issued + ttl_s}
    signing_input = f"{_b64(json.dumps(HEADER).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{_sign(secret, signing_input)}"


def verify_user_token(secret: str, token: str, now: float | None = None) -> str:
    """The subject of a valid token signed with `secret`.

    Raises:
        BadToken: malformed, not HS256, a wrong signature, no or a past expiry, or a lifetime over 31 days.
    """
    parts = token.strip().split(".")
    if len(token) > MAX_TOKEN_CHARS or len(parts) != 3:
        raise BadToken("not a compact JWT")
    if not hmac.compare_digest(_sign(secret, f"{parts[0]}.{parts[1]}"), parts[2]):
        raise BadToken("bad signature")
    try:
        header: Any = json.loads(_unb64(parts[0]))
        claims: Any = json.loads(_unb64(parts[1]))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadToken("not JSON") from None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        raise BadToken("only HS256 tokens are accepted")
    exp, sub = claims.get("exp"), claims.get("sub")
    at = time.time() if now is None else now
    if not isinstance(exp, int) or isinstance(exp, bool) or exp + LEEWAY_S < at:
        raise BadToken("expired or without an expiry")
    if exp - at > MAX_LIFETIME_S:
        raise BadToken("expiry too far ahead")
    if not isinstance(sub, str) or not sub.strip():
        raise BadToken("no subject")
    return sub.strip()
