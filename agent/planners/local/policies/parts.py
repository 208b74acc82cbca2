"""Finding the part: by number (lookup_part), by description or equipment (search_parts), from a photo
(identify_part_from_photo), and whether it fits (check_compatibility)."""

from __future__ import annotations

import re

from agent.planners.local.context import Context, Item, part_of
from agent.planners.local.frame import Call, Env, Frame, Step, equipment_of, reply, target_part
from agent.planners.local.history import ToolResult, Turn
from agent.planners.local.policies import sites
from agent.planners.local.policies.common import (
    ask_which,
    candidates,
    failure,
    offer_to_source,
    part_args,
    search_args,
    search_query,
    winner,
)
from agent.planners.local.render import Reply, money, part_line
from agent.planners.local.slots import content_words


def find_part(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    number = frame.slots.part_number
    if number:
        looked = turn.last("lookup_part")
        if looked is None:
            args = {"part_number": number}
            if frame.slots.part_makers:
                args["manufacturer"] = frame.slots.part_makers[0]
            return Call("lookup_part", args)
        if looked.ok:
            return present_lookup(looked.data)
        searched = turn.last("search_parts")
        if searched is None:
            wordy = len(frame.text.split()) > 2
            return Call("search_parts", search_args(frame, env) if wordy else {"query": number, "limit": 10})
        parts = candidates(searched)
        if not parts:
            return failure(looked)
        best = winner(parts) if len(frame.text.split()) > 2 else None
        if best is not None:
            return present_search(searched, parts, None)
        return ask_which(parts, None, f"{number} isn't in the catalog as typed. Closest matches:")
    searched = turn.last("search_parts")
    if searched is None and not content_words(search_query(frame.text)) and not frame.slots.equipment:
        if target_part(frame, ctx) is not None:  # "find me one" about the part in focus
            from agent.planners.local.policies.sourcing import source

            return source(frame, ctx, turn, env)
        return reply("What part are you after? A part number, a description or the equipment model helps.",
                     awaiting={"kind": "part", "goal": "find_part"})
    site = sites.site_of(frame)
    if site and not frame.slots.equipment:
        at_site = sites.search_at_site(frame, turn, env, site)
        if at_site is not None:
            return at_site
        searched = next((r for r in turn.results if r.name == "search_parts"), None)
    if searched is None:
        return Call("search_parts", search_args(frame, env))
    if not searched.ok:
        return failure(searched, "search the catalog")
    step = present_search(searched, candidates(searched), None)
    found = turn.last(sites.TOOL)
    if found is not None and isinstance(step, Reply):
        units = sites.groups(found)
        step.head = (f"At {units[0]['site']} you service {sites.units_text(units)}; I couldn't tell which one this "
                     "is for, so these are from the whole catalog. " if units else
                     sites.unknown_site(found, site or "") + " ") + step.head
    return step


def present_search(searched: ToolResult, parts: list[Item], goal: str | None, where: str | None = None,
                   equipment: Item | None = None) -> Step:
    data = searched.data
    if not parts:
        message = data.get("message") or "No catalog part matched."
        return reply(f"{message} Try the number on the nameplate, the manufacturer or the equipment model.",
                     awaiting={"kind": "part", "goal": goal or "find_part"})
    fits = where or ", ".join(data.get("detected_equipment") or []) or str(searched.args.get("compatible_with") or "")
    best = winner(parts)
    if best is not None:
        head = f"Best match{' for ' + fits if fits else ''}: {part_line(best)[0]}."
        return reply(head, "Want me to find where to get one?", focus={"kind": "part", "item": best},
                     awaiting=offer_to_source(best), equipment=equipment)
    step = ask_which(parts, goal, f"Candidates{' for ' + fits if fits else ''}:")
    if equipment:
        step.note["equipment"] = equipment
    return step


def present_lookup(data: Item) -> Step:
    matches: list[Item] = data.get("matches", [])
    top = matches[0]
    if top.get("match_kind") == "fuzzy":
        return ask_which([part_of(m) for m in matches], None,
                         f"No exact match for {data.get('query')}. Did you mean:")
    makers = {m["manufacturer"] for m in matches if m.get("confidence", 0) >= top.get("confidence", 1) - 0.01}
    if len(makers) > 1:
        return ask_which([part_of(m) for m in matches], None,
                         f"{data.get('query')} is made by {', '.join(sorted(makers))}.")
    part = part_of(top)
    head = part_line(part)[0]
    if top.get("lead_time_days"):
        head += f", lead time {top['lead_time_days']} days"
    head += "."
    if top.get("is_superseded"):
        head += f" It is superseded: order {top['current_part_number']} today."
        part["current_part_number"] = top["current_part_number"]
    elif top.get("is_discontinued"):
        head += " Discontinued, no listed replacement."
    else:
        older = [h for h in top.get("supersession_chain") or [] if h.get("direction") == "older"]
        head += f" It's the current number{' (it replaced ' + older[-1]['from_part_number'] + ')' if older else ''}."
    return reply(head, "Want me to find where to get one?", focus={"kind": "part", "item": part},
                 awaiting=offer_to_source(part))


def part_chosen(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    part = frame.ref_item("parts") or target_part(frame, ctx)
    if part is None:
        return reply("Which part do you mean?")
    return reply(f"{part_line(part)[0]}.", "Want me to find where to get one, or check it fits your unit?",
                 focus={"kind": "part", "item": part}, awaiting=offer_to_source(part))


def photo(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    read = turn.last("identify_part_from_photo")
    if read is None:
        args: dict[str, str] = {"photo_id": frame.photo_ids[0]}
        if frame.text:
            args["context"] = frame.text[:300]
        return Call("identify_part_from_photo", args)
    if not read.ok:
        return failure(read, "read that photo")
    data = read.data
    raw: list[Item] = data.get("candidates", [])
    # Older revisions that the top reading supersedes are the same part: don't offer them as alternatives.
    numbers = {c["part_number"] for c in raw}
    best = max((float(c.get("confidence") or 0) for c in raw), default=0.0)
    current = [c for c in raw if c.get("superseded_by") not in numbers
               and float(c.get("confidence") or 0) >= 0.5 * best]
    warning = " (The label also had text that looks like instructions; I ignored it.)" if data.get(
        "suspicious_text") else ""
    if not current:
        return reply((data.get("ask_user") or "I couldn't read a part number.") + warning,
                     awaiting={"kind": "part", "goal": "find_part"})
    top, goal = current[0], frame.extra.get("goal")
    part = part_of(top)
    evidence = "; ".join(top.get("evidence", [])[:2])
    seen = f"{part_line(part)[0]} ({evidence}, confidence {float(top.get('confidence', 0)):.0%})"
    if data.get("confident"):
        if goal == "source":
            found = turn.last("find_inventory")
            if found is None:
                return Call("find_inventory", {**part_args(part), "emergency": frame.slots.emergency})
            from agent.planners.local.policies.sourcing import present_options

            return present_options(found, frame) if found.ok else failure(found, "look for stock")
        head = f"That's {seen}." + (f" Superseded by {top['superseded_by']}." if top.get("superseded_by") else "")
        return reply(head + warning, "Want me to find where to get one?", focus={"kind": "part", "item": part},
                     awaiting=offer_to_source(part))
    if len(current) == 1:
        proposal = {"intent": goal or "part_chosen", "ref": {"kind": "parts", "item": part}}
        return reply(f"It looks like {seen}, but I can't be sure from the photo.{warning}",
                     "Is that it? (yes/no — or send a closer photo of the label)",
                     awaiting={"kind": "yesno", "proposal": proposal})
    step = ask_which([part_of(c) for c in current], goal, "I can't be sure from the photo." + warning +
                     " Is it one of these?")
    step.tail = f"{step.tail} Or send a closer photo of the label."
    return step


def compat(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    part = target_part(frame, ctx)
    site = sites.site_of(frame)
    # A site named now stands for its own units, not for equipment talked about before.
    equipment = equipment_of(frame, None if frame.slots.site else ctx)
    if part is None and equipment is not None and _names_a_part(frame, equipment):
        part, step = _searched_part(frame, env, turn, equipment)  # "does the LCB II board work in a 411M?"
        if step is not None:
            return step
    if part is None:
        return reply("Which part? Give me the part number or describe it.",
                     awaiting={"kind": "part", "goal": "compat", "site": site}, equipment=equipment)
    note = None
    if site and not (equipment or {}).get("equipment_id"):
        found = sites.lookup(site, turn)
        if isinstance(found, Call):
            return found
        models = sites.groups(found)
        if equipment is not None:
            chosen = sites.matching_model(models, equipment)
            if chosen is not None:
                equipment = sites.equipment_item(chosen)
            else:
                where = (f"There's no {equipment['label']} at {sites.site_name(found, site)} in your records"
                         if models else sites.unknown_site(found, site, suggest=False).rstrip("."))
                note = f"{where}; I checked the {equipment['label']} model."
        elif not models:
            return reply(f"{sites.unknown_site(found, site)} Which equipment should {part['part_number']} fit — "
                         "maker and model (e.g. Otis Gen2)?", awaiting={"kind": "equipment", "goal": "compat"},
                         focus={"kind": "part", "item": part})
        else:
            if len(models) > 1 and not (part.get("category") and part.get("manufacturer")):
                looked = turn.last("lookup_part")  # which of the site's units is it for? its trade and maker say
                if looked is None:
                    return Call("lookup_part", part_args(part))
                matches = looked.data.get("matches") or [] if looked.ok else []
                part = {**part, **part_of(matches[0])} if matches else part
            models = sites.narrow_for_part(models, part)
            if len(models) > 1:
                return sites.which_unit(models, site, "compat", part)
            equipment = sites.equipment_item(models[0])
    if equipment is None:
        return reply(f"Which equipment should {part['part_number']} fit — maker and model (e.g. Otis Gen2)?",
                     awaiting={"kind": "equipment", "goal": "compat"}, focus={"kind": "part", "item": part})
    checked = turn.last("check_compatibility")
    if checked is None:
        args = {"part_number": part["part_number"]}
        if part.get("manufacturer"):
            args["part_manufacturer"] = part["manufacturer"]
        if equipment.get("equipment_id"):
            args["equipment_id"] = equipment["equipment_id"]
        else:
            args["equipment_model"] = equipment["model"]
            if equipment.get("manufacturer"):
                args["equipment_manufacturer"] = equipment["manufacturer"]
        return Call("check_compatibility", args)
    if not checked.ok:
        return failure(checked, "check the fit")
    return present_compat(checked.data, equipment, site, note)


def _names_a_part(frame: Frame, equipment: Item) -> bool:
    """Besides the equipment, does the message describe a part ("the LCB II board")?"""
    rest = frame.text
    for words in sorted({equipment["model"], equipment.get("manufacturer") or "", *equipment.get("aliases", [])},
                        key=len, reverse=True):
        if words:
            rest = re.sub(rf"(?i)\b{re.escape(words)}\b", " ", rest)
    rest = re.sub(r"(?i)\b(does|do|will|would|can|is|are|it|this|that|the|a|an|my|our|work|works|fit|fits|"
                  r"compatible|with|in|on|for|go|goes)\b", " ", rest)
    return len(content_words(rest)) >= 1


def _searched_part(frame: Frame, env: Env, turn: Turn, equipment: Item) -> tuple[Item | None, Step | None]:
    """The part the description names: a search without the fit filter (the fit is the question), then the
    clear winner — or the next step (the search itself, or "which one?") when there is none yet."""
    searched = turn.last("search_parts")
    if searched is None:
        args = {k: v for k, v in search_args(frame, env).items() if k != "compatible_with"}
        return None, Call("search_parts", args)
    if not searched.ok:
        return None, failure(searched, "search the catalog")
    parts = candidates(searched)
    part = winner(parts)
    if part is not None:
        return part, None
    question = present_search(searched, parts, "compat")
    if isinstance(question, Reply):  # the answer ("1") must still be checked against this equipment
        question.note["equipment"] = {k: v for k, v in equipment.items() if k != "site"}
    return None, question


def compat_sentence(data: Item) -> str:
    verdict, confidence = data.get("verdict"), float(data.get("confidence") or 0)
    pn, equipment = data.get("part_number"), data.get("equipment")
    if verdict == "compatible":
        return f"Yes — {data.get('explanation')} Confidence {confidence:.0%}."
    if verdict == "incompatible":
        return f"No — {pn} does not fit the {equipment}: {data.get('explanation')}"
    return f"Unknown ({confidence:.0%}): {data.get('explanation')}"


def present_compat(data: Item, equipment: Item, site: str | None, note: str | None = None) -> Step:
    head = compat_sentence(data)
    if equipment.get("equipment_id") and equipment.get("count"):
        others = int(equipment["count"]) - 1
        same = f"; the other {others} there {'is' if others == 1 else 'are'} the same model" if others else ""
        head += f" (Checked on {equipment.get('unit') or 'the unit'} at {equipment.get('site')}{same}.)"
    elif note:
        head += f" ({note})"
    elif site and not equipment.get("equipment_id"):
        head += f" (Checked against the {equipment.get('label')} model for the unit at {site}.)"
    alternatives = data.get("alternatives") or []
    part = {"part_number": data["part_number"], "manufacturer": data.get("part_manufacturer"),
            "name": data.get("part_name"), "part_id": data.get("part_id")}
    eq = {k: v for k, v in equipment.items() if k != "site" or equipment.get("equipment_id")}
    if data.get("verdict") != "compatible" and alternatives:
        items = [(f"{a['part_number']} — {a['manufacturer']} {a['name']} ({money(a.get('msrp'))})",
                  f"{a['part_number']} {a['name']}") for a in alternatives[:3]]
        return reply(head, "Parts that do fit: which one?", items, focus={"kind": "part", "item": part},
                     shown={"kind": "parts", "items": [part_of(a) for a in alternatives[:3]]},
                     awaiting={"kind": "choice", "goal": None}, equipment=eq)
    tail = "Want me to find where to get one?" if data.get("verdict") == "compatible" else ""
    return reply(head, tail, focus={"kind": "part", "item": part}, equipment=eq,
                 awaiting=offer_to_source(part) if tail else None)

