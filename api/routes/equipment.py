"""Installed equipment under /api/v1/equipment: the units at the sites your organization services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from api.tooling import run_tool, serves
from tools.catalog import FindInstalledEquipmentInput, FindInstalledEquipmentOutput

router = APIRouter(prefix="/api/v1/equipment", tags=["equipment"], responses=ERROR_RESPONSES)


@router.get("", response_model=FindInstalledEquipmentOutput, openapi_extra=serves("find_installed_equipment"))
def find_installed_equipment(engine: EngineDep, caller: CallerDep,
                             where: Annotated[FindInstalledEquipmentInput, Query()]) -> FindInstalledEquipmentOutput:
    """Units by site or customer (fuzzy: "the Brown Palace"), kind, trade, maker or model."""
    return run_tool(engine, caller, "find_installed_equipment", where, FindInstalledEquipmentOutput)
