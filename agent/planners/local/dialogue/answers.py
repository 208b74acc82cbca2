"""Answers that take or decline a slot without naming its value: the value the question offered ("use
suggested", "yes, attach it", "both") and an optional slot declined in so many words ("no reserve")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import FormState

if TYPE_CHECKING:
    from agent.planners.local.dialogue.forms import Slot

# How an offered value is taken ("use suggested", "yes, attach it"; "both" for all the choices offered).
_ACCEPT = {"yes": re.compile(r"^\s*(yes|yeah|yep|yup|ya|sure|ok(ay)?|please( do)?|go ahead|do it|sounds good|fine)\b|"
                            r"\b(use|take|go with|attach|add|include|fine with|ok with|okay with)\b.*\b("
                            r"suggest\w*|that|it|them|those|yours|your price|recommend\w*|photos?|pictures?|pics?)\b|"
                            r"^\s*suggested\b|\bwhatever you (say|suggest|think)\b", re.IGNORECASE),
           "all": re.compile(r"\b(both|either|all|any)\b", re.IGNORECASE)}
_REFUSE = re.compile(r"^\s*(no|nope|nah|skip|none)\b|\b(don'?t|do not|not)\b", re.IGNORECASE)


def declined(form: FormState, slots: list[Slot], said: Said, changed: list[str]) -> list[str]:
    """Optional slots the message declines in so many words ("…, no reserve, shipping")."""
    out = []
    for slot in slots:
        if slot.optional and slot.none is not None and slot.field not in changed and slot.none.search(said.text):
            form.values.pop(slot.field, None)
            if slot.field not in form.declined:
                form.declined.append(slot.field)
            out.append(slot.field)
    return out


def accepted(form: FormState, said: Said, changed: list[str]) -> list[str]:
    """The value the last question offered for its slot, taken ("use suggested", "yes, attach it", "both")."""
    offered = offers(form).get(form.asked or "")
    if offered is None or form.asked in changed or _REFUSE.search(said.text) or \
            not _ACCEPT[offered.get("by", "yes")].search(said.text):
        return []
    return [take_offer(form)]


def offers(form: FormState) -> dict[str, dict[str, Any]]:
    """Values the conversation already holds for slots, offered when they are asked (the suggested price, the
    photos sent earlier): {field: {"value": …, "by": "yes" | "all"}}."""
    return dict(form.hints.get("offers") or {})


def offer(form: FormState, field: str, value: Any, by: str = "yes") -> None:
    """Offer `value` for the slot (None withdraws the offer)."""
    kept = {k: v for k, v in offers(form).items() if k != field}
    form.hints["offers"] = kept if value is None else {**kept, field: {"value": value, "by": by}}


def take_offer(form: FormState) -> str:
    field = str(form.asked)
    form.values[field] = offers(form)[field]["value"]
    return field
