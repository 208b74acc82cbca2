"""From a new message to the asks of this turn, in the light of the conversation so far.

The classifier says what the words alone mean; the dialogue says what they mean here. In order: an answer
to the question of which reading was meant; an answer to the form being filled (values in any order, a
correction, a skip, "keep it a draft", a question on the side); a pick from the list just shown ("number
3", "the refurb one", "hold the apex one"); an assent or refusal of what was just proposed; and otherwise
the request itself — split when one message asks several things, and met with ONE clarifying question
naming the two likeliest readings when the classifier is unsure, never a guess.
"""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue import forms
from agent.planners.local.dialogue.asks import (
    CONVERSATION,
    TOPIC_CHANGE,
    WRITES,
    ask_of,
    context_then_command,
    entity_dicts,
    read_sentences,
    several_changes,
    split_asks,
)
from agent.planners.local.dialogue.follow_ups import model_said_bare, repeated
from agent.planners.local.dialogue.picking import acting_on_view, carried_on, pick, pick_several
from agent.planners.local.dialogue.refs import resolve
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import AskState, DialogueState, FormState, Ref
from agent.planners.local.nlu import Parse
from agent.planners.local.policy import Env

# Questions a form may take on the side without being dropped ("what's it worth?" while pricing a listing).
FORM_HELPERS = {"create_listing": {"suggest_price", "price_check", "market_trends", "details", "price_info"},
                "submit_offer": {"price_check", "price_info", "details", "check_fit", "how_far", "auction_status"},
                "place_bid": {"auction_status", "price_check", "details"},
                "respond_to_offer": {"price_check", "suggest_price", "details", "list_offers"},
                "create_wanted_post": {"price_info", "suggest_price"},
                "respond_to_wanted_post": {"suggest_price", "price_check"}}
# Intents that continue a form rather than leave it.
FORM_FAMILY = {"create_listing": {"create_listing", "publish_listing", "update_listing"},
               "submit_offer": {"make_offer", "counter_offer"}, "place_bid": {"place_bid"},
               "respond_to_offer": {"counter_offer", "accept_offer", "reject_offer"},
               "create_wanted_post": {"create_wanted"}, "respond_to_wanted_post": {"respond_wanted"},
               "mark_transaction_shipped": {"mark_shipped"}, "review_transaction": {"rate_seller"},
               "adjust_stock": {"adjust_stock"}, "transfer_stock": {"transfer_stock"}}
_ACTION_OF = {"accept_offer": "accept", "reject_offer": "reject", "counter_offer": "counter"}
# Readings that only look (change nothing): asked to choose between two of one errand, look first.
LOOK_FIRST = {"sourcing": ("find_stock", "own_stock", "closer", "how_far", "my_holds"),
              "parts": ("find_part", "details", "check_fit", "diagnose"),
              "pricing": ("price_info", "price_check", "suggest_price", "market_trends"),
              "offers": ("list_offers",), "auctions": ("auction_status", "my_watchlist"),
              "wanted": ("browse_wanted", "wanted_responses"), "selling": ("my_listings",),
              "inventory": ("low_stock",), "orders": ("my_orders", "view_cart")}


def _family(intent: str) -> str:
    from agent.planners.local.nlu.examples import family

    return family(intent)


_LEANS = re.compile(r"\b(?:it|its|one|ones|em|them|those|that|these|this)\b")
_ONLY_NUMBER = re.compile(r"^\s*(?:partno|#|pn|p/n|part|number|no\.?|what is|what's|whats|\?|\s)*partno[\s?.!]*$")


def interpret(text: str, photo_ids: list[str], state: DialogueState, env: Env, amended: dict[str, Any] | None,
              started: int) -> list[AskState]:
    parse: Parse = env.nlu.parse(text, env.organization)
    asks = _interpret(parse, photo_ids, state, env, amended)
    for ask in asks:
        ask.started = started
        ask.photo_ids = ask.photo_ids or photo_ids
    return asks


