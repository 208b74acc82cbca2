"""Deals (transactions): what we bought and sold, marking a sale shipped with its tracking number,
confirming a delivery, and rating the other side."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.refs import make_ref, match, resolve
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.common import described_winner, failure
from agent.planners.local.policies.form_driver import finishes, start
from agent.planners.local.policy import Call, Ctx, Step, ToolResult, offer, policy, say
from agent.planners.local.render import money
from agent.reply_draft import DraftItem
from tools.deals.closing import PICKUP_FULFILMENT

# Deals not yet delivered: what "coming" means to the buyer, and what can still be confirmed delivered.
OPEN = ("pending", "paid", "shipped")
# Which deals each action can apply to, and from whose side.
ACTIONS = {"mark_shipped": ("seller", ("pending", "paid")), "confirm_delivered": ("buyer", OPEN),
           "rate_seller": ("buyer", ("delivered", "completed", "shipped"))}


def _line(t: dict[str, Any]) -> str:
    parts = ", ".join(f"{p.get('quantity')} × {p.get('part_number')}" for p in t.get("parts") or []) or "parts"
    other = t.get("seller_organization") if t.get("role") == "buyer" else t.get("buyer_organization")
    verb = "from" if t.get("role") == "buyer" else "to"
    return f"{parts} {verb} {other}, {money(t.get('total'))} ({t.get('status')})"


_INBOUND = ("coming", "on the way", "inbound", "on order", "shown up", "showed up yet")
# A deal status a list can be asked for by its word ("our delivered orders", "what got cancelled"), and deals the
# caller has not rated yet ("havent we rated", "still need to review", "unrated").
_STATUSES = {"delivered": re.compile(r"\bdelivered\b"), "shipped": re.compile(r"\bshipped\b"),
             "cancelled": re.compile(r"\bcancell?ed\b"), "completed": re.compile(r"\b(completed|closed out)\b")}
_UNRATED = re.compile(r"\b(?:\w+n'?t|not|never|yet to|need to|have to|forgot to)\s+(?:\w+\s+){0,2}?"
                      r"(?:rated?|rating|reviewed|review)\b|\bunrated\b")


def deal_status(ctx: Ctx) -> str | None:
    """The one deal status the message asks for by name, if any."""
    named = [status for status, words in _STATUSES.items() if words.search(ctx.said.lowered)]
    return named[0] if len(named) == 1 else None


def asks_unrated(ctx: Ctx) -> bool:
    """Whether the message asks for the deals the caller has not rated yet."""
    return bool(_UNRATED.search(ctx.said.lowered))


def _unrated_by_caller(t: dict[str, Any]) -> bool:
    mine = "seller_rating" if t.get("role") == "buyer" else "buyer_rating"  # the buyer rates the seller
    return t.get(mine) is None and t.get("status") in ACTIONS["rate_seller"][1]


def deal_role(ctx: Ctx) -> str:
    """Which side's deals a question asks for: what's coming or was bought, what was sold, or both."""
    said = ctx.said.lowered
    if any(w in said for w in _INBOUND) or any(w in said for w in ("bought", "purchase", "orders", "ordered")):
        return "buyer"
    return "seller" if any(w in said for w in ("sold", "sales", "sell")) else "all"


def deal_lines(ctx: Ctx, found: ToolResult) -> list[Ref]:
    """The deals of a list_transactions result the message asks about: what's on its way when it asks what's
    coming, those with whom it names."""
    inbound = any(w in ctx.said.lowered for w in _INBOUND)
    status, unrated = deal_status(ctx), asks_unrated(ctx)
    deals = [make_ref("deal", t, _line(t)) for t in found.data.get("transactions") or []
             if (not inbound or t.get("status") in OPEN) and (status is None or t.get("status") == status)
             and (not unrated or _unrated_by_caller(t))]
    return _named(deals, ctx) if ctx.said.has("organization", "person") else deals


def deal_target(ctx: Ctx, action: str) -> Ref | Step:
    if ctx.ask.target is not None and ctx.ask.target.kind == "deal":
        return ctx.ask.target
    side, statuses = ACTIONS[action]
    ref, _ = resolve(ctx.state, ctx.said, "deal")
    if ref is not None and ref.data.get("status") and ref.data.get("role") in (side, None):
        return ref  # only the seller ships, only the buyer confirms and rates: the other side's deal is not it
    found = ctx.last("list_transactions")
    if found is None:
        return Call("list_transactions", {"role": side, "limit": 50})
    if not found.ok:
        return failure(found, "list your deals")
    open_deals = [make_ref("deal", t, _line(t)) for t in found.data.get("transactions") or []
                  if t.get("status") in statuses]
    named = _named(open_deals, ctx)
    if len(named) > 1:  # "the kone belt from metro": the one deal whose goods the words name
        goods = [{"name": " ".join(f"{p.get('manufacturer') or ''} {p.get('name') or ''}" for p in d.data.get("parts")
                                   or [] if isinstance(p, dict)), "part_number": " ".join(_numbers(d))} for d in named]
        described = described_winner(goods, ctx.said.text)
        named = [named[goods.index(described)]] if described is not None else named
    if len(named) > 1 and action == "confirm_delivered":  # "it showed up": of theirs, what was on its way
        on_the_way = [d for d in named if d.data.get("status") == "shipped"]
        named = on_the_way if len(on_the_way) == 1 else named
    if len(named) > 1 and action == "mark_shipped":  # "apex's went out fedex today": of theirs, the one to ship
        sent = [d for d in named if d.data.get("fulfillment_type") not in PICKUP_FULFILMENT]
        named = sent if len(sent) == 1 else named
    if len(named) == 1:
        return named[0]
    if not named and ctx.said.has("part_number", "organization", "person"):
        return say("I don't see an open deal for that.", "Which part, and with whom?", kind="question")
    pool = named or open_deals
    if not pool:
        return say("There's no deal waiting for that.")
    return say("Which deal?", "", [DraftItem(kind="deal", title=r.label) for r in pool[:5]], numbered=True,
               listed=Listed(kind="deal", items=pool[:5], goal=action), kind="clarify")


def _named(deals: list[Ref], ctx: Ctx) -> list[Ref]:
    numbers = {v.upper() for v in ctx.said.values("part_number")}
    if numbers:  # a deal for another part is never the one meant
        deals = [d for d in deals if numbers & {str(p).upper() for p in _numbers(d)}]
    if ctx.said.has("organization", "person", "choice"):
        orgs = [d.model_copy(update={"data": {**d.data, "organization_name": f"{d.data.get('seller_organization')} "
                                                                          f"{d.data.get('buyer_organization')}"}})
                for d in deals]
        hits = match(orgs, ctx.said)
        ids = {h.id for h in hits}
        return [d for d in deals if d.id in ids]
    return deals if numbers or len(deals) == 1 else []


def _numbers(deal: Ref) -> list[str]:
    return [str(p.get("part_number")) for p in deal.data.get("parts") or [] if isinstance(p, dict)] or \
        [str(deal.label.split(" ")[2]) if len(deal.label.split(" ")) > 2 else ""]


@policy("mark_shipped")
def mark_shipped(ctx: Ctx) -> Step:
    from agent.planners.local.policies.orders import order_for

    order = order_for(ctx, "mark_shipped")
    if isinstance(order, Ref):
        form = forms.new_form("ship_order", transition="ship")
        form.target = order
        return start(ctx, form)
    if order is not None:
        return order
    deal = deal_target(ctx, "mark_shipped")
    if not isinstance(deal, Ref):
        return deal
    form = forms.new_form("mark_transaction_shipped")
    form.target = deal
    return start(ctx, form)


@finishes("mark_transaction_shipped")
def _shipped(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    t = done.data.get("transaction") or done.data
    return say(f"Marked shipped: {_line(t) if t.get('parts') else 'the deal'}; tracking {t.get('tracking_number')}.")


@policy("confirm_delivered")
def confirm_delivered(ctx: Ctx) -> Step:
    done = ctx.last("confirm_transaction_delivered")
    if done is not None:
        if not done.ok:
            return failure(done, "confirm it", declined="OK — nothing changed.")
        delivered = ctx.state.focused("deal")
        return say("Confirmed delivered.", "Want to rate the seller?",
                   proposal=offer("rate_seller", delivered) if delivered is not None else None)
    from agent.planners.local.policies.orders import order_for

    moved = ctx.last("update_order")
    if moved is not None:
        if not moved.ok:
            return failure(moved, "confirm it", declined="OK — nothing changed.")
        return say(str(moved.data.get("message") or "Confirmed delivered."))
    order = order_for(ctx, "confirm_delivered")
    if isinstance(order, Ref):
        return Call("update_order", {"order_id": order.id, "transition": "deliver"})
    if order is not None:
        return order
    deal = deal_target(ctx, "confirm_delivered")
    if not isinstance(deal, Ref):
        return deal
    return Call("confirm_transaction_delivered", {"transaction_id": deal.id})


@policy("rate_seller")
def rate_seller(ctx: Ctx) -> Step:
    deal = deal_target(ctx, "rate_seller")
    if not isinstance(deal, Ref):
        return deal
    form = forms.new_form("review_transaction")
    form.target = deal
    return start(ctx, form)


@finishes("ship_order")
def _order_shipped(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    return say(str(done.data.get("message") or "Marked shipped."))


@finishes("review_transaction")
def _rated(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    return say(f"Thanks — rated {form.values.get('rating')}/5.")
