"""The marketplace: searching listings, a listing's details (its description quoted as data, never
followed), and more about whatever else is in focus."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.item_words import codes_fit
from agent.planners.local.dialogue.refs import make_ref, match, resolve
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.dialogue.terms import BEYOND_THE_LIST
from agent.planners.local.policies.common import about_them, content_words, failure, search_query, target_part
from agent.planners.local.policies.notices import notification_details
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, policy, say
from agent.planners.local.render import badge_of, condition, fulfillment_terms, listing_item, listing_price, money
from agent.reply_draft import PriceBadge

_USED = ["used_excellent", "used_good", "used_fair"]
_CEILING = re.compile(r"\b(under|below|less than|max(imum)?|up to|at most|no more than|budget|cheaper than)\b", re.I)
# "cheapest first", "closest ones", "whats ending soon": the order the user wants the results in
_ORDERS = (("price_low", re.compile(r"\b(cheapest|lowest|least expensive|low to high|by price|cheap(?:er)? first)\b")),
           ("price_high", re.compile(r"\b(priciest|most expensive|high to low)\b")),
           ("distance", re.compile(r"\b(closest|nearest|closer ones?|near(?:est)? first)\b")),
           ("ending_soon", re.compile(r"\b(ending (?:soon|first|next)|clos(?:es|ing) (?:soon|first|next))\b")))
_SAME_DAY = re.compile(r"\b(?:emergency|same[- ]?day|today|tonight)\b")
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_NAMING = ("manufacturer", "equipment_model", "part_number", "category")
_MARKET_WORDS = re.compile(r"\b(any|anyone|who(?:'s| is|s| has)?|on the|marketplace|market|listings?|for sale|"
                           r"selling|sells|show me|search|auctions?|anybody|out there|available|1st|first)\b", re.I)


def listing_args(ctx: Ctx) -> dict[str, Any]:
    said = ctx.said
    args: dict[str, Any] = {"limit": 10}
    part = target_part(ctx) if said.has("part_number") or not _describes(ctx) else None
    if part is not None:
        args["part_number"] = part.data.get("part_number")
    else:
        query = _market_query(ctx).strip(" ,.?")
        if query:
            args["query"] = query
    listing_type = said.value("listing_type")
    if listing_type in ("auction", "trade", "emergency", "sale"):  # "buy it now only (no auctions)"
        args["listing_type"] = listing_type
    conditions = said.values("condition")
    if conditions:
        generic_used = re.search(r"\bused\b", said.lowered) and conditions == ["used_good"]
        args["condition"] = _USED if generic_used else sorted(set(conditions))
    price = said.value("price")
    if price is not None and _CEILING.search(said.text):
        args["max_price"] = price
    if said.value("equipment_model"):
        args["compatible_with"] = said.value("equipment_model")
    if said.in_a_hurry() and _SAME_DAY.search(said.lowered):  # "rtu is down til we get one" is no filter
        args["emergency_only"] = True
    order = next((name for name, words in _ORDERS if words.search(said.lowered)), None)
    if order:
        args["sort_by"] = order
    distance = said.value("distance")
    if distance:
        amount, unit = distance.split()
        args["within_km"] = round(float(amount) * (1.609 if unit == "mi" else 1), 1)
    return args


def _market_query(ctx: Ctx) -> str:
    """The words that say what is wanted, without the market's words and the order asked for."""
    query = _MARKET_WORDS.sub(" ", search_query(ctx, text=BEYOND_THE_LIST.sub(" ", _what_is_wanted(ctx.said))))
    for _name, words in _ORDERS:
        query = words.sub(" ", query)
    return re.sub(r"\s+", " ", query)


def _what_is_wanted(said: Said) -> str:
    """The message without a sentence that only says the deal when another names the thing ("metro still got
    that lennox lgh board? offer em 950, rtu at the mall is down til we get one": the first)."""
    sentences = list(_SENTENCE.finditer(said.text))
    naming = [m for m in sentences if said.within(m.start(), m.end()).has(*_NAMING)]
    if len(sentences) < 2 or not naming:
        return said.text
    return " ".join(m.group() for m in sentences
                    if m in naming or not said.within(m.start(), m.end()).has("price", "quantity"))