def _interpret(parse: Parse, photo_ids: list[str], state: DialogueState, env: Env,
               amended: dict[str, Any] | None) -> list[AskState]:
    said = Said(parse.text, entity_dicts(parse))
    proposal, clarify, question = state.proposal, state.clarify, state.question
    state.proposal, state.clarify, state.question = None, None, None
    if amended is not None:
        redo = _amend(parse, said, state, amended)
        if redo is not None:
            return [redo]
    if photo_ids and not (state.form and state.form.name == "create_listing"):
        goal = parse.intent if parse.confident and parse.intent in ("find_stock", "check_fit", "price_info",
                                                                    "price_check", "find_part") else None
        return [ask_of(parse, "photo", values={"goal": goal})]
    if clarify is not None:
        picked = _clarified(parse, clarify.intents)
        if picked is not None:
            original = env.nlu.parse(clarify.text, env.organization)
            if parse.confident and parse.intent == picked and parse.intent not in CONVERSATION:
                # "whats my truck lookin like" … "how many door gibs": the new words, with what the first
                # message named that they do not ("my truck")
                own = {e.entity for e in parse.entities}
                return [ask_of(Parse(parse.text, parse.intents, [*parse.entities, *(
                    e for e in original.entities if e.entity not in own)], parse.masked), picked)]
            return [ask_of(original, picked)]
        if parse.confident and parse.intent not in CONVERSATION and _LEANS.search(parse.text.lower()) and \
                not parse.get("part_number") and not parse.get("equipment_model"):
            # asked "marketplace or sourcing?", told "watch the pricier one": a new ask about the same part
            original = env.nlu.parse(clarify.text, env.organization)
            carried = [e for e in original.entities if e.entity in ("part_number", "equipment_model", "manufacturer")]
            parse = Parse(parse.text, parse.intents, [*parse.entities, *carried], parse.masked)
            said = Said(parse.text, entity_dicts(parse))
    if state.form is not None:
        asks = _form_answer(parse, said, state.form, photo_ids)
        if asks is not None:
            return asks
    if question is not None and any(parse.get(need) for need in question.needs) and not (
            parse.confident and parse.confidence >= TOPIC_CHANGE and parse.intent not in CONVERSATION | {
                question.intent, "find_part", "check_fit"}):
        return [ask_of(parse, question.intent, target=question.target, values={"answer": True})]
    split: list[Parse] | None = None  # read once: the list in view and the request both need them
    read: list[Parse] | None = None
    if state.listed is not None and state.listed.items:
        split = split_asks(parse, env)
        if all(p.text != parse.text for p in split):
            # "put 275 on the 931201 one and push it live": two changes; "cancel the apex one, tomas has em on his
            # truck": the change, without the story after it
            return [_each(p, state) for p in split]
        read = read_sentences(parse, env)
        changes = several_changes(parse, env, state.listed.kind, read)
        if changes is not None:
            return [_each(p, state) for p in changes]
        picked_ask = pick(parse, said, state, env)
        if picked_ask is not None:
            return [picked_ask, *carried_on(state.listed, picked_ask)]
        several = pick_several(parse, said, state)
        if several:
            return several
    if proposal is None and parse.intent == "affirm" and _GO_LIVE.search(parse.text.lower()) and \
            state.focus_kind == "listing":
        return [ask_of(parse, "publish_listing")]  # a draft saved … "ok go live w it"
    goal = state.listed.goal or ("hold" if state.listed.kind == "option" else None) if state.listed else None
    if proposal is None and parse.intent == "affirm" and parse.confident and goal and not parse.has_slots():
        return [ask_of(parse, goal)]  # "ok grab it" after "want me to hold one?": the best one
    if proposal is not None and parse.intent in ("affirm", "deny") and (parse.confident or _short(parse)):
        if parse.intent == "deny":
            return [ask_of(parse, "declined", values={"intent": proposal.intent})]
        return [ask_of(parse, proposal.intent, target=proposal.target, values=dict(proposal.values))]
    follow_up = repeated(model_said_bare(parse, state, env), state)
    if follow_up is not None:
        return [follow_up]
    return _request(parse, env, state, split, read, pending=proposal is not None or question is not None)


