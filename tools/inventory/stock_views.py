"""What the stock-management tools share: the item view, who may change stock, and the movement log."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, InventoryMovement, StockLocation
from tools.context import Caller
from tools.results import ToolFailed

AdjustReason = Literal["cycle_count", "used_on_job", "damaged", "lost", "found", "received", "returned",
                       "correction"]


class StockItemView(BaseModel):
    id: uuid.UUID
    part_id: uuid.UUID | None
    part_number: str
    manufacturer: str
    name: str
    category: str | None
    condition: str
    stock_location_id: uuid.UUID
    location_name: str
    location_type: str
    bin_location: str | None
    quantity_on_hand: int
    quantity_reserved: int
    quantity_available: int
    quantity_on_order: int
    reorder_point: int | None
    reorder_quantity: int | None
    below_reorder_point: bool
    available_for_sale: bool
    available_for_trade: bool
    list_price: Decimal | None = Field(description="Unit price in USD when sold.")
    currency: str
    updated_at: datetime


ITEM_SQL = (
    "SELECT i.*, p.category, s.name AS location_name, s.location_type FROM inventory_items i "
    "JOIN stock_locations s ON s.id = i.stock_location_id LEFT JOIN parts_catalog p ON p.id = i.part_id"
)


def item_view(row: Any) -> StockItemView:
    return StockItemView(
        id=row.id, part_id=row.part_id, part_number=row.part_number, manufacturer=row.manufacturer, name=row.name,
        category=row.category, condition=row.condition, stock_location_id=row.stock_location_id,
        location_name=row.location_name, location_type=row.location_type, bin_location=row.bin_location,
        quantity_on_hand=row.quantity_on_hand, quantity_reserved=row.quantity_reserved,
        quantity_available=row.quantity_available, quantity_on_order=row.quantity_on_order,
        reorder_point=row.reorder_point, reorder_quantity=row.reorder_quantity,
        below_reorder_point=row.reorder_point is not None and row.quantity_available <= row.reorder_point,
        available_for_sale=row.available_for_sale, available_for_trade=row.available_for_trade,
        list_price=row.list_price, currency=row.currency, updated_at=row.updated_at,
    )


def load_item_view(session: Session, item_id: uuid.UUID) -> StockItemView:
    session.flush()
    return item_view(session.execute(text(ITEM_SQL + " WHERE i.id = :id"), {"id": item_id}).one())


def require_stock_manager(caller: Caller, action: str) -> None:
    if not caller.can_sell:
        raise ToolFailed("forbidden", f"Your role ({caller.role}) cannot {action}; a parts manager or seller of "
                         f"{caller.organization_name} can.")


def own_item(session: Session, caller: Caller, item_id: uuid.UUID) -> InventoryItem:
    """A row-locked stock item of the caller's organization; another organization's stock is not_found."""
    item = session.get(InventoryItem, item_id, with_for_update=True, populate_existing=True)
    if item is None or item.organization_id != caller.organization_id:
        raise ToolFailed("not_found", f"No stock item {item_id} in {caller.organization_name}'s inventory.",
                         hint="List your inventory to find item ids.")
    return item


def own_location(session: Session, caller: Caller, location_id: uuid.UUID) -> StockLocation:
    location = session.get(StockLocation, location_id)
    if location is None or location.organization_id != caller.organization_id or not location.is_active:
        raise ToolFailed("not_found", f"No active stock location {location_id} in {caller.organization_name}.")
    return location


def may_adjust(session: Session, caller: Caller, item: InventoryItem) -> None:
    """Stock managers adjust any of their organization's stock; a technician only stock at a location
    assigned to them (their truck), e.g. parts used on a job."""
    if caller.can_sell:
        return
    location = session.get(StockLocation, item.stock_location_id)
    if location is None or location.assigned_user_id != caller.user_id:
        raise ToolFailed("forbidden", f"Your role ({caller.role}) may adjust only stock at locations assigned to "
                         "you (your truck); ask a parts manager.")


def record_movement(session: Session, caller: Caller, item: InventoryItem, change: int, reason: str,
                    note: str | None, transfer_id: uuid.UUID | None = None) -> None:
    session.add(InventoryMovement(
        id=uuid.uuid4(), inventory_item_id=item.id, organization_id=item.organization_id, user_id=caller.user_id,
        quantity_change=change, quantity_after=item.quantity_on_hand, reason=reason, note=note,
        transfer_id=transfer_id))


def own_item_row(session: Session, caller: Caller, item_id: uuid.UUID) -> Any | None:
    """An ITEM_SQL row of the caller's organization, unlocked, for confirmation sentences; None otherwise."""
    return session.execute(text(ITEM_SQL + " WHERE i.id = :id AND i.organization_id = :org"),
                           {"id": item_id, "org": caller.organization_id}).one_or_none()


def own_location_name(session: Session, caller: Caller, location_id: uuid.UUID) -> str | None:
    """The name of one of the caller's organization's locations (None for anyone else's)."""
    location = session.get(StockLocation, location_id)
    return location.name if location is not None and location.organization_id == caller.organization_id else None
