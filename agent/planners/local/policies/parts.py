"""Finding the part: by number (lookup_part), by description, equipment or symptom (search_parts), from a
photo (identify_part_from_photo), and more about the one in focus."""

from __future__ import annotations

from typing import Any

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies import sites
from agent.planners.local.policies.asked import named_among, search_for_the_kind_asked, specs_said
from agent.planners.local.policies.common import (
    candidates,
    content_words,
    describes_part,
    failure,
    part_args,
    part_maker,
    search_args,
    search_query,
    target_part,
    winner,
)
from agent.planners.local.policy import Call, Ctx, Say, Step, offer, policy, say
from agent.planners.local.render import part_item
from agent.reply_draft import DraftChoice

SOURCE_QUESTION = "Want me to find where to get one?"


def present_part(part: Ref, headline: str, question: str = SOURCE_QUESTION) -> Say:
    return say(headline, question, proposal=offer("find_stock", part))


def ask_which(parts: list[dict[str, Any]], headline: str, goal: str | None = None) -> Say:
    top = parts[:3]
    return say(headline, "Which one?", [part_item(p, p.get("note", "")) for p in top], numbered=True,
               listed=Listed(kind="part", items=[make_ref("part", p) for p in top], goal=goal))


def present_search(ctx: Ctx, searched: Any, goal: str | None = None, fits: str = "") -> Say:
    parts = candidates(searched)
    fits = fits or ", ".join(searched.data.get("detected_equipment") or []) or \
        str(searched.args.get("compatible_with") or "")
    where = f" for {fits}" if fits else ""
    if not parts:
        message = searched.message or "No catalog part matched."
        return say(f"{message} Try the number on the nameplate, the manufacturer or the equipment model.")
    best = winner(parts, f"{ctx.ask.values.get('follow_up') or ''} {search_query(ctx)}")
    if best is not None:
        part = make_ref("part", best)
        ctx.state.put_focus(part)
        note = f"; {best['note']}" if best.get("note") else ""
        return present_part(part, f"Best match{where}: {part_item(best).title}{note}.")
    return ask_which(parts, f"Candidates{where}:", goal)


def present_lookup(ctx: Ctx, data: dict[str, Any]) -> Say:
    matches: list[dict[str, Any]] = data.get("matches") or []
    top = matches[0]
    if top.get("match_kind") == "fuzzy":
        return ask_which(matches, f"No exact match for {data.get('query')}. Did you mean:")
    makers = {m["manufacturer"] for m in matches if (m.get("confidence") or 0) >= (top.get("confidence") or 1) - 0.01}
    if len(makers) > 1:
        return ask_which(matches, f"{data.get('query')} is made by {', '.join(sorted(makers))}.")
    headline = part_item(top).title
    if top.get("lead_time_days"):
        headline += f", lead time {top['lead_time_days']} days"
    headline += "."
    if top.get("is_superseded"):
        headline += f" It is superseded: order {top['current_part_number']} today."
    elif top.get("is_discontinued"):
        headline += " Discontinued, with no listed replacement."
    else:
        older = [h for h in top.get("supersession_chain") or [] if h.get("direction") == "older"]
        replaced = f" (it replaced {older[-1]['from_part_number']})" if older else ""
        headline += f" It's the current number{replaced}."
    return present_part(ctx.state.focus.get("part") or make_ref("part", top), headline)


@policy("find_part")
def find_part(ctx: Ctx) -> Step:
    number = ctx.said.value("part_number")
    if number:
        looked = ctx.last("lookup_part")
        if looked is None:
            args = {"part_number": number}
            maker = next((m for m in ctx.said.values("manufacturer")
                          if m != ctx.said.extra("equipment_model", "manufacturer")), None)
            return Call("lookup_part", {**args, **({"manufacturer": maker} if maker else {})})
        if looked.ok:
            return present_lookup(ctx, looked.data)
        searched = ctx.last("search_parts")
        if searched is None:
            wordy = len(ctx.ask.text.split()) > 2
            return Call("search_parts", search_args(ctx) if wordy else {"query": number, "limit": 10})
        parts = candidates(searched)
        if not parts:
            return say(f"I couldn't find {number} in the catalog.", "Check the number on the nameplate, or tell "
                       "me what the part is and what it goes on.", kind="error")
        if len(ctx.ask.text.split()) > 2 and winner(parts, search_query(ctx)) is not None:
            return present_search(ctx, searched)
        return ask_which(parts, f"{number} isn't in the catalog as typed. Closest matches:")
    if not describes_part(ctx) and not ctx.said.has("equipment_model"):
        part = target_part(ctx)
        if part is not None:
            return present_part(part, part_item(part.data).title + ".")
        return say("What part are you after?", "A part number, a description, or the equipment it goes on helps.",
                   kind="question")
    site = sites.site_named(ctx)
    if site and not ctx.said.has("equipment_model"):
        return _search_at_site(ctx, site)
    searched = ctx.last("search_parts")
    if searched is None:
        return Call("search_parts", search_args(ctx))
    if not searched.ok:
        return failure(searched, "search the catalog")
    narrower = search_for_the_kind_asked(ctx, searched)
    if narrower is not None:
        return narrower
    if not candidates(searched):  # the kind asked for, searched on its own, found nothing: what the story found
        searched = next(r for r in ctx.results if r.name == "search_parts")
    return present_search(ctx, searched, ctx.ask.values.get("goal"))


