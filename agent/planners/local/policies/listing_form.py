"""Drafting a listing as create_listing's form: the part looked up in the catalog once, the suggested price
(or starting bid) offered, shipping or pickup, photos sent earlier offered to attach; for an auction the
starting bid, how long it runs and an optional reserve in place of the price, each asked again (saying why)
when the tool would refuse it; then the draft worded, and published when asked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from agent.planners.local.dialogue import answers, forms
from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.said import clauses
from agent.planners.local.dialogue.state import FormState
from agent.planners.local.policies.common import candidates, describes_part, search_query, winner
from agent.planners.local.policies.form_driver import ask, asks, checks, finishes, submits
from agent.planners.local.policies.places import location_id
from agent.planners.local.policies.pricing import suggestion_sentence
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, say, yes_no
from agent.planners.local.render import condition, listing_item, money
from agent.reply_draft import DraftChoice
from knowledge.clock import now
from knowledge.partnumbers import normalize_part_number


@checks("create_listing")
def _check_listing(ctx: Ctx, form: FormState) -> Step | None:
    """The part is in the catalog (looked up once); auction terms the tool would refuse are asked again,
    saying why; photos of the part sent earlier in the conversation are offered."""
    values = form.values
    if not values.get("part_number") and not form.hints.get("part_searched"):
        step = _part_from_words(ctx, form)
        if step is not None:
            return step
    number = values.get("part_number")
    if number and form.hints.get("part_checked") != number:
        step = _verify_part(ctx, form, str(number))
        if step is not None:
            return step
    step = _from_stock_there(ctx, form)
    if step is not None:
        return step
    if values.get("listing_type") == "auction":
        if values.get("price") is not None and "starting_bid" not in values:  # "…at $300" then "auction it"
            values["starting_bid"] = values.pop("price")
        values.pop("price", None)
        step = _check_auction(form)
        if step is not None:
            return step
    if "photo_ids" not in values and "photo_ids" not in form.asked_before:
        earlier = [r.id for r in ctx.state.pool("photo") if r.id and r.data.get("part_number") in (None, number)]
        answers.offer(form, "photo_ids", list(reversed(earlier)) or None)
    return None


def _part_from_words(ctx: Ctx, form: FormState) -> Step | None:
    """"gotta get the 2 GECB boards listed": the part a seller names by what it is, when the catalog has one
    clear best match (the confirmation names its number before anything is written); else the number is asked."""
    if not describes_part(ctx):
        form.hints["part_searched"] = True
        return None
    found = ctx.last("search_parts")
    if found is None:  # the first clause that says what it is ("… the 2 GECB boards listed, the refurb ones …"),
        # of those that say how many, in what shape or where from when any does ("DRAFT only, … put 2 of those …")
        clauses = [(search_query(ctx, m.group(), fallback=False), ctx.said.within(m.start(), m.end()))
                   for m in re.finditer(r"[^,.;!?]+", ctx.said.text)]
        queries = [q for q, part in clauses if q and part.has("quantity", "condition", "location")] or \
            [q for q, _ in clauses if q]
        return Call("search_parts", {"query": next(iter(queries), search_query(ctx)), "limit": 5})
    # superseded revisions fold into their successor: "at400 door ops" is the AT400, whichever revision matched
    best = winner(candidates(found), search_query(ctx)) if found.ok else None
    place = ctx.said.value("location")
    where = location_id(ctx, str(place)) if place else None
    if best is None and found.ok and len(candidates(found)) > 1 and where is not None:
        # "list 3 of the carrier 40/5 caps from the shop": of the parts the words fit, the one stocked there
        looked = {number: r for number, r in _stock_looked_up(ctx, where).items() if r.ok}
        fits = candidates(found)[:5]
        unlooked = [p for p in fits if normalize_part_number(str(p.get("part_number"))) not in looked]
        if unlooked:
            return Call("list_stock", {"limit": 5, "part_number": unlooked[0]["part_number"], "location_id": where})
        ours = [p for p in fits if looked[normalize_part_number(str(p.get("part_number")))].data.get("items")]
        makers = {m.lower() for m in ctx.said.values("manufacturer")}
        ours = [p for p in ours if str(p.get("manufacturer") or "").lower() in makers] or ours  # "the carrier …"
        best = ours[0] if len(ours) == 1 else None
    form.hints["part_searched"] = True
    if best is not None:
        form.values["part_number"] = best["part_number"]
        form.values.setdefault("manufacturer", best.get("manufacturer"))
    return None


def _from_stock_there(ctx: Ctx, form: FormState) -> Call | None:
    """"put 2 of those lcefcb floor boards sitting in the denver health cage up for sale": the listing sells that
    place's stock of the part (its condition, unless another was said), when the place holds one such item."""
    place, number = ctx.said.value("location"), form.values.get("part_number")
    if not place or not number or form.values.get("inventory_item_id") or form.hints.get("stock_checked") == number:
        return None
    where = location_id(ctx, str(place))
    looked = _stock_looked_up(ctx, where).get(normalize_part_number(str(number)))
    if where is not None and looked is None:
        return Call("list_stock", {"limit": 5, "part_number": number, "location_id": where})
    form.hints["stock_checked"] = number
    said = form.values.get("condition")
    items = [i for i in ((looked.data.get("items") or []) if looked and looked.ok else [])
             if said in (None, i.get("condition"))]
    if len(items) == 1:
        form.values["inventory_item_id"] = items[0]["id"]
        form.values.setdefault("condition", items[0]["condition"])
    return None


