"""Customer sites: "the Gen2 at the Brown Palace", "I'm at Republic Plaza, need a door operator", "what's
installed at Denver Health?" — resolved to the caller's installed units with find_installed_equipment, so the
fit is checked against the actual unit and searches are narrowed to the model that is there."""

from __future__ import annotations

from typing import Any

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, reply
from agent.planners.local.history import ToolResult, Turn
from agent.planners.local.policies.common import candidates, failure, search_args
from agent.planners.local.render import Reply

TOOL = "find_installed_equipment"


def site_of(frame: Frame) -> str | None:
    """The site this message names, or the one the question it answers was about."""
    return frame.slots.site or frame.extra.get("site")


def lookup(site: str, turn: Turn, **filters: Any) -> Call | ToolResult:
    """This turn's find_installed_equipment result for the site, or the call to make."""
    found = turn.last(TOOL)
    return found if found is not None else Call(TOOL, {"site": site, **filters})


def groups(found: ToolResult) -> list[Item]:
    """The units by model: one item per (maker, model) with its count and first unit."""
    out: dict[tuple[str, str], Item] = {}
    for unit in found.data.get("units", []) if found.ok else []:
        key = (unit["manufacturer"], unit["model"])
        if key not in out:
            out[key] = {"manufacturer": unit["manufacturer"], "model": unit["model"], "trade": unit.get("trade"),
                        "equipment_type": unit.get("equipment_type"), "count": 0,
                        "equipment_id": unit["equipment_id"], "unit": unit.get("unit"), "site": unit["site_name"],
                        "label": f"{unit['manufacturer']} {unit['model']}"}
        out[key]["count"] += 1
    return list(out.values())


def equipment_item(group: Item) -> Item:
    """What the conversation carries as "the equipment" once a site's unit is chosen."""
    return {k: group[k] for k in ("manufacturer", "model", "label", "equipment_id", "unit", "count", "site")}


def units_text(found: list[Item]) -> str:
    return ", ".join(f"{g['count']} × {g['label']}" for g in found)


def matching_model(found: list[Item], equipment: Item) -> Item | None:
    """The site's model the user named: exactly, else the one of that family ("MonoSpace" → MonoSpace 500)."""
    named = str(equipment.get("model") or "").lower()
    exact = [g for g in found if g["model"].lower() == named]
    family = [g for g in found if named and (g["model"].lower().startswith(named) or named.startswith(
        g["model"].lower()))]
    chosen = exact or family
    return chosen[0] if len(chosen) == 1 else None


def site_name(found: ToolResult, site: str) -> str:
    return " / ".join(found.data.get("sites") or []) or site


def narrow_for_part(found: list[Item], part: Item) -> list[Item]:
    """The site's models a part could be for: same trade as its category, else same maker."""
    trade = str(part.get("category") or "").split("_", 1)[0]
    same_trade = [g for g in found if trade and g.get("trade") == trade]
    if same_trade:
        found = same_trade
    maker = str(part.get("manufacturer") or "").lower()
    same_maker = [g for g in found if maker and g["manufacturer"].lower() == maker]
    return same_maker if len(same_maker) == 1 else found


def which_unit(found: list[Item], site: str, goal: str, part: Item | None = None) -> Reply:
    where = found[0]["site"] if found else site
    items = [(f"{g['count']} × {g['label']} ({str(g.get('equipment_type') or '').replace('_', ' ')})",
              f"{g['label']} ({g['count']})") for g in found[:5]]
    return reply(f"Which unit at {where}?", "Tell me the model (e.g. " + found[0]["model"] + ").", items,
                 awaiting={"kind": "equipment", "goal": goal, "site": site},
                 focus={"kind": "part", "item": part} if part else None)


def unknown_site(found: ToolResult, site: str, suggest: bool = True) -> str:
    near = found.data.get("did_you_mean") or [] if suggest else []
    guess = f" Did you mean {' or '.join(near)}?" if near else ""
    return f"{site} isn't among your organization's sites.{guess}"


def search_at_site(frame: Frame, turn: Turn, env: Env, site: str) -> Step | None:
    """A part described for a site's unit: find the site's units, work out which model the part is for (the
    only one there, or the one of the part's trade), and search for parts that fit it. None: search plainly."""
    found = lookup(site, turn)
    if isinstance(found, Call):
        return found
    models = groups(found)
    if not models:
        return None
    plain = next((r for r in turn.results if r.name == "search_parts" and not r.args.get("compatible_with")), None)
    target = models[0] if len(models) == 1 else None
    if target is None:
        if plain is None:
            return Call("search_parts", search_args(frame, env))
        top = candidates(plain)[:1]
        fitting = narrow_for_part(models, top[0]) if top else models
        target = fitting[0] if len(fitting) == 1 else None
        if target is None:
            return None
    fitted = next((r for r in turn.results if r.name == "search_parts"
                   and r.args.get("compatible_with") == target["model"]), None)
    if fitted is None:
        return Call("search_parts", {**search_args(frame, env), "compatible_with": target["model"]})
    from agent.planners.local.policies.parts import present_search

    if not fitted.ok:
        return failure(fitted, "search the catalog")
    where = f"the {target['label']} at {target['site']} ({target['count']} unit{'s' if target['count'] > 1 else ''})"
    return present_search(fitted, candidates(fitted), None, where=where, equipment=equipment_item(target))


def site_units(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    """ "What's installed at Denver Health?": the caller's units at the site, by model."""
    answering = (ctx.awaiting or {}).get("goal") == "site_units"
    site = site_of(frame) or (frame.text.strip(" ?.!") if answering and frame.text.strip() else None)
    if site is None:
        return reply("Which site? Give me the customer or building name, e.g. 'the Brown Palace'.",
                     awaiting={"kind": "part", "goal": "site_units"})
    found = lookup(site, turn, limit=200)
    if isinstance(found, Call):
        return found
    if not found.ok:
        return failure(found, "look up the site's equipment")
    models = groups(found)
    if not models:
        return reply(unknown_site(found, site) if not found.data.get("sites") else str(found.data.get("message")))
    where = " and ".join(found.data.get("sites") or [])
    items = [(f"{g['count']} × {g['label']} ({str(g.get('equipment_type') or '').replace('_', ' ')})",
              f"{g['count']}x {g['label']}") for g in models]
    only = models[0] if len(models) == 1 else None
    return reply(f"At {where} your organization services:", "Need a part for one of them?", items,
                 equipment=equipment_item(only) if only else None)
