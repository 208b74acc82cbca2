"""One planner step: take in what happened since the last step (a new message, or the results of the tools
it asked for), keep the dialogue state up to date, and run the current ask's policy to the next tool call
or the reply. A turn with several asks answers each in order and replies once."""

from __future__ import annotations

import ast
import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from agent.planners.local.dialogue.follow_ups import REPEATABLE
from agent.planners.local.dialogue.interpret import interpret
from agent.planners.local.dialogue.observe import observe
from agent.planners.local.dialogue.picking import waits_on_the_pick
from agent.planners.local.dialogue.state import AskState, DialogueState, TurnState
from agent.planners.local.policy import Call, Ctx, Env, Say, ToolResult, load_policies, say
from agent.reply_draft import ReplyDraft

log = logging.getLogger(__name__)
MAX_TOOL_STEPS = 8
FOCUSABLE = frozenset({"part", "listing", "option", "offer", "hold", "deal", "wanted", "response", "stock", "order",
                       "cart_item"})
_PHOTO_SUFFIX = re.compile(r"\n?\[photos attached: [^\]]*\]\s*$")
_SAID = re.compile(r"the user said: (.+)$", re.DOTALL)


@dataclass
class Outcome:
    call: Call | None = None
    call_id: str = ""
    draft: ReplyDraft | None = None


def call_id(position: int, name: str) -> str:
    """Stable across replays (same history → same id) and unique within a conversation."""
    return "call_" + hashlib.sha256(f"{position}:{name}".encode()).hexdigest()[:24]


def step(messages: list[BaseMessage], state: DialogueState, env: Env) -> Outcome:
    history = [m for m in messages if not isinstance(m, SystemMessage)]
    calls = _calls_by_id(history)
    fresh = history[state.seen_messages:] if state.seen_messages <= len(history) else history
    human = next((m for m in reversed(fresh) if isinstance(m, HumanMessage)), None)
    if human is not None or state.turn is None:
        for message in fresh:  # what entered the conversation between turns (a notice being answered)
            if isinstance(message, ToolMessage):
                observe(state, _result(message, calls))
        latest = human or next((m for m in reversed(history) if isinstance(m, HumanMessage)), None)
        _start_turn(state, env, latest, None, history)
    else:
        for message in fresh:
            if not isinstance(message, ToolMessage):
                continue
            result = _result(message, calls)
            words = _unconfirmed_words(result)
            if words is not None:  # the user answered a confirmation with something else: a new turn
                _start_turn(state, env, None, {"name": result.name, "args": result.args, "text": words}, history)
                break
            observe(state, result)
    state.seen_messages = len(history)
    return _run(state, env, history, calls)


def _start_turn(state: DialogueState, env: Env, message: BaseMessage | None, amended: dict[str, Any] | None,
                history: list[BaseMessage]) -> None:
    if amended is not None:
        text, photos = str(amended["text"]), []
    elif isinstance(message, HumanMessage):
        text = _PHOTO_SUFFIX.sub("", message.text).strip()
        photos = [str(p) for p in message.additional_kwargs.get("photo_ids") or []]
    else:
        text, photos = "", []
    asks = interpret(text, photos, state, env, amended, len(history))
    _note_others_only(state, text, asks)
    log.debug("asks for %r: %s", text, [(a.intent, a.text, a.target.label if a.target else None) for a in asks])
    state.turn = TurnState(asks=asks)


_NOT_OURS = re.compile(r"\b(?:besides (?:us|ours|our own)|other than (?:us|ours|our own)|not (?:ours|from us|our own)|"
                       r"ours (?:are|is) (?:all )?(?:spoken for|taken|promised|committed|reserved|tied up)|"
                       r"outside (?:the company|us)|from (?:someone|somebody|another company) else)\b")


def _note_others_only(state: DialogueState, text: str, asks: list[AskState]) -> None:
    """Sources outside the company are wanted for the part named with it (or in focus) until another is named."""
    numbers = [str(e.get("value")) for a in asks for e in a.entities if e.get("entity") == "part_number"]
    if _NOT_OURS.search(text.lower()):
        focus = state.focused("part")
        state.others_only = numbers[0] if numbers else str(focus.data.get("part_number")) if focus else "*"
    elif numbers and state.others_only not in (None, *numbers):
        state.others_only = None


