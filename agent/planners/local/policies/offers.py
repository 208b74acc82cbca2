"""Offers: making one (submit_offer, after a compatibility check when equipment was named), answering
received ones (respond_to_offer: accept, reject, counter), listing them and withdrawing one's own."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, equipment_of, pick_shown, reply, target_listing
from agent.planners.local.history import Turn
from agent.planners.local.policies.common import failure
from agent.planners.local.policies.parts import compat_sentence
from agent.planners.local.render import Reply, money, offer_line
from knowledge.partnumbers import normalize_part_number

_ASKING = re.compile(r"\b(asking( price)?|full price|list price|their price|take it|i'?ll take)\b", re.I)
_FIT_WORDS = re.compile(r"\b(for|on|fits?|into) (the|our|my|a|an)\b", re.I)
_SLIM = ("id", "listing_id", "part_number", "buyer_organization", "seller_organization", "offered_price",
         "quantity", "status", "awaiting", "offer_type", "counter_offer")


def _price(frame: Frame) -> str | None:
    if frame.slots.price is not None:
        return str(frame.slots.price)
    return frame.extra.get("price")


def make_offer(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    sent = turn.last("submit_offer")
    if sent is not None:
        return offer_sent(sent.data, turn) if sent.ok else failure(sent, "send the offer")
    listing = target_listing(frame, ctx)
    price = _price(frame)
    if listing is None:
        searched = turn.last("search_listings")
        part = ctx.focus_part if not frame.slots.part_numbers else {"part_number": frame.slots.part_numbers[0]}
        if part is None:
            return reply("Which listing? Search the marketplace first (e.g. 'who is selling a GAA24350BH1?').")
        if searched is None:
            return Call("search_listings", {"part_number": part["part_number"], "limit": 10})
        results = [r for r in searched.data.get("results", []) if not r.get("is_own_listing")]
        if not results:
            return reply(f"Nobody is listing {part['part_number']} right now. Want me to post a wanted request?",
                         awaiting={"kind": "yesno", "proposal": {"intent": "wanted", "ref": {
                             "kind": "parts", "item": part}}})
        from agent.planners.local.policies.market import present_listings

        step = present_listings(results, "make_offer", "Listings for " + str(part["part_number"]) + ":")
        step.note["awaiting"] = {**step.note["awaiting"], **({"price": price} if price else {})}
        return step
    if listing.get("is_own_listing"):
        return reply("That's your own organization's listing; you can't make an offer on it.")
    if listing.get("listing_type") == "auction":
        return reply(f"That one is an auction (current bid {money(listing.get('current_bid'))}); bids go through "
                     "place_bid. How much is your maximum bid?",
                     awaiting={"kind": "amount", "goal": "bid", "ref": {"kind": "listings", "item": listing}})
    if price is None and _ASKING.search(frame.text) and listing.get("price") is not None:
        price = str(listing["price"])
    if price is None:
        asking = f" The asking price is {money(listing['price'])}." if listing.get("price") is not None else ""
        return reply(f"What price per unit do you want to offer for {listing.get('part_number')}?{asking}",
                     awaiting={"kind": "amount", "goal": "make_offer", "ref": {"kind": "listings", "item": listing},
                               "quantity": frame.slots.quantity})
    equipment = equipment_of(frame, ctx) if (frame.slots.equipment or _FIT_WORDS.search(frame.text)) else None
    if equipment is not None and frame.slots.equipment:
        checked = turn.last("check_compatibility")
        if checked is None:
            return Call("check_compatibility", {"part_number": listing["part_number"],
                                                "equipment_model": equipment["model"],
                                                "equipment_manufacturer": equipment["manufacturer"]})
        if checked.ok and checked.data.get("verdict") == "incompatible":
            return reply(compat_sentence(checked.data) + " I won't send that offer; want me to find a part that fits?",
                         awaiting={"kind": "yesno", "proposal": {"intent": "find_part"}})
    args: dict[str, Any] = {"listing_id": listing["id"], "offered_price": price,
                            "quantity": frame.slots.quantity or int(frame.extra.get("quantity") or 1)}
    options = listing.get("fulfillment_options") or []
    wanted = [f for f in frame.slots.fulfilment if not options or f in options]
    if wanted:
        args["fulfillment_preference"] = wanted[0]
    if frame.slots.emergency:
        args["is_urgent"] = True
    return Call("submit_offer", args)


def offer_sent(data: Item, turn: Turn) -> Step:
    offer = data.get("offer", {})
    checked = turn.last("check_compatibility")
    fit = compat_sentence(checked.data) + " " if checked is not None and checked.ok else ""
    head = (f"{fit}Offer sent: {money(offer.get('offered_price'))} × {offer.get('quantity')} for "
            f"{offer.get('part_number')} to {offer.get('seller_organization')}. {data.get('message', '')}")
    return reply(head.strip(), focus={"kind": "offer", "item": {k: offer.get(k) for k in _SLIM}})


def _direction(frame: Frame, env: Env) -> str:
    if re.search(r"\breceived\b|\bincoming\b|\bon (our|my) listings?\b|\b(we|i) (got|received)\b", frame.text, re.I):
        return "received"
    if re.search(r"\b(i|we) (sent|send|made|make)\b|\bmy offers?\b|\bsent\b|\bmine\b", frame.text, re.I) \
            or not env.can_sell:
        return "sent"
    return "received"


def list_offers(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    listed = turn.last("list_offers")
    direction = _direction(frame, env)
    if listed is None:
        args: dict[str, Any] = {"direction": direction, "limit": 10}
        if re.search(r"\b(pending|open|new)\b", frame.text, re.I):
            args["status"] = "pending"
        return Call("list_offers", args)
    if not listed.ok:
        return failure(listed, "list offers")
    return present_offers(listed.data.get("offers", []), listed.args.get("direction", direction), None)


def present_offers(offers: list[Item], direction: str, goal: str | None, head: str = "") -> Reply:
    open_first = sorted(offers, key=lambda o: (o.get("status") not in ("pending", "countered"),))
    top = open_first[:3]
    if not top:
        return reply(f"No {'offers received' if direction == 'received' else 'offers sent'} to show.")
    head = head or f"Offers {'received' if direction == 'received' else 'you sent'}:"
    if direction == "received":
        tail = "Accept, reject or counter one? e.g. 'accept 1' or 'counter 2 at $450'. [choices]."
    else:
        tail = "Say 'withdraw 1' to pull one back, or 'accept 1' to take a seller's counter."
    items = [offer_line(o, direction) for o in top]
    return reply(head, tail, items, shown={"kind": "offers", "items": [{k: o.get(k) for k in _SLIM} for o in top]},
                 awaiting={"kind": "choice", "goal": goal})


def _by_number(offers: list[Item], frame: Frame) -> list[Item]:
    """Offers on the part number the user named (all of them when none was named)."""
    if not frame.slots.part_numbers:
        return offers
    wanted = {normalize_part_number(p) for p in frame.slots.part_numbers}
    return [o for o in offers if normalize_part_number(str(o.get("part_number") or "")) in wanted]


def _pick_offer(frame: Frame, ctx: Context, open_only: bool = True) -> Item | None:
    chosen = frame.ref_item("offers")
    if chosen:
        return chosen
    named = _by_number([o for o in ctx.offers if o.get("status") in ("pending", "countered")], frame)
    if frame.slots.part_numbers and len(named) == 1:
        return named[0]
    picked = pick_shown(ctx, frame.slots, frame.text, ("offers",))
    if picked:
        return picked["item"]
    number = re.search(r"\b(?:accept|reject|decline|counter|withdraw)\s+(?:#|no\.?\s*|offer\s*)?(\d{1,2})\b",
                       frame.text, re.I)
    shown = ctx.shown_items("offers")
    if number and shown and 1 <= int(number.group(1)) <= len(shown):
        return shown[int(number.group(1)) - 1]
    pool = [o for o in ctx.offers if not open_only or o.get("status") in ("pending", "countered")]
    lowered = frame.text.lower()
    for offer in pool:
        for org in (offer.get("buyer_organization"), offer.get("seller_organization")):
            if org and fuzz.partial_ratio(org.split()[0].lower(), lowered) >= 90 and len(org.split()[0]) > 3:
                return offer
    if len(pool) == 1:
        return pool[0]
    if ctx.focus_kind == "offer" and ctx.focus_offer:
        return ctx.focus_offer
    return None


def respond(action: str, frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    done = turn.last("respond_to_offer")
    if done is not None:
        return responded(done.data, action) if done.ok else failure(done, f"{action} the offer")
    offer = _pick_offer(frame, ctx)
    if offer is None:
        listed = turn.last("list_offers")
        direction = "received" if env.can_sell else "sent"
        if listed is None:
            return Call("list_offers", {"direction": direction, "status": "pending" if direction == "received"
                                        else "countered", "limit": 10})
        offers = listed.data.get("offers", []) if listed.ok else []
        mine = _by_number([o for o in offers if o.get("awaiting") == ("seller" if direction == "received"
                                                                       else "buyer")], frame)
        if len(mine) == 1:
            offer = mine[0]
        else:
            if not mine:
                return reply("There are no open offers waiting for your answer." if listed.ok else
                             failure(listed, "list offers").head)
            step = present_offers(mine, direction, action, f"Which offer should I {action}?")
            step.note["awaiting"]["price"] = _price(frame)
            return step
    args: dict[str, Any] = {"offer_id": offer["id"], "action": action}
    if action == "counter":
        price = _price(frame)
        if price is None:
            return reply(f"Counter at what unit price? They offered {money(offer.get('offered_price'))}.",
                         awaiting={"kind": "amount", "goal": "counter", "ref": {"kind": "offers", "item": offer}})
        args["counter_price"] = price
    return Call("respond_to_offer", args)


def responded(data: Item, action: str) -> Step:
    offer = data.get("offer", {})
    head = {"accept": "Accepted", "reject": "Rejected", "counter": "Countered"}[action]
    text = f"{head}: {offer_line(offer, 'received')[0]}."
    deal = data.get("transaction")
    if deal:
        code = f" Pickup code {deal['pickup_code']}." if deal.get("pickup_code") else ""
        text += f" Deal total {money(deal.get('total'))}.{code}"
    if data.get("other_offers_closed"):
        text += f" {data['other_offers_closed']} other offer(s) closed."
    return reply(text, focus={"kind": "offer", "item": {k: offer.get(k) for k in _SLIM}})


def accept_offer(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return respond("accept", frame, ctx, turn, env)


def reject_offer(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return respond("reject", frame, ctx, turn, env)


def counter(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return respond("counter", frame, ctx, turn, env)


def offer_chosen(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    offer = frame.ref_item("offers")
    if offer is None:
        return reply("Which offer?")
    return reply(f"{offer_line(offer, ctx.offers_direction)[0]}.", "Accept, reject or counter it?",
                 focus={"kind": "offer", "item": offer})


def withdraw_offer(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    done = turn.last("withdraw_offer")
    if done is not None:
        if not done.ok:
            return failure(done, "withdraw it", declined="OK — the offer stays open.")
        offer = done.data.get("offer", {})
        return reply(f"Withdrawn: your offer on {offer.get('part_number')} to {offer.get('seller_organization')}.")
    offer = _pick_offer(frame, ctx)
    if offer is None or (ctx.offers_direction == "received" and not frame.ref_item("offers")):
        listed = turn.last("list_offers")
        if listed is None:
            return Call("list_offers", {"direction": "sent", "status": "pending", "limit": 10})
        pending = _by_number(list(listed.data.get("offers", [])), frame) if listed.ok else []
        if len(pending) != 1:
            if not pending:
                return reply("You have no pending offers to withdraw.")
            return present_offers(pending, "sent", "withdraw_offer", "Which offer should I withdraw?")
        offer = pending[0]
    return Call("withdraw_offer", {"offer_id": offer["id"]})
