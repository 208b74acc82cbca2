"""Your organization's own stock: list it, see what is below its reorder point, add and update items.
Quantity changes go through tools.inventory.stock_moves (adjust with a reason, transfer between locations)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem, PartCategory
from knowledge.partnumbers import normalize_part_number
from tools.catalog.parts import number_norm_sql, resolve_part
from tools.catalog.supersession import chain_of
from tools.context import Caller
from tools.inventory.stock_views import (
    ITEM_SQL,
    StockItemView,
    item_view,
    load_item_view,
    own_item,
    own_item_row,
    own_location,
    own_location_name,
    record_movement,
    require_stock_manager,
)
from tools.listings.types import Condition, Money
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.wording import changes_words, condition_words, field_names


class ListStockInput(BaseModel):
    location_id: uuid.UUID | None = Field(None, description="Only this stock location (warehouse, truck …).")
    category: PartCategory | None = Field(None, description="Only catalog parts of this category.")
    part_number: str | None = Field(None, min_length=1, max_length=100, description="Only this number (any spacing).")
    revisions: bool = Field(False, description="With part_number: its older and newer revisions too (the parts of its "
                                               "supersession chain), each item under its own number.")
    low_stock: bool = Field(False, description="Only items at or below their reorder point.")
    available_for_sale: bool | None = Field(None, description="Only items (not) offered for sale.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class ListStockOutput(BaseModel):
    items: list[StockItemView]
    total: int = Field(description="Items matching the filters (all pages).")


@tool(ToolKind.READ)
def list_stock(ctx: ToolContext, args: ListStockInput) -> ListStockOutput:
    """List your own organization's stock items with quantities (on hand, reserved, available, on order),
    location and reorder settings, ordered by part number.

    Args:
        location_id, category, part_number, low_stock, available_for_sale: filters. limit/offset: paging.

    Do NOT use this to find a part anywhere in the network or market (use find_inventory).
    """
    params: dict[str, Any] = {"org": ctx.caller.organization_id, "limit": args.limit, "offset": args.offset}
    where = ["i.organization_id = :org"]
    if args.location_id:
        where.append("i.stock_location_id = :loc")
        params["loc"] = args.location_id
    if args.category:
        where.append("p.category = :cat")
        params["cat"] = args.category.value
    if args.part_number:
        norms = [normalize_part_number(args.part_number)]
        if args.revisions:
            try:
                part = resolve_part(ctx.session, part_number=args.part_number, org_id=ctx.caller.organization_id,
                                    missing_ok=True)
            except ToolFailed:  # a number several makers use: its own items only
                part = None
            norms = chain_of(ctx.session, part.id, part.part_number)[1] if part is not None else norms
        where.append(f"{number_norm_sql('i.part_number')} = ANY(:norms)")
        params["norms"] = norms
    if args.low_stock:
        where.append("i.reorder_point IS NOT NULL AND i.quantity_available <= i.reorder_point")
    if args.available_for_sale is not None:
        where.append("i.available_for_sale = :afs")
        params["afs"] = args.available_for_sale
    sql = f"{ITEM_SQL} WHERE {' AND '.join(where)}"
    total = ctx.session.execute(text(f"SELECT count(*) FROM ({sql}) x"), params).scalar_one()
    rows = ctx.session.execute(text(sql + " ORDER BY i.part_number, s.name, i.id LIMIT :limit OFFSET :offset"),
                               params).all()
    return ListStockOutput(items=[item_view(r) for r in rows], total=total)


class LowStockAlert(BaseModel):
    item: StockItemView
    shortfall: int = Field(description="Units below the reorder point (0 = exactly at it).")
    suggested_order_quantity: int = Field(description="Reorder quantity less what is already on order.")


class LowStockInput(BaseModel):
    location_id: uuid.UUID | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000, description="Skip this many (paging).")


class LowStockOutput(BaseModel):
    alerts: list[LowStockAlert]
    total: int


@tool(ToolKind.READ)
def low_stock(ctx: ToolContext, args: LowStockInput) -> LowStockOutput:
    """Your organization's stock items at or below their reorder point, largest shortfall first, with how
    many to order (the reorder quantity, less what is already on order).

    Args:
        location_id: only this location. limit: most alerts returned; offset: skip this many (paging).
    """
    params: dict[str, Any] = {"org": ctx.caller.organization_id, "limit": args.limit, "offset": args.offset,
                              "loc": args.location_id}
    sql = (f"{ITEM_SQL} WHERE i.organization_id = :org AND i.reorder_point IS NOT NULL "
           "AND i.quantity_available <= i.reorder_point AND (CAST(:loc AS uuid) IS NULL OR i.stock_location_id = :loc)")
    total = ctx.session.execute(text(f"SELECT count(*) FROM ({sql}) x"), params).scalar_one()
    rows = ctx.session.execute(text(sql + " ORDER BY i.reorder_point - i.quantity_available DESC, i.part_number "
                                    "LIMIT :limit OFFSET :offset"), params).all()
    alerts = []
    for row in rows:
        target = row.reorder_quantity or max(row.reorder_point - row.quantity_available + 1, 1)
        alerts.append(LowStockAlert(item=item_view(row), shortfall=row.reorder_point - row.quantity_available,
                                    suggested_order_quantity=max(target - row.quantity_on_order, 0)))
    return LowStockOutput(alerts=alerts, total=total)


class AddStockItemInput(BaseModel):
    part_number: str = Field(min_length=2, max_length=100, description="e.g. 'GAA26800LC1'.")
    manufacturer: str | None = Field(None, max_length=100, description="Required for parts outside the catalog.")
    name: str | None = Field(None, max_length=255, description="Defaults to the catalog name.")
    stock_location_id: uuid.UUID = Field(description="One of your organization's active locations.")
    quantity_on_hand: int = Field(ge=0, le=1_000_000)
    condition: Condition = "new"
    bin_location: str | None = Field(None, max_length=50)
    reorder_point: int | None = Field(None, ge=0, le=1_000_000)
    reorder_quantity: int | None = Field(None, ge=1, le=1_000_000)
    available_for_sale: bool = False
    available_for_trade: bool = False
    list_price: Money | None = None
    acquisition_cost: Money | None = None


class StockItemOutput(BaseModel):
    item: StockItemView
    message: str


def _summarize_add(caller: Caller, args: AddStockItemInput, session: Session) -> str:
    where = own_location_name(session, caller, args.stock_location_id) or "your inventory"
    return f"Add {args.quantity_on_hand} × {args.part_number}, {condition_words(args.condition)}, to {where}?"


@tool(ToolKind.WRITE, summarize=_summarize_add)
def add_stock_item(ctx: ToolContext, args: AddStockItemInput) -> StockItemOutput:
    """Add a stock item to one of your organization's locations (parts managers, sellers, admins).

    Args:
        part_number (+ manufacturer and name when it is not in the catalog), stock_location_id,
        quantity_on_hand, condition, reorder_point / reorder_quantity, available_for_sale / _trade, list_price.

    To change the quantity of an existing item use adjust_stock; to move it, transfer_stock.
    """
    caller, session = ctx.caller, ctx.session
    require_stock_manager(caller, "add stock")
    location = own_location(session, caller, args.stock_location_id)
    part = resolve_part(session, part_number=args.part_number, manufacturer=args.manufacturer,
                        org_id=caller.organization_id, missing_ok=True)
    if part is None and not (args.manufacturer and args.name):
        raise ToolFailed("invalid", f"{args.part_number} is not in the catalog: give manufacturer and name.")
    item = InventoryItem(
        id=uuid.uuid4(), organization_id=caller.organization_id, part_id=part.id if part else None,
        part_number=part.part_number if part else args.part_number.strip(),
        manufacturer=part.manufacturer if part else str(args.manufacturer),
        name=args.name or (part.name if part else str(args.name)), stock_location_id=location.id,
        bin_location=args.bin_location, quantity_on_hand=args.quantity_on_hand, quantity_reserved=0,
        quantity_on_order=0, reorder_point=args.reorder_point, reorder_quantity=args.reorder_quantity,
        condition=args.condition, acquisition_cost=args.acquisition_cost, list_price=args.list_price,
        available_for_sale=args.available_for_sale, available_for_trade=args.available_for_trade, source="manual",
    )
    session.add(item)
    session.flush()
    if args.quantity_on_hand:
        record_movement(session, caller, item, args.quantity_on_hand, "received", "added to inventory")
    return StockItemOutput(item=load_item_view(session, item.id),
                           message=f"Added {args.quantity_on_hand} × {item.part_number} at {location.name}.")


class StockItemChanges(BaseModel):
    """The settings of a stock item that can change (quantities change through adjust/transfer)."""

    bin_location: str | None = Field(None, max_length=50)
    reorder_point: int | None = Field(None, ge=0, le=1_000_000)
    reorder_quantity: int | None = Field(None, ge=1, le=1_000_000)
    condition: Condition | None = None
    available_for_sale: bool | None = None
    available_for_trade: bool | None = None
    list_price: Money | None = None
    name: str | None = Field(None, min_length=2, max_length=255)
    description: str | None = Field(None, max_length=4000)


class UpdateStockItemInput(StockItemChanges):
    item_id: uuid.UUID


def _summarize_update(caller: Caller, args: UpdateStockItemInput, session: Session) -> str:
    changes = changes_words(args.model_dump(exclude={"item_id"}, exclude_none=True)) or "nothing to change"
    row = own_item_row(session, caller, args.item_id)
    if row is None:
        return f"Update that stock item: {changes}?"
    return f"Update {row.part_number} at {row.location_name}: {changes}?"


@tool(ToolKind.WRITE, summarize=_summarize_update)
def update_stock_item(ctx: ToolContext, args: UpdateStockItemInput) -> StockItemOutput:
    """Change the settings of one of your organization's stock items: bin, reorder point/quantity,
    condition, for-sale / for-trade flags, list price, name, description. Quantities are NOT changed here
    (use adjust_stock with a reason, or transfer_stock).
    """
    require_stock_manager(ctx.caller, "update stock items")
    item = own_item(ctx.session, ctx.caller, args.item_id)
    changes = args.model_dump(exclude={"item_id"}, exclude_none=True)
    if not changes:
        raise ToolFailed("invalid", "Nothing to change: give at least one field.")
    for name, value in changes.items():
        setattr(item, name, value)
    return StockItemOutput(item=load_item_view(ctx.session, item.id),
                           message=f"Updated {field_names(sorted(changes))} of {item.part_number}.")
