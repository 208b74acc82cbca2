"""A deal alert as its owner sees it, in words and as data, and finding one of the caller's own (nobody else's
alerts are ever found: another person's alert is "not found", never "exists but hidden")."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import DealAlert
from tools.context import Caller
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.rules.wording import condition_words, either

KM_PER_MILE = 1.609344
USED = ("used_excellent", "used_good", "used_fair")
MAX_ALERTS_PER_PERSON = 200


class DealAlertView(BaseModel):
    id: uuid.UUID
    name: str = Field(description="What the alert watches for, in words, e.g. 'used GAA26800LC1 under $400 "
                      "within 50 mi of your base'.")
    part_number: str | None = Field(description="Listings of this number, of parts that supersede it and of "
                                    "drop-in older numbers match.")
    manufacturer: str | None
    query: str | None = Field(description="Free-text description matched against listings' text.")
    conditions: list[str] = Field(description="Accepted conditions; empty: any.")
    max_price: Decimal | None = Field(description="Highest unit price (or current bid) in USD.")
    within_km: float | None
    within_miles: float | None
    near: str | None = Field(description="Where the distance is measured from.")
    trade: str | None
    category: str | None
    listing_type: str | None
    paused: bool
    match_count: int = Field(description="Listings it has told you about.")
    last_matched_at: datetime | None
    created_at: datetime


def alert_view(alert: Any) -> DealAlertView:
    """From a DealAlert row (ORM or SQL)."""
    km = alert.radius_km
    return DealAlertView(
        id=alert.id, name=alert.name, part_number=alert.part_number, manufacturer=alert.manufacturer,
        query=alert.query, conditions=list(alert.conditions or []), max_price=alert.max_price,
        within_km=None if km is None else round(km, 1),
        within_miles=None if km is None else round(km / KM_PER_MILE, 1), near=alert.place, trade=alert.trade,
        category=alert.category, listing_type=alert.listing_type, paused=alert.paused,
        match_count=alert.match_count, last_matched_at=alert.last_matched_at, created_at=alert.created_at)


def conditions_words(conditions: list[str]) -> str:
    """["used_excellent", "used_good", "used_fair"] → "used"; others as "new or refurbished"."""
    if set(conditions) == set(USED):
        return "used"
    return either(condition_words(c) for c in conditions)


def alert_words(*, part_number: str | None, query: str | None, conditions: list[str], max_price: Decimal | None,
                radius_km: float | None, place: str | None, listing_type: str | None, category: str | None,
                trade: str | None) -> str:
    """ "used GAA26800LC1 under $400 within 50 mi of your base" — how the alert is named and confirmed."""
    kind = {"auction": "auction of a", "trade": "trade of a", "emergency": "emergency listing of a"}.get(
        listing_type or "", "")
    what = part_number or (f'"{query}"' if query else "") or (category or trade or "part").replace("_", " ")
    words = [kind, conditions_words(conditions), what]
    if part_number and query:
        words.append(f'("{query}")')
    if (category or trade) and (part_number or query):
        words.append(f"in {(category or trade or '').replace('_', ' ')}")
    if max_price is not None:
        words.append(f"under {usd(max_price)}")
    if radius_km is not None:
        words.append(f"within {round(radius_km / KM_PER_MILE):g} mi" + (f" of {place}" if place else ""))
    return " ".join(w for w in words if w).strip()


def own_alert(session: Session, caller: Caller, alert_id: uuid.UUID, *, lock: bool = False) -> DealAlert:
    """The caller's own alert (row-locked when `lock`), else not_found."""
    alert = session.get(DealAlert, alert_id, with_for_update=lock, populate_existing=lock)
    if alert is None or alert.user_id != caller.user_id:
        raise ToolFailed("not_found", f"You have no deal alert {alert_id}.",
                         hint="Use list_deal_alerts to see your alerts and their ids.")
    return alert


def alert_name_for(session: Session, caller: Caller, alert_id: uuid.UUID | None) -> str | None:
    """The alert's name for a confirmation sentence; None for one that is not the caller's (nothing is told)."""
    if alert_id is None:
        return None
    name = session.execute(text("SELECT name FROM deal_alerts WHERE id = :id AND user_id = :u"),
                           {"id": alert_id, "u": caller.user_id}).scalar()
    return None if name is None else str(name)


def count_alerts(session: Session, caller: Caller, *, paused: bool | None = None) -> int:
    sql = "SELECT count(*) FROM deal_alerts WHERE user_id = :u"
    if paused is not None:
        sql += " AND paused = :p"
    return int(session.execute(text(sql), {"u": caller.user_id, "p": paused}).scalar_one())
