"""Settings of one of our stock items (update_stock_item): reorder point and quantity, bin, whether it is
offered for sale or trade, list price, condition — never the count (that is adjust_stock)."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.state import Ref
from agent.planners.local.policies.common import failure, written
from agent.planners.local.policies.stock import stock_item
from agent.planners.local.policy import Call, Ctx, Step, policy, say

_REORDER_WORDS = (r"\b(?:reorder(?:ing)?\s*(?:point|pt|level|at)?|alert at|flag(?: it)?(?: so we reorder)? at|"
                  r"min(?:imum)?|get down to|runs? low at|reorder at)")
_REORDER_AT = re.compile(_REORDER_WORDS + r"\D{0,12}?(\d{1,6})\b", re.IGNORECASE)
# "the reorder point on those to 3", "reorder pt for 58599490 to 3": the number after "to" is the setting, and
# the words between may be longer than the bare pattern allows or hold a part number
_REORDER_TO = re.compile(_REORDER_WORDS + r"(?:[^.\n\d]|\d{4,}){0,30}?\b(?:to|=|is|of|@)\s*(\d{1,6})\b", re.IGNORECASE)
_REORDER_QTY = re.compile(r"\b(?:reorder\s*(?:qty|quantity|amount)|order|reorder)\D{0,10}?(\d{1,6})\s*(?:at a time|"
                          r"each time|per order)|\breorder\s*(?:qty|quantity|amount)\D{0,10}?(\d{1,6})", re.IGNORECASE)
_BIN = re.compile(r"\b(?:bin|shelf|slot|rack)\s*(?:location\s*)?(?:is\s*|to\s*|#\s*)?"
                  r"([a-z]?[- ]?\d{1,4}[a-z]?|[a-z]\b)", re.IGNORECASE)
_NOT_FOR_SALE = re.compile(r"\b(?:not|stop|no longer|off the|don'?t|dont)\b[^.]{0,25}\b(?:sale|selling|sell|offer)",
                           re.IGNORECASE)
_FOR_SALE = re.compile(r"\bfor sale\b|\bsell\b|\bbuy our\b|\bavailable\b", re.IGNORECASE)
_TRADE = re.compile(r"\btrad(?:e|able|ing)\b", re.IGNORECASE)


def settings_in(ctx: Ctx) -> dict[str, Any]:
    """The settings the message changes, as update_stock_item's arguments."""
    text = ctx.said.text
    changes: dict[str, Any] = {}
    quantity = _REORDER_QTY.search(text)
    if quantity:
        changes["reorder_quantity"] = int(quantity.group(1) or quantity.group(2))
    without_quantity = _REORDER_QTY.sub(" ", text)
    point = _REORDER_TO.search(without_quantity) or _REORDER_AT.search(without_quantity)
    if point:
        changes["reorder_point"] = int(point.group(1))
    where = _BIN.search(text)
    if where:
        changes["bin_location"] = where.group(1).upper().replace(" ", "")
    if _NOT_FOR_SALE.search(text):
        changes["available_for_sale"] = False
    elif _FOR_SALE.search(text) or ctx.said.value("price"):
        changes["available_for_sale"] = True
    if _TRADE.search(text):
        changes["available_for_trade"] = not bool(_NOT_FOR_SALE.search(text))
    if ctx.said.value("price"):
        changes["list_price"] = ctx.said.value("price")
    if ctx.said.value("condition"):
        changes["condition"] = ctx.said.value("condition")
    return changes


@policy("update_stock")
def update_stock(ctx: Ctx) -> Step:
    done = written(ctx, "update_stock_item", "change it", "OK — nothing changed.", "Updated.")
    if done is not None:
        return done
    locations = ctx.said.values("location")
    item = stock_item(ctx, locations[0] if locations else None)
    if not isinstance(item, Ref):
        return item
    changes = settings_in(ctx)
    if not changes:
        return say(f"What should change on {item.label} — the reorder point, the bin, or whether it's for sale?",
                   kind="question")
    return Call("update_stock_item", {"item_id": item.id, **changes})


def receive_new(ctx: Ctx, location: str) -> Step:
    """Units of a part we don't stock at that place yet arrived: a new stock item (add_stock_item)."""
    from agent.planners.local.policies.common import target_part
    from agent.planners.local.policies.places import location_id

    done = ctx.last("add_stock_item")
    if done is not None:
        return say(done.message or "Added.") if done.ok else failure(done, "add it", declined="OK — nothing added.")
    part = target_part(ctx)
    place = location_id(ctx, location)
    if part is None or place is None:
        return say("Which part came in, and where should I book it — which warehouse or truck?", kind="question")
    args: dict[str, Any] = {"part_number": part.data.get("part_number"), "stock_location_id": place,
                            "quantity_on_hand": int(ctx.said.value("quantity") or 1),
                            "condition": ctx.said.value("condition") or "new"}
    if part.data.get("manufacturer"):
        args["manufacturer"] = part.data["manufacturer"]
    return Call("add_stock_item", args)
