"""Reading supplier offers with their branch and supplier: the rows the sourcing ranking and the supplier
listing turn into options and views."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

OFFER_COLUMNS = (
    "so.id, so.supplier_id, so.branch_id, so.part_id, so.part_number, so.part_number_norm, so.manufacturer, "
    "so.description, so.unit_price, so.price_breaks, so.currency, so.stock_on_hand, so.stock_reserved, "
    "so.lead_time_days, so.backorder_allowed, s.name AS supplier_name, s.supplier_type, s.authorized, s.timezone, "
    "s.organization_id, s.orders_email, s.phone, b.code AS branch_code, b.name AS branch_name, b.city, "
    "b.state_province, b.lat, b.lng, b.cutoff_time, b.will_call"
)
_FROM = ("FROM supplier_offers so JOIN suppliers s ON s.id = so.supplier_id "
         "JOIN supplier_branches b ON b.id = so.branch_id WHERE so.is_active")


def offers_for_parts(session: Session, part_ids: Sequence[uuid.UUID], norms: Sequence[str],
                     exclude_organization_id: uuid.UUID | None = None) -> list[Any]:
    """Active offers of these catalog parts (an offer linked to another part of the same number is that
    part's, not these) or, for offers no catalog part was linked to, of these normalised numbers."""
    sql = (f"SELECT {OFFER_COLUMNS} {_FROM} AND (so.part_id = ANY(:ids) OR (so.part_id IS NULL AND "
           "so.part_number_norm = ANY(:norms))) AND s.organization_id IS DISTINCT FROM :me "
           "ORDER BY s.name, b.code")
    return list(session.execute(text(sql), {"ids": list(part_ids), "norms": list(norms),
                                            "me": exclude_organization_id}))


def offers_of_suppliers(session: Session, supplier_ids: Sequence[uuid.UUID], norm: str) -> list[Any]:
    """The active offers of a normalised part number at these suppliers' branches."""
    sql = (f"SELECT {OFFER_COLUMNS} {_FROM} AND so.supplier_id = ANY(:sids) AND so.part_number_norm = :norm "
           "ORDER BY s.name, b.code")
    return list(session.execute(text(sql), {"sids": list(supplier_ids), "norm": norm}))
