"""Stock: where a part can be had fastest (own trucks and warehouses, partners, marketplace, suppliers), holds for
pickup, and managing our own stock (add, change, adjust, transfer, low stock).

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.inventory.holds import (
        CancelHoldInput,
        CancelHoldOutput,
        HoldStatus,
        HoldView,
        ListHoldsInput,
        ListHoldsOutput,
    )
    from tools.inventory.sourcing import (
        EmergencyPickupInput,
        EmergencyPickupOutput,
        FindInventoryInput,
        FindInventoryOutput,
    )
    from tools.inventory.stock import (
        AddStockItemInput,
        ListStockInput,
        ListStockOutput,
        LowStockAlert,
        LowStockInput,
        LowStockOutput,
        StockItemChanges,
        StockItemOutput,
        UpdateStockItemInput,
    )
    from tools.inventory.stock_moves import (
        AdjustStockInput,
        AdjustStockOutput,
        StockAdjustment,
        TransferStockInput,
        TransferStockOutput,
    )
    from tools.inventory.stock_views import StockItemView

__getattr__, __all__ = public_schemas(__name__, __file__)
