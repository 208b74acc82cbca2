"""Where a part can be had fastest, under /api/v1/parts/sourcing: our stock, partner networks and the
marketplace, ranked by time to part (the same ranking the assistant uses)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from api.tooling import run_tool, serves
from tools.inventory import FindInventoryInput, FindInventoryOutput

router = APIRouter(prefix="/api/v1/parts/sourcing", tags=["inventory"], responses=ERROR_RESPONSES)


@router.get("", response_model=FindInventoryOutput, openapi_extra=serves("find_inventory"))
def find_inventory(engine: EngineDep, caller: CallerDep,
                   need: Annotated[FindInventoryInput, Query()]) -> FindInventoryOutput:
    """Every place that has the part (or an interchangeable number), fastest first, with distance, quantity,
    price and how it gets to you. An option's `inventory_item_id` can be held with POST
    /api/v1/parts/inventory/holds."""
    return run_tool(engine, caller, "find_inventory", need, FindInventoryOutput)
