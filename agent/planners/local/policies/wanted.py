"""Wanted posts: posting what you need (create_wanted_post), browsing what others need, answering a post
with your part (respond_to_wanted_post), the responses to your own posts, and taking one."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.item_words import as_catalog_says
from agent.planners.local.dialogue.refs import make_ref, match, resolve
from agent.planners.local.dialogue.state import FormState, Listed, Ref
from agent.planners.local.policies.common import (
    candidates,
    content_words,
    failure,
    in_view,
    search_args,
    search_query,
    target_part,
)
from agent.planners.local.policies.form_driver import finishes, start
from agent.planners.local.policy import Call, Ctx, Step, ToolResult, policy, say
from agent.planners.local.render import condition, money
from agent.reply_draft import DraftItem

_COMMAND = re.compile(r"(?i)^\s*(please\s+)?((post|put out|put up|create|make|send|do|blast out)\s+)?(a\s+|an\s+)?"
                      r"(wanted|iso|want ad|wtb)(\s+(request|post|ad|listing))?\s*(for)?\s*[:,-]?\s*")
_URGENCY = {"emergency": "emergency", "urgent": "urgent", "priority": "priority", "standard": "standard"}


@policy("create_wanted")
def create_wanted(ctx: Ctx) -> Step:
    part = target_part(ctx)
    said = ctx.said
    described = _COMMAND.sub("", search_query(ctx)).strip()
    if part is None and len(described.split()) < 2:
        return say("What do you need?", "A part number, or what it is and the equipment it's for.", kind="question")
    category = None
    if part is None:  # a described part still needs a category: the one of the best catalog match
        searched = ctx.last("search_parts")
        if searched is None:
            return Call("search_parts", {**search_args(ctx), "query": described, "limit": 5})
        top = candidates(searched) if searched.ok else []
        category = top[0].get("category") if top else None
    name = part.data.get("name") if part else None
    what = f"{part.data.get('part_number')}" + (f" ({name})" if name else "") if part else described
    model = said.value("equipment_model")
    maker = said.extra("equipment_model", "manufacturer")
    if model and model.lower() not in what.lower():
        what += f" for {maker or ''} {model}".replace("  ", " ")
    form = forms.new_form("create_wanted_post", description=what[:1].upper() + what[1:2000], category=category,
                          quantity_needed=1)
    if part is not None:
        form.values["part_number"] = part.data.get("part_number")
        if part.data.get("manufacturer"):
            form.values["manufacturer"] = part.data["manufacturer"]
    if model:
        form.values.update(equipment_model=model, **({"equipment_manufacturer": maker} if maker else {}))
    urgency = said.value("urgency")
    if urgency:
        form.values["urgency"] = _URGENCY.get(urgency, "urgent")
    return start(ctx, form)


@finishes("create_wanted_post")
def _posted(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    post = done.data.get("post") or {}
    matches = len(post.get("matches") or [])
    found = f" {matches} possible match{'es' if matches != 1 else ''} already." if matches else ""
    budget = f", max {money(post['max_price'])} each" if post.get("max_price") else ""
    by = f", needed by {post['needed_by_date']}" if post.get("needed_by_date") else ""
    what = post.get("part_number") or post.get("description")
    return say(f"Posted: wanted {post.get('quantity_needed')} × {what}{budget}{by}, {post.get('urgency')}, visible "
               f"to {post.get('visibility')}.{found}")


@policy("browse_wanted")
def browse_wanted(ctx: Ctx) -> Step:
    found = ctx.last("list_wanted_posts")
    words = _part_words(ctx.said.lowered) if not ctx.said.value("part_number") else []
    if found is None:
        args: dict[str, Any] = {"limit": 25 if words else 10}
        if ctx.said.value("part_number"):
            args["part_number"] = ctx.said.value("part_number")
        if re.search(r"\b(my|our|mine)\b", ctx.said.lowered):
            args["mine_only"] = True
        return Call("list_wanted_posts", args)
    if not found.ok:
        return failure(found, "list wanted posts")
    posts = found.data.get("posts") or []
    if not posts:
        return say("No open wanted posts right now.")
    about = [p for p in posts if words and _says_all(_post_text(p), words)]
    top = (about or posts)[:5]  # "anybody looking for trane fan motors": the posts for those first
    items = [DraftItem(kind="wanted", title=_post_line(p), short=f"{p.get('quantity_needed')}x "
                       f"{p.get('part_number') or p.get('description')} ({p.get('organization')})") for p in top]
    return say("Open wanted posts:", "Have one of these? Tell me which and your price.", items, numbered=True,
               listed=Listed(kind="wanted", items=[make_ref("wanted", p, _post_line(p)) for p in top],
                             goal="respond_wanted"))


_HAVE_ONE = re.compile(r"\b(?:we|i)(?:'?ve)?\s+(?:got|have|found)\s+(?:one|1|a single one)\b")
_ASKING_WORDS = frozenset({"anybody", "anyone", "somebody", "someone", "looking", "wanted", "want", "wants", "need",
                           "needs", "needing", "post", "posts", "who", "whos", "what", "any", "hunting", "after"})


def _part_words(lowered: str) -> list[str]:
    return [w for w in content_words(lowered) if w not in _ASKING_WORDS]


def _post_text(post: dict[str, Any]) -> str:
    return " ".join(str(post.get(k) or "") for k in ("manufacturer", "part_number", "description", "equipment",
                                                      "category")).lower().replace("_", " ")


def _says_all(text: str, words: list[str]) -> bool:
    """Every word is in the text, as typed or as the catalog says it ("caps": capacitor)."""
    return all(any(w in text for w in as_catalog_says([word])) for word in words)


def _post_line(p: dict[str, Any]) -> str:
    budget = f", up to {money(p['max_price'])} each" if p.get("max_price") else ""
    by = f", by {p['needed_by_date']}" if p.get("needed_by_date") else ""
    return (f"{p.get('organization')} needs {p.get('quantity_needed')} × {p.get('part_number') or p.get('description')}"
            f" ({p.get('urgency')}{budget}{by}), {p.get('city') or ''}").rstrip(", ")


def _post_target(ctx: Ctx, mine: bool, part_number: str = "") -> Ref | Step:
    ref = in_view(ctx, "wanted")
    if ref is not None:
        return ref
    found = ctx.last("list_wanted_posts")
    if found is None:
        args: dict[str, Any] = {"limit": 20, "mine_only": mine}
        if ctx.said.value("part_number") or part_number:
            args["part_number"] = ctx.said.value("part_number") or part_number
        return Call("list_wanted_posts", args)
    refs = [make_ref("wanted", p, _post_line(p)) for p in found.data.get("posts") or []] if found.ok else []
    hits = match(refs, ctx.said, allow_single=True) if refs else []
    if len(hits) == 1:
        return hits[0]
    if not refs:
        return say("I can't find that wanted post.")
    items = [DraftItem(kind="wanted", title=r.label) for r in (hits or refs)[:5]]
    return say("Which wanted post?", "", items, numbered=True,
               listed=Listed(kind="wanted", items=(hits or refs)[:5], goal=ctx.ask.intent), kind="clarify")


@policy("respond_wanted")
def respond_wanted(ctx: Ctx) -> Step:
    if not ctx.env.can_sell:
        return say("Only sellers and parts managers can answer wanted posts for your organization.")
    # "send em the used one" with our listings in view: answer the post with that listing
    listing = ctx.ask.target if ctx.ask.target is not None and ctx.ask.target.kind == "listing" and \
        ctx.ask.target.data.get("is_own_listing") is not False else None
    post = _post_target(ctx, mine=False, part_number=str(listing.data.get("part_number") or "") if listing else "")
    if not isinstance(post, Ref):
        return post
    form = forms.new_form("respond_to_wanted_post")
    form.target = post
    if listing is not None and listing.id:
        form.values["listing_id"] = listing.id
        return start(ctx, form)
    if post.data.get("part_number"):
        form.values["part_number"] = post.data["part_number"]
    if not ctx.said.has("quantity") and _HAVE_ONE.search(ctx.said.lowered):
        form.values["quantity"] = 1  # "tell em we got one": one, whatever the post asks for
    if re.search(r"\b(our|my|the) listing\b|\blisting we\b", ctx.said.lowered) and post.data.get("part_number"):
        mine = ctx.last("search_listings")  # "send em our listing": point them at it, its terms stand
        if mine is None:
            return Call("search_listings", {"mine_only": True, "part_number": post.data["part_number"], "limit": 5})
        live = [r for r in mine.data.get("results") or [] if r.get("status") == "active"] if mine.ok else []
        if len(live) != 1:
            return say(f"You have {len(live) or 'no'} live listing{'s' if len(live) != 1 else ''} of "
                       f"{post.data['part_number']}.", "Which price and condition should I answer with?",
                       kind="question")
        form.values["listing_id"] = live[0]["id"]
        form.values.pop("part_number", None)
    return start(ctx, form)


@finishes("respond_to_wanted_post")
def _responded(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    r = done.data.get("response") or done.data
    return say(f"Sent your response: {r.get('quantity')} × {r.get('part_number')} {condition(r.get('condition'))} at "
               f"{money(r.get('price'))} each.")


@policy("wanted_responses")
def wanted_responses(ctx: Ctx) -> Step:
    found = ctx.last("list_wanted_responses")
    if found is None:
        post = _post_target(ctx, mine=True)
        if not isinstance(post, Ref):
            return post
        return Call("list_wanted_responses", {"wanted_post_id": post.id})
    if not found.ok:
        return failure(found, "list the responses")
    rows = found.data.get("responses") or []
    if not rows:
        return say("No responses to that wanted post yet.")
    items = [DraftItem(kind="response", title=_response_line(r)) for r in rows[:5]]
    return say("Responses:", "Want to take one?", items, numbered=True,
               listed=Listed(kind="response", items=[make_ref("response", r, _response_line(r)) for r in rows[:5]],
                             goal="accept_response"))


def _response_line(r: dict[str, Any]) -> str:
    return (f"{r.get('responder_organization')}: {r.get('quantity')} × {r.get('part_number')} "
            f"{condition(r.get('condition'))} at {money(r.get('price'))} ({r.get('status')})")


@policy("accept_response")
def accept_response(ctx: Ctx) -> Step:
    target = ctx.ask.target
    if target is None or target.kind != "response":
        target, _ = resolve(ctx.state, ctx.said, "response")
    if target is None:
        listed = ctx.last("list_wanted_responses")
        if listed is None:
            return wanted_responses(ctx)
        refs = [make_ref("response", r, _response_line(r)) for r in listed.data.get("responses") or []]
        hits = match(refs, ctx.said, allow_single=True)
        if len(hits) != 1:
            return say("Which response?", "", [DraftItem(kind="response", title=r.label) for r in refs[:5]],
                       numbered=True, listed=Listed(kind="response", items=refs[:5], goal="accept_response"))
        target = hits[0]
    form = forms.new_form("accept_wanted_response")
    form.target = target
    return start(ctx, form)


@finishes("accept_wanted_response")
def _accepted(ctx: Ctx, form: FormState, done: ToolResult) -> Step:
    return say(f"Done: {done.message}".strip())
