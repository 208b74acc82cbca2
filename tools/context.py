"""Who is calling a tool: an explicit caller, never a global. Tools enforce visibility and roles from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Engine, text

from knowledge.api_keys import issue_api_key, user_for_api_key

# Roles allowed to manage listings and answer offers for their organization.
SELLING_ROLES = frozenset({"seller", "parts_manager", "admin"})
BUYING_ROLES = frozenset({"technician", "buyer", "parts_manager", "seller", "admin"})


@dataclass(frozen=True)
class Caller:
    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: str
    email: str
    name: str
    organization_name: str
    channel: str = "cli"
    lat: float | None = None
    lng: float | None = None
    partner_organization_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    @property
    def can_sell(self) -> bool:
        return self.role in SELLING_ROLES

    @property
    def can_buy(self) -> bool:
        return self.role in BUYING_ROLES


class UnknownCaller(LookupError):
    """No active user matches; channels turn this into an onboarding reply."""


_CALLER_SQL = text(
    """
    SELECT u.id, u.organization_id, u.role, u.email, u.name, o.name AS org_name,
           COALESCE(t.lat, w.lat, o.lat) AS lat, COALESCE(t.lng, w.lng, o.lng) AS lng,
           ARRAY(SELECT partner_organization_id FROM organization_partners p
                 WHERE p.organization_id = u.organization_id) AS partners
    FROM users u
    JOIN organizations o ON o.id = u.organization_id
    LEFT JOIN LATERAL (SELECT lat, lng FROM stock_locations s WHERE s.assigned_user_id = u.id
                       AND s.is_active ORDER BY s.name LIMIT 1) t ON TRUE
    LEFT JOIN LATERAL (SELECT lat, lng FROM stock_locations s WHERE s.organization_id = u.organization_id
                       AND s.location_type = 'warehouse' ORDER BY s.name LIMIT 1) w ON TRUE
    WHERE u.is_active AND {predicate}
    """
)


def _load(engine: Engine, predicate: str, value: object, channel: str) -> Caller:
    with engine.connect() as conn:
        row = conn.execute(text(_CALLER_SQL.text.format(predicate=predicate)), {"v": value}).one_or_none()
    if row is None:
        raise UnknownCaller(f"no active user for {value}")
    return Caller(
        user_id=row.id, organization_id=row.organization_id, role=row.role, email=row.email, name=row.name,
        organization_name=row.org_name, channel=channel, lat=row.lat, lng=row.lng,
        partner_organization_ids=frozenset(row.partners or []),
    )


def caller_by_email(engine: Engine, email: str, channel: str = "cli") -> Caller:
    return _load(engine, "lower(u.email) = lower(:v)", email, channel)


def caller_by_phone(engine: Engine, phone: str, channel: str = "sms") -> Caller:
    return _load(engine, "u.phone = :v", phone, channel)


def caller_by_slack_id(engine: Engine, slack_user_id: str, channel: str = "slack") -> Caller:
    return _load(engine, "u.slack_user_id = :v", slack_user_id, channel)


def caller_by_id(engine: Engine, user_id: uuid.UUID, channel: str = "web") -> Caller:
    return _load(engine, "u.id = :v", user_id, channel)


def create_api_key(engine: Engine, email: str, label: str | None = None) -> str:
    """Issue a new API key for the active user with this email; its plaintext (shown only once).

    Raises:
        UnknownCaller: no active user has this email.
    """
    return issue_api_key(engine, caller_by_email(engine, email).user_id, label)


def caller_for_api_key(engine: Engine, key: str) -> Caller | None:
    """The caller a key acts as (channel "api"); None for an unknown, malformed or revoked key or an inactive
    user."""
    user_id = user_for_api_key(engine, key)
    if user_id is None:
        return None
    try:
        return caller_by_id(engine, user_id, channel="api")
    except UnknownCaller:
        return None
