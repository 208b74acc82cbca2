"""Who may be told about a listing: people are told only what they could see by asking, so a listing made
internal after they watched it tells them nothing. Callers are built in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text

from tools.context import Caller
from tools.rules.visibility import listing_visibility_sql

_CALLERS = text(
    "SELECT u.id, u.organization_id, u.role, u.email, u.name, o.name AS org_name, "
    "ARRAY(SELECT p.partner_organization_id FROM organization_partners p "
    "      WHERE p.organization_id = u.organization_id) AS partners "
    "FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.is_active AND u.id = ANY(:ids)")


def callers(db: Any, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Caller]:
    """The active ones among `user_ids`, as callers (for the visibility rules), by id."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    return {row.id: Caller(user_id=row.id, organization_id=row.organization_id, role=row.role, email=row.email,
                           name=row.name, organization_name=row.org_name,
                           partner_organization_ids=frozenset(row.partners or []))
            for row in db.execute(_CALLERS, {"ids": ids})}


def who_sees_listing(db: Any, listing_id: uuid.UUID, user_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Those of `user_ids` (active) who may see the listing now, in the order given."""
    seen: list[uuid.UUID] = []
    for user_id, caller in callers(db, user_ids).items():
        params: dict[str, Any] = {"id": listing_id}
        predicate = listing_visibility_sql(caller, params, "l")
        if db.execute(text(f"SELECT 1 FROM marketplace_listings l WHERE l.id = :id AND {predicate}"),
                      params).scalar() is not None:
            seen.append(user_id)
    return seen
