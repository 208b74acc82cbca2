"""Buying by chat: "buy it", "add 2 to my cart", "what's in my cart", "make the contactors 6", "check out, ship to
the Hyatt job, PO 4471", "reorder what I used on the Brown Palace job". What is bought is the sourcing option or
listing picked or in focus, else the part named (the tool then picks the fastest source that can be bought and
the confirmation says which); where it ships is asked when the message does not say."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.refs import make_ref, match, resolve
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.common import failure, written
from agent.planners.local.policies.form_driver import checks, finishes, start
from agent.planners.local.policy import Call, Ctx, Step, ToolResult, offer, policy, say
from agent.planners.local.render import invoice_link, money
from agent.reply_draft import DraftItem

_SHIP_TO = re.compile(r"\b(?:ship|send|deliver|drop|get)(?: (?:it|them|em|'em|everything|the cart|it all))?"
                      r"(?: (?:out|over))? to (?:the )?([^,.;!?]+)", re.IGNORECASE)
_OUR_PLACES = re.compile(r"\b(?:the |my |our )?(shop|office|warehouse|main warehouse|truck|van|yard)\b", re.IGNORECASE)
_EVERYTHING = re.compile(r"\b(empty|clear|wipe|dump|everything|all of it|start over|whole cart|nuke)\b", re.IGNORECASE)
_LESS = re.compile(r"\btake (\d+) off\b|\b(\d+) (?:less|fewer)\b", re.IGNORECASE)
_MORE = re.compile(r"\b(\d+) more\b|\banother (\d+)\b", re.IGNORECASE)
_IN_CART = re.compile(r"\b(?:in|on) (?:my|the) (?:cart|basket)\b")
_METHODS = {"will_call": "will_call", "emergency_delivery": "courier"}


def ship_to_said(ctx: Ctx) -> str | None:
    """Where the message says to ship: a customer site, one of our places, or the words after "ship to"."""
    said = ctx.said
    if said.value("site"):
        return str(said.value("site"))
    phrase = _SHIP_TO.search(said.text)
    if phrase is not None:
        return re.sub(r"(?i)\s+(?:job|site|please|pls|asap)$", "", phrase.group(1).strip())[:200]
    if said.value("location"):
        return str(said.value("location"))
    place = _OUR_PLACES.search(said.text) if re.search(r"\b(ship|send|deliver|to)\b", said.lowered) else None
    return place.group(0).strip() if place is not None else None


def _terms(ctx: Ctx) -> dict[str, Any]:
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
    ref, candidates = resolve(ctx.state, ctx.said, "option", "listing")
    if ref is None and candidates:
        return say("Which one?", "", [DraftItem(kind=c.kind, title=c.label) for c in candidates[:5]],
                   numbered=True, listed=Listed(kind=candidates[0].kind, items=candidates[:5],
                                                goal=ctx.ask.intent), kind="clarify")
    number = ctx.said.value("part_number")
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
    if number and ctx.said.has("organization", "condition", "city", "location"):
        return _named_option(ctx, number)
    if number:
        return {"part_number": number}
    part = ctx.state.focused("part")
    if part is not None and part.data.get("part_number"):
        return {"part_number": part.data["part_number"]}
    return say("Which part?", "A part number, or find it first and pick one.", kind="question")


def _named_option(ctx: Ctx, number: str) -> dict[str, Any] | Step:
    """"the refurb GAA26800LC1 from metro": the one source the message describes, looked up first."""
    found = ctx.last("find_inventory")
    if found is None:
        return Call("find_inventory", {"part_number": number, "quantity": _quantity(ctx) or 1})
    if not found.ok:
        return failure(found, "find it")
    options = [make_ref("option", o) for o in found.data.get("options") or []
               if o.get("listing_id") or o.get("supplier_offer_id")]
    hits = match(options, ctx.said)
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


def _quantity(ctx: Ctx) -> int | None:
    quantity = ctx.said.value("quantity")
    return int(float(quantity)) if quantity else None


@policy("buy_now")
def buy_now(ctx: Ctx) -> Step:
    what = source(ctx)
    if not isinstance(what, dict):
        return what
    if "inventory_item_id" in what:
        return say("That's your own stock — add it to your cart to have it moved, or hold it for pickup.")
    form = forms.new_form("buy_now", **what, quantity=_quantity(ctx), **_terms(ctx))
    return start(ctx, form)


@checks("buy_now")
def _one_source(ctx: Ctx, form: FormState) -> Step | None:
    """The listing or supplier offer picked is what is bought: the part number said with it only described it."""
    if form.values.get("listing_id") or form.values.get("supplier_offer_id"):
        form.values.pop("part_number", None)
        form.values.pop("manufacturer", None)
    return None


@finishes("buy_now")
def _bought(ctx: Ctx, form: Any, done: ToolResult) -> Step:
    return _placed(ctx, done)


def _placed(ctx: Ctx, done: ToolResult) -> Step:
    from agent.planners.local.policies.orders import order_ref

    orders = done.data.get("orders") or ([done.data["order"]] if isinstance(done.data.get("order"), dict) else [])
    refs = [order_ref({**o, "lines": ", ".join(f"{x.get('quantity')} × {x.get('part_number')}"
                                               for x in o.get("lines") or [])}) for o in orders]
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
    quantity = _quantity(ctx)
    return Call("add_to_cart", {**what, **({"quantity": quantity} if quantity else {})})


def cart_refs(found: ToolResult) -> list[Ref]:
    items = found.data.get("items") or []
    return [make_ref("cart_item", {**i, "organization_name": i.get("seller"), "price": i.get("unit_price")},
                     f"{i.get('quantity')} × {i.get('part_number')} {i.get('name') or ''} from "
                     f"{i.get('seller')}, {money(i.get('line_total'))}".replace("  ", " "))
            for i in items]


@policy("view_cart")
def view_cart(ctx: Ctx) -> Step:
    found = ctx.last("view_cart")
    if found is None:
        return Call("view_cart", {})
    if not found.ok:
        return failure(found, "open your cart")
    refs = cart_refs(found)
    if not refs:
        return say("Your cart is empty.")
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
    found = ctx.last("view_cart")
    if found is None:
        return Call("view_cart", {})
    if not found.ok:
        return failure(found, "open your cart")
    refs = cart_refs(found)
    if not refs:
        return say("Your cart is empty.")
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
    form = forms.new_form("checkout", **_terms(ctx))
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
