"""A clause that only gives the terms of a change ("used good, $650, just the 1", "4200 ea."): it adds to the
ask before it, it is no ask of its own."""

from __future__ import annotations

import re

from agent.planners.local.nlu import Parse

_TERMS_ONLY = frozenset({"price", "quantity", "number", "condition", "fulfillment", "date", "days", "hours"})
_GLUE_WORDS = frozenset({"just", "only", "the", "a", "an", "and", "of", "em", "them", "each", "ea", "for", "at",
                         "apiece", "per", "unit", "units", "total", "obo", "firm", "is", "its", "it's", "x", "qty"})


def only_terms(part: Parse) -> bool:
    """A clause that only gives terms ("used good, $650, just the 1"): every word is an amount, a condition or
    glue."""
    if not part.entities or any(e.entity not in _TERMS_ONLY for e in part.entities):
        return False
    rest = part.text.lower()
    for e in sorted(part.entities, key=lambda e: -e.start):
        rest = rest[:e.start] + " " + rest[e.end:]
    return all(w in _GLUE_WORDS for w in re.findall(r"[a-z']+", rest))
