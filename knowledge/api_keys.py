"""Per-user API keys in the store: the REST API's credential. A key acts as exactly one user.

The plaintext key (`pp_` + 43 url-safe characters) is returned once by `issue_api_key`; only its SHA-256
digest is stored, so a leaked database does not leak working keys. Which caller a key acts as (and that the
user is still active) is the tools' concern: tools.context.caller_for_api_key."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import Engine, text

from knowledge import clock

KEY_PREFIX = "pp_"
MAX_KEY_CHARS = 200  # anything longer is not one of ours; don't hash megabytes of header


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_api_key(engine: Engine, user_id: uuid.UUID, label: str | None = None) -> str:
    """Store a new key for the user and return its plaintext (shown only once)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO api_keys (user_id, key_hash, prefix, label, created_at) VALUES (:u, :h, :p, :l, :now)"),
            {"u": user_id, "h": hash_api_key(key), "p": key[:11], "l": label, "now": clock.now()},
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


def user_for_api_key(engine: Engine, key: str) -> uuid.UUID | None:
    """The user a key belongs to, or None for an unknown, malformed or revoked key."""
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
    return user_id
