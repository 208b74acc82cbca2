"""Amounts said relative to the object talked about: "go 50 over where it's at" is the current bid plus 50,
"20 under asking" the listing's price less 20, "split the difference" midway between an offer and the counter
to it. Resolved against the form's target; an amount with nothing to be relative to is dropped, so the form
asks for it — a relative amount is never taken as the amount itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import Ref
from agent.planners.local.nlu.numbers import decimal_of, plain


def resolved(said: Said, target: Ref | None) -> Said:
    """The message with each relative amount replaced by the amount it comes to (or left out)."""
    entities: list[dict[str, Any]] = []
    for entity in said.entities:
        sign = dict(tuple(x) for x in entity.get("extra") or []).get("relative")
        if not sign:
            entities.append(entity)
            continue
        amount = _amount(sign, decimal_of(entity.get("value")), target)
        if amount is not None:
            entities.append({**entity, "value": plain(amount.quantize(Decimal("0.01"))), "extra": []})
    return Said(said.text, entities)


def _amount(sign: str, by: Decimal | None, target: Ref | None) -> Decimal | None:
    if target is None:
        return None
    data = target.data
    counter = data.get("counter_offer") if isinstance(data.get("counter_offer"), dict) else {}
    if sign == "mid":
        ours, theirs = decimal_of(data.get("offered_price")), decimal_of((counter or {}).get("price"))
        return (ours + theirs) / 2 if ours is not None and theirs is not None else None
    base = decimal_of(data.get("current_bid")) if data.get("listing_type") == "auction" else None
    base = base or decimal_of((counter or {}).get("price")) or decimal_of(data.get("price")) or \
        decimal_of(data.get("offered_price"))
    if base is None or by is None:
        return None
    amount = base + by if sign == "+" else base - by
    return amount if amount > 0 else None

