"""Auctions and watching: bidding (a maximum bid, raised later), where an auction stands, watching a
listing with a price alert, stopping, and the watchlist."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.refs import POINTS_AT_IT, make_ref, match, resolve
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.common import describes_part, failure
from agent.planners.local.policies.form_driver import finishes, start
from agent.planners.local.policies.market import listing_args, listings_found, present_listings, typed_number_search
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, policy, say
from agent.planners.local.render import listing_item, money


def market_listing(ctx: Ctx, goal: str, auction: bool = False, own: bool = False) -> Ref | Step:
    """The listing this message means: picked, named or in focus — else searched for (auctions only when
    bidding) and picked when exactly one fits, else listed to choose from."""
    if ctx.ask.target is not None and ctx.ask.target.kind in ("listing", "option"):
        return _as_listing(ctx.ask.target)
    asks_my_bid = bool(_MY_BID.search(ctx.said.lowered))
    if asks_my_bid:  # "am i still top dog on metro's draft switch": how i stand says nothing of which auction
        ctx = ctx.asking(text=_MY_BID.sub(lambda m: " " * len(m.group()), ctx.ask.text))
    ref, _several = resolve(ctx.state, ctx.said, "listing", "option")
    if ref is not None and (ref.kind == "listing" or ref.data.get("listing_id")):
        return _as_listing(ref)
    shown = [r for r in ctx.state.listed.items if r.data.get("listing_type") == "auction"] \
        if auction and ctx.state.listed and ctx.state.listed.kind == "listing" else []
    if len(shown) > 1 and not ctx.said.has("part_number", "equipment_model", "organization", "choice"):
        mine = _where_i_bid(ctx, shown)  # "which of these?" … "ugh ok go to 2600 max": the one i'm bidding on
        return mine if not isinstance(mine, list) else mine[0] if len(mine) == 1 else \
            present_listings(ctx, [r.data for r in shown], "Which of these?", goal)
    args = listing_args(ctx)
    args.pop("max_price", None)  # "watch it, lmk if it drops under 3k": the amount is the user's, not a filter
    if auction:
        args["listing_type"] = "auction"
    says_what = ctx.said.has("part_number", "equipment_model") or "part_number" in args or describes_part(ctx)
    if not says_what and ctx.last("search_listings") is None:
        # a search on "send them an offer" finds anything; never write to what it finds
        return say("Which listing do you mean?", "Tell me the part, or ask who's selling it.", kind="question")
    found = listings_found(ctx, args)
    if not isinstance(found, ToolResult):
        return found
    rows = [r for r in found.data.get("results") or [] if own or not r.get("is_own_listing")]
    refs = [make_ref("listing", r) for r in rows]
    # a lone hit of a search on the user's words is shown to pick, never written to straight away
    hits = match(refs, ctx.said, allow_single=typed_number_search(ctx, found))
    fixed = [r for r in (hits or refs) if r.data.get("listing_type") != "auction"]
    if goal == "watch_listing" and _DROPS.search(ctx.said.lowered) and len(fixed) == 1 < len(hits or refs):
        hits = fixed  # "lmk if it drops under 3k": a price that can drop is a fixed one, not an auction's bid
    if len(hits) == 1:
        return hits[0]
    if not refs:
        return say("I couldn't find a listing like that you can see.", "Want me to post a wanted request instead?",
                   proposal=offer("create_wanted"))
    if auction and asks_my_bid:  # "did i get outbid on the door operator?"
        mine = _where_i_bid(ctx, hits or refs)
        if not isinstance(mine, list) or len(mine) == 1:
            return mine if not isinstance(mine, list) else mine[0]
    return present_listings(ctx, [r.data for r in (hits or refs)], "Which of these?", goal)


_DROPS = re.compile(r"\b(?:drops?|dips?|falls?|goes|comes|gets)\s+(?:down\s+)?(?:under|below|to)\b|\bprice drop")
_MY_BID = re.compile(r"\b(?:outbid|my bid|my max|i bid|am i (?:still )?(?:winning|top|ahead|high|leading)(?: dog)?|"
                     r"top bid(?:der)?|top dog|high bidder|still winning|my auction)\b", re.IGNORECASE)


def _where_i_bid(ctx: Ctx, refs: list[Ref]) -> list[Ref] | Call:
    """Of these auctions (a few at most), the ones the user's organization has bid on."""
    checked = {str(r.args.get("listing_id")): r for r in ctx.results if r.name == "list_bids"}
    for ref in refs[:4]:
        if str(ref.id) not in checked:
            return Call("list_bids", {"listing_id": ref.id})
    return [ref for ref in refs[:4] if checked[str(ref.id)].ok and
            any(b.get("is_yours") for b in checked[str(ref.id)].data.get("bids") or [])]


