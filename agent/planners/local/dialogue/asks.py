"""One message, several asks: "where's the closest one and is $4200 fair?" is two questions, answered in
turn; "list it … then make it live" is one listing; "let the keystone hold go, found one on derek's truck" is
one change and its reason."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.state import AskState
from agent.planners.local.nlu import THRESHOLD, Parse
from agent.planners.local.policy import Env

CONVERSATION = frozenset({"greet", "thanks", "help", "affirm", "deny", "choose", "out_of_scope"})
TOPIC_CHANGE = 0.75
WRITES = frozenset({"create_listing", "publish_listing", "update_listing", "cancel_listing", "make_offer",
                    "accept_offer", "reject_offer", "counter_offer", "withdraw_offer", "place_bid", "watch_listing",
                    "unwatch_listing", "create_wanted", "respond_wanted", "accept_response", "hold", "cancel_hold",
                    "adjust_stock", "transfer_stock", "mark_shipped", "confirm_delivered", "rate_seller"})

# A second ask the first one takes in ("list it … then make it live" is one listing, published once made).
ABSORBS = {"create_listing": {"publish_listing"}, "create_wanted": {"publish_listing"}}

PER_PART = frozenset({"find_part", "find_stock", "own_stock", "price_info", "price_check", "check_fit", "details",
                      "suggest_price", "market_trends", "search_market"})
_SPLIT = re.compile(r"\?\s+(?=\S)|;\s*|\s+(?:and also|also|plus|and then|then)\s+|,?\s+and\s+(?=(?:what|where|how|"
                    r"is|are|can|could|do|does|who|will|which|any|hold|find|check|whats|what's|wheres|where's|"
                    r"hows|how's|tell|show|get|send|make|put|push|publish|post|set|mark|raise|lower|cut|knock|bump|accept|reject|"
                    r"counter|decline|cancel|pull|watch|take|grab|drop|release|kill|ship|rate|bid|offer|remove|unwatch)\b)",
                    re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[a-z0-9)'])[.!]+\s+(?=\S)", re.IGNORECASE)
_LOOSE_SPLIT = re.compile(r",?\s+and\s+|,\s+(?:then\s+)?", re.IGNORECASE)


def entity_dicts(parse: Parse) -> list[dict[str, Any]]:
    return [{"entity": e.entity, "value": e.value, "text": e.text, "extra": list(e.extra), "start": e.start}
            for e in parse.entities]


def ask_of(parse: Parse, intent: str | None = None, **kw: Any) -> AskState:
    return AskState(intent=intent or parse.intent, text=parse.text, confidence=parse.confidence,
                    entities=entity_dicts(parse), **kw)


_WHERE_TO_GET = frozenset({"find_stock", "own_stock", "search_market"})
# What a clause adds to a change (not a story about it): its terms.
_TERMS = frozenset({"price", "condition", "fulfillment", "visibility", "date", "tracking_number", "carrier", "rating",
                    "urgency"})


def split_asks(parse: Parse, env: Env) -> list[Parse]:
    """Two asks in one message ("where's the closest one and is $4200 fair?") become two asks, answered in
    turn; a message that asks one thing (with several details) stays whole."""
    numbers = [e for e in parse.entities if e.entity == "part_number"]
    if len(numbers) >= 2 and parse.confident and parse.intent in PER_PART:
        # "where can i get a GAA26800LC1 and a GBA21230F1?": the same question for each part
        return [Parse(parse.text, parse.intents, [e for e in parse.entities if e.entity != "part_number" or e is n],
                      parse.masked) for n in numbers]
    if len(parse.text.split()) < 6 or (parse.intent in CONVERSATION and parse.confident):
        return [parse]
    cuts = [(m, False) for m in _SPLIT.finditer(parse.text)]
    if not parse.confident or parse.confidence < TOPIC_CHANGE:
        cuts += [(m, True) for m in _LOOSE_SPLIT.finditer(parse.text)]
    for cut, loose in cuts:
        left, right = parse.text[:cut.start()].strip(" ,"), parse.text[cut.end():].strip(" ,")
        if len(left.split()) < 2 or len(right.split()) < 2:
            continue
        parts = [env.nlu.parse(left, env.organization), env.nlu.parse(right, env.organization)]
        # "post a wanted for 3 of em, new only, max 250 ea": the clause after a change gives its terms
        terms = any(e.entity in _TERMS for e in parts[1].entities)
        if parts[0].intent == "find_part" and parts[1].intent in _WHERE_TO_GET and parts[1].confident and \
                not parts[1].get("part_number") and not parts[1].get("equipment_model"):
            # "need a BLD-HV-2290 txv, who's got one": naming the part, then what to do about it — one ask
            return [Parse(parse.text, parts[1].intents, parse.entities, parse.masked)]
        together = parts[1].intent in ABSORBS.get(parts[0].intent, ())
        # "northline came back on X? tell em i'll do 470": when the whole is clearly one of the parts, the
        # other part is what led up to it, not a second change to make
        context = parse.confidence >= TOPIC_CHANGE and parts[1].intent == parse.intent and \
            parts[0].intent in WRITES and parts[0].intent != parse.intent and "and" not in cut.group(0).lower()
        if loose and "and" not in cut.group(0).lower() and parts[0].confidence >= THRESHOLD and \
                parts[0].intent in WRITES and parts[1].confidence < THRESHOLD:
            return [parse] if terms else [parts[0]]  # "pull my listing, sold all 3 at the counter": its story
        if all(p.confidence >= THRESHOLD and p.intent not in CONVERSATION for p in parts) and \
                parts[0].intent != parts[1].intent and not together and not context:
            if loose and "and" not in cut.group(0).lower() and parts[0].intent in WRITES and \
                    parts[1].intent in WRITES:
                # "let the keystone hold go, found one on derek's truck": the request, then why — only the
                # first asks for a change; a second change needs its own "and"
                return [parse] if terms else [parts[0]]
            return [parts[0], _about_the_same(parts[1], parts[0])]
    return [parse]


_THE_THING = frozenset({"part_number", "manufacturer", "equipment_model"})


def _about_the_same(second: Parse, first: Parse) -> Parse:
    """"rival wants a PPX-810036 right? we got any listed": an ask that names no part is about the one before."""
    if any(e.entity in _THE_THING for e in second.entities):
        return second
    carried = [e for e in first.entities if e.entity in _THE_THING]
    return Parse(second.text, second.intents, [*second.entities, *carried], second.masked) if carried else second


def last_sentence_at(text: str) -> int | None:
    """Where the last of several sentences starts ("used fair is sketchy. take the apex one" → 28)."""
    cuts = [m.end() for m in _SENTENCES.finditer(text)]
    return cuts[-1] if cuts and text[cuts[-1]:].strip() else None


def context_then_command(parse: Parse, env: Env) -> Parse | None:
    """ "the refurb BLD-KS-7781 isnt moving. knock it down to 410", "used fair is sketchy. take the apex one":
    statements, then a change to make — the statements say what it is about; the change is what is asked.
    The whole message, with every name in it, is read as that change."""
    if parse.confident and parse.intent in WRITES:
        return None
    sentences = [s for s in _SENTENCES.split(parse.text) if s.strip()]
    if len(sentences) < 2 or any(s.rstrip().endswith("?") for s in sentences[:-1]):
        return None
    last = env.nlu.parse(sentences[-1], env.organization)
    if not (last.confident and last.intent in WRITES):
        return None
    return Parse(parse.text, last.intents, parse.entities, parse.masked)