def _describes(ctx: Ctx) -> bool:
    words = content_words(_market_query(ctx))
    return len([w for w in words if w not in ("cheap", "cheaper")]) >= 1


def present_listings(ctx: Ctx, results: list[dict[str, Any]], headline: str, goal: str | None = None,
                     badges: dict[str, PriceBadge] | None = None) -> Say:
    city = ctx.said.value("city")
    if city:
        results = [r for r in results if str(r.get("city") or "").lower() == city.lower()] or results
    top = results[:3]
    verb = {"make_offer": "make an offer on", "place_bid": "bid on", "watch_listing": "watch"}.get(goal or "",
                                                                                                  "look at")
    badges = badges or {}
    return say(headline, f"Which one do you want to {verb}?", [listing_item(r, badges.get(str(r.get("id"))))
                                                                for r in top], numbered=True,
               listed=Listed(kind="listing", items=[make_ref("listing", r) for r in top], goal=goal))


def listings_found(ctx: Ctx, args: dict[str, Any]) -> ToolResult | Step:
    """The marketplace search for this ask (the call to make, or its failure in words, until it has run); when
    a number the user typed matches no listing's part number exactly, searched again on it as words ("the HPV900
    auction": only the start of "HPV900-4040-2E1-01")."""
    found = ctx.last("search_listings")
    if found is None:
        return Call("search_listings", args)
    if not found.ok:
        return failure(found, "search the marketplace")
    number = found.args.get("part_number")
    if not found.data.get("results") and number and number in ctx.said.values("part_number") \
            and not _in_catalog(ctx, str(number)):
        return Call("search_listings", {**{k: v for k, v in found.args.items() if k != "part_number"}, "query": number})
    return found


def _in_catalog(ctx: Ctx, number: str) -> bool:
    """A whole catalog number that no listing has is not on the market; its words would find other parts."""
    from knowledge.partnumbers import normalize_part_number

    tables = getattr(getattr(ctx.env.nlu, "extractor", None), "tables", None)
    return tables is not None and normalize_part_number(number) in tables.part_numbers


def typed_number_search(ctx: Ctx, found: ToolResult) -> bool:
    """Whether the search was on a part number the user typed (one hit of it is the thing they mean)."""
    return bool(found.args.get("part_number")) or found.args.get("query") in ctx.said.values("part_number")


@policy("search_market")
def search_market(ctx: Ctx) -> Step:
    found = listings_found(ctx, listing_args(ctx))
    if not isinstance(found, ToolResult):
        return found
    results = found.data.get("results") or []
    # "whos sellin dcss5 door boards": of what the words found, those that carry the code said
    results = [r for r in results if codes_fit(make_ref("listing", r), ctx.said)] or results
    if not results:
        part = target_part(ctx)
        return say(found.message or "No listings you can see match that.", "Want me to post a wanted request?",
                   proposal=offer("create_wanted", part))
    priced = [r for r in results[:3] if r.get("price") is not None and not r.get("is_own_listing")]
    assessed = [r for r in ctx.results if r.name == "assess_price"]
    if "assess_price" in ctx.env.tools and len(assessed) < len(priced):  # a fair-price badge on each one shown
        return Call("assess_price", {"listing_id": str(priced[len(assessed)]["id"])})
    badges = {str(a.args.get("listing_id")): b for a in assessed if a.ok and (b := badge_of(a.data)) is not None}
    auctions = all(r.get("listing_type") == "auction" for r in results)
    return present_listings(ctx, results, "On the marketplace:", "place_bid" if auctions else None, badges)


