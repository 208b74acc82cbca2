"""Where to get it (find_inventory, emergency first), "any closer?", holding stock for pickup
(request_emergency_pickup) and "how much is it?"."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, pick_shown, reply, target_listing, target_part
from agent.planners.local.history import ToolResult, Turn
from agent.planners.local.policies.common import candidates, failure, part_args, search_args, winner
from agent.planners.local.policies.parts import present_search
from agent.planners.local.render import condition as condition_words
from agent.planners.local.render import km, money, option_line, option_where
from agent.planners.local.slots import content_words

SHOWN = 3
_OPTION_KEYS = ("source_type", "organization_name", "location_name", "city", "distance_km", "part_number",
                "condition", "price", "price_kind", "quantity_available", "eta_hours", "fulfillment",
                "inventory_item_id", "listing_id", "is_replacement", "contact")


def _slim(option: Item) -> Item:
    return {k: option.get(k) for k in _OPTION_KEYS if option.get(k) is not None}


def source(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    part = target_part(frame, ctx)
    shown = ctx.shown_items("parts")
    if part is None and shown and (ctx.awaiting or {}).get("kind") == "choice" and not _describes(frame):
        from agent.planners.local.policies.common import ask_which

        head = "Which one is it? I'll look for same-day stock." if frame.slots.emergency else "Which one is it?"
        return ask_which(shown, "source", head, {"emergency": frame.slots.emergency})
    if part is None:
        if len(frame.text.split()) < 3 and not frame.slots.equipment:
            return reply("Which part? A part number, or what it is and the equipment it goes on.",
                         awaiting={"kind": "part", "goal": "source"})
        searched = turn.last("search_parts")
        if searched is None:
            return Call("search_parts", search_args(frame, env))
        if not searched.ok:
            return failure(searched, "search the catalog")
        parts = candidates(searched)
        part = winner(parts)
        if part is None:
            return present_search(searched, parts, "source")
    found = turn.last("find_inventory")
    if found is None:
        return Call("find_inventory", inventory_args(frame, part))
    if not found.ok:
        return failure(found, "look for stock")
    return present_options(found, frame)


def _describes(frame: Frame) -> bool:
    """Does the message describe a part (rather than just ask where/how fast)?"""
    rest = re.sub(r"(?i)\b(elevator|escalator|lift)\b", " ", frame.text)
    return bool(frame.slots.part_numbers or frame.slots.equipment) or len(content_words(rest)) >= 1


def inventory_args(frame: Frame, part: Item) -> dict[str, Any]:
    args: dict[str, Any] = {**part_args(part), "quantity": frame.slots.quantity or 1,
                            "emergency": frame.slots.emergency or bool(frame.extra.get("emergency"))}
    if frame.slots.conditions:
        args["conditions"] = frame.slots.conditions
    return args


def present_options(found: ToolResult, frame: Frame, options: list[Item] | None = None, head: str = "") -> Step:
    data = found.data
    options = data.get("options", []) if options is None else options
    name = f"{data.get('part_number')} ({data.get('manufacturer')} {data.get('name')})"
    if not options:
        return reply(f"No source found for {name}. Want me to post a wanted request?",
                     awaiting={"kind": "yesno", "proposal": {"intent": "wanted", "ref": {
                         "kind": "parts", "item": {"part_number": data.get("part_number"),
                                                   "manufacturer": data.get("manufacturer")}}}})
    top = options[:SHOWN]
    if not head:
        urgency = " Same-day options first." if data.get("emergency") else ""
        if data.get("emergency") and not any(o.get("same_day") for o in top):
            urgency = " No same-day source found."
        head = f"Where to get {name}:{urgency}"
    holdable = [o for o in top if o.get("inventory_item_id") and o.get("fulfillment") != "on_your_truck"]
    if holdable:
        tail = "Want me to hold one for pickup? [choices]."
        goal = "hold"
    elif any(o.get("listing_id") for o in top):
        tail = "Want to make an offer on one? [choices]."
        goal = "make_offer"
    else:
        tail, goal = "", None
    return reply(head, tail, [option_line(o) for o in top], shown={"kind": "options", "items": [_slim(o) for o in top]},
                 awaiting={"kind": "choice", "goal": goal} if goal else None,
                 focus={"kind": "part", "item": {"part_number": data.get("part_number"),
                                                 "manufacturer": data.get("manufacturer"), "name": data.get("name")}})


def closer(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    found = turn.last("find_inventory")
    if ctx.shown_items("options") == [] and ctx.last_intent not in ("source", "closer", "price_info", "hold"):
        return source(frame, ctx, turn, env)
    if ctx.inventory is None:
        if target_part(frame, ctx) is None:
            return reply("Closer than what? Tell me the part and I'll find the nearest stock.",
                         awaiting={"kind": "part", "goal": "source"})
        return source(frame, ctx, turn, env)
    shown = ctx.shown_items("options")
    reference = next((o.get("distance_km") for o in shown if o.get("distance_km") is not None), None)
    options = [o for o in ctx.options if o.get("distance_km") is not None and o.get("source_type") != "supplier"]
    limit = frame.slots.within_km
    nearer = [o for o in options if (reference is None or o["distance_km"] < reference)
              and (limit is None or o["distance_km"] <= limit) and o.get("fulfillment") != "on_your_truck"]
    nearer.sort(key=lambda o: o["distance_km"])
    total = int((ctx.inventory or {}).get("total_options") or 0)
    if not nearer and found is None and total > len(ctx.options):
        return Call("find_inventory", {**{k: v for k, v in ctx.inventory_args.items() if k != "max_results"},
                                       "max_results": 50})
    inventory = found or ToolResult("find_inventory", ctx.inventory_args, ctx.inventory or {}, -1)
    if not nearer:
        nearest = min(options, key=lambda o: o["distance_km"], default=None)
        if nearest is None:
            return reply("I have no distances for these sources, so I can't say which is closer.")
        return reply(f"Nothing closer. The nearest is {option_line(nearest)[0]}.", shown=ctx.shown,
                     awaiting=ctx.awaiting)
    where = f" than {km(reference)}" if reference is not None else ""
    return present_options(inventory, frame, nearer, head=f"Closer{where}:")


def how_far(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    item = frame.ref_item("options") or frame.ref_item("listings")
    if item is None:
        picked = pick_shown(ctx, frame.slots, frame.text, ("options", "listings"))
        item = picked["item"] if picked else None
    if item is None and ctx.focus_kind == "listing":
        item = ctx.focus_listing
    if item is None:
        shown = ctx.shown_items("options") or ctx.shown_items("listings")
        item = shown[0] if shown else None
    if item is None:
        return reply("How far is what? Ask me where to get a part first.", awaiting={"kind": "part", "goal": "source"})
    where = option_where(item) if "source_type" in item else (
        f"{item.get('seller_organization')} in {item.get('city')}")
    if item.get("distance_km") is None:
        return reply(f"I don't have a distance for {where}.")
    eta = item.get("eta_hours")
    when = f"; about {float(eta):.1f} h until it's in your hands" if eta is not None else ""
    return reply(f"{where}: {km(item['distance_km'])} away{when}.", shown=ctx.shown, awaiting=ctx.awaiting)


def hold(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    held = turn.last("request_emergency_pickup")
    if held is not None:
        return held_reply(held)
    option = frame.ref_item("options")
    candidates: list[Item] = list(ctx.options)
    if option is None:
        shelf = [o for o in ctx.options if o.get("inventory_item_id")]
        picked = pick_shown(ctx, frame.slots, frame.text, ("options",))
        if picked is None or not picked["item"].get("inventory_item_id"):
            picked = pick_shown(ctx, frame.slots, frame.text, ("options",), pool=shelf) or picked
        option = picked["item"] if picked else None
    if option is None:
        holdable = [o for o in ctx.options if o.get("inventory_item_id") and o.get("fulfillment") != "on_your_truck"]
        part = target_part(frame, ctx)
        if ctx.inventory is None or (part and frame.slots.part_numbers):
            if part is None:
                return reply("Which part should I hold?", awaiting={"kind": "part", "goal": "source"})
            found = turn.last("find_inventory")
            if found is None:
                return Call("find_inventory", {**inventory_args(frame, part), "quantity": frame.slots.quantity or 1})
            if not found.ok:
                return failure(found, "look for stock")
            holdable = [o for o in found.data.get("options", [])
                        if o.get("inventory_item_id") and o.get("fulfillment") != "on_your_truck"]
            candidates = holdable
        if not holdable:
            return reply("None of those sources is shelf stock I can hold; for a marketplace listing I can make "
                         "the seller an offer instead.")
        option = holdable[0]
    if not option.get("inventory_item_id"):
        seller = option.get("organization_name") or "the seller"
        return reply(f"That one is a marketplace listing by {seller}, so it can't be held. I can send an offer "
                     f"instead — what price per unit? (asking {money(option.get('price'))})",
                     awaiting={"kind": "amount", "goal": "make_offer", "ref": {"kind": "options", "item": option}})
    want = frame.slots.quantity or int(frame.extra.get("quantity") or 1)
    if option.get("quantity_available") is not None and want > int(option["quantity_available"]):
        shelves = [o for o in [*candidates, option] if o.get("inventory_item_id")]
        best = max(shelves, key=lambda o: int(o.get("quantity_available") or 0))
        return reply(f"Not enough stock: no single source has {want}. The most at one place is "
                     f"{best.get('quantity_available')} ({option_where(best)}). Nothing was held — say "
                     f"'hold {best.get('quantity_available')}' to hold what's there.")
    args: dict[str, Any] = {"inventory_item_id": option["inventory_item_id"], "quantity": want}
    hours = re.search(r"\b(\d{1,2})\s*(?:h|hrs?|hours?)\b", frame.text.lower())
    if hours and 1 <= int(hours.group(1)) <= 24:
        args["hold_hours"] = int(hours.group(1))
    return Call("request_emergency_pickup", args)


def held_reply(held: ToolResult) -> Step:
    if not held.ok:
        if held.error == "declined":
            return reply("OK — nothing is held.")
        return failure(held, "hold it")
    d = held.data
    place = ", ".join(x for x in (d.get("address"), d.get("city")) if x)
    expires = str(d.get("expires_at", ""))[11:16]
    head = (f"Held {d['quantity']} × {d['part_number']} at {d['organization_name']} – {d['location_name']}"
            f"{' (' + place + ')' if place else ''}. Pickup code {d['pickup_code']}, valid until {expires} UTC.")
    extras = [f"Hours {d['pickup_hours']}" if d.get("pickup_hours") else "",
              f"contact {d['contact_name']} {d.get('contact_phone') or ''}".strip() if d.get("contact_name") else ""]
    tail = "; ".join(x for x in extras if x)
    return reply(head, f"{tail}." if tail else "")


def price_info(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    picked = frame.ref if frame.ref and frame.ref.get("kind") in ("listings", "options") else pick_shown(
        ctx, frame.slots, frame.text, ("listings", "options"))
    if picked and picked["item"].get("price") is not None:
        item = picked["item"]
        seller = item.get("seller_organization") or item.get("organization_name")
        return reply(f"{item.get('part_number')} {condition_words(item.get('condition'))}: {money(item['price'])} "
                     f"from {seller}{', ' + str(item['city']) if item.get('city') else ''}.",
                     "Want me to check whether that price is fair?",
                     awaiting={"kind": "yesno", "proposal": {"intent": "price_check", "ref": picked}})
    listing = target_listing(frame, ctx) if ctx.focus_kind == "listing" else None
    if listing and listing.get("price") is not None and not frame.slots.part_numbers:
        return reply(f"{listing.get('part_number')} is listed at {money(listing['price'])} "
                     f"({condition_words(listing.get('condition'))}) by {listing.get('seller_organization')}.",
                     "Want me to check whether that's a fair price?",
                     awaiting={"kind": "yesno", "proposal": {"intent": "price_check",
                                                             "ref": {"kind": "listings", "item": listing}}})
    part = target_part(frame, ctx)
    if part is None:
        return reply("Price of which part?", awaiting={"kind": "part", "goal": "price_info"})
    found = turn.last("find_inventory")
    same = ctx.inventory and str(ctx.inventory.get("part_number")) == str(part.get("part_number"))
    if found is None and not same:
        return Call("find_inventory", {**part_args(part), "quantity": frame.slots.quantity or 1})
    if found is not None and not found.ok:
        return failure(found, "look up prices")
    data = found.data if found is not None else (ctx.inventory or {})
    priced = [o for o in data.get("options", []) if o.get("price") is not None]
    if not priced:
        return reply(f"No price on record for {data.get('part_number')} from the sources I can see.")
    priced.sort(key=lambda o: float(o["price"]))
    lines = [option_line(o) for o in priced[:SHOWN]]
    return reply(f"Prices for {data.get('part_number')}, cheapest first:", "[choices] to hold or offer.",
                 lines, shown={"kind": "options", "items": [_slim(o) for o in priced[:SHOWN]]},
                 awaiting={"kind": "choice", "goal": None})
