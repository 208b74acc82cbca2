"""Our own stock: do WE have it (and where: the warehouse, my truck), what's running low, using or finding
units (adjust_stock), moving them between trucks and stores (transfer_stock), and our holds."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.item_words import as_catalog_says
from agent.planners.local.dialogue.refs import make_ref, match, names_other_kind, resolve
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.nlu.numbers import WORD_NUMBERS
from agent.planners.local.policies.common import (
    about_them,
    candidates,
    cataloged,
    content_words,
    describes_part,
    failure,
    in_view,
    named_part,
    search_args,
    search_query,
    target_part,
    winner,
)
from agent.planners.local.policies.form_driver import finishes, start
from agent.planners.local.policies.parts import ask_which
from agent.planners.local.policies.places import from_and_to, location_id
from agent.planners.local.policies.sourcing import find_stock, for_a_repair_anywhere, not_their_stock, theirs_asked
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, offer, policy, say
from agent.planners.local.render import condition
from agent.reply_draft import DraftItem

REMOVING = {"used_on_job", "damaged", "lost", "returned"}
_ELSEWHERE = re.compile(r"\b(else|other|others|rest of|anyone|anybody|team|crew)\b")
_RELATIVE = re.compile(r"\b(\d+|one|two|three|four|five|six|a couple)\s+(more|extra|over|fewer|less|short|under)\b")


def stock_line(i: dict[str, Any], place: bool = True) -> str:
    """"1 × Scroll compressor, ZP49K5E-PFV-800 at Northline Shop (below reorder point); 4 on order"."""
    low = " (below reorder point)" if i.get("below_reorder_point") else ""
    name = f" {i.get('name')}," if i.get("name") else ""
    at = f" at {i.get('location_name')}" if place else ""
    coming = f"; {i['quantity_on_order']} on order" if int(i.get("quantity_on_order") or 0) > 0 else ""
    kept = i.get("condition")
    state = f" ({condition(kept)})" if kept and kept != "new" else ""  # a truck's new and refurbished caps apart
    return f"{i.get('quantity_available')} ×{name} {i.get('part_number')}{state}{at}{low}{coming}"


def _at(location: str | None, env_name: str, item: dict[str, Any]) -> bool:
    """Is the stock item at the place the message names (my_truck: the caller's own truck)?"""
    if not location:
        return True
    name = str(item.get("location_name") or "")
    if location == "my_truck":
        first = env_name.split()[0] if env_name else ""
        return item.get("location_type") == "truck" and (not first or first.lower() in name.lower())
    if location == "warehouse":
        return item.get("location_type") == "warehouse"
    return name.lower() == location.lower() or location.lower() in name.lower()


_THOSE = re.compile(r"\b(?:those|these|them|em|any of (?:those|these|them|em))\b")


@policy("own_stock")
def own_stock(ctx: Ctx) -> Step:
    if for_a_repair_anywhere(ctx):
        return find_stock(ctx.asking(intent="find_stock"))
    seen = in_view(ctx, "listing", "option") if not ctx.said.has("part_number", "location") else None
    if seen is not None and (about_them(ctx) or ctx.state.focus_kind in ("listing", "option")):
        who = seen.data.get("seller_organization") or seen.data.get("organization_name") or "They"
        return say(f"{who} has {seen.data.get('quantity_available')} × {seen.data.get('part_number')} available.")
    part = target_part(ctx) if not (ctx.said.has("choice") or describes_part(ctx)) else named_part(ctx)
    if theirs_asked(ctx):  # "how many has rival got at their lakewood warehouse?"
        return not_their_stock(ctx, part)
    location = ctx.said.value("location")
    focus = ctx.state.focused("stock") if ctx.state.focus_kind == "stock" else None
    elsewhere = _ELSEWHERE.search(ctx.said.lowered)  # "anyone else on the team got one?"
    if focus is not None and not ctx.said.has("part_number", "location", "choice") and \
            (part is None or part.data.get("part_number") == focus.data.get("part_number")):
        part = focus  # "how many that leave me"
        location = None if elsewhere else str(focus.data.get("location_name") or "") or None
    shown = ctx.state.listed.items if ctx.state.listed and ctx.state.listed.kind == "part" else []
    if part is None and shown and _THOSE.search(ctx.said.lowered) and not describes_part(ctx):
        looked = [r for r in ctx.results if r.name == "list_stock" and r.ok]  # "any of those in the warehouse?"
        asked = {r.args.get("part_number") for r in looked}
        unasked = [n for n in (str(r.data.get("part_number")) for r in shown[:3]) if n not in asked]
        if unasked:
            return Call("list_stock", {"limit": 50, "part_number": unasked[0]})
        items = [i for r in looked for i in r.data.get("items") or [] if _at(location, ctx.env.name, i)]
        return _present_stock(ctx, items, location, None, elsewhere=False)
    if part is None and len(shown) > 1 and not describes_part(ctx):  # "board? we got any": the board listed
        lead_in = ctx.state.turn.lead_in() if ctx.state.turn else ""
        meant = [r for r in shown if not names_other_kind(r, Said(f"{lead_in} {ctx.said.text}", []))]
        part = meant[0] if len(meant) == 1 else None
    if part is None and shown and not location and not describes_part(ctx):  # which of them, not all our stock
        return ask_which([r.data for r in shown], "Which of these should I look for in your stock?", goal="own_stock")
    if part is None and location and describes_part(ctx):  # "any door gibs on my truck": what is there, by name
        there = ctx.last("list_stock")
        if there is None:
            place = location_id(ctx, location)
            return Call("list_stock", {"limit": 100, **({"location_id": place} if place else {})})
        named = _named_items(search_query(ctx, fallback=False), there.data.get("items") or [])
        if named:
            return _present_stock(ctx, named, location, None, elsewhere=False)
    if part is None and describes_part(ctx):  # "a dcss5 door board on my truck?": which part that is first
        searched = ctx.last("search_parts")
        if searched is None:
            return Call("search_parts", search_args(ctx))
        parts = candidates(searched) if searched.ok else []
        best = winner(parts, search_query(ctx))
        if best is None:
            return ask_which(parts, "Which part do you mean?", goal="own_stock") if parts else \
                say("I couldn't tell which part that is.", "What's the part number?", kind="question")
        part = make_ref("part", best)
    part = cataloged(ctx, part)
    found = ctx.last("list_stock")
    wanted = part.data.get("part_number") if part is not None else None
    place = location_id(ctx, location) if location and part is None else None
    if found is None or (wanted and found.args.get("part_number") != wanted):
        return Call("list_stock", {"limit": 50, **({"part_number": wanted, "revisions": True} if wanted else {}),
                                   **({"location_id": place} if place else {})})
    if not found.ok:
        return failure(found, "check your stock")
    places: list[str | None] = list(ctx.said.values("location")) if part is not None else []
    if len(places) > 1:  # "do i have one on the truck and how many at the shop": the part at each place said
        location = None
    else:
        places = [location]
    items = [i for i in found.data.get("items") or [] if any(_at(p, ctx.env.name, i) for p in places)]
    if not found.data.get("items") and ctx.said.has("part_number") and not ctx.called("search_parts"):
        return Call("search_parts", search_args(ctx))  # none of "l6-30": a number, or a rating in a part's name?
    if elsewhere and focus is not None:
        items = [i for i in items if i.get("location_name") != focus.data.get("location_name")]
    return _present_stock(ctx, items, location, part, bool(elsewhere and focus is not None),
                          whole_place=part is None and not describes_part(ctx))


def _named_items(query: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stock items whose name or number has every word the message describes them with."""
    words = content_words(query)
    return [i for i in items if words and all(_says(w, set(content_words(
        f"{i.get('name')} {i.get('part_number')} {i.get('manufacturer') or ''}"))) for w in words)]


def _says(word: str, own: set[str]) -> bool:
    """An item's words have this one: itself, the catalog's word for it ("caps": a capacitor), or a number
    with its unit joined on ("40/5" has the 5 of "40/5 MFD", "5mfd")."""
    return word in own or bool(own & set(as_catalog_says([word]))) or (
        word.isdigit() and any(o.startswith(word) and o[len(word):].isalpha() for o in own))


def _present_stock(ctx: Ctx, items: list[dict[str, Any]], location: str | None, part: Ref | None,
                   elsewhere: bool, whole_place: bool = False) -> Say:
    where = {"my_truck": "on your truck", "warehouse": "in your warehouses"}.get(location or "",
                                                                                  f"at {location}" if location else "")
    what = part.data.get("part_number") if part is not None else "parts"
    if not items:
        return say(f"You have no {what} {where or 'in your own stock'}.".replace("  ", " "),
                   "Want me to find where to get one?" if part is not None else "",
                   proposal=offer("find_stock", part) if part is not None else None)
    if part is not None:  # "got one on my truck?": an older or newer revision of the part is one too, said so
        items = [i if i.get("part_number") == what else {**i, "name": f"{i.get('name')} (a revision of {what})"}
                 for i in items]
    total = sum(int(i.get("quantity_available") or 0) for i in items)
    if len(items) == 1:
        ctx.state.put_focus(make_ref("stock", items[0], stock_line(items[0])))
        yes_no = location and re.match(r"\s*(do|does|did|is|are|got|have|has|any)\b", ctx.said.lowered)
        lead = "Elsewhere on your team: " if elsewhere else "You have "
        return say(f"Yes — {stock_line(items[0])}." if yes_no else f"{lead}{stock_line(items[0])}.",
                   listed=Listed(kind="stock", items=[make_ref("stock", items[0], stock_line(items[0]))]))
    top = items[:6]
    if whole_place and location:  # "whats on my truck": what the place holds, by name
        place_name = items[0].get("location_name") if location == "my_truck" else location
        found = ctx.last("list_stock")  # the lookup's total: what the place holds beyond the page read
        more = int((found.data.get("total") if found is not None and found.ok else None) or len(items)) - len(top)
        return say(f"On {place_name}: {len(top) + more} part{'s' if len(top) + more != 1 else ''}"
                   f"{f', the first {len(top)}' if more > 0 else ''}:",
                   f"…and {more} more. Ask for a part by name to check it." if more > 0 else "",
                   [DraftItem(kind="stock", title=stock_line(i, place=False)) for i in top], numbered=len(top) > 1,
                   listed=Listed(kind="stock", items=[make_ref("stock", i, stock_line(i)) for i in top]))
    return say(f"You have {total} × {what} {where}:".replace("  ", " ").replace(" :", ":"), "",
               [DraftItem(kind="stock", title=stock_line(i)) for i in top], numbered=len(top) > 1,
               listed=Listed(kind="stock", items=[make_ref("stock", i, stock_line(i)) for i in top]))


def stock_item(ctx: Ctx, location: str | None) -> Ref | Step:
    """The stock item this message means: picked, in focus, or our one unit of the part at the place named."""
    if ctx.ask.target is not None and ctx.ask.target.kind == "stock":
        return ctx.ask.target
    ref = resolve(ctx.state, ctx.said, "stock")[0] if ctx.last("list_stock") is None else None  # else all of it
    if ref is not None and _at(location, ctx.env.name, ref.data):
        return ref
    shown = {str(r.data.get("location_name")) for r in ctx.state.listed.items} \
        if ctx.state.listed and ctx.state.listed.kind == "stock" else set()
    if location is None and len(shown) == 1:  # "used 2 of the run caps" right after what the truck holds
        location = shown.pop()
    part = target_part(ctx)
    found = ctx.last("list_stock")
    if found is None:
        if part is None and not location:
            return say("Which part?", kind="question")
        place = location_id(ctx, location) if location else None
        return Call("list_stock", {"limit": 100, **({"part_number": part.data.get("part_number")} if part else {}),
                                   **({"location_id": place} if place else {})})
    if not found.ok:
        return failure(found, "check your stock")
    rows = [i for page in ctx.results if page.name == "list_stock" and page.ok for i in page.data.get("items") or []]
    if part is None and len(rows) < int(found.data.get("total") or 0) and len(rows) < 500:
        return Call("list_stock", {**found.args, "offset": len(rows)})  # words pick among all of a place's stock
    items = [make_ref("stock", i, stock_line(i)) for i in rows if _at(location, ctx.env.name, i)]
    if part is None:  # "the 30a contactor off my truck": what the words describe among what is there
        words = Said(ctx.said.text, [e for e in ctx.said.entities if e.get("entity") == "choice"])
        items = [i for i in match(items, words) if _described(i, ctx.said.lowered)] if items else []
    if len(items) == 1:
        return items[0]
    if not items:
        return say("You have none of those there.")
    picked = match(items, ctx.said)
    if len(picked) == 1:
        return picked[0]
    return say("Which one?", "", [DraftItem(kind="stock", title=r.label) for r in items[:6]], numbered=True,
               listed=Listed(kind="stock", items=items[:6], goal=ctx.ask.intent), kind="clarify")


def _described(item: Ref, lowered: str) -> bool:
    """Does the message name the item in words of its name (a stock write never rests on a guess)? Two of
    them when the message says more than two ("the gen2 doors" alone is no door operator board)."""
    name = set(content_words(str(item.data.get("name") or "")))  # "caps" is a capacitor, "curtains" a curtain
    said = set(content_words(" ".join(as_catalog_says(lowered.split())))) - {"off", "box"}
    return len(name & said) >= (2 if len(said) > 2 else 1)


_TAKEN_OFF = re.compile(r"\b(?:take|took|knock|mark)\s+(?:it|them|em|one|\d+)\s+off\b|\b(?:deduct|subtract)\b")


@policy("adjust_stock")
def adjust_stock(ctx: Ctx) -> Step:
    locations = ctx.said.values("location")
    item = stock_item(ctx, locations[0] if locations else None)
    if not isinstance(item, Ref):
        arriving = ctx.said.value("adjust_reason") in (None, "received", "found")  # nothing there to take away
        if arriving and isinstance(item, Say) and item.draft.kind != "question" and target_part(ctx) and \
                ctx.last("list_stock") is not None:
            from agent.planners.local.policies.stock_settings import receive_new

            return receive_new(ctx, locations[0] if locations else "warehouse")
        return item
    form = forms.new_form("adjust_stock")
    form.target = item
    reason = ctx.said.value("adjust_reason")
    if reason is None and ctx.said.has("site") and _TAKEN_OFF.search(ctx.said.lowered):
        reason = "used_on_job"  # "put a pvt in car 3 at the brown palace. take it off my truck": it went in there
    relative = _RELATIVE.findall(ctx.said.lowered)
    said_count = ctx.said.count_before("part_number") or ctx.said.value("quantity") or ctx.said.value("number")
    counts = [int(n) if n.isdigit() else WORD_NUMBERS.get(n, 1) for n, _ in relative]  # "one more than that"
    count = int(said_count or (counts[-1] if relative else 1))
    if relative and counts[-1] == count and reason in (None, "cycle_count", "correction", "found", "lost"):
        # "2 more on the shelf than the system shows": a difference, not the new count
        more = relative[-1][1] in ("more", "extra", "over")
        form.values.update(reason=reason or ("found" if more else "lost"), quantity_change=count if more else -count)
    elif reason == "cycle_count" or (reason is None and "actually" in ctx.said.lowered):
        have = int(item.data.get("quantity_on_hand") or 0)
        form.values.update(reason="cycle_count", quantity_change=count - have)
        if count == have:
            return say(f"The count already says {have} at {item.data.get('location_name')}; nothing to change.")
    elif reason is not None:
        form.values.update(reason=reason, quantity_change=-count if reason in REMOVING else count)
    return start(ctx, form)


@finishes("adjust_stock")
def _adjusted(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    return say(f"Done: {done.message}".strip())


@policy("transfer_stock")
def transfer_stock(ctx: Ctx) -> Step:
    origin, destination = from_and_to(ctx)
    item = stock_item(ctx, origin)
    if not isinstance(item, Ref):
        return item
    form = forms.new_form("transfer_stock", quantity=int(ctx.said.value("quantity") or 1))
    form.target = item
    if destination and destination != origin:
        to_id = location_id(ctx, destination)
        if to_id is None:
            return say(f"I don't know the location {destination}.", "Which truck or warehouse?", kind="question")
        form.values["to_location_id"] = to_id
    return start(ctx, form)


@finishes("transfer_stock")
def _moved(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    return say(f"Done: {done.message}".strip())
