"""Supplier catalogs by chat: "who are the authorized distributors for LC1D09U7", "price breaks on 10 of the
3RT2016", "any supplier got a GAA26800LC1 on the shelf". The offers shown can be picked next ("add 2 of the
keystone one to my cart")."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed
from agent.planners.local.policies.common import failure
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.planners.local.render import money
from agent.reply_draft import DraftItem

_AUTHORIZED = re.compile(r"\b(authori[sz]ed|factory|oem|genuine|franchised)\b")
SHOWN = 6


def _offer_line(supplier: dict[str, Any], offer: dict[str, Any]) -> str:
    authorized = " (authorized)" if supplier.get("authorized") else ""
    breaks = offer.get("price_breaks") or []
    tiers = ", ".join(f"{b.get('min_quantity')}+ {money(b.get('unit_price'))}" for b in breaks[:3])
    return (f"{supplier.get('name')}{authorized} {offer.get('branch_name')}: {money(offer.get('price_for_quantity'))} "
            f"ea for {offer.get('quantity')}" + (f" (breaks {tiers})" if tiers else "")
            + f" — {offer.get('availability')}")


@policy("supplier_prices")
def supplier_prices(ctx: Ctx) -> Step:
    found = ctx.last("list_suppliers")
    number = ctx.said.value("part_number")
    if found is None:
        args: dict[str, Any] = {"limit": 20}
        if number:
            args["part_number"] = number
        if ctx.said.value("quantity"):
            args["quantity"] = int(float(str(ctx.said.value("quantity"))))
        if _AUTHORIZED.search(ctx.said.lowered):
            args["authorized_only"] = True
        return Call("list_suppliers", args)
    if not found.ok:
        return failure(found, "look up the suppliers")
    suppliers = found.data.get("suppliers") or []
    named = ctx.said.value("organization")
    if named:
        suppliers = [s for s in suppliers if s.get("name") == named] or suppliers
    if not number:
        lines = [f"{s.get('name')} — {str(s.get('supplier_type')).replace('_', ' ')}"
                 + (", authorized" if s.get("authorized") else "") + f", {s.get('payment_terms')}" for s in suppliers]
        return say(f"Suppliers ({found.data.get('total') or len(lines)}):", "",
                   [DraftItem(kind="supplier", title=line) for line in lines[:SHOWN]])
    offers = [(s, o) for s in suppliers for o in s.get("offers") or []]
    if not offers:
        return say(f"No supplier lists {number}.", "Want me to look on the marketplace?")
    offers.sort(key=lambda so: (not so[1].get("covers_quantity"), not so[0].get("authorized"),
                                float(so[1].get("price_for_quantity") or 0)))
    refs = [make_ref("option", {**o, "source_type": "supplier", "organization_name": s.get("name"),
                                "price": o.get("price_for_quantity"), "condition": "new",
                                "authorized": s.get("authorized"), "location_name": o.get("branch_name"),
                                "quantity_available": o.get("stock_available")}, _offer_line(s, o))
            for s, o in offers[:SHOWN]]
    return say(f"{number} from suppliers:", "Want me to add one to your cart?",
               [DraftItem(kind="option", title=r.label) for r in refs], numbered=True,
               listed=Listed(kind="option", items=refs, goal="add_to_cart"))
