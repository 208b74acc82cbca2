"""Picking from the list in view: "the refurb one", "ana's", "take the metro stuff off it" — which listed
item (or items) a message points at, and what it asks done to it."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.asks import CONVERSATION, WRITES, ask_of, is_question, last_sentence_at
from agent.planners.local.dialogue.refs import (
    POINTS_AT_IT,
    SPURNS,
    match,
    points_at_list,
    relevant_names,
    set_apart_spurned,
)
from agent.planners.local.dialogue.said import Said, clause_spans
from agent.planners.local.dialogue.said import clauses as all_clauses
from agent.planners.local.dialogue.state import AskState, DialogueState, Listed, Ref
from agent.planners.local.dialogue.terms import BEYOND_THE_LIST
from agent.planners.local.nlu import LEADING_YES, Parse
from agent.planners.local.nlu.cues import CORRECTION

# What picking an item from a list does when the message says no more than which one.
DEFAULT_GOAL = {"part": "part_chosen", "option": "hold", "listing": "details", "offer": "offer_chosen",
                "hold": "details", "deal": "details", "wanted": "details", "response": "details",
                "stock": "details", "equipment": "check_fit", "order": "details", "cart_item": "change_cart"}


_DROPS = re.compile(r"\s*(?:(?:ok|okay|pls|please|and|also|then|just|yeah|u can|you can|go ahead and)\s+)*(?:drop|"
                    r"remove|ditch|kill|nix|scrap|lose|toss|delete|clear|forget|get rid of|"
                    r"take\b[^.,;]{0,40}\boff\b)\b")
_THAT_ONE = re.compile(r"\b(?:that one|this one|that|it)\b")
_OTHER = re.compile(r"\b(?:else|other|others|another)\b")


def pick(parse: Parse, said: Said, state: DialogueState, env: Any = None) -> AskState | None:
    listed = state.listed
    assert listed is not None
    intent = parse.intent
    acting = parse.confident and intent not in CONVERSATION
    if BEYOND_THE_LIST.search(said.lowered) and intent != "choose" and not said.has("choice"):
        return None
    pool, said = set_apart_spurned(listed.items, said)  # "send keystone 220. metros is beat up"
    hits = match(pool, said)
    corrected = [m.end() for m in CORRECTION.finditer(said.text)]
    if corrected:  # "kill the clutch one. no wait, the vfdo board one": what follows the correction is meant
        hits = match(pool, said.after(corrected[-1])) or hits
    last = last_sentence_at(said.text)
    if len(hits) != 1 and last is not None:  # "used fair is sketchy. take the apex one": the pick is the last word
        picked_last = match(pool, said.after(last))
        if picked_last and env is not None:  # "reject the rival one, lowball. take apex's": and so is what to do
            parse = env.nlu.parse(said.text[last:], env.organization)
            intent, acting = parse.intent, parse.confident and parse.intent not in CONVERSATION
        hits = picked_last or hits
    focus = state.focused(listed.kind)
    if len(hits) != 1 and focus is not None and state.focus_kind == listed.kind and _THAT_ONE.search(said.lowered) \
            and not _OTHER.search(said.lowered) and any(focus.same(r) for r in pool):
        hits = [focus]  # "whats the cheapest one" … "ok take that one": the one just shown
    # "which listing?" … "the carrier furnace board": a short answer naming one of them picks it
    answers = listed.goal is not None and len(said.text.split()) <= 6 and intent not in WRITES
    named = len(hits) == 1 and (said.has("organization", "person", "city", "location", "condition", "site",
                                         "manufacturer") or answers)
    if not (intent == "choose" or said.has("choice") or points_at_list(said) or named):
        return None
    unseen = _turned_away_unseen(listed.items, said)
    if unseen:  # "skip the salvage junk. cheaper of the other 2" with no salvage shown: another list is meant
        return ask_of(parse, "bad_choice", values={"count": len(listed.items), "matches": 0, "unseen": unseen})
    if len(hits) != 1:
        if intent == "choose" or (said.has("choice") and not acting):
            return ask_of(parse, "bad_choice", values={"count": len(listed.items), "matches": len(hits)})
        return None
    goal = _acting_on(parse, hits[0]) if acting or parse.intent not in ("choose", "affirm") else None
    if (goal is None or not acting) and env is not None:
        goal = _clause_goal(said.text, hits[0], env) or goal
    if listed.dropping and _DROPS.match(said.lowered):  # "drop the trane defrost board" with the watchlist shown
        goal = listed.dropping
    # names point as surely as "that one" — names of what this kind of object is known by
    who = any(said.has(e) for e in ("organization", "person", "city", "location") if e in relevant_names(listed.kind))
    if goal is None and acting and not points_at_list(said) and not said.has("choice") and not who and not answers:
        return None  # a request about something else that happens to name one of them ("post a wanted, new only")
    if goal is None and intent not in WRITES and is_question(said.text):
        # "whats the cheapest one (n what shape is it in)": shown, not taken — however surely the words were read
        goal = DEFAULT_GOAL.get(listed.kind, "details")
    goal = goal or listed.goal or DEFAULT_GOAL.get(listed.kind, "details")
    if goal == "details" and listed.kind == "listing" and _BUYS.search(said.lowered) and _fits("buy_now", hits[0]) \
            and not hits[0].data.get("is_auction"):
        goal = "buy_now"  # "ok grab it. ship to republic plaza, ground": a listing for sale, taken, is bought
    ask = ask_of(parse, goal, target=hits[0], values={"picked": True})
    if goal == listed.goal and listed.carried:  # the question's answer continues the ask that asked it
        bare = not ({str(e.get("entity")) for e in said.entities} - {"choice", "number", "quantity"})
        kept = [e for e in ask.entities if e.get("entity") == "choice" or not bare]
        have = {e.get("entity") for e in kept}
        ask.entities = kept + [e for e in listed.carried if e.get("entity") not in have]
    return ask


def waits_on_the_pick(ask: AskState, listed: Listed) -> bool:
    """An ask of the same message that points back at what an earlier ask is asking to be picked — the kind of
    thing listed — naming nothing of its own ("the furnace board i drafted, bump it to 220 and push it live": the
    publishing; not "take it off my truck stock" after "which part?": stock, and the part in focus says which)."""
    from agent.planners.local.nlu.examples import acts_on

    own = {"part_number", "organization", "person", "equipment_model", "manufacturer", "listing_type"}
    return ask.target is None and bool(POINTS_AT_IT.search(ask.text.lower())) and listed.kind in acts_on(ask.intent) \
        and not any(e.get("entity") in own for e in ask.entities)


def carried_on(listed: Listed | None, picked: AskState) -> list[AskState]:
    """The asks that waited on this pick, now about the one picked."""
    if listed is None or picked.intent != listed.goal or picked.target is None:
        return []
    return [AskState.model_validate({**raw, "target": picked.target}) for raw in listed.then]


def _turned_away_unseen(items: list[Ref], said: Said) -> str | None:
    """The condition a clause turns away when none of the items listed is in it ("skip the salvage junk")."""
    for start, end in clause_spans(said.text):
        part = said.within(start, end)
        if SPURNS.search(part.text.lower()) and part.has("condition") and not match(items, part):
            return str(part.value("condition"))
    return None


def _clause_goal(text: str, target: Ref, env: Any) -> str | None:
    """"northline's 450 is a joke, reject it": the one clause that clearly asks a change of this kind of item."""
    from agent.planners.local.nlu.examples import acts_on

    # "kurts is the best one right? ok take it": the assent in front of a command only leads into it
    clauses = [LEADING_YES.sub("", c) for c in all_clauses(text)]
    clauses = [c for c in clauses if len(c.split()) >= 2]
    if len(clauses) < 2:
        return None
    # a clause's change read for another kind of object ("reject it": an order, or the offer in view) is the
    # change of this kind it most likely means
    goals = {goal for p in (env.nlu.parse(c, env.organization) for c in clauses) if p.confident and p.intent in WRITES
             for goal in [p.intent if target.kind in acts_on(p.intent) else _acting_on(p, target)]
             if goal in WRITES and _fits(goal, target)}
    return goals.pop() if len(goals) == 1 else None


_SEVERAL = re.compile(r"\b(?:stuff|ones|both|all|everything|each)\b")


def pick_several(parse: Parse, said: Said, state: DialogueState) -> list[AskState]:
    """"take the metro stuff off it", "release both": the change, once for each listed item the words name —
    each confirmed on its own."""
    listed = state.listed
    answering = parse.intent in ("choose", "affirm") and listed is not None and listed.goal in WRITES
    if listed is None or not (parse.confident or answering) or not _SEVERAL.search(said.lowered):
        return []
    pool, rest = set_apart_spurned(listed.items, said)
    hits = match(pool, rest)
    if not hits and ((re.search(r"\bboth\b", said.lowered) and len(pool) == 2) or
                     (re.search(r"\ball (?:of )?(?:them|those|these|em)\b", said.lowered) and len(pool) <= 6)):
        hits = pool
    if len(hits) < 2:
        return []
    goal = _acting_on(parse, hits[0])
    if goal not in WRITES and answering:  # "which hold?" … "all of them"
        goal = listed.goal
    if goal not in WRITES or not all(_fits(goal, h) for h in hits):
        return []
    return [ask_of(parse, goal, target=h, values={"picked": True}) for h in hits]


_SELLERS_OWN = frozenset({"update_listing", "cancel_listing", "publish_listing"})
_BUYERS = frozenset({"make_offer", "place_bid", "watch_listing", "buy_now"})
_BUYS = re.compile(r"\b(?:grab|take|buy|cop|snag|get)\s+(?:it|that|that one|this one|em|them|one|both)\b")


def _fits(intent: str, target: Ref) -> bool:
    """Our own listings are changed, others' are bid on, offered on and watched."""
    own = target.data.get("is_own_listing")
    return own is None or (intent not in _SELLERS_OWN if not own else intent not in _BUYERS)


