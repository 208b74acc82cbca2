"""Fair-price badges for the priced options a turn showed (marketplace listings, partner stock quotes).

The verdict is the assess_price tool's, run as the caller; badges are sent after the reply text so they
never delay the first words of an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Engine

from tools.context import Caller
from tools.registry import invoke
from tools.results import ToolFailure

log = logging.getLogger(__name__)
MAX_BADGES = 3  # the widget shows three cards per tool output


def priced_items(tool: str, output: Any) -> list[dict[str, Any]]:
    """The assess_price arguments for the first priced cards of a tool output."""
    if not isinstance(output, dict):
        return []
    if tool == "search_listings":
        return [{"listing_id": r["id"]} for r in (output.get("results") or [])[:MAX_BADGES]
                if isinstance(r, dict) and r.get("id") and r.get("price")]
    if tool == "find_inventory":
        return [{"part_number": o["part_number"], "condition": o["condition"], "price": o["price"]}
                for o in (output.get("options") or [])[:MAX_BADGES]
                if isinstance(o, dict) and o.get("price") and o.get("condition") and o.get("part_number")]
    return []


def assess(engine: Engine, caller: Caller, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One badge per item the market has data for: {listingId?, partNumber, condition, price, verdict, label}."""
    badges = []
    for args in items:
        result = invoke(engine, caller, "assess_price", args)
        if isinstance(result, ToolFailure):
            log.debug("no price badge for %s: %s", args, result.message)
            continue
        out = result.model_dump(mode="json")
        if out.get("verdict") in (None, "unknown"):
            continue
        badges.append({"listingId": args.get("listing_id"), "partNumber": out["part_number"],
                       "condition": out["condition"], "price": out["price"], "verdict": out["verdict"],
                       "label": out["label"], "evidence": out.get("evidence")})
    return badges


def with_price_badges(events: Iterable[dict[str, Any]], engine: Engine, caller: Caller) -> Iterator[dict[str, Any]]:
    """The events, with a `price_assessed` event per badge just before the turn finishes."""
    items: list[dict[str, Any]] = []
    tools: dict[str, str] = {}
    for event in events:
        kind = event.get("type")
        if kind == "tool_started":
            tools[str(event.get("tool_call_id"))] = str(event.get("tool"))
        elif kind == "tool_finished":
            tool = str(event.get("tool") or tools.get(str(event.get("tool_call_id")), ""))
            items.extend(priced_items(tool, event.get("output")))
        elif kind == "turn_finished" and items:
            for badge in assess(engine, caller, items):
                yield {"type": "price_assessed", "badge": badge}
            items = []
        yield event


def badge_parts(engine: Engine, caller: Caller, message: dict[str, Any]) -> list[dict[str, Any]]:
    """`data-price` parts for a history UIMessage's priced tool outputs (as the live stream sent them)."""
    items = [item for part in message.get("parts", []) if part.get("state") == "output-available"
             for item in priced_items(str(part["type"]).removeprefix("tool-"), part.get("output"))]
    return [{"type": "data-price", "data": badge} for badge in assess(engine, caller, items)]
