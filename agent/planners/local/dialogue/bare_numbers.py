"""A number the sentence gave no role, placed in the form slot it can fill; an auction's length as its end."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import FormState
from agent.planners.local.nlu.numbers import decimal_of

if TYPE_CHECKING:
    from agent.planners.local.dialogue.forms import FormSpec

NUMERIC = {"price", "quantity", "hours", "days", "rating", "increment"}


def place_bare_number(form: FormState, s: FormSpec, said: Said, changed: list[str]) -> list[str]:
    """A number the sentence gave no role ("1100", "actually 3") goes to the slot it can fill: the one asked,
    else the one a correction most plausibly means (money for large amounts, a count for small ones). So does
    a number read as a count or a price when this form has no such slot ("put 300 on it" for a bid)."""
    takes = {s.entity_of(name) for name in [*s.schema, *s.entities]}
    bare = [v for v in said.values("number") if v]
    bare += [v for kind in ("quantity", "price") if kind not in takes for v in said.values(kind)]
    if not bare and form.asked and re.fullmatch(r"\s*#?\s*\d+\s*[.!]?\s*", said.text):
        bare = said.values("choice")  # a bare "2" answering "how many?" is a count, not a pick
    if not bare:
        return []
    amount = decimal_of(bare[-1])
    if amount is None or any(decimal_of(form.values.get(k)) == amount for k in changed):
        return []  # "make it 3 … got 3 heat pumps down": the count just set, said twice
    numeric = {slot.field: s.entity_of(slot.field) for slot in [*s.ask, *s.auction]}
    numeric.update({k: v for k, v in s.entities.items() if v in NUMERIC})
    numeric = {k: v for k, v in numeric.items() if v in NUMERIC and k not in changed}
    if not numeric:
        return []
    target = form.asked if form.asked in numeric else None
    if target is None:
        money = [k for k, v in numeric.items() if v == "price"]
        counts = [k for k, v in numeric.items() if v == "quantity"]
        filled_money = [k for k in money if k in form.values]
        if amount >= 20 or not counts:
            target = next(iter(filled_money or money), None)
        else:
            target = ([k for k in counts if k in form.values] or counts)[0]
    held = decimal_of(form.values.get(target)) if target else None
    if target is None or (target != form.asked and held is not None and amount * 10 < held):
        return []  # a correction is near what it corrects: "3" does not correct a $280 budget
    kind = numeric[target]
    value: Any = int(amount) if kind in ("quantity", "hours", "days", "rating") else str(amount)
    if target == "auction_end":
        value = days_from_now(str(int(amount)))
    form.values[target] = value
    return [target]


def days_from_now(days: str) -> str:
    from knowledge.clock import now

    return (now() + timedelta(days=int(float(days)))).replace(microsecond=0).isoformat()
