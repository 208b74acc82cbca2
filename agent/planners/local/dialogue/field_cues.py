"""Amounts said with the name of their field: "start it at 250 w/ a 400 reserve" is a starting bid of 250
and a reserve of 400, whatever order the form asks them in. The word for a field is the first word of its
name (reserve_price → "reserve", starting_bid → "start", counter_price → "counter"); a plain price or
quantity has none and is filled as usual."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.planners.local.dialogue.said import Said

_PLAIN = frozenset({"price", "quantity", "offered"})


def cue(field: str) -> str:
    word = field.split("_")[0]
    return "" if word in _PLAIN else word[:5]


def cued_values(said: Said, fields: list[str], entity_of: Callable[[str], str | None]) -> tuple[dict[str, str], Said]:
    """Each amount whose field's word comes right after it ("a 400 reserve") or shortly before it with no
    other number between ("start it at 250"). Returns those values by field, and what the message says
    without them."""
    out: dict[str, str] = {}
    used: set[int] = set()
    lowered = said.lowered
    for index, entity in enumerate(said.entities):
        if entity.get("start") is None:
            continue
        start = int(entity["start"])
        end = start + len(str(entity.get("text") or ""))
        before, after = lowered[max(0, start - 24):start], lowered[end:end + 24]
        named = []
        for field in fields:
            word = cue(field)
            if not word or entity_of(field) != entity.get("entity") or field in out:
                continue
            right_after = re.match(rf"\s*(?:\$|dollars?|bucks)?\s*{word}", after)
            shortly_before = re.search(rf"\b{word}\w*\b([^\d]*)$", before)
            if right_after or shortly_before:
                named.append(field)
        if len(named) == 1:
            out[named[0]] = str(entity["value"])
            used.add(index)
    return out, Said(said.text, [e for i, e in enumerate(said.entities) if i not in used])
