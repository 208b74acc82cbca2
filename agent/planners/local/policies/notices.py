"""What Partpilot told us: catching up on notifications ("what did I miss?") and marking them read."""

from __future__ import annotations

import re

from agent.planners.local.dialogue.refs import make_ref
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.common import failure, written
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.reply_draft import DraftChoice, DraftItem

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
    shown = items[:6]
    lines = [DraftItem(kind="notification", title=f"{n.get('title')}: {n.get('body')}", short=str(n.get("title")))
             for n in shown]
    refs = [make_ref("notification", {"id": n.get("id"), "title": n.get("title"), "category": n.get("category")},
                     label=str(n.get("title"))) for n in shown]
    return say(headline, "", lines, numbered=len(shown) > 1,
               listed=Listed(kind="notification", items=refs, goal="details"))


def notification_details(ctx: Ctx, target: Ref) -> Step:
    """One notification opened ("more on the first one"): what it says, what it is about as it stands now, and
    its answers as choices; the offer or listing it is about is in focus for the answer."""
    shown = ctx.last("show_notification")
    if shown is None:
        return Call("show_notification", {"notification_id": target.id})
    if not shown.ok:
        return failure(shown, "open that notification")
    notice = shown.data.get("notification") or {}
    offer, listing = shown.data.get("offer") or {}, shown.data.get("listing") or {}
    now = ""
    if offer:
        now = f"The offer is {offer.get('status')} now" + (
            f", waiting on {offer['awaiting']}." if offer.get("awaiting") else ".")
    elif listing:
        now = f"The listing is {listing.get('status')} now."
    choices = [DraftChoice(label=str(a.get("label")), say=str(a.get("say"))) for a in notice.get("actions") or []
               if offer.get("status") in (None, "pending", "countered")]
    return say(f"{notice.get('title')}: {notice.get('body')} {now}".strip(),
               "Want to answer it?" if choices else "", choices=choices)


@policy("read_notifications")
def read_notifications(ctx: Ctx) -> Step:
    done = written(ctx, "mark_notifications_read", "mark them read", "OK — left as they are.", "Marked read.")
    if done is not None:
        return done
    if "mark_notifications_read" not in ctx.env.tools:
        return say("I can't mark notifications read yet.")
    return Call("mark_notifications_read", {})
