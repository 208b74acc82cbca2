"""Where to get it (find_inventory: fastest first, same-day first in an emergency), narrowed to a town or
to closer places, how far a source is, and holding shelf stock for pickup (request_emergency_pickup)."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref, match
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.asked import named_among
from agent.planners.local.policies.common import (
    best_described,
    candidates,
    described_winner,
    describes_part,
    failure,
    part_args,
    search_args,
    search_query,
    target_part,
    winner,
)
from agent.planners.local.policies.parts import ask_which
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, policy, say
from agent.planners.local.render import km, option_item, option_where

SHOWN = 3
_NEAREST = re.compile(r"\b(closest|nearest|close by|near me|nearby)\b")


def holdable(option: dict[str, Any], me: str) -> bool:
    """Stock that can be set aside: not on the caller's own truck (it is in their hands), on a colleague's yes."""
    truck = str(option.get("location_name") or "").lower()
    mine = option.get("source_type") == "own_truck" and (not me or f"({me.split()[0].lower()})" in truck)
    return bool(option.get("inventory_item_id")) and not mine


def inventory_args(ctx: Ctx, part: Ref) -> dict[str, Any]:
    args: dict[str, Any] = {**part_args(part), "quantity": int(ctx.said.value("quantity") or 1),
                            "emergency": ctx.said.in_a_hurry() or bool(ctx.ask.values.get("emergency"))}
    conditions = ctx.said.values("condition")
    if conditions:
        args["conditions"] = sorted(set(conditions))
    return args


def outside_only(ctx: Ctx, part_number: object, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources outside the company, when the user asked for those ("ours are spoken for")."""
    if ctx.state.others_only not in ("*", str(part_number)):
        return options
    return [o for o in options if not str(o.get("source_type") or "").startswith("own")]


def present_options(ctx: Ctx, found: ToolResult, options: list[dict[str, Any]] | None = None,
                    headline: str = "") -> Say:
    if not found.ok:
        return failure(found, "look for stock")
    data = found.data
    options = list(data.get("options") or []) if options is None else options
    options = outside_only(ctx, data.get("part_number"), options)
    part = make_ref("part", {"part_number": data.get("part_number"), "manufacturer": data.get("manufacturer"),
                             "name": data.get("name")})
    name = f"{data.get('part_number')} ({data.get('manufacturer')} {data.get('name')})"
    if not options:
        return say(f"No source found for {name}.", "Want me to post a wanted request for it?",
                   proposal=offer("create_wanted", part))
    top = options[:SHOWN]
    if not headline:
        urgency = " Same-day options first." if data.get("emergency") else ""
        if data.get("emergency") and not any(o.get("same_day") for o in top):
            urgency = " No same-day source found."
        headline = f"Where to get {name}:{urgency}"
    if any(holdable(o, ctx.env.name) for o in top):
        question, goal = "Want me to hold one for pickup? Pick one.", "hold"
    elif any(o.get("listing_id") for o in top):
        question, goal = "Want to make an offer on one?", "make_offer"
    else:
        question, goal = "", None
    return say(headline, question, [option_item(o) for o in top], numbered=True,
               listed=Listed(kind="option", items=[make_ref("option", o) for o in top], goal=goal))


def theirs_asked(ctx: Ctx) -> bool:
    """Does the message ask about another company's own stock ("how many has rival got at their warehouse")?"""
    other = ctx.said.value("organization")
    return bool(other and other != ctx.env.organization)


def not_their_stock(ctx: Ctx, part: Ref | None) -> Step:
    other = ctx.said.value("organization")
    if part is not None:
        ctx.state.put_focus(part)  # "fine. who can i get em from then"
    offer_to = "Want me to check who has it, them included?" if part is not None else \
        "Tell me the part and I'll check who has it, them included."
    return say(f"I can't see {other}'s own stock: other companies' stock shows up only where they make it "
               "available for sale or trade.", offer_to, proposal=offer("find_stock", part) if part else None,
               kind="question" if part is None else "answer")


_BROKEN = re.compile(r"\b(?:is|it'?s|went|are|they'?re)\s+(?:dead|down|out|toast|fried|shot|gone)\b|block of ice|"
                     r"\bwo?n'?t (?:start|run|close|open|light|hold)\b|\bnever (?:kicks|starts|comes)\b|"
                     r"\bnot working\b")
_ANYWHERE = re.compile(r"\b(?:anywhere|anyplace|somewhere)\b")


