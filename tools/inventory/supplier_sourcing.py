"""Supplier offers as sourcing options, with their real branch stock, price for the quantity, lead time and
cut-off: in stock at a branch within pickup distance that has a will-call counter → picked up today (the
counter pulls the order while you drive, as a distributor's shelf stock always was); in stock elsewhere →
ships today before the cut-off, else the next business day, plus ground transit; out of stock → the lead
time plus transit. A supplier's own shelf stock the caller can see at that branch is the same stock: it is
folded into the offer's option, which can then be held as well as ordered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from knowledge.partnumbers import normalize_part_number
from tools.catalog.supersession import StandIn
from tools.context import Caller
from tools.inventory.ranking import LOCAL_PICKUP_KM, SAME_DAY_HOURS, SourcingOption, fmt_eta, where_text
from tools.rules.geo import distance_km, drive_hours
from tools.suppliers.availability import availability, price_text, supplier_label
from tools.suppliers.offers import offers_for_parts

WILL_CALL_HOURS = 0.75  # the counter pulls the order while you drive over


@dataclass
class SupplierSourcing:
    options: list[SourcingOption] = field(default_factory=list)
    offered: set[uuid.UUID] = field(default_factory=set)  # candidate parts some supplier offers
    # (organization, branch city, part) → the will-call option a shelf item there folds into
    counters: dict[tuple[uuid.UUID, str, uuid.UUID], SourcingOption] = field(default_factory=dict)

    def absorb_shelf(self, row: Any) -> bool:
        """Fold a visible inventory row into the will-call option of its organization's branch in the same
        city for the same part (new stock only): True when it was, and needs no option of its own."""
        if row.condition != "new" or row.part_id is None:
            return False
        option = self.counters.get((row.organization_id, (row.city or "").lower(), row.part_id))
        if option is None or option.inventory_item_id is not None:
            return False
        contact = " ".join(x for x in (row.contact_name, row.contact_phone) if x) or None
        option.inventory_item_id, option.location_name, option.location_type = row.id, row.loc_name, row.location_type
        option.address, option.pickup_hours, option.contact = row.address, row.pickup_hours, contact
        option.why += " Can be held for pickup" + (f"; call {contact}." if contact else ".")
        return True


def _option(row: Any, candidate: StandIn, origin: tuple[float, float] | None, quantity: int) -> SourcingOption | None:
    terms = availability(row, quantity)
    if not terms.in_stock and not row.backorder_allowed:
        return None
    dist = distance_km(origin, row.lat, row.lng)
    if terms.in_stock and row.will_call and dist is not None and dist <= LOCAL_PICKUP_KM:
        eta, fulfillment = drive_hours(dist) + WILL_CALL_HOURS, "will_call"
        route = f"; will-call pickup, {where_text(dist)}"
    elif terms.in_stock:
        eta, route = terms.eta_hours, ""
        fulfillment = "ships_today" if terms.ship.ships_today else "ships_next_business_day"
    else:
        eta, fulfillment, route = terms.eta_hours, "backorder", ""
    eta = round(eta, 2)
    replacement = candidate.relation != "requested"
    why = (f"{row.supplier_name} ({supplier_label(row.authorized, row.supplier_type)}) {row.branch_name}: "
           f"{terms.summary}{route} — {price_text(terms, row.currency)}; {fmt_eta(eta)}.")
    if replacement and candidate.note:
        why += f" Replacement: {candidate.note}."
    return SourcingOption(
        source_type="supplier", organization_name=row.supplier_name, location_name=row.branch_name, city=row.city,
        distance_km=dist, part_id=row.part_id, part_number=row.part_number, is_replacement=replacement,
        replacement_note=candidate.note if replacement else None, quantity_available=terms.available,
        covers_quantity=terms.covers_quantity, condition="new", price=terms.unit_price, price_kind="supplier_price",
        currency=row.currency, eta_hours=eta, same_day=eta <= SAME_DAY_HOURS, fulfillment=fulfillment,
        pickup_available=fulfillment == "will_call",
        contact=" ".join(x for x in (row.phone, row.orders_email) if x) or None, supplier_offer_id=row.id,
        authorized=row.authorized, why=why,
    )


def supplier_sourcing(session: Session, caller: Caller, candidates: list[StandIn],
                      origin: tuple[float, float] | None, quantity: int) -> SupplierSourcing:
    """Every other organization's supplier offer of the requested part or its stand-ins, as options."""
    by_id = {c.part.id: c for c in candidates}
    by_norm = {normalize_part_number(c.part.part_number): c for c in candidates}
    found = SupplierSourcing()
    for row in offers_for_parts(session, list(by_id), list(by_norm), caller.organization_id):
        candidate = by_id.get(row.part_id) or by_norm.get(row.part_number_norm)
        option = _option(row, candidate, origin, quantity) if candidate is not None else None
        if option is None or candidate is None:
            continue
        found.options.append(option)
        found.offered.add(candidate.part.id)
        if option.fulfillment == "will_call":
            found.counters[(row.organization_id, (row.city or "").lower(), candidate.part.id)] = option
    return found