def _stock_looked_up(ctx: Ctx, where: str | None) -> dict[str, ToolResult]:
    """This turn's stock lookups at one place, by normalised part number (the newest of each)."""
    return {normalize_part_number(str(r.args.get("part_number"))): r for r in ctx.results
            if r.name == "list_stock" and r.args.get("location_id") == where}


def _verify_part(ctx: Ctx, form: FormState, number: str) -> Step | None:
    known = ctx.state.focus.get("part")
    if known is not None and known.data.get("part_number") == number and known.data.get("name"):
        form.hints["part_checked"] = number
        if known.data.get("manufacturer"):
            form.values.setdefault("manufacturer", known.data["manufacturer"])
        return None
    looked = next((r for r in reversed(ctx.results) if r.name == "lookup_part"
                   and r.args.get("part_number") == number), None)
    if looked is None:
        return Call("lookup_part", {"part_number": number, **({"manufacturer": form.values["manufacturer"]}
                                                              if form.values.get("manufacturer") else {})})
    matches = (looked.data.get("matches") or []) if looked.ok else []
    if not matches:
        step = _named_by_model(ctx, number)
        if isinstance(step, Call):
            return step
        matches = [step] if step else []
    if not matches or matches[0].get("match_kind") in ("fuzzy", "described"):
        form.values.pop("part_number", None)
        slot = forms.slot_of(form.name, "part_number")
        assert slot is not None
        if not matches:
            return ask(form, slot, f"I can't find {number} in the catalog.", correcting=True)
        answers.offer(form, "part_number", matches[0]["part_number"])  # "yes" takes the guess
        form.hints["typed_part_number"] = number  # "no, the number is right" keeps what they typed
        return ask(form, slot, f"I can't find {number} in the catalog.", correcting=True,
                   question=f"Did you mean {_number_and_name(matches[0])}? Say yes, or give me the part number.")
    top = matches[0]
    form.values.update(part_number=top["part_number"], manufacturer=top["manufacturer"])
    form.hints["part_checked"] = top["part_number"]
    ctx.state.put_focus(make_ref("part", top))
    return None


def _number_and_name(part: dict[str, Any]) -> str:
    name = " ".join(str(part.get(k) or "") for k in ("manufacturer", "name")).strip()
    return f"{part['part_number']} ({name})" if name else str(part["part_number"])


def _named_by_model(ctx: Ctx, number: str) -> Call | dict[str, Any] | None:
    """"pulled a kone v3f16l drive off the monospace mod": what looks like a part number is a model name; the
    catalog part its clause describes, when one clearly fits (offered, never taken unasked)."""
    clause = next((c for c in clauses(ctx.said.text) if number.lower() in c.lower()), "")
    words = search_query(ctx, clause, fallback=False)
    if not clause or len(words.split()) < 2:
        return None
    searched = next((r for r in reversed(ctx.results) if r.name == "search_parts" and r.args.get("query") == words),
                    None)
    if searched is None:
        return Call("search_parts", {"query": words, "limit": 5})
    best = winner(candidates(searched), words) if searched.ok else None
    return {**best, "match_kind": "described"} if best else None


