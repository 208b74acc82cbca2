"""Offers: making one on a listing (submit_offer, after a fit check when equipment was named), answering
received ones (respond_to_offer: accept, reject, counter), listing them, withdrawing one's own. An offer is
named by who made it ("the offer from Apex", "ben's offer", "the guy from Northline"), by part number, by
its number in a list, or by being the one in focus; an expired offer is shown as expired, never accepted."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.refs import make_ref, match, match_besides_spurned, resolve
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.auctions import market_listing
from agent.planners.local.policies.common import failure
from agent.planners.local.policies.fit import verdict_sentence
from agent.planners.local.policies.form_driver import finishes, start
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, policy, say
from agent.planners.local.render import money, offer_item
from tools.rules.wording import possessive

_ASKING = re.compile(r"\b(asking( price)?|full price|list price|their price|what they want|at ask|price they want)\b",
                     re.IGNORECASE)
OPEN = ("pending", "countered")
_EVERY = re.compile(r"\b(all|every|each|both)\b", re.IGNORECASE)


@policy("make_offer")
def make_offer(ctx: Ctx) -> Step:
    listing = market_listing(ctx, "make_offer")
    if not isinstance(listing, Ref):
        return listing
    if listing.data.get("is_own_listing"):
        return say("That's your own organization's listing; you can't make an offer on it.")
    if listing.data.get("listing_type") == "auction":
        bid = listing.data.get("minimum_next_bid") or listing.data.get("current_bid")
        floor = f" The next bid must be at least {money(bid)}." if bid else ""
        return say(f"That one is an auction, so it takes bids, not offers.{floor}", "Want me to place a bid?",
                   proposal=offer("place_bid", listing))
    model = ctx.said.value("equipment_model")
    if model:
        checked = ctx.last("check_compatibility")
        if checked is None:
            return Call("check_compatibility", {"part_number": listing.data.get("part_number"),
                                                "equipment_model": model,
                                                **({"equipment_manufacturer": m} if (m := ctx.said.extra(
                                                    "equipment_model", "manufacturer")) else {})})
        if checked.ok and checked.data.get("verdict") == "incompatible":
            return say(verdict_sentence(checked.data) + " I won't send that offer.",
                       "Want me to find a part that fits?", proposal=offer("find_part"))
    asking, offered = listing.data.get("price"), ctx.said.value("price") or ctx.said.value("number")
    if asking is not None and offered is not None and float(offered) > 1.5 * float(asking):
        # an offer far above the asking price means another listing was meant; never send it
        return say(f"{listing.label} is listed at {money(asking)}, well under your {money(offered)}, so I didn't "
                   "send that.", "Which listing did you mean? Tell me the part number or the seller.", kind="question")
    form = forms.new_form("submit_offer", quantity=1)
    form.target = listing
    if _ASKING.search(ctx.ask.text) and listing.data.get("price") is not None:
        form.values["offered_price"] = str(listing.data["price"])
    wanted = ctx.said.values("fulfillment")
    options = listing.data.get("fulfillment_options") or []
    usable = [f for f in wanted if not options or f in options]
    if usable:
        form.values["fulfillment_preference"] = usable[0]
    if ctx.said.in_a_hurry():
        form.values["is_urgent"] = True
    forms.fill(form, ctx.said)
    form.values.pop("fulfillment_options", None)
    if "fulfillment_preference" in form.values and form.values["fulfillment_preference"] not in usable:
        form.values.pop("fulfillment_preference")
    return start(ctx, form)


@finishes("submit_offer")
def _offer_sent(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    o = done.data.get("offer") or {}
    checked = ctx.last("check_compatibility")
    fit = verdict_sentence(checked.data) + " " if checked is not None and checked.ok else ""
    return say(f"{fit}Offer sent: {money(o.get('offered_price'))} × {o.get('quantity')} for {o.get('part_number')} "
               f"to {o.get('seller_organization')}.")


def _direction(ctx: Ctx) -> str:
    said = ctx.said.value("direction")
    if said:
        return said
    if re.search(r"\b(i|we) (sent|made|put in)\b|\bmy offers?\b|\bmine\b", ctx.said.lowered):
        return "sent"
    return "received" if ctx.env.can_sell else "sent"


@policy("list_offers")
def list_offers(ctx: Ctx) -> Step:
    listed = ctx.last("list_offers")
    direction = _direction(ctx)
    if listed is None:
        args: dict[str, Any] = {"direction": direction, "limit": 20}
        if re.search(r"\b(pending|open|new|waiting)\b", ctx.said.lowered):
            args["status"] = "pending"
        return Call("list_offers", args)
    if not listed.ok:
        return failure(listed, "list offers")
    offers = listed.data.get("offers") or []
    refs = [make_ref("offer", o) for o in offers]
    named = match(refs, ctx.said) if refs else []  # "any offers on the copeland scroll?", "did keystone answer?"
    if named:
        offers = [r.data for r in named]
        if len(named) == 1:
            ctx.state.put_focus(named[0])
    return present_offers(offers, listed.args.get("direction", direction))


def present_offers(offers: list[dict[str, Any]], direction: str, headline: str = "",
                   goal: str | None = None) -> Say:
    ordered = sorted(offers, key=lambda o: o.get("status") not in OPEN)
    top = ordered[:5]
    received = direction == "received"
    if not top:
        return say(f"No {'offers received' if received else 'offers sent'} to show.")
    headline = headline or f"Offers {'received' if received else 'you sent'}:"
    question = "Accept, reject or counter one?" if received else "Withdraw one, or take a seller's counter?"
    if received and goal is None and len(top) == 1 and top[0].get("status") in OPEN:
        goal = "accept_offer"  # the one open offer shown … "ok take it"
    return say(headline, question if any(o.get("status") in OPEN for o in top) else "",
               [offer_item(o, received) for o in top], numbered=True,
               listed=Listed(kind="offer", items=[make_ref("offer", o) for o in top], goal=goal))


def _offer_target(ctx: Ctx, direction: str) -> Ref | Step:
    """The offer this message means: picked, named among those seen, in focus — else the caller's open ones
    are listed (once) and the one named, or the only one, is taken; several: ask which."""
    if ctx.ask.target is not None and ctx.ask.target.kind == "offer":
        return ctx.ask.target
    named = ctx.said.has("organization", "person", "part_number", "city", "choice", "manufacturer")
    ref, _ = resolve(ctx.state, ctx.said, "offer")
    if ref is not None and not (named and ref.data.get("status") not in (*OPEN, None)):
        return ref  # a company named has open offers to answer, not the one closed long ago
    listed = ctx.last("list_offers")
    if listed is None:
        return Call("list_offers", {"direction": direction, "limit": 50})
    if not listed.ok:
        return failure(listed, "list offers")
    direction = str(listed.args.get("direction") or direction)
    awaiting = "seller" if direction == "received" else "buyer"
    rows = listed.data.get("offers") or []
    refs = [make_ref("offer", o) for o in rows]
    withdrawing = ctx.ask.intent == "withdraw_offer"  # an offer we sent can be taken back whoever's move it is
    waiting = [r for r in refs if r.data.get("status") in OPEN and (withdrawing or r.data.get("awaiting") in
                                                                    (awaiting, None))]
    # "130 is fine take it": an amount points at the offer or counter at that amount (a counter's amount is new)
    priced = ctx.ask.intent in ("accept_offer", "reject_offer") and ctx.said.has("price", "number")
    # "pull my offer on the maxton valve": the words that say which part it is pick it too
    hits = (match_besides_spurned(waiting, ctx.said) or match(refs, ctx.said)) if named else \
        match(waiting, ctx.said) if priced or ctx.said.describes() else []
    if named and not hits and direction == "received" and ctx.env.can_buy:
        return Call("list_offers", {"direction": "sent", "limit": 50})  # "tell metro no": their counter to ours
    if named and not hits:
        return say("I don't see an offer like that among yours.", "", [offer_item(o, direction == "received")
                                                                      for o in rows[:5]], numbered=True,
                   listed=Listed(kind="offer", items=refs[:5], goal=ctx.ask.intent), kind="clarify")
    pool = hits or waiting
    open_ones = [r for r in pool if r.data.get("status") in OPEN]
    if len(open_ones) == 1:
        return open_ones[0]
    if len(open_ones) > 1 and named and _EVERY.search(ctx.ask.text):
        # "decline all of keystone's offers": one confirmed write per offer, in turn
        for later in reversed(open_ones[1:]):
            queued = ctx.ask.model_copy(update={"target": later, "values": {**ctx.ask.values, "queued": True}})
            assert ctx.state.turn is not None
            ctx.state.turn.asks.insert(ctx.state.turn.index + 1, queued)
        return open_ones[0]
    if len(pool) == 1:
        return pool[0]
    if not pool:
        return say("There are no open offers waiting for your answer.")
    return present_offers([r.data for r in pool], direction, f"Which offer should I {ctx.ask.intent.split('_')[0]}?",
                          goal=ctx.ask.intent)


def _respond(ctx: Ctx, action: str) -> Step:
    target = _offer_target(ctx, _direction(ctx))  # a buyer answers the counters to offers they sent
    if not isinstance(target, Ref):
        return target
    status = target.data.get("status")
    if status not in OPEN:
        return say(f"That offer ({target.label}) is {status}, so it can't be {action}ed.")
    over = _over_the_limit(ctx, target) if action == "accept" else None
    if over is not None:
        return over
    form = forms.new_form("respond_to_offer", action=action)
    form.target = target
    return start(ctx, form)


_UP_TO = re.compile(r"\b(?:under|below|less than|up to|at most|no more than|max|tops|or less|as long as)\b")
_AT_LEAST = re.compile(r"\b(?:over|above|more than|at least|or more|no less than)\b")


def _over_the_limit(ctx: Ctx, target: Ref) -> Say | None:
    """"if theyre under 2600 just take it": the price on the table, held against the limit the user set;
    past it, nothing is accepted."""
    limit = ctx.said.value("price")
    ceiling, floor = _UP_TO.search(ctx.said.lowered), _AT_LEAST.search(ctx.said.lowered)
    if limit is None or not (ceiling or floor):
        return None
    counter = target.data.get("counter_offer")
    ours = bool(target.data.get("seller_organization")) and target.data.get("awaiting") == "buyer"
    amount = counter.get("price") if ours and isinstance(counter, dict) else target.data.get("offered_price")
    if amount is None:
        return None
    price, bound = float(str(amount).replace(",", "")), float(limit)
    if (ceiling and price <= bound) or (floor and not ceiling and price >= bound):
        return None
    side = "over" if ceiling else "under"
    return say(f"{target.label}: {money(amount)} each on the table, {side} your {money(limit)}, so I didn't "
               "accept it.", "Want to counter?", proposal=offer("counter_offer", target))


@finishes("respond_to_offer")
def _responded(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    o = done.data.get("offer") or {}
    action = str(form.values.get("action"))
    other = o.get("buyer_organization") if o.get("buyer_organization") != ctx.env.organization else \
        o.get("seller_organization")
    terms = f"{o.get('quantity')} × {o.get('part_number')} at {money(o.get('offered_price'))} each"
    if action == "counter":
        text = f"Countered {possessive(str(other))} offer ({terms}) at {money(form.values.get('counter_price'))} each."
    else:
        text = f"{'Accepted' if action == 'accept' else 'Rejected'} {possessive(str(other))} offer: {terms}."
    deal = done.data.get("transaction")
    if deal:
        code = f" Pickup code {deal['pickup_code']}." if deal.get("pickup_code") else ""
        text += f" Deal total {money(deal.get('total'))}.{code}"
    if done.data.get("other_offers_closed"):
        text += f" {done.data['other_offers_closed']} other offer(s) closed."
    return say(text)


@policy("accept_offer")
def accept_offer(ctx: Ctx) -> Step:
    return _respond(ctx, "accept")


@policy("reject_offer")
def reject_offer(ctx: Ctx) -> Step:
    return _respond(ctx, "reject")


@policy("counter_offer")
def counter_offer(ctx: Ctx) -> Step:
    return _respond(ctx, "counter")


@policy("offer_chosen")
def offer_chosen(ctx: Ctx) -> Step:
    target = ctx.ask.target
    if target is None:
        return say("Which offer?", kind="clarify")
    ctx.state.put_focus(target)
    received = target.data.get("awaiting") == "seller" or bool(target.data.get("buyer_organization"))
    return say(f"{offer_item(target.data, received).title}.", "Accept, reject or counter it?")


@policy("withdraw_offer")
def withdraw_offer(ctx: Ctx) -> Step:
    done = ctx.last("withdraw_offer")
    if done is not None:
        if not done.ok:
            return failure(done, "withdraw it", declined="OK — the offer stays open.")
        o = done.data.get("offer") or {}
        return say(f"Withdrawn: your offer on {o.get('part_number')} to {o.get('seller_organization')}.")
    target = _offer_target(ctx, "sent")
    if not isinstance(target, Ref):
        return target
    return Call("withdraw_offer", {"offer_id": target.id})