def _short(parse: Parse) -> bool:
    return len(parse.text.split()) <= 3


def _request(parse: Parse, env: Env, state: DialogueState, split: list[Parse] | None,
             read: list[Parse] | None, pending: bool = False) -> list[AskState]:
    if _ONLY_NUMBER.match(parse.masked) and parse.get("part_number"):
        return [ask_of(parse, "find_part")]
    read = read if read is not None else read_sentences(parse, env)
    commands = several_changes(parse, env, None, read) or context_then_command(parse, env, read)
    if commands is not None:
        return [_each(c, state) for c in commands]
    if not parse.confident and parse.intent == "out_of_scope" and parse.confidence < 0.3 and parse.get("part_number"):
        return [ask_of(parse, "find_part")]
    split = split if split is not None else split_asks(parse, env)
    if not parse.confident:
        if split != [parse]:  # unsure of the whole because its parts are clear on their own
            return [_each(p, state) if p.text != parse.text else ask_of(p, _urgent(p)) for p in split]
        top = [r.intent for r in parse.intents[:2]]
        first, second = parse.intents[0].confidence, parse.intents[1].confidence if len(top) == 2 else 0.0
        if top[0] in ("deny", "affirm") and not pending and state.form is None and len(top) == 2 and \
                top[1] not in CONVERSATION and second >= max(0.3, 0.75 * first) and len(parse.text.split()) >= 6:
            # nothing was asked to say no (or yes) to: "dont need the curtain i had held anymore … cancel that"
            return [ask_of(parse, top[1])]
        looking = [i for i in top if i in LOOK_FIRST.get(_family(top[0]), ()) and _family(i) == _family(top[1])]
        if len(top) == 2 and looking and parse.intents[0].confidence + parse.intents[1].confidence >= 0.35:
            # two readings of one errand ("order 3 for me": hold, or where to get it): look first, it changes
            # nothing and the next step is the same
            return [ask_of(parse, looking[0])]
        on_view = acting_on_view(top, state.listed)
        if on_view is not None:  # the watchlist just shown, "drop the trane defrost board": what acts on it
            return [ask_of(parse, on_view)]
        return [ask_of(parse, "clarify", values={"intents": top})]
    if len(split) == 1 or any(p.text == parse.text for p in split):  # one ask, or the same ask for each part
        return [ask_of(p, _urgent(p)) for p in split]
    return [_each(p, state) for p in split]


def _each(part: Parse, state: DialogueState) -> AskState:
    """One of several asks in a message: "tell rival no thanks and take northline's" — each picks from the list
    in view on its own."""
    if state.listed is not None and state.listed.items:
        picked = pick(part, Said(part.text, entity_dicts(part)), state)
        # "cancel the apex one, tomas has em on his truck": a clause that names an item but asks no change of
        # its own changes nothing
        tells = picked is not None and picked.intent in WRITES and part.intent not in WRITES
        if picked is not None and picked.intent != "bad_choice" and not tells:
            return picked
    return ask_of(part, _urgent(part))


_GO_LIVE = re.compile(r"\b(?:go|goes|put (?:it|em|them)|push (?:it|em|them)|make (?:it|em|them)) live\b|\bpublish\b")
_ASKING = re.compile(r"\b(?:asking|want(?:s|ing)? for|charg(?:e|es|ing)|how much|price)\b")


def _urgent(parse: Parse) -> str:
    """A part asked for in an emergency ("car's down, need a GAA24350BH1") is asked for to get it now; what a
    company named is asking for a part ("whats metro asking for the MOT18143") is its price."""
    if parse.intent == "find_part" and parse.get("urgency") is not None and \
            parse.value("urgency") in ("emergency", "urgent"):
        return "find_stock"
    if parse.intent == "find_part" and parse.get("organization") is not None and _ASKING.search(parse.text.lower()):
        return "price_info"
    return parse.intent