def _check_auction(form: FormState) -> Say | None:
    from tools.listings.rules import MAX_AUCTION_DAYS

    values, why, field = form.values, "", ""
    end = values.get("auction_end")
    if end and datetime.fromisoformat(str(end)) > now() + timedelta(days=MAX_AUCTION_DAYS, minutes=5):
        why, field = f"Auctions run up to {MAX_AUCTION_DAYS} days.", "auction_end"
    elif end and datetime.fromisoformat(str(end)) <= now() + timedelta(hours=1):
        why, field = "An auction has to run at least a day.", "auction_end"
    reserve, start_bid = values.get("reserve_price"), values.get("starting_bid")
    if not why and reserve is not None and start_bid is not None and Decimal(str(reserve)) < Decimal(str(start_bid)):
        why, field = f"The reserve can't be below the starting bid ({money(start_bid)}).", "reserve_price"
    slot = forms.slot_of(form.name, field) if why else None
    if slot is None:
        return None
    values.pop(field, None)
    return ask(form, slot, why, correcting=True)


@asks("create_listing")
def _ask_listing(ctx: Ctx, form: FormState, slot: forms.Slot) -> Step | None:
    if slot.suggest and form.values.get("condition") and form.values.get("part_number"):
        sentence = ""
        if "suggested" not in form.hints:
            suggested = ctx.last("suggest_price")
            if suggested is None:
                return Call("suggest_price", {"part_number": form.values["part_number"],
                                              "condition": form.values["condition"]})
            good = suggested.ok and suggested.data.get("suggested_price")
            form.hints["suggested"] = str(suggested.data["suggested_price"]) if good else None
            sentence = suggestion_sentence(suggested.data) if good else ""
        if not form.hints.get("suggested"):
            return ask(form, slot)
        answers.offer(form, slot.field, form.hints["suggested"])
        price = f"use suggested ({money(form.hints['suggested'])})" if not sentence else "use suggested"
        return ask(form, slot, sentence, f"{slot.question} Give me an amount, or say {price}.")
    if slot.field == "fulfillment_options":
        answers.offer(form, slot.field, ["shipping", "local_pickup"], by="all")
        return ask(form, slot, choices=[DraftChoice(label="Shipping", say="shipping"),
                                        DraftChoice(label="Local pickup", say="local pickup"),
                                        DraftChoice(label="Both", say="both")])
    offered = answers.offers(form).get(slot.field)
    if slot.field == "photo_ids" and offered:
        these = "the photo" if len(offered["value"]) == 1 else f"the {len(offered['value'])} photos"
        return ask(form, slot, question=f"Attach {these} you sent earlier to the listing? Say yes, send other "
                   "photos, or skip.", choices=yes_no("Attach", "Skip"))
    return None


@submits("create_listing")
def _submit_listing(ctx: Ctx, form: FormState) -> Step:
    args = forms.args(form)
    if not args.get("photo_ids"):
        args.pop("photo_ids", None)
    return Call("create_listing", args)


@finishes("create_listing")
def _listing_created(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    data = done.data
    listing = make_ref("listing", data.get("listing") or {})
    ctx.state.put_focus(listing)
    line = _auction_line(data.get("listing") or {}, done.args) if done.args.get("listing_type") == "auction" \
        else listing_item(data.get("listing") or {}).title
    what = "auction" if done.args.get("listing_type") == "auction" else "listing"
    photos = len(data.get("photo_ids") or [])
    attached = f" {photos} photo{'s' if photos != 1 else ''} attached." if photos else ""
    missing = data.get("missing_before_publish") or []
    if form.after == "draft" or missing:
        todo = f" Before it can go live it needs: {', '.join(missing)}." if missing else ""
        return say(f"Saved as a draft {what}: {line}.{attached}{todo}",
                   "" if missing else "Say publish it when you want it live.")
    if form.after == "publish":
        ctx.state.form = FormState(name="publish_listing", tool="publish_listing", target=listing)
        return Call("publish_listing", {"listing_id": listing.id})
    return say(f"Draft {what} created: {line}.{attached}", "Publish it now?",
               proposal=offer("publish_listing", listing), choices=yes_no("Publish", "Keep as draft"))


def _auction_line(listing: dict[str, Any], args: dict[str, Any]) -> str:
    reserve = f"reserve {money(args['reserve_price'])} (hidden from bidders)" if args.get("reserve_price") \
        else "no reserve"
    ends = str(listing.get("auction_end") or args.get("auction_end") or "")[:16].replace("T", " ")
    return (f"{listing.get('quantity_available')} × {listing.get('part_number')} "
            f"{condition(listing.get('condition'))}, starting bid {money(args.get('starting_bid'))}, {reserve}, "
            f"ends {ends} UTC")