def for_a_repair_anywhere(ctx: Ctx) -> bool:
    """"door board on one of the gen2s … is dead. whats the part # and do we have one anywhere": a part for a
    broken unit, asked for anywhere, is looked for at every source (our own stock first among equals)."""
    return bool(_ANYWHERE.search(ctx.said.lowered) and _BROKEN.search(ctx.said.lowered))


def described_part(ctx: Ctx, goal: str) -> Ref | Step:
    """The catalog part the words describe ("the carrier 40/5 dual caps"): the clear winner, else asked."""
    searched = ctx.last("search_parts")
    if searched is None:
        return Call("search_parts", search_args(ctx))
    if not searched.ok:
        return failure(searched, "search the catalog")
    parts = candidates(searched)
    best = winner(parts, " ".join([*ctx.said.values("equipment_model"), search_query(ctx)])) or \
        named_among(parts, ctx.ask.text)  # "nexway door boards"; "what board is that"
    if best is None:
        stocked = _stocked_at_named_place(ctx, parts)
        if isinstance(stocked, Call):
            return stocked
        best = stocked
    if best is None:
        return ask_which(parts, "Which one is it?", goal=goal) if parts else \
            say(searched.message or "No catalog part matched that.")
    return make_ref("part", best)


def inventory_of(ctx: Ctx, part: dict[str, Any]) -> ToolResult | None:
    """This turn's stock look-up of that part, if one was made."""
    return next((r for r in reversed(ctx.results) if r.name == "find_inventory"
                 and r.args.get("part_number") == part.get("part_number")), None)


def _stocked_at_named_place(ctx: Ctx, parts: list[dict[str, Any]]) -> dict[str, Any] | Call | None:
    """Of the parts the words fit equally ("hold 3 of the carrier 40/5 dual caps at northlines shop": two Carrier
    caps), the only one stocked at the place the message names. Each one's stock is looked up in turn."""
    if not ctx.said.has("location", "organization", "city"):
        return None
    fitting = best_described(parts, search_query(ctx))
    if not 2 <= len(fitting) <= 3:
        return None
    there = []
    for part in fitting:
        found = inventory_of(ctx, part)
        if found is None:
            return Call("find_inventory", inventory_args(ctx, make_ref("part", part)))
        options = [make_ref("option", o) for o in found.data.get("options") or []] if found.ok else []
        if match(options, ctx.said):
            there.append(part)
    return there[0] if len(there) == 1 else None


@policy("find_stock")
def find_stock(ctx: Ctx) -> Step:
    part = target_part(ctx)
    if ctx.called("search_parts"):  # described: that part, not the focus a look-up among the candidates moved
        described = described_part(ctx, "find_stock")
        if not isinstance(described, Ref):
            return described
        part = described
    if part is None and theirs_asked(ctx):
        return not_their_stock(ctx, None)
    if part is None:
        listed = ctx.state.listed
        if listed is not None and listed.kind == "part" and not describes_part(ctx):
            # "otis gen2, brake wont hold … what part" … "who has it near me": the one the words before named
            best = described_winner([r.data for r in listed.items], ctx.state.last_text or "")
            if best is None:
                listed.goal = "find_stock"
                return say("Which one is it?", "Pick one and I'll find stock.", kind="clarify")
            part = make_ref("part", best)
    if part is None:
        if not describes_part(ctx) and not ctx.said.has("equipment_model"):
            return say("Which part? A part number, or what it is and the equipment it goes on.", kind="question")
        described = described_part(ctx, "find_stock")
        if not isinstance(described, Ref):
            return described
        part = described
    found = inventory_of(ctx, part.data) or ctx.last("find_inventory")
    if found is None:
        cached = _cached_sourcing(ctx, part)
        if cached is None:
            return Call("find_inventory", inventory_args(ctx, part))
        found = cached
    if found.error == "not_found":  # not a catalog part: maybe someone lists it anyway
        on_market = ctx.last("search_listings")
        if on_market is None:
            return Call("search_listings", {"part_number": part.data.get("part_number"), "limit": 10})
        rows = on_market.data.get("results") or [] if on_market.ok else []
        if rows:
            from agent.planners.local.policies.market import present_listings

            return present_listings(ctx, rows, f"{part.data.get('part_number')} isn't in the catalog, but it's "
                                    "on the marketplace:", "make_offer")
        return failure(found)
    city = ctx.said.value("city")
    if city and found.ok:
        here = [o for o in found.data.get("options") or [] if str(o.get("city") or "").lower() == city.lower()]
        if not here:
            return say(f"Nothing in {city} for {found.data.get('part_number')}.",
                       "Want the nearest places instead?", proposal=offer("find_stock", part))
        return present_options(ctx, found, here, f"In {city}:")
    if _NEAREST.search(ctx.said.lowered) and found.ok:  # "where's the closest one": by distance, not by time
        located = sorted((o for o in found.data.get("options") or [] if o.get("distance_km") is not None),
                         key=lambda o: float(o["distance_km"]))
        if located:
            return present_options(ctx, found, located, f"Nearest {found.data.get('part_number')} first:")
    return present_options(ctx, found)


