"""Whether a part fits (check_compatibility), against a model named now, the equipment talked about, or the
caller's actual unit at a customer site (find_installed_equipment); and what is installed at a site."""

from __future__ import annotations

from typing import Any

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.common import candidates, failure, search_args, target_part, winner
from agent.planners.local.policies.parts import ask_which, present_part
from agent.planners.local.policy import Call, Ctx, Step, ToolResult, policy, say
from agent.planners.local.render import money
from agent.reply_draft import DraftItem

SITES = "find_installed_equipment"


def _models(found: ToolResult) -> list[dict[str, Any]]:
    """A site's units grouped by model, with a count and the first unit."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for unit in (found.data.get("units") or []) if found.ok else []:
        key = (unit["manufacturer"], unit["model"])
        group = out.setdefault(key, {**unit, "count": 0, "label": f"{unit['manufacturer']} {unit['model']}"})
        group["count"] += 1
    return list(out.values())


def _equipment_named(ctx: Ctx) -> Ref | None:
    model = ctx.said.value("equipment_model")
    if model:
        maker = ctx.said.extra("equipment_model", "manufacturer") or ""
        return Ref(kind="equipment", label=f"{maker} {model}".strip(), data={"model": model, "manufacturer": maker})
    return None


def _site(ctx: Ctx) -> str | None:
    return ctx.said.value("site") or ctx.ask.values.get("site")


@policy("check_fit")
def check_fit(ctx: Ctx) -> Step:
    part = target_part(ctx)
    equipment = _equipment_named(ctx) or (None if _site(ctx) else ctx.state.equipment)
    if part is None and equipment is not None:
        searched = ctx.last("search_parts")  # "does the LCB II board work in a 411M?": which part is meant
        if searched is None:
            args = {k: v for k, v in search_args(ctx).items() if k != "compatible_with"}
            return Call("search_parts", args)
        parts = candidates(searched) if searched.ok else []
        best = winner(parts)
        if best is None:
            if not parts:
                return say("Which part? Give me the part number or describe it.", kind="question")
            ctx.state.equipment = equipment
            return ask_which(parts, "Which part do you mean?", goal="check_fit")
        part = make_ref("part", best)
    if part is None:
        return say("Which part? Give me the part number or describe it.", kind="question")
    ctx.state.put_focus(part)
    note = ""
    site = _site(ctx)
    if site and not (equipment and equipment.data.get("equipment_id")):
        found = ctx.last(SITES)
        if found is None:
            return Call(SITES, {"site": site})
        models = _models(found)
        if equipment is not None:
            same = [g for g in models if g["model"].lower() == str(equipment.data.get("model")).lower()]
            if same:
                equipment = _unit_ref(same[0], site)
            else:
                note = (f"There's no {equipment.label} at {site} in your records; I checked the {equipment.label} "
                        "model.")
        elif len(models) == 1:
            equipment = _unit_ref(models[0], site)
        elif models:
            return say(f"Which unit at {site}?", "Tell me the model.",
                       [DraftItem(kind="equipment", title=f"{g['count']} × {g['label']}") for g in models[:5]],
                       numbered=True, listed=Listed(kind="equipment", items=[_unit_ref(g, site) for g in models[:5]],
                                                    goal="check_fit"))
        else:
            near = found.data.get("did_you_mean") or []
            guess = f" Did you mean {' or '.join(near)}?" if near else ""
            return say(f"{site} isn't among your organization's sites.{guess}",
                       f"Which equipment should {part.data.get('part_number')} fit — maker and model?",
                       kind="question")
    if equipment is None and ctx.ask.target is not None and ctx.ask.target.kind == "equipment":
        equipment = ctx.ask.target
    if equipment is None:
        return say(f"Which equipment should {part.data.get('part_number')} fit — maker and model (e.g. Otis Gen2)?",
                   kind="question")
    checked = ctx.last("check_compatibility")
    if checked is None:
        args: dict[str, Any] = {"part_number": part.data.get("part_number")}
        if part.data.get("manufacturer"):
            args["part_manufacturer"] = part.data["manufacturer"]
        if equipment.data.get("equipment_id"):
            args["equipment_id"] = equipment.data["equipment_id"]
        else:
            args["equipment_model"] = equipment.data.get("model")
            if equipment.data.get("manufacturer"):
                args["equipment_manufacturer"] = equipment.data["manufacturer"]
        return Call("check_compatibility", args)
    if not checked.ok:
        return failure(checked, "check the fit")
    return _verdict(ctx, checked.data, equipment, site, note)


def _unit_ref(group: dict[str, Any], site: str) -> Ref:
    return Ref(kind="equipment", id=str(group.get("equipment_id")), label=group["label"],
               data={"model": group["model"], "manufacturer": group["manufacturer"],
                     "equipment_id": group.get("equipment_id"), "unit": group.get("unit"),
                     "site": group.get("site_name") or site, "count": group.get("count")})


def verdict_sentence(data: dict[str, Any]) -> str:
    verdict, confidence = data.get("verdict"), float(data.get("confidence") or 0)
    if verdict == "compatible":
        return f"Yes — {data.get('explanation')} Confidence {confidence:.0%}."
    if verdict == "incompatible":
        return f"No — {data.get('part_number')} does not fit the {data.get('equipment')}: {data.get('explanation')}"
    return f"Not sure ({confidence:.0%}): {data.get('explanation')}"


def _verdict(ctx: Ctx, data: dict[str, Any], equipment: Ref, site: str | None, note: str) -> Step:
    headline = verdict_sentence(data)
    if equipment.data.get("equipment_id") and equipment.data.get("count"):
        others = int(equipment.data["count"]) - 1
        same = f"; the other {others} there {'is' if others == 1 else 'are'} the same model" if others else ""
        headline += f" (Checked on {equipment.data.get('unit') or 'the unit'} at {equipment.data.get('site')}{same}.)"
    elif note:
        headline += f" ({note})"
    ctx.state.equipment = equipment
    part = make_ref("part", {"part_number": data["part_number"], "manufacturer": data.get("part_manufacturer"),
                             "name": data.get("part_name"), "part_id": data.get("part_id")})
    alternatives = data.get("alternatives") or []
    if data.get("verdict") != "compatible" and alternatives:
        items = [DraftItem(kind="part", title=f"{a['part_number']} — {a['manufacturer']} {a['name']} "
                                              f"({money(a.get('msrp'))})", short=f"{a['part_number']} {a['name']}")
                 for a in alternatives[:3]]
        return say(headline, "Parts that do fit — which one?", items, numbered=True,
                   listed=Listed(kind="part", items=[make_ref("part", a) for a in alternatives[:3]]))
    if data.get("verdict") == "compatible":
        return present_part(part, headline)
    return say(headline)


@policy("site_equipment")
def site_equipment(ctx: Ctx) -> Step:
    site = _site(ctx)
    if site is None:
        return say("Which site? Give me the customer or building name, e.g. the Brown Palace.", kind="question")
    found = ctx.last(SITES)
    if found is None:
        return Call(SITES, {"site": site, "limit": 200})
    if not found.ok:
        return failure(found, "look up the site's equipment")
    models = _models(found)
    if not models:
        near = found.data.get("did_you_mean") or []
        guess = f" Did you mean {' or '.join(near)}?" if near else ""
        return say(f"{site} isn't among your organization's sites.{guess}")
    where = " and ".join(found.data.get("sites") or [site])
    if len(models) == 1:
        ctx.state.equipment = _unit_ref(models[0], where)
    items = [DraftItem(kind="equipment", title=f"{g['count']} × {g['label']} "
                                               f"({str(g.get('equipment_type') or '').replace('_', ' ')})",
                       short=f"{g['count']}x {g['label']}") for g in models]
    return say(f"At {where} your organization services:", "Need a part for one of them?", items, numbered=True,
               listed=Listed(kind="equipment", items=[_unit_ref(g, where) for g in models], goal="find_part"))
