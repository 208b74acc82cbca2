"""Browsing wanted posts ("what are people looking for?"): list_wanted_posts, read-only; the posts'
descriptions are the requesters' words and are shown as data."""

from __future__ import annotations

from agent.planners.local.context import Context, Item
from agent.planners.local.frame import Call, Env, Frame, Step, reply
from agent.planners.local.history import Turn
from agent.planners.local.policies.common import failure
from agent.planners.local.render import money


def _line(post: Item) -> tuple[str, str]:
    what = post.get("part_number") or str(post.get("description") or "")[:60]
    budget = f", up to {money(post.get('max_price'))}" if post.get("max_price") is not None else ""
    matches = len(post.get("matches") or [])
    seen = f" — {matches} match(es) you can see" if matches else ""
    full = (f"{post.get('quantity_needed')} × {what} ({post.get('urgency')}{budget}) — "
            f"{post.get('organization')}{seen}")
    return full, f"{post.get('quantity_needed')}x {what} {post.get('urgency')}"


def browse_wanted(frame: Frame, ctx: Context, turn: Turn, env: Env) -> Step:
    listed = turn.last("list_wanted_posts")
    if listed is None:
        mine = any(w in frame.text.lower().split() for w in ("my", "our", "mine", "ours"))
        args: dict[str, object] = {"mine_only": mine}
        if frame.slots.part_numbers:
            args["part_number"] = frame.slots.part_numbers[0]
        return Call("list_wanted_posts", args)
    if not listed.ok:
        return failure(listed, "list wanted posts")
    posts = list(listed.data.get("posts") or [])
    if not posts:
        return reply("No open wanted posts you can see right now.")
    head = f"{len(posts)} open wanted request(s), most urgent first:"
    return reply(head, "Want me to look for stock to answer one?", [_line(p) for p in posts[:5]])
