"""How a person wants to be told, said the way people say it: "stop texting me after 6pm" (quiet hours from
18:00 to the morning), "only tell me about offers", "send me a daily summary instead", "slack me about
auctions", "dont bug me at night", "how do you notify me?". What was said is read into the preference tool's
fields (times, topics, cadence, channel, on/off); anything not understood is asked about, never guessed."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.policies.common import failure, written
from agent.planners.local.policy import Call, Ctx, Step, policy, say

_TOPICS = {
    "offers": r"offers?|counter(?:s|-offers?)?|bids? on my|lowball",
    "auctions": r"auctions?|outbids?|bidding|bids?",
    "holds": r"holds?|pickups?",
    "wanted": r"wanted|wtb|requests?|responses?",
    "watchlist": r"watch(?:ed|ing|list)?|price drops?|back in stock",
    "alerts": r"deal alerts?|saved searche?s?|alerts?|deals?",
    "stock": r"stock|inventory|reorder|low on",
    "orders": r"orders?|shipping|shipped|deliver(?:y|ed|ies)|tracking|ratings?",
}
_CHANNELS = {"sms": r"text(?:s|ing)?|sms|txt|my phone|messages? me", "slack": r"slack",
             "email": r"e-?mail(?:s|ing)?|inbox email", "web": r"(?:the )?app only|in the app|inbox only"}
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_AFTER = re.compile(rf"\bafter\s+{_TIME}")
_BEFORE = re.compile(rf"\b(?:before|until|till|til)\s+{_TIME}")
_BETWEEN = re.compile(rf"\b(?:between|from)\s+{_TIME}\s*(?:and|to|-|till|until)\s*{_TIME}")
_SPAN = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\s*(?:to|-|till|until)\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?")
_NIGHT = re.compile(r"\b(at night|overnight|nights|while i sleep|after hours|after work|in the evening)\b")
_QUIET_OFF = re.compile(r"\b(no quiet hours|anytime|any time|24/7|whenever|around the clock)\b")
_TOPIC_WORD = re.compile(r"\b(?:" + "|".join(_TOPICS.values()) + r")\b")
_HOW_OFTEN = re.compile(r"\b(?:once|twice|daily|hourly|every|a day|an hour|summary|digest|roundup)\b")
_CLAUSES = re.compile(r"[.;!?]+\s+|\s+(?:and|but|also|plus)\s+(?=(?:the\s+|my\s+|for\s+|about\s+)?[a-z]+)")
_OFF = re.compile(r"\b(stop|mute|don'?t|do not|no more|quit|turn off|silence|shut off|enough)\b")
_DAILY = re.compile(r"\b(daily|\w+ (?:a|per) day|every day|end of (?:the )?day|each morning|summary|digest|roundup)\b")
_HOURLY = re.compile(r"\b(hourly|every hour|once an hour)\b")
_NOW = re.compile(r"\b(right away|immediately|as it happens|real ?time|instantly|straight away)\b")
_URGENT = re.compile(r"\b(urgent|emergenc(?:y|ies)|important)\b")
_FEWER = re.compile(r"\b(so many|too many|tone it down|fewer|less often|spamming|blowing up my phone)\b")
_INSTEAD_OF = re.compile(r"\binstead of \w+")


def _clock(hour: str, minute: str | None, half: str | None, evening: bool) -> str:
    h = int(hour) % 12 if half or int(hour) <= 12 else int(hour)
    if (half and half.startswith("p")) or (not half and evening and h < 12 and int(hour) != 12):
        h += 12
    return f"{h % 24:02d}:{int(minute or 0):02d}"


def _quiet(text: str) -> dict[str, str] | None:
    if m := _BETWEEN.search(text) or _SPAN.search(text):
        return {"start": _clock(m[1], m[2], m[3], True), "end": _clock(m[4], m[5], m[6] or "am", False)}
    after, before = _AFTER.search(text), _BEFORE.search(text)
    if after or before:
        return {"start": _clock(after[1], after[2], after[3], True) if after else "21:00",
                "end": _clock(before[1], before[2], before[3] or "am", False) if before else "07:00"}
    return {"start": "21:00", "end": "07:00"} if _NIGHT.search(text) else None


def _only(text: str) -> bool:
    """"just offers", "only tell me about holds", "offers only" ask for those topics only; "just once a day"
    (or, typed in a hurry, "just oce a day") asks how often: a time before the topic is no "only"."""
    for match in re.finditer(r"\b(?:only|just)\b", text):
        before, after = text[max(0, match.start() - 25):match.start()], text[match.end():match.end() + 40]
        topic = _TOPIC_WORD.search(after)
        often = _HOW_OFTEN.search(after)
        if (topic and len(after[:topic.start()].split()) <= 4 and not (often and often.start() < topic.start())) \
                or (match.group(0) == "only" and re.search(r"(?:" + "|".join(_TOPICS.values()) + r")\W*$", before)):
            return True
    return False


def _found(table: dict[str, str], text: str) -> list[str]:
    return [name for name, words in table.items() if re.search(rf"\b(?:{words})\b", text)]


def _channel(text: str) -> str | None:
    """The channel asked for, first named wins ("slack me instead of texting": slack)."""
    text = _INSTEAD_OF.sub(" ", text)
    hits = [(m.start(), name) for name, words in _CHANNELS.items() if (m := re.search(rf"\b(?:{words})\b", text))]
    return min(hits)[1] if hits else None


def preference_change(text: str) -> dict[str, Any]:
    """The preference tool's arguments for what was said ({} when nothing could be read from it). Each clause
    that names its own topics sets those ("text me about offers, and the auction stuff once a day")."""
    said = [_change_of(c) for c in _CLAUSES.split(text) if c.strip() and _found(_TOPICS, c)]
    if len(said) < 2 or not all(said):  # "mute stock and wanted": one change for both
        return _change_of(text)
    change: dict[str, Any] = {}
    for clause in said:
        for key, value in clause.items():
            change[key] = change.get(key, []) + value if key in ("topics", "only_topics") else value
    return change


def _change_of(text: str) -> dict[str, Any]:
    change: dict[str, Any] = {}
    topics = _found(_TOPICS, text)
    if "alerts" in topics and len(topics) > 1 and not re.search(r"deal alert|saved search", text):
        topics.remove("alerts")  # "the stock alerts", "auction alerts": alerts as a word, not deal alerts
    quiet = _quiet(text)
    if quiet is not None:
        change["quiet_hours"] = quiet
        if _URGENT.search(text):
            change["urgent_breaks_quiet"] = not re.search(r"\b(even|including|no)\b.*\burgent", text)
        return change
    if _QUIET_OFF.search(text):
        change["quiet_hours_off"] = True
    cadence = "daily" if _DAILY.search(text) else "hourly" if _HOURLY.search(text) or _FEWER.search(text) else \
        "immediate" if _NOW.search(text) else None
    if _only(text) and topics and not _OFF.search(text):
        change["only_topics"] = topics
        topics = []
    settings: dict[str, Any] = {"cadence": cadence} if cadence else {}
    channel = _channel(text)
    if _OFF.search(text) and not cadence:
        settings["enabled"] = False  # "stop the deal alert texts", "mute stock": kept in the inbox only
    elif channel and not _FEWER.search(text):  # "too many texts" asks for fewer, not for texts
        settings["channel"] = channel
    if re.search(r"\b(turn on|unmute|resume|back on)\b", text):
        settings["enabled"] = True
    if settings:
        change["topics"] = [{"topic": t, **settings} for t in (topics or ["all"])]
    return change


@policy("notification_preferences")
def notification_preferences(ctx: Ctx) -> Step:
    done = written(ctx, "set_notification_preferences", "change how you're notified",
                   "OK — left your notifications as they were.", "Saved.")
    if done is not None:
        return done
    change = preference_change(ctx.said.lowered)
    if not change:
        return show_notification_preferences(ctx)
    if "set_notification_preferences" not in ctx.env.tools:
        return say("I can't change your notifications yet.")
    return Call("set_notification_preferences", change)


@policy("my_notification_preferences")
def show_notification_preferences(ctx: Ctx) -> Step:
    found = ctx.last("get_notification_preferences")
    if found is None:
        if "get_notification_preferences" not in ctx.env.tools:
            return say("I can't read your notification settings yet.")
        return Call("get_notification_preferences", {})
    if not found.ok:
        return failure(found, "read your notification settings")
    return say(found.message or "Here's how I notify you.",
               "Want to change it? e.g. \"only offers\", \"daily summary\", \"quiet after 6pm\".")