def _clarified(parse: Parse, intents: list[str]) -> str | None:
    if parse.confident and parse.intent not in ("choose", "affirm") and parse.intent not in intents:
        return None  # a new request, not an answer to the question
    choice = parse.value("choice")
    if choice in ("1", "2") and len(intents) >= int(choice):
        return intents[int(choice) - 1]
    for ranked in parse.intents[:2]:
        if ranked.intent in intents and ranked.confidence >= 0.3:
            return ranked.intent
    return None


def _amend(parse: Parse, said: Said, state: DialogueState, amended: dict[str, Any]) -> AskState | None:
    """The user answered a confirmation with words: a change to the pending write proposes it again with the
    change; anything else is a new request."""
    tool = str(amended.get("name"))
    form = state.form if state.form is not None and state.form.tool == tool else _form_from_call(tool, amended)
    if form is None:
        return None
    trial = form.model_copy(deep=True)
    changed = forms.fill(trial, said)
    other = _another_target(form, said, state)
    if other is not None:  # "yes, the apex one": the same change to the object they named, asked again
        trial.target = other
        state.form = trial
        return ask_of(parse, "form", values={"resubmit": True})
    if changed and (parse.intent in FORM_FAMILY.get(form.name, set()) | CONVERSATION | {"update_listing"}
                    or not parse.confident):
        state.form = trial
        return ask_of(parse, "form", values={"resubmit": True})
    if parse.intent == "deny" and parse.confident:
        return ask_of(parse, "declined", values={"intent": form.name})
    return None


def _another_target(form: FormState, said: Said, state: DialogueState) -> Ref | None:
    """The object the answer names when it is not the one the pending write acts on."""
    kind = forms.spec(form.name).target_kind
    if kind is None or not said.has("organization", "person", "choice", "part_number", "city"):
        return None
    named, several = resolve(state, said, kind)
    current = form.target.id if form.target is not None else form.hints.get("target_id")
    if named is None and form.target is not None:  # "the apex one" among the offers on this same part
        alike = [r for r in several if r.data.get("part_number") == form.target.data.get("part_number")]
        named = alike[0] if len(alike) == 1 else None
    return named if named is not None and named.id != current else None


def _form_from_call(tool: str, call: dict[str, Any]) -> FormState | None:
    names = [name for name in forms.form_names() if forms.spec(name).tool == tool]
    if not names:
        return None
    form = forms.new_form(names[0], **{k: v for k, v in (call.get("args") or {}).items()})
    spec = forms.spec(names[0])
    if spec.target_arg and spec.target_arg in form.values:
        form.hints["target_id"] = form.values.pop(spec.target_arg)
    return form


def _form_answer(parse: Parse, said: Said, form: FormState, photo_ids: list[str]) -> list[AskState] | None:
    trial = form.model_copy(deep=True)
    changed = forms.fill(trial, said, photo_ids)
    intent, confident = parse.intent, parse.confident
    if intent in FORM_HELPERS.get(form.name, set()) and confident and not changed:
        return [ask_of(parse, intent, values={"form_helper": True})]
    family = FORM_FAMILY.get(form.name, set()) | {"update_listing"}  # "make it 380 instead" corrects any form
    if confident and form.values.get("action") not in (None, _ACTION_OF.get(intent, form.values.get("action"))):
        return None  # "nah… counter rival at 350 instead": another answer to the offer, not this one corrected
    if form.hints.get("declined") and not (intent in family | {"affirm"} or (changed and not confident)):
        return None  # a form the user said no to is only taken up again by a correction to it
    topic_change = confident and parse.confidence >= TOPIC_CHANGE and intent not in family | CONVERSATION and \
        not (changed and len(changed) >= len(parse.entities))
    if topic_change and not (form.asked and form.asked in changed):
        form_dropped = ask_of(parse)
        return [form_dropped]
    if changed or intent in family or intent in ("affirm", "deny", "choose") or photo_ids or not confident:
        return [ask_of(parse, "form", values={"intent": intent, "confident": confident})]
    return None
