"""Filling a form: take in the answer (values in any order, corrections, "skip", "keep it a draft", "use the
suggested price"), ask for the next missing value, and once nothing is missing propose the WRITE (the graph
asks the user to confirm). What each form does when complete and after its tool ran is registered by the
policy that owns it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.planners.local.dialogue import answers, forms
from agent.planners.local.dialogue.asks import entity_dicts
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import FormState
from agent.planners.local.nlu.features import _DEFERRAL
from agent.planners.local.policies.common import failure
from agent.planners.local.policy import Call, Ctx, Say, Step, ToolResult, policy, say

Submit = Callable[[Ctx, FormState], Step]
Finish = Callable[[Ctx, FormState, ToolResult], Step]
Check = Callable[[Ctx, FormState], Step | None]
SUBMIT: dict[str, Submit] = {}
FINISH: dict[str, Finish] = {}
CHECK: dict[str, Check] = {}
ASK: dict[str, Callable[[Ctx, FormState, forms.Slot], Step | None]] = {}
_PUBLISH = re.compile(r"\b(go(es)? live|make it live|put (it|em|'em|them) (up|live|out)|throw (it|em|'em|them) "
                      r"(up|live|out)|get (it|em|'em|them) (up|live|out)|publish|post (it|em|'em|them)|list it live|"
                      r"live now|send it|push it live|make it public|"
                      r"list (?:em|'em|them|those|these)(?! as a draft))\b", re.IGNORECASE)

_AS_TYPED = re.compile(r"\b(as typed|as i (typed|said|wrote)|(number|it|that|mine)('s| is) (right|correct|good)|"
                       r"no,? (it'?s|its) right|keep (it|mine|my number))\b", re.IGNORECASE)


def submits(name: str) -> Callable[[Submit], Submit]:
    def register(fn: Submit) -> Submit:
        SUBMIT[name] = fn
        return fn

    return register


def finishes(name: str) -> Callable[[Finish], Finish]:
    def register(fn: Finish) -> Finish:
        FINISH[name] = fn
        return fn

    return register


def asks(name: str) -> Callable[[Callable[[Ctx, FormState, forms.Slot], Step | None]], Callable[..., Step | None]]:
    def register(fn: Callable[[Ctx, FormState, forms.Slot], Step | None]) -> Callable[..., Step | None]:
        ASK[name] = fn
        return fn

    return register


def checks(name: str) -> Callable[[Check], Check]:
    """Register what is checked before each question or the proposal: values the tool would refuse (asked
    again, saying why), and what the conversation can offer for a slot. Returns a step, or None to go on."""

    def register(fn: Check) -> Check:
        CHECK[name] = fn
        return fn

    return register


def start(ctx: Ctx, form: FormState) -> Step:
    """Begin (or restart) a form with what this message already says — and, when it points back ("post a
    wanted for em"), with the counts and equipment the message before said of the same part ("need 4913180
    batteries for the evita v500s, 3 of them")."""
    forms.fill(form, ctx.said, ctx.ask.photo_ids)
    _carried(ctx, form)
    _flags(ctx, form)
    ctx.state.form = form
    ctx.ask.values["applied"] = True
    ctx.ask.intent = "form"  # the rest of this ask (the write's result) belongs to the form
    return advance(ctx, form)


_BACK = re.compile(r"\b(?:it|em|them|those|these|ones?)\b")


def _carried(ctx: Ctx, form: FormState) -> None:
    before = ctx.state.last_text
    if not before or before == ctx.ask.text or ctx.env.nlu is None or not _BACK.search(ctx.said.lowered):
        return
    earlier = ctx.env.nlu.parse(before, ctx.env.organization)
    part = form.values.get("part_number") or (form.target.data.get("part_number") if form.target else None)
    if earlier.value("part_number") not in (None, part) or ctx.said.has("part_number"):
        return
    trial = forms.new_form(form.name)
    forms.fill(trial, Said(earlier.text, entity_dicts(earlier)))
    for field, value in trial.values.items():
        said_now = ctx.said.has("quantity", "number") if "quantity" in field else field in form.values
        if not said_now and ("quantity" in field or field.startswith("equipment")):
            form.values[field] = value


def _flags(ctx: Ctx, form: FormState) -> None:
    if form.tool != "create_listing":
        return
    text = ctx.ask.text
    if _DEFERRAL.search(text.lower()) or re.search(r"\b(draft|not live|don'?t (publish|post))\b", text, re.I):
        form.after = "draft"
    elif _PUBLISH.search(text):
        form.after = "publish"


@policy("form")
def continue_form(ctx: Ctx) -> Step:
    form = ctx.state.form
    if form is None:
        return say("What would you like to do?")
    done = ctx.last(form.tool)
    if done is not None:
        if done.error == "declined":  # kept, so that "make it 380 instead" can propose it again
            form.hints["declined"] = True
            form.asked = None
            return say("OK — nothing was done.")
        if not done.ok:
            return failure(done)
        finish = FINISH.get(form.name)
        ctx.state.form = None
        return finish(ctx, form, done) if finish else say(done.message or "Done.")
    if ctx.ask.values.get("resubmit"):
        form.hints.pop("declined", None)
        return advance(ctx, form)
    if not ctx.ask.values.get("applied"):
        ctx.ask.values["applied"] = True
        reply = _take_answer(ctx, form)
        if reply is not None:
            return reply
    form.hints.pop("declined", None)
    return advance(ctx, form)


def _take_answer(ctx: Ctx, form: FormState) -> Step | None:
    intent = str(ctx.ask.values.get("intent") or "")
    changed = forms.fill(form, ctx.said, ctx.ask.photo_ids)
    _flags(ctx, form)
    asked = form.asked
    if changed:
        return None
    if intent == "affirm" and asked in answers.offers(form):
        answers.take_offer(form)
        return None
    typed = form.hints.get("typed_part_number")
    if asked == "part_number" and typed and (intent == "deny" or _AS_TYPED.search(ctx.ask.text)):
        form.values["part_number"] = form.hints["part_checked"] = typed  # a part the catalog does not know yet
        answers.offer(form, "part_number", None)
        return None
    slot = next((s for s in forms.spec(form.name).slots_for(form.values) if s.field == asked), None)
    if intent == "deny" or re.search(r"^\s*(skip|none|no(pe)?|nah|no thanks|not now)\b", ctx.ask.text, re.I):
        if slot is not None and slot.optional:
            form.declined.append(slot.field)
            return None
        if form.after == "draft":
            return None
        ctx.state.form = None
        return say("OK — I've dropped that; nothing was saved.")
    if intent == "affirm" and slot is not None and slot.optional:
        form.declined.append(slot.field)
        return None
    if intent in ("affirm", "publish_listing", "create_listing"):
        return None
    if slot is not None:
        return say("Sorry, I didn't catch that.", slot.question, kind="question")
    return None


def advance(ctx: Ctx, form: FormState) -> Step:
    check = CHECK.get(form.name)
    if check is not None:
        step = check(ctx, form)
        if step is not None:
            return step
    slot = forms.missing(form)
    if slot is None:
        return submit(ctx, form)
    custom = ASK.get(form.name)
    if custom is not None:
        step = custom(ctx, form, slot)
        if step is not None:
            return step
    return ask(form, slot)


def ask(form: FormState, slot: forms.Slot, headline: str = "", question: str = "", correcting: bool = False,
        **kw: Any) -> Say:
    """Ask for one slot (the next answer fills it first); `headline` says why when it is asked again —
    `correcting` when what the user gave was refused or not found (that is not drafting step by step)."""
    form.asked = slot.field
    if slot.field not in form.asked_before:
        form.asked_before.append(slot.field)
    if correcting and slot.field not in form.corrected:
        form.corrected.append(slot.field)
    question = question or slot.question
    if headline:
        return say(headline, question, kind="question", **kw)
    return say(question, kind="question", **kw)


def submit(ctx: Ctx, form: FormState) -> Step:
    form.asked = None  # nothing is asked while the write waits for its yes
    if form.target is not None and form.target.kind not in ("part", "equipment"):
        ctx.state.put_focus(form.target)  # "nah… counter them instead": the object the write was about
    fn = SUBMIT.get(form.name)
    if fn is not None:
        return fn(ctx, form)
    target = form.target.id if form.target is not None else form.hints.get("target_id")
    return Call(form.tool, forms.args(form, target))
