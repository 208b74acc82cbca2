"""list_suppliers: the supplier catalogs every organization may read — who sells new parts, from which
branches, and (for a part) at what price for the quantity, with stock, lead time and today's cut-off."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.partnumbers import normalize_part_number
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.suppliers.offers import offers_of_suppliers
from tools.suppliers.views import SupplierType, SupplierView, branch_view, offer_view


class ListSuppliersInput(BaseModel):
    part_number: str | None = Field(default=None, max_length=100, description="Only suppliers offering this "
                                    "part number (as typed, e.g. 'GAA26800LC1'); their offers are included.")
    manufacturer: str | None = Field(default=None, max_length=100, description="With part_number: only offers "
                                     "of this manufacturer's part (for a number several makers use).")
    quantity: int = Field(default=1, ge=1, le=10_000, description="Units wanted: prices are for this quantity")
    authorized_only: bool = Field(default=False, description="Only suppliers authorized by the manufacturer")
    supplier_type: SupplierType | None = Field(default=None, description="authorized_distributor, oem or "
                                               "independent")
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


class ListSuppliersOutput(BaseModel):
    part_number: str | None
    quantity: int
    suppliers: list[SupplierView] = Field(description="Authorized suppliers first, then by name")
    total: int = Field(description="All suppliers matching the filters")
    message: str


_BASE = ("FROM suppliers s WHERE (NOT :authorized_only OR s.authorized) "
         "AND (CAST(:supplier_type AS text) IS NULL OR s.supplier_type = :supplier_type) "
         "AND (CAST(:norm AS text) IS NULL OR EXISTS (SELECT 1 FROM supplier_offers so WHERE so.supplier_id = s.id "
         "AND so.is_active AND so.part_number_norm = :norm "
         "AND (CAST(:maker AS text) IS NULL OR lower(so.manufacturer) = lower(:maker))))")


@tool(ToolKind.READ)
def list_suppliers(ctx: ToolContext, args: ListSuppliersInput) -> ListSuppliersOutput:
    """List the supplier catalogs (authorized distributors, OEM parts-direct, independents) with their
    branches; with a part number, each supplier's offers of it per branch.

    An offer shows the unit price for the quantity after price breaks, stock on hand at that branch, lead
    time when out of stock, and whether an order placed now ships today ("order by 6 pm ships today").
    Supplier catalogs are public: every organization sees the same list.

    Args:
        part_number: Only suppliers that offer this number, e.g. "GAA26800LC1"; their offers are listed.
        manufacturer: With part_number, the part's manufacturer when several makers use the number.
        quantity: Units wanted (default 1); prices reflect the price breaks for this quantity.
        authorized_only: True for authorized suppliers only (genuine parts, manufacturer warranty).
        supplier_type: "authorized_distributor", "oem" or "independent".
        limit, offset: Paging over suppliers.

    Do NOT use this to find the fastest way to get a part (use find_inventory, which ranks suppliers with
    own stock, partners and the marketplace) or to identify a part (lookup_part / search_parts).
    """
    norm = normalize_part_number(args.part_number) if args.part_number else None
    if args.part_number is not None and not norm:
        raise ToolFailed("invalid", f"'{args.part_number}' has no letters or digits to look up.",
                         hint="Give a part number such as GAA26800LC1.")
    params: dict[str, Any] = {"authorized_only": args.authorized_only, "supplier_type": args.supplier_type,
                              "norm": norm, "maker": args.manufacturer if norm else None,
                              "limit": args.limit, "offset": args.offset}
    total = ctx.session.execute(text(f"SELECT count(*) {_BASE}"), params).scalar_one()
    rows = ctx.session.execute(text(
        f"SELECT s.* {_BASE} ORDER BY s.authorized DESC, s.name LIMIT :limit OFFSET :offset"), params).all()
    ids = [r.id for r in rows]
    branches: dict[Any, list[Any]] = {}
    for b in ctx.session.execute(text("SELECT * FROM supplier_branches WHERE supplier_id = ANY(:ids) ORDER BY code"),
                                 {"ids": ids}):
        branches.setdefault(b.supplier_id, []).append(b)
    offers: dict[Any, list[Any]] = {}
    for o in offers_of_suppliers(ctx.session, ids, norm) if norm else []:
        if args.manufacturer is None or o.manufacturer.lower() == args.manufacturer.lower():
            offers.setdefault(o.supplier_id, []).append(offer_view(o, args.quantity))
    views = [SupplierView(
        id=r.id, organization_id=r.organization_id, name=r.name, supplier_type=r.supplier_type,
        authorized=r.authorized, authorized_brands=list(r.authorized_brands or []), orders_email=r.orders_email,
        phone=r.phone, timezone=r.timezone, payment_terms=r.payment_terms,
        branches=[branch_view(b, r.timezone) for b in branches.get(r.id, [])],
        offers=sorted(offers.get(r.id, []), key=lambda v: (not v.covers_quantity, v.eta_hours,
                                                           v.price_for_quantity)),
    ) for r in rows]
    return ListSuppliersOutput(part_number=args.part_number, quantity=args.quantity, suppliers=views, total=total,
                               message=_message(args, views, total))


def _message(args: ListSuppliersInput, views: list[SupplierView], total: int) -> str:
    if not args.part_number:
        return f"{total} supplier(s)."
    if total == 0:
        return f"No supplier offers {args.part_number}. find_inventory also looks at stock and the marketplace."
    offers = [(v, o) for v in views for o in v.offers]
    if not offers:
        return f"{total} supplier(s) offer {args.part_number}."
    supplier, best = min(offers, key=lambda p: (not p[1].covers_quantity, p[1].eta_hours, p[1].price_for_quantity))
    return (f"{total} supplier(s) offer {args.part_number}. Soonest: {supplier.name} {best.branch_name}, "
            f"{best.availability}, {usd(best.price_for_quantity, best.currency)} each.")


def supplier_summaries(session: Session) -> list[dict[str, Any]]:
    """Every supplier with its branches (codes) and how many active offers it has, how many in stock."""
    rows = session.execute(text(
        "SELECT s.name, s.supplier_type, s.authorized, "
        "(SELECT string_agg(b.code, ', ' ORDER BY b.code) FROM supplier_branches b WHERE b.supplier_id = s.id) "
        "AS branches, count(so.id) AS offers, count(so.id) FILTER (WHERE so.stock_on_hand > so.stock_reserved) "
        "AS in_stock FROM suppliers s LEFT JOIN supplier_offers so ON so.supplier_id = s.id AND so.is_active "
        "GROUP BY s.id ORDER BY s.authorized DESC, s.name")).mappings().all()
    return [{**r, "branches": r["branches"] or ""} for r in rows]
