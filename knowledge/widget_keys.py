"""Chat-widget keys in the store: per organization, a publishable key (`ppk_…`, safe in page HTML) and the
secret its servers sign user tokens with. Which user a token names is the tools' concern: tools.widget_auth."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, text

from knowledge import clock

PUBLISHABLE_PREFIX = "ppk_"
SECRET_PREFIX = "ppws_"
MAX_KEY_CHARS = 64


@dataclass(frozen=True)
class WidgetKeyRow:
    organization_id: uuid.UUID
    publishable_key: str
    secret: str


def active_widget_key(engine: Engine, organization_id: uuid.UUID) -> WidgetKeyRow | None:
    """The organization's newest unrevoked widget key, if it has one."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT organization_id, publishable_key, secret FROM widget_keys WHERE organization_id = :o "
            "AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1"), {"o": organization_id}).one_or_none()
    return None if row is None else WidgetKeyRow(row.organization_id, row.publishable_key, row.secret)


def create_widget_key(engine: Engine, organization_id: uuid.UUID) -> WidgetKeyRow:
    """A new key and secret for the organization (older ones keep working until revoked)."""
    key = WidgetKeyRow(organization_id, PUBLISHABLE_PREFIX + secrets.token_urlsafe(18),
                       SECRET_PREFIX + secrets.token_urlsafe(32))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO widget_keys (organization_id, publishable_key, secret, created_at) "
                          "VALUES (:o, :k, :s, :now)"),
                     {"o": organization_id, "k": key.publishable_key, "s": key.secret, "now": clock.now()})
    return key


def revoke_widget_keys(engine: Engine, organization_id: uuid.UUID) -> int:
    """Revoke every widget key of the organization; how many were active."""
    with engine.begin() as conn:
        return len(conn.execute(text(
            "UPDATE widget_keys SET revoked_at = :now WHERE organization_id = :o AND revoked_at IS NULL RETURNING id"),
            {"o": organization_id, "now": clock.now()}).all())


def widget_key_row(engine: Engine, publishable_key: str) -> WidgetKeyRow | None:
    """The active key with this publishable value, or None (unknown, malformed or revoked)."""
    key = publishable_key.strip()
    if not key.startswith(PUBLISHABLE_PREFIX) or len(key) > MAX_KEY_CHARS:
        return None
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT organization_id, publishable_key, secret FROM widget_keys "
            "WHERE publishable_key = :k AND revoked_at IS NULL"), {"k": key}).one_or_none()
    return None if row is None else WidgetKeyRow(row.organization_id, row.publishable_key, row.secret)
