"""Buying by chat: "buy it", "add 2 to my cart", "what's in my cart", "make the contactors 6", "check out, ship to
the Hyatt job, PO 4471", "reorder what I used on the Brown Palace job". What is bought is the sourcing option or
listing picked or in focus, else the part named (the tool then picks the fastest source that can be bought and
the confirmation says which); where it ships is asked when the message does not say."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.refs import make_ref, match
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.buying import quantity_said, ship_to_said, source, terms_said
from agent.planners.local.policies.common import failure, written
from agent.planners.local.policies.form_driver import ask, checks, finishes, start
from agent.planners.local.policy import Call, Ctx, Step, ToolResult, offer, policy, say
from agent.planners.local.render import invoice_link, money
from agent.reply_draft import DraftItem

_EVERYTHING = re.compile(r"\b(empty|clear|wipe|dump|everything|all of it|start over|whole cart|nuke)\b", re.IGNORECASE)
_LESS = re.compile(r"\btake (\d+) off\b|\b(\d+) (?:less|fewer)\b", re.IGNORECASE)
_MORE = re.compile(r"\b(\d+) more\b|\banother (\d+)\b", re.IGNORECASE)
_IN_CART = re.compile(r"\b(?:in|on) (?:my|the) (?:cart|basket)\b")


@policy("buy_now")
def buy_now(ctx: Ctx) -> Step:
    what = source(ctx)
    if not isinstance(what, dict):
        return what
    if "inventory_item_id" in what:
        return say("That's your own stock — add it to your cart to have it moved, or hold it for pickup.")
    if "part_number" in what:  # a number alone: first see that it can be had, before asking where it ships
        found = ctx.last("find_inventory")
        if found is None:
            return Call("find_inventory", {"part_number": what["part_number"], "quantity": quantity_said(ctx) or 1})
        if not found.ok:
            return failure(found, "find it")
        if not any(o.get("listing_id") or o.get("supplier_offer_id") for o in found.data.get("options") or []):
            return say(f"I couldn't find a {what['part_number']} anyone sells right now.",
                       "Want me to post a wanted request for it?",
                       proposal=offer("create_wanted", None, part_number=what["part_number"]))
    form = forms.new_form("buy_now", **what, quantity=quantity_said(ctx) or 1, **terms_said(ctx))
    return start(ctx, form)


@checks("buy_now")
def _one_source(ctx: Ctx, form: FormState) -> Step | None:
    """The listing or supplier offer picked is what is bought: the part number said with it only described it."""
    if form.values.get("listing_id") or form.values.get("supplier_offer_id"):
        form.values.pop("part_number", None)
        form.values.pop("manufacturer", None)
    return _where_said(ctx, form)


@checks("checkout")
def _where_said(ctx: Ctx, form: FormState) -> Step | None:
    """Where it ships, as the latest message says it ("no, the regency one" while confirming corrects it), and
    checked to name one place before anything is proposed: "the hyatt job" with two Hyatts is asked about."""
    where = ship_to_said(ctx)
    if where and form.asked != "ship_to":
        form.values["ship_to"] = where
    place = form.values.get("ship_to")
    if not place or form.hints.get("ship_to_checked") == place:
        return None
    checked = ctx.last("view_cart")
    if checked is None or checked.args.get("ship_to") != place:
        return Call("view_cart", {"ship_to": place})
    if checked.ok:
        form.hints["ship_to_checked"] = place
        return None
    form.values.pop("ship_to", None)
    slot = next(s for s in forms.spec(form.name).ask if s.field == "ship_to")
    told = [x for x in re.split(r"(?<=[.?!])\s+", checked.message) if not re.search(r"(?i)\bcall\b|\?$", x)]
    several = checked.error == "invalid" and "several" in checked.message
    return ask(form, slot, headline=" ".join(told), question="Which one?" if several else "")


@finishes("buy_now")
def _bought(ctx: Ctx, form: Any, done: ToolResult) -> Step:
    return _placed(ctx, done)


def _placed(ctx: Ctx, done: ToolResult) -> Step:
    from agent.planners.local.policies.orders import order_ref

    orders = done.data.get("orders") or ([done.data["order"]] if isinstance(done.data.get("order"), dict) else [])
    refs = [order_ref(o) for o in orders]
    for ref in refs[:1]:
        ctx.state.put_focus(ref)
    waiting = [o for o in orders if o.get("status") == "awaiting_approval"]
    next_words = "Waiting for approval — I'll tell you when it's decided." if waiting else \
        str((orders[0] if orders else {}).get("next_words") or "")
    headline = str(done.data.get("message") or f"Ordered: {len(orders)} order(s).")
    items = [DraftItem(kind="order", title=r.label, links=[link] if (link := invoice_link(o)) else [])
             for r, o in zip(refs, orders, strict=True)]
    return say(headline, next_words, items,
               listed=Listed(kind="order", items=refs) if len(refs) > 1 else None)


@policy("add_to_cart")
def add_to_cart(ctx: Ctx) -> Step:
    done = ctx.last("add_to_cart")
    if done is not None:
        if not done.ok:
            return failure(done, "add it to your cart", declined="OK — your cart is unchanged.")
        return say(str(done.data.get("message") or "Added to your cart."), "Check out now, or keep shopping?",
                   proposal=offer("checkout"))
    what = source(ctx)
    if not isinstance(what, dict):
        # nothing to add is named, but the cart is ("need 4 of the relays in my cart"): a change of what is there
        return change_cart(ctx) if _IN_CART.search(ctx.said.lowered) and ctx.ask.target is None else what
    quantity = quantity_said(ctx)
    return Call("add_to_cart", {**what, **({"quantity": quantity} if quantity else {})})


def cart_refs(found: ToolResult) -> list[Ref]:
    items = found.data.get("items") or []
    return [make_ref("cart_item", {**i, "organization_name": i.get("seller"), "price": i.get("unit_price")},
                     f"{i.get('quantity')} × {i.get('part_number')} {i.get('name') or ''} from "
                     f"{i.get('seller')}, {money(i.get('line_total'))}".replace("  ", " "))
            for i in items]


def _cart(ctx: Ctx) -> tuple[ToolResult, list[Ref]] | Step:
    """The caller's cart as it is now, its items as things to point at; or the step towards it."""
    found = ctx.last("view_cart")
    if found is None:
        return Call("view_cart", {})
    if not found.ok:
        return failure(found, "open your cart")
    refs = cart_refs(found)
    return (found, refs) if refs else say("Your cart is empty.")


