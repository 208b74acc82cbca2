"""Selling by conversation (sellers and parts managers): a listing drafted as a form (create_listing's own
arguments), published when asked ("go live") or kept a draft ("keep it a draft for now"), changed, taken
down, listed. Every write targets the listing in focus or one the user named; when that is unclear, ask."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.item_words import codes_fit, text_of
from agent.planners.local.dialogue.refs import make_ref, match, resolve
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.common import (
    content_words,
    described_winner,
    failure,
    named_part,
    search_query,
    target_part,
)
from agent.planners.local.policies.form_driver import finishes, start
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, awaiting, offer, policy, say
from agent.planners.local.render import condition, listing_item, listing_price
from tools.listings.marketplace import CLOSED_LISTING_STATUSES


def refusal(ctx: Ctx, action: str = "create or publish listings") -> Say:
    return say(f"Only sellers and parts managers can {action} for {ctx.env.organization}; you're set up as a "
               f"{ctx.env.role.replace('_', ' ')}. Ask your parts manager — or I can post a wanted request or find "
               "stock for you instead.")


@policy("create_listing")
def create_listing(ctx: Ctx) -> Step:
    if not ctx.env.can_sell:
        return refusal(ctx)
    form = ctx.state.form
    if form is None or form.name != "create_listing" or (named_part(ctx) is not None and form.values.get(
            "part_number") not in (None, ctx.said.value("part_number"))):
        form = forms.new_form("create_listing", listing_type="sale")
        part = named_part(ctx) or (target_part(ctx) if _points_at_part(ctx) else None)
        if part is not None:
            form.values["part_number"] = part.data.get("part_number")
    return start(ctx, form)


def _points_at_part(ctx: Ctx) -> bool:
    return bool(re.search(r"\b(it|this|that|one|them|these)\b", ctx.said.lowered))


@finishes("publish_listing")
def _published(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    return published(done)


def published(done: ToolResult) -> Say:
    listing = done.data.get("listing") or done.data
    return say(f"Live: {listing.get('quantity_available')} × {listing.get('part_number')} "
               f"{condition(listing.get('condition'))}, {listing_price(listing)}, visible to "
               f"{listing.get('visibility')}.")


def own_listing(ctx: Ctx, status: str | None = None) -> Ref | Step:
    """The caller's listing this message means: picked, named or in focus — else found among their listings
    (searched once); asks when several fit."""
    if ctx.ask.target is not None and ctx.ask.target.kind == "listing":
        return ctx.ask.target
    ref, _ = resolve(ctx.state, ctx.said, "listing")
    if ref is not None and (ref.data.get("is_own_listing") is not False) and _status_ok(ref, status) and \
            codes_fit(ref, ctx.said, models=True) and (status or _changeable(ctx, ref.data)):
        return ref
    mine = ctx.last("search_listings")
    if mine is None:
        args: dict[str, Any] = {"mine_only": True, "limit": 50}
        words = [*ctx.said.values("equipment_model"),
                 *(w for w in content_words(search_query(ctx)) if w not in _LISTING_TALK)]
        if ctx.said.value("part_number"):
            args["part_number"] = ctx.said.value("part_number")
        elif words:  # "the dover tape head": the seller's listings most like it first
            args["query"] = " ".join(words)
        if status:
            args["status"] = status
        return Call("search_listings", {k: v for k, v in args.items() if k != "status"})
    number = ctx.said.value("part_number")
    if mine.ok and not mine.data.get("results") and mine.args.get("part_number"):
        # "that lcecpu40 draft": a number none of our listings has may be the name its part goes by
        return Call("search_listings", {"mine_only": True, "limit": 50, "query": str(number)})
    said = ctx.said if mine.args.get("part_number") or not number else ctx.said.without_entity("part_number")
    rows = [r for r in mine.data.get("results") or []
            if r.get("status") == status or (not status and _changeable(ctx, r))]
    refs = [r for r in (make_ref("listing", row) for row in rows) if codes_fit(r, said, models=True)
            and _worded(r, str(mine.args.get("query") or ""))]
    hits = match(refs, said, allow_single=True)
    if not hits and ctx.ask.intent == "update_listing" and ctx.said.has("condition"):
        # "its really for parts, change that": the condition said is the change, not which listing
        hits = match(refs, ctx.said.without_entity("condition"), allow_single=True)
    hits = hits or ([] if _names_something(ctx) else refs)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        what = f"{status} " if status else ""
        return say(f"I can't find a {what}listing of yours that matches.", "Which listing — the part number?",
                   kind="question")
    top = hits[:5]
    return say("Which listing?", "", [listing_item(r.data) for r in top], numbered=True,
               listed=Listed(kind="listing", items=top, goal=ctx.ask.intent), kind="clarify")


_CHANGES = frozenset({"update_listing", "publish_listing", "cancel_listing"})


def _changeable(ctx: Ctx, row: dict[str, Any]) -> bool:
    """A closed listing is no target of a change, unless units go back on one that sold out (the tool's rule)."""
    if ctx.ask.intent not in _CHANGES or row.get("status") not in CLOSED_LISTING_STATUSES:
        return True
    return row.get("status") == "sold" and ctx.ask.intent == "update_listing" and ctx.said.has("quantity")


def _set_as_price(counts: list[str], lowered: str, price: object) -> str | None:
    """Of two counts said for one listing, the one set with "make it" near its price is the price."""
    try:
        now = float(str(price))
    except ValueError:
        return None
    said = [q for q in counts if 0.5 * now <= float(q) <= 2 * now and re.search(
        rf"\b(?:make it|change it to|put it at|bump it to|drop it to|set it to)\s+\$?{re.escape(q)}\b", lowered)]
    return said[0] if len(said) == 1 else None


def _worded(listing: Ref, query: str) -> bool:
    """A listing found by the seller's words has two of them ("the dover tape head"), not one ("board")."""
    words = set(content_words(query))
    return not words or len(words & set(content_words(text_of(listing)))) >= min(2, len(words))


def _names_something(ctx: Ctx) -> bool:
    amounts = ("price", "number", "quantity")
    return any(e.get("entity") not in amounts for e in ctx.said.entities) or \
        bool(re.search(r"\bthe [a-z0-9 -]+ one\b", ctx.said.lowered))


def _status_ok(ref: Ref, status: str | None) -> bool:
    return status is None or ref.data.get("status") in (None, status)


@policy("publish_listing")
def publish_listing(ctx: Ctx) -> Step:
    done = ctx.last("publish_listing")
    if done is not None:
        if not done.ok:
            return failure(done, "publish it", declined="OK — it stays a draft.")
        return published(done)
    if not ctx.env.can_sell:
        return refusal(ctx)
    form = ctx.state.form
    if form is not None and form.name == "create_listing":  # "go live" while drafting: finish the draft first
        form.after = "publish"
        from agent.planners.local.policies.form_driver import advance

        return advance(ctx, form)
    focus, _ = resolve(ctx.state, ctx.said, "listing")
    if ctx.ask.target is None and focus is not None and focus.data.get("status") == "active" and \
            focus.data.get("is_own_listing") is not False and not _names_something(ctx):
        return say(f"{focus.label} is already live.")  # "publish" again right after it went live
    target = own_listing(ctx, "draft")
    if not isinstance(target, Ref):
        return target
    if target.data.get("status") not in (None, "draft"):
        return say(f"{target.label} is already {target.data.get('status')}.")
    return Call("publish_listing", {"listing_id": target.id})


@policy("update_listing")
def update_listing(ctx: Ctx) -> Step:
    done = ctx.last("update_listing")
    if done is not None:
        if not done.ok:
            return failure(done, "change it", declined="OK — the listing stays as it was.")
        listing = done.data.get("listing") or {}
        return say(f"Updated: {listing_item(listing).title}.")
    if not ctx.env.can_sell:
        return refusal(ctx, "change listings")
    target = own_listing(ctx)
    if not isinstance(target, Ref):
        return target
    form = forms.new_form("update_listing")
    form.target = target
    forms.fill(form, ctx.said)
    counts = list(dict.fromkeys(ctx.said.values("quantity")))
    if len(counts) == 2 and "price" not in form.values:  # "i meant 30 of em not 3. and make it 37"
        priced = _set_as_price(counts, ctx.said.lowered, target.data.get("price"))
        if priced is None:
            return say(f"Which is the new quantity — {counts[0]} or {counts[1]}?", kind="question")
        form.values.update(price=priced, quantity=next(q for q in counts if q != priced))
    for field in [f for f, v in form.values.items() if str(target.data.get(f)) == str(v)]:
        del form.values[field]  # "knock the used good one down to 799": the condition picked it, it stays
    number = ctx.said.value("number")
    if not form.values and number:
        form.values["price"] = number
    if not form.values:
        return say(f"What should change on {target.label} — the price, quantity, condition or who can see it?",
                   kind="question")
    return Call("update_listing", forms.args(form, target.id))


@policy("cancel_listing")
def cancel_listing(ctx: Ctx) -> Step:
    done = ctx.last("cancel_listing")
    if done is not None:
        if not done.ok:
            return failure(done, "take it down", declined="OK — the listing stays up.")
        listing = done.data.get("listing") or {}
        return say(f"Taken down: {listing.get('part_number')} ({listing.get('status')}). {done.message}".strip())
    if not ctx.env.can_sell:
        return refusal(ctx, "take listings down")
    target = own_listing(ctx)
    if not isinstance(target, Ref):
        return target
    return Call("cancel_listing", {"listing_id": target.id})


@policy("my_listings")
def my_listings(ctx: Ctx) -> Step:
    found = ctx.last("search_listings")
    if found is None:
        args: dict[str, Any] = {"mine_only": True, "limit": 50}
        if ctx.said.value("part_number"):
            args["part_number"] = ctx.said.value("part_number")
        return Call("search_listings", args)
    if not found.ok:
        return failure(found, "list your listings")
    rows = found.data.get("results") or []
    said = {s: m.start() for s, m in ((s, re.search(rf"\b{w}\b", ctx.said.lowered)) for s, w in _STATUS_WORDS) if m}
    status = min(said, key=lambda s: said[s]) if said else None  # "that draft … why isn't it live": a draft
    if status:
        rows = [r for r in rows if r.get("status") == status]
    rows = _of_the_kind_said(ctx, rows)
    if not rows:
        return say(f"{ctx.env.organization} has no {status or ''} listings.".replace("  ", " "))
    named = described_winner(rows, ctx.said.text, among=len(rows)) if len(rows) > 1 else None
    if named is not None or (len(rows) == 1 and ctx.said.has("part_number", "manufacturer")):
        return _one_listing(ctx, named or rows[0])
    top = rows[:5]
    return say(f"Your {status + ' ' if status else ''}listings ({len(rows)}):", "", [listing_item(r) for r in top],
               numbered=True, listed=Listed(kind="listing", items=[make_ref("listing", r) for r in top]))


# A seller's words about the listing, not about the part: "that board i started a draft for, change that".
_LISTING_TALK = frozenset({"listed", "listing", "sale", "selling", "sell", "posted", "live", "stuff", "draft", "active",
                           "sold", "expired", "cancelled", "show", "what", "which", "have", "got", "right", "now",
                           "started", "drafted", "list", "post", "made", "make", "change", "changed", "really",
                           "its", "wont", "left", "nobody", "biting", "knock", "part", "drop", "down", "bump",
                           "price", "mark", "set", "switch", "only", "walk"})


def _of_the_kind_said(ctx: Ctx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"what contactors do i have listed": those of our listings the words describe (all when none fits)."""
    wanted = {w for w in content_words(ctx.said.text) if w not in _LISTING_TALK and not w.isdigit()}
    if not wanted or ctx.said.has("part_number"):
        return rows
    fitting = [r for r in rows if wanted & set(content_words(" ".join(str(r.get(k) or "") for k in (
        "name", "category", "manufacturer")).replace("_", " ")))]
    return fitting or rows


_STATUS_WORDS = (("draft", "drafts?"), ("active", "live|active"), ("sold", "sold"), ("expired", "expired"),
                 ("cancelled", "cancell?ed"))


def _one_listing(ctx: Ctx, row: dict[str, Any]) -> Say:
    """One of our listings, and what stands between a draft and going live."""
    ref = make_ref("listing", row)
    ctx.state.put_focus(ref)
    if row.get("status") != "draft":
        return say(f"{listing_item(row).title}.")
    needs = "a price" if row.get("listing_type") in ("sale", "emergency") and row.get("price") is None else ""
    blocker = f" It needs {needs} before it can go live." if needs else " It's ready; it just hasn't been published."
    return say(f"{listing_item(row).title} is still a draft.{blocker}",
               "What price per unit?" if needs else "Publish it now?",
               proposal=None if needs else offer("publish_listing", ref),
               awaits=awaiting("update_listing", "price", target=ref) if needs else None)