def _cached_sourcing(ctx: Ctx, part: Ref) -> ToolResult | None:
    """The last sourcing search, when it was for this part and the message adds no new constraint."""
    sourcing = ctx.state.sourcing
    if not sourcing or str(sourcing.get("part_number")) != str(part.data.get("part_number")):
        return None
    if ctx.said.has("urgency", "condition", "quantity") or not ctx.said.has("city"):
        return None
    data = {"part_number": sourcing["part_number"], "manufacturer": sourcing.get("manufacturer"),
            "name": sourcing.get("name"), "options": sourcing.get("options") or [], "total_options":
            sourcing.get("total")}
    return ToolResult("find_inventory", dict(sourcing.get("args") or {}), data)


@policy("closer")
def closer(ctx: Ctx) -> Step:
    sourcing = ctx.state.sourcing
    if sourcing is None:
        return find_stock(ctx)
    shown = ctx.state.listed.items if ctx.state.listed and ctx.state.listed.kind == "option" else []
    reference = next((r.data.get("distance_km") for r in shown if r.data.get("distance_km") is not None), None)
    found = ctx.last("find_inventory")
    options = list((found.data if found else sourcing).get("options") or [])
    nearer = sorted((o for o in options if o.get("distance_km") is not None and o.get("source_type") != "supplier"
                     and o.get("source_type") != "own_truck"
                     and (reference is None or float(o["distance_km"]) < float(reference))),
                    key=lambda o: float(o["distance_km"]))
    if not nearer and found is None and int(sourcing.get("total") or 0) > len(options):
        return Call("find_inventory", {**dict(sourcing.get("args") or {}), "max_results": 50})
    result = found or ToolResult("find_inventory", dict(sourcing.get("args") or {}),
                                 {k: sourcing.get(k) for k in ("part_number", "manufacturer", "name")})
    if not nearer:
        located = [o for o in options if o.get("distance_km") is not None]
        if not located:
            return say("I have no distances for those sources, so I can't say which is closer.")
        nearest = min(located, key=lambda o: float(o["distance_km"]))
        return say(f"Nothing closer. The nearest is {option_item(nearest).title}.")
    where = f" than {km(reference)}" if reference is not None else ""
    return present_options(ctx, result, nearer, f"Closer{where}:")


@policy("how_far")
def how_far(ctx: Ctx) -> Step:
    item = ctx.ask.target
    if item is None and ctx.state.listed and ctx.state.listed.kind in ("option", "listing"):
        hits = match(ctx.state.listed.items, ctx.said)
        item = hits[0] if len(hits) == 1 else None
    item = item or ctx.state.focused("option", "listing")
    if item is None and ctx.state.listed and ctx.state.listed.items:
        item = ctx.state.listed.items[0]
    if item is None:
        return say("How far is what? Tell me the part and I'll find the nearest stock.", kind="question")
    if item.kind == "part":  # "how far is the 2nd one" among parts: where the nearest of that part is
        return find_stock(ctx)
    seller = " in ".join(str(item.data[k]) for k in ("seller_organization", "city") if item.data.get(k))
    where = option_where(item.data) if "source_type" in item.data else seller or item.label
    if item.data.get("distance_km") is None:
        return say(f"I don't have a distance for {where}.")
    eta = item.data.get("eta_hours")
    when = f"; about {float(eta):.1f} h until it's in your hands" if eta is not None else ""
    ways = item.data.get("fulfillment_options") or ([item.data["fulfillment"]] if item.data.get("fulfillment") else [])
    pickup = (" Local pickup: yes." if "local_pickup" in ways or "will_call" in ways else
              " They don't offer pickup." if ways else "")
    return say(f"{where}: {km(item.data['distance_km'])} away{when}.{pickup}")