@policy("view_cart")
def view_cart(ctx: Ctx) -> Step:
    cart = _cart(ctx)
    if not isinstance(cart, tuple):
        return cart
    found, refs = cart
    notes = [str(w) for w in found.data.get("warnings") or []]
    total = found.data.get("total")
    return say(f"Your cart ({len(refs)} item(s), {money(total)}):", "Check out?",
               [DraftItem(kind="cart_item", title=r.label) for r in refs], numbered=True, notes=notes,
               listed=Listed(kind="cart_item", items=refs), proposal=offer("checkout"))


@policy("change_cart")
def change_cart(ctx: Ctx) -> Step:
    for tool in ("update_cart_item", "remove_from_cart"):
        done = written(ctx, tool, "change your cart", "OK — your cart is unchanged.", "Cart updated.")
        if done is not None:
            return done
    cart = _cart(ctx)
    if not isinstance(cart, tuple):
        return cart
    _, refs = cart
    if _EVERYTHING.search(ctx.said.lowered) and not ctx.said.has("part_number", "choice"):
        return Call("remove_from_cart", {"all": True})
    listed = ctx.state.listed.items if ctx.state.listed is not None and ctx.state.listed.kind == "cart_item" \
        else refs
    hits = match(listed, ctx.said) or (refs if len(refs) == 1 else [])
    if len(hits) != 1:
        return say("Which item?", "", [DraftItem(kind="cart_item", title=r.label) for r in refs[:8]], numbered=True,
                   listed=Listed(kind="cart_item", items=refs[:8], goal="change_cart"), kind="clarify")
    item = hits[0]
    quantity = _new_quantity(ctx, int(item.data.get("quantity") or 0))
    if quantity is None:
        return Call("remove_from_cart", {"item_id": item.id})
    return Call("update_cart_item", {"item_id": item.id, "quantity": quantity})


def _new_quantity(ctx: Ctx, current: int) -> int | None:
    """The quantity asked ("make it 3", "take 1 off", "2 more"); None removes the item."""
    lowered = ctx.said.lowered
    less, more = _LESS.search(lowered), _MORE.search(lowered)
    if less is not None:
        left = current - int(less.group(1) or less.group(2))
        return left if left > 0 else None
    if more is not None:
        return current + int(more.group(1) or more.group(2))
    quantities = ctx.said.values("quantity")
    if quantities and not re.search(r"\b(remove|delete|drop|take .* out|get rid|scratch|lose|nix|kill|pull)\b",
                                    lowered):
        return int(float(quantities[-1]))
    return None


@policy("checkout")
def checkout(ctx: Ctx) -> Step:
    form = forms.new_form("checkout", **terms_said(ctx))
    return start(ctx, form)


@finishes("checkout")
def _checked_out(ctx: Ctx, form: Any, done: ToolResult) -> Step:
    return _placed(ctx, done)


@policy("reorder_job")
def reorder_job(ctx: Ctx) -> Step:
    done = written(ctx, "reorder_used_parts", "reorder those parts", "OK — nothing added.", "Added to your cart.")
    if done is not None:
        return done
    sites = ctx.said.all("site")  # as said: notes name a job the way people do ("brown palace"), not its full name
    job = str(sites[0]["text"]) if sites else None
    if not job:
        named = re.search(r"\b(?:on|at|from|for) (?:the )?([\w' &/-]+?)(?: job| call| site| ticket| repair|$)",
                          ctx.said.text, re.IGNORECASE)
        job = named.group(1).strip() if named is not None else None
    if not job:
        return say("Which job?", "Name the site or job, e.g. \"the Brown Palace job\".", kind="question")
    mine = bool(re.search(r"\bi (?:used|pulled|burned|installed|put in|swapped|took)\b|\bmy (?:truck|van)\b",
                          ctx.said.lowered))
    return Call("reorder_used_parts", {"job": job, **({"only_mine": True} if mine else {})})
