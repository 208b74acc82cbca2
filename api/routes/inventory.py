"""Your organization's stock under /api/v1/parts/inventory: list, add, update, adjust, transfer, low stock."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.inventory import (
    AddStockItemInput,
    AdjustStockInput,
    AdjustStockOutput,
    ListStockOutput,
    LowStockAlert,
    LowStockOutput,
    StockAdjustment,
    StockItemChanges,
    StockItemOutput,
    StockItemView,
    TransferStockInput,
    TransferStockOutput,
    UpdateStockItemInput,
)
from tools.terms import PartCategory

router = APIRouter(prefix="/api/v1/parts/inventory", tags=["inventory"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[StockItemView], openapi_extra=serves("list_stock"))
def list_inventory(
    engine: EngineDep,
    caller: CallerDep,
    paging: PageDep,
    location_id: uuid.UUID | None = None,
    category: PartCategory | None = None,
    part_number: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    low_stock: bool = False,
    available_for_sale: bool | None = None,
) -> Page[StockItemView]:
    """Your organization's stock items with quantities, location and reorder settings."""
    found = run_tool(engine, caller, "list_stock", {
        "location_id": location_id, "category": category, "part_number": part_number, "low_stock": low_stock,
        "available_for_sale": available_for_sale, "limit": paging.page_size, "offset": paging.offset},
        ListStockOutput)
    return paginate(found.items, paging, found.total)


@router.get("/low-stock", response_model=Page[LowStockAlert], openapi_extra=serves("low_stock"))
def low_stock_alerts(engine: EngineDep, caller: CallerDep, paging: PageDep,
                     location_id: uuid.UUID | None = None) -> Page[LowStockAlert]:
    """Items at or below their reorder point, largest shortfall first, with a suggested order quantity."""
    found = run_tool(engine, caller, "low_stock", {"location_id": location_id, "limit": paging.page_size,
                                                    "offset": paging.offset}, LowStockOutput)
    return paginate(found.alerts, paging, found.total)


@router.post("", response_model=StockItemOutput, status_code=201, openapi_extra=serves("add_stock_item"))
def add_inventory_item(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                       item: AddStockItemInput) -> StockItemOutput:
    """Add a stock item at one of your locations (parts managers, sellers, admins)."""
    return run_tool(engine, caller, "add_stock_item", item, StockItemOutput, key)


@router.patch("/{item_id}", response_model=StockItemOutput, openapi_extra=serves("update_stock_item"))
def update_inventory_item(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, item_id: uuid.UUID,
                          updates: StockItemChanges) -> StockItemOutput:
    """Change an item's settings (not its quantity: use /adjust or /transfer)."""
    args = UpdateStockItemInput(**updates.model_dump(exclude_unset=True), item_id=item_id)
    return run_tool(engine, caller, "update_stock_item", args, StockItemOutput, key)


@router.post("/{item_id}/adjust", response_model=AdjustStockOutput, openapi_extra=serves("adjust_stock"))
def adjust_inventory(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, item_id: uuid.UUID,
                     adjustment: StockAdjustment) -> AdjustStockOutput:
    """Add or remove units with a logged reason (technicians: only stock on their own truck)."""
    args = AdjustStockInput(**adjustment.model_dump(), item_id=item_id)
    return run_tool(engine, caller, "adjust_stock", args, AdjustStockOutput, key)


@router.post("/transfer", response_model=TransferStockOutput, openapi_extra=serves("transfer_stock"))
def transfer_inventory(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                       transfer: TransferStockInput) -> TransferStockOutput:
    """Move unreserved units to another of your locations."""
    return run_tool(engine, caller, "transfer_stock", transfer, TransferStockOutput, key)
