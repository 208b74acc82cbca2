"""Fair-price badges (`data-price`) for replies without a draft: the verdicts of the assess_price calls the
planner itself made in the turn. A drafting planner attaches badges to its items instead, and the widget
shows those on the item cards.

Nothing is assessed here: the assess_price output is the verdict, so the badge is read off the tool's
finished event (live) or its stored result (history).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from agent.events import compact_output

PRICE_TOOL = "assess_price"


def badge_of(output: Any) -> dict[str, Any] | None:
    """The badge of an assess_price output: {listingId?, partNumber, condition, price, verdict, label, evidence};
    None for a failure or a price the market has no data for."""
    if not isinstance(output, dict) or output.get("ok") is False:
        return None
    if output.get("verdict") in (None, "unknown") or not output.get("label"):
        return None
    return {"listingId": output.get("listing_id"), "partNumber": output.get("part_number"),
            "condition": output.get("condition"), "price": output.get("price"), "verdict": output["verdict"],
            "label": output["label"], "evidence": compact_output(output.get("evidence"))}  # as the live preview


def with_price_badges(events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The events, with a `price_assessed` event after each assess_price result that has a verdict."""
    for event in events:
        yield event
        if event.get("type") == "tool_finished" and event.get("tool") == PRICE_TOOL:
            badge = badge_of(event.get("output"))
            if badge is not None:
                yield {"type": "price_assessed", "badge": badge}


def badge_parts(message: dict[str, Any]) -> list[dict[str, Any]]:
    """`data-price` parts for a history UIMessage's assess_price results (as the live stream sent them)."""
    badges = [badge_of(part.get("output")) for part in message.get("parts", [])
              if part.get("type") == f"tool-{PRICE_TOOL}" and part.get("state") == "output-available"]
    return [{"type": "data-price", "data": badge} for badge in badges if badge is not None]
