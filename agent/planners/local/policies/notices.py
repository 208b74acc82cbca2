"""What Partpilot told us: catching up on notifications ("what did I miss?") and marking them read."""

from __future__ import annotations

import re

from agent.planners.local.policies.common import failure, written
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.reply_draft import DraftItem

_UNREAD = re.compile(r"\bunread\b")


@policy("my_notifications")
def my_notifications(ctx: Ctx) -> Step:
    found = ctx.last("list_notifications")
    if found is None:
        if "list_notifications" not in ctx.env.tools:
            return say("I can't list notifications yet.")
        return Call("list_notifications", {"unread_only": True} if _UNREAD.search(ctx.said.lowered) else {})
    if not found.ok:
        return failure(found, "list your notifications")
    items = found.data.get("notifications") or []
    if not items:
        return say("Nothing new: no notifications.")
    unread = found.data.get("unread") or 0
    headline = f"{unread} unread:" if unread else "Nothing unread; the latest:"
    lines = [DraftItem(kind="notification", title=f"{n.get('title')}: {n.get('body')}") for n in items[:6]]
    return say(headline, "", lines)


@policy("read_notifications")
def read_notifications(ctx: Ctx) -> Step:
    done = written(ctx, "mark_notifications_read", "mark them read", "OK — left as they are.", "Marked read.")
    if done is not None:
        return done
    if "mark_notifications_read" not in ctx.env.tools:
        return say("I can't mark notifications read yet.")
    return Call("mark_notifications_read", {})