def present_listing(ctx: Ctx, d: dict[str, Any]) -> Say:
    rating = d.get("seller_rating") or {}
    stars = f", rated {rating['average_rating']}/5" if rating.get("average_rating") else ""
    pickup = (f" Pickup: {d['pickup_location']}" + (f" ({d['pickup_hours']})" if d.get("pickup_hours") else "")
              + ".") if d.get("pickup_location") else ""
    price = listing_price(d)
    if d.get("listing_type") == "auction" and d.get("auction_end"):
        price += f", ends {str(d['auction_end'])[:16].replace('T', ' ')} UTC"
    description = re.sub(r"\s+", " ", str(d.get("description") or ""))[:160]
    days = int(d.get("warranty_days") or 0)
    warranty = f" Warranty: {days} days." if days else \
        " No warranty." if re.search(r"warrant|guarantee", ctx.said.lowered) else ""
    headline = (f"{d.get('part_number')} {d.get('name') or ''} — {condition(d.get('condition'))}, {price}, "
                f"{d.get('quantity_available')} available from {d.get('seller_organization')}{stars}, "
                f"{d.get('city')}.{pickup} Ships: {fulfillment_terms(d)}.{warranty}")
    notes = [f'Seller\'s description (their words): "{description}"'] if description else []
    ref = make_ref("listing", {**d, "minimum_next_bid": (d.get("auction") or {}).get("minimum_next_bid")})
    ctx.state.put_focus(ref)
    if d.get("is_own_listing"):
        return say(headline, notes=notes)
    question = "Want to bid?" if d.get("listing_type") == "auction" else "Want to make an offer or watch it?"
    return say(headline, question, notes=notes)


_READ_BACK = ("hold", "deal", "stock", "wanted", "order")


@policy("details")
def details(ctx: Ctx) -> Step:
    got = ctx.last("get_listing")
    if got is not None:
        return present_listing(ctx, got.data) if got.ok else failure(got, "open that listing")
    target = ctx.ask.target
    if target is None:
        kinds = ("listing", "offer", "option", "part") if not ctx.said.has("part_number") else ("part",)
        shown = ctx.state.listed.kind if ctx.state.listed is not None and len(ctx.state.listed.items) == 1 else None
        about = ctx.state.focus_kind if ctx.state.focus_kind in _READ_BACK else shown if shown in _READ_BACK else None
        if about is not None and not ctx.said.has("part_number"):
            kinds = (about, *kinds)  # "what are their hours?" about the hold just read; "tracking?" on the one deal
        target, _ = resolve(ctx.state, ctx.said, *kinds)
    if target is not None and target.kind == "notification" and target.id:
        return notification_details(ctx, target)
    if target is not None and target.kind == "listing" and target.id:
        return Call("get_listing", {"listing_id": target.id})
    if target is not None and target.kind == "option" and target.data.get("listing_id"):
        return Call("get_listing", {"listing_id": target.data["listing_id"]})
    if target is not None and target.kind == "deal" and target.id:
        deal = ctx.last("get_transaction")
        if deal is None:
            return Call("get_transaction", {"transaction_id": target.id})
        return _deal(deal.data) if deal.ok else failure(deal, "open that deal")
    if target is not None and target.kind == "order" and target.id:
        from agent.planners.local.policies.orders import present_order

        got = ctx.last("get_order")
        if got is None:
            return Call("get_order", {"order_id": target.id})
        return present_order(ctx, got.data) if got.ok else failure(got, "open that order")
    if target is not None and target.kind == "hold":
        h = target.data
        where = ", ".join(str(x) for x in (h.get("location_name"), h.get("address"), h.get("city")) if x)
        hours = f" Hours: {h['pickup_hours']}." if h.get("pickup_hours") else ""
        who = " ".join(str(x) for x in (h.get("contact_name"), h.get("contact_phone")) if x)
        contact = f" Contact {who}." if who else ""
        return say(f"{h.get('quantity')} × {h.get('part_number')} held at {where}, pickup code "
                   f"{h.get('pickup_code')}.{hours}{contact}")
    if target is not None and target.kind not in ("part", "option"):
        return _describe(target)
    part = target_part(ctx)
    if part is None:
        return say("More about which part or listing?", kind="question")
    detail = ctx.last("get_part")
    if detail is not None and detail.ok:
        return _part_detail(ctx, detail.data)
    if part.data.get("part_id") and detail is None:
        return Call("get_part", {"part_id": part.data["part_id"]})
    looked = ctx.last("lookup_part")
    if looked is None:
        return Call("lookup_part", {"part_number": part.data.get("part_number")})
    if not looked.ok or about_them(ctx):  # "the BLD-RV-3030 motor rival has up": their listing, not the catalog
        listed = ctx.last("search_listings")
        if listed is None:
            return Call("search_listings", {"limit": 10, "part_number": part.data.get("part_number")})
        rows = [make_ref("listing", r) for r in listed.data.get("results") or []] if listed.ok else []
        rows = match(rows, ctx.said, allow_single=True) or rows
        if len(rows) == 1:
            ctx.state.put_focus(rows[0])
            return Call("get_listing", {"listing_id": rows[0].id})
        if rows:
            return present_listings(ctx, [r.data for r in rows], "Which of these?", "details")
    from agent.planners.local.policies.parts import present_lookup

    return present_lookup(ctx, looked.data) if looked.ok else failure(looked, "look it up")


