"""Widget keys of organizations and the users their tokens name."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, text

from knowledge.widget_keys import WidgetKeyRow, active_widget_key, create_widget_key, widget_key_row
from tools.context import Caller, UnknownCaller, caller_by_email, caller_by_id
from tools.widget_auth.tokens import BadToken, sign_user_token, verify_user_token


class UnknownOrganization(LookupError):
    """No organization has this slug, name or id."""


def _organization_id(engine: Engine, org: str) -> uuid.UUID:
    with engine.connect() as conn:
        found: uuid.UUID | None = conn.execute(text(
            "SELECT id FROM organizations WHERE slug = :o OR lower(name) = lower(:o) OR id::text = :o LIMIT 1"),
            {"o": org.strip()}).scalar()
    if found is None:
        raise UnknownOrganization(f"no organization {org!r}")
    return found


def widget_key_for(engine: Engine, org: str | uuid.UUID, create: bool = True) -> WidgetKeyRow | None:
    """The organization's (slug, name or id) active widget key; a new one when it has none and `create`.

    Raises:
        UnknownOrganization: no organization matches `org`.
    """
    org_id = org if isinstance(org, uuid.UUID) else _organization_id(engine, org)
    key = active_widget_key(engine, org_id)
    if key is None and create:
        key = create_widget_key(engine, org_id)
    return key


def mint_user_token(engine: Engine, email: str, ttl_s: int = 3600) -> tuple[str, str]:
    """The user's organization's publishable key and a token for them: what a host site's backend computes.

    Raises:
        UnknownCaller: no active user has this email.
    """
    caller = caller_by_email(engine, email)
    key = widget_key_for(engine, caller.organization_id)
    assert key is not None
    return key.publishable_key, sign_user_token(key.secret, caller.email, ttl_s)


def caller_for_widget(engine: Engine, publishable_key: str, token: str) -> Caller | None:
    """The user a widget token names (channel "web"); None for an unknown or revoked key, a bad or expired
    token, an unknown or inactive user, or a user outside the key's organization."""
    key = widget_key_row(engine, publishable_key)
    if key is None:
        return None
    try:
        subject = verify_user_token(key.secret, token)
    except BadToken:
        return None
    try:
        caller = (caller_by_id(engine, uuid.UUID(subject)) if _is_uuid(subject)
                  else caller_by_email(engine, subject, channel="web"))
    except UnknownCaller:
        return None
    return caller if caller.organization_id == key.organization_id else None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
