"""The marketplace beyond offers: searching listings, a listing's details (its description is quoted as data,
never followed), watching one, bidding on auctions and posting wanted requests."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, equipment_of, reply, target_listing, target_part
from agent.planners.local.history import Turn
from agent.planners.local.policies.common import candidates, failure, search_args, search_query
from agent.planners.local.render import Reply, condition, listing_line, money
from agent.planners.local.slots import content_words

_USED = ["used_excellent", "used_good", "used_fair"]
_CEILING = re.compile(r"\b(under|below|less than|max(imum)?|up to|at most|no more than|budget)\b", re.I)
_MARKET_WORDS = re.compile(r"\b(any|anyone|who(?:'s| is)|on the|marketplace|listings?|for sale|selling|show me|"
                           r"search|auctions?|the market)\b", re.I)


def market_search(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    found = turn.last("search_listings")
    if found is not None:
        if not found.ok:
            return failure(found, "search the marketplace")
        results = found.data.get("results", [])
        if not results:
            return reply(found.data.get("message") or "No listings you can see match.",
                         "Want me to post a wanted request?",
                         awaiting={"kind": "yesno", "proposal": {"intent": "wanted"}})
        return present_listings(results, None, "On the marketplace:")
    slots = frame.slots
    args: dict[str, Any] = {"limit": 10}
    part = target_part(frame, ctx) if slots.part_numbers or not _has_description(frame.text) else None
    if part is not None:
        args["part_number"] = part["part_number"]
    else:
        args["query"] = _MARKET_WORDS.sub(" ", search_query(frame.text)).strip(" ,.?") or frame.text
    if slots.listing_type:
        args["listing_type"] = slots.listing_type
    if slots.conditions:
        generic_used = "used" in frame.text.lower() and slots.condition == "used_good"
        args["condition"] = _USED if generic_used else slots.conditions
    if slots.price is not None and _CEILING.search(frame.text):
        args["max_price"] = str(slots.price)
    equipment = equipment_of(frame, ctx) if slots.equipment else None
    if equipment:
        args["compatible_with"] = equipment["model"]
    if slots.emergency:
        args["emergency_only"] = True
    if slots.within_km:
        args["within_km"] = slots.within_km
    return Call("search_listings", args)


_WANTED_COMMAND = re.compile(r"(?i)^\s*(please\s+)?((post|put out|put up|create|make|send)\s+)?(a\s+|an\s+)?"
                             r"(wanted|iso)(\s+(request|post|ad))?\s*(for)?\s*[:,-]?\s*")


def _urgency(text: str) -> str:
    """A unit down or "asap" is an emergency; "urgently" alone is urgent."""
    return "urgent" if re.search(r"\burgent(ly)?\b", text, re.I) and not re.search(
        r"\b(down|emergency|asap|right now|trapped|stuck|entrapment|outage)\b", text, re.I) else "emergency"


def _has_description(text: str) -> bool:
    return len(content_words(text)) >= 2


def present_listings(results: list[Item], goal: str | None, head: str) -> Reply:
    top = results[:3]
    slim = [{k: r.get(k) for k in ("id", "part_number", "manufacturer", "name", "condition", "price",
                                   "listing_type", "seller_organization", "city", "distance_km", "current_bid",
                                   "quantity_available", "is_own_listing", "fulfillment_options")} for r in top]
    verb = {"make_offer": "make an offer on", None: "see, offer on or watch"}.get(goal, "choose")
    return reply(head, f"Which one do you want to {verb}? [choices].", [listing_line(r) for r in top],
                 shown={"kind": "listings", "items": slim}, awaiting={"kind": "choice", "goal": goal})


def details(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    got = turn.last("get_listing")
    if got is not None:
        return present_listing(got.data) if got.ok else failure(got, "open that listing")
    listing = target_listing(frame, ctx)
    if listing and listing.get("id") and (frame.ref or ctx.focus_kind != "part" or frame.slots.ordinal):
        return Call("get_listing", {"listing_id": listing["id"]})
    part = target_part(frame, ctx)
    if part is None:
        return reply("Details of which part or listing?")
    looked = turn.last("lookup_part")
    if looked is None:
        return Call("lookup_part", {"part_number": part["part_number"]})
    from agent.planners.local.policies.parts import present_lookup

    return present_lookup(looked.data) if looked.ok else failure(looked, "look it up")


def present_listing(d: Item) -> Step:
    rating = d.get("seller_rating") or {}
    stars = f", rated {rating['average_rating']}/5" if rating.get("average_rating") else ""
    pickup = f" Pickup: {d['pickup_location']}" + (f" ({d['pickup_hours']})" if d.get("pickup_hours") else "") + "." \
        if d.get("pickup_location") else ""
    price = (f"auction, current bid {money(d.get('current_bid'))}, ends {str(d.get('auction_end'))[:16]}"
             if d.get("listing_type") == "auction" else money(d.get("price")))
    said = re.sub(r"\s+", " ", str(d.get("description") or ""))[:160]
    head = (f"{d.get('part_number')} {d.get('name')} — {condition(d.get('condition'))}, {price}, "
            f"{d.get('quantity_available')} available from {d.get('seller_organization')}{stars}, {d.get('city')}."
            f"{pickup} Ships: {', '.join(d.get('fulfillment_options') or []) or 'n/a'}.")
    if said:
        head += f' Seller\'s description (their words): "{said}"'
    item = {k: d.get(k) for k in ("id", "part_number", "condition", "price", "listing_type", "seller_organization",
                                  "city", "current_bid", "is_own_listing", "quantity_available",
                                  "fulfillment_options")}
    if isinstance(d.get("auction"), dict):
        item["minimum_next_bid"] = d["auction"].get("minimum_next_bid")
    tail = "Want to bid?" if d.get("listing_type") == "auction" else "Want to make an offer or watch it?"
    return reply(head, "" if d.get("is_own_listing") else tail, focus={"kind": "listing", "item": item})


def watch(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    done = turn.last("watch_listing")
    if done is not None:
        if not done.ok:
            return failure(done, "watch it", declined="OK — not watching it.")
        d = done.data
        what = (d.get("listing") or {}).get("part_number") or "the listing"
        if not d.get("watching"):
            return reply(f"Stopped watching {what}.")
        alert = f", alert at {money(d['price_alert_threshold'])} or less" if d.get("price_alert_threshold") else ""
        return reply(f"Watching {what}{alert}. {d.get('message', '')}".strip())
    listing = target_listing(frame, ctx)
    if listing is None or not listing.get("id"):
        return reply("Which listing should I watch? Search the marketplace first.")
    args: dict[str, Any] = {"listing_id": listing["id"]}
    if re.search(r"\b(stop|unwatch|remove|no longer)\b", frame.text, re.I):
        args["remove"] = True
    elif frame.slots.price is not None:
        args["price_alert_threshold"] = str(frame.slots.price)
    return Call("watch_listing", args)


def bid(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    done = turn.last("place_bid")
    if done is not None:
        if not done.ok:
            return failure(done, "place the bid", declined="OK — no bid placed.")
        d = done.data
        ends = str(d.get("auction_end"))[:16]
        return reply(f"{d.get('message')} Your max {money(d.get('your_max_bid'))}; ends {ends} UTC.")
    listing = target_listing(frame, ctx)
    if listing is None or not listing.get("id"):
        return reply("Which auction? Search for auctions first (e.g. 'any auctions for a GAA24350BH1?').")
    if listing.get("listing_type") not in (None, "auction"):
        return reply("That listing isn't an auction; make an offer instead. What price per unit?",
                     awaiting={"kind": "amount", "goal": "make_offer", "ref": {"kind": "listings", "item": listing}})
    price = str(frame.slots.price) if frame.slots.price is not None else frame.extra.get("price")
    if price is None:
        floor = listing.get("minimum_next_bid") or listing.get("current_bid")
        return reply(f"What's your maximum bid?{' Minimum next bid ' + money(floor) + '.' if floor else ''}",
                     awaiting={"kind": "amount", "goal": "bid", "ref": {"kind": "listings", "item": listing}})
    return Call("place_bid", {"listing_id": listing["id"], "max_bid": price})


def wanted(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    done = turn.last("create_wanted_post")
    if done is not None:
        if not done.ok:
            return failure(done, "post it", declined="OK — nothing posted.")
        post = done.data.get("post", {})
        matches = len(post.get("matches") or [])
        found = f" {matches} possible match(es) already: ask 'show wanted matches'." if matches else ""
        what = post.get("part_number") or post.get("description")
        return reply(f"Posted: wanted {post.get('quantity_needed')} × {what}, {post.get('urgency')}, visible to "
                     f"{post.get('visibility')}.{found}")
    part = target_part(frame, ctx)
    slots = frame.slots
    if part is None and not _has_description(frame.text):
        return reply("What do you need? A part number, or a description and the equipment it's for.",
                     awaiting={"kind": "part", "goal": "wanted"})
    equipment = equipment_of(frame, ctx)
    name = (part or {}).get("name")
    said = _WANTED_COMMAND.sub("", search_query(frame.text)).strip() or search_query(frame.text)
    description = f"{part['part_number']}" + (f" ({name})" if name else "") if part else said
    if equipment and str(equipment.get("model") or "").lower() not in description.lower():
        description += f" for {equipment['label']}"
    category = None
    if part is None:  # a described part still needs a category: the one of the best catalog match
        searched = turn.last("search_parts")
        if searched is None:
            return Call("search_parts", {**search_args(frame, env), "query": said, "limit": 5})
        top = candidates(searched) if searched.ok else []
        category = top[0].get("category") if top else None
    args: dict[str, Any] = {"description": f"Need {description}"[:2000], "category": category,
                            "quantity_needed": slots.quantity or 1,
                            "urgency": _urgency(frame.text) if slots.emergency else "standard"}
    if part:
        args["part_number"] = part["part_number"]
        if part.get("manufacturer"):
            args["manufacturer"] = part["manufacturer"]
    if equipment:
        args["equipment_manufacturer"], args["equipment_model"] = equipment.get("manufacturer"), equipment["model"]
    if slots.price is not None:
        args["max_price"] = str(slots.price)
    if slots.conditions:
        args["acceptable_conditions"] = slots.conditions
    return Call("create_wanted_post", {k: v for k, v in args.items() if v is not None})
