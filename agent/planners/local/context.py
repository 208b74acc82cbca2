"""The context tracker: what the conversation is about right now, rebuilt from the history on every step —
the last candidate parts, the part or listing in focus, the last sourcing options, listings and offers, the
equipment being worked on, the draft listing being filled in, and what the planner last showed and asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from agent.planners.local.history import meta, parse_tool, tool_calls_by_id

Item = dict[str, Any]


def part_of(data: Item) -> Item:
    """A part as the planner carries it between turns."""
    return {k: data.get(k) for k in ("part_number", "manufacturer", "name", "msrp", "part_id", "superseded_by",
                                     "current_part_number", "category") if data.get(k) is not None}


@dataclass
class Context:
    candidates: list[Item] = field(default_factory=list)
    options: list[Item] = field(default_factory=list)
    inventory: Item | None = None  # the last find_inventory output
    inventory_args: Item = field(default_factory=dict)
    listings: list[Item] = field(default_factory=list)
    offers: list[Item] = field(default_factory=list)
    offers_direction: str | None = None
    focus_part: Item | None = None
    focus_listing: Item | None = None
    focus_offer: Item | None = None
    focus_kind: str | None = None  # part | listing | offer: whichever was talked about last
    equipment: Item | None = None
    created_listing: Item | None = None
    suggestion: Item | None = None
    shown: Item | None = None  # {"kind": ..., "items": [...]} of the last reply
    awaiting: Item | None = None
    draft: Item | None = None
    last_intent: str | None = None  # the intent of the last answered turn
    last_photo_ids: list[str] = field(default_factory=list)

    def focus(self, kind: str, item: Item | None) -> None:
        if not item:
            return
        setattr(self, f"focus_{kind}", item)
        self.focus_kind = kind

    def shown_items(self, kind: str | None = None) -> list[Item]:
        if not self.shown or (kind and self.shown.get("kind") != kind):
            return []
        return list(self.shown.get("items") or [])


def _listing(data: Item) -> Item:
    keep = ("id", "part_number", "manufacturer", "name", "condition", "quantity_available", "price", "listing_type",
            "seller_organization", "is_own_listing", "city", "distance_km", "status", "current_bid", "auction_end",
            "fulfillment_options", "emergency_available", "minimum_order_quantity")
    item = {k: data.get(k) for k in keep if k in data}
    if isinstance(data.get("auction"), dict):
        item["minimum_next_bid"] = data["auction"].get("minimum_next_bid")
    return item


def _apply_result(ctx: Context, name: str, args: Item, data: Item) -> None:
    if data.get("ok") is False:
        return
    if name == "search_parts":
        hits = [h for h in data.get("results", []) if not h.get("replaces")]
        ctx.candidates = [part_of(h) for h in hits]
    elif name == "lookup_part":
        matches = data.get("matches", [])
        ctx.candidates = [part_of(m) for m in matches]
        if matches and matches[0].get("match_kind") != "fuzzy":
            ctx.focus("part", part_of(matches[0]))
    elif name == "identify_part_from_photo":
        ctx.candidates = [part_of(c) for c in data.get("candidates", [])]
        if data.get("confident") and ctx.candidates:
            ctx.focus("part", ctx.candidates[0])
    elif name == "check_compatibility":
        ctx.focus("part", {"part_number": data.get("part_number"), "manufacturer": data.get("part_manufacturer"),
                           "name": data.get("part_name"), "part_id": data.get("part_id")})
        ctx.equipment = {"label": data.get("equipment"), "model": args.get("equipment_model"),
                         "manufacturer": args.get("equipment_manufacturer"),
                         "equipment_id": args.get("equipment_id")}
    elif name == "find_inventory":
        ctx.inventory, ctx.inventory_args = data, dict(args)
        ctx.options = list(data.get("options", []))
        ctx.focus("part", {"part_number": data.get("part_number"), "manufacturer": data.get("manufacturer"),
                           "name": data.get("name")})
    elif name == "search_listings":
        ctx.listings = [_listing(r) for r in data.get("results", [])]
    elif name in ("get_listing", "publish_listing", "update_listing", "cancel_listing"):
        ctx.focus("listing", _listing(data.get("listing", data)))
    elif name == "create_listing":
        ctx.created_listing = {**_listing(data.get("listing", {})), "ready": data.get("ready_to_publish"),
                               "missing": data.get("missing_before_publish", []),
                               "suggested_price": data.get("suggested_price")}
        ctx.focus("listing", ctx.created_listing)
        ctx.draft = None
    elif name == "list_offers":
        ctx.offers, ctx.offers_direction = list(data.get("offers", [])), args.get("direction")
    elif name in ("submit_offer", "respond_to_offer", "withdraw_offer"):
        ctx.focus("offer", data.get("offer"))
    elif name == "suggest_price":
        ctx.suggestion = data
    elif name in ("watch_listing", "place_bid") and data.get("listing_id"):
        listing = data.get("listing") or {"id": data.get("listing_id")}
        ctx.focus("listing", _listing(listing))


def _apply_note(ctx: Context, note: Item) -> None:
    focus = note.get("focus")
    if isinstance(focus, dict) and focus.get("kind") in ("part", "listing", "offer"):
        ctx.focus(focus["kind"], focus.get("item"))
    if note.get("equipment"):
        ctx.equipment = note["equipment"]
    if "draft" in note:
        ctx.draft = note["draft"]


def build_context(messages: list[BaseMessage]) -> Context:
    ctx = Context()
    calls = tool_calls_by_id(messages)
    last_reply: Item = {}
    for i, message in enumerate(messages):
        if isinstance(message, ToolMessage):
            result = parse_tool(message, calls, i)
            _apply_result(ctx, result.name, result.args, result.data)
        elif isinstance(message, AIMessage):
            note = meta(message)
            _apply_note(ctx, note)
            if not message.tool_calls:
                last_reply = note
        elif message.type == "human":
            ids = message.additional_kwargs.get("photo_ids") or []
            if ids:
                ctx.last_photo_ids = [str(x) for x in ids]
    ctx.shown = last_reply.get("shown")
    ctx.awaiting = last_reply.get("awaiting")
    ctx.last_intent = (last_reply.get("frame") or {}).get("intent")
    return ctx
