"""Who is calling a tool: an explicit caller, never a global. Tools enforce visibility and roles from it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, text

from knowledge import api_keys
from knowledge.api_keys import issue_api_key, user_for_api_key
from knowledge.settings import get_settings
from knowledge.store_cache import store_key

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


class ApiKeyCallers:
    """Callers of API keys this process resolved lately, by the key's digest and database, so a busy client's
    requests do not each cost two queries. Only keys that resolved are kept (a bad key always asks)."""

    MAX_ENTRIES = 4096

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.revocations = 0  # a lookup that began before a revoke must not cache what it read
        self._entries: dict[tuple[str, str], tuple[float, Caller]] = {}

    def get(self, engine: Engine, key: str) -> Caller | None:
        entry = self._entries.get(_cache_key(engine, key))
        return entry[1] if entry is not None and entry[0] > self.clock() else None

    def put(self, engine: Engine, key: str, caller: Caller, ttl: float, revocations: int) -> None:
        if revocations != self.revocations:
            return
        if len(self._entries) >= self.MAX_ENTRIES:
            now = self.clock()
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
        self._entries[_cache_key(engine, key)] = (self.clock() + ttl, caller)

    def drop(self, engine: Engine, key: str) -> None:
        self.revocations += 1
        self._entries.pop(_cache_key(engine, key), None)

    def clear(self) -> None:
        self._entries.clear()


def _cache_key(engine: Engine, key: str) -> tuple[str, str]:
    return store_key(engine), api_keys.hash_api_key(key.strip())


api_key_callers = ApiKeyCallers()


def caller_for_api_key(engine: Engine, key: str) -> Caller | None:
    """The caller a key acts as (channel "api"); None for an unknown, malformed or revoked key or an inactive
    user. Reused for API_KEY_CACHE_SECONDS (30 s) in this process: a revoke elsewhere takes up to that long."""
    if len(key.strip()) > api_keys.MAX_KEY_CHARS:
        return None
    if (cached := api_key_callers.get(engine, key)) is not None:
        return cached
    revocations = api_key_callers.revocations
    user_id = user_for_api_key(engine, key)
    if user_id is None:
        return None
    try:
        caller = caller_by_id(engine, user_id, channel="api")
    except UnknownCaller:
        return None
    if (ttl := get_settings().api_key_cache_seconds) > 0:
        api_key_callers.put(engine, key, caller, ttl, revocations)
    return caller


def revoke_api_key(engine: Engine, key: str) -> bool:
    """Revoke a key given its plaintext: refused from now on in this process, in others within
    API_KEY_CACHE_SECONDS. Returns whether an active key was revoked."""
    revoked = api_keys.revoke_api_key(engine, key)
    api_key_callers.drop(engine, key)
    return revoked
