"""Follow-ups: "what about a gen2 comfort?", "and in aurora?", "what about on a 7000" — the last question
again, about what this message names."""

from __future__ import annotations

import re

from agent.planners.local.dialogue.asks import CONVERSATION, TOPIC_CHANGE, ask_of
from agent.planners.local.dialogue.state import AskState, DialogueState
from agent.planners.local.nlu import Parse
from agent.planners.local.nlu.entities import Entity
from agent.planners.local.policy import Env

_BARE_MODEL = re.compile(r"\b(?:on|for|with|in|to)\s+(?:a|an|the|our|my)\s+([a-z]{0,4}\d{2,6}[a-z]{0,3})\s*\??\s*$",
                         re.IGNORECASE)
REPEATABLE = frozenset({"check_fit", "find_part", "find_stock", "price_info", "price_check", "suggest_price",
                        "market_trends", "search_market", "own_stock", "diagnose", "closer"})
_CONTENT = frozenset({"equipment_model", "part_number", "condition", "city", "manufacturer", "location", "price",
                      "site", "organization", "quantity", "urgency"})
_ELLIPSIS = re.compile(r"^\s*(?:and |but |ok |so |hm+,? )?(?:what|how) about\b|"
                       r"^\s*(?:and|or)\s+(?:for |with |on |in |at |if )?\S|^\s*same (?:for|with|on|in)\b|"
                       r"^\s*what if\b|^\s*(?:and )?(?:for|on|in) (?:a|an|the) \S|"
                       r"^\s*(?:any|anything) (?:in|at|near) \S", re.IGNORECASE)


def model_said_bare(parse: Parse, state: DialogueState, env: Env) -> Parse:
    """ "does it fit a schindler 5500?" … "what about on a 7000": a bare number in a follow-up about fit is
    another model of the same make, not a price."""
    bare = _BARE_MODEL.search(parse.text)
    if state.last_intent not in ("check_fit", "find_part", "diagnose") or bare is None or \
            parse.get("equipment_model") or not _ELLIPSIS.search(parse.text):
        return parse
    before = env.nlu.parse(state.last_text, env.organization)
    maker = next((e.get("manufacturer") for e in before.entities if e.entity == "equipment_model"), None) or \
        before.value("manufacturer")
    model = Entity("equipment_model", bare.group(1).upper(), bare.start(1), bare.end(1), bare.group(1),
                   (("manufacturer", maker),) if maker else ())
    kept = [e for e in parse.entities if not (e.start < model.end and model.start < e.end)]
    return Parse(parse.text, parse.intents, sorted([*kept, model], key=lambda e: e.start), parse.masked)


def repeated(parse: Parse, state: DialogueState) -> AskState | None:
    """ "what about a gen2 comfort?", "and in aurora?", "same for the refurb": the last question again, about
    what this message names."""
    if state.last_intent not in REPEATABLE or not _ELLIPSIS.search(parse.text) or len(parse.text.split()) > 9:
        return None
    if not any(e.entity in _CONTENT for e in parse.entities):
        return None
    if parse.confident and parse.intent not in CONVERSATION and parse.confidence >= TOPIC_CHANGE:
        return None  # the words say what they want themselves ("anything in aurora?" is where to get it)
    places_only = all(e.entity in ("city", "location", "site") for e in parse.entities if e.entity in _CONTENT)
    intent = "find_stock" if places_only and state.last_intent in ("find_part", "price_info", "check_fit") \
        else str(state.last_intent)
    return ask_of(parse, intent, values={"follow_up": state.last_text})
