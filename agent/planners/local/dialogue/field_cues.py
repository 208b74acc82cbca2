"""Amounts said with the name of their field: "start it at 250 w/ a 400 reserve" is a starting bid of 250
and a reserve of 400, whatever order the form asks them in. The word for a field is the first word of its
name (reserve_price → "reserve", starting_bid → "start", counter_price → "counter"); a plain price or
quantity has none and is filled as usual."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.planners.local.dialogue.said import Said
from agent.planners.local.nlu.cues import CORRECTION

_PLAIN = frozenset({"price", "quantity", "offered"})


def cue(field: str) -> str:
    word = field.split("_")[0]
    return "" if word in _PLAIN else word[:5]


def cued_values(said: Said, fields: list[str], entity_of: Callable[[str], str | None]) -> tuple[dict[str, str], Said]:
    """Each amount whose field's word comes right after it ("a 400 reserve") or shortly before it with no
    other number between ("start it at 250") — or, when a correction follows it, the amount of its kind after
    the correction ("max to 400. no wait make it 375"). Returns those values by field, and what the message
    says without them."""
    out: dict[str, str] = {}
    used: set[int] = set()
    lowered = said.lowered
    cuts = [m.end() for m in CORRECTION.finditer(said.text)]
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
            meant = _corrected(said.entities, index, [c for c in cuts if c > start])
            out[named[0]] = str(said.entities[meant]["value"])
            used |= {index, meant}
    return out, Said(said.text, [e for i, e in enumerate(said.entities) if i not in used])


def _corrected(entities: list[dict[str, object]], index: int, cuts: list[int]) -> int:
    """The entity that stands for entities[index]: the first of its kind after the last correction that
    follows it, else itself."""
    if not cuts:
        return index
    kind = entities[index].get("entity")
    later = [i for i, e in enumerate(entities) if e.get("entity") == kind and int(str(e.get("start", -1))) >= cuts[-1]]
    return later[0] if later else index
