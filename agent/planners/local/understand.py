"""From the user's words to a Frame: the intent, its slots, and what a short answer ("2", "yes", "used",
"$400") means given what the planner last asked."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.context import Context
from agent.planners.local.frame import Env, Frame, pick_shown
from agent.planners.local.history import Turn
from agent.planners.local.intents import classify
from agent.planners.local.slots import extract

# Intents that leave a half-finished listing draft (anything else is an answer to the draft's question).
TOPIC_CHANGES = frozenset({"source", "closer", "compat", "list_offers", "make_offer", "market_search", "wanted",
                           "watch", "bid", "other_stock", "withdraw_offer", "accept_offer", "reject_offer",
                           "counter", "hold", "price_check"})
# Draft questions whose answers sound like bidding ("starting bid 150"), auctions ("a 7-day auction") or holds
# ("no reserve").
AUCTION_SLOTS = frozenset({"starting_bid", "duration", "reserve"})
# What choosing an item from a shown list means when the question did not say.
DEFAULT_GOAL = {"parts": "part_chosen", "options": "hold", "listings": "details", "offers": "offer_chosen"}
# "what about the 48TC?", "and for a Gen2?": the last question again with a new part or model.
_FOLLOW_UP = re.compile(r"^\s*(what|how) about\b|^\s*and (for |on |with )?(the |a |an )?\w|^\s*same (for|with)\b",
                        re.IGNORECASE)
REPEATABLE = frozenset({"compat", "source", "find_part", "price_info", "price_check", "market_search",
                        "suggest_price"})
_THE_X_ONE = re.compile(r"^\s*(the )?[\w&'-]+( [\w&'-]+)? (one|option)\s*[.?!]*\s*$", re.IGNORECASE)
_AMOUNT = re.compile(r"^\s*\$?\s*(\d[\d,]*(?:\.\d{1,2})?)\s*(k)?\s*(bucks|dollars|usd|each)?\s*[.!]?\s*$", re.I)


def bare_amount(text: str) -> str | None:
    match = _AMOUNT.match(text)
    if not match:
        return None
    value = float(match.group(1).replace(",", "")) * (1000 if match.group(2) else 1)
    return f"{value:.2f}"


def frame_from_note(note: dict[str, Any], turn: Turn, env: Env) -> Frame:
    """The frame a turn started with (stored on its first tool-calling message), slots re-read from the text."""
    return Frame(intent=note.get("intent", "unknown"), text=turn.text, slots=extract(turn.text, env.vocab),
                 photo_ids=turn.photo_ids, ref=note.get("ref"), extra=dict(note.get("extra") or {}))


def understand(turn: Turn, ctx: Context, env: Env) -> Frame:
    text = turn.text
    slots = extract(text, env.vocab)
    frame = Frame(intent="unknown", text=text, slots=slots, photo_ids=turn.photo_ids)
    classified = classify(text, slots) if text else None
    intent = classified.intent if classified else "unknown"
    strong = classified is not None and classified.source == "rule"

    if turn.amended is not None and not (strong and intent not in ("make_offer", "counter", "bid", "hold")):
        frame.intent, frame.extra = "amend", {"tool": turn.amended}
        return frame
    awaiting = ctx.awaiting or {}
    kind = awaiting.get("kind")
    auction_answer = awaiting.get("slot") in AUCTION_SLOTS and intent in ("bid", "market_search", "hold")
    if kind == "slot" and (turn.photo_ids or not strong or intent not in TOPIC_CHANGES or auction_answer):
        frame.intent = "sell"
        return frame
    if turn.photo_ids:
        frame.intent = "photo"
        frame.extra = {"goal": intent if intent in ("source", "compat", "price_info", "find_part") else None}
        return frame
    if kind == "choice" and _answer_choice(frame, ctx, intent, strong, awaiting):
        return frame
    if _answer_question(frame, kind, intent, strong, awaiting):
        return frame
    if (_FOLLOW_UP.search(text) and ctx.last_intent in REPEATABLE and not (strong and intent != "find_part")
            and (slots.part_numbers or slots.equipment or slots.conditions or slots.price is not None)):
        frame.intent = str(ctx.last_intent)
        return frame
    if intent == "select":
        picked = pick_shown(ctx, slots, text)
        if picked is None:
            frame.intent, frame.extra = "bad_choice", {"count": len(ctx.shown_items())}
            return frame
        frame.intent, frame.ref = DEFAULT_GOAL.get(str(picked["kind"]), "part_chosen"), picked
        if picked["kind"] == "options" and not picked["item"].get("inventory_item_id"):
            frame.intent = "make_offer"
        return frame
    frame.intent = intent
    return frame


def _carried(awaiting: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in awaiting.items() if k in ("price", "quantity", "emergency", "site") and v is not None}


def _answer_choice(frame: Frame, ctx: Context, intent: str, strong: bool, awaiting: dict[str, Any]) -> bool:
    """After "which one?": "2", "the Apex one", "the cheapest one", "yes" (when only one was listed)."""
    slots, text = frame.slots, frame.text
    picked = pick_shown(ctx, slots, text)
    if picked is None and (ctx.shown or {}).get("kind") == "options":
        picked = pick_shown(ctx, slots, text, pool=ctx.options)
    if picked is None and slots.yes and len(ctx.shown_items()) == 1:
        picked = {"kind": (ctx.shown or {}).get("kind"), "item": ctx.shown_items()[0]}
    pointing = intent in ("price_info", "closer") and bool(re.search(r"\b(one|option)\b", text, re.I))
    neutral = intent in ("select", "find_part", "source", "details")
    if picked is not None and (not strong or pointing or neutral or intent == awaiting.get("goal")):
        goal = awaiting.get("goal") or DEFAULT_GOAL.get(str(picked["kind"]), "part_chosen")
        if picked["kind"] == "options" and not picked["item"].get("inventory_item_id") and goal == "hold":
            goal = "make_offer"
        if strong and not pointing and not neutral:
            goal = intent  # "hold the second one", "offer 400 on the first one"
        frame.intent, frame.ref, frame.extra = goal, picked, _carried(awaiting)
        return True
    if picked is None and not strong and (slots.ordinal is not None or slots.bare_number is not None
                                          or _THE_X_ONE.match(text) or slots.yes):
        frame.intent, frame.extra = "bad_choice", {"count": len(ctx.shown_items())}
        return True
    return False


def _answer_question(frame: Frame, kind: str | None, intent: str, strong: bool, awaiting: dict[str, Any]) -> bool:
    """A short answer to a yes/no, an amount, or a "which part / which equipment?" question."""
    slots, text = frame.slots, frame.text
    if kind == "yesno" and (slots.yes or slots.no) and not strong:
        proposal = awaiting.get("proposal") or {}
        frame.intent = "decline" if slots.no else proposal.get("intent", "unknown")
        frame.ref, frame.extra = (None, {}) if slots.no else (proposal.get("ref"), dict(proposal.get("extra") or {}))
        return True
    if kind == "amount" and (bare_amount(text) or slots.price is not None) and (
            not strong or intent == awaiting.get("goal")):
        frame.intent, frame.ref = awaiting.get("goal", "unknown"), awaiting.get("ref")
        frame.extra = {"price": str(slots.price) if slots.price is not None else bare_amount(text)}
        return True
    if kind in ("part", "equipment") and not strong and (slots.part_numbers or slots.equipment or len(
            text.split()) >= 2):
        frame.intent, frame.extra = awaiting.get("goal", "find_part"), _carried(awaiting)
        return True
    return False
