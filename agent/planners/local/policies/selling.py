"""Drafting a listing by conversation (sellers and parts managers): part → condition → quantity → price (with
the suggest_price suggestion; for an auction: starting bid, duration, reserve) → fulfilment → photos (offering
the ones sent earlier) → create_listing (confirmed) → publish_listing (confirmed).

The draft travels in the planner's note on each question it asks, so a restart loses nothing."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, reply, target_part
from agent.planners.local.history import Turn
from agent.planners.local.policies import auction_draft
from agent.planners.local.policies.common import failure
from agent.planners.local.policies.pricing import suggestion_sentence
from agent.planners.local.render import condition, listing_line, money
from agent.planners.local.understand import bare_amount
from knowledge.partnumbers import normalize_part_number

ORDER = ("part", "condition", "quantity", "price", "fulfilment", "photos")
QUESTIONS = {
    "part": "Which part are you listing? The part number, please.",
    "condition": "What condition is it in: new, refurbished, used (excellent, good or fair), salvage or for parts?",
    "quantity": "How many units?",
    "fulfilment": "Shipping, local pickup, or both?",
    "photos": "Any photos? Send them now, or reply skip.",
}
_PRONOUN = re.compile(r"\b(it|this|that|these|them|this one|that one)\b", re.I)
_USE_PHOTOS = re.compile(r"\b(attach|use|add|include|keep)\b.{0,20}\b(it|that|those|them|photos?|pictures?|pics?)\b",
                         re.I)
_USE_SUGGESTED = re.compile(r"\b(suggest(ed|ion)?|that price|your price|sounds good|use (it|that)|go with)\b", re.I)


def refusal(env: Env, action: str = "create or publish listings") -> Step:
    return reply(f"Only sellers and parts managers can {action} for {env.organization}; you're set up as a "
                 f"{env.role.replace('_', ' ')}. Ask your parts manager, or I can post a wanted request or find "
                 "stock for you instead.")


def _draft(frame: Frame, ctx: Context, turn: Turn) -> dict[str, Any]:
    awaiting = (ctx.awaiting or {}).get("slot") if (ctx.awaiting or {}).get("kind") == "slot" else None
    draft: dict[str, Any] = dict(ctx.draft or {}) if (awaiting or ctx.draft) else {}
    slots, text = frame.slots, frame.text
    if slots.part_number:
        number = slots.part_number
        old = (draft.get("part") or {}).get("part_number")
        if old and normalize_part_number(old) != normalize_part_number(number) and awaiting != "part":
            draft = {}
        draft["part"] = {"part_number": number, **({"manufacturer": slots.part_makers[0]}
                                                    if slots.part_makers else {})}
    elif not draft.get("part") and (frame.ref or _PRONOUN.search(text)):
        part = target_part(frame, ctx)
        if part:
            draft["part"] = {k: part[k] for k in ("part_number", "manufacturer", "name") if part.get(k)}
    if slots.condition:
        draft["condition"] = slots.condition
    hint = ctx.suggestion or {}
    if draft.get("part") and hint.get("part_number") == draft["part"].get("part_number") and not draft.get(
            "condition"):
        # "what should I charge for a used one?" … "list it": keep the condition and the suggestion
        draft["condition"] = hint.get("condition")
        draft.setdefault("suggestion", {k: hint.get(k) for k in (
            "suggested_price", "low", "high", "confidence", "sample_size", "condition", "part_number")})
    if slots.quantity and not auction_draft.names_amount(text, slots.quantity):
        draft["quantity"] = slots.quantity
    elif awaiting == "quantity" and (slots.bare_number or bare_amount(text)):
        draft["quantity"] = int(float(slots.bare_number or bare_amount(text) or 1))
    if slots.listing_type in ("trade", "emergency", "auction"):
        draft["listing_type"] = slots.listing_type
    if draft.get("listing_type") == "auction":
        if draft.get("price") and not draft.get("starting_bid"):  # "…at $300" then "auction it instead"
            draft["starting_bid"] = draft.pop("price")
        draft.pop("price", None)
        auction_draft.read_terms(draft, frame, awaiting)
    elif slots.price is not None and awaiting != "quantity":
        draft["price"] = str(slots.price)
    elif awaiting == "price" and bare_amount(text):
        draft["price"] = bare_amount(text)
    elif awaiting == "price" and (slots.yes or _USE_SUGGESTED.search(text)) and draft.get("suggestion"):
        draft["price"] = str(draft["suggestion"]["suggested_price"])
    if slots.fulfilment:
        draft["fulfilment"] = [f for f in slots.fulfilment if f != "will_call"] or slots.fulfilment
    elif awaiting == "fulfilment" and re.search(r"\bboth\b|\beither\b", text, re.I):
        draft["fulfilment"] = ["shipping", "local_pickup"]
    offered = draft.pop("offered_photos", None)
    if turn.photo_ids:
        kept = draft.get("photos")
        draft["photos"] = [*(kept if isinstance(kept, list) else []), *turn.photo_ids]
    elif awaiting == "photos" and (slots.no or re.search(r"\b(skip|none|no photos?|later)\b", text, re.I)):
        draft["photos"] = "skipped"
    elif awaiting == "photos" and offered and (slots.yes or _USE_PHOTOS.search(text)):
        draft["photos"] = list(offered)
    if slots.visibility:
        draft["visibility"] = slots.visibility
    return draft


def _ask(slot: str, draft: dict[str, Any], head: str = "", earlier_photos: list[str] | None = None,
         question: str | None = None) -> Step:
    question = question or QUESTIONS.get(slot) or auction_draft.QUESTIONS.get(slot, "")
    if slot == "photos" and earlier_photos:
        draft = {**draft, "offered_photos": earlier_photos}
        one = len(earlier_photos) == 1
        question = (f"Attach the photo{'' if one else 's'} you sent earlier to the listing? Reply yes, send "
                    "other photos, or skip.")
    hint = draft.get("suggestion")
    if slot == "starting_bid" and hint:
        question += (f" For reference, a {condition(hint.get('condition'))} one sells for about "
                     f"{money(hint.get('suggested_price'))}.")
    if slot == "price":
        question = (f"What price per unit? {suggestion_sentence(hint)} Reply with a price, or 'use suggested'."
                    if hint else "What price per unit (USD)?")
    return reply(f"{head} {question}".strip(), awaiting={"kind": "slot", "slot": slot}, draft=draft)


def sell(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    if not env.can_sell:
        return refusal(env)
    created = turn.last("create_listing")
    draft = _draft(frame, ctx, turn)
    if created is not None:
        return created_reply(created.data, draft, env, created.args) if created.ok else (
            reply("OK — no listing created. Say 'create it' when you're ready.", draft=draft)
            if created.error == "declined" else failure(created, "create the listing"))
    part = draft.get("part")
    if not part:
        return _ask("part", draft)
    if not part.get("verified"):
        looked = turn.last("lookup_part")
        if looked is None:
            return Call("lookup_part", {k: part[k] for k in ("part_number", "manufacturer") if part.get(k)})
        matches = looked.data.get("matches", []) if looked.ok else []
        if not matches or matches[0].get("match_kind") == "fuzzy":
            guess = f" Did you mean {matches[0]['part_number']}?" if matches else ""
            draft.pop("part")
            return _ask("part", draft, f"I can't find {part['part_number']} in the catalog.{guess}")
        top = matches[0]
        draft["part"] = {"part_number": top["part_number"], "manufacturer": top["manufacturer"],
                         "name": top["name"], "verified": True}
    for slot in ORDER[1:]:
        if slot == "price" and draft.get("listing_type") == "auction":
            missing = auction_draft.next_question(draft)
            if missing is None:
                continue
            if missing[0] == "starting_bid" and "suggestion" not in draft:
                call = _suggestion(draft, turn)
                if call is not None:
                    return call
            return _ask(missing[0], draft, question=missing[1])
        if slot == "price" and not draft.get("price") and draft.get("listing_type") != "trade":
            if "suggestion" not in draft:
                call = _suggestion(draft, turn)
                if call is not None:
                    return call
            return _ask("price", draft)
        key = "fulfilment" if slot == "fulfilment" else slot
        if slot != "price" and not draft.get(key):
            return _ask(slot, draft, earlier_photos=_attachable(ctx, env) if slot == "photos" else None)
    return Call("create_listing", listing_args(draft, env))


def _suggestion(draft: dict[str, Any], turn: Turn) -> Call | None:
    """Ask suggest_price once; its answer (or None when there is none) goes into the draft."""
    suggested = turn.last("suggest_price")
    if suggested is None:
        return Call("suggest_price", {"part_number": draft["part"]["part_number"],
                                      "manufacturer": draft["part"]["manufacturer"], "condition": draft["condition"]})
    draft["suggestion"] = {k: suggested.data.get(k) for k in (
        "suggested_price", "low", "high", "confidence", "sample_size", "condition", "part_number")
    } if suggested.ok and suggested.data.get("suggested_price") else None
    return None


def _attachable(ctx: Context, env: Env) -> list[str] | None:
    """Photos the user sent earlier in the conversation (e.g. of the part they now sell), when listings can
    carry photos."""
    if not ctx.last_photo_ids or not (env.tools and env.accepts("create_listing", "photo_ids")):
        return None
    return list(ctx.last_photo_ids)


def listing_args(draft: dict[str, Any], env: Env) -> dict[str, Any]:
    part = draft["part"]
    args: dict[str, Any] = {
        "listing_type": draft.get("listing_type", "sale"), "part_number": part["part_number"],
        "manufacturer": part.get("manufacturer"), "condition": draft["condition"],
        "quantity": int(draft.get("quantity") or 1), "fulfillment_options": draft.get("fulfilment"),
    }
    if args["listing_type"] == "auction":
        args.update(auction_draft.auction_args(draft))
    elif draft.get("price"):
        args["price"] = str(draft["price"])
    if draft.get("visibility"):
        args["visibility"] = draft["visibility"]
    photos = draft.get("photos")
    if isinstance(photos, list) and photos and env.accepts("create_listing", "photo_ids") and env.tools:
        args["photo_ids"] = photos
    return {k: v for k, v in args.items() if v is not None}


def created_reply(data: Item, draft: dict[str, Any], env: Env, args: Item | None = None) -> Step:
    listing = data.get("listing", {})
    if listing.get("listing_type") == "auction" and args:
        head = f"Draft auction created: {_auction_line(listing, args)}."
    else:
        head = f"Draft listing created: {listing_line(listing)[0]}."
    attached = len(data.get("photo_ids") or [])
    if attached:
        head += f" {attached} photo{'s' if attached > 1 else ''} attached."
    photos = draft.get("photos")
    if isinstance(photos, list) and photos and not (env.tools and env.accepts("create_listing", "photo_ids")):
        head += " (Photos can't be attached to a listing from chat yet; add them in the web app.)"
    if data.get("ready_to_publish"):
        return reply(head, "Publish it now?", draft=None,
                     focus={"kind": "listing", "item": {"id": listing.get("id"), **_short(listing)}},
                     awaiting={"kind": "yesno", "proposal": {"intent": "publish",
                                                             "ref": {"kind": "listings", "item": {"id": listing.get(
                                                                 "id"), **_short(listing)}}}})
    missing = ", ".join(data.get("missing_before_publish") or [])
    return reply(head, f"Before it can go live it needs: {missing}.", draft=None)


def _auction_line(listing: Item, args: Item) -> str:
    reserve = f"reserve {money(args['reserve_price'])} (hidden from bidders)" if args.get("reserve_price") \
        else "no reserve"
    ends = str(listing.get("auction_end") or args.get("auction_end") or "")[:16].replace("T", " ")
    return (f"{listing.get('quantity_available')} × {listing.get('part_number')} "
            f"{condition(listing.get('condition'))}, starting bid {money(args.get('starting_bid'))}, {reserve}, "
            f"ends {ends} UTC — {listing.get('seller_organization')}, {listing.get('city')}")


def _short(listing: Item) -> Item:
    return {k: listing.get(k) for k in ("part_number", "condition", "price", "quantity_available", "status",
                                        "listing_type", "seller_organization", "is_own_listing")}


def publish(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    if not env.can_sell:
        return refusal(env)
    done = turn.last("publish_listing")
    if done is not None:
        if not done.ok:
            return failure(done, "publish it", declined="OK — it stays a draft.")
        listing = done.data.get("listing", {})
        return reply(f"Live: {listing_line(listing)[0]}, visible to {listing.get('visibility')}.",
                     focus={"kind": "listing", "item": _short(listing) | {"id": listing.get("id")}})
    listing = frame.ref_item("listings") or ctx.created_listing
    if listing is None and ctx.focus_listing and ctx.focus_listing.get("is_own_listing"):
        listing = ctx.focus_listing
    if listing is None:
        mine = turn.last("search_listings")
        if mine is None:
            return Call("search_listings", {"mine_only": True, "limit": 20})
        drafts = [x for x in mine.data.get("results", []) if x.get("status") == "draft"]
        if len(drafts) != 1:
            return reply(f"You have {len(drafts)} draft listings; which one? Tell me the part number.")
        listing = drafts[0]
    return Call("publish_listing", {"listing_id": listing["id"]})

