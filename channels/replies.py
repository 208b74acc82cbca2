"""From an agent turn to a channel-neutral `OutboundReply`: the answer, the confirmation question apart
from it, how many numbered choices it offers, and the parts worth showing as cards."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from agent.runner import TurnResult
from channels.messages import OutboundReply, PartCard

MAX_CARDS = 3
_CHOICE = re.compile(r"^\s*(\d{1,2})[).]\s+\S", re.MULTILINE)


def count_choices(text: str) -> int:
    """Numbered options "1) …", "2) …" counted from 1 without gaps (0 when the text offers none)."""
    numbers = {int(m.group(1)) for m in _CHOICE.finditer(text)}
    count = 0
    while count + 1 in numbers:
        count += 1
    return count if count >= 2 or (count == 1 and re.search(r"reply 1\b", text, re.IGNORECASE)) else 0


def reply_from_turn(turn: TurnResult, tool_outputs: Iterable[tuple[str, str]] = ()) -> OutboundReply:
    """`tool_outputs` are (tool name, JSON result) pairs of this turn, for part cards."""
    text, summary = turn.reply, None
    if turn.confirmation is not None:
        summary = turn.confirmation.summary
        text = text.removesuffix(f"{summary} (yes/no)").rstrip()
    return OutboundReply(text=text, confirmation=summary, choices=count_choices(text),
                         cards=part_cards(tool_outputs))


def part_cards(tool_outputs: Iterable[tuple[str, str]]) -> list[PartCard]:
    """Cards for the parts READ tools returned (search, lookup, photo identification), best first, deduplicated."""
    cards: list[PartCard] = []
    seen: set[str] = set()
    for name, content in tool_outputs:
        try:
            data = json.loads(content)
        except (TypeError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("ok") is False:
            continue
        for card in _cards_of(name, data):
            if card.part_number not in seen and len(cards) < MAX_CARDS:
                seen.add(card.part_number)
                cards.append(card)
    return cards


def _cards_of(tool: str, data: dict[str, Any]) -> list[PartCard]:
    if tool == "search_parts":
        return [_card(hit, _msrp(hit), _superseded(hit.get("superseded_by"))) for hit in data.get("results") or []]
    if tool == "lookup_part":
        return [_card(m, _msrp(m), _superseded(m.get("current_part_number") if m.get("is_superseded") else None),
                      f"Match: {m.get('match_kind', '')}") for m in data.get("matches") or []]
    if tool == "identify_part_from_photo":
        return [_card(c, f"Photo match {round(float(c.get('confidence') or 0) * 100)}%",
                      _superseded(c.get("superseded_by"))) for c in data.get("candidates") or []]
    return []


def _card(item: dict[str, Any], *facts: str | None) -> PartCard:
    return PartCard(part_number=str(item.get("part_number", "")), manufacturer=str(item.get("manufacturer", "")),
                    name=str(item.get("name", "")), facts=tuple(f for f in facts if f))


def _msrp(item: dict[str, Any]) -> str | None:
    msrp = item.get("msrp")
    return f"MSRP ${float(msrp):,.2f}" if msrp not in (None, "") else None


def _superseded(number: Any) -> str | None:
    return f"Superseded by {number}" if number else None
