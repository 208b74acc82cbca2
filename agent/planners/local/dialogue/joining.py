"""Reading one ask with the words around it: the sentences that tell what it is about, the terms a bare clause
adds, and a clause that points back at what the one before names."""

from __future__ import annotations

import re
from dataclasses import replace

from agent.planners.local.nlu import Parse
from agent.planners.local.nlu.entities import Entity

THE_THING = frozenset({"part_number", "manufacturer", "equipment_model"})
# What picks out an object: a change that points back ("offer him 550", "counter em") means the one named before.
OBJECT = frozenset({*THE_THING, "organization", "person", "site", "city", "location", "condition", "listing_type"})
POINTS_BACK = re.compile(r"\b(?:it|its|em|them|him|her|his|theirs|that|those|these|this|one|ones|both)\b")


def with_terms(ask: Parse, terms: Parse) -> Parse:
    return joined(ask.text, ask.entities, terms, ask)


def told_with(ask: Parse, context: list[Parse]) -> Parse:
    """The ask, after the sentences that tell what it is about (their names, part and condition, not their
    numbers, nor the people in the story: "jordan left a couple drafts"); a name the ask says itself is not
    joined by another of its kind."""
    own = {e.entity for e in ask.entities}
    told = ". ".join(c.text for c in context)
    if not told:
        return ask
    named, offset = [], 0
    for c in context:
        named += shifted([e for e in c.entities if e.entity in OBJECT and e.entity not in own
                           and e.entity != "person"], offset)
        offset += len(c.text) + 2
    return joined(told, named, ask, ask)


def joined(before: str, kept: list[Entity], after: Parse, like: Parse) -> Parse:
    """"<before>. <after>" read as one ask with `like`'s intents: the entities kept of `before`, and those of
    `after` moved to where it now starts."""
    return Parse(f"{before}. {after.text}", like.intents, [*kept, *shifted(after.entities, len(before) + 2)],
                 like.masked)


def shifted(entities: list[Entity], by: int) -> list[Entity]:
    return [replace(e, start=e.start + by, end=e.end + by) for e in entities]
