"""Orders by chat, from either desk: "where's my order?", "any new orders?", "cancel the keystone order",
"approve derek's order", "payment came in for the apex order", "mark it packed", "return the contactor, wrong
coil". The order meant is the one in focus, the one picked from the list shown, or the one whose words (number,
PO, seller or buyer, person, site, part) the message says — among the orders the caller may do that step to now
(each order says its next steps for the caller), so a change never lands on an order it cannot apply to."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref, match
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.common import failure
from agent.planners.local.policies.deals import asks_unrated, deal_lines, deal_role, deal_status
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.planners.local.render import invoice_link, money
from agent.reply_draft import DraftItem

# Which step each intent takes, by side: the seller "approves" an order by accepting it into work.
_STEPS = {"cancel_order": ("cancel",), "approve_order": ("approve",), "reject_order": ("reject",),
          "return_order": ("return",), "order_progress": ("verify-payment", "pack"),
          "mark_shipped": ("ship",), "confirm_delivered": ("deliver",)}
_PAID = re.compile(r"\b(paid|payment|pay|check|cheque|wire|ach|money|funds|cleared|remit)\b")
_PACKED = re.compile(r"\b(pack(ed|ing)?|box(ed)?|crated|on the dock|staged)\b")
_SELLING = re.compile(r"\b(new orders?|orders? (came|come|coming) in|orders? to (ship|fill|pack)|for us|"
                      r"incoming orders?|orders? from \w+|any orders|customers?'? orders?|order desk|to fill)\b")
_APPROVING = re.compile(r"\b(approv\w*|sign off|waiting (on|for) me)\b")
_WORDS_SKIPPED = re.compile(r"^(?:\s*(?:and|but|because|cause|cuz|since|as|bc)\b)?[\s,.;:-]*", re.IGNORECASE)


def order_line(o: dict[str, Any]) -> str:
    other = o.get("seller_organization") if o.get("role") == "buyer" else o.get("buyer_organization")
    verb = "from" if o.get("role") == "buyer" else "for"
    site = f" for {o['site_name']}" if o.get("site_name") and o.get("role") == "buyer" else ""
    return (f"{o.get('order_number')}: {o.get('lines')} {verb} {other}{site}, {money(o.get('total'))} "
            f"({o.get('status_words') or o.get('status')})")


def order_ref(o: dict[str, Any]) -> Ref:
    """An order to point at, from a list's summary (lines as text) or a whole order (its lines as a list)."""
    if isinstance(o.get("lines"), list):
        o = {**o, "lines": ", ".join(f"{x.get('quantity')} × {x.get('part_number')}" for x in o["lines"])}
    ref = make_ref("order", o, order_line(o))
    ref.data["organization_name"] = f"{o.get('seller_organization')} {o.get('buyer_organization')}"
    return ref


def _role(ctx: Ctx) -> str:
    """Whose desk the question is asked from: selling words (or a seller's role) read the seller's orders."""
    lowered = ctx.said.lowered
    if _APPROVING.search(lowered):
        return "all"
    if (_SELLING.search(lowered) or deal_role(ctx) == "seller") and ctx.env.can_sell:
        return "seller"
    return "seller" if ctx.env.role == "seller" and deal_role(ctx) != "buyer" else "buyer"


def reason_of(ctx: Ctx) -> str | None:
    """The why a message gives after the request ("cancel it, customer fixed it themselves")."""
    text = ctx.said.text
    cut = re.search(r"[,;:.!—-]\s+|\s+(?:because|cause|cuz|since|bc)\s+", text)
    if cut is None:
        return None
    rest = _WORDS_SKIPPED.sub("", text[cut.end():]).strip(" .!")
    return rest[:300] if len(rest.split()) >= 1 and not re.fullmatch(r"(?i)(pls|please|thx|thanks|ty)", rest) \
        else None


def _named(ctx: Ctx, refs: list[Ref]) -> list[Ref]:
    """The orders the message names by number, PO, organization, person, site or part; all when it names none."""
    said = ctx.said
    number = said.value("order_number")
    if number:
        return [r for r in refs if r.data.get("order_number") == number]
    po = said.value("po_number")
    if po:
        return [r for r in refs if str(r.data.get("po_number") or "").upper() == po.upper()]
    narrowed = refs
    site = said.value("site")
    if site:
        narrowed = [r for r in narrowed if (r.data.get("site_name") or "").lower() == site.lower()] or narrowed
    if said.has("organization", "person", "part_number", "choice", "condition"):
        narrowed = match(narrowed, said)
    person = said.value("person")
    if person:
        narrowed = [r for r in narrowed if r.data.get("buyer_name") == person] or narrowed
    return narrowed


