"""Deal alerts by chat: "tell me when a used GAA26800LC1 under 400 shows up within 50 mi" saves one, "what alerts
do i have" lists them, "pause my alerts" / "bump the gaa alert to 450" changes them, "kill the contactor alert"
deletes one. The alert meant is found among the caller's own by the words that name it."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.policies.common import content_words, failure, written
from agent.planners.local.policy import Call, Ctx, Step, policy, say
from agent.reply_draft import DraftItem

KM_PER_MILE = 1.609344
_USED = ["used_excellent", "used_good", "used_fair"]
# What asking for an alert sounds like, besides what it is about: none of it goes into the alert's words.
_ASKING_WORDS = """
    tell let ping text txt buzz notify alert alrt flag shoot head heads lmk lemme know kno when wen whenever anyone
    anybody someone somebody list listed listing post posted put show pop come appear hit market get set setup
    make create save deal price search watch watching keep eye out start max under below less than within mile
    km near close cheap cheaper pls please can want need sec sale msg message there theres alert alerts saved
    rule rules tracking track paused pause mute snooze hold off stop resume unpause restart reactivate turn back
    switch bump raise drop lower change chnage update widen shrink radiu radius delete kill remove rid cancel nuke
    trash scrap lose axe dump wipe take down good longer got found bought only anymore more weekend vacation
    monday till every all mine bit for now our the one that those this them just still
"""
_ASKING = frozenset(_ASKING_WORDS.split())
_PAUSE = re.compile(r"\b(pause|mute|snooze|on hold|hold (my|the|them|it|off)|turn (\w+ )*off|off for now|stop)\b")
_RESUME = re.compile(r"\b(resume|un-?pause|back on|restart|reactivate|turn (\w+ )*on|switch (\w+ )*on)\b")
_UNDER = re.compile(r"\b(under|below|max|less than|up to|at most|no more than)\s*\$?(\d[\d,]*(?:\.\d+)?k?)\b")
# "3-phase", "2 pole": how a part is described, not its number
_DESCRIBING = re.compile(r"(?i)^\d{1,3}[- ]?(phase|ph|pole|ton|amp|hp|wire|way|speed|stage|inch)$")


def _words(ctx: Ctx, *entities: str) -> list[str]:
    """The message's content words without entity spans and without the words of asking."""
    text = ctx.said.text
    for entity in entities:
        for e in ctx.said.all(entity):
            text = text.replace(e["text"], " ")
    return [w for w in content_words(text) if w not in _ASKING]


def _km(distance: str) -> float:
    amount, unit = distance.split()
    return round(float(amount) * (KM_PER_MILE if unit == "mi" else 1.0), 1)


@policy("create_alert")
def create_alert(ctx: Ctx) -> Step:
    done = written(ctx, "create_deal_alert", "save the alert", "OK — no alert saved.", "Alert saved.")
    if done is not None:
        return done
    said = ctx.said
    if said.has("organization"):
        # "put a watch on metros used AT400 door op, lmk if it drops under 3k": a seller's listing, not a search
        from agent.planners.local.policies.auctions import watch_listing

        return watch_listing(ctx.asking(intent="watch_listing"))
    args: dict[str, Any] = {}
    number = next((n for n in said.values("part_number") if not _DESCRIBING.match(n)), None)
    if number:
        args["part_number"] = number
    else:
        words = _words(ctx, "price", "distance", "condition", "site", "city", "listing_type", "quantity", "date")
        focus = ctx.state.focused("part") if not words else None
        if focus is not None and focus.data.get("part_number"):  # "…KM713160G01…?" "set me an alert if one shows up"
            args["part_number"] = focus.data["part_number"]
        elif not words:
            return say("What should I watch for?", "A part number, or what the part is.", kind="question")
        else:
            args["query"] = " ".join(words)[:200]
    conditions = said.values("condition")
    if conditions:
        generic_used = re.search(r"\bused\b", said.lowered) and conditions == ["used_good"]
        args["conditions"] = _USED if generic_used else sorted(set(conditions))
    if _ceiling(ctx) is not None:
        args["max_price"] = _ceiling(ctx)
    if said.value("distance"):
        args["within_km"] = _km(str(said.value("distance")))
        if said.value("site"):
            args["site"] = said.value("site")
    if said.value("listing_type") in ("auction", "trade", "emergency"):
        args["listing_type"] = said.value("listing_type")
    return Call("create_deal_alert", args)


def _line(alert: dict[str, Any]) -> str:
    told = alert.get("match_count") or 0
    return (f"{alert.get('name')}" + (" (paused)" if alert.get("paused") else "")
            + (f" — told you of {told} so far" if told else ""))


