"""Supplier catalogs: authorized distributors, OEM parts-direct houses and independents, their branches (cut-off
times, will-call), and their offers per branch (price breaks, stock on hand, lead time); read by everyone,
ranked with the rest of the sources by find_inventory, imported from price files (CSV).

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.suppliers.directory import ListSuppliersInput, ListSuppliersOutput
    from tools.suppliers.pricing import PriceBreak
    from tools.suppliers.views import SupplierBranchView, SupplierOfferView, SupplierType, SupplierView

__getattr__, __all__ = public_schemas(__name__, __file__)