@policy("my_orders")
def my_orders(ctx: Ctx) -> Step:
    role = _role(ctx)
    found = ctx.last("list_orders")
    if found is None:
        args: dict[str, Any] = {"role": role, "limit": 50}
        if role == "all":
            args["status"] = "awaiting_approval"
        return Call("list_orders", args)
    if not found.ok:
        return failure(found, "list your orders")
    orders = [order_ref(o) for o in found.data.get("orders") or []]
    if ctx.said.has("order_number", "po_number") and not orders:
        return say("No order with that number that you can see.")
    deals = ctx.last("list_transactions")
    status, unrated = deal_status(ctx), asks_unrated(ctx)
    if deals is None and not ctx.said.has("order_number", "po_number") and role != "all":
        narrowed = ctx.said.has("organization", "person") or status is not None
        return Call("list_transactions", {"role": "seller" if role == "seller" else deal_role(ctx),
                                          "limit": 50 if narrowed else 10} | ({"status": status} if status else {}))
    named = _named(ctx, orders) if orders else []
    deal_refs = deal_lines(ctx, deals) if deals is not None and deals.ok else []
    if len(named) == 1 and (ctx.said.has("order_number", "po_number", "organization", "person", "site",
                                         "part_number") or len(orders) == 1):
        ctx.state.put_focus(named[0])
        return _status(ctx, named[0])
    if status or unrated:  # only deals are rated; an order is kept when it has the status asked for
        named = [r for r in named if not unrated and r.data.get("status") == status]
    everything = named + deal_refs
    if not everything:
        waiting = "No orders waiting for approval." if role == "all" else \
            "No new orders." if role == "seller" else "Nothing you haven't rated." if unrated else \
            f"No {status} orders." if status else "You have no orders yet."
        return say(waiting)
    total = len(named) + len(deal_refs) if status or unrated else \
        (found.data.get("total") or len(orders)) + len(deal_refs)
    shown = everything[:6]
    whose = "Orders waiting for approval" if role == "all" else "Orders for you to fill" if role == "seller" \
        else "Not rated yet" if unrated else f"Your {status} orders" if status else "Your orders"
    return say(f"{whose} ({total}):", "", [DraftItem(kind=r.kind, title=r.label) for r in shown], numbered=True,
               listed=Listed(kind="order" if named else "deal", items=shown))


def _status(ctx: Ctx, order: Ref) -> Step:
    if re.search(r"\binvoices?\b|\bbill\b", ctx.said.lowered):
        return _invoice(ctx, order)
    got = ctx.last("get_order")
    if got is None:
        return Call("get_order", {"order_id": order.id})
    if not got.ok:
        return failure(got, "open that order")
    return present_order(ctx, got.data)


def _invoice(ctx: Ctx, order: Ref) -> Step:
    got = ctx.last("get_invoice")
    if got is None:
        return Call("get_invoice", {"order_id": order.id})
    if not got.ok:
        return failure(got, "get that invoice")
    i = got.data
    paid = "paid" if i.get("paid") else f"due {i.get('due_on')} ({i.get('payment_terms')})"
    link = invoice_link(i)
    item = DraftItem(kind="order", title=order.label, links=[link] if link else [])
    return say(f"Invoice {i.get('number')} for {i.get('order_number')}: {money(i.get('total'))}, {paid}.",
               str(i.get("payment_instructions") or ""), [item])


def present_order(ctx: Ctx, o: dict[str, Any]) -> Step:
    """One order: what, from or for whom, where it is, tracking, and what can happen next."""
    ref = order_ref(o)
    ref.data["next_steps"] = o.get("next_steps") or []
    ctx.state.put_focus(ref)
    tracking = f" {o.get('carrier') or ''} {o.get('tracking_number')}".rstrip() if o.get("tracking_number") else ""
    shipped = f" Tracking:{tracking}." if tracking else ""
    po = f" PO {o['po_number']}." if o.get("po_number") else ""
    invoice = f" Invoice {o['invoice_number']}." if o.get("invoice_number") else ""
    link = invoice_link(o)
    item = DraftItem(kind="order", title=ref.label, links=[link] if link else [])
    status = f"{o.get('order_number')} is {o.get('status_words') or o.get('status')}."
    return say(f"{status}{po}{shipped}{invoice}", str(o.get("next_words") or ""), [item])


