"""Per-user API keys: the REST API's credential. A key acts as exactly one user, in that user's organization.

The plaintext key (`pp_` + 43 url-safe characters) is returned once by `create_api_key`; only its SHA-256
digest is stored, so a leaked database does not leak working keys. Revoked keys and keys of deactivated
users no longer resolve to a caller.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import Engine, text

from knowledge import clock
from tools.context import Caller, UnknownCaller, caller_by_email, caller_by_id

KEY_PREFIX = "pp_"
MAX_KEY_CHARS = 200  # anything longer is not one of ours; don't hash megabytes of header


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(engine: Engine, email: str, label: str | None = None) -> str:
    """Issue a new API key for the active user with this email and return its plaintext (shown only once).

    Raises:
        UnknownCaller: no active user has this email.
    """
    owner = caller_by_email(engine, email)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO api_keys (user_id, key_hash, prefix, label, created_at) VALUES (:u, :h, :p, :l, :now)"),
            {"u": owner.user_id, "h": hash_api_key(key), "p": key[:11], "l": label, "now": clock.now()},
        )
    return key


def revoke_api_key(engine: Engine, key: str) -> bool:
    """Revoke a key given its plaintext. Returns whether an active key was revoked."""
    with engine.begin() as conn:
        revoked = conn.execute(
            text("UPDATE api_keys SET revoked_at = :now WHERE key_hash = :h AND revoked_at IS NULL RETURNING id"),
            {"h": hash_api_key(key), "now": clock.now()},
        ).first()
    return revoked is not None


def caller_for_api_key(engine: Engine, key: str) -> Caller | None:
    """The caller a key acts as, or None for an unknown, malformed or revoked key or an inactive user."""
    key = key.strip()
    if not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_CHARS:
        return None
    with engine.begin() as conn:
        # last_used_at is informational: touch it at most once a minute so busy keys don't write per request.
        conn.execute(
            text("UPDATE api_keys SET last_used_at = :now WHERE key_hash = :h AND revoked_at IS NULL "
                 "AND (last_used_at IS NULL OR last_used_at < :now - interval '1 minute')"),
            {"h": hash_api_key(key), "now": clock.now()},
        )
        user_id: uuid.UUID | None = conn.execute(
            text("SELECT user_id FROM api_keys WHERE key_hash = :h AND revoked_at IS NULL"), {"h": hash_api_key(key)}
        ).scalar()
    if user_id is None:
        return None
    try:
        return caller_by_id(engine, user_id, channel="api")
    except UnknownCaller:
        return None
