"""Stock that falls to its reorder point: the organization's parts managers and admins are told when free units
(on hand less reserved — what stock_views calls below_reorder_point) cross it going down, once per crossing:
further movements below it tell no one until the stock has risen above it again."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from tools.notifications.more_events import low_stock
from tools.rules.clock import utcnow

# Who keeps an organization stocked (knowledge/models/organizations.py UserRole); where it has none (a salvage
# yard of sellers), its sellers, who manage its stock (stock_views.require_stock_manager).
STOCK_KEEPERS = ("parts_manager", "admin")

_ITEM = text("SELECT i.id, i.organization_id, i.part_number, i.reorder_point, i.reorder_quantity, "
             "s.name AS location FROM inventory_items i JOIN stock_locations s ON s.id = i.stock_location_id "
             "WHERE i.id = :id")
_KEEPERS = text(
    "SELECT u.id FROM users u WHERE u.organization_id = :org AND u.is_active AND (u.role = ANY(:roles) OR "
    "(u.role = 'seller' AND NOT EXISTS (SELECT 1 FROM users k WHERE k.organization_id = :org AND k.is_active "
    "AND k.role = ANY(:roles)))) AND u.id IS DISTINCT FROM CAST(:actor AS uuid) ORDER BY u.email")


def tell_if_low(db: Any, item_id: uuid.UUID, free_before: int, free_after: int,
                actor: uuid.UUID | None) -> int:
    """After a change took free units of a stock item from `free_before` to `free_after`: when that crossed its
    reorder point going down, tell its organization's stock keepers (not `actor`, who made the change); how
    many were told."""
    if free_after >= free_before:
        return 0
    item = db.execute(_ITEM, {"id": item_id}).one_or_none()
    if item is None or item.reorder_point is None or not free_after <= item.reorder_point < free_before:
        return 0
    at = utcnow()
    keepers = db.execute(_KEEPERS, {"org": item.organization_id, "roles": list(STOCK_KEEPERS), "actor": actor})
    return sum(low_stock(db, keeper, item, free_after, at) for keeper in keepers.scalars())
