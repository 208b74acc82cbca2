"""Small talk, help, refusals, "no thanks", and a user who answers a confirmation with a change
("make it $400") instead of yes or no."""

from __future__ import annotations

from typing import Any

from agent.planners.local.context import Context
from agent.planners.local.frame import Call, Env, Frame, Step, reply
from agent.planners.local.history import Turn
from agent.planners.local.intents import classify

HELP = ("I find parts by number, description, equipment model or nameplate photo; check fit; find the fastest "
        "stock (say if the unit is down); hold stock for pickup; check prices; and handle marketplace offers, "
        "listings, bids, watches and wanted posts.")

# Which argument of each WRITE tool a changed price or quantity lands on.
PRICE_ARG = {"submit_offer": "offered_price", "respond_to_offer": "counter_price", "place_bid": "max_bid",
             "create_listing": "price", "watch_listing": "price_alert_threshold", "create_wanted_post": "max_price",
             "update_listing": "price"}
QUANTITY_ARG = {"submit_offer": "quantity", "request_emergency_pickup": "quantity", "create_listing": "quantity",
                "create_wanted_post": "quantity_needed", "respond_to_offer": "counter_quantity"}
# The policy that renders each WRITE tool's result.
RESULT_INTENT = {"submit_offer": "make_offer", "place_bid": "bid",
                 "create_listing": "sell", "publish_listing": "publish", "watch_listing": "watch",
                 "create_wanted_post": "wanted", "request_emergency_pickup": "hold", "withdraw_offer": "withdraw_offer"}


def greet(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply("Hi! What part are you after? A part number, a description with the equipment model, or a "
                 "photo of the nameplate all work.")


def thanks(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply("Anytime. Anything else you need?")


def help_(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply(HELP)


def decline(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply("OK. Anything else?")


def ack(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply("OK. What would you like to do next?")


def unknown(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply("I didn't catch that. " + HELP)


def bad_choice(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    count = int(frame.extra.get("count") or 0)
    if not count:
        return reply("Which one do you mean? I haven't shown a list to choose from yet.")
    return reply(f"I only listed {count}; reply with a number from 1 to {count}." if count > 1 else
                 "I only listed one; reply 1 to take it.", shown=ctx.shown, awaiting=ctx.awaiting)


def other_stock(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    return reply("I can't show another company's internal stock. I can only show partner stock they've made "
                 "available to you (for sale or trade) and marketplace listings. Tell me the part and I'll "
                 "find where it's available.", awaiting={"kind": "part", "goal": "source"})


def amend(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    """The user answered "…? yes/no" with words. Apply a changed price or quantity and ask again;
    otherwise treat the words as a new request."""
    tool: dict[str, Any] = frame.extra.get("tool") or {}
    name, args = tool.get("name", ""), dict(tool.get("args") or {})
    done = turn.last(name) if name else None
    if done is not None:
        from agent.planners.local.policies import POLICIES

        intent = RESULT_INTENT.get(name, "unknown")
        if name == "respond_to_offer":
            intent = {"accept": "accept_offer", "reject": "reject_offer"}.get(str(args.get("action")), "counter")
        return POLICIES[intent](frame, ctx, turn, env)
    changes: dict[str, Any] = {}
    if frame.slots.price is not None and name in PRICE_ARG:
        changes[PRICE_ARG[name]] = str(frame.slots.price)
    if frame.slots.quantity and name in QUANTITY_ARG:
        changes[QUANTITY_ARG[name]] = frame.slots.quantity
    if frame.slots.condition and name == "create_listing":
        changes["condition"] = frame.slots.condition
    if changes or (frame.slots.yes and not frame.slots.no):
        return Call(name, {**args, **changes})  # asked again: only a plain yes to the summary runs a write
    intent = classify(frame.text, frame.slots).intent if frame.text else "unknown"
    if intent not in ("unknown", "find_part", "select", "ack"):
        from agent.planners.local.policies import POLICIES

        frame.intent, frame.extra = intent, {}
        return POLICIES.get(intent, unknown)(frame, ctx, turn, env)
    return reply("Not done. Say yes to go ahead with it, or tell me what to change (e.g. a different price or "
                 "quantity).")