def _search_at_site(ctx: Ctx, site: str) -> Step:
    """A part described for a site's unit: the site's units, the model the part is for (the only one there,
    or the one of the trade of what a plain search finds), then a search for parts that fit that model. The
    unit stays the equipment talked about, so "does it fit?" checks it."""
    found = ctx.last(sites.SITES)
    if found is None:
        return Call(sites.SITES, {"site": site})
    groups = sites.models(found)
    plain = next((r for r in ctx.results if r.name == "search_parts" and not r.args.get("compatible_with")), None)
    target = groups[0] if len(groups) == 1 else None
    if target is None and groups:
        if plain is None:
            return Call("search_parts", search_args(ctx))
        top = candidates(plain)[:1] if plain.ok else []
        fitting = sites.for_part(groups, top[0]) if top else groups
        target = fitting[0] if len(fitting) == 1 else None
    if target is None:
        if plain is None:
            return Call("search_parts", search_args(ctx))
        if not plain.ok:
            return failure(plain, "search the catalog")
        shown = present_search(ctx, plain, ctx.ask.values.get("goal"))
        context = (f"At {sites.where(found, site)} you service {sites.units_text(groups)}; I couldn't tell which "
                   "one this is for, so these are from the whole catalog." if groups else sites.unknown(found, site))
        shown.draft.notes = [context, *shown.draft.notes]
        return shown
    unit = sites.unit_ref(target, site)
    fitted = next((r for r in ctx.results if r.name == "search_parts"
                   and r.args.get("compatible_with") == target["model"]), None)
    if fitted is None:
        return Call("search_parts", {**search_args(ctx), "compatible_with": target["model"]})
    if not fitted.ok:
        return failure(fitted, "search the catalog")
    ctx.state.equipment = unit
    count = int(target["count"])
    return present_search(ctx, fitted, ctx.ask.values.get("goal"),
                          f"the {unit.label} at {unit.data['site']} ({count} unit{'s' if count > 1 else ''})")


@policy("diagnose")
def diagnose(ctx: Ctx) -> Step:
    """A symptom: search for the parts that usually cause it on that equipment (knowledge.search.symptoms),
    never act on the verb inside it ("won't hold", "won't start")."""
    from knowledge.search.symptoms import likely_parts

    causes = likely_parts(ctx.ask.text)[:2]
    base = search_args(ctx)
    searches = [r for r in ctx.results if r.name == "search_parts"]
    specs = specs_said(ctx.ask.text)  # "the 2 pole 40a 24v coil one": which of its kind
    maker = part_maker(ctx.said) or ""  # "trane rtu condenser fan …": Trane's
    queries = [f"{maker} {cause} {specs}".strip() for cause in causes] or [base["query"]]
    if len(searches) < len(queries):
        return Call("search_parts", {**base, "query": queries[len(searches)]})
    parts: list[dict[str, Any]] = []
    for searched in searches:
        for part in candidates(searched)[:2] if searched.ok else []:
            if part["part_number"] not in {p["part_number"] for p in parts}:
                parts.append(part)
    if not parts:
        return say("I couldn't match that fault to a part.", "What's the equipment model, or the part you suspect?")
    # what a cause's search found besides that kind of part is noise ("flame sensor" for a 59TP6: a thermostat)
    parts = [p for p in parts if any(_is_kind(p, cause) for cause in causes)] or parts
    fits = str(base.get("compatible_with") or "")
    # the symptom's words are not a name: only what they ask for or suspect ("pretty sure the PVT is shot")
    named = named_among(parts, ctx.ask.text, maker)
    if named is not None:  # "… keeps throwing low batt. whats the battery pn": they said which part
        ctx.state.put_focus(make_ref("part", named))
        return present_part(make_ref("part", named), f"That's {part_item(named).title}.")
    if causes and len(parts) == 1 and fits:  # one cause, and one part of that kind for the unit
        ctx.state.put_focus(make_ref("part", parts[0]))
        return present_part(make_ref("part", parts[0]), f"That's usually the {causes[0]}: {part_item(parts[0]).title}.")
    cause = f" — usually the {' or the '.join(causes)}" if causes else ""
    top = parts[:3]
    return say(f"Likely parts for that{' on the ' + fits if fits else ''}{cause}:", "Which one do you want to look at?",
               [part_item(p, p.get("note", "")) for p in top], numbered=True,
               listed=Listed(kind="part", items=[make_ref("part", p) for p in top]))


