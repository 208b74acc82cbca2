"""Amounts said relative to the object talked about: "go 50 over where it's at" is the current bid plus 50,
"20 under asking" the listing's price less 20, "split the difference" midway between an offer and the counter
to it. Resolved against the form's target; an amount with nothing to be relative to is dropped, so the form
asks for it — a relative amount is never taken as the amount itself."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import Ref


def resolved(said: Said, target: Ref | None) -> Said:
    """The message with each relative amount replaced by the amount it comes to (or left out)."""
    entities: list[dict[str, Any]] = []
    for entity in said.entities:
        sign = dict(tuple(x) for x in entity.get("extra") or []).get("relative")
        if not sign:
            entities.append(entity)
            continue
        amount = _amount(sign, _decimal(entity.get("value")), target)
        if amount is not None:
            entities.append({**entity, "value": str(amount), "extra": []})
    return Said(said.text, entities)


def _amount(sign: str, by: Decimal | None, target: Ref | None) -> Decimal | None:
    if target is None:
        return None
    data = target.data
    counter = data.get("counter_offer") if isinstance(data.get("counter_offer"), dict) else {}
    if sign == "mid":
        ours, theirs = _decimal(data.get("offered_price")), _decimal((counter or {}).get("price"))
        return _money((ours + theirs) / 2) if ours is not None and theirs is not None else None
    base = _decimal(data.get("current_bid")) if data.get("listing_type") == "auction" else None
    base = base or _decimal((counter or {}).get("price")) or _decimal(data.get("price")) or \
        _decimal(data.get("offered_price"))
    if base is None or by is None:
        return None
    amount = base + by if sign == "+" else base - by
    return _money(amount) if amount > 0 else None


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01")).normalize() if amount != amount.to_integral() else \
        amount.quantize(Decimal("1"))


def _decimal(raw: object) -> Decimal | None:
    try:
        return Decimal(str(raw).replace(",", "")) if raw not in (None, "") else None
    except InvalidOperation:
        return None