def _as_listing(ref: Ref) -> Ref:
    if ref.kind == "listing":
        return ref
    return Ref(kind="listing", id=str(ref.data.get("listing_id")), label=ref.label,
               data={**ref.data, "id": ref.data.get("listing_id"), "seller_organization":
                     ref.data.get("organization_name"),
                     "listing_type": "auction" if ref.data.get("price_kind") == "current_bid" else "sale"})


_RESERVE = re.compile(r"\breserve\b")
_HISTORY = re.compile(r"\b(who|bidders?|history|how many bids|bids so far|all the bids)\b")


@policy("place_bid")
def place_bid(ctx: Ctx) -> Step:
    listing = market_listing(ctx, "place_bid", auction=True)
    if not isinstance(listing, Ref):
        return listing
    if listing.data.get("listing_type") not in (None, "auction"):
        return say(f"{listing.label} isn't an auction, so there's nothing to bid on.", "Want to make an offer instead?",
                   proposal=offer("make_offer", listing))
    if listing.data.get("is_own_listing"):
        return say("That's your own organization's auction; you can't bid on it.")
    form = forms.new_form("place_bid")
    form.target = listing
    return start(ctx, form)


@finishes("place_bid")
def _bid_placed(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    d = done.data
    ends = str(d.get("auction_end") or "")[:16].replace("T", " ")
    return say(f"{d.get('message')} Your maximum {money(d.get('your_max_bid'))}; ends {ends} UTC.".strip())


@policy("auction_status")
def auction_status(ctx: Ctx) -> Step:
    got = ctx.last("get_listing")
    if got is not None:
        if not got.ok:
            return failure(got, "open that auction")
        return _standing(got.data, asks_reserve=bool(_RESERVE.search(ctx.said.lowered)))
    listing = market_listing(ctx, "auction_status", auction=True, own=True)
    if not isinstance(listing, Ref):
        return listing
    if _HISTORY.search(ctx.said.lowered):  # "who's bidding on it?": the bids themselves
        bids = ctx.last("list_bids")
        if bids is None:
            return Call("list_bids", {"listing_id": listing.id})
        return _bids(bids.data) if bids.ok else failure(bids, "list the bids")
    return Call("get_listing", {"listing_id": listing.id})


def _bids(d: dict[str, Any]) -> Say:
    rows = d.get("bids") or []
    if not rows:
        return say("No bids yet.")
    lines = [f"{money(b.get('amount'))} by {'you' if b.get('is_yours') else b.get('bidder')}"
             f"{' (leading)' if b.get('is_winning') else ''}" for b in rows[:5]]
    count = d.get("bid_count")
    return say(f"{count} bid{'s' if count != 1 else ''}, current {money(d.get('current_bid'))}: "
               + "; ".join(lines) + ".")


def _standing(d: dict[str, Any], asks_reserve: bool = False) -> Say:
    auction = d.get("auction") or {}
    shown = _standing_text(d, auction)
    met = auction.get("reserve_met")
    if met is not None and (asks_reserve or d.get("is_own_listing")):
        words = "The reserve has been met." if met else "No, the reserve hasn't been met yet."
        own = d.get("is_own_listing")
        reserve = f" (reserve {money(d.get('reserve_price'))})" if own and d.get("reserve_price") else ""
        shown.draft.headline = (f"{words[:-1]}{reserve}. " if asks_reserve else "") + shown.draft.headline + \
            ("" if asks_reserve else f" {words[:-1]}{reserve}.")
    if d.get("is_own_listing"):
        shown.draft.question = ""  # never offer the seller a bid on their own auction
    return shown


def _standing_text(d: dict[str, Any], auction: dict[str, Any]) -> Say:
    if d.get("listing_type") != "auction" or not auction:
        return say(f"{d.get('part_number')} is a fixed-price listing at {money(d.get('price'))}, not an auction.")
    bids = int(auction.get("bid_count") or 0)
    ends = str(auction.get("auction_end") or d.get("auction_end") or "")[:16].replace("T", " ")
    if auction.get("ended") or d.get("status") in ("ended", "sold", "expired"):
        return say(f"The auction for {d.get('part_number')} has ended at {money(auction.get('current_bid'))} "
                   f"({bids} bid{'s' if bids != 1 else ''}).")
    if not bids:
        return say(f"No bids yet on {d.get('part_number')}; it opens at {money(auction.get('starting_bid'))} and "
                   f"ends {ends} UTC.", "Want to bid?")
    left = f"in {auction['time_left']} ({ends} UTC)" if auction.get("time_left") else f"{ends} UTC"
    you = " You're the high bidder." if auction.get("you_are_winning") else \
        f" You've been outbid (your max was {money(auction['your_max_bid'])})." if auction.get("your_max_bid") else ""
    return say(f"{d.get('part_number')} is at {money(auction.get('current_bid'))} after {bids} "
               f"bid{'s' if bids != 1 else ''}; the next bid must be at least {money(auction.get('minimum_next_bid'))}"
               f"; ends {left}.{you}", "" if auction.get("you_are_winning") else "Want to bid?")


@policy("watch_listing", "unwatch_listing")
def watch_listing(ctx: Ctx) -> Step:
    done = ctx.last("watch_listing")
    if done is not None:
        if not done.ok:
            return failure(done, "watch it", declined="OK — nothing changed.")
        d = done.data
        what = (d.get("listing") or {}).get("part_number") or "the listing"
        if not d.get("watching"):
            return say(f"Stopped watching {what}.")
        alert = f", with an alert at {money(d['price_alert_threshold'])} or less" if d.get("price_alert_threshold") \
            else ""
        return say(f"Watching {what}{alert}.")
    listing = _watched(ctx) if ctx.ask.intent == "unwatch_listing" else market_listing(ctx, ctx.ask.intent)
    if not isinstance(listing, Ref):
        return listing
    args: dict[str, Any] = {"listing_id": listing.id}
    if ctx.ask.intent == "unwatch_listing":
        args["remove"] = True
    else:
        price = ctx.said.value("price") or ctx.said.value("number")
        if price:
            args["price_alert_threshold"] = str(price)
    return Call("watch_listing", args)


def _watched(ctx: Ctx) -> Ref | Step:
    """The watched listing to stop watching: picked, else the one of the watchlist the message names ("drop the
    grease from northline"), or the only one when the message names nothing."""
    if ctx.ask.target is not None and ctx.ask.target.kind in ("listing", "option"):
        return _as_listing(ctx.ask.target)
    found = ctx.last("list_watchlist")
    if found is None:
        return Call("list_watchlist", {"limit": 50})
    if not found.ok:
        return failure(found, "open your watchlist")
    refs = [make_ref("listing", w["listing"]) for w in found.data.get("items") or [] if w.get("listing")]
    focus = ctx.state.focused("listing")
    hits = match(refs, ctx.said) or [r for r in refs if focus is not None and r.same(focus)
                                     and POINTS_AT_IT.search(ctx.said.lowered)]
    if not hits and len(refs) == 1 and not ctx.said.describes():
        hits = refs  # "stop watching it" with one on the list
    makers = [m.lower() for m in ctx.said.values("manufacturer")]
    if not hits and makers:  # "that beat up fluke 87": the one of that make, whatever its condition is called
        hits = [r for r in refs if str(r.data.get("manufacturer") or "").lower() in makers]
    if len(hits) == 1:
        return hits[0]
    if not refs:
        return say("You aren't watching any listings.")
    top = (hits or refs)[:5]
    return say("Which one should I stop watching?", "", [listing_item(r.data) for r in top], numbered=True,
               listed=Listed(kind="listing", items=top, goal="unwatch_listing"), kind="clarify")


@policy("my_watchlist")
def my_watchlist(ctx: Ctx) -> Step:
    found = ctx.last("list_watchlist")
    if found is None:
        return Call("list_watchlist", {"limit": 10})
    if not found.ok:
        return failure(found, "open your watchlist")
    items = [w.get("listing") for w in found.data.get("items") or [] if w.get("listing")]
    if not items:
        return say("You aren't watching any listings.")
    top = items[:5]
    return say(f"You're watching {len(items)} listing{'s' if len(items) != 1 else ''}:", "",
               [listing_item(r) for r in top], numbered=True,
               listed=Listed(kind="listing", items=[make_ref("listing", r) for r in top], dropping="unwatch_listing"))