def _is_kind(part: dict[str, Any], kind: str) -> bool:
    return set(content_words(kind)) <= set(content_words(str(part.get("name") or "")))


@policy("part_chosen")
def part_chosen(ctx: Ctx) -> Step:
    part = ctx.ask.target or target_part(ctx)
    if part is None:
        return say("Which part do you mean?", kind="clarify")
    ctx.state.put_focus(part)
    return present_part(part, part_item(part.data).title + ".",
                        "Want me to find where to get one, or check it fits your unit?")


@policy("photo")
def photo(ctx: Ctx) -> Step:
    read = ctx.last("identify_part_from_photo")
    if read is None:
        for photo_id in ctx.ask.photo_ids:  # a listing drafted later offers to attach it
            ctx.state.remember(Ref(kind="photo", id=photo_id))
        args = {"photo_id": ctx.ask.photo_ids[0]}
        if ctx.ask.text and ctx.ask.text != "What part is this?":
            args["context"] = ctx.ask.text[:300]
        return Call("identify_part_from_photo", args)
    if not read.ok:
        return failure(read, "read that photo")
    data = read.data
    raw: list[dict[str, Any]] = data.get("candidates") or []
    numbers = {c["part_number"] for c in raw}
    best = max((float(c.get("confidence") or 0) for c in raw), default=0.0)
    current = [c for c in raw
               if c.get("superseded_by") not in numbers and float(c.get("confidence") or 0) >= 0.5 * best]
    notes = ["The label also had text that looks like instructions; I ignored it."] if data.get("suspicious_text") \
        else []
    if not current:
        return say(data.get("ask_user") or "I couldn't read a part number on that photo.",
                   "Can you send a closer photo of the label, or type the number?", notes=notes, kind="question")
    top = current[0]
    part = make_ref("part", top)
    if data.get("confident") or len(current) == 1:
        ctx.state.remember(Ref(kind="photo", id=read.args["photo_id"], data={"part_number": top["part_number"]}))
    evidence = "; ".join((top.get("evidence") or [])[:2])
    seen = f"{part_item(top).title} ({evidence}, confidence {float(top.get('confidence') or 0):.0%})"
    goal = ctx.ask.values.get("goal")
    if data.get("confident"):
        ctx.state.put_focus(part)
        if goal == "find_stock":
            found = ctx.last("find_inventory")
            if found is None:
                return Call("find_inventory", {**part_args(part), "emergency": ctx.said.in_a_hurry()})
            from agent.planners.local.policies.sourcing import present_options

            return present_options(ctx, found)
        superseded = f" Superseded by {top['superseded_by']}." if top.get("superseded_by") else ""
        return say(f"That's {seen}.{superseded}", SOURCE_QUESTION, notes=notes, proposal=offer("find_stock", part))
    if len(current) == 1:
        return say(f"It looks like {seen}, but I can't be sure from the photo.",
                   "Is that it? (Or send a closer photo of the label.)", notes=notes,
                   proposal=offer(goal or "part_chosen", part), choices=[DraftChoice(label="Yes", say="yes"),
                                                                          DraftChoice(label="No", say="no")])
    successors = {c.get("superseded_by") for c in current}
    current = [{**c, "note": f"superseded by {c['superseded_by']}"} if c.get("superseded_by") else c for c in current]
    if len(successors) == 1 and None not in successors:  # whichever it is, one number replaces them all
        successor = successors.pop()
        notes.append(f"Either way it's superseded: order {successor} today.")
    picked = ask_which(current, "I can't be sure from the photo. Is it one of these?", goal)
    picked.draft.notes = [*notes, "Or send a closer photo of the label."]
    return picked
