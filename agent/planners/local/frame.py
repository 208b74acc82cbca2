"""What one planner step works with: who is asking (Env), what they asked (Frame), and what the step does
(a tool call or a reply). Also the shared ways of resolving "it", "the second one" and "that listing"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from agent.planners.local.context import Context, Item
from agent.planners.local.render import Reply
from agent.planners.local.slots import Slots
from knowledge.partnumbers import normalize_part_number
from knowledge.search.vocabulary import EquipmentRef, Vocabulary


@dataclass(frozen=True)
class Env:
    role: str
    organization: str
    sms: bool
    can_sell: bool
    can_buy: bool
    tools: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → input JSON schema
    vocab: Vocabulary | None = None

    def accepts(self, tool: str, arg: str) -> bool:
        schema = self.tools.get(tool)
        return schema is None or arg in (schema.get("properties") or {})


@dataclass
class Frame:
    intent: str
    text: str
    slots: Slots
    photo_ids: list[str] = field(default_factory=list)
    ref: Item | None = None  # {"kind": parts|options|listings|offers, "item": {...}} chosen from a shown list
    extra: Item = field(default_factory=dict)  # terms carried over from the question this answers

    def note(self) -> Item:
        return {"intent": self.intent, "ref": self.ref, "extra": self.extra}

    def ref_item(self, kind: str) -> Item | None:
        return self.ref["item"] if self.ref and self.ref.get("kind") == kind else None


@dataclass
class Call:
    name: str
    args: dict[str, Any]


Step = Call | Reply

_SUPERLATIVE = re.compile(r"\b(cheapest|lowest[- ]price[d]?|closest|nearest|fastest|quickest|soonest)\b", re.I)
_POINTING = re.compile(r"\b(one|that|this|option|from|at|the .+ one)\b", re.I)
_STOP = {"the", "one", "that", "this", "from", "option", "with", "want", "take", "please", "yes", "and", "for"}
SHOWN_KINDS = ("parts", "options", "listings", "offers")


def pick_shown(ctx: Context, slots: Slots, text: str, kinds: tuple[str, ...] = SHOWN_KINDS,
               pool: list[Item] | None = None) -> Item | None:
    """The item of the last shown list the user points at: "2", "the second one", a part number or a name.
    With `pool`, names are matched against that longer list (e.g. every source, not just the three shown)."""
    if not ctx.shown or ctx.shown.get("kind") not in kinds:
        return None
    items = pool if pool is not None else ctx.shown_items()
    if not items:
        return None
    index = slots.ordinal if slots.ordinal is not None else slots.bare_number
    if index is not None and pool is not None:
        return None
    if index is not None:
        if index == -1:
            return {"kind": ctx.shown["kind"], "item": items[-1]}
        if 1 <= index <= len(items):
            return {"kind": ctx.shown["kind"], "item": items[index - 1]}
        return None
    superlative = _SUPERLATIVE.search(text)
    if superlative and pool is None:
        word = superlative.group(1).lower()
        key = "price" if word.startswith(("cheap", "low")) else (
            "distance_km" if word.startswith(("clos", "near")) else "eta_hours")
        ranked = [i for i in items if i.get(key) is not None]
        if ranked:
            return {"kind": ctx.shown["kind"], "item": min(ranked, key=lambda i: float(i[key]))}
    wanted = {normalize_part_number(p) for p in slots.part_numbers}
    for item in items:
        if item.get("part_number") and normalize_part_number(str(item["part_number"])) in wanted:
            return {"kind": ctx.shown["kind"], "item": item}
    if not _POINTING.search(text) and len(text.split()) > 3:
        return None
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9-]{2,}", text.lower()) if w not in _STOP]
    hits = []
    for item in items:
        label = " ".join(str(item.get(k) or "") for k in ("name", "organization_name", "seller_organization",
                                                           "buyer_organization", "location_name", "city",
                                                           "condition"))
        tokens = set(re.findall(r"[a-z0-9][a-z0-9-]{2,}", label.lower().replace("_", " ")))
        hits.append({w for w in words if any(fuzz.ratio(w, t) >= 88 for t in tokens)})
    # A word counts only when it singles out one item ("the AT400 one", "the one from Apex").
    distinctive = [{w for w in mine if sum(w in other for other in hits) == 1} for mine in hits]
    chosen = [i for i, words_hit in enumerate(distinctive) if words_hit]
    if len(chosen) == 1:
        return {"kind": ctx.shown["kind"], "item": items[chosen[0]]}
    if pool is not None and not chosen:
        # In a ranked pool, "the Apex one" is Apex's best-ranked option even when Apex has several.
        best = max((len(h) for h in hits), default=0)
        if best:
            return {"kind": ctx.shown["kind"], "item": items[next(i for i, h in enumerate(hits) if len(h) == best)]}
    return None


def target_part(frame: Frame, ctx: Context) -> Item | None:
    """The part the user means: one they typed, one picked from a list, or the one in focus."""
    if frame.slots.part_numbers:
        part: Item = {"part_number": frame.slots.part_numbers[0]}
        if frame.slots.part_makers:
            part["manufacturer"] = frame.slots.part_makers[0]
        known = ctx.focus_part or {}
        if known.get("part_number") and normalize_part_number(str(known["part_number"])) == normalize_part_number(
                part["part_number"]):
            return {**known, **part}
        return part
    for kind in ("parts", "options", "listings"):
        chosen = frame.ref_item(kind)
        if chosen and chosen.get("part_number"):
            return chosen
    picked = pick_shown(ctx, frame.slots, frame.text, ("parts",))
    if picked:
        return picked["item"]
    if (ctx.shown or {}).get("kind") == "parts" and (ctx.awaiting or {}).get("kind") == "choice":
        return None  # the last question was "which one?": an older part in focus is not the answer
    if ctx.focus_kind == "listing" and ctx.focus_listing and ctx.focus_listing.get("part_number"):
        return {"part_number": ctx.focus_listing["part_number"],
                "manufacturer": ctx.focus_listing.get("manufacturer"), "name": ctx.focus_listing.get("name")}
    return ctx.focus_part


def target_listing(frame: Frame, ctx: Context) -> Item | None:
    chosen = frame.ref_item("listings")
    if chosen:
        return chosen
    option = frame.ref_item("options")
    if option and option.get("listing_id"):
        return _listing_of_option(option)
    picked = pick_shown(ctx, frame.slots, frame.text, ("listings", "options"))
    if picked:
        item = picked["item"]
        return item if picked["kind"] == "listings" else _listing_of_option(item)
    if ctx.focus_listing and ctx.focus_kind == "listing":
        return ctx.focus_listing
    if len(ctx.listings) == 1:
        return ctx.listings[0]
    return ctx.focus_listing if ctx.focus_kind != "part" else None


def _listing_of_option(option: Item) -> Item | None:
    if not option.get("listing_id"):
        return None
    return {"id": option["listing_id"], "part_number": option.get("part_number"), "price": option.get("price"),
            "condition": option.get("condition"), "seller_organization": option.get("organization_name"),
            "city": option.get("city"), "distance_km": option.get("distance_km"),
            "listing_type": "auction" if option.get("price_kind") == "current_bid" else "sale",
            "quantity_available": option.get("quantity_available")}


def equipment_of(frame: Frame, ctx: Context | None) -> Item | None:
    """Equipment named in this message (the most specific model, preferring the named manufacturer's),
    else the one the conversation was about."""
    refs: list[EquipmentRef] = frame.slots.equipment
    if refs:
        makers = {m.lower() for m in frame.slots.manufacturers}
        ranked = sorted(refs, key=lambda r: (r.manufacturer.lower() not in makers, -len(r.model)))
        ref = ranked[0]
        return {"manufacturer": ref.manufacturer, "model": ref.model, "label": f"{ref.manufacturer} {ref.model}",
                "site": frame.slots.site}
    return ctx.equipment if ctx is not None else None


def reply(head: str, tail: str = "", items: list[tuple[str, str]] | None = None, **note: Any) -> Reply:
    return Reply(head=head, tail=tail, items=items or [], note={k: v for k, v in note.items() if v is not None})
