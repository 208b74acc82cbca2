"""What clauses are beside their asks: one that only gives the terms of a change ("used good, $650, just the
1", "4200 ea.") adds to the ask before it and is no ask of its own; two answers to two parties ("take apex's 3k,
tell rival no thx") are two asks even unjoined."""

from __future__ import annotations

import re

from agent.planners.local.nlu import Parse

_TERMS_ONLY = frozenset({"price", "quantity", "number", "condition", "fulfillment", "date", "days", "hours"})
_GLUE_WORDS = frozenset({"just", "only", "the", "a", "an", "and", "of", "em", "them", "each", "ea", "for", "at",
                         "apiece", "per", "unit", "units", "total", "obo", "firm", "is", "its", "it's", "x", "qty"})


# "whats the cheapest one period, any condition": the best of all there is, not of the few shown
BEYOND_THE_LIST = re.compile(r"\b(?:period|overall|of (?:them )?all|at all|any (?:condition|cond|shape)|"
                             r"regardless(?: of (?:the )?condition)?|anywhere|out there|on the (?:whole )?market)\b")
# "any condition", "dont care what shape its in": a term that lifts the condition, not an ask of its own
_ANY_CONDITION = re.compile(r"^\W*(?:(?:in )?any (?:condition|cond|shape)|whatever (?:condition|shape)|"
                            r"regardless of (?:the )?condition|new or used|used is (?:fine|ok)|"
                            r"(?:i )?do ?n'?t care (?:about|what) (?:the )?(?:condition|shape)(?: (?:its|it's) in)?|"
                            r"condition do(?:es)? ?n'?t matter)\W*$")


def only_terms(part: Parse) -> bool:
    """A clause that only gives terms ("used good, $650, just the 1", "any condition"): every word is an amount,
    a condition or glue."""
    if _ANY_CONDITION.match(part.text.lower()):
        return True
    if not part.entities or any(e.entity not in _TERMS_ONLY for e in part.entities):
        return False
    rest = part.text.lower()
    for e in sorted(part.entities, key=lambda e: -e.start):
        rest = rest[:e.start] + " " + rest[e.end:]
    return all(w in _GLUE_WORDS for w in re.findall(r"[a-z']+", rest))


# Answers to what others asked of us
_DECISIONS = frozenset({"accept_offer", "reject_offer", "counter_offer", "accept_response"})


def answers_to_two(parts: list[Parse]) -> bool:
    """Two different answers, each to a party the other does not name."""
    named = [{e.value for e in p.entities if e.entity in ("organization", "person")} for p in parts]
    return all(p.intent in _DECISIONS and p.confident for p in parts) and parts[0].intent != parts[1].intent \
        and all(named) and not named[0] & named[1]
