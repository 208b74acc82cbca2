"""What each tool result tells the dialogue: the object now in focus, the objects worth remembering by
name, the last sourcing search. Read from the tools' typed outputs, one observer per tool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import DialogueState, Ref
from agent.planners.local.policy import ToolResult

Observer = Callable[[DialogueState, ToolResult, dict[str, Any]], None]
OBSERVERS: dict[str, Observer] = {}


def observes(*tools: str) -> Callable[[Observer], Observer]:
    def register(fn: Observer) -> Observer:
        for name in tools:
            OBSERVERS[name] = fn
        return fn

    return register


def observe(state: DialogueState, result: ToolResult) -> None:
    fn = OBSERVERS.get(result.name)
    if fn is not None and result.ok:
        fn(state, result, result.data)


@observes("lookup_part")
def _lookup(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    matches = data.get("matches") or []
    state.remember_all([make_ref("part", m) for m in matches])
    if matches and matches[0].get("match_kind") != "fuzzy":
        top = matches[0]
        newer = [str(h.get("interchangeability")) for h in top.get("supersession_chain") or []
                 if h.get("direction") == "newer"]  # "straight swap?" is answered from the chain
        state.put_focus(make_ref("part", {**top, "swap": ",".join(newer)} if newer else top))


@observes("search_parts")
def _search(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("part", h) for h in data.get("results") or []])


@observes("identify_part_from_photo")
def _photo(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    candidates = data.get("candidates") or []
    state.remember_all([make_ref("part", c) for c in candidates])
    if data.get("confident") and candidates:
        state.put_focus(make_ref("part", candidates[0]))


@observes("check_compatibility")
def _fit(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.put_focus(make_ref("part", {"part_number": data.get("part_number"), "manufacturer":
                                      data.get("part_manufacturer"), "name": data.get("part_name"),
                                      "part_id": data.get("part_id")}))
    state.equipment = Ref(kind="equipment", id=result.args.get("equipment_id"), label=str(data.get("equipment")),
                          data={"model": result.args.get("equipment_model"),
                                "manufacturer": result.args.get("equipment_manufacturer"),
                                "equipment_id": result.args.get("equipment_id")})


@observes("find_inventory")
def _sources(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    options = data.get("options") or []
    state.sourcing = {"args": dict(result.args), "part_number": data.get("part_number"),
                      "manufacturer": data.get("manufacturer"), "name": data.get("name"),
                      "total": data.get("total_options"), "options": options[:50]}
    state.remember_all([make_ref("option", o) for o in options[:25]])
    state.put_focus(make_ref("part", {"part_number": data.get("part_number"), "manufacturer":
                                      data.get("manufacturer"), "name": data.get("name")}))


@observes("search_listings", "list_watchlist")
def _listings(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    rows = data.get("results") or [w.get("listing") for w in data.get("items") or [] if w.get("listing")]
    state.remember_all([make_ref("listing", r) for r in rows])
    _searched_part(state, result, rows)


def _searched_part(state: DialogueState, result: ToolResult, rows: list[dict[str, Any]]) -> None:
    """"anyone selling masimo 1863s?" … "post a wanted for 3 of em": the part looked for stays in focus, found
    or not."""
    searched = result.args.get("part_number")
    focus = state.focused("part")
    if searched and (focus is None or focus.data.get("part_number") != searched):
        same: dict[str, Any] = next((r for r in rows if r.get("part_number") == searched), {})
        state.put_focus(make_ref("part", {"part_number": searched, "manufacturer": same.get("manufacturer")
                                          or result.args.get("manufacturer"), "name": same.get("name")}))


@observes("get_listing", "create_listing", "publish_listing", "update_listing", "cancel_listing")
def _listing(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    listing: dict[str, Any] = data["listing"] if isinstance(data.get("listing"), dict) else data
    ref = make_ref("listing", {**listing, "minimum_next_bid": (listing.get("auction") or {}).get("minimum_next_bid")}
                   if isinstance(listing.get("auction"), dict) else listing)
    if ref.id:
        state.put_focus(ref)


@observes("place_bid", "watch_listing", "list_bids")
def _bid(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    listing_id = str(data.get("listing_id") or result.args.get("listing_id") or "")
    known = next((r for r in state.pool("listing") if r.id == listing_id), None)
    if known is not None:
        known.data.update({k: data[k] for k in ("current_bid", "minimum_next_bid") if data.get(k) is not None})
        state.put_focus(known)


@observes("list_offers")
def _offers(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("offer", o) for o in data.get("offers") or []])


@observes("show_notification")
def _notice(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    """A notice being answered: the offer or listing it is about is what "accept" or "bid 50" means."""
    if isinstance(data.get("offer"), dict):
        state.put_focus(make_ref("offer", data["offer"]))
    elif isinstance(data.get("listing"), dict):
        state.put_focus(make_ref("listing", data["listing"]))
    elif isinstance(data.get("order"), dict):
        from agent.planners.local.policies.orders import order_ref

        state.put_focus(order_ref(data["order"]))


@observes("submit_offer", "respond_to_offer", "withdraw_offer")
def _offer(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    if isinstance(data.get("offer"), dict):
        state.put_focus(make_ref("offer", data["offer"]))
    if isinstance(data.get("transaction"), dict):
        state.remember(make_ref("deal", data["transaction"], f"deal {data['transaction'].get('id')}"))


@observes("request_emergency_pickup", "cancel_hold")
def _hold(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    hold: dict[str, Any] = data["hold"] if isinstance(data.get("hold"), dict) else data
    state.put_focus(make_ref("hold", {**hold, "id": hold.get("hold_id") or hold.get("id")}))


@observes("list_holds")
def _holds(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("hold", {**h, "id": h.get("hold_id") or h.get("id")})
                        for h in data.get("holds") or data.get("items") or []])


@observes("list_transactions")
def _deals(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("deal", t) for t in data.get("transactions") or []])


@observes("get_transaction", "mark_transaction_shipped", "confirm_transaction_delivered", "review_transaction")
def _deal(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    deal: dict[str, Any] = data["transaction"] if isinstance(data.get("transaction"), dict) else data
    if deal.get("id"):
        state.put_focus(make_ref("deal", deal))


@observes("list_orders")
def _orders(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    from agent.planners.local.policies.orders import order_ref

    state.remember_all([order_ref(o) for o in data.get("orders") or []])


@observes("get_order", "update_order", "checkout", "buy_now")
def _order(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    from agent.planners.local.policies.orders import order_ref

    orders = data.get("orders") or ([data["order"]] if isinstance(data.get("order"), dict) else [data])
    for order in reversed([o for o in orders if isinstance(o, dict) and o.get("id")]):
        state.put_focus(order_ref(order))


@observes("list_wanted_posts")
def _wanted(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("wanted", p) for p in data.get("posts") or []])


@observes("create_wanted_post")
def _wanted_post(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    if isinstance(data.get("post"), dict):
        state.put_focus(make_ref("wanted", data["post"]))


@observes("list_wanted_responses")
def _responses(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("response", r) for r in data.get("responses") or []])


@observes("list_stock")
def _stock(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("stock", i) for i in data.get("items") or []])
    _searched_part(state, result, data.get("items") or [])


@observes("low_stock")
def _low(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("stock", a["item"]) for a in data.get("alerts") or [] if a.get("item")])


@observes("find_installed_equipment")
def _units(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    state.remember_all([make_ref("equipment", {**u, "id": u.get("equipment_id")}) for u in data.get("units") or []])


@observes("adjust_stock", "transfer_stock")
def _stock_changed(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    item = data.get("destination") or data.get("item")
    if isinstance(item, dict):
        state.put_focus(make_ref("stock", item))  # "how many that leave me"


@observes("suggest_price", "market_trends")
def _priced(state: DialogueState, result: ToolResult, data: dict[str, Any]) -> None:
    _searched_part(state, result, [])  # "what do HBL2620s go for" … "ok draft up 6 of em"