_UNDO = frozenset({"delete", "cancel", "remove", "withdraw", "unwatch", "release"})


def _acting_on(parse: Parse, target: Ref) -> str | None:
    """The likeliest intent that acts on this kind of object ("put 300 on the one in denver" with auctions in
    view is a bid, even when the words alone lean elsewhere)."""
    from agent.planners.local.nlu.examples import acts_on

    kind = target.kind
    for ranked in parse.intents:
        if kind in acts_on(ranked.intent) and ranked.confidence >= 0.2 and _fits(ranked.intent, target):
            return ranked.intent
    top = parse.intents[0].intent if parse.intents and parse.confident else ""
    verb = top.split("_")[0]  # "take ana's" read as accepting a response, with offers in view: accept the offer
    # "kill the one on the door clutch" read as deleting an alert, with holds in view: undoing one of those
    alike = {verb} | (_UNDO if verb in _UNDO else set())
    return next((r.intent for r in parse.intents if r.intent != top and r.intent.split("_")[0] in alike
                 and kind in acts_on(r.intent) and _fits(r.intent, target)), None)


def acting_on_view(readings: list[str], listed: Listed | None) -> str | None:
    """Of two readings of a message, the only one that acts on the kind of thing the last reply listed."""
    from agent.planners.local.nlu.examples import acts_on

    if listed is None or len(readings) != 2:
        return None
    fits = [intent for intent in readings if listed.kind in acts_on(intent)]
    return fits[0] if len(fits) == 1 else None