@policy("my_alerts")
def my_alerts(ctx: Ctx) -> Step:
    found = ctx.last("list_deal_alerts")
    if found is None:
        return Call("list_deal_alerts", {"paused": True} if re.search(r"\bpaused\b", ctx.said.lowered) else {})
    if not found.ok:
        return failure(found, "list your alerts")
    alerts = found.data.get("alerts") or []
    if not alerts:
        return say("You have no deal alerts.", "Want one? Say e.g. \"tell me when a used GAA26800LC1 under 400 "
                   "shows up\".")
    items = [DraftItem(kind="alert", title=_line(a)) for a in alerts[:8]]
    return say(f"{found.data.get('total') or len(alerts)} deal alert(s):", "", items)


def _meant(ctx: Ctx, alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The caller's alerts the message names best, by part number or by words of the alert ("the gaa alert",
    "the contactor one"); none when no word of the message names any."""
    number = (ctx.said.value("part_number") or "").upper()
    words = _words(ctx, "price", "distance", "condition", "part_number", "date")
    scored = []
    for alert in alerts:
        names = [n for n in content_words(" ".join(str(alert.get(k) or "") for k in ("name", "part_number", "query")))
                 if len(n) >= 3]
        score = 100 if number and number == str(alert.get("part_number") or "").upper() else 0
        score += sum(1 for w in words if len(w) >= 3 and any(n.startswith(w) or w.startswith(n) for n in names))
        scored.append((score, alert))
    best = max((score for score, _ in scored), default=0)
    return [alert for score, alert in scored if best and score == best]


def _which(ctx: Ctx, verb: str) -> list[dict[str, Any]] | Step:
    """The alerts meant (several only when the message names none of them), or a step towards knowing."""
    found = ctx.last("list_deal_alerts")
    if found is None:
        return Call("list_deal_alerts", {"limit": 200})
    if not found.ok:
        return failure(found, "find your alerts")
    alerts = found.data.get("alerts") or []
    if not alerts:
        return say("You have no deal alerts.")
    hits = _meant(ctx, alerts)
    if len(hits) == 1 or (not hits and len(alerts) == 1):
        return hits or alerts
    if not hits:
        return alerts
    return say(f"Which alert should I {verb}?", "Name it by its part or words.",
               [DraftItem(kind="alert", title=_line(a)) for a in hits[:6]], kind="question")


def _ceiling(ctx: Ctx) -> str | None:
    """The price said last ("nothing under 400, bump it to 450": 450), or an amount after under/max/below."""
    prices = ctx.said.values("price")
    if prices:
        return prices[-1]
    found = _UNDER.search(ctx.said.lowered)
    if found is None:
        return None
    amount = found.group(2).replace(",", "")
    return str(int(float(amount[:-1]) * 1000)) if amount.endswith("k") else amount


@policy("change_alert")
def change_alert(ctx: Ctx) -> Step:
    done = written(ctx, "update_deal_alert", "change the alert", "OK — left as it is.", "Alert updated.")
    if done is not None:
        return done
    said, changes = ctx.said, dict[str, Any]()
    lowered = said.lowered
    if _RESUME.search(lowered):
        changes["paused"] = False
    elif _PAUSE.search(lowered):
        changes["paused"] = True
    if _ceiling(ctx) is not None:
        changes["max_price"] = _ceiling(ctx)
    if said.value("distance"):
        changes["within_km"] = _km(str(said.value("distance")))
    if said.values("condition"):
        changes["conditions"] = sorted(set(said.values("condition")))
    if not changes:
        return say("What should change on the alert?", "Pause or resume it, or a new max price.", kind="question")
    target = _which(ctx, "change")
    if not isinstance(target, list):
        return target
    if len(target) > 1:
        if set(changes) == {"paused"}:
            return Call("update_deal_alert", {"all_mine": True, **changes})
        return say("Which alert should I change?", "", [DraftItem(kind="alert", title=_line(a)) for a in target[:6]],
                   kind="question")
    return Call("update_deal_alert", {"alert_id": target[0]["id"], **changes})


@policy("delete_alert")
def delete_alert(ctx: Ctx) -> Step:
    done = written(ctx, "delete_deal_alert", "delete the alert", "OK — kept it.", "Alert deleted.")
    if done is not None:
        return done
    target = _which(ctx, "delete")
    if not isinstance(target, list):
        return target
    if len(target) > 1:
        return say("Which alert should I delete?", "", [DraftItem(kind="alert", title=_line(a)) for a in target[:6]],
                   kind="question")
    return Call("delete_deal_alert", {"alert_id": target[0]["id"]})
