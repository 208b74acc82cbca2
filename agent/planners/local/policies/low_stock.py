"""What runs low: the items at or below their reorder point (at the place named), or, when the message names or
describes a part ("we low on the 4 ton copeland scrolls at the shop?"), that part's own stock — each line says
how many are on order."""

from __future__ import annotations

import re

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed
from agent.planners.local.policies.common import failure
from agent.planners.local.policies.places import location_id
from agent.planners.local.policies.stock import own_stock, stock_line
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.reply_draft import DraftItem
from knowledge.search.kinds import kinds_named

# The words of the question itself, which say nothing about which part
_ASKING_LOW = re.compile(r"\b(?:we|are|is|were|running|run|ran|getting|low|lo|short|shortage|reorder|restock|below|"
                         r"point|levels?|stock|stocked|inventory|anything|whats|what's|what|any|need|needs|to|be|"
                         r"reordered|on order|ordered|order|coming|inbound|already|how many)\b")


def _blanked(text: str) -> str:
    return _ASKING_LOW.sub(lambda m: " " * len(m.group()), text.lower())


@policy("low_stock")
def low_stock(ctx: Ctx) -> Step:
    blanked = _blanked(ctx.ask.text)
    if ctx.said.has("part_number") or kinds_named(blanked):  # a kind of part, not "anything flat out at zero"
        return own_stock(ctx.asking(text=blanked))
    found = ctx.last("low_stock")
    if found is None:
        location = ctx.said.value("location")
        place = location_id(ctx, location) if location else None
        return Call("low_stock", {"limit": 20, **({"location_id": place} if place else {})})
    if not found.ok:
        return failure(found, "check stock levels")
    alerts = found.data.get("alerts") or []
    if not alerts:
        return say("Nothing is below its reorder point.")
    top = alerts[:6]
    items = [DraftItem(kind="stock", title=f"{stock_line(a['item'])}; reorder {a.get('suggested_order_quantity')}")
             for a in top]
    return say(f"{len(alerts)} item{'s are' if len(alerts) != 1 else ' is'} below the reorder point:", "", items,
               numbered=True, listed=Listed(kind="stock", items=[make_ref("stock", a["item"], stock_line(a["item"]))
                                                                  for a in top]))
