"""Our holds: the units set aside for us at a counter (pickup code, until when, the place's hours), and
letting one go."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref, match, resolve
from agent.planners.local.dialogue.state import Listed, Ref
from agent.planners.local.policies.common import failure, written
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.reply_draft import DraftItem


@policy("my_holds")
def my_holds(ctx: Ctx) -> Step:
    found = ctx.last("list_holds")
    if found is None:
        if "list_holds" not in ctx.env.tools:
            return say("I can't list holds yet.")
        team = _TEAM.search(ctx.said.lowered) or ctx.said.has("person")  # "what holds has the crew got"
        return Call("list_holds", {"scope": "organization"} if team else {})
    if not found.ok:
        return failure(found, "list your holds")
    holds = found.data.get("holds") or found.data.get("items") or []
    if not holds:
        return say("Nothing on hold." if found.args.get("scope") == "organization" else "You have nothing on hold.")
    refs = _hold_refs(holds)
    named = match(refs, ctx.said) if ctx.said.has("organization", "part_number", "location", "manufacturer") else []
    if len(named) == 1 or len(refs) == 1:  # "my pickup code for the batteries at keystone"
        hold = (named or refs)[0]
        ctx.state.put_focus(hold)
        where = ", ".join(str(x) for x in (hold.data.get("location_name"), hold.data.get("address")) if x)
        hours = f" Hours: {hold.data['pickup_hours']}." if hold.data.get("pickup_hours") else ""
        return say(f"Pickup code {hold.data.get('pickup_code')}: {_hold_line(hold.data)}. At {where}.{hours}")
    refs = named or refs[:6]
    headline = "Holds:" if found.args.get("scope") == "organization" else "Your holds:"
    return say(headline, "", [DraftItem(kind="hold", title=r.label) for r in refs], numbered=len(refs) > 1,
               listed=Listed(kind="hold", items=refs, goal="cancel_hold"))


def _hold_refs(holds: list[dict[str, Any]]) -> list[Ref]:
    return [make_ref("hold", {**h, "id": h.get("hold_id") or h.get("id")}, _hold_line(h)) for h in holds]


def _hold_line(h: dict[str, Any]) -> str:
    whose = f" for {h['held_by']}" if h.get("held_by") and h.get("is_yours") is False else ""
    return (f"{h.get('quantity')} × {h.get('part_number')} at {h.get('location_name') or h.get('organization_name')}"
            f"{whose}, code {h.get('pickup_code')}, until {str(h.get('expires_at') or '')[11:16]} UTC "
            f"({h.get('status')})")


_TEAM = re.compile(r"\b(?:crew|team|everyone|everybody|our guys|the guys|techs|anyone|anybody|whole shop|all of us)\b")


@policy("cancel_hold")
def cancel_hold(ctx: Ctx) -> Step:
    done = written(ctx, "cancel_hold", "release it", "OK — the hold stays.", "Released.")
    if done is not None:
        return done
    target = ctx.ask.target if ctx.ask.target is not None and ctx.ask.target.kind == "hold" else None
    if target is None:
        target, _ = resolve(ctx.state, ctx.said, "hold")
    if target is None:
        listed = ctx.last("list_holds")
        if listed is None:
            return my_holds(ctx)
        refs = _hold_refs([h for h in listed.data.get("holds") or listed.data.get("items") or []
                           if h.get("status") in (None, "active")])
        hits = match(refs, ctx.said, allow_single=True)
        if len(hits) != 1:
            if not refs:
                return say("You have no active holds.")
            return say("Which hold?", "", [DraftItem(kind="hold", title=r.label) for r in refs[:6]], numbered=True,
                       listed=Listed(kind="hold", items=refs[:6], goal="cancel_hold"), kind="clarify")
        target = hits[0]
    return Call("cancel_hold", {"hold_id": target.id})
