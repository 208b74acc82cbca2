"""Prices: what it costs (the sources or the listing in view), whether a price is fair (assess_price), what to
ask for a part (suggest_price), and how the market is moving (market_insights)."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.common import describes_part, failure, in_view, part_args, target_part
from agent.planners.local.policy import Call, Ctx, Step, ToolResult, offer, policy, say
from agent.planners.local.render import condition, money, option_item
from tools.rules.wording import counted

VERDICT_WORDS = {"below_market": "a great deal", "competitive": "a good price", "fair": "a fair price",
                 "above_market": "above average", "high": "high"}

# "is it legit?" answered first in a word, then why
_ANSWER = {"below_market": "Yes, fair and then some — ", "competitive": "Yes, fair — ", "fair": "Yes — ",
           "above_market": "On the high side — ", "high": "No, too high — "}


def _priced_target(ctx: Ctx) -> Ref | None:
    """A listing or a source the message (or the conversation) points at, when it has a price."""
    if ctx.said.has("part_number"):
        return None
    ref = in_view(ctx, "listing", "option")
    return ref if ref is not None and ref.data.get("price") is not None else None


# "whats shipping on it": what it costs to get it, which the listing's terms say
_GETTING_IT = re.compile(r"\b(ship|ships|shipping|shipped|deliver|delivery|delivered|freight|send it)\b")


@policy("price_info")
def price_info(ctx: Ctx) -> Step:
    item = _priced_target(ctx)
    if item is not None and item.kind == "listing" and item.id and _GETTING_IT.search(ctx.said.lowered):
        got = ctx.last("get_listing")
        if got is None:
            return Call("get_listing", {"listing_id": item.id})
        if got.ok:
            from agent.planners.local.policies.market import present_listing

            return present_listing(ctx, got.data)
    if item is not None:
        ctx.state.put_focus(item)  # "whats apex want for theirs?" … "offer megan 4700 on it"
        seller = item.data.get("seller_organization") or item.data.get("organization_name")
        city = f", {item.data['city']}" if item.data.get("city") else ""
        return say(f"{item.data.get('part_number')} {condition(item.data.get('condition'))}: "
                   f"{money(item.data['price'])} from {seller}{city}.", "Want me to check whether that's a fair price?",
                   proposal=offer("price_check", item))
    part = target_part(ctx)
    if part is None and (ctx.said.has("organization") or describes_part(ctx)):
        return _listed_price(ctx)  # "what's metro asking for that refurb LCB II"
    if part is None:
        return say("Price of which part?", kind="question")
    found = ctx.last("find_inventory")
    sourcing = ctx.state.sourcing
    same = sourcing is not None and str(sourcing.get("part_number")) == str(part.data.get("part_number"))
    if found is None and not same:
        return Call("find_inventory", {**part_args(part), "quantity": int(ctx.said.value("quantity") or 1)})
    if found is not None and not found.ok:
        return failure(found, "look up prices")
    data: dict[str, Any] = found.data if found is not None else dict(sourcing or {})
    wanted = ctx.said.values("condition")
    priced = [o for o in data.get("options") or [] if o.get("price") is not None
              and (not wanted or str(o.get("condition")) in wanted)]
    if not priced:
        listed = f" {part.data.get('part_number')} lists at {money(part.data['msrp'])} new." if part.data.get(
            "msrp") else ""
        return say(f"No price on record for {data.get('part_number')} from the sources I can see.{listed}")
    priced.sort(key=lambda o: float(o["price"]))
    sellers = _sellers_named(ctx)
    theirs = [o for o in priced if str(o.get("organization_name") or "").lower() in sellers]
    if len(theirs) == 1:  # "what's metro asking for …" … "offer em 100": Metro's is the one talked about
        ctx.state.put_focus(make_ref("option", theirs[0]))
    top = priced[:3]
    return say(f"Prices for {data.get('part_number')}, cheapest first:", "Want me to hold or offer on one?",
               [option_item(o) for o in top], numbered=True,
               listed=Listed(kind="option", items=[make_ref("option", o) for o in top]))


@policy("price_check")
def price_check(ctx: Ctx) -> Step:
    assessed = ctx.last("assess_price")
    if assessed is not None:
        return present_assessment(assessed.data) if assessed.ok else failure(assessed, "judge that price")
    price = ctx.said.value("price") or ctx.said.value("number")
    part = target_part(ctx) if ctx.said.has("part_number") or price is not None else None
    if price is not None and part is not None:
        args: dict[str, Any] = {**part_args(part), "price": str(price),
                                "condition": ctx.said.value("condition") or "new"}
        return Call("assess_price", args)
    item = _priced_target(ctx) or ctx.state.focused("listing")
    if item is not None and item.kind == "listing" and item.id:
        return Call("assess_price", {"listing_id": item.id})
    if item is not None and item.data.get("listing_id"):  # a source that is a marketplace listing: that listing
        return Call("assess_price", {"listing_id": str(item.data["listing_id"])})
    if item is not None and item.data.get("price") is not None:
        return Call("assess_price", {"part_number": item.data.get("part_number"), "price": str(item.data["price"]),
                                     "condition": item.data.get("condition") or "new"})
    if price is not None:
        return say(f"Which part is {money(price)} for, and in what condition?", kind="question")
    return say("Which price should I check?", "Tell me the part, its condition and the price, e.g. $420 for a "
               "used GAA26800LC1.", kind="question")


def present_assessment(data: dict[str, Any]) -> Step:
    what = f"{money(data.get('price'))} for a {condition(data.get('condition'))} {data.get('part_number')}"
    if data.get("verdict") == "unknown":
        return say(f"Not enough market data to judge {what} ({data.get('sample_size', 0)} data points).")
    label = VERDICT_WORDS.get(str(data.get("verdict")), str(data.get("label") or "").lower())
    trend = (data.get("history") or {}).get("trend_90d_pct")
    trend_text = f"; 90-day trend {trend:+.1f}%" if isinstance(trend, int | float) else ""
    lead = _ANSWER.get(str(data.get("verdict")), "")
    return say(f"{lead}{what} is {label}: {data.get('ratio_to_market')}× the market price of "
               f"{money(data.get('market_price'))} ({data.get('sample_size')} data points{trend_text}).")


@policy("suggest_price")
def suggest_price(ctx: Ctx) -> Step:
    suggested = ctx.last("suggest_price")
    if suggested is not None:
        if not suggested.ok:
            listed = _on_the_market(ctx, suggested) if suggested.error == "not_found" else None
            return listed or failure(suggested, "suggest a price")
        form = ctx.state.form
        if form is not None and form.tool == "create_listing":
            form.hints["suggested"] = str(suggested.data.get("suggested_price"))
        return say(suggestion_sentence(suggested.data))
    form = ctx.state.form
    part = target_part(ctx)
    if part is None and form is not None and form.values.get("part_number"):
        part = make_ref("part", {"part_number": form.values["part_number"]})
    if part is None:
        return say("Which part, and in what condition?", kind="question")
    state = ctx.said.value("condition") or (form.values.get("condition") if form else None) or "used_good"
    return Call("suggest_price", {**part_args(part), "condition": state})


def _on_the_market(ctx: Ctx, failed: ToolResult) -> Step | None:
    """A number the catalog does not know ("what's BLD-HV-7710 going for?"): what it is listed at."""
    number = failed.args.get("part_number")
    listed = ctx.last("search_listings")
    if listed is None:
        return Call("search_listings", {"limit": 10, "part_number": number})
    rows = listed.data.get("results") or [] if listed.ok else []
    if not rows:
        return None
    from agent.planners.local.policies.market import present_listings

    if len(rows) == 1:
        ctx.state.put_focus(make_ref("listing", rows[0]))
    return present_listings(ctx, rows, f"{number} isn't in the catalog; on the marketplace:")


def suggestion_sentence(data: dict[str, Any]) -> str:
    low, high = data.get("low"), data.get("high")
    spread = f" (range {money(low)}–{money(high)})" if low and high else ""
    points = data.get("sample_size")
    basis = f", {points} recent data point{'s' if points != 1 else ''}" if points else ""
    return (f"Suggested {money(data.get('suggested_price'))} for a {condition(data.get('condition'))} "
            f"{data.get('part_number')}{spread}; {data.get('confidence')} confidence{basis}.")


@policy("market_trends")
def market_trends(ctx: Ctx) -> Step:
    done = ctx.last("market_insights")
    if done is not None:
        if not done.ok:
            return failure(done, "read the market")
        d = done.data
        trends = [f"{label} {d[key]:+.1f}%" for key, label in (("trend_3m_pct", "3 months"),
                                                                ("trend_12m_pct", "12 months"))
                  if isinstance(d.get(key), int | float)]
        moving = f" Price trend: {', '.join(trends)}." if trends else ""
        average = f" Average over 90 days {money(d['average_price_90d'])}." if d.get("average_price_90d") else ""
        listed, sold = int(d.get("active_listings") or 0), int(d.get("transactions_12m") or 0)
        return say(f"{d.get('scope')}: {counted(listed, 'active listing')}, {counted(sold, 'sale')} in 12 months."
                   f"{average}{moving}{_by_condition(ctx, d)}")
    part = target_part(ctx)
    args: dict[str, Any] = {}
    if part is None and not ctx.said.value("manufacturer") and describes_part(ctx):
        from agent.planners.local.policies.sourcing import described_part

        found = described_part(ctx, "market_trends")  # "hows the market on at400 door ops"
        if not isinstance(found, Ref):
            return found
        part = found
    if part is not None:
        ctx.state.put_focus(part)
        args["part_number"] = part.data.get("part_number")
    elif ctx.said.value("manufacturer"):
        args["manufacturer"] = ctx.said.value("manufacturer")
    else:
        return say("The market for which part? Give me its number or describe it.", kind="question")
    return Call("market_insights", args)


def _by_condition(ctx: Ctx, insights: dict[str, Any]) -> str:
    """What each condition goes for — the one the message asks about ("new ones going for what"), else all."""
    slices = {str(s.get("condition")): s for s in insights.get("by_condition") or []}
    shown = [c for c in ctx.said.values("condition") if c in slices] or list(slices)[:4]
    prices = [f"{condition(c)} {money(slices[c].get('average_price'))} on average (median "
              f"{money(slices[c].get('median_price'))})" for c in shown]
    return f" By condition: {'; '.join(prices)}." if prices else ""


def _listed_price(ctx: Ctx) -> Step:
    """What the marketplace asks for the part the words describe, from the seller named when one is."""
    from agent.planners.local.policies.market import listing_args, listings_found, present_listings

    found = listings_found(ctx, listing_args(ctx))
    if not isinstance(found, ToolResult):
        return found
    sellers = _sellers_named(ctx)
    rows = [r for r in found.data.get("results") or []
            if not sellers or str(r.get("seller_organization") or "").lower() in sellers]
    if len(rows) == 1:
        row = rows[0]
        listing = make_ref("listing", row)
        ctx.state.put_focus(listing)
        price = money(row.get("price")) if row.get("price") is not None else \
            f"the bid is at {money(row.get('current_bid'))}" if row.get("current_bid") is not None else "no price set"
        return say(f"{row.get('part_number')} {condition(row.get('condition'))}: {price} from "
                   f"{row.get('seller_organization')}, {row.get('city')}.",
                   "Want me to check whether that's a fair price?", proposal=offer("price_check", listing))
    if not rows:
        return say("I couldn't find that on the marketplace.", "What's the part number?", kind="question")
    return present_listings(ctx, rows, "Prices on the marketplace:", "price_info")


def _sellers_named(ctx: Ctx) -> set[str]:
    return {s.lower() for s in ctx.said.values("organization")}
