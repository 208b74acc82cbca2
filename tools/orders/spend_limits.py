"""Spend limits: an organization caps what one order placed by someone of a role may total (no row: no cap).
An order above the cap waits for an approver of the buying organization — its parts managers and admins."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.orders.transitions import APPROVER_ROLES
from tools.rules.money import usd
from tools.rules.wording import either


def spend_limit(session: Session, caller: Caller) -> Decimal | None:
    """The most one order placed by the caller may total without approval; None when there is no limit."""
    found = session.execute(text("SELECT max_order_total FROM spend_limits WHERE organization_id = :org AND "
                                 "role = :role"), {"org": caller.organization_id, "role": caller.role}).scalar()
    return None if found is None else Decimal(found)


def needs_approval(limit: Decimal | None, total: Decimal, kind: str) -> bool:
    """Transfers of one's own stock cost nothing and never wait; other orders wait above the limit."""
    return kind != "transfer" and limit is not None and total > limit


def approver_names(session: Session, organization_id: uuid.UUID, excluding: uuid.UUID | None = None) -> list[str]:
    """Who approves: the organization's parts managers, else its admins (by name)."""
    rows = session.execute(text(
        "SELECT name, role FROM users WHERE organization_id = :org AND is_active AND role = ANY(:roles) "
        "AND id IS DISTINCT FROM CAST(:me AS uuid) ORDER BY name"),
        {"org": organization_id, "roles": list(APPROVER_ROLES), "me": excluding}).all()
    managers = [r.name for r in rows if r.role == "parts_manager"]
    return managers or [r.name for r in rows]


def approval_words(session: Session, caller: Caller, limit: Decimal) -> str:
    """ "over your $500 limit: Linda Park must approve"."""
    names = approver_names(session, caller.organization_id, caller.user_id)
    who = either(names) if names else "a parts manager"
    return f"over your {usd(limit)} limit: {who} must approve"
