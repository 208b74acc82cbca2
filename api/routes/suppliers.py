"""Supplier catalogs under /api/v1/suppliers: who sells new parts (authorized distributors, OEM parts-direct,
independents), from which branches and, for a part, at what price for the quantity, with stock, lead time and
today's cut-off. Public: every organization reads the same catalogs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.suppliers import ListSuppliersOutput, SupplierType, SupplierView

router = APIRouter(prefix="/api/v1/suppliers", tags=["suppliers"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[SupplierView], openapi_extra=serves("list_suppliers"))
def list_suppliers(
    engine: EngineDep, caller: CallerDep, paging: PageDep,
    part_number: Annotated[str | None, Query(min_length=1, max_length=100, description="Only suppliers offering "
                                             "this part number; their offers of it are included")] = None,
    manufacturer: Annotated[str | None, Query(max_length=100, description="With part_number: that maker's "
                                              "part")] = None,
    quantity: Annotated[int, Query(ge=1, le=10_000, description="Prices are for this many units")] = 1,
    authorized_only: Annotated[bool, Query(description="Only suppliers authorized by the manufacturer")] = False,
    supplier_type: Annotated[SupplierType | None, Query()] = None,
) -> Page[SupplierView]:
    """Suppliers, authorized first, with their branches (cut-off, will-call, whether an order now ships
    today) and, with `part_number`, each branch's offer: price for `quantity` after price breaks, stock,
    lead time. An offer's `supplier_offer_id` goes into POST /api/v1/cart/items."""
    found = run_tool(engine, caller, "list_suppliers", {
        "part_number": part_number, "manufacturer": manufacturer, "quantity": quantity,
        "authorized_only": authorized_only, "supplier_type": supplier_type, "limit": paging.page_size,
        "offset": paging.offset}, ListSuppliersOutput)
    return paginate(found.suppliers, paging, found.total)
