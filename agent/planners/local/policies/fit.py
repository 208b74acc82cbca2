"""Whether a part fits (check_compatibility), against a model named now, the equipment talked about, or the
caller's actual unit at a customer site (find_installed_equipment); and what is installed at a site."""

from __future__ import annotations

from typing import Any

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies import sites
from agent.planners.local.policies.common import (
    candidates,
    failure,
    part_args,
    search_args,
    search_query,
    target_part,
    winner,
)
from agent.planners.local.policies.parts import ask_which, present_part
from agent.planners.local.policy import Call, Ctx, Step, awaiting, policy, say
from agent.planners.local.render import money
from agent.reply_draft import DraftItem


def _equipment_named(ctx: Ctx) -> Ref | None:
    """The equipment this message names: a unit just listed ("the 48TC" after "which unit?"), else the model."""
    model = ctx.said.value("equipment_model")
    if not model:
        return None
    listed = ctx.state.listed
    if listed is not None and listed.kind == "equipment":
        unit = sites.same_model([u.data for u in listed.items], str(model))
        if unit is not None:
            return next(u for u in listed.items if u.data is unit)
    maker = ctx.said.extra("equipment_model", "manufacturer") or ""
    return Ref(kind="equipment", label=f"{maker} {model}".strip(), data={"model": model, "manufacturer": maker})


@policy("check_fit")
def check_fit(ctx: Ctx) -> Step:
    part = target_part(ctx)
    picked = ctx.ask.target if ctx.ask.target is not None and ctx.ask.target.kind == "equipment" else None
    site = None if picked is not None else sites.site_named(ctx)
    # A site named now stands for its own units, not for the equipment talked about before.
    equipment = picked or _equipment_named(ctx) or (None if site else ctx.state.equipment)
    if part is None and equipment is not None:
        searched = ctx.last("search_parts")  # "does the LCB II board work in a 411M?": which part is meant
        if searched is None:
            return Call("search_parts", {k: v for k, v in search_args(ctx).items() if k != "compatible_with"})
        parts = candidates(searched) if searched.ok else []
        best = winner(parts, search_query(ctx))
        if best is None:
            if not parts:
                return say("Which part? Give me the part number or describe it.", kind="question")
            ctx.state.equipment = equipment
            return ask_which(parts, "Which part do you mean?", goal="check_fit")
        part = make_ref("part", best)
    if part is None:
        return say("Which part? Give me the part number or describe it.", kind="question",
                   awaits=awaiting("check_fit", "part_number"))
    ctx.state.put_focus(part)
    note = ""
    if site and not (equipment and equipment.data.get("equipment_id")):
        step = _unit_at_site(ctx, part, site, equipment)
        if not isinstance(step, tuple):
            return step
        equipment, note = step
    successor = part.data.get("current_part_number") or part.data.get("superseded_by")
    if equipment is None and part.data.get("swap") and successor not in (None, part.data.get("part_number")):
        return _swap(part)  # "tag says GAA26800LB1, what's the new #" … "straight swap?"
    if equipment is None:
        return say(f"Which equipment should {part.data.get('part_number')} fit — maker and model (e.g. Otis Gen2)?",
                   kind="question", awaits=awaiting("check_fit", "equipment_model", "site", target=part))
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
    return _verdict(ctx, checked.data, equipment, note)


def _swap(part: Ref) -> Step:
    old, new = part.data.get("part_number"), part.data.get("current_part_number") or part.data.get("superseded_by")
    kinds = set(str(part.data.get("swap")).split(","))
    if kinds <= {"drop_in"}:
        return say(f"Yes — {new} is a drop-in replacement for {old}: they swap both ways.")
    if "requires_modification" in kinds:
        return say(f"Not a straight swap: {new} replaces {old} but needs modification to fit.")
    if "kit" in kinds:
        return say(f"Not a straight swap: {new} replaces {old} with a kit.")
    return say(f"Yes, one way: {new} replaces {old} (a drop-in where {old} was), but not the other way round.")


def _unit_at_site(ctx: Ctx, part: Ref, site: str, equipment: Ref | None) -> Step | tuple[Ref | None, str]:
    """The caller's unit at the site the part is to fit: the model named, the only one there, or the one of
    the part's trade and maker (its catalog entry says which) — else ONE question naming the candidates.
    Returns the unit (or the model named, with a note why) or the next step."""
    found = ctx.last(sites.SITES)
    if found is None:
        return Call(sites.SITES, {"site": site})
    groups = sites.models(found)
    if equipment is not None:
        same = sites.same_model(groups, str(equipment.data.get("model") or ""))
        if same is not None:
            return sites.unit_ref(same, site), ""
        if groups:
            return equipment, (f"There's no {equipment.label} at {sites.where(found, site)} in your records; I "
                               f"checked the {equipment.label} model.")
        return equipment, f"{sites.unknown(found, site, suggest=False)[:-1]}; I checked the {equipment.label} model."
    if not groups:
        return say(sites.unknown(found, site), f"Which equipment should {part.data.get('part_number')} fit — maker "
                   "and model?", kind="question", awaits=awaiting("check_fit", "equipment_model", target=part))
    if len(groups) > 1 and not (part.data.get("category") and part.data.get("manufacturer")):
        looked = ctx.last("lookup_part")
        if looked is None:
            return Call("lookup_part", part_args(part))
        matches = (looked.data.get("matches") or []) if looked.ok else []
        if matches:
            part = make_ref("part", {**part.data, **matches[0]})
            ctx.state.put_focus(part)
    fitting = sites.for_part(groups, part.data)
    if len(fitting) > 1:
        return sites.which_unit(fitting, site, part)
    return sites.unit_ref(fitting[0], site), ""


def verdict_sentence(data: dict[str, Any]) -> str:
    verdict, confidence = data.get("verdict"), float(data.get("confidence") or 0)
    if verdict == "compatible":
        return f"Yes — {data.get('explanation')} Confidence {confidence:.0%}."
    if verdict == "incompatible":
        return f"No — {data.get('part_number')} does not fit the {data.get('equipment')}: {data.get('explanation')}"
    return f"Not sure ({confidence:.0%}): {data.get('explanation')}"


def _verdict(ctx: Ctx, data: dict[str, Any], equipment: Ref, note: str) -> Step:
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
    site = sites.site_named(ctx)
    if site is None:
        return say("Which site? Give me the customer or building name, e.g. the Brown Palace.", kind="question")
    found = ctx.last(sites.SITES)
    if found is None:
        return Call(sites.SITES, {"site": site, "limit": 200})
    if not found.ok:
        return failure(found, "look up the site's equipment")
    models = sites.models(found)
    if not models:
        return say(sites.unknown(found, site))
    where = sites.where(found, site)
    if len(models) == 1:
        ctx.state.equipment = sites.unit_ref(models[0], where)
    items = [DraftItem(kind="equipment", title=f"{g['count']} × {g['label']} "
                                               f"({str(g.get('equipment_type') or '').replace('_', ' ')})",
                       short=f"{g['count']}x {g['label']}") for g in models]
    return say(f"At {where} your organization services:", "Need a part for one of them?", items, numbered=True,
               listed=Listed(kind="equipment", items=[sites.unit_ref(g, where) for g in models], goal="find_part"))
