"""Customer sites: the caller's installed units at a site named in the message (find_installed_equipment),
grouped by model, narrowed to the ones a part could be for, and the unit the conversation then talks about.
Used by the fit check ("the Gen2 at the Brown Palace") and the part search ("I'm at Republic Plaza, need a
door operator")."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policy import Ctx, Say, ToolResult, awaiting, say
from agent.reply_draft import DraftItem

SITES = "find_installed_equipment"
_NAMED_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?([A-Z][\w'&.-]*(?:\s+[A-Z0-9][\w'&.-]*){0,3})")


def site_named(ctx: Ctx) -> str | None:
    """The customer site named: a known one, else a capitalised place after "at"/"in" that is no other
    name we know ("the Gen2 at the Hilton")."""
    known = ctx.said.value("site") or ctx.ask.values.get("site")
    if known:
        return str(known)
    taken = {e["text"].lower() for e in ctx.said.entities}
    for found in _NAMED_PLACE.finditer(ctx.said.text):
        name = found.group(1).strip(" .,?!")
        if name.lower() not in taken and not any(name.lower() in t or t in name.lower() for t in taken):
            return name
    return None


def models(found: ToolResult) -> list[dict[str, Any]]:
    """A site's units grouped by model, with a count and the first unit."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for unit in (found.data.get("units") or []) if found.ok else []:
        key = (unit["manufacturer"], unit["model"])
        group = out.setdefault(key, {**unit, "count": 0, "label": f"{unit['manufacturer']} {unit['model']}"})
        group["count"] += 1
    return list(out.values())


def unit_ref(group: dict[str, Any], site: str) -> Ref:
    return Ref(kind="equipment", id=str(group.get("equipment_id")), label=group["label"],
               data={"model": group["model"], "manufacturer": group["manufacturer"],
                     "equipment_id": group.get("equipment_id"), "unit": group.get("unit"),
                     "site": group.get("site_name") or site, "count": group.get("count")})


def where(found: ToolResult, site: str) -> str:
    return " and ".join(found.data.get("sites") or []) or site


def same_model(groups: list[dict[str, Any]], model: str) -> dict[str, Any] | None:
    """The site's model the user named: exactly, else the one of that family ("MonoSpace" → MonoSpace 500)."""
    named = model.lower()
    exact = [g for g in groups if g["model"].lower() == named]
    family = [g for g in groups if named and (g["model"].lower().startswith(named) or
                                              named.startswith(g["model"].lower()))]
    chosen = exact or family
    return chosen[0] if len(chosen) == 1 else None


def for_part(groups: list[dict[str, Any]], part: dict[str, Any]) -> list[dict[str, Any]]:
    """The site's models a part could be for: those of its trade (a door operator is for the elevators, not
    the rooftop units), then of its maker when that leaves one."""
    trade = str(part.get("trade") or str(part.get("category") or "").split("_", 1)[0])
    same_trade = [g for g in groups if trade and g.get("trade") == trade]
    groups = same_trade or groups
    maker = str(part.get("manufacturer") or "").lower()
    same_maker = [g for g in groups if maker and g["manufacturer"].lower() == maker]
    return same_maker if len(same_maker) == 1 else groups


def unknown(found: ToolResult, site: str, suggest: bool = True) -> str:
    near = (found.data.get("did_you_mean") or []) if suggest else []
    guess = f" Did you mean {' or '.join(near)}?" if near else ""
    return f"{site} isn't among your organization's sites.{guess}"


def units_text(groups: list[dict[str, Any]]) -> str:
    return ", ".join(f"{g['count']} × {g['label']}" for g in groups)


def which_unit(groups: list[dict[str, Any]], site: str, part: Ref) -> Say:
    """ONE question naming the units the part could be for; the answer (a number or the model) checks it."""
    shown = groups[:5]
    items = [DraftItem(kind="equipment", title=f"{g['count']} × {g['label']} "
                                               f"({str(g.get('equipment_type') or '').replace('_', ' ')})",
                       short=f"{g['count']}x {g['label']}") for g in shown]
    return say(f"Which unit at {shown[0].get('site_name') or site}?", f"Tell me the model (e.g. {shown[0]['model']}).",
               items, numbered=True, kind="clarify",
               listed=Listed(kind="equipment", items=[unit_ref(g, site) for g in shown], goal="check_fit"),
               awaits=awaiting("check_fit", "equipment_model", target=part))
