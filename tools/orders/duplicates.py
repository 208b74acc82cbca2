"""Duplicate-order warnings: before buying, say when someone in the same organization already ordered (an order
not cancelled) or holds (an active stock hold) the same part — or a part of its supersession chain — in the last
14 days; for the same job site or unit when this order goes to one, else anywhere. Holds say nothing of where
the part goes, so they always count. One rule for the cart, the checkout confirmation and buy now."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.catalog.parts import number_norm_sql
from tools.catalog.supersession import chain_of
from tools.context import Caller
from tools.rules.clock import utcnow

WINDOW = timedelta(days=14)


class DuplicateWarning(BaseModel):
    kind: Literal["order", "hold"]
    part_number: str = Field(description="The part being bought now")
    other_part_number: str = Field(description="What was ordered or held (the same part or one of its chain)")
    by: str = Field(description="Who ordered or holds it ('You' for the caller)")
    quantity: int
    at: datetime
    site_name: str | None = None
    order_number: str | None = None
    text: str = Field(description="e.g. 'Derek Olson ordered 1 × GAA26800LC1 for the Brown Palace Hotel job "
                      "2 days ago'")


def _ago(moment: datetime, now: datetime) -> str:
    hours = (now - moment).total_seconds() / 3600
    if hours < 1:
        return "less than an hour ago"
    if hours < 24:
        return f"{int(hours)} hour{'s' if int(hours) != 1 else ''} ago"
    days = int(hours // 24)
    return "yesterday" if days == 1 else f"{days} days ago"


_ORDERED = (
    "SELECT o.order_number, o.created_at AS at, o.site_name, u.id AS user_id, u.name AS who, oi.part_number, "
    "oi.quantity FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN users u ON u.id = o.buyer_id "
    "WHERE o.buyer_organization_id = :org AND o.status <> 'cancelled' AND o.created_at >= :since "
    "AND NOT o.id = ANY(CAST(:skip AS uuid[])) "
    "AND (oi.part_id = ANY(CAST(:ids AS uuid[])) OR {norm} = ANY(:norms)) "
    "AND (CAST(:site AS text) IS NULL OR lower(o.site_name) = lower(:site) "
    "OR o.equipment_id = CAST(:equipment AS uuid)) ORDER BY o.created_at DESC LIMIT 5"
)
_HELD = (
    "SELECT h.created_at AS at, u.id AS user_id, u.name AS who, i.part_number, h.quantity, s.name AS place "
    "FROM stock_holds h JOIN inventory_items i ON i.id = h.inventory_item_id JOIN users u ON u.id = h.user_id "
    "JOIN stock_locations s ON s.id = i.stock_location_id WHERE h.organization_id = :org AND h.status = 'active' "
    "AND h.created_at >= :since AND (i.part_id = ANY(CAST(:ids AS uuid[])) OR {norm} = ANY(:norms)) "
    "ORDER BY h.created_at DESC LIMIT 5"
)


def duplicate_warnings(session: Session, caller: Caller, parts: Iterable[tuple[uuid.UUID | None, str]],
                       site_name: str | None = None, equipment_id: uuid.UUID | None = None,
                       skip_orders: Iterable[uuid.UUID] = ()) -> list[DuplicateWarning]:
    """Warnings for buying `parts` ((catalog id or None, part number) pairs), newest first per part.
    `skip_orders`: orders not to count (those being placed right now)."""
    now = utcnow()
    found: list[DuplicateWarning] = []
    seen: set[tuple[str, str, str]] = set()
    for part_id, number in dict.fromkeys(parts):
        ids, norms = chain_of(session, part_id, number)
        params: dict[str, Any] = {"org": caller.organization_id, "since": now - WINDOW, "ids": ids, "norms": norms,
                                  "site": site_name, "equipment": equipment_id, "skip": list(skip_orders)}
        for row in session.execute(text(_ORDERED.format(norm=number_norm_sql("oi.part_number"))), params):
            if (row.order_number, row.part_number, number) in seen:
                continue
            seen.add((row.order_number, row.part_number, number))
            who = "You" if row.user_id == caller.user_id else row.who
            job = f" for the {row.site_name} job" if row.site_name else ""
            found.append(DuplicateWarning(
                kind="order", part_number=number, other_part_number=row.part_number, by=who, quantity=row.quantity,
                at=row.at, site_name=row.site_name, order_number=row.order_number,
                text=f"{who} ordered {row.quantity} × {row.part_number}{job} {_ago(row.at, now)} "
                     f"(order {row.order_number})"))
        for row in session.execute(text(_HELD.format(norm=number_norm_sql("i.part_number"))), params):
            who = "You" if row.user_id == caller.user_id else row.who
            verb = "hold" if who == "You" else "holds"
            found.append(DuplicateWarning(
                kind="hold", part_number=number, other_part_number=row.part_number, by=who, quantity=row.quantity,
                at=row.at, text=f"{who} {verb} {row.quantity} × {row.part_number} at {row.place} (held "
                                f"{_ago(row.at, now)})"))
    return found
