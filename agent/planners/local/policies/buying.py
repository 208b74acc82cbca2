"""What a buying message is about: the thing to buy (the option or listing picked or in focus, the one the words
describe, or a part number) and where and how it ships ("ship em to the brown palace job, po 4471, next day")."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref, match, points_at_list, resolve
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import Listed
from agent.planners.local.policies.common import describes_part, failure
from agent.planners.local.policy import Call, Ctx, Step, offer, say
from agent.planners.local.render import money
from agent.reply_draft import DraftItem

_SHIP_TO = re.compile(r"\b(?:ship|send|deliver|drop|get)(?: (?:it|them|em|'em|everything|the cart|it all))?"
                      r"(?: (?:out|over))? to (?:the )?([^,.;!?]+)", re.IGNORECASE)
_OUR_PLACES = re.compile(r"\b(?:the |my |our )?(shop|office|warehouse|main warehouse|truck|van|yard)\b", re.IGNORECASE)
_METHODS = {"will_call": "will_call", "emergency_delivery": "courier"}


def ship_to_said(ctx: Ctx) -> str | None:
    """Where the message says to ship: a customer site, one of our places, or the words after "ship to"."""
    said = ctx.said
    sites = said.all("site")
    if sites:  # as said: "the hyatt job" may be either Hyatt, and the tool asks which rather than guess
        return str(sites[0]["text"])
    phrase = _SHIP_TO.search(said.text)
    if phrase is not None:
        return re.sub(r"(?i)\s+(?:job|site|please|pls|asap)$", "", phrase.group(1).strip())[:200]
    if said.value("location"):
        return str(said.value("location"))
    place = _OUR_PLACES.search(said.text) if re.search(r"\b(ship|send|deliver|to)\b", said.lowered) else None
    return place.group(0).strip() if place is not None else None


def terms_said(ctx: Ctx) -> dict[str, Any]:
    """How it ships and under which PO, as said."""
    said, terms = ctx.said, dict[str, Any]()
    where = ship_to_said(ctx)
    if where:
        terms["ship_to"] = where
    if said.value("po_number"):
        terms["po_number"] = said.value("po_number")
    method = said.value("shipping_method") or _METHODS.get(str(said.value("fulfillment") or ""))
    if method:
        terms["shipping_method"] = method
    return terms


def source(ctx: Ctx) -> dict[str, Any] | Step:
    """What to buy as the buying tools take it: a supplier offer, a listing, our own stock elsewhere (cart only),
    or a part number."""
    said = _describing(ctx)
    number = said.value("part_number")
    # a part number named without pointing at something shown is bought by its number (or by the words that
    # describe one offer of it), not as whatever option of it happens to be in view
    ref, candidates = (None, []) if number and not points_at_list(said) else \
        resolve(ctx.state, said, "option", "listing")
    if ref is None and candidates:
        return say("Which one?", "", [DraftItem(kind=c.kind, title=c.label) for c in candidates[:5]],
                   numbered=True, listed=Listed(kind=candidates[0].kind, items=candidates[:5],
                                                goal=ctx.ask.intent), kind="clarify")
    if ref is not None and not (number and number.upper() != str(ref.data.get("part_number") or "").upper()):
        data = ref.data
        if ref.kind == "listing" and ref.id:
            return {"listing_id": ref.id}
        if data.get("supplier_offer_id"):
            return {"supplier_offer_id": data["supplier_offer_id"]}
        if data.get("listing_id"):
            return {"listing_id": data["listing_id"]}
        if data.get("inventory_item_id") and str(data.get("source_type") or "").startswith("own"):
            return {"inventory_item_id": data["inventory_item_id"]}
        if data.get("inventory_item_id"):
            return say(f"That's {data.get('organization_name')}'s stock — it isn't sold through a cart.",
                       "Want me to hold it for pickup instead?", proposal=offer("hold", ref))
    if number and said.has("organization", "condition", "city", "location"):
        return _named_option(ctx, number)
    if number:
        return {"part_number": number}
    part = ctx.state.focused("part")
    if part is not None and part.data.get("part_number"):
        return {"part_number": part.data["part_number"]}
    if describes_part(ctx):  # "motor's cooked & seized. 1hp 460v. need to order one?": which part it is, first
        from agent.planners.local.policies.parts import diagnose, find_part
        from knowledge.search.symptoms import likely_parts

        return diagnose(ctx) if likely_parts(ctx.ask.text) else find_part(ctx)
    return say("Which part?", "A part number, or find it first and pick one.", kind="question")


def _describing(ctx: Ctx) -> Said:
    """The words that describe what to buy: not where it ships ("… ship em to the brown palace job")."""
    said = ctx.said
    where = _SHIP_TO.search(said.text)
    if where is None:
        return said
    return Said(said.text[:where.start()], [e for e in said.entities if int(e.get("end", 0)) <= where.start()])


def _named_option(ctx: Ctx, number: str) -> dict[str, Any] | Step:
    """"the refurb GAA26800LC1 from metro": the one source the message describes, looked up first."""
    found = ctx.last("find_inventory")
    if found is None:
        return Call("find_inventory", {"part_number": number, "quantity": quantity_said(ctx) or 1})
    if not found.ok:
        return failure(found, "find it")
    options = [make_ref("option", o) for o in found.data.get("options") or []
               if o.get("listing_id") or o.get("supplier_offer_id")]
    hits = match(options, _describing(ctx))
    if len(hits) == 1:
        ctx.state.put_focus(hits[0])
        data = hits[0].data
        return {"supplier_offer_id": data["supplier_offer_id"]} if data.get("supplier_offer_id") else \
            {"listing_id": data["listing_id"]}
    if not hits:
        return say(f"I don't see a {number} like that to buy.", "Want the options there are?",
                   proposal=offer("find_stock", None, part_number=number))
    return say("Which one?", "", [DraftItem(kind="option", title=str(h.data.get("organization_name"))
                                            + f" — {h.data.get('condition')}, {money(h.data.get('price'))}")
                                  for h in hits[:5]], numbered=True,
               listed=Listed(kind="option", items=hits[:5], goal=ctx.ask.intent), kind="clarify")


def quantity_said(ctx: Ctx) -> int | None:
    quantity = ctx.said.value("quantity")
    return int(float(quantity)) if quantity else None