def order_target(ctx: Ctx, intent: str) -> Ref | Step:
    """The order the change is meant for, among those the caller may take this step on now."""
    steps = _STEPS[intent]
    target = ctx.ask.target
    if target is not None and target.kind == "order" and (not target.data.get("next_steps") or
                                                          set(steps) & set(target.data.get("next_steps") or [])):
        return target
    focus = ctx.state.focused("order")
    listed = ctx.state.listed
    if listed is not None and listed.kind == "order":
        hits = [r for r in match(listed.items, ctx.said) if r.kind == "order"]
        if len(hits) == 1:
            return hits[0]
    number = ctx.said.value("order_number")
    found = ctx.last("list_orders")
    if found is None:
        args: dict[str, Any] = {"limit": 100, "role": "all"}
        if number:
            args["query"] = number
        return Call("list_orders", args)
    if not found.ok:
        return failure(found, "find your orders")
    orders = [order_ref(o) for o in found.data.get("orders") or []]
    able = [o for o in orders if set(steps) & set(o.data.get("next_steps") or [])]
    named = _named(ctx, able) if ctx.said.has("order_number", "po_number", "organization", "person", "site",
                                              "part_number", "choice") else []
    if len(named) == 1:
        return named[0]
    if not named and focus is not None and any(o.id == focus.id for o in able) and not ctx.said.has(
            "order_number", "po_number", "organization", "person", "site", "part_number"):
        return next(o for o in able if o.id == focus.id)
    if not named and len(able) == 1 and not ctx.said.has("order_number", "po_number", "organization", "person",
                                                        "site", "part_number"):
        return able[0]
    if named or (able and not ctx.said.has("order_number", "po_number")):
        pool = named or able
        return say("Which order?", "", [DraftItem(kind="order", title=r.label) for r in pool[:6]], numbered=True,
                   listed=Listed(kind="order", items=pool[:6], goal=intent), kind="clarify")
    mentioned = _named(ctx, orders) if orders else []
    if len(mentioned) == 1:
        o = mentioned[0].data
        return say(f"{o.get('order_number')} is {o.get('status_words') or o.get('status')}; "
                   f"that can't be done to it now.", kind="error")
    return say("I don't see an order you can do that to.", "Say its number, like ORD-100012.", kind="question")


def step_for(ctx: Ctx, intent: str, order: Ref) -> str:
    """The transition the message asks of this order (paid or packed, for the seller's progress words)."""
    steps = [s for s in _STEPS[intent] if s in (order.data.get("next_steps") or _STEPS[intent])]
    if intent == "order_progress":
        lowered = ctx.said.lowered
        if _PAID.search(lowered) and "verify-payment" in steps:
            return "verify-payment"
        if _PACKED.search(lowered) and "pack" in steps:
            return "pack"
    return steps[0] if steps else _STEPS[intent][0]


@policy("cancel_order", "approve_order", "reject_order", "order_progress", "return_order")
def change_order(ctx: Ctx) -> Step:
    done = ctx.last("update_order")
    if done is not None:
        if not done.ok:
            return failure(done, "change the order", declined="OK — left the order as it is.")
        order = done.data.get("order") or {}
        return say(str(done.data.get("message") or "Done."), str(order.get("next_words") or ""))
    intent = ctx.ask.intent
    target = order_target(ctx, intent)
    if not isinstance(target, Ref):
        return target
    transition = step_for(ctx, intent, target)
    args: dict[str, Any] = {"order_id": target.id, "transition": transition}
    reason = reason_of(ctx)
    if transition in ("reject", "cancel", "return") and reason:
        args["reason"] = reason
    if transition == "return" and target.data.get("role") == "buyer" and "reason" not in args:
        return say("Why is it going back?", "e.g. wrong part, damaged, DOA.", kind="question")
    ctx.state.put_focus(target)
    return Call("update_order", args)


def order_for(ctx: Ctx, intent: str) -> Ref | Step | None:
    """For a step orders share with marketplace deals (ship, deliver): the order meant when the message or the
    conversation points at one, or names one of those it could apply to; None leaves it to the deals."""
    target = ctx.ask.target
    if target is not None and target.kind == "order":
        return target
    if target is not None and target.kind == "deal":
        return None
    listed = ctx.state.listed
    if listed is not None and listed.kind == "order":  # orders and deals listed together: the one picked decides
        hits = match(listed.items, ctx.said)
        if len(hits) == 1:
            return order_target(ctx, intent) if hits[0].kind == "order" else None
    if ctx.said.has("order_number") or ctx.state.focus_kind == "order":
        return order_target(ctx, intent)
    found = ctx.last("list_orders")
    if found is None:
        return Call("list_orders", {"limit": 100, "role": "all"})
    if not found.ok:
        return None
    steps = set(_STEPS[intent])
    able = [order_ref(o) for o in found.data.get("orders") or [] if steps & set(o.get("next_steps") or [])]
    names = ("po_number", "organization", "person", "site", "part_number")
    named = _named(ctx, able) if ctx.said.has(*names) else []
    if len(named) == 1:
        return named[0]
    return None