def _run(state: DialogueState, env: Env, history: list[BaseMessage], calls: dict[str, dict[str, Any]]) -> Outcome:
    policies = load_policies()
    turn = state.turn
    assert turn is not None
    while turn.current is not None:
        ask = turn.current
        results = [_result(m, calls) for m in history[ask.started:] if isinstance(m, ToolMessage)]
        ctx = Ctx(state, ask, env, results)
        fn = policies.get(ask.intent) or policies["out_of_scope"]
        try:
            outcome = fn(ctx)
        except Exception:  # a planner bug must not leave the user without an answer
            log.exception("policy %s failed on %r", ask.intent, ask.text)
            outcome = say("Sorry — I got confused there. Could you say that another way?", kind="error")
        if isinstance(outcome, Call):
            repeated = any(r.name == outcome.name and r.args == outcome.args for r in results)
            if not repeated and len(results) < MAX_TOOL_STEPS:
                said = None
                if turn.drafts and _is_write(outcome.name):  # answers so far are shown with the confirmation
                    said = _merge(turn.drafts).model_copy(update={"question": "", "choices": []})
                    turn.drafts = []
                return Outcome(call=outcome, call_id=call_id(len(history), outcome.name), draft=said)
            log.warning("stopped a repeated or long tool loop at %s", outcome.name)
            outcome = say("I couldn't finish that. Could you rephrase it, or give me the part number?", kind="error")
        assert isinstance(outcome, Say)
        if ask.target is not None and ask.target.kind in FOCUSABLE:  # what was just talked about is "it" now
            state.put_focus(ask.target)
        if outcome.listed is not None and outcome.listed.goal == ask.intent and not outcome.listed.carried:
            outcome.listed.carried = [e for e in ask.entities if e.get("entity") != "choice"]
        _apply(state, outcome)
        _wait_on_the_pick(state, turn, ask)
        turn.drafts.append(outcome.draft.model_dump(mode="json"))
        if turn.index == 0 or ask.intent in REPEATABLE:  # "what about a voyager?" repeats the main question
            state.last_intent = ask.values.get("repeatable_as") or ask.intent
            state.last_text = str(ask.values.get("follow_up") or ask.text) if ask.values.get("follow_up") else ask.text
        turn.index += 1
        if turn.current is not None:
            turn.current.started = len(history)
    return Outcome(draft=_merge(turn.drafts) if turn.drafts else ReplyDraft(headline="OK."))


def _wait_on_the_pick(state: DialogueState, turn: TurnState, ask: AskState) -> None:
    """When an ask ends asking which one, the later asks that point back at it wait for the answer."""
    listed = state.listed
    if listed is None or listed.goal != ask.intent or ask.target is not None:
        return
    waiting = [later for later in turn.asks[turn.index + 1:] if waits_on_the_pick(later, listed)]
    if waiting:
        listed.then = [later.model_dump(mode="json") for later in waiting]
        turn.asks = [a for a in turn.asks if all(a is not w for w in waiting)]


def _merge(raw: list[dict[str, Any]]) -> ReplyDraft:
    drafts = [ReplyDraft.model_validate(d) for d in raw]
    merged = drafts[0]
    for draft in drafts[1:]:
        merged = merged.merged(draft)
    return merged


def _is_write(name: str) -> bool:
    from tools.registry import ToolKind, get_tool

    try:
        return get_tool(name).kind is ToolKind.WRITE
    except KeyError:
        return False


def _apply(state: DialogueState, outcome: Say) -> None:
    if outcome.clear_listed:
        state.listed = None
    if outcome.listed is not None:
        state.listed = outcome.listed
    state.proposal = outcome.proposal
    state.question = outcome.question


def _calls_by_id(history: list[BaseMessage]) -> dict[str, dict[str, Any]]:
    calls: dict[str, dict[str, Any]] = {}
    for message in history:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                if call.get("id"):
                    calls[str(call["id"])] = {"name": call["name"], "args": dict(call.get("args") or {})}
    return calls


def _result(message: ToolMessage, calls: dict[str, dict[str, Any]]) -> ToolResult:
    call = calls.get(message.tool_call_id, {})
    content = message.content if isinstance(message.content, str) else message.text
    return ToolResult.parse(message.name or call.get("name", ""), call.get("args", {}), content)


def _unconfirmed_words(result: ToolResult) -> str | None:
    """What the user said instead of yes/no to a confirmation (the graph quotes it with repr())."""
    if result.error != "not_confirmed":
        return None
    found = _SAID.search(result.message)
    if not found:
        return ""
    try:
        return str(ast.literal_eval(found.group(1).strip()))
    except (ValueError, SyntaxError):
        return found.group(1).strip().strip("'\"")
