"""Price checks: is a listing's or a quoted price fair (assess_price), and what to ask for a part
(suggest_price)."""

from __future__ import annotations

from typing import Any

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, reply, target_listing, target_part
from agent.planners.local.history import Turn
from agent.planners.local.policies.common import failure
from agent.planners.local.render import condition, money

VERDICT_WORDS = {"below_market": "a great deal", "competitive": "a good price", "fair": "a fair price",
                 "above_market": "above average", "high": "high"}


def price_check(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    assessed = turn.last("assess_price")
    if assessed is not None:
        return present_assessment(assessed.data) if assessed.ok else failure(assessed, "judge that price")
    price = frame.slots.price
    part = target_part(frame, ctx) if frame.slots.part_numbers or price is not None else None
    if price is not None and part is not None:
        args: dict[str, Any] = {"part_number": part["part_number"], "price": str(price),
                                "condition": frame.slots.condition or "new"}
        if part.get("manufacturer"):
            args["manufacturer"] = part["manufacturer"]
        return Call("assess_price", args)
    listing = target_listing(frame, ctx)
    if listing and listing.get("id"):
        return Call("assess_price", {"listing_id": listing["id"]})
    quoted = _quoted(ctx, frame)
    if quoted is not None and price is None:
        return Call("assess_price", quoted)
    if price is not None:
        return reply(f"Which part is {money(price)} for, and in what condition?",
                     awaiting={"kind": "part", "goal": "price_check", "price": str(price)})
    return reply("Which price should I check? Tell me the part, condition and price, e.g. "
                 "'$420 for a used GAA26800LC1'.")


def _quoted(ctx: Context, frame: Frame) -> dict[str, Any] | None:
    """The price the user last saw: a shown listing or source, else the part's MSRP (as new)."""
    shown = ctx.shown_items("options") or ctx.shown_items("listings")
    priced = next((s for s in shown if s.get("price") is not None), None)
    if priced is not None and priced.get("price_kind") == "msrp":
        return {"part_number": priced["part_number"], "condition": "new", "price": str(priced["price"])}
    if priced is not None:
        listing_id = priced.get("listing_id") or (priced.get("id") if ctx.shown_items("listings") else None)
        if listing_id:
            return {"listing_id": listing_id}
        return {"part_number": priced["part_number"], "condition": priced.get("condition") or "new",
                "price": str(priced["price"])}
    part = target_part(frame, ctx)
    if part and part.get("msrp"):
        return {"part_number": part["part_number"], "condition": "new", "price": str(part["msrp"]),
                **({"manufacturer": part["manufacturer"]} if part.get("manufacturer") else {})}
    return None


def present_assessment(data: Item) -> Step:
    what = f"{money(data.get('price'))} for a {condition(data.get('condition'))} {data.get('part_number')}"
    if data.get("verdict") == "unknown":
        return reply(f"Not enough market data to judge {what} ({data.get('sample_size', 0)} data points).")
    label = VERDICT_WORDS.get(str(data.get("verdict")), str(data.get("label") or "").lower())
    trend = (data.get("history") or {}).get("trend_90d_pct")
    trend_text = f"; 90-day trend {trend:+.1f}%" if isinstance(trend, int | float) else ""
    head = (f"{what} is {label}: {data.get('ratio_to_market')}× the market price of "
            f"{money(data.get('market_price'))} ({data.get('sample_size')} data points{trend_text}).")
    return reply(head)


def suggest_price(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    suggested = turn.last("suggest_price")
    if suggested is not None:
        if not suggested.ok:
            return failure(suggested, "suggest a price")
        return reply(suggestion_sentence(suggested.data))
    part = target_part(frame, ctx)
    if part is None:
        return reply("Which part, and in what condition?", awaiting={"kind": "part", "goal": "suggest_price"})
    state = frame.slots.condition or (ctx.draft or {}).get("condition") or "used_good"
    args = {"part_number": part["part_number"], "condition": state}
    if part.get("manufacturer"):
        args["manufacturer"] = part["manufacturer"]
    return Call("suggest_price", args)


def suggestion_sentence(data: Item) -> str:
    low, high = data.get("low"), data.get("high")
    spread = f" (range {money(low)}–{money(high)})" if low and high else ""
    points = data.get("sample_size")
    basis = f", {points} recent data point{'s' if points != 1 else ''}" if points else ""
    return (f"Suggested {money(data.get('suggested_price'))} for a {condition(data.get('condition'))} "
            f"{data.get('part_number')}{spread}; {data.get('confidence')} confidence{basis}.")
