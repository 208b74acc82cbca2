"""Holding stock for pickup: the visible, locked item row, and pickup codes (also used by marketplace deals)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge.settings import get_settings
from tools.context import Caller
from tools.notifications.marketplace_events import hold_expired
from tools.notifications.more_events import hold_expiring
from tools.rules.visibility import inventory_visibility_sql
from tools.schedule import scheduled


class PickupPlace(BaseModel):
    """Where held units are picked up, and whom to ask there."""

    organization_name: str = Field(description="Whose stock it is")
    location_name: str
    location_type: str
    address: str | None
    city: str | None
    pickup_hours: str | None
    contact_name: str | None
    contact_phone: str | None


CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over a phone
CODE_LENGTH = 6


def pickup_code() -> str:
    """A pickup code to give at the counter: for stock holds and for collecting a marketplace deal."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


_ITEM_SQL = (
    "SELECT i.id, i.organization_id, i.part_number, i.name, i.condition, i.quantity_available, "
    "o.name AS org_name, s.name AS loc_name, s.location_type, s.address, s.city, s.lat, s.lng, s.pickup_hours, "
    "s.contact_name, s.contact_phone FROM inventory_items i JOIN stock_locations s ON s.id = i.stock_location_id "
    "JOIN organizations o ON o.id = i.organization_id WHERE i.id = :id AND s.is_active AND {vis}"
)


def visible_item(session: Session, caller: Caller, item_id: uuid.UUID, lock: bool) -> Any:
    params: dict[str, Any] = {"id": item_id}
    sql = _ITEM_SQL.format(vis=inventory_visibility_sql(caller, params, "i")) + (" FOR UPDATE OF i" if lock else "")
    return session.execute(text(sql), params).one_or_none()


def insert_hold(session: Session, caller: Caller, row: Any, quantity: int, hours: int) -> Any:
    """Insert an active hold with a fresh 6-character code (redrawn on the rare collision)."""
    for _ in range(5):
        code = pickup_code()
        try:
            with session.begin_nested():
                return session.execute(text(
                    "INSERT INTO stock_holds (inventory_item_id, organization_id, user_id, quantity, pickup_code, "
                    "status, created_at, expires_at) VALUES (:item, :org, :user, :q, :code, 'active', :now, "
                    ":now + make_interval(hours => :h)) RETURNING id, pickup_code, expires_at"),
                    {"item": row.id, "org": caller.organization_id, "user": caller.user_id, "q": quantity,
                     "code": code, "h": hours, "now": clock.now()}).one()
        except IntegrityError:  # pickup-code collision: draw again
            continue
    raise RuntimeError("could not draw a unique pickup code")


@scheduled("expire_holds")
def expire_holds(engine: Engine, now: datetime) -> int:
    """Active holds past their time become expired and give their units back to the shelf; how many. A hold
    being released at the same moment is locked by its release: this waits, sees it no longer active, skips it."""
    with Session(engine) as session, session.begin():
        rows = session.execute(text(
            "UPDATE stock_holds h SET status = 'expired' FROM inventory_items i WHERE i.id = h.inventory_item_id "
            "AND h.status = 'active' AND h.expires_at <= :now "
            "RETURNING h.id, h.user_id, h.inventory_item_id, h.quantity, i.part_number"), {"now": now}).all()
        for row in rows:
            session.execute(text("UPDATE inventory_items SET quantity_reserved = quantity_reserved - :q "
                                 "WHERE id = :item"), {"q": row.quantity, "item": row.inventory_item_id})
            hold_expired(session, row)
    return len(rows)


@scheduled("warn_expiring_holds")
def warn_expiring_holds(engine: Engine, now: datetime) -> int:
    """Tell each holder whose active hold expires within the window (hold_expiring_notice_minutes) once per
    expiry time; how many were told. A hold no longer than the window is skipped: its holder just made it and
    was told when it ends."""
    window = timedelta(minutes=get_settings().hold_expiring_notice_minutes)
    with Session(engine) as session, session.begin():
        rows = session.execute(text(
            "SELECT h.id, h.user_id, h.quantity, h.pickup_code, h.expires_at, i.part_number, s.name AS location "
            "FROM stock_holds h JOIN inventory_items i ON i.id = h.inventory_item_id "
            "JOIN stock_locations s ON s.id = i.stock_location_id WHERE h.status = 'active' "
            "AND h.expires_at > :now AND h.expires_at <= :until AND h.expires_at - h.created_at > :window"),
            {"now": now, "until": now + window, "window": window}).all()
        return sum(hold_expiring(session, row, (row.expires_at - now).total_seconds() / 60) for row in rows)
