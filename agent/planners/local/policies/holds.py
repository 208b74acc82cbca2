"""Our holds: setting units aside at a counter or on a colleague's truck (the source picked, named or the
nearest that can hold), the pickup code, until when, the place's hours; the holds we have, and letting one go."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref, match, match_besides_spurned, resolve
from agent.planners.local.dialogue.said import clause_spans
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.common import describes_part, failure, target_part, written
from agent.planners.local.policies.sourcing import (
    described_part,
    holdable,
    inventory_args,
    inventory_of,
    outside_only,
)
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, policy, say
from agent.planners.local.render import option_where
from agent.reply_draft import DraftItem


@policy("my_holds")
def my_holds(ctx: Ctx) -> Step:
    found = ctx.last("list_holds")
    if found is None:
        if "list_holds" not in ctx.env.tools:
            return say("I can't list holds yet.")
        team = _TEAM.search(ctx.said.lowered) or ctx.said.has("person")  # "what holds has the crew got"
        return Call("list_holds", {"scope": "organization"} if team else {})
    if not found.ok:
        return failure(found, "list your holds")
    holds = found.data.get("holds") or found.data.get("items") or []
    if not holds:
        return say("Nothing on hold." if found.args.get("scope") == "organization" else "You have nothing on hold.")
    refs = _hold_refs(holds)
    named = match(refs, ctx.said) if ctx.said.has("organization", "part_number", "location", "manufacturer") else []
    if len(named) == 1 or len(refs) == 1:  # "my pickup code for the batteries at keystone"
        hold = (named or refs)[0]
        ctx.state.put_focus(hold)
        where = ", ".join(str(x) for x in (hold.data.get("location_name"), hold.data.get("address")) if x)
        hours = f" Hours: {hold.data['pickup_hours']}." if hold.data.get("pickup_hours") else ""
        return say(f"Pickup code {hold.data.get('pickup_code')}: {_hold_line(hold.data)}. At {where}.{hours}")
    refs = named or refs[:6]
    headline = "Holds:" if found.args.get("scope") == "organization" else "Your holds:"
    return say(headline, "", [DraftItem(kind="hold", title=r.label) for r in refs], numbered=len(refs) > 1,
               listed=Listed(kind="hold", items=refs, goal="cancel_hold"))


def _hold_refs(holds: list[dict[str, Any]]) -> list[Ref]:
    return [make_ref("hold", {**h, "id": h.get("hold_id") or h.get("id")}, _hold_line(h)) for h in holds]


def _hold_line(h: dict[str, Any]) -> str:
    whose = f" for {h['held_by']}" if h.get("held_by") and h.get("is_yours") is False else ""
    return (f"{h.get('quantity')} × {h.get('part_number')} at {h.get('location_name') or h.get('organization_name')}"
            f"{whose}, code {h.get('pickup_code')}, until {str(h.get('expires_at') or '')[11:16]} UTC "
            f"({h.get('status')})")


_TEAM = re.compile(r"\b(?:crew|team|everyone|everybody|our guys|the guys|techs|anyone|anybody|whole shop|all of us)\b")


_EVERY = re.compile(r"\b(?:all|every|each|both)\b(?:\s+(?:of\s+)?(?:my|our|the|them|those|em))?(?:\s+holds?)?")


def _release_every(ctx: Ctx) -> Step:
    """"release all my holds": each active hold let go in turn, each confirmed on its own."""
    listed = ctx.last("list_holds")
    if listed is None:
        return Call("list_holds", {})
    if not listed.ok:
        return failure(listed, "list your holds")
    done = [r for r in ctx.results if r.name == "cancel_hold"]
    refused = next((r for r in done if not r.ok), None)
    if refused is not None:
        return failure(refused, "release it", declined="OK — the rest stay on hold.")
    released = {str(r.args.get("hold_id")) for r in done}
    left = [h for h in _hold_refs(listed.data.get("holds") or []) if h.data.get("status") in (None, "active")
            and h.data.get("is_yours") is not False and h.id not in released]
    if left:
        return Call("cancel_hold", {"hold_id": left[0].id})
    if not done:
        return say("You have no active holds.")
    return say(f"Released {len(done)} hold{'s' if len(done) != 1 else ''}:", "",
               [DraftItem(kind="hold", title=r.message) for r in done])


@policy("cancel_hold")
def cancel_hold(ctx: Ctx) -> Step:
    if ctx.ask.target is None and _EVERY.search(ctx.said.lowered) and not ctx.said.has("part_number", "organization"):
        return _release_every(ctx)
    done = written(ctx, "cancel_hold", "release it", "OK — the hold stays.", "Released.")
    if done is not None:
        return done
    target = ctx.ask.target if ctx.ask.target is not None and ctx.ask.target.kind == "hold" else None
    if target is None:
        target, _ = resolve(ctx.state, ctx.said, "hold")
    if target is None:
        listed = ctx.last("list_holds")
        if listed is None:
            return my_holds(ctx)
        refs = _hold_refs([h for h in listed.data.get("holds") or listed.data.get("items") or []
                           if h.get("status") in (None, "active")])
        hits = match(refs, ctx.said, allow_single=True) or _named_in_one_clause(ctx, refs)
        if len(hits) != 1:
            if not refs:
                return say("You have no active holds.")
            return say("Which hold?", "", [DraftItem(kind="hold", title=r.label) for r in refs[:6]], numbered=True,
                       listed=Listed(kind="hold", items=refs[:6], goal="cancel_hold"), kind="clarify")
        target = hits[0]
    return Call("cancel_hold", {"hold_id": target.id})


def _named_in_one_clause(ctx: Ctx, refs: list[Ref]) -> list[Ref]:
    """"let the keystone hold go, found one on derek's truck": the hold one clause names, the rest says why."""
    named: dict[str | None, Ref] = {}
    for start, end in clause_spans(ctx.said.text):
        said = ctx.said.within(start, end)
        hits = match(refs, said) if said.entities else []
        if len(hits) == 1:
            named[hits[0].id] = hits[0]
    return list(named.values())


@policy("hold")
def hold(ctx: Ctx) -> Step:
    held = ctx.last("request_emergency_pickup")
    if held is not None:
        return _held(held)
    option = _option_to_hold(ctx)
    if isinstance(option, Call | Say):
        return option
    if not option.data.get("inventory_item_id"):
        seller = option.data.get("organization_name") or "the seller"
        return say(f"That one is a marketplace listing by {seller}, so it can't be held. I can send an offer "
                   f"instead.", "What price per unit?", kind="question",
                   proposal=offer("make_offer", Ref(kind="listing", id=str(option.data.get("listing_id")),
                                                     data={**option.data, "id": option.data.get("listing_id")})))
    want = int(ctx.said.value("quantity") or ctx.ask.values.get("quantity") or 1)
    have = option.data.get("quantity_available")
    if have is not None and want > int(have):
        return say(f"Not enough stock: {option_where(option.data)} has {have}, not {want}. Nothing was held.",
                   f"Hold {have} instead?", proposal=offer("hold", option, quantity=int(have)))
    args: dict[str, Any] = {"inventory_item_id": option.data["inventory_item_id"], "quantity": want}
    hours = ctx.said.value("hours")
    if hours and 1 <= int(hours) <= 24:
        args["hold_hours"] = int(hours)
    return Call("request_emergency_pickup", args)


_THERE = re.compile(r"\b(there|those|that one|them)\b")


def _option_to_hold(ctx: Ctx) -> Ref | Call | Say:
    if ctx.ask.target is not None and ctx.ask.target.kind == "option":
        return ctx.ask.target
    stock = ctx.state.focused("stock") if ctx.state.focus_kind == "stock" else None
    if stock is not None and _THERE.search(ctx.said.lowered) and not ctx.said.has("part_number", "location", "city"):
        # "we got any in the cage?" … "hold 2 there": that stock item, not the nearest source
        return make_ref("option", {**stock.data, "inventory_item_id": stock.id})
    sourcing = ctx.state.sourcing
    part = target_part(ctx)
    fresh = ctx.last("find_inventory")
    # a part described this turn is found again from the search: its stock may have been looked up among others'
    # to tell apart parts the words fit equally (sourcing.py), the last look-up need not be its
    if ctx.called("search_parts") or (fresh is None and (
            sourcing is None or (ctx.said.has("part_number") and part is not None and
                                 str(part.data.get("part_number")) != str(sourcing.get("part_number"))))):
        if part is None and not describes_part(ctx):
            return say("Which part should I hold?", kind="question")
        # once searched, the part is the one the words describe, not the focus a look-up among them moved
        described = described_part(ctx, "hold") if ctx.called("search_parts") else part or described_part(ctx, "hold")
        if not isinstance(described, Ref):
            return described
        fresh = inventory_of(ctx, described.data)
        if fresh is None:
            return Call("find_inventory", inventory_args(ctx, described))
    found = fresh.data if fresh else sourcing or {}
    options = outside_only(ctx, found.get("part_number"), list(found.get("options") or []))
    if fresh is not None and not fresh.ok:
        return failure(fresh, "look for stock")
    pool = [make_ref("option", o) for o in options]
    naming = ctx.said.has("organization", "person", "city", "location", "condition", "choice")
    named = match_besides_spurned(pool, ctx.said) if naming else []  # "dereks using his. the one at keystone"
    if naming and not named:  # never fall back to another source than the one the user named
        what = sourcing.get("part_number") if sourcing else "it"
        return say(f"I don't see {what} at the place you named.", "Which source should I hold it at?",
                   kind="clarify")
    can_hold = [r for r in named or pool if holdable(r.data, ctx.env.name)]
    if named and not can_hold:
        return named[0]
    if not can_hold:
        return _nothing_to_hold(ctx, pool)
    return can_hold[0]


def _nothing_to_hold(ctx: Ctx, pool: list[Ref]) -> Ref | Say:
    """No counter stock to set aside: a listing (hold() offers an offer instead), or our own truck (nothing to
    hold: it is ours), or nothing."""
    listing = next((r for r in pool if r.data.get("listing_id")), None)
    if listing is not None:
        return listing
    truck = next((r.data for r in pool if r.data.get("source_type") == "own_truck"), None)
    if truck is not None:
        first = ctx.env.name.split()[0].lower() if ctx.env.name else ""
        whose = "your own truck" if first and first in str(truck.get("location_name")).lower() else "one of your trucks"
        return say(f"{truck.get('location_name')} has {truck.get('quantity_available')} × {truck.get('part_number')}"
                   f" — {whose}, so there's nothing to hold.")
    return say("I found no stock of it to hold.", "Want me to post a wanted request?",
               proposal=offer("create_wanted", target_part(ctx)))


def _held(held: ToolResult) -> Say:
    if not held.ok:
        return failure(held, "hold it", declined="OK — nothing is held.")
    d = held.data
    place = ", ".join(x for x in (d.get("address"), d.get("city")) if x)
    expires = str(d.get("expires_at", ""))[11:16]
    headline = (f"Held {d['quantity']} × {d['part_number']} at {d['organization_name']} – {d['location_name']}"
                f"{' (' + place + ')' if place else ''}. Pickup code {d['pickup_code']}, valid until {expires} UTC.")
    extras = [f"Hours {d['pickup_hours']}" if d.get("pickup_hours") else "",
              f"contact {d['contact_name']} {d.get('contact_phone') or ''}".strip() if d.get("contact_name") else ""]
    tail = "; ".join(x for x in extras if x)
    return say(headline, notes=[f"{tail[0].upper()}{tail[1:]}."] if tail else [])