_WORTH_SAYING = ("description", "max_price", "needed_by", "needed_by_date", "urgency", "message", "pickup_hours",
                 "address", "notes")


def _describe(ref: Ref) -> Say:
    """An object in focus in a sentence: its label (what, who, how many, price, condition) and what else
    the user would ask about it — never internal flags or timestamps."""
    extra = [f"{k.replace('_', ' ')}: {money(v) if 'price' in k or k == 'total' else v}"
             for k, v in ref.data.items() if v not in (None, "", [], False) and k in _WORTH_SAYING
             and not isinstance(v, dict | list | bool)]
    return say(f"{ref.label}." + (f" {'; '.join(extra)}." if extra else ""))


def _part_detail(ctx: Ctx, d: dict[str, Any]) -> Say:
    fits = [f"{e.get('manufacturer')} {e.get('model')}" for e in d.get("compatible_equipment") or []]
    fits = fits or list(d.get("compatible_models_listed") or [])
    shown = ", ".join(fits[:8]) + (f" and {len(fits) - 8} more" if len(fits) > 8 else "")
    headline = f"{d.get('part_number')} — {d.get('manufacturer')} {d.get('name')}"
    if d.get("msrp") is not None:
        headline += f" (list {money(d['msrp'])})"
    headline += f". Fits: {shown}." if shown else ". No equipment models on record."
    if d.get("current_part_number") and d.get("current_part_number") != d.get("part_number"):
        headline += f" Superseded: order {d['current_part_number']} today."
    elif d.get("is_discontinued"):
        headline += " Discontinued."
    else:
        headline += " It's the current number."
    ctx.state.put_focus(make_ref("part", {**d, "part_id": d.get("id")}))
    from agent.planners.local.policies.parts import SOURCE_QUESTION

    return say(headline, SOURCE_QUESTION, proposal=offer("find_stock", ctx.state.focus.get("part")))


def _deal(t: dict[str, Any]) -> Say:
    parts = ", ".join(f"{p.get('quantity')} × {p.get('part_number')}" for p in t.get("parts") or []) or "parts"
    other = t.get("seller_organization") if t.get("role") == "buyer" else t.get("buyer_organization")
    state = str(t.get("status"))
    if t.get("shipped_at"):  # "shipped 2026-12-06", or "delivered, shipped 2026-12-04"
        state += f"{'' if state == 'shipped' else ', shipped'} {str(t['shipped_at'])[:10]}"
    tracking = f" (tracking {t['tracking_number']})" if t.get("tracking_number") else ""
    open_deal = t.get("status") in ("pending", "paid")
    code = f" Pickup code {t['pickup_code']}." if t.get("pickup_code") and open_deal else ""
    return say(f"{parts} {'from' if t.get('role') == 'buyer' else 'to'} {other}: {money(t.get('total'))}, "
               f"{state}{tracking}.{code}")
