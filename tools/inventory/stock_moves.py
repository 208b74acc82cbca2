"""Quantity changes of your own stock, each logged with its reason in inventory_movements: adjustments
(counted, used on a job, damaged …) and transfers between your locations (warehouse → truck …)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import InventoryItem
from tools.context import Caller
from tools.inventory.reorder import tell_if_low
from tools.inventory.stock_views import (
    AdjustReason,
    StockItemView,
    load_item_view,
    may_adjust,
    own_item,
    own_item_row,
    own_location,
    own_location_name,
    record_movement,
    require_stock_manager,
)
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.wording import reason_words


class StockAdjustment(BaseModel):
    quantity_change: int = Field(ge=-1_000_000, le=1_000_000, description="Units added (+) or removed (-), "
                                 "e.g. -1 for one part used on a job. Not 0.")
    reason: AdjustReason = Field(description="Why: cycle_count, used_on_job, damaged, lost, found, received, "
                                 "returned or correction.")
    note: str | None = Field(None, max_length=500, description="e.g. the job or work-order number.")


class AdjustStockInput(StockAdjustment):
    item_id: uuid.UUID


class AdjustStockOutput(BaseModel):
    item: StockItemView
    quantity_change: int
    reason: str
    message: str


def _summarize_adjust(caller: Caller, args: AdjustStockInput, session: Session) -> str:
    why = reason_words(args.reason) + (f": {args.note}" if args.note else "")
    count = abs(args.quantity_change)
    row = own_item_row(session, caller, args.item_id)
    if row is None:
        return f"Change that stock item by {args.quantity_change:+d} ({why})?"
    after = row.quantity_on_hand + args.quantity_change
    if args.quantity_change < 0:
        off = "off" if row.location_type == "truck" else "from"
        return f"Take {count} × {row.part_number} {off} {row.location_name} ({why}), leaving {after}?"
    return f"Add {count} × {row.part_number} to {row.location_name} ({why}), making {after}?"


@tool(ToolKind.WRITE, summarize=_summarize_adjust)
def adjust_stock(ctx: ToolContext, args: AdjustStockInput) -> AdjustStockOutput:
    """Add or remove units of one of your organization's stock items, with the reason logged.

    Parts managers and sellers adjust any of their organization's stock; technicians only stock at a
    location assigned to them (their truck). Reserved units (held for a buyer or a pickup) cannot be removed.

    Args:
        item_id: from the inventory list. quantity_change: e.g. -2. reason: e.g. "used_on_job". note: free text.
    """
    if args.quantity_change == 0:
        raise ToolFailed("invalid", "quantity_change must not be 0.")
    caller, session = ctx.caller, ctx.session
    item = own_item(session, caller, args.item_id)
    may_adjust(session, caller, item)
    after = item.quantity_on_hand + args.quantity_change
    if after < item.quantity_reserved:
        free = item.quantity_on_hand - item.quantity_reserved
        raise ToolFailed("insufficient_stock", f"Only {free} unreserved unit(s) of {item.part_number} can be "
                         f"removed ({item.quantity_reserved} are reserved).")
    free_before = item.quantity_on_hand - item.quantity_reserved
    item.quantity_on_hand = after
    record_movement(session, caller, item, args.quantity_change, args.reason, args.note)
    tell_if_low(session, item.id, free_before, after - item.quantity_reserved, caller.user_id)
    why = reason_words(args.reason)
    return AdjustStockOutput(item=load_item_view(session, item.id), quantity_change=args.quantity_change,
                             reason=args.reason, message=f"{item.part_number}: {args.quantity_change:+d} ({why}), "
                             f"now {after}.")


class TransferStockInput(BaseModel):
    item_id: uuid.UUID = Field(description="The stock item to move units from.")
    to_location_id: uuid.UUID = Field(description="Another active location of your organization.")
    quantity: int = Field(ge=1, le=1_000_000)
    note: str | None = Field(None, max_length=500)


class TransferStockOutput(BaseModel):
    transfer_id: uuid.UUID
    source: StockItemView
    destination: StockItemView
    quantity: int
    message: str


def _summarize_transfer(caller: Caller, args: TransferStockInput, session: Session) -> str:
    row = own_item_row(session, caller, args.item_id)
    to = own_location_name(session, caller, args.to_location_id) or "that location"
    if row is None:
        return f"Move {args.quantity} unit(s) of that stock item to {to}?"
    return f"Move {args.quantity} × {row.part_number} from {row.location_name} to {to}?"


@tool(ToolKind.WRITE, summarize=_summarize_transfer)
def transfer_stock(ctx: ToolContext, args: TransferStockInput) -> TransferStockOutput:
    """Move unreserved units of a stock item to another of your organization's locations (parts managers,
    sellers, admins). They join the destination's item of the same part and condition, or a new item there.

    Args:
        item_id, to_location_id, quantity, note (e.g. "restock truck 12").
    """
    caller, session = ctx.caller, ctx.session
    require_stock_manager(caller, "transfer stock")
    source = own_item(session, caller, args.item_id)
    destination_location = own_location(session, caller, args.to_location_id)
    if destination_location.id == source.stock_location_id:
        raise ToolFailed("invalid", "The item is already at that location.")
    free = source.quantity_on_hand - source.quantity_reserved
    if args.quantity > free:
        raise ToolFailed("insufficient_stock", f"Only {free} unreserved unit(s) of {source.part_number} to move.")
    target = session.scalars(select(InventoryItem).where(
        InventoryItem.organization_id == caller.organization_id,
        InventoryItem.stock_location_id == destination_location.id,
        InventoryItem.part_number == source.part_number, InventoryItem.manufacturer == source.manufacturer,
        InventoryItem.condition == source.condition).order_by(InventoryItem.id).limit(1).with_for_update()).first()
    if target is None:
        target = InventoryItem(
            id=uuid.uuid4(), organization_id=caller.organization_id, part_id=source.part_id,
            part_number=source.part_number, manufacturer=source.manufacturer, name=source.name,
            description=source.description, stock_location_id=destination_location.id, quantity_on_hand=0,
            quantity_reserved=0, quantity_on_order=0, condition=source.condition, currency=source.currency,
            acquisition_cost=source.acquisition_cost, list_price=source.list_price, source="transfer")
        session.add(target)
    transfer_id = uuid.uuid4()
    source.quantity_on_hand -= args.quantity
    target.quantity_on_hand += args.quantity
    session.flush()
    record_movement(session, caller, source, -args.quantity, "transfer_out", args.note, transfer_id)
    record_movement(session, caller, target, args.quantity, "transfer_in", args.note, transfer_id)
    tell_if_low(session, source.id, free, free - args.quantity, caller.user_id)
    return TransferStockOutput(
        transfer_id=transfer_id, source=load_item_view(session, source.id),
        destination=load_item_view(session, target.id), quantity=args.quantity,
        message=f"Moved {args.quantity} × {source.part_number} to {destination_location.name}.")
